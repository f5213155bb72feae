//! The client's one error type and its stable codes.
//!
//! Every failure, whether the Optimizer answered with a documented error, the network broke or a
//! local file could not be read, becomes an [`Error`] carrying an [`ErrorCode`]. The code is the
//! contract with callers: desk-core forwards it across IPC and the UI words it per code, so codes
//! never change meaning once released. The English message is for developers and logs only.
//!
//! No secret ever enters an `Error`: server texts and raw bodies pass through the call's
//! redactor before they are stored (see `redact.rs`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Defines [`ErrorCode`] with its stable string for each variant, in one table.
macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, )+) => {
        /// Stable, machine-readable reason of an [`Error`] (`area.reason`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )+
        }

        impl ErrorCode {
            /// Every code, in declaration order (used by documentation tests).
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )+ ];

            /// The stable string, e.g. `"otp.too_soon"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( ErrorCode::$variant => $code, )+
                }
            }
        }

        impl FromStr for ErrorCode {
            type Err = UnknownErrorCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $code => Ok(ErrorCode::$variant), )+
                    _ => Err(UnknownErrorCode(s.to_owned())),
                }
            }
        }
    };
}

error_codes! {
    /// 412 "Otp generated less than a minute ago".
    OtpTooSoon => "otp.too_soon",
    /// 412 "Error occured during OTP generation: Invalid request status".
    OtpInvalidStatus => "otp.invalid_status",
    /// 403 "Confirmation Code invalid" (wrong or expired code).
    OtpInvalid => "otp.invalid",
    /// 412 "Request already in ISSUED status".
    RequestAlreadySigned => "request.already_signed",
    /// 404 "Request … not found".
    RequestNotFound => "request.not_found",
    /// 400 missing parameter / 500 "This field is required" (field kept when known).
    RequestMissingField => "request.missing_field",
    /// 400 "Please use the mobile phone number with an international prefix".
    RequestInvalidPhone => "request.invalid_phone",
    /// 400/500 "Enter a valid email address".
    RequestInvalidEmail => "request.invalid_email",
    /// 400 "The id_document_type specified is not valid".
    RequestInvalidDocumentType => "request.invalid_document_type",
    /// 500 "'ESX' is not a valid ISO 3166-1 alpha-2 country code".
    RequestInvalidCountry => "request.invalid_country",
    /// 412 "Invalid request fields: `field`" (the field is kept).
    RequestInvalidFields => "request.invalid_fields",
    /// "Error occured during request approval: …" not covered by a more precise code.
    RequestApprovalFailed => "request.approval_failed",
    /// 400 "The specified environment is not available" / "Environment x does not exist".
    RequestEnvironmentUnavailable => "request.environment_unavailable",
    /// 404 "Document not found" / "No documents found" / documents missing at sign time.
    DocumentNotFound => "document.not_found",
    /// 415 "Unsupported file type".
    DocumentUnsupportedType => "document.unsupported_type",
    /// 400 "Maximum number of document reached for Request …".
    DocumentTooMany => "document.too_many",
    /// 415 "Image file type not supported".
    ImageUnsupportedType => "image.unsupported_type",
    /// 404 "Image with uid … not found" (also per-document at sign time).
    ImageNotFound => "image.not_found",
    /// 404 "Token … not found".
    TokenNotFound => "token.not_found",
    /// 400 "A token with these credentials already exist!".
    TokenAlreadyExists => "token.already_exists",
    /// 403 "Invalid RAO Credentials".
    RaoInvalidCredentials => "rao.invalid_credentials",
    /// 400 "Missing required parameters: incomplete RAO's credentials" (and token create's
    /// "Missing required parameters: username, password, pin").
    RaoIncompleteCredentials => "rao.incomplete_credentials",
    /// 404 "Error getting RAO's id. Make sure the credentials are correct".
    RaoNotFound => "rao.not_found",
    /// 403 "You do not have permission to perform this action".
    RaoPermissionDenied => "rao.permission_denied",
    /// 500 "Cannot check the remaining credit for the billing user" / "Billing credentials not valid".
    BillingInvalid => "billing.invalid",
    /// 500 "Configuration error: …" / 403 "… Check your authentication certificates".
    OptimizerMisconfigured => "optimizer.misconfigured",
    /// 400 "Missing required parameter: 'secret'".
    SignMissingSecret => "sign.missing_secret",
    /// 400 per-document map "Missing required parameter 'position' for file …".
    SignAppearanceInvalid => "sign.appearance_invalid",
    /// 403 "Invalid countersignature credentials".
    SignCountersignatureInvalid => "sign.countersignature_invalid",
    /// 400 "Videoid not enabled for Registration Authority …".
    VideoidNotEnabled => "videoid.not_enabled",
    /// 404 "Registration Authority not found".
    VideoidRegistrationAuthorityNotFound => "videoid.registration_authority_not_found",
    /// 400 "No reason specified".
    VideoidReasonMissing => "videoid.reason_missing",
    /// 400 "Invalid JSON" / "Could not parse JSON body": the server could not parse our JSON.
    JsonRejected => "json.rejected",
    /// No connection could be made, or it broke before an answer arrived.
    OptimizerUnreachable => "optimizer.unreachable",
    /// The Optimizer accepted the connection but did not answer in time.
    OptimizerTimeout => "optimizer.timeout",
    /// The server certificate is not trusted (unknown issuer, self-signed, expired, …).
    TlsUntrustedCertificate => "tls.untrusted_certificate",
    /// The server certificate does not name the host we connected to.
    TlsHostnameMismatch => "tls.hostname_mismatch",
    /// Any other TLS failure.
    TlsHandshakeFailed => "tls.handshake_failed",
    /// The configured proxy could not be reached or refused the tunnel.
    ProxyUnreachable => "proxy.unreachable",
    /// HTTP 407: the proxy wants (other) credentials.
    ProxyAuthRequired => "proxy.auth_required",
    /// The answer could not be decoded (not JSON, wrong shape, wrong content type).
    OptimizerBadResponse => "optimizer.bad_response",
    /// An undocumented 5xx answer.
    OptimizerServerError => "optimizer.server_error",
    /// An HTTP status the reference does not document for this call.
    OptimizerUnexpectedStatus => "optimizer.unexpected_status",
    /// The Optimizer does not offer this operation (non-One-Shot 404/405, or not in this layout).
    OptimizerUnsupportedOperation => "optimizer.unsupported_operation",
    /// Layout detection found neither the current nor the legacy API.
    OptimizerNotRecognised => "optimizer.not_recognised",
    /// The server redirected to another host, scheme or port; redirects are not followed there.
    OptimizerRedirectRefused => "optimizer.redirect_refused",
    /// A download ended before the announced length.
    DownloadTruncated => "download.truncated",
    /// A local file could not be read or written.
    IoFile => "io.file",
    /// A webhook body is not a One-Shot status-change payload.
    WebhookInvalid => "webhook.invalid",
    /// The client configuration is invalid (bad URL, unreadable CA certificate, …).
    ConfigInvalid => "config.invalid",
    /// The caller's input cannot be sent (checked before any network traffic).
    InputInvalid => "input.invalid",
    /// The operation was cancelled by the caller.
    Cancelled => "cancelled",
}

