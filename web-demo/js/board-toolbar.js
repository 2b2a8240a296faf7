// The board's controls: search, filters, sort, the state chips with their counts. Built once and
// updated in place, so a redraw (the autopilot redraws every frame) never takes the focus or a
// half-typed search away. Every change goes to `onChange(filters, sort)`.

import { h, fill, select } from './dom.js';
import { STATES, defaultFilters } from './board-query.js';
import { stateLabel } from './words.js';

const SORT_OPTIONS = [['newest', 'Newest first'], ['reward', 'Highest reward'], ['deadline', 'Deadline soonest']];
const DUE_OPTIONS = [['any', 'Any time'], ['hour', 'Within 1 hour'], ['day', 'Within 1 day']];
const count = (n) => n.toLocaleString('en-US');

export class BoardToolbar {
  constructor({ filters, sort, onChange }) {
    this.filters = filters;
    this.sort = sort;
    this.onChange = onChange;
    this.categoriesKey = null;

    const changed = () => this.onChange(this.filters, this.sort);
    const control = (el, key, read = (e) => e.value) => {
      el.addEventListener(el.type === 'checkbox' || el.tagName === 'SELECT' ? 'change' : 'input', () => {
        this.filters[key] = read(el);
        changed();
      });
      return el;
    };

    this.search = control(h('input', {
      type: 'search', id: 'board-search', class: 'board-search', autocomplete: 'off',
      placeholder: 'Title, #id, category, client or agent',
    }), 'query');
    this.sortSelect = select(SORT_OPTIONS, { id: 'board-sort' });
    this.sortSelect.addEventListener('change', () => { this.sort = this.sortSelect.value; changed(); });
    this.category = control(select([['', 'All categories']], { id: 'board-category' }), 'category');
    this.minReward = control(h('input', { type: 'number', id: 'board-min-reward', min: 0, step: '0.01', inputmode: 'decimal', placeholder: 'min' }), 'minReward');
    this.maxReward = control(h('input', { type: 'number', id: 'board-max-reward', min: 0, step: '0.01', inputmode: 'decimal', placeholder: 'max' }), 'maxReward');
    this.due = control(select(DUE_OPTIONS, { id: 'board-due' }), 'due');
    this.mine = control(h('input', { type: 'checkbox', id: 'board-mine' }), 'mine', (e) => e.checked);
    this.canTake = control(h('input', { type: 'checkbox', id: 'board-can-take' }), 'canTake', (e) => e.checked);
    this.mineField = check(this.mine, 'Mine only');
    this.canTakeField = check(this.canTake, 'I can take it');
    this.clear = h('button', { type: 'button', class: 'quiet board-clear', text: 'Clear filters', onclick: () => this.clearFilters() });
    // On a phone the filters fold away behind one button, so the list starts on the first screen.
    this.filtersRow = h('div', { class: 'board-toolbar-row board-filters folded', id: 'board-filters', role: 'group', 'aria-label': 'Filters' });
    this.foldButton = h('button', {
      type: 'button', class: 'board-fold', 'aria-expanded': 'false', 'aria-controls': this.filtersRow.id,
      onclick: () => {
        const unfold = this.filtersRow.classList.toggle('folded') === false;
        this.foldButton.setAttribute('aria-expanded', String(unfold));
      },
    }, 'Filters', h('span', { class: 'fold-count' }));

    // One toggle per state; "All" lifts the state filter. Built once: only counts and pressed change.
    this.chips = new Map(['', ...STATES].map((state) => {
      const label = state ? stateLabel(state) : 'All';
      const number = h('span', { class: 'chip-count' });
      const button = h('button', {
        type: 'button', class: 'state-filter', 'aria-pressed': 'false', dataset: { state: state || 'all' },
        onclick: () => { this.filters.state = state; changed(); },
      }, h('span', { class: state ? `state state-${state}` : 'state state-all', text: label }), ' ', number);
      return [state, { button, number, label }];
    }));

    this.element = h('div', { class: 'board-toolbar' },
      h('div', { class: 'board-toolbar-row' },
        h('div', { class: 'field board-search-field' }, h('label', { for: this.search.id, text: 'Search tasks' }), this.search),
        h('div', { class: 'field' }, h('label', { for: this.sortSelect.id, text: 'Sort by' }), this.sortSelect),
        this.foldButton),
      fill(this.filtersRow,
        h('div', { class: 'field' }, h('label', { for: this.category.id, text: 'Category' }), this.category),
        h('fieldset', { class: 'board-reward' },
          h('legend', { text: 'Reward (credits)' }),
          h('label', { for: this.minReward.id, class: 'visually-hidden', text: 'Reward at least (credits)' }), this.minReward,
          h('span', { 'aria-hidden': 'true', text: '–' }),
          h('label', { for: this.maxReward.id, class: 'visually-hidden', text: 'Reward at most (credits)' }), this.maxReward),
        h('div', { class: 'field' }, h('label', { for: this.due.id, text: 'Due' }), this.due),
        this.mineField, this.canTakeField, this.clear),
      h('div', { class: 'state-filters', role: 'group', 'aria-label': 'Filter by state' },
        [...this.chips.values()].map((c) => c.button)));
  }

  /** Show what applies to this actor and this market; put the filter values into the controls. */
  update(ctx, counts, total, filtered) {
    const categories = ctx.market.categories();
    const key = categories.join('|');
    if (key !== this.categoriesKey) {
      this.categoriesKey = key;
      const chosen = this.filters.category;
      // A category the market does not know (after a reset) still shows, so the filter is visible.
      const options = chosen && !categories.includes(chosen) ? [...categories, chosen] : categories;
      fill(this.category, h('option', { value: '', text: 'All categories' }), options.map((c) => h('option', { value: c, text: c })));
    }
    const kind = ctx.actor?.type;
    this.mineField.hidden = !kind || kind === 'Operator';
    this.canTakeField.hidden = kind !== 'Agent';
    this.clear.hidden = !filtered;
    const f = this.filters;
    const folded = [f.category, String(f.minReward).trim() || String(f.maxReward).trim(), f.due !== 'any', f.mine, f.canTake].filter(Boolean).length;
    this.foldButton.lastChild.textContent = folded ? ` · ${folded}` : '';
    for (const [state, chip] of this.chips) {
      const n = state ? counts[state] ?? 0 : total;
      chip.number.textContent = count(n);
      chip.button.dataset.count = String(n);
      chip.button.setAttribute('aria-pressed', String(this.filters.state === state));
      chip.button.setAttribute('aria-label', `${chip.label}: ${count(n)} task${n === 1 ? '' : 's'}`);
    }
    this.show();
  }

  /** Put the current filters into the controls (a control keeps its value while it has focus). */
  show() {
    const f = this.filters;
    setValue(this.search, f.query);
    setValue(this.category, f.category);
    setValue(this.minReward, f.minReward);
    setValue(this.maxReward, f.maxReward);
    setValue(this.due, f.due);
    setValue(this.sortSelect, this.sort);
    this.mine.checked = f.mine;
    this.canTake.checked = f.canTake;
  }

  clearFilters() {
    Object.assign(this.filters, defaultFilters());
    this.show();
    // The button hides once nothing is filtered: the focus goes to the search box, not the page.
    this.search.focus();
    this.onChange(this.filters, this.sort);
  }
}

function check(input, text) {
  return h('div', { class: 'field check' }, input, h('label', { for: input.id, text }));
}

function setValue(el, value) {
  if (el.value !== value && document.activeElement !== el) el.value = value;
}
