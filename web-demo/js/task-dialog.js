// One task in a modal dialog: the specification as the current actor may see it (confidential
// inputs redacted by the engine's TaskView), where it stands, and what this actor can do.
// Native <dialog>: focus moves in, Escape closes, focus returns to the card that opened it.

import { h, fill, rememberFocus } from './dom.js';
import { money, instant, relative, bps, duration, share, TIME } from './format.js';
import { actionsFor } from './actions.js';
import { eventsOfTask, timelineSection } from './timeline.js';
import { stateLabel, verdictLabel, tierLabel, awardLabel, checkLabel } from './words.js';
import { criterionNames } from './work-view.js';
import { inputsView, outputView, selfCheckView, checksView, contentHint, isTemplateCategory } from './work-view.js';

export class TaskDialog {
  constructor(dialog, ui) {
    this.dialog = dialog;
    this.ui = ui;
    this.body = dialog.querySelector('.dialog-body');
    this.title = dialog.querySelector('h2');
    this.taskId = null;
    this.signature = '';
    dialog.querySelector('.dialog-close').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      this.taskId = null;
      this.returnFocus?.();
    });
  }

  open(taskId, ctx) {
    this.returnFocus = rememberFocus();
    this.taskId = taskId;
    this.signature = '';
    this.dialog.querySelector('.dialog-messages').replaceChildren();
    this.render(ctx);
    if (!this.dialog.open) this.dialog.showModal();
    // A task opens at its top, whatever the last one was scrolled to.
    this.dialog.scrollTop = 0;
  }

  /** Redraw when the task (or the actor) changed; otherwise keep whatever is being typed. */
  render(ctx) {
    if (this.taskId === null) return;
    const view = ctx.market.taskView(ctx.actor ?? { type: 'Operator' }, this.taskId);
    // The host's unfiltered record: a settled task's verdict and rating flag, and the counts the
    // timeline summarises once the log no longer reaches back to the task's start.
    const task = ctx.market.task(view.id);
    const status = view.state === 'Settled' ? task?.status : null;
    const events = eventsOfTask(ctx.session.log, view.id);
    const sig = JSON.stringify([view, task?.status, ctx.actor, ctx.now >= (view.deadline ?? Infinity), events.length, events.at(-1)?.n,
      ctx.session.inputsOf?.(view.id) !== undefined]);
    if (sig === this.signature) return;
    this.signature = sig;
    const hadFocus = this.dialog.open && this.body.contains(document.activeElement);
    fill(this.title, `#${view.id} ${view.spec.title} `, h('span', { class: `state state-${view.state}`, text: stateLabel(view.state), title: view.state }));
    fill(this.body,
      // A task page: where it stands and what happened on the left; what you can do, and the
      // specification you would do it against, on the right (first, on a phone).
      h('div', { class: 'task-columns' },
        workSection(view, task, events, ctx),
        h('div', {}, summary(view, ctx, status, this.ui), timelineSection(view, task, events, ctx)),
        h('div', { class: 'task-actions' }, h('h3', { text: `Your actions (${ctx.actor?.type ?? 'nobody'})` }), actionsFor(ctx, view, this.ui),
          specDetails(view))));
    // The control that had focus is gone after a redraw: keyboard users continue from the title.
    if (hadFocus) this.title.focus();
  }
}

