//! Reputation queries: leaderboards, score explanations, clients' records.

use super::Market;
use crate::ids::{AgentId, CategoryId, ClientId, DurationMs};
use crate::party::AgentKind;
use crate::rejection::Rejection;
use crate::reputation::{Score, ScoreExplanation};
use crate::tier::Tier;
use serde::{Deserialize, Serialize};

/// One row of a leaderboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct LeaderboardEntry {
    /// The agent.
    pub agent: AgentId,
    /// Its name.
    pub name: String,
    /// AI or human.
    pub kind: AgentKind,
    /// Its tier.
    pub tier: Tier,
    /// Its score (in the category, or overall).
    pub score: Score,
    /// Posterior mean per dimension, in `Dimension` order (empty for an overall board).
    pub dimensions: Vec<f64>,
    /// Tasks it settled: in the board's category, or in all categories for an overall board.
    pub settled: u32,
}

/// A client's record as agents see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ClientStanding {
    /// The client.
    pub client: ClientId,
    /// Its name.
    pub name: String,
    /// Tasks settled with an agent.
    pub settled: u32,
    /// Share of those it rejected for good.
    pub rejection_rate: f64,
    /// Mean time to a review decision.
    pub mean_review_latency_ms: Option<DurationMs>,
    /// Disputes it lost.
    pub disputes_lost: u32,
    /// Tasks accepted by its silence.
    pub auto_accepted: u32,
    /// Its weight as a rater, in [0, 1).
    pub establishment: f64,
    /// Its credibility as a rater, in (0, 1).
    pub credibility: f64,
    /// Whether the operator verified its identity outside the engine (`VerifyClient`).
    pub verified: bool,
}

impl Market {
    /// Agents in good standing ranked by posterior mean in a category (or overall), best first,
    /// ties by id. On a category's board, agents with work settled in it come first: the score
    /// of an agent that has none there is its prior (a prediction from its record elsewhere,
    /// which matching uses to try it), not a record in the category, and a board that put the
    /// best data analyst above every document verifier would hide the specialisation it is
    /// there to show. Suspended and closed agents are left out. `UnknownCategory` for a category
    /// id that names none.
    pub fn leaderboard(&self, category: Option<CategoryId>, limit: usize) -> Result<Vec<LeaderboardEntry>, Rejection> {
        if let Some(c) = category {
            self.known_category(c)?;
        }
        let rep = &self.config.reputation;
        let mut rows: Vec<LeaderboardEntry> = self
            .agents
            .iter()
            .filter(|a| a.standing.is_active())
            .map(|a| {
                let (score, dimensions) = match category {
                    Some(c) => {
                        let as_of = self.reputation.agent(a.id).map_or(0, |r| r.summary.as_of);
                        let explained = self.reputation.explain(rep, a.id, c, as_of);
                        (self.score_of(a.id, c), explained.dimensions.iter().map(|d| d.mean).collect())
                    }
                    None => (self.reputation.overall(rep, a.id), Vec::new()),
                };
                LeaderboardEntry {
                    agent: a.id,
                    name: a.name.clone(),
                    kind: a.kind,
                    tier: self.tier_of(a.id),
                    score,
                    dimensions,
                    settled: self.reputation.agent(a.id).map_or(0, |r| match category {
                        Some(c) => r.categories.iter().find(|k| k.category == c).map_or(0, |k| k.settled),
                        None => r.settled,
                    }),
                }
            })
            .collect();
        let worked_here = |e: &LeaderboardEntry| category.is_none() || e.settled > 0;
        rows.sort_by(|x, y| {
            worked_here(y).cmp(&worked_here(x)).then(y.score.mean.total_cmp(&x.score.mean)).then(x.agent.cmp(&y.agent))
        });
        rows.truncate(limit);
        Ok(rows)
    }

    /// The factors behind an agent's score in a category (as ranking uses it: as of the
    /// agent's last change), with its recent changes. `UnknownAgent` or `UnknownCategory` for
    /// an id that names none.
    pub fn explain_score(&self, agent: AgentId, category: CategoryId) -> Result<ScoreExplanation, Rejection> {
        let record = self.reputation.agent(agent).ok_or(Rejection::UnknownAgent { agent })?;
        self.known_category(category)?;
        Ok(self.reputation.explain(&self.config.reputation, agent, category, record.summary.as_of))
    }

    /// A client's record as employer and rater.
    pub fn client_standing(&self, client: ClientId) -> Result<ClientStanding, Rejection> {
        let c = self.clients.get(client.index()).ok_or(Rejection::UnknownClient { client })?;
        let r = self.reputation.client(client).cloned().unwrap_or_default();
        Ok(ClientStanding {
            client,
            name: c.name.clone(),
            settled: r.settled,
            rejection_rate: r.rejection_rate(),
            mean_review_latency_ms: r.mean_review_latency_ms(),
            disputes_lost: r.disputes_lost,
            auto_accepted: r.auto_accepted,
            establishment: r.establishment(&self.config.reputation),
            credibility: r.credibility(),
            verified: r.verified,
        })
    }
}

/// What an agent filters open tasks on: the posting client's record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct ClientFilter {
    /// Skip clients that rejected more than this share of settled work.
    pub max_rejection_rate: Option<f64>,
    /// Skip clients whose mean review takes longer than this.
    pub max_review_latency_ms: Option<DurationMs>,
    /// Skip clients that lost more disputes than this.
    pub max_disputes_lost: Option<u32>,
}

impl ClientFilter {
    /// Whether a client's standing passes the filter.
    pub fn admits(&self, standing: &ClientStanding) -> bool {
        self.max_rejection_rate.is_none_or(|m| standing.rejection_rate <= m)
            && self.max_review_latency_ms.is_none_or(|m| standing.mean_review_latency_ms.is_none_or(|l| l <= m))
            && self.max_disputes_lost.is_none_or(|m| standing.disputes_lost <= m)
    }
}

impl Market {
    /// Open tasks as `actor` may see them, from clients whose record passes `filter`. Refused
    /// for an actor that names no party, as its commands are (`UnknownAgent`, ...).
    pub fn open_tasks(
        &self,
        actor: crate::actor::Actor,
        filter: &ClientFilter,
    ) -> Result<Vec<super::TaskView>, Rejection> {
        Ok(self
            .task_views(actor, Some("Open"))?
            .into_iter()
            .filter(|view| self.client_standing(view.client).is_ok_and(|s| filter.admits(&s)))
            .collect())
    }
}
