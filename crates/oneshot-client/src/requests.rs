//! Signature requests: create (multipart with the ID images), get, update, cancel.

use crate::client::Client;
use crate::error::{Error, ErrorCode, Result};
use crate::flex;
use crate::layout::{OpKind, RouteArgs};
use crate::redact::Redactor;
use crate::status::RequestStatus;
use crate::transfer::{PreparedFile, TransferControl, UploadCounter, mime_for};
use crate::transport::OutBody;
use crate::types::{BillingCredentials, Environment, FileInput, RaoAuth, RequestPk};
use reqwest::multipart::Form;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// Kind of the customer's identity document (`id_document_type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdDocumentType {
    /// `IDC`: national identity card (the Optimizer's default).
    Idc,
    /// `PAS`: passport.
    Pas,
    /// `PNO`: national personal number.
    Pno,
    /// `TIN`: tax identification number.
    Tin,
    /// `CI`.
    Ci,
    /// `CE`.
    Ce,
    /// Any other code.
    Other(String),
}

impl IdDocumentType {
    /// The wire code.
    pub fn as_str(&self) -> &str {
        match self {
            IdDocumentType::Idc => "IDC",
            IdDocumentType::Pas => "PAS",
            IdDocumentType::Pno => "PNO",
            IdDocumentType::Tin => "TIN",
            IdDocumentType::Ci => "CI",
            IdDocumentType::Ce => "CE",
            IdDocumentType::Other(code) => code,
        }
    }
}

/// Input of [`Client::create_request`] (classic flow: created and approved by the RAO at once).
#[derive(Debug, Clone, Default)]
pub struct CreateRequest {
    /// Customer's given name.
    pub given_name: String,
    /// First surname.
    pub surname_1: String,
    /// Second surname.
    pub surname_2: Option<String>,
    /// ID document kind (Optimizer default `IDC`).
    pub id_document_type: Option<IdDocumentType>,
    /// ISO 3166-1 alpha-2 country of the ID document (Optimizer default `ES`).
    pub id_document_country: Option<String>,
    /// ID document number.
    pub serial_number: String,
    /// Customer email.
    pub email: String,
    /// Mobile number with international prefix (`+34…`).
    pub mobile_phone_number: String,
    /// Registration authority id, unless configured on the Optimizer.
    pub registration_authority: Option<String>,
    /// Certificate profile (`PFnubeQAFCiudadano`, `PFnubeNC`), unless configured.
    pub profile: Option<String>,
    /// RAO token and/or credentials.
    pub rao: RaoAuth,
    /// Front of the ID document (JPEG/PNG).
    pub document_front: Option<FileInput>,
    /// Back of the ID document (JPEG/PNG).
    pub document_rear: Option<FileInput>,
    /// Selfie holding the ID document (JPEG/PNG).
    pub document_owner: Option<FileInput>,
    /// Any extra document.
    pub extra_document: Option<FileInput>,
    /// Environment, unless configured on the Optimizer.
    pub env: Option<Environment>,
    /// Billing account, unless configured on the Optimizer.
    pub billing: Option<BillingCredentials>,
    /// Asynchronous mode: `Some(callback)` sends `useasync=true` and, when given, `callback`.
    pub asynchronous: Option<Option<Url>>,
    /// `ES`, `PL`, `EN`.
    pub communication_language: Option<String>,
    /// Profile-dependent residence data.
    pub residence: Option<String>,
    /// Profile-dependent.
    pub residence_city: Option<String>,
    /// Profile-dependent.
    pub residence_postal_code: Option<String>,
    /// Profile-dependent.
    pub residence_address: Option<String>,
    /// Profile-dependent.
    pub special_conditions: Option<String>,
}

/// Answer of [`Client::create_request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreatedRequest {
    /// The new request.
    pub pk: RequestPk,
    /// Whether the Optimizer runs it asynchronously (current layout reports it; `None` when
    /// the answer does not say).
    pub asynchronous: Option<bool>,
}

