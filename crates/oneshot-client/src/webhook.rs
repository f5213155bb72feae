//! Webhook payloads (API.md §E), current and legacy, read into one layout-neutral
//! [`StatusChange`].
//!
//! Current: `{"event_type", "sent_at": "YYYYMMDDHHMMSS", "request": {status, profile,
//! registration_authority, scratchcard, pk}, "certificates": [...], "date"?, "previous_status"?}`.
//! Legacy: `{"status", "date": "2021-07-20T08:08:21.132394", "previous_status", "request": <pk>,
//! "registration_authority"}`. Webhooks carry no authentication; treat them as hints and read
//! the request back before acting.

use crate::error::{Error, ErrorCode, Result};
use crate::flex;
use crate::status::RequestStatus;
use crate::types::RequestPk;
use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Which payload family a webhook used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookShape {
    /// `event_type` + nested `request`.
    Current,
    /// Flat `status` + `request` pk.
    Legacy,
}

/// The RA event that caused a webhook (current payloads only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum WebhookEvent {
    /// `REQUEST_CREATED`.
    RequestCreated,
    /// `REQUEST_CANCELED`.
    RequestCanceled,
    /// `VIDEOID_UPDATED`.
    VideoIdUpdated,
    /// `VIDEOID_FAILED`.
    VideoIdFailed,
    /// `REQUEST_APPROVED`.
    RequestApproved,
    /// `VIDEOID_REFUSED`.
    VideoIdRefused,
    /// `REQUEST_ENROLLED` (certificate issued: signed).
    RequestEnrolled,
    /// `CERTIFICATE_SUSPENDED`.
    CertificateSuspended,
    /// `CERTIFICATE_REVOKED`.
    CertificateRevoked,
    /// Anything else, as sent.
    Other(String),
}

impl From<String> for WebhookEvent {
    fn from(text: String) -> Self {
        match text.trim().to_ascii_uppercase().as_str() {
            "REQUEST_CREATED" => WebhookEvent::RequestCreated,
            "REQUEST_CANCELED" | "REQUEST_CANCELLED" => WebhookEvent::RequestCanceled,
            "VIDEOID_UPDATED" => WebhookEvent::VideoIdUpdated,
            "VIDEOID_FAILED" => WebhookEvent::VideoIdFailed,
            "REQUEST_APPROVED" => WebhookEvent::RequestApproved,
            "VIDEOID_REFUSED" => WebhookEvent::VideoIdRefused,
            "REQUEST_ENROLLED" => WebhookEvent::RequestEnrolled,
            "CERTIFICATE_SUSPENDED" => WebhookEvent::CertificateSuspended,
            "CERTIFICATE_REVOKED" => WebhookEvent::CertificateRevoked,
            _ => WebhookEvent::Other(text),
        }
    }
}

impl From<WebhookEvent> for String {
    fn from(event: WebhookEvent) -> Self {
        match event {
            WebhookEvent::RequestCreated => "REQUEST_CREATED".into(),
            WebhookEvent::RequestCanceled => "REQUEST_CANCELED".into(),
            WebhookEvent::VideoIdUpdated => "VIDEOID_UPDATED".into(),
            WebhookEvent::VideoIdFailed => "VIDEOID_FAILED".into(),
            WebhookEvent::RequestApproved => "REQUEST_APPROVED".into(),
            WebhookEvent::VideoIdRefused => "VIDEOID_REFUSED".into(),
            WebhookEvent::RequestEnrolled => "REQUEST_ENROLLED".into(),
            WebhookEvent::CertificateSuspended => "CERTIFICATE_SUSPENDED".into(),
            WebhookEvent::CertificateRevoked => "CERTIFICATE_REVOKED".into(),
            WebhookEvent::Other(text) => text,
        }
    }
}

/// A certificate reported by a current webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookCertificate {
    /// `VALID`, `SUSPENDED`, `REVOKED`, …
    pub status: Option<String>,
    /// Serial number.
    pub serial_number: Option<String>,
    /// Validity start as sent.
    pub valid_from: Option<String>,
    /// Validity end as sent.
    pub valid_to: Option<String>,
}

/// One status change of a request, whatever the payload family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// Payload family.
    pub shape: WebhookShape,
    /// The request.
    pub request_pk: RequestPk,
    /// New status.
    pub status: RequestStatus,
    /// Previous status, when sent.
    pub previous_status: Option<RequestStatus>,
    /// Event type (current payloads).
    pub event: Option<WebhookEvent>,
    /// When the change happened (`date`), local time of the Optimizer, when sent and readable.
    pub changed_at: Option<DateTime>,
    /// When the webhook was sent (`sent_at`), when sent and readable.
    pub sent_at: Option<DateTime>,
    /// Registration authority id.
    pub registration_authority: Option<String>,
    /// Certificate profile (current payloads).
    pub profile: Option<String>,
    /// Request scratchcard (current payloads).
    pub scratchcard: Option<String>,
    /// Certificates (current payloads).
    pub certificates: Vec<WebhookCertificate>,
}

