//! Reading the dataset into a series, the way each method reads a cell.

use super::DATASET;
use crate::table::Table;
use crate::work::kit::Job;

/// A series as a method reads it: each row's number and value (none for a gap).
#[derive(Debug, Clone)]
pub(super) struct Series {
    pub(super) rows: Vec<f64>,
    pub(super) values: Vec<Option<f64>>,
}

/// How a method reads a cell.
#[derive(Clone, Copy)]
pub(super) enum Reading {
    /// Anything that is not a finite number is a gap.
    Careful,
    /// An empty cell is a gap; anything else unreadable is silently zero (a naive parser).
    Naive,
}

/// The dataset of `job` as a series, if it is a table with a value column.
pub(super) fn read_series(job: &Job<'_>, reading: Reading) -> Option<(Series, u32)> {
    let table = Table::parse(job.input(DATASET)?).ok()?;
    let value_col = find_column(&table, "value").or_else(|| last_numeric_column(&table))?;
    let row_col = find_column(&table, "row");
    let mut rows = Vec::with_capacity(table.rows().len());
    let mut values = Vec::with_capacity(table.rows().len());
    let mut gaps = 0u32;
    for (i, cells) in table.rows().iter().enumerate() {
        let fallback = (i + 1) as f64;
        let row = row_col.and_then(|c| cells.get(c)).and_then(|c| finite(c)).unwrap_or(fallback);
        let cell = cells.get(value_col).map_or("", |c| c.trim());
        let value = match reading {
            Reading::Careful => finite(cell),
            Reading::Naive if cell.is_empty() => None,
            Reading::Naive => Some(finite(cell).unwrap_or(0.0)),
        };
        gaps += u32::from(match reading {
            Reading::Careful => value.is_none(),
            Reading::Naive => cell.is_empty(),
        });
        rows.push(row);
        values.push(value);
    }
    Some((Series { rows, values }, gaps))
}

fn finite(cell: &str) -> Option<f64> {
    cell.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The column named `name`, ignoring case and surrounding spaces.
fn find_column(table: &Table, name: &str) -> Option<usize> {
    table.header().iter().position(|h| h.trim().eq_ignore_ascii_case(name))
}

/// The last column of which most cells are numbers: where the values are when no column says.
fn last_numeric_column(table: &Table) -> Option<usize> {
    (0..table.header().len()).rev().find(|&c| {
        let numbers = table.cells(c).filter(|cell| finite(cell).is_some()).count();
        numbers * 2 > table.rows().len()
    })
}
