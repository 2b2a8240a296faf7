//! The data-analysis kind: a daily time series with a trend, noise, sometimes a weekly pattern,
//! injected anomalies and gaps; the agent reports the anomalous rows, the trend and how it
//! handled the gaps.
//!
//! The generator draws the series from the seed's world: a level, a slope (rising, falling or
//! flat), a noise scale (sometimes heavy-tailed), a weekly pattern in some tasks, 2 to 10
//! injected anomalies (spikes, dips, sometimes a short level shift) and 0 to 15 % missing cells
//! (empty or `NA`, sometimes in a run). About one task in six carries a run of values recorded
//! 1000 times too large: the specification does not say what to make of it, so a careful agent
//! asks ([`UNIT_TOPIC`]), and the client answers with the market-wide convention
//! ([`UNIT_ANSWER`]): rescale such a run, do not flag it.
//!
//! Two methods do the work: [`robust`] (Theil–Sen trend, weekly medians removed, MAD outliers,
//! gaps skipped; slow, O(n²)) and [`naive`] (least squares with gaps read as zeros, z-scores
//! against the standard deviation; fast). [`RobustAnalyst`] and [`NaiveAnalyst`] are the agents
//! that use them.

use super::kit::{self, Attempt, Clarification, Decision, Job, MethodRecord, WorkAgent, WorkOutcome};
use super::{Draft, GeneratedTask, Kind};
use crate::ids::{DurationMs, Money};
use crate::output::{FieldValue, Output};
use crate::rng::SplitMix64;
use crate::spec::{AcceptanceCriteria, Check, Criterion, DataClass, FieldKind, InputRef, OutputField, Real};
use crate::table::{cell_key, value_key, Table};
use std::collections::{BTreeMap, BTreeSet};

/// The name of the dataset input.
pub const DATASET: &str = "dataset";
/// The trend is `flat` when the fitted change over the whole series, |slope| × (rows − 1), is
/// under this share of the series' median value (the instructions say so).
pub const FLAT_SHARE: f64 = 0.02;
/// A trend slope is right within this share of the true slope (for a rising or falling trend).
pub const SLOPE_TOLERANCE: f64 = 0.2;
/// The topic of the question about a run of values 1000 times the rest; a question starts with
/// it, so [`Job::answer`] finds its answer.
pub const UNIT_TOPIC: &str = "Unit change";
/// The client's answer to a [`UNIT_TOPIC`] question: the same on every task of the market.
pub const UNIT_ANSWER: &str = "Treat it as a unit change (market-wide convention: a run of values about 1000 times \
                               the rest was recorded in the wrong unit): divide those values by 1000 and do not flag them.";
/// How many robust standard deviations from the fit make a value an anomaly in [`robust`].
pub const ROBUST_K: f64 = 4.0;
/// How many standard deviations from the fit make a value an anomaly in [`naive`].
pub const NAIVE_Z: f64 = 3.0;
/// The method names agents report.
pub const ROBUST_METHOD: &str = "robust";
/// See [`ROBUST_METHOD`].
pub const NAIVE_METHOD: &str = "naive";

/// The factor of a unit change (thousands recorded as units).
const UNIT_FACTOR: f64 = 1000.0;
/// A value this many times the median magnitude is no anomaly but a different unit.
const GIANT_RATIO: f64 = 100.0;
/// Fewest giant values that make a run worth asking about (one alone is just an outlier).
const GIANT_RUN_MIN: usize = 3;
/// Most pairwise slopes one Theil–Sen fit computes; beyond, pairs are sampled systematically.
const MAX_PAIRS: usize = 60_000;
/// The consistency constant of the MAD for normal noise.
const MAD_SCALE: f64 = 1.4826;
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

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

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
        truth: super::Truth::Analysis(truth),
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

// ---------------------------------------------------------------------------------------------
// Accuracy and answers
// ---------------------------------------------------------------------------------------------

