// The PostTask form: every part of a TaskSpec, with repeatable rows for skills, inputs, output
// fields and criteria. Built once (so a re-render never wipes what someone is typing); it reads
// the form into a TaskSpec and leaves judging it to the engine, whose `invalid_spec` refusals name
// the field at fault. Times are typed relative to the simulated clock and sent as instants.

import { h, field, select, uid } from './dom.js';
import { TIME, toMinor } from './format.js';
import { checkLabel } from './words.js';

const TIERS = ['new', 'rising', 'established', 'top_rated', 'expert'];
const int = (v) => (v === '' ? NaN : Math.round(Number(v)));
const optInt = (v) => (v === '' ? null : Math.round(Number(v)));
const optReal = (v) => (v === '' ? null : Number(v));
const pctToBps = (v) => Math.round(Number(v) * 100);

/** A list of repeatable rows with Add/Remove buttons. `make(values)` returns the row's controls. */
function rowList(legend, make, initial, addLabel) {
  const list = h('div', { class: 'rows' });
  const add = (values = {}) => {
    const row = h('div', { class: 'row' }, make(values));
    row.append(h('button', {
      type: 'button', class: 'quiet remove', text: 'Remove',
      onclick: () => { row.remove(); renumber(); },
    }));
    list.append(row);
    renumber();
  };
  // Remove buttons name their row, so a screen reader hears which one goes.
  const renumber = () => [...list.children].forEach((row, i) => {
    row.querySelector('.remove').setAttribute('aria-label', `Remove ${legend.toLowerCase()} ${i + 1}`);
  });
  initial.forEach(add);
  const fieldset = h('fieldset', { class: 'rowset' },
    h('legend', { text: legend }),
    list,
    h('button', { type: 'button', class: 'add', onclick: () => add(), text: addLabel }));
  return { fieldset, rows: () => [...list.children] };
}

const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', ...attrs });

function skillRow(v) {
  return [
    field('Skill', input('skill', v.skill, { required: true, list: 'category-names' })),
    field('Min level (1–5)', input('min_level', v.min_level ?? 3, { type: 'number', min: 1, max: 5, required: true })),
  ];
}

function inputRow(v) {
  return [
    field('Input name', input('name', v.name, { required: true })),
    field('URI', input('uri', v.uri, { required: true })),
    field('Classification', select(['public', 'confidential', 'restricted'], { name: 'classification', value: v.classification ?? 'public' })),
  ];
}

function outputFieldRow(v) {
  return [
    field('Field name', input('name', v.name, { required: true })),
    field('Type', select(['text', 'number', 'integer', 'bool'], { name: 'kind', value: v.kind ?? 'text' })),
    h('div', { class: 'field check' },
      (() => {
        const box = h('input', { type: 'checkbox', name: 'required', checked: v.required ?? true, id: uid() });
        return [box, h('label', { for: box.id, text: 'Required' })];
      })()),
  ];
}

/** A criterion row: its parameters change with the check type. */
function criterionRow(v) {
  const name = field('Criterion name', input('name', v.name, { required: true }));
  const target = field('Field', input('field', v.field, { required: true }));
  const params = h('div', { class: 'params' });
  const type = select(['Range', 'OneOf', 'Pattern', 'Length'].map((t) => [t, checkLabel(t)]), { name: 'check', value: v.type ?? 'Range' });
  const show = () => {
    params.replaceChildren(...({
      Range: () => [
        field('Min', input('min', v.min, { type: 'number', step: 'any' })),
        field('Max', input('max', v.max, { type: 'number', step: 'any' }))],
      Length: () => [
        field('Min length', input('min', v.min, { type: 'number', min: 0 })),
        field('Max length', input('max', v.max, { type: 'number', min: 0 }))],
      OneOf: () => [field('Allowed values', input('values', v.values, { required: true }), 'Comma-separated')],
      Pattern: () => [field('Pattern', input('pattern', v.pattern, { required: true }), '* any run, ? one character, # one digit')],
    }[type.value])());
    // Parameters typed for one check type do not carry over to another.
    v = {};
  };
  type.addEventListener('change', show);
  show();
  return [name, field('Check', type), target, params];
}

