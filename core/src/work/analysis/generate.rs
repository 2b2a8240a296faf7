//! The generator: a seeded world (level, slope, noise, weekly pattern, anomalies, gaps, perhaps
//! a ×1000 run), the CSV drawn from it, the task around it and the truth only the client knows.

use super::findings::{build_output, Findings};
use super::FLAT_SHARE;
use crate::output::Output;
use crate::rng::SplitMix64;
use crate::spec::{AcceptanceCriteria, Check, Criterion, DataClass, FieldKind, InputRef, OutputField, Real};
use crate::work::{GeneratedTask, Kind};
use std::collections::{BTreeMap, BTreeSet};

/// The name of the dataset input.
pub const DATASET: &str = "dataset";
/// The factor of a unit change (thousands recorded as units).
pub(super) const UNIT_FACTOR: f64 = 1000.0;
/// The three trend labels.
const TRENDS: [&str; 3] = ["rising", "falling", "flat"];
/// The three ways to handle a gap; the instructions ask for one of the first two.
const HANDLINGS: [&str; 3] = ["skipped", "interpolated", "zero_filled"];
/// What the series measure, for titles.
const METRICS: [&str; 6] = ["sales", "sign-ups", "support tickets", "payment volume", "API calls", "warehouse orders"];

/// The ground truth of one analysis task.
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {
    /// How many rows (days) the dataset has.
    pub rows: u32,
    /// The rows (1-based row numbers) where anomalies were injected, ascending.
    pub anomalies: Vec<u32>,
    /// The true slope, in value units per day.
    pub slope: f64,
    /// The true trend label: `rising`, `falling` or `flat`.
    pub trend: &'static str,
    /// The series' level at its middle (the median value, near enough).
    pub level: f64,
    /// How many rows have no value.
    pub missing_rows: u32,
    /// The first and last row of a run recorded 1000 times too large, if the task has one.
    pub unit_change: Option<(u32, u32)>,
    /// Whether the series has a weekly pattern.
    pub seasonal: bool,
    /// Whether its noise is heavy-tailed.
    pub heavy_tailed: bool,
}

/// The world one task is drawn from: everything about the series but its noise.
struct World {
    n: usize,
    level: f64,
    slope: f64,
    trend: &'static str,
    sigma: f64,
    heavy: bool,
    season: Option<[f64; 7]>,
    missing: BTreeSet<usize>,
    /// 0: every gap `NA`; 1: mixed; 2: every gap empty.
    na_style: u64,
    unit_run: Option<(usize, usize)>,
    /// Position → offset added to the value.
    anomalies: BTreeMap<usize, f64>,
    first_day: i64,
    metric: &'static str,
}

/// Generate one analysis task from `rng`.
pub fn generate(rng: &mut SplitMix64) -> GeneratedTask {
    let world = World::draw(rng);
    let csv = world.csv(rng);
    let truth = world.truth();
    GeneratedTask {
        kind: Kind::Analysis,
        title: format!("Anomalies and trend in {} days of {}", world.n, world.metric),
        instructions: instructions(),
        inputs: vec![InputRef {
            name: DATASET.to_owned(),
            uri: String::new(),
            content: Some(csv),
            classification: DataClass::Confidential,
        }],
        acceptance: acceptance(world.n),
        truth: crate::work::Truth::Analysis(truth),
    }
}

impl World {
    fn draw(rng: &mut SplitMix64) -> World {
        let n = 200 + rng.below(301) as usize;
        let level = 50.0 + rng.below(1951) as f64;
        let (trend, total) = match rng.below(3) {
            0 => ("rising", level * (0.08 + 0.32 * rng.unit())),
            1 => ("falling", -level * (0.08 + 0.32 * rng.unit())),
            _ => ("flat", level * (0.01 * rng.unit() - 0.005)),
        };
        let slope = total / (n - 1) as f64;
        let sigma = level * (0.01 + 0.04 * rng.unit());
        let heavy = rng.below(3) == 0;
        let season = (rng.below(5) < 2).then(|| weekly_pattern(rng, sigma));
        let missing = draw_missing(rng, n);
        let na_style = rng.below(3);
        let unit_run = (rng.below(6) == 0).then(|| {
            let len = 8 + rng.below(18) as usize;
            let start = n / 5 + rng.below((3 * n / 5 - len) as u64) as usize;
            (start, start + len - 1)
        });
        let mut world = World {
            n,
            level,
            slope,
            trend,
            sigma,
            heavy,
            season,
            missing,
            na_style,
            unit_run,
            anomalies: BTreeMap::new(),
            first_day: 18_993 + rng.below(1_000) as i64,
            metric: METRICS[rng.below(METRICS.len() as u64) as usize],
        };
        world.place_anomalies(rng);
        world
    }

