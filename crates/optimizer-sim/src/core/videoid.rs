//! VideoID (API.md §D.5, §D.6): create, the customer's side of an eIDAS identification,
//! external evidences and video, RAO approve / refuse.

use super::Core;
use super::credentials::{self, APPROVE_TEXTS, CredentialInput};
use super::documents::Download;
use super::error::{ApiError, ApiResult};
use super::form::Form;
use super::model::{Identity, Request, Status, StatusChange, VideoId};
use super::requests::{check_callback, check_country, check_email, check_phone};
use super::time;
use super::tokens::resolve_env;
use super::validate;
use crate::config::VideoIdMode;
use base64::Engine;
use serde_json::Value;
use std::collections::BTreeMap;

/// First VideoID pk handed out by a fresh simulator.
const FIRST_VIDEOID_PK: u64 = 101;
/// Evidence images an external identification provides.
const EVIDENCE_IMAGES: &[&str] = &[
    "document_front",
    "document_rear",
    "document_photo",
    "document_owner",
];

/// What create returns.
#[derive(Clone, Debug)]
pub struct VideoIdCreated {
    /// VideoID pk.
    pub videoid_pk: u64,
    /// Request pk.
    pub request_pk: u64,
    /// Token of the identification page (eIDAS mode only).
    pub link_token: Option<String>,
}

/// How the customer's identification ended (`/_sim/videoid/{pk}/...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerOutcome {
    /// Identification done → VIDEOREVIEW.
    Complete,
    /// Left half-way → VIDEOINCOMPLETE.
    Incomplete,
    /// Failed → VIDEOERROR.
    Fail,
}

