//! The Trust Service Provider's service contract, generated per request.

mod layout;
mod text;

use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::SignerError;
use crate::pki::names::TSP_NAME;

/// The request data printed in the contract.
#[derive(Debug, Clone)]
pub struct ContractData {
    /// The One-Shot request number.
    pub request_pk: u64,
    /// Customer's given name.
    pub given_name: String,
    /// Customer's first surname.
    pub surname_1: String,
    /// Customer's second surname.
    pub surname_2: Option<String>,
    /// ID document number.
    pub serial_number: String,
    /// ID document type (`IDC`, `PAS`, `PNO`, `TIN`, `CI`, `CE`).
    pub id_document_type: String,
    /// Country that issued the ID document (ISO 3166-1 alpha-2).
    pub id_document_country: String,
    /// Customer's e-mail address.
    pub email: String,
    /// Customer's mobile phone number (international format).
    pub mobile_phone_number: String,
    /// Certificate profile (`PFnubeQAFCiudadano`, `PFnubeNC`, ...).
    pub profile: String,
    /// Registration authority id.
    pub registration_authority: String,
    /// Contract language: `ES` (Spanish) or `EN`; `PL` and others get the English text.
    pub language: String,
    /// When the request was created (printed as the contract date, UTC).
    pub created_at: SystemTime,
}

/// Renders the service contract for `data` as a PDF (A4, numbered clauses, the customer's data,
/// a "simulated document" notice and a footer with the request number on every page).
pub fn contract_pdf(data: &ContractData) -> Result<Vec<u8>, SignerError> {
    if data.given_name.trim().is_empty() || data.surname_1.trim().is_empty() {
        return Err(SignerError::InvalidSubject(
            "the contract needs the customer's name and first surname".into(),
        ));
    }
    let language = text::Language::from_code(&data.language);
    let blocks = text::blocks(data);
    let (title, footer) = match language {
        text::Language::Spanish => (
            format!(
                "Contrato de prestación de servicios de certificación — solicitud {}",
                data.request_pk
            ),
            format!(
                "{TSP_NAME} · Solicitud {} · Documento simulado",
                data.request_pk
            ),
        ),
        text::Language::English => (
            format!(
                "Certification services agreement — request {}",
                data.request_pk
            ),
            format!(
                "{TSP_NAME} · Request {} · Simulated document",
                data.request_pk
            ),
        ),
    };
    // The file ID derives from the request, so the same request always gives the same bytes.
    let mut hasher = Sha256::new();
    hasher.update(data.request_pk.to_be_bytes());
    hasher.update(format!("{data:?}").as_bytes());
    let mut id = [0u8; 16];
    id.copy_from_slice(&hasher.finalize()[..16]);
    let created = crate::pdf::sign::pdf_date(data.created_at);
    Ok(layout::render(&blocks, &footer, &title, id, &created))
}