impl ErrorCode {
    /// True for failures of the connection itself rather than answers of the Optimizer.
    pub const fn is_transport(self) -> bool {
        matches!(
            self,
            ErrorCode::OptimizerUnreachable
                | ErrorCode::OptimizerTimeout
                | ErrorCode::TlsUntrustedCertificate
                | ErrorCode::TlsHostnameMismatch
                | ErrorCode::TlsHandshakeFailed
                | ErrorCode::ProxyUnreachable
                | ErrorCode::ProxyAuthRequired
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A string that is not one of the [`ErrorCode`]s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown error code {0:?}")]
pub struct UnknownErrorCode(pub String);

/// One entry of a per-item error map (sign errors are reported per document uid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemError {
    /// The document (or image) uid the server named.
    pub item: String,
    /// The server's text for it.
    pub message: String,
}

/// The outcome of a failed call. Boxed inside so `Result<T, Error>` stays small.
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
    code: ErrorCode,
    message: String,
    http_status: Option<u16>,
    server_message: Option<String>,
    field: Option<String>,
    items: Vec<ItemError>,
    json_path: Option<String>,
    raw_body: Option<String>,
    maybe_processed: bool,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.inner.code, self.inner.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The serialisable summary of an [`Error`] for crossing a process boundary (`{code, message,
/// detail?}`); `detail` is the server's own text or the offending field when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorPayload {
    /// Stable code.
    pub code: ErrorCode,
    /// English developer-facing message.
    pub message: String,
    /// Server text or field name, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Error {
    /// A new error with `code` and a developer-facing English `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                code,
                message: message.into(),
                http_status: None,
                server_message: None,
                field: None,
                items: Vec::new(),
                json_path: None,
                raw_body: None,
                maybe_processed: false,
                source: None,
            }),
        }
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.inner.http_status = Some(status);
        self
    }

    pub(crate) fn with_server_message(mut self, text: Option<String>) -> Self {
        self.inner.server_message = text.filter(|t| !t.trim().is_empty());
        self
    }

    pub(crate) fn with_field(mut self, field: Option<String>) -> Self {
        self.inner.field = field.filter(|f| !f.is_empty());
        self
    }

    pub(crate) fn with_items(mut self, items: Vec<ItemError>) -> Self {
        self.inner.items = items;
        self
    }

    pub(crate) fn with_json_path(mut self, path: impl Into<String>) -> Self {
        self.inner.json_path = Some(path.into());
        self
    }

    pub(crate) fn with_raw_body(mut self, raw: Option<String>) -> Self {
        self.inner.raw_body = raw;
        self
    }

    pub(crate) fn with_maybe_processed(mut self, maybe: bool) -> Self {
        self.inner.maybe_processed = maybe;
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    pub(crate) fn io_file(what: &str, path: &std::path::Path, err: std::io::Error) -> Self {
        Error::new(
            ErrorCode::IoFile,
            format!("could not {what} {}: {err}", path.display()),
        )
        .with_source(err)
    }

    pub(crate) fn cancelled() -> Self {
        Error::new(ErrorCode::Cancelled, "the operation was cancelled")
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.inner.code
    }

    /// The English, developer-facing message.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.inner.http_status
    }

    /// The Optimizer's own error text (redacted of the call's secrets), when it sent one.
    pub fn server_message(&self) -> Option<&str> {
        self.inner.server_message.as_deref()
    }

    /// The request field the error is about, when known (e.g. `mobile_phone_number`).
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }

    /// Per-item errors (sign errors name each document uid).
    pub fn items(&self) -> &[ItemError] {
        &self.inner.items
    }

    /// JSON path of a decode failure (e.g. `details.token_uid`).
    pub fn json_path(&self) -> Option<&str> {
        self.inner.json_path.as_deref()
    }

    /// The raw answer body for the log: truncated, redacted, absent when it may hold secrets.
    pub fn raw_body(&self) -> Option<&str> {
        self.inner.raw_body.as_deref()
    }

    /// True when the request may have reached the Optimizer and been processed although no
    /// answer arrived (timeouts, broken connections after sending). A non-idempotent call that
    /// fails this way must be reconciled by reading the state back, never blindly repeated.
    pub fn maybe_processed(&self) -> bool {
        self.inner.maybe_processed
    }

    /// The `{code, message, detail?}` summary for IPC.
    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.inner.code,
            message: self.inner.message.clone(),
            detail: self
                .inner
                .server_message
                .clone()
                .or_else(|| self.inner.field.clone()),
        }
    }
}

impl From<&Error> for ErrorPayload {
    fn from(error: &Error) -> Self {
        error.payload()
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
