// The one place engine names become words a marketplace user knows (issue 14): "Claim", not
// "ClaimTask"; "Needs input", not "InputRequired". Every view that shows a state, a command, an
// event, a verdict or a route asks here, so one concept has one name across the page. Engine
// names stay available to developers in tooltips (`title`) and "details" toggles, never in the
// main text. An unknown name (a newer engine) reads as itself rather than as nothing.
//
// No DOM and no engine calls here: the node tests import this module directly.

const STATES = {
  Open: 'Open',
  Claimed: 'In progress',
  InputRequired: 'Needs input',
  // Lasts only inside one hand-in, between the work arriving and its checks.
  Submitted: 'Being checked',
  UnderReview: 'In review',
  // The client turned the work down; the agent may still dispute. Not "being redone": a
  // revision request sends the work back as "In progress", a rejection does not.
  Rejected: 'Rejected',
  Disputed: 'Disputed',
  Settled: 'Paid',
  Cancelled: 'Cancelled',
  Expired: 'Expired',
};

/** A TaskStatus state ("InputRequired") as a person reads it ("Needs input"). */
export function stateLabel(state) {
  return STATES[state] ?? String(state);
}

const COMMANDS = {
  RegisterClient: 'Register client',
  RegisterAgent: 'Register agent',
  RegisterReviewer: 'Register reviewer',
  UpdateAgentProfile: 'Update profile',
  Deposit: 'Deposit',
  Withdraw: 'Withdraw',
  SetFee: 'Set fee',
  PostTask: 'Post task',
  CancelTask: 'Cancel task',
  ClaimTask: 'Claim',
  PlaceBid: 'Bid',
  WithdrawBid: 'Withdraw bid',
  AwardBid: 'Hire',
  ReturnTask: 'Give the task back',
  AskClarification: 'Ask a question',
  AnswerClarification: 'Answer',
  SubmitWork: 'Hand in work',
  Review: 'Review',
  RateTask: 'Rate',
  OpenDispute: 'Dispute',
  ResolveDispute: 'Resolve dispute',
  RankAgents: 'Rank agents',
  SuspendParty: 'Suspend',
  ReinstateParty: 'Reinstate',
  CloseParty: 'Close account',
  VerifyClient: 'Verify client',
  ImportEstablishment: 'Import client history',
  AssignTasks: 'Assign tasks',
};

/** A Command `type` ("ClaimTask") as the button that sends it reads ("Claim"). */
export function commandLabel(type) {
  return COMMANDS[type] ?? String(type);
}

const EVENTS = {
  RequestRecorded: 'Request recorded',
  ClientRegistered: 'Client registered',
  AgentRegistered: 'Agent registered',
  ReviewerRegistered: 'Reviewer registered',
  AgentProfileUpdated: 'Profile updated',
  FundsDeposited: 'Deposit',
  FundsWithdrawn: 'Withdrawal',
  FeeSet: 'Fee changed',
  TaskPosted: 'Task posted',
  TaskCancelled: 'Task cancelled',
  TaskExpired: 'Task expired',
  ClaimQueued: 'Claim waiting',
  ClaimLost: 'Claim lost',
  BidPlaced: 'Bid placed',
  BidWithdrawn: 'Bid withdrawn',
  BidEvicted: 'Bid pushed out',
  TaskClaimed: 'Task claimed',
  TaskReturned: 'Task given back',
  TaskAbandoned: 'Time ran out',
  ClarificationRequested: 'Question asked',
  ClarificationAnswered: 'Question answered',
  WorkSubmitted: 'Work handed in',
  VerificationFailed: 'Checks failed',
  VerificationPassed: 'Checks passed',
  RevisionRequested: 'Changes requested',
  WorkAccepted: 'Work accepted',
  WorkRejected: 'Work rejected',
  DisputeOpened: 'Dispute opened',
  DisputeResolved: 'Dispute resolved',
  TaskSettled: 'Payment',
  TaskRated: 'Rating',
  AgentsRanked: 'Agents ranked',
  PartySuspended: 'Account suspended',
  PartyReinstated: 'Account reinstated',
  PartyClosed: 'Account closed',
  ClientVerified: 'Client verified',
  EstablishmentImported: 'Client history imported',
  BatchAssigned: 'Tasks assigned',
};

