//! Tolerant reading of the Optimizer's JSON envelopes (API.md §B).
//!
//! Legacy: `{"status": "200 OK", "details": …}`. Current: `{"status": "success", "message": …,
//! "details" | "detail": …}`, sometimes with the `messsage` typo. Payloads are numbers, strings,
//! objects or arrays depending on the call; each operation decodes its payload itself through
//! [`Answer::decode`], which names the JSON path of any mismatch.

use crate::call::CallCtx;
use crate::error::{Error, ErrorCode, Result};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// One decoded JSON answer.
#[derive(Debug, Clone)]
pub(crate) struct Envelope {
    status: Option<String>,
    message: Option<String>,
    payload: Option<Value>,
    payload_key: &'static str,
    is_envelope: bool,
}

impl Envelope {
    pub(crate) fn from_value(value: Value) -> Envelope {
        let Value::Object(mut map) = value else {
            // A bare JSON value is treated as the payload itself: nothing documents it, but it
            // costs nothing to accept.
            return Envelope {
                status: None,
                message: None,
                payload: Some(value),
                payload_key: "$",
                is_envelope: false,
            };
        };
        let status = map.get("status").and_then(Value::as_str).map(str::to_owned);
        let is_envelope = status.is_some();
        let message = take_text(&mut map, "message").or_else(|| take_text(&mut map, "messsage"));
        let (payload, payload_key) = if let Some(details) = map.remove("details") {
            (Some(details), "details")
        } else if let Some(detail) = map.remove("detail") {
            (Some(detail), "detail")
        } else {
            (None, "details")
        };
        Envelope {
            status,
            message,
            payload,
            payload_key,
            is_envelope,
        }
    }

    /// True when the body carries a `status` key, i.e. it is a One-Shot envelope and not, say,
    /// a framework's `{"detail": "Not Found"}`.
    pub(crate) fn is_envelope(&self) -> bool {
        self.is_envelope
    }

    /// The status text as sent.
    pub(crate) fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The HTTP code a legacy status line names (`"404 Not Found"` → 404).
    pub(crate) fn status_code_hint(&self) -> Option<u16> {
        let status = self.status.as_deref()?.trim();
        let digits: String = status.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() == 3 {
            digits.parse().ok()
        } else {
            None
        }
    }

    /// True when the status text itself declares a failure, whatever the HTTP code said.
    pub(crate) fn says_failure(&self) -> bool {
        if let Some(code) = self.status_code_hint() {
            return code >= 400;
        }
        match self
            .status
            .as_deref()
            .map(|s| s.trim().to_ascii_lowercase())
        {
            Some(s) => matches!(
                s.as_str(),
                "error" | "fail" | "failed" | "failure" | "invalid json"
            ),
            None => false,
        }
    }

    /// The payload (`details` or `detail`), if any.
    pub(crate) fn payload(&self) -> Option<&Value> {
        self.payload.as_ref()
    }

    /// Name of the key the payload came from, for error paths.
    pub(crate) fn payload_key(&self) -> &'static str {
        self.payload_key
    }

    /// The human text of the answer: the payload when it is text, else the message, else the
    /// `detail`/`message` of a nested object.
    pub(crate) fn text(&self) -> Option<String> {
        match &self.payload {
            Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.clone()),
            Some(Value::Object(map)) => {
                if let Some(text) = ["detail", "message", "error"]
                    .iter()
                    .find_map(|k| map.get(*k).and_then(Value::as_str))
                {
                    return Some(text.to_owned());
                }
            }
            _ => {}
        }
        if let Some(message) = &self.message {
            return Some(message.clone());
        }
        match &self.payload {
            Some(Value::Array(items)) => {
                // FastAPI validation errors: [{"loc": [...], "msg": "...", ...}]
                let msgs: Vec<&str> = items
                    .iter()
                    .filter_map(|i| i.get("msg").and_then(Value::as_str))
                    .collect();
                if msgs.is_empty() {
                    None
                } else {
                    Some(msgs.join("; "))
                }
            }
            _ => None,
        }
    }

    /// The message key (`message`/`messsage`), if any.
    pub(crate) fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

fn take_text(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.remove(key) {
        Some(Value::String(s)) => Some(s),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    }
}

/// A successful JSON answer of one call, with what is needed to report decode failures.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) envelope: Envelope,
    pub(crate) body: bytes::Bytes,
    pub(crate) status: u16,
    pub(crate) ctx: CallCtx,
}

impl Answer {
    /// The payload, or a decode error naming its absence.
    pub(crate) fn payload(&self) -> Result<&Value> {
        self.envelope
            .payload()
            .ok_or_else(|| self.bad_response("the answer has no `details`", "details"))
    }

    /// Decodes `value` (found at `path`) into `T`, naming the JSON path of any mismatch.
    pub(crate) fn decode<T: DeserializeOwned>(&self, value: &Value, path: &str) -> Result<T> {
        serde_path_to_error::deserialize(value).map_err(|err| {
            let inner = err.path().to_string();
            let full = if inner == "." || inner.is_empty() {
                path.to_owned()
            } else {
                format!("{path}.{inner}")
            };
            self.bad_response(&format!("unexpected answer shape: {}", err.inner()), &full)
        })
    }

    /// A `optimizer.bad_response` error for this answer.
    pub(crate) fn bad_response(&self, what: &str, path: &str) -> Error {
        Error::new(
            ErrorCode::OptimizerBadResponse,
            format!(
                "{} answered {}: {what} (at {path})",
                self.ctx.describe(),
                self.status
            ),
        )
        .with_status(self.status)
        .with_json_path(path)
        .with_raw_body(self.ctx.keep_raw_body(&self.body))
        .with_maybe_processed(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_both_spellings() {
        let legacy = Envelope::from_value(json!({"status": "404 Not Found", "details": "x"}));
        assert!(legacy.is_envelope());
        assert_eq!(legacy.status_code_hint(), Some(404));
        assert!(legacy.says_failure());
        assert_eq!(legacy.text().as_deref(), Some("x"));

        let current = Envelope::from_value(
            json!({"status": "success", "messsage": "VideoID created", "detail": {"a": 1}}),
        );
        assert!(!current.says_failure());
        assert_eq!(current.payload_key(), "detail");
        assert_eq!(current.message(), Some("VideoID created"));

        let invalid_json = Envelope::from_value(json!({"status": "Invalid JSON", "details": "y"}));
        assert!(invalid_json.says_failure());

        let fastapi = Envelope::from_value(json!({"detail": "Not Found"}));
        assert!(!fastapi.is_envelope());
        assert_eq!(fastapi.text().as_deref(), Some("Not Found"));
    }
}
