//! Scanned-looking PDFs: every page one JPEG and no text layer, as a scanner writes them. The
//! viewer's tests use `scanned_pdf` (grey paper noise and dark "lines of text"); the window
//! benchmark gives `pdf_of_scans` its own pages.

use anyhow::Result;
use image::codecs::jpeg::JpegEncoder;
use image::{GrayImage, Luma};
use std::fmt::Write as _;

/// A4 at 150 dpi.
pub const WIDTH: u32 = 1240;
pub const HEIGHT: u32 = 1754;

/// The bytes of a `pages`-page scanned PDF: grey A4 pages.
pub fn scanned_pdf(pages: usize) -> Result<Vec<u8>> {
    let pages = (0..pages)
        .map(|n| {
            Ok(ScannedPage {
                jpeg: scan_page(n as u32)?,
                width: WIDTH,
                height: HEIGHT,
                colour: Colour::Gray,
                points: (595.0, 842.0),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(pdf_of_scans(&pages))
}

/// The colour space of a scanned page's JPEG.
#[derive(Debug, Clone, Copy)]
pub enum Colour {
    Gray,
    Rgb,
}

/// One page of a scanned document: its JPEG, drawn over the whole page.
pub struct ScannedPage {
    pub jpeg: Vec<u8>,
    /// The JPEG's size in pixels.
    pub width: u32,
    pub height: u32,
    pub colour: Colour,
    /// The page's size in PDF points.
    pub points: (f64, f64),
}

/// A PDF with one full-page JPEG per page and no text, as a document scanner writes it, with a
/// correct cross-reference table.
pub fn pdf_of_scans(pages: &[ScannedPage]) -> Vec<u8> {
    // 1: catalog, 2: page tree; then per page: page, contents, image.
    let page_id = |n: usize| 3 + n * 3;
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let kids: String = (0..pages.len()).fold(String::new(), |mut kids, n| {
        let _ = write!(kids, "{} 0 R ", page_id(n));
        kids
    });
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {} >>", pages.len()).into_bytes());
    for (n, page) in pages.iter().enumerate() {
        let (contents, image) = (page_id(n) + 1, page_id(n) + 2);
        let (w, h) = page.points;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.2} {h:.2}] /Contents {contents} 0 R \
                 /Resources << /XObject << /Scan {image} 0 R >> >> >>"
            )
            .into_bytes(),
        );
        let draw = format!("q {w:.2} 0 0 {h:.2} 0 0 cm /Scan Do Q");
        objects.push(stream(
            &format!("<< /Length {} >>", draw.len()),
            draw.as_bytes(),
        ));
        let colour_space = match page.colour {
            Colour::Gray => "/DeviceGray",
            Colour::Rgb => "/DeviceRGB",
        };
        let dict = format!(
            "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {colour_space} \
             /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>",
            page.width,
            page.height,
            page.jpeg.len()
        );
        objects.push(stream(&dict, &page.jpeg));
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
    pdf
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
