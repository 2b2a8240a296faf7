// Plain words for engine names, in one place, so the board, the dialogs and the panels say the
// same thing. The engine's names stay in data attributes and class names (tests and styles key
// on them); people read these.

const STATE_LABELS = {
  Open: 'Open',
  Claimed: 'In progress',
  InputRequired: 'Needs input',
  Submitted: 'Submitted',
  UnderReview: 'In review',
  Rejected: 'Being redone',
  Disputed: 'Disputed',
  Settled: 'Paid',
  Cancelled: 'Cancelled',
  Expired: 'Expired',
};

/** A TaskStatus state in plain words ("UnderReview" → "In review"); an unknown name as it is. */
export function stateLabel(state) {
  return Object.hasOwn(STATE_LABELS, state) ? STATE_LABELS[state] : state;
}