/// Reads a webhook body (JSON) into a [`StatusChange`].
pub fn parse_webhook(body: &[u8]) -> Result<StatusChange> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|err| invalid(&format!("the webhook body is not JSON: {err}"), "$"))?;
    let Value::Object(map) = value else {
        return Err(invalid("the webhook body is not a JSON object", "$"));
    };
    match map.get("request") {
        Some(Value::Object(request)) => current(&map, request),
        Some(Value::Number(_) | Value::String(_)) => legacy(&map),
        Some(_) => Err(invalid(
            "`request` is neither an object nor a pk",
            "request",
        )),
        None => Err(invalid("no `request` in the webhook", "request")),
    }
}

fn current(map: &Map<String, Value>, request: &Map<String, Value>) -> Result<StatusChange> {
    let pk = request
        .get("pk")
        .and_then(flex::u64_from_value)
        .ok_or_else(|| invalid("no request pk", "request.pk"))?;
    let status = request
        .get("status")
        .and_then(Value::as_str)
        .or_else(|| map.get("status").and_then(Value::as_str))
        .ok_or_else(|| invalid("no request status", "request.status"))?;
    let certificates = match map.get("certificates") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_object)
            .map(|c| WebhookCertificate {
                status: c.get("status").and_then(flex::string_from_value),
                serial_number: c.get("serial_number").and_then(flex::string_from_value),
                valid_from: c.get("valid_from").and_then(flex::string_from_value),
                valid_to: c.get("valid_to").and_then(flex::string_from_value),
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(StatusChange {
        shape: WebhookShape::Current,
        request_pk: RequestPk(pk),
        status: RequestStatus::parse(status),
        previous_status: previous(map),
        event: map
            .get("event_type")
            .and_then(Value::as_str)
            .map(|e| WebhookEvent::from(e.to_owned())),
        changed_at: map.get("date").and_then(Value::as_str).and_then(parse_time),
        sent_at: map
            .get("sent_at")
            .and_then(flex::string_from_value)
            .as_deref()
            .and_then(parse_time),
        registration_authority: request
            .get("registration_authority")
            .and_then(flex::string_from_value),
        profile: request.get("profile").and_then(flex::string_from_value),
        scratchcard: request.get("scratchcard").and_then(flex::string_from_value),
        certificates,
    })
}

fn legacy(map: &Map<String, Value>) -> Result<StatusChange> {
    let pk = map
        .get("request")
        .and_then(flex::u64_from_value)
        .ok_or_else(|| invalid("the request pk is not a number", "request"))?;
    let status = map
        .get("status")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("no status", "status"))?;
    Ok(StatusChange {
        shape: WebhookShape::Legacy,
        request_pk: RequestPk(pk),
        status: RequestStatus::parse(status),
        previous_status: previous(map),
        event: None,
        changed_at: map.get("date").and_then(Value::as_str).and_then(parse_time),
        sent_at: None,
        registration_authority: map
            .get("registration_authority")
            .and_then(flex::string_from_value),
        profile: None,
        scratchcard: None,
        certificates: Vec::new(),
    })
}

fn previous(map: &Map<String, Value>) -> Option<RequestStatus> {
    map.get("previous_status")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(RequestStatus::parse)
}

/// `20250715083633`, `2021-07-20T08:08:21.132394`, `2021-07-20 08:08:21`.
fn parse_time(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if text.len() == 14 && text.bytes().all(|b| b.is_ascii_digit()) {
        return DateTime::strptime("%Y%m%d%H%M%S", text).ok();
    }
    text.parse::<DateTime>().ok().or_else(|| {
        text.parse::<jiff::Timestamp>()
            .ok()
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).datetime())
    })
}

fn invalid(what: &str, path: &str) -> Error {
    Error::new(
        ErrorCode::WebhookInvalid,
        format!("invalid webhook: {what}"),
    )
    .with_json_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_times_of_both_families() {
        assert_eq!(
            parse_time("20250715083633")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2025-07-15T08:36:33")
        );
        assert_eq!(
            parse_time("2021-07-20T08:08:21.132394")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2021-07-20T08:08:21.132394")
        );
        assert_eq!(parse_time("yesterday"), None);
    }
}
