//! Reading PDFs signed by the test support: what is reported for intact, altered, extended and
//! multiply signed documents.

mod support;

use pdf_signature::{
    DigestAlgorithm, Integrity, PadesLevel, PdfSignature, SignatureKind, read_signatures,
    read_signatures_from_bytes,
};
use support::cms_builder::{self, CmsOptions, Hash};
use support::pdf_builder::{PdfDocument, SignatureFields, SignedRevision};
use support::pki::{Party, PrivateKey, TestPki};

fn sign_pades(
    document: &mut PdfDocument,
    field: &str,
    signer: &Party,
    options: &CmsOptions<'_>,
) -> SignedRevision {
    document.sign(&SignatureFields::pades(field), |signed| {
        cms_builder::detached(signer, &options.hash.digest(signed), options)
    })
}

fn only_signature(bytes: &[u8]) -> PdfSignature {
    let mut signatures = read_signatures_from_bytes(bytes).expect("readable");
    assert_eq!(signatures.len(), 1, "{signatures:#?}");
    signatures.remove(0)
}

#[test]
fn intact_pades_signature_reports_signer_dictionary_and_coverage() {
    let pki = TestPki::new();
    let mut document = PdfDocument::sample();
    let options = CmsOptions {
        extra_certificates: vec![&pki.intermediate.cert],
        ..CmsOptions::default()
    };
    let revision = sign_pades(&mut document, "Signature1", &pki.signer, &options);

    let signature = only_signature(&document.bytes);
    assert_eq!(signature.integrity, Integrity::Intact);
    assert_eq!(signature.kind, SignatureKind::Signature);
    assert_eq!(signature.byte_range, revision.byte_range);
    assert_eq!(
        signature.signed_revision_length,
        document.bytes.len() as u64
    );
    assert!(signature.covers_whole_file);
    assert_eq!(signature.contents_offset, revision.byte_range[1]);
    assert_eq!(signature.sub_filter.as_deref(), Some("ETSI.CAdES.detached"));
    assert_eq!(signature.field_name.as_deref(), Some("Signature1"));
    assert_eq!(
        signature.reason.as_deref(),
        Some("Conformidad del cliente — José Núñez")
    );
    assert_eq!(
        signature.location.as_deref(),
        Some("Madrid (Sede \\ central)")
    );
    assert_eq!(signature.name.as_deref(), Some("Ana Garcia Perez"));
    assert_eq!(signature.contact_info.as_deref(), Some("+34 600 000 000"));
    assert_eq!(
        signature.claimed_signing_time,
        Some("2025-03-14T09:15:00Z".parse().expect("time"))
    );
    assert_eq!(signature.digest_algorithm, Some(DigestAlgorithm::Sha256));
    assert_eq!(
        signature.signature_algorithm.as_deref(),
        Some("RSA PKCS#1 v1.5")
    );
    assert!(signature.has_signing_certificate_v2);
    assert!(!signature.has_signing_time_attribute);
    assert_eq!(signature.pades_level, Some(PadesLevel::BB));
    assert!(signature.timestamp.is_none());
    assert!(signature.warnings.is_empty(), "{:?}", signature.warnings);

    let signer = signature.signer.as_ref().expect("signer certificate");
    assert_eq!(signer.common_name.as_deref(), Some("Ana García Pérez"));
    assert_eq!(signer.display_name, "Ana García Pérez");
    assert_eq!(
        signer.subject,
        "CN=Ana García Pérez,serialNumber=IDCES-12345678Z,GN=Ana,SN=García Pérez,C=ES"
    );
    assert_eq!(
        signer.issuer,
        "CN=OneShot Test Issuing CA,O=OneShot Desk Tests,C=ES"
    );
    assert_eq!(signer.serial_hex, "12345678");
    assert_eq!(signer.key_algorithm, "RSA 2048");
    assert!(!signer.is_ca);
    assert_eq!(signer.der, pki.signer.der());
    assert_eq!(signature.chain.len(), 1);
    assert_eq!(
        signature.chain[0].common_name.as_deref(),
        Some("OneShot Test Issuing CA")
    );
    assert!(signature.chain[0].is_ca);
}

