// The agent profile (from the leaderboard) and the Ledger tab: the profile's earnings are the sum
// of the payouts its past work shows and equal the engine's balance; its task count is the
// engine's; the ledger's checks and rows reconcile with the engine's deposits and platform
// balance; a party filter shows that party only. Screenshots at 1440x900 and 390x844. At 5,000
// tasks the time to draw each is measured in the page and printed (not asserted: wall-clock).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, runSteps, stepsFor, tab, choose, frames, shot, PHONE } from './helpers.mjs';

const WIDE = { width: 1440, height: 900 };

let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

/** Sum a numeric data attribute over every page of a paged list, turning pages with "Next". */
async function sumOverPages(page, scope, cellSelector, attribute) {
  const pager = page.locator(`${scope} .pager`);
  while (!(await pager.getByRole('button', { name: 'First page' }).isDisabled())) {
    await pager.getByRole('button', { name: 'First page' }).click();
    await frames(page);
  }
  let sum = 0;
  let rows = 0;
  for (;;) {
    const values = await page.locator(`${scope} ${cellSelector}`).evaluateAll(
      (cells, attr) => cells.map((c) => c.getAttribute(attr)), attribute);
    for (const v of values) {
      assert.notEqual(v, '', 'every amount is known in an autopilot market (fixed rewards)');
      sum += Number(v);
    }
    rows += values.length;
    const next = pager.getByRole('button', { name: 'Next page' });
    if (await next.isDisabled()) break;
    await next.click();
    await frames(page);
  }
  return { sum, rows };
}

async function noSidewaysScroll(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${where}: the page scrolls sideways by ${overflow}px`);
}

test('an agent profile from the leaderboard: earnings, past work and task count agree with the engine', async () => {
  const { context, page, problems } = await openPage(chromium.browser, WIDE);
  await runSteps(page, 60);
  await tab(page, 'Leaderboard');
  // The row with the most settled work (the top row may be an agent with one good task: the
  // board ranks by score, and the market's seed is drawn afresh for every run).
  const rows = page.locator('#view-leaderboard tbody tr');
  const counts = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[5].innerText)));
  const busiest = rows.nth(counts.indexOf(Math.max(...counts)));
  const name = await busiest.locator('th .agent-link').innerText();
  const settledOnBoard = Number(await busiest.locator('td').nth(5).innerText());
  await busiest.getByRole('button', { name: `Open ${name}'s profile` }).click();
  await frames(page);
  const dialog = page.locator('#agent-dialog');
  assert.ok(await dialog.evaluate((d) => d.open), 'the profile opens');
  assert.match(await dialog.locator('h2').innerText(), new RegExp(name));

  const engine = await page.evaluate((n) => {
    const m = window.gigmarketDemo.session.market;
    const agent = m.agents().find((a) => a.name === n);
    return { id: agent.id, balance: agent.balance, withdrawn: m.withdrawn, tier: m.tier(agent.id),
      settled: m.tasks().filter((t) => t.status.state === 'Settled' && t.status.agent === agent.id).length };
  }, name);
  const earnings = Number(await dialog.locator('.earnings').getAttribute('data-earnings'));
  const count = Number(await dialog.locator('.settled-count').getAttribute('data-settled'));
  assert.ok(engine.settled > 10, `the agent settled work (${engine.settled})`);
  assert.equal(count, engine.settled, 'tasks settled = the engine\'s settled tasks of this agent');
  assert.equal(count, settledOnBoard, 'tasks settled = the leaderboard\'s count');
  assert.match(await dialog.locator('h2 .tier').innerText(), new RegExp(engine.tier.replace('_', ' ')));

  const shotProfile = async (label) => shot(page, label);
  await shotProfile('profile-desktop');
  const paid = await sumOverPages(page, '#agent-dialog', 'td.paid', 'data-paid');
  assert.equal(paid.rows, engine.settled, 'the past work lists every settled task');
  assert.equal(paid.sum, earnings, 'earnings = the sum of the payouts the past work shows');
  assert.equal(engine.withdrawn, 0, 'nobody withdrew, so an agent\'s balance is all it earned');
  assert.equal(earnings, engine.balance, 'earnings = the engine\'s balance of the agent');

  // The reputation-by-category table: one row per category and overall, each with the engine's score.
  const categories = await page.evaluate(() => window.gigmarketDemo.session.market.categories());
  for (const category of categories) {
    const row = dialog.locator(`tr[data-category="${category}"]`);
    const shown = await row.locator('td').first().innerText();
    const mean = await page.evaluate(([id, c]) => window.gigmarketDemo.session.market.score(id, c).mean, [engine.id, category]);
    assert.equal(shown, mean.toFixed(3), `${category}: the engine's score`);
  }
  assert.ok(await dialog.locator('svg.sparkline').count() >= 1, 'the score over time is drawn where it was sampled');

  // A task from the past work opens the task dialog, which names the agent and opens it back.
  await dialog.locator('td.wrap button').first().click();
  await frames(page);
  const task = page.locator('#task-dialog');
  assert.ok(await task.evaluate((d) => d.open), 'the task opens');
  await task.getByRole('button', { name: `Open ${name} (agent #${engine.id})'s profile` }).click();
  await frames(page);
  assert.ok(await dialog.evaluate((d) => d.open), 'the profile opens from the task dialog');
  assertClean(problems);
  await context.close();
});

