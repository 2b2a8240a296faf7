//! The matching index: what ranking scans, flat and compact, kept in step with the market.
//!
//! Ranking one task over 10^5 agents has a budget of a millisecond. Walking the agents
//! themselves (a couple of hundred bytes each, and a reputation record elsewhere) is bound by
//! memory, so the index keeps two derived structures:
//!
//! - per agent, one [`AgentRow`] of 44 bytes: what the cheap gates read (whether it is full,
//!   kind, tier, minimum rate), bounds on its reputation from which an upper bound of its fit
//!   for any task follows ([`FitContext::upper_bound`](super::fit::FitContext::upper_bound)), and
//!   whether it is fresh (nothing on record), whose exact fit then needs no read of its record;
//! - per skill, the agents declaring it with their level (a posting list sorted by agent id), so
//!   a task requiring skills only visits the agents that declare the rarest of them.
//!
//! Ranking works out the exact fit (the one formula, `FitContext::fit`; for a fresh candidate
//! `FitContext::fit_candidate`, which gives the same value, asserted in debug builds) only for a
//! candidate whose bound could beat the k-th best found so far; the result is the same as scoring
//! every agent.
//!
//! Invariants (checked by the market's audit): `rows[i]` equals
//! [`AgentRow::of`] agent `i` and its reputation; `postings[code]` lists each agent declaring
//! skill `code` exactly once, sorted by id. Nothing here is stored in snapshots: `load` rebuilds it.

use super::fit::load_factor;
use crate::ids::AgentId;
use crate::party::{Agent, AgentKind};
use crate::reputation::{AgentReputation, ReputationConfig};
use crate::tier::Tier;

/// What ranking reads about one agent without touching the agent or its reputation record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgentRow {
    /// At most the least reward it wants (narrowed to `f32`: a pay below this is surely below
    /// its rate; the exact gate runs later for every candidate that is scored).
    pub min_rate: f32,
    /// [`AgentRow::full`] and [`AgentRow::fresh`], a bit each: one byte for both keeps the row
    /// at 44 bytes.
    flags: u8,
    /// At least its spare capacity factor `1 - active / capacity`.
    pub spare: f32,
    /// At least what allocation reads as its reputation in every category it has evidence in:
    /// the composite mean less the newcomer discount taken there (0 with none).
    pub best_mean: f32,
    /// At least its speed mean in every category it has evidence in (0 with none).
    pub best_speed: f32,
    /// At most its newcomer discount.
    pub discount: f32,
    /// Per dimension, at least its own level `pos / (pos + neg)` over all its evidence, in
    /// 255ths rounded up (0 with no evidence): the pooled prior of a category it has not worked
    /// in lies between this and the category's newcomer mean.
    pub own: [u8; 5],
    /// The (up to) two categories it settled the most tasks in, with that count (`NO_CATEGORY`
    /// when it has fewer): exploration's uncertainty is measured in settled tasks, and an agent
    /// with a thick record in the task's category gets no bonus, which the bound must know to be
    /// of use once agents have a history.
    pub experience: [(u32, u32); 2],
    /// AI or human.
    pub kind: AgentKind,
    /// Its tier as of its last reputation change.
    pub tier: Tier,
}

impl AgentRow {
    /// The row of `agent`, whose reputation is `reputation`.
    pub fn of(agent: &Agent, reputation: &AgentReputation, config: &ReputationConfig) -> AgentRow {
        let summary = &reputation.summary;
        let own = summary.levels.map(|(pos, neg)| {
            let level = if pos + neg > 0.0 { pos / (pos + neg) } else { 0.0 };
            (level * 255.0).ceil().clamp(0.0, 255.0) as u8
        });
        let mut experience = [(NO_CATEGORY, 0u32); 2];
        // The best reputation allocation reads in any category it has a record in: its mean less
        // the newcomer discount allocation takes off there (as `FitContext::fit` does).
        let (mut best_mean, mut best_speed) = (0.0f64, 0.0f64);
        for c in &summary.categories {
            best_mean = best_mean.max(c.score.mean - reputation.allocation_discount(config, c.score.evidence));
            best_speed = best_speed.max(c.speed);
        }
        // Summary categories are the record's (refresh builds one from each); the record has the
        // settled counts.
        for r in &reputation.categories {
            let entry = (r.category.0, r.settled);
            if entry.1 > experience[0].1 || experience[0].0 == NO_CATEGORY {
                experience = [entry, experience[0]];
            } else if entry.1 > experience[1].1 || experience[1].0 == NO_CATEGORY {
                experience[1] = entry;
            }
        }
        AgentRow {
            min_rate: at_most(agent.min_rate as f64),
            spare: at_least(load_factor(agent.active, agent.capacity)),
            best_mean: at_least(best_mean),
            best_speed: at_least(best_speed),
            discount: at_most(reputation.newcomer_discount(config)),
            own,
            experience,
            kind: agent.kind,
            tier: summary.tier,
            flags: 0,
        }
        .with_full(agent.active >= agent.capacity || !agent.standing.is_active())
        .with_fresh(reputation.is_fresh())
    }

