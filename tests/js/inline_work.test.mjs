// Inline inputs, lists and records in outputs, checks that read an input, and the dry run an
// agent calls before it submits (`checkSubmission`), through the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarketError } from 'gigmarket';
import { OP, agent, client, setup, spec } from './helpers.mjs';

const dataset = 'row,value\n1,10\n2,11\n3,95\n4,12\n';

function workSpec() {
  return spec({
    inputs: [{ name: 'dataset', content: dataset, classification: 'confidential' }],
    acceptance: {
      fields: [{ name: 'anomalies', kind: 'list', required: true }],
      criteria: [{
        name: 'rows-exist',
        check: { type: 'ItemsIn', field: 'anomalies', key: null, input: 'dataset', column: 'row', complete: false },
      }],
      min_confidence_bps: 5000,
    },
  });
}

const selfCheck = { confidence_bps: 9000, criteria_passed: ['rows-exist'], notes: '' };

test('an agent dry-runs its output against the inline dataset before it submits', () => {
  const m = setup();
  m.apply(1, client(0), { type: 'PostTask', spec: workSpec() });
  m.apply(2, agent(0), { type: 'ClaimTask', task: 0, spec_hash: null });
  const view = m.taskView(agent(0), 0);
  assert.equal(view.inputs[0].content, dataset, 'the holder sees the inline data');
  assert.equal(view.inputs[0].visible, true);

  const before = m.save();
  const wrong = m.checkSubmission(agent(0), 0, { anomalies: [3, 42] }, selfCheck);
  assert.equal(wrong.failed.length, 1);
  assert.equal(wrong.failed[0].criterion, 'rows-exist');
  assert.match(wrong.failed[0].reason, /anomalies\[1\] 42 is not in dataset\.row/);
  assert.equal(wrong.self_check_agreed, false, 'it claimed rows-exist, which fails');
  assert.equal(m.save(), before, 'a dry run changes nothing');

  const right = m.checkSubmission(agent(0), 0, { anomalies: [3] }, selfCheck);
  assert.deepEqual(right.failed, []);
  const events = m.apply(3, agent(0), { type: 'SubmitWork', task: 0, output: { anomalies: [3] }, self_check: selfCheck });
  assert.deepEqual(events.map((e) => e.type), ['WorkSubmitted', 'VerificationPassed']);
});

test('outsiders see neither the inline data nor a dry run of it', () => {
  const m = setup();
  m.apply(0, OP, {
    type: 'RegisterAgent', name: 'other', kind: 'ai', owner: 'others',
    skills: [{ name: 'fin-docs', level: 4 }], capacity: 1, min_rate: 0,
  });
  m.apply(1, client(0), { type: 'PostTask', spec: workSpec() });
  const view = m.taskView(agent(1), 0);
  assert.equal(view.inputs[0].visible, false);
  assert.equal(view.inputs[0].content, null);
  const blind = m.checkSubmission(agent(1), 0, { anomalies: [3] }, selfCheck);
  assert.equal(blind.failed[0].criterion, 'rows-exist', 'without the data the check cannot pass');
});

test('a malformed output is refused by the dry run as SubmitWork would refuse it', () => {
  const m = setup();
  m.apply(1, client(0), { type: 'PostTask', spec: workSpec() });
  m.apply(2, agent(0), { type: 'ClaimTask', task: 0, spec_hash: null });
  const deep = { anomalies: [[[[[1]]]]] };
  assert.throws(() => m.checkSubmission(agent(0), 0, deep, selfCheck), (e) => e instanceof MarketError && e.code === 'too_large');
  assert.throws(() => m.apply(3, agent(0), { type: 'SubmitWork', task: 0, output: deep, self_check: selfCheck }),
    (e) => e instanceof MarketError && e.code === 'too_large');
});

test('posting refuses a check whose input is not an inline table, naming the path', () => {
  const m = setup();
  const bad = workSpec();
  bad.inputs[0] = { name: 'dataset', uri: 's3://x', classification: 'public' };
  assert.throws(() => m.apply(1, client(0), { type: 'PostTask', spec: bad }),
    (e) => e instanceof MarketError && e.code === 'invalid_spec' && /criteria\[0\]\.check\.input/.test(e.message));
});

test('stepAgent drives a plugged-in agent: decline, claim, ask, use the answer, submit with a dry-run self-check', async () => {
  const { stepAgent, observe } = await import('gigmarket');
  const m = setup();
  m.apply(1, client(0), { type: 'PostTask', spec: spec() }); // task 0: not a dataset, declined
  m.apply(1, client(0), { type: 'PostTask', spec: workSpec() }); // task 1
  const learned = [];
  const analyst = {
    evaluate: (job) => (job.view.inputs.some((i) => i.name === 'dataset')
      ? { type: 'Claim' }
      : { type: 'Decline', reason: 'I only analyse datasets' }),
    execute: (job) => {
      const threshold = job.clarifications.find((c) => c.question.startsWith('Threshold'))?.answer;
      if (threshold == null) return { type: 'Ask', question: 'Threshold: above which value is a row anomalous?' };
      const rows = job.inputs[0].content.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
      return {
        type: 'Submit', method: 'threshold', confidence_bps: 9000,
        output: { anomalies: rows.filter(([, v]) => v > Number(threshold)).map(([row]) => row) },
      };
    },
    learn: (outcome) => learned.push(outcome),
  };
  const memory = new Map();
  const first = stepAgent(m, 2, agent(0), analyst, memory);
  assert.deepEqual(first.declined.map((d) => d.task), [0]);
  assert.match(first.declined[0].reason, /only analyse datasets/);
  assert.deepEqual(first.events.map((e) => e.type), ['TaskClaimed']);

  const asked = stepAgent(m, 3, agent(0), analyst, memory);
  assert.deepEqual(asked.events.map((e) => e.type), ['ClarificationRequested']);
  observe(memory, m.apply(4, client(0), { type: 'AnswerClarification', task: 1, answer: '50' }));

  const done = stepAgent(m, 5, agent(0), analyst, memory);
  assert.deepEqual(done.events.map((e) => e.type), ['WorkSubmitted', 'VerificationPassed']);
  const submitted = done.events[0].submission;
  assert.deepEqual(submitted.output.anomalies, [3], 'it used the answer');
  assert.ok(submitted.self_check.criteria_passed.includes('rows-exist'), 'the self-check came from the dry run');
  assert.equal(learned.length, 1);
  assert.equal(learned[0].passed, true);
  assert.equal(learned[0].clarifications[0].answer, '50');
});
