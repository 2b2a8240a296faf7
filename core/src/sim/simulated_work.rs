//! Simulated work and its judging, shared by the reference world (`sim::world`) and the measuring
//! matrix (`sim::matrix::world`): the task both post, what an agent hands in, how an honest client
//! decides and rates. Pure functions of the work's hidden quality and of draws the caller makes,
//! so each world keeps its own random stream, in its own order.

use crate::command::ReviewDecision;
use crate::event::{Event, EventKind};
use crate::ids::Timestamp;
use crate::output::{FieldValue, Output, SelfCheck};
use crate::sim::population::CATEGORIES;
use crate::spec::*;

/// A minute, in ms.
pub const MINUTE: u64 = 60_000;
/// A round: long enough for any agent to finish a task and have it reviewed.
pub const ROUND: u64 = 60 * MINUTE;
/// Width, in stars, of the band an honest rating varies in around the work's true quality
/// (before rounding to whole stars). With it a plain average of the stars ranks agents with a
/// Kendall tau of about 0.80 in the reference world (reported beside the engine's as
/// `plain_average_tau`).
pub const RATING_NOISE: f64 = 0.5;
/// The one criterion of a simulated task: the total is positive.
pub const CRITERION: &str = "total-positive";
/// Below this quality an honest client rejects the work (and the agent does not dispute it).
pub const REJECT_BELOW: f64 = 0.15;
/// Below this quality an honest client asks for a revision while revisions are left; at or above
/// it, an agent disputes a rejection and the operator pays it.
pub const GOOD_ENOUGH: f64 = 0.3;

/// A simulated task in `category` (of [`CATEGORIES`]) with the given pricing: one number field
/// and [`CRITERION`], a two-round review window and lease, claimable for six rounds.
pub fn spec(category: usize, pricing: Pricing, min_level: u8, now: Timestamp) -> TaskSpec {
    TaskSpec {
        title: format!("{} job", CATEGORIES[category]),
        category: CATEGORIES[category].into(),
        instructions: "Simulated work.".into(),
        required_skills: vec![SkillRequirement { skill: CATEGORIES[category].into(), min_level }],
        inputs: Vec::new(),
        acceptance: AcceptanceCriteria {
            fields: vec![OutputField { name: "total".into(), kind: FieldKind::Number, required: true }],
            criteria: vec![Criterion {
                name: CRITERION.into(),
                check: Check::Range { field: "total".into(), min: Some(Real(0.0)), max: None },
            }],
            min_confidence_bps: 0,
        },
        review: ReviewPolicy {
            window_ms: 2 * ROUND,
            human_review_below_confidence_bps: None,
            human_sample_bps: 0,
            max_revisions: 1,
        },
        pricing,
        deadlines: Deadlines {
            claim_by: now + 6 * ROUND,
            lease_ms: 2 * ROUND,
            clarification_timeout_ms: ROUND,
            max_clarifications: 0,
        },
        eligibility: Eligibility::default(),
        priority_window: None,
    }
}

/// What an agent hands in: output that passes verification or fails it.
pub fn output(passes: bool) -> Output {
    let total = if passes { 12.5 } else { -1.0 };
    [("total".to_string(), FieldValue::Number(total)), ("currency".to_string(), FieldValue::Text("EUR".into()))]
        .into_iter()
        .collect()
}

/// Whether a first attempt passes verification, given a uniform `draw` in [0, 1): the better the
/// work, the likelier (0.3 + 0.7 x quality).
pub fn first_try_passes(quality: f64, draw: f64) -> bool {
    draw < 0.3 + 0.7 * quality
}

/// The agent's self-check: as confident as its work is good.
pub fn self_check(quality: f64) -> SelfCheck {
    SelfCheck {
        confidence_bps: (quality * 10_000.0) as u16,
        criteria_passed: vec![CRITERION.into()],
        notes: String::new(),
    }
}

/// What verification made of a hand-in, read from the events of `SubmitWork`: `Some(true)` when
/// it passed (on to review), `Some(false)` when it failed (the agent tries again).
pub fn verified(events: &[Event]) -> Option<bool> {
    events.iter().find_map(|e| match e.kind {
        EventKind::VerificationPassed { .. } => Some(true),
        EventKind::VerificationFailed { .. } => Some(false),
        _ => None,
    })
}

/// A rejection, naming the task's criterion.
pub fn reject() -> ReviewDecision {
    ReviewDecision::Reject { failed_criteria: vec![CRITERION.into()], reason: "not good enough".into() }
}

/// An honest client's decision on work of `quality`.
pub fn honest_decision(quality: f64, revisions_left: bool) -> ReviewDecision {
    if quality < REJECT_BELOW {
        reject()
    } else if quality < GOOD_ENOUGH && revisions_left {
        ReviewDecision::RequestRevision { note: "try again".into() }
    } else {
        ReviewDecision::Accept
    }
}

/// An honest client's quality stars for work of `quality`, given a uniform `draw` in [0, 1)
/// (a band of `noise` stars around it: [`RATING_NOISE`] in the reference world), shifted by
/// `shift` stars: the client's own bias (none in the reference world), and one star more for an
/// inflating client.
pub fn quality_stars(quality: f64, (draw, noise): (f64, f64), shift: f64) -> u8 {
    let noisy = 1.0 + 4.0 * quality + noise * (draw - 0.5) + shift;
    noisy.round().clamp(1.0, 5.0) as u8
}

/// Timeliness stars for an agent of hidden `speed`, given a uniform `draw` in [0, 1) (a star of
/// noise).
pub fn timeliness_stars(speed: f64, draw: f64) -> u8 {
    (1.0 + 4.0 * speed + (draw - 0.5)).round().clamp(1.0, 5.0) as u8
}
