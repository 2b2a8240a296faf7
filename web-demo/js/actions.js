// What the current actor can try on one task, by role and state. The page offers the commands a
// role has for a task in its state; the engine decides (a client reviewing another client's task
// is refused with `not_authorized`, and the message says so).

import { h, field, select, uid } from './dom.js';
import { money, toMinor, TIME, score } from './format.js';
import { commandForm, section } from './panels/common.js';
import { fitFactors } from './explain.js';
import { commandLabel, stateLabel } from './words.js';
import { checksView, needsJson, outputSkeleton, isTemplateCategory, criterionNames } from './work-view.js';
import { clarificationsOf } from './timeline.js';

function checkboxes(name, values, checked) {
  return h('fieldset', { class: 'checks' }, h('legend', { text: name }),
    values.map((v) => {
      const id = uid();
      return h('div', { class: 'field check' },
        h('input', { type: 'checkbox', id, value: v, checked: checked(v) }),
        h('label', { for: id, text: v }));
    }));
}

const checkedValues = (fs) => [...fs.querySelectorAll('input[type=checkbox]:checked')].map((el) => el.value);

/** Suggested stars per task, from the measure the client saw while reviewing (for the rating form). */
const measured = new Map();

/**
 * For a client reviewing a task from the market's templates: the work measured against the truth
 * only the client knows (`market.measureWork`), as a sentence; null for other tasks.
 */
function measureNote(ctx, view, ui) {
  let m;
  try {
    m = ctx.market.measureWork?.(view.id);
  } catch (err) {
    if (err instanceof ui.MarketError) return null;
    throw err;
  }
  if (!m) return null;
  measured.set(view.id, m);
  return h('p', { class: `work-measure ${m.accepts ? 'ok-text' : 'warn-text'}`, dataset: { accuracy: String(m.accuracy) } },
    h('strong', { text: 'Measured against your hidden truth: ' }),
    `accuracy ${m.accuracy.toFixed(2)} → ${m.stars} star${m.stars === 1 ? '' : 's'} suggested; ${m.accepts ? 'accept' : 'reject'}.`);
}

