/**
 * `gigmarket/worker`: a `Market` in a dedicated module Worker, driven from the main thread, so
 * that a browser host's long calls never block rendering or input.
 *
 * ```js
 * import { MarketWorker, MarketError } from 'gigmarket/worker';
 *
 * // The worker loads `gigmarket/sim` (sim: true: adds autopilotStep) or `gigmarket`, runs
 * // `await init()` and makes the market: `new Market(config)`, or `Market.load(snapshot)`.
 * const market = await MarketWorker.start({ sim: true, config: { seed: 1 } });
 *
 * // Every Market method, same arguments, result as a Promise:
 * const events = await market.apply(0, { type: 'Operator' }, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
 * const tasks = await market.tasks();
 * await market.autopilotStep(600_000);
 * const saved = await market.save();
 * // Properties (`now`, `config`, `feeBps`, `deposited`, `withdrawn`, `platformBalance`) with get:
 * const now = await market.get('now');
 *
 * try {
 *   await market.apply(now, { type: 'Client', id: 0 }, { type: 'Withdraw', amount: 1e9 });
 * } catch (err) {
 *   // A refusal in the worker is a real MarketError here, with the same code, message, details.
 *   if (err instanceof MarketError && err.code === 'insufficient_funds') showRefusal(err.message);
 * }
 *
 * await market.terminate(); // frees the market, stops the worker; later calls: `market_freed`
 * ```
 *
 * Calls are sent in order, one message each, and answered in order: a call sent after `apply`
 * sees its effects without awaiting it first. Arguments and results are copied by structured
 * clone (a snapshot string as it is). Static functions (`Market.load`, `Market.simulate`) are
 * not forwarded: `start({ snapshot })` loads, and a simulation runs where it is imported.
 * Needs Web Workers (browsers, Deno, Bun); under Node use `Market` directly.
 *
 * Bundlers: the worker is spawned with `new Worker(new URL('./worker-host.js', import.meta.url),
 * { type: 'module' })`, which Vite, webpack 5 and Parcel follow; the worker then fetches the
 * `.wasm` next to the module it loaded.
 * @module
 */
import type { Market, MarketConfig } from './market/gigmarket.js';
import type { Market as SimMarket } from './sim/gigmarket.js';

export { MarketError } from './market_error.js';

type AnyFunction = (...args: any[]) => any;

/** The names of `M`'s methods that the proxy forwards (not `free`: `terminate()` frees). */
export type MethodName<M> = Exclude<{ [K in keyof M]: M[K] extends AnyFunction ? K : never }[keyof M], 'free' | typeof Symbol.dispose>;

/** The names of `M`'s properties (`now`, `config`, ...), read with `get(name)`. */
export type PropertyName<M> = { [K in keyof M]: M[K] extends AnyFunction ? never : K }[keyof M];

/** `M`'s methods with the same parameters, each returning a Promise of its result. */
export type Promisified<M> = {
  [K in MethodName<M>]: M[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

/** What the proxy adds to the market's methods. */
export interface MarketWorkerControls<M> {
  /** A property of the market, read in the worker after every call sent before it. */
  get<K extends PropertyName<M>>(name: K): Promise<M[K]>;
  /**
   * Free the market and stop the worker, once every call sent before has been answered. Later
   * calls reject with `MarketError` `market_freed`. Calling it again does nothing.
   */
  terminate(): Promise<void>;
  /** `terminate()`, for `await using market = await MarketWorker.start(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** A main-thread proxy to a `Market` (by default the build without the simulator) in a Worker. */
export type MarketWorker<M = Market> = Promisified<M> & MarketWorkerControls<M>;

/** A proxy to the simulator build's `Market` (`start({ sim: true })`): adds `autopilotStep`. */
export type SimMarketWorker = MarketWorker<SimMarket>;

/** How `MarketWorker.start` makes the market: from `config` (or defaults), or from a snapshot. */
export type MarketWorkerOptions = { sim?: boolean } & (
  | { config?: MarketConfig | null; snapshot?: undefined }
  | { snapshot: string; config?: undefined }
);

export declare const MarketWorker: {
  /**
   * Spawn the worker, start the engine in it and make the market; resolves with the proxy.
   * Rejects with the `MarketError` of a snapshot that cannot be loaded, or an `Error` when the
   * worker or the engine cannot be loaded.
   */
  start(options: MarketWorkerOptions & { sim: true }): Promise<SimMarketWorker>;
  start(options?: MarketWorkerOptions & { sim?: false }): Promise<MarketWorker>;
  start(options?: MarketWorkerOptions): Promise<MarketWorker | SimMarketWorker>;
};
