// Bugs an outside tester found in the demo (issue 14), each a test that failed before its fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, expectDone, actAs, fill, tab, snapshot } from './helpers.mjs';

let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

async function withClient(page) {
  await actAs(page, 'Operator');
  const regClient = page.locator('form[data-form="register-client"]');
  await fill(regClient, { Name: 'Acme', 'Owner (organisation)': 'acme' });
  await regClient.getByRole('button').click();
  await expectDone(page, 'RegisterClient');
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
  await form.getByRole('button', { name: 'Post task (PostTask)' }).dblclick();
  await expectDone(page, 'PostTask');
  const tasks = await snapshot(page).then((s) => JSON.parse(s).market.tasks.length);
  assert.equal(tasks, 1, 'posted twice');
  assertClean(problems);
  await context.close();
});
