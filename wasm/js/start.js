// Starting an entry of the package, and the guards that turn a call before start or after
// `free()` into a `MarketError` the caller can act on.
//
// Each entry (`gigmarket`, `gigmarket/sim`) wraps the output of wasm-bindgen's `web` target. That
// target is plain ES modules with one `init`, so one start works in Node, browsers, bundlers and
// test runners: `await init()`. In Node the module's URL is a `file:` URL, which `fetch` cannot
// read, so the .wasm is read from disk there; everywhere else it is fetched next to the module.
// A bundler that does not understand `new URL('…', import.meta.url)` (esbuild) passes the
// .wasm's URL or bytes to `init` instead (README: "Bundlers").
import { MarketError } from './market_error.js';
import { scratch, toJsonBytes, textBytes } from './encode.js';

const [first, second] = scratch;

/**
 * The start and the guarded `Market` class of one wasm-bindgen build.
 * @param glue the wasm-bindgen module (its default export instantiates the wasm)
 * @param wasmUrl where the build's .wasm lies, as a URL relative to the entry module
 */
export function entry(glue, wasmUrl) {
  let started = false;
  let starting;

  /** Instantiate the module once; later calls return the same promise. */
  async function init(source) {
    if (started) return;
    starting ??= start(source).catch((e) => {
      starting = undefined;
      throw e;
    });
    return starting;
  }

  async function start(source) {
    let input = source ?? wasmUrl;
    // A file: URL (this module's own location under Node, or one a host passes) is read from
    // disk: `fetch` cannot read it.
    const url = input instanceof URL ? input : typeof input === 'string' && URL.canParse?.(input) ? new URL(input) : undefined;
    if (url?.protocol === 'file:') input = await readFile(url);
    await glue.default({ module_or_path: input });
    started = true;
  }

  const ensureStarted = () => {
    if (!started) throw new MarketError('not_started', 'gigmarket is not started: call `await init()` once before using it', { code: 'not_started' });
  };
  const Market = guard(glue.Market, ensureStarted);
  return { init, Market };
}

/** Read a file: URL under Node (and Deno, Bun), without a static `node:` import a browser bundler would trip on. */
async function readFile(url) {
  const proc = globalThis.process;
  const fs = proc?.getBuiltinModule?.('node:fs/promises') ?? (await import(/* @vite-ignore */ ['node:fs', 'promises'].join('/')));
  return fs.readFile(url);
}

// wasm-bindgen's glue would throw a bare TypeError before start and "null pointer passed to rust"
// after `free()`; each method first checks both. The object arguments of `apply` and
// `applyRequest` and the text of `applyJson` are encoded here (`encode.js`).
function guard(Class, ensureStarted) {
  const proto = Class.prototype;
  const raw = {};
  const live = (market, name) => {
    ensureStarted();
    if (!market.__wbg_ptr) {
      throw new MarketError('market_freed', `Market.${name}: this market was freed (free() or the end of a \`using\` block) and can no longer be used`, { code: 'market_freed' });
    }
  };
  // wasm-bindgen's own helpers (`__destroy_into_raw`, `__wrap`) are internal: left as they are.
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor' || name.startsWith('__')) continue;
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (typeof d.value === 'function') {
      const f = (raw[name] = d.value);
      // Freeing twice is harmless, as with most handles.
      d.value = name === 'free' ? function free() { if (this.__wbg_ptr) f.call(this); } : function (...args) { live(this, name); return f.apply(this, args); };
    } else if (d.get) {
      const g = d.get;
      d.get = function () { live(this, name); return g.call(this); };
    }
    Object.defineProperty(proto, name, d);
  }
  if (Symbol.dispose) proto[Symbol.dispose] = proto.free;
  proto.apply = function apply(nowMs, actor, command) {
    live(this, 'apply');
    return raw.apply.call(this, nowMs, toJsonBytes(actor, 'actor', first), toJsonBytes(command, 'command', second));
  };
  proto.applyRequest = function applyRequest(nowMs, actor, requestId, command) {
    live(this, 'applyRequest');
    return raw.applyRequest.call(this, nowMs, toJsonBytes(actor, 'actor', first), requestId, toJsonBytes(command, 'command', second));
  };
  proto.applyJson = function applyJson(nowMs, actorJson, commandJson) {
    live(this, 'applyJson');
    return raw.applyJson.call(this, nowMs, textBytes(actorJson, 'actorJson', first), textBytes(commandJson, 'commandJson', second));
  };
  for (const name of Object.getOwnPropertyNames(Class)) {
    const f = Class[name];
    if (typeof f !== 'function' || name.startsWith('__') || ['length', 'name', 'prototype'].includes(name)) continue;
    Class[name] = function (...args) { ensureStarted(); return f.apply(this, args); };
  }
  // `new Market()` before start: a Proxy, since the glue's constructor cannot be patched.
  return new Proxy(Class, {
    construct(target, args, newTarget) {
      ensureStarted();
      return Reflect.construct(target, args, newTarget);
    },
  });
}
