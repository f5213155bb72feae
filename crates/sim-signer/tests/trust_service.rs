//! The trust service itself: persistence, reproducibility, certificate profiles, identities.
#![allow(clippy::unwrap_used)]

mod common;

use der::{Decode, Encode};
use sim_signer::{SignerIdentity, SignerSubject, TrustService};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};

fn certificate(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn pem_to_der(pem: &str) -> Vec<u8> {
    let (_, der) = der::pem::decode_vec(pem.as_bytes()).unwrap();
    der
}

fn extension<'a>(cert: &'a Certificate, oid: &str) -> &'a x509_cert::ext::Extension {
    cert.tbs_certificate
        .extensions
        .as_ref()
        .unwrap()
        .iter()
        .find(|e| e.extn_id.to_string() == oid)
        .unwrap_or_else(|| panic!("extension {oid} missing"))
}

#[test]
fn a_persisted_trust_service_keeps_its_ca_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let first = TrustService::load_or_create(dir.path(), Some(11)).unwrap();
    let second = TrustService::load_or_create(dir.path(), None).unwrap();
    assert_eq!(first.ca_certificate_pem(), second.ca_certificate_pem());
    assert_eq!(first.tsa_certificate_pem(), second.tsa_certificate_pem());
    let written = std::fs::read_to_string(dir.path().join("ca-certificate.pem")).unwrap();
    assert_eq!(written, first.ca_certificate_pem());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("trust-service.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the private keys are readable by the owner only"
        );
    }
    // A signer issued by the reloaded service chains to the same CA.
    let signer = second.issue_signer(&common::subject()).unwrap();
    assert_eq!(
        certificate(signer.certificate_der()).tbs_certificate.issuer,
        certificate(first.ca_certificate_der())
            .tbs_certificate
            .subject
    );
}

#[test]
fn a_damaged_store_is_reported_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("trust-service.pem");
    std::fs::write(
        &store,
        "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let error = TrustService::load_or_create(dir.path(), None).unwrap_err();
    assert_eq!(error.code(), "trust.persistence");
    assert!(
        std::fs::read_to_string(&store)
            .unwrap()
            .contains("not base64!"),
        "the file is left for inspection"
    );
}

#[test]
fn a_seed_reproduces_the_ca_and_the_signer_keys() {
    let a = TrustService::generate(Some(42)).unwrap();
    let b = TrustService::generate(Some(42)).unwrap();
    assert_eq!(a.ca_certificate_pem(), b.ca_certificate_pem());
    let (sa, sb) = (
        a.issue_signer(&common::subject()).unwrap(),
        b.issue_signer(&common::subject()).unwrap(),
    );
    assert_eq!(sa.serial_hex(), sb.serial_hex());
    let key = |s: &SignerIdentity| {
        certificate(s.certificate_der())
            .tbs_certificate
            .subject_public_key_info
    };
    assert_eq!(key(&sa), key(&sb));
    let other = TrustService::generate(Some(43)).unwrap();
    assert_ne!(a.ca_certificate_pem(), other.ca_certificate_pem());
}

#[test]
fn ca_and_tsa_certificates_have_the_expected_profile() {
    let trust = common::trust();
    let ca = certificate(trust.ca_certificate_der());
    let tbs = &ca.tbs_certificate;
    assert_eq!(tbs.issuer, tbs.subject, "the CA is self-signed");
    let basic = extension(&ca, "2.5.29.19");
    assert!(basic.critical);
    let constraints =
        x509_cert::ext::pkix::BasicConstraints::from_der(basic.extn_value.as_bytes()).unwrap();
    assert!(constraints.ca);
    let usage = extension(&ca, "2.5.29.15");
    assert!(usage.critical);
    let usage = KeyUsage::from_der(usage.extn_value.as_bytes()).unwrap();
    assert!(usage.0.contains(KeyUsages::KeyCertSign) && usage.0.contains(KeyUsages::CRLSign));
    let ski =
        SubjectKeyIdentifier::from_der(extension(&ca, "2.5.29.14").extn_value.as_bytes()).unwrap();
    let aki = AuthorityKeyIdentifier::from_der(extension(&ca, "2.5.29.35").extn_value.as_bytes())
        .unwrap();
    assert_eq!(aki.key_identifier.as_ref(), Some(&ski.0));

    let tsa = certificate(&pem_to_der(&trust.tsa_certificate_pem()));
    assert_eq!(tsa.tbs_certificate.issuer, ca.tbs_certificate.subject);
    let eku = extension(&tsa, "2.5.29.37");
    assert!(
        eku.critical,
        "RFC 3161: the TSA's extendedKeyUsage is critical"
    );
    let eku = ExtendedKeyUsage::from_der(eku.extn_value.as_bytes()).unwrap();
    assert_eq!(
        eku.0.iter().map(|o| o.to_string()).collect::<Vec<_>>(),
        ["1.3.6.1.5.5.7.3.8"]
    );
}

