//! The non-secret index of RAO tokens: keyrings cannot list their entries portably, so the
//! labels and what the UI shows about each token live in a small JSON file. The token value
//! itself is only ever in the keyring.

use super::VaultError;
use crate::fsutil;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const INDEX_VERSION: u32 = 1;

/// What the desk knows about a stored RAO token without reading the keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RaoTokenInfo {
    /// The user's name for the token; unique.
    pub label: String,
    /// The token uid with its middle hidden, e.g. `3bf8…c7da`, so people can tell tokens apart.
    pub masked_uid: String,
    /// The RAO username the token was made for, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// When it was stored.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub created: Timestamp,
    /// Whether this is the token the desk uses unless told otherwise.
    #[serde(default)]
    pub is_default: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct TokenIndex {
    version: u32,
    pub(crate) tokens: Vec<RaoTokenInfo>,
}

impl TokenIndex {
    /// Reads the index; a missing file is an empty index.
    pub(crate) fn load(path: &Path) -> Result<Self, VaultError> {
        let unreadable = |reason: String| VaultError::IndexUnreadable {
            path: path.to_path_buf(),
            reason,
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(TokenIndex {
                    version: INDEX_VERSION,
                    tokens: Vec::new(),
                });
            }
            Err(error) => return Err(unreadable(error.to_string())),
        };
        let index: TokenIndex =
            serde_json::from_str(&text).map_err(|error| unreadable(error.to_string()))?;
        if index.version > INDEX_VERSION {
            return Err(unreadable(format!(
                "it was written by a newer version of the desk (index version {})",
                index.version
            )));
        }
        Ok(index)
    }

    pub(crate) fn save(&self, path: &Path) -> Result<(), VaultError> {
        let index = TokenIndex {
            version: INDEX_VERSION,
            tokens: self.tokens.clone(),
        };
        let json = serde_json::to_vec_pretty(&index).expect("the token index always serialises");
        fsutil::replace_file_atomically(path, &json).map_err(|source| VaultError::IndexWrite {
            path: PathBuf::from(path),
            source,
        })
    }

    pub(crate) fn find(&self, label: &str) -> Option<&RaoTokenInfo> {
        self.tokens.iter().find(|t| t.label == label)
    }

    pub(crate) fn set_default(&mut self, label: &str) {
        for token in &mut self.tokens {
            token.is_default = token.label == label;
        }
    }

    /// Adds or replaces the entry for `info.label`, keeping a single default.
    pub(crate) fn upsert(&mut self, info: RaoTokenInfo) {
        let make_default = info.is_default || self.tokens.iter().all(|t| t.label == info.label);
        let label = info.label.clone();
        match self.tokens.iter_mut().find(|t| t.label == label) {
            Some(existing) => *existing = info,
            None => self.tokens.push(info),
        }
        if make_default {
            self.set_default(&label);
        }
    }

    pub(crate) fn remove(&mut self, label: &str) -> bool {
        let before = self.tokens.len();
        self.tokens.retain(|t| t.label != label);
        self.tokens.len() != before
    }
}

/// `3bf8d8eb-d96c-41ea-83ad-d78a7016c7da` → `3bf8…c7da`; values too short to show a part of
/// without revealing most of them are hidden entirely.
pub fn mask_token_uid(uid: &str) -> String {
    let chars: Vec<char> = uid.chars().collect();
    if chars.len() < 16 {
        return "…".to_string();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(label: &str, is_default: bool) -> RaoTokenInfo {
        RaoTokenInfo {
            label: label.into(),
            masked_uid: "abcd…wxyz".into(),
            username: None,
            created: Timestamp::UNIX_EPOCH,
            is_default,
        }
    }

    #[test]
    fn masks_token_uids() {
        assert_eq!(
            mask_token_uid("3bf8d8eb-d96c-41ea-83ad-d78a7016c7da"),
            "3bf8…c7da"
        );
        assert_eq!(
            mask_token_uid("fd6a21e6fb7d43b9893a520d67d6ff60"),
            "fd6a…ff60"
        );
        assert_eq!(mask_token_uid("short"), "…");
    }

    #[test]
    fn the_first_token_becomes_default_and_only_one_stays_default() {
        let mut index = TokenIndex::default();
        index.upsert(info("a", false));
        assert!(index.find("a").unwrap().is_default);
        index.upsert(info("b", false));
        assert!(!index.find("b").unwrap().is_default);
        index.upsert(info("b", true));
        assert!(index.find("b").unwrap().is_default);
        assert!(!index.find("a").unwrap().is_default);
        assert!(index.remove("b"));
        assert!(!index.remove("b"));
    }

    #[test]
    fn damaged_or_newer_index_files_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rao-tokens.json");
        std::fs::write(&path, "{not json").unwrap();
        assert!(matches!(
            TokenIndex::load(&path),
            Err(VaultError::IndexUnreadable { .. })
        ));
        std::fs::write(&path, r#"{"version": 99, "tokens": []}"#).unwrap();
        let error = TokenIndex::load(&path).unwrap_err();
        assert!(error.to_string().contains("cannot be read"));
    }

    #[test]
    fn saves_and_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rao-tokens.json");
        assert!(TokenIndex::load(&path).unwrap().tokens.is_empty());
        let mut index = TokenIndex::default();
        index.upsert(info("a", true));
        index.save(&path).unwrap();
        assert_eq!(
            TokenIndex::load(&path).unwrap().tokens,
            vec![info("a", true)]
        );
    }
}
