//! VideoID: create, evidences and video upload (external mode), approve, refuse, download the
//! video. Current Optimizers address a process by `videoid_pk`, legacy ones by `request_pk`,
//! so calls take a [`VideoIdRef`] holding both.

use crate::client::Client;
use crate::documents::to_path;
use crate::error::{Error, ErrorCode, Result};
use crate::flex;
use crate::layout::{OpKind, RouteArgs};
use crate::redact::Redactor;
use crate::transfer::{Downloaded, PreparedFile, TransferControl, UploadCounter, mime_for};
use crate::transport::OutBody;
use crate::types::{BillingCredentials, Environment, FileInput, RaoAuth, RequestPk, VideoIdPk};
use reqwest::multipart::Form;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::fmt;
use std::path::Path;
use tokio::io::AsyncWrite;
use url::Url;

/// Both ids of a VideoID process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VideoIdRef {
    /// `videoid_pk` (current layout's key).
    pub videoid_pk: VideoIdPk,
    /// `request_pk` (legacy layout's key; also the request for documents, OTP and sign).
    pub request_pk: RequestPk,
}

/// Input of [`Client::create_videoid`].
#[derive(Debug, Clone, Default)]
pub struct CreateVideoId {
    /// Customer's mobile with international prefix.
    pub mobile_phone_number: String,
    /// Customer's email.
    pub email: String,
    /// Registration authority id, unless configured on the Optimizer.
    pub registration_authority: Option<String>,
    /// Certificate profile, unless configured.
    pub profile: Option<String>,
    /// Billing account, unless configured.
    pub billing: Option<BillingCredentials>,
    /// Environment, unless configured.
    pub env: Option<Environment>,
    /// Legacy only (testing): where status changes are POSTed.
    pub webhook_url: Option<Url>,
    /// `videoid_mode` sent by the guides (e.g. `1`); undocumented in the schemas.
    pub videoid_mode: Option<u8>,
}

/// Answer of [`Client::create_videoid`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoIdCreated {
    /// The ids.
    pub ids: VideoIdRef,
    /// Where the customer does the video session; `None` in external mode (empty string).
    pub link: Option<String>,
}

/// Evidences of an external VideoID (API.md §D.6). `acceptance` and the parts of
/// `videoid_data` are customizable; unknown keys go in the `extra` maps.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VideoIdEvidences {
    /// Terms acceptance record.
    pub acceptance: Acceptance,
    /// Identification data.
    pub videoid_data: VideoIdData,
}

/// Terms acceptance record.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Acceptance {
    /// Accepted text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Privacy policy URL.
    #[serde(
        rename = "url-doc-privacypolicy",
        skip_serializing_if = "Option::is_none"
    )]
    pub privacy_policy_url: Option<String>,
    /// Terms and conditions URL.
    #[serde(
        rename = "url-doc-termsconditions",
        skip_serializing_if = "Option::is_none"
    )]
    pub terms_url: Option<String>,
    /// VideoID web URL.
    #[serde(rename = "url-web-videoid", skip_serializing_if = "Option::is_none")]
    pub videoid_url: Option<String>,
    /// Customer's IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// Customer's user agent.
    #[serde(rename = "user-agent", skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// Acceptance time, epoch milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<i64>,
    /// Further keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Identification data of an external VideoID.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VideoIdData {
    /// Base64 images.
    pub images: EvidenceImages,
    /// Data read from the ID document.
    pub ocr_data: OcrData,
    /// Checks performed.
    pub security_checks: SecurityChecks,
    /// Face similarity 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity_level: Option<u8>,
}

/// Base64-encoded images of the evidences.
#[derive(Clone, Default, Serialize)]
pub struct EvidenceImages {
    /// ID front.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_front: Option<String>,
    /// ID back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_rear: Option<String>,
    /// Face cropped from the ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_photo: Option<String>,
    /// Selfie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_owner: Option<String>,
}

impl EvidenceImages {
    /// Base64 of image bytes, as the evidences want them.
    pub fn encode(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }
}

impl fmt::Debug for EvidenceImages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = |v: &Option<String>| v.as_ref().map(String::len);
        f.debug_struct("EvidenceImages")
            .field("document_front_len", &len(&self.document_front))
            .field("document_rear_len", &len(&self.document_rear))
            .field("document_photo_len", &len(&self.document_photo))
            .field("document_owner_len", &len(&self.document_owner))
            .finish()
    }
}

