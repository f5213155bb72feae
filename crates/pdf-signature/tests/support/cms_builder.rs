//! CMS signatures and RFC 3161 timestamp tokens made with the RustCrypto `cms` builder.

use super::pki::{Party, PrivateKey};
use cms::builder::{SignedDataBuilder, SignerInfoBuilder, create_signing_time_attribute};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfos};
use const_oid::ObjectIdentifier;
use der::asn1::{GeneralizedTime, Int, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Tag};
use sha2::Digest;
use spki::AlgorithmIdentifierOwned;
use std::time::SystemTime;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

pub const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
pub const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub const ID_CT_TST_INFO: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
pub const ID_AA_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
pub const ID_AA_TIMESTAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
pub const TSA_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1.1");

/// The digest algorithms the tests sign with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    pub fn oid(self) -> ObjectIdentifier {
        use const_oid::db::rfc5912;
        match self {
            Self::Sha256 => rfc5912::ID_SHA_256,
            Self::Sha384 => rfc5912::ID_SHA_384,
            Self::Sha512 => rfc5912::ID_SHA_512,
        }
    }

    fn algorithm(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }
}

/// How to make a signature.
pub struct CmsOptions<'a> {
    pub hash: Hash,
    pub rsa_pss: bool,
    pub signing_certificate_v2: bool,
    pub signing_time: bool,
    /// Adds a signature timestamp token from this TSA.
    pub timestamp: Option<&'a Party>,
    /// Certificates carried besides the signer's.
    pub extra_certificates: Vec<&'a Certificate>,
    /// Which certificate the signing-certificate-v2 attribute names (default: the signer's).
    pub claimed_certificate: Option<&'a Certificate>,
}

impl Default for CmsOptions<'_> {
    fn default() -> Self {
        Self {
            hash: Hash::Sha256,
            rsa_pss: false,
            signing_certificate_v2: true,
            signing_time: false,
            timestamp: None,
            extra_certificates: Vec::new(),
            claimed_certificate: None,
        }
    }
}

/// A detached CMS SignedData over content whose `hash` digest is `digest`.
pub fn detached(signer: &Party, digest: &[u8], options: &CmsOptions<'_>) -> Vec<u8> {
    let encapsulated = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let mut attributes = Vec::new();
    if options.signing_certificate_v2 {
        attributes.push(signing_certificate_v2(
            options.claimed_certificate.unwrap_or(&signer.cert),
        ));
    }
    if options.signing_time {
        attributes.push(create_signing_time_attribute().expect("signing time"));
    }
    let mut certificates = vec![&signer.cert];
    certificates.extend(options.extra_certificates.iter().copied());
    let content_info = sign(
        signer,
        &encapsulated,
        Some(digest),
        options.hash,
        options.rsa_pss,
        attributes,
        &certificates,
    );
    let content_info = match options.timestamp {
        Some(tsa) => add_signature_timestamp(content_info, tsa),
        None => content_info,
    };
    content_info.to_der().expect("ContentInfo DER")
}

/// An RFC 3161 timestamp token (a `ContentInfo`) over `imprint`, a SHA-256 digest.
pub fn timestamp_token(tsa: &Party, imprint: &[u8]) -> Vec<u8> {
    let message_imprint = x509_tsp::MessageImprint {
        hash_algorithm: spki::AlgorithmIdentifier {
            oid: Hash::Sha256.oid(),
            parameters: None,
        },
        hashed_message: OctetString::new(imprint).expect("imprint"),
    };
    timestamp_token_content(tsa, message_imprint, None)
        .to_der()
        .expect("token DER")
}

/// The DER `TimeStampResp` (RFC 3161 §2.4.2) granting `request` (a DER `TimeStampReq`).
pub fn timestamp_response(tsa: &Party, request: &[u8]) -> Vec<u8> {
    let request = x509_tsp::TimeStampReq::from_der(request).expect("TimeStampReq");
    let token = timestamp_token_content(tsa, request.message_imprint, request.nonce)
        .to_der()
        .expect("token DER");
    let granted = tlv(0x30, &tlv(0x02, &[0]));
    tlv(0x30, &[granted, token].concat())
}

