// Why an agent's score in a category is what it is. Plain sentences first (score-words.js), then
// what changed it, newest first; the composite, each dimension's posterior with its prior and
// evidence, and each change's factors sit behind a closed "How this score is computed" toggle.

import { h, fill, rememberFocus } from './dom.js';
import { score, instant, duration } from './format.js';
import { describeChange } from './explain.js';
import { scoreSentences, changeSentence } from './score-words.js';
import { tierLabel } from './words.js';

export class ScoreDialog {
  constructor(dialog) {
    this.dialog = dialog;
    this.body = dialog.querySelector('.dialog-body');
    this.title = dialog.querySelector('h2');
    dialog.querySelector('.dialog-close').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => this.returnFocus?.());
  }

  open(market, names, agent, category) {
    this.returnFocus = rememberFocus();
    this.dialog.querySelector('.dialog-messages').replaceChildren();
    const x = market.explainScore(agent, category);
    fill(this.title, `${names.agent(agent)} in ${category}`);
    const sentences = scoreSentences(x, { agentName: names.agent(agent), category, tier: tierLabel(market.tier(agent)), names });
    const newestFirst = [...x.changes].reverse();
    fill(this.body,
      h('div', { class: 'score-summary' }, sentences.map((text) => h('p', { text }))),
      h('h3', { text: 'What changed it, newest first' }),
      newestFirst.length
        ? h('ol', { class: 'plain-changes' }, newestFirst.map((c) => h('li', {},
          h('span', { class: 'muted', text: `${instant(c.at)} · ` }), changeSentence(c, names))))
        : h('p', { class: 'muted', text: 'Nothing yet: the score is still its starting estimate.' }),
      h('details', { class: 'score-factors' },
        h('summary', { text: 'How this score is computed' }),
        h('p', {}, `Score ${score(x.score.mean)} (lower bound ${score(x.score.lower)} at z = ${x.lower_bound_z}; `
          + `${x.score.evidence.toFixed(1)} observations after decay). Tier: `, h('strong', { text: tierLabel(market.tier(agent)) }), '.'),
        x.gated_distrust > 0
          ? h('p', { text: `${(x.gated_distrust * 100).toFixed(0)} % of its work behind rare skill gates is left out: `
            + 'its other work contradicts it.' })
          : null,
        h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Dimensions' },
          h('table', {},
            h('caption', { text: 'Dimensions' }),
            h('thead', {}, h('tr', {}, ['Dimension', 'Weight', 'Mean', 'Std dev', 'Evidence', 'Prior mean', 'Half-life', 'Decayed']
              .map((c) => h('th', { scope: 'col', text: c })))),
            h('tbody', {}, x.dimensions.map((d) => h('tr', {},
              h('th', { scope: 'row', text: d.dimension }),
              h('td', { class: 'num', text: d.weight.toFixed(2) }),
              h('td', { class: 'num', text: score(d.mean) }),
              h('td', { class: 'num', text: score(d.std_dev) }),
              h('td', { class: 'num', text: d.evidence.toFixed(2) }),
              h('td', { class: 'num', text: score(d.prior_mean) }),
              h('td', { class: 'num', text: duration(d.half_life_ms) }),
              h('td', { class: 'num', text: `${(d.decayed_share * 100).toFixed(0)} %` })))))),
        h('h4', { text: 'Each change with its factors' }),
        newestFirst.length
          ? h('ol', { class: 'changes' }, newestFirst.map((c) => h('li', {},
            h('span', { class: 'muted', text: `${instant(c.at)}${c.task === null ? '' : ` · task #${c.task}`} · ` }), describeChange(c, names))))
          : h('p', { class: 'muted', text: 'No change yet: the score is the prior.' })));
    if (!this.dialog.open) this.dialog.showModal();
  }
}
