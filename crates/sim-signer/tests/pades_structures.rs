//! PAdES signatures on PDFs of every file structure: classic tables, cross-reference and object
//! streams, linearized files, incremental updates and already-signed files. Each result is
//! checked by pdfsig, NSS and pyHanko.
#![allow(clippy::unwrap_used)]

mod common;

use common::fixtures::{self, options, sign, visible};
use common::validate::{OURS_B_B, OURS_B_T, assert_all_valid, assert_qpdf_clean};

#[test]
fn classic_xref_table_invisible_b_b() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures::contract(dir.path());
    let output = dir.path().join("signed.pdf");
    let info = sign(&input, &output, &options(None, false));
    assert_eq!(info.field_name, "Signature1");
    assert_all_valid(&output, &[OURS_B_B]);
    assert_qpdf_clean(&output);
}

#[test]
fn object_streams_visible_b_t() {
    let dir = tempfile::tempdir().unwrap();
    let contract = fixtures::contract(dir.path());
    let input = fixtures::qpdf(
        &contract,
        &dir.path().join("objstm.pdf"),
        &["--object-streams=generate"],
    );
    assert!(
        std::fs::read(&input)
            .unwrap()
            .windows(10)
            .any(|w| w == b"/Type /XRe" || w == b"/Type/XRef")
    );
    let output = dir.path().join("signed.pdf");
    sign(&input, &output, &options(Some(visible(1)), true));
    assert_all_valid(&output, &[OURS_B_T]);
    assert_qpdf_clean(&output);
}

#[test]
fn linearized_files_with_and_without_object_streams() {
    let dir = tempfile::tempdir().unwrap();
    let contract = fixtures::contract(dir.path());
    for (name, args) in [
        ("linearized.pdf", &["--linearize"][..]),
        (
            "linearized-objstm.pdf",
            &["--linearize", "--object-streams=generate"][..],
        ),
    ] {
        let input = fixtures::qpdf(&contract, &dir.path().join(name), args);
        let output = dir.path().join(format!("signed-{name}"));
        sign(&input, &output, &options(Some(visible(0)), true));
        assert_all_valid(&output, &[OURS_B_T]);
        assert_qpdf_clean(&output);
    }
}

#[test]
fn a_file_with_an_earlier_incremental_update() {
    let dir = tempfile::tempdir().unwrap();
    let contract = fixtures::contract(dir.path());
    // pyHanko always saves incrementally: this adds an empty signature field in an update.
    let input = dir.path().join("updated.pdf");
    let added = common::run(
        std::process::Command::new(common::pyhanko())
            .args(["sign", "addfields", "--field", "1/40,40,140,90/Witness"])
            .arg(&contract)
            .arg(&input),
    );
    assert!(added.status.success(), "{}", common::text(&added));
    assert!(std::fs::read(&input).unwrap().len() > std::fs::read(&contract).unwrap().len());
    let output = dir.path().join("signed.pdf");
    let info = sign(&input, &output, &options(Some(visible(0)), false));
    assert_eq!(
        info.field_name, "Signature1",
        "the empty Witness field stays as it is"
    );
    assert_all_valid(&output, &[OURS_B_B]);
}

#[test]
fn a_second_signature_keeps_the_first_valid() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures::contract(dir.path());
    let once = dir.path().join("once.pdf");
    let twice = dir.path().join("twice.pdf");
    let first = sign(&input, &once, &options(Some(visible(0)), true));
    let second = sign(&once, &twice, &options(None, false));
    assert_eq!(
        (first.field_name.as_str(), second.field_name.as_str()),
        ("Signature1", "Signature2")
    );
    assert_all_valid(&twice, &[OURS_B_T, OURS_B_B]);
    assert_qpdf_clean(&twice);
}

