//! Small previews of the customer's ID photos for the form, as `data:` URLs (the window loads no
//! local files; the photos are already checked and at most a few megabytes).

use crate::error::{IpcError, IpcResult};
use base64::Engine as _;
use std::path::Path;

/// Longest side of a preview, in pixels.
const PREVIEW_EDGE: u32 = 320;

/// A JPEG preview of the image at `path` as a `data:` URL.
pub fn data_url(path: &Path) -> IpcResult<String> {
    let image = image::ImageReader::open(path)
        .and_then(image::ImageReader::with_guessed_format)
        .map_err(|error| {
            IpcError::new(
                "image.unreadable",
                format!("the photo could not be read: {error}"),
            )
        })?
        .decode()
        .map_err(|error| {
            IpcError::new(
                "image.unreadable",
                format!("the photo could not be decoded: {error}"),
            )
        })?;
    let preview = image.thumbnail(PREVIEW_EDGE, PREVIEW_EDGE).into_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
        .encode_image(&preview)
        .map_err(|error| {
            IpcError::new(
                "image.unreadable",
                format!("the preview could not be made: {error}"),
            )
        })?;
    Ok(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_becomes_a_small_jpeg_preview() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("front.png");
        image::RgbImage::from_pixel(1200, 800, image::Rgb([20, 90, 200]))
            .save(&path)
            .expect("a PNG");
        let url = data_url(&path).expect("a preview");
        let jpeg = base64::engine::general_purpose::STANDARD
            .decode(url.trim_start_matches("data:image/jpeg;base64,"))
            .expect("base64");
        let preview = image::load_from_memory(&jpeg).expect("a JPEG");
        assert_eq!((preview.width(), preview.height()), (320, 213));
    }

    #[test]
    fn a_file_that_is_not_an_image_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("front.png");
        std::fs::write(&path, b"not an image").expect("a file");
        assert_eq!(
            data_url(&path).expect_err("refused").code,
            "image.unreadable"
        );
    }
}
