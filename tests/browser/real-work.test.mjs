// Real work through the UI (issue 13), one task of each kind done by hand: a client posts it from
// a template; the person's own agent claims it and the dialog shows the real input (a document's
// text, a dataset's rows and chart, a borrower's name); "Start from a draft", "Check my work"
// (a dry run, nothing sent; invalid JSON is never sent), hand it in; the dialog shows the output
// and the checks; the client sees the work measured against its hidden truth, accepts and rates.
// No autopilot step runs: everything here is done by hand.
//
// The market is a fresh one with a fixed seed, imported as a file the way a person imports one:
// a draft may be a question instead of an output (a reference agent asks when the input leaves
// something open), and the test wants outputs, so it picks the first seed whose three drafts are
// outputs and whose fourth task's draft is a question (shown too).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, assertClean, expectDone, actAs, fill, tab, registerClient, deposit, frames, shot, reload, WIDE, PHONE,
} from './helpers.mjs';
import { csvTable } from '../../web-demo/js/work-view.js';

let chromium;
before(async () => { chromium = await launch(); });
after(async () => { await chromium.close(); });

const KINDS = [
  { category: 'document-verification', label: 'Document verification', slug: 'documents' },
  { category: 'data-analysis', label: 'Data analysis', slug: 'analysis' },
  { category: 'customer-outreach', label: 'Customer outreach', slug: 'outreach' },
];
const SKILLS = 'document-verification:5, data-analysis:5, customer-outreach:5';
const REWARD = 2000;

/**
 * In the page: the first seed whose tasks 0-2 (the three kinds, in order) draft outputs good enough
 * to accept and whose task 3 (documents) drafts a question.
 */
function findSeed(page) {
  return page.evaluate(([kinds, reward]) => {
    const { Market } = window.gigmarketDemo.session;
    for (let seed = 1; seed < 400; seed += 1) {
      const m = new Market({ seed });
      try {
        m.apply(0, { type: 'Operator' }, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
        m.apply(0, { type: 'Client', id: 0 }, { type: 'Deposit', amount: 100_000 });
        m.apply(0, { type: 'Operator' }, {
          type: 'RegisterAgent', name: 'probe', kind: 'human', owner: 'me', capacity: 5, min_rate: 0,
          skills: kinds.map((k) => ({ name: k, level: 5 })),
        });
        const drafts = [...kinds, kinds[0]].map((category) => {
          const spec = m.taskTemplate(category, reward, 0);
          const task = m.apply(0, { type: 'Client', id: 0 }, { type: 'PostTask', spec }).find((e) => e.type === 'TaskPosted').task;
          m.apply(0, { type: 'Agent', id: 0 }, { type: 'ClaimTask', task, spec_hash: m.taskView({ type: 'Agent', id: 0 }, task).spec_hash });
          const draft = m.draftWork(0, task);
          if (draft.type !== 'Submit') return draft.type;
          m.apply(0, { type: 'Agent', id: 0 }, { type: 'SubmitWork', task, output: draft.output, self_check: draft.self_check });
          return m.measureWork(task)?.accepts ? 'Submit' : 'Poor';
        });
        if (drafts.join() === 'Submit,Submit,Submit,Ask') return seed;
      } finally {
        m.free();
      }
    }
    return null;
  }, [KINDS.map((k) => k.category), REWARD]);
}

/** The newest task's id and title (what "Post from template" just posted). */
function newestTask(page) {
  return page.evaluate(() => {
    const e = window.gigmarketDemo.session.log.findLast((x) => x.ev?.type === 'TaskPosted').ev;
    return { id: e.task, title: e.spec.title };
  });
}

/** The inline inputs of `task` as `actor` sees them, from the engine. */
function inputsOf(page, actor, task) {
  return page.evaluate(([a, t]) => window.gigmarketDemo.session.market.taskView(a, t).inputs, [actor, task]);
}

async function openRow(page, id) {
  await tab(page, 'Board');
  await page.locator(`.task-row[data-task="${id}"] .card`).click();
  const dialog = page.locator('#task-dialog');
  await dialog.locator('h2', { hasText: `#${id} ` }).waitFor();
  return dialog;
}

async function closeDialog(page) {
  await page.locator('#task-dialog').getByRole('button', { name: 'Close the task' }).click();
}

/** Screenshots of the open dialog at the top and at the work handed in, wide and on a phone. */
async function dialogShots(page, name) {
  const dialog = page.locator('#task-dialog');
  for (const [size, viewport] of [['1440', WIDE], ['390', PHONE]]) {
    await page.setViewportSize(viewport);
    await frames(page);
    await dialog.evaluate((d) => { d.scrollTop = 0; });
    await shot(page, `real-work-${name}-${size}-input`);
    await dialog.locator('.work-output-section').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, `real-work-${name}-${size}-output`);
  }
  await page.setViewportSize(WIDE);
  await frames(page);
}

