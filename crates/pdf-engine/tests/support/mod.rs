//! Shared test helpers: the engine, generated fixtures, real-world documents and tools.
#![allow(dead_code)] // each test binary uses its own subset

pub mod pdf_writer;

use pdf_engine::{EngineConfig, PdfEngine};
use std::path::{Path, PathBuf};
use std::process::Command;

const SETUP_HINT: &str = "run `cargo xtask setup`";

/// An engine with the default configuration; fails the test with the setup hint when PDFium
/// is not provisioned.
pub fn engine() -> PdfEngine {
    engine_with(EngineConfig::default())
}

pub fn engine_with(config: EngineConfig) -> PdfEngine {
    match PdfEngine::start(config) {
        Ok(engine) => engine,
        Err(err) => panic!("PDFium is not available ({SETUP_HINT}): {err}"),
    }
}

/// Real-world PDFs from Debian documentation packages (see xtask's TEST package list).
pub struct RealWorld {
    pub path: &'static str,
    pub package: &'static str,
    pub min_pages: u32,
    /// A word that occurs in the document's text.
    pub word: &'static str,
}

pub const PGFMANUAL: RealWorld = RealWorld {
    path: "/usr/share/doc/texlive-doc/generic/pgf/pgfmanual.pdf",
    package: "texlive-pictures-doc",
    min_pages: 1000,
    word: "TikZ",
};

pub const REAL_WORLD: &[RealWorld] = &[
    PGFMANUAL,
    RealWorld {
        path: "/usr/share/R/doc/manual/R-intro.pdf",
        package: "r-doc-pdf",
        min_pages: 50,
        word: "vector",
    },
    RealWorld {
        path: "/usr/share/R/doc/manual/fullrefman.pdf",
        package: "r-doc-pdf",
        min_pages: 1000,
        word: "argument",
    },
    RealWorld {
        path: "/usr/share/doc/gnuplot/gnuplot.pdf",
        package: "gnuplot-doc",
        min_pages: 100,
        word: "plot",
    },
    RealWorld {
        path: "/usr/share/doc/asymptote/asymptote.pdf",
        package: "asymptote-doc",
        min_pages: 100,
        word: "Asymptote",
    },
];

/// The path of a real-world document, failing with the setup hint when its package is missing.
pub fn real_world(doc: &RealWorld) -> PathBuf {
    let path = PathBuf::from(doc.path);
    assert!(
        path.is_file(),
        "{} is missing: the Debian package {} provides it ({SETUP_HINT})",
        doc.path,
        doc.package
    );
    path
}

/// Runs an external tool the tests need, failing with the setup hint when it is missing.
pub fn run_tool(program: &str, args: &[&std::ffi::OsStr]) {
    let status = Command::new(program)
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("`{program}` cannot run ({SETUP_HINT}): {e}"));
    assert!(status.success(), "`{program}` failed with {status}");
}

/// Encrypts `input` with AES-256 via qpdf (user password `user-secret`, owner `owner-secret`).
pub fn encrypt_with_qpdf(input: &Path, output: &Path) {
    run_tool(
        "qpdf",
        &[
            "--encrypt".as_ref(),
            "user-secret".as_ref(),
            "owner-secret".as_ref(),
            "256".as_ref(),
            "--".as_ref(),
            input.as_os_str(),
            output.as_os_str(),
        ],
    );
}

/// Writes `bytes` into `dir` as `name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("writing a fixture");
    path
}

/// Signs `input` with pyHanko (a visible field `Sig1` on page 1, reason `Contract`) using a
/// fresh self-signed certificate for "Ada Lovelace" made with openssl.
pub fn sign_with_pyhanko(input: &Path, output: &Path) {
    let dir = output.parent().expect("the output has a directory");
    let key = dir.join("signer-key.pem");
    let cert = dir.join("signer-cert.pem");
    run_tool(
        "openssl",
        &[
            "req".as_ref(),
            "-x509".as_ref(),
            "-newkey".as_ref(),
            "rsa:2048".as_ref(),
            "-nodes".as_ref(),
            "-days".as_ref(),
            "30".as_ref(),
            "-subj".as_ref(),
            "/CN=Ada Lovelace/O=OneShot Desk Tests".as_ref(),
            "-keyout".as_ref(),
            key.as_os_str(),
            "-out".as_ref(),
            cert.as_os_str(),
        ],
    );
    let tools = std::env::var_os("ONESHOT_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools"));
    let pyhanko = tools.join("venv/bin/pyhanko");
    run_tool(
        pyhanko.to_str().expect("a UTF-8 tools path"),
        &[
            "sign".as_ref(),
            "addsig".as_ref(),
            "--field".as_ref(),
            "1/72,600,272,660/Sig1".as_ref(),
            "--reason".as_ref(),
            "Contract".as_ref(),
            "pemder".as_ref(),
            "--key".as_ref(),
            key.as_os_str(),
            "--cert".as_ref(),
            cert.as_os_str(),
            "--no-pass".as_ref(),
            input.as_os_str(),
            output.as_os_str(),
        ],
    );
}
