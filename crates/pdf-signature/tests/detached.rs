//! Detached CMS signatures (`.p7m`) from the hash-signing flow.

mod support;

use base64::Engine;
use pdf_signature::{
    DigestAlgorithm, Integrity, SignatureError, verify_chain, verify_detached_digest,
};
use support::cms_builder::{self, CmsOptions, Hash};
use support::pki::{PrivateKey, TestPki};

const DOCUMENT: &[u8] = b"the document the customer signed";

#[test]
fn a_p7m_over_the_digest_is_intact_and_names_its_signer() {
    let pki = TestPki::new();
    let digest = Hash::Sha256.digest(DOCUMENT);
    let options = CmsOptions {
        extra_certificates: vec![&pki.intermediate.cert],
        signing_time: true,
        timestamp: Some(&pki.tsa),
        ..CmsOptions::default()
    };
    let p7m = cms_builder::detached(&pki.signer, &digest, &options);

    let checked = verify_detached_digest(&p7m, &digest, DigestAlgorithm::Sha256).expect("a CMS");
    assert_eq!(checked.integrity, Integrity::Intact);
    assert_eq!(
        checked
            .signer
            .as_ref()
            .and_then(|s| s.common_name.as_deref()),
        Some("Ana García Pérez")
    );
    assert_eq!(checked.digest_algorithm, Some(DigestAlgorithm::Sha256));
    assert!(checked.has_signing_certificate_v2);
    assert!(checked.claimed_signing_time.is_some());
    assert!(checked.timestamp.as_ref().is_some_and(|t| t.is_valid()));
    assert!(verify_chain(&checked, &[pki.root.der()]).is_trusted());
}

#[test]
fn another_digest_is_a_mismatch() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let p7m = cms_builder::detached(
        &pki.signer,
        &Hash::Sha256.digest(DOCUMENT),
        &CmsOptions::default(),
    );
    let other = Hash::Sha256.digest(b"a different document");
    let checked = verify_detached_digest(&p7m, &other, DigestAlgorithm::Sha256).expect("a CMS");
    assert_eq!(checked.integrity, Integrity::DigestMismatch);

    let sha512 = Hash::Sha512.digest(DOCUMENT);
    let checked = verify_detached_digest(&p7m, &sha512, DigestAlgorithm::Sha512).expect("a CMS");
    assert_eq!(checked.integrity, Integrity::DigestMismatch);
    assert!(
        checked.warnings.iter().any(|w| w.contains("SHA-512")),
        "{:?}",
        checked.warnings
    );
}

#[test]
fn pem_and_base64_forms_are_accepted() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let digest = Hash::Sha256.digest(DOCUMENT);
    let der = cms_builder::detached(&pki.signer, &digest, &CmsOptions::default());
    let base64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let wrapped: Vec<String> = base64
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let pem = format!(
        "-----BEGIN PKCS7-----\n{}\n-----END PKCS7-----\n",
        wrapped.join("\n")
    );
    for form in [base64.into_bytes(), pem.into_bytes()] {
        let checked =
            verify_detached_digest(&form, &digest, DigestAlgorithm::Sha256).expect("a CMS");
        assert_eq!(checked.integrity, Integrity::Intact);
    }
}

#[test]
fn bad_inputs_are_typed_errors() {
    let digest = Hash::Sha256.digest(DOCUMENT);
    let error = verify_detached_digest(b"\x30\x03\x02\x01", &digest, DigestAlgorithm::Sha256)
        .expect_err("garbage");
    assert_eq!(error.code(), "signature.invalid_cms");
    let error = verify_detached_digest(b"%%% not base64 %%%", &digest, DigestAlgorithm::Sha256)
        .expect_err("garbage");
    assert_eq!(error.code(), "signature.invalid_cms");
    let error = verify_detached_digest(b"", &digest, DigestAlgorithm::Sha256).expect_err("empty");
    assert_eq!(error.code(), "signature.invalid_cms");
    let error = verify_detached_digest(b"\x30\x00", &digest[..20], DigestAlgorithm::Sha256)
        .expect_err("short digest");
    assert!(
        matches!(
            error,
            SignatureError::DigestLength {
                expected: 32,
                actual: 20,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn digest_algorithm_names_from_the_hash_flow_are_understood() {
    assert_eq!(
        DigestAlgorithm::from_name("sha256"),
        Some(DigestAlgorithm::Sha256)
    );
    assert_eq!(
        DigestAlgorithm::from_name("sha256WithRSAEncryption"),
        Some(DigestAlgorithm::Sha256)
    );
    assert_eq!(
        DigestAlgorithm::from_name("SHA-384"),
        Some(DigestAlgorithm::Sha384)
    );
    assert_eq!(DigestAlgorithm::from_name("md5"), None);
}
