//! Medians and their spread, as every figure of the report is given.

/// The median of `values` and their median absolute deviation from it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub spread: f64,
}

pub const SPREAD_KIND: &str = "median absolute deviation";

pub fn summarize(values: &[f64]) -> Summary {
    let median = median(values);
    let deviations: Vec<f64> = values.iter().map(|v| (v - median).abs()).collect();
    Summary {
        median,
        spread: self::median(&deviations),
    }
}

pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    }
}

/// The value below which `fraction` of `values` lie (nearest rank).
pub fn percentile(values: &[f64], fraction: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((fraction * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Rounds to a tenth of a millisecond (or of a megabyte): finer is noise here.
pub fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}
