// `gigmarket/worker` in headless Chromium: the package (wasm/pkg) and a blank page served from
// 127.0.0.1 by the test itself; the page imports the package's worker entry, and each step runs
// in the page through `page.evaluate`. Checks that the proxy forwards every kind of call in order,
// that refusals arrive as real MarketErrors, that the main thread keeps running while the worker
// works, and that terminate frees the market.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, assertClean } from './helpers.mjs';
import { serve } from './static-server.mjs';
import { spec } from '../fixtures/spec.mjs';

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>gigmarket worker</title></head>
<body><script type="module">
  import { MarketWorker, MarketError } from '/pkg/worker.js';
  // A caught error as data the test can compare, with its class as the page sees it.
  const caught = (e) => ({ market: e instanceof MarketError, error: e instanceof Error, name: e.name, code: e.code, message: e.message, details: e.details });
  Object.assign(window, { MarketWorker, MarketError, caught });
  document.body.dataset.ready = 'true';
</script></body></html>`;

let chromium;
let server;
before(async () => {
  server = await serve({ '/': PAGE });
  chromium = await launch();
});
after(async () => {
  await chromium?.close();
  await server?.close();
});

async function open() {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 15_000 });
  return { page, problems, context };
}

const OP = { type: 'Operator' };
const CLIENT = { type: 'Client', id: 0 };
// The task of the Rust crate-doc example, as the package's JS tests post it.
const SPEC = spec();

test('a market in a worker: every call forwarded in order, refusals as MarketErrors', async () => {
  const { page, problems, context } = await open();
  const out = await page.evaluate(async ({ OP, CLIENT, SPEC }) => {
    const m = await MarketWorker.start({ sim: true, config: { seed: 1 } });
    const registered = await m.apply(0, OP, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
    // Sent together without awaiting: answered in order, so the read sees the deposit.
    const [deposited, client] = await Promise.all([m.apply(0, CLIENT, { type: 'Deposit', amount: 10000 }), m.client(0)]);
    const posted = await m.apply(1000, CLIENT, { type: 'PostTask', spec: SPEC });
    const stepped = await m.autopilotStep(600000);
    const tasks = await m.tasks();
    const now = await m.get('now');
    const config = await m.get('config');
    const balanceBefore = (await m.client(0)).balance;
    const refused = await m.apply(now, CLIENT, { type: 'Withdraw', amount: 1e9 }).catch(caught);
    // NaN survives structured clone, so the engine's encoder refuses it with the path, as on the main thread.
    const malformed = await m.apply(now, CLIENT, { type: 'Deposit', amount: NaN }).catch(caught);
    const noProperty = await m.get('tasks').catch(caught);
    const uncloneable = await m.apply(now, CLIENT, { type: 'Deposit', amount: 1, f: () => 1 }).catch(caught);
    const balanceAfter = (await m.client(0)).balance;
    await m.audit();
    await m.terminate();
    return {
      registered, deposited, client, posted, stepped, tasks, now, config, refused, malformed, noProperty, uncloneable, balanceBefore, balanceAfter,
      methods: Object.keys(m).sort(),
    };
  }, { OP, CLIENT, SPEC });

  assert.deepEqual(out.registered.map((e) => e.type), ['ClientRegistered']);
  assert.deepEqual(out.deposited.map((e) => e.type), ['FundsDeposited']);
  assert.equal(out.client.balance, 10000, 'the read sent after the deposit saw it');
  assert.equal(out.posted[0].type, 'TaskPosted');
  assert.ok(Array.isArray(out.stepped));
  assert.ok(out.tasks.length >= 1);
  assert.equal(out.tasks[0].spec.title, SPEC.title);
  assert.ok(out.now >= 600000);
  assert.equal(out.config.seed, 1);
  assert.ok(out.methods.includes('autopilotStep') && out.methods.includes('apply') && out.methods.includes('tasks'));
  assert.ok(!out.methods.includes('free'), 'terminate() frees, not free()');

  assert.equal(out.refused.market, true, 'a refusal is a MarketError in the page');
  assert.equal(out.refused.error, true);
  assert.equal(out.refused.name, 'MarketError');
  assert.equal(out.refused.code, 'insufficient_funds');
  assert.equal(out.refused.details.code, 'insufficient_funds');
  assert.match(out.refused.message, /./);

  assert.equal(out.malformed.market, true);
  assert.equal(out.malformed.code, 'malformed_input');
  assert.equal(out.malformed.details.path, 'command.amount');

  assert.deepEqual([out.noProperty.market, out.noProperty.error, out.noProperty.name], [false, true, 'TypeError']);
  assert.match(out.noProperty.message, /no property tasks/);
  assert.deepEqual([out.uncloneable.market, out.uncloneable.error, out.uncloneable.name], [false, true, 'DataCloneError']);
  assert.equal(out.balanceAfter, out.balanceBefore, 'refused calls changed nothing');

  assertClean(problems);
  await context.close();
});

test('the main thread keeps running while the worker works', async () => {
  const { page, problems, context } = await open();
  const out = await page.evaluate(async ({ OP, CLIENT }) => {
    const m = await MarketWorker.start({ sim: true, config: { seed: 3 } });
    await m.apply(0, OP, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
    await m.apply(0, CLIENT, { type: 'Deposit', amount: 10000 });
    // Count timer turns and frames of the main thread from the first call sent to the last answered.
    let turns = 0;
    let frames = 0;
    let running = true;
    const turn = () => { if (running) { turns++; setTimeout(turn, 0); } };
    const frame = () => { if (running) { frames++; requestAnimationFrame(frame); } };
    setTimeout(turn, 0);
    requestAnimationFrame(frame);
    const steps = [];
    for (let i = 1; i <= 200; i++) steps.push(m.autopilotStep(i * 600000));
    const results = await Promise.all(steps);
    running = false;
    const tasks = (await m.tasks()).length;
    await m.terminate();
    return { turns, frames, events: results.reduce((n, r) => n + r.length, 0), tasks };
  }, { OP, CLIENT });
  assert.ok(out.events > 0 && out.tasks > 0, `the autopilot worked: ${JSON.stringify(out)}`);
  assert.ok(out.turns >= 1, `main-thread timers ran during the 200 steps: ${JSON.stringify(out)}`);
  console.log(`main thread during 200 autopilot steps in the worker: ${out.turns} timer turns, ${out.frames} frames`);
  assertClean(problems);
  await context.close();
});

test('a snapshot loads in a worker without the simulator; terminate frees the market', async () => {
  const { page, problems, context } = await open();
  const out = await page.evaluate(async ({ OP, CLIENT, SPEC }) => {
    const sim = await MarketWorker.start({ sim: true, config: { seed: 5 } });
    await sim.apply(0, OP, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
    await sim.apply(0, CLIENT, { type: 'Deposit', amount: 10000 });
    await sim.apply(0, CLIENT, { type: 'PostTask', spec: SPEC });
    for (let i = 1; i <= 20; i++) await sim.autopilotStep(i * 600000);
    const saved = await sim.save();
    await sim.terminate();

    const m = await MarketWorker.start({ snapshot: saved });
    const same = (await m.save()) === saved;
    const hasAutopilot = typeof m.autopilotStep;
    // Sent before terminate: answered; sent after: refused without reaching the worker.
    const before = m.tasks();
    const terminated = m.terminate();
    const after = await m.tasks().catch(caught);
    const afterGet = await m.get('now').catch(caught);
    const beforeCount = (await before).length;
    await terminated;
    await m.terminate(); // again: nothing happens
    const afterTerminated = await m.apply(0, OP, { type: 'RegisterClient', name: 'B', owner: 'b' }).catch(caught);
    const bad = await MarketWorker.start({ snapshot: '{"not":"a snapshot"}' }).catch(caught);
    const both = await MarketWorker.start({ config: {}, snapshot: saved }).catch(caught);
    return { savedLength: saved.length, same, hasAutopilot, after, afterGet, beforeCount, afterTerminated, bad, both };
  }, { OP, CLIENT, SPEC });

  assert.ok(out.savedLength > 1000);
  assert.equal(out.same, true, 'the market build loads the sim build\'s snapshot to the same bytes');
  assert.equal(out.hasAutopilot, 'undefined', 'no autopilot without the simulator');
  assert.ok(out.beforeCount >= 1);
  for (const e of [out.after, out.afterGet, out.afterTerminated]) {
    assert.equal(e.market, true);
    assert.equal(e.code, 'market_freed');
    assert.equal(e.details.code, 'market_freed');
  }
  assert.match(out.after.message, /MarketWorker\.tasks/);
  assert.equal(out.bad.market, true, 'an unloadable snapshot rejects start with the engine\'s MarketError');
  assert.equal(out.bad.code, 'snapshot_malformed');
  assert.deepEqual([out.both.market, out.both.name], [false, 'TypeError']);
  assertClean(problems);
  await context.close();
});
