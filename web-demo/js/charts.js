// Charts drawn as hand-written SVG (no library to download): reputation over time for the best
// agents of a category, and market activity. Charts are drawn at the width of their container so
// that the text stays readable on a phone; the series come from series.js.

import { h, fill, select } from './dom.js';
import { instant, money } from './format.js';
import { ACTIVITY } from './series.js';

const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function ticks(min, max, n) {
  if (max === min) return [min];
  const step = (max - min) / n;
  return Array.from({ length: n + 1 }, (_, i) => min + i * step);
}

/**
 * A line chart. `series`: `[{ name, points: [[x, y], ...] }]`. Returns a <figure> with the SVG,
 * a legend, and a text summary for screen readers.
 */
export function lineChart({ title, series, width, height = 220, yMin, yMax, yFormat = (y) => y.toFixed(2), summary }) {
  const pad = { l: 52, r: 12, t: 12, b: 28 };
  const xs = series.flatMap((se) => se.points.map((p) => p[0]));
  const ys = series.flatMap((se) => se.points.map((p) => p[1]));
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = yMin ?? Math.min(0, ...ys);
  const y1 = yMax ?? Math.max(1, ...ys);
  const X = (x) => pad.l + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (width - pad.l - pad.r);
  const Y = (y) => height - pad.b - ((y - y0) / (y1 - y0 || 1)) * (height - pad.t - pad.b);
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}. ${summary}` });
  for (const y of ticks(y0, y1, 4)) {
    svg.append(s('line', { x1: pad.l, x2: width - pad.r, y1: Y(y), y2: Y(y), class: 'grid' }));
    svg.append(s('text', { x: pad.l - 6, y: Y(y) + 4, 'text-anchor': 'end', class: 'tick' }, yFormat(y)));
  }
  const xCount = Math.max(1, Math.min(4, Math.floor((width - pad.l) / 140)));
  const xTicks = x1 === x0 ? [x0] : ticks(x0, x1, xCount);
  xTicks.forEach((x, i) => {
    // The outer labels hug the ends so they are never cut off.
    const anchor = xTicks.length === 1 ? 'middle' : i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle';
    svg.append(s('text', { x: X(x), y: height - 8, 'text-anchor': anchor, class: 'tick' }, instant(Math.round(x))));
  });
  series.forEach((se, i) => {
    const color = PALETTE[i % PALETTE.length];
    if (se.points.length === 1) {
      const [[x, y]] = se.points;
      svg.append(s('circle', { cx: X(x), cy: Y(y), r: 3, fill: color }));
    } else if (se.points.length) {
      svg.append(s('polyline', { points: se.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' '), stroke: color, class: 'line' }));
    }
  });
  return h('figure', { class: 'chart' },
    h('figcaption', { text: title }),
    svg,
    h('ul', { class: 'legend' }, series.map((se, i) => h('li', {},
      h('span', { class: 'swatch', style: `background:${PALETTE[i % PALETTE.length]}`, 'aria-hidden': 'true' }), se.name))));
}

export class Charts {
  constructor(container, ui) {
    this.ui = ui;
    this.container = container;
    this.category = select([['', 'Overall']], { id: 'chart-category' });
    this.category.addEventListener('change', () => ui.render());
    this.out = h('div', { class: 'charts' });
    fill(container,
      h('div', { class: 'toolbar' }, h('label', { for: 'chart-category', text: 'Reputation in' }), this.category,
        h('span', { class: 'muted', text: 'Sampled after every change; older samples merge as the run grows.' })),
      this.out);
    // Charts are drawn at their real width: redraw (through the page, with fresh data) when it changes.
    new ResizeObserver(() => {
      if (this.out.clientWidth !== this.width) ui.render();
    }).observe(this.out);
  }

  render(ctx) {
    this.width = this.out.clientWidth;
    if (!this.width) return;
    const series = ctx.session.series;
    const cats = ['', ...ctx.market.categories()];
    if ([...this.category.options].map((o) => o.value).join('|') !== cats.join('|')) {
      const chosen = this.category.value;
      fill(this.category, cats.map((c) => h('option', { value: c, text: c || 'Overall' })));
      this.category.value = cats.includes(chosen) ? chosen : '';
    }
    if (series.rep.length < 1) {
      fill(this.out, h('p', { class: 'muted', text: 'No samples yet: act, advance the clock or run the autopilot.' }));
      return;
    }
    const width = Math.min(this.width, 900);
    fill(this.out, this.reputation(series, ctx, width), this.activity(series, width), this.fees(series, width));
  }

  reputation(series, ctx, width) {
    const key = this.category.value;
    const latest = series.rep.at(-1).v[key] ?? {};
    const agents = Object.entries(latest).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([id]) => id);
    const lines = agents.map((id) => ({
      name: ctx.names.agents[id]?.name ?? `agent #${id}`,
      points: series.rep.filter((p) => p.v[key]?.[id] !== undefined).map((p) => [p.t, p.v[key][id]]),
    }));
    if (!lines.length) return h('p', { class: 'muted', text: 'No reputation to chart in this category yet.' });
    return lineChart({
      title: `Reputation over time (posterior mean), ${key || 'overall'}: the best ${lines.length} agents now`,
      series: lines, width, yMin: 0, yMax: 1,
      summary: lines.map((l) => `${l.name} ends at ${l.points.at(-1)[1].toFixed(3)}`).join('; '),
    });
  }

  activity(series, width) {
    const shown = ['TaskPosted', 'TaskClaimed', 'TaskSettled', 'VerificationFailed'].filter((k) => ACTIVITY.includes(k));
    const totals = Object.fromEntries(shown.map((k) => [k, 0]));
    const lines = shown.map((k) => ({ name: k, points: [] }));
    for (const p of series.activity) {
      shown.forEach((k, i) => {
        totals[k] += p[k];
        lines[i].points.push([p.t, totals[k]]);
      });
    }
    return lineChart({
      title: 'Market activity: events since the series began (cumulative)',
      series: lines, width, yMin: 0, yFormat: (y) => String(Math.round(y)),
      summary: shown.map((k) => `${k} ${totals[k]}`).join('; '),
    });
  }

  fees(series, width) {
    const points = series.activity.map((p) => [p.t, p.fees]);
    return lineChart({
      title: 'Platform fees collected (credits)', width, height: 160, yMin: 0,
      series: [{ name: 'Fees collected', points }], yFormat: (y) => money(Math.round(y)),
      summary: `now ${money(points.at(-1)[1])}`,
    });
  }
}
