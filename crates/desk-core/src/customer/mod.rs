//! The customer's identity data as typed at the desk, and its checks, usable as the employee
//! types (each field is reported on its own, with a stable code the UI words).
//!
//! [`CustomerDraft`] uses the Optimizer API's own field names, so the CLI's `customer.json` is
//! the same shape as the create call's form fields.

mod countries;
mod id_number;
mod phone;

pub use countries::is_iso_country;

use serde::{Deserialize, Serialize};

/// ID document kinds the Optimizer accepts (`id_document_type`).
pub const DOCUMENT_TYPES: &[&str] = &["IDC", "PAS", "PNO", "TIN", "CI", "CE"];
/// Languages of the Trust Service Provider's messages (`communication_language`).
pub const LANGUAGES: &[&str] = &["ES", "PL", "EN"];
/// Certificate profiles (`profile`).
pub const PROFILES: &[&str] = &["PFnubeQAFCiudadano", "PFnubeNC"];

/// Longest text accepted in a name field; the RA's own limit is not documented, this is generous.
const MAX_NAME_CHARS: usize = 100;

/// The customer as typed: every field may still be empty or wrong. Field names are the API's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct CustomerDraft {
    /// Given name(s).
    pub given_name: String,
    /// First surname.
    pub surname_1: String,
    /// Second surname (optional).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname_2: Option<String>,
    /// Email address.
    pub email: String,
    /// Mobile phone number with `+` and country code, e.g. `+34612345678`.
    pub mobile_phone_number: String,
    /// `IDC` (national ID card, the default), `PAS`, `PNO`, `TIN`, `CI`, `CE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_document_type: Option<String>,
    /// ISO 3166-1 alpha-2 country of the ID document (default `ES`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_document_country: Option<String>,
    /// ID document number.
    pub serial_number: String,
    /// Registration Authority id; unset: the desk's setting, else the Optimizer's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_authority: Option<String>,
    /// `PFnubeQAFCiudadano` or `PFnubeNC`; unset: the desk's setting, else the Optimizer's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// `ES`, `PL` or `EN`; unset: the desk's setting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub communication_language: Option<String>,
    /// Profile-dependent residence data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residence: Option<String>,
    /// Profile-dependent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residence_city: Option<String>,
    /// Profile-dependent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residence_postal_code: Option<String>,
    /// Profile-dependent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residence_address: Option<String>,
    /// Profile-dependent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_conditions: Option<String>,
}

