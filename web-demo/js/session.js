// The demo's one source of truth: the engine's Market, the simulated clock, the bounded event log
// and the chart series, saved together (see `saveSoon` for when). Every engine call that changes
// something goes through `guard`, which tells the engine's refusals (MarketError: shown, nothing
// changed) from failures of the module itself (anything else: reload the last save).

import { describeRefusal } from './refusals.js';
import * as store from './store.js';
import { emptySeries, sample, validSeries } from './series.js';
import { instant } from './format.js';
import { TaskIndex } from './task-index.js';
import { outcomeText } from './words.js';

/** Events kept in the page and in storage (the engine keeps state, not history). */
export const LOG_MAX = 300;
/**
 * While time runs, the page saves at most once per this many ms (and at once when the page is
 * hidden or closed, and after each command a person sends). Saving a 5,000-task market costs
 * about 40 ms of main thread (the snapshot, JSON and setItem): after every autopilot step it was
 * most of the step (issue 14, bug 6); once a second it is a small share of the time.
 */
export const SAVE_EVERY_MS = 1000;
/** Tasks whose inline inputs the page keeps in memory after the market archived them. */
export const INPUTS_KEPT = 200;
/** Set in sessionStorage when a failure forced a page reload, to explain it afterwards. */
const FAILURE_NOTE = 'gigmarket.demo.failure';

export class Session extends EventTarget {
  /**
   * @param {{ Market: any, MarketError: any, storage: Storage, notify: Function }} deps
   *   `notify(kind, text, options)` shows a message (see messages.js).
   */
  constructor({ Market, MarketError, storage, notify }) {
    super();
    this.Market = Market;
    this.MarketError = MarketError;
    this.storage = storage;
    this.notify = notify;
    this.market = null;
    this.now = 0;
    this.log = [];
    this.series = emptySeries();
    this.role = { type: 'Operator' };
    this.seq = 0;
    /** The last JSON written to (or read from) storage: what a failure reloads. */
    this.lastSaved = null;
    /** The simulated instant of that save. */
    this.lastSavedAt = null;
    /** Saving pauses while an unreadable saved value could not be set aside (see `boot`). */
    this.savingBlocked = false;
    this.storageFull = false;
    this.batching = 0;
    /** The pending throttled save (`saveSoon`), or null. */
    this.saveTimer = null;
    /** The tasks as the current actor sees them, kept from the events (see task-index.js). */
    this.index = new TaskIndex();
    /**
     * The inline inputs of recently posted tasks, by task id, from their TaskPosted events: the
     * market drops a finished task's inputs, and the saved log keeps only its title. Kept in
     * this page only (not saved: a dataset is tens of kilobytes), for the newest INPUTS_KEPT.
     */
    this.inputs = new Map();
  }

  /** The inputs task `id` was posted with, while this page keeps them, else undefined. */
  inputsOf(id) {
    return this.inputs.get(id);
  }

  /** Every task as `actor` sees it (what `market.taskViews(actor)` returns, kept incrementally). */
  views(actor) {
    return this.index.views(this.market, actor);
  }

  /** Load the saved market, or start a fresh one; explain anything that went wrong. */
  boot() {
    this.explainEarlierFailure();
    const saved = store.read(this.storage);
    if (saved.status === 'ok') {
      try {
        this.restore(saved.state);
        this.lastSaved = saved.raw;
        this.lastSavedAt = saved.state.now;
        return;
      } catch (err) {
        this.recoverCorrupt(saved.raw, this.describe(err));
        return;
      }
    }
    if (saved.status === 'corrupt') {
      this.recoverCorrupt(saved.raw, saved.reason);
      return;
    }
    if (saved.status === 'unavailable') {
      this.notify('warn', `localStorage is not available (${saved.reason}): this market will not be saved.`, { id: 'storage' });
      this.savingBlocked = true;
    }
    this.fresh();
  }

  explainEarlierFailure() {
    try {
      const note = sessionStorage.getItem(FAILURE_NOTE);
      if (note) {
        sessionStorage.removeItem(FAILURE_NOTE);
        this.notify('error', note, { id: 'failure' });
      }
    } catch {
      // No session storage: nothing to explain.
    }
  }

  restore(state) {
    this.adopt(state, this.Market.load(state.snapshot));
  }