    const FULL: u8 = 1;
    const FRESH: u8 = 2;

    /// Whether it may take no more work: it holds as many tasks as it may, or it is suspended
    /// or closed (so moderation drops it from every ranking at the cost of one flag).
    pub fn full(&self) -> bool {
        self.flags & Self::FULL != 0
    }

    /// Whether it has no record yet: no evidence in any category, no settled work, no vouching.
    /// Its fit then reads its reputation as the market's prior for the unproven, the same for
    /// every such agent, so a ranking need not read its reputation record (in a young market,
    /// most of the candidates, and a cache miss each).
    pub fn fresh(&self) -> bool {
        self.flags & Self::FRESH != 0
    }

    fn with_full(mut self, full: bool) -> AgentRow {
        self.flags = if full { self.flags | Self::FULL } else { self.flags & !Self::FULL };
        self
    }

    fn with_fresh(mut self, fresh: bool) -> AgentRow {
        self.flags = if fresh { self.flags | Self::FRESH } else { self.flags & !Self::FRESH };
        self
    }

    /// The tasks the agent settled in `category`, if the row lists it.
    pub fn tried_in(&self, category: u32) -> Option<u32> {
        self.experience.iter().find(|(c, _)| *c == category && *c != NO_CATEGORY).map(|(_, n)| *n)
    }
}

impl Default for AgentRow {
    fn default() -> Self {
        AgentRow {
            min_rate: 0.0,
            flags: 0,
            spare: 0.0,
            best_mean: 0.0,
            best_speed: 0.0,
            discount: 0.0,
            own: [0; 5],
            experience: [(NO_CATEGORY, 0); 2],
            kind: AgentKind::Ai,
            tier: Tier::New,
        }
    }
}

/// An empty slot of [`AgentRow::experience`].
pub const NO_CATEGORY: u32 = u32::MAX;

/// The smallest `f32` not below `x` (bounds must stay bounds after narrowing).
fn at_least(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) < x {
        step_up(y)
    } else {
        y
    }
}

/// The largest `f32` not above `x`.
fn at_most(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) > x {
        -step_up(-y)
    } else {
        y
    }
}

/// The next `f32` above `y` (`f32::next_up`, which needs a newer Rust than the crate's MSRV).
fn step_up(y: f32) -> f32 {
    if y.is_nan() || y == f32::INFINITY {
        return y;
    }
    if y == 0.0 {
        return f32::from_bits(1);
    }
    let bits = y.to_bits();
    f32::from_bits(if y > 0.0 { bits + 1 } else { bits - 1 })
}

/// The agents declaring one skill at one level, and a row no better than the best of theirs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LevelGroup {
    /// The agents, by id.
    pub agents: Vec<AgentId>,
    /// Componentwise at least as promising as every member's row: highest reputation bounds and
    /// lowest discount, no minimum rate, idle. It only ever grows between rebuilds (a member's
    /// bound falling leaves it as it was), which keeps it an envelope at a few operations per
    /// change; a group whose envelope cannot reach the k-th best fit is skipped whole.
    pub envelope: AgentRow,
}

impl LevelGroup {
    fn absorb(&mut self, row: &AgentRow) {
        let e = &mut self.envelope;
        if self.agents.len() <= 1 {
            // The first member (re)starts the envelope.
            *e = AgentRow { min_rate: 0.0, spare: 1.0, ..*row }.with_full(false).with_fresh(false);
            return;
        }
        e.best_mean = e.best_mean.max(row.best_mean);
        e.best_speed = e.best_speed.max(row.best_speed);
        e.discount = e.discount.min(row.discount);
        for (mine, theirs) in e.own.iter_mut().zip(row.own) {
            *mine = (*mine).max(theirs);
        }
    }

    /// Whether the envelope is at least as promising as `row` in every component ranking reads.
    fn covers(&self, row: &AgentRow) -> bool {
        let e = &self.envelope;
        e.min_rate == 0.0
            && !e.full()
            && e.spare >= 1.0
            && e.best_mean >= row.best_mean
            && e.best_speed >= row.best_speed
            && e.discount <= row.discount
            && e.own.iter().zip(row.own).all(|(mine, theirs)| *mine >= theirs)
    }
}

/// Levels a skill is declared at: 1 to [`MAX_SKILL_LEVEL`](crate::limits::MAX_SKILL_LEVEL).
const LEVELS: usize = crate::limits::MAX_SKILL_LEVEL as usize;

