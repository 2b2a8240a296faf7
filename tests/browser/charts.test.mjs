// The charts tab (issue 14: "axis titles, readable ticks, legends that do not hide lines, and no
// clipped labels"): uPlot canvases with titled axes, one legend entry per line below the plot,
// nothing wider than a phone, charts that follow the window's width, and a tab that responds fast.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, assertClean, runSteps, tab, choose, shot, frames, PHONE } from './helpers.mjs';

const WIDE = { width: 1440, height: 900 };

let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

/** What each chart shows: its title, axis titles, legend labels and where its parts are. */
function charts(page) {
  return page.locator('#view-charts figure.chart:not([hidden])').evaluateAll((figures) => figures.map((f) => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
    const plot = f.querySelector('.u-over');
    return {
      title: f.querySelector('figcaption').textContent,
      canvases: f.querySelectorAll('.uplot canvas').length,
      axisTitles: [...f.querySelectorAll('.axis-title')].map((l) => l.textContent).sort(),
      legend: [...f.querySelectorAll('.u-legend .u-series th .u-label')].map((l) => l.textContent),
      legendBoxes: [...f.querySelectorAll('.u-legend .u-series')].filter((r) => r.checkVisibility()).map(box),
      titleBoxes: Object.fromEntries([...f.querySelectorAll('.axis-title')].map((t) => [t.textContent, box(t)])),
      plot: plot && box(plot),
      figure: box(f),
      summary: f.querySelector('.visually-hidden').textContent,
    };
  }));
}

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

for (const [size, viewport] of [['desktop', WIDE], ['phone', PHONE]]) {
  test(`the charts at ${viewport.width}x${viewport.height}: titled axes, a legend per line below the plot, nothing clipped`, async () => {
    const { page, problems, context } = await openPage(chromium.browser, viewport);
    await runSteps(page, 300);
    await tab(page, 'Charts');
    await choose(page, '#chart-category', 'document-verification');
    const shown = await charts(page);

    assert.deepEqual(shown.map((c) => c.axisTitles), [
      ['Reputation score (0–1)', 'Simulated time'],
      ['Simulated time', 'Tasks per sample'],
      ['Fees (credits)', 'Simulated time'],
    ]);
    assert.match(shown[0].title, /^Reputation score over time in document-verification/);
    for (const c of shown) {
      assert.ok(c.canvases >= 1, `${c.title}: drawn by uPlot on a canvas`);
      // The first legend row is the time axis's (it shows the time under the cursor).
      assert.equal(c.legend[0], 'Simulated time');
      for (const row of c.legendBoxes) assert.ok(!overlaps(row, c.plot), `${c.title}: the legend does not cover the plot`);
      assert.ok(c.legendBoxes.every((row) => row.top >= c.plot.bottom), `${c.title}: the legend is below the plot`);
      assert.ok(c.figure.right <= viewport.width, `${c.title}: inside the window`);
      assert.ok(c.legendBoxes.length >= 1, `${c.title}: a visible legend`);
      const [yTitle, xTitle] = [Object.entries(c.titleBoxes).find(([t]) => t !== 'Simulated time')[1], c.titleBoxes['Simulated time']];
      assert.ok(yTitle.bottom <= c.plot.top, `${c.title}: the y axis title is above the plot`);
      assert.ok(xTitle.top >= c.plot.bottom && c.legendBoxes.every((row) => row.top >= xTitle.bottom), `${c.title}: the x axis title is under the axis, above the legend`);
      for (const row of c.legendBoxes) assert.ok(row.right <= c.figure.right + 1, `${c.title}: the legend wraps inside the chart`);
    }
    const agents = await page.evaluate(() => Object.keys(window.gigmarketDemo.session.series.rep.at(-1).v['document-verification']).length);
    assert.equal(shown[0].legend.length - 1, Math.min(8, agents), 'one legend entry per agent drawn (the best 8)');
    assert.ok(shown[0].legend.slice(1).every((l) => /^auto-[a-z-]+$/.test(l)), 'agents by name');
    assert.deepEqual(shown[1].legend.slice(1), ['Posted', 'Claimed', 'Paid', 'Checks failed', 'Work rejected', 'Expired']);
    assert.deepEqual(shown[2].legend.slice(1), ['Fees collected']);
    assert.match(shown[0].summary, /auto-[a-z-]+ ends at 0\.\d{3}/, 'the words for screen readers');
    assert.match(shown[1].summary, /Posted \d+; Claimed \d+/);

    // The time ticks read as simulated instants and fit the canvas (uPlot draws them on it).
    const ticks = await page.locator('#view-charts figure.chart:not([hidden])').evaluateAll((fs) => fs.map((f) => ({
      ticks: f.lineChart.timeTicks(), width: f.lineChart.plot.width,
    })));
    for (const { ticks: list, width } of ticks) {
      assert.ok(list.length >= 2, `at least two time ticks (${list.map((t) => t.text).join(", ")} over ${width} px)`);
      for (const t of list) {
        assert.match(t.text, /^Day \d+ · \d\d:\d\d$/);
        assert.ok(t.left >= 0 && t.right <= width, `"${t.text}" is not clipped (${t.left.toFixed(0)}..${t.right.toFixed(0)} of ${width})`);
      }
      for (let i = 1; i < list.length; i += 1) assert.ok(list[i].left > list[i - 1].right + 8, 'ticks do not crowd each other');
    }

    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no sideways scrolling');
    await page.locator('#view-charts').evaluate((v) => v.scrollIntoView());
    // The pointer rests off the charts, as when a person reads them (hovering shows values).
    await page.mouse.move(1, viewport.height - 1);
    await shot(page, `${size}-charts-uplot`);
    assertClean(problems);
    await context.close();
  });
}

