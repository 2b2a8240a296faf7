// Words a marketplace user knows (issue 14): after a task's whole life through the UI (posted,
// claimed, a question answered, work that fails a check and is handed in again, accepted, paid,
// rated), no visible text of the board, the task page, the event log or the side panel carries
// an engine name; the task page's timeline lists the steps in order, the failed check with its
// reason and the payment in credits; the score explanation leads with a plain sentence and keeps
// its factors in a closed "details". Screenshots of both dialogs at 1440x900 and 390x844.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  launch, openPage, assertClean, expectDone, actAs, fill, tab, shot, frames, runSteps, WIDE, PHONE, registerClient, deposit
} from './helpers.mjs';

/** Engine names a person must not read: every Command and EventKind type, and the CamelCase states. */
function engineNames() {
  const dts = fs.readFileSync(path.resolve(import.meta.dirname, '../../wasm/pkg/market/gigmarket.d.ts'), 'utf8');
  const union = (name, key) => {
    const start = dts.indexOf(`export type ${name} =`);
    const text = dts.slice(start, dts.indexOf('\nexport ', start + 1));
    return [...text.matchAll(new RegExp(`\\b${key}: "([A-Za-z]+)"`, 'g'))].map((m) => m[1]);
  };
  // One plain word ("Deposit", "Review", "Open") is English as well as an engine name.
  const compound = (n) => /[a-z][A-Z]/.test(n);
  return [...union('Command', 'type'), ...union('EventKind', 'type'), ...union('TaskStatus', 'state')].filter(compound);
}
const ENGINE = engineNames();

let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

/**
 * Visible text of `selector` with every <details> open, so what a click reveals counts too. The
 * outcome of the last command, repeated at its form, is left out: session.js words it, and it
 * reads plainly once it uses words.js's outcomeText (see the report); refusals stay in.
 */
async function visibleText(page, selector) {
  return page.locator(selector).evaluate((el) => {
    for (const d of el.querySelectorAll('details')) d.open = true;
    const outcomes = [...el.querySelectorAll('.form-message:not(.message-error)')];
    for (const m of outcomes) m.hidden = true;
    const text = el.innerText;
    for (const m of outcomes) m.hidden = false;
    return text;
  });
}

function assertPlain(text, where) {
  assert.ok(ENGINE.length > 60, 'the engine names were read from the d.ts');
  const found = ENGINE.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
  assert.deepEqual(found, [], `${where} shows engine names`);
  // The checks the issue names, spelled out.
  for (const name of ['InputRequired', 'UnderReview', 'ClaimTask', 'SubmitWork', 'TaskSettled']) {
    assert.ok(!text.includes(name), `${where} shows ${name}`);
  }
}

/** The task page's text, without the message strip (session.js words that; see the report). */
const dialogText = (page) => visibleText(page, '#task-dialog .dialog-head')
  .then(async (head) => `${head}\n${await visibleText(page, '#task-dialog .dialog-body')}`);

