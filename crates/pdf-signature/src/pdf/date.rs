//! PDF dates (ISO 32000-1 §7.9.4): `D:YYYYMMDDHHmmSSOHH'mm'`, every part after the year
//! optional.

/// The instant a PDF date names; `None` when it is not a date. A missing offset is read as
/// UTC (the standard leaves it unknown; UTC is what most validators assume).
pub(crate) fn parse(text: &str) -> Option<jiff::Timestamp> {
    let text = text.trim();
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, zone) = text.split_at(digits_end);
    if digits.len() < 4 || digits.len() % 2 != 0 || digits.len() > 14 {
        return None;
    }
    let field = |start: usize, default: i8| -> Option<i8> {
        match digits.get(start..start + 2) {
            Some(two) => two.parse().ok(),
            None => Some(default),
        }
    };
    let year: i16 = digits.get(0..4)?.parse().ok()?;
    let month = field(4, 1)?;
    let day = field(6, 1)?;
    let hour = field(8, 0)?;
    let minute = field(10, 0)?;
    let second = field(12, 0)?;
    let offset_seconds = offset(zone)?;
    let civil = jiff::civil::DateTime::new(year, month, day, hour, minute, second, 0).ok()?;
    let offset = jiff::tz::Offset::from_seconds(offset_seconds).ok()?;
    offset.to_timestamp(civil).ok()
}

/// `Z`, `+HH'mm'`, `-HH'mm`, `+HH`, or nothing; apostrophes optional.
fn offset(zone: &str) -> Option<i32> {
    let mut chars = zone.chars();
    let sign = match chars.next() {
        None | Some('Z') | Some('z') => return Some(0),
        Some('+') => 1,
        Some('-') => -1,
        Some(_) => return None,
    };
    let digits: String = chars.filter(|c| c.is_ascii_digit()).collect();
    let hours: i32 = digits.get(0..2)?.parse().ok()?;
    let minutes: i32 = match digits.get(2..4) {
        Some(m) => m.parse().ok()?,
        None => 0,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn ts(s: &str) -> jiff::Timestamp {
        s.parse().expect("valid timestamp")
    }

    #[test]
    fn full_date_with_offset() {
        assert_eq!(
            parse("D:20240315143000+01'00'"),
            Some(ts("2024-03-15T13:30:00Z"))
        );
        assert_eq!(
            parse("D:20240315143000-05'30"),
            Some(ts("2024-03-15T20:00:00Z"))
        );
        assert_eq!(parse("D:20240315143000Z"), Some(ts("2024-03-15T14:30:00Z")));
        assert_eq!(
            parse("D:20240315143000Z00'00'"),
            Some(ts("2024-03-15T14:30:00Z"))
        );
    }

    #[test]
    fn partial_dates() {
        assert_eq!(parse("D:2024"), Some(ts("2024-01-01T00:00:00Z")));
        assert_eq!(parse("20240315"), Some(ts("2024-03-15T00:00:00Z")));
    }

    #[test]
    fn not_dates() {
        for bad in [
            "",
            "D:",
            "D:20241",
            "D:20241345000000Z",
            "yesterday",
            "D:20240101000000+25'00'",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
