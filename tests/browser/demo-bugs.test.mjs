// Bugs an outside tester found in the demo (issue 14), each a test that failed before its fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, expectDone, expectRefused, actAs, fill, tab, snapshot, runSteps, choose, PHONE, registerClient, deposit } from './helpers.mjs';

let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

async function withClient(page) {
  await actAs(page, 'Operator');
  await registerClient(page, { Name: 'Acme', 'Owner (organisation)': 'acme' });
  await actAs(page, 'Client', 'Acme (#0)');
}

test('bug 5: fields meant to be hidden are hidden (a class setting display no longer wins)', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await withClient(page);
  await tab(page, 'Post task');
  const form = page.locator('form.spec-form');
  const visible = (label) => form.getByLabel(label, { exact: true }).isVisible();
  assert.equal(await visible('Reward (credits)'), true);
  assert.equal(await visible('Ceiling (credits)'), false, 'bid fields show under fixed pricing');
  assert.equal(await visible('Window length (minutes)'), false, 'priority-window fields show while it is off');
  await fill(form, { Pricing: 'Bids' });
  assert.equal(await visible('Ceiling (credits)'), true);
  assert.equal(await visible('Reward (credits)'), false, 'the fixed reward shows under bids');
  assertClean(problems);
  await context.close();
});

test('bug 8: a double click deposits once and posts once', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await withClient(page);
  const side = page.locator('#panel');
  await side.getByLabel('Deposit (credits)').fill('500');
  await side.getByRole('button', { name: 'Deposit', exact: true }).dblclick();
  await expectDone(page, 'Deposit');
  const balance = () => snapshot(page).then((s) => JSON.parse(s).market.clients[0].balance);
  assert.equal(await balance(), 50_000, 'deposited twice');
  await tab(page, 'Post task');
  const form = page.locator('form.spec-form');
  await fill(form, { Title: 'Once only', 'Reward (credits)': '12.50' });
  await form.getByRole('button', { name: 'Post task', exact: true }).dblclick();
  await expectDone(page, 'PostTask');
  const tasks = await snapshot(page).then((s) => JSON.parse(s).market.tasks.length);
  assert.equal(tasks, 1, 'posted twice');
  assertClean(problems);
  await context.close();
});

test('bug 2: work that fails its checks is reported as failed, naming the checks', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await withClient(page);
  await actAs(page, 'Operator');
  const regAgent = page.locator('form[data-form="register-agent"]');
  await fill(regAgent, { Name: 'extractor-1', Kind: 'ai', Skills: 'invoice-extraction:4', 'Capacity (tasks at once)': 2 });
  await regAgent.getByRole('button').click();
  await expectDone(page, 'RegisterAgent');
  await actAs(page, 'Client', 'Acme (#0)');
  await deposit(page, '500');
  await tab(page, 'Post task');
  const form = page.locator('form.spec-form');
  await fill(form, { Title: 'Checked total', 'Reward (credits)': '12.50' });
  await form.getByRole('button', { name: 'Post task', exact: true }).click();
  await expectDone(page, 'PostTask');
  await tab(page, 'Board');
  await actAs(page, 'Agent', 'extractor-1 (#0)');
  await page.locator('.task-row[data-state="Open"] .card', { hasText: 'Checked total' }).click();
  const dialog = page.locator('#task-dialog');
  await dialog.getByRole('button', { name: 'Claim', exact: true }).click();
  await expectDone(page, 'ClaimTask');
  const submit = dialog.locator('form[data-form="submit-work"]');
  // A negative total fails the form's default `total-positive` check.
  await fill(submit, { 'total (number)': '-5', 'currency (text)': 'EUR', 'Confidence (%)': '95' });
  await submit.getByRole('button', { name: 'Hand in work', exact: true }).click();
  const outcome = page.locator('.message[data-id="outcome"]');
  await outcome.filter({ hasText: 'failed its checks' }).waitFor({ timeout: 5_000 });
  assert.equal(await outcome.getAttribute('data-kind'), 'warn', 'reported as done');
  assert.match(await outcome.innerText(), /total-positive/);
  assertClean(problems);
  await context.close();
});

test('bug 4: refusals speak credits and plain words, not minor units or engine wording', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await withClient(page);
  await deposit(page, '500');
  const side = page.locator('#panel');
  await side.getByLabel('Withdraw (credits)').fill('1000');
  await side.getByRole('button', { name: 'Withdraw', exact: true }).click();
  const short = await expectRefused(page, 'insufficient_funds');
  assert.match(short, /1,000\.00 credits needed, 500\.00 available/);
  assert.doesNotMatch(short, /50000|100000/);
  // More than the market can hold: the engine's reason speaks of 2^53 - 1 minor units.
  await side.getByLabel('Deposit (credits)').fill('90071992547409.93');
  await side.getByRole('button', { name: 'Deposit', exact: true }).click();
  const huge = await expectRefused(page, 'out_of_range');
  assert.match(huge, /Deposit refused: the amount is out of range \(larger than this market can hold\)/);
  assert.doesNotMatch(huge, /2\^53|u64|minor/, huge);
  assertClean(problems);
  await context.close();
});

test("bug 7: a category leaderboard's Settled column counts that category only", async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await runSteps(page, 60);
  await tab(page, 'Leaderboard');
  // Settled per agent, read off the table the page shows.
  const settled = async () => Object.fromEntries(await page.locator('table.leaderboard tbody tr').evaluateAll((rows) => {
    const head = [...document.querySelectorAll('table.leaderboard thead th')].map((th) => th.textContent);
    const [agent, col] = [head.indexOf('Agent'), head.indexOf('Settled')];
    return rows.map((r) => [r.cells[agent].textContent, Number(r.cells[col].textContent)]);
  }));
  const overall = await settled();
  const categories = await page.locator('#lb-category option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(categories.length >= 2, `categories: ${categories}`);
  const sum = {};
  for (const c of categories) {
    await choose(page, '#lb-category', c);
    for (const [agent, n] of Object.entries(await settled())) sum[agent] = (sum[agent] ?? 0) + n;
  }
  // Each agent's work, counted per category, adds up to its overall count (before the fix, each
  // category repeated the overall count).
  const busy = Object.entries(overall).filter(([, n]) => n > 0);
  assert.ok(busy.length > 0, 'the autopilot settled some work');
  for (const [agent, n] of busy) assert.equal(sum[agent], n, agent);
  assertClean(problems);
  await context.close();
});

test('bug 1: a refusal shows at the form that caused it, in view, on a phone', async () => {
  const { page, problems, context } = await openPage(chromium.browser, PHONE);
  await withClient(page);
  const side = page.locator('#panel');
  const withdraw = side.getByLabel('Withdraw (credits)');
  await withdraw.scrollIntoViewIfNeeded();
  await withdraw.fill('1000');
  await side.getByRole('button', { name: 'Withdraw', exact: true }).click();
  await expectRefused(page, 'insufficient_funds');
  const message = side.locator('.form-message[data-kind="error"]');
  await message.waitFor({ timeout: 5_000 });
  assert.match(await message.innerText(), /Withdraw refused/);
  const box = await message.boundingBox();
  const view = page.viewportSize();
  assert.ok(box && box.y >= 0 && box.y + box.height <= view.height, `the error is out of view: ${JSON.stringify(box)}`);
  assertClean(problems);
  await context.close();
});
