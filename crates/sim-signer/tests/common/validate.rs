//! Independent validation of signed PDFs: poppler's pdfsig, NSS's own chain validation of each
//! signer certificate, and pyHanko with the test CA as the only trust root.

use std::path::Path;
use std::sync::OnceLock;

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::{Decode, Encode};

use super::{ca_pem_path, pyhanko, run, text, tool};

/// An NSS database trusting the test CA for e-mail signing (what pdfsig validates against).
pub fn nss_db() -> &'static Path {
    static DB: OnceLock<tempfile::TempDir> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sql:{}", dir.path().display());
        let created = run(tool("certutil").args(["-N", "--empty-password", "-d", &db]));
        assert!(created.status.success(), "certutil -N: {}", text(&created));
        let added = run(tool("certutil")
            .args(["-A", "-n", "simulated-ca", "-t", "CT,C,C", "-d", &db, "-i"])
            .arg(ca_pem_path()));
        assert!(added.status.success(), "certutil -A: {}", text(&added));
        dir
    })
    .path()
}

/// pdfsig's report (no OCSP: the simulated certificates name no responder).
pub fn pdfsig(file: &Path) -> String {
    let output = run(tool("pdfsig")
        .arg("-nssdir")
        .arg(nss_db())
        .arg("-no-ocsp")
        .arg(file));
    let report = text(&output);
    assert!(
        output.status.success(),
        "pdfsig failed on {}: {report}",
        file.display()
    );
    report
}

