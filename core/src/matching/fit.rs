//! The fit of an agent for a task: a score and the factors behind it.

use super::config::MatchingConfig;
use super::index::AgentRow;
use super::inputs::MatchingInputs;
use crate::ids::{AgentId, Money};
use crate::party::Agent;
use crate::reputation::{Dimension, Reputation, ReputationConfig};
use crate::rng;
use crate::spec::{Pricing, TaskSpec};
use crate::task::Task;
use crate::tier::Tier;
use serde::{Deserialize, Serialize};

/// How well an agent fits a task: the weighted total and each factor in [0, 1].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Fit {
    /// The weighted total, exploration bonus included.
    pub score: f64,
    /// Declared skill levels for the required skills (1 when none are required).
    pub skill: f64,
    /// Posterior mean of the agent's reputation in the task's category.
    pub reputation: f64,
    /// Price against the budget (what posting escrowed): 1 when the agent asks nothing, 0 at the
    /// full budget. What the agent "asks" is its minimum rate at a plain fixed reward, what the
    /// client would pay it at a reward with a tier premium (the reward times its tier's
    /// premium), and its bid in an auction.
    pub price: f64,
    /// Posterior mean of the agent's speed in the category.
    pub speed: f64,
    /// Spare capacity: 1 when idle, 0 when full.
    pub load: f64,
    /// Exploration bonus: non-zero only for an agent with a thin record in the category, on a
    /// simple task, while the exploration budget has room; in proportion to its uncertainty. For
    /// an agent with settled work there it also gives back part of the record's fall below the
    /// newcomer prior (a second look: one unlucky task does not end a career).
    pub exploration: f64,
}

/// Purpose tag of exploration draws.
const EXPLORATION_DRAW: u64 = 2;

/// Whether a task is simple and low-risk enough for exploration.
pub fn is_simple(spec: &TaskSpec, config: &MatchingConfig) -> bool {
    spec.pricing.escrow() <= config.simple_task_max_reward
        && spec.eligibility.min_tier == Tier::New
        && spec.eligibility.min_reputation_bps.is_none()
}

/// What a fit needs to know about one task, worked out once so that scoring many agents for
/// it (ranking, batch assignment) costs a few lookups and some arithmetic per agent.
#[derive(Debug)]
pub struct FitContext<'a> {
    /// Every agent's reputation record and the settings that read it.
    reputation: &'a Reputation,
    reputation_config: &'a ReputationConfig,
    task: &'a Task,
    config: &'a MatchingConfig,
    /// What the category's newcomers delivered on each dimension: the anchor of the priors of
    /// agents new to it.
    newcomer_means: [f64; 5],
    /// Whether an agent with a thin record may get an exploration bonus on this task at all.
    explorable: bool,
    /// The code of each required skill.
    skill_codes: Vec<Option<u32>>,
    /// The weighted skill factor's bound for a candidate listing one required skill at each
    /// level (the others at the top level).
    skill_bound: [f64; crate::limits::MAX_SKILL_LEVEL as usize + 1],
    /// One over the task's budget.
    inverse_budget: f64,
    /// Whether every weight is a non-negative number, so that factor bounds bound the score.
    bounded: bool,
    /// The task's key of the exploration draws (`rng::draw_key`).
    draw_key: u64,
    /// The last pooled prior worked out.
    last_prior: std::cell::Cell<Option<RememberedPrior>>,
    /// Where each agent's wait for work started (`FairnessCounters::waiting_since`).
    waiting_since: &'a [u64],
    /// The market's assignments so far, where every wait ends now.
    assigned: u64,
    /// One turn of the market: as many assignments as there are agents.
    turn: f64,
    /// (reputation as allocation reads it, speed) of a fresh agent ([`AgentRow::fresh`]), worked
    /// out by the same code as for any other: what [`FitContext::fit_candidate`] uses instead of
    /// reading a fresh agent's record.
    unproven: (f64, f64),
    /// The composite prior of an agent new to the category before the newcomer discount: what
    /// a thin record's fall is measured against when exploration takes a second look at it
    /// ([`FitContext::second_look`]).
    newcomer_prior: f64,
}

