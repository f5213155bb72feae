//! Detached CMS SignedData (RFC 5652) with RSA PKCS#1 v1.5, as used by PAdES and `.p7m` files.

use cms::builder::SignerInfoBuilder;
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::AssociatedOid;
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Encode};
use rsa::pkcs1v15::{RsaSignatureAssociatedOid, Signature, SigningKey};
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::hazmat::PrehashSigner;
use signature::{SignatureEncoding, Signer};
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier};
use x509_cert::attr::Attribute;
use x509_cert::builder::Builder;

use super::certs::Credential;
use super::oids;
use super::tsa::TimeStampAuthority;
use crate::SignerError;

/// The digest algorithms a CMS signature can be made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DigestAlgorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlgorithm {
    pub(crate) fn output_len(self) -> usize {
        match self {
            DigestAlgorithm::Sha256 => 32,
            DigestAlgorithm::Sha384 => 48,
            DigestAlgorithm::Sha512 => 64,
        }
    }

    pub(crate) fn oid(self) -> const_oid::ObjectIdentifier {
        match self {
            DigestAlgorithm::Sha256 => oids::SHA256,
            DigestAlgorithm::Sha384 => oids::SHA384,
            DigestAlgorithm::Sha512 => oids::SHA512,
        }
    }

    /// The algorithm identifier with absent parameters (RFC 5754 §2).
    pub(crate) fn identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }
}

/// Which signed attributes the SignerInfo carries.
pub(crate) enum SignedAttributes {
    /// No signed attributes: the signature is made directly over the content digest.
    Absent,
    /// contentType, messageDigest, signing-certificate-v2 and these extra attributes.
    Present(Vec<Attribute>),
}

/// What goes into one detached signature.
pub(crate) struct DetachedSignature<'a> {
    pub(crate) signer: &'a Credential,
    /// The issuer chain placed next to the signer's certificate.
    pub(crate) chain: &'a [&'a Credential],
    pub(crate) algorithm: DigestAlgorithm,
    /// Digest of the external content (`eContent` is absent).
    pub(crate) content_digest: &'a [u8],
    pub(crate) signed_attributes: SignedAttributes,
    /// When present, an RFC 3161 token over the signature value is added as the unsigned
    /// attribute id-aa-signatureTimeStampToken (CAdES-T / PAdES B-T).
    pub(crate) timestamp: Option<&'a TimeStampAuthority>,
}

impl DetachedSignature<'_> {
    /// Builds the signature; returns the DER of the `ContentInfo`.
    pub(crate) fn to_der(&self) -> Result<Vec<u8>, SignerError> {
        if self.content_digest.len() != self.algorithm.output_len() {
            return Err(SignerError::Crypto(format!(
                "a {:?} digest has {} bytes, got {}",
                self.algorithm,
                self.algorithm.output_len(),
                self.content_digest.len()
            )));
        }
        let econtent = EncapsulatedContentInfo {
            econtent_type: oids::DATA,
            econtent: None,
        };
        let mut signer_info = match self.algorithm {
            DigestAlgorithm::Sha256 => self.signer_info::<Sha256>(&econtent)?,
            DigestAlgorithm::Sha384 => self.signer_info::<Sha384>(&econtent)?,
            DigestAlgorithm::Sha512 => self.signer_info::<Sha512>(&econtent)?,
        };
        if let Some(tsa) = self.timestamp {
            let token = tsa.timestamp(&Sha256::digest(signer_info.signature.as_bytes()))?;
            let attribute = super::ess::attribute(oids::SIGNATURE_TIME_STAMP_TOKEN, &token)?;
            let mut unsigned = SetOfVec::new();
            unsigned.insert(attribute).map_err(cms_error)?;
            signer_info.unsigned_attrs = Some(unsigned);
        }
        let mut certificates: Vec<&Credential> = vec![self.signer];
        certificates.extend(self.chain.iter().copied());
        signed_data(econtent, self.algorithm, &certificates, signer_info)?
            .to_der()
            .map_err(cms_error)
    }

    fn signer_info<D>(&self, econtent: &EncapsulatedContentInfo) -> Result<SignerInfo, SignerError>
    where
        D: Digest + AssociatedOid + RsaSignatureAssociatedOid,
        SigningKey<D>:
            DynSignatureAlgorithmIdentifier + Signer<Signature> + PrehashSigner<Signature>,
    {
        let key = SigningKey::<D>::new(self.signer.key.clone());
        let sid = issuer_and_serial(self.signer);
        match &self.signed_attributes {
            SignedAttributes::Present(extra) => {
                let mut builder = SignerInfoBuilder::new(
                    &key,
                    sid,
                    self.algorithm.identifier(),
                    econtent,
                    Some(self.content_digest),
                )
                .map_err(cms_error)?;
                // The builder adds contentType and messageDigest itself.
                builder
                    .add_signed_attribute(super::ess::signing_certificate_v2(self.signer)?)
                    .map_err(cms_error)?;
                for attribute in extra {
                    builder
                        .add_signed_attribute(attribute.clone())
                        .map_err(cms_error)?;
                }
                builder.build::<Signature>().map_err(cms_error)
            }
            SignedAttributes::Absent => {
                let signature = key.sign_prehash(self.content_digest).map_err(cms_error)?;
                Ok(SignerInfo {
                    version: CmsVersion::V1,
                    sid,
                    digest_alg: self.algorithm.identifier(),
                    signed_attrs: None,
                    signature_algorithm: key.signature_algorithm_identifier().map_err(cms_error)?,
                    signature: OctetString::new(signature.to_vec()).map_err(cms_error)?,
                    unsigned_attrs: None,
                })
            }
        }
    }
}

