//! Change detection: forgetting a record that no longer describes the agent.
//!
//! Evidence halves every 90 days, so within weeks a good record stays whole after the agent behind
//! it got worse (a model update gone wrong): a drifted agent kept its place for tens of tasks
//! (MATRIX.md, "Drift"). Forgetting faster for everyone costs every stable agent precision. This
//! forgets only on evidence of a change, as a CUSUM-style test does: it follows the *run*, the
//! observations since the agent last did as well as its record before them, and when the run is
//! significantly worse than that earlier record, the earlier record is dropped and the run is
//! the record.
//!
//! Invariants:
//! - the run is part of the evidence (`run_pos <= pos`, `run_neg <= neg`, up to rounding), and
//!   decays with it;
//! - a change is declared only on a run of at least `change_min_run` effective observations
//!   (Kish: (Σw)² / Σw², so the weights' scale does not matter and one heavy observation among
//!   light ones counts about once; and no more than the run's weight over a typical weight of the
//!   record's, the lesser of its latest observations' and its weight-weighted mean weight, so that
//!   weightless raters cannot wipe a record built by the clients the agent works for) whose mean
//!   lies more than `change_z` standard errors below the earlier record's (Agresti and Caffo's
//!   test of two proportions, one good and one bad observation added to each side; each side's
//!   variance is its observations' own spread (`squared_values`), never above the Bernoulli
//!   bound, the most [0, 1] observations can vary and what a record from an older snapshot is
//!   read at: steady work that falls one grade is a change, honest noise rarely is);
//! - `squared_values <= pos` and `run_squared_values <= run_pos` (values lie in [0, 1]);
//! - forgetting never raises the posterior mean: an agent cannot reset a poor record to the prior
//!   by doing worse on purpose;
//! - the same test runs over each agent's work in all its categories at once ([`AgentWatch`]),
//!   and each category's part of that pooled run ([`RunShare`]) is part of the category's
//!   evidence; a change declared there leaves each category its part of the run, under the
//!   same guard, the posterior after it read under the prior that part and the other
//!   categories' parts make.

use super::evidence::{decay_factor, Evidence};
use crate::ids::Timestamp;
use serde::{Deserialize, Serialize};

/// How far below the earlier record, in its standard deviations (a Bernoulli bound), an
/// observation must lie to start a run, and the run's mean to keep it going: CUSUM's usual
/// reference value, half the one-standard-deviation shift it is meant to catch. Without it, noise
/// just under the record keeps one run going for most of a career and the change hides in it.
const SLACK: f64 = 0.5;

/// What change detection keeps beside one dimension's evidence: the current run, and the sum of
/// squared weights (for effective sample sizes). All of it decays with the evidence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeWatch {
    /// Weighted good observations in the run.
    pub run_pos: f64,
    /// Weighted bad observations in the run.
    pub run_neg: f64,
    /// Sum of the run's squared weights.
    pub run_squares: f64,
    /// Sum of all the evidence's squared weights.
    pub squares: f64,
    /// The weight of the record's latest observations outside a run (each moves it halfway): with
    /// the record's weight-weighted mean weight, whichever is less, what an observation in a run
    /// is measured against, so that light raters cannot outvote the ones the agent usually has. 0
    /// in older snapshots (then the weight-weighted mean weight alone).
    #[serde(default)]
    pub recent: f64,
    /// Sum of all the evidence's weighted squared values (Σ w·x²): with the mean, how much the
    /// agent's observations vary. 0 in older snapshots (then taken at its most, the weighted
    /// good observations, as for observations of 0 or 1).
    #[serde(default)]
    pub squared_values: f64,
    /// The same sum over the run.
    #[serde(default)]
    pub run_squared_values: f64,
}