/// A pooled prior worked out once: (levels, unmatched-work penalty) and the (composite mean,
/// speed mean) they give.
type RememberedPrior = ([(f64, f64); 5], f64, (f64, f64));

/// Each dimension's weight in the composite score, by dimension index.
const DIMENSION_WEIGHTS: [f64; 5] = [
    Dimension::ALL[0].weight(),
    Dimension::ALL[1].weight(),
    Dimension::ALL[2].weight(),
    Dimension::ALL[3].weight(),
    Dimension::ALL[4].weight(),
];

/// Slack added to every upper bound: it and the exact fit add the same numbers in different
/// orders, so they may differ in the last bits.
const BOUND_SLACK: f64 = 1e-9;

impl<'a> FitContext<'a> {
    /// The context for scoring agents on `task`: with exploration bonuses when the task is
    /// simple and the budget has room.
    pub fn new(inputs: &'a impl MatchingInputs, task: &'a Task) -> FitContext<'a> {
        let config = inputs.matching_config();
        Self::with_exploration(inputs, task, is_simple(&task.spec, config) && inputs.fairness().budget_left(config))
    }

    /// Whether this context gives exploration bonuses at all.
    pub fn explores(&self) -> bool {
        self.explorable
    }

    /// The context for scoring agents on `task` on their records alone, with no exploration: what
    /// decides whether exploration changed a choice.
    pub fn exploiting(inputs: &'a impl MatchingInputs, task: &'a Task) -> FitContext<'a> {
        Self::with_exploration(inputs, task, false)
    }

    /// The context for scoring agents on `task`, with exploration bonuses only if `explorable`
    /// (the caller has checked the task is simple and the budget has room).
    pub(crate) fn with_exploration(
        inputs: &'a impl MatchingInputs,
        task: &'a Task,
        explorable: bool,
    ) -> FitContext<'a> {
        let config = inputs.matching_config();
        let newcomer_means = inputs.reputation().newcomer_means(task.category);
        let skill_codes = inputs.required_skill_codes(&task.spec);
        let needs = task.spec.required_skills.len();
        let max = f64::from(crate::limits::MAX_SKILL_LEVEL);
        let skill_bound = std::array::from_fn(|level| {
            let skill = if needs == 0 { 1.0 } else { (level as f64 / max + (needs - 1) as f64) / needs as f64 };
            config.skill_weight * skill
        });
        let weights = [
            config.skill_weight,
            config.reputation_weight,
            config.price_weight,
            config.speed_weight,
            config.load_weight,
            config.exploration_bonus,
        ];
        let bounded = weights.iter().all(|w| w.is_finite() && *w >= 0.0);
        let inverse_budget = 1.0 / task.spec.pricing.escrow().max(1) as f64;
        let rconfig = inputs.reputation_config();
        let unproven = crate::reputation::AgentReputation::default();
        let (prior, speed) = crate::reputation::prior_only_mean(
            rconfig,
            &unproven.summary.levels,
            &newcomer_means,
            unproven.unmatched_penalty(rconfig),
        );
        let newcomer_prior = prior;
        let unproven = (prior - unproven.allocation_discount(rconfig, 0.0), speed);
        FitContext {
            reputation: inputs.reputation(),
            reputation_config: inputs.reputation_config(),
            task,
            config,
            newcomer_means,
            explorable,
            skill_codes,
            skill_bound,
            inverse_budget,
            bounded,
            draw_key: rng::draw_key(inputs.seed(), EXPLORATION_DRAW, u64::from(task.id.0)),
            last_prior: std::cell::Cell::new(None),
            waiting_since: &inputs.fairness().waiting_since,
            assigned: inputs.fairness().assignment_clock(),
            turn: inputs.agents().len().max(1) as f64,
            unproven,
            newcomer_prior,
        }
    }

    /// An upper bound of [`FitContext::fit`] (with exploration) for the agent with matching row
    /// `row`, from the row alone: `listed_level` is its level in one of the required skills (any
    /// level when none is required).
    pub fn upper_bound(&self, row: &AgentRow, agent: AgentId, listed_level: u8, price: Money) -> f64 {
        let tried = row.tried_in(self.task.category.0);
        let newness = self.newness_at_most(tried);
        let (rest, reputation) = self.bound_on_records(row, tried.is_some(), listed_level, price);
        let exploration = if newness > 0.0 {
            self.exploration(agent, newness) + self.second_look_bound(row, reputation, newness)
        } else {
            0.0
        };
        rest + exploration
    }

    /// At least the uncertainty that scales an agent's exploration bonus here, given what its
    /// matching row shows of the tasks it settled in the task's category: 0 when the task is not
    /// explorable or the record is thick, 1 when the row does not list the category.
    fn newness_at_most(&self, tried: Option<u32>) -> f64 {
        if !self.explorable {
            return 0.0;
        }
        uncertainty(f64::from(tried.unwrap_or(0)), self.config.newcomer_evidence)
    }

    /// Whether the agent with matching row `row` could reach a fit of `threshold`: `Ok` unless
    /// [`FitContext::upper_bound`] is below it, and then `Err` with an upper bound of its fit on
    /// its record alone (without exploration), which tells a ranking how well the agents it
    /// skipped fit. Works out the exploration draw only when the rest of the bound leaves it in
    /// doubt; cheap enough to ask of every ranking candidate.
    #[inline(always)]
    pub fn reach(
        &self,
        row: &AgentRow,
        agent: AgentId,
        listed_level: u8,
        price: Money,
        threshold: f64,
    ) -> Result<(), f64> {
        let tried = row.tried_in(self.task.category.0);
        let (rest, reputation) = self.bound_on_records(row, tried.is_some(), listed_level, price);
        let newness = self.newness_at_most(tried);
        let reaches = if newness <= 0.0 || rest >= threshold {
            rest >= threshold
        } else {
            // The bonus is at most `exploration_bonus * newness`: the draw only when that could reach.
            let second_look = self.second_look_bound(row, reputation, newness);
            rest + self.config.exploration_bonus * newness + second_look >= threshold
                && rest + self.exploration(agent, newness) + second_look >= threshold
        };
        if reaches {
            Ok(())
        } else {
            Err(rest)
        }
    }

    /// An upper bound of the fit on its record alone (without exploration) of any member of a
    /// posting group whose envelope is `envelope`, at `level` and `price`.
    pub fn group_bound_on_records(&self, envelope: &AgentRow, level: u8, price: Money) -> f64 {
        self.bound_on_records(envelope, false, level, price).0
    }

    /// Whether any agent of a posting group whose envelope is `envelope` (see
    /// [`LevelGroup`](super::index::LevelGroup)) at `level` could reach a fit of `threshold`;
    /// `price` is the least the task offers any member (with a tier premium, what it offers the
    /// lowest tier).
    pub fn could_reach_group(&self, envelope: &AgentRow, level: u8, price: Money, threshold: f64) -> bool {
        let (rest, reputation) = self.bound_on_records(envelope, false, level, price);
        let bonus = if self.explorable {
            self.config.exploration_bonus + self.second_look_bound(envelope, reputation, 1.0)
        } else {
            0.0
        };
        rest + bonus >= threshold
    }

    /// The bound without the exploration bonus, and the bound of the reputation factor in it
    /// (what [`FitContext::second_look_bound`] measures a fall from); `worked_here` when the row
    /// lists evidence in the task's category (its score there is then its summary's, never a
    /// prior).
    #[inline(always)]
    fn bound_on_records(&self, row: &AgentRow, worked_here: bool, listed_level: u8, price: Money) -> (f64, f64) {
        if !self.bounded {
            return (f64::INFINITY, 0.0);
        }
        let config = self.config;
        let skill = self.skill_bound[usize::from(listed_level).min(self.skill_bound.len() - 1)];
        let (mut reputation, mut speed) = (f64::from(row.best_mean), f64::from(row.best_speed));
        if !worked_here {
            // Perhaps a category the agent has not worked in: each dimension's pooled prior is
            // at most the higher of its own level and the category's newcomer mean, and
            // allocation takes all of its discount off an untried agent's. (Multiplications by
            // reciprocals instead of divisions: this runs for every candidate, and the slack
            // covers the rounding.)
            let prior =
                |d: usize| (f64::from(row.own[d]) * (1.0 / 255.0)).max(self.newcomer_means[d]).clamp(0.01, 0.99);
            let mut pooled = 0.0;
            for (d, weight) in DIMENSION_WEIGHTS.iter().enumerate() {
                pooled += weight * prior(d);
            }
            reputation = reputation.max(pooled - f64::from(row.discount));
            speed = speed.max(prior(Dimension::Speed as usize));
        }
        let asked = match self.task.spec.pricing {
            Pricing::Fixed { tier_premium: false, .. } => f64::from(row.min_rate).min(price as f64),
            Pricing::Fixed { tier_premium: true, .. } | Pricing::Bids { .. } => price as f64,
        };
        let price_factor = (1.0 - asked * self.inverse_budget).clamp(0.0, 1.0);
        let total = skill
            + config.reputation_weight * reputation
            + config.price_weight * price_factor
            + config.speed_weight * speed
            + config.load_weight * f64::from(row.spare)
            + BOUND_SLACK;
        (total, reputation)
    }

    /// The agent's exploration bonus on this task at uncertainty `newness` (the fit and both
    /// bounds use this one formula, so a bound is never below the fit): `exploration_bonus *
    /// newness`, times how long the agent has waited for work, times half to all by its seeded
    /// draw for this task.
    ///
    /// * The wait is `w / (w + turn)`, `w` the assignments the market made since the agent
    ///   registered or last got a task and `turn` as many as there are agents: 0 on arrival, a
    ///   half after one turn of the market. So exploration serves the longest-waiting unknowns
    ///   first, and an identity registered anew after every task (whitewashing) starts at the
    ///   back each time instead of ahead of everyone with a thin record.
    /// * The draw makes it a sample rather than a fixed bonus (Thompson-style): among agents
    ///   equally unknown and equally patient, a different one comes first on each task.
    fn exploration(&self, agent: AgentId, newness: f64) -> f64 {
        let draw = rng::draw_keyed(self.draw_key, u64::from(agent.0));
        let unit = (draw >> 11) as f64 / (1u64 << 53) as f64;
        // As `FairnessCounters::waited`, with the market's clock read once per context.
        let waited = super::fairness::waited_since(self.assigned, self.waiting_since, agent) as f64;
        let patience = waited / (waited + self.turn);
        self.config.exploration_bonus * newness * patience * (0.5 + 0.5 * unit)
    }

    /// What exploration gives back of a thin record's fall below the newcomer prior, at
    /// uncertainty `newness`: `reputation_weight * newness * (prior - reputation)`, for an agent
    /// with `settled_here` tasks settled in the category (at least one) whose reputation there
    /// (as allocation reads it) is `reputation`. One bad rating from a client whose ratings count in full can drop a
    /// one-task record further than any bonus reaches, and that agent was then never tried
    /// again; so the thinner the record, the more of its fall a second look disregards (half
    /// and more after one task, none once the record is thick). Not for an agent new to the
    /// category: it sits at the prior less the newcomer discount, and giving that back would
    /// pay every new identity (whitewashing).
    fn second_look(&self, reputation: f64, settled_here: u32, newness: f64) -> f64 {
        if settled_here == 0 {
            return 0.0;
        }
        (self.config.reputation_weight * newness * (self.newcomer_prior - reputation)).max(0.0)
    }

    /// What [`FitContext::second_look`] adds at most to a bound whose reputation factor is
    /// `reputation`, for the agent with matching row `row` at uncertainty `newness`. With the
    /// reputation factor `r` at most `reputation`, `r + newness * (prior - r)` is at most
    /// `reputation + newness * max(0, prior - reputation)`; nothing for a fresh agent, which has
    /// no settled work anywhere. (`reputation_weight` is not negative here: a bound with a
    /// negative weight is infinite anyway.)
    fn second_look_bound(&self, row: &AgentRow, reputation: f64, newness: f64) -> f64 {
        if row.fresh() {
            return 0.0;
        }
        self.config.reputation_weight * newness * (self.newcomer_prior - reputation).max(0.0)
    }

    /// The pooled prior (composite mean, speed mean) of an agent with `levels` and unmatched-work
    /// `penalty` that has no record in the task's category.
    fn prior_only(
        &self,
        config: &crate::reputation::ReputationConfig,
        levels: &[(f64, f64); 5],
        penalty: f64,
    ) -> (f64, f64) {
        if let Some((l, p, prior)) = self.last_prior.get() {
            if l == *levels && p.to_bits() == penalty.to_bits() {
                return prior;
            }
        }
        let prior = crate::reputation::prior_only_mean(config, levels, &self.newcomer_means, penalty);
        self.last_prior.set(Some((*levels, penalty, prior)));
        prior
    }

    /// The fit of `agent` at `price` (what the task offers its tier, [`Pricing::offered`], or
    /// its bid); the exploration bonus only if `explore` allows it and the agent is a newcomer.
    pub fn fit(&self, agent: &Agent, price: Money, explore: bool) -> Fit {
        let (reputation, speed, settled_here) = self.record_of(agent.id);
        self.fit_from(agent, self.skill_factor(agent), (reputation, speed), settled_here, price, explore)
    }

    /// [`FitContext::fit`] of a ranking candidate, listed at `listed_level` in the required skill
    /// its candidates come from (0: none required) and with matching row `row`: the same value,
    /// read with less memory. A sole required skill's factor is the listed level, and a fresh
    /// agent's reputation is the context's `unproven` one, so neither its skills nor its record
    /// are read (in a young market, where most candidates are fresh and tie, most of a ranking's
    /// time went to those reads).
    pub(crate) fn fit_candidate(&self, agent: &Agent, row: &AgentRow, listed_level: u8, price: Money) -> Fit {
        let skill = match self.task.spec.required_skills.len() {
            1 if listed_level > 0 => f64::from(listed_level) / f64::from(crate::limits::MAX_SKILL_LEVEL),
            _ => self.skill_factor(agent),
        };
        let (reputation, speed, settled_here) =
            if row.fresh() { (self.unproven.0, self.unproven.1, 0) } else { self.record_of(agent.id) };
        let fit = self.fit_from(agent, skill, (reputation, speed), settled_here, price, true);
        debug_assert_eq!(fit, self.fit(agent, price, true), "a fresh row reads as the record would");
        fit
    }

    /// The skill factor: the declared levels of the required skills, averaged (1 when none is
    /// required).
    fn skill_factor(&self, agent: &Agent) -> f64 {
        let needs = &self.task.spec.required_skills;
        if needs.is_empty() {
            return 1.0;
        }
        let max = f64::from(crate::limits::MAX_SKILL_LEVEL);
        needs
            .iter()
            .zip(&self.skill_codes)
            .map(|(n, code)| f64::from(agent.skill_level_coded(&n.skill, *code).unwrap_or(0)) / max)
            .sum::<f64>()
            / needs.len() as f64
    }

    /// (reputation as allocation reads it, speed mean, tasks settled in the task's category)
    /// from the agent's record.
    ///
    /// What `Reputation::summary_mean_with` gives, with the pooled prior of an agent new to the
    /// category remembered for the next agent with the same levels (in a young market, most of
    /// them); less the newcomer discount in proportion to the prior's share, so that being
    /// unproven ranks below a poor record here, in allocation, and not in the score.
    fn record_of(&self, agent: crate::ids::AgentId) -> (f64, f64, u32) {
        let (rconfig, category) = (self.reputation_config, self.task.category);
        let (reputation, speed) = match self.reputation.agent(agent) {
            None => (0.0, 0.0),
            Some(r) => {
                let (mean, speed, evidence) = match r.summary.categories.binary_search_by_key(&category, |c| c.category)
                {
                    Ok(i) => {
                        let c = &r.summary.categories[i];
                        (c.score.mean, c.speed, c.score.evidence)
                    }
                    Err(_) => {
                        let (mean, speed) = self.prior_only(rconfig, &r.summary.levels, r.unmatched_penalty(rconfig));
                        (mean, speed, 0.0)
                    }
                };
                (mean - r.allocation_discount(rconfig, evidence), speed)
            }
        };
        (reputation, speed, self.reputation.settled_in(agent, category))
    }

    /// The fit from its factors: `skill`, (reputation, speed), `settled_here` (tasks settled in
    /// the task's category, for the exploration bonus) and what the agent itself says.
    fn fit_from(
        &self,
        agent: &Agent,
        skill: f64,
        (reputation, speed): (f64, f64),
        settled_here: u32,
        price: Money,
        explore: bool,
    ) -> Fit {
        let (config, task) = (self.config, self.task);
        let price_factor = price_factor(&task.spec.pricing, agent.min_rate, price);
        let load = load_factor(agent.active, agent.capacity);
        let newness = if explore && self.explorable {
            uncertainty(f64::from(settled_here), config.newcomer_evidence)
        } else {
            0.0
        };
        // The less evidence, the larger the bonus: a brand-new agent most, a thin record less.
        let exploration = if newness > 0.0 {
            self.exploration(agent.id, newness) + self.second_look(reputation, settled_here, newness)
        } else {
            0.0
        };
        let total = config.skill_weight * skill
            + config.reputation_weight * reputation
            + config.price_weight * price_factor
            + config.speed_weight * speed
            + config.load_weight * load
            + exploration;
        Fit { score: total, skill, reputation, price: price_factor, speed, load, exploration }
    }
}

