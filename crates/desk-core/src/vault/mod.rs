//! Secrets in the OS keyring (Secret Service on Linux, Credential Manager on Windows, Keychain
//! on macOS), behind typed keys, as [`SecretString`]s that never print their value.
//!
//! Each secret is one keyring entry whose service is the vault's service name (`oneshot-desk`)
//! and whose user is `<kind>/<name>` (`rao-token/Front desk`, `billing-password/acme`). RAO
//! tokens also get a line in a non-secret JSON index (label, masked uid, username, creation
//! time, default flag) because keyrings cannot list their entries portably.
//!
//! The calls block on the platform service (D-Bus on Linux); async callers should run them
//! with `tokio::task::spawn_blocking`.

mod error;
mod index;
mod key;

pub use error::VaultError;
pub use index::{RaoTokenInfo, mask_token_uid};
pub use key::SecretKey;

use crate::paths::Paths;
use index::TokenIndex;
use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The keyring service name the desk's entries are filed under.
pub const DEFAULT_SERVICE: &str = "oneshot-desk";

/// How a RAO token is to be filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRaoToken {
    /// The user's name for it; replaces a token with the same label.
    pub label: String,
    /// The RAO username it was made for, if known.
    pub username: Option<String>,
    /// Make it the default token (the first token stored is the default anyway).
    pub make_default: bool,
}

/// The desk's secrets store.
#[derive(Debug)]
pub struct Vault {
    service: String,
    index_file: PathBuf,
    // Serialises read-modify-write of the index within this process.
    index_lock: Mutex<()>,
}

impl Vault {
    /// The desk's vault: service `oneshot-desk`, token index in the data directory.
    pub fn new(paths: &Paths) -> Self {
        Self::with_service(DEFAULT_SERVICE, paths.rao_token_index_file())
    }

    /// A vault under another service name and index file (tests, side-by-side installs).
    pub fn with_service(service: impl Into<String>, index_file: impl Into<PathBuf>) -> Self {
        Vault {
            service: service.into(),
            index_file: index_file.into(),
            index_lock: Mutex::new(()),
        }
    }

    /// The keyring service name in use.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The token index file in use.
    pub fn index_file(&self) -> &Path {
        &self.index_file
    }

    /// Checks that a keyring service is there and works, by storing, reading back and
    /// deleting a probe entry. Fails with `vault.unavailable` (for example when no Secret
    /// Service runs on the session bus) or `vault.locked`.
    pub fn available(&self) -> Result<(), VaultError> {
        let now = Timestamp::now();
        let user = format!("probe/{}-{}", std::process::id(), now.as_nanosecond());
        let value = format!("probe {now}");
        let entry = self.entry_for_user(&user, "availability probe")?;
        let what = "availability probe";
        entry
            .set_password(&value)
            .map_err(|e| VaultError::from_keyring(e, what))?;
        let read = entry.get_password();
        let deleted = entry.delete_credential();
        let read = read.map_err(|e| VaultError::from_keyring(e, what))?;
        deleted.map_err(|e| VaultError::from_keyring(e, what))?;
        if read != value {
            return Err(VaultError::ProbeMismatch {
                backend: error::BACKEND_NAME,
            });
        }
        Ok(())
    }

    /// Stores `value` under `key`, replacing what was there. A RAO token stored this way is
    /// added to the index (keeping its username and default flag if it was there already).
    pub fn store(&self, key: &SecretKey, value: &SecretString) -> Result<(), VaultError> {
        match key {
            SecretKey::RaoToken { label } => {
                let _guard = self.lock_index();
                let index = TokenIndex::load(&self.index_file)?;
                let existing = index.find(label).cloned();
                let new = NewRaoToken {
                    label: label.clone(),
                    username: existing.as_ref().and_then(|t| t.username.clone()),
                    make_default: existing.is_some_and(|t| t.is_default),
                };
                self.store_token_locked(index, new, value).map(|_| ())
            }
            _ => self.write_entry(key, value),
        }
    }

