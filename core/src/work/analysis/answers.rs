//! The client's answers to questions: market-wide conventions, the same on every task.

use super::Truth;

/// The topic of the question about a run of values 1000 times the rest; a question starts with
/// it, so [`Job::answer`](crate::work::kit::Job::answer) finds its answer.
pub const UNIT_TOPIC: &str = "Unit change";
/// The client's answer to a [`UNIT_TOPIC`] question: the same on every task of the market.
pub const UNIT_ANSWER: &str = "Treat it as a unit change (market-wide convention: a run of values about 1000 times \
                               the rest was recorded in the wrong unit): divide those values by 1000 and do not flag them.";

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
