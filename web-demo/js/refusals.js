// A refusal in words a marketplace user knows: amounts in credits as the page shows them (the
// engine speaks minor units: "98500 available"), and no engine wording ("invalid type: floating
// point `1e+32`, expected u64", "beyond 2^53 - 1"; issue 14, bug 4). The engine's code stays on
// the message (`data-code`) for whoever needs it.
import { money } from './format.js';
import { commandLabel } from './words.js';

// The engine refuses deposits that would take the market past 2^53 - 1 minor units.
const LARGEST = 'larger than this market can hold';

/** The sentence for a MarketError `err` raised by `command` (a command type or an action). */
export function describeRefusal(command, err) {
  // A command type reads as its button does ("Claim refused"); other actions pass their own words.
  const what = commandLabel(command);
  const d = err.details ?? {};
  switch (err.code) {
    case 'insufficient_funds':
      return `${what} refused: ${money(d.needed)} credits needed, ${money(d.available)} available.`;
    case 'bid_above_ceiling':
      return `${what} refused: the bid of ${money(d.price)} credits is above the task's ceiling of ${money(d.ceiling)}.`;
    case 'out_of_range':
      return `${what} refused: the ${words(d.what)} is out of range${/2\^53/.test(d.reason ?? '') ? ` (${LARGEST})` : ` (${d.reason})`}.`;
    case 'malformed_input': {
      const field = (d.path ?? '').split('.').pop().replace(/\[\d+\]$/, '');
      const why = /finite/.test(d.reason ?? '') ? ' (not a number)' : /2\^53|whole number/.test(d.reason ?? '') ? ` (${LARGEST}, or not a whole amount)` : '';
      return `${what} refused: the ${words(field || d.what)} is not valid${why}.`;
    }
    default:
      return `${what} refused: ${err.message}`;
  }
}

const words = (name) => String(name ?? 'value').replaceAll('_', ' ');