function dl(pairs) {
  return h('dl', { class: 'stats' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
}

function summary(view, ctx, status, ui) {
  const agentLink = (id) => h('button', { type: 'button', class: 'link', onclick: () => ui.openAgent(id), text: ctx.names.agent(id), 'aria-label': `Open ${ctx.names.agent(id)}'s profile` });
  const s = view.spec;
  const pricing = s.pricing.type === 'Fixed'
    ? `Fixed reward ${money(s.pricing.reward)}`
    : `Bids up to ${money(s.pricing.ceiling)}, ${awardLabel(s.pricing.award)}, bidding closes ${instant(s.pricing.bidding_closes_at)}`;
  // Clients have a record too, and agents see it before they claim.
  const standing = ctx.market.clientStanding(view.client);
  return dl([
    ['Client', ctx.names.client(view.client)],
    ['Client record', `${standing.settled} settled; rejects ${share(standing.rejection_rate)}; `
      + `reviews in ${standing.mean_review_latency_ms === null ? '—' : duration(standing.mean_review_latency_ms)} on average; `
      + `${standing.disputes_lost} disputes lost`],
    ['Category', s.category],
    ['Pricing', pricing],
    ['Escrow', money(view.escrow)],
    view.holder !== null && ['Held by', h('span', {}, agentLink(view.holder), ` at ${money(view.price)}`)],
    status && ['Delivered by', agentLink(status.agent)],
    ['Next deadline', view.deadline === null ? '—' : `${instant(view.deadline)} (${relative(view.deadline, ctx.now)})`],
    ['Posted', instant(view.posted_at)],
    view.question && ['Open question', view.question],
    view.queued_claims.length > 0 && ['Queued claims', view.queued_claims.map((a) => ctx.names.agent(a)).join(', ')],
    view.bids.length > 0 && ['Bids you may see', view.bids.map((b) => `${ctx.names.agent(b.agent)} ${money(b.price)}`).join('; ')],
    status && ['Outcome', `${verdictLabel(status.verdict)}${status.rated ? ', rated' : ', not rated'}`],
  ]);
}

function checkText(c) {
  switch (c.type) {
    case 'Range': return `${c.field} in [${c.min ?? '−∞'}, ${c.max ?? '∞'}]`;
    case 'Length': return `length of ${c.field} in [${c.min ?? 0}, ${c.max ?? '∞'}]`;
    case 'OneOf': return `${c.field} one of ${c.values.join(', ')}`;
    case 'Pattern': return `${c.field} matches ${c.pattern}`;
    case 'Each': return `every item of ${c.field}: ${checkText(c.check)}`;
    case 'SumEquals': return `${c.field} adds up to ${c.total}`;
    case 'ItemsIn': return `${c.key ? `the ${c.key} of every item of ${c.field}` : `every item of ${c.field}`} is in the ${c.column} column of ${c.input}${c.complete ? ', each one once' : ''}`;
    case 'OwnRecordOnly': return `the ${c.text} of every item of ${c.field} names its own ${c.name_column} from ${c.input} and no other`;
    default: return checkLabel(c.type);
  }
}

/** Parties that see a finished task's inputs (the engine's rule while it kept them): its client and its agent. */
function seesInputs(actor, view, task) {
  if (actor?.type === 'Client') return actor.id === view.client;
  if (actor?.type === 'Agent') return actor.id === task?.status?.agent;
  return false;
}

/** Parties that see handed-in work: the client, the agent who handed it in, reviewers and the operator. */
function seesWork(actor, view, agent) {
  if (actor?.type === 'Client') return actor.id === view.client;
  if (actor?.type === 'Agent') return actor.id === agent;
  return true;
}

/** For an ItemsIn check over a list of plain values (rows flagged by number): the rows to mark. */
function marksFrom(spec, output) {
  const marks = new Map();
  for (const { check } of spec?.acceptance?.criteria ?? []) {
    if (check.type !== 'ItemsIn' || check.key || !Array.isArray(output?.[check.field])) continue;
    marks.set(check.input, { column: check.column, values: new Set(output[check.field].map(String)) });
  }
  return (name) => marks.get(name) ?? null;
}

/**
 * The real work of the task: its inline inputs, the latest work handed in with its self-check and
 * what the checks said. Live tasks read the TaskView; finished ones the page's own records
 * (inputs kept in memory, the log's hand-in), with a plain note once those are gone.
 */
function workSection(view, task, events, ctx) {
  const finished = FINISHED.has(view.state);
  const actor = ctx.actor ?? { type: 'Operator' };
  const lastIndex = events.findLastIndex((e) => e.ev.type === 'WorkSubmitted');
  const handedIn = lastIndex >= 0 ? events[lastIndex].ev : null;
  const submission = view.submission ?? (handedIn && seesWork(actor, view, handedIn.agent) ? handedIn.submission : null);
  const verification = lastIndex >= 0 ? events.slice(lastIndex + 1).find((e) => e.ev.type === 'VerificationPassed' || e.ev.type === 'VerificationFailed')?.ev : null;
  const marks = marksFrom(finished ? null : view.spec, submission?.output);

  const parts = [];
  if (!finished) {
    const inline = view.inputs.filter((i) => i.content !== null);
    if (inline.length) parts.push(inputBlock(inline, marks));
  } else {
    const kept = ctx.session.inputsOf?.(view.id);
    if (kept && seesInputs(actor, view, task)) {
      parts.push(inputBlock(kept.map((i) => ({ ...i, visible: true })), marks));
    } else if (kept) {
      parts.push(h('p', { class: 'muted work-note', text: 'The input is confidential: only the client and the agent who did the task see it.' }));
    } else if (isTemplateCategory(view.spec.category)) {
      parts.push(h('p', { class: 'muted work-note', text: 'The input of this finished task is no longer kept: the market keeps a short record of finished tasks, '
        + 'and this page keeps their inputs only until it is reloaded.' }));
    }
  }

  if (submission) {
    const names = finished ? null : criterionNames(view.spec);
    const handedBack = view.state === 'Claimed' || view.state === 'InputRequired';
    parts.push(h('section', { class: 'work-output-section', 'aria-label': 'Work handed in' },
      h('h3', { text: handedBack ? 'Last work handed in (sent back to fix)' : 'Work handed in' }),
      outputView(submission.output),
      selfCheckView(submission.self_check),
      verification?.type === 'VerificationFailed'
        ? checksView({ passed: false, failed: verification.failed, names, lead: 'Checks:' })
        : verification?.type === 'VerificationPassed'
          ? checksView({ passed: true, count: verification.criteria_checked, names: names?.length === verification.criteria_checked ? names : null, lead: 'Checks:' })
          : !handedBack ? checksView({ passed: true, names, count: names?.length ?? null, lead: 'Checks:' }) : null));
  } else if (handedIn) {
    parts.push(h('p', { class: 'muted work-note', text: 'Work was handed in; only the client, the agent and the reviewers see it.' }));
  } else if (finished && task?.status?.agent !== undefined && isTemplateCategory(view.spec.category)) {
    parts.push(h('p', { class: 'muted work-note', text: 'The work handed in is no longer kept: this page keeps only the newest events.' }));
  }
  if (!parts.length) return null;
  return h('div', { class: 'task-work' }, parts);
}

function inputBlock(inputs, marks) {
  const hints = inputs.map((i) => contentHint(i.content)).filter(Boolean);
  return h('details', { class: 'work-input-block', open: true },
    h('summary', { text: `Input${hints.length ? `: ${hints.join(', ')}` : ''}` }),
    inputsView(inputs, { highlight: marks }));
}

/** States whose tasks the market keeps only as a short record (title, category, money). */
const FINISHED = new Set(['Settled', 'Cancelled', 'Expired']);

function specDetails(view) {
  const s = view.spec;
  const e = s.eligibility;
  if (FINISHED.has(view.state)) {
    return h('details', { class: 'spec', open: true },
      h('summary', { text: 'Specification' }),
      h('p', { class: 'muted', text: 'This task is finished: the market keeps its title, category and reward. '
        + 'Its instructions, inputs, criteria and deadlines were in the event log (its “Task posted” entry), while the log kept it.' }),
      specHash(view));
  }
  return h('details', { class: 'spec', open: true },
    h('summary', { text: 'Specification' }),
    s.instructions && h('p', { text: s.instructions }),
    dl([
      ['Required skills', s.required_skills.map((r) => `${r.skill} ≥ ${r.min_level}`).join(', ') || 'none'],
      ['Inputs', view.inputs.length ? h('ul', { class: 'plain' }, view.inputs.map((i) => h('li', {},
        `${i.name} (${i.classification}): `, !i.visible ? h('em', { text: 'hidden from you' })
          : i.uri !== null ? h('code', { text: i.uri }) : `included${contentHint(i.content) ? ` (${contentHint(i.content)})` : ''}: see “Input”`))) : 'none'],
      ['Output fields', s.acceptance.fields.map((f) => `${f.name}: ${f.kind}${f.required ? '' : ' (optional)'}`).join(', ') || 'none'],
      ['Criteria', s.acceptance.criteria.map((c) => `${c.name}: ${checkText(c.check)}`).join('; ') || 'none'],
      ['Min confidence', bps(s.acceptance.min_confidence_bps)],
      ['Review', `window ${duration(s.review.window_ms)}; human review below ${bps(s.review.human_review_below_confidence_bps)}; `
        + `sample ${bps(s.review.human_sample_bps)}; up to ${s.review.max_revisions} revisions`],
      ['Deadlines', `claim by ${instant(s.deadlines.claim_by)}; lease ${duration(s.deadlines.lease_ms)}; `
        + `clarification timeout ${duration(s.deadlines.clarification_timeout_ms)}; up to ${s.deadlines.max_clarifications} clarifications`],
      ['Eligibility', `tier ${tierLabel(e.min_tier)} or above; ${{ any: 'AI agents and people', ai: 'AI agents only', human: 'people only' }[e.agent_kinds] ?? e.agent_kinds}; reputation at least ${bps(e.min_reputation_bps)}`],
      ['Priority window', s.priority_window ? `${s.priority_window.tier} and above for ${Math.round(s.priority_window.duration_ms / TIME.MINUTE)} min` : 'none'],
    ]),
    specHash(view));
}

/** The fingerprint an agent's work is held to: for whoever checks the specification did not change. */
function specHash(view) {
  return h('p', { class: 'muted small' }, 'Specification fingerprint ', h('code', { text: view.spec_hash }));
}
