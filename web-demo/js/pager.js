// Paging for long lists (the board, the ledger, an agent's past work): a list of thousands of rows
// draws one page of them, so a view stays quick at 20,000 tasks. The pager keeps its page across
// redraws and clamps it when the list shrinks (a new filter, a reset). Its controls are built once
// and updated in place, so a redraw while time runs does not take the focus from a pressed button.

import { h } from './dom.js';

const count = (n) => n.toLocaleString('en-US');

export class Pager {
  /** `label` names the list for screen readers ("Ledger pages"); `onChange` redraws. */
  constructor(label, perPage, onChange) {
    this.perPage = perPage;
    /** The current page, 0-based. */
    this.page = 0;
    this.pages = 1;
    this.onChange = onChange;
    this.controls = [];
    this.element = this.mirror(label);
  }

  /** Another set of controls for the same pages (e.g. under a long list). */
  mirror(label) {
    const button = (text, aria, to) => h('button', {
      type: 'button', class: 'small', text, 'aria-label': aria, onclick: () => this.go(to()),
    });
    const set = {
      first: button('«', 'First page', () => 0),
      previous: button('‹ Previous', 'Previous page', () => this.page - 1),
      status: h('span', { class: 'pager-status', 'aria-live': 'polite' }),
      next: button('Next ›', 'Next page', () => this.page + 1),
      last: button('»', 'Last page', () => this.pages - 1),
    };
    set.element = h('nav', { class: 'pager', 'aria-label': label }, set.first, set.previous, set.status, set.next, set.last);
    this.controls.push(set);
    return set.element;
  }

  go(page) {
    this.page = Math.min(Math.max(0, page), this.pages - 1);
    this.onChange();
  }

  /** Back to the first page (a new filter or order). */
  reset() {
    this.page = 0;
  }

  /** The rows of the current page, after updating the controls for `rows.length` rows. */
  slice(rows) {
    this.pages = Math.max(1, Math.ceil(rows.length / this.perPage));
    this.page = Math.min(this.page, this.pages - 1);
    const from = this.page * this.perPage;
    const to = Math.min(rows.length, from + this.perPage);
    for (const c of this.controls) {
      c.status.textContent = rows.length ? `${count(from + 1)}–${count(to)} of ${count(rows.length)}` : 'none';
      c.status.title = `Page ${this.page + 1} of ${this.pages}, ${this.perPage} per page`;
      c.first.disabled = c.previous.disabled = this.page === 0;
      c.next.disabled = c.last.disabled = this.page >= this.pages - 1;
    }
    return rows.slice(from, to);
  }
}
