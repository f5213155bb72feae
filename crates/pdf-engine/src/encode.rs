//! Encoding rendered RGBA pixels. PDFium renders with `FPDF_REVERSE_BYTE_ORDER`, so the buffer
//! is RGBA with opaque alpha (pages are drawn on white). The lossless encoders get 8-bit grey when
//! every pixel is grey (most text pages: a third of the data, found in one pass costing ~0.1 ms)
//! and RGB otherwise (a quarter less data than RGBA, the same image); JPEG reads RGBA directly,
//! or one grey channel for grey pages.
//! The crate README has the measurements behind PNG with fdeflate's fastest setting as the
//! default.

use crate::error::PdfError;
use crate::render_spec::ImageFormat;
use bytes::Bytes;

/// JPEG quality for scanned pages: text on scans stays legible, files stay ~10x smaller than
/// lossless.
pub const JPEG_QUALITY: u8 = 85;

/// Tightly packed RGBA pixels.
pub struct RgbaPixels<'a> {
    pub data: &'a [u8],
    pub width: u32,
    pub height: u32,
}

/// Buffers reused between encodes: the packed grey/RGB pixels and the encoder's output. The
/// output is copied out at its exact size, so cached images hold no spare capacity and the
/// allocator sees one exact-size allocation per page instead of a grow-then-shrink pattern that
/// fragments the heap (measured: ~40 MiB beyond a 128 MiB cache over a 1321-page pass).
#[derive(Default)]
pub struct Scratch {
    packed: Vec<u8>,
    out: Vec<u8>,
}

/// Encodes `pixels` as `format`.
pub fn encode(
    pixels: &RgbaPixels<'_>,
    format: ImageFormat,
    scratch: &mut Scratch,
) -> Result<Bytes, PdfError> {
    let expected = pixels.width as usize * pixels.height as usize * 4;
    if pixels.data.len() != expected {
        return Err(PdfError::internal(format!(
            "bitmap has {} bytes, expected {expected}",
            pixels.data.len()
        )));
    }
    match format {
        ImageFormat::Rgba => Ok(Bytes::copy_from_slice(pixels.data)),
        ImageFormat::Webp => {
            let color = match pack_opaque(pixels.data, &mut scratch.packed) {
                Packed::Grey => image_webp::ColorType::L8,
                Packed::Rgb => image_webp::ColorType::Rgb8,
            };
            let out = &mut scratch.out;
            out.clear();
            image_webp::WebPEncoder::new(&mut *out)
                .encode(&scratch.packed, pixels.width, pixels.height, color)
                .map_err(|e| PdfError::Encode {
                    reason: e.to_string(),
                })?;
            Ok(Bytes::copy_from_slice(out))
        }
        ImageFormat::Png => {
            let color = match pack_opaque(pixels.data, &mut scratch.packed) {
                Packed::Grey => png::ColorType::Grayscale,
                Packed::Rgb => png::ColorType::Rgb,
            };
            let out = &mut scratch.out;
            out.clear();
            let mut encoder = png::Encoder::new(&mut *out, pixels.width, pixels.height);
            encoder.set_color(color);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.set_compression(png::Compression::Fastest);
            let mut writer = encoder.write_header().map_err(encode_error)?;
            writer
                .write_image_data(&scratch.packed)
                .map_err(encode_error)?;
            writer.finish().map_err(encode_error)?;
            Ok(Bytes::copy_from_slice(out))
        }
        ImageFormat::Jpeg => {
            let (Ok(width), Ok(height)) =
                (u16::try_from(pixels.width), u16::try_from(pixels.height))
            else {
                return Err(PdfError::invalid(
                    "JPEG images are limited to 65535 pixels a side",
                ));
            };
            // Grey scans (most of them) as one channel: a third of the work and no chroma.
            let (data, color) = if is_grey(pixels.data) {
                pack_opaque(pixels.data, &mut scratch.packed);
                (scratch.packed.as_slice(), jpeg_encoder::ColorType::Luma)
            } else {
                (pixels.data, jpeg_encoder::ColorType::Rgba)
            };
            let out = &mut scratch.out;
            out.clear();
            jpeg_encoder::Encoder::new(&mut *out, JPEG_QUALITY)
                .encode(data, width, height, color)
                .map_err(|e| PdfError::Encode {
                    reason: e.to_string(),
                })?;
            Ok(Bytes::copy_from_slice(out))
        }
        // The worker resolves `Auto` per page before encoding; PNG is its safe reading.
        ImageFormat::Auto => encode(pixels, ImageFormat::Png, scratch),
    }
}

fn encode_error(err: png::EncodingError) -> PdfError {
    PdfError::Encode {
        reason: err.to_string(),
    }
}

