// An agent's profile in a dialog, as a client would look a freelancer up: who it is, its tier,
// its reputation per category now and over time, what it earned, the ratings it received and
// its past work (10 a page, newest first). Opened from the leaderboard, the ledger and the task
// dialog. Money and past work come from the derived money index (money-flows.js); what the engine
// does not keep is said where it is missing.

import { h, fill, rememberFocus } from './dom.js';
import { money, score, instant } from './format.js';
import { describeChange } from './explain.js';
import { moneyFlows } from './money-flows.js';
import { Pager } from './pager.js';
import { reputationPoints, reputationSparkline } from './sparkline.js';

const WORK_PER_PAGE = 10;
const RECENT_CHANGES = 4;

export class AgentProfile {
  constructor(dialog, ui) {
    this.dialog = dialog;
    this.ui = ui;
    this.body = dialog.querySelector('.dialog-body');
    this.title = dialog.querySelector('h2');
    this.agent = null;
    this.signature = '';
    this.pager = new Pager('Past work pages', WORK_PER_PAGE, () => {
      this.signature = '';
      ui.render();
    });
    dialog.querySelector('.dialog-close').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      this.agent = null;
      this.returnFocus?.();
    });
  }

  open(agentId, ctx) {
    this.returnFocus = rememberFocus();
    this.agent = agentId;
    this.signature = '';
    this.pager.reset();
    this.render(ctx);
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.scrollTop = 0;
  }

  /** Redraw when the market changed (the autopilot may be running) or the page turned. */
  render(ctx) {
    if (this.agent === null) return;
    const started = performance.now();
    const flows = moneyFlows(ctx);
    const sig = `${flows.version}|${this.agent}|${this.pager.page}`;
    if (sig === this.signature) return;
    this.signature = sig;
    const agent = ctx.names.agents[this.agent];
    if (!agent) {
      fill(this.title, `Agent #${this.agent}`);
      fill(this.body, h('p', { class: 'muted', text: 'This market has no such agent (it was reset or replaced).' }));
      return;
    }
    const work = flows.workOf(agent.id);
    const explained = ctx.market.categories().map((category) => ({ category, x: ctx.market.explainScore(agent.id, category) }));
    const heard = changesByTask(explained);
    const tier = ctx.market.tier(agent.id);
    fill(this.title, `${agent.name} `, h('span', { class: `tier tier-${tier}`, text: tier.replace('_', ' ') }));
    fill(this.body,
      h('div', { class: 'profile-columns' },
        h('div', {}, facts(agent, work, ctx), ratings(work, heard)),
        h('div', {}, reputation(agent, explained, work, ctx, this.ui), recentChanges(explained, ctx))),
      this.pastWork(work, heard, ctx),
      h('p', { class: 'muted small', text: 'What is not kept: the engine keeps each finished task\'s agent, verdict and whether it was rated, '
        + 'not when it settled, the stars given or a bid\'s price. Those come from this page\'s event log (the newest 300 events) '
        + 'and the engine\'s latest score changes per category; the reputation lines are the page\'s chart samples, taken while '
        + 'the agent was in a board\'s top ten.' }));
    performance.clearMeasures('profile-render');
    performance.measure('profile-render', { start: started });
  }

  /** The task dialog may already be open beneath this one: close the profile so the task shows. */
  openTask(id) {
    this.dialog.close();
    this.ui.openTask(id);
  }

  pastWork(work, heard, ctx) {
    const page = this.pager.slice(work);
    return h('section', { class: 'past-work', 'aria-labelledby': 'past-work-h' },
      h('div', { class: 'toolbar' }, h('h3', { id: 'past-work-h', text: `Past work (${work.length.toLocaleString('en-US')} settled, newest first)` }), this.pager.element),
      work.length === 0 ? h('p', { class: 'muted', text: 'No settled work yet.' })
        : h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Past work' },
          h('table', { class: 'past-work-table' },
            h('thead', {}, h('tr', {}, ['Task', 'Category', 'Outcome', 'Rating', 'Paid (credits)', 'When'].map((c) => h('th', { scope: 'col', text: c })))),
            h('tbody', {}, page.map((rec) => {
              const at = rec.endedAt ?? heard.settledAt.get(rec.id) ?? null;
              return h('tr', {},
                h('td', { class: 'wrap' }, h('button', { type: 'button', class: 'link', dataset: { task: rec.id }, onclick: () => this.openTask(rec.id) },
                  h('span', { class: 'card-id', text: `#${rec.id}` }), ` ${rec.title}`)),
                h('td', { text: rec.category }),
                h('td', { text: rec.verdict.replace(/_/g, ' ') }),
                h('td', { text: stars(rec, heard) }),
                h('td', { class: 'num paid', dataset: { paid: rec.settlement?.to_agent ?? '' }, text: rec.settlement ? money(rec.settlement.to_agent) : 'not kept' }),
                h('td', at === null ? { class: 'muted', title: 'The engine does not keep when a task settled; this is when it was posted.', text: `posted ${instant(rec.postedAt)}` }
                  : { text: instant(at) }));
            })))));
  }
}

