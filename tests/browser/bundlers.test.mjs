// The package through the two bundlers the README documents, run in headless Chromium: an app
// built by Vite (no configuration beyond the README's) and one bundled by esbuild (the `file`
// loader for the .wasm), each served from 127.0.0.1 by the test. Each app starts the package,
// runs a task to payment, catches a refusal, and (Vite) runs a market in a worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { build as vite } from 'vite';
import * as esbuild from 'esbuild';
import { launch } from './helpers.mjs';
import { serve, PKG } from './static-server.mjs';

// One app for both bundlers; `start` is how each hands the .wasm to `init`.
const app = (imports, start) => `
import { init, Market, MarketError } from 'gigmarket';
${imports}
${start}
const m = new Market({ seed: 3 });
const op = { type: 'Operator' };
const client = { type: 'Client', id: 0 };
const agent = { type: 'Agent', id: 0 };
m.apply(0, op, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
m.apply(0, op, { type: 'RegisterAgent', name: 'a', kind: 'ai', owner: 'bots', skills: [], capacity: 1, min_rate: 0 });
m.apply(0, client, { type: 'Deposit', amount: 5000 });
m.apply(1, client, { type: 'PostTask', spec: {
  title: 'Label', category: 'labeling', acceptance: { fields: [{ name: 'label', kind: 'text' }] },
  review: { window_ms: 1000 }, pricing: { type: 'Fixed', reward: 1000 },
  deadlines: { claim_by: 100000, lease_ms: 10000, clarification_timeout_ms: 1000 } } });
m.apply(2, agent, { type: 'ClaimTask', task: 0 });
m.apply(3, agent, { type: 'SubmitWork', task: 0, output: { label: 'cat' }, self_check: { confidence_bps: 9000 } });
const accepted = m.tick(2000).some((e) => e.type === 'WorkAccepted');
let code = null;
try { m.apply(3000, client, { type: 'Withdraw', amount: 1e6 }); } catch (e) { code = e instanceof MarketError ? e.code : String(e); }
const result = { accepted, balance: m.agent(0).balance, code };
if (typeof worker !== 'undefined') result.worker = await worker();
document.body.dataset.result = JSON.stringify(result);
`;

const HTML = '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title></head><body><script type="module" src="./main.js"></script></body></html>';

let chromium;
let dir;
before(async () => {
  chromium = await launch();
  dir = fs.mkdtempSync(path.join(import.meta.dirname, '.bundlers-'));
  // The app's node_modules holds the built package, as `npm install` would.
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(PKG, path.join(dir, 'node_modules', 'gigmarket'), 'dir');
});
after(async () => {
  await chromium?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function run(siteDir, page = 'index.html') {
  const server = await serve({}, { dir: siteDir, at: '/' });
  const context = await chromium.browser.newContext();
  try {
    const tab = await context.newPage();
    const problems = [];
    tab.on('pageerror', (e) => problems.push(e.message));
    tab.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await tab.goto(server.url + page);
    await tab.waitForSelector('body[data-result]', { state: 'attached', timeout: 20_000 }).catch(() => {});
    assert.deepEqual(problems, []);
    return JSON.parse(await tab.evaluate(() => document.body.dataset.result));
  } finally {
    await context.close();
    await server.close();
  }
}

test('Vite builds the package with no configuration, and the app runs in Chromium', async () => {
  const root = path.join(dir, 'vite');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'index.html'), HTML);
  fs.writeFileSync(path.join(root, 'main.js'), app(
    "import { MarketWorker } from 'gigmarket/worker';",
    `await init();
const worker = async () => {
  const w = await MarketWorker.start({ config: { seed: 3 } });
  const events = await w.apply(0, { type: 'Operator' }, { type: 'RegisterClient', name: 'W', owner: 'w' });
  await w.terminate();
  return events.map((e) => e.type);
};`,
  ));
  await vite({ root, logLevel: 'silent', build: { outDir: 'dist', target: 'es2022' } });
  const assets = fs.readdirSync(path.join(root, 'dist', 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `no .wasm among ${assets}`);
  const result = await run(path.join(root, 'dist'));
  assert.deepEqual(result, { accepted: true, balance: 900, code: 'insufficient_funds', worker: ['ClientRegistered'] });
});

test('esbuild bundles the package with the file loader, and the app runs in Chromium', async () => {
  const root = path.join(dir, 'esbuild');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'main.src.js'), app(
    "import wasmUrl from 'gigmarket/market.wasm';",
    'await init(new URL(wasmUrl, import.meta.url));',
  ));
  fs.writeFileSync(path.join(root, 'index.html'), HTML);
  await esbuild.build({
    entryPoints: { main: path.join(root, 'main.src.js') },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    outdir: root, loader: { '.wasm': 'file' }, nodePaths: [path.join(dir, 'node_modules')], logLevel: 'silent',
  });
  const result = await run(root);
  assert.deepEqual(result, { accepted: true, balance: 900, code: 'insufficient_funds' });
});
