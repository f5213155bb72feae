//! Errors of the Optimizer client join the desk's `{code, message, detail?}` type with their
//! own stable codes (`otp.invalid`, `optimizer.unreachable`, ...).
//!
//! The client scrubs every secret of a call out of the texts it keeps, so its message and the
//! server's text are safe to carry; the raw answer body is not carried (it goes to the log).

use crate::error::{CodedError, ErrorCode};

impl CodedError for oneshot_client::Error {
    fn code(&self) -> ErrorCode {
        ErrorCode::from_static(oneshot_client::Error::code(self).as_str())
    }

    /// The client's `Display` is `code: message`; the desk carries the code on its own.
    fn coded_message(&self) -> String {
        oneshot_client::Error::message(self).to_string()
    }

    fn detail(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(text) = self.server_message() {
            parts.push(format!("Optimizer: {text}"));
        }
        if let Some(field) = self.field() {
            parts.push(format!("field: {field}"));
        }
        for item in self.items() {
            parts.push(format!("{}: {}", item.item, item.message));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use crate::DeskError;
    use oneshot_client::{Error, ErrorCode};

    #[test]
    fn client_codes_are_kept() {
        let error: DeskError = Error::new(ErrorCode::OtpInvalid, "wrong code").into();
        assert_eq!(error.code, "otp.invalid");
        assert_eq!(error.message, "wrong code");
        assert_eq!(error.detail, None);
    }
}
