//! Time stamps in the formats the Optimizer shows.

use jiff::{Timestamp, tz::TimeZone};

/// Now.
pub fn now() -> Timestamp {
    Timestamp::now()
}

/// Now in Unix milliseconds.
pub fn now_ms() -> i64 {
    now().as_millisecond()
}

/// RFC 3339 (UTC, whole seconds).
pub fn rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Parses what [`rfc3339`] wrote; `None` for anything else.
pub fn parse(text: &str) -> Option<Timestamp> {
    text.parse().ok()
}

/// `11/11/2019 18:03:07` — the legacy document list format.
pub fn document_date(ts: Timestamp) -> String {
    ts.to_zoned(TimeZone::UTC)
        .strftime("%d/%m/%Y %H:%M:%S")
        .to_string()
}

/// `2021-06-02 02:12:16.369317` — the legacy image list format.
pub fn image_date(ts: Timestamp) -> String {
    ts.to_zoned(TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M:%S%.6f")
        .to_string()
}

/// `20250715083633` — the current webhook `sent_at` format.
pub fn compact(ts: Timestamp) -> String {
    ts.to_zoned(TimeZone::UTC)
        .strftime("%Y%m%d%H%M%S")
        .to_string()
}

/// `2021-07-20T08:08:21.132394` — the legacy webhook `date` format (ISO without zone).
pub fn iso_naive(ts: Timestamp) -> String {
    ts.to_zoned(TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string()
}

/// Formats `ts` with a strftime `pattern` in the tz database zone `zone`. Unknown zones fall back
/// to UTC (the reference's own example zone "Europe/Barcelona" does not exist; it is read as
/// Europe/Madrid).
pub fn format_in_zone(ts: Timestamp, pattern: &str, zone: Option<&str>) -> String {
    let zone = match zone.map(str::trim) {
        Some("Europe/Barcelona") => "Europe/Madrid",
        Some(z) if !z.is_empty() => z,
        _ => "UTC",
    };
    let tz = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
    let zoned = ts.to_zoned(tz);
    let mut out = String::new();
    match jiff::fmt::strtime::format(pattern, &zoned) {
        Ok(text) => out.push_str(&text),
        Err(_) => out.push_str(&zoned.strftime("%d/%m/%Y %H:%M:%S").to_string()),
    }
    out
}
