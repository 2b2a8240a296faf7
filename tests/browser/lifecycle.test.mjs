// A task's whole life through the UI, as the people involved would do it: the operator registers
// a client and an agent; the client funds its account and posts a task from the form; the agent
// sees it is eligible, claims it (and only then sees the confidential input), submits output with
// a self-check; the client accepts and rates; the log explains the settlement and the score change.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, assertClean, expectDone, expectRefused, actAs, fill, tab, registerClient, deposit
} from './helpers.mjs';
import { stateLabel } from '../../web-demo/js/words.js';

let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

test('post, claim, submit, accept and rate through the UI; refusals are shown', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  const side = page.locator('#panel');

  // Operator: register the parties.
  await actAs(page, 'Operator');
  await registerClient(page, { Name: 'Acme', 'Owner (organisation)': 'acme' });
  const regAgent = page.locator('form[data-form="register-agent"]');
  await fill(regAgent, { Name: 'extractor-1', Kind: 'ai', Skills: 'invoice-extraction:4', 'Capacity (tasks at once)': 2 });
  await regAgent.getByRole('button').click();
  await expectDone(page, 'RegisterAgent');

  // Client: fund the account, post from the form.
  await actAs(page, 'Client', 'Acme (#0)');
  await deposit(page, '500');
  await tab(page, 'Post task');
  const form = page.locator('form.spec-form');
  await fill(form, { Title: 'E2E invoice total', 'Reward (credits)': '12.50', 'Min self-reported confidence (%)': '80' });
  await form.getByRole('button', { name: 'Post task', exact: true }).click();
  await expectDone(page, 'PostTask');
  await tab(page, 'Board');
  const card = page.locator('.task-row[data-state="Open"] .card', { hasText: 'E2E invoice total' });
  await card.waitFor();

  // Agent: eligible; the confidential input is hidden until it holds the task.
  await actAs(page, 'Agent', 'extractor-1 (#0)');
  await page.locator('.task-row[data-state="Open"]', { hasText: 'E2E invoice total' }).locator('.badge.yes').waitFor();
  await page.locator('.task-row[data-state="Open"] .card', { hasText: 'E2E invoice total' }).click();
  const dialog = page.locator('#task-dialog');
  await dialog.getByText('You may take this task.').waitFor();
  await dialog.getByText('hidden from you').waitFor();
  await dialog.getByRole('button', { name: 'Claim', exact: true }).click();
  await expectDone(page, 'ClaimTask');
  await dialog.getByText('demo://acme/invoice-7.pdf').waitFor();
  const submit = dialog.locator('form[data-form="submit-work"]');
  await fill(submit, { 'total (number)': '1234.5', 'currency (text)': 'EUR', 'Confidence (%)': '95' });
  await submit.getByRole('button', { name: 'Hand in work', exact: true }).click();
  await expectDone(page, 'SubmitWork');
  // The outcome names the checks' result: the engine's event name until session.js words it
  // with words.js's outcomeText ("checks passed"), then the plain words.
  assert.match(await page.locator('.message[data-id="outcome"]').innerText(), /checks passed/);
  await dialog.getByRole('button', { name: 'Close the task' }).click();

  // Agent: a refusal (more than it has) shows the engine's message and code.
  await side.getByLabel('Withdraw (credits)').fill('1000');
  await side.getByRole('button', { name: 'Withdraw', exact: true }).click();
  assert.match(await expectRefused(page, 'insufficient_funds'), /Withdraw refused/);

  // Client: accept and rate.
  await actAs(page, 'Client', 'Acme (#0)');
  await page.locator('.task-row[data-state="UnderReview"] .card', { hasText: 'E2E invoice total' }).click();
  const review = dialog.locator('form[data-form="review"]');
  await review.getByLabel('Decision').selectOption('Accept');
  await review.getByRole('button', { name: 'Review' }).click();
  await expectDone(page, 'Review');
  const rate = dialog.locator('form[data-form="rate"]');
  await fill(rate, { Quality: '5', Timeliness: '4' });
  await rate.getByRole('button', { name: 'Rate', exact: true }).click();
  await expectDone(page, 'RateTask');
  await dialog.getByText('accepted, rated').waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await dialog.evaluate((d) => d.open), false, 'Escape closes the dialog');
  await page.locator('.task-row[data-state="Settled"] .card', { hasText: 'E2E invoice total' }).waitFor();

  // The agent was paid the reward less the 10 % fee, and its score moved, with reasons.
  await actAs(page, 'Agent', 'extractor-1 (#0)');
  await side.getByText('11.25').waitFor();
  await tab(page, 'Event log');
  const settled = page.locator('.log-entry[data-type="TaskSettled"]');
  assert.match(await settled.innerText(), /settled \(accepted\): 11\.25 to extractor-1/);
  await settled.getByText('Outcome (what reputation reads)').click();
  await settled.getByText('Reputation changes').click();
  assert.match(await settled.innerText(), /score \d\.\d{3} → \d\.\d{3}/);
  const rated = page.locator('.log-entry[data-type="TaskRated"]');
  assert.match(await rated.innerText(), /quality 5, timeliness 4\./);
  await page.evaluate(() => window.gigmarketDemo.session.market.audit());

  assertClean(problems);
  await context.close();
});

