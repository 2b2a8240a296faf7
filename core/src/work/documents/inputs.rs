//! The task's two inputs as the methods see them: the registry's rows and the documents' rows.

use super::{name_key, DocType};
use crate::table::Table;

/// One registry row.
#[derive(Debug, Clone)]
pub(super) struct Registered {
    pub(super) id: String,
    pub(super) name: Vec<String>,
    pub(super) iban: String,
}

/// The registry's rows, if it is a table with the columns the careful method needs.
pub(super) fn read_registry(text: Option<&str>) -> Option<Vec<Registered>> {
    let table = Table::parse(text?).ok()?;
    let (id, name, iban) = (table.column("party_id")?, table.column("name")?, table.column("iban")?);
    Some(
        table
            .rows()
            .iter()
            .map(|r| Registered {
                id: r[id].trim().to_owned(),
                name: name_key(&r[name]),
                iban: r[iban].chars().filter(|c| !c.is_whitespace()).collect(),
            })
            .collect(),
    )
}

/// One document of the input, as the methods see it.
#[derive(Debug, Clone)]
pub(super) struct InputDoc {
    pub(super) id: String,
    pub(super) doc_type: Option<DocType>,
    pub(super) text: String,
}

/// The documents input's rows; none if it is not a table with `id` and `text` columns.
pub(super) fn read_documents(text: Option<&str>) -> Option<Vec<InputDoc>> {
    let table = Table::parse(text?).ok()?;
    let (id, body) = (table.column("id")?, table.column("text")?);
    let kind = table.column("type");
    Some(
        table
            .rows()
            .iter()
            .map(|r| InputDoc {
                id: r[id].trim().to_owned(),
                doc_type: kind.and_then(|k| DocType::from_label(&r[k])),
                text: r[body].clone(),
            })
            .collect(),
    )
}
