//! What can go wrong with the vault. No variant ever carries a secret value.

use crate::error::{CodedError, ErrorCode};
use std::path::PathBuf;

/// The keyring service of this platform, named in messages.
pub(crate) const BACKEND_NAME: &str = if cfg!(target_os = "windows") {
    "Windows Credential Manager"
} else if cfg!(target_os = "macos") {
    "macOS Keychain"
} else {
    "Secret Service"
};

/// A vault failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// No keyring service answered (on Linux: no Secret Service on the session bus).
    #[error("No keyring service ({backend}) is available: {reason}")]
    Unavailable {
        /// Which service was expected.
        backend: &'static str,
        /// The platform's explanation.
        reason: String,
    },
    /// The keyring exists but is locked, or the user refused access.
    #[error("The keyring ({backend}) is locked or refused access: {reason}")]
    Locked {
        /// Which service.
        backend: &'static str,
        /// The platform's explanation.
        reason: String,
    },
    /// Nothing is stored under this key.
    #[error("No {what} is stored in the keyring")]
    Missing {
        /// The key, described.
        what: String,
    },
    /// No RAO token with this label is known.
    #[error("No RAO token is labelled \"{label}\"")]
    UnknownToken {
        /// The label asked for.
        label: String,
    },
    /// A label or username the keyring could not hold faithfully.
    #[error("The {field} is not usable because {reason}")]
    InvalidName {
        /// `label` or `username`.
        field: &'static str,
        /// Why not.
        reason: &'static str,
    },
    /// An empty secret was offered for storage.
    #[error("An empty secret cannot be stored")]
    EmptySecret,
    /// The stored value is not text.
    #[error("The {what} in the keyring is not valid text")]
    BadEncoding {
        /// The key, described.
        what: String,
    },
    /// Several keyring items match one key (made by another program).
    #[error(
        "Several keyring items match the {what}; remove the duplicates with the keyring manager"
    )]
    Ambiguous {
        /// The key, described.
        what: String,
    },
    /// Another failure reported by the keyring.
    #[error("The keyring ({backend}) failed: {reason}")]
    Failure {
        /// Which service.
        backend: &'static str,
        /// The platform's explanation.
        reason: String,
    },
    /// The keyring stored a value but read back another.
    #[error("The keyring ({backend}) did not return what was stored in it")]
    ProbeMismatch {
        /// Which service.
        backend: &'static str,
    },
    /// The token index could not be read or is damaged.
    #[error("The RAO token index {} cannot be read", path.display())]
    IndexUnreadable {
        /// The index file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The token index could not be written.
    #[error("The RAO token index {} cannot be written", path.display())]
    IndexWrite {
        /// The index file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl CodedError for VaultError {
    fn code(&self) -> ErrorCode {
        ErrorCode::from_static(match self {
            VaultError::Unavailable { .. } => "vault.unavailable",
            VaultError::Locked { .. } => "vault.locked",
            VaultError::Missing { .. } => "vault.secret_missing",
            VaultError::UnknownToken { .. } => "vault.unknown_token",
            VaultError::InvalidName { .. } => "vault.invalid_name",
            VaultError::EmptySecret => "vault.empty_secret",
            VaultError::BadEncoding { .. } => "vault.bad_encoding",
            VaultError::Ambiguous { .. } => "vault.ambiguous",
            VaultError::Failure { .. } => "vault.failure",
            VaultError::ProbeMismatch { .. } => "vault.failure",
            VaultError::IndexUnreadable { .. } => "vault.index_unreadable",
            VaultError::IndexWrite { .. } => "vault.index_write_failed",
        })
    }

    fn detail(&self) -> Option<String> {
        match self {
            VaultError::IndexUnreadable { reason, .. } => Some(reason.clone()),
            VaultError::IndexWrite { source, .. } => Some(source.to_string()),
            _ => None,
        }
    }
}

impl VaultError {
    /// Translates a keyring error met while working on `what`. The keyring's own error is
    /// only ever formatted with `Display`, which holds no secret values.
    pub(crate) fn from_keyring(error: keyring::Error, what: &str) -> Self {
        let backend = BACKEND_NAME;
        match error {
            keyring::Error::NoEntry => VaultError::Missing {
                what: what.to_string(),
            },
            keyring::Error::NoStorageAccess(reason) => VaultError::Locked {
                backend,
                reason: reason.to_string(),
            },
            keyring::Error::PlatformFailure(reason) => VaultError::Unavailable {
                backend,
                reason: reason.to_string(),
            },
            keyring::Error::BadEncoding(_) => VaultError::BadEncoding {
                what: what.to_string(),
            },
            keyring::Error::Ambiguous(_) => VaultError::Ambiguous {
                what: what.to_string(),
            },
            other => VaultError::Failure {
                backend,
                reason: other.to_string(),
            },
        }
    }
}
