// Events as sentences, with the reasons the engine gives: claim arbitration (ClaimLost.reason),
// failed checks (VerificationFailed.failed[].reason), fit factors of a ranking
// (AgentsRanked.ranked[].fit), the outcome of a settlement, and the reputation changes recorded
// with it (explainScore(...).changes[].factors). One function per concern; no engine logic here.

import { money, instant, relative, bps, duration, score, actorLabel } from './format.js';
import { eventLabel, verdictLabel, reviewRouteLabel, claimRouteLabel } from './words.js';

const t = (id) => `#${id}`;
const num = (x) => (Number.isInteger(x) ? String(x) : Number(x).toPrecision(3));

/** The fit factors of one ranked agent, as "name value" pairs. */
export function fitFactors(fit) {
  return ['skill', 'reputation', 'price', 'speed', 'load', 'exploration']
    .map((k) => `${k} ${score(fit[k])}`).join(' · ');
}

/** How the engine's factor names read (its FactorName docs); an unknown name reads as itself. */
const FACTOR_LABELS = {
  task_value_weight: 'task value weight',
  client_establishment: 'client establishment',
  client_fairness: 'client fairness',
  repeat_damping: 'repeat damping',
  outcome_weight: 'outcome weight',
  adaptability_observation: 'adaptability observation',
  accuracy_observation: 'accuracy observation',
  speed_observation: 'speed observation',
  weight: 'weight',
  same_owner_ignored: 'ignored: rater and agent share an owner',
  stars: 'stars (normalised)',
  deinflated: 'de-inflated',
  rater_establishment: 'rater establishment',
  rater_credibility: 'rater credibility',
  clipped_by: 'clipped toward median by',
  capped_at_share: 'capped at rater share',
  unmatched: 'not chosen by the market: counted at',
  rare_gate: "chosen only among a rare skill's holders: floor",
  change_forgot: 'a change in its work: earlier evidence forgotten',
};
const factorLabel = (name) => FACTOR_LABELS[name] ?? String(name).replaceAll('_', ' ');

/** What changed a score (a ChangeCause; logs saved by earlier builds hold it as text). */
function causeText(cause, names) {
  if (typeof cause === 'string') return cause;
  switch (cause?.type) {
    case 'Settled': return `task finished (${verdictLabel(cause.verdict)})`;
    case 'Abandoned': return 'work not handed in on time (abandoned)';
    case 'Rated': return `rated ${cause.stars}★ by ${names.client(cause.client)}`;
    case 'RatingIgnored': return `rating by ${names.client(cause.client)} ignored (rater and agent share an owner)`;
    default: return cause?.type ?? 'change';
  }
}

/** One reputation change: cause, before → after, and its factors. */
export function describeChange(c, names) {
  const factors = c.factors.map((f) => `${factorLabel(f.name)} ${num(f.value)}`).join(' · ');
  return `${causeText(c.cause, names)}: score ${score(c.before)} → ${score(c.after)}${factors ? ` (${factors})` : ''}`;
}

/**
 * A log entry as `{ text, details: [{ title, items: string[] }] }`. `names` resolves party ids,
 * `now` makes deadlines relative, `categories` maps category ids to names.
 */
export function describe(entry, { names, now, categories }) {
  if (entry.note) return { text: entry.note, details: [] };
  const e = entry.ev;
  const A = (id) => names.agent(id);
  const C = (id) => names.client(id);
  const details = [];
  const text = sentence(e, { A, C, names, now, categories, details });
  if (entry.changes?.length) {
    details.push({ title: 'Reputation changes', items: entry.changes.map((c) => describeChange(c, names)) });
  }
  return { text, details };
}