/// How right `output` is: the F1 of its flagged rows against the injected anomalies (weight
/// 0.5), the trend label (0.2), the slope within [`SLOPE_TOLERANCE`] of the truth, or within the
/// flat band of a flat series (0.2), the missing count exact (0.05) and a gap handling other
/// than zero filling (0.05).
pub fn accuracy(truth: &Truth, output: &Output) -> f64 {
    let text = |name: &str| output.get(name).and_then(FieldValue::as_text);
    let number = |name: &str| output.get(name).and_then(FieldValue::as_number);
    let trend_right = text("trend") == Some(truth.trend);
    let slope_right = number("trend_per_day").is_some_and(|s| slope_close(truth, s));
    let count_right = number("missing_rows") == Some(f64::from(truth.missing_rows));
    let handling_right = text("missing_handling").is_some_and(|h| h == "skipped" || h == "interpolated");
    0.5 * anomaly_f1(truth, output.get("anomalies"))
        + 0.2 * f64::from(u8::from(trend_right))
        + 0.2 * f64::from(u8::from(slope_right))
        + 0.05 * f64::from(u8::from(count_right))
        + 0.05 * f64::from(u8::from(handling_right))
}

/// Whether `slope` is close enough to the truth's.
fn slope_close(truth: &Truth, slope: f64) -> bool {
    if !slope.is_finite() {
        return false;
    }
    if truth.trend == "flat" {
        let span = f64::from(truth.rows.saturating_sub(1));
        (slope - truth.slope).abs() * span <= FLAT_SHARE * truth.level.abs()
    } else {
        (slope - truth.slope).abs() <= SLOPE_TOLERANCE * truth.slope.abs()
    }
}

/// The F1 score of the flagged rows: distinct row numbers count once; anything that is not a
/// row number counts as a wrong flag.
fn anomaly_f1(truth: &Truth, flagged: Option<&FieldValue>) -> f64 {
    let Some(items) = flagged.and_then(FieldValue::as_list) else {
        return 0.0;
    };
    let mut rows = BTreeSet::new();
    let mut junk = 0usize;
    for item in items {
        match item.as_number() {
            Some(n) if n.is_finite() && n.fract() == 0.0 && n >= 1.0 && n <= f64::from(u32::MAX) => {
                rows.insert(n as u32);
            }
            _ => junk += 1,
        }
    }
    let hits = truth.anomalies.iter().filter(|r| rows.contains(r)).count();
    let denominator = rows.len() + junk + truth.anomalies.len();
    if denominator == 0 {
        return 1.0;
    }
    2.0 * hits as f64 / denominator as f64
}

/// The client's answer to `question`. Every answer is a market-wide convention, the same on
/// every task, so an agent that remembers it need not ask again.
pub fn answer(truth: &Truth, question: &str) -> String {
    // The conventions hold whatever this task's truth: a ×1000 run is always a unit change.
    let _ = truth;
    let q = question.to_lowercase();
    if q.starts_with(&UNIT_TOPIC.to_lowercase()) || q.contains("unit") || q.contains("1000") {
        UNIT_ANSWER.to_owned()
    } else if q.contains("missing") || q.contains("gap") {
        "Skip the rows without a value or interpolate them; never fill them with zeros. Count every row whose value is \
         empty or NA."
            .to_owned()
    } else if q.contains("anomal") || q.contains("outlier") {
        "An anomaly is a value far off the trend and the weekly pattern: spikes, dips and each row of a short level \
         shift."
            .to_owned()
    } else {
        "The instructions say all there is to say; follow them.".to_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the dataset
// ---------------------------------------------------------------------------------------------

/// A series as a method reads it: each row's number and value (none for a gap).
#[derive(Debug, Clone)]
struct Series {
    rows: Vec<f64>,
    values: Vec<Option<f64>>,
}

/// How a method reads a cell.
#[derive(Clone, Copy)]
enum Reading {
    /// Anything that is not a finite number is a gap.
    Careful,
    /// An empty cell is a gap; anything else unreadable is silently zero (a naive parser).
    Naive,
}

/// The dataset of `job` as a series, if it is a table with a value column.
fn read_series(job: &Job<'_>, reading: Reading) -> Option<(Series, u32)> {
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

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

/// The median of `values` (sorted in place); none when empty.
fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 })
}

