// The human reviewer's panel: work routed to human review (low confidence or sampled).

import { h } from '../dom.js';
import { relative } from '../format.js';
import { section, stats, taskList } from './common.js';

/** Routes a human reviewer takes ('client' and 'operator' are the client's and the operator's). */
const HUMAN_ROUTES = ['human_low_confidence', 'human_sampled'];

export function reviewerPanel(ui) {
  const who = stats();
  const queue = taskList('No work is routed to human review.');
  const element = h('div', {},
    section('Reviewer', who.element),
    section('Routed to human review', h('p', { class: 'muted', text: 'Open a task to accept it, ask for a revision, or reject it citing the criteria it fails.' }), queue.element));
  return {
    element,
    update(ctx) {
      const me = ctx.market.reviewer(ctx.actor.id);
      who.set([['Reviewer', `${me.name} (#${me.id})`], ['Owner', me.owner]]);
      const routed = ctx.views.filter((v) => v.state === 'UnderReview' && HUMAN_ROUTES.includes(ctx.market.task(v.id)?.status.route));
      queue.set(routed, ui, (v) => `, accepted by silence ${relative(v.deadline, ctx.now)}`);
    },
  };
}
