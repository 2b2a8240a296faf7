// Declarations of the entry `gigmarket/sim` (the engine with the simulator and the autopilot): the engine's generated types and `Market`
// class and the runtime lists (wasm-bindgen + tsify + wasm/tools/dts.mjs, in ./sim/gigmarket.d.ts) and this entry's own functions.
export * from './sim/gigmarket.js';
export { MarketClock, type MarketClockOptions } from './clock.js';
export { selfCheck, observe, stepAgent, type WorkAgent, type Job, type Decision, type Attempt, type WorkOutcome, type Clarification } from './kit.js';
export type { InitSource } from './start.js';

/**
 * Start the package: instantiate its WebAssembly module, once (later calls return at once, and
 * concurrent ones share one start). The same call in Node, browsers, bundlers and test runners.
 * Without `source` the module is read from disk under Node and fetched next to this file
 * elsewhere; a bundler that cannot resolve that URL (esbuild) passes the `.wasm`'s URL or bytes
 * (`import wasmUrl from 'gigmarket/sim.wasm'` with esbuild's `file` loader).
 * Every call before the returned promise settles throws `MarketError` `not_started`.
 */
export function init(source?: import('./start.js').InitSource): Promise<void>;