function readRow(row) {
  const out = {};
  for (const el of row.querySelectorAll('input, select, textarea')) {
    if (el.name) out[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  }
  return out;
}

function readCheck(r) {
  switch (r.check) {
    case 'Range': return { type: 'Range', field: r.field, min: optReal(r.min), max: optReal(r.max) };
    case 'Length': return { type: 'Length', field: r.field, min: optInt(r.min), max: optInt(r.max) };
    case 'OneOf': return { type: 'OneOf', field: r.field, values: r.values.split(',').map((s) => s.trim()).filter(Boolean) };
    default: return { type: 'Pattern', field: r.field, pattern: r.pattern };
  }
}

function group(legend, ...children) {
  return h('fieldset', {}, h('legend', { text: legend }), h('div', { class: 'grid' }, children));
}

/**
 * Build the form. `onPost(spec)` sends PostTask; `now()` is the simulated clock.
 * Returns `{ element, setCategories(names) }`.
 */
export function buildSpecForm({ onPost, now }) {
  const skills = rowList('Required skill', skillRow, [{ skill: 'invoice-extraction', min_level: 2 }], 'Add a required skill');
  const inputs = rowList('Input', inputRow, [{ name: 'invoice', uri: 'demo://acme/invoice-7.pdf', classification: 'confidential' }], 'Add an input');
  const fields = rowList('Output field', outputFieldRow, [
    { name: 'total', kind: 'number', required: true },
    { name: 'currency', kind: 'text', required: true },
  ], 'Add an output field');
  const criteria = rowList('Criterion', criterionRow, [
    { name: 'total-positive', type: 'Range', field: 'total', min: 0 },
    { name: 'currency-known', type: 'OneOf', field: 'currency', values: 'EUR, USD, GBP' },
  ], 'Add a criterion');

  const pricingType = select([['Fixed', 'Fixed reward'], ['Bids', 'Bids under a ceiling']], { name: 'pricing' });
  const fixed = h('div', { class: 'grid' },
    field('Reward (credits)', input('reward', '10.00', { type: 'number', min: 0, step: '0.01', required: true })));
  const bids = h('div', { class: 'grid' },
    field('Ceiling (credits)', input('ceiling', '20.00', { type: 'number', min: 0, step: '0.01', required: true })),
    field('Award policy', select([['client', 'client (AwardBid by hand)'], 'best_price', 'best_eta', 'best_value'], { name: 'award' })),
    field('Bidding closes in (hours)', input('bidding_closes_in', '2', { type: 'number', min: 0, step: 'any', required: true })));
  const showPricing = () => {
    const isBids = pricingType.value === 'Bids';
    fixed.hidden = isBids;
    bids.hidden = !isBids;
    // Hidden controls must not block submission with their own `required`.
    for (const el of fixed.querySelectorAll('input')) el.disabled = isBids;
    for (const el of bids.querySelectorAll('input, select')) el.disabled = !isBids;
  };
  pricingType.addEventListener('change', showPricing);

  const windowOn = h('input', { type: 'checkbox', name: 'priority', id: uid() });
  const windowFields = h('div', { class: 'grid' },
    field('Tier that may claim first', select(TIERS, { name: 'priority_tier', value: 'established' })),
    field('Window length (minutes)', input('priority_minutes', '30', { type: 'number', min: 1 })));
  const showWindow = () => {
    windowFields.hidden = !windowOn.checked;
    for (const el of windowFields.querySelectorAll('input, select')) el.disabled = !windowOn.checked;
  };
  windowOn.addEventListener('change', showWindow);

  const categories = h('datalist', { id: 'category-names' });
  const form = h('form', { class: 'spec-form', 'aria-labelledby': 'post-h' },
    group('Task',
      field('Title', input('title', 'Extract the invoice total', { required: true })),
      field('Category', input('category', 'invoice-extraction', { required: true, list: 'category-names' }),
        'Reputation is kept per category'),
      h('div', { class: 'field wide' },
        h('label', { for: 'spec-instructions', text: 'Instructions' }),
        h('textarea', { id: 'spec-instructions', name: 'instructions', rows: 2, text: 'Read the PDF; report the total and its currency.' }))),
    categories,
    skills.fieldset,
    inputs.fieldset,
    fields.fieldset,
    criteria.fieldset,
    group('Acceptance',
      field('Min self-reported confidence (%)', input('min_confidence', '70', { type: 'number', min: 0, max: 100, step: 'any', required: true }))),
    group('Review policy',
      field('Review window (hours)', input('review_window', '4', { type: 'number', min: 0, step: 'any', required: true }), 'Silence past it accepts the work'),
      field('Human review below confidence (%)', input('human_below', '', { type: 'number', min: 0, max: 100, step: 'any' }), 'Blank: never'),
      field('Human review sample (%)', input('human_sample', '0', { type: 'number', min: 0, max: 100, step: 'any', required: true })),
      field('Max revisions', input('max_revisions', '1', { type: 'number', min: 0, max: 10, required: true }), 'The market caps it at 10')),
    h('fieldset', {}, h('legend', { text: 'Pricing' }), h('div', { class: 'grid' }, field('Pricing', pricingType)), fixed, bids),
    group('Deadlines',
      field('Claim by (hours from now)', input('claim_by_in', '12', { type: 'number', min: 0, step: 'any', required: true })),
      field('Lease (hours)', input('lease', '4', { type: 'number', min: 0, step: 'any', required: true })),
      field('Clarification timeout (minutes)', input('clarification_timeout', '60', { type: 'number', min: 0, step: 'any', required: true })),
      field('Max clarifications', input('max_clarifications', '2', { type: 'number', min: 0, max: 10, required: true }), 'The market caps it at 10')),
    group('Eligibility',
      field('Min tier', select(TIERS, { name: 'min_tier' })),
      field('Agent kinds', select(['any', 'ai', 'human'], { name: 'agent_kinds' })),
      field('Min reputation lower bound (%)', input('min_reputation', '', { type: 'number', min: 0, max: 100, step: 'any' }), 'Blank: no gate')),
    h('fieldset', {}, h('legend', { text: 'Priority window' }),
      h('div', { class: 'field check' }, windowOn, h('label', { for: windowOn.id, text: 'Reserve an opening period for a tier' })),
      windowFields),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', text: 'Post task', title: 'PostTask' })));
  showPricing();
  showWindow();

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onPost(readSpec(form, now(), { skills, inputs, fields, criteria }));
  });

  return {
    element: form,
    setCategories(names) {
      const have = [...categories.children].map((o) => o.value).join('\n');
      if (have !== names.join('\n')) categories.replaceChildren(...names.map((n) => h('option', { value: n })));
    },
  };
}

