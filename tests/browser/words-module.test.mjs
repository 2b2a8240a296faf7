// words.js and score-words.js without a browser: every engine name the package declares (each
// TaskStatus state, Command type and EventKind type in gigmarket.d.ts) has plain words, so a
// newer engine's name cannot reach the page unnoticed; the outcome sentence and a refusal name
// the command as its button does; the score sentences say only what the explanation holds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  stateLabel, commandLabel, eventLabel, verdictLabel, reviewRouteLabel, claimRouteLabel, tierLabel, outcomeText, checkLabel,
} from '../../web-demo/js/words.js';
import { scoreSentences, changeSentence } from '../../web-demo/js/score-words.js';
import { describeRefusal } from '../../web-demo/js/refusals.js';

const DTS = fs.readFileSync(path.resolve(import.meta.dirname, '../../wasm/pkg/market/gigmarket.d.ts'), 'utf8');

/** The string literals of `key: "..."` inside one exported union of the d.ts. */
function unionNames(typeName, key) {
  const start = DTS.indexOf(`export type ${typeName} =`);
  assert.ok(start >= 0, `${typeName} is in the d.ts`);
  const end = DTS.indexOf('\nexport ', start + 1);
  return [...DTS.slice(start, end).matchAll(new RegExp(`\\b${key}: "([A-Za-z_]+)"`, 'g'))].map((m) => m[1]);
}

/** Engine-speak: an identifier in CamelCase ("InputRequired") or snake_case ("top_rated"). */
const ENGINE_WORD = /[a-z][A-Z]|_/;

test('the d.ts unions are read (the lists below are not empty by accident)', () => {
  assert.ok(unionNames('TaskStatus', 'state').length >= 9);
  assert.ok(unionNames('Command', 'type').length >= 25);
  assert.ok(unionNames('EventKind', 'type').length >= 35);
});

test('every TaskStatus state has a label, with the names the board relies on', () => {
  for (const state of unionNames('TaskStatus', 'state')) {
    assert.doesNotMatch(stateLabel(state), ENGINE_WORD, `${state} reads as plain words`);
  }
  assert.deepEqual(
    ['Open', 'Claimed', 'InputRequired', 'UnderReview', 'Disputed', 'Settled', 'Cancelled', 'Expired'].map(stateLabel),
    ['Open', 'In progress', 'Needs input', 'In review', 'Disputed', 'Paid', 'Cancelled', 'Expired'],
  );
  assert.equal(stateLabel('Rejected'), 'Rejected');
  assert.equal(stateLabel('SomeNewState'), 'SomeNewState', 'an unknown state reads as itself');
});

test('every Command type has a label; the everyday ones read as a marketplace says them', () => {
  for (const type of unionNames('Command', 'type')) {
    assert.doesNotMatch(commandLabel(type), ENGINE_WORD, `${type} reads as plain words`);
  }
  assert.equal(commandLabel('ClaimTask'), 'Claim');
  assert.equal(commandLabel('PlaceBid'), 'Bid');
  assert.equal(commandLabel('SubmitWork'), 'Hand in work');
  assert.equal(commandLabel('AskClarification'), 'Ask a question');
  assert.equal(commandLabel('Tick'), 'Tick', 'an unknown command reads as itself');
});

test('every kind of acceptance check has a label (the post-task form offers them)', () => {
  const kinds = unionNames('Check', 'type');
  assert.ok(kinds.length >= 4);
  for (const type of kinds) {
    assert.notEqual(checkLabel(type), type, `${type} has plain words`);
    assert.doesNotMatch(checkLabel(type), ENGINE_WORD, `${type} reads as plain words`);
  }
});

test('every EventKind type has a label', () => {
  for (const type of unionNames('EventKind', 'type')) {
    assert.doesNotMatch(eventLabel(type), ENGINE_WORD, `${type} reads as plain words`);
  }
  assert.equal(eventLabel('TaskSettled'), 'Payment');
  assert.equal(eventLabel('VerificationFailed'), 'Checks failed');
});

