//! The measuring matrix (`--scenario matrix`): the market in an independent world, cell by cell
//! (utilisation x allocation policy x client mix, then each adversary under each policy), with
//! agents whose quality drifts in every cell. Driven only through public commands and queries,
//! so engine changes show in its numbers. One JSON line per cell; definitions in `measure.rs`
//! and `allocate.rs`.
//!
//! * `cells.rs`: the cells and their names;
//! * `world.rs`: people, clients, the round loop and honest behaviour;
//! * `allocate.rs`: rank-then-claim, batch assignment, bids, and the oracle each is measured by;
//! * `adversary.rs`: rings, wash trading, whitewashing (inflation and the mass rejector are
//!   client behaviour in `world.rs`);
//! * `measure.rs`: the figures;
//! * `variant.rs`: worlds that bend one of the reference world's assumptions (`--variant`);
//! * `frontier.rs`: what an allocator that knows the truth can show (`--scenario frontier`), the
//!   bound the figures are read against.

pub mod adversary;
pub mod allocate;
pub mod cells;
pub mod frontier;
pub mod measure;
pub mod variant;
pub mod world;

pub use cells::{Adversary, Allocation, Cell, ClientMix};
pub use measure::CellReport;
pub use variant::Variant;
pub use world::{MatrixWorld, Size};

use super::SimError;
use crate::market::MarketConfig;

/// Run one cell (and its baseline, for attacks with agents of their own). Refused when `seed`
/// is beyond 2^53 - 1 (it seeds the market) or the agents are fewer than
/// [`MIN_AGENTS`](super::MIN_AGENTS) or more than [`MAX_AGENTS`](super::MAX_AGENTS).
pub fn run_cell(cell: Cell, seed: u64, size: Size) -> Result<CellReport, SimError> {
    run_cell_with(cell, seed, size, &MarketConfig::default())
}

/// [`run_cell`] over markets with `config` (its seed replaced by `seed`), for measuring a setting.
/// Also refused when `config` is ([`Market::new`](crate::Market::new)).
pub fn run_cell_with(cell: Cell, seed: u64, size: Size, config: &MarketConfig) -> Result<CellReport, SimError> {
    let mut world = MatrixWorld::with_config(cell, seed, size, true, config.clone())?;
    world.run();
    let baseline = if cell.adversary.has_baseline() {
        let mut b = MatrixWorld::with_config(cell, seed, size, false, config.clone())?;
        b.run();
        Some(b)
    } else {
        None
    };
    Ok(measure::report(seed, &world, baseline.as_ref()))
}

/// Run every cell of the matrix for a seed, handing each report over as it is done.
pub fn run_matrix(seed: u64, size: Size, each: &mut dyn FnMut(CellReport)) -> Result<(), SimError> {
    for cell in Cell::all() {
        each(run_cell(cell, seed, size)?);
    }
    Ok(())
}