/// The Theil–Sen slope of `points` (x, y): the median of the slopes between pairs. With more
/// than [`MAX_PAIRS`] pairs, every k-th pair in order is taken, so the sample is the same on
/// every run.
fn theil_sen(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len();
    let pairs = n * n.saturating_sub(1) / 2;
    let stride = pairs.div_ceil(MAX_PAIRS).max(1);
    let mut slopes = Vec::with_capacity(pairs / stride + 1);
    let mut k = 0usize;
    for (i, a) in points.iter().enumerate() {
        for b in &points[i + 1..] {
            if k % stride == 0 && b.0 != a.0 {
                slopes.push((b.1 - a.1) / (b.0 - a.0));
            }
            k += 1;
        }
    }
    median(&mut slopes)
}

/// The intercept that centres the residuals of `points` around `slope` (their median).
fn robust_intercept(points: &[(f64, f64)], slope: f64) -> f64 {
    let mut offsets: Vec<f64> = points.iter().map(|(x, y)| y - slope * x).collect();
    median(&mut offsets).unwrap_or(0.0)
}

/// Ordinary least squares (slope, intercept) of `points`; a flat line through the mean when
/// every x is the same.
fn least_squares(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len().max(1) as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (slope, my - slope * mx)
}

/// The trend label of `slope` over `rows` rows of median value `level` (the instructions' rule).
fn trend_label(slope: f64, rows: usize, level: f64) -> &'static str {
    let change = slope * rows.saturating_sub(1) as f64;
    if change.abs() < FLAT_SHARE * level.abs() {
        "flat"
    } else if change > 0.0 {
        "rising"
    } else {
        "falling"
    }
}

/// What a method found, before it becomes an output.
struct Findings {
    anomalies: Vec<f64>,
    slope: f64,
    trend: &'static str,
    missing_rows: u32,
    handling: &'static str,
    confidence: f64,
}

