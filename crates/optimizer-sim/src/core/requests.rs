//! Signature requests: create (classic), get, update, cancel, async status.

use super::Core;
use super::credentials::{self, CREATE_TEXTS, CredentialInput};
use super::error::{ApiError, ApiResult};
use super::form::{self, Form};
use super::model::{Identity, Request, Status};
use super::time;
use super::tokens::resolve_env;
use super::validate::{self, PhoneProblem};
use secrecy::SecretString;
use serde_json::Value;
use std::collections::BTreeMap;

/// First request pk handed out by a fresh simulator.
const FIRST_REQUEST_PK: u64 = 1001;
/// Profile-dependent optional fields kept as given.
const EXTRA_FIELDS: &[&str] = &[
    "residence",
    "residence_city",
    "residence_postal_code",
    "residence_address",
    "special_conditions",
];
/// ID images accepted on create.
const ID_IMAGE_FIELDS: &[&str] = &[
    "document_front",
    "document_rear",
    "document_owner",
    "extra_document",
];

/// Result of a create.
#[derive(Clone, Copy, Debug)]
pub struct Created {
    /// The new request pk.
    pub pk: u64,
    /// Whether async mode is on.
    pub async_mode: bool,
}

fn invalid_field(field: &str) -> ApiError {
    ApiError::precondition(format!(
        "Error occured during request approval: Invalid request fields: {field}"
    ))
}

/// Phone rule shared by create, VideoID create and update.
pub fn check_phone(phone: Option<&str>) -> ApiResult<String> {
    let phone = phone
        .ok_or_else(|| ApiError::bad_request("Missing parameter: mobile_phone_number required"))?;
    match validate::check_phone(phone) {
        Ok(()) => Ok(phone.chars().filter(|c| !c.is_whitespace()).collect()),
        Err(PhoneProblem::NoPrefix) => Err(ApiError::bad_request(
            "Please use the mobile phone number with an international prefix",
        )),
        Err(PhoneProblem::Invalid) => Err(invalid_field("mobile_phone_number")),
    }
}

/// Email rule: missing/blank answer the legacy field-error objects, bad format a 400 text.
pub fn check_email(email: Option<&str>, sent: bool) -> ApiResult<String> {
    match email.map(str::trim) {
        None if !sent => Err(ApiError::field("email", "This field is required")),
        None | Some("") => Err(ApiError::field("email", "This field may not be blank")),
        Some(e) if !validate::is_email(e) => {
            Err(ApiError::bad_request("Enter a valid email address"))
        }
        Some(e) => Ok(e.to_string()),
    }
}

/// Country rule.
pub fn check_country(country: Option<&str>) -> ApiResult<String> {
    let country = country.unwrap_or("ES").trim().to_uppercase();
    if validate::is_country(&country) {
        Ok(country)
    } else {
        Err(ApiError::field(
            "id_document_country",
            format!("'{country}' is not a valid ISO 3166-1 alpha-2 country code"),
        ))
    }
}

/// Profile rule (sent or default).
pub fn check_profile(sent: Option<&str>, default: Option<&str>) -> ApiResult<String> {
    let profile = sent.or(default).ok_or_else(|| invalid_field("profile"))?;
    if validate::PROFILES.contains(&profile) {
        Ok(profile.to_string())
    } else {
        Err(ApiError::forbidden(
            "You do not have permission to perform this action",
        ))
    }
}

/// RA rule (sent or default): RA ids are numbers.
pub fn check_ra(sent: Option<&str>, default: Option<&str>) -> ApiResult<String> {
    let ra = sent
        .or(default)
        .ok_or_else(|| invalid_field("registration_authority"))?;
    if !ra.is_empty() && ra.bytes().all(|b| b.is_ascii_digit()) {
        Ok(ra.to_string())
    } else {
        Err(invalid_field("registration_authority"))
    }
}

impl Core {
    /// Billing rule: sent credentials must be base64; otherwise settings must hold them.
    pub fn check_billing(&self, username: Option<&str>, password: Option<&str>) -> ApiResult<()> {
        match (username, password) {
            (Some(_), Some(pw)) if validate::is_base64(pw) => Ok(()),
            (_, Some(_)) => Err(ApiError::internal(
                "Billing credentials not valid. Please check if they are base64 encoded",
            )),
            (Some(_), None) => Err(ApiError::internal(
                "Cannot check the remaining credit for the billing user. Please check the credentials",
            )),
            (None, None) => {
                let settings = self.settings();
                if settings.billing_username.is_some() && settings.billing_password.is_some() {
                    Ok(())
                } else {
                    Err(ApiError::internal(
                        "Cannot check the remaining credit for the billing user. Please check the credentials",
                    ))
                }
            }
        }
    }

    /// Next request pk.
    pub(crate) fn allocate_pk(state: &mut super::model::State) -> u64 {
        let pk = state.next_request_pk.max(FIRST_REQUEST_PK);
        state.next_request_pk = pk + 1;
        pk
    }

