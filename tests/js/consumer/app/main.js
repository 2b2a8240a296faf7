// A tiny consumer app, bundled by esbuild for browsers. esbuild does not resolve
// `new URL('…', import.meta.url)`, so the app imports the .wasm with the `file` loader and hands
// its URL to `init` (README: "Bundlers").
import { init, Market, MarketError } from 'gigmarket';
import wasmUrl from 'gigmarket/market.wasm';

await init(new URL(wasmUrl, import.meta.url));
const m = new Market({ seed: 3 });
const op = { type: 'Operator' };
const client = { type: 'Client', id: 0 };
const agent = { type: 'Agent', id: 0 };
m.apply(0, op, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
m.apply(0, op, { type: 'RegisterAgent', name: 'a', kind: 'ai', owner: 'bots', skills: [], capacity: 1, min_rate: 0 });
m.apply(0, client, { type: 'Deposit', amount: 5000 });
m.apply(1, client, {
  type: 'PostTask',
  spec: {
    title: 'Label', category: 'labeling',
    acceptance: { fields: [{ name: 'label', kind: 'text' }] },
    review: { window_ms: 1000 }, pricing: { type: 'Fixed', reward: 1000 },
    deadlines: { claim_by: 100000, lease_ms: 10000, clarification_timeout_ms: 1000 },
  },
});
m.apply(2, agent, { type: 'ClaimTask', task: 0 });
m.apply(3, agent, { type: 'SubmitWork', task: 0, output: { label: 'cat' }, self_check: { confidence_bps: 9000 } });
const accepted = m.tick(2000).map((e) => e.type);
let code = null;
try {
  m.apply(3000, client, { type: 'Withdraw', amount: 1e6 });
} catch (e) {
  code = e instanceof MarketError && e instanceof Error ? e.code : 'not a MarketError';
}
const result = { accepted, balance: m.agent(0).balance, code, snapshot: m.save().length };
if (typeof document === 'undefined') console.log(JSON.stringify(result));
else document.body.dataset.result = JSON.stringify(result);
