// Every party's money movements, derived. The engine keeps state, not history: a finished task
// keeps its client, pricing, pinned fee, agent and verdict, but not what was paid, nor when it
// settled. So each task's movements are rebuilt from those (a fixed reward without a premium
// settles at the reward; a rejection or a refund pays nothing), and the session's bounded event
// log adds what the engine forgets: exact settlements, their instants, deposits, withdrawals,
// star ratings. Derivations are cached per market and updated incrementally, since markets reach
// 20,000 tasks and reading them all from the engine costs ~60 ms.

const FINAL = new Set(['Settled', 'Cancelled', 'Expired']);
const FULL_BPS = 10_000;
/** What a tier-premium task escrows per unit of reward: the top tier's (expert) 150 %, as the
 * engine's `top_premium_bps` (core/src/spec.rs, core/src/tier.rs). */
const TOP_PREMIUM_BPS = 15_000;
/** Verdicts that pay the agent the agreed price, and those that pay nothing. */
const PAYS_PRICE = new Set(['accepted', 'auto_accepted', 'dispute_paid']);
const PAYS_NOTHING = new Set(['rejected', 'dispute_refunded']);

const perMarket = new WeakMap();

/** The money index of `ctx.market`, brought up to date with the market and the session's log. */
export function moneyFlows(ctx) {
  let index = perMarket.get(ctx.market);
  if (!index) {
    index = new MoneyIndex(ctx.market);
    perMarket.set(ctx.market, index);
  }
  index.update(ctx);
  return index;
}

/**
 * Bring the index and the ledger up to date when the page is next idle, so opening the Ledger
 * tab or a profile finds them ready instead of reading every task from the engine on the click.
 * Skipped if the market changed again meanwhile (the next frame schedules its own).
 */
export function warmMoneyFlows(ctx) {
  const idle = window.requestIdleCallback ?? ((fn) => setTimeout(fn, 200));
  const { market, session } = ctx;
  const seq = session.seq;
  idle(() => {
    if (session.market !== market || session.seq !== seq) return;
    moneyFlows(ctx).ledger(ctx);
  }, { timeout: 2000 });
}

/** What posting escrowed (`Pricing.escrow` in the engine). */
export function escrowAtPosting(pricing) {
  if (pricing.type === 'Bids') return pricing.ceiling;
  return pricing.tier_premium ? Math.floor((pricing.reward * TOP_PREMIUM_BPS) / FULL_BPS) : pricing.reward;
}

/** The fee on `gross` at a pinned rate, rounded down (the engine's `settle`). */
export function feeOn(gross, feeBps) {
  return Math.min(gross, Math.floor((gross * feeBps) / FULL_BPS));
}

class MoneyIndex {
  constructor(market) {
    this.market = market;
    /** Per task id: { id, client, category, title, postedAt, state, escrow0, feeBps, agent,
     * verdict, rated, settlement (null: amount not kept), endedAt (null: not kept), stars }. */
    this.tasks = [];
    /** Ids of tasks that may still change (unfinished, or settled and not yet rated). */
    this.live = new Set();
    /** Deposits and withdrawals seen in the log, by log entry number. */
    this.transfers = new Map();
    this.seen = -1;
    this.version = 0;
    this.derived = null;
  }

  update(ctx) {
    const log = ctx.session.log;
    const stamp = `${ctx.session.seq}:${log.length}:${ctx.views.length}`;
    if (stamp === this.seen) return;
    this.seen = stamp;
    this.version += 1;
    this.derived = null;
    this.readTasks(ctx.views);
    this.readLog(log);
  }

  readTasks(views) {
    const byId = (id) => (views[id]?.id === id ? views[id] : views.find((v) => v.id === id));
    if (this.tasks.length === 0 && views.length > 0) {
      // The first read takes every task at once: one engine call instead of one per task.
      for (const t of this.market.tasks()) this.take(t, null);
      return;
    }
    for (const id of [...this.live]) {
      const v = byId(id);
      if (!v) continue;
      const rec = this.tasks[id];
      if (v.state === rec.state && v.rated === rec.rated) continue;
      if (FINAL.has(v.state)) this.take(this.market.task(id), rec);
      else rec.state = v.state;
    }
    for (let id = this.tasks.length; id < views.length; id += 1) {
      const v = byId(id);
      if (FINAL.has(v.state)) this.take(this.market.task(id), null);
      else this.take(null, null, v);
    }
  }

