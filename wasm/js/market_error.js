/**
 * Why the market refused a call: a refused command (`code` is a `Rejection` code), undecodable
 * input (`"malformed_input"`), a snapshot that cannot be loaded (`"snapshot_*"`) or a broken
 * invariant (`"invariant_violated"`). `details` holds the structured fields, tagged by `code`.
 */
export class MarketError extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = 'MarketError';
    this.code = code;
    this.details = details;
  }
}