test('the charts follow the window width, update in place and the tab responds fast', async (t) => {
  const { page, problems, context } = await openPage(chromium.browser, WIDE);
  await runSteps(page, 300);
  await tab(page, 'Charts');
  const canvas = page.locator('#view-charts figure.chart').first().locator('canvas');
  const wideWidth = await canvas.evaluate((c) => c.getBoundingClientRect().width);

  // The instances are kept: new samples go in through setData, not a new chart.
  await page.locator('#view-charts .uplot').first().evaluate((el) => { el.dataset.kept = 'yes'; });
  const before = await canvas.evaluate((c) => c.toDataURL());
  await runSteps(page, 20);
  assert.equal(await page.locator('#view-charts .uplot[data-kept="yes"]').count(), 1, 'the same chart element');
  assert.notEqual(await canvas.evaluate((c) => c.toDataURL()), before, 'showing the new samples');

  // Another category's best agents: the same chart swaps its lines and legend.
  const legend = () => page.locator('#view-charts figure.chart').first().locator('.u-legend .u-series th .u-label').allInnerTexts();
  const overall = await legend();
  await choose(page, '#chart-category', 'document-verification');
  const documents = await page.evaluate(() => {
    const { series, market } = window.gigmarketDemo.session;
    const best = Object.entries(series.rep.at(-1).v['document-verification']).sort((x, y) => y[1] - x[1]).slice(0, 8);
    return best.map(([id]) => market.agent(Number(id))?.name ?? id);
  });
  assert.deepEqual((await legend()).slice(1), documents, 'the best agents in document verification, best first');
  assert.notDeepEqual(await legend(), overall);
  assert.equal(await page.locator('#view-charts .uplot[data-kept="yes"]').count(), 1, 'still the same chart element');

  await page.setViewportSize(PHONE);
  await frames(page);
  await page.waitForFunction((w) => document.querySelector('#view-charts canvas').getBoundingClientRect().width < w - 400, wideWidth);
  const phoneWidth = await canvas.evaluate((c) => c.getBoundingClientRect().width);
  assert.ok(phoneWidth <= PHONE.width, `fits a phone (${phoneWidth} px)`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no sideways scrolling');

  // A click on the tab, measured from the click to the drawn frame (the brief: well under 100 ms).
  await page.setViewportSize(WIDE);
  await tab(page, 'Board');
  const ms = await page.evaluate(() => new Promise((resolve) => {
    const started = performance.now();
    document.querySelector('#tab-charts').click();
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
  }));
  t.diagnostic(`charts tab: ${ms.toFixed(1)} ms from the click to the drawn frame`);
  assert.ok(ms < 100, `the charts tab drew in ${ms.toFixed(1)} ms`);
  assertClean(problems);
  await context.close();
});
