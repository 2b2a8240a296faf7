// A task's timeline, oldest first, the way a marketplace shows an order's history: posted,
// claimed or bid on, questions and answers, each hand-in with every check's result, reviews,
// disputes, the payment split into credits, the rating. Each step carries its simulated time.
//
// Two sources, because the page keeps only the newest events (session.js bounds its log) while
// the market keeps where each task stands: steps come from the kept events, and what is older
// than the log is summarised from the task's own record (claim, counts of questions, hand-ins and
// revisions, the verdict), saying plainly that the detail is no longer kept. Nothing is guessed:
// a step without a known time says so.

import { h } from './dom.js';
import { money, instant, bps, duration } from './format.js';
import { describe } from './explain.js';
import { criterionNames } from './work-view.js';
import { eventLabel, verdictLabel, reviewRouteLabel, claimRouteLabel, stateLabel } from './words.js';

/** The task an event is about (a settlement names it inside, not at the top). */
export function taskOfEvent(ev) {
  return ev?.task ?? ev?.settlement?.task ?? null;
}

/** The kept log entries of one task, oldest first. */
export function eventsOfTask(log, taskId) {
  return log.filter((entry) => taskOfEvent(entry.ev) === taskId);
}

/**
 * The questions asked about task `id` and their answers, oldest first, from the page's log (the
 * market keeps only the open question): what a draft should know, as `market.draftWork` takes it.
 */
export function clarificationsOf(log, id) {
  const out = [];
  for (const { ev } of eventsOfTask(log, id)) {
    if (ev.type === 'ClarificationRequested') out.push({ question: ev.question, answer: null });
    else if (ev.type === 'ClarificationAnswered' && out.length) out[out.length - 1].answer = ev.answer;
  }
  return out;
}

/** States whose specification the market archives (only title, category and pricing remain). */
const FINISHED = new Set(['Settled', 'Cancelled', 'Expired']);

const credits = (minor) => `${money(minor)} credits`;
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const capitalized = (text) => text[0].toUpperCase() + text.slice(1);

/**
 * The steps of `view`'s life: `[{ at, step, type, title, text, checks? }]`, oldest first. `task`
 * is the host's unfiltered record (`market.task`), `events` the kept entries of this task.
 */
export function timelineSteps(view, task, events, ctx) {
  const names = ctx.names;
  const kept = new Set(events.map((entry) => entry.ev.type));
  const steps = kept.has('TaskPosted') ? [] : recordSteps(view, task, kept, names);
  // The names of the checks, while the specification is still there to say them.
  const checkNames = FINISHED.has(view.state) ? null : criterionNames(view.spec);
  // Once the specification is archived, a passed hand-in still tells how many checks there are.
  const checkCount = checkNames?.length ?? events.find((entry) => entry.ev.type === 'VerificationPassed')?.ev.criteria_checked ?? null;
  const info = { names, now: ctx.now, categories: ctx.market.categories() };
  for (const entry of events) steps.push(eventStep(entry, { names, checkNames, checkCount, info }));
  return steps;
}

