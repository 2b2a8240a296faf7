//! The task specification: everything an agent needs to know before it claims, pinned by a
//! content hash at posting so an agent claims exactly what was posted.

use crate::ids::{Bps, DurationMs, Money, Timestamp};
use crate::tier::Tier;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

/// A task as the client specifies it.
#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct TaskSpec {
    /// A one-line summary.
    pub title: String,
    /// The category reputation is kept per, e.g. `"invoice-extraction"`.
    pub category: String,
    /// What to do, for the agent.
    #[serde(default)]
    pub instructions: String,
    /// Skills the agent must have declared, at or above a level.
    #[serde(default)]
    pub required_skills: Vec<SkillRequirement>,
    /// Input data the agent works on, each with a data classification.
    #[serde(default)]
    pub inputs: Vec<InputRef>,
    /// What the output must satisfy, checked by machine at submission.
    pub acceptance: AcceptanceCriteria,
    /// Who reviews verified work and how long they have.
    pub review: ReviewPolicy,
    /// Fixed reward, or bids under a ceiling.
    pub pricing: Pricing,
    /// Claim-by time, the work lease and clarification rules.
    pub deadlines: Deadlines,
    /// Who may take the task.
    #[serde(default)]
    pub eligibility: Eligibility,
    /// An optional opening period during which only agents of a tier may claim.
    #[serde(default)]
    pub priority_window: Option<PriorityWindow>,
}

impl TaskSpec {
    /// About how many bytes the specification takes in a snapshot: every text it carries plus a
    /// fixed allowance per item and for the numbers. The limits on what a task may store
    /// ([`crate::limits::task_bytes_allowed`]) are counted in it.
    pub fn stored_bytes(&self) -> usize {
        /// Numbers, tags and punctuation of one list item, or of the fixed part of the spec.
        const PER_ITEM: usize = 32;
        let skills: usize = self.required_skills.iter().map(|s| s.skill.len() + PER_ITEM).sum();
        let inputs: usize = self
            .inputs
            .iter()
            .map(|i| i.name.len() + i.uri.len() + i.content.as_ref().map_or(0, String::len) + PER_ITEM)
            .sum();
        let fields: usize = self.acceptance.fields.iter().map(|f| f.name.len() + PER_ITEM).sum();
        let criteria: usize =
            self.acceptance.criteria.iter().map(|c| c.name.len() + c.check.stored_bytes() + PER_ITEM).sum();
        self.title.len() + self.category.len() + self.instructions.len() + skills + inputs + fields + criteria + 512
    }

    /// What a finished task keeps of its specification: title, category and money. The
    /// instructions, inputs, skills, criteria, deadlines and policies are history — the
    /// `TaskPosted` event holds them — and dropping them keeps snapshots sized by the live market
    /// plus a small record per finished task.
    pub fn archived(&self) -> TaskSpec {
        TaskSpec::archive(self.title.clone(), self.category.clone(), self.pricing.clone())
    }

    /// Whether this is already an archived specification (cheap: compares without building one).
    pub fn is_archived(&self) -> bool {
        let empty = TaskSpec::archive(String::new(), String::new(), self.pricing.clone());
        self.instructions.is_empty()
            && self.required_skills.is_empty()
            && self.inputs.is_empty()
            && self.acceptance == empty.acceptance
            && self.review == empty.review
            && self.deadlines == empty.deadlines
            && self.eligibility == empty.eligibility
            && self.priority_window.is_none()
    }

    /// The archived specification of a finished task (see [`TaskSpec::archived`]).
    pub fn archive(title: String, category: String, pricing: Pricing) -> TaskSpec {
        TaskSpec {
            title,
            category,
            instructions: String::new(),
            required_skills: Vec::new(),
            inputs: Vec::new(),
            acceptance: AcceptanceCriteria::default(),
            review: ReviewPolicy {
                window_ms: 0,
                human_review_below_confidence_bps: None,
                human_sample_bps: 0,
                max_revisions: 0,
            },
            pricing,
            deadlines: Deadlines { claim_by: 0, lease_ms: 0, clarification_timeout_ms: 0, max_clarifications: 0 },
            eligibility: Eligibility::default(),
            priority_window: None,
        }
    }
}

/// A required skill and the least declared level (1 to 5) that qualifies.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct SkillRequirement {
    /// Skill name, e.g. `"fin-docs"`.
    pub skill: String,
    /// Least level, 1 to 5.
    pub min_level: u8,
}