test('verdicts, routes and tiers read as words', () => {
  const verdicts = ['accepted', 'auto_accepted', 'rejected', 'dispute_paid', 'dispute_refunded', 'dispute_split'];
  for (const v of verdicts) assert.doesNotMatch(verdictLabel(v), ENGINE_WORD, v);
  for (const r of ['client', 'human_low_confidence', 'human_sampled', 'operator']) assert.doesNotMatch(reviewRouteLabel(r), ENGINE_WORD, r);
  for (const r of ['claim', 'arbitration', 'award', 'auto_award', 'assignment']) assert.doesNotMatch(claimRouteLabel(r), ENGINE_WORD, r);
  assert.equal(tierLabel('top_rated'), 'Top rated');
});

test('outcomeText names the command as its button does, and a failed check with its reason', () => {
  assert.equal(outcomeText('ClaimTask', [{ type: 'TaskClaimed', task: 1 }]), 'Claim done: task claimed.');
  assert.equal(outcomeText('Deposit', [{ type: 'RequestRecorded' }, { type: 'FundsDeposited' }]), 'Deposit done: deposit.');
  const failed = outcomeText('SubmitWork', [
    { type: 'WorkSubmitted', task: 1 },
    { type: 'VerificationFailed', task: 1, failed: [{ criterion: 'total-positive', reason: 'total -5 is below 0' }] },
  ]);
  assert.match(failed, /^Hand in work done, but the work failed its checks \(total-positive: total -5 is below 0\)/);
  assert.doesNotMatch(outcomeText('SubmitWork', [{ type: 'WorkSubmitted' }, { type: 'VerificationPassed' }]), ENGINE_WORD);
});

test('a refusal names the command as its button does', () => {
  const err = { code: 'not_eligible', message: 'skill invoice-extraction 1 below 3', details: {} };
  assert.equal(describeRefusal('ClaimTask', err), 'Claim refused: skill invoice-extraction 1 below 3');
  assert.match(describeRefusal('Autopilot step', err), /^Autopilot step refused/);
});

const names = { client: (id) => `Acme (client #${id})`, agent: (id) => `bot (agent #${id})` };
const dimension = (name, weight, mean, evidence) => ({
  dimension: name, weight, mean, std_dev: 0.1, evidence, prior_mean: 0.5, half_life_ms: 1, decayed_share: 0,
});