/** What the task's record still says about steps older than the kept log. */
function recordSteps(view, task, kept, names) {
  const out = [{ at: view.posted_at, step: 'posted', type: 'TaskPosted', title: 'Posted', text: `${names.client(view.client)} posted the task.` }];
  const status = task?.status;
  const work = status?.work;
  if (work && !kept.has('TaskClaimed')) {
    out.push({ at: work.claimed_at, step: 'claimed', type: 'TaskClaimed', title: 'Claimed', text: `${names.agent(work.agent)} took the task at ${credits(work.price)}.` });
  }
  if (work?.clarifications > 0 && !kept.has('ClarificationRequested')) {
    out.push({ at: null, step: 'question', type: 'ClarificationRequested', title: 'Questions', text: `${plural(work.clarifications, 'question round')} with the client; the wording is no longer kept.` });
  }
  if (work?.verification_attempts > 0 && !kept.has('WorkSubmitted')) {
    const failed = work.failed_criteria.length ? `; checks failed at least once: ${work.failed_criteria.join(', ')}` : '';
    const first = work.first_attempt_passed === null ? '' : `; the first ${work.first_attempt_passed ? 'passed every check' : 'failed a check'}`;
    out.push({ at: null, step: 'submitted', type: 'WorkSubmitted', title: 'Hand-ins', text: `${plural(work.verification_attempts, 'hand-in')} checked${first}${failed}.` });
  }
  if (work?.revisions > 0 && !kept.has('RevisionRequested')) {
    out.push({ at: null, step: 'review', type: 'RevisionRequested', title: 'Changes requested', text: `${plural(work.revisions, 'round')} of changes requested.` });
  }
  if (status?.state === 'Settled' && !kept.has('TaskSettled')) {
    out.push({
      at: null, step: 'payment', type: 'TaskSettled', title: stateLabel('Settled'),
      text: `${capitalized(verdictLabel(status.verdict))}; delivered by ${names.agent(status.agent)}; ${status.rated ? 'rated by the client' : 'not rated'}. The amounts are no longer kept.`,
    });
  }
  if ((status?.state === 'Cancelled' || status?.state === 'Expired') && !kept.has(`Task${status.state}`)) {
    out.push({ at: null, step: 'closed', type: `Task${status.state}`, title: stateLabel(status.state), text: 'The escrow went back to the client.' });
  }
  return out;
}

/** One kept event as a step. */
function eventStep(entry, { names, checkNames, checkCount, info }) {
  const e = entry.ev;
  const A = (id) => names.agent(id);
  const C = (id) => names.client(id);
  const step = (kind, title, text, checks) => ({ at: e.at, step: kind, type: e.type, title, text, checks });
  switch (e.type) {
    case 'TaskPosted':
      return step('posted', 'Posted', `${C(e.client)} posted the task with ${credits(e.escrow)} in escrow (platform fee ${bps(e.fee_bps)}).`);
    case 'AgentsRanked': {
      // The first three of the latest ranking are its shortlist: a claim by one of them is the
      // market's choice and counts in reputation (TaskClaimed.matched).
      const shortlist = e.ranked.slice(0, 3).map((r) => A(r.agent));
      return step('ranked', 'Ranked', shortlist.length
        ? `Agents ranked; the shortlist, whose work will count in their reputation: ${shortlist.join(', ')}.`
        : 'Agents ranked: nobody eligible right now.');
    }
    case 'BidPlaced':
      return step('bid', 'Bid', `${A(e.agent)} bid ${credits(e.price)}, ready ${duration(e.eta_ms)} after being hired.`);
    case 'TaskClaimed':
      return step('claimed', 'Claimed', `${A(e.agent)} took the task at ${credits(e.price)} (${claimRouteLabel(e.via)}); work due ${instant(e.lease_due)}.`
        + (e.matched === false ? ' No ranking shortlisted this agent, so the work will be paid but will not count in its reputation.' : ''));
    case 'ClarificationRequested':
      return step('question', 'Question', `${A(e.agent)} asked: “${e.question}”`);
    case 'ClarificationAnswered':
      return step('answer', 'Answer', `The client answered: “${e.answer}”`);
    case 'WorkSubmitted':
      return step('submitted', 'Work handed in', `${A(e.agent)} handed in work, ${bps(e.submission.self_check.confidence_bps)} confident.`);
    case 'VerificationFailed': {
      const failed = new Set(e.failed.map((f) => f.criterion));
      const others = checkCount === null ? 0 : checkCount - failed.size;
      const passed = checkNames ? checkNames.filter((n) => !failed.has(n)).map((n) => ({ ok: true, text: n }))
        : others > 0 ? [{ ok: true, text: `the other ${plural(others, 'check')}` }] : [];
      return step('checks-failed', 'Checks failed', 'The work went back to the agent to fix.',
        [...e.failed.map((f) => ({ ok: false, text: `${f.criterion}: ${f.reason}` })), ...passed]);
    }
    case 'VerificationPassed': {
      // Name the checks only when the specification accounts for every one of them.
      const named = checkNames?.length === e.criteria_checked ? checkNames.map((n) => ({ ok: true, text: n })) : undefined;
      return step('checks-passed', 'Checks passed',
        `All ${plural(e.criteria_checked, 'check')} passed; reviewed by ${reviewRouteLabel(e.route)}, accepted automatically if nobody decides by ${instant(e.review_due)}.`,
        named);
    }
    case 'RevisionRequested':
      return step('review', 'Changes requested', `${who(e.by, names)} asked for changes (round ${e.round}): “${e.note}”`);
    case 'WorkAccepted':
      return step('review', 'Accepted', e.by ? `${who(e.by, names)} accepted the work.` : 'Accepted: nobody decided within the review time.');
    case 'WorkRejected':
      return step('review', 'Rejected', `${who(e.by, names)} rejected the work citing ${e.failed_criteria.join(', ') || 'no criterion'}: “${e.reason}”`);
    case 'DisputeOpened':
      return step('dispute', 'Dispute', `${A(e.agent)} disputed the rejection: “${e.reason}”`);
    case 'DisputeResolved':
      return step('dispute', 'Dispute decided', describe(entry, info).text);
    case 'TaskSettled': {
      const s = e.settlement;
      const o = e.outcome;
      return step('payment', 'Payment', `Finished: ${verdictLabel(o.verdict)}.`, [
        { money: true, text: `${credits(s.to_agent)} to ${A(o.agent)}` },
        { money: true, text: `${credits(s.fee)} fee to the platform` },
        s.refund > 0 && { money: true, text: `${credits(s.refund)} refunded to ${C(o.client)}` },
      ].filter(Boolean));
    }
    case 'TaskRated':
      return step('rating', 'Rated', `${C(e.client)} gave ${A(e.agent)} ${e.rating.quality}★ for quality and ${e.rating.timeliness}★ for timeliness.`);
    case 'TaskCancelled':
      return step('closed', 'Cancelled', `Cancelled before anyone took it; ${credits(e.refund)} refunded.`);
    case 'TaskExpired':
      return step('closed', 'Expired', `Nobody took it by its claim-by time; ${credits(e.refund)} refunded.`);
    default:
      return step('other', eventLabel(e.type), describe(entry, info).text);
  }
}

