// The event log, newest first, each event with the engine's explanation of it. The page keeps a
// bounded tail of the log (see session.js); the engine's state does not depend on it.

import { h, fill } from './dom.js';
import { instant } from './format.js';
import { describe } from './explain.js';
import { eventLabel } from './words.js';

const SHOWN = 200;

export class EventLog {
  constructor(container, ui) {
    this.ui = ui;
    this.filter = h('input', { id: 'log-filter', type: 'search', placeholder: 'e.g. payment or #12' });
    this.filter.addEventListener('input', () => ui.render());
    this.list = h('ol', { class: 'log', reversed: true });
    this.count = h('span', { class: 'muted' });
    fill(container,
      h('div', { class: 'toolbar' }, h('label', { for: 'log-filter', text: 'Filter' }), this.filter, this.count),
      this.list);
  }

  render(ctx) {
    const needle = this.filter.value.trim().toLowerCase();
    const info = { names: ctx.names, now: ctx.now, categories: ctx.market.categories() };
    const rows = [];
    for (let i = ctx.session.log.length - 1; i >= 0 && rows.length < SHOWN; i -= 1) {
      const entry = ctx.session.log[i];
      const { text, details } = describe(entry, info);
      const type = entry.ev?.type ?? 'Note';
      const label = entry.ev ? eventLabel(type) : 'Note';
      // The engine's name still filters (developers type it), but the page shows the plain one.
      if (needle && !`${type} ${label} ${text}`.toLowerCase().includes(needle)) continue;
      rows.push(h('li', { class: 'log-entry', dataset: { type } },
        h('div', { class: 'log-head' },
          h('span', { class: 'log-time', text: instant(entry.ev?.at ?? entry.at) }),
          h('span', { class: 'event-type', text: label, title: type })),
        h('p', { class: 'log-text', text }),
        details.map((d) => h('details', {},
          h('summary', { text: d.title }),
          h('ul', {}, d.items.map((it) => h('li', { text: it })))))));
    }
    this.count.textContent = `${ctx.session.log.length} events kept (the newest ${ctx.session.log.length >= 300 ? 300 : 'ones'})`;
    fill(this.list, rows.length ? rows : h('li', { class: 'muted', text: needle ? 'No event matches.' : 'No event yet.' }));
  }
}
