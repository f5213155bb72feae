//! The visible signature as a viewer shows it: rendered by poppler and inspected pixel by pixel.
#![allow(clippy::unwrap_used)]

mod common;

use common::fixtures::{self, HandMade, options, sign};
use common::render::region;
use common::validate::{OURS_B_B, assert_all_valid};
use sim_signer::VisibleAppearance;

const A4_HEIGHT: f32 = 841.89;

fn is_dark(pixel: [u8; 3]) -> bool {
    pixel.iter().map(|&c| u32::from(c)).sum::<u32>() < 3 * 140
}

#[test]
fn text_box_is_drawn_in_the_requested_rectangle_only() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures::contract(dir.path());
    let output = dir.path().join("signed.pdf");
    let rect = [330.0, 100.0, 540.0, 160.0];
    let mut appearance = fixtures::visible(1);
    appearance.rect = rect;
    sign(&input, &output, &options(Some(appearance), false));
    assert_all_valid(&output, &[OURS_B_B]);

    let before = region(&input, 1, A4_HEIGHT, rect);
    let after = region(&output, 1, A4_HEIGHT, rect);
    let changed = before
        .pixels
        .iter()
        .zip(&after.pixels)
        .filter(|(a, b)| a != b)
        .count();
    assert!(
        changed > 400,
        "the signature box should change the rendering ({changed} pixels did)"
    );
    // The border: the left edge column is dark blue all the way down.
    let border = (5..after.height - 5)
        .filter(|&y| is_dark(after.at(0, y)))
        .count();
    assert!(
        border > after.height - 15,
        "border column: {border} of {} dark",
        after.height
    );
    let text = after.pixels.iter().filter(|p| is_dark(**p)).count();
    assert!(
        text > 300,
        "text strokes inside the box: {text} dark pixels"
    );

    // Outside the rectangle nothing changed.
    let above = [330.0, 170.0, 540.0, 230.0];
    let (before, after) = (
        region(&input, 1, A4_HEIGHT, above),
        region(&output, 1, A4_HEIGHT, above),
    );
    assert!(
        before.pixels == after.pixels,
        "the page outside the box is untouched"
    );
}

fn png_with_transparent_border() -> Vec<u8> {
    // 40×40: opaque red square in the middle, fully transparent 10-pixel frame.
    let mut rgba = Vec::new();
    for y in 0..40 {
        for x in 0..40 {
            let inside = (10..30).contains(&x) && (10..30).contains(&y);
            rgba.extend_from_slice(if inside {
                &[220, 20, 30, 255]
            } else {
                &[0, 0, 255, 0]
            });
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 40, 40);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&rgba)
        .unwrap();
    out
}

#[test]
fn png_image_is_drawn_with_its_transparency() {
    let dir = tempfile::tempdir().unwrap();
    let input = HandMade::one_page().write(&dir.path().join("blank.pdf"));
    let output = dir.path().join("signed.pdf");
    let rect = [100.0, 100.0, 300.0, 300.0];
    let appearance = VisibleAppearance {
        page: 0,
        rect,
        text_lines: Vec::new(),
        image_png: Some(png_with_transparent_border()),
    };
    sign(&input, &output, &options(Some(appearance), false));
    assert_all_valid(&output, &[OURS_B_B]);

    let raster = region(&output, 0, 842.0, rect);
    let centre = raster.at(100, 100);
    assert!(
        centre[0] > 180 && centre[1] < 80 && centre[2] < 80,
        "the red middle of the image: {centre:?}"
    );
    // Inside the frame (not on the border line) the transparent part shows the white page,
    // not the blue colour hidden under alpha 0.
    let frame = raster.at(30, 100);
    assert!(
        frame.iter().all(|&c| c > 230),
        "the transparent frame shows the page: {frame:?}"
    );
}

#[test]
fn image_and_text_share_the_box() {
    let dir = tempfile::tempdir().unwrap();
    let input = HandMade::one_page().write(&dir.path().join("blank.pdf"));
    let output = dir.path().join("signed.pdf");
    let rect = [50.0, 600.0, 350.0, 680.0];
    let appearance = VisibleAppearance {
        page: 0,
        rect,
        text_lines: vec![
            "Firmado por Ana María García Łopez, con un texto largo que hay que partir en varias líneas".into(),
            "2025-03-01 10:15:00 CET".into(),
        ],
        image_png: Some(png_with_transparent_border()),
    };
    sign(&input, &output, &options(Some(appearance), false));
    let raster = region(&output, 0, 842.0, rect);
    let red = raster
        .pixels
        .iter()
        .filter(|p| p[0] > 180 && p[1] < 80)
        .count();
    let dark_right = (0..raster.height)
        .flat_map(|y| (150..raster.width - 3).map(move |x| (x, y)))
        .filter(|&(x, y)| is_dark(raster.at(x, y)))
        .count();
    assert!(red > 100, "the image is on the left ({red} red pixels)");
    assert!(
        dark_right > 200,
        "the text is on the right ({dark_right} dark pixels)"
    );
}
