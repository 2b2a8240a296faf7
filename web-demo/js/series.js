// The chart data: the engine keeps state, not history, so the page samples what it wants to draw
// after every change. Samples are bounded: when the buffer fills, neighbouring samples merge in
// pairs, so the charts always cover the whole run at a coarser grain instead of forgetting its
// beginning.

export const MAX_SAMPLES = 240;
/** Agents kept per leaderboard in each sample (the best ones at that moment). */
const AGENTS_PER_BOARD = 10;
/** Agents read per category before keeping those that offer its skill. */
const CANDIDATES = 100;
/** Event kinds counted for the market-activity chart. */
export const ACTIVITY = ['TaskPosted', 'TaskClaimed', 'TaskSettled', 'VerificationFailed', 'WorkRejected', 'TaskExpired'];

export function emptySeries() {
  return { rep: [], activity: [] };
}

/** Whether a stored value looks like series this page wrote. */
export function validSeries(s) {
  return s && Array.isArray(s.rep) && Array.isArray(s.activity);
}

const round = (x) => Math.round(x * 10_000) / 10_000;

function boards(market) {
  const out = {};
  const take = (key, rows) => {
    out[key] = Object.fromEntries(rows.map((r) => [r.agent, round(r.score.mean)]));
  };
  take('', market.leaderboard(null, AGENTS_PER_BOARD));
  // A category's lines are the agents that offer its skill: the engine ranks every agent (the
  // others by their prior), but "the best document verifiers" should not list an analyst.
  const skills = new Map(market.agents().map((a) => [a.id, new Set(a.skills.map((s) => s.name))]));
  for (const category of market.categories()) {
    const offered = market.leaderboard(category, CANDIDATES).filter((r) => skills.get(r.agent)?.has(category));
    take(category, offered.slice(0, AGENTS_PER_BOARD));
  }
  return out;
}

/** Record one sample at `now` after `events` happened. Mutates `series`. */
export function sample(series, market, now, events) {
  const counts = Object.fromEntries(ACTIVITY.map((k) => [k, 0]));
  for (const e of events) if (e.type in counts) counts[e.type] += 1;
  const rep = { t: now, v: boards(market) };
  const act = { t: now, ...counts, fees: market.platformBalance };
  const lastAct = series.activity.at(-1);
  if (lastAct && lastAct.t === now) {
    // Several commands at one instant make one sample.
    for (const k of ACTIVITY) lastAct[k] += counts[k];
    lastAct.fees = act.fees;
    series.rep[series.rep.length - 1] = rep;
  } else {
    series.activity.push(act);
    series.rep.push(rep);
  }
  if (series.activity.length > MAX_SAMPLES) halve(series);
}

function halve(series) {
  const merge = (list, combine) => {
    const out = [];
    for (let i = 0; i < list.length; i += 2) out.push(i + 1 < list.length ? combine(list[i], list[i + 1]) : list[i]);
    return out;
  };
  series.activity = merge(series.activity, (a, b) => {
    const m = { ...b };
    for (const k of ACTIVITY) m[k] = a[k] + b[k];
    return m;
  });
  series.rep = merge(series.rep, (_a, b) => b);
}
