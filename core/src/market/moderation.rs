//! Deciding the operator's moderation and trust commands (suspend, reinstate and close a client
//! or an agent; verify a client; import a client's establishment spend), and the standing check
//! every command from a client or an agent passes first.
//!
//! What moderation keeps (and `load` checks, `snapshot_check.rs`): a suspended or closed agent
//! holds no work in progress (claimed or waiting on a question), no queued claim and no bid; a
//! suspended or closed client has no open task. Work already handed in (under review, rejected,
//! disputed) runs to settlement by the usual rules, silence included, so whoever did their part
//! is paid; money only ever moves as the existing events move it, so it is conserved.

use super::{validate, Market};
use crate::actor::Actor;
use crate::command::Command;
use crate::event::{EventKind, ReturnReason};
use crate::ids::{Timestamp, MAX_SAFE};
use crate::limits::MAX_TEXT_LEN;
use crate::party::{PartyRef, Standing};
use crate::rejection::Rejection;
use crate::task::{Task, TaskStatus};

impl Market {
    /// A party's standing, or why the id names nobody.
    pub fn standing(&self, party: PartyRef) -> Result<&Standing, Rejection> {
        match party {
            PartyRef::Client { id } => {
                self.clients.get(id.index()).map(|c| &c.standing).ok_or(Rejection::UnknownClient { client: id })
            }
            PartyRef::Agent { id } => {
                self.agents.get(id.index()).map(|a| &a.standing).ok_or(Rejection::UnknownAgent { agent: id })
            }
        }
    }

    /// Refuse every command from a suspended party, and every command but `Withdraw` from a
    /// closed one (its money is never confiscated). The actor must exist (`check_actor`).
    pub(super) fn check_standing(&self, actor: Actor, command: &Command) -> Result<(), Rejection> {
        let party = match actor {
            Actor::Client { id } => PartyRef::Client { id },
            Actor::Agent { id } => PartyRef::Agent { id },
            Actor::Reviewer { .. } | Actor::Operator => return Ok(()),
        };
        match self.standing(party)? {
            Standing::Active => Ok(()),
            Standing::Suspended { since, reason } => {
                Err(Rejection::Suspended { party, since: *since, reason: reason.clone() })
            }
            Standing::Closed { .. } if matches!(command, Command::Withdraw { .. }) => Ok(()),
            Standing::Closed { at, reason } => Err(Rejection::Closed { party, at: *at, reason: reason.clone() }),
        }
    }

    pub(super) fn decide_moderation(
        &self,
        now: Timestamp,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<EventKind>, Rejection> {
        if actor != Actor::Operator {
            let action = match &command {
                Command::SuspendParty { .. } => "suspend a party",
                Command::ReinstateParty { .. } => "reinstate a party",
                Command::CloseParty { .. } => "close a party",
                Command::VerifyClient { .. } => "verify a client",
                _ => "import a client's establishment",
            };
            return Err(Rejection::WrongRole { role: actor.role(), action: action.into() });
        }
        let invalid = |party: PartyRef, standing: &Standing, action: &str| Rejection::InvalidStanding {
            party,
            standing: standing.name().to_owned(),
            action: action.to_owned(),
        };
        match command {
            Command::SuspendParty { party, reason } => {
                validate::required_text("reason", &reason, MAX_TEXT_LEN)?;
                let standing = self.standing(party)?;
                if !standing.is_active() {
                    return Err(invalid(party, standing, "suspend"));
                }
                let mut events = vec![EventKind::PartySuspended { party, reason }];
                events.extend(self.withdrawal_of(party, "suspended", now));
                Ok(events)
            }
            Command::ReinstateParty { party, reason } => {
                validate::required_text("reason", &reason, MAX_TEXT_LEN)?;
                let standing = self.standing(party)?;
                if !matches!(standing, Standing::Suspended { .. }) {
                    return Err(invalid(party, standing, "reinstate"));
                }
                Ok(vec![EventKind::PartyReinstated { party, reason }])
            }
            Command::CloseParty { party, reason } => {
                validate::required_text("reason", &reason, MAX_TEXT_LEN)?;
                let standing = self.standing(party)?;
                if matches!(standing, Standing::Closed { .. }) {
                    return Err(invalid(party, standing, "close"));
                }
                let mut events = vec![EventKind::PartyClosed { party, reason }];
                // Nothing to withdraw from a suspended party: suspension did it already.
                events.extend(self.withdrawal_of(party, "closed", now));
                Ok(events)
            }
            Command::VerifyClient { client, note } => {
                self.clients.get(client.index()).ok_or(Rejection::UnknownClient { client })?;
                if let Some(note) = &note {
                    validate::text("note", note, MAX_TEXT_LEN)?;
                }
                Ok(vec![EventKind::ClientVerified { client, note }])
            }
            Command::ImportEstablishment { client, spend, note } => {
                self.clients.get(client.index()).ok_or(Rejection::UnknownClient { client })?;
                if spend > MAX_SAFE {
                    return Err(Rejection::out_of_range("spend", "beyond 2^53 - 1"));
                }
                if let Some(note) = &note {
                    validate::text("note", note, MAX_TEXT_LEN)?;
                }
                Ok(vec![EventKind::EstablishmentImported { client, spend, note }])
            }
            other => unreachable!("decide_moderation got {}", other.name()),
        }
    }

    /// What taking `party` out of the market at `now` does to the tasks: an agent loses its
    /// queued claims and bids and its work in progress goes back to open (or ends, see
    /// [`Market::reopened`]); a client's open tasks are cancelled and refunded. One pass over
    /// the tasks: moderation is rare.
    fn withdrawal_of(&self, party: PartyRef, what: &str, now: Timestamp) -> Vec<EventKind> {
        let mut events = Vec::new();
        for t in &self.tasks {
            let task = t.id;
            match (party, &t.status) {
                (PartyRef::Agent { id }, TaskStatus::Open { bids, queued }) => {
                    if queued.contains(&id) {
                        events.push(EventKind::ClaimLost { task, agent: id, reason: format!("{id} was {what}") });
                    }
                    if bids.iter().any(|b| b.agent == id) {
                        events.push(EventKind::BidWithdrawn { task, agent: id });
                    }
                }
                (PartyRef::Agent { id }, TaskStatus::Claimed { work } | TaskStatus::InputRequired { work, .. })
                    if work.agent == id =>
                {
                    events.push(EventKind::TaskReturned { task, agent: id, reason: ReturnReason::Moderated });
                    events.extend(self.reopened(t, now, true));
                }
                (PartyRef::Client { id }, TaskStatus::Open { .. }) if t.client == id => {
                    events.push(EventKind::TaskCancelled { task, refund: t.escrow });
                }
                _ => {}
            }
        }
        events
    }

    /// What follows a task going back to open at `now` (after the events that reopen it): a
    /// suspended or closed client's task is cancelled and refunded, as its suspension cancelled
    /// its other open tasks; with `expire_if_late`, a task past its claim-by time expires at once.
    pub(super) fn reopened(&self, t: &Task, now: Timestamp, expire_if_late: bool) -> Option<EventKind> {
        let client_active = self.clients.get(t.client.index()).is_none_or(|c| c.standing.is_active());
        if !client_active {
            return Some(EventKind::TaskCancelled { task: t.id, refund: t.escrow });
        }
        (expire_if_late && now >= t.spec.deadlines.claim_by)
            .then_some(EventKind::TaskExpired { task: t.id, refund: t.escrow })
    }
}
