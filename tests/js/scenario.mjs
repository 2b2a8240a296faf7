// A seeded scenario generator: drives a package market with plausible commands for every
// lifecycle state (and some wrong ones), recording each step so that the same script can be
// replayed elsewhere (natively by wasm/examples/script.rs, or through a fresh package market).
import { init, Market, MarketError } from 'gigmarket';

await init();

/** mulberry32: a small seeded PRNG, so the scenario is the same on every run. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

const HOUR = 3_600_000;
const CATEGORIES = ['invoice-extraction', 'translation', 'labeling', 'summaries', 'code-review'];
const SKILLS = ['fin-docs', 'languages', 'vision', 'writing', 'rust'];

function makeSpec(r, now, i) {
  const bids = r.chance(0.25);
  const pricing = bids
    ? { type: 'Bids', ceiling: 500 + r.int(3000), award: r.pick(['client', 'best_price', 'best_eta', 'best_value']), bidding_closes_at: now + HOUR * (1 + r.int(6)) }
    : { type: 'Fixed', reward: 100 + r.int(3000) };
  return {
    title: `task ${i}`,
    category: r.pick(CATEGORIES),
    instructions: 'Do the thing precisely.',
    required_skills: r.chance(0.7) ? [{ skill: r.pick(SKILLS), min_level: 1 + r.int(4) }] : [],
    inputs: r.chance(0.5) ? [{ name: 'doc', uri: `s3://bucket/${i}`, classification: r.pick(['public', 'confidential', 'restricted']) }] : [],
    acceptance: {
      fields: [
        { name: 'total', kind: 'number', required: true },
        { name: 'currency', kind: 'text', required: r.chance(0.5) },
      ],
      criteria: [
        { name: 'positive', check: { type: 'Range', field: 'total', min: 0, max: r.chance(0.3) ? 10000 : null } },
        { name: 'iso', check: { type: 'OneOf', field: 'currency', values: ['EUR', 'USD'] } },
      ],
      min_confidence_bps: r.int(9000),
    },
    review: {
      window_ms: HOUR * (1 + r.int(24)),
      human_review_below_confidence_bps: r.chance(0.3) ? 5000 + r.int(4000) : null,
      human_sample_bps: r.chance(0.3) ? r.int(3000) : 0,
      max_revisions: r.int(3),
    },
    pricing,
    deadlines: { claim_by: now + HOUR * (2 + r.int(48)), lease_ms: HOUR * (1 + r.int(8)), clarification_timeout_ms: HOUR * (1 + r.int(4)), max_clarifications: r.int(3) },
    eligibility: { min_tier: r.chance(0.1) ? 'rising' : 'new', agent_kinds: r.pick(['any', 'any', 'ai', 'human']), min_reputation_bps: r.chance(0.1) ? 3000 : null },
    priority_window: r.chance(0.15) ? { tier: r.pick(['rising', 'established']), duration_ms: HOUR } : null,
  };
}

function output(r) {
  const good = r.chance(0.8);
  return {
    total: good ? r.int(40000) / 4 : -r.int(100) / 4 - 1,
    currency: r.chance(0.9) ? r.pick(['EUR', 'USD']) : 'XXX',
  };
}

/**
 * Generate `count` steps from `seed`. Returns the script ({ config, steps }), the outcomes
 * (events count or rejection code per step) and the generating market's final snapshot.
 */