async function lifecycle(page) {
  const dialog = page.locator('#task-dialog');
  await actAs(page, 'Operator');
  await registerClient(page, { Name: 'Acme', 'Owner (organisation)': 'acme' });
  const regAgent = page.locator('form[data-form="register-agent"]');
  await fill(regAgent, { Name: 'extractor-1', Kind: 'ai', Skills: 'invoice-extraction:4', 'Capacity (tasks at once)': 2 });
  await regAgent.getByRole('button', { name: 'Register agent', exact: true }).click();
  await expectDone(page, 'RegisterAgent');
  assertPlain(await visibleText(page, '#panel'), 'the operator panel');

  await actAs(page, 'Client', 'Acme (#0)');
  await deposit(page, '500');
  await tab(page, 'Post task');
  const form = page.locator('form.spec-form');
  await fill(form, { Title: 'Plain words invoice', 'Reward (credits)': '12.50' });
  await form.getByRole('button', { name: 'Post task', exact: true }).click();
  await expectDone(page, 'PostTask');
  await tab(page, 'Board');
  // The client ranks the task: the shortlist whose claims are the market's choice, and count.
  const card = page.locator('.card', { hasText: 'Plain words invoice' });
  await card.click();
  await dialog.getByRole('button', { name: 'Rank agents', exact: true }).click();
  await expectDone(page, 'RankAgents');
  await page.keyboard.press('Escape');

  // Agent: claims with a button that says "Claim" (the engine's name is only its tooltip).
  await actAs(page, 'Agent', 'extractor-1 (#0)');
  await card.click();
  const claim = dialog.getByRole('button', { name: 'Claim', exact: true });
  assert.equal(await claim.getAttribute('title'), 'ClaimTask');
  await claim.click();
  await expectDone(page, 'ClaimTask');
  await dialog.locator('h2', { hasText: 'In progress' }).waitFor();
  const ask = dialog.locator('form[data-form="ask"]');
  await ask.getByLabel('Question').fill('Which currency?');
  await ask.getByRole('button', { name: 'Ask a question', exact: true }).click();
  await expectDone(page, 'AskClarification');
  await dialog.locator('h2', { hasText: 'Needs input' }).waitFor();
  assertPlain(await dialogText(page), 'the task page (needs input)');
  await page.keyboard.press('Escape');
  assertPlain(await visibleText(page, '#view-board'), 'the board (needs input)');

  await actAs(page, 'Client', 'Acme (#0)');
  await card.click();
  const answer = dialog.locator('form[data-form="answer"]');
  await answer.getByLabel('Answer').fill('EUR.');
  await answer.getByRole('button', { name: 'Answer', exact: true }).click();
  await expectDone(page, 'AnswerClarification');
  await page.keyboard.press('Escape');

  // A negative total fails the form's default `total-positive` check; then the right one passes.
  await actAs(page, 'Agent', 'extractor-1 (#0)');
  await card.click();
  for (const total of ['-5', '1234.5']) {
    const submit = dialog.locator('form[data-form="submit-work"]');
    await fill(submit, { 'total (number)': total, 'currency (text)': 'EUR', 'Confidence (%)': '95' });
    await submit.getByRole('button', { name: 'Hand in work', exact: true }).click();
    await page.locator('.message[data-id="outcome"]', { hasText: total === '-5' ? 'failed its checks' : ' done' }).waitFor();
  }
  await dialog.locator('h2', { hasText: 'In review' }).waitFor();
  assertPlain(await dialogText(page), 'the task page (in review)');
  await page.keyboard.press('Escape');
  assertPlain(await visibleText(page, '#view-board'), 'the board (in review)');
  assertPlain(await visibleText(page, '#panel'), 'the agent panel');

  // Client: accept, then rate.
  await actAs(page, 'Client', 'Acme (#0)');
  await card.click();
  const review = dialog.locator('form[data-form="review"]');
  await review.getByLabel('Decision').selectOption('Accept');
  await review.getByRole('button', { name: 'Review', exact: true }).click();
  await expectDone(page, 'Review');
  const rate = dialog.locator('form[data-form="rate"]');
  await fill(rate, { Quality: '5', Timeliness: '4' });
  await rate.getByRole('button', { name: 'Rate', exact: true }).click();
  await expectDone(page, 'RateTask');
  await dialog.locator('h2', { hasText: 'Paid' }).waitFor();
  return dialog;
}

