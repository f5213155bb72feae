//! An external VideoID identification's evidences as the employee provides them (API.md §D.6):
//! the ID images as files, the data read from the document, the provider's security checks,
//! the face similarity and the record of the customer's acceptance of the terms. Checked field
//! by field like the customer's data, then turned into the upload's JSON (images in base64).
//!
//! The field names are the API's (`ocr_data`, `security_checks`, `similarity_level`); the
//! acceptance's hyphenated API names (`url-doc-privacypolicy`, `user-agent`, `date`) are
//! accepted as aliases of the desk's names, so an `evidences.json` may use either.

use crate::customer::{FieldIssue, is_email, is_iso_country, is_plain_text};
use crate::error::{DeskError, DeskResult};
use jiff::Timestamp;
use oneshot_client::{
    Acceptance, EvidenceImages, OcrData, SecurityChecks, VideoIdData, VideoIdEvidences,
};
use serde::{Deserialize, Deserializer, Serialize};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// ID document kinds the evidences' OCR data may name (the API's schema allows only these).
pub const OCR_DOCUMENT_TYPES: &[&str] = &["IDC", "PAS", "PNO", "TIN"];

/// How far in the future an acceptance time may be (clocks of two machines differ).
const CLOCK_SKEW_SECS: i64 = 300;

/// The images of the evidences, as files (JPEG or PNG, at most 10 MB each). A missing image
/// makes the identification incomplete (`VIDEOINCOMPLETE`) rather than invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EvidenceImagePaths {
    /// Front of the ID document.
    pub document_front: Option<PathBuf>,
    /// Back of the ID document.
    pub document_rear: Option<PathBuf>,
    /// The photo cut from the ID document.
    pub document_photo: Option<PathBuf>,
    /// The customer's selfie.
    pub document_owner: Option<PathBuf>,
}

impl EvidenceImagePaths {
    fn each(&self) -> [(&'static str, Option<&PathBuf>); 4] {
        [
            ("document_front", self.document_front.as_ref()),
            ("document_rear", self.document_rear.as_ref()),
            ("document_photo", self.document_photo.as_ref()),
            ("document_owner", self.document_owner.as_ref()),
        ]
    }

    fn map(&self, f: impl Fn(&Path) -> PathBuf) -> EvidenceImagePaths {
        EvidenceImagePaths {
            document_front: self.document_front.as_deref().map(&f),
            document_rear: self.document_rear.as_deref().map(&f),
            document_photo: self.document_photo.as_deref().map(&f),
            document_owner: self.document_owner.as_deref().map(&f),
        }
    }
}

/// The data read from the ID document (`given_name`, `surname_1` and `serial_number` required).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct OcrDataInput {
    /// Given name(s).
    pub given_name: String,
    /// First surname.
    pub surname_1: String,
    /// Second surname.
    pub surname_2: Option<String>,
    /// Mobile number with `+` and country code; unset: the customer's.
    pub mobile_phone_number: Option<String>,
    /// Email; unset: the customer's.
    pub email: Option<String>,
    /// ID document number.
    pub serial_number: String,
    /// `IDC`, `PAS`, `PNO` or `TIN` (default `IDC`).
    pub id_document_type: Option<String>,
    /// ISO 3166-1 alpha-2 country of the document (default `ES`).
    pub id_document_country: Option<String>,
}

/// The identification provider's checks, each passed (`true`) or failed (`false`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct SecurityChecksInput {
    /// The customer's phone was confirmed with a code.
    pub otp_validation: Option<bool>,
    /// The document matches the registers.
    pub documents_match: Option<bool>,
    /// The data was not altered.
    pub data_integrity: Option<bool>,
    /// The document is not a copy.
    pub document_notcopy: Option<bool>,
    /// The document is not expired.
    pub document_notexpired: Option<bool>,
    /// The customer is not under age.
    pub document_notunderage: Option<bool>,
    /// The customer was live in front of the camera.
    pub liveliness: Option<bool>,
}

/// The customer's acceptance of the terms and the privacy policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct AcceptanceInput {
    /// What the customer accepted ("User Accepted Terms and Conditions and Privacy Policy").
    pub description: Option<String>,
    /// The terms and conditions (`url-doc-termsconditions`).
    #[serde(alias = "url-doc-termsconditions")]
    pub terms_url: Option<String>,
    /// The privacy policy (`url-doc-privacypolicy`).
    #[serde(alias = "url-doc-privacypolicy")]
    pub privacy_policy_url: Option<String>,
    /// The identification web page (`url-web-videoid`).
    #[serde(alias = "url-web-videoid")]
    pub videoid_url: Option<String>,
    /// The customer's IP address.
    pub ip: Option<String>,
    /// The customer's browser (`user-agent`).
    #[serde(alias = "user-agent")]
    pub user_agent: Option<String>,
    /// When the customer accepted (`date`): RFC 3339 text, or milliseconds since 1970 as the
    /// API sends it.
    #[serde(alias = "date", deserialize_with = "time_or_millis")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub accepted_at: Option<Timestamp>,
}

