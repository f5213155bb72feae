//! Issuing the CA, TSA and signer certificates.

use std::time::{Duration, SystemTime};

use der::Encode;
use der::asn1::{GeneralizedTime, Ia5String};
use der::referenced::OwnedToRef;
use rand_chacha::ChaCha20Rng;
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use sha2::Sha256;
use spki::{EncodePublicKey, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, CertificatePolicies, ExtendedKeyUsage, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::time::{Time, Validity};

use super::extensions::{CriticalExtendedKeyUsage, QcStatements};
use super::keys;
use super::names;
use super::oids;
use crate::{SignerError, SignerSubject};

const DAY: Duration = Duration::from_secs(24 * 3600);
/// A one-shot certificate is used once, right after issuance; a week covers retries and the
/// desk's verification without pretending to be a long-lived certificate.
pub(crate) const SIGNER_VALIDITY: Duration = Duration::from_secs(7 * 24 * 3600);
/// Issued a little in the past so that a caller's clock running slightly behind still sees it valid.
const CLOCK_SKEW: Duration = Duration::from_secs(10 * 60);

/// A private key with its certificate.
#[derive(Clone)]
pub(crate) struct Credential {
    pub(crate) key: RsaPrivateKey,
    pub(crate) certificate: Certificate,
    pub(crate) certificate_der: Vec<u8>,
}

impl Credential {
    pub(crate) fn new(key: RsaPrivateKey, certificate: Certificate) -> Result<Self, SignerError> {
        let certificate_der = certificate
            .to_der()
            .map_err(|e| SignerError::Crypto(format!("certificate encoding: {e}")))?;
        let credential = Credential {
            key,
            certificate,
            certificate_der,
        };
        credential.check_key_matches()?;
        Ok(credential)
    }

    pub(crate) fn signing_key(&self) -> SigningKey<Sha256> {
        SigningKey::<Sha256>::new(self.key.clone())
    }

    pub(crate) fn subject(&self) -> &Name {
        &self.certificate.tbs_certificate.subject
    }

    fn check_key_matches(&self) -> Result<(), SignerError> {
        let spki = spki_of(&self.key)?;
        if spki != self.certificate.tbs_certificate.subject_public_key_info {
            return Err(SignerError::Persistence(
                "the private key does not belong to the certificate".into(),
            ));
        }
        Ok(())
    }
}

fn spki_of(key: &RsaPrivateKey) -> Result<SubjectPublicKeyInfoOwned, SignerError> {
    let der = key
        .to_public_key()
        .to_public_key_der()
        .map_err(|e| SignerError::Crypto(format!("public key encoding: {e}")))?;
    SubjectPublicKeyInfoOwned::try_from(der.as_bytes())
        .map_err(|e| SignerError::Crypto(format!("public key: {e}")))
}

fn cert_error(e: impl std::fmt::Display) -> SignerError {
    SignerError::Crypto(format!("certificate building: {e}"))
}

fn time(at: SystemTime) -> Result<Time, SignerError> {
    GeneralizedTime::from_system_time(at)
        .map(Time::GeneralTime)
        .map_err(cert_error)
}

/// Start of the UTC day before `now`: a seeded CA made on the same day is byte-for-byte the same.
fn start_of_yesterday(now: SystemTime) -> SystemTime {
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs - secs % DAY.as_secs()) - DAY
}

fn validity(from: SystemTime, length: Duration) -> Result<Validity, SignerError> {
    Ok(Validity {
        not_before: time(from)?,
        not_after: time(from + length)?,
    })
}

fn key_id(spki: &SubjectPublicKeyInfoOwned) -> Result<SubjectKeyIdentifier, SignerError> {
    SubjectKeyIdentifier::try_from(spki.owned_to_ref()).map_err(cert_error)
}