/// One skill's agents, grouped by level (group `i` holds level `i + 1`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SkillPostings {
    /// The groups, lowest level first.
    pub levels: [LevelGroup; LEVELS],
}

impl SkillPostings {
    /// How many agents declare the skill.
    pub fn len(&self) -> usize {
        self.levels.iter().map(|g| g.agents.len()).sum()
    }

    /// Whether no agent declares it.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn group_mut(&mut self, level: u8) -> &mut LevelGroup {
        &mut self.levels[usize::from(level.clamp(1, LEVELS as u8)) - 1]
    }
}

/// The rows and posting lists (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatchIndex {
    rows: Vec<AgentRow>,
    postings: Vec<SkillPostings>,
}

impl MatchIndex {
    /// Every agent's row, by agent id.
    pub fn rows(&self) -> &[AgentRow] {
        &self.rows
    }

    /// The agents declaring the skill with code `code`, by level.
    pub fn postings(&self, code: u32) -> Option<&SkillPostings> {
        self.postings.get(code as usize)
    }

    /// Put `row` in place for agent `agent` (appending a newly registered agent), and widen the
    /// envelopes of the groups it is in: `skills` are its (code, level) pairs.
    pub(crate) fn set_row(&mut self, agent: AgentId, row: AgentRow, skills: impl Iterator<Item = (u32, u8)>) {
        match self.rows.get_mut(agent.index()) {
            Some(slot) => *slot = row,
            None => {
                debug_assert_eq!(agent.index(), self.rows.len(), "agents are indexed in id order");
                self.rows.push(row);
            }
        }
        for (code, level) in skills {
            if let Some(p) = self.postings.get_mut(code as usize) {
                p.group_mut(level).absorb(&row);
            }
        }
    }

    /// Record a change of the agent's load (the hot path: claims and releases).
    pub(crate) fn set_active(&mut self, agent: AgentId, active: u32, capacity: u32, in_good_standing: bool) {
        if let Some(row) = self.rows.get_mut(agent.index()) {
            *row = row.with_full(active >= capacity || !in_good_standing);
            row.spare = at_least(load_factor(active, capacity));
        }
    }

    /// List `agent` under skill `code` at `level` (its row must be in place).
    pub(crate) fn post(&mut self, code: u32, agent: AgentId, level: u8) {
        let code = code as usize;
        if self.postings.len() <= code {
            self.postings.resize_with(code + 1, SkillPostings::default);
        }
        let group = self.postings[code].group_mut(level);
        if let Err(i) = group.agents.binary_search(&agent) {
            group.agents.insert(i, agent);
        }
        if let Some(row) = self.rows.get(agent.index()) {
            group.absorb(row);
        }
    }

    /// Take `agent` off skill `code`'s list, whatever its level there.
    pub(crate) fn unpost(&mut self, code: u32, agent: AgentId) {
        if let Some(p) = self.postings.get_mut(code as usize) {
            for group in &mut p.levels {
                if let Ok(i) = group.agents.binary_search(&agent) {
                    group.agents.remove(i);
                }
            }
        }
    }

    /// Whether this index agrees with `fresh`, one rebuilt from scratch: the same rows and
    /// groups, and envelopes that still cover every member (they may be wider than a rebuild's).
    pub(crate) fn agrees_with(&self, fresh: &MatchIndex) -> bool {
        let groups = |i: &MatchIndex| i.postings.iter().map(|p| p.len()).sum::<usize>();
        self.rows == fresh.rows
            && groups(self) == groups(fresh)
            && fresh.postings.iter().enumerate().all(|(code, p)| {
                p.levels.iter().enumerate().all(|(level, group)| {
                    self.postings.get(code).is_some_and(|mine| {
                        let mine = &mine.levels[level];
                        mine.agents == group.agents && group.agents.iter().all(|a| mine.covers(&self.rows[a.index()]))
                    })
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::{at_least, at_most};

    #[test]
    fn rows_stay_compact() {
        // Ranking scans one row per candidate: its speed over 10^5 agents follows this size.
        assert!(std::mem::size_of::<super::AgentRow>() <= 44, "{}", std::mem::size_of::<super::AgentRow>());
    }

    #[test]
    fn narrowed_bounds_stay_on_their_side() {
        for x in [0.0, 1e-30, 0.1, 1.0 / 3.0, 0.6, 0.99, 1.0, -0.25, -1e-30] {
            assert!(f64::from(at_least(x)) >= x, "at_least({x})");
            assert!(f64::from(at_most(x)) <= x, "at_most({x})");
            // One step at most: the bound stays useful.
            assert!(f64::from(at_least(x)) - x < 1e-6 && x - f64::from(at_most(x)) < 1e-6, "{x}");
        }
    }
}
