//! The Trust Service Provider's service contract, generated per request.

use std::time::SystemTime;

use crate::SignerError;

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
    /// ID document type (`IDC`, `PAS`, ...).
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
    /// Contract language: `ES`, `EN` or `PL` (PL falls back to English wording).
    pub language: String,
    /// When the request was created (printed as the contract date).
    pub created_at: SystemTime,
}

/// Renders the service contract for `data` as a PDF.
pub fn contract_pdf(data: &ContractData) -> Result<Vec<u8>, SignerError> {
    let _ = data;
    Err(SignerError::UnsupportedPdf("not implemented yet".into()))
}
