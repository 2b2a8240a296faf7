//! How a snapshot stores tasks: an unfinished task as the object [`Task`] serialises to, a
//! finished one as a short array `[id, client, category, title, pricing, spec_hash, posted_at,
//! fee_bps, status]`. A market's history is mostly finished tasks, so this record is what sizes a
//! long-lived snapshot (about 140 bytes a task against 750 for the archived object). The
//! category's name is not repeated per task: `load` fills it in from the category table
//! ([`Market::archive_finished_specs`]).

use super::Market;
use crate::hash::Digest;
use crate::ids::{Bps, CategoryId, ClientId, TaskId, Timestamp};
use crate::spec::{Pricing, TaskSpec};
use crate::task::{Task, TaskStatus};
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Error as _, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// The fields of a finished task's record, in order.
type Finished = (TaskId, ClientId, CategoryId, String, Pricing, Digest, Timestamp, Bps, TaskStatus);

pub(super) fn serialize<S: Serializer>(tasks: &[Task], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(tasks.iter().map(Stored))
}

pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Task>, D::Error> {
    let loaded = Vec::<Loaded>::deserialize(deserializer)?;
    Ok(loaded.into_iter().map(|l| l.0).collect())
}

struct Stored<'a>(&'a Task);

impl Serialize for Stored<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        if !t.status.is_terminal() {
            return t.serialize(serializer);
        }
        // Escrow is zero once a task is finished (an audited invariant), so it is not stored.
        (t.id, t.client, t.category, &t.spec.title, &t.spec.pricing, t.spec_hash, t.posted_at, t.fee_bps, &t.status)
            .serialize(serializer)
    }
}

struct Loaded(Task);

impl<'de> Deserialize<'de> for Loaded {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LoadedVisitor)
    }
}

struct LoadedVisitor;

impl<'de> Visitor<'de> for LoadedVisitor {
    type Value = Loaded;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a task object, or a finished task as [id, client, category, title, pricing, spec_hash, posted_at, fee_bps, status]")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loaded, A::Error> {
        Task::deserialize(MapAccessDeserializer::new(map)).map(Loaded)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Loaded, A::Error> {
        let (id, client, category, title, pricing, spec_hash, posted_at, fee_bps, status): Finished =
            Deserialize::deserialize(SeqAccessDeserializer::new(seq))?;
        if !status.is_terminal() {
            return Err(A::Error::custom(format!(
                "{id} is {}: only finished tasks are stored as arrays",
                status.name()
            )));
        }
        let spec = Arc::new(TaskSpec::archive(title, String::new(), pricing));
        let dropped_by = Vec::new();
        Ok(Loaded(Task { id, client, category, spec, spec_hash, posted_at, escrow: 0, fee_bps, status, dropped_by }))
    }
}

impl Market {
    /// Give each finished task the archived specification a live market's views show: a task
    /// loaded from its short record gets its category's name (an id out of range is left for the
    /// snapshot check to report); with `version_1`, whose snapshots stored finished tasks as
    /// objects with more of their specification, each is archived now.
    pub(super) fn archive_finished_specs(&mut self, version_1: bool) {
        for t in &mut self.tasks {
            if !t.status.is_terminal() {
                continue;
            }
            if version_1 && !t.spec.is_archived() {
                t.spec = Arc::new(t.spec.archived());
            }
            if t.spec.category.is_empty() {
                if let Some(name) = self.categories.get(t.category.index()) {
                    Arc::make_mut(&mut t.spec).category = name.clone();
                }
            }
        }
    }
}
