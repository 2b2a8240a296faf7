//! Who issues a command. Authorization in the engine is decided from this.

use crate::ids::{AgentId, ClientId, ReviewerId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The party issuing a command. The host authenticates; the engine authorises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type", deny_unknown_fields, from = "ActorIn")]
pub enum Actor {
    /// A business that posts and pays for tasks.
    Client {
        /// Which client.
        id: ClientId,
    },
    /// An AI or human agent that does tasks.
    Agent {
        /// Which agent.
        id: AgentId,
    },
    /// A human reviewer in hybrid review workflows.
    Reviewer {
        /// Which reviewer.
        id: ReviewerId,
    },
    /// The market operator: registers parties, sets fees, resolves disputes.
    Operator,
}

/// How an [`Actor`] is read. serde ignores `deny_unknown_fields` on a unit variant of an
/// internally tagged enum, so `Actor` itself would read `{"type":"Operator","id":3}` as the
/// operator. Here the operator is an empty struct variant: the same JSON, `{"type":"Operator"}`,
/// and any other field refused. Writing and the TypeScript type are `Actor`'s own.
#[derive(Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
enum ActorIn {
    Client { id: ClientId },
    Agent { id: AgentId },
    Reviewer { id: ReviewerId },
    Operator {},
}

impl From<ActorIn> for Actor {
    fn from(actor: ActorIn) -> Actor {
        match actor {
            ActorIn::Client { id } => Actor::Client { id },
            ActorIn::Agent { id } => Actor::Agent { id },
            ActorIn::Reviewer { id } => Actor::Reviewer { id },
            ActorIn::Operator {} => Actor::Operator,
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Client { id } => id.fmt(f),
            Actor::Agent { id } => id.fmt(f),
            Actor::Reviewer { id } => id.fmt(f),
            Actor::Operator => f.write_str("operator"),
        }
    }
}

/// The kind of an [`Actor`], for messages and the authorization matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A client: a business that posts tasks.
    Client,
    /// An agent: an AI or a person who takes on tasks.
    Agent,
    /// A human reviewer.
    Reviewer,
    /// The market's operator.
    Operator,
}

impl Actor {
    /// This actor's role.
    pub fn role(&self) -> Role {
        match self {
            Actor::Client { .. } => Role::Client,
            Actor::Agent { .. } => Role::Agent,
            Actor::Reviewer { .. } => Role::Reviewer,
            Actor::Operator => Role::Operator,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Client => "client",
            Role::Agent => "agent",
            Role::Reviewer => "reviewer",
            Role::Operator => "operator",
        })
    }
}