fn issuer_and_serial(credential: &Credential) -> SignerIdentifier {
    let tbs = &credential.certificate.tbs_certificate;
    SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: tbs.issuer.clone(),
        serial_number: tbs.serial_number.clone(),
    })
}

/// Wraps one SignerInfo into `ContentInfo { signedData }` with the given certificates.
pub(crate) fn signed_data(
    econtent: EncapsulatedContentInfo,
    algorithm: DigestAlgorithm,
    certificates: &[&Credential],
    signer_info: SignerInfo,
) -> Result<ContentInfo, SignerError> {
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms
        .insert(algorithm.identifier())
        .map_err(cms_error)?;
    let mut certificate_set = SetOfVec::new();
    for credential in certificates {
        certificate_set
            .insert(CertificateChoices::Certificate(
                credential.certificate.clone(),
            ))
            .map_err(cms_error)?;
    }
    let mut signer_infos = SetOfVec::new();
    signer_infos.insert(signer_info).map_err(cms_error)?;
    // RFC 5652 §5.1: version 3 when the content is not id-data, else 1 (no v3 signer infos here).
    let version = if econtent.econtent_type == oids::DATA {
        CmsVersion::V1
    } else {
        CmsVersion::V3
    };
    let signed_data = SignedData {
        version,
        digest_algorithms,
        encap_content_info: econtent,
        certificates: Some(CertificateSet(certificate_set)),
        crls: None,
        signer_infos: SignerInfos(signer_infos),
    };
    Ok(ContentInfo {
        content_type: oids::SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(cms_error)?,
    })
}

pub(crate) fn cms_error(e: impl std::fmt::Display) -> SignerError {
    SignerError::Crypto(format!("CMS: {e}"))
}

/// The CMS signing-time attribute (RFC 5652 §11.3: UTCTime until 2049, GeneralizedTime after).
/// Used for `.p7m` files only: PAdES forbids it and puts the time in `/M`.
pub(crate) fn signing_time_attribute(at: std::time::SystemTime) -> Result<Attribute, SignerError> {
    let time = der::asn1::UtcTime::from_system_time(at)
        .map(x509_cert::time::Time::UtcTime)
        .or_else(|_| {
            der::asn1::GeneralizedTime::from_system_time(at).map(x509_cert::time::Time::GeneralTime)
        })
        .map_err(cms_error)?;
    super::ess::attribute(oids::SIGNING_TIME, &time)
}
