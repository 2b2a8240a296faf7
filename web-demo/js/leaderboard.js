// The leaderboard: agents ranked by reputation score (the engine's posterior mean) in a category
// (or overall), with tier and the five reputation dimensions. In a category the engine lists the
// agents with work there first; the rest are greyed: their score is a prediction, not a record.
// Column names are the words the score dialog uses ("score", "cautious score"); the engine's terms stay in the headers' tooltips. Each row opens the explanation of that score; each name, the agent's profile.

import { h, fill, select } from './dom.js';
import { score } from './format.js';
import { tierLabel } from './words.js';

export const DIMENSIONS = ['accuracy', 'quality', 'speed', 'consistency', 'adaptability'];
const ROWS = 50;

export class Leaderboard {
  constructor(container, ui) {
    this.ui = ui;
    this.category = select([['', 'Overall']], { id: 'lb-category' });
    this.category.addEventListener('change', () => ui.render());
    this.table = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Leaderboard table' });
    fill(container,
      h('div', { class: 'toolbar' }, h('label', { for: 'lb-category', text: 'Category' }), this.category,
        h('span', { class: 'muted', text: 'Ranked by reputation score (0–1). Tiers need a cautious score that only enough good work lifts. In a category, agents with work there come first; the rest (greyed) show a score predicted from their other work, or what the category\'s newcomers delivered for an agent the market has not tried yet (allocation still ranks an untried agent below a proven one).' })),
      this.table);
  }

  render(ctx) {
    const categories = ctx.market.categories();
    const chosen = this.category.value;
    const options = ['', ...categories];
    if ([...this.category.options].map((o) => o.value).join('|') !== options.join('|')) {
      fill(this.category, options.map((c) => h('option', { value: c, text: c || 'Overall' })));
      this.category.value = options.includes(chosen) ? chosen : '';
    }
    const category = this.category.value || null;
    const rows = ctx.market.leaderboard(category, ROWS);
    if (!rows.length) {
      fill(this.table, h('p', { class: 'muted', text: 'No agent yet: register one as the operator, or run the autopilot.' }));
      return;
    }
    const dims = category !== null;
    fill(this.table, h('table', { class: 'leaderboard' },
      h('caption', { text: category ? `Leaderboard: ${category}` : 'Leaderboard: overall' }),
      h('thead', {}, h('tr', {},
        [['#'], ['Agent'], ['Kind', '', 'narrow-hide'], ['Tier'], ['Score', 'posterior mean'],
          ['Cautious score', 'lower bound of the credible interval: what gates and tiers use', 'narrow-hide'],
          ...(dims ? DIMENSIONS.map((d) => [d, '', 'narrow-hide']) : []), ['Settled', 'tasks paid in this category', 'narrow-hide'], ['']]
          .map(([c, title, cls]) => h('th', { scope: 'col', text: c, title: title || null, class: cls || null })))),
      h('tbody', {}, rows.map((r, i) => this.row(r, i, category)))));
  }

  /** One agent's row; in a category, greyed when it has no work there (its score is a prediction). */
  row(r, i, category) {
    const predicted = category !== null && r.settled === 0;
    return h('tr', predicted
        ? { class: 'predicted', title: `No work in ${category} yet: the score is predicted from ${r.name}'s other work` }
        : {},
        h('td', { text: String(i + 1) }),
        h('th', { scope: 'row' }, h('button', {
          type: 'button', class: 'link agent-link', onclick: () => this.ui.openAgent(r.agent), text: r.name, 'aria-label': `Open ${r.name}'s profile`,
        })),
        h('td', { class: 'narrow-hide', text: r.kind === 'ai' ? 'AI' : 'Person' }),
        h('td', {}, h('span', { class: `tier tier-${r.tier}`, text: tierLabel(r.tier) })),
        h('td', { class: 'num', text: score(r.score.mean) }),
        h('td', { class: 'num narrow-hide', text: score(r.score.lower) }),
        category !== null && r.dimensions.map((d) => h('td', { class: `num ${predicted ? 'muted-bar' : 'bar'} narrow-hide`, style: `--v:${Math.max(0, Math.min(1, d))}`, text: score(d) })),
        h('td', { class: 'num narrow-hide', text: String(r.settled) }),
        h('td', {}, category
          ? h('button', { type: 'button', class: 'small', onclick: () => this.ui.explain(r.agent, category), text: 'Explain', 'aria-label': `Explain ${r.name}'s score` })
          : ''));
  }
}