#[test]
fn reading_a_file_streams_the_same_report_as_reading_bytes() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let mut document = PdfDocument::sample();
    sign_pades(
        &mut document,
        "Signature1",
        &pki.signer,
        &CmsOptions::default(),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("signed.pdf");
    std::fs::write(&path, &document.bytes).expect("write");
    assert_eq!(
        read_signatures(&path).expect("readable"),
        read_signatures_from_bytes(&document.bytes).expect("readable")
    );
}

#[test]
fn ecdsa_signature_with_timestamp_is_pades_b_t() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let mut document = PdfDocument::sample();
    let options = CmsOptions {
        timestamp: Some(&pki.tsa),
        ..CmsOptions::default()
    };
    sign_pades(&mut document, "Signature1", &pki.signer, &options);

    let signature = only_signature(&document.bytes);
    assert_eq!(signature.integrity, Integrity::Intact);
    assert_eq!(
        signature.signature_algorithm.as_deref(),
        Some("ECDSA P-256")
    );
    assert_eq!(
        signature.signer.as_ref().map(|s| s.key_algorithm.as_str()),
        Some("EC P-256")
    );
    assert_eq!(signature.pades_level, Some(PadesLevel::BT));
    let timestamp = signature.timestamp.as_ref().expect("timestamp");
    assert!(timestamp.imprint_ok);
    assert_eq!(timestamp.integrity, Integrity::Intact);
    assert!(timestamp.is_valid());
    assert_eq!(timestamp.tsa_name.as_deref(), Some("OneShot Test TSA"));
    assert_eq!(timestamp.imprint_algorithm, Some(DigestAlgorithm::Sha256));
    assert_eq!(timestamp.serial_hex, "0142");
    assert_eq!(timestamp.policy, cms_builder::TSA_POLICY.to_string());
    let age = jiff::Timestamp::now().duration_since(timestamp.gen_time);
    assert!(
        age.as_secs() >= 0 && age.as_secs() < 600,
        "genTime {}",
        timestamp.gen_time
    );
}

#[test]
fn rsa_pss_and_larger_digests_verify() {
    let pki = TestPki::new();
    for options in [
        CmsOptions {
            rsa_pss: true,
            ..CmsOptions::default()
        },
        CmsOptions {
            hash: Hash::Sha384,
            ..CmsOptions::default()
        },
        CmsOptions {
            hash: Hash::Sha512,
            ..CmsOptions::default()
        },
    ] {
        let mut document = PdfDocument::sample();
        sign_pades(&mut document, "Signature1", &pki.signer, &options);
        let signature = only_signature(&document.bytes);
        assert_eq!(
            signature.integrity,
            Integrity::Intact,
            "{:?} pss={}",
            options.hash,
            options.rsa_pss
        );
        let expected_name = if options.rsa_pss {
            "RSA-PSS"
        } else {
            "RSA PKCS#1 v1.5"
        };
        assert_eq!(
            signature.signature_algorithm.as_deref(),
            Some(expected_name)
        );
        let expected_digest = match options.hash {
            Hash::Sha256 => DigestAlgorithm::Sha256,
            Hash::Sha384 => DigestAlgorithm::Sha384,
            Hash::Sha512 => DigestAlgorithm::Sha512,
        };
        assert_eq!(signature.digest_algorithm, Some(expected_digest));
    }
}

#[test]
fn a_changed_byte_in_the_signed_range_is_a_digest_mismatch() {
    let pki = TestPki::new();
    let mut document = PdfDocument::sample();
    sign_pades(
        &mut document,
        "Signature1",
        &pki.signer,
        &CmsOptions::default(),
    );
    let at = memchr::memmem::find(&document.bytes, b"Contrato de prueba").expect("page text");
    document.bytes[at] = b'K';

    let signature = only_signature(&document.bytes);
    assert_eq!(signature.integrity, Integrity::DigestMismatch);
    assert!(signature.covers_whole_file);
    assert_eq!(
        signature
            .signer
            .as_ref()
            .and_then(|s| s.common_name.as_deref()),
        Some("Ana García Pérez")
    );
}