/** Assert the dialog shows this kind's real input, read from the engine's own text. */
async function assertInput(dialog, kind, inputs) {
  const main = inputs[0];
  assert.ok(main.content, `${kind.slug}: the agent sees the inline input`);
  const block = dialog.locator('.work-input-block');
  await block.waitFor();
  if (kind.slug === 'documents') {
    // DOC-001's first line, straight from the CSV (`DOC-001,<type>,"<first line>`).
    const line = main.content.split('\n')[1];
    assert.match(line, /^DOC-001,/);
    const firstLine = line.slice(line.indexOf('"') + 1);
    const doc = block.locator('.work-document[data-doc="DOC-001"]');
    assert.ok((await doc.innerText()).includes(firstLine), `DOC-001's text shows: ${firstLine}`);
    const count = main.content.match(/^DOC-\d{3},/gm).length;
    assert.equal(await block.locator('.work-document').count(), count, 'every document is shown');
    assert.match(await block.locator('summary').innerText(), new RegExp(`^Input: ${count} documents`));
    // The registry (a table) is shown too, first rows.
    const registryRow = csvTable(inputs[1].content).rows[0];
    const cells = await block.locator('.work-input[data-input="registry"] tbody tr').first().locator('td').allInnerTexts();
    assert.deepEqual(cells, registryRow);
  } else if (kind.slug === 'analysis') {
    const lines = main.content.trim().split('\n');
    const rows = lines.length - 1;
    assert.ok(rows >= 200, 'hundreds of rows');
    const first = lines[1].split(',');
    const cells = await block.locator('tbody tr').first().locator('td').allInnerTexts();
    assert.deepEqual(cells, first, 'the first dataset row as a table row');
    assert.equal(await block.locator('tbody tr').count(), 12, 'the first 12 rows');
    assert.match(await block.innerText(), new RegExp(`The first 12 of ${rows} rows`));
    const chart = block.locator('svg.work-chart');
    assert.match(await chart.getAttribute('aria-label'), new RegExp(`^value over ${rows} rows: from [-\\d,.]+ to [-\\d,.]+`));
    assert.ok((await chart.locator('path').getAttribute('d')).split('L').length > 100, 'the line runs through the rows');
  } else {
    const table = csvTable(main.content);
    const name = table.rows[0][table.header.indexOf('name')];
    assert.match(name, /^\p{L}+ \p{L}+$/u);
    const cells = await block.locator('tbody tr').first().locator('td').allInnerTexts();
    assert.ok(cells.includes(name), `the first borrower, ${name}, is in the table`);
    assert.match(await block.locator('summary').innerText(), new RegExp(`^Input: ${table.rows.length} borrowers`));
    return name;
  }
  return null;
}