/// Data read from the ID document (`given_name`, `surname_1`, `serial_number` required).
#[derive(Debug, Clone, Default, Serialize)]
pub struct OcrData {
    /// Given name.
    pub given_name: String,
    /// First surname.
    pub surname_1: String,
    /// Second surname.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname_2: Option<String>,
    /// Mobile number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone_number: Option<String>,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Document number.
    pub serial_number: String,
    /// `IDC`, `PAS`, `PNO`, `TIN`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_document_type: Option<String>,
    /// ISO country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_document_country: Option<String>,
    /// Further keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Checks performed by the external identification.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SecurityChecks {
    /// OTP validated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub otp_validation: Option<bool>,
    /// Documents match registers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents_match: Option<bool>,
    /// Data not corrupted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_integrity: Option<bool>,
    /// Not a copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_notcopy: Option<bool>,
    /// Not expired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_notexpired: Option<bool>,
    /// Not under age.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_notunderage: Option<bool>,
    /// Liveness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liveliness: Option<bool>,
    /// Further keys.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The RAO's decision on a VideoID: approve (`reason: None`) or refuse (`reason` required).
#[derive(Debug, Clone)]
pub struct RaoDecision {
    /// RAO token and/or credentials.
    pub auth: RaoAuth,
    /// RAO id (`rao`), sent as a string.
    pub rao_id: String,
    /// Refusal reason.
    pub reason: Option<String>,
}

impl Client {
    /// `POST /videoid`: starts a VideoID process (status `VIDEOPENDING`).
    pub async fn create_videoid(&self, request: &CreateVideoId) -> Result<VideoIdCreated> {
        let mut redactor = Redactor::new();
        let mut body = Map::new();
        body.insert(
            "mobile_phone_number".into(),
            json!(request.mobile_phone_number),
        );
        body.insert("email".into(), json!(request.email));
        if let Some(ra) = &request.registration_authority {
            body.insert("registration_authority".into(), json!(ra));
        }
        if let Some(profile) = &request.profile {
            body.insert("profile".into(), json!(profile));
        }
        if let Some(billing) = &request.billing {
            billing.remember_secrets(&mut redactor);
            body.insert("billing_username".into(), json!(billing.username));
            body.insert(
                "billing_password".into(),
                json!(billing.encoded_password().expose_secret()),
            );
        }
        if let Some(env) = &request.env {
            body.insert("env".into(), json!(env.as_str()));
        }
        if let Some(url) = &request.webhook_url {
            body.insert("webhook_url".into(), json!(url.as_str()));
        }
        if let Some(mode) = request.videoid_mode {
            body.insert("videoid_mode".into(), json!(mode));
        }
        let answer = self
            .inner
            .call_json(
                OpKind::CreateVideoId,
                RouteArgs::default(),
                OutBody::json(&Value::Object(body))?,
                redactor,
            )
            .await?;
        let key = answer.envelope.payload_key();
        let Value::Object(map) = answer.payload()? else {
            return Err(answer.bad_response("the VideoID answer is not an object", key));
        };
        let number = |k: &str| map.get(k).and_then(flex::u64_from_value);
        let videoid_pk = number("videoid_pk")
            .ok_or_else(|| answer.bad_response("no videoid_pk", &format!("{key}.videoid_pk")))?;
        let request_pk = number("request_pk")
            .ok_or_else(|| answer.bad_response("no request_pk", &format!("{key}.request_pk")))?;
        let link = map
            .get("videoid_link")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned);
        Ok(VideoIdCreated {
            ids: VideoIdRef {
                videoid_pk: VideoIdPk(videoid_pk),
                request_pk: RequestPk(request_pk),
            },
            link,
        })
    }

    /// `POST /videoid/{id}/evidences`: uploads the identification data (external mode).
    pub async fn upload_videoid_evidences(
        &self,
        ids: &VideoIdRef,
        evidences: &VideoIdEvidences,
    ) -> Result<()> {
        let args = RouteArgs {
            video: Some(ids),
            ..RouteArgs::default()
        };
        self.inner
            .call_json(
                OpKind::UploadEvidences,
                args,
                OutBody::json(evidences)?,
                Redactor::new(),
            )
            .await?;
        Ok(())
    }

