// The full task lifecycle through the package's node entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Market, MarketError } from 'gigmarket';
import { OP, agent, client, goodWork, setup, spec } from './helpers.mjs';

test('the crate-doc story: silence accepts the work and pays the agent', () => {
  const m = setup();
  m.apply(1000, client(), { type: 'PostTask', spec: spec() });
  m.apply(2000, agent(), { type: 'ClaimTask', task: 0, spec_hash: null });
  m.apply(9000, agent(), goodWork());
  assert.equal(m.nextDeadline(), 69000);
  const events = m.tick(69000);
  assert.ok(events.some((e) => e.type === 'WorkAccepted' && e.by === null && e.at === 69000));
  assert.equal(m.agent(0).balance, 900);
  assert.equal(m.platformBalance, 100);
  m.audit();
  const restored = Market.load(m.save());
  assert.equal(restored.save(), m.save());
  m.free();
  restored.free();
});

test('post, claim, submit, accept, rate', () => {
  const m = setup();
  const posted = m.apply(1000, client(), { type: 'PostTask', spec: spec() });
  assert.deepEqual(posted.map((e) => e.type), ['TaskPosted']);
  const [ev] = posted;
  assert.equal(ev.task, 0);
  assert.equal(ev.escrow, 1000);
  assert.match(ev.spec_hash, /^[0-9a-f]{16}$/);
  assert.equal(m.client(0).balance, 9000);

  // The agent sees the confidential input only once it holds the task.
  const before = m.taskView(agent(), 0);
  assert.equal(before.state, 'Open');
  assert.equal(before.inputs[0].uri, null);
  const claimed = m.apply(2000, agent(), { type: 'ClaimTask', task: 0, spec_hash: ev.spec_hash });
  assert.equal(claimed[0].type, 'TaskClaimed');
  assert.equal(claimed[0].lease_due, 602000);
  assert.equal(m.taskView(agent(), 0).inputs[0].uri, 's3://acme/inv-7.pdf');
  // Another agent does not; an actor that names no party is refused, as its commands would be.
  m.apply(2000, OP, { type: 'RegisterAgent', name: 'other', kind: 'ai', owner: 'o', skills: [], capacity: 1, min_rate: 0 });
  assert.equal(m.taskView(agent(1), 0).inputs[0].uri, null);
  assert.throws(() => m.taskView(agent(7), 0), (e) => e instanceof MarketError && e.code === 'unknown_agent');

  const submitted = m.apply(3000, agent(), goodWork());
  assert.deepEqual(submitted.map((e) => e.type), ['WorkSubmitted', 'VerificationPassed']);
  assert.equal(m.task(0).status.state, 'UnderReview');
  assert.deepEqual(m.taskViews(client(), 'UnderReview').map((v) => v.id), [0]);

  const accepted = m.apply(4000, client(), { type: 'Review', task: 0, decision: { type: 'Accept' } });
  assert.ok(accepted.some((e) => e.type === 'WorkAccepted' && e.by.type === 'Client'));
  const settled = accepted.find((e) => e.type === 'TaskSettled');
  assert.deepEqual(settled.settlement, { task: 0, to_agent: 900, fee: 100, refund: 0 });
  assert.equal(m.task(0).status.state, 'Settled');

  const rated = m.apply(5000, client(), {
    type: 'RateTask', task: 0, rating: { quality: 5, timeliness: 4 },
  });
  assert.equal(rated.at(-1).type, 'TaskRated');
  assert.equal(m.tier(0), m.tier(0)); // a Tier string
  assert.equal(typeof m.tier(0), 'string');
  const score = m.score(0, 'invoice-extraction');
  assert.equal(typeof score, 'object');
  assert.deepEqual(m.categories(), ['invoice-extraction']);
  assert.equal(m.categoryId('invoice-extraction'), 0);
  assert.equal(m.now, 5000);
  assert.equal(m.deposited, 10000);
  m.audit();

  // Withdrawals close the loop: money is conserved.
  m.apply(6000, agent(), { type: 'Withdraw', amount: 900 });
  m.apply(6000, OP, { type: 'Withdraw', amount: 100 });
  assert.equal(m.withdrawn, 1000);
  m.audit();
  m.free();
});