/// The request record of [`Client::get_request`]. Only fields the desk uses are typed; the RA
/// record has many more, ignored here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    /// Request pk.
    pub pk: RequestPk,
    /// Current status.
    pub status: RequestStatus,
    /// Given name.
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub given_name: Option<String>,
    /// First surname.
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub surname_1: Option<String>,
    /// Second surname.
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub surname_2: Option<String>,
    /// Email.
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub email: Option<String>,
    /// Mobile number (legacy records store it without `+`, sometimes as a number).
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub mobile_phone_number: Option<String>,
    /// ID document number.
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub serial_number: Option<String>,
    /// ID document kind as sent.
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub id_document_type: Option<String>,
    /// ID document country.
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub id_document_country: Option<String>,
    /// Country name (needed by [`UpdateRequest`]).
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub country_name: Option<String>,
    /// Certificate profile.
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub profile: Option<String>,
    /// Registration authority id.
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub registration_authority: Option<String>,
    /// Scratchcard (needed by [`UpdateRequest`]).
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub scratchcard: Option<String>,
    /// Whether it is a VideoID request.
    #[serde(default, deserialize_with = "flex::opt_bool")]
    pub videoid_mode: Option<bool>,
    /// Communication language.
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub communication_language: Option<String>,
}

/// Input of [`Client::update_request`] (VideoID requests; `scratchcard` comes from
/// [`RequestRecord`]).
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateRequest {
    /// Required: from the request record.
    pub scratchcard: String,
    /// Required: ISO country code.
    pub country_name: String,
    /// Required.
    pub email: String,
    /// Required.
    pub profile: String,
    /// Required.
    pub registration_authority: String,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname_1: Option<String>,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname_2: Option<String>,
    /// Optional, `dd/mm/yyyy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone_number: Option<String>,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
}

impl Client {
    /// `POST /create` (legacy `POST /request`): creates the request with the customer's data
    /// and ID images (streamed from disk). Never retried: if the answer is lost
    /// ([`Error::maybe_processed`]), reconcile instead of repeating.
    pub async fn create_request(
        &self,
        request: &CreateRequest,
        control: &TransferControl,
    ) -> Result<CreatedRequest> {
        if request.rao.is_empty() {
            return Err(Error::new(
                ErrorCode::InputInvalid,
                "a request needs the RAO's token or credentials",
            ));
        }
        let mut redactor = Redactor::new();
        request.rao.remember_secrets(&mut redactor);
        let mut form = Form::new();
        let text = |form: Form, name: &'static str, value: Option<&str>| match value {
            Some(v) => form.text(name, v.to_owned()),
            None => form,
        };
        form = text(form, "given_name", Some(&request.given_name));
        form = text(form, "surname_1", Some(&request.surname_1));
        form = text(form, "surname_2", request.surname_2.as_deref());
        form = text(
            form,
            "id_document_type",
            request
                .id_document_type
                .as_ref()
                .map(IdDocumentType::as_str),
        );
        form = text(
            form,
            "id_document_country",
            request.id_document_country.as_deref(),
        );
        form = text(form, "serial_number", Some(&request.serial_number));
        form = text(form, "email", Some(&request.email));
        form = text(
            form,
            "mobile_phone_number",
            Some(&request.mobile_phone_number),
        );
        form = text(
            form,
            "registration_authority",
            request.registration_authority.as_deref(),
        );
        form = text(form, "profile", request.profile.as_deref());
        for (name, value) in request.rao.fields() {
            form = form.text(name, value);
        }
        form = text(form, "env", request.env.as_ref().map(Environment::as_str));
        if let Some(billing) = &request.billing {
            billing.remember_secrets(&mut redactor);
            form = form.text("billing_username", billing.username.clone());
            form = form.text(
                "billing_password",
                billing.encoded_password().expose_secret().to_owned(),
            );
        }
        if let Some(callback) = &request.asynchronous {
            form = form.text("useasync", "true");
            if let Some(url) = callback {
                form = form.text("callback", url.to_string());
            }
        }
        form = text(
            form,
            "communication_language",
            request.communication_language.as_deref(),
        );
        form = text(form, "residence", request.residence.as_deref());
        form = text(form, "residence_city", request.residence_city.as_deref());
        form = text(
            form,
            "residence_postal_code",
            request.residence_postal_code.as_deref(),
        );
        form = text(
            form,
            "residence_address",
            request.residence_address.as_deref(),
        );
        form = text(
            form,
            "special_conditions",
            request.special_conditions.as_deref(),
        );