function sentence(e, { A, C, names, now, categories, details }) {
  switch (e.type) {
    case 'RequestRecorded':
      return `Request "${e.request_id}" from ${actorLabel(e.actor, names)} recorded; repeats are no-ops.`;
    case 'ClientRegistered':
      return `Client ${e.name} (#${e.client}) registered for ${e.owner}.`;
    case 'AgentRegistered':
      return `Agent ${e.name} (#${e.agent}, ${e.kind}) registered for ${e.owner}: `
        + `${e.skills.map((s) => `${s.name} ${s.level}`).join(', ') || 'no skills'}; capacity ${e.capacity}; `
        + `minimum rate ${money(e.min_rate)}.`;
    case 'ReviewerRegistered':
      return `Reviewer ${e.name} (#${e.reviewer}) registered for ${e.owner}.`;
    case 'AgentProfileUpdated':
      return `${A(e.agent)} updated its profile: capacity ${e.capacity}, minimum rate ${money(e.min_rate)}.`;
    case 'FundsDeposited':
      return `${C(e.client)} deposited ${money(e.amount)}.`;
    case 'FundsWithdrawn': {
      const who = e.account.type === 'Platform' ? 'The platform' : e.account.type === 'Client' ? C(e.account.id) : A(e.account.id);
      return `${who} withdrew ${money(e.amount)}.`;
    }
    case 'FeeSet':
      return `Platform fee set to ${bps(e.fee_bps)} for tasks posted from now on.`;
    case 'TaskPosted':
      return `${C(e.client)} posted ${t(e.task)} "${e.spec.title}" in ${e.spec.category}: ${money(e.escrow)} in escrow, `
        + `fee pinned at ${bps(e.fee_bps)}.`;
    case 'TaskCancelled':
      return `${t(e.task)} cancelled by its client; ${money(e.refund)} refunded.`;
    case 'TaskExpired':
      return `${t(e.task)} expired: nobody took it by its claim-by time; ${money(e.refund)} refunded.`;
    case 'ClaimQueued':
      return `${A(e.agent)} claimed ${t(e.task)} during its priority window; arbitration ${relative(e.window_closes_at, now)}.`;
    case 'ClaimLost':
      return `${A(e.agent)} lost ${t(e.task)}: ${e.reason}.`;
    case 'BidPlaced':
      return `${A(e.agent)} bid ${money(e.price)} on ${t(e.task)}, ready ${duration(e.eta_ms)} after award.`;
    case 'BidWithdrawn':
      return `${A(e.agent)} withdrew its bid on ${t(e.task)}.`;
    case 'BidEvicted':
      return `${A(e.agent)}'s bid on ${t(e.task)} was pushed out of the full bid list by a better bid from ${A(e.by)}.`;
    case 'TaskClaimed':
      return `${A(e.agent)} holds ${t(e.task)} at ${money(e.price)} (${claimRouteLabel(e.via)}); work due ${instant(e.lease_due)}.`
        + (e.exploring ? ' A newcomer\'s exploration bonus decided it.' : '')
        + (e.matched === false ? ' The market did not choose this agent (no ranking shortlisted it), so the work will not count in its reputation.' : '');
    case 'TaskReturned':
      if (e.reason === 'question_unanswered') {
        return `${A(e.agent)} was freed from ${t(e.task)}: its question went unanswered in time (no penalty).`;
      }
      if (e.reason === 'released_late') {
        return `${A(e.agent)} gave ${t(e.task)} back late in its lease: it counts as an abandonment, `
          + 'and the agent may not take this task again. It is Open again.';
      }
      if (e.reason === 'moderated') {
        return `${A(e.agent)} no longer holds ${t(e.task)}: the operator suspended or closed its account (no penalty). It is Open again.`;
      }
      return `${A(e.agent)} gave ${t(e.task)} back early (no penalty; it may not take this task again); it is Open again.`;
    case 'TaskAbandoned':
      return `${A(e.agent)} did not hand in ${t(e.task)} in time: it is Open again and the agent pays in reputation.`;
    case 'ClarificationRequested':
      return `${A(e.agent)} asked on ${t(e.task)} (round ${e.round}): "${e.question}". The work clock is paused; `
        + `answer due ${instant(e.answer_due)}.`;
    case 'ClarificationAnswered':
      return `The client answered on ${t(e.task)}: "${e.answer}". Work now due ${instant(e.lease_due)}.`;
    case 'WorkSubmitted':
      return `${A(e.agent)} submitted ${t(e.task)}, self-reported confidence ${bps(e.submission.self_check.confidence_bps)}.`;
    case 'VerificationFailed':
      details.push({ title: 'Failed criteria', items: e.failed.map((f) => `${f.criterion}: ${f.reason}`) });
      return `${t(e.task)} failed verification on ${e.failed.map((f) => f.criterion).join(', ')}; the work goes back to its holder.`;
    case 'VerificationPassed':
      return `${t(e.task)} passed ${e.criteria_checked} checks`
        + `${e.self_check_agreed ? ' (the self-check agreed)' : ' (the self-check did not agree)'}; `
        + `reviewed by ${reviewRouteLabel(e.route)}; accepted automatically if nobody decides by ${instant(e.review_due)}.`;
    case 'RevisionRequested':
      return `${actorLabel(e.by, names)} asked for revision ${e.round} on ${t(e.task)}: "${e.note}". Work now due ${instant(e.lease_due)}.`;
    case 'WorkAccepted':
      return e.by ? `${actorLabel(e.by, names)} accepted ${t(e.task)}.` : `${t(e.task)} accepted: the review window passed in silence.`;
    case 'WorkRejected':
      return `${actorLabel(e.by, names)} rejected ${t(e.task)} citing ${e.failed_criteria.join(', ')}: "${e.reason}". `
        + `The agent may dispute until ${instant(e.dispute_by)}.`;
    case 'DisputeOpened':
      return `${A(e.agent)} disputed the rejection of ${t(e.task)}: "${e.reason}". The operator decides by ${instant(e.resolve_by)}.`;
    case 'DisputeResolved':
      return `Dispute on ${t(e.task)} resolved: ${resolution(e.resolution)}`
        + (e.by ? '.' : ' (the operator stayed silent past the deadline, so the agent is paid).');
    case 'TaskSettled': {
      const s = e.settlement;
      const o = e.outcome;
      details.push({ title: 'Outcome (what reputation reads)', items: outcomeItems(o, categories) });
      return `${t(s.task)} settled (${verdictLabel(o.verdict)}): ${money(s.to_agent)} to ${A(o.agent)}, ${money(s.fee)} fee, `
        + `${money(s.refund)} back to ${C(o.client)}.`;
    }
    case 'TaskRated':
      return `${C(e.client)} rated ${A(e.agent)} on ${t(e.task)}: quality ${e.rating.quality}, `
        + `timeliness ${e.rating.timeliness}.`;
    case 'AgentsRanked':
      details.push({
        title: 'Fit factors',
        items: e.ranked.map((r, i) => `${i + 1}. ${A(r.agent)}: fit ${score(r.fit.score)} (${fitFactors(r.fit)})`),
      });
      return `Ranking for ${t(e.task)}: ${e.ranked.map((r) => A(r.agent)).join(', ') || 'no eligible agent'}.`;
    case 'BatchAssigned':
      return `Batch assignment: ${e.placed} of ${e.tasks} tasks placed from ${e.candidates} candidate pairs, `
        + `total fit ${score(e.total_fit)} (${e.exact ? 'exact optimum' : 'greedy, over the time budget'}).`;
    case 'PartySuspended':
      return `The operator suspended ${party(e.party, names)}: "${e.reason}".`;
    case 'PartyReinstated':
      return `The operator reinstated ${party(e.party, names)}: "${e.reason}".`;
    case 'PartyClosed':
      return `The operator closed ${party(e.party, names)} for good: "${e.reason}".`;
    case 'ClientVerified':
      return `The operator verified ${C(e.client)}'s identity${e.note ? `: "${e.note}"` : ''}.`;
    case 'EstablishmentImported':
      return `The operator recorded ${money(e.spend)} of spending history for ${C(e.client)} from outside the market${e.note ? `: "${e.note}"` : ''}.`;
    default:
      return `${eventLabel(e.type)}.`;
  }
}

function party(p, names) {
  return p.type === 'Client' ? names.client(p.id) : names.agent(p.id);
}

function resolution(r) {
  if (r.type === 'PayAgent') return 'the agent is paid';
  if (r.type === 'RefundClient') return 'the client is refunded';
  return `split, ${money(r.to_agent)} to the agent`;
}

function outcomeItems(o, categories) {
  return [
    `category ${categories[o.category] ?? o.category}, price ${money(o.price)}`,
    `worked ${duration(o.worked_ms)} of ${duration(o.allowed_ms)} allowed`,
    `verification attempts ${o.verification_attempts}; first attempt ${o.first_attempt_passed ? 'passed' : 'failed'}`,
    `failed criteria: ${o.failed_criteria.length ? o.failed_criteria.join(', ') : 'none'}`,
    `self-check ${o.self_check_agreed ? 'agreed' : 'did not agree'}; confidence ${bps(o.confidence_bps)}`,
    `revisions ${o.revisions}, clarifications ${o.clarifications}`,
    `review latency ${o.review_latency_ms === null || o.review_latency_ms === undefined ? '—' : duration(o.review_latency_ms)}`,
  ];
}
