// The autopilot controls and the simulated clock. Each step advances the clock by the chosen
// step size and lets the engine's autopilot act (simulated `auto-…` clients post and review,
// the operator assigns in a batch, simulated agents hand in work). Run repeats steps at the
// chosen speed; the clock controls let time pass without the autopilot (deadlines fire).

import { TIME } from './format.js';

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
    return this.session.step(this.stepMs()).ok;
  }

  run() {
    this.runButton.setAttribute('aria-pressed', 'true');
    this.runButton.textContent = 'Pause';
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
    this.runButton.textContent = 'Run';
    this.onStop?.();
  }

  get running() {
    return this.timer !== null;
  }
}