/// Change detection over an agent's work in every category at once, for one watched dimension.
///
/// A model update gone wrong changes an agent everywhere at once, but its work spreads over
/// categories: the run in each is short, and a strong record in a category it rarely works in
/// keeps its overall score up. Pooled, the runs show the change within a few tasks; the evidence
/// here serves only that test (scores read each category's own).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentWatch {
    /// The agent's evidence on the dimension, summed over its categories as it arrived.
    pub evidence: Evidence,
    /// The run over that evidence.
    pub watch: ChangeWatch,
}

/// The part of an agent-wide run ([`AgentWatch`]) seen in one category: what that category's
/// record becomes when the agent-wide test declares a change. Decays with the category's evidence
/// and is as of its instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunShare {
    /// Weighted good observations.
    pub pos: f64,
    /// Weighted bad observations.
    pub neg: f64,
    /// Sum of their squared weights.
    pub squares: f64,
    /// Sum of their weighted squared values (Σ w·x²).
    #[serde(default)]
    pub squared_values: f64,
}

impl RunShare {
    /// Decay by `f`, then add the observation `x` with weight `w` if `joins`.
    pub(crate) fn step(&mut self, f: f64, (x, w): (f64, f64), joins: bool) {
        *self = RunShare {
            pos: self.pos * f,
            neg: self.neg * f,
            squares: self.squares * f * f,
            squared_values: self.squared_values * f,
        };
        if joins {
            self.pos += w * x;
            self.neg += w * (1.0 - x);
            self.squares += w * w;
            self.squared_values += w * x * x;
        }
    }
}

impl ChangeWatch {
    /// The open run (empty when none is).
    pub(crate) fn run(&self) -> RunShare {
        RunShare {
            pos: self.run_pos,
            neg: self.run_neg,
            squares: self.run_squares,
            squared_values: self.run_squared_values,
        }
    }

    /// Decayed by `f` (the factor of the evidence beside it, whose good observations weighed
    /// `pos` before it), with sums an older snapshot did not keep taken at their most.
    pub(crate) fn decayed(&self, f: f64, pos: f64) -> ChangeWatch {
        ChangeWatch {
            run_pos: self.run_pos * f,
            run_neg: self.run_neg * f,
            run_squares: self.run_squares * f * f,
            squares: self.squares * f * f,
            recent: self.recent * f,
            squared_values: known_squared_values(self.squared_values, pos) * f,
            run_squared_values: known_squared_values(self.run_squared_values, self.run_pos) * f,
        }
    }
}

/// The test's settings (from `ReputationConfig`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ChangeTest {
    /// Standard errors the run must lie below the earlier record (0 turns detection off).
    pub z: f64,
    /// Least effective observations in the run.
    pub min_run: f64,
}

/// Kish's effective sample size of weights summing to `sum` with squares summing to `squares`.
pub(crate) fn effective(sum: f64, squares: f64) -> f64 {
    if squares > 0.0 {
        sum * sum / squares
    } else {
        0.0
    }
}

/// A mean of `n` effective observations with one good and one bad added.
pub(crate) fn adjusted(mean: f64, n: f64) -> f64 {
    (mean * n + 1.0) / (n + 2.0)
}

/// The variance of `n` effective observations with mean `mean` and mean square `square`, with
/// the one good and one bad observation of [`adjusted`] added: the observations' own spread, so
/// that steady work shows a fall sooner than the most [0, 1] observations can vary, and never
/// zero, so that one slip after a perfect record is not significant. For observations of 0 or 1
/// (`square == mean`) it is the Bernoulli variance of the adjusted mean.
pub(crate) fn variance(mean: f64, square: f64, n: f64) -> f64 {
    let m = adjusted(mean, n);
    ((square * n + 1.0) / (n + 2.0) - m * m).max(0.0)
}

/// A sum of weighted squared values as kept, or where it was not kept (an older snapshot: 0 beside
/// good observations), its most: the good observations' weight itself.
fn known_squared_values(kept: f64, pos: f64) -> f64 {
    if kept > 0.0 {
        kept
    } else {
        pos
    }
}