export function generate(seed, count) {
  const r = rng(seed);
  const config = { seed };
  const m = new Market(config);
  const steps = [];
  const outcomes = [];
  let now = 0;
  const counts = { clients: 0, agents: 0, reviewers: 0 };
  let requestNo = 0;
  let tasks = 0;

  const run = (step) => {
    steps.push(step);
    try {
      const events = 'tick' in step
        ? m.tick(step.tick)
        : step.request_id !== undefined
          ? m.applyRequest(step.now, step.actor, step.request_id, step.command)
          : m.apply(step.now, step.actor, step.command);
      outcomes.push(events.length);
      for (const e of events) if (e.type === 'TaskPosted') tasks++;
      return events;
    } catch (e) {
      if (!(e instanceof MarketError)) throw e;
      outcomes.push(e.code);
      return null;
    }
  };
  const apply = (actor, command) => run({ now, actor, command });
  const anyClient = () => ({ type: 'Client', id: r.int(Math.max(1, counts.clients)) });
  const anyAgent = () => ({ type: 'Agent', id: r.int(Math.max(1, counts.agents)) });
  const anyReviewer = () => ({ type: 'Reviewer', id: r.int(Math.max(1, counts.reviewers)) });
  const OP = { type: 'Operator' };

  while (steps.length < count) {
    if (r.chance(0.04)) {
      now += r.int(3 * HOUR);
      run({ tick: now });
      continue;
    }
    const roll = r.next();
    if (counts.clients < 3 || (roll < 0.02 && counts.clients < 20)) {
      if (apply(OP, { type: 'RegisterClient', name: `client-${counts.clients}`, owner: `org-${counts.clients}` })) counts.clients++;
      continue;
    }
    if (counts.agents < 5 || (roll < 0.05 && counts.agents < 60)) {
      const skills = SKILLS.filter(() => r.chance(0.5)).map((name) => ({ name, level: 1 + r.int(5) }));
      const owner = r.chance(0.05) ? `org-${r.int(counts.clients)}` : `agents-${counts.agents}`;
      const cmd = { type: 'RegisterAgent', name: `agent-${counts.agents}`, kind: r.pick(['ai', 'ai', 'human']), owner, skills, capacity: 1 + r.int(5), min_rate: r.int(500) };
      if (apply(OP, cmd)) counts.agents++;
      continue;
    }
    if (counts.reviewers < 2 || (roll < 0.06 && counts.reviewers < 6)) {
      if (apply(OP, { type: 'RegisterReviewer', name: `reviewer-${counts.reviewers}`, owner: `rev-${counts.reviewers}` })) counts.reviewers++;
      continue;
    }
    if (roll < 0.1) {
      apply(anyClient(), { type: 'Deposit', amount: 1000 + r.int(20000) });
      continue;
    }
    if (roll < 0.25) {
      apply(anyClient(), { type: 'PostTask', spec: makeSpec(r, now, steps.length) });
      continue;
    }
    if (roll < 0.27) {
      const who = r.pick([anyClient(), anyAgent(), OP]);
      apply(who, { type: 'Withdraw', amount: 1 + r.int(2000) });
      continue;
    }
    if (roll < 0.28) {
      apply(OP, { type: 'SetFee', fee_bps: r.int(2000) });
      continue;
    }
    if (roll < 0.29) {
      const skills = SKILLS.filter(() => r.chance(0.5)).map((name) => ({ name, level: 1 + r.int(5) }));
      apply(anyAgent(), { type: 'UpdateAgentProfile', skills, capacity: 1 + r.int(5), min_rate: r.int(500) });
      continue;
    }
    if (roll < 0.31) {
      // Idempotent requests, sometimes repeated, sometimes reused for other content.
      const id = `req-${r.chance(0.5) ? requestNo++ : r.int(requestNo + 1)}`;
      run({ now, actor: anyClient(), request_id: id, command: { type: 'Deposit', amount: 1 + r.int(3) } });
      continue;
    }
    // A command on some task, usually one that fits its state.
    if (tasks === 0) continue;
    const id = r.chance(0.02) ? tasks + r.int(3) : tasks - 1 - Math.min(tasks - 1, r.int(40));
    const t = m.task(id);
    if (!t || r.chance(0.05)) {
      apply(r.pick([anyClient(), anyAgent(), anyReviewer(), OP]), r.pick([
        { type: 'ClaimTask', task: id },
        { type: 'CancelTask', task: id },
        { type: 'Review', task: id, decision: { type: 'Accept' } },
        { type: 'OpenDispute', task: id, reason: 'unfair' },
        { type: 'ReturnTask', task: id },
      ]));
      continue;
    }
    const owner = { type: 'Client', id: t.client };
    const st = t.status;
    switch (st.state) {
      case 'Open':
        if (t.spec.pricing.type === 'Bids') {
          if (st.bids.length > 0 && r.chance(0.3)) apply(owner, { type: 'AwardBid', task: id, agent: r.pick(st.bids).agent });
          else if (st.bids.length > 0 && r.chance(0.1)) apply({ type: 'Agent', id: r.pick(st.bids).agent }, { type: 'WithdrawBid', task: id });
          else apply(anyAgent(), { type: 'PlaceBid', task: id, price: 50 + r.int(t.spec.pricing.ceiling), eta_ms: HOUR * (1 + r.int(5)) });
        } else if (r.chance(0.05)) {
          apply(owner, { type: 'CancelTask', task: id });
        } else {
          apply(anyAgent(), { type: 'ClaimTask', task: id, spec_hash: r.chance(0.5) ? t.spec_hash : null });
        }
        break;
      case 'Claimed': {
        const holder = { type: 'Agent', id: st.work.agent };
        const p = r.next();
        if (p < 0.7) apply(holder, { type: 'SubmitWork', task: id, output: output(r), self_check: { confidence_bps: r.int(10001), criteria_passed: r.chance(0.5) ? ['positive', 'iso'] : [], notes: '' } });
        else if (p < 0.85) apply(holder, { type: 'AskClarification', task: id, question: 'Which currency?' });
        else if (p < 0.9) apply(holder, { type: 'ReturnTask', task: id });
        else apply(anyAgent(), { type: 'SubmitWork', task: id, output: output(r), self_check: { confidence_bps: 5000 } });
        break;
      }
      case 'InputRequired':
        apply(r.chance(0.85) ? owner : anyClient(), { type: 'AnswerClarification', task: id, answer: 'EUR' });
        break;
      case 'UnderReview': {
        const by = st.route === 'client' ? owner : anyReviewer();
        const p = r.next();
        const decision = p < 0.6 ? { type: 'Accept' }
          : p < 0.8 ? { type: 'RequestRevision', note: 'more precise please' }
            : { type: 'Reject', failed_criteria: r.chance(0.8) ? ['positive'] : [], reason: 'wrong total' };
        apply(by, { type: 'Review', task: id, decision });
        break;
      }
      case 'Rejected':
        apply({ type: 'Agent', id: st.work.agent }, { type: 'OpenDispute', task: id, reason: 'the total is right' });
        break;
      case 'Disputed': {
        const resolution = r.pick([{ type: 'PayAgent' }, { type: 'RefundClient' }, { type: 'Split', to_agent: r.int(st.work.price + 1) }]);
        apply(OP, { type: 'ResolveDispute', task: id, resolution });
        break;
      }
      case 'Settled':
        apply(r.chance(0.9) ? owner : anyClient(), { type: 'RateTask', task: id, rating: { quality: 1 + r.int(5), timeliness: 1 + r.int(5) } });
        break;
      default: // Cancelled, Expired: a late claim now and then
        if (r.chance(0.2)) apply(anyAgent(), { type: 'ClaimTask', task: id });
    }
  }
  m.audit();
  const snapshot = m.save();
  m.free();
  return { script: { config, steps }, outcomes, snapshot };
}

/** Replay a script through a fresh package market. */
export function replay({ config, steps }) {
  const m = new Market(config);
  const outcomes = [];
  for (const step of steps) {
    try {
      const events = 'tick' in step
        ? m.tick(step.tick)
        : step.request_id !== undefined
          ? m.applyRequest(step.now, step.actor, step.request_id, step.command)
          : m.apply(step.now, step.actor, step.command);
      outcomes.push(events.length);
    } catch (e) {
      if (!(e instanceof MarketError)) throw e;
      outcomes.push(e.code);
    }
  }
  m.audit();
  const snapshot = m.save();
  m.free();
  return { outcomes, snapshot };
}