impl CustomerDraft {
    /// "Ana García López": how the desk shows the customer in lists (no ids).
    pub fn display_name(&self) -> String {
        [
            Some(self.given_name.trim()),
            Some(self.surname_1.trim()),
            self.surname_2.as_deref().map(str::trim),
        ]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// The document type, `IDC` when unset.
    pub fn document_type(&self) -> String {
        non_empty(&self.id_document_type)
            .map(str::to_ascii_uppercase)
            .unwrap_or_else(|| "IDC".to_string())
    }

    /// The document country, `ES` when unset.
    pub fn document_country(&self) -> String {
        non_empty(&self.id_document_country)
            .map(str::to_ascii_uppercase)
            .unwrap_or_else(|| "ES".to_string())
    }

    /// The same draft with surrounding white space removed, capitals where the API wants codes,
    /// spaces removed from the phone number and the ID number, and empty optionals unset.
    pub fn normalised(&self) -> CustomerDraft {
        let trim_opt = |v: &Option<String>| non_empty(v).map(str::to_string);
        let upper_opt = |v: &Option<String>| non_empty(v).map(str::to_ascii_uppercase);
        CustomerDraft {
            given_name: self.given_name.trim().to_string(),
            surname_1: self.surname_1.trim().to_string(),
            surname_2: trim_opt(&self.surname_2),
            email: self.email.trim().to_string(),
            mobile_phone_number: phone::compact(&self.mobile_phone_number),
            id_document_type: upper_opt(&self.id_document_type),
            id_document_country: upper_opt(&self.id_document_country),
            serial_number: id_number::compact(&self.serial_number),
            registration_authority: trim_opt(&self.registration_authority),
            profile: trim_opt(&self.profile),
            communication_language: upper_opt(&self.communication_language),
            residence: trim_opt(&self.residence),
            residence_city: trim_opt(&self.residence_city),
            residence_postal_code: trim_opt(&self.residence_postal_code),
            residence_address: trim_opt(&self.residence_address),
            special_conditions: trim_opt(&self.special_conditions),
        }
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldIssue {
    /// The field, by its API name (`mobile_phone_number`).
    pub field: String,
    /// Stable code: `customer.required`, `customer.phone_prefix`, `customer.phone`,
    /// `customer.email`, `customer.document_type`, `customer.country`, `customer.id_number`,
    /// `customer.id_number_letter`, `customer.language`, `customer.profile`, `customer.text`.
    pub code: String,
}

impl FieldIssue {
    fn new(field: &str, code: &str) -> Self {
        FieldIssue {
            field: field.to_string(),
            code: code.to_string(),
        }
    }
}

/// Every problem of the draft, field by field, in the order of the form. Empty when the draft
/// can be sent. Cheap enough to run on every keystroke.
pub fn validate_customer(draft: &CustomerDraft) -> Vec<FieldIssue> {
    let draft = draft.normalised();
    let mut issues = Vec::new();
    for (field, value) in [
        ("given_name", Some(draft.given_name.as_str())),
        ("surname_1", Some(draft.surname_1.as_str())),
        ("surname_2", draft.surname_2.as_deref()),
    ] {
        match value {
            Some("") if field != "surname_2" => {
                issues.push(FieldIssue::new(field, "customer.required"))
            }
            Some(text) if !is_plain_text(text) => {
                issues.push(FieldIssue::new(field, "customer.text"))
            }
            _ => {}
        }
    }
    if draft.email.is_empty() {
        issues.push(FieldIssue::new("email", "customer.required"));
    } else if !is_email(&draft.email) {
        issues.push(FieldIssue::new("email", "customer.email"));
    }
    if draft.mobile_phone_number.is_empty() {
        issues.push(FieldIssue::new("mobile_phone_number", "customer.required"));
    } else if let Err(code) = phone::check(&draft.mobile_phone_number) {
        issues.push(FieldIssue::new("mobile_phone_number", code));
    }
    let document_type = draft.document_type();
    let type_ok = DOCUMENT_TYPES.contains(&document_type.as_str());
    if !type_ok {
        issues.push(FieldIssue::new(
            "id_document_type",
            "customer.document_type",
        ));
    }
    let country = draft.document_country();
    let country_ok = is_iso_country(&country);
    if !country_ok {
        issues.push(FieldIssue::new("id_document_country", "customer.country"));
    }
    if draft.serial_number.is_empty() {
        issues.push(FieldIssue::new("serial_number", "customer.required"));
    } else if let Err(code) = id_number::check(
        &draft.serial_number,
        type_ok.then_some(document_type.as_str()),
        country_ok.then_some(country.as_str()),
    ) {
        issues.push(FieldIssue::new("serial_number", code));
    }
    if let Some(language) = &draft.communication_language
        && !LANGUAGES.contains(&language.as_str())
    {
        issues.push(FieldIssue::new(
            "communication_language",
            "customer.language",
        ));
    }
    if let Some(profile) = &draft.profile
        && !PROFILES.contains(&profile.as_str())
    {
        issues.push(FieldIssue::new("profile", "customer.profile"));
    }
    for (field, value) in [
        ("registration_authority", &draft.registration_authority),
        ("residence", &draft.residence),
        ("residence_city", &draft.residence_city),
        ("residence_postal_code", &draft.residence_postal_code),
        ("residence_address", &draft.residence_address),
        ("special_conditions", &draft.special_conditions),
    ] {
        if value.as_deref().is_some_and(|v| !is_plain_text(v)) {
            issues.push(FieldIssue::new(field, "customer.text"));
        }
    }
    issues
}

/// The problems of a VideoID flow's customer: the create call needs only the mobile number
/// and the email (the identification provides the rest), so the names and the ID number may be
/// left empty; whatever is typed is still checked as in [`validate_customer`].
pub fn validate_videoid_customer(draft: &CustomerDraft) -> Vec<FieldIssue> {
    validate_customer(draft)
        .into_iter()
        .filter(|issue| {
            !(issue.code == "customer.required"
                && matches!(
                    issue.field.as_str(),
                    "given_name" | "surname_1" | "serial_number"
                ))
        })
        .collect()
}

/// Whether a mobile number (as typed) can be sent: `Err(code)` as in [`validate_customer`].
pub(crate) fn check_phone(text: &str) -> Result<(), &'static str> {
    phone::check(&phone::compact(text))
}

/// Text without control characters and of a sane length.
pub(crate) fn is_plain_text(text: &str) -> bool {
    !text.chars().any(char::is_control) && text.chars().count() <= MAX_NAME_CHARS
}

/// An address of the form the RA accepts: a valid address (RFC 5322, `email_address`) whose
/// domain has a dot and no bracketed literal, as the Optimizer's validator wants.
pub(crate) fn is_email(text: &str) -> bool {
    let Ok(address) = text.parse::<email_address::EmailAddress>() else {
        return false;
    };
    let domain = address.domain();
    let local = address.local_part();
    text.len() <= 254
        && !local.starts_with('"')
        && domain.contains('.')
        && !domain.starts_with('[')
        && !domain.ends_with('.')
        && domain
            .split('.')
            .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn ana() -> CustomerDraft {
        CustomerDraft {
            given_name: "Ana".into(),
            surname_1: "García".into(),
            surname_2: Some("López".into()),
            email: "ana.garcia@example.com".into(),
            mobile_phone_number: "+34 612 345 678".into(),
            id_document_type: Some("IDC".into()),
            id_document_country: Some("ES".into()),
            serial_number: "12345678Z".into(),
            ..CustomerDraft::default()
        }
    }

    fn codes(draft: &CustomerDraft) -> Vec<(String, String)> {
        validate_customer(draft)
            .into_iter()
            .map(|i| (i.field, i.code))
            .collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_string(), code.to_string())
    }

    #[test]
    fn a_complete_customer_has_no_issues() {
        assert_eq!(codes(&ana()), vec![]);
        assert_eq!(ana().display_name(), "Ana García López");
        assert_eq!(ana().normalised().mobile_phone_number, "+34612345678");
    }

    #[test]
    fn an_empty_draft_reports_each_required_field() {
        assert_eq!(
            codes(&CustomerDraft::default()),
            vec![
                pair("given_name", "customer.required"),
                pair("surname_1", "customer.required"),
                pair("email", "customer.required"),
                pair("mobile_phone_number", "customer.required"),
                pair("serial_number", "customer.required"),
            ]
        );
    }

    #[test]
    fn each_field_has_its_own_code() {
        let mut draft = ana();
        draft.email = "ana@localhost".into();
        draft.mobile_phone_number = "612345678".into();
        draft.id_document_type = Some("XYZ".into());
        draft.id_document_country = Some("ESX".into());
        draft.communication_language = Some("FR".into());
        draft.profile = Some("Gold".into());
        assert_eq!(
            codes(&draft),
            vec![
                pair("email", "customer.email"),
                pair("mobile_phone_number", "customer.phone_prefix"),
                pair("id_document_type", "customer.document_type"),
                pair("id_document_country", "customer.country"),
                pair("communication_language", "customer.language"),
                pair("profile", "customer.profile"),
            ]
        );
    }

    #[test]
    fn a_videoid_customer_needs_only_phone_and_email() {
        let draft = CustomerDraft {
            email: "ana@example.com".into(),
            mobile_phone_number: "+34612345678".into(),
            ..CustomerDraft::default()
        };
        assert_eq!(validate_videoid_customer(&draft), vec![]);
        let mut wrong = draft.clone();
        wrong.email = "ana".into();
        wrong.profile = Some("Gold".into());
        assert_eq!(
            validate_videoid_customer(&wrong)
                .into_iter()
                .map(|i| (i.field, i.code))
                .collect::<Vec<_>>(),
            vec![
                pair("email", "customer.email"),
                pair("profile", "customer.profile")
            ]
        );
        assert_eq!(
            validate_videoid_customer(&CustomerDraft::default()),
            vec![
                FieldIssue::new("email", "customer.required"),
                FieldIssue::new("mobile_phone_number", "customer.required"),
            ]
        );
    }

    #[test]
    fn emails() {
        for good in ["a@b.co", "ana.garcia+desk@example.com", "x@sub.example.es"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "ana",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "@b.com",
            "a@b..com",
            "a@-b.com",
            "\"a\"@b.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn the_draft_reads_the_api_field_names() {
        let draft: CustomerDraft = serde_json::from_str(
            r#"{"given_name": "Ana", "surname_1": "García", "email": "a@b.co",
                "mobile_phone_number": "+34612345678", "serial_number": "12345678Z",
                "id_document_type": "IDC", "id_document_country": "ES",
                "registration_authority": "9999", "profile": "PFnubeNC",
                "communication_language": "ES"}"#,
        )
        .unwrap();
        assert_eq!(draft.profile.as_deref(), Some("PFnubeNC"));
        assert!(validate_customer(&draft).is_empty());
    }
}
