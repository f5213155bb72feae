//! The two envelopes (API.md §B, AGREED-API.md): legacy `{"status": "200 OK", "details": ...}`
//! and current `{"status": "success"|"error", "message": ..., "details"|"detail": ...}`.

use crate::core::error::{ApiError, Details};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Which API layout a route belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `/oneshot/api/v1/...`.
    Current,
    /// `/api/v1/...`.
    Legacy,
}

/// `"200 OK"`, `"412 Precondition Failed"`, ...
pub fn status_line(code: StatusCode) -> String {
    format!(
        "{} {}",
        code.as_u16(),
        code.canonical_reason().unwrap_or("")
    )
}

impl Layout {
    /// An error in this layout's envelope.
    pub fn error(self, err: ApiError) -> Response {
        let details = match &err.details {
            Details::Text(text) => Value::from(text.clone()),
            Details::Object(value) => value.clone(),
        };
        let body = match self {
            Layout::Legacy => json!({
                "status": if err.invalid_json { "Invalid JSON".to_string() } else { status_line(err.status) },
                "details": details,
            }),
            Layout::Current => json!({"status": "error", "message": err.text(), "detail": details}),
        };
        (err.status, Json(body)).into_response()
    }

    /// A message-only success: legacy `details: text`, current `message: text`.
    pub fn message(self, code: StatusCode, text: &str) -> Response {
        match self {
            Layout::Legacy => legacy(code, Value::from(text)),
            Layout::Current => current(code, json!({"status": "success", "message": text})),
        }
    }
}

/// A legacy success `{"status": "<code> <reason>", "details": details}`.
pub fn legacy(code: StatusCode, details: Value) -> Response {
    (
        code,
        Json(json!({"status": status_line(code), "details": details})),
    )
        .into_response()
}

/// A current success body as given (it carries its own `status: success`).
pub fn current(code: StatusCode, body: Value) -> Response {
    (code, Json(body)).into_response()
}
