//! Request ids: a repeated command is a no-op, a reused id a rejection.
//!
//! Entries live for `request_retention_ms` after the event that recorded them. Pruning happens
//! inside `evolve`, keyed on event time, so a replayed market prunes exactly as the live one did.

use super::config::MarketConfig;
use crate::actor::Actor;
use crate::command::Command;
use crate::hash::Digest;
use crate::ids::Timestamp;
use crate::limits::MAX_REQUEST_ID_LEN;
use crate::rejection::Rejection;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// The fingerprint of a command as sent by an actor.
pub(crate) fn fingerprint(actor: &Actor, command: &Command) -> Digest {
    Digest::of(&(actor, command))
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(into = "Vec<RequestEntry>", from = "Vec<RequestEntry>")]
pub(crate) struct RequestLog {
    /// (actor, request id) → (fingerprint, recorded at).
    entries: BTreeMap<(Actor, String), (Digest, Timestamp)>,
    /// Entries in the order recorded (which is time order, since time never goes back).
    order: VecDeque<(Timestamp, Actor, String)>,
}

/// One remembered request, as snapshots store it (JSON maps need string keys).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct RequestEntry {
    actor: Actor,
    request_id: String,
    fingerprint: Digest,
    at: Timestamp,
}

impl From<RequestLog> for Vec<RequestEntry> {
    fn from(log: RequestLog) -> Self {
        // Sorted by (time, actor, id): one canonical order, whatever order they were made in.
        let mut list: Vec<RequestEntry> = log
            .entries
            .into_iter()
            .map(|((actor, request_id), (fingerprint, at))| RequestEntry { actor, request_id, fingerprint, at })
            .collect();
        list.sort_by(|a, b| (a.at, a.actor, &a.request_id).cmp(&(b.at, b.actor, &b.request_id)));
        list
    }
}

impl From<Vec<RequestEntry>> for RequestLog {
    fn from(list: Vec<RequestEntry>) -> Self {
        let mut log = RequestLog::default();
        for e in list {
            log.entries.insert((e.actor, e.request_id), (e.fingerprint, e.at));
        }
        log.rebuild_order();
        log
    }
}

impl RequestLog {
    /// Whether this request was seen before with the same content (`Ok(true)`), never or long
    /// ago (`Ok(false)`), or with different content (`Err`).
    pub(crate) fn seen(
        &self,
        config: &MarketConfig,
        now: Timestamp,
        actor: &Actor,
        request_id: &str,
        fingerprint: Digest,
    ) -> Result<bool, Rejection> {
        if request_id.is_empty() || request_id.len() > MAX_REQUEST_ID_LEN {
            return Err(Rejection::out_of_range("request_id", format!("1 to {MAX_REQUEST_ID_LEN} bytes")));
        }
        match self.entries.get(&(*actor, request_id.to_owned())) {
            Some((_, at)) if at.saturating_add(config.request_retention_ms) <= now => Ok(false),
            Some((seen, _)) if *seen == fingerprint => Ok(true),
            Some(_) => Err(Rejection::RequestIdReused { request_id: request_id.to_owned() }),
            None => Ok(false),
        }
    }

    pub(crate) fn record(&mut self, at: Timestamp, actor: Actor, request_id: &str, fingerprint: Digest) {
        self.entries.insert((actor, request_id.to_owned()), (fingerprint, at));
        self.order.push_back((at, actor, request_id.to_owned()));
    }

    /// Forget entries recorded at or before `now - retention`.
    pub(crate) fn prune(&mut self, now: Timestamp, retention: u64) {
        while let Some((at, _, _)) = self.order.front() {
            if at.saturating_add(retention) > now {
                break;
            }
            if let Some((at, actor, id)) = self.order.pop_front() {
                let key = (actor, id);
                // A later re-record of the same key (after expiry) must survive.
                if self.entries.get(&key).is_some_and(|(_, recorded)| *recorded == at) {
                    self.entries.remove(&key);
                }
            }
        }
    }

    /// Every remembered request as (recorded at, actor, request id), for `load`'s checks.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (Timestamp, Actor, &str)> {
        self.entries.iter().map(|((actor, id), (_, at))| (*at, *actor, id.as_str()))
    }

    pub(crate) fn rebuild_order(&mut self) {
        let mut order: Vec<_> = self.entries.iter().map(|((actor, id), (_, at))| (*at, *actor, id.clone())).collect();
        order.sort();
        self.order = order.into();
    }
}
