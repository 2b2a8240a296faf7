// What the demo keeps and how it survives: the autopilot changes the leaderboard and the charts;
// a reload finds everything as it was; export, reset and import round-trip the market exactly;
// an unreadable saved value is set aside untouched; a full storage keeps the last save intact;
// an engine failure reloads the last save.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  launch, openPage, assertClean, reload, snapshot, runSteps, tab, choose, actAs, KEY,
} from './helpers.mjs';

let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

const text = (page, sel) => page.locator(sel).innerText();

/** What a person sees of the market, view by view (the views read the engine each time). */
/** The charts as drawn: their words (titles, axes, legends, summaries) and their canvases' pixels. */
function chartsSeen(page) {
  return page.locator('#view-charts figure.chart').evaluateAll((figures) => figures.map((f) => [
    f.innerText, ...[...f.querySelectorAll('canvas')].map((c) => c.toDataURL())]));
}

async function seen(page) {
  const out = { clock: await text(page, '#clock'), role: await page.locator('#role-type').inputValue() };
  await tab(page, 'Board');
  out.board = await text(page, '.board-list');
  await tab(page, 'Leaderboard');
  await choose(page, '#lb-category', 'document-verification');
  out.leaderboard = await text(page, '#view-leaderboard table');
  await tab(page, 'Charts');
  out.charts = await chartsSeen(page);
  await tab(page, 'Event log');
  out.log = await text(page, '.log');
  await tab(page, 'Board');
  return out;
}

test('the autopilot changes the leaderboard and the charts; a reload finds everything as it was', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await page.locator('#step').click();
  await page.locator('.task-row[data-state="Claimed"] .card').first().waitFor();
  assert.equal(await text(page, '#clock'), 'Day 1 · 00:10');

  // Run at full speed for a while, then pause.
  await page.selectOption('#speed', '0');
  await page.locator('#run').click();
  assert.equal(await page.locator('#run').getAttribute('aria-pressed'), 'true');
  await page.waitForFunction(() => window.gigmarketDemo.session.now >= 20 * 600_000);
  await page.locator('#run').click();
  assert.equal(await page.locator('#run').getAttribute('aria-pressed'), 'false');

  await tab(page, 'Leaderboard');
  await choose(page, '#lb-category', 'document-verification');
  const rows = page.locator('#view-leaderboard tbody tr');
  assert.ok(await rows.count() >= 3, 'the autopilot\'s three document verifiers are ranked');
  const header = await text(page, '#view-leaderboard thead');
  for (const d of ['accuracy', 'quality', 'speed', 'consistency', 'adaptability', 'Tier']) assert.match(header, new RegExp(d));
  const boardBefore = await text(page, '#view-leaderboard tbody');
  await tab(page, 'Charts');
  // Legend rows after each chart's first (the time under the cursor) are its lines.
  const lines = await page.locator('#view-charts .u-legend').evaluateAll((ls) => ls.map((l) => l.querySelectorAll('.u-series').length - 1));
  assert.ok(lines[0] >= 2 && lines[1] >= 4, `reputation and activity lines are drawn (${lines})`);
  const chartsBefore = await chartsSeen(page);

  await runSteps(page, 15);
  await tab(page, 'Leaderboard');
  assert.notEqual(await text(page, '#view-leaderboard tbody'), boardBefore, 'the leaderboard moved');
  await tab(page, 'Charts');
  const chartsAfter = await chartsSeen(page);
  assert.notDeepEqual(chartsAfter, chartsBefore, 'the charts moved');

  // Reload: the same market, clock, views, log and charts.
  await choose(page, '#role-type', 'Agent');
  const before = await seen(page);
  const snap = await snapshot(page);
  await reload(page);
  assert.equal(await snapshot(page), snap, 'the same market, byte for byte');
  const afterReload = await seen(page);
  assert.deepEqual(afterReload, before);
  assertClean(problems);
  await context.close();
});

test('export, reset and import give back the same market, log, charts and role', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await runSteps(page, 12);
  await actAs(page, 'Client', 'auto-client-0 (#0)');
  const snap = await snapshot(page);
  const boardBefore = await text(page, '.board-list');
  // The engine's events in the log (the page adds its own notes, such as the import's), the charts, the role.
  const kept = () => page.evaluate(() => { const s = window.gigmarketDemo.session; return JSON.stringify([s.log.filter((e) => !e.note), s.series, s.role]); });
  const before = await kept();

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()]);
  const file = await download.path();
  const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(exported.snapshot, snap, 'the export holds market.save()');
  assert.ok(exported.log.length > 0 && exported.role.type === 'Client', 'and the log and the role (issue 14, bug 9)');

  await page.locator('#reset').click();
  await page.locator('.message[data-id="outcome"]', { hasText: 'Reset' }).waitFor();
  assert.equal(await text(page, '#clock'), 'Day 1 · 00:00');
  assert.match(await text(page, '.board-summary'), /^0 tasks/);
  assert.notEqual(await snapshot(page), snap);

  await page.setInputFiles('#import-file', file);
  await page.locator('.message[data-id="outcome"]', { hasText: 'Imported' }).waitFor();
  assert.equal(await snapshot(page), snap, 'the imported market is the exported one');
  assert.equal(await kept(), before, 'the event log, the charts and the role come back too');
  assert.equal(await text(page, '.board-list'), boardBefore);
  assert.equal(await text(page, '#clock'), 'Day 1 · 02:00');

  // A bare market snapshot (market.save() from any host) imports the market alone.
  await page.setInputFiles('#import-file', { name: 'market.json', mimeType: 'application/json', buffer: Buffer.from(snap) });
  await page.locator('.message[data-id="outcome"]', { hasText: 'Imported the market:' }).waitFor();
  assert.equal(await snapshot(page), snap);

  // An import the engine refuses changes nothing and says why.
  await page.setInputFiles('#import-file', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"nope"}') });
  const refusal = page.locator('.message[data-id="outcome"][data-kind="error"]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /Import refused/);
  assert.equal(await snapshot(page), snap);
  assertClean(problems);
  await context.close();
});

