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

#[test]
fn on_a_rotated_page_the_box_is_drawn_upright_for_the_reader() {
    // 40×20 PNG: left half red, right half blue.
    let mut rgb = Vec::new();
    for _ in 0..20 {
        for x in 0..40 {
            rgb.extend_from_slice(if x < 20 {
                &[220, 20, 30]
            } else {
                &[20, 40, 220]
            });
        }
    }
    let mut png_bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut png_bytes, 40, 20);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&rgb)
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut rotated = HandMade::one_page();
    rotated.objects[2] = rotated.objects[2].replace("/MediaBox", "/Rotate 90 /MediaBox");
    let input = rotated.write(&dir.path().join("rotated.pdf"));
    let output = dir.path().join("signed.pdf");
    // In page space the box is tall and narrow; shown rotated it is wide and low.
    let appearance = VisibleAppearance {
        page: 0,
        rect: [100.0, 200.0, 160.0, 400.0],
        text_lines: Vec::new(),
        image_png: Some(png_bytes),
    };
    sign(&input, &output, &options(Some(appearance), false));
    assert_all_valid(&output, &[OURS_B_B]);

    // Shown rotated 90° clockwise, page point (x, y) lands at (y, x) from the top-left corner.
    let dir_render = tempfile::tempdir().unwrap();
    let prefix = dir_render.path().join("shown");
    let rendered = common::run(
        common::tool("pdftoppm")
            .args([
                "-r",
                "72",
                "-singlefile",
                "-x",
                "200",
                "-y",
                "100",
                "-W",
                "200",
                "-H",
                "60",
            ])
            .arg(&output)
            .arg(&prefix),
    );
    assert!(rendered.status.success(), "{}", common::text(&rendered));
    let raster = common::render::parse_ppm(&std::fs::read(prefix.with_extension("ppm")).unwrap());
    let (left, right) = (raster.at(65, 30), raster.at(135, 30));
    assert!(
        left[0] > 180 && left[2] < 90,
        "red on the reader's left: {left:?}"
    );
    assert!(
        right[2] > 180 && right[0] < 90,
        "blue on the reader's right: {right:?}"
    );
}
