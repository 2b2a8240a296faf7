// One line chart over simulated time, drawn by uPlot. Charts are a library's job (axes, ticks,
// legends, hover values, resizing); uPlot is MIT, ~50 KB minified, draws on a canvas and stays fast
// with thousands of points. It comes from web-demo/node_modules, which serve.sh installs from
// web-demo/package-lock.json.
//
// A chart is created once and then only fed: `update` calls setData (and swaps series only when
// the set of lines changes), `resize` calls setSize, so redrawing the tab never rebuilds the DOM.

import uPlot from '../node_modules/uplot/dist/uPlot.esm.js';
import { h } from './dom.js';
import { instant, TIME } from './format.js';

/** Distinguishable line colours (the Tableau 10 palette the demo used before). */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

/** Tick steps on the time axis: whole minutes, hours and days, so ticks read "Day 2 · 06:00". */
const TIME_STEPS = [1, 5, 10, 15, 30].map((m) => m * TIME.MINUTE)
  .concat([1, 2, 3, 6, 12].map((hours) => hours * TIME.HOUR))
  .concat([1, 2, 3, 7, 14, 28, 56, 112, 224].map((d) => d * TIME.DAY));
/** Room per time tick: "Day 12 · 06:00" is about 85 px wide at 12 px. */
const TIME_TICK_SPACE = 120;
/**
 * A y tick as few characters as it needs: thousands as "7.5k", so a wide axis (fees in the tens
 * of thousands) does not narrow the plot on a phone until only one time tick fits.
 */
const tickText = (v) => (Math.abs(v) >= 1000 ? `${+(v / 1000).toFixed(1)}k` : String(+v.toFixed(6)));
/** The rightmost time tick is centred on the plot's edge: half a label of room keeps it whole. */
const RIGHT_PADDING = 48;

const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const INK = '#1d2430';
const GRID = '#e3e7ed';

/** A y axis as wide as its longest tick label (uPlot's fixed 50 px clips "12,345"). */
function fitToLabels(self, values, axisIndex, cycle) {
  const axis = self.axes[axisIndex];
  if (cycle > 1) return axis._size;
  let size = axis.ticks.size + axis.gap;
  const longest = (values ?? []).reduce((a, v) => (String(v).length > a.length ? String(v) : a), '');
  if (longest) {
    self.ctx.font = axis.font[0];
    size += self.ctx.measureText(longest).width / devicePixelRatio;
  }
  return Math.ceil(size) + 2;
}

/** A line's options from `{ label, color, dash }`. */
function lineSeries({ label, color, dash }, yValue) {
  return { label, stroke: color, dash, width: 2, spanGaps: true, value: (_u, v) => (v == null ? '—' : yValue(v)) };
}

export class LineChart {
  /**
   * `yTitle`: the y axis's title. `yRange`: `[min, max]`, or omitted for 0..the data's maximum.
   * `yStep`: the smallest y tick step (1 for counts). `yValue`: a y value as the legend shows it.
   */
  constructor({ title, yTitle, yRange, yStep, yValue = (v) => String(v), height = 240 }) {
    this.yValue = yValue;
    this.height = height;
    this.labels = [];
    this.caption = h('figcaption', { text: title });
    this.summary = h('p', { class: 'visually-hidden' });
    this.note = h('p', { class: 'muted chart-note', hidden: true });
    // Axis titles are page text, not canvas pixels: readable by screen readers and find-in-page,
    // and horizontal (the y title sits above its axis), so a phone needs no rotated text.
    this.yTitle = h('div', { class: 'axis-title axis-title-y', text: yTitle });
    this.xTitle = h('div', { class: 'axis-title axis-title-x', text: 'Simulated time' });
    this.plotBox = h('div', { class: 'chart-plot' });
    this.element = h('figure', { class: 'chart' }, this.caption, this.note, this.yTitle, this.plotBox, this.summary);
    // For the tests and the console: what is drawn on the canvas is only readable from here.
    this.element.lineChart = this;
    this.options = {
      width: 300,
      height,
      padding: [12, RIGHT_PADDING, 0, 0],
      scales: {
        x: { time: false },
        y: { range: yRange ? () => yRange : (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
      },
      series: [{ label: 'Simulated time', value: (_u, v) => (v == null ? '—' : instant(v)) }],
      axes: [
        {
          font: AXIS_FONT, stroke: INK, size: 30,
          space: TIME_TICK_SPACE, incrs: TIME_STEPS, values: (_u, ticks) => ticks.map((t) => instant(t)),
          grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 },
        },
        {
          font: AXIS_FONT, stroke: INK, size: fitToLabels, values: (_u, ticks) => ticks.map(tickText),
          incrs: yStep ? [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10_000].map((p) => m * p * yStep)).sort((a, b) => a - b) : undefined,
          grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 },
        },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    this.plot = null;
  }

  /**
   * Draw `lines` (`[{ label, color, dash? }]`) with `data` (`[times, ...one array per line]`, nulls for
   * gaps) at `width`. `summary`: the same content in words, for screen readers.
   */
  update({ lines, data, summary, width, empty }) {
    this.summary.textContent = summary;
    const blank = Boolean(empty);
    this.note.hidden = !blank;
    this.plotBox.hidden = blank;
    this.yTitle.hidden = blank;
    if (blank) {
      this.note.textContent = empty;
      return;
    }
    if (!this.plot) {
      this.options.series.push(...lines.map((l) => lineSeries(l, this.yValue)));
      this.plot = new uPlot({ ...this.options, width }, data, this.plotBox);
      // The x title goes between the plot and its legend, where a reader looks for it.
      this.plot.root.querySelector('.u-wrap').after(this.xTitle);
      this.labels = lines.map((l) => `${l.label}|${l.color}`);
      return;
    }
    this.setLines(lines);
    this.resize(width);
    this.plot.setData(data);
  }

  /** Swap the lines only when their labels or colours changed (the best agents change rarely). */
  setLines(lines) {
    const labels = lines.map((l) => `${l.label}|${l.color}`);
    if (labels.join('\n') === this.labels.join('\n')) return;
    for (let i = this.plot.series.length - 1; i >= 1; i -= 1) this.plot.delSeries(i);
    for (const l of lines) this.plot.addSeries(lineSeries(l, this.yValue));
    this.labels = labels;
  }

  /** The time axis's tick labels as drawn, with their left and right ends in canvas CSS pixels. */
  timeTicks() {
    const u = this.plot;
    if (!u) return [];
    const axis = u.axes[0];
    u.ctx.font = axis.font[0];
    return (axis._splits ?? []).map((t, i) => {
      const text = axis._values[i];
      const centre = u.valToPos(t, 'x') + u.bbox.left / devicePixelRatio;
      const half = u.ctx.measureText(text).width / devicePixelRatio / 2;
      return { text, left: centre - half, right: centre + half };
    });
  }

  resize(width) {
    if (this.plot && width > 0 && width !== this.plot.width) this.plot.setSize({ width, height: this.height });
  }
}
