//! The signature widget's appearance: a form XObject with a border, the caller's text lines
//! (Helvetica, shrunk and wrapped to fit) and an optional PNG image.

use std::fmt::Write as _;

use super::object::{Dict, ObjRef, Object, real, write_object};
use super::png_image::decode_png;
use crate::SignerError;
use crate::VisibleAppearance;
use crate::fonts::{Encoding, Face, text_width, wrap};

/// Annotation flags (ISO 32000-1 §12.5.3): Print + Locked for a visible box; Hidden + Locked
/// for an invisible signature.
const FLAGS_VISIBLE: i64 = 4 | 128;
const FLAGS_INVISIBLE: i64 = 2 | 128;

const MAX_FONT_SIZE: f32 = 11.0;
const MIN_FONT_SIZE: f32 = 3.0;
const LEADING: f32 = 1.18;
const BORDER_WIDTH: f32 = 0.8;

/// A stream object to add to the file.
pub(crate) struct StreamObject {
    pub(crate) num: u32,
    pub(crate) dict: Dict,
    pub(crate) data: Vec<u8>,
}

/// What the widget annotation needs.
pub(crate) struct Appearance {
    pub(crate) rect: [f32; 4],
    pub(crate) flags: i64,
    /// The normal appearance (`/AP << /N ref >>`).
    pub(crate) normal: ObjRef,
    pub(crate) streams: Vec<StreamObject>,
}

fn form(width: f32, height: f32, resources: Dict) -> Dict {
    Dict::new()
        .with("Type", Object::name("XObject"))
        .with("Subtype", Object::name("Form"))
        .with(
            "BBox",
            Object::Array(vec![
                Object::Integer(0),
                Object::Integer(0),
                Object::Real(f64::from(width)),
                Object::Real(f64::from(height)),
            ]),
        )
        .with("Resources", Object::Dict(resources))
}

/// An invisible signature still gets an (empty) appearance, as PDF/A and PDF 2.0 expect.
pub(crate) fn invisible(allocate: &mut dyn FnMut() -> u32) -> Appearance {
    let num = allocate();
    Appearance {
        rect: [0.0; 4],
        flags: FLAGS_INVISIBLE,
        normal: ObjRef::new(num, 0),
        streams: vec![StreamObject {
            num,
            dict: form(0.0, 0.0, Dict::new()),
            data: Vec::new(),
        }],
    }
}

fn n(value: f32) -> String {
    real(f64::from(value))
}

