//! A throw-away PKI: root CA, intermediate CA, signers and a timestamp authority.

use der::{Decode, Encode, EncodePem, pem::LineEnding};
use sha2::Sha256;
use spki::{EncodePublicKey, SubjectPublicKeyInfoOwned};
use std::str::FromStr;
use std::time::{Duration, SystemTime};
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// A private key of one of the kinds the tests use.
pub enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::ecdsa::SigningKey),
}

impl PrivateKey {
    pub fn rsa() -> Self {
        let key =
            rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("RSA key generation");
        Self::Rsa(Box::new(key))
    }

    pub fn p256() -> Self {
        Self::P256(p256::ecdsa::SigningKey::random(&mut rsa::rand_core::OsRng))
    }

    pub fn spki(&self) -> SubjectPublicKeyInfoOwned {
        let der = match self {
            Self::Rsa(key) => key.to_public_key().to_public_key_der(),
            Self::P256(key) => key.verifying_key().to_public_key_der(),
        }
        .expect("public key DER");
        SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).expect("SPKI")
    }

    /// PKCS#8 PEM, for external tools.
    pub fn pkcs8_pem(&self) -> String {
        use rsa::pkcs8::EncodePrivateKey;
        let pem = match self {
            Self::Rsa(key) => key.to_pkcs8_pem(LineEnding::LF),
            Self::P256(key) => key.to_pkcs8_pem(LineEnding::LF),
        };
        pem.expect("PKCS#8 PEM").to_string()
    }
}

/// A key with its certificate.
pub struct Party {
    pub key: PrivateKey,
    pub cert: Certificate,
}

impl Party {
    pub fn der(&self) -> Vec<u8> {
        self.cert.to_der().expect("certificate DER")
    }

    pub fn pem(&self) -> String {
        self.cert.to_pem(LineEnding::LF).expect("certificate PEM")
    }

    pub fn name(&self) -> Name {
        self.cert.tbs_certificate.subject.clone()
    }
}

/// What a certificate is for.
#[derive(Clone, Copy)]
pub enum Role {
    IntermediateCa,
    Signer,
    TimestampAuthority,
}

/// A validity period `days_before` days ago to `days_after` days ahead.
pub fn validity(days_before: u64, days_after: u64) -> Validity {
    let day = Duration::from_secs(86_400);
    let now = SystemTime::now();
    let time = |t: SystemTime| {
        Time::UtcTime(der::asn1::UtcTime::from_system_time(t).expect("UTCTime range"))
    };
    Validity {
        not_before: time(now - day * days_before as u32),
        not_after: time(now + day * days_after as u32),
    }
}

/// A self-signed root CA.
pub fn root(dn: &str, key: PrivateKey) -> Party {
    let subject = Name::from_str(dn).expect("distinguished name");
    let cert = build(
        Profile::Root,
        1,
        validity(1, 3650),
        subject,
        key.spki(),
        &key,
        None,
    );
    Party { key, cert }
}

/// A certificate for `key`, issued by `issuer`.
pub fn issue(
    issuer: &Party,
    dn: &str,
    key: PrivateKey,
    role: Role,
    serial: u32,
    period: Validity,
) -> Party {
    let subject = Name::from_str(dn).expect("distinguished name");
    let profile = match role {
        Role::IntermediateCa => Profile::SubCA {
            issuer: issuer.name(),
            path_len_constraint: Some(0),
        },
        Role::Signer | Role::TimestampAuthority => Profile::Leaf {
            issuer: issuer.name(),
            enable_key_agreement: false,
            enable_key_encipherment: false,
        },
    };
    let eku = matches!(role, Role::TimestampAuthority)
        .then(|| ExtendedKeyUsage(vec![const_oid::db::rfc5280::ID_KP_TIME_STAMPING]));
    let cert = build(
        profile,
        serial,
        period,
        subject,
        key.spki(),
        &issuer.key,
        eku,
    );
    Party { key, cert }
}

fn build(
    profile: Profile,
    serial: u32,
    period: Validity,
    subject: Name,
    spki: SubjectPublicKeyInfoOwned,
    issuer_key: &PrivateKey,
    eku: Option<ExtendedKeyUsage>,
) -> Certificate {
    let serial = SerialNumber::from(serial);
    match issuer_key {
        PrivateKey::Rsa(key) => {
            let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key.as_ref().clone());
            let mut builder =
                CertificateBuilder::new(profile, serial, period, subject, spki, &signer)
                    .expect("builder");
            if let Some(eku) = &eku {
                builder.add_extension(eku).expect("EKU");
            }
            builder
                .build::<rsa::pkcs1v15::Signature>()
                .expect("RSA-signed certificate")
        }
        PrivateKey::P256(key) => {
            let mut builder = CertificateBuilder::new(profile, serial, period, subject, spki, key)
                .expect("builder");
            if let Some(eku) = &eku {
                builder.add_extension(eku).expect("EKU");
            }
            builder
                .build::<p256::ecdsa::DerSignature>()
                .expect("ECDSA-signed certificate")
        }
    }
}

/// The PKI most tests use: root → intermediate → RSA signer, and a TSA under the root.
pub struct TestPki {
    pub root: Party,
    pub intermediate: Party,
    pub signer: Party,
    pub tsa: Party,
}

impl TestPki {
    pub fn new() -> Self {
        Self::with_signer_key(PrivateKey::rsa())
    }

    pub fn with_signer_key(signer_key: PrivateKey) -> Self {
        let root = root(
            "CN=OneShot Test Root CA,O=OneShot Desk Tests,C=ES",
            PrivateKey::p256(),
        );
        let intermediate = issue(
            &root,
            "CN=OneShot Test Issuing CA,O=OneShot Desk Tests,C=ES",
            PrivateKey::p256(),
            Role::IntermediateCa,
            2,
            validity(1, 1825),
        );
        let signer = issue(
            &intermediate,
            "CN=Ana García Pérez,serialNumber=IDCES-12345678Z,givenName=Ana,sn=García Pérez,C=ES",
            signer_key,
            Role::Signer,
            0x1234_5678,
            validity(1, 365),
        );
        let tsa = issue(
            &root,
            "CN=OneShot Test TSA,O=OneShot Desk Tests,C=ES",
            PrivateKey::p256(),
            Role::TimestampAuthority,
            3,
            validity(1, 1825),
        );
        Self {
            root,
            intermediate,
            signer,
            tsa,
        }
    }
}
