// Every main view at 1280x720 and at phone width (390x844): screenshots into tests/artifacts/ for
// a person to look at, plus the checks a screenshot cannot make by itself: no sideways scrolling
// of the page, every control labelled, the tabs and dialogs usable from the keyboard.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, assertClean, runSteps, tab, choose, frames, shot, actAs, fill, expectDone, DESKTOP, PHONE, registerClient
} from './helpers.mjs';

let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

/** A market with the autopilot's parties plus people of every role, and a task in human review. */
async function populate(page) {
  await runSteps(page, 40);
  await actAs(page, 'Operator');
  await registerClient(page);
  await page.locator('form[data-form="register-reviewer"]').getByRole('button').click();
  await expectDone(page, 'RegisterReviewer');
  const regAgent = page.locator('form[data-form="register-agent"]');
  await fill(regAgent, { Name: 'careful-human', Kind: 'human', Skills: 'invoice-extraction:5' });
  await regAgent.getByRole('button').click();
  await expectDone(page, 'RegisterAgent');
  // The person's client posts a task whose low-confidence work goes to the human reviewer.
  await actAs(page, 'Client', 'Acme (#8)');
  await page.locator('#panel').getByRole('button', { name: 'Deposit', exact: true }).click();
  await tab(page, 'Post task');
  await fill(page.locator('form.spec-form'), { Title: 'Check the invoice by hand', 'Human review below confidence (%)': '99' });
  await page.getByRole('button', { name: 'Post task', exact: true }).click();
  await expectDone(page, 'PostTask');
  const id = await page.evaluate(() => window.gigmarketDemo.session.market.tasks().length - 1);
  await actAs(page, 'Agent', 'careful-human (#7)');
  await page.evaluate((task) => window.gigmarketDemo.ui.openTask(task), id);
  await page.getByRole('button', { name: 'Claim', exact: true }).click();
  await expectDone(page, 'ClaimTask');
  const submit = page.locator('form[data-form="submit-work"]');
  await fill(submit, { 'total (number)': '99.5', 'currency (text)': 'EUR', 'Confidence (%)': '90' });
  await submit.getByRole('button', { name: 'Hand in work', exact: true }).click();
  await expectDone(page, 'SubmitWork');
  await page.keyboard.press('Escape');
  return id;
}

/** Text a person should never read: a value the page failed to format. */
async function noGarbage(page, where) {
  const text = await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    return document.body.innerText + [...document.querySelectorAll('dialog[open]')].map((d) => d.innerText).join('');
  });
  for (const bad of ['[object Object]', 'undefined', 'NaN']) assert.ok(!text.includes(bad), `${where}: the page shows "${bad}"`);
}

