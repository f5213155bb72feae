//! OTP generation and signing (API.md §F).

use crate::client::Client;
use crate::error::Result;
use crate::layout::{Layout, OpKind, RouteArgs};
use crate::redact::Redactor;
use crate::transport::OutBody;
use crate::types::{DocumentUid, ImageUid, RequestPk};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value, json};
use std::fmt;

/// How the OTP reaches the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeliveryMethod {
    /// SMS (the Optimizer's default).
    #[default]
    Sms,
    /// WhatsApp.
    Whatsapp,
}

impl DeliveryMethod {
    /// Wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMethod::Sms => "sms",
            DeliveryMethod::Whatsapp => "whatsapp",
        }
    }
}

/// How the customer unlocks the signature.
#[derive(Clone)]
pub enum SignAuth {
    /// The OTP the customer received.
    Otp(SecretString),
    /// An approved external method; `customer_code` is still sent as `secret` (the legacy
    /// schema requires it).
    External {
        /// `ext_unlock_type`, e.g. `biometric`.
        unlock_type: String,
        /// `ext_unlock_value`: id of the external authentication transaction.
        unlock_value: SecretString,
        /// Customer code sent as `secret`.
        customer_code: SecretString,
    },
}

impl fmt::Debug for SignAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignAuth::Otp(_) => f.write_str("SignAuth::Otp([REDACTED])"),
            SignAuth::External { unlock_type, .. } => f
                .debug_struct("SignAuth::External")
                .field("unlock_type", unlock_type)
                .field("unlock_value", &"[REDACTED]")
                .field("customer_code", &"[REDACTED]")
                .finish(),
        }
    }
}

/// Rectangle of a visible signature, in PDF points with the origin at the bottom-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignatureRect {
    /// Left.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
    /// Right.
    pub x2: f64,
    /// Top.
    pub y2: f64,
}

impl fmt::Display for SignatureRect {
    /// The API's `"x1,y1,x2,y2"` string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{},{},{}", self.x1, self.y1, self.x2, self.y2)
    }
}

/// Visible signature appearance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SignatureAppearance {
    /// Text lines, with variables such as `%(CN)s`, `%(DATE)s`.
    pub text: Vec<String>,
    /// strftime pattern of `%(DATE)s`.
    pub date_format: Option<String>,
    /// tz database name.
    pub timezone: Option<String>,
    /// Where the signature goes.
    pub position: Option<SignatureRect>,
    /// 0-based page.
    pub page: Option<u32>,
    /// Previously uploaded PNG.
    pub image: Option<ImageUid>,
}

/// Input of [`Client::sign`].
#[derive(Debug, Clone)]
pub struct SignRequest {
    /// OTP or external unlock.
    pub auth: SignAuth,
    /// Visible signature; `None` signs without an appearance.
    pub appearance: Option<SignatureAppearance>,
    /// Legacy layout only: documents that get the appearance (its `options` are per document).
    /// Empty means every document of the request, listed first. The current layout applies
    /// the appearance to all documents [inferred: per-document targeting is undocumented].
    pub documents: Vec<DocumentUid>,
}

/// Answer of [`Client::sign`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOutcome {
    /// True when the Optimizer only queued the signing (asynchronous mode: "Your documents are
    /// going to be signed"); completion then arrives by webhook.
    pub queued: bool,
    /// The Optimizer's message.
    pub message: Option<String>,
}

impl Client {
    /// `POST /otp/{pk}`: sends the customer a one-time code. Never retried (a repeat within a
    /// minute fails with `otp.too_soon`).
    pub async fn generate_otp(&self, pk: RequestPk, delivery: DeliveryMethod) -> Result<()> {
        let args = RouteArgs {
            pk: Some(pk),
            ..RouteArgs::default()
        };
        let body = OutBody::json(&json!({"delivery_method": delivery.as_str()}))?;
        self.inner
            .call_json(OpKind::GenerateOtp, args, body, Redactor::new())
            .await?;
        Ok(())
    }

