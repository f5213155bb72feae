//! A scanned-looking PDF for the viewer's tests: every page one greyscale JPEG (paper noise and
//! dark "lines of text"), no text layer, as a scanner writes it.

use anyhow::Result;
use image::codecs::jpeg::JpegEncoder;
use image::{GrayImage, Luma};
use std::fmt::Write as _;

/// A4 at 150 dpi.
const WIDTH: u32 = 1240;
const HEIGHT: u32 = 1754;

/// The bytes of a `pages`-page scanned PDF.
pub fn scanned_pdf(pages: usize) -> Result<Vec<u8>> {
    let mut objects: Vec<Vec<u8>> = Vec::new();
    // 1: catalog, 2: page tree; then per page: page, contents, image.
    let kids: String = (0..pages).fold(String::new(), |mut kids, n| {
        let _ = write!(kids, "{} 0 R ", 3 + n * 3);
        kids
    });
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {pages} >>").into_bytes());
    for n in 0..pages {
        let (page, contents, image) = (3 + n * 3, 4 + n * 3, 5 + n * 3);
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {contents} 0 R \
                 /Resources << /XObject << /Scan {image} 0 R >> >> >>"
            )
            .into_bytes(),
        );
        let draw = b"q 595 0 0 842 0 0 cm /Scan Do Q";
        objects.push(stream(&format!("<< /Length {} >>", draw.len()), draw));
        let jpeg = scan_page(n as u32)?;
        let dict = format!(
            "<< /Type /XObject /Subtype /Image /Width {WIDTH} /Height {HEIGHT} \
             /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>",
            jpeg.len()
        );
        objects.push(stream(&dict, &jpeg));
        debug_assert_eq!((objects.len(), page + 2), (image, image));
    }
    let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    pdf.extend_from_slice(table.as_bytes());
    Ok(pdf)
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut body = format!("{dict}\nstream\n").into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\nendstream");
    body
}

/// One page: light grey noisy paper with dark bars where lines of text would be.
fn scan_page(seed: u32) -> Result<Vec<u8>> {
    let mut state = 0x9E37_79B9_u32 ^ seed.wrapping_mul(0x85EB_CA6B);
    let image = GrayImage::from_fn(WIDTH, HEIGHT, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 24) as u8;
        let line =
            y % 40 < 14 && (120..1120).contains(&x) && !(x / 9 + y / 40 + seed).is_multiple_of(7);
        Luma([if line { 40 + noise } else { 220 + noise }])
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 80).encode_image(&image)?;
    Ok(jpeg)
}