/// A self-signed root: basicConstraints CA (critical), keyUsage keyCertSign + cRLSign (critical),
/// subject and authority key identifiers.
pub(crate) fn issue_ca(
    rng: &mut ChaCha20Rng,
    key: RsaPrivateKey,
    now: SystemTime,
) -> Result<Credential, SignerError> {
    let serial = keys::random_serial(rng)?;
    let spki = spki_of(&key)?;
    let signer = SigningKey::<Sha256>::new(key.clone());
    let ski = key_id(&spki)?;
    let mut builder = CertificateBuilder::new(
        Profile::Root,
        serial,
        validity(start_of_yesterday(now), 10 * 365 * DAY)?,
        names::ca_name()?,
        spki,
        &signer,
    )
    .map_err(cert_error)?;
    builder
        .add_extension(&AuthorityKeyIdentifier {
            key_identifier: Some(ski.0.clone()),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        })
        .map_err(cert_error)?;
    let certificate = builder
        .build::<rsa::pkcs1v15::Signature>()
        .map_err(cert_error)?;
    Credential::new(key, certificate)
}

/// The TSA: an end-entity certificate with the critical extendedKeyUsage timeStamping.
pub(crate) fn issue_tsa(
    rng: &mut ChaCha20Rng,
    ca: &Credential,
    key: RsaPrivateKey,
    now: SystemTime,
) -> Result<Credential, SignerError> {
    let serial = keys::random_serial(rng)?;
    let spki = spki_of(&key)?;
    let signer = ca.signing_key();
    let mut builder = CertificateBuilder::new(
        Profile::Leaf {
            issuer: ca.subject().clone(),
            enable_key_agreement: false,
            enable_key_encipherment: false,
        },
        serial,
        validity(start_of_yesterday(now), 5 * 365 * DAY)?,
        names::tsa_name()?,
        spki,
        &signer,
    )
    .map_err(cert_error)?;
    builder
        .add_extension(&CriticalExtendedKeyUsage(ExtendedKeyUsage(vec![
            oids::KP_TIME_STAMPING,
        ])))
        .map_err(cert_error)?;
    let certificate = builder
        .build::<rsa::pkcs1v15::Signature>()
        .map_err(cert_error)?;
    Credential::new(key, certificate)
}

/// A one-use natural-person signing certificate in the style of an EU qualified certificate:
/// keyUsage digitalSignature + nonRepudiation (critical), key identifiers, certificatePolicies,
/// qcStatements and, with an e-mail, subjectAltName.
pub(crate) fn issue_signer(
    rng: &mut ChaCha20Rng,
    ca: &Credential,
    subject: &SignerSubject,
    key: RsaPrivateKey,
    now: SystemTime,
) -> Result<(Credential, String), SignerError> {
    let name = names::signer_name(subject)?;
    let serial = keys::random_serial(rng)?;
    let spki = spki_of(&key)?;
    let signer = ca.signing_key();
    let mut builder = CertificateBuilder::new(
        Profile::Leaf {
            issuer: ca.subject().clone(),
            enable_key_agreement: false,
            enable_key_encipherment: false,
        },
        serial,
        validity(now - CLOCK_SKEW, SIGNER_VALIDITY)?,
        name.name,
        spki,
        &signer,
    )
    .map_err(cert_error)?;
    builder
        .add_extension(&CertificatePolicies(vec![
            PolicyInformation {
                policy_identifier: oids::POLICY_SIMULATED_ONE_SHOT,
                policy_qualifiers: None,
            },
            PolicyInformation {
                policy_identifier: oids::POLICY_QCP_N_QSCD,
                policy_qualifiers: None,
            },
        ]))
        .map_err(cert_error)?;
    builder
        .add_extension(&QcStatements::qualified_esign().map_err(cert_error)?)
        .map_err(cert_error)?;
    if let Some(email) = &name.email {
        let email = Ia5String::new(email).map_err(cert_error)?;
        builder
            .add_extension(&SubjectAltName(vec![GeneralName::Rfc822Name(email)]))
            .map_err(cert_error)?;
    }
    let certificate = builder
        .build::<rsa::pkcs1v15::Signature>()
        .map_err(cert_error)?;
    Ok((Credential::new(key, certificate)?, name.common_name))
}
