// Type-checks the package's generated declarations as a Node ESM consumer (`tsc -p tests/js/types`).
// Every `@ts-expect-error` line proves that a malformed value does not type-check.
import { Market, MarketError } from 'gigmarket';
import type {
  Actor, Command, Event, EventKind, FairnessReport, MarketConfig, MarketErrorCode, MarketErrorDetails, Rejection, Task, TaskSpec,
  TaskView, Tier,
} from 'gigmarket';

const config: MarketConfig = { seed: 1, fee_bps: 1000 };
using market = new Market(config);
const op: Actor = { type: 'Operator' };
const client: Actor = { type: 'Client', id: 0 };

const spec: TaskSpec = {
  title: 'Extract the invoice total',
  category: 'invoice-extraction',
  acceptance: {
    fields: [{ name: 'total', kind: 'number', required: true }],
    criteria: [{ name: 'total-positive', check: { type: 'Range', field: 'total', min: 0, max: null } }],
    min_confidence_bps: 8000,
  },
  review: { window_ms: 60000 },
  pricing: { type: 'Fixed', reward: 1000 },
  deadlines: { claim_by: 3600000, lease_ms: 600000, clarification_timeout_ms: 300000 },
};
const commands: Command[] = [
  { type: 'RegisterClient', name: 'Acme', owner: 'acme' },
  { type: 'Deposit', amount: 10000 },
  { type: 'PostTask', spec },
  { type: 'ClaimTask', task: 0, spec_hash: null },
  { type: 'ClaimTask', task: 0 },
  { type: 'SubmitWork', task: 0, output: { total: 12.5, currency: 'EUR', ok: true }, self_check: { confidence_bps: 9000 } },
  { type: 'Review', task: 0, decision: { type: 'Reject', failed_criteria: ['total-positive'], reason: 'negative' } },
  { type: 'RateTask', task: 0, rating: { quality: 5, timeliness: 4 } },
  { type: 'ResolveDispute', task: 0, resolution: { type: 'Split', to_agent: 500 } },
  { type: 'SuspendParty', party: { type: 'Agent', id: 0 }, reason: 'spam' },
  { type: 'ReinstateParty', party: { type: 'Agent', id: 0 }, reason: 'cleared' },
  { type: 'CloseParty', party: { type: 'Client', id: 0 }, reason: 'fraud' },
  { type: 'VerifyClient', client: 0 },
  { type: 'ImportEstablishment', client: 0, spend: 50000, note: 'known customer' },
];
// @ts-expect-error: moderation names a client or an agent, not the operator
const badParty: Command = { type: 'SuspendParty', party: { type: 'Operator' }, reason: 'x' };

// @ts-expect-error: a command needs its `type` tag
const untagged: Command = { amount: 5 };
// @ts-expect-error: no such command
const unknown: Command = { type: 'Steal', amount: 5 };
// @ts-expect-error: Deposit needs `amount`
const missing: Command = { type: 'Deposit' };
// @ts-expect-error: amounts are numbers
const wrongType: Command = { type: 'Deposit', amount: '5' };
// @ts-expect-error: ClaimTask has no `amount`
const extra: Command = { type: 'ClaimTask', task: 0, amount: 5 };
// @ts-expect-error: data classes are a closed set
const badClass: Command = { type: 'PostTask', spec: { ...spec, inputs: [{ name: 'a', uri: 'b', classification: 'secret' }] } };
// @ts-expect-error: an output value is a boolean, number, string, list or record
const badOutput: Command = { type: 'SubmitWork', task: 0, output: { total: null }, self_check: { confidence_bps: 1 } };
// Lists and records nest.
const structured: Command = { type: 'SubmitWork', task: 0, output: { rows: [1, 2], doc: { id: 'DOC-001', ok: true } }, self_check: { confidence_bps: 1, criteria_passed: [], notes: '' } };
// @ts-expect-error: actors are tagged too
const badActor: Actor = { type: 'Client' };
// @ts-expect-error: apply wants an actor, not a string
market.apply(0, 'operator', commands[0]);
// @ts-expect-error: a spec needs its pricing
const noPricing: TaskSpec = { title: 't', category: 'c', acceptance: {}, review: { window_ms: 1 }, deadlines: spec.deadlines };

// Events are a discriminated union on `type`, with `at` beside the kind's fields.
const events: Event[] = market.apply(0, op, commands[0]);
for (const e of events) {
  const at: number = e.at;
  if (e.type === 'TaskClaimed') {
    const lease: number = e.lease_due;
    const via: 'claim' | 'arbitration' | 'award' | 'auto_award' | 'assignment' = e.via;
  } else if (e.type === 'TaskPosted') {
    const hash: string = e.spec_hash;
    // @ts-expect-error: TaskPosted has no `agent`
    e.agent;
  }
}
const kind: EventKind['type'] = 'WorkAccepted';
const more: Event[] = market.tick(69000);
const next: number | undefined = market.nextDeadline();
const now: number = market.now;
const json: string = market.save();
const restored: Market = Market.load(json);
restored.free();
const task: Task | undefined = market.task(0);
if (task && task.status.state === 'Settled') {
  const rated: boolean = task.status.rated;
}
const views: TaskView[] = market.taskViews(client, 'Open');
// A view's state is a state name, the same union as `TaskStatus["state"]`.
const viewState: Task['status']['state'] = views[0].state;
// @ts-expect-error: not a state name
const badViewState: TaskView['state'] = 'Opened';
// @ts-expect-error: no task is ever in a state called "Done", so the comparison cannot be true
if (views[0].state === 'Done') {}
// @ts-expect-error: not a state name
market.taskViews(client, 'Opened');
const tier: Tier = market.tier(0);
const ranked: number = market.ranking(0, 5)[0].fit.score;
const reasons: string[] = market.eligibility(0, 0);
const board: string = market.leaderboard('invoice-extraction', 10)[0].name;
const standing: number = market.clientStanding(0).rejection_rate;
const fairness: FairnessReport = market.fairnessReport();

// Errors: a class with a code and typed details.
try {
  market.apply(1, client, { type: 'Withdraw', amount: 5 });
} catch (err) {
  if (err instanceof MarketError) {
    const code: MarketErrorCode = err.code;
    const details: MarketErrorDetails = err.details;
    const asError: Error = err;
    if (details.code === 'insufficient_funds') {
      const needed: number = details.needed;
    } else if (details.code === 'malformed_input') {
      const what: string = details.what;
    }
    // @ts-expect-error: not a code
    const bad: MarketErrorCode = 'oops';
    const rejection: Rejection = { code: 'unknown_task', task: 3 };
  }
}
export {};
