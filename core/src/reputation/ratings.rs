//! Clients' ratings of paid tasks: de-inflated, weighed by the rater's standing, credibility and
//! repeat damping, clipped when a low-credibility rater strays from the agent's median, capped
//! per rater; and the rater's own record updated.

use super::outcomes::matched_weight;
use super::raters::repeat_damping;
use super::{
    CategoryRecord, ChangeCause, Dimension, Factor, FactorName, Newness, Reputation, ReputationConfig, ScoreChange,
    Source,
};
use crate::command::Rating;
use crate::ids::{AgentId, CategoryId, ClientId, Timestamp};

/// What `record_rating` needs about one rating.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RatingInput {
    pub client: ClientId,
    pub agent: AgentId,
    pub category: CategoryId,
    pub stars: Rating,
    pub verified: bool,
    pub same_owner: bool,
    /// Whether the market chose the agent (`TaskClaimed.matched`).
    pub matched: bool,
    /// Whether it chose among the few agents a rare skill gate let through (`gated.rs`).
    pub behind_rare_gate: bool,
    pub task: crate::ids::TaskId,
}

impl Reputation {
    /// A client's rating of a paid task. `verified` says whether the work passed verification
    /// at the first attempt and was accepted: what the rating is checked against.
    pub(crate) fn record_rating(&mut self, config: &ReputationConfig, rating: RatingInput, now: Timestamp) {
        let RatingInput { client, agent, category, stars, verified, same_owner, matched, behind_rare_gate, task } =
            rating;
        let before = self.score(config, agent, category).mean;
        let raw = f64::from(stars.quality.clamp(1, 5) - 1) / 4.0;
        let market_mean = self.market_rating_mean();
        let Some(rater) = self.clients.get(client.index()) else { return };
        if same_owner {
            if let Some(r) = self.clients.get_mut(client.index()) {
                r.self_dealing_flags = r.self_dealing_flags.saturating_add(1);
            }
            let factors = vec![Factor::new(FactorName::SameOwnerIgnored, 1.0)];
            let cause = ChangeCause::RatingIgnored { client };
            let change = ScoreChange { at: now, task: Some(task), category, cause, before, after: before, factors };
            self.log_change(config, agent, change);
            return;
        }
        // De-inflate: a rater who rates everyone above the market's mean says less per star.
        let offset = (rater.rating_mean - market_mean) * rater.shrink();
        let deinflated = (raw - offset).clamp(0.0, 1.0);
        let as_rater = rater.weight_as_rater(config);
        let credibility = rater.credibility();
        let repeats = rater.repeats_for(agent);
        let repeat = repeat_damping(repeats);
        let chosen = matched_weight(config, matched);
        let mut w = as_rater * credibility * repeat * chosen;
        let record = self.agents.get(agent.index()).and_then(|a| a.categories.iter().find(|c| c.category == category));
        let median = record.and_then(CategoryRecord::rating_median);
        let mut value = deinflated;
        let mut clipped = 0.0;
        if credibility < config.clip_below_credibility {
            if let Some(m) = median {
                value = m + (deinflated - m).clamp(-config.clip_distance, config.clip_distance);
                clipped = (deinflated - value).abs();
            }
        }
        // The per-rater cap: nobody supplies more than `max_rater_share` of an agent's rating
        // evidence (one full rating is always allowed, or nobody could start).
        let (total, mine) = record.map_or((0.0, 0.0), |r| {
            let mine = r.raters.iter().find(|(c, _)| *c == client).map_or(0.0, |(_, w)| *w);
            (r.raters.iter().map(|(_, w)| w).sum::<f64>(), mine)
        });
        let cap = config.max_rater_share.clamp(0.01, 0.99);
        let allowed = ((cap * total - mine) / (1.0 - cap)).max(1.0 - mine).max(0.0);
        let capped = w > allowed;
        w = w.min(allowed);
        // The agent's own quality so far (its evidence alone, no prior): the consensus a rater
        // is checked against below. The first rating has none.
        let own = record.and_then(|r| {
            let (p, n) = r.dims[Dimension::Quality.index()].at_time(now, Dimension::Quality.half_life(config));
            (p + n > 0.0).then(|| p / (p + n))
        });
        // Consistency: how far this rating lies from the mean of the agent's earlier ratings here,
        // both on the star grid of `rating_bins`, so it measures their spread and not their level.
        // (Not the quality mean above: that also holds the reviewers' verdicts at 0.25 / 0.75,
        // so steady five-star work read as a swing of a quarter star.) The first rating says
        // nothing.
        let spread_from = record.and_then(CategoryRecord::rating_mean);
        let from = Source { newness: Newness::of_rating(record.map_or(0, |r| r.settled)), behind_rare_gate };
        let forgotten = self.observe(config, (agent, category, now), Dimension::Quality, value, w, from);
        if let Some(mean) = spread_from {
            let star = (value * 4.0).round().clamp(0.0, 4.0) / 4.0;
            self.observe(
                config,
                (agent, category, now),
                Dimension::Consistency,
                1.0 - 2.0 * (star - mean).abs(),
                w,
                from,
            );
        }
        let timeliness = f64::from(stars.timeliness.clamp(1, 5) - 1) / 4.0;
        self.observe(config, (agent, category, now), Dimension::Speed, timeliness, 0.25 * w, from);
        if let Some(r) = self.record_mut(agent, category) {
            r.rating_bins[(value * 4.0).round().clamp(0.0, 4.0) as usize] += w;
            match r.raters.binary_search_by_key(&client, |(c, _)| *c) {
                Ok(i) => r.raters[i].1 += w,
                Err(i) => r.raters.insert(i, (client, w)),
            }
        }
        // The rater's own record: credibility from agreement with the verified outcome and with
        // the consensus, its rating habits, its repeat count.
        // Only a flat contradiction of verification counts against the rater: top marks for work
        // that failed its checks, or bottom marks for work that passed them first time.
        let agrees_with_outcome = !((raw >= 0.75 && !verified) || (raw <= 0.25 && verified));
        // Agreement with the consensus: the agent's own record so far (none before its first rating).
        let consensus = own.map(|own| (deinflated - own).abs() < 0.25);
        if let Some(r) = self.clients.get_mut(client.index()) {
            r.record_rating(agent, raw, agrees_with_outcome, consensus);
        }
        // Weighted as the rating itself is before damping and caps: an account with no
        // established spend adds nothing to the mean that de-inflates everyone's ratings.
        let standing = as_rater * credibility * chosen;
        self.rating_sum += raw * standing;
        self.rating_count += standing;
        let mut factors = Vec::with_capacity(9);
        factors.extend([
            Factor::new(FactorName::Stars, raw),
            Factor::new(FactorName::Deinflated, deinflated),
            Factor::new(FactorName::RaterEstablishment, as_rater),
            Factor::new(FactorName::RaterCredibility, credibility),
            Factor::new(FactorName::RepeatDamping, repeat),
            Factor::new(FactorName::ClippedBy, clipped),
            Factor::new(FactorName::CappedAtShare, if capped { 1.0 } else { 0.0 }),
        ]);
        if !matched {
            factors.push(Factor::new(FactorName::Unmatched, chosen));
        }
        factors.push(Factor::new(FactorName::Weight, w));
        if let Some(weight) = forgotten {
            factors.push(Factor::new(FactorName::ChangeForgot, weight));
        }
        let cause = ChangeCause::Rated { client, stars: stars.quality };
        let change = ScoreChange { at: now, task: Some(task), category, cause, before, after: before, factors };
        self.log_change(config, agent, change);
    }
}
