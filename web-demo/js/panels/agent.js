// The agent's panel: its tier and earnings (Withdraw), its reputation per category with the
// explanation behind each score, the tasks it holds, and the open tasks it may take, with the
// engine's reasons for the ones it may not.

import { h, fill } from '../dom.js';
import { money, toMinor, score } from '../format.js';
import { section, commandForm, stats, taskList, parseSkills } from './common.js';
import { tierLabel } from '../words.js';

/** Open tasks checked for eligibility per render (the newest): enough to choose from, quick to draw. */
const OPEN_CHECKED = 40;

export function agentPanel(ui) {
  const profile = stats();
  const held = taskList('You hold no task.');
  const eligible = taskList('No open task you may take right now.');
  const blocked = h('ul', { class: 'reasons' });
  const reputation = h('div', { class: 'table-wrap', tabindex: 0, 'aria-label': 'Your reputation by category' });
  const skills = h('input', { name: 'skills', required: true });
  const capacity = h('input', { name: 'capacity', type: 'number', min: 1, max: 1000, required: true });
  const minRate = h('input', { name: 'min_rate', type: 'number', min: 0, step: '0.01', required: true });
  const element = h('div', {},
    section('Profile and earnings', profile.element,
      commandForm([['Withdraw (credits)', h('input', { name: 'amount', type: 'number', min: '0.01', step: '0.01', required: true, value: '1.00' })]],
        'Withdraw', (v) => ui.act({ type: 'Withdraw', amount: toMinor(v.amount) }))),
    section('Reputation', reputation),
    section('Tasks you hold', held.element),
    section('Open tasks you may take', eligible.element,
      h('h4', { text: 'Open tasks you may not take, and why' }), blocked),
    section('Update profile',
      commandForm([
        ['Skills', skills, 'name:level, comma-separated (levels 1–5)'],
        ['Capacity (tasks at once)', capacity],
        ['Minimum rate (credits)', minRate],
      ], 'Update profile',
      (v) => ui.act({ type: 'UpdateAgentProfile', skills: parseSkills(v.skills), capacity: Number(v.capacity), min_rate: toMinor(v.min_rate) }))));
  let profileFor = null;

  return {
    element,
    update(ctx) {
      const id = ctx.actor.id;
      const me = ctx.market.agent(id);
      if (profileFor !== id) {
        // Prefill the profile form once per agent, not on every change (it may be mid-edit).
        profileFor = id;
        skills.value = me.skills.map((s) => `${s.name}:${s.level}`).join(', ');
        capacity.value = me.capacity;
        minRate.value = (me.min_rate / 100).toFixed(2);
      }
      const holding = ctx.views.filter((v) => v.holder === id && !['Settled', 'Cancelled', 'Expired'].includes(v.state));
      const active = holding.filter((v) => ['Claimed', 'InputRequired'].includes(v.state)).length;
      profile.set([
        ['Agent', `${me.name} (#${me.id}, ${me.kind})`],
        ['Tier', tierLabel(ctx.market.tier(id))],
        ['Earnings not yet withdrawn', money(me.balance)],
        ['Working on', `${active} of ${me.capacity}`],
        ['Skills', me.skills.map((s) => `${s.name} ${s.level}`).join(', ') || 'none'],
      ]);
      fill(reputation, reputationTable(ctx, id, ui));
      held.set(holding, ui);
      const open = ctx.views.filter((v) => v.state === 'Open').slice(-OPEN_CHECKED).reverse();
      const verdicts = open.map((v) => ({ v, reasons: ctx.market.eligibility(v.id, id) }));
      eligible.set(verdicts.filter((x) => !x.reasons.length).map((x) => x.v), ui);
      fill(blocked, verdicts.filter((x) => x.reasons.length).slice(0, 8).map(({ v, reasons }) => h('li', {},
        h('button', { type: 'button', class: 'link', onclick: () => ui.openTask(v.id), text: `#${v.id} ${v.spec.title}` }),
        h('ul', {}, reasons.map((r) => h('li', { text: r }))))));
      if (!blocked.children.length) blocked.append(h('li', { class: 'muted', text: 'None.' }));
    },
  };
}

function reputationTable(ctx, id, ui) {
  const categories = ctx.market.categories();
  if (!categories.length) return h('p', { class: 'muted', text: 'No category has tasks yet.' });
  return h('table', {},
    h('thead', {}, h('tr', {}, ['Category', 'Mean', 'Lower bound', ''].map((c) => h('th', { scope: 'col', text: c })))),
    h('tbody', {}, categories.map((c) => {
      const s = ctx.market.score(id, c);
      return h('tr', {},
        h('th', { scope: 'row', text: c }),
        h('td', { text: score(s.mean) }),
        h('td', { text: score(s.lower) }),
        h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => ui.explain(id, c), text: 'Explain', 'aria-label': `Explain the score in ${c}` })));
    })));
}