/// Input data the agent works on: a reference (a URI, a blob key) the engine only stores, or the
/// data itself inline (a document batch, a dataset as CSV with a header row), which checks can
/// read. Exactly one of the two is given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct InputRef {
    /// Name the instructions and checks refer to.
    pub name: String,
    /// Where the data is; omitted (empty) when the data is inline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub uri: String,
    /// The data itself, as text: at most 256 KiB, and counted in what the task may store (more
    /// needs a larger reward). A table is CSV (RFC 4180: commas, `"` quotes, a
    /// header row), which the checks `ItemsIn` and `OwnRecordOnly` read by column name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub content: Option<String>,
    /// Who may see the reference or the data.
    pub classification: DataClass,
}

// Written by hand so that an input without inline content hashes exactly as before `content`
// existed: specifications posted earlier keep their pinned hash.
impl Hash for InputRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.uri.hash(state);
        self.classification.hash(state);
        if let Some(content) = &self.content {
            content.hash(state);
        }
    }
}

/// How sensitive an input is; views redact what an actor may not see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum DataClass {
    /// Anyone may see it.
    #[default]
    Public,
    /// The task's client, its current assignee and a human reviewer the work is routed to.
    Confidential,
    /// The task's client and its current assignee only.
    Restricted,
}

/// Machine-checkable acceptance criteria.
#[derive(Clone, Debug, Default, PartialEq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct AcceptanceCriteria {
    /// Output fields and their types. Each is checked as the criterion `field:<name>`.
    #[serde(default)]
    pub fields: Vec<OutputField>,
    /// Further named checks over the output.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    /// Least self-reported confidence, in basis points; checked as the criterion `confidence`.
    #[serde(default)]
    pub min_confidence_bps: Bps,
}

/// An output field the task expects.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct OutputField {
    /// Field name.
    pub name: String,
    /// Its type.
    pub kind: FieldKind,
    /// Whether it must be present (default true).
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// The type of an output field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Text.
    Text,
    /// Any finite number.
    Number,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Bool,
    /// A list of values (`[...]`).
    List,
    /// Named values (`{...}`).
    Record,
}

/// A named acceptance check.
#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// The name failures and rejections cite.
    pub name: String,
    /// What is checked.
    pub check: Check,
}

/// A finite number inside a specification (hashable by its bits).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(transparent)]
pub struct Real(pub f64);

impl Hash for Real {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(if self.0 == 0.0 { 0 } else { self.0.to_bits() });
    }
}

/// One machine-checkable condition on an output field. A check on an absent optional field passes.
/// Inside an `Each` check, `field` names a member of each item (a record) of the list.
#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Check {
    /// A numeric field lies within bounds (inclusive).
    Range {
        /// The field.
        field: String,
        /// Least value, if any.
        #[serde(default)]
        min: Option<Real>,
        /// Greatest value, if any.
        #[serde(default)]
        max: Option<Real>,
    },
    /// A text field is one of the listed values.
    OneOf {
        /// The field.
        field: String,
        /// The allowed values.
        values: Vec<String>,
    },
    /// A text field matches a glob pattern: `*` any run, `?` one character, `#` one digit,
    /// `\` escapes the next character.
    Pattern {
        /// The field.
        field: String,
        /// The pattern.
        pattern: String,
    },
    /// A text field's length in characters lies within bounds (inclusive).
    Length {
        /// The field.
        field: String,
        /// Least length, if any.
        #[serde(default)]
        min: Option<u32>,
        /// Greatest length, if any.
        #[serde(default)]
        max: Option<u32>,
    },
    /// `check` holds for every item of the list `field`, each item a record whose members
    /// `check` names. A failure names the first item that fails (`documents[3]: ...`).
    Each {
        /// The list.
        field: String,
        /// What every item must satisfy.
        check: Box<Check>,
    },
    /// The numbers in the list `field` add up to the number `total` (within `tolerance`, default
    /// half a minor unit, 0.005): a total equals the sum of its line items.
    SumEquals {
        /// The list of numbers.
        field: String,
        /// The number field holding the total.
        total: String,
        /// Largest difference accepted, if not 0.005.
        #[serde(default)]
        tolerance: Option<Real>,
    },
    /// Every item of the list `field` (or, when `key` is given, that member of every record
    /// item) is a value in the column `column` of the inline table input `input`: every flagged
    /// row exists in the dataset. With `complete`, every value of the column is also named, once.
    ItemsIn {
        /// The list.
        field: String,
        /// The member of each record item to look up; none when the items are plain values.
        #[serde(default)]
        key: Option<String>,
        /// The input holding the table.
        input: String,
        /// The table's column.
        column: String,
        /// Whether every value of the column must be named exactly once.
        #[serde(default)]
        complete: bool,
    },
    /// Every record of the list `field` names a row of the inline table `input` by its member
    /// `key` (matched against the column `id_column`), and its text member `text` mentions that
    /// row's `name_column` value and no other row's (case-insensitive): a message names its own
    /// borrower and no other.
    OwnRecordOnly {
        /// The list of records.
        field: String,
        /// The member naming the row.
        key: String,
        /// The text member that must mention only its own row.
        text: String,
        /// The input holding the table.
        input: String,
        /// The column of row ids.
        id_column: String,
        /// The column of names that must not leak between rows.
        name_column: String,
    },
}

