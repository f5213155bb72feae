//! Chain checks: the signer's certificate up to a trust root given as DER or PEM.

mod support;

use pdf_signature::{
    ChainStatus, PdfSignature, read_signatures_from_bytes, verify_chain, verify_chain_at,
};
use support::cms_builder::{self, CmsOptions, Hash};
use support::pdf_builder::{PdfDocument, SignatureFields};
use support::pki::{self, Party, PrivateKey, Role, TestPki};

fn signed_by(signer: &Party, extra: &[&Party], timestamp: Option<&Party>) -> PdfSignature {
    let mut document = PdfDocument::sample();
    let options = CmsOptions {
        extra_certificates: extra.iter().map(|p| &p.cert).collect(),
        timestamp,
        ..CmsOptions::default()
    };
    document.sign(&SignatureFields::pades("Signature1"), |signed| {
        cms_builder::detached(signer, &Hash::Sha256.digest(signed), &options)
    });
    let mut signatures = read_signatures_from_bytes(&document.bytes).expect("readable");
    signatures.remove(0)
}

#[test]
fn chain_through_the_carried_intermediate_to_the_root_is_trusted() {
    let pki = TestPki::new();
    let signature = signed_by(&pki.signer, &[&pki.intermediate], None);
    for root in [pki.root.der(), pki.root.pem().into_bytes()] {
        match verify_chain(&signature, &[root]) {
            ChainStatus::Trusted { root, path, .. } => {
                assert_eq!(root, "CN=OneShot Test Root CA,O=OneShot Desk Tests,C=ES");
                assert_eq!(path.len(), 3, "{path:?}");
                assert!(path[0].starts_with("CN=Ana García Pérez"));
            }
            other => panic!("expected trusted, got {other:?}"),
        }
    }
}

#[test]
fn a_pem_bundle_with_several_roots_is_accepted() {
    let pki = TestPki::new();
    let other = pki::root("CN=Another Root,C=ES", PrivateKey::p256());
    let signature = signed_by(&pki.signer, &[&pki.intermediate], None);
    let bundle = format!("{}{}", other.pem(), pki.root.pem());
    assert!(verify_chain(&signature, &[bundle]).is_trusted());
}

#[test]
fn an_unrelated_root_is_untrusted() {
    let pki = TestPki::new();
    let other = pki::root("CN=Unrelated Root CA,C=ES", PrivateKey::p256());
    let signature = signed_by(&pki.signer, &[&pki.intermediate], None);
    let status = verify_chain(&signature, &[other.der()]);
    assert!(
        matches!(status, ChainStatus::Untrusted { .. }),
        "{status:?}"
    );
    assert_eq!(status.code(), "chain.untrusted");
}

#[test]
fn a_missing_intermediate_breaks_the_chain() {
    let pki = TestPki::new();
    let signature = signed_by(&pki.signer, &[], None);
    let status = verify_chain(&signature, &[pki.root.der()]);
    assert!(
        matches!(status, ChainStatus::Untrusted { ref reason } if reason.contains("OneShot Test Issuing CA")),
        "{status:?}"
    );
    // Trusting the intermediate itself is enough.
    assert!(verify_chain(&signature, &[pki.intermediate.der()]).is_trusted());
}

#[test]
fn an_impostor_root_with_the_same_name_fails_on_the_issuer_signature() {
    let pki = TestPki::new();
    let impostor = pki::root(
        "CN=OneShot Test Root CA,O=OneShot Desk Tests,C=ES",
        PrivateKey::p256(),
    );
    let signature = signed_by(&pki.signer, &[&pki.intermediate], None);
    let status = verify_chain(&signature, &[impostor.der()]);
    assert!(
        matches!(status, ChainStatus::BadIssuerSignature { ref subject } if subject.contains("Issuing CA")),
        "{status:?}"
    );
}

#[test]
fn validity_periods_are_checked_at_the_validation_time() {
    let pki = TestPki::new();
    let signature = signed_by(&pki.signer, &[&pki.intermediate], None);
    let roots = [pki.root.der()];
    let in_two_years = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(2 * 365 * 24);
    let status = verify_chain_at(&signature, &roots, in_two_years);
    assert!(
        matches!(status, ChainStatus::OutsideValidity { ref subject, .. } if subject.starts_with("CN=Ana")),
        "{status:?}"
    );

    let expired = pki::issue(
        &pki.intermediate,
        "CN=Expired Signer,C=ES",
        PrivateKey::p256(),
        Role::Signer,
        9,
        pki::validity(30, 0),
    );
    let yesterday = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24);
    let old = signed_by(&expired, &[&pki.intermediate], None);
    assert!(verify_chain_at(&old, &roots, yesterday).is_trusted());
    let status = verify_chain_at(
        &old,
        &roots,
        jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1),
    );
    assert_eq!(status.code(), "chain.outside_validity", "{status:?}");
}

#[test]
fn a_valid_signature_timestamp_is_the_validation_time() {
    let pki = TestPki::new();
    let signature = signed_by(&pki.signer, &[&pki.intermediate], Some(&pki.tsa));
    let gen_time = signature.timestamp.as_ref().expect("timestamp").gen_time;
    match verify_chain(&signature, &[pki.root.der()]) {
        ChainStatus::Trusted { checked_at, .. } => assert_eq!(checked_at, gen_time),
        other => panic!("expected trusted, got {other:?}"),
    }
}

#[test]
fn an_end_entity_certificate_cannot_issue() {
    let pki = TestPki::new();
    let fake_ca = pki::issue(
        &pki.root,
        "CN=Not A CA,C=ES",
        PrivateKey::p256(),
        Role::Signer,
        20,
        pki::validity(1, 30),
    );
    let signer = pki::issue(
        &fake_ca,
        "CN=Under A Leaf,C=ES",
        PrivateKey::p256(),
        Role::Signer,
        21,
        pki::validity(1, 30),
    );
    let signature = signed_by(&signer, &[&fake_ca], None);
    let status = verify_chain(&signature, &[pki.root.der()]);
    assert!(
        matches!(status, ChainStatus::Untrusted { ref reason } if reason.contains("not a CA")),
        "{status:?}"
    );
}

#[test]
fn unusable_trust_roots_and_missing_signer_are_reported() {
    let pki = TestPki::new();
    let signature = signed_by(&pki.signer, &[&pki.intermediate], None);
    let status = verify_chain(&signature, &[b"not a certificate".to_vec()]);
    assert_eq!(status.code(), "chain.no_usable_trust_root", "{status:?}");
    let none: [Vec<u8>; 0] = [];
    assert_eq!(
        verify_chain(&signature, &none).code(),
        "chain.no_usable_trust_root"
    );

    let mut without_signer = signature.clone();
    without_signer.signer = None;
    assert_eq!(
        verify_chain(&without_signer, &[pki.root.der()]),
        ChainStatus::NoSignerCertificate
    );
}

#[test]
fn the_trust_root_may_be_the_signer_itself() {
    let self_signed = pki::root("CN=Self Signed Signer,C=ES", PrivateKey::p256());
    let signature = signed_by(&self_signed, &[], None);
    assert!(verify_chain(&signature, &[self_signed.der()]).is_trusted());
    let other = pki::root("CN=Other,C=ES", PrivateKey::p256());
    assert!(!verify_chain(&signature, &[other.der()]).is_trusted());
}
