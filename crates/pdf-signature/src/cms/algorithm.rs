//! Signature schemes and verifying a signature over an already computed digest (RSA PKCS#1
//! v1.5, RSA-PSS, ECDSA on P-256 and P-384).

use crate::DigestAlgorithm;
use crate::oids;
use der::{Decode, Encode};
use signature::hazmat::PrehashVerifier;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// Largest RSA modulus accepted (some roots use 8192 bits; `rsa`'s default stops at 4096).
const MAX_RSA_BITS: usize = 16384;

/// How a signature was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    RsaPkcs1(DigestAlgorithm),
    RsaPss {
        hash: DigestAlgorithm,
        salt_len: usize,
    },
    Ecdsa(DigestAlgorithm),
}

/// The outcome of a verification.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verification {
    Valid,
    Invalid,
    /// The key or scheme is not one this crate implements (named).
    Unsupported(String),
}

impl Scheme {
    /// The digest the signature is computed over.
    pub(crate) fn hash(self) -> DigestAlgorithm {
        match self {
            Self::RsaPkcs1(h) | Self::Ecdsa(h) | Self::RsaPss { hash: h, .. } => h,
        }
    }

    /// A name for people, with the curve for ECDSA.
    pub(crate) fn describe(self, key: &SubjectPublicKeyInfoOwned) -> String {
        match self {
            Self::RsaPkcs1(_) => "RSA PKCS#1 v1.5".to_owned(),
            Self::RsaPss { .. } => "RSA-PSS".to_owned(),
            Self::Ecdsa(_) => match curve(key) {
                Some(c) if c == oids::SECP256R1 => "ECDSA P-256".to_owned(),
                Some(c) if c == oids::SECP384R1 => "ECDSA P-384".to_owned(),
                _ => "ECDSA".to_owned(),
            },
        }
    }

    /// The scheme of a certificate's `signatureAlgorithm`, where the hash is part of the
    /// algorithm.
    pub(crate) fn for_certificate(alg: &AlgorithmIdentifierOwned) -> Result<Self, String> {
        Self::from_signature_algorithm(alg, None)
    }

    /// The scheme of a CMS signer: `signatureAlgorithm` may name only the key type
    /// (`rsaEncryption`), in which case the signer's digest algorithm applies.
    pub(crate) fn for_signer(
        alg: &AlgorithmIdentifierOwned,
        digest: DigestAlgorithm,
    ) -> Result<Self, String> {
        Self::from_signature_algorithm(alg, Some(digest))
    }

    fn from_signature_algorithm(
        alg: &AlgorithmIdentifierOwned,
        digest: Option<DigestAlgorithm>,
    ) -> Result<Self, String> {
        use DigestAlgorithm::{Sha1, Sha256, Sha384, Sha512};
        let needs_digest = || digest.ok_or_else(|| format!("signature algorithm {}", alg.oid));
        Ok(match alg.oid {
            oids::SHA1_WITH_RSA => Self::RsaPkcs1(Sha1),
            oids::SHA256_WITH_RSA => Self::RsaPkcs1(Sha256),
            oids::SHA384_WITH_RSA => Self::RsaPkcs1(Sha384),
            oids::SHA512_WITH_RSA => Self::RsaPkcs1(Sha512),
            oids::RSA_ENCRYPTION => Self::RsaPkcs1(needs_digest()?),
            oids::RSASSA_PSS => pss_scheme(alg)?,
            oids::ECDSA_WITH_SHA1 => Self::Ecdsa(Sha1),
            oids::ECDSA_WITH_SHA256 => Self::Ecdsa(Sha256),
            oids::ECDSA_WITH_SHA384 => Self::Ecdsa(Sha384),
            oids::ECDSA_WITH_SHA512 => Self::Ecdsa(Sha512),
            oids::EC_PUBLIC_KEY => Self::Ecdsa(needs_digest()?),
            other => return Err(format!("signature algorithm {other}")),
        })
    }
}

/// RSASSA-PSS parameters (RFC 4055): only MGF1 with the same hash is supported, which is
/// what every PAdES profile uses.
fn pss_scheme(alg: &AlgorithmIdentifierOwned) -> Result<Scheme, String> {
    let unsupported = |what: &str| format!("RSA-PSS {what}");
    let params_der = alg
        .parameters
        .as_ref()
        .ok_or_else(|| unsupported("without parameters"))?
        .to_der()
        .map_err(|e| unsupported(&e.to_string()))?;
    let params = rsa::pkcs1::RsaPssParams::from_der(&params_der)
        .map_err(|e| unsupported(&format!("parameters: {e}")))?;
    let hash = DigestAlgorithm::from_oid(&params.hash.oid)
        .ok_or_else(|| unsupported(&format!("hash {}", params.hash.oid)))?;
    let mgf_hash = params.mask_gen.parameters.as_ref().map(|p| p.oid);
    if params.mask_gen.oid != oids::ID_MGF1 || mgf_hash != Some(hash.oid()) {
        return Err(unsupported(
            "mask generation other than MGF1 with the same hash",
        ));
    }
    Ok(Scheme::RsaPss {
        hash,
        salt_len: usize::from(params.salt_len),
    })
}

