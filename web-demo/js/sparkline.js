// An agent's reputation over time as a small inline SVG line, from the page's chart samples
// (`session.series.rep`: per sample, per board, the top agents' means). Kept apart so it can move
// to the chart module (uPlot) later. Samples where the agent was not in the board's top ten
// leave a gap: the page did not record its score then.

const NS = 'http://www.w3.org/2000/svg';

/** `[{ t, v }]` for `agent` on board `board` ('' is overall); v is null where not sampled. */
export function reputationPoints(series, board, agent) {
  return (series?.rep ?? []).map((s) => ({ t: s.t, v: s.v?.[board]?.[agent] ?? null }));
}

/** An SVG sparkline of `points` (values in [0, 1]), or null when fewer than two were sampled. */
export function reputationSparkline(points, { width = 160, height = 36, label = 'Reputation over time' } = {}) {
  const known = points.filter((p) => p.v !== null);
  if (known.length < 2) return null;
  const t0 = points[0].t;
  const span = Math.max(1, points.at(-1).t - t0);
  const x = (t) => (((t - t0) / span) * (width - 4) + 2).toFixed(1);
  const y = (v) => ((1 - v) * (height - 4) + 2).toFixed(1);
  // One path with a move-to after each gap, so unsampled stretches stay empty.
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p.v === null) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${x(p.t)} ${y(p.v)} `;
    pen = true;
  }
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'sparkline');
  const first = known[0].v;
  const last = known.at(-1).v;
  const title = document.createElementNS(NS, 'title');
  title.textContent = `${label}: ${first.toFixed(3)} → ${last.toFixed(3)} over ${known.length} samples`;
  svg.setAttribute('aria-label', title.textContent);
  svg.append(title);
  const mid = document.createElementNS(NS, 'line');
  for (const [k, v] of Object.entries({ x1: 0, x2: width, y1: y(0.5), y2: y(0.5), class: 'spark-mid' })) mid.setAttribute(k, String(v));
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', d.trim());
  path.setAttribute('class', 'spark-line');
  const dot = document.createElementNS(NS, 'circle');
  for (const [k, v] of Object.entries({ cx: x(known.at(-1).t), cy: y(last), r: 2.5, class: 'spark-dot' })) dot.setAttribute(k, String(v));
  svg.append(mid, path, dot);
  return svg;
}
