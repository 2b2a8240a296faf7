// Issue 14: the first screen says what this is and offers one obvious start; "Run a market for a
// day" fills the market and points at what to look at, each pointer going where it says; Play then
// Pause tells what happened while time ran.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, reload, frames, shot, PHONE } from './helpers.mjs';

const WIDE = { width: 1440, height: 900 };
let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

for (const [size, viewport] of [['wide', WIDE], ['phone', PHONE]]) {
  test(`first screen and "Run a market for a day" (${size})`, async () => {
    const { page, problems, context } = await openPage(chromium.browser, viewport);
    const guide = page.locator('#welcome');
    await guide.waitFor();
    assert.match(await guide.innerText(), /marketplace for AI agents and people/);
    const start = guide.getByRole('button', { name: 'Run a market for a day' });
    assert.ok(await start.isVisible(), 'the start is visible without scrolling');
    const box = await start.boundingBox();
    assert.ok(box.y + box.height <= viewport.height, `the start button is in the first screen (bottom at ${box.y + box.height})`);
    await shot(page, `welcome-${size}`);

    await start.click();
    await frames(page);
    const day = await page.evaluate(() => ({ now: window.gigmarketDemo.session.now, tasks: window.gigmarketDemo.session.views({ type: 'Operator' }).length }));
    assert.equal(day.now, 24 * 3600_000, 'one simulated day passed');
    assert.ok(day.tasks > 0, 'the day filled the market');
    assert.match(await guide.innerText(), new RegExp(`The market ran: ${day.tasks.toLocaleString('en-US')} tasks`));
    await shot(page, `welcome-tour-${size}`);

    // Each pointer goes where it says.
    await guide.getByRole('button', { name: /^Open task #\d+$/ }).click();
    await page.locator('#task-dialog[open]').waitFor();
    await page.locator('#task-dialog .dialog-close').click();
    await guide.getByRole('button', { name: 'Show the leaderboard' }).click();
    await frames(page);
    assert.equal(await page.locator('#tab-leaderboard').getAttribute('aria-selected'), 'true');
    await guide.getByRole('button', { name: 'Act as a client' }).click();
    await frames(page);
    assert.equal(await page.locator('#role-type').inputValue(), 'Client');

    // Closed, it stays closed after a reload; the header's Guide brings it back.
    await guide.getByRole('button', { name: 'Close the guide' }).first().click();
    await frames(page);
    assert.equal(await guide.isHidden(), true);
    await reload(page);
    assert.equal(await page.locator('#welcome').isHidden(), true, 'closed stays closed');
    await page.locator('#guide').click();
    await frames(page);
    assert.equal(await page.locator('#welcome').isVisible(), true);
    assertClean(problems);
    await context.close();
  });
}

for (const [size, viewport] of [['wide', WIDE], ['phone', PHONE]]) {
  test(`Play, then Pause, says what happened while time ran (${size})`, async () => {
    const { page, problems, context } = await openPage(chromium.browser, viewport);
    await page.locator('#speed').selectOption('0');
    const play = page.getByRole('button', { name: 'Play' });
    await play.click();
    await page.waitForFunction(() => window.gigmarketDemo.session.now >= 12 * 3600_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    const notice = page.locator('#messages .message-info');
    await notice.waitFor();
    const text = await notice.innerText();
    assert.match(text, /While time ran \(Day 1 · 00:00 → Day \d+ · \d\d:\d\d\): tasks \d[\d,]* posted/);
    const posted = await page.evaluate(() => window.gigmarketDemo.session.views({ type: 'Operator' }).length);
    assert.match(text, new RegExp(`${posted.toLocaleString('en-US')} posted`), 'the notice counts every task posted');
    assert.ok(await page.getByRole('button', { name: 'Play' }).isVisible());
    await shot(page, `play-notice-${size}`);
    assertClean(problems);
    await context.close();
  });
}
