// Type-checks `gigmarket/worker` as a consumer would: the proxy's methods are the Market's,
// typed from the engine's declarations, each returning a Promise. Every `@ts-expect-error` line
// proves that a mistake does not type-check.
import { MarketWorker, MarketError, type SimMarketWorker } from 'gigmarket/worker';
import type { Event, MarketConfig, Task } from 'gigmarket';

export async function drive(): Promise<void> {
  const config: MarketConfig = { seed: 1 };
  const market = await MarketWorker.start({ sim: true, config });
  const sim: SimMarketWorker = market;

  const events: Event[] = await market.apply(0, { type: 'Operator' }, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
  const tasks: Task[] = await market.tasks();
  const stepped: Event[] = await sim.autopilotStep(600_000);
  const now: number = await market.get('now');
  const saved: string = await market.save();
  const next: number | undefined = await market.nextDeadline();
  void [events, tasks, stepped, now, saved, next];

  // @ts-expect-error: a method's result is a Promise, not the value
  const notAwaited: Task[] = market.tasks();
  // @ts-expect-error: Deposit needs `amount`
  await market.apply(0, { type: 'Client', id: 0 }, { type: 'Deposit' });
  // @ts-expect-error: no such command
  await market.apply(0, { type: 'Operator' }, { type: 'Steal', amount: 5 });
  // @ts-expect-error: apply wants an actor, not a string
  await market.apply(0, 'operator', { type: 'Deposit', amount: 5 });
  // @ts-expect-error: `now` is a property, read with get, not a method
  await market.now();
  // @ts-expect-error: get takes property names only
  await market.get('tasks');
  // @ts-expect-error: free belongs to the worker; terminate() frees
  market.free();
  void notAwaited;

  try {
    await market.apply(0, { type: 'Client', id: 0 }, { type: 'Withdraw', amount: 1 });
  } catch (err) {
    if (err instanceof MarketError && err.code === 'insufficient_funds') console.log(err.details.code);
  }
  await market.terminate();

  // Without `sim`, the market build: no autopilot.
  const plain = await MarketWorker.start({ config: { seed: 2 } });
  // @ts-expect-error: autopilotStep is only in the simulator build
  await plain.autopilotStep(0);
  const loaded = await MarketWorker.start({ snapshot: await plain.save() });
  await using disposed = loaded;
  // @ts-expect-error: a config or a snapshot, not both
  await MarketWorker.start({ config: { seed: 1 }, snapshot: '{}' });
  void disposed;
}