test('an ineligible agent is told why; another client may look, not act; the owner cancels', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await actAs(page, 'Operator');
  await registerClient(page);
  const regAgent = page.locator('form[data-form="register-agent"]');
  await fill(regAgent, { Name: 'novice', Skills: 'invoice-extraction:1' });
  await regAgent.getByRole('button').click();
  await expectDone(page, 'RegisterAgent');
  await actAs(page, 'Client', 'Acme (#0)');
  await page.locator('#panel').getByRole('button', { name: 'Deposit', exact: true }).click();
  await tab(page, 'Post task');
  await page.getByRole('button', { name: 'Post task', exact: true }).click();
  await expectDone(page, 'PostTask');
  await tab(page, 'Board');

  await actAs(page, 'Agent', 'novice (#0)');
  const row = page.locator('.task-row[data-state="Open"]').first();
  await row.locator('.badge.no').waitFor();
  await row.click();
  const dialog = page.locator('#task-dialog');
  assert.match(await dialog.locator('.reasons').innerText(), /invoice-extraction/);
  await dialog.getByRole('button', { name: 'Claim', exact: true }).click();
  assert.match(await expectRefused(page, 'not_eligible'), /Claim refused/);
  // The page behind the modal dialog is dimmed: the refusal is repeated inside the dialog.
  assert.match(await dialog.locator('.dialog-message[role="alert"]').innerText(), /Claim refused: .*invoice-extraction/);
  await dialog.getByRole('button', { name: 'Close the task' }).click();

  // Another client may look at the task (its confidential input redacted) but not act on it.
  await actAs(page, 'Operator');
  await registerClient(page, { Name: 'Beta', 'Owner (organisation)': 'beta' });
  await actAs(page, 'Client', 'Beta (#1)');
  await page.locator('.task-row[data-state="Open"] .card').first().click();
  await dialog.getByText('Another client posted this task: you may look, not act.').waitFor();
  await dialog.getByText('hidden from you').waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Cancel task', exact: true }).count(), 0);
  await dialog.getByRole('button', { name: 'Close the task' }).click();

  // The operator sees the task but has no client actions on it.
  await actAs(page, 'Operator');
  await page.locator('.task-row[data-state="Open"] .card').first().click();
  await dialog.getByText('Best agents for this task').waitFor();
  await dialog.getByRole('button', { name: 'Rank agents', exact: true }).click();
  await expectDone(page, 'RankAgents');
  await dialog.getByRole('button', { name: 'Close the task' }).click();

  // Its client cancels it; the escrow comes back.
  await actAs(page, 'Client', 'Acme (#0)');
  await page.locator('.task-row[data-state="Open"] .card').first().click();
  await dialog.getByRole('button', { name: 'Cancel task', exact: true }).click();
  await expectDone(page, 'CancelTask');
  await dialog.locator('h2', { hasText: 'Cancelled' }).waitFor();
  await dialog.getByRole('button', { name: 'Close the task' }).click();
  assert.match(await page.locator('#panel').innerText(), /Balance\s+1,000\.00/);
  assertClean(problems);
  await context.close();
});

