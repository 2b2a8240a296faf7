// How engine values read on screen. Amounts are integer minor units in the engine; the demo shows
// them as credits with two decimals and converts form input back to integers, so no float ever
// reaches the engine as money.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const TIME = { MINUTE, HOUR, DAY };

// One formatter for every amount: `toLocaleString` builds a new one per call, which was a tenth
// of a 5,000-task frame.
const THOUSANDS = new Intl.NumberFormat('en-US');

/** Minor units → "12.34". */
export function money(minor) {
  if (minor === null || minor === undefined) return '—';
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = THOUSANDS.format(Math.floor(abs / 100));
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** Credits typed in a form ("12.5") → minor units (1250), or NaN. */
export function toMinor(text) {
  const n = Number(text);
  return Number.isFinite(n) ? Math.round(n * 100) : NaN;
}

/** A simulated instant → "Day 3 · 14:20" (day 1 starts at 0 ms). */
export function instant(ms) {
  if (ms === null || ms === undefined) return '—';
  const day = Math.floor(ms / DAY) + 1;
  const rest = ms % DAY;
  const hh = String(Math.floor(rest / HOUR)).padStart(2, '0');
  const mm = String(Math.floor((rest % HOUR) / MINUTE)).padStart(2, '0');
  return `Day ${day} · ${hh}:${mm}`;
}

/** A duration → "2d 3h", "3h 20m", "45m", "30s". */
export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  const abs = Math.abs(ms);
  if (abs < MINUTE) return `${Math.round(abs / 1000)}s`;
  const d = Math.floor(abs / DAY);
  const hr = Math.floor((abs % DAY) / HOUR);
  const m = Math.floor((abs % HOUR) / MINUTE);
  if (d) return hr ? `${d}d ${hr}h` : `${d}d`;
  if (hr) return m ? `${hr}h ${m}m` : `${hr}h`;
  return `${m}m`;
}

/** An instant relative to now: "in 3h", "2h ago". */
export function relative(ms, now) {
  if (ms === null || ms === undefined) return '—';
  return ms >= now ? `in ${duration(ms - now)}` : `${duration(now - ms)} ago`;
}

/** Basis points → "85 %". */
export function bps(value) {
  return value === null || value === undefined ? '—' : `${+(value / 100).toFixed(2)} %`;
}

/** A share in [0, 1] → "42.0 %". */
export function share(x) {
  return `${(x * 100).toFixed(1)} %`;
}

/** A score in [0, 1] → "0.742". */
export function score(x) {
  return Number.isFinite(x) ? x.toFixed(3) : '—';
}

/** An actor as a short label, with names where the market knows them. */
export function actorLabel(actor, names) {
  if (!actor) return 'nobody';
  switch (actor.type) {
    case 'Client': return names.client(actor.id);
    case 'Agent': return names.agent(actor.id);
    case 'Reviewer': return names.reviewer(actor.id);
    default: return 'operator';
  }
}

/** Names of parties by id, read once per render from the market. */
export function namesOf(market) {
  const clients = market.clients();
  const agents = market.agents();
  const reviewers = market.reviewers();
  const label = (list, prefix) => (id) => (list[id] ? `${list[id].name} (${prefix}${id})` : `${prefix}${id}`);
  return {
    clients, agents, reviewers,
    client: label(clients, 'client #'),
    agent: label(agents, 'agent #'),
    reviewer: label(reviewers, 'reviewer #'),
  };
}