fn build_output(f: &Findings) -> Output {
    let mut out = Output::new();
    out.insert("anomalies".into(), FieldValue::List(f.anomalies.iter().map(|r| FieldValue::Number(*r)).collect()));
    out.insert("trend_per_day".into(), FieldValue::Number(if f.slope.is_finite() { f.slope } else { 0.0 }));
    out.insert("trend".into(), FieldValue::Text(f.trend.to_owned()));
    out.insert("missing_rows".into(), FieldValue::Number(f64::from(f.missing_rows)));
    out.insert("missing_handling".into(), FieldValue::Text(f.handling.to_owned()));
    out.insert("confidence".into(), FieldValue::Number((f.confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0));
    out
}

fn draft(f: &Findings) -> Draft {
    Draft::Output { output: build_output(f), confidence_bps: (f.confidence.clamp(0.0, 1.0) * 10_000.0) as u16 }
}

/// What a method hands in when the dataset cannot be read: nothing found, and it says so.
fn unreadable() -> Draft {
    draft(&Findings {
        anomalies: Vec::new(),
        slope: 0.0,
        trend: "flat",
        missing_rows: 0,
        handling: "skipped",
        confidence: 0.05,
    })
}

// ---------------------------------------------------------------------------------------------
// The robust method
// ---------------------------------------------------------------------------------------------

/// The careful analysis: gaps (empty, `NA`, anything not a number) are skipped; a run of values
/// about 1000 times the rest is asked about ([`UNIT_TOPIC`]) unless answered, then rescaled
/// (or, if the answer says it is real, flagged); the trend is a Theil–Sen fit refitted after
/// removing each weekday's median residual; anomalies are the residuals beyond [`ROBUST_K`]
/// robust standard deviations (1.4826 × MAD). Cost grows with the square of the rows.
pub fn robust(job: &Job<'_>) -> Draft {
    let Some((series, gaps)) = read_series(job, Reading::Careful) else {
        return unreadable();
    };
    let mut values = series.values.clone();
    let giant = giant_positions(&values);
    let mut real_giants = Vec::new();
    let mut rescaled = false;
    if giant.len() >= GIANT_RUN_MIN {
        match job.answer(UNIT_TOPIC) {
            None => return Draft::Question(unit_question(&series, &giant)),
            Some(a) if says_unit_change(a) => {
                for &p in &giant {
                    values[p] = values[p].map(|v| v / UNIT_FACTOR);
                }
                rescaled = true;
            }
            Some(_) => {
                for &p in &giant {
                    values[p] = None;
                }
                real_giants = giant;
            }
        }
    }
    let points: Vec<(f64, f64)> = values.iter().enumerate().filter_map(|(p, v)| v.map(|v| (p as f64, v))).collect();
    if points.len() < 3 {
        return unreadable();
    }
    let Some(fit) = robust_fit(&points) else {
        return unreadable();
    };
    let mut flagged: BTreeSet<usize> = fit.outliers.iter().map(|&i| points[i].0 as usize).collect();
    flagged.extend(real_giants);
    let mut present: Vec<f64> = points.iter().map(|p| p.1).collect();
    let level = median(&mut present).unwrap_or(0.0);
    let n = series.values.len();
    let trend = trend_label(fit.slope, n, level);
    let confidence = robust_confidence(&fit, n, level, gaps, flagged.len(), rescaled, points.len());
    draft(&Findings {
        anomalies: flagged.iter().map(|&p| series.rows[p]).collect(),
        slope: fit.slope,
        trend,
        missing_rows: gaps,
        handling: "skipped",
        confidence,
    })
}

/// A robust fit: the slope, the noise scale and which points (indexes) lie off it.
struct RobustFit {
    slope: f64,
    sigma: f64,
    outliers: Vec<usize>,
}

/// Theil–Sen, weekday medians of the residuals removed, Theil–Sen again, then the MAD rule.
fn robust_fit(points: &[(f64, f64)]) -> Option<RobustFit> {
    let first = theil_sen(points)?;
    let intercept = robust_intercept(points, first);
    let season = weekday_medians(points, |x, y| y - (intercept + first * x));
    let adjusted: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x, y - season[weekday(x)])).collect();
    let slope = theil_sen(&adjusted)?;
    let intercept = robust_intercept(&adjusted, slope);
    let residuals: Vec<f64> = adjusted.iter().map(|(x, y)| y - (intercept + slope * x)).collect();
    let mut sorted = residuals.clone();
    let centre = median(&mut sorted)?;
    let mut deviations: Vec<f64> = residuals.iter().map(|r| (r - centre).abs()).collect();
    let mad = median(&mut deviations)?;
    let sigma = if mad > 0.0 {
        MAD_SCALE * mad
    } else {
        // More than half the points sit on the line: use the mean deviation instead.
        1.2533 * residuals.iter().map(|r| (r - centre).abs()).sum::<f64>() / residuals.len() as f64
    };
    let outliers = if sigma > 0.0 {
        residuals.iter().enumerate().filter(|(_, r)| (*r - centre).abs() > ROBUST_K * sigma).map(|(i, _)| i).collect()
    } else {
        Vec::new()
    };
    Some(RobustFit { slope, sigma, outliers })
}

/// The day of the week of position `x` (rows are consecutive days).
fn weekday(x: f64) -> usize {
    (x as usize) % 7
}

/// The median residual of each weekday (0 where a weekday has too few points to tell).
fn weekday_medians(points: &[(f64, f64)], residual: impl Fn(f64, f64) -> f64) -> [f64; 7] {
    let mut by_day: [Vec<f64>; 7] = Default::default();
    for &(x, y) in points {
        by_day[weekday(x)].push(residual(x, y));
    }
    by_day.map(|mut r| if r.len() >= 3 { median(&mut r).unwrap_or(0.0) } else { 0.0 })
}

/// How sure the robust method is: high by default, less near the flat threshold, with many
/// flags, many gaps, few points, or when it leaned on a convention.
fn robust_confidence(
    fit: &RobustFit,
    rows: usize,
    level: f64,
    gaps: u32,
    flagged: usize,
    rescaled: bool,
    points: usize,
) -> f64 {
    let mut c: f64 = 0.92;
    let change = fit.slope.abs() * rows.saturating_sub(1) as f64;
    let threshold = FLAT_SHARE * level.abs();
    if threshold > 0.0 && (0.6..1.6).contains(&(change / threshold)) {
        c -= 0.2;
    }
    if flagged > 12 {
        c -= 0.2;
    }
    if f64::from(gaps) > 0.1 * rows as f64 {
        c -= 0.05;
    }
    if rescaled {
        c -= 0.05;
    }
    if fit.sigma > 0.1 * level.abs() {
        c -= 0.1;
    }
    if points < 30 {
        c = c.min(0.3);
    }
    c.clamp(0.05, 0.95)
}

