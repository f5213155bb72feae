//! The simulator's persistent state: tokens, requests with their documents, images, metadata.
//! Serialised as JSON in the data directory after every change.

use crate::config::{Env, VideoIdMode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Request status vocabulary (API.md §C).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    /// Created, not yet approved.
    Created,
    /// VideoID: waiting for the identification.
    #[serde(rename = "VIDEOPENDING")]
    VideoPending,
    /// VideoID: identification done, waiting for the RAO.
    #[serde(rename = "VIDEOREVIEW")]
    VideoReview,
    /// VideoID: identification incomplete.
    #[serde(rename = "VIDEOINCOMPLETE")]
    VideoIncomplete,
    /// VideoID: identification failed.
    #[serde(rename = "VIDEOERROR")]
    VideoError,
    /// Approved: OTP and sign allowed.
    #[serde(rename = "ENROLLREADY")]
    EnrollReady,
    /// Certificate issued, documents signed.
    Issued,
    /// Cancelled or refused.
    Cancelled,
}

impl Status {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "CREATED",
            Status::VideoPending => "VIDEOPENDING",
            Status::VideoReview => "VIDEOREVIEW",
            Status::VideoIncomplete => "VIDEOINCOMPLETE",
            Status::VideoError => "VIDEOERROR",
            Status::EnrollReady => "ENROLLREADY",
            Status::Issued => "ISSUED",
            Status::Cancelled => "CANCELLED",
        }
    }
}

/// A stored RAO token. Password and PIN are kept only as salted hashes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Token {
    /// Token uid (UUID from the current layout, 32-hex from the legacy one).
    pub uid: String,
    /// RAO username.
    pub username: String,
    /// Salt of the hashes below (hex).
    pub salt: String,
    /// Salted SHA-256 of the password, when the token holds it.
    pub password_hash: Option<String>,
    /// Salted SHA-256 of the PIN, when the token holds it.
    pub pin_hash: Option<String>,
    /// Environment named at creation.
    pub env: Option<Env>,
    /// The preconfigured sandbox token cannot be deleted.
    pub protected: bool,
}

/// The customer's identity as the request holds it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Identity {
    /// Given name.
    pub given_name: String,
    /// First surname.
    pub surname_1: String,
    /// Second surname.
    pub surname_2: Option<String>,
    /// ID document type (IDC, PAS, ...).
    pub id_document_type: String,
    /// ID document country (ISO alpha-2).
    pub id_document_country: String,
    /// ID document number.
    pub serial_number: String,
    /// Email.
    pub email: String,
    /// Mobile phone with `+` prefix.
    pub mobile_phone_number: String,
    /// Birth date when an update gave one.
    pub birth_date: Option<String>,
}

/// What kind of document was uploaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    /// A PDF to sign as PAdES.
    Pdf,
    /// A digest JSON (`hashfile`) to sign as CMS (.p7m).
    Hash,
}

/// One uploaded document of a request.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Document {
    /// Document uid.
    pub uid: String,
    /// Form field name it arrived under (`file`, `file2`, `hashfile`).
    pub key: String,
    /// Client file name.
    pub filename: String,
    /// PDF or digest.
    pub kind: DocumentKind,
    /// Size in bytes of the original.
    pub size: u64,
    /// SHA-256 (hex) of the original.
    pub sha256: String,
    /// Upload time (RFC 3339).
    pub uploaded_at: String,
    /// Whether the original is still stored.
    pub has_original: bool,
    /// Size of the signed copy, when one exists.
    pub signed_size: Option<u64>,
}

/// The live OTP of a request (the "SMS" on the customer's phone).
#[derive(Clone, Serialize, Deserialize)]
pub struct Otp {
    /// The six digits.
    pub code: String,
    /// When it was generated (RFC 3339).
    pub sent_at: String,
    /// Generation time in Unix milliseconds (for the interval and lifetime rules).
    pub sent_at_ms: i64,
    /// `sms` or `whatsapp`.
    pub delivery_method: String,
    /// When it becomes visible in the SMS inbox (Unix ms; `sms_delay` fault).
    pub visible_at_ms: i64,
}

impl std::fmt::Debug for Otp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Otp")
            .field("sent_at", &self.sent_at)
            .field("delivery_method", &self.delivery_method)
            .finish_non_exhaustive()
    }
}

