//! Identifiers and inputs shared by several API areas.

use crate::flex;
use crate::redact::Redactor;
use base64::Engine as _;
use bytes::Bytes;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// Primary key of a signature request (an integer on every Optimizer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequestPk(#[serde(deserialize_with = "flex::u64")] pub u64);

impl fmt::Display for RequestPk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Primary key of a VideoID process (distinct from the request pk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VideoIdPk(#[serde(deserialize_with = "flex::u64")] pub u64);

impl fmt::Display for VideoIdPk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Uid of an uploaded document (UUID on current Optimizers, 32 hex on legacy ones; opaque).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocumentUid(pub String);

impl DocumentUid {
    /// The uid text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for DocumentUid {
    fn from(value: &str) -> Self {
        DocumentUid(value.to_owned())
    }
}

/// Uid of an uploaded signature image (opaque).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImageUid(pub String);

impl ImageUid {
    /// The uid text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ImageUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ImageUid {
    fn from(value: &str) -> Self {
        ImageUid(value.to_owned())
    }
}

/// An RAO token. Its uid *is* the credential (whoever knows it acts as the RAO), so it is held
/// as a secret: `Debug` never shows it.
#[derive(Clone)]
pub struct TokenUid(SecretString);

impl TokenUid {
    /// Wraps a token value.
    pub fn new(value: impl Into<String>) -> Self {
        TokenUid(SecretString::from(value.into()))
    }

    /// The token value, for sending it or storing it in the OS keyring.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    pub(crate) fn secret(&self) -> &SecretString {
        &self.0
    }
}

impl fmt::Debug for TokenUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenUid([REDACTED])")
    }
}

impl PartialEq for TokenUid {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl Eq for TokenUid {}

/// Optimizer environment (`env`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// `sandbox`.
    Sandbox,
    /// `prod`.
    Prod,
    /// Any other value an Optimizer configuration uses (legacy ones say `test`).
    Other(String),
}

impl Environment {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Prod => "prod",
            Environment::Other(value) => value,
        }
    }
}

/// How the RAO proves who they are: a token, credentials, or a partial token completed with the
/// missing credentials (the reference allows tokens that store only part of them).
#[derive(Clone, Default)]
pub struct RaoAuth {
    /// Token holding (some of) the RAO's credentials.
    pub token: Option<TokenUid>,
    /// RAO username.
    pub username: Option<String>,
    /// RAO password.
    pub password: Option<SecretString>,
    /// RAO PIN.
    pub pin: Option<SecretString>,
}

impl RaoAuth {
    /// Authenticate with a token only.
    pub fn token(token: TokenUid) -> Self {
        RaoAuth {
            token: Some(token),
            ..RaoAuth::default()
        }
    }

    /// Authenticate with username, password and PIN.
    pub fn credentials(
        username: impl Into<String>,
        password: SecretString,
        pin: SecretString,
    ) -> Self {
        RaoAuth {
            token: None,
            username: Some(username.into()),
            password: Some(password),
            pin: Some(pin),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.token.is_none()
            && self.username.is_none()
            && self.password.is_none()
            && self.pin.is_none()
    }

    pub(crate) fn remember_secrets(&self, redactor: &mut Redactor) {
        if let Some(token) = &self.token {
            redactor.add(token.secret());
        }
        if let Some(password) = &self.password {
            redactor.add(password);
        }
        if let Some(pin) = &self.pin {
            redactor.add(pin);
        }
    }

    /// The non-empty fields as `(name, value)` pairs, values exposed for sending.
    pub(crate) fn fields(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(token) = &self.token {
            out.push(("token", token.expose_secret().to_owned()));
        }
        if let Some(username) = &self.username {
            out.push(("username", username.clone()));
        }
        if let Some(password) = &self.password {
            out.push(("password", password.expose_secret().to_owned()));
        }
        if let Some(pin) = &self.pin {
            out.push(("pin", pin.expose_secret().to_owned()));
        }
        out
    }
}

impl fmt::Debug for RaoAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RaoAuth")
            .field("token", &self.token.as_ref().map(|_| "[REDACTED]"))
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[REDACTED]"))
            .field("pin", &self.pin.as_ref().map(|_| "[REDACTED]"))
            .finish()
    }
}

/// Billing account the Optimizer charges, when not configured on the Optimizer itself.
#[derive(Clone)]
pub struct BillingCredentials {
    /// Billing username.
    pub username: String,
    /// The *plain* billing password; the client base64-encodes it as the API requires.
    pub password: SecretString,
}

impl BillingCredentials {
    /// New billing credentials from the plain password.
    pub fn new(username: impl Into<String>, password: SecretString) -> Self {
        BillingCredentials {
            username: username.into(),
            password,
        }
    }

    /// The password as the API wants it: base64 of the plain text.
    pub(crate) fn encoded_password(&self) -> SecretString {
        SecretString::from(
            base64::engine::general_purpose::STANDARD.encode(self.password.expose_secret()),
        )
    }

    pub(crate) fn remember_secrets(&self, redactor: &mut Redactor) {
        redactor.add(&self.password);
        redactor.add(&self.encoded_password());
    }
}

impl fmt::Debug for BillingCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BillingCredentials")
            .field("username", &self.username)
            .field("password", &"[REDACTED]")
            .finish()
    }
}

/// A file to upload: streamed from disk, or bytes already in memory (small images).
#[derive(Clone)]
pub enum FileInput {
    /// A file on disk, streamed without loading it whole.
    Path {
        /// Where it is.
        path: PathBuf,
        /// Name to announce in the upload; defaults to the path's file name.
        file_name: Option<String>,
    },
    /// In-memory content.
    Bytes {
        /// Name to announce in the upload.
        file_name: String,
        /// The content.
        bytes: Bytes,
    },
}

impl FileInput {
    /// A file on disk.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        FileInput::Path {
            path: path.into(),
            file_name: None,
        }
    }

    /// In-memory content with a file name.
    pub fn bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FileInput::Bytes {
            file_name: file_name.into(),
            bytes: bytes.into(),
        }
    }

    /// Overrides the announced file name.
    pub fn with_file_name(self, name: impl Into<String>) -> Self {
        match self {
            FileInput::Path { path, .. } => FileInput::Path {
                path,
                file_name: Some(name.into()),
            },
            FileInput::Bytes { bytes, .. } => FileInput::Bytes {
                file_name: name.into(),
                bytes,
            },
        }
    }

    /// The name announced in the upload.
    pub fn file_name(&self) -> String {
        match self {
            FileInput::Path { path, file_name } => file_name.clone().unwrap_or_else(|| {
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "file".to_owned())
            }),
            FileInput::Bytes { file_name, .. } => file_name.clone(),
        }
    }
}

impl fmt::Debug for FileInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileInput::Path { path, file_name } => f
                .debug_struct("FileInput::Path")
                .field("path", path)
                .field("file_name", file_name)
                .finish(),
            FileInput::Bytes { file_name, bytes } => f
                .debug_struct("FileInput::Bytes")
                .field("file_name", file_name)
                .field("len", &bytes.len())
                .finish(),
        }
    }
}
