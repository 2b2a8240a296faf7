// JS values to JSON text for the engine, refusing what JSON cannot carry faithfully.
//
// `JSON.stringify` turns NaN and ±Infinity into `null` and drops `undefined` fields silently, so
// `Range { min: NaN }` would arrive as an unbounded range. Every object argument passes through
// `toJson` first, from the package's JS (the `apply` fast path) and from Rust (other arguments),
// so the same fault gives the same `malformed_input` error, with the path of the value, everywhere.
import { MarketError } from './market_error.js';

/** `value`, an object argument named `what`, as JSON text; a `MarketError` if it cannot be. */
export function toJson(value, what) {
  if (value === undefined) throw malformed(what, what, 'missing (undefined)');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(what, what, 'expected an object');
  try {
    if (!allFinite(value)) throw nonFinite(value, what);
    return JSON.stringify(value);
  } catch (e) {
    if (e instanceof MarketError) throw e;
    // A BigInt, a cycle (RangeError from the walk or TypeError from JSON), a throwing toJSON.
    throw malformed(what, what, `not representable as JSON (${e.message})`);
  }
}

const encoder = new TextEncoder();

// `encode` allocates a new buffer per call (about 4 µs for 1 KB, measured); `encodeInto` a buffer
// kept for the purpose takes about 0.4 µs. The bytes are copied into wasm memory by the call they
// are passed to, before anything else can run, so each argument position can reuse its buffer.
class Scratch {
  #buffer = new Uint8Array(4096);

  bytes(text) {
    for (;;) {
      const { read, written } = encoder.encodeInto(text, this.#buffer);
      if (read === text.length) return this.#buffer.subarray(0, written);
      this.#buffer = new Uint8Array(Math.max(this.#buffer.length * 2, text.length * 3));
    }
  }
}

/** One scratch buffer per argument position of a call. */
export const scratch = [new Scratch(), new Scratch()];

/** `toJson` as UTF-8 bytes in `buffer`, the form the engine reads fastest. */
export const toJsonBytes = (value, what, buffer) => buffer.bytes(toJson(value, what));

/** A JSON text argument as UTF-8 bytes in `buffer`. */
export function textBytes(text, what, buffer) {
  if (typeof text !== 'string') throw malformed(what, what, 'expected a string');
  return buffer.bytes(text);
}

/** The `malformed_input` error, shaped as the engine's (`details` = `{ code, what, path, reason }`). */
export function malformed(what, path, reason) {
  return new MarketError('malformed_input', `malformed ${path}: ${reason}`, { code: 'malformed_input', what, path, reason });
}

// The common case is a clean value: check it without building paths, and walk again with paths
// only to explain a fault.
function allFinite(value) {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!allFinite(value[i])) return false;
    return true;
  }
  for (const key in value) if (!allFinite(value[key])) return false;
  return true;
}

function nonFinite(value, what) {
  const stack = [[value, what]];
  while (stack.length) {
    const [v, path] = stack.pop();
    if (typeof v === 'number' && !Number.isFinite(v)) return malformed(what, path, `expected a finite number, got ${v}`);
    if (typeof v === 'object' && v !== null) {
      if (Array.isArray(v)) v.forEach((item, i) => stack.push([item, `${path}[${i}]`]));
      else for (const key in v) stack.push([v[key], `${path}.${key}`]);
    }
  }
  return malformed(what, what, 'expected finite numbers');
}
