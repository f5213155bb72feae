//! Medians and their spread over repeated runs.

use crate::part::round;
use serde_json::{Value, json};

pub const SPREAD_KIND: &str = "median absolute deviation";

pub fn median(values: &[f64]) -> f64 {
    assert!(!values.is_empty(), "a median of nothing");
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

pub fn mad(values: &[f64]) -> f64 {
    let m = median(values);
    let deviations: Vec<f64> = values.iter().map(|v| (v - m).abs()).collect();
    median(&deviations)
}

/// A figure of the report: the median of `values` and its spread, with how many runs.
pub fn figure(name: &str, unit: &str, values: &[f64]) -> Value {
    json!({
        "name": format!("{name} ({} runs)", values.len()),
        "unit": unit,
        "median": round(median(values)),
        "spread": round(mad(values)),
        "spread_kind": SPREAD_KIND,
    })
}