fn is_grey(rgba: &[u8]) -> bool {
    rgba.chunks_exact(4).all(|p| p[0] == p[1] && p[1] == p[2])
}

enum Packed {
    Grey,
    Rgb,
}

/// Drops the (opaque) alpha channel into `out`: one grey byte a pixel when the whole image is
/// grey, else RGB.
fn pack_opaque(rgba: &[u8], out: &mut Vec<u8>) -> Packed {
    out.clear();
    if is_grey(rgba) {
        out.extend(rgba.chunks_exact(4).map(|p| p[0]));
        Packed::Grey
    } else {
        out.reserve(rgba.len() / 4 * 3);
        for px in rgba.chunks_exact(4) {
            out.extend_from_slice(&px[..3]);
        }
        Packed::Rgb
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(width: u32, height: u32) -> Vec<u8> {
        let mut data = Vec::new();
        for y in 0..height {
            for x in 0..width {
                data.extend_from_slice(&[(x * 7) as u8, (y * 5) as u8, ((x + y) * 3) as u8, 255]);
            }
        }
        data
    }

    #[test]
    fn every_format_produces_its_signature_bytes() {
        let data = gradient(40, 30);
        let pixels = RgbaPixels {
            data: &data,
            width: 40,
            height: 30,
        };
        let mut scratch = Scratch::default();
        let webp = encode(&pixels, ImageFormat::Webp, &mut scratch).unwrap();
        assert!(webp.starts_with(b"RIFF") && &webp[8..12] == b"WEBP");
        let png = encode(&pixels, ImageFormat::Png, &mut scratch).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let jpeg = encode(&pixels, ImageFormat::Jpeg, &mut scratch).unwrap();
        assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
        let auto = encode(&pixels, ImageFormat::Auto, &mut scratch).unwrap();
        assert_eq!(auto, png, "unresolved, `Auto` reads as PNG");
        let raw = encode(&pixels, ImageFormat::Rgba, &mut scratch).unwrap();
        assert_eq!(raw.as_ref(), data.as_slice());
    }

    #[test]
    fn lossless_formats_decode_to_the_same_pixels() {
        let data = gradient(33, 17);
        let pixels = RgbaPixels {
            data: &data,
            width: 33,
            height: 17,
        };
        let mut scratch = Scratch::default();
        let png = encode(&pixels, ImageFormat::Png, &mut scratch).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(png.to_vec()))
            .read_info()
            .unwrap();
        let mut decoded = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut decoded).unwrap();
        let rgb: Vec<u8> = data.chunks_exact(4).flat_map(|p| p[..3].to_vec()).collect();
        assert_eq!(decoded, rgb);

        let webp = encode(&pixels, ImageFormat::Webp, &mut scratch).unwrap();
        let mut decoder =
            image_webp::WebPDecoder::new(std::io::Cursor::new(webp.to_vec())).unwrap();
        let mut decoded = vec![0; decoder.output_buffer_size().unwrap()];
        decoder.read_image(&mut decoded).unwrap();
        assert_eq!(decoded, rgb);
    }

    #[test]
    fn grey_pages_are_encoded_as_one_channel() {
        let data: Vec<u8> = (0..64u8).flat_map(|v| [v * 3, v * 3, v * 3, 255]).collect();
        let pixels = RgbaPixels {
            data: &data,
            width: 8,
            height: 8,
        };
        let png = encode(&pixels, ImageFormat::Png, &mut Scratch::default()).unwrap();
        let reader = png::Decoder::new(std::io::Cursor::new(png.to_vec()))
            .read_info()
            .unwrap();
        assert_eq!(reader.info().color_type, png::ColorType::Grayscale);
        let webp = encode(&pixels, ImageFormat::Webp, &mut Scratch::default()).unwrap();
        let mut decoder =
            image_webp::WebPDecoder::new(std::io::Cursor::new(webp.to_vec())).unwrap();
        let mut decoded = vec![0; decoder.output_buffer_size().unwrap()];
        decoder.read_image(&mut decoded).unwrap();
        // WebP decodes to RGB; every pixel is its grey value three times.
        let expected: Vec<u8> = data.chunks_exact(4).flat_map(|p| [p[0]; 3]).collect();
        assert_eq!(decoded, expected);
    }

    #[test]
    fn a_wrongly_sized_buffer_is_an_error_not_a_panic() {
        let pixels = RgbaPixels {
            data: &[0; 10],
            width: 4,
            height: 4,
        };
        let err = encode(&pixels, ImageFormat::Webp, &mut Scratch::default()).unwrap_err();
        assert_eq!(err.code(), "pdf.internal");
    }
}
