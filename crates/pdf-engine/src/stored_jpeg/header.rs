//! What a stored JPEG's header must say for a webview to show it as PDFium would.
//!
//! A walk over the markers before the first scan, written out here because the facts needed
//! (which start-of-frame, the sample precision, an Exif segment) are exactly what JPEG
//! decoders skip over leniently or keep private; a gate must refuse anything unusual.

/// The facts of a JPEG header the page check compares with the PDF's image dictionary.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct JpegHeader {
    pub width: u32,
    pub height: u32,
    pub components: u8,
}

const SOI: u8 = 0xD8;
const SOS: u8 = 0xDA;
const EOI: u8 = 0xD9;
const APP1: u8 = 0xE1;
/// Huffman-coded frames with 8-bit samples: baseline, extended sequential and progressive.
const WEBVIEW_FRAMES: [u8; 3] = [0xC0, 0xC1, 0xC2];

/// The header of `data`, when every webview decodes it to the pixels PDFium would:
/// - a Huffman-coded frame with 8-bit samples: webviews decode no arithmetic-coded, lossless or
///   12-bit JPEG, which PDFium does;
/// - no Exif: browsers turn a JPEG by its Exif orientation, a PDF ignores it;
/// - a height in the frame header (not one announced later by a DNL marker);
/// - the whole image, up to its end-of-image marker: PDFium draws what a cut-off JPEG still
///   holds, where a webview may show nothing at all.
///
/// Colour transforms need no check here: with 1 or 3 components (the only ones served), an
/// Adobe marker's transform is read the same way by both, and a dictionary's `ColorTransform`
/// is refused with the rest of `/DecodeParms` (see `dictionary`).
pub(super) fn read(data: &[u8]) -> Option<JpegHeader> {
    if data.get(..2)? != [0xFF, SOI] || !ends_whole(data) {
        return None;
    }
    let mut pos = 2;
    let mut frame = None;
    loop {
        if *data.get(pos)? != 0xFF {
            return None;
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while *data.get(pos)? == 0xFF {
            pos += 1;
        }
        let marker = data[pos];
        pos += 1;
        if marker == SOS {
            return frame;
        }
        let length = usize::from(u16::from_be_bytes([*data.get(pos)?, *data.get(pos + 1)?]));
        let segment = data.get(pos + 2..pos + length.max(2))?;
        match marker {
            APP1 if segment.starts_with(b"Exif\0") => return None,
            m if WEBVIEW_FRAMES.contains(&m) => frame = Some(frame_header(segment)?),
            // Every other start-of-frame (0xC3, 0xC5-0xC7, 0xC9-0xCB, 0xCD-0xCF).
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return None,
            // A bare marker here (restart, end of image) means a broken header.
            0x01 | 0xD0..=0xD9 => return None,
            _ => {}
        }
        pos += length;
    }
}

/// Whether `data` ends with the end-of-image marker, past any padding a PDF writer left after it
/// inside the stream (line ends, spaces, zeros).
fn ends_whole(data: &[u8]) -> bool {
    let end = data
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b'\n' | b' ' | 0))
        .map_or(0, |last| last + 1);
    data[..end].ends_with(&[0xFF, EOI])
}

fn frame_header(segment: &[u8]) -> Option<JpegHeader> {
    let [precision, h1, h0, w1, w0, components, ..] = *segment else {
        return None;
    };
    let height = u32::from(u16::from_be_bytes([h1, h0]));
    let width = u32::from(u16::from_be_bytes([w1, w0]));
    (precision == 8 && height > 0 && width > 0).then_some(JpegHeader {
        width,
        height,
        components,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG of `width` x `height` with `components`, encoded by the crate the engine uses.
    fn jpeg(width: u16, height: u16, grey: bool) -> Vec<u8> {
        let (color, channels) = if grey {
            (jpeg_encoder::ColorType::Luma, 1)
        } else {
            (jpeg_encoder::ColorType::Rgb, 3)
        };
        let pixels = vec![200u8; usize::from(width) * usize::from(height) * channels];
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 80)
            .encode(&pixels, width, height, color)
            .unwrap();
        out
    }

    /// `data` with a segment inserted right after the start-of-image marker.
    fn with_segment(data: &[u8], marker: u8, payload: &[u8]) -> Vec<u8> {
        let length = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
        let mut out = data[..2].to_vec();
        out.extend_from_slice(&[0xFF, marker, length[0], length[1]]);
        out.extend_from_slice(payload);
        out.extend_from_slice(&data[2..]);
        out
    }

    #[test]
    fn reads_the_size_and_components_of_baseline_jpegs() {
        assert_eq!(
            read(&jpeg(33, 17, false)),
            Some(JpegHeader {
                width: 33,
                height: 17,
                components: 3
            })
        );
        assert_eq!(read(&jpeg(8, 9, true)).map(|h| h.components), Some(1));
    }

    #[test]
    fn refuses_exif_which_webviews_would_turn_by() {
        let data = jpeg(16, 16, false);
        let exif = with_segment(&data, APP1, b"Exif\0\0MM\0*\0\0\0\x08\0\0");
        assert_eq!(read(&exif), None);
        // Other APP1 data (XMP) changes nothing about the pixels.
        let xmp = with_segment(&data, APP1, b"http://ns.adobe.com/xap/1.0/\0<x/>");
        assert!(read(&xmp).is_some());
    }

    #[test]
    fn refuses_frames_webviews_cannot_decode() {
        let data = jpeg(16, 16, true);
        let sof = data
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .expect("a baseline frame");
        for other in [0xC3, 0xC9, 0xCA] {
            let mut changed = data.clone();
            changed[sof + 1] = other;
            assert_eq!(read(&changed), None, "frame 0x{other:X}");
        }
        let mut twelve_bit = data.clone();
        twelve_bit[sof + 4] = 12;
        assert_eq!(read(&twelve_bit), None);
    }

    #[test]
    fn refuses_what_is_not_a_whole_jpeg_header() {
        let data = jpeg(16, 16, true);
        assert_eq!(read(b""), None);
        assert_eq!(read(b"\x89PNG\r\n\x1a\n"), None);
        let sos = data.windows(2).position(|w| w == [0xFF, SOS]).unwrap();
        for cut in [3, 10, sos, (sos + data.len()) / 2, data.len() - 1] {
            assert_eq!(read(&data[..cut]), None, "cut at {cut}");
        }
    }

    #[test]
    fn padding_after_the_end_of_the_image_is_allowed() {
        let mut data = jpeg(16, 16, true);
        data.extend_from_slice(b"\r\n \0");
        assert!(read(&data).is_some());
        data.extend_from_slice(b"x");
        assert_eq!(read(&data), None, "other bytes after the image");
    }
}
