// A reputation score in plain sentences, built only from what `market.explainScore` returns
// (ScoreExplanation): how high it is and how sure, what a cautious reading is, where the agent is
// strong or weak, and what moved it last ("Rated 5 stars by a client with little history: counted
// lightly (weight 0.12)."). The factor tables stay behind a "details" toggle (score-dialog.js);
// these sentences lead, so a client or an agent understands the score without the maths.

import { score } from './format.js';
import { verdictLabel } from './words.js';

/** Below this much decayed evidence a score still leans on its starting estimate. */
const LITTLE_EVIDENCE = 5;

const factor = (c, name) => c.factors.find((f) => f.name === name)?.value;
const num = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** How much a weight in [0, 1] counts, in words. */
function howMuch(weight) {
  if (weight < 0.25) return 'counted lightly';
  if (weight < 0.6) return 'counted in part';
  return 'counted fully';
}

/** A client's establishment as its rating's weight reads it, in [0, 1] (its spending history; 1 past the
 * engine's `full_weight_spend`), in words. */
function history(establishment) {
  if (establishment < 0.3) return 'a client with little history';
  if (establishment < 0.7) return 'a client with some history';
  return 'an established client';
}

// Changes are often tiny: one that rounds to the same figure says so rather than "up from 0.743 to 0.743".
const move = (c) => (score(c.after) === score(c.before) ? `score barely moved (${score(c.after)})`
  : `score ${c.after > c.before ? 'up' : 'down'} from ${score(c.before)} to ${score(c.after)}`);

/** Earlier ratings of this agent by the same client, from the rating's damping 1 / sqrt(1 + earlier) (REPUTATION.md). */
function earlier(c) {
  const damping = factor(c, 'repeat_damping');
  return damping > 0 && damping < 1 ? Math.round(1 / (damping * damping) - 1) : 0;
}

/** What change detection forgot with this change, as a sentence (REPUTATION.md, "Change detection"). */
function forgotten(c) {
  const weight = factor(c, 'change_forgot');
  return weight === undefined ? ''
    : ` Its recent work here fell well below its earlier record, so that earlier record (weight ${num(weight)}) was set aside: the score now follows what it does now.`;
}

/**
 * Why accepted work can lower a score: the reviewer's verdict is a quality observation of its own,
 * 0.75 of 1 for work accepted as delivered (REPUTATION.md, the quality dimension), below a strong
 * record, and the client's stars come as a separate change. Without this, "accepted; score down"
 * reads as a fault.
 */
function dip(c) {
  const accepted = c.cause.verdict === 'accepted' || c.cause.verdict === 'auto_accepted';
  return accepted && Number(score(c.after)) < Number(score(c.before)) && factor(c, 'change_forgot') === undefined
    ? ' An acceptance counts as good, not top, quality (the client\'s rating says how good), so a strong record dips here.'
    : '';
}

/** One ScoreChange as a sentence; `names` resolves clients. */
export function changeSentence(c, names) {
  const cause = c.cause;
  const task = c.task === null ? '' : ` on task #${c.task}`;
  switch (cause?.type) {
    case 'Rated': {
      const weight = factor(c, 'weight');
      const establishment = factor(c, 'rater_establishment');
      const repeats = earlier(c);
      const who = [names.client(cause.client),
        establishment === undefined ? null : history(establishment),
        repeats ? `who had rated this agent ${repeats} time${repeats === 1 ? '' : 's'} before` : null].filter(Boolean).join(', ');
      let counted = '';
      if (factor(c, 'unmatched') === 0) counted = ': not counted, as the market did not choose this agent for the task (rank a task to shortlist its agents)';
      else if (factor(c, 'capped_at_share') > 0) counted = ': not counted, as this client already supplies as much of the agent\'s rating evidence as one client may';
      else if (weight !== undefined) counted = `: ${howMuch(weight)} (weight ${num(weight)})`;
      const clipped = factor(c, 'clipped_by') > 0 ? '; pulled toward the agent\'s usual rating, as this client\'s ratings often disagree with results' : '';
      return `Rated ${cause.stars} star${cause.stars === 1 ? '' : 's'}${task} by ${who}${counted}${clipped}; ${move(c)}.${forgotten(c)}`;
    }
    case 'RatingIgnored':
      return `A rating${task} by ${names.client(cause.client)} was ignored: the client and the agent share an owner.`;
    case 'Settled': {
      const weight = factor(c, 'outcome_weight');
      // REPUTATION.md gives the rating's damping formula, not the outcome's: no count here.
      const damping = factor(c, 'repeat_damping');
      const again = damping !== undefined && damping < 1 ? ', damped as repeat work for the same client' : '';
      const unmatched = factor(c, 'unmatched') === 0;
      const counted = unmatched ? ' It does not count: the market did not choose this agent for the task (rank a task to shortlist its agents).'
        : weight === undefined ? '' : ` It ${howMuch(weight)} (weight ${num(weight)})${again}.`;
      return `Task${task.replace(' on task', '')} finished: ${verdictLabel(cause.verdict)}; ${move(c)}.${counted}${dip(c)}${forgotten(c)}`;
    }
    case 'Abandoned':
      return `Work${task} was not handed in on time; ${move(c)}.`;
    default:
      return `${move(c)[0].toUpperCase()}${move(c).slice(1)}.`;
  }
}

/**
 * Two to four sentences about `x` (a ScoreExplanation): `{ agentName, category, tier }` name
 * the agent, the category and its tier as the page shows them.
 */
export function scoreSentences(x, { agentName, category, tier, names }) {
  const s = x.score;
  const out = [];
  if (s.evidence < 0.05) {
    out.push(`${agentName} scores ${score(s.mean)} out of 1 in ${category}, with no evidence yet in this category: `
      + 'a starting estimate drawn from its work elsewhere and from what agents new to the category delivered on their first task. Its first tasks here will move it most.');
  } else {
    const how = s.evidence < LITTLE_EVIDENCE ? 'little evidence so far' : 'a solid amount of evidence';
    out.push(`${agentName} scores ${score(s.mean)} out of 1 in ${category}, on ${how} (${s.evidence.toFixed(1)} in all: `
      + `each settled task and rating adds its weight, and older ones fade).${s.evidence < LITTLE_EVIDENCE ? ' More tasks would make it surer.' : ''}`);
  }
  out.push(`For minimum-reputation gates and tiers the market uses a cautious reading, ${score(s.lower)}, which rises as evidence grows. `
    + `Tier: ${tier}.`);
  const rated = x.dimensions.filter((d) => d.weight > 0 && d.evidence > 0);
  if (rated.length >= 2) {
    const sorted = [...rated].sort((a, b) => b.mean - a.mean);
    const best = sorted[0];
    const worst = sorted.at(-1);
    if (best.mean !== worst.mean) out.push(`Strongest in ${best.dimension} (${score(best.mean)}), weakest in ${worst.dimension} (${score(worst.mean)}).`);
  }
  const last = x.changes.at(-1);
  if (last) out.push(`Latest: ${lowerFirst(changeSentence(last, names))}`);
  return out;
}

const lowerFirst = (text) => (/^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text);
