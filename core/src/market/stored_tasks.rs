//! How a snapshot stores tasks: an unfinished task as the object [`Task`] serialises to, a
//! finished one as a short array `[id, client, category, title, pricing, spec_hash, posted_at,
//! fee_bps, end]`, e.g. `[7,0,1,"Extract invoice 7",{"Fixed":1000},"a21b…",1,1000,
//! {"Settled":[3,"accepted",true,false]}]` (a fixed reward with a tier premium is
//! `{"Premium":1000}`). A market's history is mostly finished tasks, so this
//! record is what sizes a long-lived snapshot (about 110 bytes a task against 750 for the
//! archived object). The category's name is not repeated per task: `load` fills it in from the
//! category table ([`Market::archive_finished_specs`]). Pricing and end are externally tagged:
//! read as internally tagged objects (as `Pricing` and `TaskStatus` are), serde buffers every
//! value before it can choose the variant, which took most of a large load's time.

use super::Market;
use crate::event::Verdict;
use crate::hash::Digest;
use crate::ids::{AgentId, Bps, CategoryId, ClientId, Money, TaskId, Timestamp};
use crate::spec::{AwardPolicy, Pricing, TaskSpec};
use crate::task::{Task, TaskStatus};
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// The fields of a finished task's record, in order.
type Finished = (TaskId, ClientId, CategoryId, String, RecordPricing, Digest, Timestamp, Bps, RecordEnd);

/// [`Pricing`] in a record.
#[derive(Serialize, Deserialize)]
enum RecordPricing {
    Fixed(Money),
    Bids(Money, AwardPolicy, Timestamp),
    /// A fixed reward with a tier premium (a variant of its own, so records written before
    /// premiums existed read as they were).
    Premium(Money),
}

impl From<&Pricing> for RecordPricing {
    fn from(pricing: &Pricing) -> Self {
        match *pricing {
            Pricing::Fixed { reward, tier_premium: false } => RecordPricing::Fixed(reward),
            Pricing::Fixed { reward, tier_premium: true } => RecordPricing::Premium(reward),
            Pricing::Bids { ceiling, award, bidding_closes_at } => {
                RecordPricing::Bids(ceiling, award, bidding_closes_at)
            }
        }
    }
}

impl From<RecordPricing> for Pricing {
    fn from(pricing: RecordPricing) -> Self {
        match pricing {
            RecordPricing::Fixed(reward) => Pricing::Fixed { reward, tier_premium: false },
            RecordPricing::Premium(reward) => Pricing::Fixed { reward, tier_premium: true },
            RecordPricing::Bids(ceiling, award, bidding_closes_at) => {
                Pricing::Bids { ceiling, award, bidding_closes_at }
            }
        }
    }
}

/// How a finished task ended (its final [`TaskStatus`]): only final states can be written here.
#[derive(Serialize, Deserialize)]
enum RecordEnd {
    /// Agent, verdict, verified, rated: work the market chose (the only kind older snapshots hold).
    Settled(AgentId, Verdict, bool, bool),
    Cancelled,
    Expired,
    /// The same, for work the market did not choose (`matched: false`). A variant of its own,
    /// so that older snapshots' four-field `Settled` reads unchanged.
    SettledUnmatched(AgentId, Verdict, bool, bool),
}

impl RecordEnd {
    fn of(status: &TaskStatus) -> Option<RecordEnd> {
        match *status {
            TaskStatus::Settled { agent, verdict, verified, rated, matched: true } => {
                Some(RecordEnd::Settled(agent, verdict, verified, rated))
            }
            TaskStatus::Settled { agent, verdict, verified, rated, matched: false } => {
                Some(RecordEnd::SettledUnmatched(agent, verdict, verified, rated))
            }
            TaskStatus::Cancelled => Some(RecordEnd::Cancelled),
            TaskStatus::Expired => Some(RecordEnd::Expired),
            _ => None,
        }
    }

    fn status(self) -> TaskStatus {
        match self {
            RecordEnd::Settled(agent, verdict, verified, rated) => {
                TaskStatus::Settled { agent, verdict, verified, rated, matched: true }
            }
            RecordEnd::SettledUnmatched(agent, verdict, verified, rated) => {
                TaskStatus::Settled { agent, verdict, verified, rated, matched: false }
            }
            RecordEnd::Cancelled => TaskStatus::Cancelled,
            RecordEnd::Expired => TaskStatus::Expired,
        }
    }
}

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
        let Some(end) = RecordEnd::of(&t.status) else { return t.serialize(serializer) };
        // Escrow is zero once a task is finished (an audited invariant), so it is not stored.
        let pricing = RecordPricing::from(&t.spec.pricing);
        (t.id, t.client, t.category, &t.spec.title, pricing, t.spec_hash, t.posted_at, t.fee_bps, end)
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
        f.write_str("a task object, or a finished task as [id, client, category, title, pricing, spec_hash, posted_at, fee_bps, end]")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loaded, A::Error> {
        Task::deserialize(MapAccessDeserializer::new(map)).map(Loaded)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Loaded, A::Error> {
        let (id, client, category, title, pricing, spec_hash, posted_at, fee_bps, end): Finished =
            Deserialize::deserialize(SeqAccessDeserializer::new(seq))?;
        let status = end.status();
        let spec = Arc::new(TaskSpec::archive(title, String::new(), pricing.into()));
        let (dropped_by, shortlist) = (Vec::new(), Vec::new());
        Ok(Loaded(Task {
            id,
            client,
            category,
            spec,
            spec_hash,
            posted_at,
            escrow: 0,
            fee_bps,
            status,
            dropped_by,
            shortlist,
        }))
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
