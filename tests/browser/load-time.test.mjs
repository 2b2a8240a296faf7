// Load times, measured and printed as JSON lines ({"name", "value", "unit"}); asserted only for
// behaviour (the market comes back whole), never against a wall-clock limit.
//  - page load to the first interactive market (the engine instantiated, the saved state read,
//    every control drawn): the page's `market-ready` mark, from navigation start;
//  - a 1,000-task market from localStorage: built with the autopilot, saved, reloaded; time from
//    navigation start until the board is drawn (the page's first `board-rendered` mark).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage, assertClean, reload, runSteps, stepsFor, snapshot, KEY, ARTIFACTS } from './helpers.mjs';

let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

// node --test prefixes a test's output with "# ", so the figures also go to a file that run.sh
// prints as plain JSON lines at the end.
const METRICS = path.join(ARTIFACTS, 'load-times.jsonl');
fs.mkdirSync(ARTIFACTS, { recursive: true });
fs.writeFileSync(METRICS, '');

function report(name, value, unit) {
  const line = JSON.stringify({ name, value: Math.round(value * 10) / 10, unit });
  console.log(line);
  fs.appendFileSync(METRICS, `${line}\n`);
}

const mark = (page, name) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? null, name);

test('page load to the first interactive market', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  // A second load: the server's files are in the browser cache, as for a returning visitor.
  await reload(page);
  const warm = await mark(page, 'market-ready');
  assert.ok(warm > 0);
  report('page_load_to_interactive_market_ms', warm, 'ms');
  await context.close();
  const cold = await openPage(chromium.browser);
  report('page_load_to_interactive_market_cold_ms', await mark(cold.page, 'market-ready'), 'ms');
  assertClean([...problems, ...cold.problems]);
  await cold.context.close();
});

test('a 1,000-task market loads from localStorage', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  const started = Date.now();
  await runSteps(page, stepsFor(1000));
  const built = Date.now() - started;
  const tasks = await page.evaluate(() => window.gigmarketDemo.session.market.tasks().length);
  assert.ok(tasks >= 1000, `the autopilot posted ${tasks} tasks`);
  const stored = await page.evaluate((k) => localStorage.getItem(k).length, KEY);
  const snap = await snapshot(page);
  report('autopilot_build_1000_tasks_ms', built, 'ms');
  report('stored_state_1000_tasks_chars', stored, 'chars');

  await reload(page);
  const board = await mark(page, 'board-rendered');
  assert.equal(await snapshot(page), snap, 'the same market after the reload');
  assert.match(await page.locator('.board-summary').innerText(), new RegExp(`^${tasks.toLocaleString('en-US')} tasks`));
  report('load_1000_task_market_to_board_ms', board, 'ms');
  report('load_1000_task_market_to_interactive_ms', await mark(page, 'market-ready'), 'ms');
  assertClean(problems);
  await context.close();
});
