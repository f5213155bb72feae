//! Turning a PNG into PDF image XObjects: colour samples plus a soft mask for the alpha channel.

use super::filters::deflate;
use super::object::{Dict, Object};
use crate::SignerError;

/// Decoded PNGs beyond this would only bloat the signed file (a signature image is small).
const MAX_PIXELS: u64 = 16 * 1024 * 1024;

/// A stream's dictionary and (encoded) data.
pub(crate) type StreamParts = (Dict, Vec<u8>);

/// The samples of a decoded PNG, 8 bits per component.
pub(crate) struct DecodedImage {
    pub(crate) width: u32,
    pub(crate) height: u32,
    gray: bool,
    color: Vec<u8>,
    /// One byte per pixel; `None` when the image is fully opaque.
    alpha: Option<Vec<u8>>,
}

fn invalid(why: impl std::fmt::Display) -> SignerError {
    SignerError::InvalidAppearance(format!("the signature image is not a usable PNG: {why}"))
}

/// Decodes any PNG (palette, grey, RGB, with or without alpha or tRNS, 1–16 bits).
pub(crate) fn decode_png(bytes: &[u8]) -> Result<DecodedImage, SignerError> {
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(bytes),
        png::Limits {
            bytes: (MAX_PIXELS * 4) as usize,
        },
    );
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(invalid)?;
    let (width, height) = (reader.info().width, reader.info().height);
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(invalid(format!("{width}×{height} pixels is too large")));
    }
    let mut buffer = vec![0u8; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).map_err(invalid)?;
    buffer.truncate(frame.buffer_size());
    let (channels, gray) = match frame.color_type {
        png::ColorType::Grayscale => (1, true),
        png::ColorType::GrayscaleAlpha => (2, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (4, false),
        png::ColorType::Indexed => return Err(invalid("palette was not expanded")),
    };
    if frame.bit_depth != png::BitDepth::Eight {
        return Err(invalid("unexpected bit depth after conversion"));
    }
    let has_alpha = channels == 2 || channels == 4;
    let color_channels = if has_alpha { channels - 1 } else { channels };
    let pixels = (width as usize) * (height as usize);
    let mut color = Vec::with_capacity(pixels * color_channels);
    let mut alpha = Vec::with_capacity(if has_alpha { pixels } else { 0 });
    for row in buffer.chunks_exact(frame.line_size).take(height as usize) {
        for pixel in row[..width as usize * channels].chunks_exact(channels) {
            color.extend_from_slice(&pixel[..color_channels]);
            if has_alpha {
                alpha.push(pixel[color_channels]);
            }
        }
    }
    let alpha = (has_alpha && alpha.iter().any(|&a| a != 255)).then_some(alpha);
    Ok(DecodedImage {
        width,
        height,
        gray,
        color,
        alpha,
    })
}

impl DecodedImage {
    /// The image XObject and, when the PNG has transparency, its soft mask (which the caller
    /// stores as object `smask_num` — it is referenced from the image dictionary).
    pub(crate) fn xobjects(&self, smask_num: Option<u32>) -> (Dict, Vec<u8>, Option<StreamParts>) {
        let base = |color_space: &str| {
            Dict::new()
                .with("Type", Object::name("XObject"))
                .with("Subtype", Object::name("Image"))
                .with("Width", Object::Integer(i64::from(self.width)))
                .with("Height", Object::Integer(i64::from(self.height)))
                .with("ColorSpace", Object::name(color_space))
                .with("BitsPerComponent", Object::Integer(8))
                .with("Filter", Object::name("FlateDecode"))
        };
        let mut image = base(if self.gray { "DeviceGray" } else { "DeviceRGB" });
        let mask = match (&self.alpha, smask_num) {
            (Some(alpha), Some(num)) => {
                image.set("SMask", Object::Ref(super::object::ObjRef::new(num, 0)));
                Some((base("DeviceGray"), deflate(alpha)))
            }
            _ => None,
        };
        (image, deflate(&self.color), mask)
    }

    pub(crate) fn has_alpha(&self) -> bool {
        self.alpha.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(
        color: png::ColorType,
        depth: png::BitDepth,
        data: &[u8],
        trns: Option<&[u8]>,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, 2, 1);
        encoder.set_color(color);
        encoder.set_depth(depth);
        if color == png::ColorType::Indexed {
            encoder.set_palette(vec![255, 0, 0, 0, 0, 255]);
        }
        if let Some(trns) = trns {
            encoder.set_trns(trns.to_vec());
        }
        encoder
            .write_header()
            .unwrap()
            .write_image_data(data)
            .unwrap();
        out
    }

    #[test]
    fn rgba_keeps_its_alpha_as_a_soft_mask() {
        let image = decode_png(&png(
            png::ColorType::Rgba,
            png::BitDepth::Eight,
            &[1, 2, 3, 0, 4, 5, 6, 255],
            None,
        ))
        .unwrap();
        assert_eq!(image.color, vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(image.alpha, Some(vec![0, 255]));
        let (dict, _, mask) = image.xobjects(Some(9));
        assert!(dict.get("SMask").is_some() && mask.is_some());
    }

    #[test]
    fn palette_with_transparency_and_opaque_grey_are_converted() {
        let indexed = decode_png(&png(
            png::ColorType::Indexed,
            png::BitDepth::Eight,
            &[0, 1],
            Some(&[0, 255]),
        ))
        .unwrap();
        assert_eq!(indexed.color, vec![255, 0, 0, 0, 0, 255]);
        assert_eq!(indexed.alpha, Some(vec![0, 255]));
        let grey = decode_png(&png(
            png::ColorType::Grayscale,
            png::BitDepth::Sixteen,
            &[0xff, 0, 0x10, 0],
            None,
        ))
        .unwrap();
        assert!(grey.gray && !grey.has_alpha());
        assert_eq!(grey.color, vec![0xff, 0x10]);
    }

    #[test]
    fn garbage_is_refused_as_an_invalid_appearance() {
        let error = decode_png(b"GIF89a....").err().unwrap();
        assert_eq!(error.code(), "sign.invalid_appearance");
    }
}