/** The agent's account and totals. */
function facts(agent, work, ctx) {
  let earned = 0;
  let unknown = 0;
  let paid = 0;
  for (const rec of work) {
    if (!rec.settlement) unknown += 1;
    else {
      earned += rec.settlement.to_agent;
      if (rec.settlement.to_agent > 0) paid += 1;
    }
  }
  const standing = agent.standing?.state ?? 'Active';
  return h('section', { 'aria-label': 'Account' },
    h('dl', { class: 'stats profile-facts' },
      h('dt', { text: 'Agent' }), h('dd', { text: `${ctx.names.agent(agent.id)} · ${agent.kind} · for ${agent.owner}` }),
      h('dt', { text: 'Standing' }), h('dd', { text: standing }),
      h('dt', { text: 'Skills' }), h('dd', { text: agent.skills.map((s) => `${s.name} ${s.level}`).join(', ') || 'none' }),
      h('dt', { text: 'Earnings' }), h('dd', { class: 'earnings', dataset: { earnings: earned } },
        h('strong', { text: money(earned) }), ` credits from ${paid} paid task${paid === 1 ? '' : 's'} (after platform fees)`,
        unknown ? h('span', { class: 'muted', text: `; ${unknown} payout${unknown === 1 ? '' : 's'} not kept by the engine` }) : ''),
      h('dt', { text: 'Balance now' }), h('dd', { text: `${money(agent.balance)} (earnings not yet withdrawn)` }),
      h('dt', { text: 'Tasks settled' }), h('dd', { class: 'settled-count', dataset: { settled: work.length }, text: work.length.toLocaleString('en-US') })));
}

/** Stars received: every rated task counts; the stars themselves only where still known. */
function ratings(work, heard) {
  const rated = work.filter((r) => r.rated);
  const counts = [0, 0, 0, 0, 0];
  let known = 0;
  for (const rec of rated) {
    const q = rec.stars?.quality ?? heard.stars.get(rec.id);
    if (q === undefined) continue;
    counts[q - 1] += 1;
    known += 1;
  }
  const mean = known ? counts.reduce((s, c, i) => s + c * (i + 1), 0) / known : null;
  const most = Math.max(1, ...counts);
  return h('section', { class: 'profile-ratings', 'aria-labelledby': 'ratings-h' },
    h('h3', { id: 'ratings-h', text: 'Ratings received' }),
    h('p', {}, `${rated.length} of ${work.length} settled tasks rated by their clients.`,
      known ? ` Stars kept for the latest ${known}: mean ${mean.toFixed(2)} ★.` : ' The stars of older ratings are not kept.'),
    known ? h('ol', { class: 'star-bars', reversed: true }, [5, 4, 3, 2, 1].map((s) => h('li', {},
      h('span', { class: 'star-label', text: `${s} ★` }),
      h('span', { class: 'star-bar', style: `--v:${counts[s - 1] / most}` }),
      h('span', { class: 'num', text: String(counts[s - 1]) })))) : null);
}

