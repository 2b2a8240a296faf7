//! Size limits on everything a caller sends, so no input can make the engine allocate without
//! bound or build a snapshot JavaScript cannot hold. A breach is a `Rejection::TooLarge`.

/// Names: categories, skills, fields, criteria, owners, parties.
pub const MAX_NAME_LEN: usize = 64;
/// Task titles.
pub const MAX_TITLE_LEN: usize = 200;
/// Free text: instructions, questions, answers, notes, reasons.
pub const MAX_TEXT_LEN: usize = 20_000;
/// A text value in a submitted output, or a reference to an input.
pub const MAX_VALUE_LEN: usize = 100_000;
/// Items in any list a caller sends (skills, inputs, fields, criteria, allowed values).
pub const MAX_ITEMS: usize = 64;
/// Skill levels run from 1 to this.
pub const MAX_SKILL_LEVEL: u8 = 5;
/// Tasks one agent may hold at once.
pub const MAX_CAPACITY: u32 = 1_000;
/// Request ids.
pub const MAX_REQUEST_ID_LEN: usize = 128;
/// Levels of lists and records in a submitted output: an output's fields are level 1, a list of
/// records is 2, a list inside one of those records 3.
pub const MAX_OUTPUT_DEPTH: usize = 4;
/// Values in one submitted output, counted at every level (a list of 500 two-field records is
/// 1,501 values).
pub const MAX_OUTPUT_VALUES: usize = 8_192;
/// Bytes of all the texts in one submitted output together.
pub const MAX_OUTPUT_TEXT_BYTES: usize = 1024 * 1024;
/// Inline input content (a document batch, a dataset as CSV): bytes per input. A task's inputs
/// also count in what it may store ([`task_bytes_allowed`]), so large inputs need a paying task.
pub const MAX_INLINE_INPUT_LEN: usize = 256 * 1024;
/// How deep `Each` checks may nest (a check on each item of a list of records holding lists).
pub const MAX_CHECK_DEPTH: usize = 3;
/// Bids open on one task at once.
pub const MAX_BIDS_PER_TASK: usize = 256;

/// What any task may store, however small its reward: room for a full specification with
/// instructions and a few inputs.
pub const TASK_BYTES_BASE: usize = 16 * 1024;
/// Further bytes a task may store per minor unit it escrows: state grows with what is paid for.
pub const TASK_BYTES_PER_UNIT: usize = 256;
/// The most any one task may store (`TaskSpec::stored_bytes`).
pub const MAX_TASK_BYTES: usize = 1024 * 1024;
/// The most one client's unfinished tasks may store together, so no payer can grow every
/// snapshot without bound; finished tasks keep only a small archived record.
pub const MAX_CLIENT_LIVE_BYTES: u64 = 32 * 1024 * 1024;

/// The bytes a task escrowing `escrow` minor units may store: a base, plus an allowance per unit
/// paid, up to [`MAX_TASK_BYTES`].
pub fn task_bytes_allowed(escrow: u64) -> usize {
    let per_unit = usize::try_from(escrow).unwrap_or(usize::MAX).saturating_mul(TASK_BYTES_PER_UNIT);
    TASK_BYTES_BASE.saturating_add(per_unit).min(MAX_TASK_BYTES)
}
