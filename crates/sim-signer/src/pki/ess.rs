//! ESS signing-certificate-v2 (RFC 5035), the attribute that binds a CMS signature to the
//! signer's certificate; PAdES and RFC 5816 timestamps require it.

use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

use super::certs::Credential;
use super::oids;
use crate::SignerError;

/// `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }`
#[derive(Clone, Debug, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }`
#[derive(Clone, Debug, Sequence)]
struct EssCertIdV2 {
    /// Left out: SHA-256 is the DEFAULT, and DER forbids encoding a default value.
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies ... OPTIONAL }`
#[derive(Clone, Debug, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// The signing-certificate-v2 signed attribute naming `signer`'s certificate.
pub(crate) fn signing_certificate_v2(signer: &Credential) -> Result<Attribute, SignerError> {
    let tbs = &signer.certificate.tbs_certificate;
    let value = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(Sha256::digest(&signer.certificate_der).to_vec())
                .map_err(ess_error)?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(tbs.issuer.clone())],
                serial_number: tbs.serial_number.clone(),
            }),
        }],
    };
    let mut values = SetOfVec::new();
    values
        .insert(Any::encode_from(&value).map_err(ess_error)?)
        .map_err(ess_error)?;
    Ok(Attribute {
        oid: oids::SIGNING_CERTIFICATE_V2,
        values,
    })
}

/// The DER of a value as the single value of an attribute.
pub(crate) fn attribute(
    oid: const_oid::ObjectIdentifier,
    value: &impl Encode,
) -> Result<Attribute, SignerError> {
    let mut values = SetOfVec::new();
    let der = value.to_der().map_err(ess_error)?;
    values
        .insert(Any::from_der(&der).map_err(ess_error)?)
        .map_err(ess_error)?;
    Ok(Attribute { oid, values })
}

fn ess_error(e: der::Error) -> SignerError {
    SignerError::Crypto(format!("CMS attribute encoding: {e}"))
}