impl Check {
    /// The output field this check reads (the list, for checks over lists).
    pub fn field(&self) -> &str {
        match self {
            Check::Range { field, .. }
            | Check::OneOf { field, .. }
            | Check::Pattern { field, .. }
            | Check::Length { field, .. }
            | Check::Each { field, .. }
            | Check::SumEquals { field, .. }
            | Check::ItemsIn { field, .. }
            | Check::OwnRecordOnly { field, .. } => field,
        }
    }

    /// The input this check reads, if it reads one.
    pub fn input(&self) -> Option<&str> {
        match self {
            Check::ItemsIn { input, .. } | Check::OwnRecordOnly { input, .. } => Some(input),
            Check::Each { check, .. } => check.input(),
            _ => None,
        }
    }

    /// How many `Each` levels this check has (0 for a check on one field).
    pub fn depth(&self) -> usize {
        match self {
            Check::Each { check, .. } => 1 + check.depth(),
            _ => 0,
        }
    }

    /// About how many bytes the check takes in a snapshot: its texts, plus a fixed allowance for
    /// its numbers (the four original checks count exactly as they always did, so the size of a
    /// specification posted before the others existed is unchanged).
    pub fn stored_bytes(&self) -> usize {
        const NUMBERS: usize = 32;
        let rest = match self {
            Check::OneOf { values, .. } => values.iter().map(|v| v.len() + 4).sum(),
            Check::Pattern { pattern, .. } => pattern.len(),
            Check::Range { .. } | Check::Length { .. } => NUMBERS,
            Check::Each { check, .. } => check.stored_bytes() + NUMBERS,
            Check::SumEquals { total, .. } => total.len() + NUMBERS,
            Check::ItemsIn { key, input, column, .. } => {
                key.as_ref().map_or(0, String::len) + input.len() + column.len() + NUMBERS
            }
            Check::OwnRecordOnly { key, text, input, id_column, name_column, .. } => {
                key.len() + text.len() + input.len() + id_column.len() + name_column.len() + NUMBERS
            }
        };
        self.field().len() + rest
    }
}

/// Who reviews verified work, and how long silence lasts before it counts as acceptance.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicy {
    /// Time the reviewer has after verification; silence past it accepts the work.
    pub window_ms: DurationMs,
    /// Route to a human reviewer when the agent's self-reported confidence is below this.
    #[serde(default)]
    pub human_review_below_confidence_bps: Option<Bps>,
    /// Route this share of the remaining submissions to a human reviewer, drawn from the
    /// market's seeded generator.
    #[serde(default)]
    pub human_sample_bps: Bps,
    /// Revision rounds the reviewer may ask for.
    #[serde(default)]
    pub max_revisions: u8,
}