function readSpec(form, now, { skills, inputs, fields, criteria }) {
  const v = Object.fromEntries([...form.elements].filter((el) => el.name).map((el) => [el.name, el.type === 'checkbox' ? el.checked : el.value]));
  const pricing = v.pricing === 'Bids'
    ? { type: 'Bids', ceiling: toMinor(v.ceiling), award: v.award, bidding_closes_at: now + Math.round(Number(v.bidding_closes_in) * TIME.HOUR) }
    : { type: 'Fixed', reward: toMinor(v.reward) };
  return {
    title: v.title,
    category: v.category.trim(),
    instructions: v.instructions,
    required_skills: skills.rows().map(readRow).map((r) => ({ skill: r.skill.trim(), min_level: int(r.min_level) })),
    inputs: inputs.rows().map(readRow).map((r) => ({ name: r.name, uri: r.uri, classification: r.classification })),
    acceptance: {
      fields: fields.rows().map(readRow).map((r) => ({ name: r.name.trim(), kind: r.kind, required: r.required })),
      criteria: criteria.rows().map(readRow).map((r) => ({ name: r.name.trim(), check: readCheck(r) })),
      min_confidence_bps: pctToBps(v.min_confidence),
    },
    review: {
      window_ms: Math.round(Number(v.review_window) * TIME.HOUR),
      human_review_below_confidence_bps: v.human_below === '' ? null : pctToBps(v.human_below),
      human_sample_bps: pctToBps(v.human_sample),
      max_revisions: int(v.max_revisions),
    },
    pricing,
    deadlines: {
      claim_by: now + Math.round(Number(v.claim_by_in) * TIME.HOUR),
      lease_ms: Math.round(Number(v.lease) * TIME.HOUR),
      clarification_timeout_ms: Math.round(Number(v.clarification_timeout) * TIME.MINUTE),
      max_clarifications: int(v.max_clarifications),
    },
    eligibility: {
      min_tier: v.min_tier,
      agent_kinds: v.agent_kinds,
      min_reputation_bps: v.min_reputation === '' ? null : pctToBps(v.min_reputation),
    },
    priority_window: v.priority
      ? { tier: v.priority_tier, duration_ms: Math.round(Number(v.priority_minutes) * TIME.MINUTE) }
      : null,
  };
}