test('an unreadable saved value is kept aside with a clear message; the page starts afresh', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await runSteps(page, 3);
  for (const raw of ['{"format":"gigmarket-demo","version":1,"snapsh', JSON.stringify({
    format: 'gigmarket-demo', version: 1, now: 5, snapshot: '{"format":"gigmarket","version":1,"tasks":"garbage"}', log: [], series: { rep: [], activity: [] },
  })]) {
    await reloadWithSaved(page, raw);
    const msg = page.locator('.message[data-id="corrupt"]');
    await msg.waitFor();
    assert.equal(await msg.getAttribute('role'), 'alert');
    assert.match(await msg.innerText(), /could not be read .* kept aside under the localStorage key "gigmarket\.demo\.v1\.corrupt\.\d+"; nothing was deleted/s);
    const kept = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('gigmarket.demo.v1.corrupt.')));
    assert.equal(kept.length, 1);
    assert.equal(kept[0][1], raw, 'the raw value is kept exactly');
    assert.equal(await text(page, '#clock'), 'Day 1 · 00:00', 'a fresh market');
    await page.locator('#set-aside').getByText(kept[0][0]).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), msg.getByRole('button', { name: 'Download the kept value' }).click()]);
    assert.equal(fs.readFileSync(await download.path(), 'utf8'), raw);

    // The fresh market saves normally beside the kept value.
    await page.locator('#step').click();
    await page.waitForFunction((k) => JSON.parse(localStorage.getItem(k)).now === 600_000, KEY);
  }
  assertClean(problems);
  await context.close();
});

test('storage over quota: a clear message, and the last saved state stays intact', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await runSteps(page, 3);
  const saved = await page.evaluate((k) => localStorage.getItem(k), KEY);
  const clock = await text(page, '#clock');

  // Fill what is left of the quota.
  const filled = await page.evaluate(() => {
    let chunk = 1 << 20;
    let n = 0;
    while (chunk >= 1) {
      try {
        localStorage.setItem(`filler-${n}`, 'x'.repeat(chunk));
        n += 1;
      } catch {
        chunk = Math.floor(chunk / 2);
      }
    }
    return n;
  });
  assert.ok(filled > 0);

  await page.locator('#step').click();
  const msg = page.locator('.message[data-id="storage"]');
  await msg.waitFor();
  assert.equal(await msg.getAttribute('role'), 'alert');
  assert.match(await msg.innerText(), /Storage is full: the latest change is in this page but was NOT saved\. The last saved state \(Day 1 · 00:30\) is intact/);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), saved, 'the last save is untouched');

  // Running the autopilot stops at once rather than piling up unsaved steps.
  await page.locator('#run').click();
  await page.waitForFunction(() => document.querySelector('#run').getAttribute('aria-pressed') === 'false');

  // A reload comes back to the last save, and saving resumes once there is room.
  await reload(page);
  assert.equal(await text(page, '#clock'), clock);
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k); });
  await page.locator('#step').click();
  await page.waitForFunction((k) => JSON.parse(localStorage.getItem(k)).now === 4 * 600_000, KEY);
  assertClean(problems);
  await context.close();
});

test('an engine failure (not a MarketError) reloads the last save, with a message', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await runSteps(page, 4);
  const snap = await snapshot(page);
  // Make the next command fail the way a trapped WebAssembly module does.
  await page.evaluate(() => {
    window.gigmarketDemo.session.market.autopilotStep = () => { throw new WebAssembly.RuntimeError('unreachable'); };
  });
  await page.locator('#step').click();
  const msg = page.locator('.message[data-id="failure"]');
  await msg.waitFor();
  assert.match(await msg.innerText(), /The engine failed during Autopilot step \(RuntimeError: unreachable\)\. The market was reloaded from the last save \(Day 1 · 00:40\)/);
  assert.equal(await snapshot(page), snap);
  // The reloaded market works.
  await page.locator('#step').click();
  await page.waitForFunction(() => window.gigmarketDemo.session.now === 5 * 600_000);
  assertClean(problems);
  await context.close();
});

test('the file kept after a corrupt save imports its market (issue 14, bug 9)', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await runSteps(page, 6);
  const snap = await snapshot(page);
  // A saved value the page cannot use as a whole (its log is not a list), with a sound market.
  const raw = JSON.stringify({ format: 'gigmarket-demo', version: 1, now: 3_600_000, snapshot: snap, log: 'oops', series: {} });
  await reloadWithSaved(page, raw);
  const msg = page.locator('.message[data-id="corrupt"]');
  await msg.waitFor();
  assert.notEqual(await snapshot(page), snap, 'a fresh market');
  const [download] = await Promise.all([page.waitForEvent('download'), msg.getByRole('button', { name: 'Download the kept value' }).click()]);
  await page.setInputFiles('#import-file', await download.path());
  const outcome = page.locator('.message[data-id="outcome"]', { hasText: 'Imported the market' });
  await outcome.waitFor();
  assert.match(await outcome.innerText(), /left out \(the event log is not a list\)/);
  assert.equal(await snapshot(page), snap, 'the kept market is back');
  assertClean(problems);
  await context.close();
});

/** Replace everything the page stored with `raw` under the demo's key, then reload. */
async function reloadWithSaved(page, raw) {
  await page.evaluate(([k, v]) => {
    for (const key of Object.keys(localStorage)) localStorage.removeItem(key);
    localStorage.setItem(k, v);
  }, [KEY, raw]);
  await reload(page);
}