fn timestamp_token_content(
    tsa: &Party,
    message_imprint: x509_tsp::MessageImprint,
    nonce: Option<Int>,
) -> ContentInfo {
    let info = x509_tsp::TstInfo {
        version: x509_tsp::TspVersion::V1,
        policy: TSA_POLICY,
        message_imprint,
        serial_number: Int::new(&[0x01, 0x42]).expect("serial"),
        gen_time: GeneralizedTime::from_system_time(SystemTime::now()).expect("now"),
        accuracy: None,
        ordering: false,
        nonce,
        tsa: None,
        extensions: None,
    };
    let tst_der = info.to_der().expect("TSTInfo DER");
    let encapsulated = EncapsulatedContentInfo {
        econtent_type: ID_CT_TST_INFO,
        econtent: Some(Any::new(Tag::OctetString, tst_der).expect("eContent")),
    };
    let attributes = vec![signing_certificate_v2(&tsa.cert)];
    sign(
        tsa,
        &encapsulated,
        None,
        Hash::Sha256,
        false,
        attributes,
        &[&tsa.cert],
    )
}

fn add_signature_timestamp(content_info: ContentInfo, tsa: &Party) -> ContentInfo {
    let mut signed_data: SignedData = content_info.content.decode_as().expect("SignedData");
    let mut infos: Vec<_> = signed_data.signer_infos.0.into_vec();
    let info = &mut infos[0];
    let imprint = Hash::Sha256.digest(info.signature.as_bytes());
    let token = timestamp_token(tsa, &imprint);
    let attribute = Attribute {
        oid: ID_AA_TIMESTAMP_TOKEN,
        values: SetOfVec::try_from(vec![Any::from_der(&token).expect("token")]).expect("set"),
    };
    info.unsigned_attrs = Some(SetOfVec::try_from(vec![attribute]).expect("attributes"));
    signed_data.signer_infos = SignerInfos(SetOfVec::try_from(infos).expect("signer infos"));
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).expect("SignedData"),
    }
}

/// ESS signing-certificate-v2 naming `certificate` by its SHA-256 (the default algorithm,
/// so it is omitted as DER requires).
pub fn signing_certificate_v2(certificate: &Certificate) -> Attribute {
    let hash = Hash::Sha256.digest(&certificate.to_der().expect("certificate DER"));
    let cert_hash = tlv(0x04, &hash);
    let ess_cert_id = tlv(0x30, &cert_hash);
    let certs = tlv(0x30, &ess_cert_id);
    let value = tlv(0x30, &certs);
    Attribute {
        oid: ID_AA_SIGNING_CERTIFICATE_V2,
        values: SetOfVec::try_from(vec![Any::from_der(&value).expect("value")]).expect("set"),
    }
}

/// One DER element.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn sign(
    signer: &Party,
    encapsulated: &EncapsulatedContentInfo,
    external_digest: Option<&[u8]>,
    hash: Hash,
    rsa_pss: bool,
    signed_attributes: Vec<Attribute>,
    certificates: &[&Certificate],
) -> ContentInfo {
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: signer.cert.tbs_certificate.issuer.clone(),
        serial_number: signer.cert.tbs_certificate.serial_number.clone(),
    });
    let mut data = SignedDataBuilder::new(encapsulated);
    data.add_digest_algorithm(hash.algorithm())
        .expect("digest algorithm");
    for certificate in certificates {
        data.add_certificate(CertificateChoices::Certificate((*certificate).clone()))
            .expect("certificate");
    }
    macro_rules! with_signer {
        ($key:expr, $signature:ty) => {{
            let key = $key;
            let mut info =
                SignerInfoBuilder::new(&key, sid, hash.algorithm(), encapsulated, external_digest)
                    .expect("signer info");
            for attribute in signed_attributes {
                info.add_signed_attribute(attribute).expect("attribute");
            }
            data.add_signer_info::<_, $signature>(info)
                .expect("signature");
        }};
    }
    match (&signer.key, hash, rsa_pss) {
        (PrivateKey::Rsa(key), Hash::Sha256, false) => {
            with_signer!(
                rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.as_ref().clone()),
                rsa::pkcs1v15::Signature
            )
        }
        (PrivateKey::Rsa(key), Hash::Sha384, false) => {
            with_signer!(
                rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(key.as_ref().clone()),
                rsa::pkcs1v15::Signature
            )
        }
        (PrivateKey::Rsa(key), Hash::Sha512, false) => {
            with_signer!(
                rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(key.as_ref().clone()),
                rsa::pkcs1v15::Signature
            )
        }
        (PrivateKey::Rsa(key), Hash::Sha256, true) => {
            with_signer!(
                rsa::pss::SigningKey::<sha2::Sha256>::new(key.as_ref().clone()),
                rsa::pss::Signature
            )
        }
        (PrivateKey::P256(key), Hash::Sha256, false) => {
            with_signer!(key.clone(), p256::ecdsa::DerSignature)
        }
        _ => panic!("combination not used by the tests"),
    }
    data.build().expect("SignedData")
}
