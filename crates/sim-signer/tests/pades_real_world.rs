//! Real-world PDFs shipped by Debian documentation packages (installed by `cargo xtask setup`),
//! signed visibly with a timestamp on their second page and validated independently.
#![allow(clippy::unwrap_used)]

mod common;

use common::fixtures::{self, options, sign, visible};
use common::validate::{OURS_B_T, assert_all_valid};

fn sign_real_world(path: &str, package: &str) {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures::debian_doc(path, package, dir.path());
    let output = dir.path().join("signed.pdf");
    sign(&input, &output, &options(Some(visible(1)), true));
    assert_all_valid(&output, &[OURS_B_T]);
}

/// pdfTeX 1.40.24, PDF 1.5 with a cross-reference stream and object streams.
#[test]
fn libtasn1_manual() {
    sign_real_world("/usr/share/doc/libtasn1-doc/libtasn1.pdf", "libtasn1-doc");
}

/// pdfTeX with hyperref (outlines, links, named destinations), cross-reference stream.
#[test]
fn shared_mime_info_specification() {
    sign_real_world(
        "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf",
        "shared-mime-info",
    );
}

/// MiKTeX pdfTeX 1.40.10, PDF 1.4 with a classic cross-reference table.
#[test]
fn zlib_crc_paper() {
    sign_real_world("/usr/share/doc/zlib1g-dev/crc-doc.1.0.pdf.gz", "zlib1g-dev");
}

/// LaTeX with hyperref, shipped gzipped.
#[test]
fn fontconfig_user_guide() {
    sign_real_world(
        "/usr/share/doc/fontconfig/fontconfig-user.pdf.gz",
        "fontconfig",
    );
}