    /// 2 to 10 anomalous rows: isolated spikes and dips of 4.5 to 12 noise scales, and in a
    /// third of the tasks a level shift of 3 to 5 rows by 5 to 10 noise scales. None on a gap,
    /// in the unit-change run or next to another anomaly.
    fn place_anomalies(&mut self, rng: &mut SplitMix64) {
        let mut count = 2 + rng.below(9) as usize;
        if rng.below(3) == 0 {
            let len = 3 + rng.below(3) as usize;
            let offset = sign(rng) * (5.0 + 5.0 * rng.unit()) * self.sigma;
            for _ in 0..50 {
                let start = rng.below((self.n - len) as u64) as usize;
                if (start..start + len).all(|p| self.free(p)) {
                    for p in start..start + len {
                        self.anomalies.insert(p, offset);
                    }
                    count = count.max(len + 1);
                    break;
                }
            }
        }
        for _ in 0..400 {
            if self.anomalies.len() >= count {
                break;
            }
            let p = rng.below(self.n as u64) as usize;
            let offset = sign(rng) * (4.5 + 7.5 * rng.unit()) * self.sigma;
            if self.free(p) {
                self.anomalies.insert(p, offset);
            }
        }
    }

    /// Whether an anomaly may go at `p`: a value is there, outside the unit-change run (and its
    /// neighbours), with no anomaly beside it.
    fn free(&self, p: usize) -> bool {
        let in_run = self.unit_run.is_some_and(|(a, b)| p + 1 >= a && p <= b + 1);
        let near = |q: usize| self.anomalies.contains_key(&q);
        !self.missing.contains(&p) && !in_run && !near(p) && !near(p + 1) && (p == 0 || !near(p - 1))
    }

    /// The CSV text: `row,date,value`, one row a day. Draws the noise.
    fn csv(&self, rng: &mut SplitMix64) -> String {
        let mut out = String::from("row,date,value\n");
        let middle = (self.n - 1) as f64 / 2.0;
        for p in 0..self.n {
            let scale = if self.heavy && rng.unit() < 0.04 { 2.5 } else { 1.0 };
            let noise = self.sigma * scale * normal(rng);
            let na = match self.na_style {
                0 => true,
                1 => rng.below(2) == 0,
                _ => false,
            };
            let seasonal = self.season.map_or(0.0, |s| s[p % 7]);
            let anomaly = self.anomalies.get(&p).copied().unwrap_or(0.0);
            let value = self.level + self.slope * (p as f64 - middle) + seasonal + noise + anomaly;
            let cell = if self.missing.contains(&p) {
                if na {
                    "NA".to_owned()
                } else {
                    String::new()
                }
            } else if self.unit_run.is_some_and(|(a, b)| (a..=b).contains(&p)) {
                format!("{:.0}", value * UNIT_FACTOR)
            } else {
                format!("{value:.2}")
            };
            out.push_str(&format!("{},{},{}\n", p + 1, date(self.first_day + p as i64), cell));
        }
        out
    }

    fn truth(&self) -> Truth {
        Truth {
            rows: self.n as u32,
            anomalies: self.anomalies.keys().map(|p| *p as u32 + 1).collect(),
            slope: self.slope,
            trend: self.trend,
            level: self.level,
            missing_rows: self.missing.len() as u32,
            unit_change: self.unit_run.map(|(a, b)| (a as u32 + 1, b as u32 + 1)),
            seasonal: self.season.is_some(),
            heavy_tailed: self.heavy,
        }
    }
}

/// A weekly pattern: seven offsets of up to `amplitude`, centred so they do not move the level.
fn weekly_pattern(rng: &mut SplitMix64, sigma: f64) -> [f64; 7] {
    let amplitude = sigma * (1.0 + 2.0 * rng.unit());
    let mut days = [0.0; 7];
    for d in &mut days {
        *d = amplitude * (2.0 * rng.unit() - 1.0);
    }
    let mean = days.iter().sum::<f64>() / 7.0;
    days.map(|d| d - mean)
}