/** The Review command: accept, request a revision, or reject citing criteria. */
function reviewForm(view, ui, ctx = null) {
  const decision = select([['Accept', 'Accept'], ['RequestRevision', 'Request revision'], ['Reject', 'Reject']], { name: 'decision' });
  const note = h('textarea', { name: 'note', rows: 2 });
  const cited = checkboxes('Failed criteria (for Reject)', criterionNames(view.spec), () => false);
  const form = h('form', { class: 'command-form stack', 'data-form': 'review' },
    ctx ? measureNote(ctx, view, ui) : null,
    field('Decision', decision),
    field('Note or reason', note, 'Required for a revision request or a rejection'),
    cited,
    h('button', { type: 'submit', text: 'Review' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = decision.value === 'Accept' ? { type: 'Accept' }
      : decision.value === 'RequestRevision' ? { type: 'RequestRevision', note: note.value }
        : { type: 'Reject', failed_criteria: checkedValues(cited), reason: note.value };
    ui.act({ type: 'Review', task: view.id, decision: d });
  });
  return form;
}

/**
 * SubmitWork: one control per output field (typed), or, when a field is a list or a record, the
 * whole output as JSON (prefilled with a skeleton of the fields); the self-check; "Check my work"
 * (the engine's checks as a dry run, nothing sent) and, for the market's template tasks, "Start
 * from a draft" (a reference agent's attempt, to edit). Output that is not valid JSON is never sent.
 */
function submitForm(ctx, view, ui) {
  const fields = view.spec.acceptance.fields;
  const json = needsJson(fields);
  const controls = json ? [] : fields.map((f) => {
    const el = f.kind === 'bool'
      ? select([['', '(omit)'], ['true', 'true'], ['false', 'false']], { name: f.name })
      : h('input', { name: f.name, type: f.kind === 'text' ? 'text' : 'number', step: f.kind === 'integer' ? '1' : 'any', required: f.required });
    return { f, el, wrap: field(`${f.name} (${f.kind}${f.required ? '' : ', optional'})`, el) };
  });
  const jsonArea = json ? h('textarea', {
    name: 'output-json', class: 'json-input', rows: 14, spellcheck: 'false', autocomplete: 'off',
    value: JSON.stringify(outputSkeleton(view.spec.acceptance), null, 2),
  }) : null;
  const confidence = h('input', { name: 'confidence', type: 'number', min: 0, max: 100, step: 'any', value: '90', required: true });
  const claims = checkboxes('Criteria you claim pass', criterionNames(view.spec), () => true);
  const notes = h('textarea', { name: 'notes', rows: 2 });
  const feedback = h('div', { class: 'work-feedback', 'aria-live': 'polite' });
  const say = (...children) => feedback.replaceChildren(...children.filter(Boolean));

  /** The output as typed, or null (and a message) when it cannot be read. */
  const readOutput = () => {
    if (!json) {
      const output = {};
      for (const { f, el } of controls) {
        if (el.value === '') continue;
        output[f.name] = f.kind === 'text' ? el.value : f.kind === 'bool' ? el.value === 'true' : Number(el.value);
      }
      return output;
    }
    let output;
    try {
      output = JSON.parse(jsonArea.value);
    } catch (err) {
      say(h('p', { class: 'error-text', role: 'alert', text: `The output is not valid JSON (${err.message}). Nothing was sent.` }));
      return null;
    }
    if (output === null || typeof output !== 'object' || Array.isArray(output)) {
      say(h('p', { class: 'error-text', role: 'alert', text: 'The output must be a JSON object of fields, like {"field": value}. Nothing was sent.' }));
      return null;
    }
    return output;
  };
  const selfCheck = () => ({ confidence_bps: Math.round(Number(confidence.value) * 100), criteria_passed: checkedValues(claims), notes: notes.value });

  const checkWork = () => {
    const output = readOutput();
    if (!output) return;
    try {
      const v = ctx.market.checkSubmission(ctx.actor, view.id, output, selfCheck());
      say(checksView({
        passed: v.failed.length === 0, failed: v.failed, count: v.checked, names: criterionNames(view.spec),
        agreed: v.self_check_agreed, lead: v.failed.length ? 'Not yet:' : 'Ready to hand in:',
      }));
    } catch (err) {
      if (!(err instanceof ui.MarketError)) throw err;
      say(h('p', { class: 'error-text', role: 'alert', text: `The market would refuse this: ${err.message}` }));
    }
  };

  const startFromDraft = () => {
    let draft;
    try {
      draft = ctx.market.draftWork(ctx.actor.id, view.id, clarificationsOf(ctx.session.log, view.id));
    } catch (err) {
      if (!(err instanceof ui.MarketError)) throw err;
      say(h('p', { class: 'error-text', role: 'alert', text: `No draft: ${err.message}` }));
      return;
    }
    if (draft.type === 'Ask') {
      say(h('p', { class: 'work-draft-question' }, h('strong', { text: `${draft.agent} would ask the client first: ` }), `“${draft.question}”`,
        h('span', { class: 'muted', text: ' You can ask it below (Ask the client), or work it out yourself.' })));
      return;
    }
    if (json) jsonArea.value = JSON.stringify(draft.output, null, 2);
    else {
      for (const { f, el } of controls) el.value = draft.output[f.name] === undefined ? '' : String(draft.output[f.name]);
    }
    confidence.value = String(draft.self_check.confidence_bps / 100);
    const claimed = new Set(draft.self_check.criteria_passed ?? []);
    for (const box of claims.querySelectorAll('input[type=checkbox]')) box.checked = claimed.has(box.value);
    notes.value = draft.self_check.notes ?? '';
    say(h('p', { class: 'work-draft-note' }, h('strong', { text: `A draft by ${draft.agent}` }),
      ` (${draft.method}) is in the form. Check it against the input and change what is wrong before you hand it in.`));
  };

  const draftable = typeof ctx.market.draftWork === 'function' && isTemplateCategory(view.spec.category);
  const form = h('form', { class: 'command-form stack', 'data-form': 'submit-work' },
    h('fieldset', {}, h('legend', { text: 'Output' }),
      json ? [
        field('Output (JSON)', jsonArea, `Fields: ${fields.map((f) => `${f.name} (${f.kind})`).join(', ')}. Lists are [ … ], records { … }.`),
      ] : controls.map((c) => c.wrap)),
    h('fieldset', {}, h('legend', { text: 'Self-check' }),
      field('Confidence (%)', confidence), claims, field('Notes for the reviewer', notes)),
    h('div', { class: 'work-buttons' },
      draftable ? h('button', { type: 'button', onclick: startFromDraft, text: 'Start from a draft' }) : null,
      h('button', { type: 'button', onclick: checkWork, text: 'Check my work' }),
      h('button', { type: 'submit', class: 'primary', text: commandLabel('SubmitWork'), title: 'SubmitWork' })),
    feedback);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const output = readOutput();
    if (!output) return;
    ui.act({ type: 'SubmitWork', task: view.id, output, self_check: selfCheck() });
  });
  return form;
}