/// The DER CMS of every signature in `file`: the hex between the two ranges of each
/// `/ByteRange` (pdfsig's `-dump` stops at the first unsigned field, so it is not used here).
pub fn signatures_in(file: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(file).unwrap();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = bytes[from..].windows(10).position(|w| w == b"/ByteRange") {
        let start = from + at + 10;
        let end = start + bytes[start..].iter().position(|&b| b == b']').unwrap();
        let numbers: Vec<usize> = String::from_utf8_lossy(&bytes[start..end])
            .split(|c: char| !c.is_ascii_digit())
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect();
        let (hole_start, hole_end) = (numbers[1], numbers[2]);
        let hex = &bytes[hole_start + 1..hole_end - 1];
        let der: Vec<u8> = hex
            .chunks(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
            .collect();
        found.push(der);
        from = end;
    }
    found
}

/// The signer certificate (DER) of a CMS signature, found by the SignerInfo's issuer and serial.
pub fn signer_certificate(cms_der: &[u8]) -> Vec<u8> {
    // The dump is the whole /Contents hole: the DER value followed by zero padding.
    let info = ContentInfo::decode(&mut der::SliceReader::new(cms_der).unwrap()).unwrap();
    let signed = SignedData::from_der(&info.content.to_der().unwrap()).unwrap();
    let signer = signed.signer_infos.0.iter().next().unwrap();
    let SignerIdentifier::IssuerAndSerialNumber(id) = &signer.sid else {
        panic!("sid by key id")
    };
    for choice in signed.certificates.as_ref().unwrap().0.iter() {
        if let cms::cert::CertificateChoices::Certificate(cert) = choice
            && cert.tbs_certificate.issuer == id.issuer
            && cert.tbs_certificate.serial_number == id.serial_number
        {
            return cert.to_der().unwrap();
        }
    }
    panic!("the signer certificate is not in the CMS")
}

/// NSS (libpkix) validation of a certificate for e-mail/document signing against the test CA.
///
/// pdfsig 22.12 (Debian 12) reports "Unknown issue with Certificate" even for chains NSS
/// accepts: it reads `PORT_GetError()` after a successful `CERT_PKIXVerifyCert`, so a stale error
/// from earlier calls decides (fixed in later poppler releases). The chain is therefore checked
/// with NSS's own `vfychain` on the certificate pdfsig extracted.
pub fn assert_nss_trusts(certificate_der: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signer.der");
    std::fs::write(&path, certificate_der).unwrap();
    let db = format!("sql:{}", nss_db().display());
    let output = run(tool("vfychain")
        .args(["-d", &db, "-pp", "-u", "4"])
        .arg(&path));
    let report = text(&output);
    assert!(
        output.status.success() && report.contains("Chain is good"),
        "NSS rejects the chain: {report}"
    );
}

/// pyHanko's report, trusting only the test CA.
pub fn pyhanko_report(file: &Path) -> (bool, String) {
    let output = run(std::process::Command::new(pyhanko())
        .args([
            "sign",
            "validate",
            "--pretty-print",
            "--trust-replace",
            "--trust",
        ])
        .arg(ca_pem_path())
        .arg(file));
    (output.status.success(), text(&output))
}

/// What is expected of one signature, in file order.
#[derive(Clone, Copy)]
pub struct Expect {
    /// Made by this crate (ETSI.CAdES.detached from the simulated CA).
    pub ours: bool,
    pub timestamped: bool,
}

pub const OURS_B_B: Expect = Expect {
    ours: true,
    timestamped: false,
};
pub const OURS_B_T: Expect = Expect {
    ours: true,
    timestamped: true,
};

/// Asserts that every signature in `file` is intact and trusted by all three validators, that
/// the last one covers the whole file, and that timestamps are there and trusted where expected.
pub fn assert_all_valid(file: &Path, expected: &[Expect]) {
    let report = pdfsig(file);
    let count = |needle: &str| report.matches(needle).count();
    assert_eq!(
        count("Signature Validation: Signature is Valid."),
        expected.len(),
        "pdfsig:\n{report}"
    );
    assert_eq!(
        count("Total document signed"),
        1,
        "pdfsig: exactly the last signature covers everything\n{report}"
    );
    let last = report.rfind("Signature #").unwrap();
    assert!(
        report[last..].contains("Total document signed"),
        "pdfsig: the last signature covers the file\n{report}"
    );
    let ours = expected.iter().filter(|e| e.ours).count();
    assert_eq!(
        count("Signature Type: ETSI.CAdES.detached"),
        ours,
        "pdfsig:\n{report}"
    );

    let signatures = signatures_in(file);
    assert_eq!(signatures.len(), expected.len());
    for cms in &signatures {
        assert_nss_trusts(&signer_certificate(cms));
    }

    let (ok, report) = pyhanko_report(file);
    assert!(ok, "pyHanko failed:\n{report}");
    let count = |needle: &str| report.matches(needle).count();
    assert_eq!(
        count("The signature is judged VALID."),
        expected.len(),
        "pyHanko:\n{report}"
    );
    assert_eq!(
        count("The signer's certificate is trusted."),
        expected.len(),
        "pyHanko:\n{report}"
    );
    assert_eq!(
        count("The signature is cryptographically sound."),
        expected.len(),
        "pyHanko:\n{report}"
    );
    assert_eq!(
        count("The signature covers the entire file."),
        1,
        "pyHanko:\n{report}"
    );
    let timestamped = expected.iter().filter(|e| e.timestamped).count();
    assert_eq!(
        count("The TSA certificate is trusted."),
        timestamped,
        "pyHanko:\n{report}"
    );
    assert_eq!(
        count("The timestamp token is cryptographically sound."),
        timestamped,
        "pyHanko:\n{report}"
    );
    assert!(!report.contains("INVALID"), "pyHanko:\n{report}");
}

/// `qpdf --check` finds no structural error.
pub fn assert_qpdf_clean(file: &Path) {
    let output = run(tool("qpdf").arg("--check").arg(file));
    let report = text(&output);
    // Exit code 3 means warnings only; signed files sometimes have none, sometimes harmless ones.
    assert!(
        matches!(output.status.code(), Some(0 | 3)),
        "qpdf --check:\n{report}"
    );
    assert!(
        report.contains("No syntax or stream encoding errors found"),
        "qpdf --check:\n{report}"
    );
}