    /// `POST /sign/{pk}`: issues the certificate and signs every document and the contract.
    /// Never retried: if the answer is lost ([`crate::Error::maybe_processed`]), read the
    /// request's status back instead.
    pub async fn sign(&self, pk: RequestPk, request: &SignRequest) -> Result<SignOutcome> {
        let layout = self.inner.layout().await?;
        let mut redactor = Redactor::new();
        let mut body = Map::new();
        match &request.auth {
            SignAuth::Otp(secret) => {
                redactor.add(secret);
                body.insert("secret".into(), json!(secret.expose_secret()));
            }
            SignAuth::External {
                unlock_type,
                unlock_value,
                customer_code,
            } => {
                redactor.add(unlock_value);
                redactor.add(customer_code);
                body.insert("secret".into(), json!(customer_code.expose_secret()));
                body.insert("ext_unlock_type".into(), json!(unlock_type));
                body.insert(
                    "ext_unlock_value".into(),
                    json!(unlock_value.expose_secret()),
                );
            }
        }
        if let Some(appearance) = &request.appearance {
            match layout {
                Layout::Current => {
                    body.insert(
                        "signature".into(),
                        json!({"appearance": current_appearance(appearance)}),
                    );
                }
                Layout::Legacy => {
                    let documents = if request.documents.is_empty() && appearance.position.is_some()
                    {
                        self.list_documents(pk)
                            .await?
                            .into_iter()
                            .map(|d| d.uid)
                            .collect()
                    } else {
                        request.documents.clone()
                    };
                    legacy_appearance(appearance, &documents, &mut body);
                }
            }
        }
        let args = RouteArgs {
            pk: Some(pk),
            ..RouteArgs::default()
        };
        let answer = self
            .inner
            .call_json(
                OpKind::Sign,
                args,
                OutBody::json(&Value::Object(body))?,
                redactor,
            )
            .await?;
        let message = answer.envelope.text();
        let queued = message.as_deref().is_some_and(|m| {
            let m = m.to_ascii_lowercase();
            m.contains("going to be signed") || m.contains("in a few seconds")
        });
        Ok(SignOutcome { queued, message })
    }
}

/// Current body: `signature.appearance{text, date, timezone, position, page, image}`.
fn current_appearance(appearance: &SignatureAppearance) -> Value {
    let mut out = Map::new();
    if !appearance.text.is_empty() {
        out.insert("text".into(), json!(appearance.text));
    }
    if let Some(date) = &appearance.date_format {
        out.insert("date".into(), json!(date));
    }
    if let Some(tz) = &appearance.timezone {
        out.insert("timezone".into(), json!(tz));
    }
    if let Some(position) = &appearance.position {
        out.insert("position".into(), json!(position.to_string()));
    }
    if let Some(page) = appearance.page {
        out.insert("page".into(), json!(page));
    }
    if let Some(image) = &appearance.image {
        out.insert("image".into(), json!(image.as_str()));
    }
    Value::Object(out)
}

/// Legacy body: `options{<uid>: {position, page, image}}`, `signature_format{text_format,
/// date_format, timezone}`, `use_signature_text`.
fn legacy_appearance(
    appearance: &SignatureAppearance,
    documents: &[DocumentUid],
    body: &mut Map<String, Value>,
) {
    if let Some(position) = &appearance.position {
        let mut options = Map::new();
        for uid in documents {
            let mut entry = Map::new();
            entry.insert("position".into(), json!(position.to_string()));
            entry.insert("page".into(), json!(appearance.page.unwrap_or(0)));
            if let Some(image) = &appearance.image {
                entry.insert("image".into(), json!(image.as_str()));
            }
            options.insert(uid.as_str().to_owned(), Value::Object(entry));
        }
        body.insert("options".into(), Value::Object(options));
    }
    let mut format = Map::new();
    if !appearance.text.is_empty() {
        format.insert("text_format".into(), json!(appearance.text));
    }
    if let Some(date) = &appearance.date_format {
        format.insert("date_format".into(), json!(date));
    }
    if let Some(tz) = &appearance.timezone {
        format.insert("timezone".into(), json!(tz));
    }
    if !format.is_empty() {
        body.insert("signature_format".into(), Value::Object(format));
    }
    body.insert(
        "use_signature_text".into(),
        json!(!appearance.text.is_empty()),
    );
}