/// The one-use certificate issued at sign.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IssuedCertificate {
    /// Serial number (hex).
    pub serial_number: String,
    /// Validity start (RFC 3339).
    pub valid_from: String,
    /// Validity end (RFC 3339).
    pub valid_to: String,
    /// Subject in RFC 4514 form.
    pub subject: String,
    /// Issuer in RFC 4514 form.
    pub issuer: String,
    /// DER, base64.
    pub der_b64: String,
}

/// VideoID data of a request.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VideoId {
    /// VideoID pk (distinct from the request pk).
    pub pk: u64,
    /// eIDAS or external.
    pub mode: VideoIdMode,
    /// Token of the simulator-served identification page (eIDAS).
    pub link_token: String,
    /// Whether the evidences JSON was uploaded (external).
    pub has_evidences: bool,
    /// Whether the uploaded evidences hold every image.
    #[serde(default)]
    pub evidences_complete: bool,
    /// Why the evidences failed (a security check false, similarity too low).
    #[serde(default)]
    pub evidences_failure: Option<String>,
    /// Whether a video was uploaded (external).
    pub has_video: bool,
    /// Content type of the uploaded video.
    pub video_content_type: Option<String>,
    /// Why the RAO refused it.
    pub refuse_reason: Option<String>,
}

/// One status change, kept for the record and for webhooks.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StatusChange {
    /// Previous status (`None` at creation).
    pub from: Option<Status>,
    /// New status.
    pub to: Status,
    /// When (RFC 3339).
    pub at: String,
}

/// A signature request.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Request {
    /// Request pk.
    pub pk: u64,
    /// Current status.
    pub status: Status,
    /// Customer identity.
    pub identity: Identity,
    /// Certificate profile.
    pub profile: String,
    /// Registration Authority id.
    pub registration_authority: String,
    /// Environment.
    pub env: Env,
    /// Communication language, when given.
    pub communication_language: Option<String>,
    /// Other profile-dependent fields (`residence`, `special_conditions`, ...).
    pub extra_fields: BTreeMap<String, String>,
    /// RA scratchcard.
    pub scratchcard: String,
    /// Username of the RAO that created it.
    pub rao_username: String,
    /// RAO id of the approver.
    pub rao_id: u64,
    /// Async mode (`useasync`).
    pub async_mode: bool,
    /// Webhook URL given on creation (`callback` or `webhook_url`).
    pub callback: Option<String>,
    /// VideoID data (VideoID requests only).
    pub videoid: Option<VideoId>,
    /// ID images uploaded on create (`document_front`, ...): field name → content type.
    pub id_images: BTreeMap<String, String>,
    /// Uploaded documents in upload order.
    pub documents: Vec<Document>,
    /// The live OTP.
    pub otp: Option<Otp>,
    /// The certificate issued at sign.
    pub certificate: Option<IssuedCertificate>,
    /// Whether the signed contract exists.
    pub contract_signed: bool,
    /// A sign is running in the background (async mode).
    #[serde(default)]
    pub signing: bool,
    /// Why the last background sign failed, if it did.
    pub sign_error: Option<String>,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Status history.
    pub history: Vec<StatusChange>,
    /// Files were removed by cancel.
    #[serde(default)]
    pub removed: bool,
}

impl Request {
    /// Finds a document by uid.
    pub fn document(&self, uid: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.uid == uid)
    }

    /// The certificate CN the trust service issues: given name and surnames.
    pub fn common_name(&self) -> String {
        let id = &self.identity;
        let mut parts = vec![id.given_name.as_str(), id.surname_1.as_str()];
        if let Some(s2) = id.surname_2.as_deref().filter(|s| !s.is_empty()) {
            parts.push(s2);
        }
        parts.join(" ")
    }
}

/// An uploaded signature image.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Image {
    /// Image uid.
    pub uid: String,
    /// Client file name.
    pub filename: String,
    /// Width and height in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Upload time (RFC 3339).
    pub uploaded_at: String,
}

/// A metadata object (legacy).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Metadata {
    /// OID.
    pub oid: String,
    /// Base64 content.
    pub metadata: String,
}

/// Everything persisted.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// Next request pk.
    pub next_request_pk: u64,
    /// Next VideoID pk.
    pub next_videoid_pk: u64,
    /// Tokens by uid.
    pub tokens: BTreeMap<String, Token>,
    /// Requests by pk.
    pub requests: BTreeMap<u64, Request>,
    /// Images by uid.
    pub images: BTreeMap<String, Image>,
    /// Metadata by uid.
    pub metadata: BTreeMap<String, Metadata>,
}
