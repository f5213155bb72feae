//! Distinguished names of the CA, the TSA and the signers.

use der::Any;
use der::asn1::{Ia5StringRef, PrintableStringRef, SetOfVec, Utf8StringRef};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

use super::oids;
use crate::{SignerError, SignerSubject};

/// The simulated provider's name, as printed in certificates and contracts.
pub(crate) const TSP_NAME: &str = "Uanataca (simulated)";

/// RFC 5280 upper bound for a common name.
const COMMON_NAME_MAX_CHARS: usize = 64;

#[derive(Clone, Copy)]
enum Kind {
    Printable,
    Utf8,
    Ia5,
}

struct NameBuilder(Vec<RelativeDistinguishedName>);

impl NameBuilder {
    fn new() -> Self {
        NameBuilder(Vec::new())
    }

    fn push(
        mut self,
        oid: const_oid::ObjectIdentifier,
        kind: Kind,
        value: &str,
    ) -> Result<Self, String> {
        let value = match kind {
            Kind::Printable => PrintableStringRef::new(value).and_then(|v| Any::encode_from(&v)),
            Kind::Utf8 => Utf8StringRef::new(value).and_then(|v| Any::encode_from(&v)),
            Kind::Ia5 => Ia5StringRef::new(value).and_then(|v| Any::encode_from(&v)),
        }
        .map_err(|e| format!("{value:?} cannot be encoded: {e}"))?;
        let mut set = SetOfVec::new();
        set.insert(AttributeTypeAndValue { oid, value })
            .map_err(|e| e.to_string())?;
        self.0.push(RelativeDistinguishedName(set));
        Ok(self)
    }

    fn build(self) -> Name {
        RdnSequence(self.0)
    }
}

fn provider_name(common_name: &str) -> Result<Name, SignerError> {
    NameBuilder::new()
        .push(oids::COUNTRY, Kind::Printable, "ES")
        .and_then(|b| b.push(oids::ORGANIZATION, Kind::Utf8, TSP_NAME))
        .and_then(|b| {
            b.push(
                oids::ORGANIZATIONAL_UNIT,
                Kind::Utf8,
                "One-Shot Optimizer simulator",
            )
        })
        .and_then(|b| b.push(oids::ORGANIZATION_IDENTIFIER, Kind::Utf8, "VATES-SIMULATED"))
        .and_then(|b| b.push(oids::COMMON_NAME, Kind::Utf8, common_name))
        .map(NameBuilder::build)
        .map_err(|e| SignerError::Crypto(format!("provider name: {e}")))
}

pub(crate) fn ca_name() -> Result<Name, SignerError> {
    provider_name("Uanataca Simulated Root CA")
}

pub(crate) fn tsa_name() -> Result<Name, SignerError> {
    provider_name("Uanataca Simulated TSA")
}

/// The checked, normalised form of a [`SignerSubject`].
pub(crate) struct SignerName {
    pub(crate) name: Name,
    pub(crate) common_name: String,
    pub(crate) email: Option<String>,
}

/// Builds `C, serialNumber, givenName, surname, CN[, emailAddress]` for a natural person.
pub(crate) fn signer_name(subject: &SignerSubject) -> Result<SignerName, SignerError> {
    let invalid = |what: String| SignerError::InvalidSubject(what);
    let given_name = collapse_spaces(&subject.given_name);
    let surname_1 = collapse_spaces(&subject.surname_1);
    let surname_2 = subject
        .surname_2
        .as_deref()
        .map(collapse_spaces)
        .filter(|s| !s.is_empty());
    if given_name.is_empty() {
        return Err(invalid("the given name is empty".into()));
    }
    if surname_1.is_empty() {
        return Err(invalid("the first surname is empty".into()));
    }
    let country = subject.country.trim().to_ascii_uppercase();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(invalid(format!(
            "the country must be an ISO 3166 two-letter code, got {:?}",
            subject.country
        )));
    }
    let document = subject.serial_number.trim().to_ascii_uppercase();
    if document.is_empty() {
        return Err(invalid("the ID document number is empty".into()));
    }
    if !document
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(invalid(format!(
            "the ID document number may hold letters, digits, '-' and '.', got {:?}",
            subject.serial_number
        )));
    }
    let email = match subject
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        None => None,
        Some(email) => {
            let well_formed = email.is_ascii()
                && !email.contains(char::is_whitespace)
                && email
                    .split_once('@')
                    .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'));
            if !well_formed {
                return Err(invalid(format!("{email:?} is not an e-mail address")));
            }
            Some(email.to_owned())
        }
    };

    let surname = match &surname_2 {
        Some(s2) => format!("{surname_1} {s2}"),
        None => surname_1.clone(),
    };
    let full = format!("{given_name} {surname}");
    // Long names are cut rather than refused: the full name stays in givenName + surname.
    let common_name: String = full
        .chars()
        .take(COMMON_NAME_MAX_CHARS)
        .collect::<String>()
        .trim_end()
        .to_owned();
    // ETSI EN 319 412-1 §5.1.3 semantics identifier: type "IDC" + issuing country + "-" + number.
    let serial_attribute = format!("IDC{country}-{document}");

    let mut builder = NameBuilder::new()
        .push(oids::COUNTRY, Kind::Printable, &country)
        .and_then(|b| b.push(oids::SERIAL_NUMBER, Kind::Printable, &serial_attribute))
        .and_then(|b| b.push(oids::GIVEN_NAME, Kind::Utf8, &given_name))
        .and_then(|b| b.push(oids::SURNAME, Kind::Utf8, &surname))
        .and_then(|b| b.push(oids::COMMON_NAME, Kind::Utf8, &common_name))
        .map_err(invalid)?;
    if let Some(email) = &email {
        builder = builder
            .push(oids::EMAIL_ADDRESS, Kind::Ia5, email)
            .map_err(invalid)?;
    }
    Ok(SignerName {
        name: builder.build(),
        common_name,
        email,
    })
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The common name of `name`, if it has one.
pub(crate) fn common_name_of(name: &Name) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oids::COMMON_NAME)
        .and_then(|atv| {
            atv.value
                .decode_as::<Utf8StringRef<'_>>()
                .map(|s| s.as_str().to_owned())
                .or_else(|_| {
                    atv.value
                        .decode_as::<PrintableStringRef<'_>>()
                        .map(|s| s.as_str().to_owned())
                })
                .ok()
        })
}
