//! Sign (API.md §F): checks the OTP or external authentication, issues the one-use certificate,
//! signs every document and the contract, ENROLLREADY → ISSUED. In async mode the checks run in
//! the call and the signing in the background.

use super::Core;
use super::error::{ApiError, ApiResult};
use super::model::{DocumentKind, Request, Status};
use super::time;
use crate::config::ExtUnlockPolicy;
use crate::signing::{Appearance, Signer};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use sim_signer::SignerError;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

/// A visible-signature request for one document, as sent.
#[derive(Clone, Debug, Default)]
pub struct AppearanceSpec {
    /// `"x1,y1,x2,y2"`.
    pub position: Option<String>,
    /// 0-based page (integer or numeric string).
    pub page: Option<Value>,
    /// Image uid.
    pub image: Option<String>,
}

/// Text of the signature box.
#[derive(Clone, Debug)]
pub struct TextFormat {
    /// Lines with `%(CN)s`-style variables.
    pub lines: Vec<String>,
    /// strftime pattern for `%(DATE)s`.
    pub date_format: Option<String>,
    /// tz database zone for `%(DATE)s`.
    pub timezone: Option<String>,
}

impl Default for TextFormat {
    fn default() -> Self {
        Self {
            lines: vec!["%(CN)s".into(), "%(DATE)s".into()],
            date_format: None,
            timezone: None,
        }
    }
}

/// An image sent inline (base64 PNG, optionally as a `data:` URL) instead of an uploaded image's
/// uid — the newer docs say the appearance image may be "base64 or reference".
fn inline_png(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let b64 = text.rsplit_once("base64,").map_or(text, |(_, data)| data);
    let compact: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    super::images::png_size(&bytes).map(|_| bytes)
}

/// Which documents get a visible signature.
#[derive(Clone, Debug, Default)]
pub enum AppearancePlan {
    /// Invisible signatures only.
    #[default]
    None,
    /// Current layout: one appearance for every PDF of the request.
    Every(AppearanceSpec),
    /// Legacy layout: per document uid (`options`).
    PerDocument(BTreeMap<String, AppearanceSpec>),
}

/// A parsed sign body.
#[derive(Default)]
pub struct SignInput {
    /// OTP or customer code.
    pub secret: Option<SecretString>,
    /// External authentication method.
    pub ext_unlock_type: Option<String>,
    /// External authentication transaction id.
    pub ext_unlock_value: Option<String>,
    /// Visible signatures.
    pub appearance: AppearancePlan,
    /// Text in the boxes (`None` = no text, `use_signature_text: false`).
    pub text: Option<TextFormat>,
    /// `/Reason` of the signatures (default "One-Shot signature").
    pub reason: Option<String>,
    /// `/Location` of the signatures.
    pub location: Option<String>,
}

/// How the call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignOutcome {
    /// Everything is signed.
    Signed,
    /// Async mode: signing continues in the background.
    Started,
}

/// One unit of signing work, decided before any signature is made.
struct Job {
    uid: String,
    reason: String,
    location: Option<String>,
    kind: DocumentKind,
    input: PathBuf,
    output: PathBuf,
    appearance: Option<Appearance>,
}

fn per_doc(status: axum::http::StatusCode, map: BTreeMap<String, String>) -> ApiError {
    ApiError::object(
        status,
        Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect::<Map<_, _>>(),
        ),
    )
}

fn parse_position(text: &str) -> Option<[f32; 4]> {
    let numbers: Vec<f32> = text
        .split(',')
        .map(|p| p.trim().parse::<f32>())
        .collect::<Result<_, _>>()
        .ok()?;
    let rect: [f32; 4] = numbers.try_into().ok()?;
    (rect.iter().all(|v| v.is_finite()) && rect[2] > rect[0] && rect[3] > rect[1]).then_some(rect)
}

