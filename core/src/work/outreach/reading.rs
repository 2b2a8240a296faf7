//! Reading the input: the borrower table of a job as records an agent works from.

use super::generate::{COLUMNS, INPUT};
use crate::table::Table;
use crate::work::kit::Job;

/// One borrower record as an agent reads it: missing columns read as empty cells.
#[derive(Debug, Clone, Default)]
pub(super) struct Record {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) segment: String,
    pub(super) status: String,
    pub(super) days: String,
    pub(super) balance: String,
    pub(super) last_contact: String,
    pub(super) reply: String,
}

/// The borrower table of a job, if it has one that parses.
pub(super) fn read_records(job: &Job<'_>) -> Option<Vec<Record>> {
    let table = Table::parse(job.input(INPUT)?).ok()?;
    let col = |name: &str| table.column(name);
    let cols = COLUMNS.map(col);
    let cell =
        |row: &[String], i: usize| cols[i].and_then(|c| row.get(c)).map_or(String::new(), |s| s.trim().to_owned());
    Some(
        table
            .rows()
            .iter()
            .map(|row| Record {
                id: cell(row, 0),
                name: cell(row, 1),
                segment: cell(row, 2),
                status: cell(row, 3),
                days: cell(row, 4),
                balance: cell(row, 5),
                last_contact: cell(row, 6),
                reply: cell(row, 7),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use crate::ids::TaskId;
    use crate::spec::{DataClass, InputRef};
    use crate::work::kit::Job;
    use crate::work::outreach::generate::INPUT;
    use crate::work::outreach::testing::task;
    use crate::work::outreach::{segment_aware, template};
    use crate::work::Draft;

    // Both methods start from `read_records`, so a table they cannot read is tried here on each.
    #[test]
    fn methods_survive_malformed_tables() {
        let spec = task(1).0.spec(1_000, 0, 60_000);
        for content in [
            "",
            "x",
            "a,b\n1,2\n",
            "borrower_id,name\nB-1,\"unclosed\n",
            "borrower_id,name,days_past_due,status,balance\nB-1,Ada Stone,lots,weird,??\n",
        ] {
            let inputs = vec![InputRef {
                name: INPUT.into(),
                uri: String::new(),
                content: Some(content.into()),
                classification: DataClass::Restricted,
            }];
            let job = Job { task: TaskId(0), spec: &spec, inputs: &inputs, clarifications: &[] };
            for draft in [segment_aware(&job), template(&job)] {
                match draft {
                    Draft::Output { confidence_bps, .. } => assert!(confidence_bps <= 9_200),
                    Draft::Question(q) => assert!(!q.is_empty()),
                }
            }
        }
    }
}
