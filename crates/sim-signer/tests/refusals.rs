//! Inputs that must be refused with the right error, leaving no output file behind.
#![allow(clippy::unwrap_used)]

mod common;

use common::fixtures::{self, HandMade, options, visible};
use sim_signer::SignerError;

fn refused(input: &std::path::Path, options: &sim_signer::PdfSignOptions) -> SignerError {
    let output = input.with_extension("signed.pdf");
    let error = common::trust()
        .sign_pdf(common::signer(), input, &output, options)
        .unwrap_err();
    assert!(!output.exists(), "a refused input leaves no output");
    let leftovers: Vec<_> = std::fs::read_dir(input.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    error
}

#[test]
fn encrypted_pdfs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let contract = fixtures::contract(dir.path());
    for (name, args) in [
        (
            "aes256.pdf",
            &["--encrypt", "user", "owner", "256", "--"][..],
        ),
        // Permissions-only encryption (empty user password) opens without a prompt but is still
        // encrypted: an update would have to be encrypted too.
        (
            "no-user-password.pdf",
            &["--encrypt", "", "owner", "128", "--use-aes=y", "--"][..],
        ),
    ] {
        let input = fixtures::qpdf(&contract, &dir.path().join(name), args);
        let error = refused(&input, &options(None, false));
        assert_eq!(error.code(), "pdf.encrypted", "{name}: {error}");
        assert!(matches!(error, SignerError::Encrypted));
    }
}

#[test]
fn broken_and_non_pdf_inputs_are_refused_as_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let contract = std::fs::read(fixtures::contract(dir.path())).unwrap();
    let mut no_startxref = contract.clone();
    let at = no_startxref
        .windows(9)
        .rposition(|w| w == b"startxref")
        .unwrap();
    no_startxref.truncate(at);
    let mut bad_offset = contract.clone();
    let at = bad_offset
        .windows(9)
        .rposition(|w| w == b"startxref")
        .unwrap();
    bad_offset.truncate(at);
    bad_offset.extend_from_slice(b"startxref\n123\n%%EOF\n");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.pdf", Vec::new(), "too small"),
        (
            "text.pdf",
            b"This is a plain text file, not a PDF at all.\n".repeat(20),
            "not a PDF",
        ),
        ("png.pdf", b"\x89PNG\r\n\x1a\n".repeat(40), "not a PDF"),
        (
            "half.pdf",
            contract[..contract.len() / 2].to_vec(),
            "startxref",
        ),
        ("no-startxref.pdf", no_startxref, "startxref"),
        ("bad-offset.pdf", bad_offset, "cross-reference"),
        (
            "no-root.pdf",
            HandMade {
                objects: vec!["<< >>".into()],
                trailer_extra: String::new(),
            }
            .bytes(),
            "/Pages",
        ),
    ];
    for (name, bytes, reason) in cases {
        let input = dir.path().join(name);
        std::fs::write(&input, bytes).unwrap();
        let error = refused(&input, &options(None, false));
        assert_eq!(error.code(), "pdf.malformed", "{name}: {error}");
        assert!(error.to_string().contains(reason), "{name}: {error}");
    }
}

#[test]
fn a_missing_input_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = refused(&dir.path().join("absent.pdf"), &options(None, false));
    assert_eq!(error.code(), "io.failed");
}

#[test]
fn appearance_requests_that_do_not_fit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures::contract(dir.path());
    let error = refused(&input, &options(Some(visible(7)), false));
    assert_eq!(error.code(), "sign.invalid_appearance");
    assert!(error.to_string().contains("has 2 pages"), "{error}");

    let mut bad_png = visible(0);
    bad_png.image_png = Some(b"not a png".to_vec());
    assert_eq!(
        refused(&input, &options(Some(bad_png), false)).code(),
        "sign.invalid_appearance"
    );

    let mut empty_rect = visible(0);
    empty_rect.rect = [100.0, 100.0, 100.0, 300.0];
    assert_eq!(
        refused(&input, &options(Some(empty_rect), false)).code(),
        "sign.invalid_appearance"
    );
}

#[test]
fn a_document_certified_against_changes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut certified = HandMade::one_page();
    certified.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 5 0 R >> >>".into();
    certified.objects.push(
        "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Reference [<< /Type /SigRef \
         /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 1 /V /1.2 >> >>] >>"
            .into(),
    );
    let input = certified.write(&dir.path().join("certified.pdf"));
    let error = refused(&input, &options(None, false));
    assert_eq!(error.code(), "pdf.unsupported");
    assert!(error.to_string().contains("certified"), "{error}");

    // P=2 (form filling and signing allowed) is signed normally.
    let mut fill_allowed = certified;
    fill_allowed.objects[4] = fill_allowed.objects[4].replace("/P 1", "/P 2");
    let input = fill_allowed.write(&dir.path().join("fill-allowed.pdf"));
    let output = dir.path().join("fill-allowed-signed.pdf");
    common::trust()
        .sign_pdf(common::signer(), &input, &output, &options(None, false))
        .unwrap();
}