// `Hash` is written by hand: it hashes exactly what `#[derive(Hash)]` did before `tier_premium`
// existed, adding the flag only when it is set, so every specification posted without a premium
// keeps its content hash (and old snapshots their pinned `spec_hash`).
/// How the price is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Pricing {
    /// A fixed reward; the first eligible claim (or the best during a priority window) wins.
    Fixed {
        /// The reward, escrowed at posting.
        reward: Money,
        /// Pay the agent that takes the task the reward times its tier's rate multiplier (never
        /// below 100 %). Posting then escrows the most any tier could be paid (the reward times the
        /// top tier's multiplier); what the taker's tier does not use goes back to the client at
        /// settlement. Omitted in JSON when `false`.
        #[serde(default, skip_serializing_if = "is_false")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        tier_premium: bool,
    },
    /// Agents bid a price and an ETA at or under the ceiling; the ceiling is escrowed.
    Bids {
        /// The most the client will pay.
        ceiling: Money,
        /// How the winning bid is chosen.
        award: AwardPolicy,
        /// When bidding closes; a policy other than `client` awards then.
        bidding_closes_at: Timestamp,
    },
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Hash for Pricing {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // As `#[derive(Hash)]` writes it: the discriminant as an `isize`, then the fields.
        match self {
            Pricing::Fixed { reward, tier_premium } => {
                0isize.hash(state);
                reward.hash(state);
                if *tier_premium {
                    true.hash(state);
                }
            }
            Pricing::Bids { ceiling, award, bidding_closes_at } => {
                1isize.hash(state);
                ceiling.hash(state);
                award.hash(state);
                bidding_closes_at.hash(state);
            }
        }
    }
}

/// The rate multiplier a tier premium pays an agent of `tier`, in basis points: its tier's
/// [`Tier::rate_multiplier_bps`], but never below 100 % (a premium only raises the reward: a new
/// agent, whose multiplier is 90 %, is paid the reward).
pub fn premium_bps(tier: Tier) -> Bps {
    tier.rate_multiplier_bps().max(crate::ids::FULL_BPS)
}

/// The highest [`premium_bps`] of any tier: what a premium task escrows per unit of reward.
pub fn top_premium_bps() -> Bps {
    Tier::ALL.iter().map(|t| premium_bps(*t)).max().unwrap_or(crate::ids::FULL_BPS)
}

/// `reward` times `bps`, rounded down, saturating at `u64::MAX` (validation keeps every premium
/// price of a posted task within 2^53 − 1).
fn times_bps(reward: Money, bps: Bps) -> Money {
    u64::try_from(u128::from(reward) * u128::from(bps) / u128::from(crate::ids::FULL_BPS)).unwrap_or(u64::MAX)
}

/// What a tier premium made of a fixed reward for the agent that took the task: "reward
/// `reward`, premium for tier `tier`: `multiplier_bps`, paid `price`". Carried by `TaskClaimed`,
/// kept while the task is held and shown in the task view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct TierPremium {
    /// The posted reward.
    pub reward: Money,
    /// The taker's tier when it took the task.
    pub tier: Tier,
    /// The multiplier applied, in basis points (`tier`'s rate multiplier, never below 100 %).
    pub multiplier_bps: Bps,
    /// What the agent is paid (before the platform fee): `reward × multiplier_bps / 10 000`,
    /// rounded down; the agreed price.
    pub price: Money,
}

impl std::fmt::Display for TierPremium {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let percent = f64::from(self.multiplier_bps) / 100.0;
        write!(f, "reward {}, premium for tier {}: {percent}%, paid {}", self.reward, self.tier, self.price)
    }
}

impl Pricing {
    /// What posting escrows: the reward (times the top tier's premium, [`top_premium_bps`], when
    /// the task carries a tier premium) or the ceiling.
    pub fn escrow(&self) -> Money {
        match self {
            Pricing::Fixed { reward, tier_premium: false } => *reward,
            Pricing::Fixed { reward, tier_premium: true } => times_bps(*reward, top_premium_bps()),
            Pricing::Bids { ceiling, .. } => *ceiling,
        }
    }

    /// What the task offers an agent of `tier`: at a fixed reward, what that agent is paid (the
    /// reward, raised by the tier premium if the task carries one); in an auction, the ceiling.
    /// Never above [`Pricing::escrow`], and never lower for a higher tier.
    pub fn offered(&self, tier: Tier) -> Money {
        match self.premium(tier) {
            Some(premium) => premium.price,
            None => match self {
                Pricing::Fixed { reward, .. } => *reward,
                Pricing::Bids { ceiling, .. } => *ceiling,
            },
        }
    }

    /// The premium an agent of `tier` would get: `Some` only for a fixed reward with a tier
    /// premium.
    pub fn premium(&self, tier: Tier) -> Option<TierPremium> {
        let Pricing::Fixed { reward, tier_premium: true } = *self else { return None };
        let multiplier_bps = premium_bps(tier);
        Some(TierPremium { reward, tier, multiplier_bps, price: times_bps(reward, multiplier_bps) })
    }
}

