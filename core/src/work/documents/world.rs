//! The world a batch is drawn from: the parties (people and companies with an IBAN), the words
//! documents are written with, the registry as CSV, and the small random draws every generator
//! step uses.

use crate::rng::SplitMix64;

pub(super) const GIVEN: [&str; 19] = [
    "Jürgen", "Zoë", "José", "Anna", "Lukas", "Maria", "Jonas", "Sofia", "Emil", "Clara", "Noah", "Ines", "Pavel",
    "Lea", "Marco", "Eva", "Tomas", "Nora", "Felix",
];
pub(super) const SURNAMES: [&str; 19] = [
    "Müller",
    "Núñez",
    "Sørensen",
    "Schmidt",
    "Weber",
    "Rossi",
    "Dubois",
    "Novak",
    "Jansen",
    "Garcia",
    "Keller",
    "Moreau",
    "Fischer",
    "Bianchi",
    "Kowalski",
    "Berg",
    "Lindqvist",
    "Costa",
    "Meyer",
];
pub(super) const COMPANY_A: [&str; 12] = [
    "Nordwind",
    "Blue Harbor",
    "Alpen",
    "Silver Oak",
    "Riverside",
    "Falcon",
    "Meridian",
    "Lumen",
    "Kestrel",
    "Aurora",
    "Granite",
    "Helix",
];
pub(super) const COMPANY_B: [&str; 8] =
    ["Logistik", "Consulting", "Systems", "Trading", "Studio", "Supplies", "Engineering", "Media"];
pub(super) const COMPANY_C: [&str; 5] = ["GmbH", "Ltd", "SARL", "BV", "AG"];
pub(super) const COUNTRIES: [&str; 5] = ["DE", "FR", "NL", "IT", "ES"];
pub(super) const ITEMS: [&str; 10] = [
    "Consulting hours",
    "Software licence",
    "Freight handling",
    "Office supplies",
    "Maintenance visit",
    "Translation (12 pages)",
    "Cloud hosting",
    "Training session",
    "Spare parts",
    "Design work",
];
pub(super) const TRANSACTIONS: [&str; 8] = [
    "Rent",
    "Salary",
    "Card payment",
    "Transfer to savings",
    "Utility bill",
    "Refund",
    "Insurance premium",
    "Cash withdrawal",
];

/// A party of the registry.
#[derive(Debug, Clone)]
pub(super) struct Party {
    pub(super) id: String,
    /// Given name and surname of a person; none for a company.
    pub(super) person: Option<(String, String)>,
    pub(super) name: String,
    pub(super) country: &'static str,
    pub(super) iban: String,
}

pub(super) fn pick<'a>(rng: &mut SplitMix64, list: &[&'a str]) -> &'a str {
    list[rng.below(list.len() as u64) as usize]
}

pub(super) fn range(rng: &mut SplitMix64, low: i64, high: i64) -> i64 {
    low + rng.below((high - low + 1).max(1) as u64) as i64
}

pub(super) fn chance(rng: &mut SplitMix64, p: f64) -> bool {
    rng.unit() < p
}

fn draw_iban(rng: &mut SplitMix64, country: &str) -> String {
    let mut iban = format!("{country}{:02}", rng.below(90) + 10);
    for _ in 0..16 {
        iban.push(char::from(b'0' + rng.below(10) as u8));
    }
    iban
}

/// Parties with distinct names, ids and IBANs: about two thirds people, the rest companies.
pub(super) fn draw_parties(rng: &mut SplitMix64, count: usize) -> Vec<Party> {
    let mut parties: Vec<Party> = Vec::new();
    let mut guard = 0;
    while parties.len() < count && guard < 1000 {
        guard += 1;
        let country = pick(rng, &COUNTRIES);
        let (person, name) = if chance(rng, 0.65) {
            let (g, s) = (pick(rng, &GIVEN).to_owned(), pick(rng, &SURNAMES).to_owned());
            let name = format!("{g} {s}");
            (Some((g, s)), name)
        } else {
            (None, format!("{} {} {}", pick(rng, &COMPANY_A), pick(rng, &COMPANY_B), pick(rng, &COMPANY_C)))
        };
        let id = format!("P-{}", range(rng, 1000, 9999));
        if parties.iter().any(|p| p.name == name || p.id == id) {
            continue;
        }
        let iban = draw_iban(rng, country);
        parties.push(Party { id, person, name, country, iban });
    }
    parties
}

pub(super) fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

pub(super) fn registry_csv(parties: &[Party]) -> String {
    let mut rows: Vec<&Party> = parties.iter().collect();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let mut csv = String::from("party_id,name,country,iban\n");
    for p in rows {
        csv.push_str(&format!("{},{},{},{}\n", csv_cell(&p.id), csv_cell(&p.name), p.country, p.iban));
    }
    csv
}
