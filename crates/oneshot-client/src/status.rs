//! Request status vocabulary (API.md §C), shared by request records and webhooks.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Status of a signature request. Unknown values are kept, never rejected.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RequestStatus {
    /// `CREATED`.
    Created,
    /// `VIDEOPENDING`: waiting for the VideoID session or evidences.
    VideoPending,
    /// `VIDEOREVIEW`: waiting for the RAO's approval.
    VideoReview,
    /// `VIDEOINCOMPLETE`.
    VideoIncomplete,
    /// `VIDEOERROR`.
    VideoError,
    /// `ENROLLREADY`: approved, ready for OTP and signing.
    EnrollReady,
    /// `ISSUED`: certificate issued, documents signed.
    Issued,
    /// `RENEWED`.
    Renewed,
    /// `CANCELLED` (also accepts the `CANCELED` spelling).
    Cancelled,
    /// Anything else, as sent.
    Other(String),
}

impl RequestStatus {
    /// Reads a status text (case-insensitive).
    pub fn parse(text: &str) -> RequestStatus {
        match text.trim().to_ascii_uppercase().as_str() {
            "CREATED" => RequestStatus::Created,
            "VIDEOPENDING" => RequestStatus::VideoPending,
            "VIDEOREVIEW" => RequestStatus::VideoReview,
            "VIDEOINCOMPLETE" => RequestStatus::VideoIncomplete,
            "VIDEOERROR" => RequestStatus::VideoError,
            "ENROLLREADY" => RequestStatus::EnrollReady,
            "ISSUED" => RequestStatus::Issued,
            "RENEWED" => RequestStatus::Renewed,
            "CANCELLED" | "CANCELED" => RequestStatus::Cancelled,
            _ => RequestStatus::Other(text.trim().to_owned()),
        }
    }

    /// The canonical wire text.
    pub fn as_str(&self) -> &str {
        match self {
            RequestStatus::Created => "CREATED",
            RequestStatus::VideoPending => "VIDEOPENDING",
            RequestStatus::VideoReview => "VIDEOREVIEW",
            RequestStatus::VideoIncomplete => "VIDEOINCOMPLETE",
            RequestStatus::VideoError => "VIDEOERROR",
            RequestStatus::EnrollReady => "ENROLLREADY",
            RequestStatus::Issued => "ISSUED",
            RequestStatus::Renewed => "RENEWED",
            RequestStatus::Cancelled => "CANCELLED",
            RequestStatus::Other(text) => text,
        }
    }
}

impl fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RequestStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RequestStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(RequestStatus::parse(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unknown_statuses() {
        assert_eq!(
            RequestStatus::parse("enrollready"),
            RequestStatus::EnrollReady
        );
        assert_eq!(RequestStatus::parse("CANCELED"), RequestStatus::Cancelled);
        assert_eq!(
            RequestStatus::parse("PAUSED"),
            RequestStatus::Other("PAUSED".into())
        );
        assert_eq!(RequestStatus::parse("PAUSED").as_str(), "PAUSED");
    }
}
