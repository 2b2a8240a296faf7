// The inside of `gigmarket/worker` (worker.js): runs in the dedicated module Worker, holds the
// one Market, and answers each message `{ id, op, args }` with `{ id, ok, value }` or
// `{ id, ok: false, error }`. Messages are handled one at a time, in the order they came, even
// while the first one (start) waits for the engine to load.
import { MarketError } from './market_error.js';

let market;
let methods = new Set();
let properties = new Set();
let queue = Promise.resolve();

self.onmessage = ({ data }) => {
  queue = queue.then(() => handle(data));
};

async function handle({ id, op, args }) {
  let reply;
  try {
    reply = { id, ok: true, value: await run(op, args) };
  } catch (e) {
    reply = { id, ok: false, error: describe(e) };
  }
  try {
    self.postMessage(reply);
  } catch (e) {
    // A result structured clone cannot copy; should not happen with the engine's plain values.
    self.postMessage({ id, ok: false, error: describe(e) });
  }
}

async function run(op, args) {
  switch (op) {
    case 'start': {
      const [{ sim, config, snapshot }] = args;
      // Two literal imports, so that a bundler splits out the module the host did not ask for.
      const entry = sim ? await import('./sim.js') : await import('./index.js');
      await entry.init();
      market = snapshot !== undefined ? entry.Market.load(snapshot) : new entry.Market(config);
      const proto = Object.getPrototypeOf(market);
      for (const name of Object.getOwnPropertyNames(proto)) {
        // `free` is terminate()'s; `__destroy_into_raw` and the like are wasm-bindgen's own.
        if (name === 'constructor' || name === 'free' || name.startsWith('__')) continue;
        const d = Object.getOwnPropertyDescriptor(proto, name);
        if (typeof d.value === 'function') methods.add(name);
        else if (d.get) properties.add(name);
      }
      return { methods: [...methods], properties: [...properties] };
    }
    case 'call': {
      const [name, callArgs] = args;
      if (!methods.has(name)) throw new TypeError(`Market has no method ${name}`);
      return market[name](...callArgs);
    }
    case 'get': {
      const [name] = args;
      if (!properties.has(name)) throw new TypeError(`Market has no property ${String(name)} (properties: ${[...properties].join(', ')})`);
      return market[name];
    }
    case 'free':
      market?.free();
      return undefined;
    default:
      throw new TypeError(`gigmarket worker: unknown message ${op}`);
  }
}

/** An error as plain data; worker.js `revive` rebuilds it (a `MarketError` keeps its class). */
function describe(e) {
  if (e instanceof MarketError) return { code: e.code, message: e.message, details: e.details };
  return { name: e?.name, message: String(e?.message ?? e) };
}
