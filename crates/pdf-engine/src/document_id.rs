//! Opaque document ids. The app's page-image protocol serves pages by id, never by path, so an id
//! reveals nothing about the file and cannot be turned into one.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

/// An open document of a [`crate::PdfEngine`]. Printed and parsed as `doc-<n>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct DocumentId(u64);

impl DocumentId {
    /// A fresh id, unique in this process.
    pub(crate) fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    #[cfg(test)]
    pub(crate) fn from_raw(raw: u64) -> Self {
        Self(raw)
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "doc-{}", self.0)
    }
}

impl FromStr for DocumentId {
    type Err = InvalidDocumentId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.strip_prefix("doc-")
            .and_then(|n| n.parse().ok())
            .map(Self)
            .ok_or(InvalidDocumentId)
    }
}

impl From<DocumentId> for String {
    fn from(id: DocumentId) -> Self {
        id.to_string()
    }
}

impl TryFrom<String> for DocumentId {
    type Error = InvalidDocumentId;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// A string that is not a document id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a document id")]
pub struct InvalidDocumentId;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_are_unique() {
        let a = DocumentId::next();
        let b = DocumentId::next();
        assert_ne!(a, b);
        assert_eq!(a.to_string().parse::<DocumentId>(), Ok(a));
        assert_eq!("/etc/passwd".parse::<DocumentId>(), Err(InvalidDocumentId));
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{a}\""));
    }
}