#[test]
fn a_file_signed_by_another_tool_gets_a_second_signature() {
    let dir = tempfile::tempdir().unwrap();
    let contract = fixtures::contract(dir.path());
    // pyHanko signs first, with another certificate from the same CA.
    let other = common::trust().issue_signer(&common::subject()).unwrap();
    let (cert, key) = fixtures::identity_files(&other, dir.path());
    let by_pyhanko = dir.path().join("pyhanko.pdf");
    let signed = common::run(
        std::process::Command::new(common::pyhanko())
            .args([
                "sign",
                "addsig",
                "--field",
                "1/40,40,200,90/Employee",
                "pemder",
                "--no-pass",
                "--key",
            ])
            .arg(&key)
            .arg("--cert")
            .arg(&cert)
            .arg(&contract)
            .arg(&by_pyhanko),
    );
    assert!(signed.status.success(), "{}", common::text(&signed));
    let output = dir.path().join("signed.pdf");
    sign(&by_pyhanko, &output, &options(Some(visible(0)), true));
    let theirs = common::validate::Expect {
        ours: false,
        timestamped: false,
    };
    assert_all_valid(&output, &[theirs, OURS_B_T]);
}

#[test]
fn hand_written_edge_cases() {
    let dir = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();

    // /Annots as an indirect array, /AcroForm directly in the catalog with an indirect /Fields.
    let mut indirect = fixtures::HandMade::one_page();
    indirect.objects[0] =
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields 6 0 R /DA (/Helv 0 Tf 0 g) >> >>"
            .into();
    indirect.objects[2] =
        indirect.objects[2].replace("/Contents 4 0 R", "/Contents 4 0 R /Annots 5 0 R");
    indirect.objects.push("[]".into());
    indirect.objects.push("[]".into());
    cases.push(("indirect-arrays.pdf", indirect.bytes()));

    // A nested page tree, pages without /Type, no trailing end of line, junk after %%EOF.
    let mut nested = fixtures::HandMade::one_page();
    nested.objects[1] = "<< /Type /Pages /Kids [5 0 R 6 0 R] /Count 3 >>".into();
    nested.objects[2] = nested.objects[2].replace("/Type /Page /Parent 2 0 R", "/Parent 5 0 R");
    nested
        .objects
        .push("<< /Type /Pages /Parent 2 0 R /Kids [3 0 R] /Count 1 >>".into());
    nested
        .objects
        .push("<< /Type /Pages /Parent 2 0 R /Kids [7 0 R 8 0 R] /Count 2 >>".into());
    nested
        .objects
        .push("<< /Type /Page /Parent 6 0 R /MediaBox [0 0 300 300] >>".into());
    nested
        .objects
        .push("<< /Type /Page /Parent 6 0 R /MediaBox [0 0 400 400] >>".into());
    let mut bytes = nested.bytes();
    bytes.pop();
    cases.push(("nested-no-eol.pdf", bytes.clone()));
    bytes.extend_from_slice(b"\n\0\0some trailing junk from a mail gateway");
    cases.push(("trailing-junk.pdf", bytes));

    // Objects with non-zero generation numbers, as editors leave them: an update frees the page
    // (next generation 1), a later one brings it back as `3 1 obj`. The signature's update
    // rewrites that page again and must keep its generation.
    let mut reused = fixtures::HandMade::one_page().bytes();
    let pages_without_kids = "<< /Type /Pages /Kids [] /Count 0 >>";
    fixtures::append_update(&mut reused, &[(2, 0, pages_without_kids)], &[(3, 1)], 5);
    let page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>";
    let pages = "<< /Type /Pages /Kids [3 1 R] /Count 1 >>";
    fixtures::append_update(&mut reused, &[(2, 0, pages), (3, 1, page)], &[], 5);
    cases.push(("generations.pdf", reused));

    // A wrong stream /Length (a classic defect readers tolerate).
    let mut wrong_length = fixtures::HandMade::one_page();
    wrong_length.objects[3] = wrong_length.objects[3].replace("/Length 40", "/Length 12");
    cases.push(("wrong-length.pdf", wrong_length.bytes()));

    for (name, bytes) in cases {
        let input = dir.path().join(name);
        std::fs::write(&input, bytes).unwrap();
        let output = dir.path().join(format!("signed-{name}"));
        let page = if name.starts_with("nested") { 2 } else { 0 };
        let mut appearance = visible(page);
        appearance.rect = [20.0, 20.0, 220.0, 80.0];
        sign(&input, &output, &options(Some(appearance), false));
        assert_all_valid(&output, &[OURS_B_B]);
    }
}
