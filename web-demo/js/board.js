// The task board: one column per lifecycle state (the engine's state names), newest first. Long
// columns show their newest cards only, so a market with thousands of tasks still draws quickly.
// Agents see on each open card whether they may take it; the reasons are one click away.

import { h, fill, select } from './dom.js';
import { money, relative } from './format.js';
import { stateLabel } from './words.js';

/** Board columns: the TaskStatus states (Submitted lasts only inside one SubmitWork, so it has none). */
export const STATES = ['Open', 'Claimed', 'InputRequired', 'UnderReview', 'Rejected', 'Disputed', 'Settled', 'Cancelled', 'Expired'];
const CARDS_PER_COLUMN = 30;

export class Board {
  constructor(container, ui) {
    this.ui = ui;
    this.show = select([['all', 'All tasks'], ['mine', 'Mine only']], { id: 'board-show' });
    this.show.addEventListener('change', () => ui.render());
    this.summary = h('p', { class: 'muted board-summary' });
    // Every state's count at a glance; a click brings its column into view (the board scrolls
    // sideways when its nine columns do not fit).
    this.jump = h('nav', { class: 'state-jump', 'aria-label': 'Columns by state' });
    this.columns = h('div', { class: 'board-columns' });
    fill(container,
      h('div', { class: 'toolbar' },
        h('label', { for: 'board-show', text: 'Show' }), this.show, this.summary),
      this.jump,
      this.columns);
  }

  render(ctx) {
    const mine = this.show.value === 'mine';
    const views = mine ? ctx.views.filter((v) => isMine(v, ctx)) : ctx.views;
    const byState = Object.fromEntries(STATES.map((s) => [s, []]));
    for (const v of views) byState[v.state]?.push(v);
    this.summary.textContent = `${views.length} task${views.length === 1 ? '' : 's'}${mine ? ' of yours' : ''}; clock ${ctx.clock}.`;
    fill(this.jump, STATES.map((state) => h('button', {
      type: 'button', class: 'jump',
      onclick: () => this.columns.querySelector(`[data-state="${state}"]`)?.scrollIntoView({ inline: 'start', block: 'nearest' }),
    }, h('span', { class: `state state-${state}`, text: stateLabel(state) }), ` ${byState[state].length}`)));
    fill(this.columns, STATES.map((state) => this.column(state, byState[state], ctx)));
    performance.mark('board-rendered');
  }

  column(state, views, ctx) {
    const id = `col-${state}`;
    const shown = views.slice(-CARDS_PER_COLUMN).reverse();
    return h('section', { class: `column column-${state}`, 'aria-labelledby': id, dataset: { state } },
      h('h3', { id },
        h('span', { class: `state state-${state}`, text: stateLabel(state) }), ' ',
        h('span', { class: 'count', text: String(views.length), 'aria-label': `${views.length} tasks` })),
      h('ul', { class: 'cards' },
        shown.map((v) => h('li', {}, this.card(v, ctx))),
        views.length > shown.length && h('li', { class: 'muted more', text: `and ${views.length - shown.length} older` })));
  }

  card(v, ctx) {
    const price = v.price ?? (v.spec.pricing.type === 'Fixed' ? v.spec.pricing.reward : v.spec.pricing.ceiling);
    let badge = null;
    if (ctx.actor?.type === 'Agent' && v.state === 'Open') {
      const reasons = ctx.market.eligibility(v.id, ctx.actor.id);
      badge = reasons.length
        ? h('span', { class: 'badge no', text: 'not eligible', title: reasons.join('\n') })
        : h('span', { class: 'badge yes', text: 'eligible' });
    }
    return h('button', { type: 'button', class: 'card', dataset: { task: v.id }, onclick: () => this.ui.openTask(v.id) },
      h('span', { class: 'card-title' }, h('span', { class: 'card-id', text: `#${v.id}` }), ' ', v.spec.title),
      h('span', { class: 'card-meta' },
        `${v.spec.category} · ${money(price)}${v.spec.pricing.type === 'Bids' && v.price === null ? ' max' : ''}`,
        v.deadline !== null ? ` · ${relative(v.deadline, ctx.now)}` : '',
        v.holder !== null ? ` · ${ctx.names.agents[v.holder]?.name ?? `agent #${v.holder}`}` : ''),
      badge);
  }
}

function isMine(v, ctx) {
  const a = ctx.actor;
  if (!a || a.type === 'Operator') return true;
  if (a.type === 'Client') return v.client === a.id;
  if (a.type === 'Agent') return v.holder === a.id || v.bids.some((b) => b.agent === a.id);
  return v.state === 'UnderReview' && v.submission !== null;
}
