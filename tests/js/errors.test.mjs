// Every error shape: MarketError with a stable code, a message and structured details; refused
// calls and garbage input of any shape leave the market byte-for-byte unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Market, MarketError } from 'gigmarket';
import { OP, agent, client, goodWork, reviewer, setup, spec } from './helpers.mjs';

/** A market with tasks in several states. */
function rich() {
  const m = setup();
  m.apply(0, OP, { type: 'RegisterClient', name: 'Bots Inc', owner: 'bots-inc' }); // client 1: agent 0's owner
  m.apply(0, OP, {
    type: 'RegisterAgent', name: 'person', kind: 'human', owner: 'people', skills: [{ name: 'fin-docs', level: 1 }],
    capacity: 1, min_rate: 0,
  }); // agent 1
  m.apply(0, OP, { type: 'RegisterReviewer', name: 'rev', owner: 'reviews' });
  m.apply(0, client(1), { type: 'Deposit', amount: 5000 });
  m.apply(1000, client(), { type: 'PostTask', spec: spec() }); // task 0: open, fixed
  m.apply(1000, client(), {
    type: 'PostTask',
    spec: spec({ title: 'bids', pricing: { type: 'Bids', ceiling: 2000, award: 'client', bidding_closes_at: 50000 } }),
  }); // task 1: open, bids
  m.apply(1000, client(), { type: 'PostTask', spec: spec({ title: 'held', deadlines: { ...spec().deadlines, max_clarifications: 0 } }) }); // task 2
  m.apply(2000, agent(), { type: 'ClaimTask', task: 2, spec_hash: null }); // task 2: claimed by agent 0
  m.apply(1000 + 2000, client(1), { type: 'PostTask', spec: spec({ title: 'own org', required_skills: [] }) }); // task 3 by client 1
  m.apply(3000, OP, {
    type: 'RegisterAgent', name: 'bidder', kind: 'ai', owner: 'third', skills: [{ name: 'fin-docs', level: 3 }],
    capacity: 1, min_rate: 0,
  }); // agent 2
  m.apply(3000, agent(2), { type: 'PlaceBid', task: 1, price: 1500, eta_ms: 1000 });
  return m;
}