    /// `POST create` / `POST request`: validates, creates and approves a classic request.
    pub async fn create_request(&self, mut form: Form) -> ApiResult<Created> {
        let settings = self.settings();
        let env = resolve_env(form.text("env"), settings.env, &self.config.available_envs)?;
        self.check_billing(form.text("billing_username"), form.text("billing_password"))?;
        let mobile = check_phone(form.text("mobile_phone_number"))?;
        let email = check_email(form.text("email"), form.has("email"))?;
        let id_document_type = form
            .text("id_document_type")
            .unwrap_or("IDC")
            .to_uppercase();
        if !validate::ID_DOCUMENT_TYPES.contains(&id_document_type.as_str()) {
            return Err(ApiError::bad_request(
                "The id_document_type specified is not valid. Valid options are IDC, PAS, PNO, TIN, CI, CE",
            ));
        }
        let country = check_country(form.text("id_document_country"))?;
        let credentials = CredentialInput {
            token: form.text("token").map(str::to_string),
            username: form.text("username").map(str::to_string),
            password: form.text("password").map(SecretString::from),
            pin: form.text("pin").map(SecretString::from),
        };
        let profile = check_profile(form.text("profile"), settings.default_profile.as_deref())?;
        let ra = check_ra(
            form.text("registration_authority"),
            settings.default_ra.as_deref(),
        )?;
        for field in ["given_name", "surname_1", "serial_number"] {
            if form.text(field).is_none() {
                return Err(invalid_field(field));
            }
        }
        let language = match form.text("communication_language") {
            Some(lang) if validate::LANGUAGES.contains(&lang.to_uppercase().as_str()) => {
                Some(lang.to_uppercase())
            }
            Some(_) => return Err(invalid_field("communication_language")),
            None => None,
        };
        let async_mode = match form.text("useasync") {
            Some(v) => validate::parse_bool(v).ok_or_else(|| invalid_field("useasync"))?,
            None => false,
        };
        let callback = match form.text("callback") {
            Some(url) => Some(check_callback(url)?),
            None => None,
        };
        let mut id_images = Vec::new();
        for field in ID_IMAGE_FIELDS {
            if let Some(part) = form.take_file(field) {
                if part.file.size == 0 {
                    continue;
                }
                if !form::is_jpeg_or_png(&part.file.head) && *field != "extra_document" {
                    return Err(ApiError::unsupported(format!(
                        "Image file type not supported: {}",
                        form::describe_type(&part)
                    )));
                }
                id_images.push(part);
            }
        }
        let has = |name: &str| id_images.iter().any(|p| p.name == name);
        if self.config.require_id_documents && !(has("document_front") && has("document_rear")) {
            return Err(ApiError::bad_request(
                "Error occured during request approval: Missing required docs",
            ));
        }
        let identity = Identity {
            given_name: form.text("given_name").unwrap_or_default().to_string(),
            surname_1: form.text("surname_1").unwrap_or_default().to_string(),
            surname_2: form.text("surname_2").map(str::to_string),
            id_document_type,
            id_document_country: country,
            serial_number: form.text("serial_number").unwrap_or_default().to_string(),
            email,
            mobile_phone_number: mobile,
            birth_date: None,
        };
        let extra_fields: BTreeMap<String, String> = EXTRA_FIELDS
            .iter()
            .filter_map(|k| form.text(k).map(|v| (k.to_string(), v.to_string())))
            .collect();
        let scratchcard = self.new_digits(7);
        let raos = &self.config.raos;
        let store = &self.store;
        self.write(|tx| {
            let rao = credentials::resolve(raos, tx.state, &credentials, CREATE_TEXTS)?;
            let pk = Core::allocate_pk(tx.state);
            let mut images = BTreeMap::new();
            for part in id_images {
                let content_type = if part.file.head.starts_with(&[0xff, 0xd8]) {
                    "image/jpeg"
                } else if part.file.head.starts_with(b"\x89PNG") {
                    "image/png"
                } else {
                    "application/octet-stream"
                };
                images.insert(part.name.clone(), content_type.to_string());
                part.file
                    .keep_at(&store.id_image(pk, &part.name))
                    .map_err(ApiError::storage)?;
            }
            let now = time::rfc3339(time::now());
            tx.state.requests.insert(
                pk,
                Request {
                    pk,
                    status: Status::Created,
                    identity,
                    profile,
                    registration_authority: ra,
                    env,
                    communication_language: language,
                    extra_fields,
                    scratchcard,
                    rao_username: rao.username.clone(),
                    rao_id: rao.rao_id,
                    async_mode,
                    callback,
                    videoid: None,
                    id_images: images,
                    documents: Vec::new(),
                    otp: None,
                    certificate: None,
                    contract_signed: false,
                    signing: false,
                    sign_error: None,
                    created_at: now.clone(),
                    history: vec![super::model::StatusChange {
                        from: None,
                        to: Status::Created,
                        at: now,
                    }],
                    removed: false,
                },
            );
            tx.created(pk, Status::Created);
            // A classic request is approved by the RAO within the create call.
            tx.set_status(pk, Status::EnrollReady, None);
            Ok(Created { pk, async_mode })
        })
        .await
    }