/// What one observation did to a watched record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// It joined the record: no run is open.
    Outside,
    /// It joined the open run (perhaps starting it), with no change shown yet.
    Joined,
    /// It showed the agent back to its record: the run ended and joined the record.
    Ended,
    /// It joined the run, and the run now shows a change (see [`forget`]).
    Changed,
}

/// Decay `evidence` and `watch` to `now`, add the observation `x` with weight `w`, and run the
/// test: what the observation did, [`Step::Changed`] when the run now shows a change.
pub(crate) fn observe(
    evidence: &mut Evidence,
    watch: &mut ChangeWatch,
    (now, half_life): (Timestamp, u64),
    (x, w): (f64, f64),
    test: ChangeTest,
) -> Step {
    let f = decay_factor(now.saturating_sub(evidence.at), half_life);
    observe_decayed(evidence, watch, (now, f), (x, w), test)
}

/// [`observe`] with the decay factor `f` from the evidence's instant to `now` already worked out
/// (by a caller that decays other sums beside the evidence with it).
pub(crate) fn observe_decayed(
    evidence: &mut Evidence,
    watch: &mut ChangeWatch,
    (now, f): (Timestamp, f64),
    (x, w): (f64, f64),
    test: ChangeTest,
) -> Step {
    let (x, w) = (x.clamp(0.0, 1.0), w.max(0.0));
    *watch = watch.decayed(f, evidence.pos);
    let (squared_values, run_squared_values) = (watch.squared_values, watch.run_squared_values);
    watch.squares += w * w;
    watch.squared_values += w * x * x;
    // The record before the run (and before this observation), decayed with the same factor.
    let (old_pos, old_neg) = ((evidence.pos * f - watch.run_pos).max(0.0), (evidence.neg * f - watch.run_neg).max(0.0));
    evidence.add_decayed(f, now, x, w);
    let old_weight = old_pos + old_neg;
    let old_squares = (watch.squares - w * w - watch.run_squares).max(0.0);
    let old_square = (squared_values - run_squared_values).max(0.0) / old_weight.max(f64::MIN_POSITIVE);
    // An observation that joins the record and not a run.
    let outside = |watch: &mut ChangeWatch| {
        if w > 0.0 {
            watch.recent = if watch.recent > 0.0 { 0.5 * (watch.recent + w) } else { w };
        }
        Step::Outside
    };
    if test.z <= 0.0 || w == 0.0 || old_weight <= 0.0 {
        return outside(watch);
    }
    let old_mean = old_pos / old_weight;
    let empty_run = watch.run_pos + watch.run_neg <= 0.0;
    if empty_run && x >= old_mean {
        // The usual case, settled before any square root: no run, and no reason to start one.
        return outside(watch);
    }
    let old_n = effective(old_weight, old_squares);
    let old_variance = variance(old_mean, old_square, old_n);
    let slack = SLACK * libm::sqrt(old_variance);
    if empty_run && x >= old_mean - slack {
        return outside(watch);
    }
    watch.run_pos += w * x;
    watch.run_neg += w * (1.0 - x);
    watch.run_squares += w * w;
    watch.run_squared_values += w * x * x;
    let run_weight = watch.run_pos + watch.run_neg;
    let run_mean = watch.run_pos / run_weight;
    if run_mean >= old_mean - slack {
        // The agent is back to its record: the run ends and joins it.
        *watch = ChangeWatch {
            squares: watch.squares,
            recent: watch.recent,
            squared_values: watch.squared_values,
            ..ChangeWatch::default()
        };
        return Step::Ended;
    }
    if old_n <= 0.0 {
        return Step::Joined;
    }
    // The run counts as many observations as its weights are worth next to a typical one of the
    // record's, and no more than Kish's count: ratings from accounts with no standing cannot
    // outvote the clients the agent usually works for, however many of them there are. Typical
    // is the lesser of the record's latest weights and its weight-weighted mean weight (Σw² / Σw):
    // the latest alone are the last few observations before the run, often a new client's first
    // rating, several times what a regular client's repeat ratings weigh, and a run of those
    // then counted as one or two observations for eight tasks after a drift (MATRIX.md, "Drift:
    // repeat ratings").
    let typical =
        if watch.recent > 0.0 { watch.recent.min(old_squares / old_weight) } else { old_squares / old_weight };
    let run_n = effective(run_weight, watch.run_squares).min(run_weight / typical);
    // (With a little tolerance: three equal weights must count as three at any scale.)
    if run_n < test.min_run - 1e-9 {
        return Step::Joined;
    }
    // Agresti and Caffo's interval for a difference of proportions: each side's mean with one
    // good and one bad observation added, so that a perfect record (variance 0) does not make one
    // slip in a run of three significant.
    let (old_adjusted, run_adjusted) = (adjusted(old_mean, old_n), adjusted(run_mean, run_n));
    let run_variance = variance(run_mean, watch.run_squared_values / run_weight, run_n);
    let standard_error = libm::sqrt(old_variance / (old_n + 2.0) + run_variance / (run_n + 2.0));
    if old_adjusted - run_adjusted <= test.z * standard_error {
        return Step::Joined;
    }
    Step::Changed
}

