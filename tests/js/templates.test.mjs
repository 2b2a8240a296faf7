// Template tasks through the package (`gigmarket/sim`): a client posts each of the seed's three
// kinds from a template, an agent starts from a reference agent's draft, and the client measures
// the submission against the template's hidden truth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, Market, MarketError } from 'gigmarket/sim';

await init();

const OP = { type: 'Operator' };
const CLIENT = { type: 'Client', id: 0 };
const AGENT = { type: 'Agent', id: 0 };
const KINDS = ['document-verification', 'data-analysis', 'customer-outreach'];

function market(seed = 1) {
  const m = new Market({ seed });
  m.apply(0, OP, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
  m.apply(0, OP, {
    type: 'RegisterAgent', name: 'me', kind: 'human', owner: 'me',
    skills: KINDS.map((name) => ({ name, level: 5 })), capacity: 3, min_rate: 0,
  });
  m.apply(0, CLIENT, { type: 'Deposit', amount: 1_000_000 });
  return m;
}

test('each kind posts from a template with real inline inputs, and is measured against its truth', () => {
  const m = market();
  for (const [i, category] of KINDS.entries()) {
    const t = 10 * i;
    const spec = m.taskTemplate(category, 10_000, t + 1);
    assert.equal(spec.category, category);
    assert.ok(spec.inputs.length > 0 && spec.inputs.every((input) => input.content.length > 100), 'inline content');
    m.apply(t + 1, CLIENT, { type: 'PostTask', spec });
    assert.equal(m.measureWork(i), undefined, 'nothing to measure before a submission');
    m.apply(t + 2, AGENT, { type: 'ClaimTask', task: i, spec_hash: null });

    const draft = m.draftWork(0, i);
    assert.ok(['Submit', 'Ask'].includes(draft.type), JSON.stringify(draft));
    if (draft.type === 'Ask') {
      assert.match(draft.question, /\?/, 'a question');
      continue;
    }
    assert.ok(draft.agent.length > 0 && draft.method.length > 0);
    const dry = m.checkSubmission(AGENT, i, draft.output, draft.self_check);
    assert.deepEqual(dry.failed, [], `${category}: the best reference agent's draft passes the checks`);
    m.apply(t + 3, AGENT, { type: 'SubmitWork', task: i, output: draft.output, self_check: draft.self_check });
    const measured = m.measureWork(i);
    assert.ok(measured.accuracy >= 0 && measured.accuracy <= 1, JSON.stringify(measured));
    assert.ok(measured.stars >= 1 && measured.stars <= 5);
    assert.equal(measured.accepts, measured.accuracy >= 0.6);
  }
});

/** A market holding one claimed data-analysis template task whose draft is an output (the
 * first seed from `seed` on whose dataset the analyst does not need to ask first). */
function claimedAnalysis(seed) {
  for (let s = seed; ; s += 1) {
    const m = market(s);
    m.apply(1, CLIENT, { type: 'PostTask', spec: m.taskTemplate('data-analysis', 10_000, 1) });
    m.apply(2, AGENT, { type: 'ClaimTask', task: 0, spec_hash: null });
    const draft = m.draftWork(0, 0);
    if (draft.type === 'Submit') return { m, draft };
  }
}

test('a worse output measures lower: the measure reads the output, not the agent', () => {
  const { m, draft } = claimedAnalysis(2);
  const before = m.save();
  m.apply(3, AGENT, { type: 'SubmitWork', task: 0, output: draft.output, self_check: draft.self_check });
  const good = m.measureWork(0);
  const worse = Market.load(before);
  const empty = { ...draft.output, anomalies: [] };
  worse.apply(3, AGENT, { type: 'SubmitWork', task: 0, output: empty, self_check: { ...draft.self_check, criteria_passed: [] } });
  const bad = worse.measureWork(0);
  assert.ok(bad !== undefined, `the emptied output is under review: ${worse.task(0).status.state}`);
  assert.ok(bad.accuracy < good.accuracy, `${bad.accuracy} < ${good.accuracy}`);
});

test('the same market and id give the same template; another seed another one', () => {
  const a = market(1).taskTemplate('customer-outreach', 10_000, 1);
  const b = market(1).taskTemplate('customer-outreach', 10_000, 1);
  const c = market(9).taskTemplate('customer-outreach', 10_000, 1);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.inputs, c.inputs);
});

test('a task that is not a template is not measured; bad arguments throw typed errors', () => {
  const m = market();
  const spec = m.taskTemplate('document-verification', 10_000, 1);
  spec.inputs[0].content = spec.inputs[0].content.replace(/\d/, '7');
  m.apply(1, CLIENT, { type: 'PostTask', spec });
  m.apply(2, AGENT, { type: 'ClaimTask', task: 0, spec_hash: null });
  const draft = m.draftWork(0, 0);
  if (draft.type === 'Submit') {
    m.apply(3, AGENT, { type: 'SubmitWork', task: 0, output: draft.output, self_check: draft.self_check });
  }
  assert.equal(m.measureWork(0), undefined, 'changed inputs: no truth to measure against');

  const refused = (fn, code) => assert.throws(fn, (e) => e instanceof MarketError && e.code === code);
  refused(() => m.taskTemplate('translation', 10_000, 1), 'malformed_input');
  refused(() => m.taskTemplate('data-analysis', -5, 1), 'malformed_input');
  refused(() => m.draftWork(0, 99), 'unknown_task');
  refused(() => m.draftWork(42, 0), 'unknown_agent');
  refused(() => m.measureWork('zero'), 'malformed_input');
});

test('a draft that asks: the client answers from its truth, and the draft with the answer is an output', () => {
  const m = market(1);
  m.apply(1, CLIENT, { type: 'PostTask', spec: m.taskTemplate('document-verification', 10_000, 1) });
  m.apply(2, AGENT, { type: 'ClaimTask', task: 0, spec_hash: null });
  const clarifications = [];
  let draft = m.draftWork(0, 0);
  for (let t = 3; draft.type === 'Ask'; t += 2) {
    assert.ok(clarifications.length < 2, `still asking after ${clarifications.length} answers: ${draft.question}`);
    m.apply(t, AGENT, { type: 'AskClarification', task: 0, question: draft.question });
    const answer = m.templateAnswer(0, draft.question);
    assert.equal(typeof answer, 'string');
    assert.ok(answer.length > 0);
    m.apply(t + 1, CLIENT, { type: 'AnswerClarification', task: 0, answer });
    clarifications.push({ question: draft.question, answer });
    draft = m.draftWork(0, 0, clarifications);
  }
  assert.ok(clarifications.length > 0, 'seed 1 asks first (see the test above)');
  assert.deepEqual(m.checkSubmission(AGENT, 0, draft.output, draft.self_check).failed, []);
  m.apply(20, AGENT, { type: 'SubmitWork', task: 0, output: draft.output, self_check: draft.self_check });
  assert.ok(m.measureWork(0).accepts, JSON.stringify(m.measureWork(0)));
  assert.throws(() => m.draftWork(0, 0, [{ answer: 'no question' }]), (e) => e instanceof MarketError && e.code === 'malformed_input');
});