#[test]
fn signer_certificates_follow_the_qualified_certificate_style() {
    let trust = common::trust();
    let signer = common::signer();
    assert_eq!(signer.common_name(), "Ana María García Łopez");
    let cert = certificate(signer.certificate_der());
    let tbs = &cert.tbs_certificate;
    let subject = tbs.subject.to_string();
    for part in [
        "CN=Ana María García Łopez",
        "SERIALNUMBER=IDCES-12345678Z",
        "C=ES",
        "GIVENNAME=Ana María",
        "SN=García Łopez",
        "EMAIL=ana.garcia@example.com",
    ] {
        assert!(subject.contains(part), "{part} missing in {subject}");
    }
    assert_eq!(
        signer.serial_hex(),
        tbs.serial_number
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>()
    );
    let usage = extension(&cert, "2.5.29.15");
    assert!(usage.critical);
    let usage = KeyUsage::from_der(usage.extn_value.as_bytes()).unwrap();
    assert!(
        usage.0.contains(KeyUsages::DigitalSignature)
            && usage.0.contains(KeyUsages::NonRepudiation)
    );
    assert!(!usage.0.contains(KeyUsages::KeyCertSign));
    let ca_ski = SubjectKeyIdentifier::from_der(
        extension(&certificate(trust.ca_certificate_der()), "2.5.29.14")
            .extn_value
            .as_bytes(),
    )
    .unwrap();
    let aki = AuthorityKeyIdentifier::from_der(extension(&cert, "2.5.29.35").extn_value.as_bytes())
        .unwrap();
    assert_eq!(aki.key_identifier.as_ref(), Some(&ca_ski.0));
    extension(&cert, "2.5.29.14");
    extension(&cert, "2.5.29.17"); // subjectAltName with the e-mail
    extension(&cert, "2.5.29.32"); // certificatePolicies
    extension(&cert, "1.3.6.1.5.5.7.1.3"); // qcStatements
    let validity = &tbs.validity;
    let lifetime = validity.not_after.to_unix_duration() - validity.not_before.to_unix_duration();
    assert!(
        lifetime <= std::time::Duration::from_secs(8 * 24 * 3600),
        "a short-lived one-use certificate"
    );

    // OpenSSL agrees that it chains to the CA.
    let dir = tempfile::tempdir().unwrap();
    let leaf = dir.path().join("leaf.pem");
    std::fs::write(&leaf, signer.certificate_pem()).unwrap();
    let output = common::run(
        common::tool("openssl")
            .args(["verify", "-CAfile"])
            .arg(common::ca_pem_path())
            .arg(&leaf),
    );
    assert!(
        output.status.success(),
        "openssl verify: {}",
        common::text(&output)
    );
}

#[test]
fn identities_round_trip_through_pem_and_hide_their_key() {
    let signer = common::signer();
    let pem = signer.to_pem();
    assert!(
        pem.contains("-----BEGIN CERTIFICATE-----") && pem.contains("-----BEGIN PRIVATE KEY-----")
    );
    let restored = SignerIdentity::from_pem(&pem).unwrap();
    assert_eq!(restored.certificate_der(), signer.certificate_der());
    assert_eq!(restored.common_name(), signer.common_name());
    let debug = format!("{restored:?}");
    assert!(
        !debug.contains("PRIVATE") && debug.contains(signer.common_name()),
        "{debug}"
    );

    // A certificate with someone else's key is refused.
    let other = common::trust()
        .issue_signer(&common::subject())
        .unwrap()
        .to_pem();
    let key_at = other.find("-----BEGIN PRIVATE KEY-----").unwrap();
    let cert_at = pem.find("-----BEGIN PRIVATE KEY-----").unwrap();
    let mixed = format!("{}{}", &pem[..cert_at], &other[key_at..]);
    assert_eq!(
        SignerIdentity::from_pem(&mixed).unwrap_err().code(),
        "trust.persistence"
    );
    assert_eq!(
        SignerIdentity::from_pem("no pem here").unwrap_err().code(),
        "trust.persistence"
    );
}

#[test]
fn unusable_subjects_are_refused_before_any_key_is_made() {
    let base = common::subject();
    let cases: Vec<(SignerSubject, &str)> = vec![
        (
            SignerSubject {
                given_name: " ".into(),
                ..base.clone()
            },
            "given name",
        ),
        (
            SignerSubject {
                surname_1: String::new(),
                ..base.clone()
            },
            "first surname",
        ),
        (
            SignerSubject {
                country: "Spain".into(),
                ..base.clone()
            },
            "two-letter",
        ),
        (
            SignerSubject {
                serial_number: "12 34".into(),
                ..base.clone()
            },
            "ID document number",
        ),
        (
            SignerSubject {
                email: Some("not-an-address".into()),
                ..base.clone()
            },
            "e-mail",
        ),
    ];
    for (subject, reason) in cases {
        let error = common::trust().issue_signer(&subject).unwrap_err();
        assert_eq!(error.code(), "cert.invalid_subject", "{subject:?}");
        assert!(error.to_string().contains(reason), "{error}");
    }
    // Long names are shortened in CN (64 characters at most) but kept whole in givenName/surname.
    let long = SignerSubject {
        given_name: "María de los Ángeles Guadalupe Inmaculada".into(),
        ..base
    };
    let signer = common::trust().issue_signer(&long).unwrap();
    assert!(signer.common_name().chars().count() <= 64);
    let _ = certificate(signer.certificate_der()).to_der().unwrap();
}

#[test]
fn the_service_and_identities_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<TrustService>();
    shareable::<SignerIdentity>();
    shareable::<sim_signer::SignerError>();
    // Two threads issuing and signing at once, as concurrent requests in the simulator do.
    let dir = tempfile::tempdir().unwrap();
    let input = common::fixtures::contract(dir.path());
    std::thread::scope(|scope| {
        for i in 0..2 {
            let input = &input;
            let output = dir.path().join(format!("signed-{i}.pdf"));
            scope.spawn(move || {
                let signer = common::trust().issue_signer(&common::subject()).unwrap();
                let options = common::fixtures::options(None, true);
                common::trust()
                    .sign_pdf(&signer, input, &output, &options)
                    .unwrap();
                assert!(common::validate::pdfsig(&output).contains("Signature is Valid."));
            });
        }
    });
}
