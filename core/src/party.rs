//! The parties of the market and what the engine keeps about each.

use crate::actor::Actor;
use crate::ids::{AgentId, ClientId, Money, ReviewerId, Timestamp};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A client or an agent, as the operator's moderation commands name it. In JSON like an
/// [`Actor`]: `{"type": "Agent", "id": 3}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type", deny_unknown_fields)]
pub enum PartyRef {
    /// A client.
    Client {
        /// Which client.
        id: ClientId,
    },
    /// An agent.
    Agent {
        /// Which agent.
        id: AgentId,
    },
}

impl PartyRef {
    /// The actor this party acts as.
    pub fn actor(self) -> Actor {
        match self {
            PartyRef::Client { id } => Actor::Client { id },
            PartyRef::Agent { id } => Actor::Agent { id },
        }
    }
}

impl fmt::Display for PartyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartyRef::Client { id } => id.fmt(f),
            PartyRef::Agent { id } => id.fmt(f),
        }
    }
}

/// Whether a client or an agent may act, as the operator's moderation left it. In JSON a union
/// on `state`: `{"state": "Suspended", "since": 1000, "reason": "..."}`.
///
/// A suspended party may do nothing (its funds are frozen until it is reinstated); a closed one
/// may only withdraw its balance (money is never confiscated), and closing is final. Neither is
/// ranked, assigned or shown on leaderboards, and neither holds work in progress, queued claims,
/// bids or (a client) open tasks: suspension and closure release or cancel them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "state", deny_unknown_fields, from = "StandingIn")]
pub enum Standing {
    /// In good standing (every party starts here).
    #[default]
    Active,
    /// Suspended by the operator until reinstated.
    Suspended {
        /// When.
        since: Timestamp,
        /// The operator's reason.
        reason: String,
    },
    /// Closed by the operator, for good.
    Closed {
        /// When.
        at: Timestamp,
        /// The operator's reason.
        reason: String,
    },
}

/// How a [`Standing`] is read from a snapshot: `Active` as an empty struct variant (the same
/// JSON), because serde ignores `deny_unknown_fields` on a unit variant of an internally tagged
/// enum. See `ActorIn` in `actor.rs`.
#[derive(Deserialize)]
#[serde(tag = "state", deny_unknown_fields)]
enum StandingIn {
    Active {},
    Suspended { since: Timestamp, reason: String },
    Closed { at: Timestamp, reason: String },
}

impl From<StandingIn> for Standing {
    fn from(standing: StandingIn) -> Standing {
        match standing {
            StandingIn::Active {} => Standing::Active,
            StandingIn::Suspended { since, reason } => Standing::Suspended { since, reason },
            StandingIn::Closed { at, reason } => Standing::Closed { at, reason },
        }
    }
}

impl Standing {
    /// Whether the party is in good standing.
    pub fn is_active(&self) -> bool {
        matches!(self, Standing::Active)
    }

    /// The state's name, as its JSON `state`.
    pub fn name(&self) -> &'static str {
        match self {
            Standing::Active => "Active",
            Standing::Suspended { .. } => "Suspended",
            Standing::Closed { .. } => "Closed",
        }
    }
}

/// Whether an agent is software or a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum AgentKind {
    /// An AI agent.
    Ai,
    /// A person.
    Human,
}

/// A declared skill and its level, 1 (novice) to 5 (expert).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct Skill {
    /// Skill name, e.g. `"fin-docs"`.
    pub name: String,
    /// Level, 1 to 5.
    pub level: u8,
}