/// The gaps: none in a fifth of the tasks, else 1 to 15 % of the rows, in a third of those
/// partly as one run.
fn draw_missing(rng: &mut SplitMix64, n: usize) -> BTreeSet<usize> {
    let mut missing = BTreeSet::new();
    if rng.below(5) == 0 {
        return missing;
    }
    let count = ((n as f64 * (0.01 + 0.14 * rng.unit())) as usize).max(1);
    if rng.below(3) == 0 {
        let len = count / 2 + rng.below((count / 2 + 1) as u64) as usize;
        let start = rng.below((n - len) as u64) as usize;
        missing.extend(start..start + len);
    }
    while missing.len() < count {
        missing.insert(rng.below(n as u64) as usize);
    }
    missing
}

/// +1 or −1, evenly.
fn sign(rng: &mut SplitMix64) -> f64 {
    if rng.below(2) == 0 {
        1.0
    } else {
        -1.0
    }
}

/// A standard normal draw, near enough (Irwin–Hall: twelve uniforms less six). Only additions,
/// so the series is the same on every platform.
fn normal(rng: &mut SplitMix64) -> f64 {
    (0..12).map(|_| rng.unit()).sum::<f64>() - 6.0
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (the civil calendar, integer arithmetic).
fn date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn instructions() -> String {
    format!(
        "The input `{DATASET}` is a daily series as CSV (columns row, date, value; one row per day). Report: \
         `anomalies`, the row numbers of values far off the trend (spikes, dips, the rows of a short level shift); \
         `trend_per_day`, the trend's slope in value units per row; `trend`, `rising`, `falling` or `flat` (flat when \
         |trend_per_day| x (rows - 1) is under {}% of the median value, otherwise by the slope's sign); \
         `missing_rows`, how many rows have no value (an empty cell or NA); `missing_handling`, `skipped` or \
         `interpolated` (do not fill gaps with zeros); `confidence`, from 0 to 1.",
        FLAT_SHARE * 100.0
    )
}

/// The acceptance criteria of a dataset of `rows` rows.
fn acceptance(rows: usize) -> AcceptanceCriteria {
    let field = |name: &str, kind| OutputField { name: name.to_owned(), kind, required: true };
    let criterion = |name: &str, check| Criterion { name: name.to_owned(), check };
    let one_of = |field: &str, values: &[&str]| Check::OneOf {
        field: field.to_owned(),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
    };
    let range =
        |field: &str, max: f64| Check::Range { field: field.to_owned(), min: Some(Real(0.0)), max: Some(Real(max)) };
    AcceptanceCriteria {
        fields: vec![
            field("anomalies", FieldKind::List),
            field("trend_per_day", FieldKind::Number),
            field("trend", FieldKind::Text),
            field("missing_rows", FieldKind::Integer),
            field("missing_handling", FieldKind::Text),
            field("confidence", FieldKind::Number),
        ],
        criteria: vec![
            criterion(
                "flagged-rows-exist",
                Check::ItemsIn {
                    field: "anomalies".into(),
                    key: None,
                    input: DATASET.into(),
                    column: "row".into(),
                    complete: false,
                },
            ),
            criterion("trend-label", one_of("trend", &TRENDS)),
            // Zero filling is a way of handling gaps, honestly named; it is wrong, and the
            // client's measure of the work (not this check) says so.
            criterion("missing-handling-label", one_of("missing_handling", &HANDLINGS)),
            criterion("confidence-in-range", range("confidence", 1.0)),
            criterion("missing-rows-in-range", range("missing_rows", rows as f64)),
        ],
        min_confidence_bps: 0,
    }
}

/// The output that is exactly right for `truth`: what the client would write itself.
pub fn reference_output(truth: &Truth) -> Output {
    build_output(&Findings {
        anomalies: truth.anomalies.iter().map(|r| f64::from(*r)).collect(),
        slope: truth.slope,
        trend: truth.trend,
        missing_rows: truth.missing_rows,
        handling: "skipped",
        confidence: 1.0,
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_civil_calendar() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(18_993), "2022-01-01");
        assert_eq!(date(19_051), "2022-02-28");
        assert_eq!(date(19_052), "2022-03-01");
        assert_eq!(date(19_417), "2023-03-01");
        assert_eq!(date(19_782), "2024-02-29", "a leap day");
    }

    #[test]
    fn normal_draws_have_unit_scale() {
        let mut rng = SplitMix64::new(3);
        let draws: Vec<f64> = (0..20_000).map(|_| normal(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.05 && (var - 1.0).abs() < 0.05, "mean {mean} var {var}");
    }
}
