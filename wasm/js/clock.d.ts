import type { Actor, Command, Event, Market, Timestamp } from './market/gigmarket.js';

/** How a `MarketClock` reads time, reports what happened and sets timers. */
export interface MarketClockOptions {
  /** The host's clock in ms (default `Date.now`). */
  now?: () => Timestamp;
  /** Called with the events of every tick that had something to do. */
  onEvents?: (events: Event[]) => void;
  /** Called when a timed tick throws (default: rethrow, which surfaces as an uncaught error). */
  onError?: (error: unknown) => void;
  /** Timer functions (default `setTimeout` / `clearTimeout`; tests pass fakes). */
  setTimer?: (callback: () => void, delayMs: number) => unknown;
  clearTimer?: (timer: any) => void;
}

/**
 * A clock for live hosts: ticks the market when its next deadline falls due, on a timer, and
 * stamps commands with the host's time. Send commands through it so that a command that adds an
 * earlier deadline re-arms the timer. Instants never go back: a host clock that steps back is
 * read as the market's last instant.
 */
export class MarketClock {
  constructor(market: Market, options?: MarketClockOptions);
  /** The market this clock drives. */
  readonly market: Market;
  /** Act on every deadline due now, then sleep until the next one; returns the events. */
  tick(): Event[];
  /** `market.apply` at the host's time now. */
  apply(actor: Actor, command: Command): Event[];
  /** `market.applyRequest` at the host's time now. */
  applyRequest(actor: Actor, requestId: string, command: Command): Event[];
  /** `market.applyJson` at the host's time now (events as JSON text). */
  applyJson(actorJson: string, commandJson: string): string;
  /** Stop the timer; the market stays usable. */
  stop(): void;
}
