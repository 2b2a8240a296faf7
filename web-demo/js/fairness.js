// The fairness report: who gets seen (ranking exposure) and who gets work, by cohort, against each
// cohort's share of the agents; how concentrated work is; how much of the newcomer budget went.

import { h, fill } from './dom.js';
import { share, bps } from './format.js';

export class Fairness {
  constructor(container) {
    this.container = container;
  }

  render(ctx) {
    const r = ctx.market.fairnessReport();
    fill(this.container,
      h('dl', { class: 'stats wide' },
        h('dt', { text: 'Work concentration (Gini of settled tasks over agents)' }), h('dd', { text: r.work_gini.toFixed(3) }),
        h('dt', { text: 'Share of settled tasks done by the busiest tenth of agents' }), h('dd', { text: share(r.top_decile_share) }),
        h('dt', { text: 'Newcomer budget (declared / spent)' }), h('dd', { text: `${bps(r.newcomer_budget_bps)} / ${bps(r.newcomer_budget_spent_bps)}` }),
        h('dt', { text: 'Exploratory assignments' }), h('dd', { text: String(r.exploratory_assignments) })),
      cohortTable('Exposure in rankings, by cohort', r.exposure),
      cohortTable('Tasks claimed, by cohort', r.assignments));
  }
}

function cohortTable(title, rows) {
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': title },
    h('table', { class: 'cohorts' },
      h('caption', { text: title }),
      h('thead', {}, h('tr', {}, ['Cohort', 'Count', 'Share', 'Share of agents'].map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', {}, rows.map((c) => h('tr', {},
        h('th', { scope: 'row', text: c.cohort }),
        h('td', { class: 'num', text: String(c.count) }),
        h('td', { class: 'num bar', style: `--v:${c.share}`, text: share(c.share) }),
        h('td', { class: 'num bar muted-bar', style: `--v:${c.population_share}`, text: share(c.population_share) }))))));
}