#[test]
fn a_changed_signature_value_is_an_invalid_signature() {
    let pki = TestPki::new();
    let mut document = PdfDocument::sample();
    let revision = sign_pades(
        &mut document,
        "Signature1",
        &pki.signer,
        &CmsOptions::default(),
    );
    // The RSA signature value is the last 256 bytes of this CMS (no unsigned attributes).
    let last_signature_hex = revision.contents_hex_offset + revision.der_len * 2 - 2;
    let digit = document.bytes[last_signature_hex];
    document.bytes[last_signature_hex] = if digit == b'0' { b'1' } else { b'0' };

    let signature = only_signature(&document.bytes);
    assert_eq!(signature.integrity, Integrity::SignatureInvalid);
}

#[test]
fn a_signing_certificate_attribute_naming_another_certificate_is_reported() {
    let pki = TestPki::new();
    let mut document = PdfDocument::sample();
    let options = CmsOptions {
        claimed_certificate: Some(&pki.intermediate.cert),
        ..CmsOptions::default()
    };
    sign_pades(&mut document, "Signature1", &pki.signer, &options);
    assert_eq!(
        only_signature(&document.bytes).integrity,
        Integrity::SigningCertificateMismatch
    );
}

#[test]
fn an_update_appended_after_signing_leaves_the_signature_partial() {
    let pki = TestPki::new();
    let mut document = PdfDocument::sample();
    sign_pades(
        &mut document,
        "Signature1",
        &pki.signer,
        &CmsOptions::default(),
    );
    let signed_length = document.bytes.len() as u64;
    document.append_annotation();

    let signature = only_signature(&document.bytes);
    assert_eq!(signature.integrity, Integrity::Intact);
    assert!(!signature.covers_whole_file);
    assert_eq!(signature.signed_revision_length, signed_length);
    assert!(signature.signed_revision_length < document.bytes.len() as u64);
}

#[test]
fn two_signatures_are_reported_in_revision_order() {
    let pki = TestPki::new();
    let second_signer = TestPki::with_signer_key(PrivateKey::p256());
    let mut document = PdfDocument::sample();
    sign_pades(
        &mut document,
        "Customer",
        &pki.signer,
        &CmsOptions::default(),
    );
    let first_length = document.bytes.len() as u64;
    let options = CmsOptions {
        timestamp: Some(&second_signer.tsa),
        ..CmsOptions::default()
    };
    sign_pades(&mut document, "Notary", &second_signer.signer, &options);

    let signatures = read_signatures_from_bytes(&document.bytes).expect("readable");
    assert_eq!(signatures.len(), 2);
    let (first, second) = (&signatures[0], &signatures[1]);
    assert_eq!(first.field_name.as_deref(), Some("Customer"));
    assert_eq!(first.integrity, Integrity::Intact);
    assert!(!first.covers_whole_file);
    assert_eq!(first.signed_revision_length, first_length);
    assert_eq!(second.field_name.as_deref(), Some("Notary"));
    assert_eq!(second.integrity, Integrity::Intact);
    assert!(second.covers_whole_file);
    assert_eq!(second.pades_level, Some(PadesLevel::BT));
    assert_eq!(second.signature_algorithm.as_deref(), Some("ECDSA P-256"));
}

#[test]
fn contents_before_byte_range_and_signing_time_attribute() {
    let pki = TestPki::new();
    let mut document = PdfDocument::sample();
    let fields = SignatureFields {
        contents_first: true,
        m: None,
        ..SignatureFields::pades("Signature1")
    };
    let options = CmsOptions {
        signing_time: true,
        ..CmsOptions::default()
    };
    document.sign(&fields, |signed| {
        cms_builder::detached(&pki.signer, &Hash::Sha256.digest(signed), &options)
    });

    let signature = only_signature(&document.bytes);
    assert_eq!(signature.integrity, Integrity::Intact);
    assert!(signature.has_signing_time_attribute);
    // Without /M, the CMS signing-time attribute is the claimed time.
    let claimed = signature.claimed_signing_time.expect("claimed time");
    assert!(jiff::Timestamp::now().duration_since(claimed).as_secs() < 600);
    assert!(
        signature
            .warnings
            .iter()
            .any(|w| w.contains("signing-time")),
        "{:?}",
        signature.warnings
    );
}

