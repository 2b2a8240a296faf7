// Messages to the person using the demo: refusals from the engine, storage trouble, recoveries.
// Each message has an id; a new message with the same id replaces the old one, so the latest
// outcome of an action never piles up under stale ones. Errors are announced (role="alert").

import { h, fill } from './dom.js';

export class Messages {
  constructor(container) {
    this.container = container;
    this.items = new Map();
    // The outcome of a form's action is also shown at that form, in view: the banner above can
    // be a screen or more away, so a refused click seemed to do nothing (issue 14, bug 1).
    this.lastForm = null;
    document.addEventListener('submit', (e) => { this.lastForm = e.target; }, true);
  }

  /**
   * Show a message. `kind`: error | warn | info | ok. `options.id` replaces the message with that
   * id; `options.actions`: `[{ label, run }]` buttons; `options.code`: the MarketError code.
   */
  notify(kind, text, options = {}) {
    const id = options.id ?? `m${this.items.size}-${Date.now()}`;
    const close = () => this.dismiss(id);
    const el = h('div', {
      class: `message message-${kind}`,
      role: kind === 'error' ? 'alert' : 'status',
      dataset: { id, kind, ...(options.code ? { code: options.code } : {}) },
    },
    h('p', { class: 'message-text' },
      h('strong', { text: { error: 'Error', warn: 'Warning', info: 'Note', ok: 'Done' }[kind] ?? kind }), ' ',
      text),
    h('div', { class: 'message-actions' },
      (options.actions ?? []).map((a) => h('button', { type: 'button', onclick: () => a.run(), text: a.label })),
      h('button', { type: 'button', class: 'quiet', 'aria-label': 'Dismiss message', onclick: close, text: '×' })));
    const old = this.items.get(id);
    if (old) old.replaceWith(el);
    else this.container.append(el);
    this.items.set(id, el);
    if (options.id === 'outcome') this.atForm(kind, text);
    // A modal dialog makes the page behind it inert and dim: repeat the news inside the dialog.
    for (const slot of document.querySelectorAll('dialog[open] .dialog-messages')) {
      fill(slot, h('p', { class: `dialog-message message-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
        h('strong', { text: kind === 'error' ? 'Error' : kind === 'ok' ? 'Done' : 'Note' }), ' ', text));
    }
  }

  /** The outcome, again, at the end of the form whose submit caused it, scrolled into view. */
  atForm(kind, text) {
    const form = this.lastForm;
    this.lastForm = null;
    for (const old of document.querySelectorAll('.form-message')) old.remove();
    if (!form?.isConnected) return;
    const el = h('p', { class: `form-message message-${kind}`, role: kind === 'error' ? 'alert' : 'status', dataset: { kind } },
      h('strong', { text: { error: 'Error', warn: 'Warning', info: 'Note', ok: 'Done' }[kind] ?? kind }), ' ', text);
    form.append(el);
    el.scrollIntoView({ block: 'nearest' });
  }

  dismiss(id) {
    this.items.get(id)?.remove();
    this.items.delete(id);
  }

  clear() {
    fill(this.container);
    this.items.clear();
  }
}
