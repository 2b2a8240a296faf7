// The first screen: what this is, and one obvious start. A newcomer saw an empty admin panel
// (issue 14); now an empty market opens with a short explanation and "Run a market for a day",
// which fills it with the autopilot and then points at what to look at, each pointer a button
// that goes there. The guide can be closed and reopened from the header ("Guide"); it stays out
// of the way of a market filled some other way.

import { h, fill } from './dom.js';
import { money, TIME } from './format.js';

/** Remembers that the guide was closed, so a returning visitor is not greeted again. */
const CLOSED_KEY = 'gigmarket.demo.guide-closed';
/** The autopilot's step while filling a day: the default step size of the header's control. */
const DAY_STEP_MS = 10 * TIME.MINUTE;

export class Welcome {
  /**
   * @param {HTMLElement} container the section above the tabs
   * @param {{ session, ui, storage: Storage, onRole: Function }} deps `onRole(role)` switches the
   *   person's role (the header's picker and the session follow).
   */
  constructor(container, { session, ui, storage, onRole }) {
    this.container = container;
    this.session = session;
    this.ui = ui;
    this.storage = storage;
    this.onRole = onRole;
    this.open = !this.wasClosed();
    this.tour = false;
  }

  wasClosed() {
    try {
      return this.storage.getItem(CLOSED_KEY) === 'yes';
    } catch {
      return false;
    }
  }

  /** Show the guide again (the header's "Guide" button). */
  show() {
    this.open = true;
    this.tour = this.session.views({ type: 'Operator' }).length > 0;
    this.ui.render();
    this.container.scrollIntoView({ block: 'start' });
  }

  close() {
    this.open = false;
    try {
      this.storage.setItem(CLOSED_KEY, 'yes');
    } catch {
      // Storage full or unavailable: the guide comes back next visit, which is harmless.
    }
    this.ui.render();
  }

  /** Fill the market with one simulated day, then show the pointers. */
  runDay() {
    const steps = TIME.DAY / DAY_STEP_MS;
    this.session.batch(() => {
      for (let i = 0; i < steps; i += 1) if (!this.session.step(DAY_STEP_MS).ok) break;
    });
    this.tour = true;
    this.ui.render();
  }

  render(ctx) {
    const empty = ctx.views.length === 0;
    // The introduction greets an empty market; a market someone has already filled (the autopilot,
    // an import) keeps the page for itself until the guide is asked for.
    const visible = this.open && (empty || this.tour);
    this.container.hidden = !visible;
    if (!visible) return;
    fill(this.container,
      h('button', { type: 'button', class: 'dialog-close welcome-close', 'aria-label': 'Close the guide', onclick: () => this.close(), text: '×' }),
      this.tour && !empty ? this.pointers(ctx) : this.intro(empty));
  }

  intro(empty) {
    return [
      h('h2', { id: 'welcome-h', text: 'A marketplace for AI agents and people, running in your browser' }),
      h('p', { class: 'lead', text: 'Businesses post small, precisely specified tasks with checks a machine can run. '
        + 'Agents, AI or human, claim or bid for them, ask when something is unclear, and hand in work that is checked '
        + 'before anyone pays. The reward waits in escrow until the work is accepted, and every outcome feeds a '
        + 'reputation per category, so the agents that deliver rise to the top.' }),
      h('div', { class: 'button-row welcome-actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => this.runDay(),
          text: empty ? 'Run a market for a day' : 'Run the market for another day' }),
        h('button', { type: 'button', onclick: () => this.close(), text: empty ? 'Start with an empty market' : 'Close the guide' })),
      h('p', { class: 'muted small', text: 'Simulated businesses post real work (documents to verify, datasets to analyse, '
        + 'borrowers to write to) and reference agents do it by their own methods; you can act as any of them at any time, '
        + 'or do a task by hand. Everything stays in this browser.' }),
    ];
  }

  pointers(ctx) {
    const views = ctx.views;
    const paid = views.filter((v) => v.state === 'Settled');
    const example = paid.at(-1) ?? views.at(-1);
    const escrowed = views.filter((v) => !['Settled', 'Cancelled', 'Expired'].includes(v.state))
      .reduce((sum, v) => sum + v.escrow, 0);
    const step = (title, text, label, run) => h('li', {},
      h('strong', { text: title }), ' ', text, ' ',
      h('button', { type: 'button', class: 'link', onclick: run, text: label }));
    return [
      h('h2', { id: 'welcome-h', text: `The market ran: ${views.length.toLocaleString('en-US')} tasks, ${paid.length.toLocaleString('en-US')} paid` }),
      h('p', { class: 'lead', text: `It is now ${ctx.clock}. ${money(escrowed)} credits wait in escrow for work in progress. What to look at:` }),
      h('ol', { class: 'welcome-steps' },
        step('A task, start to finish.', 'Its page shows the real input (documents, a dataset or borrower records), the work handed in, the checks it passed, the review and the payment.',
          `Open task #${example.id}`, () => this.ui.openTask(example.id)),
        step('Who rises.', 'The leaderboard ranks agents by reputation in each category; a score explains itself in plain words.',
          'Show the leaderboard', () => this.ui.tab('leaderboard')),
        step('How it moved.', 'Reputation and activity over the day.', 'Show the charts', () => this.ui.tab('charts')),
        step('Take part.', 'Act as a client to post a task and rank the agents for it (reputation counts only work the market chose, such as a claim from the ranking\'s first three), or as an agent to claim one; the engine refuses what a role may not do, and says why.',
          'Act as a client', () => this.onRole({ type: 'Client' })),
        step('Let time run.', 'Play in the header keeps the market going at the speed you choose, and tells you what happened when you pause.',
          'Close the guide', () => this.close())),
    ];
  }
}
