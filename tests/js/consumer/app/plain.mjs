// Plain Node ESM: the package's node entry, no bundler.
import { Market, MarketError } from 'gigmarket';
import { createRequire } from 'node:module';
import fs from 'node:fs';

const m = new Market({ seed: 3 });
m.apply(0, { type: 'Operator' }, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
let code = null;
try {
  m.apply(0, { type: 'Client', id: 0 }, { type: 'Withdraw', amount: 1 });
} catch (e) {
  code = e instanceof MarketError ? e.code : 'not a MarketError';
}
// The CommonJS view of the same entry.
const cjs = createRequire(import.meta.url)('gigmarket');
const viaRequire = new cjs.Market({ seed: 3 }).save() === new Market({ seed: 3 }).save();
// The web build, given the bytes (Node's fetch cannot read file: URLs).
const web = await import('gigmarket/web');
const wasmPath = new URL('./node_modules/gigmarket/web/gigmarket_bg.wasm', import.meta.url);
await web.default({ module_or_path: fs.readFileSync(wasmPath) });
const viaWeb = new web.Market({ seed: 3 }).save() === new Market({ seed: 3 }).save();
console.log(JSON.stringify({ code, viaRequire, viaWeb, clients: m.clients().length }));