test('each kind of real task: posted from a template, done by hand with a draft and a check, measured, accepted and rated', async () => {
  const { page, problems, context } = await openPage(chromium.browser, WIDE);
  const dialog = page.locator('#task-dialog');
  const side = page.locator('#panel');

  // A fresh market with a known seed, imported as a file.
  const seed = await findSeed(page);
  assert.ok(seed, 'a seed whose drafts are three outputs and then a question');
  const snapshot = await page.evaluate((s) => {
    const m = new window.gigmarketDemo.session.Market({ seed: s });
    try { return m.save(); } finally { m.free(); }
  }, seed);
  await page.setInputFiles('#import-file', { name: 'market.json', mimeType: 'application/json', buffer: Buffer.from(snapshot) });
  await page.locator('.message[data-id="outcome"]', { hasText: 'Imported the market: 0 tasks' }).waitFor();

  // The operator registers the client and the person's own agent (another owner).
  await actAs(page, 'Operator');
  await registerClient(page, { Name: 'Acme', 'Owner (organisation)': 'acme' });
  const regAgent = page.locator('form[data-form="register-agent"]');
  await fill(regAgent, { Name: 'me-by-hand', Kind: 'human', 'Owner (organisation)': 'me', Skills: SKILLS, 'Capacity (tasks at once)': 5 });
  await regAgent.getByRole('button').click();
  await expectDone(page, 'RegisterAgent');
  await actAs(page, 'Client', 'Acme (#0)');
  await deposit(page, '500');

  for (const kind of KINDS) {
    // Client: post one from the template.
    await actAs(page, 'Client', 'Acme (#0)');
    const template = side.locator('form[data-form="post-template"]');
    await fill(template, { 'Kind of task': kind.label, 'Reward (credits)': '20.00' });
    await template.getByRole('button', { name: 'Post from template' }).click();
    await expectDone(page, 'PostTask');
    const { id, title } = await newestTask(page);
    const category = await page.evaluate((t) => window.gigmarketDemo.session.market.task(t).spec.category, id);
    assert.equal(category, kind.category);
    // The client sees what the task holds on its board row.
    await tab(page, 'Board');
    const hint = await page.locator(`.task-row[data-task="${id}"] .card-hint`).innerText();
    assert.match(hint, { documents: /^\d+ documents$/, analysis: /^\d{3} rows$/, outreach: /^\d+ borrowers$/ }[kind.slug]);

    // The person's agent claims it; only then does it see the input.
    await actAs(page, 'Agent', 'me-by-hand (#0)');
    let d = await openRow(page, id);
    assert.equal(await d.locator('.work-input-block').count(), 0, 'no input before the claim');
    await d.getByRole('button', { name: 'Claim', exact: true }).click();
    await expectDone(page, 'ClaimTask');
    const inputs = await inputsOf(page, { type: 'Agent', id: 0 }, id);
    const borrower = await assertInput(dialog, kind, inputs);

    const form = dialog.locator('form[data-form="submit-work"]');
    const json = form.getByLabel('Output (JSON)');
    // The skeleton names the fields.
    const skeleton = JSON.parse(await json.inputValue());
    const fields = await page.evaluate((t) => window.gigmarketDemo.session.market.taskView({ type: 'Agent', id: 0 }, t).spec.acceptance.fields.map((f) => f.name), id);
    assert.deepEqual(Object.keys(skeleton), fields, 'a skeleton of every field');

    if (kind.slug === 'documents') {
      // Invalid JSON: a clear message, and nothing is sent.
      await json.fill('{ "documents": [');
      await form.getByRole('button', { name: 'Check my work' }).click();
      assert.match(await form.locator('.work-feedback').innerText(), /not valid JSON.*Nothing was sent/);
      await form.getByRole('button', { name: 'Hand in work', exact: true }).click();
      await frames(page);
      assert.match(await form.locator('.work-feedback').innerText(), /not valid JSON.*Nothing was sent/);
      assert.equal(await page.evaluate((t) => window.gigmarketDemo.session.market.task(t).status.state, id), 'Claimed', 'nothing was handed in');
      // The skeleton as it is fails the checks, in plain words.
      await json.fill(JSON.stringify(skeleton));
      await form.getByRole('button', { name: 'Check my work' }).click();
      const feedback = await form.locator('.work-feedback').innerText();
      assert.match(feedback, /Not yet: \d+ checks? failed/);
      assert.match(feedback, /every-document-once: /);
    }

    // Start from a draft, check it, hand it in.
    await form.getByRole('button', { name: 'Start from a draft' }).click();
    assert.match(await form.locator('.work-feedback').innerText(), /^A draft by .+ is in the form/);
    const output = JSON.parse(await json.inputValue());
    const draft = await page.evaluate((t) => window.gigmarketDemo.session.market.draftWork(0, t), id);
    assert.deepEqual(output, draft.output, 'the draft output, as JSON');
    await form.getByRole('button', { name: 'Check my work' }).click();
    const checked = form.locator('.work-feedback .work-checks');
    assert.equal(await checked.getAttribute('data-passed'), 'true');
    assert.match(await checked.innerText(), /Ready to hand in: All \d+ checks passed/);
    assert.equal(await page.evaluate((t) => window.gigmarketDemo.session.market.task(t).status.state, id), 'Claimed', 'checking sends nothing');
    await form.getByRole('button', { name: 'Hand in work', exact: true }).click();
    await expectDone(page, 'SubmitWork');
    assert.match(await page.locator('.message[data-id="outcome"]').innerText(), /checks passed/);

    // The dialog now shows the work handed in, and the checks.
    const work = dialog.locator('.work-output-section');
    await work.waitFor();
    const shown = await work.innerText();
    if (kind.slug === 'documents') {
      const doc = output.documents[0];
      const row = work.locator('tbody tr', { hasText: doc.id });
      const cells = await row.locator('td').allInnerTexts();
      assert.equal(cells[0], doc.id, 'the id leads the row');
      assert.ok(cells.includes(doc.verdict), `its verdict, ${doc.verdict}`);
    } else if (kind.slug === 'analysis') {
      assert.match(shown, new RegExp(`trend\\s+${output.trend}\\b`));
      assert.match(shown, new RegExp(`missing_rows\\s+${output.missing_rows}\\b`));
      // The rows the output flags are marked in the dataset table and on the chart.
      assert.ok(await dialog.locator('svg.work-chart .work-chart-mark').count() >= 1, 'flagged rows on the chart');
    } else {
      const message = output.messages.find((m) => m.text.includes(borrower));
      assert.ok(message, `a message to ${borrower}`);
      assert.ok(shown.includes(message.text.split('\n')[0]), 'the message to the first borrower is shown');
    }
    assert.match(await work.locator('.work-checks').innerText(), /Checks: All \d+ checks passed/);
    assert.match(await work.locator('.work-self-check').innerText(), /^Self-check: [\d.]+ % confident; claims these checks pass: /);
    await closeDialog(page);

    // The client reviews: the work measured against its hidden truth, then accept and rate.
    await actAs(page, 'Client', 'Acme (#0)');
    d = await openRow(page, id);
    const measure = await page.evaluate((t) => window.gigmarketDemo.session.market.measureWork(t), id);
    assert.ok(measure, 'a template task has a measure');
    const note = d.locator('form[data-form="review"] .work-measure');
    assert.equal(await note.innerText(), `Measured against your hidden truth: accuracy ${measure.accuracy.toFixed(2)} → ${measure.stars} star${measure.stars === 1 ? '' : 's'} suggested; ${measure.accepts ? 'accept' : 'reject'}.`);
    assert.ok(measure.accepts, 'the draft is good enough to accept');
    // The client sees the same input and work as the agent.
    await assertInput(dialog, kind, await inputsOf(page, { type: 'Client', id: 0 }, id));
    await dialogShots(page, kind.slug);
    const review = d.locator('form[data-form="review"]');
    await review.getByLabel('Decision').selectOption('Accept');
    await review.getByRole('button', { name: 'Review' }).click();
    await expectDone(page, 'Review');
    const rate = d.locator('form[data-form="rate"]');
    assert.equal(await rate.getByLabel('Quality').inputValue(), String(measure.stars), 'the suggested stars are preselected');
    await rate.getByRole('button', { name: 'Rate', exact: true }).click();
    await expectDone(page, 'RateTask');
    await d.getByText('accepted, rated').waitFor();

    // Finished: the market keeps a short record; the dialog still shows the work from the page's records.
    assert.equal(await page.evaluate((t) => window.gigmarketDemo.session.market.taskView({ type: 'Client', id: 0 }, t).inputs.length, id), 0);
    await d.locator('.work-input-block').waitFor();
    assert.equal(await d.locator('.work-output-section h3').innerText(), 'Work handed in');
    assert.match(await d.locator('.work-output-section .work-checks').innerText(), /All \d+ checks passed/);
    assert.ok((await d.locator('.work-output-section').innerText()).includes(
      kind.slug === 'analysis' ? output.trend : kind.slug === 'documents' ? output.documents[0].id : borrower));
    await closeDialog(page);
    assert.ok(title.length > 10);
  }

  // A fourth task: the draft is a question, shown as one (the form is left as it was); asked and
  // answered, the next draft is an output.
  const template = side.locator('form[data-form="post-template"]');
  await fill(template, { 'Kind of task': 'Document verification', 'Reward (credits)': '20.00' });
  await template.getByRole('button', { name: 'Post from template' }).click();
  await expectDone(page, 'PostTask');
  const { id } = await newestTask(page);
  await actAs(page, 'Agent', 'me-by-hand (#0)');
  const d = await openRow(page, id);
  await d.getByRole('button', { name: 'Claim', exact: true }).click();
  await expectDone(page, 'ClaimTask');
  const form = dialog.locator('form[data-form="submit-work"]');
  const before = await form.getByLabel('Output (JSON)').inputValue();
  await form.getByRole('button', { name: 'Start from a draft' }).click();
  const draft = await page.evaluate((t) => window.gigmarketDemo.session.market.draftWork(0, t), id);
  assert.equal(draft.type, 'Ask');
  assert.equal(await form.locator('.work-feedback').innerText(),
    `${draft.agent} would ask the client first: “${draft.question}” You can ask it below (Ask the client), or work it out yourself.`);
  assert.equal(await form.getByLabel('Output (JSON)').inputValue(), before);

  // The person asks it; the client's answer form suggests the answer from its hidden truth.
  const ask = dialog.locator('form[data-form="ask"]');
  await ask.getByLabel('Question').fill(draft.question);
  await ask.getByRole('button').click();
  await expectDone(page, 'AskClarification');
  await closeDialog(page);
  await actAs(page, 'Client', 'Acme (#0)');
  let answering = await openRow(page, id);
  const suggested = await page.evaluate(([t, q]) => window.gigmarketDemo.session.market.templateAnswer(t, q), [id, draft.question]);
  assert.ok(suggested && suggested.length > 0, 'a template task has an answer to suggest');
  const answerForm = answering.locator('form[data-form="answer"]');
  assert.equal(await answerForm.getByLabel('Answer').inputValue(), suggested, 'the answer is suggested');
  assert.match(await answerForm.locator('.work-suggested').innerText(), /^Suggested from the truth only you hold/);
  await answerForm.getByRole('button').click();
  await expectDone(page, 'AnswerClarification');
  await closeDialog(page);

  // With the answer (read from the page's log: the market keeps only the open question), the
  // draft is an output, and it passes the checks.
  await actAs(page, 'Agent', 'me-by-hand (#0)');
  answering = await openRow(page, id);
  await form.getByRole('button', { name: 'Start from a draft' }).click();
  assert.match(await form.locator('.work-feedback').innerText(), /^A draft by .+ is in the form/);
  const answered = await page.evaluate(([t, q, a]) => window.gigmarketDemo.session.market.draftWork(0, t, [{ question: q, answer: a }]), [id, draft.question, suggested]);
  assert.equal(answered.type, 'Submit');
  assert.deepEqual(JSON.parse(await form.getByLabel('Output (JSON)').inputValue()), answered.output, 'the draft that knows the answer');
  await form.getByRole('button', { name: 'Check my work' }).click();
  assert.equal(await form.locator('.work-feedback .work-checks').getAttribute('data-passed'), 'true');
  await closeDialog(page);

  // After a reload the page no longer holds finished tasks' inputs (they are not saved) and says
  // so; the work handed in is still in the saved log.
  await reload(page);
  await actAs(page, 'Client', 'Acme (#0)');
  const finished = await openRow(page, 0);
  assert.match(await finished.locator('.work-note').innerText(), /input of this finished task is no longer kept/);
  assert.match(await finished.locator('.work-output-section .work-checks').innerText(), /All \d+ checks passed/);
  assertClean(problems);
  await context.close();
});
