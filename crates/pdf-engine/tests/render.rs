//! Opening and rendering generated documents: sizes, formats, regions, rotation, limits.
#![allow(clippy::unwrap_used)]

mod support;

use pdf_engine::{
    EngineConfig, ImageFormat, PdfError, Region, RenderRequest, Rotation, scale_for_dpi,
};
use support::pdf_writer::{A4, PageContent, PageSpec, document, scanned_document, text_document};

fn decode_png(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()));
    let info = decoder.read_info().unwrap();
    (info.info().width, info.info().height)
}

fn decode_webp(bytes: &[u8]) -> (u32, u32) {
    let decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    decoder.dimensions()
}

#[tokio::test]
async fn a_generated_document_reports_pages_sizes_and_metadata() {
    let engine = support::engine();
    let info = engine
        .open_bytes(text_document(3, |n| format!("marker {n}")), None)
        .await
        .unwrap();
    assert_eq!(info.page_count, 3);
    let first = info.first_page_size.unwrap();
    assert_eq!((first.width, first.height), A4);
    let sizes = engine.page_sizes(info.id).await.unwrap();
    assert_eq!(sizes.len(), 3);
    assert!(sizes.iter().all(|s| (s.width, s.height) == A4));
    assert_eq!(
        info.metadata.title.as_deref(),
        Some("Generated text document")
    );
    assert_eq!(info.metadata.author.as_deref(), Some("OneShot Desk tests"));
    assert_eq!(info.metadata.pdf_version.as_deref(), Some("1.7"));
    assert_eq!(
        info.metadata
            .creation_time
            .map(|t| t.to_string())
            .as_deref(),
        Some("2024-01-31T11:00:00Z")
    );
    assert!(!info.metadata.encrypted);
    assert!(engine.library().path.is_some());
}

#[tokio::test]
async fn every_format_renders_a_page_of_the_expected_size() {
    let engine = support::engine();
    let info = engine
        .open_bytes(text_document(1, |_| "hello".into()), None)
        .await
        .unwrap();
    let scale = scale_for_dpi(150.0);
    let expected = (
        (595.0 * scale).round() as u32,
        (842.0 * scale).round() as u32,
    );
    for format in [
        ImageFormat::Webp,
        ImageFormat::Png,
        ImageFormat::Jpeg,
        ImageFormat::Rgba,
    ] {
        let image = engine
            .render(info.id, RenderRequest::page(0, scale).with_format(format))
            .await
            .unwrap();
        assert_eq!((image.width, image.height), expected, "{format:?}");
        assert_eq!(image.format, format);
        match format {
            ImageFormat::Webp => assert_eq!(decode_webp(&image.data), expected),
            ImageFormat::Png => assert_eq!(decode_png(&image.data), expected),
            ImageFormat::Jpeg => assert!(image.data.starts_with(&[0xFF, 0xD8])),
            ImageFormat::Auto => unreachable!("not requested here"),
            ImageFormat::Rgba => {
                assert_eq!(image.data.len(), (expected.0 * expected.1 * 4) as usize);
                // White paper, opaque, with some dark text pixels.
                assert!(image.data.chunks_exact(4).all(|p| p[3] == 255));
                assert!(image.data.chunks_exact(4).any(|p| p[0] < 128));
                assert_eq!(&image.data[..4], &[255, 255, 255, 255]);
            }
        }
    }
}

#[tokio::test]
async fn a_region_render_is_exactly_that_crop_of_the_whole_page() {
    let engine = support::engine();
    let info = engine
        .open_bytes(text_document(1, |_| "Region test".into()), None)
        .await
        .unwrap();
    let scale = 1.5;
    let full = engine
        .render(
            info.id,
            RenderRequest::page(0, scale).with_format(ImageFormat::Rgba),
        )
        .await
        .unwrap();
    let region = Region {
        x: 80,
        y: 40,
        width: 300,
        height: 90,
    };
    let mut request = RenderRequest::page(0, scale).with_format(ImageFormat::Rgba);
    request.region = Some(region);
    let part = engine.render(info.id, request).await.unwrap();
    assert_eq!((part.width, part.height), (300, 90));
    let row_bytes = (full.width * 4) as usize;
    let mut crop = Vec::new();
    for y in region.y..region.y + region.height {
        let start = y as usize * row_bytes + region.x as usize * 4;
        crop.extend_from_slice(&full.data[start..start + region.width as usize * 4]);
    }
    let differing = crop
        .iter()
        .zip(part.data.iter())
        .filter(|(a, b)| a.abs_diff(**b) > 8)
        .count();
    // Anti-aliasing at the crop edge may differ by a shade; the content must be the same.
    assert!(
        differing * 200 < crop.len(),
        "{differing} of {} bytes differ",
        crop.len()
    );
    assert!(
        part.data.chunks_exact(4).any(|p| p[0] < 128),
        "the crop holds text"
    );
}

