//! `render` and `inspect`: offline, with PDFium, on real-world PDFs from Debian's documentation.

use crate::support::{Bench, finish, spawn, text};
use std::path::Path;

const SMALL: &str = "/usr/share/doc/libtasn1-doc/libtasn1.pdf";
const LONG: &str = "/usr/share/doc/texlive-doc/generic/pgf/pgfmanual.pdf";

fn fixture(path: &str) -> &Path {
    let path = Path::new(path);
    assert!(
        path.is_file(),
        "{} is missing: run `cargo xtask setup`",
        path.display()
    );
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn render_writes_the_page_as_an_image() {
    let bench = Bench::new("auto").await;
    let out = bench.dir.path().join("page2.png");
    let mut cmd = bench.cli();
    cmd.arg("render")
        .arg(fixture(SMALL))
        .args(["--page", "2", "--dpi", "100", "--out"]);
    cmd.arg(&out);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let png = std::fs::read(&out).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // A US-letter page (612 x 792 pt) at 100 dpi.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (850, 1100));
}

#[tokio::test(flavor = "multi_thread")]
async fn render_explains_bad_input_and_writes_nothing() {
    let bench = Bench::new("auto").await;
    let out = bench.dir.path().join("nothing.png");
    let not_pdf = bench.dir.path().join("notes.pdf");
    std::fs::write(&not_pdf, "plain text\n").unwrap();
    for (input, page, code) in [
        (fixture(SMALL), "999", "pdf.page_out_of_range"),
        (&*not_pdf, "1", "pdf.not_a_pdf"),
    ] {
        let mut cmd = bench.cli();
        cmd.arg("render")
            .arg(input)
            .args(["--page", page, "--out"])
            .arg(&out);
        let output = finish(spawn(cmd)).await;
        assert_eq!(output.status.code(), Some(1), "{}", text(&output));
        assert!(text(&output).contains(code), "{code} in {}", text(&output));
        assert!(!out.exists(), "a failed render left {}", out.display());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn inspect_reports_pages_metadata_and_signatures_as_json() {
    let bench = Bench::new("auto").await;
    let mut cmd = bench.cli();
    cmd.args(["--json", "inspect"]).arg(fixture(LONG));
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap();
    let report: serde_json::Value = serde_json::from_str(line).unwrap();
    let result = &report["result"];
    assert_eq!(result["document"]["page_count"], 1321, "{result}");
    assert_eq!(result["document"]["metadata"]["producer"], "LuaTeX-1.15.0");
    assert_eq!(result["signatures"].as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn inspect_opens_a_protected_pdf_with_the_password_from_stdin() {
    let bench = Bench::new("auto").await;
    let protected = bench.dir.path().join("protected.pdf");
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "user-pw", "owner-pw", "256", "--"])
        .arg(fixture(SMALL))
        .arg(&protected)
        .status()
        .expect("qpdf: run `cargo xtask setup`");
    assert!(status.success());

    let mut cmd = bench.cli();
    cmd.arg("inspect").arg(&protected);
    let output = finish(spawn(cmd)).await;
    assert!(
        text(&output).contains("pages: unreadable (pdf.encrypted"),
        "{}",
        text(&output)
    );

    let mut cmd = bench.cli();
    cmd.arg("inspect").arg(&protected).arg("--password-stdin");
    let output = crate::support::run(cmd, "user-pw\n").await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("encrypted: yes"),
        "{}",
        text(&output)
    );
    assert!(
        !text(&output).contains("user-pw"),
        "the password was echoed"
    );
}