/// After `observe` declared a change: drop the evidence before the run, unless that would raise
/// the posterior mean (prior mean `prior`, worth `prior_weight` observations). Returns the weight
/// forgotten. Apart from `observe` so that the prior, which takes a walk over the agent's other
/// categories, is worked out only when a change is declared.
pub(crate) fn forget(evidence: &mut Evidence, watch: &mut ChangeWatch, prior: f64, prior_weight: f64) -> Option<f64> {
    forget_to(evidence, watch, watch.run(), (prior, prior), prior_weight)
}

/// Drop the evidence beside `watch` except `kept` (a run within it: the category's own, or its
/// part of the agent-wide run), unless that would raise the posterior mean. `prior` is the prior
/// mean before and after forgetting (they differ when the same change forgets other categories'
/// records, which the prior pools), each worth `prior_weight` observations. The category's own
/// run ends. Returns the weight forgotten.
pub(crate) fn forget_to(
    evidence: &mut Evidence,
    watch: &mut ChangeWatch,
    kept: RunShare,
    (prior_before, prior_after): (f64, f64),
    prior_weight: f64,
) -> Option<f64> {
    let s = prior_weight;
    let before = (s * prior_before + evidence.pos) / (s + evidence.pos + evidence.neg);
    let after = (s * prior_after + kept.pos) / (s + kept.pos + kept.neg);
    if after >= before {
        return None;
    }
    Some(keep_only(evidence, watch, kept))
}