    /// The secret under `key`, or `None` if nothing is stored.
    pub fn get(&self, key: &SecretKey) -> Result<Option<SecretString>, VaultError> {
        key.validate()?;
        let entry = self.entry(key)?;
        match entry.get_password() {
            Ok(value) => Ok(Some(SecretString::from(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(VaultError::from_keyring(error, &key.describe())),
        }
    }

    /// The secret under `key`; `vault.secret_missing` if nothing is stored.
    pub fn require(&self, key: &SecretKey) -> Result<SecretString, VaultError> {
        self.get(key)?.ok_or_else(|| VaultError::Missing {
            what: key.describe(),
        })
    }

    /// Deletes the secret under `key` (and a RAO token's index line). Returns whether
    /// anything was there.
    pub fn delete(&self, key: &SecretKey) -> Result<bool, VaultError> {
        key.validate()?;
        let _guard = matches!(key, SecretKey::RaoToken { .. }).then(|| self.lock_index());
        let existed = match self.entry(key)?.delete_credential() {
            Ok(()) => true,
            Err(keyring::Error::NoEntry) => false,
            Err(error) => return Err(VaultError::from_keyring(error, &key.describe())),
        };
        if let SecretKey::RaoToken { label } = key {
            let mut index = TokenIndex::load(&self.index_file)?;
            if index.remove(label) {
                index.save(&self.index_file)?;
                return Ok(true);
            }
        }
        Ok(existed)
    }

    /// Files a RAO token: the value in the keyring, its description in the index.
    pub fn store_rao_token(
        &self,
        token: NewRaoToken,
        value: &SecretString,
    ) -> Result<RaoTokenInfo, VaultError> {
        let _guard = self.lock_index();
        let index = TokenIndex::load(&self.index_file)?;
        self.store_token_locked(index, token, value)
    }

    /// The stored RAO tokens, in the order they were first stored.
    pub fn rao_tokens(&self) -> Result<Vec<RaoTokenInfo>, VaultError> {
        let _guard = self.lock_index();
        Ok(TokenIndex::load(&self.index_file)?.tokens)
    }

    /// The default RAO token's description, if there is one.
    pub fn default_rao_token(&self) -> Result<Option<RaoTokenInfo>, VaultError> {
        Ok(self.rao_tokens()?.into_iter().find(|t| t.is_default))
    }

    /// The value of the RAO token labelled `label`: `vault.unknown_token` if the index does
    /// not know the label, `vault.secret_missing` if the keyring lost the value.
    pub fn rao_token(&self, label: &str) -> Result<SecretString, VaultError> {
        if !self.rao_tokens()?.iter().any(|t| t.label == label) {
            return Err(VaultError::UnknownToken {
                label: label.to_string(),
            });
        }
        self.require(&SecretKey::RaoToken {
            label: label.to_string(),
        })
    }

    /// Makes the token labelled `label` the default one.
    pub fn set_default_rao_token(&self, label: &str) -> Result<(), VaultError> {
        let _guard = self.lock_index();
        let mut index = TokenIndex::load(&self.index_file)?;
        if index.find(label).is_none() {
            return Err(VaultError::UnknownToken {
                label: label.to_string(),
            });
        }
        index.set_default(label);
        index.save(&self.index_file)
    }

    fn store_token_locked(
        &self,
        mut index: TokenIndex,
        token: NewRaoToken,
        value: &SecretString,
    ) -> Result<RaoTokenInfo, VaultError> {
        key::validate_name("label", &token.label)?;
        if let Some(username) = &token.username {
            key::validate_name("username", username)?;
        }
        let key = SecretKey::RaoToken {
            label: token.label.clone(),
        };
        let existed_before = index.find(&token.label).is_some();
        self.write_entry(&key, value)?;
        let info = RaoTokenInfo {
            label: token.label.clone(),
            masked_uid: mask_token_uid(value.expose_secret()),
            username: token.username,
            created: Timestamp::now(),
            is_default: token.make_default,
        };
        index.upsert(info);
        if let Err(error) = index.save(&self.index_file) {
            if !existed_before {
                // Without its index line the new value would be an orphan nobody can list.
                let _ = self.entry(&key).and_then(|entry| {
                    entry
                        .delete_credential()
                        .map_err(|e| VaultError::from_keyring(e, "token"))
                });
            }
            return Err(error);
        }
        Ok(index
            .find(&token.label)
            .cloned()
            .expect("the token was just added to the index"))
    }

    fn write_entry(&self, key: &SecretKey, value: &SecretString) -> Result<(), VaultError> {
        key.validate()?;
        if value.expose_secret().is_empty() {
            return Err(VaultError::EmptySecret);
        }
        self.entry(key)?
            .set_password(value.expose_secret())
            .map_err(|error| VaultError::from_keyring(error, &key.describe()))
    }

    fn entry(&self, key: &SecretKey) -> Result<keyring::Entry, VaultError> {
        self.entry_for_user(&key.keyring_user(), &key.describe())
    }

    fn entry_for_user(&self, user: &str, what: &str) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(&self.service, user)
            .map_err(|error| VaultError::from_keyring(error, what))
    }

    fn lock_index(&self) -> std::sync::MutexGuard<'_, ()> {
        // A panic while holding the lock cannot leave the file half-written (writes are
        // atomic), so a poisoned lock is safe to reuse.
        self.index_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
