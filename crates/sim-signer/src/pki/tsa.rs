//! The in-process RFC 3161 time-stamping authority.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use cms::builder::SignerInfoBuilder;
use cms::cert::IssuerAndSerialNumber;
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::asn1::{GeneralizedTime, Int, OctetString};
use der::{Any, Encode, Tag};
use rsa::pkcs1v15::Signature;
use spki::AlgorithmIdentifier;
use x509_cert::builder::Builder;
use x509_cert::ext::pkix::name::GeneralName;
use x509_tsp::{Accuracy, MessageImprint, TspVersion, TstInfo};

use super::certs::Credential;
use super::cms_sign::{DigestAlgorithm, cms_error, signed_data};
use super::oids;
use crate::SignerError;

/// A TSA: its credential, the CA certificate placed in tokens, and a serial counter.
pub(crate) struct TimeStampAuthority {
    pub(crate) credential: Credential,
    pub(crate) ca: Credential,
    /// Token serial numbers: a random base plus a counter, unique within a run and across runs.
    next_serial: AtomicU64,
    serial_base: [u8; 8],
}

impl TimeStampAuthority {
    pub(crate) fn new(credential: Credential, ca: Credential, serial_base: [u8; 8]) -> Self {
        TimeStampAuthority {
            credential,
            ca,
            next_serial: AtomicU64::new(1),
            serial_base,
        }
    }

    /// A TimeStampToken (RFC 3161 §2.4.2) over a SHA-256 `imprint`, time-stamped now.
    pub(crate) fn timestamp(&self, imprint: &[u8]) -> Result<ContentInfo, SignerError> {
        let counter = self.next_serial.fetch_add(1, Ordering::Relaxed);
        let mut serial = [0u8; 16];
        serial[..8].copy_from_slice(&self.serial_base);
        serial[8..].copy_from_slice(&counter.to_be_bytes());
        serial[0] = (serial[0] & 0x7f) | 0x40;
        let tst_info = TstInfo {
            version: TspVersion::V1,
            policy: oids::POLICY_SIMULATED_TSA,
            message_imprint: MessageImprint {
                hash_algorithm: AlgorithmIdentifier {
                    oid: oids::SHA256,
                    parameters: None,
                },
                hashed_message: OctetString::new(imprint).map_err(cms_error)?,
            },
            serial_number: Int::new(&serial).map_err(cms_error)?,
            gen_time: GeneralizedTime::from_system_time(SystemTime::now()).map_err(cms_error)?,
            accuracy: Some(Accuracy {
                seconds: Some(1),
                millis: None,
                micros: None,
            }),
            ordering: false,
            nonce: None,
            tsa: Some(GeneralName::DirectoryName(
                self.credential.subject().clone(),
            )),
            extensions: None,
        };
        let tst_der = tst_info.to_der().map_err(cms_error)?;
        let econtent = EncapsulatedContentInfo {
            econtent_type: oids::TST_INFO,
            econtent: Some(Any::new(Tag::OctetString, tst_der).map_err(cms_error)?),
        };
        let key = self.credential.signing_key();
        let tbs = &self.credential.certificate.tbs_certificate;
        let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer.clone(),
            serial_number: tbs.serial_number.clone(),
        });
        let mut builder = SignerInfoBuilder::new(
            &key,
            sid,
            DigestAlgorithm::Sha256.identifier(),
            &econtent,
            None,
        )
        .map_err(cms_error)?;
        // RFC 3161 §2.4.1 / RFC 5816: the token names the TSA certificate with ESSCertIDv2.
        builder
            .add_signed_attribute(super::ess::signing_certificate_v2(&self.credential)?)
            .map_err(cms_error)?;
        let signer_info = builder.build::<Signature>().map_err(cms_error)?;
        signed_data(
            econtent,
            DigestAlgorithm::Sha256,
            &[&self.credential, &self.ca],
            signer_info,
        )
    }
}