/// A business with an account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Client {
    /// Its id.
    pub id: ClientId,
    /// Display name.
    pub name: String,
    /// The organisation behind it, for conflict-of-interest checks.
    pub owner: String,
    /// Funds available to post tasks, in minor units.
    pub balance: Money,
    /// Whether it may act (moderation). Absent in snapshots while active.
    #[serde(default, skip_serializing_if = "Standing::is_active")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub standing: Standing,
    /// The rare skills it settled work behind while established, sorted by name
    /// (`market/gate_vouchers.rs`): its vouch that tasks behind such a skill are a specialty
    /// several clients use, not one client's pick of its own agents. Absent in snapshots while
    /// empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub vouched_gates: Vec<String>,
    /// What its unfinished tasks store together (`TaskSpec::stored_bytes`), bounded by
    /// `limits::MAX_CLIENT_LIVE_BYTES`. Derived from the tasks and rebuilt on load.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", tsify(skip))]
    pub live_bytes: u64,
    /// Derived: the interned key of `owner` (see [`crate::owner`]), compared by every
    /// conflict-of-interest check. Rebuilt on load, set at registration.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", tsify(skip))]
    pub(crate) owner_code: u32,
}

/// An agent's public profile and account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Agent {
    /// Its id.
    pub id: AgentId,
    /// Display name.
    pub name: String,
    /// AI or human.
    pub kind: AgentKind,
    /// The organisation behind it, for conflict-of-interest checks.
    pub owner: String,
    /// Declared skills, sorted by name.
    pub skills: Vec<Skill>,
    /// Tasks it may hold at once.
    pub capacity: u32,
    /// The least reward it wants per task, in minor units (matching filters on it).
    pub min_rate: Money,
    /// Earnings not yet withdrawn.
    pub balance: Money,
    /// Whether it may act (moderation). Absent in snapshots while active.
    #[serde(default, skip_serializing_if = "Standing::is_active")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub standing: Standing,
    /// Tasks it holds now (claimed or waiting on a clarification). Derived from the tasks and
    /// rebuilt on load, never trusted from a snapshot.
    #[serde(skip)]
    pub active: u32,
    /// Derived: the declared skills as interned codes, inline, so that ranking 10^5 agents does
    /// not chase a pointer per skill name. Rebuilt on load, kept in step by `evolve`.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", tsify(skip))]
    pub(crate) skill_codes: SkillCodes,
    /// Derived: the interned key of `owner` (see [`crate::owner`]), compared by every
    /// conflict-of-interest check. Rebuilt on load, set at registration.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", tsify(skip))]
    pub(crate) owner_code: u32,
}

/// Up to eight (skill code, level) pairs stored inline; agents with more skills are looked up by
/// name instead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SkillCodes {
    codes: [(u32, u8); 8],
    len: u8,
    overflow: bool,
}

impl SkillCodes {
    pub(crate) fn new(codes: impl ExactSizeIterator<Item = (u32, u8)>) -> SkillCodes {
        let mut out = SkillCodes { overflow: codes.len() > 8, ..SkillCodes::default() };
        for (slot, code) in out.codes.iter_mut().zip(codes) {
            *slot = code;
            out.len += 1;
        }
        out
    }
}

impl Agent {
    /// The declared skills as (code, level) pairs, if they are all stored inline.
    pub(crate) fn inline_skill_codes(&self) -> Option<&[(u32, u8)]> {
        let codes = &self.skill_codes;
        (!codes.overflow).then(|| &codes.codes[..usize::from(codes.len)])
    }

    /// The declared level of a skill, given its name and (if any agent declared it) its code.
    pub(crate) fn skill_level_coded(&self, skill: &str, code: Option<u32>) -> Option<u8> {
        if self.skill_codes.overflow {
            return self.skill_level(skill);
        }
        let code = code?;
        self.skill_codes.codes[..usize::from(self.skill_codes.len)].iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
    }

    /// The declared level of a skill, if any.
    pub fn skill_level(&self, skill: &str) -> Option<u8> {
        self.skills.binary_search_by(|s| s.name.as_str().cmp(skill)).ok().map(|i| self.skills[i].level)
    }
}

/// A human reviewer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Reviewer {
    /// Its id.
    pub id: ReviewerId,
    /// Display name.
    pub name: String,
    /// The organisation behind it, for conflict-of-interest checks.
    pub owner: String,
    /// Derived: the interned key of `owner` (see [`crate::owner`]), compared by every
    /// conflict-of-interest check. Rebuilt on load, set at registration.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", tsify(skip))]
    pub(crate) owner_code: u32,
}