function who(actor, names) {
  switch (actor?.type) {
    case 'Client': return names.client(actor.id);
    case 'Agent': return names.agent(actor.id);
    case 'Reviewer': return names.reviewer(actor.id);
    case 'Operator': return 'The operator';
    default: return 'Someone';
  }
}

/** The timeline as a section of the task page. */
export function timelineSection(view, task, events, ctx) {
  const steps = timelineSteps(view, task, events, ctx);
  const trimmed = !events.some((entry) => entry.ev.type === 'TaskPosted');
  return h('section', { class: 'history', 'aria-label': 'Timeline' },
    h('h3', { text: 'Timeline' }),
    trimmed ? h('p', { class: 'muted small timeline-note', text: 'Earlier detail of this task is no longer kept: this page keeps only the newest events. '
      + 'The steps before them are summarised from what the market records about the task.' }) : null,
    h('ol', { class: 'timeline' }, steps.map((s) => h('li', { class: `step step-${s.step}`, dataset: { step: s.step, type: s.type } },
      h('span', { class: 'step-time', text: s.at === null ? 'earlier' : instant(s.at), title: s.at === null ? 'time no longer kept' : null }),
      h('div', { class: 'step-body' },
        h('strong', { class: 'step-title', text: s.title }), ' ',
        h('span', { class: 'step-text', text: s.text }),
        s.checks?.length ? h('ul', { class: 'step-checks' }, s.checks.map((c) => h('li', {
          class: c.money ? 'money-line' : c.ok ? 'check-pass' : 'check-fail',
        }, c.money ? null : h('span', { class: 'check-mark', 'aria-hidden': 'true', text: c.ok ? '✓' : '✗' }),
        c.money ? null : h('span', { class: 'visually-hidden', text: c.ok ? 'passed: ' : 'failed: ' }),
        c.text))) : null)))));
}