  /** Record a task from the engine's Task (or, while unfinished, its view). */
  take(task, previous, view) {
    const t = task ?? view;
    const status = task ? task.status : { state: view.state };
    const rec = {
      id: t.id,
      client: t.client,
      category: t.spec.category,
      title: t.spec.title,
      postedAt: t.posted_at,
      state: status.state,
      // A live task's escrow is the engine's figure; a finished one's is back to zero, so rebuilt.
      escrow0: FINAL.has(status.state) ? escrowAtPosting(t.spec.pricing) : t.escrow,
      pricing: t.spec.pricing,
      feeBps: task ? task.fee_bps : null,
      agent: status.agent ?? null,
      verdict: status.verdict ?? null,
      rated: Boolean(status.rated),
      settlement: null,
      endedAt: previous?.endedAt ?? null,
      stars: previous?.stars ?? null,
      exact: previous?.exact ?? false,
    };
    rec.rows = null;
    if (previous?.exact) rec.settlement = previous.settlement;
    else rec.settlement = settlementOf(rec);
    this.tasks[rec.id] = rec;
    if (!FINAL.has(rec.state) || (rec.state === 'Settled' && !rec.rated)) this.live.add(rec.id);
    else this.live.delete(rec.id);
    return rec;
  }

  readLog(log) {
    for (const entry of log) {
      const ev = entry.ev;
      if (!ev) continue;
      switch (ev.type) {
        case 'FundsDeposited':
          this.transfers.set(entry.n, { at: ev.at, party: { type: 'Client', id: ev.client }, amount: ev.amount, kind: 'deposit' });
          break;
        case 'FundsWithdrawn':
          this.transfers.set(entry.n, { at: ev.at, party: ev.account, amount: -ev.amount, kind: 'withdrawal' });
          break;
        case 'TaskSettled': {
          const rec = this.tasks[ev.settlement.task];
          if (!rec) break;
          rec.endedAt = ev.at;
          rec.settlement = { to_agent: ev.settlement.to_agent, fee: ev.settlement.fee, refund: ev.settlement.refund };
          rec.exact = true;
          rec.rows = null;
          break;
        }
        case 'TaskCancelled':
        case 'TaskExpired': {
          const rec = this.tasks[ev.task];
          if (rec && rec.endedAt !== ev.at) {
            rec.endedAt = ev.at;
            rec.rows = null;
          }
          break;
        }
        case 'TaskRated': {
          const rec = this.tasks[ev.task];
          if (rec) rec.stars = { quality: ev.rating.quality, timeliness: ev.rating.timeliness };
          break;
        }
        default:
      }
    }
  }

  /** Ledger rows, totals and checks, computed once per market change and only when asked. */
  ledger(ctx) {
    if (this.derived) return this.derived;
    this.derived = deriveLedger(this, ctx);
    return this.derived;
  }

  /** One agent's settled work, newest first, with what it was paid (all agents' in one pass). */
  workOf(agentId) {
    if (this.work?.version !== this.version) {
      const byAgent = new Map();
      for (let i = this.tasks.length - 1; i >= 0; i -= 1) {
        const rec = this.tasks[i];
        if (!rec || rec.state !== 'Settled') continue;
        if (!byAgent.has(rec.agent)) byAgent.set(rec.agent, []);
        byAgent.get(rec.agent).push(rec);
      }
      this.work = { version: this.version, byAgent };
    }
    return this.work.byAgent.get(agentId) ?? [];
  }

}

/** A finished task's split of its escrow, where the engine's record determines it; else null. */
function settlementOf(rec) {
  if (rec.state === 'Cancelled' || rec.state === 'Expired') return { to_agent: 0, fee: 0, refund: rec.escrow0 };
  if (rec.state !== 'Settled') return null;
  let gross = null;
  if (PAYS_NOTHING.has(rec.verdict)) gross = 0;
  else if (PAYS_PRICE.has(rec.verdict) && rec.pricing.type === 'Fixed' && !rec.pricing.tier_premium) gross = rec.pricing.reward;
  // A winning bid, a premium price or a dispute split is not kept once the task settles.
  if (gross === null) return null;
  const fee = feeOn(gross, rec.feeBps);
  return { to_agent: gross - fee, fee, refund: rec.escrow0 - gross };
}

const PLATFORM = { type: 'Platform' };
export const partyKey = (p) => (p.type === 'Platform' ? 'platform' : `${p.type.toLowerCase()}:${p.id}`);

/** A task's money movements: its escrow on posting and where the escrow went. */
function taskRows(rec) {
  const rows = [];
  const add = (row) => rows.push(row);
  const ended = { at: rec.endedAt, after: rec.endedAt === null ? rec.postedAt : null };
  const client = { type: 'Client', id: rec.client };
  add({ at: rec.postedAt, party: client, what: 'Escrow on posting', amount: -rec.escrow0, task: rec.id });
  if (rec.state === 'Cancelled' || rec.state === 'Expired') {
    add({ ...ended, party: client, what: `Refund: task ${rec.state.toLowerCase()}`, amount: rec.escrow0, task: rec.id });
  } else if (rec.state === 'Settled') {
    const agent = { type: 'Agent', id: rec.agent };
    const s = rec.settlement;
    const verdict = rec.verdict.replace(/_/g, ' ');
    if (!s) {
      add({ ...ended, party: agent, what: `Payout (${verdict}): amount not kept by the engine`, amount: null, task: rec.id });
      return rows;
    }
    if (s.to_agent > 0 || s.refund < rec.escrow0) add({ ...ended, party: agent, what: `Payout (${verdict})`, amount: s.to_agent, task: rec.id });
    if (s.fee > 0) add({ ...ended, party: PLATFORM, what: 'Platform fee', amount: s.fee, task: rec.id });
    if (s.refund > 0) add({ ...ended, party: client, what: s.to_agent + s.fee > 0 ? 'Unused escrow returned' : `Refund (${verdict})`, amount: s.refund, task: rec.id });
  }
  return rows;
}