async function noSidewaysScroll(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${where}: the page scrolls sideways by ${overflow}px`);
}

/** The leaderboard fits its panel: no column (the Explain buttons last) hidden behind a sideways scroll. */
async function leaderboardFits(page, where) {
  const hidden = await page.evaluate(() => {
    const table = document.querySelector('#view-leaderboard table');
    return table.getBoundingClientRect().width - table.parentElement.clientWidth;
  });
  assert.ok(hidden <= 0, `${where}: the leaderboard hides ${hidden}px of its columns behind a sideways scroll`);
}

async function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => el.offsetParent !== null || el.closest('dialog[open]'))
    .filter((el) => el.type !== 'hidden')
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
      || (el.tagName === 'BUTTON' && el.textContent.trim())))
    .map((el) => el.outerHTML.slice(0, 120)));
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`every main view at ${viewport.width}x${viewport.height}`, async () => {
    const { page, problems, context } = await openPage(chromium.browser, viewport);
    const reviewTask = await populate(page);

    await actAs(page, 'Operator');
    await tab(page, 'Board');
    await shot(page, `${size}-board-operator`);
    await noGarbage(page, 'board');
    await noSidewaysScroll(page, 'board');
    assert.deepEqual(await unlabelled(page), [], 'operator view: every control has a name');
    await page.locator('aside').screenshot({ path: `${process.env.ARTIFACTS ?? '../artifacts'}/${size}-panel-operator.png` });

    for (const [name, file] of [['Leaderboard', 'leaderboard'], ['Charts', 'charts'], ['Event log', 'log'], ['Fairness', 'fairness']]) {
      await tab(page, name);
      if (file === 'leaderboard') await choose(page, '#lb-category', 'document-verification');
      await page.locator('#main').evaluate((m) => m.scrollIntoView());
      await shot(page, `${size}-${file}`);
      await noSidewaysScroll(page, name);
      await noGarbage(page, name);
      if (file === 'leaderboard') await leaderboardFits(page, `${size} leaderboard`);
    }
    await tab(page, 'Leaderboard');
    await page.getByRole('button', { name: /Explain auto-[a-z-]+'s score/ }).first().click();
    // The changes lead in plain sentences; their factors wait behind "How this score is computed".
  await page.locator('#score-dialog .plain-changes').waitFor();
    await shot(page, `${size}-score-explanation`);
    await noGarbage(page, 'score explanation');
    assert.deepEqual(await unlabelled(page), []);
    await page.keyboard.press('Escape');

    await actAs(page, 'Client', 'Acme (#8)');
    await tab(page, 'Post task');
    await page.locator('#main').evaluate((m) => m.scrollIntoView());
    await shot(page, `${size}-post-task`);
    await noSidewaysScroll(page, 'post task');
    assert.deepEqual(await unlabelled(page), [], 'post form: every control has a name');

    await actAs(page, 'Reviewer', 'Rita (#1)');
    await page.locator('#panel').getByRole('button', { name: new RegExp(`#${reviewTask} `) }).click();
    await page.locator('#task-dialog form[data-form="review"]').waitFor();
    await shot(page, `${size}-task-review`);
    await noGarbage(page, 'task review');
    assert.deepEqual(await unlabelled(page), [], 'task dialog: every control has a name');
    await page.keyboard.press('Escape');

    await actAs(page, 'Agent', 'auto-careful-verifier (#0)');
    await tab(page, 'Board');
    await page.locator('aside').screenshot({ path: `${process.env.ARTIFACTS ?? '../artifacts'}/${size}-panel-agent.png` });
    const held = page.locator('.task-row[data-state="Claimed"] .card').first();
    if (await held.count()) {
      await held.click();
      await shot(page, `${size}-task-agent`);
      await page.keyboard.press('Escape');
    }
    await noSidewaysScroll(page, 'agent');
    assertClean(problems);
    await context.close();
  });
}

test('the tabs and the dialogs work from the keyboard', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await runSteps(page, 3);
  const board = page.getByRole('tab', { name: 'Board', exact: true });
  await board.focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Leaderboard');
  assert.equal(await page.getByRole('tab', { name: 'Leaderboard', exact: true }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('#view-leaderboard').isVisible(), true);
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Ledger');
  await page.keyboard.press('Home');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Board');

  // Open a card with the keyboard; Escape closes the dialog and focus returns to the card, even
  // when the board was redrawn meanwhile and the card that opened it is gone.
  await frames(page);
  const card = page.locator('.card').first();
  const taskId = await card.getAttribute('data-task');
  await card.focus();
  await card.evaluate((el) => { window.openerCard = el; });
  await page.keyboard.press('Enter');
  await page.locator('#task-dialog[open]').waitFor();
  await page.evaluate(() => window.gigmarketDemo.ui.render());
  await frames(page);
  assert.equal(await page.evaluate(() => window.openerCard.isConnected), false, 'the redraw replaced the card');
  await page.keyboard.press('Escape');
  await frames(page);
  assert.deepEqual(await page.evaluate(() => [document.activeElement.className, document.activeElement.dataset.task]), ['card', taskId]);

  // The same for the score explanation and the leaderboard's Explain button.
  // In the first category the market has (after three steps it may not have a given one yet).
  await tab(page, 'Leaderboard');
  const category = await page.locator('#lb-category option:nth-child(2)').getAttribute('value');
  await choose(page, '#lb-category', category);
  const explain = page.getByRole('button', { name: /^Explain .*'s score$/ }).first();
  const label = await explain.getAttribute('aria-label');
  await explain.focus();
  await page.keyboard.press('Enter');
  await page.locator('#score-dialog[open]').waitFor();
  await page.evaluate(() => window.gigmarketDemo.ui.render());
  await frames(page);
  await page.keyboard.press('Escape');
  await frames(page);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), label);
  assertClean(problems);
  await context.close();
});
