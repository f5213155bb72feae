//! The one error type that crosses every boundary of the desk (Tauri commands, CLI output,
//! events): `{ code, message, detail? }`.
//!
//! Each module keeps its own `thiserror` enum, whose variants carry what the code needs to react,
//! and implements [`CodedError`] for it; a blanket `From` then turns any of them into a
//! [`DeskError`], so `?` works across module boundaries.
//!
//! Errors from other crates join the same way. For the Optimizer client, whose errors carry
//! their own stable codes (`otp.invalid`, `optimizer.unreachable`, ...), one impl in this crate
//! is enough:
//!
//! ```text
//! impl CodedError for oneshot_client::Error {
//!     fn code(&self) -> ErrorCode { ErrorCode::new(self.code()) }
//! }
//! ```
//!
//! (A hand-written `impl From<oneshot_client::Error> for DeskError` also compiles next to the
//! blanket impl, should the conversion need more than the code.)
//!
//! The `message` is English and meant for developers and logs; the UI words errors per `code`
//! in the user's language. Neither `message` nor `detail` may ever contain a secret.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// A stable error code such as `vault.unavailable`: the area, a dot, the reason.
///
/// Codes are part of the desk's contract with the UI and with scripts using the CLI: once
/// released, a code keeps its meaning.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ErrorCode(Cow<'static, str>);

impl ErrorCode {
    /// A code known at compile time (the desk's own codes).
    pub const fn from_static(code: &'static str) -> Self {
        Self(Cow::Borrowed(code))
    }

    /// A code from elsewhere, e.g. another crate's error or a deserialised error.
    ///
    /// Not validated: a code coming from outside is passed on as it is rather than lost.
    pub fn new(code: impl Into<Cow<'static, str>>) -> Self {
        Self(code.into())
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the first dot (`vault` in `vault.unavailable`).
    pub fn area(&self) -> &str {
        self.0.split('.').next().unwrap_or_default()
    }

    /// Whether `code` follows the `area.reason` form: lowercase ASCII letters, digits and
    /// underscores, in two or more dot-separated parts.
    pub fn is_well_formed(code: &str) -> bool {
        let mut parts = 0;
        for part in code.split('.') {
            let valid = !part.is_empty()
                && part.starts_with(|c: char| c.is_ascii_lowercase())
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                return false;
            }
            parts += 1;
        }
        parts >= 2
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&'static str> for ErrorCode {
    fn from(code: &'static str) -> Self {
        Self::from_static(code)
    }
}

impl From<String> for ErrorCode {
    fn from(code: String) -> Self {
        Self(Cow::Owned(code))
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The desk's error as it crosses a boundary; serialises as `{code, message, detail?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[error("{message} [{code}]")]
pub struct DeskError {
    /// Stable code the UI words the error by.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub code: ErrorCode,
    /// English, developer-facing; never a secret.
    pub message: String,
    /// Extra context for logs and support (an OS error, a file and line); never a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl DeskError {
    /// An error with a code and a message and no detail.
    pub fn new(code: impl Into<ErrorCode>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            detail: None,
        }
    }

    /// The same error with `detail` attached.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// An error with a stable code: every module error of the desk implements it, and so can
/// errors of other crates (see the module documentation).
pub trait CodedError: std::error::Error {
    /// The stable `area.reason` code.
    fn code(&self) -> ErrorCode;

    /// Extra context beyond the `Display` message, if any. Never a secret.
    fn detail(&self) -> Option<String> {
        None
    }

    /// The message carried in [`DeskError::message`]: the `Display` text, unless that text
    /// already starts with the code (which then would be printed twice).
    fn coded_message(&self) -> String {
        self.to_string()
    }
}

impl<E: CodedError> From<E> for DeskError {
    fn from(error: E) -> Self {
        DeskError {
            code: error.code(),
            message: error.coded_message(),
            detail: error.detail(),
        }
    }
}

/// The error type of results returned at the desk's boundaries.
pub type DeskResult<T> = Result<T, DeskError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum SampleError {
        #[error("The sample failed")]
        Failed { cause: String },
    }

    impl CodedError for SampleError {
        fn code(&self) -> ErrorCode {
            ErrorCode::from_static("sample.failed")
        }
        fn detail(&self) -> Option<String> {
            match self {
                SampleError::Failed { cause } => Some(cause.clone()),
            }
        }
    }

    #[test]
    fn serialises_without_detail_when_absent() {
        let error = DeskError::new("vault.unavailable", "No keyring service is available");
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "vault.unavailable", "message": "No keyring service is available"})
        );
    }

    #[test]
    fn serialises_detail_when_present_and_round_trips() {
        let error = DeskError::new("output.io", "Could not write").with_detail("disk full");
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(
            json,
            r#"{"code":"output.io","message":"Could not write","detail":"disk full"}"#
        );
        let back: DeskError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, error);
    }

    #[test]
    fn module_errors_convert_with_code_message_and_detail() {
        fn fails() -> DeskResult<()> {
            Err(SampleError::Failed {
                cause: "because".into(),
            })?;
            Ok(())
        }
        let error = fails().unwrap_err();
        assert_eq!(error.code, "sample.failed");
        assert_eq!(error.message, "The sample failed");
        assert_eq!(error.detail.as_deref(), Some("because"));
        assert_eq!(error.to_string(), "The sample failed [sample.failed]");
    }

    #[test]
    fn foreign_codes_are_kept_as_they_are() {
        let code = ErrorCode::new(String::from("otp.invalid"));
        assert_eq!(code.area(), "otp");
        assert_eq!(format!("{code:?}"), "\"otp.invalid\"");
    }

    #[test]
    fn well_formed_codes() {
        for good in [
            "vault.unavailable",
            "otp.too_soon",
            "a.b.c",
            "pdf.encrypted2",
        ] {
            assert!(ErrorCode::is_well_formed(good), "{good}");
        }
        for bad in [
            "vault",
            "Vault.unavailable",
            "vault.",
            ".x",
            "vault.un-available",
            "a..b",
            "",
        ] {
            assert!(!ErrorCode::is_well_formed(bad), "{bad}");
        }
    }
}