// Buttons read as plain words; the engine's command name is the tooltip, for developers.
function textCommand(label, name, command, run, attrs = {}) {
  const form = commandForm([[label, h('textarea', { name, rows: 2, required: true })]], commandLabel(command), (v) => run(v[name]), { ...attrs, class: 'stack' });
  form.querySelector('button[type=submit]').title = command;
  return form;
}

function button(command, run, cls = '') {
  return h('button', { type: 'button', class: cls, onclick: run, text: commandLabel(command), title: command });
}

function labelledForm(controls, command, run, attrs) {
  const form = commandForm(controls, commandLabel(command), run, attrs);
  form.querySelector('button[type=submit]').title = command;
  return form;
}

function rankingPreview(ctx, view, ui) {
  let ranked;
  try {
    ranked = ctx.market.ranking(view.id, 5);
  } catch (err) {
    if (!(err instanceof ui.MarketError)) throw err;
    return h('p', { class: 'muted', text: err.message });
  }
  return h('div', {},
    ranked.length
      ? h('ol', { class: 'ranking' }, ranked.map((r) => h('li', {},
        h('strong', { text: ctx.names.agent(r.agent) }), ` fit ${score(r.fit.score)}`,
        h('div', { class: 'muted small', text: fitFactors(r.fit) }))))
      : h('p', { class: 'muted', text: 'No eligible agent right now.' }),
    button('RankAgents', () => ui.act({ type: 'RankAgents', task: view.id, k: 5 })));
}