test('bids and award, a clarification round, a rejection disputed and split by the operator', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  const dialog = page.locator('#task-dialog');
  const open = async (state) => {
    await page.locator(`.task-row[data-state="${state}"] .card`, { hasText: 'Translate the brochure' }).click();
    await dialog.locator('h2', { hasText: stateLabel(state) }).waitFor();
  };
  const close = () => dialog.getByRole('button', { name: 'Close the task' }).click();

  await actAs(page, 'Operator');
  await page.locator('form[data-form="register-client"]').getByRole('button').click();
  await expectDone(page, 'RegisterClient');
  const regAgent = page.locator('form[data-form="register-agent"]');
  for (const name of ['bidder-1', 'bidder-2']) {
    await fill(regAgent, { Name: name, Skills: 'translation:4', 'Owner (organisation)': `${name}-org` });
    await regAgent.getByRole('button').click();
    await expectDone(page, 'RegisterAgent');
  }

  // A bid-priced task, awarded by hand.
  await actAs(page, 'Client', 'Acme (#0)');
  await page.locator('#panel').getByRole('button', { name: 'Deposit', exact: true }).click();
  await tab(page, 'Post task');
  const form = page.locator('form.spec-form');
  await fill(form, {
    Title: 'Translate the brochure', Category: 'translation', Pricing: 'Bids', 'Ceiling (credits)': '20.00', 'Award policy': 'client',
  });
  await form.getByLabel('Skill', { exact: true }).fill('translation');
  await form.getByRole('button', { name: 'Post task', exact: true }).click();
  await expectDone(page, 'PostTask');
  await tab(page, 'Board');
  for (const [agent, price] of [['bidder-1 (#0)', '15.00'], ['bidder-2 (#1)', '12.00']]) {
    await actAs(page, 'Agent', agent);
    await open('Open');
    await fill(dialog, { 'Price (credits)': price });
    await dialog.getByRole('button', { name: 'Bid', exact: true }).click();
    await expectDone(page, 'PlaceBid');
    await close();
  }
  await actAs(page, 'Client', 'Acme (#0)');
  await open('Open');
  const bids = dialog.locator('section', { hasText: 'Bids' }).first();
  assert.match(await bids.innerText(), /bidder-1 \(agent #0\): 15\.00[\s\S]*bidder-2 \(agent #1\): 12\.00/);
  await bids.locator('li', { hasText: 'bidder-1' }).getByRole('button', { name: 'Hire', exact: true }).click();
  await expectDone(page, 'AwardBid');
  await dialog.locator('h2', { hasText: 'In progress' }).waitFor();
  await close();

  // A question pauses the lease; the answer resumes it.
  await actAs(page, 'Agent', 'bidder-1 (#0)');
  await open('Claimed');
  const ask = dialog.locator('form[data-form="ask"]');
  await ask.getByLabel('Question').fill('Which currency should totals use?');
  await ask.getByRole('button').click();
  await expectDone(page, 'AskClarification');
  await close();
  await actAs(page, 'Client', 'Acme (#0)');
  await open('InputRequired');
  await dialog.getByText('Which currency should totals use?', { exact: true }).waitFor();
  const answer = dialog.locator('form[data-form="answer"]');
  await answer.getByLabel('Answer').fill('EUR, please.');
  await answer.getByRole('button').click();
  await expectDone(page, 'AnswerClarification');
  await close();

  // Work submitted, rejected citing a criterion, disputed, split by the operator.
  await actAs(page, 'Agent', 'bidder-1 (#0)');
  await open('Claimed');
  // The handled question and its answer stay in the task's history (issue 14, bug 3).
  const history = await dialog.locator('section.history').innerText();
  assert.match(history, /Which currency should totals use\?/);
  assert.match(history, /EUR, please\./);
  assert.ok(history.indexOf('Which currency') < history.indexOf('EUR, please'), 'oldest first');
  const submit = dialog.locator('form[data-form="submit-work"]');
  await fill(submit, { 'total (number)': '10', 'currency (text)': 'EUR' });
  await submit.getByRole('button', { name: 'Hand in work', exact: true }).click();
  await expectDone(page, 'SubmitWork');
  await close();
  await actAs(page, 'Client', 'Acme (#0)');
  await open('UnderReview');
  const review = dialog.locator('form[data-form="review"]');
  await review.getByLabel('Decision').selectOption('Reject');
  await review.getByLabel('Note or reason').fill('The total is wrong.');
  await review.getByLabel('total-positive').check();
  await review.getByRole('button', { name: 'Review' }).click();
  await expectDone(page, 'Review');
  await close();
  await actAs(page, 'Agent', 'bidder-1 (#0)');
  await open('Rejected');
  const dispute = dialog.locator('form[data-form="dispute"]');
  await dispute.getByLabel('Why the rejection is wrong').fill('The total matches the invoice.');
  await dispute.getByRole('button').click();
  await expectDone(page, 'OpenDispute');
  await close();
  await actAs(page, 'Operator');
  await page.locator('#panel').getByRole('button', { name: /Translate the brochure/ }).click();
  await fill(dialog, { Resolution: 'Split', 'To the agent, for a split (credits)': '10.00' });
  await dialog.getByRole('button', { name: 'Resolve dispute', exact: true }).click();
  await expectDone(page, 'ResolveDispute');
  await dialog.getByText('disputed, money split, not rated').waitFor();
  await close();

  // 10.00 less the 10 % fee to the agent; the rest of the 20.00 ceiling back to the client.
  await tab(page, 'Event log');
  assert.match(await page.locator('.log-entry[data-type="TaskSettled"]').innerText(),
    /settled \(disputed, money split\): 9\.00 to bidder-1 \(agent #0\), 1\.00 fee, 10\.00 back to Acme/);
  await page.evaluate(() => window.gigmarketDemo.session.market.audit());
  assertClean(problems);
  await context.close();
});

test('time passes on the simulated clock: an unclaimed task expires and its escrow comes back', async () => {
  const { page, problems, context } = await openPage(chromium.browser);
  await actAs(page, 'Operator');
  await page.locator('form[data-form="register-client"]').getByRole('button').click();
  await expectDone(page, 'RegisterClient');
  await actAs(page, 'Client', 'Acme (#0)');
  await page.locator('#panel').getByRole('button', { name: 'Deposit', exact: true }).click();
  await tab(page, 'Post task');
  await fill(page.locator('form.spec-form'), { 'Claim by (hours from now)': '12' });
  await page.getByRole('button', { name: 'Post task', exact: true }).click();
  await expectDone(page, 'PostTask');
  assert.match(await page.locator('#next-deadline').innerText(), /in 12h/);
  await page.getByRole('button', { name: '+1 h' }).click();
  await page.locator('#clock', { hasText: 'Day 1 · 01:00' }).waitFor();
  await page.getByRole('button', { name: 'Next deadline' }).click();
  await tab(page, 'Board');
  await page.locator('.task-row[data-state="Expired"] .card').waitFor();
  await page.locator('#clock', { hasText: 'Day 1 · 12:00' }).waitFor();
  assert.match(await page.locator('#panel').innerText(), /Balance\s+1,000\.00/);
  await tab(page, 'Event log');
  assert.match(await page.locator('.log-entry[data-type="TaskExpired"]').innerText(), /expired: nobody took it by its claim-by time; 10\.00 refunded/);
  assertClean(problems);
  await context.close();
});
