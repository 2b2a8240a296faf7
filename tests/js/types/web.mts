// The web build: `init` first, then the same API.
import init, { Market, MarketError, initSync } from 'gigmarket/web';

export async function start(): Promise<number> {
  await init();
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
export { initSync };