fn parse_page(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Expands `%(CN)s`, `%(SUBJECT)s`, `%(DATE)s`, `%(E)s`, `%(EMAIL)s`, `%(L)s`,
/// `%(SERIALNUMBER)s` (the `s` suffix is optional, as GH2 writes `%(CN)`).
fn expand(line: &str, vars: &[(&str, String)]) -> String {
    let mut out = line.to_string();
    for (name, value) in vars {
        out = out
            .replace(&format!("%({name})s"), value)
            .replace(&format!("%({name})"), value);
    }
    out
}

fn signer_error(uid: &str, err: &SignerError) -> ApiError {
    let mut map = BTreeMap::new();
    map.insert(
        uid.to_string(),
        format!("Document {uid} cannot be signed: {err}"),
    );
    match err {
        SignerError::Encrypted
        | SignerError::Malformed(_)
        | SignerError::UnsupportedPdf(_)
        | SignerError::InvalidHashFile(_) => {
            per_doc(axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE, map)
        }
        SignerError::InvalidAppearance(_) => per_doc(axum::http::StatusCode::BAD_REQUEST, map),
        _ => ApiError::internal(format!("Error occured during signature: {err}")),
    }
}

impl Core {
    fn authorised(&self, request: &Request, input: &SignInput) -> ApiResult<()> {
        let ext = input
            .ext_unlock_type
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty())
            && input
                .ext_unlock_value
                .as_deref()
                .is_some_and(|v| !v.trim().is_empty());
        if ext && self.config.ext_unlock == ExtUnlockPolicy::AcceptAny {
            return Ok(());
        }
        let secret = input
            .secret
            .as_ref()
            .ok_or_else(|| ApiError::bad_request("Missing required parameter: 'secret'"))?;
        let ttl_ms = i64::try_from(self.config.otp_ttl.as_millis()).unwrap_or(i64::MAX);
        let valid = request.otp.as_ref().is_some_and(|otp| {
            otp.code == secret.expose_secret().trim() && time::now_ms() - otp.sent_at_ms <= ttl_ms
        });
        if valid {
            Ok(())
        } else {
            Err(ApiError::forbidden("Confirmation Code invalid"))
        }
    }

    /// Decides every signature (appearance, text, image) before anything is signed.
    async fn plan_jobs(
        &self,
        request: &Request,
        input: &SignInput,
        now: SystemTime,
    ) -> ApiResult<Vec<Job>> {
        let pk = request.pk;
        if let AppearancePlan::PerDocument(map) = &input.appearance {
            let missing: Vec<&str> = map
                .keys()
                .filter(|uid| request.document(uid).is_none())
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                return Err(ApiError::not_found(format!(
                    "The following documents are not found in Request's folders: {}",
                    missing.join(", ")
                )));
            }
        }
        let ts = jiff::Timestamp::try_from(now).unwrap_or_else(|_| time::now());
        let vars = |text: &TextFormat| -> Vec<(&'static str, String)> {
            let id = &request.identity;
            let date = time::format_in_zone(
                ts,
                text.date_format.as_deref().unwrap_or("%d/%m/%Y %H:%M:%S"),
                text.timezone.as_deref(),
            );
            let cn = request.common_name();
            vec![
                ("CN", cn.clone()),
                (
                    "SUBJECT",
                    format!(
                        "CN={cn}, SERIALNUMBER=IDC{}-{}, C={}",
                        id.id_document_country, id.serial_number, id.id_document_country
                    ),
                ),
                ("DATE", date),
                ("EMAIL", id.email.clone()),
                ("E", id.email.clone()),
                ("L", id.id_document_country.clone()),
                ("SERIALNUMBER", id.serial_number.clone()),
            ]
        };
        let mut missing_params = BTreeMap::new();
        let mut missing_images = BTreeMap::new();
        let mut jobs = Vec::new();
        for doc in request.documents.iter().filter(|d| d.has_original) {
            let spec = match (&input.appearance, doc.kind) {
                (_, DocumentKind::Hash) | (AppearancePlan::None, _) => None,
                (AppearancePlan::Every(spec), _) => Some(spec),
                (AppearancePlan::PerDocument(map), _) => map.get(&doc.uid),
            };
            let appearance = match spec {
                None => None,
                Some(spec) => {
                    let uid = &doc.uid;
                    let Some(position) = spec.position.as_deref().filter(|p| !p.trim().is_empty())
                    else {
                        missing_params.insert(
                            uid.clone(),
                            format!("Missing required parameter 'position' for file {uid}"),
                        );
                        continue;
                    };
                    let Some(rect) = parse_position(position) else {
                        missing_params.insert(
                            uid.clone(),
                            format!("Invalid parameter 'position' for file {uid}"),
                        );
                        continue;
                    };
                    let page = match (&spec.page, &input.appearance) {
                        (Some(value), _) => match parse_page(value) {
                            Some(page) => page,
                            None => {
                                missing_params.insert(
                                    uid.clone(),
                                    format!("Invalid parameter 'page' for file {uid}"),
                                );
                                continue;
                            }
                        },
                        // The current appearance defaults to the first page [inferred].
                        (None, AppearancePlan::Every(_)) => 0,
                        (None, _) => {
                            missing_params.insert(
                                uid.clone(),
                                format!("Missing required parameter 'page' for file {uid}"),
                            );
                            continue;
                        }
                    };
                    let image_png = match spec.image.as_deref().filter(|i| !i.trim().is_empty()) {
                        None => None,
                        Some(image) => {
                            match self.image_bytes(image).await.or_else(|| inline_png(image)) {
                                Some(bytes) => Some(bytes),
                                None => {
                                    let shown: String = image.chars().take(64).collect();
                                    missing_images.insert(
                                        uid.clone(),
                                        format!("The image {shown} cannot be found on disk"),
                                    );
                                    continue;
                                }
                            }
                        }
                    };
                    let text_lines = input
                        .text
                        .as_ref()
                        .map(|t| {
                            let vars = vars(t);
                            t.lines.iter().map(|l| expand(l, &vars)).collect()
                        })
                        .unwrap_or_default();
                    Some(Appearance {
                        page,
                        rect,
                        text_lines,
                        image_png,
                    })
                }
            };
            jobs.push(Job {
                uid: doc.uid.clone(),
                reason: input
                    .reason
                    .clone()
                    .unwrap_or_else(|| "One-Shot signature".into()),
                location: input.location.clone(),
                kind: doc.kind,
                input: self.store.original(pk, &doc.uid),
                output: self
                    .store
                    .root()
                    .join("staging")
                    .join(format!("signed-{pk}-{}", doc.uid)),
                appearance,
            });
        }
        if !missing_params.is_empty() {
            return Err(per_doc(axum::http::StatusCode::BAD_REQUEST, missing_params));
        }
        if !missing_images.is_empty() {
            return Err(per_doc(axum::http::StatusCode::NOT_FOUND, missing_images));
        }
        Ok(jobs)
    }

    /// `POST sign/{pk}`.
    pub async fn sign(self: &Arc<Self>, pk: u64, input: SignInput) -> ApiResult<SignOutcome> {
        let request = self
            .live_request(pk, || {
                ApiError::not_found(format!("Request {pk} not found. Cannot sign documents"))
            })
            .await?;
        let ext = input.ext_unlock_type.is_some() && input.ext_unlock_value.is_some();
        if input.secret.is_none() && !(ext && self.config.ext_unlock == ExtUnlockPolicy::AcceptAny)
        {
            return Err(ApiError::bad_request(
                "Missing required parameter: 'secret'",
            ));
        }
        check_signable(&request)?;
        let now = SystemTime::now();
        let jobs = self.plan_jobs(&request, &input, now).await?;
        self.authorised(&request, &input)?;
        // Claim the request so a second sign (or an OTP) waits for this one.
        let request = self
            .write(|tx| {
                let r = tx
                    .state
                    .requests
                    .get_mut(&pk)
                    .filter(|r| !r.removed)
                    .ok_or_else(|| {
                        ApiError::not_found(format!(
                            "Request {pk} not found. Cannot sign documents"
                        ))
                    })?;
                check_signable(r)?;
                r.signing = true;
                r.sign_error = None;
                Ok(r.clone())
            })
            .await?;
        if request.async_mode {
            let core = Arc::clone(self);
            tokio::spawn(async move {
                if let Err(err) = core.perform_sign(request, jobs, now).await {
                    tracing::warn!(pk, "background signing failed: {}", err.text());
                }
            });
            return Ok(SignOutcome::Started);
        }
        self.perform_sign(request, jobs, now).await?;
        Ok(SignOutcome::Signed)
    }

    async fn perform_sign(
        self: &Arc<Self>,
        request: Request,
        jobs: Vec<Job>,
        now: SystemTime,
    ) -> ApiResult<()> {
        let pk = request.pk;
        let core = Arc::clone(self);
        let result = tokio::task::spawn_blocking(move || {
            core.sign_all(&request, &jobs, now).map(|s| (s, jobs))
        })
        .await
        .unwrap_or_else(|e| {
            Err(ApiError::internal(format!(
                "Error occured during signature: {e}"
            )))
        });
        match result {
            Ok((signer, jobs)) => {
                let store = &self.store;
                self.write(|tx| {
                    let r = tx
                        .state
                        .requests
                        .get_mut(&pk)
                        .ok_or_else(|| ApiError::not_found("Request not found"))?;
                    for job in &jobs {
                        let size = std::fs::metadata(&job.output)
                            .map_err(ApiError::storage)?
                            .len();
                        std::fs::create_dir_all(store.request_dir(pk).join("signed"))
                            .map_err(ApiError::storage)?;
                        std::fs::rename(&job.output, store.signed(pk, &job.uid))
                            .map_err(ApiError::storage)?;
                        if let Some(doc) = r.documents.iter_mut().find(|d| d.uid == job.uid) {
                            doc.signed_size = Some(size);
                        }
                    }
                    std::fs::rename(contract_staging(store, pk), store.contract(pk, true))
                        .map_err(ApiError::storage)?;
                    r.contract_signed = true;
                    r.certificate = Some(signer.certificate.clone());
                    r.otp = None;
                    r.signing = false;
                    tx.set_status(pk, Status::Issued, None);
                    Ok(())
                })
                .await
            }
            Err(err) => {
                let text = err.text();
                let _ = self
                    .write(|tx| {
                        if let Some(r) = tx.state.requests.get_mut(&pk) {
                            r.signing = false;
                            r.sign_error = Some(text.clone());
                        }
                        Ok(())
                    })
                    .await;
                Err(err)
            }
        }
    }

    /// The CPU work: certificate, every document, the contract. Outputs go to staging; nothing
    /// is visible until all succeeded.
    fn sign_all(&self, request: &Request, jobs: &[Job], now: SystemTime) -> ApiResult<Signer> {
        let pk = request.pk;
        let signer = self.signing.issue(request).map_err(|e| {
            ApiError::internal(format!("Error occured during certificate issuance: {e}"))
        })?;
        let cleanup = |jobs: &[Job]| {
            for job in jobs {
                let _ = std::fs::remove_file(&job.output);
            }
        };
        for job in jobs {
            let result = match job.kind {
                DocumentKind::Pdf => self
                    .signing
                    .sign_pdf(
                        &signer,
                        &job.input,
                        &job.output,
                        job.appearance.clone(),
                        (&job.reason, job.location.as_deref()),
                        now,
                    )
                    .map(|_| ()),
                DocumentKind::Hash => std::fs::read(&job.input)
                    .map_err(SignerError::Io)
                    .and_then(|json| self.signing.sign_hash(&signer, &json))
                    .and_then(|p7m| std::fs::write(&job.output, p7m).map_err(SignerError::Io)),
            };
            if let Err(err) = result {
                cleanup(jobs);
                return Err(signer_error(&job.uid, &err));
            }
        }
        let contract = self.store.contract(pk, false);
        if !contract.exists() {
            let bytes = self
                .signing
                .contract(request)
                .map_err(|e| ApiError::internal(e.to_string()))?;
            super::store::write_atomically(&contract, &bytes).map_err(ApiError::storage)?;
        }
        if let Err(err) = self.signing.sign_pdf(
            &signer,
            &contract,
            &contract_staging(&self.store, pk),
            None,
            ("Service contract acceptance", None),
            now,
        ) {
            cleanup(jobs);
            return Err(ApiError::internal(format!(
                "Error occured during contract signature: {err}"
            )));
        }
        Ok(signer)
    }

    /// Bytes of an uploaded image.
    pub async fn image_bytes(&self, uid: &str) -> Option<Vec<u8>> {
        let exists = self
            .read(|state| Ok(state.images.contains_key(uid)))
            .await
            .unwrap_or(false);
        if !exists {
            return None;
        }
        tokio::fs::read(self.store.image(uid)).await.ok()
    }
}

fn contract_staging(store: &super::store::Store, pk: u64) -> PathBuf {
    store
        .root()
        .join("staging")
        .join(format!("contract-signed-{pk}"))
}

fn check_signable(request: &Request) -> ApiResult<()> {
    match request.status {
        _ if request.signing => Err(ApiError::precondition("Request is already being signed")),
        Status::EnrollReady => Ok(()),
        Status::Issued => Err(ApiError::precondition("Request already in ISSUED status")),
        other => Err(ApiError::precondition(format!(
            "Request in {} status. Cannot sign documents",
            other.as_str()
        ))),
    }
}
