//! Cross-checks with independent implementations: PDFs signed by pyHanko are read by this
//! crate, and the signatures the test support makes are validated by pyHanko and poppler's
//! `pdfsig` (so the fixtures the other tests rely on are known to be right).

mod support;

use pdf_signature::{
    ChainStatus, DigestAlgorithm, Integrity, PadesLevel, PdfSignature, read_signatures,
    read_signatures_from_bytes, verify_chain, verify_detached_digest,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::cms_builder::{self, CmsOptions, Hash};
use support::pdf_builder::{PdfDocument, SignatureFields};
use support::pki::{PrivateKey, TestPki};
use support::tools;
use support::tsa_server::TsaServer;

/// The PKI written out as PEM files for the command-line tools.
struct PkiFiles {
    dir: tempfile::TempDir,
}

impl PkiFiles {
    fn new(pki: &TestPki) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let write =
            |name: &str, text: String| std::fs::write(dir.path().join(name), text).expect("write");
        write("signer.key", pki.signer.key.pkcs8_pem());
        write("signer.pem", pki.signer.pem());
        write("intermediate.pem", pki.intermediate.pem());
        write("root.pem", pki.root.pem());
        write("tsa.pem", pki.tsa.pem());
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn run(command: &mut Command) -> (bool, String) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// Signs `input` with pyHanko; `extra` goes before the `pemder` subcommand.
fn pyhanko_sign(files: &PkiFiles, input: &Path, output: &Path, field: &str, extra: &[&str]) {
    let mut command = Command::new(tools::pyhanko());
    command
        .args([
            "sign",
            "addsig",
            "--field",
            field,
            "--reason",
            "Firma del contrato",
            "--location",
            "Valencia",
        ])
        .args(["--contact-info", "desk@example.com"])
        .args(extra)
        .arg("pemder")
        .arg("--key")
        .arg(files.path("signer.key"))
        .arg("--cert")
        .arg(files.path("signer.pem"))
        .arg("--chain")
        .arg(files.path("intermediate.pem"))
        .arg("--no-pass")
        .arg(input)
        .arg(output);
    let (ok, text) = run(&mut command);
    assert!(ok, "pyHanko failed to sign: {text}");
}

/// pyHanko's one-line verdict per signature, trusting only `root.pem`.
fn pyhanko_validate(files: &PkiFiles, pdf: &Path) -> (bool, String) {
    run(Command::new(tools::pyhanko())
        .args(["sign", "validate", "--trust-replace", "--trust"])
        .arg(files.path("root.pem"))
        .arg(pdf))
}

fn tamper_page(bytes: &mut [u8]) {
    let at = memchr::memmem::find(bytes, b"Contrato de prueba").expect("page text");
    bytes[at] = b'K';
}

#[test]
fn pdfs_signed_by_pyhanko_are_intact_trusted_and_named() {
    let pki = TestPki::new();
    let files = PkiFiles::new(&pki);
    let input = files.path("unsigned.pdf");
    std::fs::write(&input, PdfDocument::sample().bytes).expect("write");
    let roots = [pki.root.der()];

    for (name, extra, sub_filter, algorithm) in [
        (
            "pades",
            &["--use-pades"][..],
            "ETSI.CAdES.detached",
            "RSA PKCS#1 v1.5",
        ),
        (
            "pkcs7-pss",
            &["--prefer-pss"][..],
            "adbe.pkcs7.detached",
            "RSA-PSS",
        ),
    ] {
        let output = files.path(&format!("{name}.pdf"));
        pyhanko_sign(&files, &input, &output, "Sig1", extra);
        let signatures = read_signatures(&output).expect("readable");
        assert_eq!(signatures.len(), 1, "{name}");
        let signature = &signatures[0];
        assert_eq!(
            signature.integrity,
            Integrity::Intact,
            "{name}: {signature:#?}"
        );
        assert!(signature.covers_whole_file, "{name}");
        assert_eq!(signature.sub_filter.as_deref(), Some(sub_filter));
        assert_eq!(signature.signature_algorithm.as_deref(), Some(algorithm));
        assert_eq!(signature.digest_algorithm, Some(DigestAlgorithm::Sha256));
        assert_eq!(signature.field_name.as_deref(), Some("Sig1"));
        assert_eq!(signature.reason.as_deref(), Some("Firma del contrato"));
        assert_eq!(signature.location.as_deref(), Some("Valencia"));
        assert_eq!(signature.contact_info.as_deref(), Some("desk@example.com"));
        assert!(signature.claimed_signing_time.is_some(), "{name}");
        assert!(signature.has_signing_certificate_v2, "{name}");
        assert_eq!(
            signature
                .signer
                .as_ref()
                .and_then(|s| s.common_name.as_deref()),
            Some("Ana García Pérez")
        );
        let expected_level = (sub_filter == "ETSI.CAdES.detached").then_some(PadesLevel::BB);
        assert_eq!(signature.pades_level, expected_level, "{name}");
        assert!(
            verify_chain(signature, &roots).is_trusted(),
            "{name}: {:?}",
            verify_chain(signature, &roots)
        );

        let mut tampered = std::fs::read(&output).expect("read");
        tamper_page(&mut tampered);
        let signatures = read_signatures_from_bytes(&tampered).expect("readable");
        assert_eq!(signatures[0].integrity, Integrity::DigestMismatch, "{name}");
        let tampered_path = files.path(&format!("{name}-tampered.pdf"));
        std::fs::write(&tampered_path, &tampered).expect("write");
        let (ok, verdict) = pyhanko_validate(&files, &tampered_path);
        assert!(
            !ok && verdict.contains("INVALID"),
            "pyHanko agrees it is broken: {verdict}"
        );
    }
}

#[test]
fn a_pyhanko_pades_b_t_signature_carries_a_checked_timestamp() {
    let pki = TestPki::new();
    let files = PkiFiles::new(&pki);
    let tsa = TsaServer::start(TestPki::new().tsa);
    let input = files.path("unsigned.pdf");
    std::fs::write(&input, PdfDocument::sample().bytes).expect("write");
    let output = files.path("b-t.pdf");
    pyhanko_sign(
        &files,
        &input,
        &output,
        "Sig1",
        &["--use-pades", "--timestamp-url", &tsa.url],
    );

    let signature = read_signatures(&output).expect("readable").remove(0);
    assert_eq!(signature.integrity, Integrity::Intact, "{signature:#?}");
    assert_eq!(signature.pades_level, Some(PadesLevel::BT));
    let timestamp = signature.timestamp.as_ref().expect("timestamp");
    assert!(timestamp.is_valid(), "{timestamp:#?}");
    assert_eq!(timestamp.tsa_name.as_deref(), Some("OneShot Test TSA"));
    match verify_chain(&signature, &[pki.root.der()]) {
        ChainStatus::Trusted { checked_at, .. } => assert_eq!(checked_at, timestamp.gen_time),
        other => panic!("expected trusted, got {other:?}"),
    }
}

#[test]
fn ecdsa_and_a_second_pyhanko_signature() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let files = PkiFiles::new(&pki);
    let input = files.path("unsigned.pdf");
    std::fs::write(&input, PdfDocument::sample().bytes).expect("write");
    let once = files.path("once.pdf");
    let twice = files.path("twice.pdf");
    pyhanko_sign(&files, &input, &once, "Customer", &["--use-pades"]);
    pyhanko_sign(&files, &once, &twice, "Employee", &["--use-pades"]);

    let signatures = read_signatures(&twice).expect("readable");
    let names: Vec<_> = signatures.iter().map(|s| s.field_name.as_deref()).collect();
    assert_eq!(names, [Some("Customer"), Some("Employee")]);
    assert!(
        signatures.iter().all(|s| s.integrity == Integrity::Intact),
        "{signatures:#?}"
    );
    assert_eq!(
        signatures[0].signed_revision_length,
        std::fs::metadata(&once).expect("size").len()
    );
    assert!(!signatures[0].covers_whole_file);
    assert!(signatures[1].covers_whole_file);
    assert_eq!(
        signatures[1].signature_algorithm.as_deref(),
        Some("ECDSA P-256")
    );
    for signature in &signatures {
        assert!(verify_chain(signature, &[pki.root.pem()]).is_trusted());
    }
}

#[test]
fn a_detached_cms_made_by_pyhanko_checks_against_the_file_digest() {
    let pki = TestPki::new();
    let files = PkiFiles::new(&pki);
    let input = files.path("document.bin");
    let content = b"any document, hashed by the desk before the hash-signing flow";
    std::fs::write(&input, content).expect("write");
    let p7m = files.path("document.p7m");
    let mut command = Command::new(tools::pyhanko());
    command
        .args(["sign", "addsig", "--detach", "pemder", "--key"])
        .arg(files.path("signer.key"))
        .arg("--cert")
        .arg(files.path("signer.pem"))
        .arg("--chain")
        .arg(files.path("intermediate.pem"))
        .arg("--no-pass")
        .arg(&input)
        .arg(&p7m);
    let (ok, text) = run(&mut command);
    assert!(ok, "pyHanko failed to sign: {text}");

    let p7m = std::fs::read(&p7m).expect("read");
    let digest = Hash::Sha256.digest(content);
    let checked = verify_detached_digest(&p7m, &digest, DigestAlgorithm::Sha256).expect("a CMS");
    assert_eq!(checked.integrity, Integrity::Intact, "{checked:#?}");
    assert_eq!(
        checked
            .signer
            .as_ref()
            .and_then(|s| s.common_name.as_deref()),
        Some("Ana García Pérez")
    );
    assert!(verify_chain(&checked, &[pki.root.der()]).is_trusted());
    let other = Hash::Sha256.digest(b"another document");
    let checked = verify_detached_digest(&p7m, &other, DigestAlgorithm::Sha256).expect("a CMS");
    assert_eq!(checked.integrity, Integrity::DigestMismatch);
}

/// The fixtures of the other tests, checked by the independent validators.
fn our_signed_pdf(pki: &TestPki, timestamp: bool) -> (PdfDocument, PdfSignature) {
    let mut document = PdfDocument::sample();
    let options = CmsOptions {
        extra_certificates: vec![&pki.intermediate.cert],
        timestamp: timestamp.then_some(&pki.tsa),
        ..CmsOptions::default()
    };
    document.sign(&SignatureFields::pades("Signature1"), |signed| {
        cms_builder::detached(&pki.signer, &Hash::Sha256.digest(signed), &options)
    });
    let signature = read_signatures_from_bytes(&document.bytes)
        .expect("readable")
        .remove(0);
    (document, signature)
}

#[test]
fn test_signatures_are_valid_for_pyhanko_and_pdfsig() {
    for (pki, timestamp) in [
        (TestPki::new(), false),
        (TestPki::with_signer_key(PrivateKey::p256()), true),
    ] {
        let files = PkiFiles::new(&pki);
        let (document, signature) = our_signed_pdf(&pki, timestamp);
        assert_eq!(signature.integrity, Integrity::Intact);
        assert!(matches!(
            verify_chain(&signature, &[pki.root.der()]),
            ChainStatus::Trusted { .. }
        ));
        let path = files.path("ours.pdf");
        std::fs::write(&path, &document.bytes).expect("write");

        let (ok, verdict) = pyhanko_validate(&files, &path);
        assert!(
            ok && verdict.contains(":INTACT:TRUSTED,") && verdict.contains("UNTOUCHED"),
            "pyHanko: {verdict}"
        );
        // pyHanko also checks the signature timestamp token the support made.
        assert_eq!(
            verdict.contains("TIMESTAMP_TOKEN<INTACT:TRUSTED>"),
            timestamp,
            "pyHanko: {verdict}"
        );

        let (ok, report) = run(Command::new(tools::pdfsig()).arg(&path));
        assert!(ok, "pdfsig: {report}");
        assert!(
            report.contains("Signature Validation: Signature is Valid."),
            "pdfsig: {report}"
        );
        assert!(report.contains("Total document signed"), "pdfsig: {report}");
        assert!(
            report.contains("Signature Field Name: Signature1"),
            "pdfsig: {report}"
        );

        let mut tampered = document.bytes.clone();
        tamper_page(&mut tampered);
        std::fs::write(&path, &tampered).expect("write");
        let (_, report) = run(Command::new(tools::pdfsig()).arg(&path));
        assert!(
            report.contains("Digest Mismatch"),
            "pdfsig on a tampered file: {report}"
        );
    }
}

#[test]
fn pdfsig_agrees_on_several_signatures_and_partial_coverage() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let files = PkiFiles::new(&pki);
    let mut document = PdfDocument::sample();
    for field in ["Customer", "Employee"] {
        document.sign(&SignatureFields::pades(field), |signed| {
            cms_builder::detached(
                &pki.signer,
                &Hash::Sha256.digest(signed),
                &CmsOptions::default(),
            )
        });
    }
    document.append_annotation();
    let path = files.path("twice-then-changed.pdf");
    std::fs::write(&path, &document.bytes).expect("write");

    let ours = read_signatures(&path).expect("readable");
    assert_eq!(ours.len(), 2);
    assert!(
        ours.iter()
            .all(|s| s.integrity.is_intact() && !s.covers_whole_file)
    );

    let (ok, report) = run(Command::new(tools::pdfsig()).arg(&path));
    assert!(ok, "pdfsig: {report}");
    assert_eq!(
        report
            .matches("Signature Validation: Signature is Valid.")
            .count(),
        2,
        "pdfsig: {report}"
    );
    assert!(
        !report.contains("Total document signed"),
        "pdfsig: {report}"
    );
    for signature in &ours {
        let [a, b, c, d] = signature.byte_range;
        let ranges = format!("Signed Ranges: [{a} - {b}], [{c} - {}]", c + d);
        assert!(
            report.contains(&ranges),
            "pdfsig does not show {ranges}: {report}"
        );
    }
}
