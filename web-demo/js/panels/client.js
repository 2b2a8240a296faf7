// The client's panel: its account (Deposit, Withdraw), its standing as agents see it, and its
// tasks that wait on it (questions to answer, work to review, work to rate).

import { h, field, select } from '../dom.js';
import { money, toMinor, share, duration } from '../format.js';
import { section, commandForm, stats, taskList } from './common.js';

/** Tasks listed: the newest ones only, so a client with hundreds of tasks stays quick to draw. */
const RECENT = 50;

/** Whether the client has something to do on its task: answer, review (not routed to a human
 * reviewer), or rate paid work it has not rated. The route and the rating flag are not in the
 * TaskView, so the host's unfiltered `task()` supplies them. */
function waitsOnClient(market, view) {
  if (view.state === 'InputRequired') return true;
  if (view.state !== 'UnderReview' && view.state !== 'Settled') return false;
  const status = market.task(view.id)?.status;
  if (view.state === 'UnderReview') return status?.route === 'client';
  return status && !status.rated && !['rejected', 'dispute_refunded'].includes(status.verdict);
}

/** The kinds of real task the market has templates for, by category. */
export const TEMPLATE_KINDS = [
  ['document-verification', 'Document verification'],
  ['data-analysis', 'Data analysis'],
  ['customer-outreach', 'Customer outreach'],
];

/**
 * "Post from a template": a real task of one of the market's kinds, its inputs generated with a
 * truth only this client knows (which measures the work that comes back), posted at once through
 * the same PostTask as the form (the template depends on the id the task will get).
 */
function templateForm(ui, current) {
  const kind = select(TEMPLATE_KINDS, { name: 'kind' });
  const reward = h('input', { name: 'reward', type: 'number', min: '0.01', step: '0.01', required: true, value: '20.00' });
  const form = h('form', { class: 'command-form', 'data-form': 'post-template' },
    field('Kind of task', kind),
    field('Reward (credits)', reward),
    h('button', { type: 'submit', class: 'primary', text: 'Post from template', title: 'PostTask' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const ctx = current();
    if (typeof ctx.market.taskTemplate !== 'function') {
      ctx.session.notify('error', 'This build of the market has no task templates.', { id: 'outcome' });
      return;
    }
    const made = ctx.session.guard('PostTask', () => ctx.market.taskTemplate(kind.value, toMinor(reward.value), ctx.session.now));
    if (made.ok) ui.act({ type: 'PostTask', spec: made.value });
  });
  return form;
}

export function clientPanel(ui) {
  let ctxNow = null;
  const account = stats();
  const standing = stats();
  const waiting = taskList('Nothing waits on you.');
  const amount = (name) => h('input', { name, type: 'number', min: '0.01', step: '0.01', required: true, value: '1000.00' });
  const element = h('div', {},
    section('Account', account.element,
      commandForm([['Deposit (credits)', amount('amount')]], 'Deposit',
        (v) => ui.act({ type: 'Deposit', amount: toMinor(v.amount) })),
      commandForm([['Withdraw (credits)', amount('amount')]], 'Withdraw',
        (v) => ui.act({ type: 'Withdraw', amount: toMinor(v.amount) })),
      h('button', { type: 'button', class: 'primary', onclick: () => ui.tab('post'), text: 'Post a task…' })),
    section('Post from a template',
      h('p', { class: 'muted small', text: 'A real task with real input: documents to verify, a dataset to analyse, or borrowers to write to. '
        + 'The answers only you know measure the work that comes back.' }),
      templateForm(ui, () => ctxNow)),
    section('Waiting on you', waiting.element),
    section('Your standing', h('p', { class: 'muted', text: 'What agents see of you before they claim.' }), standing.element));

  return {
    element,
    update(ctx) {
      ctxNow = ctx;
      const me = ctx.market.client(ctx.actor.id);
      const mine = ctx.views.filter((v) => v.client === ctx.actor.id);
      const escrow = mine.filter((v) => !['Settled', 'Cancelled', 'Expired'].includes(v.state)).reduce((s, v) => s + v.escrow, 0);
      account.set([['Client', `${me.name} (#${me.id})`], ['Owner', me.owner], ['Balance', money(me.balance)], ['In escrow', money(escrow)]]);
      const s = ctx.market.clientStanding(ctx.actor.id);
      standing.set([
        ['Settled tasks', String(s.settled)],
        ['Rejection rate', share(s.rejection_rate)],
        ['Mean review latency', s.mean_review_latency_ms === null ? '—' : duration(s.mean_review_latency_ms)],
        ['Disputes lost', String(s.disputes_lost)],
        ['Auto-accepted (silent)', String(s.auto_accepted)],
      ]);
      waiting.set(mine.slice(-4 * RECENT).filter((v) => waitsOnClient(ctx.market, v)).slice(-RECENT), ui,
        (v) => ({ InputRequired: ': answer the question', UnderReview: ': review', Settled: ': rate' })[v.state] ?? '');
    },
  };
}
