// gigmarket/sim: the market engine with the simulator (`Market.simulate`) and the autopilot
// (`market.autopilotStep`). A separate module, since a frontend that only runs a market does not
// need them; its `Market` is the same engine, and its snapshots load in either module.
import * as glue from './sim/gigmarket.js';
import { entry } from './start.js';

const started = entry(glue, new URL('./sim/gigmarket_bg.wasm', import.meta.url));

/** Instantiate the WebAssembly module (once; later calls return at once). */
export const init = started.init;
export const Market = started.Market;
export { MarketError } from './market_error.js';
export { COMMAND_TYPES, EVENT_TYPES, ERROR_CODES } from './sim/lists.js';
export { MarketClock } from './clock.js';
export { selfCheck, observe, stepAgent } from './kit.js';