/// Positions whose value is over [`GIANT_RATIO`] times the median magnitude.
fn giant_positions(values: &[Option<f64>]) -> Vec<usize> {
    let mut magnitudes: Vec<f64> = values.iter().flatten().map(|v| v.abs()).collect();
    let Some(typical) = median(&mut magnitudes) else {
        return Vec::new();
    };
    if typical <= 0.0 {
        return Vec::new();
    }
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_some_and(|v| v.abs() > GIANT_RATIO * typical))
        .map(|(p, _)| p)
        .collect()
}

fn unit_question(series: &Series, giant: &[usize]) -> String {
    let row = |p: Option<&usize>| p.and_then(|p| series.rows.get(*p)).copied().unwrap_or(0.0);
    let (first, last) = (row(giant.first()), row(giant.last()));
    format!(
        "{UNIT_TOPIC}? The values from row {first} to row {last} are about 1000 times the rest: is the jump at row \
         {first} a unit change or real?"
    )
}

/// Whether an answer settles a giant run as a unit change (rescale) rather than real.
fn says_unit_change(answer: &str) -> bool {
    let a = answer.to_lowercase();
    (a.contains("unit change") || a.contains("divide") || a.contains("rescale")) && !a.contains("it is real")
}

// ---------------------------------------------------------------------------------------------
// The naive method
// ---------------------------------------------------------------------------------------------

/// The quick analysis: every gap read as zero (and anything unreadable, `NA` included, too),
/// an ordinary least-squares line, and residuals more than [`NAIVE_Z`] standard deviations
/// from their mean flagged. Outliers inflate the deviation and hide one another; the zeros look
/// like dips and drag the line. It never asks. Cost grows with the rows.
pub fn naive(job: &Job<'_>) -> Draft {
    let Some((series, empty_cells)) = read_series(job, Reading::Naive) else {
        return unreadable();
    };
    let points: Vec<(f64, f64)> = series.values.iter().enumerate().map(|(p, v)| (p as f64, v.unwrap_or(0.0))).collect();
    if points.len() < 3 {
        return unreadable();
    }
    let (slope, intercept) = least_squares(&points);
    let residuals: Vec<f64> = points.iter().map(|(x, y)| y - (intercept + slope * x)).collect();
    let n = residuals.len() as f64;
    let mean = residuals.iter().sum::<f64>() / n;
    let sd = (residuals.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / n).sqrt();
    let flagged: Vec<f64> = residuals
        .iter()
        .enumerate()
        .filter(|(_, r)| sd > 0.0 && ((*r - mean) / sd).abs() > NAIVE_Z)
        .map(|(p, _)| series.rows[p])
        .collect();
    let level = points.iter().map(|p| p.1).sum::<f64>() / n;
    draft(&Findings {
        anomalies: flagged,
        slope,
        trend: trend_label(slope, points.len(), level),
        missing_rows: empty_cells,
        handling: "zero_filled",
        confidence: 0.85,
    })
}

// ---------------------------------------------------------------------------------------------
// Cost models
// ---------------------------------------------------------------------------------------------

/// Rows of the dataset (0 if unreadable), for the cost models.
fn rows_of(job: &Job<'_>) -> u64 {
    job.input(DATASET).and_then(|c| Table::parse(c).ok()).map_or(0, |t| t.rows().len() as u64)
}

/// The robust method's time: a second to read, and two Theil–Sen fits of n(n−1)/2 pairwise
/// slopes each at 0.1 ms a slope, about n²/10 ms (26 s for 500 rows).
pub fn robust_duration_ms(rows: u64) -> DurationMs {
    1_000 + rows.saturating_mul(rows) / 10
}

/// The naive method's time: a fifth of a second plus 2 ms a row (one pass for the line, one
/// for the deviations).
pub fn naive_duration_ms(rows: u64) -> DurationMs {
    200 + 2 * rows
}

