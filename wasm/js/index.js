// gigmarket: the market engine. One start everywhere (Node, browsers, bundlers, test runners):
//
//   import { init, Market } from 'gigmarket';
//   await init();
//   const market = new Market({ seed: 1 });
//
// The simulator and the autopilot are a separate module, `gigmarket/sim`, loaded only by hosts
// that use them.
import * as glue from './market/gigmarket.js';
import { entry } from './start.js';

const started = entry(glue, new URL('./market/gigmarket_bg.wasm', import.meta.url));

/** Instantiate the WebAssembly module (once; later calls return at once). */
export const init = started.init;
export const Market = started.Market;
export { MarketError } from './market_error.js';
export { COMMAND_TYPES, EVENT_TYPES, ERROR_CODES } from './market/lists.js';
export { MarketClock } from './clock.js';
export { selfCheck, observe, stepAgent } from './kit.js';