  /** Take a saved page state whose market is already loaded. */
  adopt(state, market) {
    this.replaceMarket(market);
    this.now = Math.max(state.now, market.now);
    this.log = state.log.filter((e) => e && typeof e === 'object').slice(-LOG_MAX);
    this.seq = this.log.reduce((m, e) => Math.max(m, e.n ?? 0), 0);
    this.series = validSeries(state.series) ? state.series : emptySeries();
    this.role = validRole(state.role) ? state.role : { type: 'Operator' };
  }

  replaceMarket(market) {
    if (this.market) {
      try {
        this.market.free();
      } catch {
        // A market the module already lost: nothing to free.
      }
    }
    this.market = market;
    this.index.invalidate();
    this.inputs = new Map();
  }

  /** The saved value cannot be read: set it aside untouched, then start afresh. */
  recoverCorrupt(raw, reason) {
    const key = `${store.CORRUPT_KEY}.${Date.now()}`;
    const keptAside = store.moveAside(this.storage, raw, key);
    if (keptAside) {
      this.notify('error',
        `The saved market could not be read (${reason}). Its raw value (${raw.length.toLocaleString('en-US')} characters) `
        + `was kept aside under the localStorage key "${key}"; nothing was deleted. A fresh market was started.`,
        { id: 'corrupt', actions: [{ label: 'Download the kept value', run: () => download(`${key}.json`, raw) }] });
      this.fresh();
    } else {
      // No room to set it aside: leave it where it is and do not save over it.
      this.savingBlocked = true;
      this.notify('error',
        `The saved market could not be read (${reason}), and there is no room to keep it aside. It was left as it is `
        + `under "${store.KEY}" and saving is paused, so nothing is lost. Download it, then discard it to resume saving.`,
        {
          id: 'corrupt',
          actions: [
            { label: 'Download the unreadable value', run: () => download('gigmarket-unreadable.json', raw) },
            {
              label: 'Discard it and resume saving',
              run: () => {
                this.savingBlocked = false;
                if (this.persist()) this.notify('ok', 'The unreadable value was discarded; saving resumed.', { id: 'corrupt' });
              },
            },
          ],
        });
      this.fresh(false);
    }
  }

  /** A new, empty market at time 0. */
  fresh(save = true) {
    // The autopilot's market: exploration may try agents on its $50-$200 tasks, so the weaker
    // reference agents get tried and measured (gigmarket::sim::autopilot::market_config).
    this.replaceMarket(new this.Market(this.Market.autopilotConfig()));
    this.now = 0;
    this.log = [];
    this.seq = 0;
    this.series = emptySeries();
    this.role = { type: 'Operator' };
    if (save) this.persist();
  }

  /** Run an engine call; sort its exceptions into refusals and failures. */
  guard(what, fn) {
    try {
      return { ok: true, value: fn() };
    } catch (err) {
      if (err instanceof this.MarketError) {
        this.notify('error', describeRefusal(what, err), { id: 'outcome', code: err.code });
        return { ok: false, error: err };
      }
      this.recoverFailure(what, err);
      return { ok: false, failure: err };
    }
  }

  /** `command` from `actor` now. Returns `{ ok, value: events }` or the refusal. */
  act(actor, command) {
    // Recording reads the engine too (scores, leaderboards), so it runs inside the same guard.
    const result = this.guard(command.type, () => this.record(this.market.apply(this.now, actor, command)));
    // What a person did is saved at once; the autopilot's steps wait for `saveSoon`.
    if (result.ok) this.flush();
    if (result.ok) {
      // In plain words; work handed in but failing its checks was reported as a green "done"
      // (issue 14, bug 2): outcomeText says which checks failed and why.
      const failed = result.value.some((e) => e.type === 'VerificationFailed');
      this.notify(failed ? 'warn' : 'ok', outcomeText(command.type, result.value),
        { id: 'outcome', ...(failed ? { code: 'verification_failed' } : {}) });
    }
    return result;
  }

  /** Let `ms` of simulated time pass. */
  advance(ms) {
    const now = this.now + ms;
    return this.guard('Tick', () => {
      const events = this.market.tick(now);
      this.now = now;
      return this.record(events);
    });
  }