/// An external identification's evidences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct EvidencesInput {
    /// The images, as files.
    pub images: EvidenceImagePaths,
    /// The data read from the document.
    pub ocr_data: OcrDataInput,
    /// The provider's checks.
    pub security_checks: SecurityChecksInput,
    /// Face similarity between the selfie and the document's photo, 0–100.
    pub similarity_level: Option<i32>,
    /// The acceptance record.
    pub acceptance: AcceptanceInput,
}

impl EvidencesInput {
    /// The same evidences with relative image paths read from `base` (the folder of the
    /// `evidences.json` they came from).
    pub fn resolved_against(&self, base: &Path) -> EvidencesInput {
        EvidencesInput {
            images: self.images.map(|p| {
                let joined = if p.is_absolute() {
                    p.to_path_buf()
                } else {
                    base.join(p)
                };
                std::path::absolute(&joined).unwrap_or(joined)
            }),
            ..self.clone()
        }
    }

    /// Whether all four images are given (otherwise the identification stays incomplete).
    pub fn has_every_image(&self) -> bool {
        self.images.each().iter().all(|(_, p)| p.is_some())
    }
}

fn time_or_millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Millis(i64),
        Text(String),
    }
    match Option::<Raw>::deserialize(d)? {
        None => Ok(None),
        Some(Raw::Millis(ms)) => Timestamp::from_millisecond(ms)
            .map(Some)
            .map_err(serde::de::Error::custom),
        Some(Raw::Text(text)) if text.trim().is_empty() => Ok(None),
        Some(Raw::Text(text)) => text
            .trim()
            .parse::<Timestamp>()
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// Every problem of the evidences, field by field (paths like `ocr_data.given_name`,
/// `images.document_front`, `acceptance.ip`), with stable codes: `evidences.required`,
/// `evidences.text`, `evidences.email`, `evidences.phone`, `evidences.document_type`,
/// `evidences.country`, `evidences.similarity_range`, `evidences.ip`, `evidences.url`,
/// `evidences.time`, `evidences.image_type`, `evidences.image_too_large`,
/// `evidences.image_unreadable`. Empty when they can be sent. Reads the images' headers
/// (blocking file access).
pub fn validate_evidences(evidences: &EvidencesInput) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let mut issue = |field: &str, code: &str| {
        issues.push(FieldIssue {
            field: field.to_string(),
            code: code.to_string(),
        })
    };
    for (name, path) in evidences.images.each() {
        let Some(path) = path else { continue };
        let field = format!("images.{name}");
        match crate::inputs::check_id_image(path) {
            Ok(_) => {}
            Err(crate::inputs::InputError::ImageType { .. }) => {
                issue(&field, "evidences.image_type")
            }
            Err(crate::inputs::InputError::ImageTooLarge { .. }) => {
                issue(&field, "evidences.image_too_large")
            }
            Err(_) => issue(&field, "evidences.image_unreadable"),
        }
    }
    let ocr = &evidences.ocr_data;
    for (field, value, required) in [
        ("given_name", Some(ocr.given_name.as_str()), true),
        ("surname_1", Some(ocr.surname_1.as_str()), true),
        ("surname_2", ocr.surname_2.as_deref(), false),
        ("serial_number", Some(ocr.serial_number.as_str()), true),
    ] {
        let field = format!("ocr_data.{field}");
        match value.map(str::trim) {
            Some("") if required => issue(&field, "evidences.required"),
            Some(text) if !is_plain_text(text) => issue(&field, "evidences.text"),
            _ => {}
        }
    }
    if let Some(phone) = ocr.mobile_phone_number.as_deref().map(str::trim)
        && !phone.is_empty()
        && crate::customer::check_phone(phone).is_err()
    {
        issue("ocr_data.mobile_phone_number", "evidences.phone");
    }
    if let Some(email) = ocr.email.as_deref().map(str::trim)
        && !email.is_empty()
        && !is_email(email)
    {
        issue("ocr_data.email", "evidences.email");
    }
    if let Some(kind) = non_empty(&ocr.id_document_type)
        && !OCR_DOCUMENT_TYPES.contains(&kind.to_ascii_uppercase().as_str())
    {
        issue("ocr_data.id_document_type", "evidences.document_type");
    }
    if let Some(country) = non_empty(&ocr.id_document_country)
        && !is_iso_country(&country.to_ascii_uppercase())
    {
        issue("ocr_data.id_document_country", "evidences.country");
    }
    match evidences.similarity_level {
        None => issue("similarity_level", "evidences.required"),
        Some(level) if !(0..=100).contains(&level) => {
            issue("similarity_level", "evidences.similarity_range")
        }
        Some(_) => {}
    }
    let acceptance = &evidences.acceptance;
    match non_empty(&acceptance.description) {
        None => issue("acceptance.description", "evidences.required"),
        Some(text) if text.chars().any(char::is_control) || text.chars().count() > 1000 => {
            issue("acceptance.description", "evidences.text")
        }
        Some(_) => {}
    }
    match non_empty(&acceptance.ip) {
        None => issue("acceptance.ip", "evidences.required"),
        Some(ip) if ip.parse::<IpAddr>().is_err() => issue("acceptance.ip", "evidences.ip"),
        Some(_) => {}
    }
    for (field, value) in [
        ("terms_url", &acceptance.terms_url),
        ("privacy_policy_url", &acceptance.privacy_policy_url),
        ("videoid_url", &acceptance.videoid_url),
    ] {
        if let Some(url) = non_empty(value)
            && !is_web_url(url)
        {
            issue(&format!("acceptance.{field}"), "evidences.url");
        }
    }
    if let Some(agent) = non_empty(&acceptance.user_agent)
        && (agent.chars().any(char::is_control) || agent.len() > 2000)
    {
        issue("acceptance.user_agent", "evidences.text");
    }
    match acceptance.accepted_at {
        None => issue("acceptance.accepted_at", "evidences.required"),
        Some(at) if at > Timestamp::now() + jiff::SignedDuration::from_secs(CLOCK_SKEW_SECS) => {
            issue("acceptance.accepted_at", "evidences.time")
        }
        Some(_) => {}
    }
    issues
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn is_web_url(text: &str) -> bool {
    url::Url::parse(text)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// `evidences.invalid` with one `field: code` per problem, or nothing.
pub(crate) fn check(evidences: &EvidencesInput) -> DeskResult<()> {
    let issues = validate_evidences(evidences);
    if issues.is_empty() {
        return Ok(());
    }
    Err(DeskError::new(
        "evidences.invalid",
        "The identification's evidences are incomplete or wrong",
    )
    .with_detail(
        issues
            .iter()
            .map(|i| format!("{}: {}", i.field, i.code))
            .collect::<Vec<_>>()
            .join("; "),
    ))
}

/// The upload's JSON: the images read and encoded, the customer's phone and email filling the
/// OCR data's when it has none. Checks everything again (the files may have changed).
pub(crate) async fn to_upload(
    evidences: &EvidencesInput,
    customer_phone: &str,
    customer_email: &str,
) -> DeskResult<VideoIdEvidences> {
    let owned = evidences.clone();
    crate::desk::blocking(move || check(&owned)).await?;
    let mut images = EvidenceImages::default();
    for (name, path) in evidences.images.each() {
        let Some(path) = path else { continue };
        let bytes = tokio::fs::read(path).await.map_err(|e| {
            DeskError::new(
                "input.unreadable",
                format!("Cannot read {}", path.display()),
            )
            .with_detail(e.to_string())
        })?;
        let encoded = Some(EvidenceImages::encode(&bytes));
        match name {
            "document_front" => images.document_front = encoded,
            "document_rear" => images.document_rear = encoded,
            "document_photo" => images.document_photo = encoded,
            _ => images.document_owner = encoded,
        }
    }
    let ocr = &evidences.ocr_data;
    let trim = |v: &Option<String>| non_empty(v).map(str::to_string);
    let checks = &evidences.security_checks;
    let acceptance = &evidences.acceptance;
    Ok(VideoIdEvidences {
        acceptance: Acceptance {
            description: trim(&acceptance.description),
            privacy_policy_url: trim(&acceptance.privacy_policy_url),
            terms_url: trim(&acceptance.terms_url),
            videoid_url: trim(&acceptance.videoid_url),
            ip: trim(&acceptance.ip),
            user_agent: trim(&acceptance.user_agent),
            date: acceptance.accepted_at.map(|t| t.as_millisecond()),
            extra: Default::default(),
        },
        videoid_data: VideoIdData {
            images,
            ocr_data: OcrData {
                given_name: ocr.given_name.trim().to_string(),
                surname_1: ocr.surname_1.trim().to_string(),
                surname_2: trim(&ocr.surname_2),
                mobile_phone_number: trim(&ocr.mobile_phone_number)
                    .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect())
                    .or_else(|| Some(customer_phone.to_string())),
                email: trim(&ocr.email).or_else(|| Some(customer_email.to_string())),
                serial_number: ocr.serial_number.trim().to_string(),
                id_document_type: trim(&ocr.id_document_type).map(|t| t.to_ascii_uppercase()),
                id_document_country: trim(&ocr.id_document_country).map(|c| c.to_ascii_uppercase()),
                extra: Default::default(),
            },
            security_checks: SecurityChecks {
                otp_validation: checks.otp_validation,
                documents_match: checks.documents_match,
                data_integrity: checks.data_integrity,
                document_notcopy: checks.document_notcopy,
                document_notexpired: checks.document_notexpired,
                document_notunderage: checks.document_notunderage,
                liveliness: checks.liveliness,
                extra: Default::default(),
            },
            similarity_level: evidences
                .similarity_level
                .and_then(|l| u8::try_from(l).ok()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> EvidencesInput {
        serde_json::from_value(serde_json::json!({
            "ocr_data": {"given_name": "Ana", "surname_1": "García", "serial_number": "12345678Z",
                         "id_document_type": "IDC", "id_document_country": "ES"},
            "security_checks": {"liveliness": true, "document_notexpired": true},
            "similarity_level": 87,
            "acceptance": {"description": "User Accepted Terms and Conditions and Privacy Policy",
                           "url-doc-privacypolicy": "https://example.com/privacy",
                           "url-doc-termsconditions": "https://example.com/terms",
                           "ip": "186.0.91.53", "user-agent": "Mozilla/5.0",
                           "date": 1622823879708i64}
        }))
        .unwrap()
    }

    fn codes(evidences: &EvidencesInput) -> Vec<(String, String)> {
        validate_evidences(evidences)
            .into_iter()
            .map(|i| (i.field, i.code))
            .collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.into(), code.into())
    }

    #[test]
    fn the_api_names_are_read_and_a_complete_record_passes() {
        let evidences = sample();
        assert_eq!(
            evidences.acceptance.privacy_policy_url.as_deref(),
            Some("https://example.com/privacy")
        );
        assert_eq!(
            evidences.acceptance.accepted_at.unwrap().as_millisecond(),
            1622823879708
        );
        assert_eq!(codes(&evidences), vec![]);
        assert!(!evidences.has_every_image());
        let text: EvidencesInput = serde_json::from_value(serde_json::json!({
            "acceptance": {"accepted_at": "2024-05-01T10:00:00Z"}
        }))
        .unwrap();
        assert!(text.acceptance.accepted_at.is_some());
    }

    #[test]
    fn each_field_has_its_own_code() {
        let mut evidences = sample();
        evidences.ocr_data.given_name = " ".into();
        evidences.ocr_data.id_document_type = Some("CE".into());
        evidences.ocr_data.id_document_country = Some("XX".into());
        evidences.ocr_data.email = Some("nobody".into());
        evidences.ocr_data.mobile_phone_number = Some("612345678".into());
        evidences.similarity_level = Some(101);
        evidences.acceptance.ip = Some("999.1.1.1".into());
        evidences.acceptance.terms_url = Some("ftp://example.com/terms".into());
        evidences.acceptance.accepted_at =
            Some(Timestamp::now() + jiff::SignedDuration::from_hours(2));
        assert_eq!(
            codes(&evidences),
            vec![
                pair("ocr_data.given_name", "evidences.required"),
                pair("ocr_data.mobile_phone_number", "evidences.phone"),
                pair("ocr_data.email", "evidences.email"),
                pair("ocr_data.id_document_type", "evidences.document_type"),
                pair("ocr_data.id_document_country", "evidences.country"),
                pair("similarity_level", "evidences.similarity_range"),
                pair("acceptance.ip", "evidences.ip"),
                pair("acceptance.terms_url", "evidences.url"),
                pair("acceptance.accepted_at", "evidences.time"),
            ]
        );
        assert_eq!(
            codes(&EvidencesInput::default()),
            vec![
                pair("ocr_data.given_name", "evidences.required"),
                pair("ocr_data.surname_1", "evidences.required"),
                pair("ocr_data.serial_number", "evidences.required"),
                pair("similarity_level", "evidences.required"),
                pair("acceptance.description", "evidences.required"),
                pair("acceptance.ip", "evidences.required"),
                pair("acceptance.accepted_at", "evidences.required"),
            ]
        );
    }

    #[test]
    fn images_are_checked_by_their_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("front.jpg");
        std::fs::write(&text, b"not an image").unwrap();
        let mut evidences = sample();
        evidences.images.document_front = Some(text);
        evidences.images.document_rear = Some(dir.path().join("missing.png"));
        assert_eq!(
            codes(&evidences),
            vec![
                pair("images.document_front", "evidences.image_type"),
                pair("images.document_rear", "evidences.image_unreadable"),
            ]
        );
    }
}