/// Settled tasks, in units of `newcomer_evidence`, from which a record counts as thick:
/// exploration stops there. Its uncertainty is then a quarter of a newcomer's, about as far as a posterior's
/// spread narrows over the first handful of rated tasks; and a bound of zero lets rankings skip
/// thick records unread.
const THICK_RECORD: f64 = 16.0;

/// How uncertain a record of `evidence` settled tasks in a category is, in [0, 1]:
/// `sqrt(n / (n + evidence))` with `n = newcomer_evidence`, the shape of a posterior's standard
/// deviation, so a thin record (one unlucky task, not only none) keeps being retried in proportion
/// to what is not known of it; 0 once the record is thick. Counted in tasks, not in weighted
/// evidence: the weights say how far to trust what clients report, not how much has been seen,
/// and where every client is small a weighted record would stay "thin" for ever and exploration
/// would keep retrying the agents already tried instead of those never tried.
pub fn uncertainty(evidence: f64, newcomer_evidence: f64) -> f64 {
    let n = newcomer_evidence.max(f64::MIN_POSITIVE);
    let evidence = evidence.max(0.0);
    if evidence >= THICK_RECORD * n || !evidence.is_finite() {
        return 0.0;
    }
    libm::sqrt(n / (n + evidence))
}

/// Price against the budget: 1 when the agent asks nothing, 0 at the full budget. At a fixed
/// reward the agent asks its minimum rate (at most the reward); at a reward with a tier premium,
/// what the client would pay it (`price`: [`Pricing::offered`] for its tier, so a premium's
/// cost to the client counts against a higher tier); in an auction, its bid.
fn price_factor(pricing: &Pricing, min_rate: Money, price: Money) -> f64 {
    let budget = pricing.escrow().max(1) as f64;
    let asked = match pricing {
        Pricing::Fixed { tier_premium: false, .. } => min_rate.min(price),
        Pricing::Fixed { tier_premium: true, .. } | Pricing::Bids { .. } => price,
    };
    (1.0 - asked as f64 / budget).clamp(0.0, 1.0)
}

/// Spare capacity: 1 when idle, 0 when full.
pub(crate) fn load_factor(active: u32, capacity: u32) -> f64 {
    if capacity == 0 {
        0.0
    } else {
        1.0 - f64::from(active.min(capacity)) / f64::from(capacity)
    }
}
