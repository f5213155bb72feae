//! Errors of Optimizer operations, layout-neutral: an HTTP status plus the legacy (GH2) wording,
//! which both layouts show (the current layout wraps it in its own envelope).

use axum::http::StatusCode;
use serde_json::Value;

/// What the error carries as its `details`.
#[derive(Clone, Debug, PartialEq)]
pub enum Details {
    /// A message text.
    Text(String),
    /// A structured body: a per-document map or a Django-style field-error object.
    Object(Value),
}

/// An Optimizer API error.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Body payload.
    pub details: Details,
    /// The legacy layout answers unparsable JSON with status text "Invalid JSON".
    pub invalid_json: bool,
}

impl ApiError {
    /// An error with a message text.
    pub fn new(status: StatusCode, text: impl Into<String>) -> Self {
        Self {
            status,
            details: Details::Text(text.into()),
            invalid_json: false,
        }
    }

    /// An error with a structured body.
    pub fn object(status: StatusCode, details: Value) -> Self {
        Self {
            status,
            details: Details::Object(details),
            invalid_json: false,
        }
    }

    /// 400.
    pub fn bad_request(text: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, text)
    }

    /// 403.
    pub fn forbidden(text: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, text)
    }

    /// 404.
    pub fn not_found(text: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, text)
    }

    /// 412.
    pub fn precondition(text: impl Into<String>) -> Self {
        Self::new(StatusCode::PRECONDITION_FAILED, text)
    }

    /// 415.
    pub fn unsupported(text: impl Into<String>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, text)
    }

    /// 500.
    pub fn internal(text: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, text)
    }

    /// A Django-REST-style field error (`{"email": ["This field is required"]}`), answered 500
    /// as the legacy Optimizer does.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::object(
            StatusCode::INTERNAL_SERVER_ERROR,
            serde_json::json!({ field: [message.into()] }),
        )
    }

    /// A body that is not JSON.
    pub fn invalid_json(reason: impl std::fmt::Display) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            details: Details::Text(format!("Could not parse JSON body - {reason}")),
            invalid_json: true,
        }
    }

    /// A storage failure on the simulator's own disk.
    pub fn storage(err: impl std::fmt::Display) -> Self {
        tracing::error!("storage failure: {err}");
        Self::internal(format!("Storage error on the Optimizer: {err}"))
    }

    /// The text of the error (objects flattened to `key: value` pairs).
    pub fn text(&self) -> String {
        match &self.details {
            Details::Text(text) => text.clone(),
            Details::Object(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{k}: {s}"),
                    Value::Array(items) => format!(
                        "{k}: {}",
                        items
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                    other => format!("{k}: {other}"),
                })
                .collect::<Vec<_>>()
                .join("; "),
            Details::Object(other) => other.to_string(),
        }
    }
}

/// Result of an Optimizer operation.
pub type ApiResult<T> = Result<T, ApiError>;