test('the ledger reconciles with the engine and filters by party', async () => {
  const { context, page, problems } = await openPage(chromium.browser, WIDE);
  // Enough for a client to have more than a page of movements (the autopilot has 8 clients).
  await runSteps(page, 150);
  await tab(page, 'Ledger');
  const engine = await page.evaluate(() => {
    const m = window.gigmarketDemo.session.market;
    return { deposited: m.deposited, platform: m.platformBalance, withdrawn: m.withdrawn, clients: m.clients().map((c) => c.name) };
  });
  const checks = page.locator('.ledger-checks tbody tr');
  assert.equal(await checks.count(), 5);
  for (const ok of await checks.evaluateAll((rows) => rows.map((r) => r.dataset.ok))) assert.equal(ok, 'true', 'every check adds up');
  const credits = (minor) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });
  assert.match(await checks.nth(4).innerText(), new RegExp(`deposits ${credits(engine.deposited)}`), 'the ledger\'s deposits are the engine\'s');
  assert.match(await checks.nth(2).innerText(), new RegExp(`fees ${credits(engine.platform)}`), 'the ledger\'s fees are the platform balance');
  await shot(page, 'ledger-desktop');

  // The platform's rows add up to its balance; a client's rows are that client's only.
  await choose(page, '#ledger-party', 'platform');
  const fees = await sumOverPages(page, '#view-ledger', 'td.amount', 'data-amount');
  assert.ok(fees.rows > 25, 'the platform\'s fees span several pages');
  assert.equal(fees.sum, engine.platform, 'the platform\'s rows add up to its balance');
  await choose(page, '#ledger-party', 'client:1');
  const parties = await page.locator('#view-ledger table.ledger tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.party));
  assert.equal(parties.length, 25, 'a full page of the client\'s rows');
  assert.deepEqual([...new Set(parties)], ['client:1'], 'only that client\'s rows');
  const totals = await page.locator('.ledger-totals tbody tr').innerText();
  assert.match(totals, new RegExp(engine.clients[1]), 'the totals are that client\'s');
  assert.match(totals, /✓/, 'its rows add up to its balance');

  // A row's task opens the task.
  await page.locator('#view-ledger table.ledger tbody button[data-task]').first().click();
  await frames(page);
  assert.ok(await page.locator('#task-dialog').evaluate((d) => d.open), 'the row\'s task opens');
  assertClean(problems);
  await context.close();
});

test('profile and ledger at phone width', async () => {
  const { context, page, problems } = await openPage(chromium.browser, PHONE);
  await runSteps(page, 60);
  await tab(page, 'Ledger');
  await noSidewaysScroll(page, 'ledger');
  await shot(page, 'ledger-phone');
  await page.locator('#view-ledger table.ledger').scrollIntoViewIfNeeded();
  await shot(page, 'ledger-phone-rows');
  await tab(page, 'Leaderboard');
  await page.locator('#view-leaderboard .agent-link').first().click();
  await frames(page);
  await noSidewaysScroll(page, 'profile');
  await shot(page, 'profile-phone');
  await page.locator('#agent-dialog .past-work').scrollIntoViewIfNeeded();
  await shot(page, 'profile-phone-work');
  assertClean(problems);
  await context.close();
});

test('at 5,000 tasks the Ledger tab and a profile draw quickly (measured in the page, printed)', async () => {
  const { context, page, problems } = await openPage(chromium.browser, WIDE);
  await runSteps(page, stepsFor(5000));
  const tasks = await page.evaluate(() => window.gigmarketDemo.session.market.tasks().length);
  assert.ok(tasks >= 5000, `${tasks} tasks`);
  const timing = async (view, entry) => page.evaluate(async ([v, e]) => {
    const started = performance.now();
    document.querySelector(`[role="tab"][data-view="${v}"]`).click();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const m = performance.getEntriesByName(e, 'measure').at(-1);
    return { clickToDrawn: performance.getEntriesByName(`${v}-rendered`, 'mark').at(-1).startTime - started, render: m.duration };
  }, [view, entry]);
  // Cold: clicked at once, before the idle warm-up read the tasks.
  const ledger = await timing('ledger', 'ledger-render');
  // Warm: a few more steps, the page idle once (as when a person reaches for the tab), then the click.
  await tab(page, 'Board');
  await runSteps(page, 5);
  await page.evaluate(() => new Promise((r) => requestIdleCallback(() => r())));
  const again = await timing('ledger', 'ledger-render');
  await tab(page, 'Leaderboard');
  const profile = await page.evaluate(async () => {
    const started = performance.now();
    document.querySelector('#view-leaderboard .agent-link').click();
    await new Promise((r) => requestAnimationFrame(r));
    return { clickToDrawn: performance.now() - started, render: performance.getEntriesByName('profile-render', 'measure').at(-1).duration };
  });
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(`# at ${tasks} tasks: Ledger tab cold: click to drawn ${ms(ledger.clickToDrawn)} (ledger's own render ${ms(ledger.render)}); `
    + `after 5 more steps and an idle moment: ${ms(again.clickToDrawn)} (own ${ms(again.render)}); profile: click to drawn ${ms(profile.clickToDrawn)} (own ${ms(profile.render)})`);
  assert.ok(await page.locator('#agent-dialog').evaluate((d) => d.open), 'the profile opened');
  assert.equal(await page.locator('#view-ledger table.ledger tbody tr').count(), 25, 'the ledger draws one page, not thousands of rows');
  assertClean(problems);
  await context.close();
});
