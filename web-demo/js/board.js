// The task board: every task the actor may see, as one list that fits the screen (a table on a
// desktop, stacked cards on a phone), with search, filters, sorting and pages of 25. Only the
// page's rows are drawn, so a market of thousands of tasks draws as fast as a small one. Agents
// see on each open row whether they may take it; the reasons are one click away.

import { h, fill } from './dom.js';
import { money, relative, instant } from './format.js';
import { stateLabel } from './words.js';
import { BoardToolbar } from './board-toolbar.js';
import { selectTasks, rewardOf, defaultFilters, isFiltered, PAGE_SIZE } from './board-query.js';
import { Pager } from './pager.js';
import { inputHint } from './work-view.js';

const count = (n) => n.toLocaleString('en-US');
const SORT_CAPTION = { newest: 'newest first', reward: 'highest reward first', deadline: 'soonest deadline first' };

export class Board {
  constructor(container, ui) {
    this.ui = ui;
    // Filters, sort and page live here, so they stay while you move between tabs and roles.
    this.filters = defaultFilters();
    this.sort = 'newest';
    this.pager = new Pager('Pages', PAGE_SIZE, () => ui.render());
    this.bottomPager = this.pager.mirror('Pages (bottom)');
    this.toolbar = new BoardToolbar({
      filters: this.filters,
      sort: this.sort,
      onChange: (filters, sort) => {
        this.sort = sort;
        this.pager.reset();
        ui.render();
      },
    });
    this.summary = h('p', { class: 'muted board-summary', 'aria-live': 'polite' });
    this.list = h('div', { class: 'board-list' });
    // One listener for every row: a click anywhere on a row opens its task.
    this.list.addEventListener('click', (e) => {
      const row = e.target.closest('[data-task]');
      if (row && this.list.contains(row)) this.ui.openTask(Number(row.dataset.task));
    });
    fill(container,
      this.toolbar.element,
      h('div', { class: 'board-status' }, this.summary, this.pager.element),
      this.list,
      this.bottomPager);
  }

  render(ctx) {
    const started = performance.now();
    const agent = ctx.actor?.type === 'Agent' ? ctx.actor.id : null;
    // One eligibility answer per task per frame, shared by the filter and the rows.
    const eligibility = new Map();
    const reasons = (taskId) => {
      if (!eligibility.has(taskId)) eligibility.set(taskId, ctx.market.eligibility(taskId, agent));
      return eligibility.get(taskId);
    };
    const { matching, counts, total } = selectTasks(ctx.views, this.filters, this.sort, {
      actor: ctx.actor, names: ctx.names, now: ctx.now, canTake: (id) => !reasons(id).length,
    });
    const rows = this.pager.slice(matching);
    const first = this.pager.page * PAGE_SIZE;
    const filtered = isFiltered(this.filters);

    this.toolbar.update(ctx, counts, total, filtered);
    const all = ctx.views.length;
    this.summary.textContent = filtered
      ? `${count(all)} task${all === 1 ? '' : 's'} · ${count(matching.length)} match${matching.length === 1 ? '' : 'es'}`
      : `${count(all)} task${all === 1 ? '' : 's'}`;
    // No pager over an empty list; none under a list that fits on one page.
    this.pager.element.hidden = !matching.length;
    this.bottomPager.hidden = this.pager.pages < 2;

    const refocus = focusedTask(this.list);
    fill(this.list, rows.length
      ? this.table(rows, ctx, first, agent !== null ? reasons : null)
      : this.empty(all, filtered));
    refocus();

    performance.clearMeasures('board-render');
    performance.measure('board-render', { start: started });
    performance.mark('board-rendered');
  }

  table(rows, ctx, first, reasons) {
    const sorted = { newest: 'task', reward: 'reward', deadline: 'due' }[this.sort];
    const head = [['task', 'Task'], ['state', 'State'], ['category', 'Category'], ['reward', 'Reward'], ['due', 'Due'],
      ['client', 'Client'], ['holder', 'Agent'], ...(reasons ? [['you', 'For you']] : [])];
    return h('div', { class: 'table-wrap' }, h('table', { class: 'task-table' },
      h('caption', { class: 'visually-hidden', text: `Tasks ${first + 1}–${first + rows.length}, ${SORT_CAPTION[this.sort]}` }),
      h('thead', {}, h('tr', {}, head.map(([key, text]) => h('th', {
        scope: 'col', class: `col-${key}${key === 'reward' ? ' num' : ''}`, text,
        'aria-sort': key === sorted ? (this.sort === 'deadline' ? 'ascending' : 'descending') : null,
      })))),
      h('tbody', {}, rows.map((v) => this.row(v, ctx, reasons)))));
  }

  row(v, ctx, reasons) {
    const reward = rewardOf(v);
    const ceiling = v.spec.pricing.type === 'Bids' && v.price === null;
    const client = ctx.names.clients[v.client]?.name ?? `client #${v.client}`;
    const holder = v.holder === null ? null : ctx.names.agents[v.holder]?.name ?? `agent #${v.holder}`;
    // What the work is, in a few words, when the actor may see the input ("8 documents").
    const hint = inputHint(v);
    return h('tr', { class: 'task-row', dataset: { task: v.id, state: v.state } },
      h('td', { class: 'cell-task' },
        h('button', { type: 'button', class: 'card', dataset: { task: v.id } },
          h('span', { class: 'card-id', text: `#${v.id}` }), ' ', h('span', { class: 'card-title', text: v.spec.title })),
        hint ? h('span', { class: 'card-hint', text: hint }) : null),
      h('td', { class: 'cell-state' }, h('span', { class: `state state-${v.state}`, text: stateLabel(v.state) })),
      h('td', { class: 'cell-category', text: v.spec.category }),
      h('td', { class: 'cell-reward num', 'data-label': ceiling ? 'Up to' : null },
        h('span', { class: 'amount', text: money(reward) }), h('span', { class: 'unit', text: ' credits' })),
      h('td', { class: 'cell-due', 'data-label': v.deadline === null ? null : 'Due', title: v.deadline === null ? null : instant(v.deadline),
        text: v.deadline === null ? '—' : relative(v.deadline, ctx.now) }),
      h('td', { class: 'cell-client', 'data-label': 'Client', text: client }),
      h('td', { class: 'cell-holder', 'data-label': holder === null ? null : 'Agent', text: holder ?? '—' }),
      reasons && h('td', { class: 'cell-you' }, v.state === 'Open' ? eligibilityBadge(reasons(v.id)) : ''));
  }

  empty(all, filtered) {
    if (!all) return h('p', { class: 'board-empty', text: 'No tasks yet. A client posts one from "Post task", or run the autopilot.' });
    if (!filtered) return h('p', { class: 'board-empty', text: 'No tasks to show.' });
    return h('p', { class: 'board-empty' }, 'No tasks match these filters — ',
      h('button', { type: 'button', class: 'link', text: 'clear filters', onclick: () => this.toolbar.clearFilters() }), '.');
  }
}

function eligibilityBadge(reasons) {
  return reasons.length
    ? h('span', { class: 'badge no', text: 'Not eligible', title: reasons.join('\n') })
    : h('span', { class: 'badge yes', text: 'You can take it' });
}

/** The row button that has the focus, and a function that gives the focus back after a redraw. */
function focusedTask(list) {
  const el = document.activeElement;
  if (!el || !list.contains(el) || el.dataset.task === undefined) return () => {};
  const task = el.dataset.task;
  return () => list.querySelector(`button[data-task="${CSS.escape(task)}"]`)?.focus();
}