test('applyRequest makes a command idempotent', () => {
  const m = setup();
  const deposit = { type: 'Deposit', amount: 5 };
  const first = m.applyRequest(10, client(), 'req-1', deposit);
  assert.deepEqual(first.map((e) => e.type), ['RequestRecorded', 'FundsDeposited']);
  assert.deepEqual(m.applyRequest(11, client(), 'req-1', deposit), []);
  assert.equal(m.client(0).balance, 10005);
  assert.throws(() => m.applyRequest(12, client(), 'req-1', { type: 'Deposit', amount: 6 }), { code: 'request_id_reused' });
});

test('applyJson takes and returns JSON text', () => {
  const m = setup();
  const out = m.applyJson(10, JSON.stringify(client()), JSON.stringify({ type: 'Deposit', amount: 5 }));
  assert.equal(typeof out, 'string');
  assert.deepEqual(JSON.parse(out), [{ at: 10, type: 'FundsDeposited', client: 0, amount: 5 }]);
});

test('returned values are plain JSON: no Map, no BigInt', () => {
  const m = setup();
  m.apply(1000, client(), { type: 'PostTask', spec: spec() });
  m.apply(2000, agent(), { type: 'ClaimTask', task: 0, spec_hash: null });
  const events = m.apply(3000, agent(), goodWork());
  const values = [events, m.tasks(), m.clients(), m.agents(), m.reviewers(), m.taskViews(OP), m.config, m.score(0, 0)];
  for (const v of values) assert.deepEqual(JSON.parse(JSON.stringify(v)), v);
  const walk = (v) => {
    assert.ok(!(v instanceof Map) && typeof v !== 'bigint');
    if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  values.forEach(walk);
  assert.deepEqual(events[0].submission.output, { total: 1234.5 });
});

test('matching and standing queries', () => {
  const m = setup();
  m.apply(1000, client(), { type: 'PostTask', spec: spec() });
  assert.deepEqual(m.eligibility(0, 0), []);
  const ranking = m.ranking(0, 5);
  assert.equal(ranking[0].agent, 0);
  assert.equal(typeof ranking[0].fit.score, 'number');
  m.apply(2000, agent(), { type: 'ClaimTask', task: 0 });
  m.apply(3000, agent(), goodWork());
  m.apply(4000, client(), { type: 'Review', task: 0, decision: { type: 'Accept' } });
  const board = m.leaderboard('invoice-extraction', 10);
  assert.equal(board[0].agent, 0);
  assert.deepEqual(m.leaderboard(), m.leaderboard(null, 100));
  const explained = m.explainScore(0, 'invoice-extraction');
  assert.equal(typeof explained, 'object');
  assert.equal(explained.gated_distrust, 0, 'no work behind a rare gate, so none of it is left out');
  assert.equal(m.clientStanding(0).client, 0);
  const fairness = m.fairnessReport();
  for (const v of [ranking, board, fairness, m.clientStanding(0), m.explainScore(0, 0), m.eligibility(0, 0)]) {
    assert.deepEqual(JSON.parse(JSON.stringify(v)), v);
  }
  assert.throws(() => m.ranking(9, 5), { code: 'unknown_task' });
  assert.throws(() => m.clientStanding(9), { name: 'MarketError' });
  assert.throws(() => m.leaderboard('no-such-category'), { code: 'malformed_input' });
});

test('a market without a seed draws one; markets free and dispose', () => {
  const a = new Market();
  const b = new Market({ fee_bps: 500 });
  assert.ok(Number.isSafeInteger(a.config.seed));
  assert.equal(b.feeBps, 500);
  assert.equal(typeof a[Symbol.dispose], 'function');
  a[Symbol.dispose]();
  b.free();
  b.free(); // freeing twice is harmless
  for (const call of [() => b.save(), () => b.now, () => b.apply(0, { type: 'Operator' }, { type: 'SetFee', fee_bps: 1 }), () => a.tasks()]) {
    assert.throws(call, (e) => e instanceof MarketError && e.code === 'market_freed' && /freed/.test(e.message));
  }
});
