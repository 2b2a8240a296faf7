// The autopilot controls and the simulated clock. Each step advances the clock by the chosen
// step size and lets the engine's autopilot act (simulated `auto-…` clients post and review,
// the operator assigns in a batch, simulated agents hand in work). Run repeats steps at the
// chosen speed; the clock controls let time pass without the autopilot (deadlines fire).

import { TIME, instant, money } from './format.js';

export class Autopilot {
  constructor({ stepButton, runButton, speedSelect, sizeSelect, session, onStop }) {
    this.session = session;
    this.runButton = runButton;
    this.speedSelect = speedSelect;
    this.sizeSelect = sizeSelect;
    this.onStop = onStop;
    this.timer = null;
    stepButton.addEventListener('click', () => this.step());
    runButton.addEventListener('click', () => (this.timer === null ? this.run() : this.pause()));
    // Storage full or an engine failure: stop, so nothing piles up unsaved.
    session.addEventListener('storagefull', () => this.pause());
    session.addEventListener('failure', () => this.pause());
  }

  stepMs() {
    return Number(this.sizeSelect.value) * TIME.MINUTE;
  }

  step() {
    const result = this.session.step(this.stepMs());
    if (result.ok && this.tally) this.tally.add(result.value);
    return result.ok;
  }

  run() {
    this.runButton.setAttribute('aria-pressed', 'true');
    this.runButton.textContent = 'Pause';
    this.tally = new Tally(this.session.now);
    const loop = () => {
      if (!this.step()) {
        this.pause();
        return;
      }
      if (this.timer === null) return;
      const perSecond = Number(this.speedSelect.value);
      this.timer = setTimeout(loop, perSecond > 0 ? 1000 / perSecond : 0);
    };
    this.timer = setTimeout(loop, 0);
  }

  pause() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.runButton.setAttribute('aria-pressed', 'false');
    this.runButton.textContent = 'Play';
    // What happened while time ran: the page changed under the person's eyes, so say it in one line.
    if (this.tally) {
      const summary = this.tally.summary(this.session.now);
      this.tally = null;
      if (summary) this.session.notify('info', summary, { id: 'while-running' });
    }
    this.onStop?.();
  }

  get running() {
    return this.timer !== null;
  }
}

/** Counts what happened while time ran, for the notice shown on pause. */
class Tally {
  constructor(from) {
    this.from = from;
    this.counts = {};
    this.paid = 0;
  }

  add(events) {
    for (const e of events) {
      this.counts[e.type] = (this.counts[e.type] ?? 0) + 1;
      if (e.type === 'TaskSettled') this.paid += e.settlement?.to_agent ?? 0;
    }
  }

  summary(to) {
    if (to === this.from) return null;
    const n = (type) => this.counts[type] ?? 0;
    const parts = [
      [n('TaskPosted'), 'posted'], [n('TaskClaimed'), 'claimed'], [n('TaskSettled'), 'paid'],
      [n('VerificationFailed'), 'failed their checks'], [n('WorkRejected'), 'sent back by a reviewer'],
      [n('TaskExpired'), 'expired'], [n('DisputeOpened'), 'disputed'],
    ].filter(([count]) => count > 0).map(([count, what]) => `${count.toLocaleString('en-US')} ${what}`);
    const money_ = this.paid > 0 ? ` Agents were paid ${money(this.paid)} credits.` : '';
    return `While time ran (${instant(this.from)} → ${instant(to)}): ${parts.length ? `tasks ${parts.join(', ')}` : 'nothing happened'}.${money_}`;
  }
}
