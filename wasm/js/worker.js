// gigmarket/worker: a Market in a dedicated module Worker, driven from the main thread through
// promises, so that a browser host's long calls (a batch assignment, a save, hundreds of
// autopilot steps) never block rendering or input.
//
//   import { MarketWorker, MarketError } from 'gigmarket/worker';
//   const market = await MarketWorker.start({ sim: true, config: { seed: 1 } });
//   const events = await market.apply(0, { type: 'Operator' }, command);
//   const now = await market.get('now');
//   await market.terminate();
//
// The proxy's methods are the names the worker's `Market.prototype` has (sent back at start), so
// the proxy never drifts from the engine and a build without the simulator has no
// `autopilotStep`. One message per call, each with an id; the worker answers them one at a time in
// the order they were sent. Arguments and results travel by structured clone: a snapshot string
// is copied as it is, and NaN reaches the engine's own encoder, which refuses it as it would on
// the main thread.
import { MarketError } from './market_error.js';

export { MarketError };

export class MarketWorker {
  #worker;
  #pending = new Map();
  #nextId = 0;
  // Why later calls fail: `market_freed` after terminate(), or the worker's crash.
  #closed;

  /**
   * Spawn a worker holding a new market (`config`) or a loaded one (`snapshot`); resolves once
   * the worker has started the engine and made the market.
   */
  static async start({ sim = false, config, snapshot } = {}) {
    if (config !== undefined && snapshot !== undefined) {
      throw new TypeError('MarketWorker.start: pass `config` (a new market) or `snapshot` (a saved one), not both');
    }
    if (typeof Worker === 'undefined') {
      throw new Error('MarketWorker needs Web Workers (browsers, Deno, Bun); under Node use `Market` directly');
    }
    // Written out in full, in this exact form, so that bundlers (Vite, webpack 5, Parcel) see the
    // worker's module and bundle it.
    const worker = new Worker(new URL('./worker-host.js', import.meta.url), { type: 'module' });
    const market = new MarketWorker(worker);
    try {
      const { methods } = await market.#send('start', [{ sim, config, snapshot }]);
      for (const name of methods) market[name] = (...args) => market.#send('call', [name, args], name);
    } catch (e) {
      worker.terminate();
      throw e;
    }
    return market;
  }

  /** Use `MarketWorker.start`. */
  constructor(worker) {
    this.#worker = worker;
    worker.onmessage = ({ data }) => this.#answer(data);
    // A worker that fails to load (a module not found, or served with the wrong type) or throws
    // outside a call fails every call still waiting; failures inside a call, the engine's start
    // included, are answered as that call's error.
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.#crash(new Error(`gigmarket worker failed: ${event.message || 'the worker could not be loaded'}`));
    };
    worker.onmessageerror = () => this.#crash(new Error('gigmarket worker: a message could not be read'));
  }

  /** A property of the market (`now`, `config`, `feeBps`, ...), read in the worker. */
  get(name) {
    return this.#send('get', [name], `get('${name}')`);
  }

  /**
   * Free the market and stop the worker, after every call sent before it has been answered.
   * Later calls reject with `MarketError` `market_freed`.
   */
  async terminate() {
    if (this.#closed) {
      this.#worker.terminate();
      return;
    }
    const freed = this.#send('free', []);
    this.#closed = 'terminated';
    try {
      await freed;
    } finally {
      this.#crash(new Error('gigmarket worker terminated'));
    }
  }

  #send(op, args, name = op) {
    if (this.#closed) return Promise.reject(this.#closedError(name));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        this.#worker.postMessage({ id, op, args });
      } catch (e) {
        // An argument structured clone cannot copy (a function, a class instance with private state).
        this.#pending.delete(id);
        reject(e);
      }
    });
  }

  #answer({ id, ok, value, error }) {
    const call = this.#pending.get(id);
    if (!call) return;
    this.#pending.delete(id);
    if (ok) call.resolve(value);
    else call.reject(revive(error));
  }

  // Fail every waiting call and every later one with `error`; the worker is no use any more.
  #crash(error) {
    this.#closed ??= error;
    this.#worker.terminate();
    for (const call of this.#pending.values()) call.reject(error);
    this.#pending.clear();
  }

  #closedError(name) {
    if (this.#closed === 'terminated') {
      return new MarketError('market_freed', `MarketWorker.${name}: this market was terminated (terminate()) and can no longer be used`, { code: 'market_freed' });
    }
    return this.#closed;
  }
}

if (Symbol.asyncDispose) MarketWorker.prototype[Symbol.asyncDispose] = MarketWorker.prototype.terminate;

/** The error a call failed with in the worker, rebuilt here (see worker-host.js `describe`). */
function revive(error) {
  if (error.code !== undefined) return new MarketError(error.code, error.message, error.details);
  const e = new Error(error.message);
  if (error.name) e.name = error.name;
  return e;
}
