//! The one place the simulator talks to the trust service (`sim-signer`): CA, one-use signer
//! certificates, PAdES and CMS signatures, the contract PDF.

use crate::core::model::{IssuedCertificate, Request};
use crate::core::time;
use base64::Engine;
use sim_signer::{
    ContractData, HashSignRequest, PdfSignOptions, SignerError, SignerIdentity, SignerSubject,
    TrustService, VisibleAppearance,
};
use std::path::Path;
use std::time::SystemTime;
use x509_cert::der::Decode;

/// The simulator's trust service.
pub struct Signing {
    trust: TrustService,
    timestamp: bool,
}

/// A visible signature as the sign call asked for it, with the text already expanded.
#[derive(Clone, Debug)]
pub struct Appearance {
    /// 0-based page.
    pub page: u32,
    /// `x1, y1, x2, y2` in points from the bottom-left corner.
    pub rect: [f32; 4],
    /// Text lines.
    pub text_lines: Vec<String>,
    /// PNG drawn in the box.
    pub image_png: Option<Vec<u8>>,
}

/// A freshly issued one-use signer.
pub struct Signer {
    identity: SignerIdentity,
    /// What the request record shows about the certificate.
    pub certificate: IssuedCertificate,
}

impl Signing {
    /// A throw-away CA (or the one kept in `dir`, so a restart keeps the trust root).
    pub fn new(
        dir: Option<&Path>,
        seed: Option<u64>,
        timestamp: bool,
    ) -> Result<Self, SignerError> {
        let trust = match dir {
            Some(dir) => TrustService::load_or_create(dir, seed)?,
            None => TrustService::generate(seed)?,
        };
        Ok(Self { trust, timestamp })
    }

    /// The CA certificate (PEM), the trust root for validators.
    pub fn ca_pem(&self) -> String {
        self.trust.ca_certificate_pem()
    }

    /// Issues the request's one-use certificate (customer name and ID number).
    pub fn issue(&self, request: &Request) -> Result<Signer, SignerError> {
        let id = &request.identity;
        let identity = self.trust.issue_signer(&SignerSubject {
            given_name: id.given_name.clone(),
            surname_1: id.surname_1.clone(),
            surname_2: id.surname_2.clone().filter(|s| !s.is_empty()),
            serial_number: id.serial_number.clone(),
            country: id.id_document_country.clone(),
            email: Some(id.email.clone()).filter(|e| !e.is_empty()),
        })?;
        let certificate = describe(&identity)?;
        Ok(Signer {
            identity,
            certificate,
        })
    }

    /// Signs one PDF (PAdES, incremental update) into `output`.
    pub fn sign_pdf(
        &self,
        signer: &Signer,
        input: &Path,
        output: &Path,
        appearance: Option<Appearance>,
        (reason, location): (&str, Option<&str>),
        signing_time: SystemTime,
    ) -> Result<u64, SignerError> {
        let options = PdfSignOptions {
            appearance: appearance.map(|a| VisibleAppearance {
                page: a.page,
                rect: a.rect,
                text_lines: a.text_lines,
                image_png: a.image_png,
            }),
            reason: Some(reason.to_string()),
            location: location.map(str::to_string),
            timestamp: self.timestamp,
            signing_time,
        };
        Ok(self
            .trust
            .sign_pdf(&signer.identity, input, output, &options)?
            .signed_bytes)
    }

    /// Signs an uploaded digest JSON; returns the `.p7m` bytes.
    pub fn sign_hash(&self, signer: &Signer, hashfile: &[u8]) -> Result<Vec<u8>, SignerError> {
        let request = HashSignRequest::from_json(hashfile)?;
        self.trust.sign_digest(&signer.identity, &request)
    }

    /// The service contract PDF for `request`.
    pub fn contract(&self, request: &Request) -> Result<Vec<u8>, SignerError> {
        let id = &request.identity;
        let created_at = time::parse(&request.created_at)
            .map(SystemTime::from)
            .unwrap_or_else(SystemTime::now);
        sim_signer::contract_pdf(&ContractData {
            request_pk: request.pk,
            given_name: id.given_name.clone(),
            surname_1: id.surname_1.clone(),
            surname_2: id.surname_2.clone(),
            serial_number: id.serial_number.clone(),
            id_document_type: id.id_document_type.clone(),
            id_document_country: id.id_document_country.clone(),
            email: id.email.clone(),
            mobile_phone_number: id.mobile_phone_number.clone(),
            profile: request.profile.clone(),
            registration_authority: request.registration_authority.clone(),
            language: request
                .communication_language
                .clone()
                .unwrap_or_else(|| "EN".into()),
            created_at,
        })
    }
}

/// Reads serial, validity, subject and issuer out of the issued certificate.
fn describe(identity: &SignerIdentity) -> Result<IssuedCertificate, SignerError> {
    let der = identity.certificate_der();
    let cert = x509_cert::Certificate::from_der(der)
        .map_err(|e| SignerError::Crypto(format!("issued certificate unreadable: {e}")))?;
    let tbs = &cert.tbs_certificate;
    let when = |t: x509_cert::time::Time| {
        jiff::Timestamp::try_from(t.to_system_time())
            .map(time::rfc3339)
            .unwrap_or_default()
    };
    Ok(IssuedCertificate {
        serial_number: identity.serial_hex().to_string(),
        valid_from: when(tbs.validity.not_before),
        valid_to: when(tbs.validity.not_after),
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        der_b64: base64::engine::general_purpose::STANDARD.encode(der),
    })
}
