//! What can go wrong with settings.

use super::SettingKey;
use crate::error::{CodedError, ErrorCode};
use std::path::PathBuf;

/// A place in a settings file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileLocation {
    /// The file.
    pub path: PathBuf,
    /// Line, from 1, when known.
    pub line: Option<usize>,
    /// Column, from 1, when known.
    pub column: Option<usize>,
}

impl std::fmt::Display for FileLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
            if let Some(column) = self.column {
                write!(f, ", column {column}")?;
            }
        }
        Ok(())
    }
}

/// A settings failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// A settings file exists but cannot be read.
    #[error("The settings file {} cannot be read", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A settings file is not valid TOML or holds a value of the wrong kind or range.
    #[error("The settings file {at} is not valid: {reason}")]
    Malformed {
        /// Where.
        at: FileLocation,
        /// What is wrong, in English.
        reason: String,
    },
    /// A settings file holds something that looks like a secret.
    #[error(
        "The settings file {at} contains \"{key}\", which looks like a secret. Settings files \
         are readable by anyone on the computer, so secrets are never read from them: remove \
         the line and store the secret in the keyring through OneShot Desk or oneshot-desk-cli"
    )]
    SecretInFile {
        /// Where.
        at: FileLocation,
        /// The key found.
        key: String,
    },
    /// The key is locked by the system settings file.
    #[error("The setting {key} is locked by IT in {}", system_file.display())]
    Locked {
        /// The key.
        key: SettingKey,
        /// The system settings file locking it.
        system_file: PathBuf,
    },
    /// The value offered for a key is not acceptable.
    #[error("The value for {key} is not valid: {reason}")]
    InvalidValue {
        /// The key.
        key: SettingKey,
        /// Why not.
        reason: String,
    },
    /// A name that is no setting.
    #[error("There is no setting called \"{key}\"")]
    UnknownKey {
        /// The name given.
        key: String,
    },
    /// The user settings file could not be written.
    #[error("The settings file {} cannot be written", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl CodedError for SettingsError {
    fn code(&self) -> ErrorCode {
        ErrorCode::from_static(match self {
            SettingsError::Unreadable { .. } => "settings.unreadable",
            SettingsError::Malformed { .. } => "settings.malformed_file",
            SettingsError::SecretInFile { .. } => "settings.secret_in_file",
            SettingsError::Locked { .. } => "settings.locked",
            SettingsError::InvalidValue { .. } => "settings.invalid_value",
            SettingsError::UnknownKey { .. } => "settings.unknown_key",
            SettingsError::Write { .. } => "settings.write_failed",
        })
    }

    fn detail(&self) -> Option<String> {
        match self {
            SettingsError::Unreadable { source, .. } | SettingsError::Write { source, .. } => {
                Some(source.to_string())
            }
            _ => None,
        }
    }
}

impl From<super::key::UnknownSettingKey> for SettingsError {
    fn from(error: super::key::UnknownSettingKey) -> Self {
        SettingsError::UnknownKey { key: error.0 }
    }
}