/// Make `kept` (a run within the evidence) the whole evidence, unguarded, and end the run. Returns
/// the weight dropped.
pub(crate) fn keep_only(evidence: &mut Evidence, watch: &mut ChangeWatch, kept: RunShare) -> f64 {
    let dropped = evidence.pos + evidence.neg - (kept.pos + kept.neg);
    evidence.pos = kept.pos.min(evidence.pos);
    evidence.neg = kept.neg.min(evidence.neg);
    *watch = ChangeWatch {
        squares: kept.squares.min(watch.squares),
        recent: watch.recent,
        squared_values: kept.squared_values.min(watch.squared_values).min(evidence.pos),
        ..ChangeWatch::default()
    };
    dropped.max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST: ChangeTest = ChangeTest { z: 1.64, min_run: 3.0 };
    const HALF_LIFE: u64 = 1_000_000;
    /// The prior the guard compares against: a mean of 0.6 worth 0.25 observations.
    const PRIOR: (f64, f64) = (0.6, 0.25);

    /// One observation as `Reputation::observe` makes it: the test, then the guarded forgetting.
    fn step(e: &mut Evidence, w: &mut ChangeWatch, (x, weight): (f64, f64), (prior, s): (f64, f64)) -> Option<f64> {
        (observe(e, w, (0, HALF_LIFE), (x, weight), TEST) == Step::Changed).then(|| forget(e, w, prior, s)).flatten()
    }

    fn feed(e: &mut Evidence, w: &mut ChangeWatch, xs: &[f64]) -> Vec<Option<f64>> {
        xs.iter().map(|&x| step(e, w, (x, 0.1), PRIOR)).collect()
    }

    #[test]
    fn a_sustained_fall_forgets_the_earlier_record() {
        let (mut e, mut w) = (Evidence::default(), ChangeWatch::default());
        feed(&mut e, &mut w, &[1.0, 0.75, 1.0, 1.0, 0.75, 1.0, 1.0, 1.0, 0.75, 1.0]);
        let fall = feed(&mut e, &mut w, &[0.0, 0.25, 0.0, 0.0, 0.25]);
        let at = fall.iter().position(Option::is_some).expect("a fall from 0.9 to 0.1 is detected");
        assert!(at >= 2, "not before the run has three observations: {fall:?}");
        // The ten earlier observations (weight 1.0) are what was forgotten.
        assert!((fall[at].unwrap() - 1.0).abs() < 1e-9, "{fall:?}");
        // What is left is the run alone: a mean of what the agent does now.
        assert!(e.pos / (e.pos + e.neg) < 0.3, "{e:?}");
    }

    #[test]
    fn steady_noise_is_not_a_change() {
        let (mut e, mut w) = (Evidence::default(), ChangeWatch::default());
        // An agent of steady 0.75 whose stars spread over three grades.
        let xs: Vec<f64> = (0..300).map(|i| [0.5, 0.75, 1.0, 0.75, 0.5, 1.0, 0.75][i % 7]).collect();
        assert!(feed(&mut e, &mut w, &xs).iter().all(Option::is_none));
    }

    #[test]
    fn one_bad_task_is_not_a_change() {
        let (mut e, mut w) = (Evidence::default(), ChangeWatch::default());
        feed(&mut e, &mut w, &[1.0; 20]);
        let mut after = vec![0.0];
        after.extend([1.0; 9]);
        assert!(feed(&mut e, &mut w, &after).iter().all(Option::is_none));
        assert_eq!(w.run_pos + w.run_neg, 0.0, "the run ended when the agent was back to its record");
    }

    #[test]
    fn one_heavy_rating_last_does_not_make_the_usual_raters_light() {
        // Thirty good observations at weight 0.1 (an agent's regular clients), then one at 0.6
        // (a new client's first rating), then the agent turns bad, rated by its regular clients.
        // Measured against the latest weights alone (0.35) the run would need eleven observations
        // to count as three; against the record's weight-weighted mean weight (0.18), six.
        let (mut e, mut w) = (Evidence::default(), ChangeWatch::default());
        let good: Vec<f64> = (0..30).map(|i| [1.0, 0.75, 1.0][i % 3]).collect();
        feed(&mut e, &mut w, &good);
        assert_eq!(step(&mut e, &mut w, (1.0, 0.6), PRIOR), None);
        let fall = feed(&mut e, &mut w, &[0.0; 12]);
        let at = fall.iter().position(Option::is_some).expect("the fall is detected");
        assert!((2..=5).contains(&at), "declared on bad observation {}: {fall:?}", at + 1);
    }

    #[test]
    fn light_raters_cannot_wipe_a_record_built_by_heavy_ones() {
        // Ten good observations at weight 0.1, then bottom marks at a hundredth of that: however
        // many, they are worth a tenth of an observation each and never make a run of three.
        let (mut e, mut w) = (Evidence::default(), ChangeWatch::default());
        feed(&mut e, &mut w, &[1.0, 0.75, 1.0, 1.0, 0.75, 1.0, 1.0, 1.0, 0.75, 1.0]);
        for _ in 0..25 {
            assert_eq!(step(&mut e, &mut w, (0.0, 0.001), PRIOR), None);
        }
        // The same marks at the record's weight are a change.
        assert!(feed(&mut e, &mut w, &[0.0; 5]).iter().any(Option::is_some));
    }

    #[test]
    fn forgetting_never_raises_a_poor_record() {
        // A poor record (0.3, weight 2) under a prior of 0.6, and a declared change to 0.2 on a
        // light run (weight 0.1): the run alone would score (0.15 + 0.02) / 0.35 = 0.49, above
        // the record's (0.15 + 0.6) / 2.25 = 0.33, so nothing is forgotten.
        let mut e = Evidence { pos: 0.62, neg: 1.48, at: 0 };
        let mut w = ChangeWatch {
            run_pos: 0.02,
            run_neg: 0.08,
            run_squares: 0.0034,
            squares: 0.3,
            recent: 0.1,
            squared_values: 0.5,
            run_squared_values: 0.01,
        };
        let (before_e, before_w) = (e, w);
        assert_eq!(forget(&mut e, &mut w, PRIOR.0, PRIOR.1), None);
        assert_eq!((e, w), (before_e, before_w), "a refused forgetting changes nothing");
        // The same run under a good record is forgotten to.
        let mut good = Evidence { pos: 1.82, neg: 0.28, at: 0 };
        assert!(forget(&mut good, &mut w, PRIOR.0, PRIOR.1).is_some());
        assert_eq!((good.pos, good.neg), (0.02, 0.08));
    }

    #[test]
    fn a_steady_fall_is_caught_sooner_than_a_noisy_one_of_the_same_size() {
        // The first alarm, if any, of a run of `run` after a record of `record`, repeated.
        let first_alarm = |record: &[f64], run: &[f64]| {
            let (mut e, mut w) = (Evidence::default(), ChangeWatch::default());
            for x in record.iter().cycle().take(24) {
                observe(&mut e, &mut w, (0, HALF_LIFE), (*x, 0.1), TEST);
            }
            run.iter()
                .cycle()
                .take(12)
                .position(|&x| observe(&mut e, &mut w, (0, HALF_LIFE), (x, 0.1), TEST) == Step::Changed)
        };
        // Four-star work every time, then three-star work every time: a fall of one grade.
        let steady = first_alarm(&[0.75], &[0.5]).expect("a steady fall of one grade is a change");
        // The same means from the most varied [0, 1] observations (a record of 1, 1, 1, 0, then a
        // run of 1, 0): the spread the test assumed of every record before it measured one.
        let noisy = first_alarm(&[1.0, 1.0, 1.0, 0.0], &[1.0, 0.0]);
        assert!(steady + 1 < noisy.unwrap_or(usize::MAX), "steady {steady}, noisy {noisy:?}");
        // A record kept before the spread was measured (an older snapshot) is read at the most
        // varied: its steady fall is not taken for a sharper one than the test could then see.
        let (mut e, mut w) = (Evidence::default(), ChangeWatch::default());
        for _ in 0..24 {
            observe(&mut e, &mut w, (0, HALF_LIFE), (0.75, 0.1), TEST);
        }
        w.squared_values = 0.0;
        let migrated = (0..12).position(|_| observe(&mut e, &mut w, (0, HALF_LIFE), (0.5, 0.1), TEST) == Step::Changed);
        assert!(migrated.unwrap_or(usize::MAX) > steady, "migrated {migrated:?}, steady {steady}");
    }

    #[test]
    fn light_and_heavy_weights_give_the_same_decision() {
        // Effective sizes are scale-free: the same pattern at a hundredth of the weight is as
        // significant. (The test alone: the guard weighs evidence against the prior's absolute
        // weight, which is not scale-free by design.)
        let first_alarm = |scale: f64| {
            let (mut e, mut w) = (Evidence::default(), ChangeWatch::default());
            [1.0, 1.0, 0.75, 1.0, 1.0, 1.0, 0.75, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
                .iter()
                .position(|&x| observe(&mut e, &mut w, (0, HALF_LIFE), (x, scale), TEST) == Step::Changed)
        };
        assert!(first_alarm(1.0).is_some());
        assert_eq!(first_alarm(1.0), first_alarm(0.01));
    }
}