  /** Jump to the engine's next deadline (if it is in the future). */
  toNextDeadline() {
    const next = this.market.nextDeadline();
    if (next === undefined) {
      this.notify('info', 'Nothing is waiting on a deadline.', { id: 'outcome' });
      return { ok: false };
    }
    return this.advance(Math.max(0, next - this.now));
  }

  /** One autopilot step, `ms` of simulated time after the last instant. */
  step(ms) {
    const now = this.now + ms;
    return this.guard('Autopilot step', () => {
      const events = this.market.autopilotStep(now);
      this.now = now;
      return this.record(events);
    });
  }

  /** Run `fn` with saving and change notifications deferred to its end (many steps at once). */
  batch(fn) {
    this.batching += 1;
    try {
      return fn();
    } finally {
      this.batching -= 1;
      if (this.batching === 0) {
        this.persist();
        this.changed();
      }
    }
  }

  /** Log `events` with their explanations, sample the charts, save, tell the views. Returns `events`. */
  record(events) {
    for (const event of events) {
      if (event.type === 'TaskPosted' && event.spec.inputs?.some((i) => i.content)) this.keepInputs(event.task, event.spec.inputs);
      this.seq += 1;
      const entry = { n: this.seq, ev: slim(event) };
      const changes = this.scoreChanges(event);
      if (changes?.length) entry.changes = changes;
      this.log.push(entry);
    }
    if (this.log.length > LOG_MAX) this.log.splice(0, this.log.length - LOG_MAX);
    this.index.note(events);
    sample(this.series, this.market, this.now, events);
    if (!this.batching) {
      this.saveSoon();
      this.changed();
    }
    return events;
  }

  keepInputs(task, inputs) {
    this.inputs.set(task, inputs);
    if (this.inputs.size > INPUTS_KEPT) this.inputs.delete(this.inputs.keys().next().value);
  }

  /**
   * The reputation changes an event caused, with their factors, read while they are fresh (the
   * engine keeps only an agent's latest changes). Matched by task, instant and kind of cause.
   */
  scoreChanges(ev) {
    let agent;
    let category;
    let task;
    let causes;
    if (ev.type === 'TaskSettled') {
      ({ agent, category, task } = ev.outcome);
      causes = ['Settled'];
    } else if (ev.type === 'TaskAbandoned') {
      ({ agent, category, task } = ev);
      causes = ['Abandoned'];
    } else if (ev.type === 'TaskRated') {
      ({ agent, task } = ev);
      category = this.market.task(task)?.spec.category;
      causes = ['Rated', 'RatingIgnored'];
    } else return null;
    if (category === undefined) return null;
    return this.market.explainScore(agent, category).changes
      .filter((c) => c.task === task && c.at === ev.at && causes.includes(c.cause?.type));
  }

  /** A page note in the log (import, reset), not an engine event. */
  note(text) {
    this.seq += 1;
    this.log.push({ n: this.seq, note: text, at: this.now });
  }

  setRole(role) {
    this.role = role;
    this.saveSoon();
    this.changed();
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }

