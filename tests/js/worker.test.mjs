// gigmarket/worker under Node: the module imports without Web Workers (so a server-side render or
// a test runner that imports the host's code does not crash), and start() says what it needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarketWorker, MarketError } from 'gigmarket/worker';
import { MarketError as MainMarketError } from 'gigmarket';

test('gigmarket/worker imports under Node; start() rejects with the reason', async () => {
  assert.equal(typeof Worker, 'undefined', 'Node 20 has no Web Worker global');
  assert.equal(MarketError, MainMarketError, 'one MarketError class for both entries');
  await assert.rejects(MarketWorker.start({ config: { seed: 1 } }), /needs Web Workers/);
  await assert.rejects(MarketWorker.start({ config: {}, snapshot: '{}' }), TypeError);
});
