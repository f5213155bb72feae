//! Tolerant scalar decoding: the Optimizer's documents disagree on whether numbers are numbers
//! or strings (`"page": "0"`, `"mobile_phone_number": 34600123123`, `"password": "true"`), so
//! fields that vary are decoded through these helpers.

use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_json::Value;

/// A number or a numeric string, as `u64`.
pub(crate) fn u64_from_value(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean, `"true"`/`"false"` in any case, or 0/1.
pub(crate) fn bool_from_value(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" | "" => Some(false),
            _ => None,
        },
        Value::Number(n) => n.as_u64().map(|v| v != 0),
        _ => None,
    }
}

/// A string, or a number/bool rendered as text.
pub(crate) fn string_from_value(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) fn u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = Value::deserialize(deserializer)?;
    u64_from_value(&value)
        .ok_or_else(|| de::Error::custom(format!("expected a non-negative integer, got {value}")))
}

pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    match value {
        Value::Null => Ok(None),
        other => bool_from_value(&other)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("expected a boolean, got {other}"))),
    }
}

/// Optional text: strings, numbers and booleans become text, `null` and `""` become `None`,
/// anything else (objects, arrays) is ignored rather than failing the whole record.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(string_from_value(&value).filter(|s| !s.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_strings_agree() {
        assert_eq!(u64_from_value(&json!(29571)), Some(29571));
        assert_eq!(u64_from_value(&json!("29571")), Some(29571));
        assert_eq!(u64_from_value(&json!(12.0)), Some(12));
        assert_eq!(u64_from_value(&json!("x")), None);
        assert_eq!(bool_from_value(&json!("True")), Some(true));
        assert_eq!(bool_from_value(&json!("false")), Some(false));
        assert_eq!(bool_from_value(&json!(1)), Some(true));
        assert_eq!(
            string_from_value(&json!(34600123123u64)).as_deref(),
            Some("34600123123")
        );
    }
}