  /** Save within SAVE_EVERY_MS: many changes in a row make one save. */
  saveSoon() {
    if (this.saveTimer !== null || this.savingBlocked) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.persist();
    }, SAVE_EVERY_MS);
  }

  /** Save now if a save is pending (the page is being hidden or closed, or a person acted). */
  flush() {
    if (this.saveTimer === null) return true;
    return this.persist();
  }

  /** Save everything under the one key; over quota the previous save stays as it was. */
  persist() {
    if (this.saveTimer !== null) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    if (this.savingBlocked) return false;
    const result = store.write(this.storage, {
      now: this.now, snapshot: this.market.save(), log: this.log, series: this.series, role: this.role,
    });
    if (result.ok) {
      this.lastSaved = result.raw;
      this.lastSavedAt = this.now;
      if (this.storageFull) {
        this.storageFull = false;
        this.notify('ok', 'Saved again: storage has room now.', { id: 'storage' });
      }
      return true;
    }
    if (result.quota) {
      this.storageFull = true;
      const when = this.lastSaved ? ` (${instant(this.lastSavedAt)})` : '';
      this.notify('error',
        `Storage is full: the latest change is in this page but was NOT saved. The last saved state${when} is intact. `
        // Exporting alone frees nothing (issue 14, bug 6): say what does.
        + 'To make room, discard any values kept aside (in the side panel) or other sites\' data, or export the market '
        + 'to a file and then reset it.',
        { id: 'storage' });
      this.dispatchEvent(new Event('storagefull'));
    } else {
      this.notify('error', `Could not save: ${result.error?.message ?? result.error}`, { id: 'storage' });
    }
    return false;
  }

  /** Not a refusal: the module (or the page) failed. Reload the last save. */
  recoverFailure(what, err) {
    console.warn('gigmarket demo: the engine failed; reloading the last save', err);
    this.dispatchEvent(new Event('failure'));
    try {
      if (this.lastSaved) this.restore(JSON.parse(this.lastSaved));
      else this.fresh(false);
    } catch (again) {
      // The module itself is unusable: start the page over, and explain after the reload.
      const note = `The engine failed during ${what} (${this.describe(err)}) and could not reload in place; `
        + 'the page was reloaded from the last save.';
      try {
        sessionStorage.setItem(FAILURE_NOTE, note);
      } catch {
        // Without session storage the reload still happens, unexplained.
      }
      location.reload();
      return;
    }
    const when = this.lastSaved ? instant(this.now) : 'a fresh market';
    this.notify('error',
      `The engine failed during ${what} (${this.describe(err)}). The market was reloaded from the last save `
      + `(${when}); the change that failed was not applied.`,
      { id: 'failure' });
    this.changed();
  }

  describe(err) {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }

  /**
   * Everything the page keeps, as one JSON file: the market snapshot, the clock, the event log,
   * the chart series and the role (the saved shape: `store.envelope`). Exporting only the market
   * lost the rest (issue 14, bug 9).
   */
  exportJson() {
    return JSON.stringify(store.envelope({ now: this.now, snapshot: this.market.save(), log: this.log, series: this.series, role: this.role }));
  }

  /**
   * Replace the page's state with a file: this page's export or a saved value set aside after a
   * corruption (the same shape), or a bare market snapshot (`market.save()`, from any host).
   * Whatever the engine refuses changes nothing; a page state whose parts other than the market
   * are unreadable imports its market and says what was left out.
   */
  importJson(text) {
    let state = null;
    try {
      state = JSON.parse(text);
    } catch {
      // Not JSON: the engine's load says so below, in its words.
    }
    const pageState = state && typeof state === 'object' && typeof state.snapshot === 'string';
    const problem = pageState ? store.shapeProblem(state) : null;
    const result = this.guard('Import', () => this.Market.load(pageState ? state.snapshot : text));
    if (!result.ok) return result;
    const market = result.value;
    if (pageState && !problem) {
      this.adopt(state, market);
    } else {
      this.replaceMarket(market);
      this.now = market.now;
      this.log = [];
      this.series = emptySeries();
      sample(this.series, market, this.now, []);
    }
    const what = pageState && !problem ? 'the market, its event log, charts and role' : 'the market';
    const left = problem ? ` The rest of the file was left out (${problem}).` : '';
    this.note(`Imported ${what} (${text.length.toLocaleString('en-US')} characters).${left}`);
    this.persist();
    this.notify(problem ? 'warn' : 'ok', `Imported ${what}: ${market.tasks().length} tasks, clock at ${instant(this.now)}.${left}`, { id: 'outcome' });
    this.changed();
    return result;
  }

  /** Start over with an empty market. */
  reset() {
    this.fresh(false);
    this.note('Reset: a new, empty market.');
    this.persist();
    this.notify('ok', 'Reset: a new, empty market.', { id: 'outcome' });
    this.changed();
  }
}

/** A TaskPosted event carries the whole spec; the log shows its title and category only, and
 * keeping just those keeps the stored log small (the market snapshot has the spec). */
function slim(event) {
  if (event.type !== 'TaskPosted') return event;
  return { ...event, spec: { title: event.spec.title, category: event.spec.category } };
}

function validRole(role) {
  if (!role || typeof role !== 'object') return false;
  if (role.type === 'Operator') return true;
  return ['Client', 'Agent', 'Reviewer'].includes(role.type) && Number.isSafeInteger(role.id) && role.id >= 0;
}

/** Offer `text` as a file download. */
export function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
