//! Test inputs: small generated PDFs and PNGs, and real-world PDFs from Debian's documentation
//! packages (variants made with qpdf).

use std::path::Path;
use std::process::Command;

/// A valid PDF with `pages` A4 pages of text, classic xref table.
pub fn pdf(pages: usize) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    let font_id = 3 + 2 * pages;
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 3 + 2 * i)).collect();
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {pages} >>",
        kids.join(" ")
    ));
    for i in 0..pages {
        let content = format!(
            "BT /F1 18 Tf 72 760 Td (Test document page {}) Tj ET",
            i + 1
        );
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {} 0 R >>",
            4 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{obj}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A valid RGB PNG of `w`×`h` (a blue gradient), zlib "stored" blocks.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0u8);
        for x in 0..w {
            raw.extend_from_slice(&[(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 200]);
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    z.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Real-world PDFs installed by Debian packages (see xtask system packages).
pub const REAL_WORLD: &[(&str, &str)] = &[
    ("libtasn1-doc", "/usr/share/doc/libtasn1-doc/libtasn1.pdf"),
    (
        "shared-mime-info",
        "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf",
    ),
];

/// Reads a real-world PDF, failing with the setup hint when its package is missing.
pub fn real_world(index: usize) -> Vec<u8> {
    let (package, path) = REAL_WORLD[index];
    std::fs::read(path)
        .unwrap_or_else(|e| panic!("{path} ({package}) is missing: {e}; run `cargo xtask setup`"))
}

/// Runs qpdf on `input` with `args`, returning the output bytes.
pub fn qpdf(input: &[u8], args: &[&str], dir: &Path) -> Vec<u8> {
    let src = dir.join(format!(
        "qpdf-in-{}.pdf",
        args.join("_").replace(['-', '=', ' '], "")
    ));
    let dst = dir.join(format!(
        "qpdf-out-{}.pdf",
        args.join("_").replace(['-', '=', ' '], "")
    ));
    std::fs::write(&src, input).unwrap();
    let status = Command::new(crate::tools::tool("qpdf"))
        .args(args)
        .arg(&src)
        .arg(&dst)
        .status()
        .expect("qpdf runs (run `cargo xtask setup`)");
    // qpdf exits 3 for warnings that still produce a file.
    assert!(
        status.success() || status.code() == Some(3),
        "qpdf {args:?} failed"
    );
    std::fs::read(&dst).unwrap()
}

/// A scratch directory for a test.
pub fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}