    /// `POST /videoid/{id}/video` (legacy `…/evidences/video`): uploads the session video,
    /// streamed from disk.
    pub async fn upload_videoid_video(
        &self,
        ids: &VideoIdRef,
        video: &FileInput,
        control: &TransferControl,
    ) -> Result<()> {
        let file = PreparedFile::open(video).await?;
        let counter = UploadCounter::new(file.len, control);
        let mime = mime_for(&file.name, "video/mp4");
        let form = Form::new().part("video", file.into_part(mime, &counter)?);
        let args = RouteArgs {
            video: Some(ids),
            ..RouteArgs::default()
        };
        self.inner
            .call_upload(
                OpKind::UploadVideo,
                args,
                form,
                &counter,
                control,
                Redactor::new(),
            )
            .await?;
        Ok(())
    }

    /// `POST /videoid/{id}/approve` (legacy `/request/{pk}/approve`, falling back to the spec's
    /// `/requests/{pk}/approve`): the RAO approves; status becomes `ENROLLREADY`.
    pub async fn approve_videoid(&self, ids: &VideoIdRef, decision: &RaoDecision) -> Result<()> {
        let (body, redactor) = decision_body(decision, false)?;
        let args = RouteArgs {
            video: Some(ids),
            ..RouteArgs::default()
        };
        let layout = self.inner.layout().await?;
        let first = self
            .inner
            .call_json_in(
                layout,
                OpKind::ApproveVideoId,
                args,
                OutBody::json(&body)?,
                redactor.clone(),
            )
            .await;
        match first {
            Err(err)
                if layout == crate::Layout::Legacy
                    && err.code() == ErrorCode::OptimizerUnsupportedOperation =>
            {
                self.inner
                    .call_json_in(
                        layout,
                        OpKind::ApproveVideoIdPlural,
                        args,
                        OutBody::json(&body)?,
                        redactor,
                    )
                    .await?;
            }
            other => {
                other?;
            }
        }
        Ok(())
    }

    /// `POST /videoid/{id}/refuse`: the RAO refuses with a reason.
    pub async fn refuse_videoid(&self, ids: &VideoIdRef, decision: &RaoDecision) -> Result<()> {
        let (body, redactor) = decision_body(decision, true)?;
        let args = RouteArgs {
            video: Some(ids),
            ..RouteArgs::default()
        };
        self.inner
            .call_json(OpKind::RefuseVideoId, args, OutBody::json(&body)?, redactor)
            .await?;
        Ok(())
    }

    /// Streams the session video into `writer`.
    pub async fn download_videoid_video<W>(
        &self,
        ids: &VideoIdRef,
        writer: &mut W,
        control: &TransferControl,
    ) -> Result<Downloaded>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let args = RouteArgs {
            video: Some(ids),
            ..RouteArgs::default()
        };
        self.inner
            .call_download(OpKind::DownloadVideo, args, writer, control)
            .await
    }

    /// [`Client::download_videoid_video`] into a file at `path`.
    pub async fn download_videoid_video_to_path(
        &self,
        ids: &VideoIdRef,
        path: &Path,
        control: &TransferControl,
    ) -> Result<Downloaded> {
        to_path(path, async |file| {
            self.download_videoid_video(ids, file, control).await
        })
        .await
    }
}

fn decision_body(decision: &RaoDecision, refuse: bool) -> Result<(Value, Redactor)> {
    if decision.auth.is_empty() {
        return Err(Error::new(
            ErrorCode::InputInvalid,
            "the RAO's token or credentials are required",
        ));
    }
    let mut redactor = Redactor::new();
    decision.auth.remember_secrets(&mut redactor);
    let mut body = Map::new();
    for (name, value) in decision.auth.fields() {
        body.insert(name.into(), json!(value));
    }
    body.insert("rao".into(), json!(decision.rao_id));
    if refuse {
        match decision.reason.as_deref().map(str::trim) {
            Some(reason) if !reason.is_empty() => {
                body.insert("reason".into(), json!(reason));
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::VideoidReasonMissing,
                    "a refusal needs a reason",
                )
                .with_field(Some("reason".into())));
            }
        }
    }
    Ok((Value::Object(body), redactor))
}
