// A clock for hosts: drives `market.tick` from `market.nextDeadline()` on a timer, so that a lease
// expires, a review auto-accepts or a bidding round closes when it is due, with no polling.
//
// The engine has no clock and never acts on its own (DESIGN.md): the host passes time in. This is
// the small piece every live host would otherwise write: read the host's clock, stamp commands
// with it, and sleep until the next deadline. Commands go through the clock (`apply`,
// `applyJson`, `applyRequest`) so that it can re-arm the timer when a command adds an earlier
// deadline.

// setTimeout's largest delay (about 24.8 days); longer sleeps wake early and sleep again.
const MAX_DELAY_MS = 2 ** 31 - 1;

export class MarketClock {
  #market;
  #now;
  #onEvents;
  #onError;
  #timer;
  #setTimer;
  #clearTimer;
  #stopped = false;

  constructor(market, { now = Date.now, onEvents = () => {}, onError = (e) => { throw e; }, setTimer = setTimeout, clearTimer = clearTimeout } = {}) {
    this.#market = market;
    this.#now = now;
    this.#onEvents = onEvents;
    this.#onError = onError;
    this.#setTimer = setTimer;
    this.#clearTimer = clearTimer;
    this.tick();
  }

  /** The market this clock drives. */
  get market() {
    return this.#market;
  }

  /** Act on every deadline due by the host's clock now, then sleep until the next one. */
  tick() {
    if (this.#stopped) return [];
    let events = [];
    try {
      events = this.#market.tick(this.#at());
      if (events.length) this.#onEvents(events);
    } catch (e) {
      this.#onError(e);
    }
    this.#arm();
    return events;
  }

  /** `market.apply` stamped with the host's clock now. */
  apply(actor, command) {
    return this.#run(() => this.#market.apply(this.#at(), actor, command));
  }

  /** `market.applyRequest` stamped with the host's clock now. */
  applyRequest(actor, requestId, command) {
    return this.#run(() => this.#market.applyRequest(this.#at(), actor, requestId, command));
  }

  /** `market.applyJson` stamped with the host's clock now. */
  applyJson(actorJson, commandJson) {
    return this.#run(() => this.#market.applyJson(this.#at(), actorJson, commandJson));
  }

  /** Stop the timer (the market stays usable; `free()` it separately). */
  stop() {
    this.#stopped = true;
    this.#disarm();
  }

  #run(call) {
    try {
      return call();
    } finally {
      this.#arm();
    }
  }

  // Never earlier than the market's own last instant: a host clock that steps back (NTP) must
  // not make every command fail with time_went_backwards.
  #at() {
    return Math.max(Math.floor(this.#now()), this.#market.now);
  }

  // The timer functions are called as plain functions, never as methods of the clock: a
  // browser's `setTimeout` / `clearTimeout` throw "Illegal invocation" when `this` is not the
  // global object.
  // Never throws: it runs after a command (whose result or refusal must reach the caller) and
  // from a timer (where nothing would catch). A market freed under a running clock stops it.
  #arm() {
    if (this.#stopped) return;
    this.#disarm();
    let next;
    try {
      next = this.#market.nextDeadline();
    } catch (e) {
      this.stop();
      this.#onError(e);
      return;
    }
    if (next === undefined) return;
    const delay = Math.min(Math.max(next - this.#now(), 0), MAX_DELAY_MS);
    const setTimer = this.#setTimer;
    this.#timer = setTimer(() => {
      this.#timer = undefined;
      this.tick();
    }, delay);
  }

  #disarm() {
    const clearTimer = this.#clearTimer;
    if (this.#timer !== undefined) clearTimer(this.#timer);
    this.#timer = undefined;
  }
}