fn text(body: &Value, key: &str) -> Option<String> {
    match body.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn bad(text: impl Into<String>) -> ApiError {
    ApiError::bad_request(text)
}

/// The identity a customer page "completion" yields when it sends none.
fn default_customer(email: &str, phone: &str) -> Identity {
    Identity {
        given_name: "Video".into(),
        surname_1: "Customer".into(),
        surname_2: None,
        id_document_type: "IDC".into(),
        id_document_country: "ES".into(),
        serial_number: "99999999R".into(),
        email: email.into(),
        mobile_phone_number: phone.into(),
        birth_date: None,
    }
}

/// Fills identity fields from OCR-style data; `given_name`, `surname_1`, `serial_number` required.
fn apply_ocr(identity: &mut Identity, ocr: &Value, prefix: &str) -> ApiResult<()> {
    if !ocr.is_object() {
        return Err(bad(format!("Missing required parameters: {prefix}")));
    }
    for key in ["given_name", "surname_1", "serial_number"] {
        if text(ocr, key).is_none() {
            return Err(bad(format!("Missing required parameters: {prefix}.{key}")));
        }
    }
    let id_type = text(ocr, "id_document_type")
        .unwrap_or_else(|| "IDC".into())
        .to_uppercase();
    if !validate::OCR_ID_DOCUMENT_TYPES.contains(&id_type.as_str()) {
        return Err(bad(format!(
            "Invalid {prefix}.id_document_type {id_type}. Valid options are IDC, PAS, PNO, TIN"
        )));
    }
    let country = check_country(text(ocr, "id_document_country").as_deref())?;
    identity.given_name = text(ocr, "given_name").unwrap_or_default();
    identity.surname_1 = text(ocr, "surname_1").unwrap_or_default();
    identity.surname_2 = text(ocr, "surname_2");
    identity.serial_number = text(ocr, "serial_number").unwrap_or_default();
    identity.id_document_type = id_type;
    identity.id_document_country = country;
    Ok(())
}

/// Validates the evidences JSON; returns (all images present, failure reason).
fn check_evidences(body: &Value, min_similarity: u8) -> ApiResult<(bool, Option<String>)> {
    let acceptance = body.get("acceptance");
    let data = body.get("videoid_data");
    if !acceptance.is_some_and(Value::is_object) || !data.is_some_and(Value::is_object) {
        return Err(bad("Missing required parameters: acceptance, videoid_data"));
    }
    let data = data.unwrap_or(&Value::Null);
    let images = data.get("images").unwrap_or(&Value::Null);
    if !(images.is_object() || images.is_null()) {
        return Err(bad("Invalid videoid_data.images: must be an object"));
    }
    let mut complete = true;
    for key in EVIDENCE_IMAGES {
        match images.get(key) {
            None | Some(Value::Null) => complete = false,
            Some(Value::String(b64)) if !b64.is_empty() => {
                let compact: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
                if base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .is_err()
                {
                    return Err(bad(format!(
                        "Invalid videoid_data.images.{key}: not base64"
                    )));
                }
            }
            Some(_) => {
                return Err(bad(format!(
                    "Invalid videoid_data.images.{key}: not base64"
                )));
            }
        }
    }
    let mut failure = None;
    match data.get("security_checks") {
        None | Some(Value::Null) => {}
        Some(Value::Object(checks)) => {
            for (name, value) in checks {
                match value {
                    Value::Bool(true) => {}
                    Value::Bool(false) => failure = Some(format!("security check {name} failed")),
                    _ => {
                        return Err(bad(format!(
                            "Invalid videoid_data.security_checks.{name}: must be a boolean"
                        )));
                    }
                }
            }
        }
        Some(_) => {
            return Err(bad(
                "Invalid videoid_data.security_checks: must be an object",
            ));
        }
    }
    match data.get("similarity_level") {
        None | Some(Value::Null) => {}
        Some(value) => {
            let level = match value {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse::<u64>().ok(),
                _ => None,
            }
            .filter(|l| *l <= 100)
            .ok_or_else(|| {
                bad("Invalid videoid_data.similarity_level: must be an integer between 0 and 100")
            })?;
            if level < u64::from(min_similarity) && failure.is_none() {
                failure = Some(format!("similarity level {level} below {min_similarity}"));
            }
        }
    }
    Ok((complete, failure))
}

fn video_status(v: &VideoId) -> Status {
    if v.evidences_failure.is_some() {
        Status::VideoError
    } else if v.has_evidences && v.evidences_complete && v.has_video {
        Status::VideoReview
    } else {
        Status::VideoIncomplete
    }
}

const OPEN_STATUSES: &[Status] = &[
    Status::VideoPending,
    Status::VideoIncomplete,
    Status::VideoError,
];

impl Core {
    /// `POST videoid`: a request in VIDEOPENDING.
    pub async fn create_videoid(&self, body: &Value) -> ApiResult<VideoIdCreated> {
        if !body.is_object() {
            return Err(bad("Missing required parameters"));
        }
        let settings = self.settings();
        if text(body, "mobile_phone_number").is_none() || text(body, "email").is_none() {
            return Err(bad("Missing required parameters"));
        }
        let phone = check_phone(text(body, "mobile_phone_number").as_deref())?;
        let email = check_email(text(body, "email").as_deref(), true)?;
        let ra = text(body, "registration_authority")
            .or(settings.default_ra.clone())
            .ok_or_else(|| bad("Missing required parameters"))?;
        if !ra.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::not_found("Registration Authority not found"));
        }
        let mode = self
            .config
            .videoid_ras
            .iter()
            .find(|(id, _)| *id == ra)
            .map(|(_, mode)| *mode)
            .ok_or_else(|| {
                bad(format!(
                    "Videoid not enabled for Registration Authority {ra}"
                ))
            })?;
        let profile = text(body, "profile")
            .or(settings.default_profile.clone())
            .ok_or_else(|| bad("Missing required parameters"))?;
        if !validate::PROFILES.contains(&profile.as_str()) {
            return Err(ApiError::forbidden(
                r#"Error creating new videoid request: {"detail":"You do not have permission to perform this action."}"#,
            ));
        }
        let env = resolve_env(
            text(body, "env").as_deref(),
            settings.env,
            &self.config.available_envs,
        )?;
        self.check_billing(
            text(body, "billing_username").as_deref(),
            text(body, "billing_password").as_deref(),
        )?;
        let callback = match text(body, "webhook_url") {
            Some(url) => Some(check_callback(&url).map_err(|_| bad("Invalid webhook_url"))?),
            None => None,
        };
        let rao = self
            .config
            .raos
            .first()
            .ok_or_else(|| ApiError::internal("No RAO configured"))?;
        let scratchcard = self.new_digits(7);
        let link_token = self.new_hex_id();
        self.write(|tx| {
            let pk = Core::allocate_pk(tx.state);
            let vpk = tx.state.next_videoid_pk.max(FIRST_VIDEOID_PK);
            tx.state.next_videoid_pk = vpk + 1;
            let now = time::rfc3339(time::now());
            let identity = Identity {
                id_document_type: "IDC".into(),
                id_document_country: "ES".into(),
                email,
                mobile_phone_number: phone,
                ..Identity::default()
            };
            tx.state.requests.insert(
                pk,
                Request {
                    pk,
                    status: Status::VideoPending,
                    identity,
                    profile,
                    registration_authority: ra,
                    env,
                    communication_language: None,
                    extra_fields: BTreeMap::new(),
                    scratchcard,
                    rao_username: rao.username.clone(),
                    rao_id: rao.rao_id,
                    async_mode: false,
                    callback,
                    videoid: Some(VideoId {
                        pk: vpk,
                        mode,
                        link_token: link_token.clone(),
                        has_evidences: false,
                        evidences_complete: false,
                        evidences_failure: None,
                        has_video: false,
                        video_content_type: None,
                        refuse_reason: None,
                    }),
                    id_images: BTreeMap::new(),
                    documents: Vec::new(),
                    otp: None,
                    certificate: None,
                    contract_signed: false,
                    signing: false,
                    sign_error: None,
                    created_at: now.clone(),
                    history: vec![StatusChange {
                        from: None,
                        to: Status::VideoPending,
                        at: now,
                    }],
                    removed: false,
                },
            );
            tx.created(pk, Status::VideoPending);
            Ok(VideoIdCreated {
                videoid_pk: vpk,
                request_pk: pk,
                link_token: (mode == VideoIdMode::Eidas).then_some(link_token),
            })
        })
        .await
    }

    /// The request pk of VideoID `vpk` (current-layout paths use VideoID pks).
    pub async fn request_of_videoid(&self, vpk: u64) -> ApiResult<u64> {
        self.read(|state| {
            state
                .requests
                .values()
                .find(|r| r.videoid.as_ref().is_some_and(|v| v.pk == vpk))
                .map(|r| r.pk)
                .ok_or_else(|| ApiError::not_found("Request not found"))
        })
        .await
    }

    /// The request whose identification page has `token`.
    pub async fn request_of_link(&self, token: &str) -> Option<Request> {
        self.read(|state| {
            Ok(state
                .requests
                .values()
                .find(|r| {
                    r.videoid
                        .as_ref()
                        .is_some_and(|v| v.link_token == token && v.mode == VideoIdMode::Eidas)
                })
                .cloned())
        })
        .await
        .ok()
        .flatten()
    }

    fn videoid_request(state: &mut super::model::State, pk: u64) -> ApiResult<&mut Request> {
        state
            .requests
            .get_mut(&pk)
            .filter(|r| r.videoid.is_some() && !r.removed)
            .ok_or_else(|| ApiError::not_found("Request not found"))
    }

    /// `POST videoid/{pk}/evidences`.
    pub async fn upload_evidences(&self, pk: u64, body: &Value) -> ApiResult<()> {
        let (complete, failure) = check_evidences(body, self.config.videoid_min_similarity)?;
        let ocr = body
            .get("videoid_data")
            .and_then(|d| d.get("ocr_data"))
            .cloned()
            .unwrap_or(Value::Null);
        let path = self.store.request_dir(pk).join("evidences.json");
        self.write(|tx| {
            let request = Core::videoid_request(tx.state, pk)?;
            if !OPEN_STATUSES.contains(&request.status) {
                return Err(ApiError::precondition("Invalid request status"));
            }
            apply_ocr(&mut request.identity, &ocr, "videoid_data.ocr_data")?;
            self.store
                .invalidate_contract(pk)
                .map_err(ApiError::storage)?;
            let bytes = serde_json::to_vec(body).map_err(ApiError::storage)?;
            super::store::write_atomically(&path, &bytes).map_err(ApiError::storage)?;
            let video = request
                .videoid
                .as_mut()
                .ok_or_else(|| ApiError::not_found("Request not found"))?;
            video.has_evidences = true;
            video.evidences_complete = complete;
            video.evidences_failure = failure;
            let next = video_status(video);
            if next != request.status {
                tx.set_status(pk, next, None);
            }
            Ok(())
        })
        .await
    }

    /// `POST videoid/{pk}/video` (multipart `video`).
    pub async fn upload_video(&self, pk: u64, mut form: Form) -> ApiResult<()> {
        let part = form
            .take_file("video")
            .filter(|p| p.file.size > 0)
            .ok_or_else(|| bad("Missing required parameter: 'video'"))?;
        let dest = self.store.video(pk);
        self.write(|tx| {
            let request = Core::videoid_request(tx.state, pk)?;
            if !OPEN_STATUSES.contains(&request.status) {
                return Err(ApiError::precondition("Invalid request status"));
            }
            let content_type = part
                .content_type
                .clone()
                .unwrap_or_else(|| "video/mp4".into());
            part.file.keep_at(&dest).map_err(ApiError::storage)?;
            let video = request
                .videoid
                .as_mut()
                .ok_or_else(|| ApiError::not_found("Request not found"))?;
            video.has_video = true;
            video.video_content_type = Some(content_type);
            let next = video_status(video);
            if next != request.status {
                tx.set_status(pk, next, None);
            }
            Ok(())
        })
        .await
    }

    /// `GET videoid/{pk}/video`.
    pub async fn video_download(&self, pk: u64) -> ApiResult<Download> {
        let request = self
            .live_request(pk, || ApiError::not_found("Request not found"))
            .await?;
        match request.videoid {
            Some(v) if v.has_video => Ok(Download {
                path: self.store.video(pk),
                content_type: "video/mp4",
                filename: format!("videoid-{}.mp4", v.pk),
            }),
            _ => Err(ApiError::not_found("Request not found")),
        }
    }

    fn check_rao(&self, state: &super::model::State, body: &Value) -> ApiResult<()> {
        let input = CredentialInput::from_json(body);
        let account = credentials::resolve(&self.config.raos, state, &input, APPROVE_TEXTS)?;
        let rao = text(body, "rao").or_else(|| text(body, "rao_id"));
        if rao.is_some_and(|id| id != account.rao_id.to_string()) {
            return Err(ApiError::forbidden(APPROVE_TEXTS.invalid));
        }
        Ok(())
    }

    /// Approve (1-step: validate + approve): VIDEOREVIEW → ENROLLREADY.
    pub async fn approve(&self, pk: u64, body: &Value) -> ApiResult<()> {
        self.write(|tx| {
            let status = Core::videoid_request(tx.state, pk)?.status;
            self.check_rao(tx.state, body)?;
            if status != Status::VideoReview {
                return Err(ApiError::precondition(format!(
                    "Request in {} status cannot be approved",
                    status.as_str()
                )));
            }
            tx.set_status(pk, Status::EnrollReady, None);
            Ok(())
        })
        .await
    }

    /// Refuse (needs a reason): → CANCELLED.
    pub async fn refuse(&self, pk: u64, body: &Value) -> ApiResult<()> {
        self.write(|tx| {
            let status = Core::videoid_request(tx.state, pk)?.status;
            self.check_rao(tx.state, body)?;
            let reason = text(body, "reason").ok_or_else(|| bad("No reason specified"))?;
            if !matches!(
                status,
                Status::VideoPending
                    | Status::VideoReview
                    | Status::VideoIncomplete
                    | Status::VideoError
            ) {
                return Err(ApiError::precondition(format!(
                    "Request in {} status cannot be refused",
                    status.as_str()
                )));
            }
            if let Some(video) = Core::videoid_request(tx.state, pk)?.videoid.as_mut() {
                video.refuse_reason = Some(reason);
            }
            tx.set_status(pk, Status::Cancelled, Some("VIDEOID_REFUSED"));
            Ok(())
        })
        .await
    }

    /// The customer's side of an eIDAS identification. `identity` may carry OCR-style fields.
    pub async fn customer_videoid(
        &self,
        pk: u64,
        outcome: CustomerOutcome,
        identity: &Value,
    ) -> ApiResult<Status> {
        self.write(|tx| {
            let request = Core::videoid_request(tx.state, pk)?;
            if !OPEN_STATUSES.contains(&request.status) {
                return Err(ApiError::precondition(format!(
                    "The identification of request {pk} is closed ({})",
                    request.status.as_str()
                )));
            }
            let next = match outcome {
                CustomerOutcome::Complete => {
                    if identity.as_object().is_some_and(|o| !o.is_empty()) {
                        apply_ocr(&mut request.identity, identity, "identity")?;
                    } else {
                        let id = &request.identity;
                        let mut fresh = default_customer(&id.email, &id.mobile_phone_number);
                        std::mem::swap(&mut request.identity, &mut fresh);
                    }
                    self.store
                        .invalidate_contract(pk)
                        .map_err(ApiError::storage)?;
                    Status::VideoReview
                }
                CustomerOutcome::Incomplete => Status::VideoIncomplete,
                CustomerOutcome::Fail => Status::VideoError,
            };
            if next != request.status {
                tx.set_status(pk, next, None);
            }
            Ok(next)
        })
        .await
    }
}
