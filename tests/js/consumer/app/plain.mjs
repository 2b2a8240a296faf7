// Plain Node: the same start as everywhere, the simulator entry, and `require` of the same entry.
import { init, Market, MarketError } from 'gigmarket';
import * as sim from 'gigmarket/sim';
import { createRequire } from 'node:module';

let before = null;
try {
  new Market({ seed: 3 });
} catch (e) {
  before = e instanceof MarketError ? e.code : 'not a MarketError';
}
await init();
await init(); // a second start is a no-op
const m = new Market({ seed: 3 });
m.apply(0, { type: 'Operator' }, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
let code = null;
try {
  m.apply(0, { type: 'Client', id: 0 }, { type: 'Withdraw', amount: 1 });
} catch (e) {
  code = e instanceof MarketError ? e.code : 'not a MarketError';
}
// The simulator's module: the same engine (same snapshots), plus the autopilot.
await sim.init();
const s = new sim.Market({ seed: 3 });
const sameEngine = s.save() === new Market({ seed: 3 }).save();
const autopilot = typeof s.autopilotStep === 'function' && typeof m.autopilotStep === 'undefined';
// Errors from either module are one class.
let shared = false;
try {
  s.apply(0, { type: 'Client', id: 9 }, { type: 'Deposit', amount: 1 });
} catch (e) {
  shared = e instanceof MarketError;
}
// CommonJS: Node 20.19+ and 22.12+ `require` an ES module without top-level await.
const cjs = createRequire(import.meta.url)('gigmarket');
const viaRequire = cjs.Market === Market;
console.log(JSON.stringify({ before, code, sameEngine, autopilot, shared, viaRequire, clients: m.clients().length }));