function deriveLedger(index, ctx) {
  const rows = [];
  const add = (row) => rows.push(row);
  let unknown = 0;
  for (const rec of index.tasks) {
    if (!rec) continue;
    // A finished task's rows never change: they are built once and kept on its record.
    rec.rows ??= taskRows(rec);
    for (const row of rec.rows) {
      rows.push(row);
      if (row.amount === null) unknown += 1;
    }
  }
  for (const t of index.transfers.values()) {
    add({ at: t.at, party: t.party, what: t.kind === 'deposit' ? 'Deposit' : 'Withdrawal', amount: t.amount, task: null });
  }

  // Per party: what the rows add up to, against the balance the engine holds.
  const market = ctx.market;
  const totals = new Map();
  const total = (party) => {
    const key = partyKey(party);
    if (!totals.has(key)) totals.set(key, { party, in: 0, out: 0, unknown: 0, deposits: 0, withdrawals: 0, escrowed: 0, refunds: 0, earned: 0, fees: 0 });
    return totals.get(key);
  };
  for (const c of ctx.names.clients) total({ type: 'Client', id: c.id });
  for (const a of ctx.names.agents) total({ type: 'Agent', id: a.id });
  total(PLATFORM);
  for (const r of rows) {
    const t = total(r.party);
    if (r.amount === null) { t.unknown += 1; continue; }
    if (r.amount >= 0) t.in += r.amount; else t.out -= r.amount;
    if (r.what === 'Deposit') t.deposits += r.amount;
    else if (r.what === 'Withdrawal') t.withdrawals -= r.amount;
    else if (r.what === 'Escrow on posting') t.escrowed -= r.amount;
    else if (r.party.type === 'Client') t.refunds += r.amount;
    else if (r.party.type === 'Agent') t.earned += r.amount;
    else t.fees += r.amount;
  }
  // What the kept log cannot show (deposits or withdrawals before it) is the difference between
  // the engine's balance and the rows: one derived row per party, dated "before the log".
  const logStart = ctx.session.log.find((e) => e.ev)?.ev.at ?? null;
  for (const t of totals.values()) {
    const balance = balanceOf(market, ctx.names, t.party);
    t.balance = balance;
    if (t.unknown) continue;
    const gap = balance - (t.in - t.out);
    if (gap === 0) continue;
    const what = gap > 0 ? 'Earlier deposits, net of earlier withdrawals (derived: balance less the rows)'
      : 'Earlier withdrawals, net of earlier deposits (derived: balance less the rows)';
    add({ at: null, before: logStart, party: t.party, what, amount: gap, task: null, derived: true });
    if (gap > 0) { t.in += gap; t.deposits += gap; } else { t.out -= gap; t.withdrawals -= gap; }
  }
  rows.sort((a, b) => sortTime(b) - sortTime(a) || (b.task ?? -1) - (a.task ?? -1));

  let escrowHeld = 0;
  for (const v of ctx.views) escrowHeld += v.escrow;
  const sum = (type, field) => [...totals.values()].filter((t) => t.party.type === type).reduce((s, t) => s + t[field], 0);
  const engine = {
    deposited: market.deposited,
    withdrawn: market.withdrawn,
    clientBalances: sum('Client', 'balance'),
    agentBalances: sum('Agent', 'balance'),
    escrow: escrowHeld,
    platform: market.platformBalance,
  };
  const derivedTotals = {
    deposits: sum('Client', 'deposits'),
    paidToAgents: sum('Agent', 'earned'),
    fees: total(PLATFORM).fees,
    withdrawals: [...totals.values()].reduce((s, t) => s + t.withdrawals, 0),
  };
  return { rows, totals, engine, derived: derivedTotals, unknown, logStart };
}

/** Rows with an unknown instant sort by the latest instant they may have happened at. */
function sortTime(row) {
  return row.at ?? row.after ?? row.before ?? -1;
}

function balanceOf(market, names, party) {
  if (party.type === 'Platform') return market.platformBalance;
  const list = party.type === 'Client' ? names.clients : names.agents;
  return list[party.id]?.balance ?? 0;
}
