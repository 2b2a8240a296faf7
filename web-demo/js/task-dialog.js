// One task in a modal dialog: the specification as the current actor may see it (confidential
// inputs redacted by the engine's TaskView), where it stands, and what this actor can do.
// Native <dialog>: focus moves in, Escape closes, focus returns to the card that opened it.

import { h, fill, rememberFocus } from './dom.js';
import { money, instant, relative, bps, duration, share, TIME } from './format.js';
import { actionsFor } from './actions.js';
import { eventsOfTask, timelineSection } from './timeline.js';
import { stateLabel, verdictLabel, tierLabel, awardLabel } from './words.js';

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
    const sig = JSON.stringify([view, task?.status, ctx.actor, ctx.now >= (view.deadline ?? Infinity), events.length, events.at(-1)?.n]);
    if (sig === this.signature) return;
    this.signature = sig;
    const hadFocus = this.dialog.open && this.body.contains(document.activeElement);
    fill(this.title, `#${view.id} ${view.spec.title} `, h('span', { class: `state state-${view.state}`, text: stateLabel(view.state), title: view.state }));
    fill(this.body,
      // A task page: where it stands and what happened on the left; what you can do, and the
      // specification you would do it against, on the right (first, on a phone).
      h('div', { class: 'task-columns' },
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
    view.submission && ['Submission', submission(view.submission)],
  ]);
}

function submission(sub) {
  return h('div', {},
    h('ul', { class: 'plain' }, Object.entries(sub.output).map(([k, v]) => h('li', {}, h('code', { text: k }), ` = ${JSON.stringify(v)}`))),
    h('div', { class: 'muted', text: `Self-check: confidence ${bps(sub.self_check.confidence_bps)}; claims ${sub.self_check.criteria_passed.join(', ') || 'nothing'}${sub.self_check.notes ? `; “${sub.self_check.notes}”` : ''}` }));
}

function checkText(c) {
  switch (c.type) {
    case 'Range': return `${c.field} in [${c.min ?? '−∞'}, ${c.max ?? '∞'}]`;
    case 'Length': return `length of ${c.field} in [${c.min ?? 0}, ${c.max ?? '∞'}]`;
    case 'OneOf': return `${c.field} one of ${c.values.join(', ')}`;
    default: return `${c.field} matches ${c.pattern}`;
  }
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
        `${i.name} (${i.classification}): `, i.uri === null ? h('em', { text: 'hidden from you' }) : h('code', { text: i.uri })))) : 'none'],
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
