//! Customer outreach: write one message per borrower and plan the follow-up, adapted to each
//! borrower's status, days past due and latest reply.
//!
//! The generator draws a lender's borrower records (an inline CSV input `borrowers` with the
//! columns [`COLUMNS`], in an order drawn per task) and the truth only the lender knows: the
//! right follow-up [`Action`] per borrower and the [`Fact`]s a good message mentions. Some
//! records are ambiguous ([`Ambiguity`]): the status and the days past due disagree, or the
//! latest reply contradicts the status. The lender settles each kind of ambiguity by one
//! market-wide convention ([`answer`]), so an agent that remembers an answer need not ask again.
//!
//! Two methods do the work: [`segment_aware`] (reads every record and reply, picks the action
//! by the rules of the instructions, writes a message fitted to the segment and the reply, asks
//! when a record is ambiguous) and [`template`] (one reminder for everybody, with a mail-merge
//! bug on records without a last contact). [`SegmentWriter`] and [`TemplateMailer`] are the
//! agents that use them.
//!
//! The code is split by purpose: the instructions' vocabulary and rules (`rules`), the
//! ambiguities and the lender's answers (`answers`), the hidden truth (`truth`), how money is
//! printed and read (`amounts`), the generator (`generate`) and its acceptance criteria
//! (`acceptance`), the accuracy measure (`measure`), reading the borrower table and writing
//! output records (`reading`, `writing`), one file per method (`segment_aware`, `template`) and
//! the agents (`agents`). Every public item is re-exported here, so its path is
//! `work::outreach::Name` whichever file holds it.

mod acceptance;
mod agents;
mod amounts;
mod answers;
mod generate;
mod measure;
mod reading;
mod rules;
mod segment_aware;
mod template;
#[cfg(test)]
mod testing;
mod truth;
mod writing;

pub use acceptance::{acceptance, MIN_CONFIDENCE_BPS};
pub use agents::{SegmentWriter, TemplateMailer, SEGMENT_AWARE, TEMPLATE};
pub use amounts::instalment;
pub use answers::{answer, Ambiguity};
pub use generate::{generate, COLUMNS, INPUT};
pub use measure::{accuracy, tone_fits, PRESSURE_WORDS, THREAT_FROM_DAYS, THREAT_WORDS};
pub use rules::{decide, Action, Decided, Intent, Segment, Status};
pub use segment_aware::{classify_reply, segment_aware};
pub use template::template;
pub use truth::{BorrowerTruth, Fact, Truth};
