// Persistence in localStorage. Everything the demo keeps lives under ONE versioned key, written
// with one setItem: a write either replaces the whole saved state or (over quota) leaves the
// previous one exactly as it was. There is never a half-saved market.

/** The saved state: `{ format, version, savedAt, now, snapshot, log, series, role }`. */
export const KEY = 'gigmarket.demo.v1';
/** Prefix of the keys where unreadable saved values are set aside, untouched (one key each, so a
 * second corruption never overwrites the first). */
export const CORRUPT_KEY = 'gigmarket.demo.v1.corrupt';
const FORMAT = 'gigmarket-demo';
const VERSION = 1;

/** Whether an exception from setItem means the storage is full. */
export function isQuotaError(err) {
  return err instanceof DOMException
    && (err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED' || err.code === 22);
}

/**
 * Read the saved state. Returns `{ status: 'empty' }`, `{ status: 'ok', state, raw }`, or
 * `{ status: 'corrupt', raw, reason }` when the value is not a demo state (the engine checks the
 * snapshot inside it later: see `Session.boot`).
 */
export function read(storage) {
  let raw;
  try {
    raw = storage.getItem(KEY);
  } catch (err) {
    return { status: 'unavailable', reason: err.message };
  }
  if (raw === null) return { status: 'empty' };
  let state;
  try {
    state = JSON.parse(raw);
  } catch (err) {
    return { status: 'corrupt', raw, reason: `not JSON (${err.message})` };
  }
  const problem = shapeProblem(state);
  if (problem) return { status: 'corrupt', raw, reason: problem };
  return { status: 'ok', state, raw };
}

/** Why `s` is not a saved demo state (a string), or null when it is one. */
export function shapeProblem(s) {
  if (!s || typeof s !== 'object' || Array.isArray(s)) return 'not an object';
  if (s.format !== FORMAT) return `format is ${JSON.stringify(s.format)}, expected "${FORMAT}"`;
  if (s.version !== VERSION) return `version ${JSON.stringify(s.version)} is not supported (this page reads ${VERSION})`;
  if (typeof s.snapshot !== 'string') return 'no market snapshot';
  if (!Number.isSafeInteger(s.now) || s.now < 0) return 'the clock is not a time';
  if (!Array.isArray(s.log)) return 'the event log is not a list';
  if (!s.series || typeof s.series !== 'object') return 'the chart series are missing';
  return null;
}

/** The state to write, in the saved shape. */
export function envelope({ now, snapshot, log, series, role }) {
  return { format: FORMAT, version: VERSION, savedAt: Date.now(), now, snapshot, log, series, role };
}

/**
 * Write the state. Returns `{ ok: true, raw }`, or `{ ok: false, quota: true }` when the storage is
 * full (the previous value is untouched), or `{ ok: false, quota: false, error }`.
 */
export function write(storage, state) {
  const raw = JSON.stringify(envelope(state));
  try {
    storage.setItem(KEY, raw);
    return { ok: true, raw };
  } catch (err) {
    return { ok: false, quota: isQuotaError(err), error: err };
  }
}

/**
 * Move the unreadable value `raw` from KEY to `key` (a CORRUPT_KEY.<time> key). A move needs room
 * for one copy only: the value leaves KEY first, and goes back there if `key` does not fit, so it
 * is never lost. Returns whether it moved.
 */
export function moveAside(storage, raw, key) {
  try {
    storage.removeItem(KEY);
    storage.setItem(key, raw);
    return true;
  } catch {
    try {
      storage.setItem(KEY, raw);
    } catch {
      // Its own space was just freed, so this does not happen; if it did, nothing else can be done.
    }
    return false;
  }
}

/** Keys of the values set aside so far. */
export function setAsideKeys(storage) {
  const keys = [];
  try {
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key?.startsWith(`${CORRUPT_KEY}.`)) keys.push(key);
    }
  } catch {
    // No storage: nothing set aside.
  }
  return keys.sort();
}
