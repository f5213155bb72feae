//! The customer data that goes into a one-use signer certificate.

/// Identity of the person a signer certificate is issued to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerSubject {
    /// Given name (`givenName`).
    pub given_name: String,
    /// First surname (`surname`, first part).
    pub surname_1: String,
    /// Second surname, common in Spanish names.
    pub surname_2: Option<String>,
    /// ID document number; the certificate carries it as `IDC<country>-<number>` (ETSI EN 319
    /// 412-1 semantics identifier).
    pub serial_number: String,
    /// ISO 3166-1 alpha-2 country code (`C`).
    pub country: String,
    /// E-mail address (subject `emailAddress` and `subjectAltName` rfc822Name).
    pub email: Option<String>,
}