test('a rating by a client with little history reads as counted lightly, with the engine\'s weight', () => {
  const change = {
    at: 0, task: 7, category: 0, cause: { type: 'Rated', client: 0, stars: 5 }, before: 0.5, after: 0.512,
    factors: [{ name: 'rater_establishment', value: 0.1 }, { name: 'repeat_damping', value: 1 },
      { name: 'clipped_by', value: 0 }, { name: 'capped_at_share', value: 0 }, { name: 'weight', value: 0.12 }],
  };
  assert.equal(changeSentence(change, names),
    'Rated 5 stars on task #7 by Acme (client #0), a client with little history: counted lightly (weight 0.12); score up from 0.500 to 0.512.');
  const capped = { ...change, factors: [{ name: 'capped_at_share', value: 1 }, { name: 'weight', value: 0 }], after: 0.5 };
  assert.match(changeSentence(capped, names), /not counted, as this client already supplies .* one client may; score barely moved \(0\.500\)\.$/);
  // Work the market did not choose (no ranking shortlisted the agent) counts for nothing.
  const unmatched = { ...change, factors: [...change.factors.slice(0, 4), { name: 'unmatched', value: 0 }, { name: 'weight', value: 0 }], after: 0.5 };
  assert.match(changeSentence(unmatched, names), /: not counted, as the market did not choose this agent for the task \(rank a task to shortlist its agents\); score barely moved/);
  const settled = { at: 0, task: 7, category: 0, cause: { type: 'Settled', verdict: 'accepted' }, before: 0.6, after: 0.55,
    factors: [{ name: 'unmatched', value: 0 }, { name: 'outcome_weight', value: 0 }] };
  assert.match(changeSentence(settled, names), /It does not count: the market did not choose this agent for the task/);
  // Accepted work that lowers a strong score says why; work that raises one does not need to.
  const acceptedDip = { at: 0, task: 8, category: 0, cause: { type: 'Settled', verdict: 'accepted' }, before: 0.918, after: 0.917,
    factors: [{ name: 'repeat_damping', value: 1 }, { name: 'outcome_weight', value: 0.99 }] };
  assert.match(changeSentence(acceptedDip, names), /accepted; score down from 0\.918 to 0\.917\. It counted fully \(weight 0\.99\)\. An acceptance counts as good, not top, quality/);
  assert.doesNotMatch(changeSentence({ ...acceptedDip, before: 0.6, after: 0.61 }, names), /good, not top/);
  assert.doesNotMatch(changeSentence({ ...acceptedDip, cause: { type: 'Settled', verdict: 'rejected' } }, names), /good, not top/);
  // A change detected in the agent's work: the sentence says the earlier record was set aside.
  const changed = { ...change, stars: 1, cause: { type: 'Rated', client: 0, stars: 1 }, before: 0.82, after: 0.61,
    factors: [...change.factors, { name: 'change_forgot', value: 1.84 }] };
  assert.match(changeSentence(changed, names),
    /score down from 0\.820 to 0\.610\. Its recent work here fell well below its earlier record, so that earlier record \(weight 1\.84\) was set aside/);
  assert.doesNotMatch(changeSentence(change, names), /set aside/);
  // A regular client's rating: the damping 1 / sqrt(1 + earlier) tells how often it rated before.
  const again = { ...change, factors: change.factors.map((f) => (f.name === 'repeat_damping' ? { ...f, value: 1 / Math.sqrt(4) } : f)) };
  assert.match(changeSentence(again, names), /by Acme \(client #0\), a client with little history, who had rated this agent 3 times before:/);
});

test('score sentences: the figure and its evidence, the cautious figure, strengths, the latest change', () => {
  const x = {
    agent: 0, category: 0, score: { mean: 0.71, lower: 0.52, evidence: 3.2 }, lower_bound_z: 1,
    dimensions: [dimension('accuracy', 0.15, 0.9, 3), dimension('quality', 0.65, 0.6, 3), dimension('speed', 0.1, 0.8, 3)],
    changes: [{ at: 0, task: 3, category: 0, cause: { type: 'Settled', verdict: 'accepted' }, before: 0.6, after: 0.71, factors: [{ name: 'outcome_weight', value: 0.8 }] }],
  };
  const s = scoreSentences(x, { agentName: 'bot (agent #0)', category: 'translation', tier: 'Rising', names });
  assert.equal(s.length, 4);
  assert.match(s[0], /^bot \(agent #0\) scores 0\.710 out of 1 in translation, on little evidence so far \(3\.2 in all: .*\)\. More tasks would make it surer\.$/);
  assert.match(s[1], /cautious reading, 0\.520, .*Tier: Rising\.$/);
  assert.equal(s[2], 'Strongest in accuracy (0.900), weakest in quality (0.600).');
  assert.equal(s[3], 'Latest: task #3 finished: accepted; score up from 0.600 to 0.710. It counted fully (weight 0.80).');
  for (const sentence of s) assert.doesNotMatch(sentence, ENGINE_WORD);

  const fresh = scoreSentences({ ...x, score: { mean: 0.5, lower: 0.3, evidence: 0 }, dimensions: x.dimensions.map((d) => ({ ...d, evidence: 0 })), changes: [] },
    { agentName: 'bot', category: 'translation', tier: 'New', names });
  assert.equal(fresh.length, 2, 'no strengths and no latest change without evidence');
  assert.match(fresh[0], /no evidence yet in this category/);
});
