// The tasks as the current actor sees them, kept up to date from the engine's events instead of
// re-read whole every frame. `market.taskViews` costs about 40 ms at 5,000 tasks and 200 ms at
// 20,000 (issue 14, bug 6: a tab click took 2.7 s); the events of one step name the few tasks
// they touched, and re-reading only those costs microseconds.
//
// Invariant: after `views()`, the list equals what `market.taskViews(actor)` would return, in the
// same order (ascending id). tests/browser/perf.test.mjs checks this after a long autopilot run
// and after scripted commands of every kind.

/** Event kinds that change no task (so that an event naming no task does not force a full read). */
const TASK_FREE = new Set([
  'RequestRecorded', 'ClientRegistered', 'AgentRegistered', 'ReviewerRegistered', 'AgentProfileUpdated',
  'FundsDeposited', 'FundsWithdrawn', 'FeeSet', 'RankingComputed',
  // A batch's summary: each task it placed has its own TaskClaimed.
  'BatchAssigned',
]);

/** The task an event is about, if it names one. */
function taskOf(event) {
  if (Number.isSafeInteger(event.task)) return event.task;
  if (Number.isSafeInteger(event.outcome?.task)) return event.outcome.task;
  if (Number.isSafeInteger(event.settlement?.task)) return event.settlement.task;
  return undefined;
}

export class TaskIndex {
  constructor() {
    /** id → TaskView, for `actorKey`. */
    this.byId = new Map();
    this.actorKey = null;
    this.market = null;
    /** Task ids touched since the last read. */
    this.touched = new Set();
    /** Something changed that events do not describe task by task: read everything next time. */
    this.stale = true;
    /** The list handed out last, reused while nothing changed. */
    this.list = null;
  }

  /** A new market (load, import, reset) or anything else the events did not describe. */
  invalidate() {
    this.stale = true;
    this.list = null;
  }

  /** Note what `events` touched; the views are re-read lazily, at most once per frame. */
  note(events) {
    for (const event of events) {
      const id = taskOf(event);
      if (id !== undefined) this.touched.add(id);
      else if (!TASK_FREE.has(event.type)) this.stale = true;
    }
    if (this.touched.size || this.stale) this.list = null;
  }

  /** Every task as `actor` sees it, ascending by id (what `market.taskViews(actor)` returns). */
  views(market, actor) {
    const key = JSON.stringify(actor);
    if (market !== this.market || key !== this.actorKey) {
      this.market = market;
      this.actorKey = key;
      this.stale = true;
    }
    if (this.stale) {
      this.byId = new Map(market.taskViews(actor).map((v) => [v.id, v]));
      this.stale = false;
      this.touched.clear();
      this.list = null;
    } else if (this.touched.size) {
      const added = [];
      for (const id of this.touched) {
        let view;
        try {
          view = market.taskView(actor, id);
        } catch {
          // Not visible to this actor (or gone): it leaves the list.
          this.byId.delete(id);
          continue;
        }
        if (!this.byId.has(id)) added.push(id);
        this.byId.set(id, view);
      }
      this.touched.clear();
      // New ids are almost always larger than every earlier one (ids are assigned in order), so
      // the map keeps ascending order; otherwise, sort once.
      if (added.length && !ascending(this.byId.keys())) {
        this.byId = new Map([...this.byId].sort((a, b) => a[0] - b[0]));
      }
      this.list = null;
    }
    this.list ??= [...this.byId.values()];
    return this.list;
  }
}

function ascending(keys) {
  let last = -Infinity;
  for (const k of keys) {
    if (k < last) return false;
    last = k;
  }
  return true;
}
