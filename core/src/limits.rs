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
/// Bids open on one task at once.
pub const MAX_BIDS_PER_TASK: usize = 256;