/// Builds the visible appearance for `request` on a page shown rotated by `rotation` degrees
/// (0, 90, 180 or 270, the page's /Rotate).
pub(crate) fn visible(
    request: &VisibleAppearance,
    rotation: u16,
    allocate: &mut dyn FnMut() -> u32,
) -> Result<Appearance, SignerError> {
    let [x1, y1, x2, y2] = request.rect;
    if ![x1, y1, x2, y2]
        .iter()
        .all(|v| v.is_finite() && v.abs() < 100_000.0)
    {
        return Err(SignerError::InvalidAppearance(
            "the signature rectangle has invalid coordinates".into(),
        ));
    }
    let rect = [x1.min(x2), y1.min(y2), x1.max(x2), y1.max(y2)];
    let (width, height) = (rect[2] - rect[0], rect[3] - rect[1]);
    if width < 2.0 || height < 2.0 {
        return Err(SignerError::InvalidAppearance(format!(
            "the signature rectangle {width:.1}×{height:.1} pt is too small to draw in"
        )));
    }
    // On a page shown rotated, the box is laid out upright as the reader sees it and turned back
    // by the form matrix; ISO 32000-1 §12.5.5 then maps the turned box onto /Rect.
    let (width, height) = if rotation % 180 == 90 {
        (height, width)
    } else {
        (width, height)
    };
    let matrix = match rotation {
        90 => [0, 1, -1, 0, 0, 0],
        180 => [-1, 0, 0, -1, 0, 0],
        270 => [0, -1, 1, 0, 0, 0],
        _ => [1, 0, 0, 1, 0, 0],
    };
    let image = request.image_png.as_deref().map(decode_png).transpose()?;
    let lines: Vec<&str> = request.text_lines.iter().map(|l| l.trim_end()).collect();
    let has_text = lines.iter().any(|l| !l.trim().is_empty());

    let form_num = allocate();
    let mut streams = Vec::new();
    let mut resources = Dict::new();
    let mut content = String::new();
    let _ = writeln!(content, "q");
    // Border, inset by half its width so it stays inside the box.
    let inset = BORDER_WIDTH / 2.0;
    let _ = writeln!(
        content,
        "{} w 0.16 0.27 0.47 RG {} {} {} {} re S",
        n(BORDER_WIDTH),
        n(inset),
        n(inset),
        n(width - BORDER_WIDTH),
        n(height - BORDER_WIDTH)
    );
    let padding = (width.min(height) * 0.06).clamp(1.0, 4.0) + BORDER_WIDTH;
    let (inner_x, inner_y) = (padding, padding);
    let (inner_w, inner_h) = (
        (width - 2.0 * padding).max(1.0),
        (height - 2.0 * padding).max(1.0),
    );
    let mut text_x = inner_x;
    let mut text_w = inner_w;

    if let Some(image) = &image {
        let image_num = allocate();
        let smask_num = image.has_alpha().then(&mut *allocate);
        let (dict, data, mask) = image.xobjects(smask_num);
        streams.push(StreamObject {
            num: image_num,
            dict,
            data,
        });
        if let (Some(num), Some((dict, data))) = (smask_num, mask) {
            streams.push(StreamObject { num, dict, data });
        }
        resources.set(
            "XObject",
            Object::Dict(Dict::new().with("Im1", Object::Ref(ObjRef::new(image_num, 0)))),
        );
        let box_w = if has_text { inner_w * 0.4 } else { inner_w };
        let (iw, ih) = (image.width as f32, image.height as f32);
        let scale = (box_w / iw).min(inner_h / ih);
        let (draw_w, draw_h) = (iw * scale, ih * scale);
        let draw_x = inner_x + (box_w - draw_w) / 2.0;
        let draw_y = inner_y + (inner_h - draw_h) / 2.0;
        let _ = writeln!(
            content,
            "q {} 0 0 {} {} {} cm /Im1 Do Q",
            n(draw_w),
            n(draw_h),
            n(draw_x),
            n(draw_y)
        );
        let gap = padding;
        text_x = inner_x + box_w + gap;
        text_w = (inner_w - box_w - gap).max(1.0);
    }

    if has_text {
        let (size, wrapped) = fit_text(&lines, text_w, inner_h);
        let mut encoding = Encoding::default();
        for line in &wrapped {
            encoding.add(line);
        }
        resources.set(
            "Font",
            Object::Dict(Dict::new().with("F1", Object::Dict(encoding.font_dict(Face::Regular)))),
        );
        let leading = size * LEADING;
        let visible_lines = ((inner_h / leading).floor() as usize)
            .max(1)
            .min(wrapped.len());
        let block = leading * (visible_lines as f32 - 1.0) + size;
        // Centre the block vertically; the first baseline sits one cap height below its top.
        let top = inner_y + (inner_h + block) / 2.0;
        let first_baseline = top - size * 0.78;
        let _ = writeln!(
            content,
            "q {} {} {} {} re W n",
            n(text_x),
            n(inner_y),
            n(text_w),
            n(inner_h)
        );
        let _ = writeln!(
            content,
            "BT /F1 {} Tf 0 g {} TL {} {} Td",
            n(size),
            n(leading),
            n(text_x),
            n(first_baseline)
        );
        for (i, line) in wrapped.iter().take(visible_lines).enumerate() {
            let mut literal = Vec::new();
            write_object(&mut literal, &Object::String(encoding.encode(line)));
            if i > 0 {
                content.push_str("T* ");
            }
            content.push_str(&String::from_utf8_lossy(&literal));
            content.push_str(" Tj\n");
        }
        let _ = writeln!(content, "ET Q");
    }
    let _ = writeln!(content, "Q");

    // The content is ASCII except inside strings, which write_object escaped to ASCII.
    let data = content.into_bytes();
    let mut dict = form(width, height, resources);
    dict.set(
        "Matrix",
        Object::Array(matrix.map(Object::Integer).to_vec()),
    );
    streams.insert(
        0,
        StreamObject {
            num: form_num,
            dict,
            data,
        },
    );
    Ok(Appearance {
        rect,
        flags: FLAGS_VISIBLE,
        normal: ObjRef::new(form_num, 0),
        streams,
    })
}