fn curve(key: &SubjectPublicKeyInfoOwned) -> Option<const_oid::ObjectIdentifier> {
    key.algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<const_oid::ObjectIdentifier>().ok())
}

/// Verifies `signature` over `hashed` (the digest of the signed message) with `key`.
pub(crate) fn verify(
    key: &SubjectPublicKeyInfoOwned,
    scheme: Scheme,
    hashed: &[u8],
    signature: &[u8],
) -> Verification {
    match scheme {
        Scheme::RsaPkcs1(_) | Scheme::RsaPss { .. } => verify_rsa(key, scheme, hashed, signature),
        Scheme::Ecdsa(_) => verify_ecdsa(key, hashed, signature),
    }
}

fn verify_rsa(
    key: &SubjectPublicKeyInfoOwned,
    scheme: Scheme,
    hashed: &[u8],
    signature: &[u8],
) -> Verification {
    if key.algorithm.oid != oids::RSA_ENCRYPTION && key.algorithm.oid != oids::RSASSA_PSS {
        return Verification::Unsupported(format!(
            "RSA signature with a {} key",
            key.algorithm.oid
        ));
    }
    let Ok(parts) = rsa::pkcs1::RsaPublicKey::from_der(key.subject_public_key.raw_bytes()) else {
        return Verification::Unsupported("undecodable RSA public key".to_owned());
    };
    let n = rsa::BigUint::from_bytes_be(parts.modulus.as_bytes());
    let e = rsa::BigUint::from_bytes_be(parts.public_exponent.as_bytes());
    let Ok(public) = rsa::RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS) else {
        return Verification::Unsupported("unusable RSA public key".to_owned());
    };
    use DigestAlgorithm::{Sha1, Sha256, Sha384, Sha512};
    use rsa::{Pkcs1v15Sign, Pss};
    let outcome = match scheme {
        Scheme::RsaPkcs1(Sha1) => {
            public.verify(Pkcs1v15Sign::new::<sha1::Sha1>(), hashed, signature)
        }
        Scheme::RsaPkcs1(Sha256) => {
            public.verify(Pkcs1v15Sign::new::<sha2::Sha256>(), hashed, signature)
        }
        Scheme::RsaPkcs1(Sha384) => {
            public.verify(Pkcs1v15Sign::new::<sha2::Sha384>(), hashed, signature)
        }
        Scheme::RsaPkcs1(Sha512) => {
            public.verify(Pkcs1v15Sign::new::<sha2::Sha512>(), hashed, signature)
        }
        Scheme::RsaPss { hash, salt_len } => {
            let padding = match hash {
                Sha1 => Pss::new_with_salt::<sha1::Sha1>(salt_len),
                Sha256 => Pss::new_with_salt::<sha2::Sha256>(salt_len),
                Sha384 => Pss::new_with_salt::<sha2::Sha384>(salt_len),
                Sha512 => Pss::new_with_salt::<sha2::Sha512>(salt_len),
            };
            public.verify(padding, hashed, signature)
        }
        Scheme::Ecdsa(_) => return Verification::Unsupported("ECDSA with an RSA key".to_owned()),
    };
    if outcome.is_ok() {
        Verification::Valid
    } else {
        Verification::Invalid
    }
}

fn verify_ecdsa(key: &SubjectPublicKeyInfoOwned, hashed: &[u8], signature: &[u8]) -> Verification {
    if key.algorithm.oid != oids::EC_PUBLIC_KEY {
        return Verification::Unsupported(format!(
            "ECDSA signature with a {} key",
            key.algorithm.oid
        ));
    }
    let point = key.subject_public_key.raw_bytes();
    match curve(key) {
        Some(c) if c == oids::SECP256R1 => {
            let Ok(public) = p256::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return Verification::Unsupported("undecodable P-256 public key".to_owned());
            };
            // CMS carries DER `ECDSA-Sig-Value`; a few producers write raw r||s.
            let parsed = p256::ecdsa::Signature::from_der(signature)
                .or_else(|_| p256::ecdsa::Signature::from_slice(signature));
            match parsed {
                Ok(sig) if public.verify_prehash(hashed, &sig).is_ok() => Verification::Valid,
                _ => Verification::Invalid,
            }
        }
        Some(c) if c == oids::SECP384R1 => {
            let Ok(public) = p384::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return Verification::Unsupported("undecodable P-384 public key".to_owned());
            };
            let parsed = p384::ecdsa::Signature::from_der(signature)
                .or_else(|_| p384::ecdsa::Signature::from_slice(signature));
            match parsed {
                Ok(sig) if public.verify_prehash(hashed, &sig).is_ok() => Verification::Valid,
                _ => Verification::Invalid,
            }
        }
        Some(other) => Verification::Unsupported(format!("elliptic curve {other}")),
        None => Verification::Unsupported("elliptic curve without a named curve".to_owned()),
    }
}
