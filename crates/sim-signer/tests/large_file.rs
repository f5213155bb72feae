//! A large input is signed without being held in memory: the output is a copy plus an appended
//! update, and the byte ranges are hashed in chunks.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;

use common::fixtures::{options, stream};

/// Peak resident memory of this process (Linux), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        * 1024
}

#[test]
fn a_file_of_hundreds_of_megabytes_is_signed_with_little_memory() {
    const PAYLOAD: usize = 300 * 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("large.pdf");
    {
        // Written in pieces: the test must not hold the file in memory either.
        let mut file = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        let mut offsets = Vec::new();
        let mut position = 0usize;
        let put =
            |file: &mut std::io::BufWriter<std::fs::File>, bytes: &[u8], position: &mut usize| {
                file.write_all(bytes).unwrap();
                *position += bytes.len();
            };
        put(&mut file, b"%PDF-1.7\n", &mut position);
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 5 0 R] >>"
                .to_string(),
            stream("", "BT /F1 12 Tf 72 700 Td ET"),
        ];
        for (i, body) in objects.iter().enumerate() {
            offsets.push(position);
            put(
                &mut file,
                format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes(),
                &mut position,
            );
        }
        // Object 5: a content stream of PAYLOAD bytes of comments (valid, and renders nothing).
        offsets.push(position);
        put(
            &mut file,
            format!("5 0 obj\n<< /Length {PAYLOAD} >>\nstream\n").as_bytes(),
            &mut position,
        );
        let line = format!("%{}\n", "x".repeat(1022));
        for _ in 0..PAYLOAD / 1024 {
            put(&mut file, line.as_bytes(), &mut position);
        }
        put(&mut file, b"\nendstream\nendobj\n", &mut position);
        let xref = position;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
        for offset in &offsets {
            table.push_str(&format!("{offset:010} 00000 n \n"));
        }
        table.push_str(&format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        ));
        put(&mut file, table.as_bytes(), &mut position);
    }
    common::trust();
    common::signer();
    let before = peak_rss();
    let output = dir.path().join("signed.pdf");
    let info = common::trust()
        .sign_pdf(common::signer(), &input, &output, &options(None, true))
        .unwrap();
    let grown = peak_rss().saturating_sub(before);
    eprintln!(
        "signing {} MB raised the peak memory by {} KB",
        info.original_bytes >> 20,
        grown >> 10
    );
    assert!(info.original_bytes > PAYLOAD as u64);
    assert!(
        grown < 64 * 1024 * 1024,
        "signing a {} MB file raised the peak memory by {} MB",
        info.original_bytes >> 20,
        grown >> 20
    );

    // pdfsig re-hashes the whole file and must agree.
    let report = common::validate::pdfsig(&output);
    assert!(
        report.contains("Signature is Valid.") && report.contains("Total document signed"),
        "{report}"
    );
}