/// The time to read a dataset and spot what needs asking: half a second plus 2 ms a row.
fn ask_duration_ms(rows: u64) -> DurationMs {
    500 + 2 * rows
}

// ---------------------------------------------------------------------------------------------
// Agents
// ---------------------------------------------------------------------------------------------

/// Whether an agent of this kind takes `job`, and why not.
fn evaluate_job(job: &Job<'_>) -> Decision {
    if Kind::from_category(&job.spec.category) != Some(Kind::Analysis) {
        return Decision::Decline { reason: format!("I only do {} work.", Kind::Analysis.category()) };
    }
    if !job.has_input(DATASET) {
        return Decision::Decline { reason: format!("There is no inline input named {DATASET} to analyse.") };
    }
    Decision::Claim
}

/// The topic of a question: its words before the first `?`, `:` or `.`.
fn topic_of(question: &str) -> &str {
    question.split(['?', ':', '.']).next().unwrap_or(question).trim()
}

/// The job's clarifications with the remembered answers before them, so an answer given on
/// this task wins over one remembered from another ([`Job::answer`] reads the latest).
fn with_memory(job: &Job<'_>, memory: &BTreeMap<String, String>) -> Vec<Clarification> {
    memory
        .iter()
        .map(|(topic, answer)| Clarification { question: topic.clone(), answer: Some(answer.clone()) })
        .chain(job.clarifications.iter().cloned())
        .collect()
}

/// Check an output with the task's own criteria, repair what can be repaired (flags of rows the
/// dataset lacks, counts and confidence out of range), and lower the confidence for whatever
/// still fails.
fn finish(job: &Job<'_>, mut output: Output, confidence_bps: u16, notes: &str) -> (Output, crate::output::SelfCheck) {
    let (check, verification) = kit::self_check(job, &output, confidence_bps, notes);
    if verification.failed.is_empty() {
        return (output, check);
    }
    repair(job, &mut output);
    let (check, verification) = kit::self_check(job, &output, confidence_bps, notes);
    if verification.failed.is_empty() {
        return (output, check);
    }
    let failed: Vec<&str> = verification.failed.iter().map(|f| f.criterion.as_str()).collect();
    let notes = format!("{notes}; fails {}", failed.join(", "));
    let (check, _) = kit::self_check(job, &output, confidence_bps / 4, &notes);
    (output, check)
}

/// Drop flags of rows the dataset's `row` column lacks; clamp the numbers into their ranges.
fn repair(job: &Job<'_>, output: &mut Output) {
    let table = job.input(DATASET).and_then(|c| Table::parse(c).ok());
    let known: BTreeSet<String> =
        table.as_ref().and_then(|t| t.column("row").map(|c| t.cells(c).map(cell_key).collect())).unwrap_or_default();
    if let Some(FieldValue::List(items)) = output.get_mut("anomalies") {
        items.retain(|item| value_key(item).is_some_and(|k| known.contains(&k)));
    }
    let rows = table.map_or(0.0, |t| t.rows().len() as f64);
    if let Some(FieldValue::Number(m)) = output.get_mut("missing_rows") {
        *m = m.clamp(0.0, rows).round();
    }
    if let Some(FieldValue::Number(c)) = output.get_mut("confidence") {
        *c = c.clamp(0.0, 1.0);
    }
}

/// The careful agent: the [`robust`] method, asks about a ×1000 run once and remembers the
/// convention after. Slow (its time grows with the square of the rows) and dear.
#[derive(Debug, Clone, Default)]
pub struct RobustAnalyst {
    memory: BTreeMap<String, String>,
    methods: MethodRecord,
}

impl RobustAnalyst {
    /// A new robust analyst, remembering nothing.
    pub fn new() -> RobustAnalyst {
        RobustAnalyst::default()
    }

    /// The answers it remembers, by topic.
    pub fn memory(&self) -> &BTreeMap<String, String> {
        &self.memory
    }

    /// How its method has fared.
    pub fn methods(&self) -> &MethodRecord {
        &self.methods
    }
}

