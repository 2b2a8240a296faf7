// The operator's panel: register parties, set the fee, collect fees, resolve disputes, run batch
// assignment, check the market's invariants.

import { h, select } from '../dom.js';
import { money, toMinor, bps } from '../format.js';
import { section, commandForm, stats, taskList, parseSkills } from './common.js';

export function operatorPanel(ui) {
  const platform = stats();
  const disputes = taskList('No open dispute.');
  const seed = h('p', { class: 'muted small seed' });
  const text = (name, value, attrs = {}) => h('input', { name, value, required: true, ...attrs });
  const element = h('div', {},
    section('Platform', platform.element, seed,
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'primary', onclick: () => ui.act({ type: 'AssignTasks', tasks: null, time_budget_ms: null }), text: 'Assign tasks', title: 'AssignTasks' }),
        h('button', { type: 'button', onclick: () => ui.audit(), text: 'Audit' }))),
    section('Disputes', disputes.element),
    section('Register a client',
      commandForm([['Name', text('name', 'Acme')], ['Owner (organisation)', text('owner', 'acme')]],
        'Register client', (v) => ui.act({ type: 'RegisterClient', name: v.name, owner: v.owner }),
        { 'data-form': 'register-client' })),
    section('Register an agent',
      commandForm([
        ['Name', text('name', 'verifier-1')],
        ['Kind', select(['ai', 'human'], { name: 'kind' })],
        ['Owner (organisation)', text('owner', 'bots-inc')],
        ['Skills', text('skills', 'document-verification:4, data-analysis:3'), 'name:level, comma-separated (levels 1–5); the autopilot posts document-verification, data-analysis and customer-outreach'],
        ['Capacity (tasks at once)', text('capacity', '2', { type: 'number', min: 1, max: 1000 })],
        ['Minimum rate (credits)', text('min_rate', '1.00', { type: 'number', min: 0, step: '0.01' })],
      ], 'Register agent', (v) => ui.act({
        type: 'RegisterAgent', name: v.name, kind: v.kind, owner: v.owner, skills: parseSkills(v.skills),
        capacity: Number(v.capacity), min_rate: toMinor(v.min_rate),
      }), { 'data-form': 'register-agent' })),
    section('Register a reviewer',
      commandForm([['Name', text('name', 'Rita')], ['Owner (organisation)', text('owner', 'review-co')]],
        'Register reviewer', (v) => ui.act({ type: 'RegisterReviewer', name: v.name, owner: v.owner }),
        { 'data-form': 'register-reviewer' })),
    section('Fee and platform funds',
      commandForm([['Fee (%)', text('fee', '10', { type: 'number', min: 0, max: 50, step: '0.01' }), 'For tasks posted from now on']],
        'Set fee', (v) => ui.act({ type: 'SetFee', fee_bps: Math.round(Number(v.fee) * 100) })),
      commandForm([['Withdraw fees (credits)', text('amount', '1.00', { type: 'number', min: '0.01', step: '0.01' })]],
        'Withdraw', (v) => ui.act({ type: 'Withdraw', amount: toMinor(v.amount) }))));
  return {
    element,
    update(ctx) {
      const m = ctx.market;
      platform.set([
        ['Fee', bps(m.feeBps)],
        ['Fees collected', money(m.platformBalance)],
        ['Deposited, ever', money(m.deposited)],
        ['Withdrawn, ever', money(m.withdrawn)],
        ['Clients', String(ctx.names.clients.length)],
        ['Agents', String(ctx.names.agents.length)],
        ['Reviewers', String(ctx.names.reviewers.length)],
      ]);
      seed.textContent = `Market seed ${m.config.seed}`;
      disputes.set(ctx.views.filter((v) => v.state === 'Disputed'), ui, (v) => `, decide by ${ui.instant(v.deadline)}`);
    },
  };
}
