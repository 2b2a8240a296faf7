// The one start, the simulator entry and the runtime lists, as a TypeScript consumer sees them.
import { init, Market, MarketError, COMMAND_TYPES, ERROR_CODES, type Command, type MarketErrorCode } from 'gigmarket';
import * as sim from 'gigmarket/sim';

export async function start(): Promise<number> {
  await init();
  await init(new URL('file:///x.wasm'));
  const m = new Market();
  try {
    return m.now;
  } catch (e) {
    if (e instanceof MarketError) return -1;
    throw e;
  } finally {
    m.free();
  }
}

export async function simulate(): Promise<number> {
  await sim.init();
  const m = new sim.Market({ seed: 1 });
  const events = m.autopilotStep(1000);
  // @ts-expect-error: the market entry has no autopilot
  new Market().autopilotStep(1000);
  return events.length;
}

const first: Command['type'] = COMMAND_TYPES[0];
const code: MarketErrorCode = ERROR_CODES[0];
// @ts-expect-error: the lists are readonly
COMMAND_TYPES.push('PostTask');
export { first, code };