/** Per category: the score now, the work behind it, and the score over time. */
function reputation(agent, explained, work, ctx, ui) {
  const byCategory = new Map();
  for (const rec of work) {
    const c = byCategory.get(rec.category) ?? { settled: 0, rated: 0 };
    c.settled += 1;
    if (rec.rated) c.rated += 1;
    byCategory.set(rec.category, c);
  }
  const overall = ctx.market.leaderboard(null).find((r) => r.agent === agent.id);
  const rows = [
    { name: 'Overall', board: '', mean: overall?.score.mean, lower: overall?.score.lower, settled: work.length, rated: work.filter((r) => r.rated).length },
    ...explained.map(({ category, x }) => ({ name: category, board: category, category, mean: x.score.mean, lower: x.score.lower, ...(byCategory.get(category) ?? { settled: 0, rated: 0 }) })),
  ];
  return h('section', { 'aria-labelledby': 'rep-h' },
    h('h3', { id: 'rep-h', text: 'Reputation by category' }),
    h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Reputation by category' },
      h('table', { class: 'reputation-table' },
        h('thead', {}, h('tr', {}, ['Category', 'Score', 'Lower bound', 'Settled', 'Rated', 'Over time'].map((c) => h('th', { scope: 'col', text: c })))),
        h('tbody', {}, rows.map((r) => h('tr', { dataset: { category: r.board } },
          h('th', { scope: 'row' }, r.category
            ? h('button', { type: 'button', class: 'link', onclick: () => ui.explain(agent.id, r.category), text: r.name, 'aria-label': `Explain ${agent.name}'s score in ${r.name}` })
            : r.name),
          h('td', { class: 'num', text: score(r.mean) }),
          h('td', { class: 'num', text: score(r.lower) }),
          h('td', { class: 'num', text: String(r.settled) }),
          h('td', { class: 'num', text: String(r.rated) }),
          h('td', {}, reputationSparkline(reputationPoints(ctx.session.series, r.board, agent.id), { label: `${r.name} score over time` })
            ?? h('span', { class: 'muted small', text: 'not sampled' }))))))));
}

function recentChanges(explained, ctx) {
  const all = explained.flatMap(({ category, x }) => x.changes.map((c) => ({ ...c, categoryName: category })))
    .sort((a, b) => b.at - a.at).slice(0, RECENT_CHANGES);
  return h('section', { 'aria-labelledby': 'changes-h' },
    h('h3', { id: 'changes-h', text: 'Latest score changes' }),
    all.length === 0 ? h('p', { class: 'muted', text: 'None yet: its scores are the priors.' })
      : h('ol', { class: 'changes' }, all.map((c) => h('li', {},
        h('span', { class: 'muted', text: `${instant(c.at)} · ${c.categoryName}${c.task === null ? '' : ` · task #${c.task}`} · ` }),
        describeChange(c, ctx.names)))));
}

/** What the engine's latest score changes still say per task: when it settled, the stars. */
function changesByTask(explained) {
  const settledAt = new Map();
  const starsOf = new Map();
  for (const { x } of explained) {
    for (const c of x.changes) {
      if (c.task === null) continue;
      if (c.cause.type === 'Settled') settledAt.set(c.task, c.at);
      else if (c.cause.type === 'Rated') starsOf.set(c.task, c.cause.stars);
    }
  }
  return { settledAt, stars: starsOf };
}

function stars(rec, heard) {
  if (!rec.rated) return 'not rated';
  if (rec.stars) return `${rec.stars.quality} ★ quality, ${rec.stars.timeliness} ★ on time`;
  const q = heard.stars.get(rec.id);
  return q === undefined ? 'rated (stars not kept)' : `${q} ★`;
}