/// The largest font size (≤ 11 pt) at which the wrapped lines fit the box, and those lines.
/// At the smallest size whatever does not fit is cut off by the clip.
fn fit_text(lines: &[&str], width: f32, height: f32) -> (f32, Vec<String>) {
    let mut size = MAX_FONT_SIZE.min(height / LEADING).max(MIN_FONT_SIZE);
    loop {
        let wrapped: Vec<String> = lines
            .iter()
            .flat_map(|line| wrap(Face::Regular, line, size, width))
            .collect();
        let needed = size * LEADING * (wrapped.len() as f32 - 1.0) + size;
        let widest = wrapped
            .iter()
            .map(|l| text_width(Face::Regular, l, size))
            .fold(0.0, f32::max);
        if (needed <= height && widest <= width) || size <= MIN_FONT_SIZE {
            return (size, wrapped);
        }
        size = (size - 0.25).max(MIN_FONT_SIZE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_shrinks_to_fit_the_box() {
        let lines = [
            "Digitally signed by ANA MARÍA GARCÍA ŁOPEZ",
            "Date: 2025-03-01 10:00:00 CET",
            "Reason: I agree",
        ];
        let (size, wrapped) = fit_text(&lines, 150.0, 40.0);
        assert!(size < MAX_FONT_SIZE);
        assert!(size * LEADING * (wrapped.len() as f32 - 1.0) + size <= 40.0);
        let (roomy, _) = fit_text(&lines, 400.0, 200.0);
        assert_eq!(roomy, MAX_FONT_SIZE);
    }

    #[test]
    fn visible_appearance_draws_border_and_text() {
        let mut next = 10;
        let mut allocate = || {
            next += 1;
            next
        };
        let request = VisibleAppearance {
            page: 0,
            rect: [300.0, 150.0, 100.0, 100.0],
            text_lines: vec!["Firmado por José Łukasz".into(), "(c) \\ test".into()],
            image_png: None,
        };
        let appearance = visible(&request, 0, &mut allocate).unwrap();
        assert_eq!(appearance.rect, [100.0, 100.0, 300.0, 150.0]);
        let content = String::from_utf8(appearance.streams[0].data.clone()).unwrap();
        assert!(content.contains(" re S"), "{content}");
        assert!(
            content.contains("(Firmado por Jos\\200 \\201ukasz) Tj"),
            "{content}"
        );
        assert!(content.contains("(\\(c\\) \\\\ test) Tj"), "{content}");
    }

    #[test]
    fn degenerate_rectangles_are_refused() {
        let mut allocate = || 1;
        for rect in [
            [0.0, 0.0, 0.0, 0.0],
            [1.0, 1.0, 200.0, 1.5],
            [f32::NAN, 0.0, 10.0, 10.0],
        ] {
            let request = VisibleAppearance {
                page: 0,
                rect,
                text_lines: vec!["x".into()],
                image_png: None,
            };
            assert_eq!(
                visible(&request, 0, &mut allocate).err().unwrap().code(),
                "sign.invalid_appearance"
            );
        }
    }
}
