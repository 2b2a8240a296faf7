// Paging for long lists: a list of thousands of rows draws one page of them, so a view stays
// quick at 20,000 tasks. The pager keeps its page across redraws and clamps it when the list
// shrinks (a new filter, a reset).

import { h, fill } from './dom.js';

export class Pager {
  /** `label` names the list for screen readers ("Ledger pages"); `onChange` redraws. */
  constructor(label, perPage, onChange) {
    this.perPage = perPage;
    this.page = 0;
    this.onChange = onChange;
    this.element = h('nav', { class: 'pager', 'aria-label': label });
  }

  /** The rows of the current page, after drawing the controls for `total` rows. */
  slice(rows) {
    const pages = Math.max(1, Math.ceil(rows.length / this.perPage));
    this.page = Math.min(this.page, pages - 1);
    const from = this.page * this.perPage;
    const go = (page) => () => {
      this.page = page;
      this.onChange();
    };
    fill(this.element,
      h('button', { type: 'button', class: 'small', onclick: go(0), disabled: this.page === 0, 'aria-label': 'First page', text: '«' }),
      h('button', { type: 'button', class: 'small', onclick: go(this.page - 1), disabled: this.page === 0, text: 'Previous' }),
      h('span', { class: 'pager-status', 'aria-live': 'polite',
        text: rows.length ? `${from + 1}–${Math.min(rows.length, from + this.perPage)} of ${rows.length.toLocaleString('en-US')} · page ${this.page + 1} of ${pages}` : 'none' }),
      h('button', { type: 'button', class: 'small', onclick: go(this.page + 1), disabled: this.page >= pages - 1, text: 'Next' }),
      h('button', { type: 'button', class: 'small', onclick: go(pages - 1), disabled: this.page >= pages - 1, 'aria-label': 'Last page', text: '»' }));
    return rows.slice(from, from + this.perPage);
  }

  reset() {
    this.page = 0;
  }
}