/** Every action section for `view` as `ctx.actor` sees it. */
export function actionsFor(ctx, view, ui) {
  const role = ctx.actor?.type;
  const id = view.id;
  const out = [];
  const pricing = view.spec.pricing;
  if (role === 'Client' && view.client !== ctx.actor.id) {
    out.push(h('p', { class: 'muted', text: 'Another client posted this task: you may look, not act.' }));
  } else if (role === 'Client') {
    if (view.state === 'Open') {
      out.push(section('Cancel', button('CancelTask', () => ui.act({ type: 'CancelTask', task: id }), 'danger')));
      if (pricing.type === 'Bids') {
        out.push(section('Bids', view.bids.length
          ? h('ul', {}, view.bids.map((b) => h('li', {},
            `${ctx.names.agent(b.agent)}: ${money(b.price)}, ready ${Math.round(b.eta_ms / TIME.MINUTE)} min after award `,
            button('AwardBid', () => ui.act({ type: 'AwardBid', task: id, agent: b.agent }), 'small'))))
          : h('p', { class: 'muted', text: 'No bid yet.' })));
      }
      out.push(section('Best agents for this task', rankingPreview(ctx, view, ui)));
    }
    if (view.state === 'InputRequired') {
      const answerForm = textCommand('Answer', 'answer', 'AnswerClarification',
        (answer) => ui.act({ type: 'AnswerClarification', task: id, answer }), { 'data-form': 'answer' });
      // A template task's client holds the truth the question is about: suggest its answer.
      const suggested = view.question && typeof ctx.market.templateAnswer === 'function' && isTemplateCategory(view.spec.category)
        ? ctx.market.templateAnswer(id, view.question) : undefined;
      if (suggested !== undefined) {
        answerForm.querySelector('textarea').value = suggested;
        answerForm.prepend(h('p', { class: 'muted small work-suggested', text: 'Suggested from the truth only you hold as the client; change it as you like.' }));
      }
      out.push(section('Answer the question', answerForm));
    }
    if (view.state === 'UnderReview') out.push(section('Review', reviewForm(view, ui, ctx)));
    const status = view.state === 'Settled' ? ctx.market.task(id)?.status : null;
    if (status && !status.rated) {
      const stars = (name, value) => select(['5', '4', '3', '2', '1'], { name, value });
      const suggested = measured.get(id)?.stars;
      out.push(section('Rate the agent', labelledForm(
        [['Quality', stars('quality', suggested === undefined ? undefined : String(suggested)),
          suggested === undefined ? undefined : `${suggested} suggested by the measured accuracy`], ['Timeliness', stars('timeliness')]],
        'RateTask',
        (v) => ui.act({ type: 'RateTask', task: id, rating: { quality: +v.quality, timeliness: +v.timeliness } }),
        { 'data-form': 'rate' })));
    }
  }
  if (role === 'Agent') {
    if (view.state === 'Open') {
      const reasons = ctx.market.eligibility(id, ctx.actor.id);
      out.push(section('Eligibility', reasons.length
        ? h('ul', { class: 'reasons' }, reasons.map((r) => h('li', { text: r })))
        : h('p', { class: 'ok-text', text: 'You may take this task.' })));
      if (pricing.type === 'Fixed') {
        out.push(section('Claim', button('ClaimTask', () => ui.act({ type: 'ClaimTask', task: id, spec_hash: view.spec_hash }), 'primary')));
      } else {
        out.push(section('Bid', labelledForm([
          ['Price (credits)', h('input', { name: 'price', type: 'number', min: 0, step: '0.01', required: true, value: (pricing.ceiling / 100).toFixed(2) })],
          ['Ready after award (minutes)', h('input', { name: 'eta', type: 'number', min: 1, required: true, value: '60' })],
        ], 'PlaceBid', (v) => ui.act({ type: 'PlaceBid', task: id, price: toMinor(v.price), eta_ms: Math.round(Number(v.eta) * TIME.MINUTE) })),
        button('WithdrawBid', () => ui.act({ type: 'WithdrawBid', task: id }))));
      }
    }
    const mine = view.holder === ctx.actor.id;
    if (view.state === 'Claimed' && mine) {
      out.push(section('Submit work', submitForm(ctx, view, ui)));
      out.push(section('Ask the client', textCommand('Question', 'question', 'AskClarification',
        (question) => ui.act({ type: 'AskClarification', task: id, question }), { 'data-form': 'ask' })));
      out.push(section('Give it back', button('ReturnTask', () => ui.act({ type: 'ReturnTask', task: id }))));
    }
    if (view.state === 'Rejected' && mine) {
      out.push(section('Dispute the rejection', textCommand('Why the rejection is wrong', 'reason', 'OpenDispute',
        (reason) => ui.act({ type: 'OpenDispute', task: id, reason }), { 'data-form': 'dispute' })));
    }
  }
  if (role === 'Reviewer' && view.state === 'UnderReview') out.push(section('Review', reviewForm(view, ui)));
  if (role === 'Operator') {
    if (view.state === 'Open') out.push(section('Best agents for this task', rankingPreview(ctx, view, ui)));
    if (view.state === 'Disputed') {
      const kind = select([['PayAgent', 'Pay the agent'], ['RefundClient', 'Refund the client'], ['Split', 'Split']], { name: 'resolution' });
      out.push(section('Resolve the dispute', labelledForm([
        ['Resolution', kind],
        ['To the agent, for a split (credits)', h('input', { name: 'to_agent', type: 'number', min: 0, step: '0.01', value: ((view.price ?? 0) / 200).toFixed(2) })],
      ], 'ResolveDispute', (v) => ui.act({
        type: 'ResolveDispute', task: id,
        resolution: v.resolution === 'Split' ? { type: 'Split', to_agent: toMinor(v.to_agent) } : { type: v.resolution },
      }))));
    }
  }
  if (!out.length) out.push(h('p', { class: 'muted', text: `Nothing for ${role === 'Agent' || role === 'Operator' ? 'an' : 'a'} ${role ? role.toLowerCase() : 'visitor'} to do on a task that is ${stateLabel(view.state).toLowerCase()}.` }));
  return out;
}
