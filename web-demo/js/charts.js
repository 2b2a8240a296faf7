// The charts view: reputation over time for the best agents of a category, market activity per
// sample and the platform's fees, from the samples series.js keeps. line-chart.js draws them
// (with uPlot); this file only turns samples into lines and words.

import { h, fill, select } from './dom.js';
import { money } from './format.js';
import { ACTIVITY } from './series.js';
import { LineChart, PALETTE } from './line-chart.js';

/** Agents drawn on the reputation chart: the best ones at the latest sample. */
const AGENTS_SHOWN = 8;

/** Each activity event kind, as the legend names it (the engine's event type, in words). */
const ACTIVITY_LINES = {
  TaskPosted: { label: 'Posted', color: PALETTE[0] },
  // Dashed: a task is often claimed in the sample it is posted in, and the posted line must show through.
  TaskClaimed: { label: 'Claimed', color: PALETTE[4], dash: [6, 4] },
  TaskSettled: { label: 'Paid', color: PALETTE[2] },
  VerificationFailed: { label: 'Checks failed', color: PALETTE[1] },
  WorkRejected: { label: 'Work rejected', color: PALETTE[3] },
  TaskExpired: { label: 'Expired', color: PALETTE[8] },
};

const countLabel = (v) => String(Math.round(v));

export class Charts {
  constructor(container, ui) {
    this.category = select([['', 'Overall']], { id: 'chart-category' });
    this.category.addEventListener('change', () => ui.render());
    this.empty = h('p', { class: 'muted', text: 'No samples yet: act, advance the clock or run the autopilot.' });
    this.reputation = new LineChart({
      title: 'Reputation over time', yTitle: 'Reputation score (0–1)', yRange: [0, 1], yValue: (v) => v.toFixed(3),
    });
    this.activity = new LineChart({
      title: 'Market activity: events per sample', yTitle: 'Tasks per sample', yStep: 1, yValue: countLabel,
    });
    this.fees = new LineChart({
      title: 'Platform fees collected', yTitle: 'Fees (credits)', height: 200, yValue: (v) => money(Math.round(v * 100)),
    });
    this.out = h('div', { class: 'charts' }, this.empty,
      this.reputation.element, this.activity.element, this.fees.element);
    fill(container,
      h('div', { class: 'toolbar' }, h('label', { for: 'chart-category', text: 'Reputation in' }), this.category,
        h('span', { class: 'muted', text: 'Sampled after every change; older samples merge in pairs as the run grows.' })),
      this.out);
    // The charts follow their container's width (window resizes, the phone layout) without
    // waiting for the next change in the market.
    new ResizeObserver(() => {
      const width = this.width();
      for (const chart of [this.reputation, this.activity, this.fees]) chart.resize(width);
    }).observe(this.out);
  }

  width() {
    return this.out.clientWidth;
  }

  render(ctx) {
    const width = this.width();
    if (!width) return;
    const series = ctx.session.series;
    const cats = ['', ...ctx.market.categories()];
    if ([...this.category.options].map((o) => o.value).join('|') !== cats.join('|')) {
      const chosen = this.category.value;
      fill(this.category, cats.map((c) => h('option', { value: c, text: c || 'Overall' })));
      this.category.value = cats.includes(chosen) ? chosen : '';
    }
    const none = series.rep.length < 1;
    this.empty.hidden = !none;
    for (const chart of [this.reputation, this.activity, this.fees]) chart.element.hidden = none;
    if (none) return;
    this.reputation.update({ ...this.reputationLines(series, ctx), width });
    this.activity.update({ ...activityLines(series), width });
    this.fees.update({ ...feeLine(series), width });
  }

  reputationLines(series, ctx) {
    const key = this.category.value;
    // The category select's own words ("Overall" for no category).
    const where = key ? `in ${key}` : 'overall';
    this.reputation.caption.textContent = `Reputation score over time ${where}: the best agents now`;
    const latest = series.rep.at(-1).v[key] ?? {};
    const agents = Object.entries(latest).sort((a, b) => b[1] - a[1]).slice(0, AGENTS_SHOWN).map(([id]) => id);
    const lines = agents.map((id, i) => ({ label: ctx.names.agents[id]?.name ?? `agent #${id}`, color: PALETTE[i % PALETTE.length] }));
    const data = [series.rep.map((p) => p.t), ...agents.map((id) => series.rep.map((p) => p.v[key]?.[id] ?? null))];
    if (!lines.length) return { lines, data, summary: 'No reputation to chart in this category yet.', empty: 'No reputation to chart in this category yet.' };
    return { lines, data, summary: lines.map((l, i) => `${l.label} ends at ${latest[agents[i]].toFixed(3)}`).join('; ') };
  }
}

function activityLines(series) {
  const kinds = ACTIVITY.filter((k) => k in ACTIVITY_LINES);
  const data = [series.activity.map((p) => p.t), ...kinds.map((k) => series.activity.map((p) => p[k]))];
  const totals = kinds.map((k, i) => `${ACTIVITY_LINES[k].label} ${data[i + 1].reduce((a, b) => a + b, 0)}`);
  return {
    lines: kinds.map((k) => ACTIVITY_LINES[k]),
    data,
    summary: `Events over the ${series.activity.length} samples: ${totals.join('; ')}.`,
  };
}

function feeLine(series) {
  // The chart's y axis is in credits; the engine counts minor units.
  const data = [series.activity.map((p) => p.t), series.activity.map((p) => p.fees / 100)];
  return {
    lines: [{ label: 'Fees collected', color: PALETTE[5] }],
    data,
    summary: `Fees collected now: ${money(series.activity.at(-1).fees)} credits.`,
  };
}