impl WorkAgent for RobustAnalyst {
    fn name(&self) -> &str {
        "Robust analyst"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Analysis.category().to_owned(), 4)]
    }

    fn rate(&self) -> Money {
        9_000
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        evaluate_job(job)
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        let clarifications = with_memory(job, &self.memory);
        let job = Job { clarifications: &clarifications, ..*job };
        let rows = rows_of(&job);
        match robust(&job) {
            Draft::Question(question) => Attempt::Ask { question, duration_ms: ask_duration_ms(rows) },
            Draft::Output { output, confidence_bps } => {
                let notes = "Theil-Sen trend with weekday medians removed; MAD outliers; gaps skipped";
                let (output, self_check) = finish(&job, output, confidence_bps, notes);
                Attempt::Submit { output, self_check, duration_ms: robust_duration_ms(rows), method: ROBUST_METHOD }
            }
        }
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        for c in &outcome.clarifications {
            if let Some(answer) = &c.answer {
                self.memory.insert(topic_of(&c.question).to_owned(), answer.clone());
            }
        }
        self.methods.record(outcome.method, outcome.accepted);
    }
}

/// The quick agent: the [`naive`] method, never asks. Fast and cheap.
#[derive(Debug, Clone, Default)]
pub struct NaiveAnalyst {
    methods: MethodRecord,
}

impl NaiveAnalyst {
    /// A new naive analyst.
    pub fn new() -> NaiveAnalyst {
        NaiveAnalyst::default()
    }

    /// How its method has fared.
    pub fn methods(&self) -> &MethodRecord {
        &self.methods
    }
}

impl WorkAgent for NaiveAnalyst {
    fn name(&self) -> &str {
        "Naive analyst"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Analysis.category().to_owned(), 2)]
    }

    fn rate(&self) -> Money {
        3_000
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        evaluate_job(job)
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        let rows = rows_of(job);
        match naive(job) {
            Draft::Question(question) => Attempt::Ask { question, duration_ms: ask_duration_ms(rows) },
            Draft::Output { output, confidence_bps } => {
                let notes = "least squares; z-scores over 3; gaps read as zero";
                let (output, self_check) = finish(job, output, confidence_bps, notes);
                Attempt::Submit { output, self_check, duration_ms: naive_duration_ms(rows), method: NAIVE_METHOD }
            }
        }
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        self.methods.record(outcome.method, outcome.accepted);
    }
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
    fn theil_sen_ignores_outliers_least_squares_does_not() {
        let mut points: Vec<(f64, f64)> = (0..50).map(|x| (f64::from(x), 10.0 + 0.5 * f64::from(x))).collect();
        points[45].1 += 500.0;
        points[47].1 += 500.0;
        let ts = theil_sen(&points).unwrap();
        assert!((ts - 0.5).abs() < 1e-9, "{ts}");
        let (ols, _) = least_squares(&points);
        assert!((ols - 0.5).abs() > 0.5, "the outliers drag least squares: {ols}");
    }

    #[test]
    fn theil_sen_samples_large_inputs_and_stays_right() {
        let points: Vec<(f64, f64)> = (0..600).map(|x| (f64::from(x), 3.0 - 0.25 * f64::from(x))).collect();
        let ts = theil_sen(&points).unwrap();
        assert!((ts + 0.25).abs() < 1e-9, "{ts}");
        assert_eq!(theil_sen(&[]), None);
    }

    #[test]
    fn normal_draws_have_unit_scale() {
        let mut rng = SplitMix64::new(3);
        let draws: Vec<f64> = (0..20_000).map(|_| normal(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.05 && (var - 1.0).abs() < 0.05, "mean {mean} var {var}");
    }

    #[test]
    fn trend_labels_follow_the_flat_rule() {
        assert_eq!(trend_label(0.01, 101, 100.0), "flat", "change 1 under 2 % of 100");
        assert_eq!(trend_label(0.03, 101, 100.0), "rising");
        assert_eq!(trend_label(-0.03, 101, 100.0), "falling");
    }

    #[test]
    fn topics_are_the_words_before_the_question_mark() {
        assert_eq!(topic_of("Unit change? The values ..."), UNIT_TOPIC);
        assert_eq!(topic_of("no mark at all"), "no mark at all");
    }
}
