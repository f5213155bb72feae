//! Input files: valid PDFs of an exact size and ID card photos.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes a one-page PDF of exactly `size` bytes whose bulk is an incompressible embedded
/// stream (like a scanned contract), with a correct cross-reference table.
pub fn write_pdf(path: &Path, size: u64, seed: u64) {
    let content = format!("BT /F1 18 Tf 72 720 Td (Benchmark document {seed}) Tj ET");
    let head_objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> /XObject << /Scan 6 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in head_objects.iter().enumerate() {
        offsets.push(head.len());
        head.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    offsets.push(head.len());
    // Everything after the stream's bytes, which end at `stream_end`.
    let tail_after_stream = |stream_end: usize| {
        let mut tail = b"\nendstream\nendobj\n".to_vec();
        let xref = stream_end + tail.len();
        tail.extend(b"xref\n0 7\n0000000000 65535 f \n");
        for offset in &offsets {
            tail.extend(format!("{offset:010} 00000 n \n").as_bytes());
        }
        tail.extend(
            format!("trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        tail
    };
    // The stream header and the trailer hold numbers whose width depends on the stream length;
    // two passes settle it.
    let stream_header = |len: u64| {
        format!(
            "6 0 obj\n<< /Type /XObject /Subtype /Image /Width 1 /Height 1 \
             /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {len} >>\nstream\n"
        )
    };
    let mut stream_len = size;
    for _ in 0..3 {
        let header = stream_header(stream_len);
        let start = head.len() + header.len();
        let tail = tail_after_stream(start + stream_len as usize);
        let overhead = (head.len() + header.len() + tail.len()) as u64;
        stream_len = size
            .checked_sub(overhead)
            .expect("size covers the PDF structure");
    }
    let header = stream_header(stream_len);
    let start = head.len() + header.len();
    let tail = tail_after_stream(start + stream_len as usize);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    out.write_all(&head).unwrap();
    out.write_all(header.as_bytes()).unwrap();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut left = stream_len;
    let mut block = vec![0u8; 1 << 16];
    while left > 0 {
        for chunk in block.chunks_mut(8) {
            // xorshift64: fast, incompressible enough that no layer can shortcut the bytes.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let bytes = state.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        let n = left.min(block.len() as u64) as usize;
        out.write_all(&block[..n]).unwrap();
        left -= n as u64;
    }
    out.write_all(&tail).unwrap();
    out.flush().unwrap();
    drop(out);
    assert_eq!(std::fs::metadata(path).unwrap().len(), size);
}

/// The ID card's front and rear photos (a 2×2 PNG each).
pub fn id_images(dir: &Path) -> (PathBuf, PathBuf) {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    png.extend(2u32.to_be_bytes());
    png.extend(2u32.to_be_bytes());
    png.extend([8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde]);
    png.extend(b"\x00\x00\x00\x00IEND\xaeB`\x82");
    let front = dir.join("front.png");
    let rear = dir.join("rear.png");
    std::fs::write(&front, &png).unwrap();
    std::fs::write(&rear, &png).unwrap();
    (front, rear)
}
