//! Input PDFs for the signing tests: generated ones in several file structures, hand-written
//! ones for edge cases, and real-world documents shipped by Debian packages.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sim_signer::{ContractData, PdfSignOptions, SignedPdfInfo, SignerIdentity, VisibleAppearance};

use super::{run, signer, text, tool, trust};

pub fn contract_data(language: &str) -> ContractData {
    ContractData {
        request_pk: 388_141,
        given_name: "Ana María".into(),
        surname_1: "García".into(),
        surname_2: Some("Łopez".into()),
        serial_number: "12345678Z".into(),
        id_document_type: "IDC".into(),
        id_document_country: "ES".into(),
        email: "ana.garcia@example.com".into(),
        mobile_phone_number: "+34600123123".into(),
        profile: "PFnubeQAFCiudadano".into(),
        registration_authority: "139".into(),
        language: language.into(),
        created_at: SystemTime::now(),
    }
}

/// The generated service contract: a multi-page PDF with a classic cross-reference table.
pub fn contract(dir: &Path) -> PathBuf {
    let path = dir.join("contract.pdf");
    std::fs::write(
        &path,
        sim_signer::contract_pdf(&contract_data("EN")).unwrap(),
    )
    .unwrap();
    path
}

/// Rewrites `input` with qpdf (object streams, linearization, encryption, ...).
pub fn qpdf(input: &Path, output: &Path, args: &[&str]) -> PathBuf {
    let result = run(tool("qpdf").args(args).arg(input).arg(output));
    assert!(
        matches!(result.status.code(), Some(0 | 3)),
        "qpdf {args:?}: {}",
        text(&result)
    );
    output.to_path_buf()
}

/// A document shipped by a Debian package (possibly gzipped), copied into `dir`.
pub fn debian_doc(path: &str, package: &str, dir: &Path) -> PathBuf {
    let source = Path::new(path);
    assert!(
        source.exists(),
        "{path} is missing: install {package} with `cargo xtask setup`"
    );
    let name = source
        .file_name()
        .unwrap()
        .to_string_lossy()
        .trim_end_matches(".gz")
        .to_string();
    let target = dir.join(name);
    if path.ends_with(".gz") {
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(source).unwrap())
            .read_to_end(&mut bytes)
            .unwrap();
        std::fs::write(&target, bytes).unwrap();
    } else {
        std::fs::copy(source, &target).unwrap();
    }
    target
}

pub fn options(appearance: Option<VisibleAppearance>, timestamp: bool) -> PdfSignOptions {
    PdfSignOptions {
        appearance,
        reason: Some("Conformidad con el contrato".into()),
        location: Some("Barcelona".into()),
        timestamp,
        signing_time: SystemTime::now(),
    }
}

pub fn visible(page: u32) -> VisibleAppearance {
    VisibleAppearance {
        page,
        rect: [330.0, 90.0, 540.0, 150.0],
        text_lines: vec![
            "Firmado digitalmente por".into(),
            signer().common_name().into(),
            "Fecha: 01/03/2025 10:15:00 CET".into(),
        ],
        image_png: None,
    }
}

/// Signs with the shared signer and checks the promise of an incremental update: the output
/// starts with the exact original bytes and the reported sizes are right.
pub fn sign(input: &Path, output: &Path, options: &PdfSignOptions) -> SignedPdfInfo {
    sign_as(signer(), input, output, options)
}

pub fn sign_as(
    signer: &SignerIdentity,
    input: &Path,
    output: &Path,
    options: &PdfSignOptions,
) -> SignedPdfInfo {
    let original = std::fs::read(input).unwrap();
    let info = trust().sign_pdf(signer, input, output, options).unwrap();
    let signed = std::fs::read(output).unwrap();
    assert_eq!(info.original_bytes, original.len() as u64);
    assert_eq!(info.signed_bytes, signed.len() as u64);
    assert!(
        signed.starts_with(&original),
        "the original bytes must be kept as they are"
    );
    info
}

/// The signer's certificate and key as separate PEM files (for pyHanko).
pub fn identity_files(identity: &SignerIdentity, dir: &Path) -> (PathBuf, PathBuf) {
    let pem = identity.to_pem();
    let split = pem.find("-----BEGIN PRIVATE KEY-----").unwrap();
    let (cert, key) = (dir.join("signer-cert.pem"), dir.join("signer-key.pem"));
    std::fs::write(&cert, &pem[..split]).unwrap();
    std::fs::write(&key, &pem[split..]).unwrap();
    (cert, key)
}

/// A stream object body with the right /Length.
pub fn stream(extra: &str, data: &str) -> String {
    format!(
        "<< /Length {} {extra} >>\nstream\n{data}\nendstream",
        data.len()
    )
}

/// A hand-written PDF: numbered object bodies, written with a correct classic xref table.
pub struct HandMade {
    pub objects: Vec<String>,
    /// Extra trailer entries (e.g. `/Encrypt 9 0 R`).
    pub trailer_extra: String,
}

impl HandMade {
    /// A one-page document: 1 catalog, 2 pages, 3 page, 4 contents.
    pub fn one_page() -> Self {
        HandMade {
            objects: vec![
                "<< /Type /Catalog /Pages 2 0 R >>".into(),
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
                 /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
                    .into(),
                stream("", "BT /F1 24 Tf 72 700 Td (Hand made) Tj ET"),
            ],
            trailer_extra: String::new(),
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
        );
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R {} >>\nstartxref\n{xref}\n%%EOF\n",
                self.objects.len() + 1,
                self.trailer_extra
            )
            .as_bytes(),
        );
        out
    }

    pub fn write(&self, path: &Path) -> PathBuf {
        std::fs::write(path, self.bytes()).unwrap();
        path.to_path_buf()
    }
}

/// Appends a hand-written incremental update to `bytes`: objects `(num, generation, body)` and
/// freed objects `(num, next generation)`, with a classic xref section chained by `/Prev`.
pub fn append_update(
    bytes: &mut Vec<u8>,
    objects: &[(u32, u16, &str)],
    freed: &[(u32, u16)],
    size: u32,
) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let prev: usize = text[text.rfind("startxref").unwrap() + 9..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut entries = Vec::new();
    for (num, generation, body) in objects {
        entries.push((*num, format!("{:010} {generation:05} n \n", bytes.len())));
        bytes.extend_from_slice(format!("{num} {generation} obj\n{body}\nendobj\n").as_bytes());
    }
    for (num, generation) in freed {
        entries.push((*num, format!("0000000000 {generation:05} f \n")));
    }
    entries.sort();
    let xref = bytes.len();
    let mut section = String::from("xref\n");
    for (num, entry) in entries {
        section.push_str(&format!("{num} 1\n{entry}"));
    }
    section.push_str(&format!(
        "trailer\n<< /Size {size} /Root 1 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n"
    ));
    bytes.extend_from_slice(section.as_bytes());
}