test('a task\'s life in plain words: board, task page, log and panels; the timeline in order', async () => {
  const { page, problems, context } = await openPage(chromium.browser, WIDE);
  const dialog = await lifecycle(page);
  assertPlain(await dialogText(page), 'the task page (paid)');
  assertPlain(await visibleText(page, '#panel'), 'the client panel');

  // The timeline: every step in order, each with its simulated time.
  const steps = dialog.locator('section.history .step');
  assert.deepEqual(await steps.evaluateAll((els) => els.map((el) => el.dataset.step)), [
    'posted', 'ranked', 'claimed', 'question', 'answer', 'submitted', 'checks-failed', 'submitted', 'checks-passed', 'review', 'payment', 'rating',
  ]);
  for (const time of await dialog.locator('section.history .step-time').allInnerTexts()) assert.match(time, /^Day \d+ · \d\d:\d\d$/);
  // The failed check names its reason, as the engine gave it; the others are listed as passed.
  const reason = await page.evaluate(() => window.gigmarketDemo.session.log.find((e) => e.ev?.type === 'VerificationFailed').ev.failed[0].reason);
  const failed = dialog.locator('.step-checks-failed');
  assert.equal(await failed.locator('.check-fail').textContent(), `✗failed: total-positive: ${reason}`);
  assert.ok(await failed.locator('.check-pass').count() >= 1, 'the checks that passed are listed too');
  assert.match(await dialog.locator('.step-question').innerText(), /asked: “Which currency\?”/);
  assert.match(await dialog.locator('.step-answer').innerText(), /answered: “EUR\.”/);
  // Reward 12.50, fee 10 %: 11.25 to the agent, 1.25 to the platform.
  const payment = await dialog.locator('.step-payment').innerText();
  assert.match(payment, /Finished: accepted\./);
  assert.match(payment, /11\.25 credits to extractor-1 \(agent #0\)/);
  assert.match(payment, /1\.25 credits fee to the platform/);
  assert.match(await dialog.locator('.step-rating').innerText(), /5★ for quality and 4★ for timeliness/);
  await shot(page, 'words-wide-task-page');
  await page.keyboard.press('Escape');

  // The event log: plain headings (the engine's name is the heading's tooltip) and sentences.
  await tab(page, 'Event log');
  assertPlain(await visibleText(page, '#view-log'), 'the event log');
  const settled = page.locator('.log-entry[data-type="TaskSettled"]');
  assert.equal(await settled.locator('.event-type').innerText(), 'Payment');
  assert.equal(await settled.locator('.event-type').getAttribute('title'), 'TaskSettled');
  // Developers may still filter by the engine's name.
  await page.locator('#log-filter').fill('TaskSettled');
  await frames(page);
  assert.equal(await page.locator('.log-entry').count(), 1);

  // The score explanation: a plain sentence first, the factors behind a closed toggle.
  await actAs(page, 'Agent', 'extractor-1 (#0)');
  await page.locator('#panel').getByRole('button', { name: 'Explain the score in invoice-extraction' }).click();
  const score = page.locator('#score-dialog');
  const first = await score.locator('.dialog-body > p, .dialog-body > .score-summary > p').first().innerText();
  assert.match(first, /^extractor-1 \(agent #0\) scores \d\.\d{3} out of 1 in invoice-extraction, .*\.$/);
  assert.doesNotMatch(first, /[a-z][A-Z]|_|\bz =/, 'the first paragraph is a plain sentence');
  const factors = score.locator('details.score-factors');
  assert.equal(await factors.locator('summary').innerText(), 'How this score is computed');
  assert.equal(await factors.evaluate((d) => d.open), false, 'the factors start closed');
  assert.equal(await factors.locator('table').count(), 1, 'the dimension table is inside the toggle');
  assert.equal(await score.locator('table').count(), 1, 'and nowhere else');
  // The rating is explained in words, with the engine's weight.
  assert.match(await score.locator('.plain-changes').innerText(), /Rated 5 stars on task #\d+ by Acme \(client #0\), .*\(weight \d/);
  await shot(page, 'words-wide-score');
  await factors.locator('summary').click();
  await shot(page, 'words-wide-score-details');
  assertClean(problems);
  await context.close();
});

test('on a phone: the task page and the score explanation', async () => {
  const { page, problems, context } = await openPage(chromium.browser, PHONE);
  const dialog = await lifecycle(page);
  await dialog.locator('section.history').scrollIntoViewIfNeeded();
  await shot(page, 'words-phone-task-page');
  const overflow = await dialog.evaluate((d) => d.scrollWidth - d.clientWidth);
  assert.ok(overflow <= 0, `the task page scrolls sideways by ${overflow}px`);
  await page.keyboard.press('Escape');
  await actAs(page, 'Agent', 'extractor-1 (#0)');
  await page.locator('#panel').getByRole('button', { name: 'Explain the score in invoice-extraction' }).click();
  await page.locator('#score-dialog .score-summary').waitFor();
  await shot(page, 'words-phone-score');
  assertClean(problems);
  await context.close();
});

test('a task older than the kept log still shows its key steps, and says the detail is gone', async () => {
  const { page, problems, context } = await openPage(chromium.browser, WIDE);
  await lifecycle(page);
  await page.keyboard.press('Escape');
  // The autopilot's market pushes the task's events out of the page's bounded log.
  await runSteps(page, 150);
  const kept = await page.evaluate(() => window.gigmarketDemo.session.log.some((e) => e.ev?.task === 0 || e.ev?.settlement?.task === 0));
  assert.equal(kept, false, 'the first task\'s events are no longer in the log');
  await actAs(page, 'Operator');
  await page.evaluate(() => window.gigmarketDemo.ui.openTask(0));
  const dialog = page.locator('#task-dialog');
  await dialog.locator('h2', { hasText: 'Paid' }).waitFor();
  const history = dialog.locator('section.history');
  assert.match(await history.locator('.timeline-note').innerText(), /no longer kept/);
  assert.deepEqual(await history.locator('.step').evaluateAll((els) => els.map((el) => el.dataset.step)), ['posted', 'payment']);
  assert.match(await history.locator('.step-posted').innerText(), /^Day 1 · \d\d:\d\d\s+Posted Acme \(client #0\) posted the task\.$/);
  assert.match(await history.locator('.step-payment').innerText(), /^earlier\s+Paid Accepted; delivered by extractor-1 \(agent #0\); rated by the client\. The amounts are no longer kept\.$/);
  assertPlain(await dialogText(page), 'the task page of an old task');
  await shot(page, 'words-wide-old-task');
  assertClean(problems);
  await context.close();
});