function expectError(m, fn, code) {
  const before = m.save();
  let err;
  try {
    fn(m);
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${code}, nothing was thrown`);
  assert.ok(err instanceof MarketError, `not a MarketError: ${err}`);
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'MarketError');
  assert.equal(err.code, code, err.message);
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 0);
  assert.equal(typeof err.stack, 'string');
  assert.equal(err.details.code, code);
  assert.deepEqual(JSON.parse(JSON.stringify(err.details)), err.details);
  assert.equal(m.save(), before, `${code}: the market changed`);
  return err;
}

const now = 4000;
const describe = (v) => {
  try {
    return String(JSON.stringify(v)).slice(0, 80);
  } catch {
    return typeof v;
  }
};
const cases = [
  ['time_went_backwards', (m) => m.apply(10, client(), { type: 'Deposit', amount: 1 }), { now: 10, last: 3000 }],
  ['out_of_range', (m) => m.apply(now, OP, { type: 'SetFee', fee_bps: 9000 })],
  ['too_large', (m) => m.apply(now, OP, { type: 'RegisterClient', name: 'x'.repeat(100), owner: 'o' })],
  ['unknown_client', (m) => m.apply(now, client(9), { type: 'Deposit', amount: 1 }), { client: 9 }],
  ['unknown_agent', (m) => m.apply(now, agent(9), { type: 'ClaimTask', task: 0 }), { agent: 9 }],
  ['unknown_reviewer', (m) => m.apply(now, reviewer(9), { type: 'Review', task: 0, decision: { type: 'Accept' } })],
  ['unknown_task', (m) => m.apply(now, agent(), { type: 'ClaimTask', task: 99 }), { task: 99 }],
  ['wrong_role', (m) => m.apply(now, agent(), { type: 'PostTask', spec: spec() }), { role: 'agent' }],
  ['not_authorized', (m) => m.apply(now, client(1), { type: 'CancelTask', task: 0 })],
  ['invalid_state', (m) => m.apply(now, client(), { type: 'Review', task: 0, decision: { type: 'Accept' } })],
  ['invalid_spec', (m) => m.apply(now, client(), { type: 'PostTask', spec: spec({ pricing: { type: 'Fixed', reward: 0 } }) })],
  ['spec_hash_mismatch', (m) => m.apply(now, agent(), { type: 'ClaimTask', task: 0, spec_hash: '0123456789abcdef' })],
  ['not_eligible', (m) => m.apply(now, agent(1), { type: 'ClaimTask', task: 0 })],
  ['insufficient_funds', (m) => m.apply(now, client(), { type: 'Withdraw', amount: 1e9 }), { needed: 1e9 }],
  ['wrong_pricing_mode', (m) => m.apply(now, agent(), { type: 'ClaimTask', task: 1 })],
  ['bid_above_ceiling', (m) => m.apply(now, agent(), { type: 'PlaceBid', task: 1, price: 5000, eta_ms: 10 }), { price: 5000, ceiling: 2000 }],
  ['no_such_bid', (m) => m.apply(now, agent(), { type: 'WithdrawBid', task: 1 })],
  ['clarification_limit', (m) => m.apply(now, agent(), { type: 'AskClarification', task: 2, question: 'why?' })],
  ['not_rateable', (m) => m.apply(now, client(), { type: 'RateTask', task: 0, rating: { quality: 5, timeliness: 5 } })],
  ['duplicate_item', (m) => m.apply(now, OP, { type: 'AssignTasks', tasks: [0, 0], agents: null, time_budget_ms: null }), { what: 'tasks' }],
  ['malformed_input', (m) => m.apply(now, client(), { type: 'Deposit', amount: 'lots' }), { what: 'command', path: 'command.amount' }],
  ['unknown_category', (m) => m.score(0, 77), { category: 77 }],
];

// The same fault gets the same code, and every malformed value its path, on every route in.
const malformedCases = [
  ['a NaN deep in a spec', (m) => m.apply(now, client(), { type: 'PostTask', spec: spec({ pricing: { type: 'Fixed', reward: NaN } }) }), 'command.spec.pricing.reward', 'expected a finite number, got NaN'],
  ['an Infinity in a check', (m) => m.apply(now, client(), { type: 'PostTask', spec: spec({ acceptance: { fields: [], criteria: [{ name: 'r', check: { type: 'Range', field: 'total', min: 0, max: Infinity } }], min_confidence_bps: 0 } }) }), 'command.spec.acceptance.criteria[0].check.max', 'expected a finite number, got Infinity'],
  ['a string where ms go', (m) => m.apply(now, client(), { type: 'PostTask', spec: spec({ deadlines: { claim_by: 10_000_000, lease_ms: '10', clarification_timeout_ms: 1000, max_clarifications: 1 } }) }), 'command.spec.deadlines.lease_ms', 'expected a whole number (0 or more), got "10"'],
  ['the same through applyJson', (m) => m.applyJson(now, JSON.stringify(client()), JSON.stringify({ type: 'Deposit', amount: '10' })), 'command.amount', 'expected a whole number (0 or more), got "10"'],
  ['an unknown command type', (m) => m.apply(now, client(), { type: 'Steal', amount: 1 }), 'command.type', null],
  ['an operator with an id', (m) => m.apply(now, { type: 'Operator', id: 3 }, { type: 'SetFee', fee_bps: 10 }), 'actor.id', null],
  ['a NaN in a config', () => new Market({ seed: 1, fee_bps: NaN }), 'config.fee_bps', 'expected a finite number, got NaN'],
  ['a NaN in a filter', (m) => m.openTasks(agent(), { max_rejection_rate: NaN }), 'filter.max_rejection_rate', 'expected a finite number, got NaN'],
];

for (const [name, fn, path, reason] of malformedCases) {
  test(`malformed_input names the path: ${name}`, () => {
    const m = rich();
    const before = m.save();
    const err = expectError(m, fn, 'malformed_input');
    assert.equal(err.details.path, path);
    if (reason) assert.equal(err.details.reason, reason);
    assert.equal(err.message, `malformed ${path}: ${err.details.reason}`);
    assert.equal(m.save(), before);
    m.free();
  });
}

test('queries refuse unknown ids and sizes as commands do', () => {
  const m = rich();
  expectError(m, (m) => m.score(99, 0), 'unknown_agent');
  expectError(m, (m) => m.tier(99), 'unknown_agent');
  expectError(m, (m) => m.explainScore(99, 0), 'unknown_agent');
  expectError(m, (m) => m.ranking(0, 1e9), 'out_of_range');
  expectError(m, (m) => m.apply(now, OP, { type: 'RankAgents', task: 0, k: 1e9 }), 'out_of_range');
  expectError(m, (m) => new Market({ seed: 1, fee_bps: 20_000 }), 'malformed_input');
  expectError(m, (m) => m.apply(now, OP, { type: 'SetFee', fee_bps: 20_000 }), 'out_of_range');
  m.free();
});

for (const [code, fn, fields] of cases) {
  test(`refusal ${code}`, () => {
    const m = rich();
    const err = expectError(m, fn, code);
    for (const [k, v] of Object.entries(fields ?? {})) assert.deepEqual(err.details[k], v, `${code}.${k}`);
    m.free();
  });
}

test('at_capacity, revision_limit, criteria_not_cited, request_id_reused', () => {
  const m = rich();
  m.apply(now, client(), { type: 'PostTask', spec: spec({ title: 'p2' }) }); // task 4
  m.apply(now, agent(), { type: 'ClaimTask', task: 4 }); // agent 0 now holds 2 = capacity
  expectError(m, (m) => m.apply(now, agent(), { type: 'ClaimTask', task: 0 }), 'at_capacity');
  m.apply(now, agent(), goodWork(4));
  expectError(m, (m) => m.apply(now, client(), { type: 'Review', task: 4, decision: { type: 'Reject', failed_criteria: [], reason: 'no' } }), 'criteria_not_cited');
  m.apply(now, client(), { type: 'Review', task: 4, decision: { type: 'RequestRevision', note: 'again' } });
  m.apply(now, agent(), goodWork(4));
  expectError(m, (m) => m.apply(now, client(), { type: 'Review', task: 4, decision: { type: 'RequestRevision', note: 'again' } }), 'revision_limit');
  m.applyRequest(now, client(), 'r', { type: 'Deposit', amount: 1 });
  expectError(m, (m) => m.applyRequest(now, client(), 'r', { type: 'Deposit', amount: 2 }), 'request_id_reused');
});

test('suspended, closed, invalid_standing: moderation', () => {
  const m = rich();
  const party = { type: 'Agent', id: 0 };
  const events = m.apply(now, OP, { type: 'SuspendParty', party, reason: 'under review' });
  assert.deepEqual(events.map((e) => e.type), ['PartySuspended', 'TaskReturned']);
  assert.equal(events[1].reason, 'moderated');
  const err = expectError(m, (m) => m.apply(now, agent(), { type: 'ClaimTask', task: 0 }), 'suspended');
  assert.deepEqual(err.details.party, party);
  assert.equal(err.details.reason, 'under review');
  m.apply(now, OP, { type: 'CloseParty', party, reason: 'fraud' });
  expectError(m, (m) => m.apply(now, agent(), { type: 'ClaimTask', task: 0 }), 'closed');
  const again = expectError(m, (m) => m.apply(now, OP, { type: 'ReinstateParty', party, reason: 'oops' }), 'invalid_standing');
  assert.equal(again.details.standing, 'Closed');
  m.apply(now, OP, { type: 'VerifyClient', client: 0 });
  assert.equal(m.clientStanding(0).verified, true);
});

test('conflict_of_interest: a reviewer from the agent\'s organisation', () => {
  const m = setup();
  m.apply(0, OP, { type: 'RegisterReviewer', name: 'insider', owner: 'bots-inc' });
  // An independent reviewer too: with only conflicted reviewers the work would go to the client.
  m.apply(0, OP, { type: 'RegisterReviewer', name: 'indie', owner: 'reviews-co' });
  const review = { ...spec().review, human_review_below_confidence_bps: 9000 };
  m.apply(1000, client(), { type: 'PostTask', spec: spec({ review }) });
  m.apply(2000, agent(), { type: 'ClaimTask', task: 0 });
  const events = m.apply(3000, agent(), { ...goodWork(), self_check: { confidence_bps: 8500 } });
  assert.equal(events.at(-1).route, 'human_low_confidence');
  const err = expectError(m, (m) => m.apply(4000, reviewer(0), { type: 'Review', task: 0, decision: { type: 'Accept' } }), 'conflict_of_interest');
  assert.match(err.details.reason, /bots-inc/);
});

test('snapshot errors', () => {
  const m = setup();
  const good = m.save();
  const cases = [
    ['snapshot_malformed', 'not json'],
    ['snapshot_malformed', '{}'],
    ['snapshot_wrong_format', JSON.stringify({ format: 'other', version: 1 })],
    ['snapshot_unsupported_version', good.replace('"version":2', '"version":3')],
    ['snapshot_malformed', good.slice(0, good.length / 2)],
  ];
  for (const [code, text] of cases) {
    const err = expectError(m, () => Market.load(text), code);
    assert.ok(err.message.length > 0);
  }
  const v = expectError(m, () => Market.load(good.replace('"version":2', '"version":3')), 'snapshot_unsupported_version');
  assert.equal(v.details.found, 3);
  assert.equal(v.details.supported, 2);
  // Money that does not add up is inconsistent.
  const bad = good.replace('"balance":10000', '"balance":10001');
  assert.notEqual(bad, good);
  const inconsistent = expectError(m, () => Market.load(bad), 'snapshot_inconsistent');
  // Each inconsistency names the JSON path of the bad value (here the market as a whole: money).
  assert.equal(inconsistent.details.path, 'market');
  assert.match(inconsistent.details.reason, /money not conserved/);
  const fee = JSON.parse(good);
  fee.market.fee_bps = 20000;
  const err = expectError(m, () => Market.load(JSON.stringify(fee)), 'snapshot_inconsistent');
  assert.equal(err.details.path, 'market.fee_bps');
  for (const garbage of [null, undefined, 42, {}, [], true]) expectError(m, () => Market.load(garbage), 'malformed_input');
});

test('garbage of any shape is malformed_input and changes nothing', () => {
  const m = rich();
  const deposit = { type: 'Deposit', amount: 1 };
  const cyclic = { type: 'Deposit', amount: 1 };
  cyclic.self = cyclic;
  const deep = [];
  let d = deep;
  for (let i = 0; i < 100000; i++) d = d[0] = [];
  const garbageCommands = [
    null, undefined, 'Deposit', 42, 2 ** 64, true, [], [deposit], {}, () => 1, Symbol('x'), 10n,
    { type: 'Deposit' }, // missing field
    { type: 'Deposit', amount: 1, extra: 1 }, // extra field
    { type: 'deposit', amount: 1 }, // wrong tag case
    { type: 'Steal', amount: 1 }, // unknown tag
    { amount: 1 }, // no tag
    { type: 'Deposit', amount: 1.5 },
    { type: 'Deposit', amount: -1 },
    { type: 'Deposit', amount: NaN },
    { type: 'Deposit', amount: Infinity },
    { type: 'Deposit', amount: 2 ** 64 },
    { type: 'Deposit', amount: 10n },
    { type: 'Deposit', amount: '1' },
    { type: 'Deposit', amount: null },
    { type: 'Deposit', amount: [1] },
    ['Deposit', 1], // a tagged enum from an array
    { type: 'ClaimTask', task: -1 },
    { type: 'ClaimTask', task: 2 ** 32 },
    { type: 'ClaimTask', task: 0, spec_hash: 'nothex!!nothex!!' },
    { type: 'ClaimTask', task: 0, spec_hash: 12 },
    { type: 'PostTask', spec: { ...spec(), pricing: { type: 'Free' } } },
    { type: 'PostTask', spec: { ...spec(), inputs: [{ name: 'a', uri: 'b', classification: 'secret' }] } },
    { type: 'PostTask', spec: null },
    { type: 'RateTask', task: 0, rating: { quality: 500, timeliness: 5 } },
    { type: 'SubmitWork', task: 2, output: { total: null }, self_check: { confidence_bps: 1 } },
    { type: 'SubmitWork', task: 2, output: { total: [{ nested: null }] }, self_check: { confidence_bps: 1 } },
    { type: 'SubmitWork', task: 2, output: [1, 2], self_check: { confidence_bps: 1 } },
    { type: 'RegisterAgent', name: 'n', kind: 'robot', owner: 'o', skills: [], capacity: 1, min_rate: 0 },
    { type: 'RegisterAgent', name: 'n', kind: 'ai', owner: 'o', skills: new Array(100000).fill({ name: 'x', level: 1 }), capacity: 1e10, min_rate: 0 },
    cyclic,
    deep,
  ];
  const before = m.save();
  for (const c of garbageCommands) {
    const err = (() => { try { m.apply(now, client(), c); } catch (e) { return e; } })();
    assert.ok(err instanceof MarketError, `${describe(c)}: ${err}`);
    assert.equal(err.code, 'malformed_input');
    assert.equal(m.save(), before);
  }
  // Huge but well-formed lists are the engine's to refuse (too_large), still without change.
  const many = { type: 'RegisterAgent', name: 'n', kind: 'ai', owner: 'o', skills: Array.from({ length: 100000 }, (_, i) => ({ name: `s${i}`, level: 1 })), capacity: 1, min_rate: 0 };
  expectError(m, (m) => m.apply(now, OP, many), 'too_large');
  const garbageActors = [null, undefined, 'Operator', { type: 'Robot' }, { type: 'Client' }, { type: 'Client', id: -1 }, { type: 'Client', id: 0.5 }, { type: 'Client', id: 0, x: 1 }, [OP]];
  for (const a of garbageActors) expectError(m, (m) => m.apply(now, a, deposit), 'malformed_input');
  const garbageTimes = [null, undefined, '4000', -1, 1.5, NaN, Infinity, 2 ** 53, 2 ** 60, 10n, {}, [4000]];
  for (const t of garbageTimes) {
    expectError(m, (m) => m.apply(t, client(), deposit), 'malformed_input');
    expectError(m, (m) => m.tick(t), 'malformed_input');
  }
  for (const id of [null, 'x', -1, 1.5, 2 ** 53]) {
    expectError(m, (m) => m.task(id), 'malformed_input');
    expectError(m, (m) => m.taskView(OP, id), 'malformed_input');
    expectError(m, (m) => m.score(id, 0), 'malformed_input');
  }
  expectError(m, (m) => m.taskViews(OP, 7), 'malformed_input');
  expectError(m, (m) => m.applyRequest(now, client(), 7, deposit), 'malformed_input');
  expectError(m, (m) => m.applyRequest(now, client(), 'x'.repeat(1000), deposit), 'out_of_range');
  expectError(m, (m) => m.applyJson(now, '{', '{}'), 'malformed_input');
  expectError(m, (m) => m.applyJson(now, '{"type":"Operator"}', '["Deposit", 1]'), 'malformed_input');
  for (const cfg of [42, 'x', [], { seed: -1 }, { seed: 2 ** 60 }, { fee_bps: 'x' }, { unknown: 1 }]) {
    expectError(m, () => new Market(cfg), 'malformed_input');
  }
  assert.equal(m.save(), before);
  m.audit();
});
