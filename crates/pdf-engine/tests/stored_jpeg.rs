//! Scanned pages served as the JPEG they store, and every page that must be rendered instead.
#![allow(clippy::unwrap_used)]

mod support;

use pdf_engine::{ImageFormat, PdfEngine, Region, RenderRequest, RenderedImage, Rotation};
use support::pdf_writer::{ImagePage, scan_jpeg};

const WIDTH: u32 = 850;
const HEIGHT: u32 = 1100;

/// The window's request: the engine picks the format.
fn auto(scale: f32) -> RenderRequest {
    RenderRequest::page(0, scale).with_format(ImageFormat::Auto)
}

/// Page 1 of `pdf`, opened from a file, rendered for `request`.
async fn page_of(engine: &PdfEngine, pdf: &[u8], request: RenderRequest) -> RenderedImage {
    let dir = tempfile::tempdir().unwrap();
    let path = support::write(dir.path(), "scan.pdf", pdf);
    let info = engine.open_file(&path, None).await.unwrap();
    engine.render(info.id, request).await.unwrap()
}

#[tokio::test]
async fn a_scanned_page_is_served_as_the_jpeg_it_stores() {
    let engine = support::engine();
    let colour = scan_jpeg(WIDTH, HEIGHT, 1, false);
    let grey = scan_jpeg(WIDTH, HEIGHT, 2, true);
    let grey_page = ImagePage {
        color_space: "/DeviceGray",
        ..ImagePage::scan(&grey, WIDTH, HEIGHT)
    };
    for (jpeg, page) in [
        (&colour, ImagePage::scan(&colour, WIDTH, HEIGHT)),
        (&grey, grey_page),
    ] {
        // 612 pt at 1.25 is 765 pixels asked for: the 850-pixel scan is close enough.
        let image = page_of(&engine, &page.build(), auto(1.25)).await;
        assert_eq!(image.format, ImageFormat::Jpeg);
        assert_eq!((image.width, image.height), (WIDTH, HEIGHT));
        assert_eq!(image.data.as_ref(), jpeg.as_slice(), "the stored bytes");
    }
}

/// Each way a page's stored JPEG is not the page as PDFium draws it.
#[tokio::test]
async fn a_page_whose_stored_jpeg_is_not_the_page_is_rendered() {
    let engine = support::engine();
    let jpeg = scan_jpeg(WIDTH, HEIGHT, 3, false);
    let scan = || ImagePage::scan(&jpeg, WIDTH, HEIGHT);
    let with_exif = {
        let mut data = jpeg[..2].to_vec();
        let exif = b"Exif\0\0MM\0*\0\0\0\x08\0\0";
        data.extend_from_slice(&[0xFF, 0xE1, 0, exif.len() as u8 + 2]);
        data.extend_from_slice(exif);
        data.extend_from_slice(&jpeg[2..]);
        data
    };
    let cases = [
        (
            "inverted by /Decode",
            ImagePage {
                image_keys: "/Decode [1 0 1 0 1 0]",
                ..scan()
            },
        ),
        (
            "no colour transform",
            ImagePage {
                image_keys: "/DecodeParms << /ColorTransform 0 >>",
                ..scan()
            },
        ),
        (
            "a rotated page",
            ImagePage {
                page_keys: "/Rotate 90",
                ..scan()
            },
        ),
        (
            "an annotation",
            ImagePage {
                page_keys: "/Annots [<< /Type /Annot /Subtype /Square /Rect [50 50 200 200] \
                            /C [1 0 0] /F 4 >>]",
                ..scan()
            },
        ),
        (
            "half the page",
            ImagePage {
                content: "q 306 0 0 792 0 0 cm /Im1 Do Q",
                ..scan()
            },
        ),
        (
            "mirrored",
            ImagePage {
                content: "q -612 0 0 792 612 0 cm /Im1 Do Q",
                ..scan()
            },
        ),
        (
            "a mark drawn over it",
            ImagePage {
                content: "q 612 0 0 792 0 0 cm /Im1 Do Q 0 0 10 10 re f",
                ..scan()
            },
        ),
        (
            "half transparent",
            ImagePage {
                resource_keys: "/ExtGState << /GS1 << /ca 0.5 >> >>",
                content: "q /GS1 gs 612 0 0 792 0 0 cm /Im1 Do Q",
                ..scan()
            },
        ),
        (
            "Exif in the JPEG",
            ImagePage::scan(&with_exif, WIDTH, HEIGHT),
        ),
    ];
    for (case, page) in cases {
        let image = page_of(&engine, &page.build(), auto(1.25)).await;
        assert_eq!(image.format, ImageFormat::Jpeg, "{case}");
        assert_ne!(image.data.as_ref(), page.jpeg, "{case}: rendered");
        assert_ne!(
            (image.width, image.height),
            (WIDTH, HEIGHT),
            "{case}: rendered at the size asked for"
        );
    }
}

#[tokio::test]
async fn requests_the_stored_jpeg_does_not_answer_are_rendered() {
    let engine = support::engine();
    let jpeg = scan_jpeg(WIDTH, HEIGHT, 4, false);
    let pdf = ImagePage::scan(&jpeg, WIDTH, HEIGHT).build();
    let requests = [
        (
            "turned",
            RenderRequest {
                rotation: Rotation::Cw90,
                ..auto(1.25)
            },
        ),
        (
            "a region",
            RenderRequest {
                region: Some(Region {
                    x: 0,
                    y: 0,
                    width: 100,
                    height: 100,
                }),
                ..auto(1.25)
            },
        ),
        (
            "PNG asked for",
            RenderRequest::page(0, 1.25).with_format(ImageFormat::Png),
        ),
        // 612 pt at 0.25 is 153 pixels: the stored 850 would be far more than asked for.
        ("a thumbnail's size", auto(0.25)),
    ];
    for (case, request) in requests {
        let image = page_of(&engine, &pdf, request).await;
        assert_ne!(image.data.as_ref(), jpeg.as_slice(), "{case}: rendered");
    }
    // Opened from bytes, there is no file to read the image's dictionary from.
    let info = engine.open_bytes(pdf, None).await.unwrap();
    let image = engine.render(info.id, auto(1.25)).await.unwrap();
    assert_ne!(image.data.as_ref(), jpeg.as_slice(), "from bytes: rendered");
}

#[tokio::test]
async fn a_file_changed_on_disk_after_opening_is_not_read_again() {
    let engine = support::engine();
    let jpeg = scan_jpeg(WIDTH, HEIGHT, 5, false);
    let dir = tempfile::tempdir().unwrap();
    let path = support::write(
        dir.path(),
        "scan.pdf",
        &ImagePage::scan(&jpeg, WIDTH, HEIGHT).build(),
    );
    let info = engine.open_file(&path, None).await.unwrap();
    // Another program rewrites the file: its dictionaries may no longer be the ones PDFium read.
    let mut changed = std::fs::read(&path).unwrap();
    changed.extend_from_slice(b"\n% appended by another program\n");
    std::fs::write(&path, changed).unwrap();
    let image = engine.render(info.id, auto(1.25)).await.unwrap();
    assert_ne!(image.data.as_ref(), jpeg.as_slice());
    assert!(image.width < WIDTH);
}