#[test]
fn document_timestamp_is_checked_against_the_byte_range() {
    let pki = TestPki::new();
    let mut document = PdfDocument::sample();
    sign_pades(
        &mut document,
        "Signature1",
        &pki.signer,
        &CmsOptions::default(),
    );
    document.sign(
        &SignatureFields::document_timestamp("Timestamp1"),
        |signed| cms_builder::timestamp_token(&pki.tsa, &Hash::Sha256.digest(signed)),
    );

    let signatures = read_signatures_from_bytes(&document.bytes).expect("readable");
    assert_eq!(signatures.len(), 2);
    let timestamp = &signatures[1];
    assert_eq!(timestamp.kind, SignatureKind::DocumentTimestamp);
    assert_eq!(timestamp.sub_filter.as_deref(), Some("ETSI.RFC3161"));
    assert_eq!(timestamp.integrity, Integrity::Intact);
    assert_eq!(
        timestamp
            .signer
            .as_ref()
            .and_then(|s| s.common_name.as_deref()),
        Some("OneShot Test TSA")
    );
    assert!(timestamp.timestamp.as_ref().is_some_and(|t| t.is_valid()));
    assert_eq!(timestamp.pades_level, None);

    let at = memchr::memmem::find(&document.bytes, b"Contrato de prueba").expect("page text");
    document.bytes[at + 1] ^= 0x20;
    let signatures = read_signatures_from_bytes(&document.bytes).expect("readable");
    assert_eq!(signatures[0].integrity, Integrity::DigestMismatch);
    assert_eq!(signatures[1].integrity, Integrity::DigestMismatch);
}

#[test]
fn unsigned_pdf_has_no_signatures() {
    assert!(
        read_signatures_from_bytes(&PdfDocument::sample().bytes)
            .expect("readable")
            .is_empty()
    );
}

#[test]
fn byte_range_text_in_a_content_stream_is_not_a_signature() {
    let content = "BT /F1 12 Tf 72 760 Td (/ByteRange [0 10 20 30] /Contents <00>) Tj ET\n\
                   % /ByteRange [0 100 200 300]\n/ByteRange [0 15 40 5]";
    let mut document = PdfDocument::new(content);
    assert!(
        read_signatures_from_bytes(&document.bytes)
            .expect("readable")
            .is_empty()
    );

    let pki = TestPki::new();
    sign_pades(
        &mut document,
        "Signature1",
        &pki.signer,
        &CmsOptions::default(),
    );
    let signature = only_signature(&document.bytes);
    assert_eq!(signature.integrity, Integrity::Intact);
}

#[test]
fn report_serialises_to_json_with_stable_names() {
    let pki = TestPki::new();
    let mut document = PdfDocument::sample();
    sign_pades(
        &mut document,
        "Signature1",
        &pki.signer,
        &CmsOptions::default(),
    );
    let signature = only_signature(&document.bytes);
    let json = serde_json::to_value(&signature).expect("serialisable");
    assert_eq!(json["integrity"]["status"], "intact");
    assert_eq!(json["pades_level"], "B-B");
    assert_eq!(json["digest_algorithm"], "SHA-256");
    assert_eq!(json["kind"], "signature");
    assert_eq!(json["signer"]["common_name"], "Ana García Pérez");
    assert_eq!(json["claimed_signing_time"], "2025-03-14T09:15:00Z");
    let round_trip: PdfSignature = serde_json::from_value(json).expect("deserialisable");
    assert_eq!(round_trip, signature);
    let mismatch =
        serde_json::to_value(Integrity::Undecodable("bad".to_owned())).expect("serialisable");
    assert_eq!(
        mismatch,
        serde_json::json!({"status": "undecodable", "detail": "bad"})
    );
}