/** An EventKind `type` ("TaskSettled") as a log heading ("Payment"). */
export function eventLabel(type) {
  return EVENTS[type] ?? String(type);
}

const VERDICTS = {
  accepted: 'accepted',
  auto_accepted: 'accepted when the review time ran out',
  rejected: 'rejected, not disputed',
  dispute_paid: 'disputed, agent paid',
  dispute_refunded: 'disputed, client refunded',
  dispute_split: 'disputed, money split',
};

/** How a settled task ended (a Verdict). */
export function verdictLabel(verdict) {
  return VERDICTS[verdict] ?? String(verdict);
}

const REVIEW_ROUTES = {
  client: 'the client',
  human_low_confidence: 'a human reviewer (the agent was not confident enough)',
  human_sampled: 'a human reviewer (picked for a spot check)',
  operator: 'the operator (client and agent share an owner)',
};

/** Who reviews verified work (a ReviewRoute). */
export function reviewRouteLabel(route) {
  return REVIEW_ROUTES[route] ?? String(route);
}

const CLAIM_ROUTES = {
  claim: 'claimed first',
  arbitration: 'won among claims made in the priority window',
  award: 'bid hired by the client',
  auto_award: 'bid picked when bidding closed',
  assignment: 'placed by batch assignment',
};

/** How an agent came to hold a task (a ClaimRoute). */
export function claimRouteLabel(route) {
  return CLAIM_ROUTES[route] ?? String(route);
}

const TIERS = { new: 'New', rising: 'Rising', established: 'Established', top_rated: 'Top rated', expert: 'Expert' };

/** An agent's Tier ("top_rated") as a badge reads ("Top rated"). */
export function tierLabel(tier) {
  return TIERS[tier] ?? String(tier);
}

const AWARDS = {
  client: 'the client picks',
  best_price: 'lowest price wins',
  best_eta: 'fastest delivery wins',
  best_value: 'best fit wins (price included)',
};

/** How a bid-priced task picks its winner (an AwardPolicy). */
export function awardLabel(policy) {
  return AWARDS[policy] ?? String(policy);
}

/**
 * The message after a command went through: what it was, in words, and what followed
 * ("Hand in work done: work handed in, checks passed."). Work that failed its checks is not
 * plain "done": the sentence says which checks and why (issue 14, bug 2). `events` is what
 * `market.apply` returned.
 */
export function outcomeText(commandType, events) {
  const label = commandLabel(commandType);
  const failed = events.find((e) => e.type === 'VerificationFailed');
  if (failed) {
    const why = failed.failed.map((f) => `${f.criterion}: ${f.reason}`).join('; ');
    return `${label} done, but the work failed its checks (${why}). It is back with the agent to fix and hand in again.`;
  }
  const kinds = [...new Set(events.filter((e) => e.type !== 'RequestRecorded').map((e) => eventLabel(e.type).toLowerCase()))];
  return `${label} done${kinds.length ? `: ${kinds.join(', ')}` : ''}.`;
}

/** The kinds of acceptance check (`Check['type']`), as the post-task form offers them. */
const CHECKS = {
  Range: 'Number within a range',
  Length: 'Text length within a range',
  OneOf: 'One of a list of values',
  Pattern: 'Matches a pattern',
  Each: 'Every item of a list passes a check',
  SumEquals: 'Items add up to a total',
  ItemsIn: 'Every item is found in an input table',
  OwnRecordOnly: 'Each message names its own record and no other',
};

/** A kind of acceptance check in plain words. */
export function checkLabel(type) {
  return CHECKS[type] ?? type;
}