        let images = [
            ("document_front", &request.document_front),
            ("document_rear", &request.document_rear),
            ("document_owner", &request.document_owner),
            ("extra_document", &request.extra_document),
        ];
        let mut prepared = Vec::new();
        for (name, input) in images {
            if let Some(input) = input {
                prepared.push((name, PreparedFile::open(input).await?));
            }
        }
        let counter = UploadCounter::new(prepared.iter().map(|(_, f)| f.len).sum(), control);
        for (name, file) in prepared {
            let mime = mime_for(&file.name, "image/jpeg");
            form = form.part(name, file.into_part(mime, &counter)?);
        }
        let answer = self
            .inner
            .call_upload(
                OpKind::CreateRequest,
                RouteArgs::default(),
                form,
                &counter,
                control,
                redactor,
            )
            .await?;
        let key = answer.envelope.payload_key();
        // Legacy: `details: 29571`; current [inferred]: `details: {"pk": N, "asyncmode": bool}`;
        // as a last resort the pk named in the message ("Request created with pk N").
        let payload = answer.envelope.payload();
        let from_object = |map: &serde_json::Map<String, Value>| {
            ["pk", "request_pk", "request"]
                .iter()
                .find_map(|k| map.get(*k).and_then(flex::u64_from_value))
        };
        let (pk, asynchronous) = match payload {
            Some(Value::Object(map)) => (
                from_object(map),
                ["asyncmode", "async_mode", "useasync"]
                    .iter()
                    .find_map(|k| map.get(*k).and_then(flex::bool_from_value)),
            ),
            Some(other) => (flex::u64_from_value(other), None),
            None => (None, None),
        };
        let pk = pk.or_else(|| answer.envelope.message().and_then(pk_in_message));
        match pk {
            Some(pk) => Ok(CreatedRequest {
                pk: RequestPk(pk),
                asynchronous,
            }),
            None => Err(answer.bad_response("no request pk in the answer", &format!("{key}.pk"))),
        }
    }

    /// `GET /request/{pk}` [inferred for current]: the request record with its status.
    pub async fn get_request(&self, pk: RequestPk) -> Result<RequestRecord> {
        let args = RouteArgs {
            pk: Some(pk),
            ..RouteArgs::default()
        };
        let answer = self
            .inner
            .call_json(OpKind::GetRequest, args, OutBody::Empty, Redactor::new())
            .await?;
        let payload = answer.payload()?;
        answer.decode(payload, answer.envelope.payload_key())
    }

    /// `PUT /request/{pk}`: corrects the data of a VideoID request.
    pub async fn update_request(&self, pk: RequestPk, update: &UpdateRequest) -> Result<()> {
        let args = RouteArgs {
            pk: Some(pk),
            ..RouteArgs::default()
        };
        self.inner
            .call_json(
                OpKind::UpdateRequest,
                args,
                OutBody::json(update)?,
                Redactor::new(),
            )
            .await?;
        Ok(())
    }

    /// `DELETE /request/{pk}`: cancels a request (removes it from the Optimizer).
    pub async fn cancel_request(&self, pk: RequestPk) -> Result<()> {
        let args = RouteArgs {
            pk: Some(pk),
            ..RouteArgs::default()
        };
        self.inner
            .call_json(OpKind::CancelRequest, args, OutBody::Empty, Redactor::new())
            .await?;
        Ok(())
    }
}

/// `"Request created with pk 388141"` → 388141.
fn pk_in_message(message: &str) -> Option<u64> {
    let lower = message.to_ascii_lowercase();
    let rest = &lower[lower.find("pk")? + 2..];
    let digits: String = rest
        .trim_start_matches([' ', ':', '='])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_pk_in_message() {
        assert_eq!(
            pk_in_message("Request created with pk 388141"),
            Some(388141)
        );
        assert_eq!(pk_in_message("Request created"), None);
    }
}
