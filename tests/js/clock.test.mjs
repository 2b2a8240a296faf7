// MarketClock (wasm/js/clock.js) on a fake host: its own clock and timers, advanced by hand, so
// each test says exactly when the host's time is and which timers are set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, MarketClock, MarketError } from 'gigmarket';
import { agent, client, setup, spec } from './helpers.mjs';

await init();

/** A host whose time moves only when the test says, with timers fired in order of their instant. */
function fakeHost(t = 0) {
  const host = {
    t,
    timers: new Map(),
    nextId: 1,
    // How the clock called the timer functions (`this` must be undefined, see below).
    thisValues: [],
    events: [],
    now: () => host.t,
    setTimer(callback, delay) {
      host.thisValues.push(this);
      const id = host.nextId++;
      host.timers.set(id, { callback, delay, due: host.t + delay });
      return id;
    },
    clearTimer(id) {
      host.thisValues.push(this);
      host.timers.delete(id);
    },
    onEvents: (events) => host.events.push(events),
    /** The one timer set, or a failure if there are several. */
    timer() {
      assert.ok(host.timers.size <= 1, `at most one timer, found ${host.timers.size}`);
      return [...host.timers.values()][0];
    },
    /** Move the host's time to `to`, firing every timer due by then, earliest first. */
    advanceTo(to) {
      for (;;) {
        const due = [...host.timers.entries()].filter(([, x]) => x.due <= to).sort((a, b) => a[1].due - b[1].due)[0];
        if (!due) break;
        host.timers.delete(due[0]);
        host.t = due[1].due;
        due[1].callback();
      }
      host.t = to;
    },
  };
  return host;
}

const clockOn = (market, host) => new MarketClock(market, host);

test('a claimed task\'s lease expires when it is due, with its events sent to onEvents', () => {
  const host = fakeHost(1000);
  const clock = clockOn(setup(), host);
  clock.apply(client(), { type: 'PostTask', spec: spec() });
  assert.equal(host.timer().due, 3600000, 'asleep until the claim-by instant');
  host.advanceTo(2000);
  const [claimed] = clock.apply(agent(), { type: 'ClaimTask', task: 0, spec_hash: null });
  assert.equal(claimed.lease_due, 602000);
  assert.equal(host.timer().due, 602000, 're-armed for the lease');

  host.advanceTo(601999);
  assert.deepEqual(host.events, [], 'nothing before the lease is due');
  host.advanceTo(602000);
  assert.deepEqual(host.events, [[{ at: 602000, type: 'TaskAbandoned', task: 0, agent: 0, category: 0 }]]);
  assert.equal(clock.market.task(0).status.state, 'Open');
  assert.equal(host.timer().due, 3600000, 'asleep again until the next deadline');
  clock.stop();
});

test('a command that adds an earlier deadline re-arms the timer to it', () => {
  const host = fakeHost(1000);
  const clock = clockOn(setup(), host);
  clock.apply(client(), { type: 'PostTask', spec: spec() });
  assert.equal(host.timer().due, 3600000);
  const early = spec({ title: 'early', deadlines: { ...spec().deadlines, claim_by: 50000 } });
  clock.apply(client(), { type: 'PostTask', spec: early });
  assert.equal(host.timer().due, 50000, 'one timer, at the earlier deadline');

  host.advanceTo(50000);
  assert.deepEqual(host.events.flat().map((e) => [e.type, e.task, e.at]), [['TaskExpired', 1, 50000]]);
  assert.equal(host.timer().due, 3600000);
  clock.stop();
});

test('stop() clears the timer and later commands set none', () => {
  const host = fakeHost(1000);
  const clock = clockOn(setup(), host);
  clock.apply(client(), { type: 'PostTask', spec: spec() });
  assert.equal(host.timers.size, 1);
  clock.stop();
  assert.equal(host.timers.size, 0);
  clock.apply(client(), { type: 'PostTask', spec: spec({ title: 'after stop' }) });
  assert.equal(host.timers.size, 0);
  host.advanceTo(3600000);
  assert.deepEqual(clock.tick(), [], 'a stopped clock does not tick');
  assert.deepEqual(host.events, []);
  assert.equal(clock.market.task(0).status.state, 'Open', 'the market stays usable, untouched by time');
});

test('a host clock that steps back is read as the market\'s last instant', () => {
  const host = fakeHost(5000);
  const market = setup();
  const clock = clockOn(market, host);
  clock.apply(client(), { type: 'PostTask', spec: spec() });
  assert.equal(market.now, 5000);
  host.t = 1000; // NTP steps the host's clock back
  // Stamped with the host's time as it is, the market would refuse the command:
  assert.throws(() => market.apply(1000, client(), { type: 'Deposit', amount: 1 }), (e) => e instanceof MarketError && e.code === 'time_went_backwards');
  const events = clock.apply(client(), { type: 'Deposit', amount: 1 });
  assert.deepEqual(events.map((e) => [e.type, e.at]), [['FundsDeposited', 5000]]);
  const json = JSON.parse(clock.applyJson(JSON.stringify(client()), JSON.stringify({ type: 'Deposit', amount: 2 })));
  assert.equal(json[0].at, 5000);
  const request = clock.applyRequest(client(), 'r-1', { type: 'Deposit', amount: 3 });
  assert.ok(request.every((e) => e.at === 5000));
  assert.equal(market.now, 5000);
  clock.stop();
});

test('a deadline beyond setTimeout\'s range: the delay is capped and the clock sleeps again', () => {
  const MAX = 2 ** 31 - 1;
  const DAY = 24 * 3600 * 1000;
  const far = 40 * DAY; // past setTimeout's 24.8 days
  const host = fakeHost(1000);
  const clock = clockOn(setup({ seed: 1, caps: { max_claim_horizon_ms: 60 * DAY } }), host);
  clock.apply(client(), { type: 'PostTask', spec: spec({ deadlines: { ...spec().deadlines, claim_by: far } }) });
  assert.equal(host.timer().delay, MAX);
  host.advanceTo(1000 + MAX);
  assert.deepEqual(host.events, [], 'woke early: nothing due yet');
  assert.equal(host.timer().due, far, 'asleep again until the deadline itself');
  host.advanceTo(far);
  assert.deepEqual(host.events.flat().map((e) => [e.type, e.at]), [['TaskExpired', far]]);
  clock.stop();
});

test('the timer functions are called as plain functions, as browsers require of setTimeout', () => {
  // A browser's setTimeout / clearTimeout throw "Illegal invocation" when called as a method of
  // another object; the default options pass them as they are.
  const host = fakeHost(1000);
  const clock = clockOn(setup(), host);
  clock.apply(client(), { type: 'PostTask', spec: spec() });
  clock.apply(client(), { type: 'PostTask', spec: spec({ title: 'second' }) });
  clock.stop();
  assert.ok(host.thisValues.length >= 3, 'set, cleared and set again');
  assert.deepEqual(new Set(host.thisValues), new Set([undefined]));
});

test('a new clock acts at once on deadlines already due', () => {
  const market = setup();
  market.apply(1000, client(), { type: 'PostTask', spec: spec({ deadlines: { ...spec().deadlines, claim_by: 50000 } }) });
  const host = fakeHost(60000);
  const clock = clockOn(market, host);
  // Stamped with the deadline's own instant, though acted on later.
  assert.deepEqual(host.events.flat().map((e) => [e.type, e.at]), [['TaskExpired', 50000]]);
  assert.equal(host.timers.size, 0, 'nothing left to wait for');
  clock.stop();
  market.free();
});