    /// `GET request/{pk}`.
    pub async fn get_request(&self, pk: u64) -> ApiResult<Request> {
        self.read(|state| {
            state.requests.get(&pk).cloned().ok_or_else(|| {
                ApiError::not_found("Request not found. Make sure the upload directory is correct.")
            })
        })
        .await
    }

    /// `PUT request/{pk}` (VideoID): updates identity fields; needs the scratchcard.
    pub async fn update_request(&self, pk: u64, body: &Value) -> ApiResult<()> {
        let store = &self.store;
        let text = |key: &str| {
            body.get(key).and_then(|v| match v {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        let required = [
            "scratchcard",
            "country_name",
            "email",
            "profile",
            "registration_authority",
        ];
        if required.iter().any(|k| text(k).is_none()) {
            return Err(ApiError::bad_request("Missing required parameters"));
        }
        let email = check_email(text("email").as_deref(), true)?;
        let country = check_country(text("country_name").as_deref())?;
        let profile = check_profile(text("profile").as_deref(), None)?;
        let ra = check_ra(text("registration_authority").as_deref(), None)?;
        let phone = match text("mobile_phone_number") {
            Some(p) => Some(check_phone(Some(&p))?),
            None => None,
        };
        self.write(|tx| {
            let request = tx
                .state
                .requests
                .get_mut(&pk)
                .filter(|r| !r.removed)
                .ok_or_else(|| ApiError::not_found(format!("Request {pk} not found")))?;
            if Some(&request.scratchcard) != text("scratchcard").as_ref() {
                return Err(invalid_field("scratchcard"));
            }
            if matches!(request.status, Status::Issued | Status::Cancelled) {
                return Err(ApiError::precondition(format!(
                    "Request already in {} status",
                    request.status.as_str()
                )));
            }
            let id = &mut request.identity;
            id.email = email;
            id.id_document_country = country;
            if let Some(phone) = phone {
                id.mobile_phone_number = phone;
            }
            for (key, slot) in [
                ("given_name", &mut id.given_name),
                ("surname_1", &mut id.surname_1),
                ("serial_number", &mut id.serial_number),
            ] {
                if let Some(value) = text(key) {
                    *slot = value;
                }
            }
            if let Some(value) = text("surname_2") {
                id.surname_2 = Some(value);
            }
            if let Some(value) = text("birth_date") {
                id.birth_date = Some(value);
            }
            request.profile = profile;
            request.registration_authority = ra;
            store.invalidate_contract(pk).map_err(ApiError::storage)
        })
        .await
    }

    /// `DELETE request/{pk}`: removes the request's files; the record stays as CANCELLED.
    pub async fn cancel_request(&self, pk: u64) -> ApiResult<()> {
        let dir = self.store.request_dir(pk);
        self.write(|tx| {
            let request = tx
                .state
                .requests
                .get_mut(&pk)
                .filter(|r| !r.removed)
                .ok_or_else(|| ApiError::not_found(format!("Request {pk} not found")))?;
            if request.status == Status::Issued {
                return Err(ApiError::precondition("Request already in ISSUED status"));
            }
            if request.signing {
                return Err(ApiError::precondition("Request is being signed"));
            }
            request.removed = true;
            request.documents.clear();
            request.otp = None;
            if dir.exists() {
                std::fs::remove_dir_all(&dir).map_err(ApiError::storage)?;
            }
            tx.set_status(pk, Status::Cancelled, Some("REQUEST_CANCELED"));
            Ok(())
        })
        .await
    }

    /// `GET async/status/{pk}` (legacy): a short lowercase word.
    pub async fn async_status(&self, pk: u64) -> ApiResult<String> {
        let request = self.get_request(pk).await.map_err(|_| {
            ApiError::not_found(format!(
                "Request {pk} not found. Make sure the upload directory is correct"
            ))
        })?;
        if !request.async_mode {
            return Ok("Unknown status: the request was not created in asynchronous mode".into());
        }
        Ok(match request.status {
            _ if request.signing => "signing",
            Status::Created => "created",
            Status::EnrollReady => "approved",
            Status::Issued => "signed",
            Status::Cancelled => "cancelled",
            Status::VideoPending
            | Status::VideoReview
            | Status::VideoIncomplete
            | Status::VideoError => "pending",
        }
        .to_string())
    }

    /// Looks a live (not cancelled-and-removed) request up with a call-specific 404 text.
    pub async fn live_request(
        &self,
        pk: u64,
        not_found: impl FnOnce() -> ApiError,
    ) -> ApiResult<Request> {
        self.read(|state| {
            state
                .requests
                .get(&pk)
                .filter(|r| !r.removed)
                .cloned()
                .ok_or_else(not_found)
        })
        .await
    }
}

/// Callback URLs must be absolute http(s) URLs.
pub fn check_callback(url: &str) -> ApiResult<String> {
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(url.to_string()),
        _ => Err(invalid_field("callback")),
    }
}