#[tokio::test]
async fn rotation_and_the_pages_own_rotate_swap_the_axes() {
    let engine = support::engine();
    let pdf = document(
        vec![
            PageSpec {
                size: A4,
                rotate: 0,
                content: PageContent::Text(vec!["upright".into()]),
            },
            PageSpec {
                size: A4,
                rotate: 90,
                content: PageContent::Text(vec!["turned".into()]),
            },
        ],
        "Rotations",
    );
    let info = engine.open_bytes(pdf, None).await.unwrap();
    let sizes = engine.page_sizes(info.id).await.unwrap();
    assert_eq!((sizes[1].width, sizes[1].height), (842.0, 595.0));
    let mut request = RenderRequest::page(0, 1.0).with_format(ImageFormat::Png);
    request.rotation = Rotation::Cw90;
    let turned = engine.render(info.id, request).await.unwrap();
    assert_eq!((turned.width, turned.height), (842, 595));
    let own = engine
        .render(info.id, RenderRequest::page(1, 1.0))
        .await
        .unwrap();
    assert_eq!((own.width, own.height), (842, 595));
    assert_eq!(Rotation::from_degrees(-90), Some(Rotation::Cw270));
}

#[tokio::test]
async fn bad_requests_get_typed_errors() {
    let engine = support::engine_with(EngineConfig {
        max_render_pixels: 10_000_000,
        ..EngineConfig::default()
    });
    let info = engine
        .open_bytes(text_document(2, |_| String::new()), None)
        .await
        .unwrap();
    let err = engine
        .render(info.id, RenderRequest::page(2, 1.0))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            PdfError::PageOutOfRange {
                page: 2,
                page_count: 2
            }
        ),
        "{err}"
    );
    for scale in [0.0, -1.0, f32::NAN, f32::INFINITY] {
        let err = engine
            .render(info.id, RenderRequest::page(0, scale))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "pdf.invalid_request", "scale {scale}");
    }
    // 600 dpi A4 is 35 million pixels: over this engine's 10-million budget.
    let err = engine
        .render(info.id, RenderRequest::page(0, scale_for_dpi(600.0)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "pdf.too_large_render");
    let mut outside = RenderRequest::page(0, 1.0);
    outside.region = Some(Region {
        x: 5000,
        y: 0,
        width: 10,
        height: 10,
    });
    let err = engine.render(info.id, outside).await.unwrap_err();
    assert_eq!(err.code(), "pdf.invalid_request");
    engine.close(info.id).unwrap();
    let err = engine
        .render(info.id, RenderRequest::page(0, 1.0))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "pdf.unknown_document");
}

#[tokio::test]
async fn thumbnails_fit_the_requested_edge() {
    let engine = support::engine();
    let info = engine
        .open_bytes(text_document(1, |_| "thumb".into()), None)
        .await
        .unwrap();
    let thumb = engine
        .thumbnail(info.id, 0, 200, ImageFormat::Webp)
        .await
        .unwrap();
    assert_eq!(thumb.height, 200);
    assert_eq!(thumb.width, (595.0f32 * 200.0 / 842.0).round() as u32);
}

#[tokio::test]
async fn auto_serves_scans_as_jpeg_and_text_pages_as_png() {
    let engine = support::engine();
    let scan = engine.open_bytes(scanned_document(1), None).await.unwrap();
    let text = engine
        .open_bytes(text_document(1, |_| "words".into()), None)
        .await
        .unwrap();
    let auto =
        |page| RenderRequest::page(page, scale_for_dpi(150.0)).with_format(ImageFormat::Auto);
    let scanned = engine.render(scan.id, auto(0)).await.unwrap();
    assert_eq!(scanned.format, ImageFormat::Jpeg);
    assert!(scanned.data.starts_with(&[0xFF, 0xD8, 0xFF]));
    let typed = engine.render(text.id, auto(0)).await.unwrap();
    assert_eq!(typed.format, ImageFormat::Png);
    assert_eq!(decode_png(&typed.data), (typed.width, typed.height));
    // The choice is made once per page: the cached answer keeps its format.
    let again = engine.render(scan.id, auto(0)).await.unwrap();
    assert_eq!(again.format, ImageFormat::Jpeg);
}

/// The worker opens a long-read document afresh every so many pages (to let go of what PDFium
/// parsed): reading goes on unchanged across those reopens, and a file replaced on disk after
/// it was opened is never swapped in under the open document.
#[tokio::test]
async fn a_long_read_goes_on_across_reopens_and_a_replaced_file_is_never_swapped_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = support::write(
        dir.path(),
        "manual.pdf",
        &text_document(4, |n| format!("original {n}")),
    );
    let engine = support::engine();
    let info = engine.open_file(&path, None).await.unwrap();
    // Distinct scales: every render loads its page (no cache hit), well past the reopen point.
    let read = |from: u32| {
        let engine = &engine;
        async move {
            for i in from..from + 400 {
                let request = RenderRequest::page(i % 4, 0.1 + i as f32 * 0.001);
                let image = engine.render(info.id, request).await.unwrap();
                assert_eq!(image.page, i % 4);
            }
        }
    };
    read(0).await;
    assert!(
        engine
            .page_text(info.id, 2)
            .await
            .unwrap()
            .contains("original 2")
    );

    // Replaced the way editors and downloads do it: a new file renamed over the old name.
    let replacement = support::write(
        dir.path(),
        "replacement.pdf",
        &text_document(6, |n| format!("replaced {n}")),
    );
    std::fs::rename(&replacement, &path).unwrap();
    read(400).await;
    assert_eq!(engine.page_sizes(info.id).await.unwrap().len(), 4);
    let text = engine.page_text(info.id, 3).await.unwrap();
    assert!(text.contains("original 3"), "{text}");
}
