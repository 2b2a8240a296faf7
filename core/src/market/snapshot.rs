//! Versioned snapshots: the market's state (not its history) as JSON.
//!
//! A snapshot holds source state only; derived indexes are rebuilt on load. A snapshot is
//! untrusted input: before the rebuild, `snapshot_check.rs` checks everything registration and
//! `apply` would refuse, every instant and counter, escrow, spec hashes and reputation's derived
//! data; after it, the rebuilt market is audited (money conserved, loads and indexes in step). A
//! corrupt snapshot is a [`SnapshotError`] naming the bad value's JSON path, never a later panic.

use super::Market;
use serde::{Deserialize, Serialize};

/// The `format` field every snapshot carries.
pub const SNAPSHOT_FORMAT: &str = "gigmarket-snapshot";
/// The snapshot version this build writes (and the newest it reads). Version 2 stores finished
/// tasks as short records (`stored_tasks`); version 1, which stored them as objects, still loads.
pub const SNAPSHOT_VERSION: u32 = 2;

/// Why a snapshot could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// Not JSON, or not shaped like a snapshot.
    #[error("snapshot is not valid: {0}")]
    Malformed(String),
    /// Not a gigmarket snapshot at all.
    #[error("not a gigmarket snapshot (format {0:?})")]
    WrongFormat(String),
    /// Written by a newer (or unknown) version.
    #[error("snapshot version {found} is not supported (this build reads versions 1 to {supported})")]
    UnsupportedVersion {
        /// The version in the snapshot.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// Well-formed but inconsistent: a value registration or `apply` would refuse, an instant
    /// after `now`, a counter that disagrees with what it counts, a state no command sequence
    /// leaves behind, money not conserved, ...
    #[error("snapshot is inconsistent: {path}: {reason}")]
    Inconsistent {
        /// The JSON path of the bad value, e.g. `market.tasks[3].fee_bps` (`market` when the
        /// rebuilt market as a whole fails its audit).
        path: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl SnapshotError {
    /// A stable machine-readable code, like [`crate::Rejection::code`].
    pub fn code(&self) -> &'static str {
        match self {
            SnapshotError::Malformed(_) => "snapshot_malformed",
            SnapshotError::WrongFormat(_) => "snapshot_wrong_format",
            SnapshotError::UnsupportedVersion { .. } => "snapshot_unsupported_version",
            SnapshotError::Inconsistent { .. } => "snapshot_inconsistent",
        }
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    format: &'a str,
    version: u32,
    market: &'a Market,
}

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Deserialize)]
struct Owned {
    format: String,
    version: u32,
    market: Market,
}

impl Header {
    /// Whether this build reads the snapshot at all.
    fn check(self) -> Result<u32, SnapshotError> {
        if self.format != SNAPSHOT_FORMAT {
            return Err(SnapshotError::WrongFormat(self.format));
        }
        if self.version == 0 || self.version > SNAPSHOT_VERSION {
            return Err(SnapshotError::UnsupportedVersion { found: self.version, supported: SNAPSHOT_VERSION });
        }
        Ok(self.version)
    }
}

impl Market {
    /// The market's state as a versioned JSON string. The same commands give byte-identical
    /// snapshots on every platform.
    pub fn save(&self) -> String {
        // Serialising plain data to a String cannot fail: every map key is a string and every
        // number is finite (specs and outputs reject non-finite numbers).
        serde_json::to_string(&Envelope { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, market: self })
            .unwrap_or_default()
    }

    /// Load a snapshot written by [`Market::save`].
    pub fn load(json: &str) -> Result<Market, SnapshotError> {
        // One pass over the text when it reads as a snapshot (reading the header first would
        // scan it twice, a third of the load of a large market); the header alone only to
        // explain a failure: another format or a newer version says so rather than "malformed".
        let (version, mut market) = match serde_json::from_str::<Owned>(json) {
            Ok(Owned { format, version, market }) => (Header { format, version }.check()?, market),
            Err(e) => {
                return Err(match serde_json::from_str::<Header>(json) {
                    Ok(header) => header.check().err().unwrap_or(SnapshotError::Malformed(e.to_string())),
                    Err(_) => SnapshotError::Malformed(e.to_string()),
                })
            }
        };
        market.archive_finished_specs(version == 1);
        market.check_snapshot()?;
        market.rebuild_indexes();
        market.audit().map_err(|v| SnapshotError::Inconsistent { path: "market".into(), reason: v.0 })?;
        Ok(market)
    }
}
