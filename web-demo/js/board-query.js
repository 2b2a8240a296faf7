// Which tasks the board lists, and in which order: the toolbar's filters over the frame's task
// views. Plain data in, plain data out, one pass over the views per frame. Eligibility is the
// only engine call, so it is asked last, for open tasks that passed every cheaper filter, and
// only while "I can take it" is on.

import { TIME, toMinor } from './format.js';

/** The TaskStatus states a task rests in (Submitted lasts only inside one SubmitWork). */
export const STATES = ['Open', 'Claimed', 'InputRequired', 'UnderReview', 'Rejected', 'Disputed', 'Settled', 'Cancelled', 'Expired'];
export const PAGE_SIZE = 25;

/** "Due within": how far ahead of the clock a task's next deadline may be. */
export const DUE_WITHIN = { hour: TIME.HOUR, day: TIME.DAY };

/** Orders, each a comparator; ties fall back to the newest task first. */
const newestFirst = (a, b) => b.posted_at - a.posted_at || b.id - a.id;
export const SORTS = {
  newest: newestFirst,
  reward: (a, b) => rewardOf(b) - rewardOf(a) || newestFirst(a, b),
  // Tasks without a deadline (finished ones) go last.
  deadline: (a, b) => (a.deadline ?? Infinity) - (b.deadline ?? Infinity) || newestFirst(a, b),
};

export function defaultFilters() {
  return { query: '', state: '', category: '', minReward: '', maxReward: '', due: 'any', mine: false, canTake: false };
}

/** Whether any filter narrows the list (the state chips count as filters too). */
export function isFiltered(filters) {
  const plain = defaultFilters();
  return Object.keys(plain).some((k) => (typeof plain[k] === 'string' ? String(filters[k]).trim() : filters[k]) !== plain[k]);
}

/** What the task pays, in minor units: the agreed price once held, else the reward or the bid ceiling. */
export function rewardOf(v) {
  if (v.price !== null) return v.price;
  return v.spec.pricing.type === 'Fixed' ? v.spec.pricing.reward : v.spec.pricing.ceiling;
}

/** The task is the actor's own: posted by the client, held or bid on by the agent, to review. */
export function isMine(v, actor) {
  if (!actor || actor.type === 'Operator') return true;
  if (actor.type === 'Client') return v.client === actor.id;
  if (actor.type === 'Agent') return v.holder === actor.id || v.bids.some((b) => b.agent === actor.id);
  return v.state === 'UnderReview' && v.submission !== null;
}

/**
 * The search box: `#12` finds task 12 only; other text matches the title, the category and the
 * names of the client and the holder (case-insensitive), and a bare number also the task's id.
 */
function searchTest(text, names) {
  const q = text.trim().toLowerCase();
  if (!q) return null;
  const byId = /^#\s*(\d+)$/.exec(q);
  if (byId) {
    const id = Number(byId[1]);
    return (v) => v.id === id;
  }
  const id = /^\d+$/.test(q) ? Number(q) : null;
  const clientName = (v) => names.clients[v.client]?.name ?? '';
  const holderName = (v) => (v.holder === null ? '' : names.agents[v.holder]?.name ?? '');
  return (v) => v.id === id
    || v.spec.title.toLowerCase().includes(q)
    || v.spec.category.toLowerCase().includes(q)
    || clientName(v).toLowerCase().includes(q)
    || holderName(v).toLowerCase().includes(q);
}

/** Credits typed in a reward box → minor units, or null when empty or not a number. */
function rewardBound(text) {
  if (String(text).trim() === '') return null;
  const minor = toMinor(text);
  return Number.isFinite(minor) ? minor : null;
}

/**
 * The tasks matching `filters`, sorted by `sort`, and the count per state of the tasks matching
 * every filter except the state (the numbers on the state chips). `canTake(taskId)` answers
 * "may the acting agent take this open task"; it is called only when that filter is on.
 */
export function selectTasks(views, filters, sort, { actor, names, now, canTake }) {
  const search = searchTest(filters.query, names);
  const category = filters.category;
  const min = rewardBound(filters.minReward);
  const max = rewardBound(filters.maxReward);
  const dueBy = DUE_WITHIN[filters.due] === undefined ? null : now + DUE_WITHIN[filters.due];
  const mine = filters.mine && actor && actor.type !== 'Operator';
  const takeable = filters.canTake && actor?.type === 'Agent';

  const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
  let total = 0;
  const matching = [];
  for (const v of views) {
    if (category && v.spec.category !== category) continue;
    if (dueBy !== null && (v.deadline === null || v.deadline > dueBy)) continue;
    if (min !== null || max !== null) {
      const reward = rewardOf(v);
      if ((min !== null && reward < min) || (max !== null && reward > max)) continue;
    }
    if (mine && !isMine(v, actor)) continue;
    if (search && !search(v)) continue;
    if (takeable && (v.state !== 'Open' || !canTake(v.id))) continue;
    counts[v.state] = (counts[v.state] ?? 0) + 1;
    total += 1;
    if (!filters.state || v.state === filters.state) matching.push(v);
  }
  matching.sort(SORTS[sort] ?? SORTS.newest);
  return { matching, counts, total };
}