/// Who or what picks the winning bid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum AwardPolicy {
    /// The client awards by hand (`AwardBid`) before the claim-by time.
    Client,
    /// Lowest price wins at close (ties: earlier bid).
    BestPrice,
    /// Shortest ETA wins at close (ties: lower price, then earlier bid).
    BestEta,
    /// Best value at close: the highest fit, the measure ranking and batches use (skill, record,
    /// speed, load, and the bid's price at the matching's `price_weight`, divided by the bidder's
    /// tier rate multiplier); ties: the earlier bid.
    BestValue,
}

/// Deadlines and clarification rules.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct Deadlines {
    /// Nobody claimed (or was awarded) by then: the task expires and the escrow is refunded.
    pub claim_by: Timestamp,
    /// How long an agent holds the task once claimed; the clock pauses while a question waits.
    pub lease_ms: DurationMs,
    /// How long the client has to answer a clarification question before the agent is freed.
    pub clarification_timeout_ms: DurationMs,
    /// Clarification rounds allowed per task.
    #[serde(default)]
    pub max_clarifications: u8,
}

/// Who may take the task.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// Least tier.
    #[serde(default)]
    pub min_tier: Tier,
    /// AI agents, humans or either.
    #[serde(default)]
    pub agent_kinds: AgentKinds,
    /// Least lower bound of the agent's reputation in the task's category, in basis points:
    /// the risk gate for premium or high-value work.
    #[serde(default)]
    pub min_reputation_bps: Option<Bps>,
}

/// Which kinds of agent a task admits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum AgentKinds {
    /// Both.
    #[default]
    Any,
    /// AI agents only.
    Ai,
    /// Humans only.
    Human,
}

impl AgentKinds {
    /// Whether an agent of kind `kind` is admitted.
    pub fn admits(self, kind: crate::party::AgentKind) -> bool {
        match self {
            AgentKinds::Any => true,
            AgentKinds::Ai => kind == crate::party::AgentKind::Ai,
            AgentKinds::Human => kind == crate::party::AgentKind::Human,
        }
    }
}

/// An opening period reserved for agents of a tier or above. Claims made during it are
/// arbitrated when it closes: the best fit wins.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct PriorityWindow {
    /// Least tier that may claim during the window.
    pub tier: Tier,
    /// Length of the window from posting.
    pub duration_ms: DurationMs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::StableHasher;

    /// `Pricing` as it was before `tier_premium`, with the derived `Hash`.
    #[derive(Hash)]
    #[allow(dead_code)]
    enum Before {
        Fixed { reward: Money },
        Bids { ceiling: Money, award: AwardPolicy, bidding_closes_at: Timestamp },
    }

    fn digest(value: &impl Hash) -> u64 {
        let mut h = StableHasher::new();
        value.hash(&mut h);
        h.finish()
    }

    #[test]
    fn pricing_without_a_premium_hashes_as_before_it_existed() {
        let fixed = Pricing::Fixed { reward: 1_234, tier_premium: false };
        assert_eq!(digest(&fixed), digest(&Before::Fixed { reward: 1_234 }));
        let bids = Pricing::Bids { ceiling: 9, award: AwardPolicy::BestValue, bidding_closes_at: 77 };
        let before = Before::Bids { ceiling: 9, award: AwardPolicy::BestValue, bidding_closes_at: 77 };
        assert_eq!(digest(&bids), digest(&before));
        assert_ne!(digest(&Pricing::Fixed { reward: 1_234, tier_premium: true }), digest(&fixed));
    }

    #[test]
    fn a_premium_pays_each_tier_its_multiplier_never_below_the_reward() {
        let p = Pricing::Fixed { reward: 1_001, tier_premium: true };
        assert_eq!(p.escrow(), 1_501, "1,001 x 150 % rounded down");
        let paid = Tier::ALL.map(|t| p.offered(t));
        assert_eq!(paid, [1_001, 1_001, 1_101, 1_251, 1_501]);
        assert!(paid.iter().all(|x| *x <= p.escrow()));
        let expert = p.premium(Tier::Expert).unwrap();
        assert_eq!(expert.to_string(), "reward 1001, premium for tier expert: 150%, paid 1501");
        let plain = Pricing::Fixed { reward: 1_001, tier_premium: false };
        assert_eq!((plain.escrow(), plain.offered(Tier::Expert), plain.premium(Tier::Expert)), (1_001, 1_001, None));
        assert_eq!(serde_json::to_string(&plain).unwrap(), r#"{"type":"Fixed","reward":1001}"#);
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"type":"Fixed","reward":1001,"tier_premium":true}"#);
    }
}
