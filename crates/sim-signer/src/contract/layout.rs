//! Laying the contract's blocks out on A4 pages and writing the PDF.

use std::fmt::Write as _;

use super::text::Block;
use crate::fonts::{Encoding, Face, text_width, wrap};
use crate::pdf::filters::deflate;
use crate::pdf::object::{Dict, Object, real, text_string, write_object};
use crate::pdf::writer::PdfBuilder;

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 62.0;
const MARGIN_TOP: f32 = 64.0;
const MARGIN_BOTTOM: f32 = 70.0;
const BODY_SIZE: f32 = 9.5;
const LEADING: f32 = 1.38;
const LABEL_WIDTH: f32 = 150.0;

/// One line of text placed on a page.
struct Placed {
    face: Face,
    size: f32,
    x: f32,
    y: f32,
    gray: f32,
    text: String,
}

#[derive(Default)]
struct Page {
    lines: Vec<Placed>,
    /// Rectangles to stroke (x, y, w, h).
    boxes: Vec<[f32; 4]>,
    /// Horizontal rules (x1, x2, y).
    rules: Vec<[f32; 3]>,
}

struct Cursor {
    pages: Vec<Page>,
    y: f32,
}

impl Cursor {
    fn new() -> Self {
        Cursor {
            pages: vec![Page::default()],
            y: PAGE_HEIGHT - MARGIN_TOP,
        }
    }

    /// Starts a new page unless `height` still fits above the bottom margin.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN_BOTTOM {
            self.pages.push(Page::default());
            self.y = PAGE_HEIGHT - MARGIN_TOP;
        }
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("there is always a page")
    }

    fn line(&mut self, face: Face, size: f32, x: f32, gray: f32, text: String) {
        let leading = size * LEADING;
        self.room(leading);
        self.y -= leading;
        let y = self.y;
        self.page().lines.push(Placed {
            face,
            size,
            x,
            y,
            gray,
            text,
        });
    }

    fn centered(&mut self, face: Face, size: f32, gray: f32, text: &str) {
        let width = PAGE_WIDTH - 2.0 * MARGIN_X;
        for line in wrap(face, text, size, width) {
            let x = MARGIN_X + (width - text_width(face, &line, size)) / 2.0;
            self.line(face, size, x, gray, line);
        }
    }

    fn paragraph(&mut self, face: Face, size: f32, x: f32, width: f32, gray: f32, text: &str) {
        for line in wrap(face, text, size, width) {
            self.line(face, size, x, gray, line);
        }
    }
}

fn lay_out(blocks: &[Block]) -> Vec<Page> {
    let text_width_available = PAGE_WIDTH - 2.0 * MARGIN_X;
    let mut cursor = Cursor::new();
    for block in blocks {
        match block {
            Block::Title(text) => {
                cursor.centered(Face::Bold, 15.0, 0.0, text);
                cursor.y -= 4.0;
            }
            Block::Subtitle(text) => cursor.centered(Face::Regular, 10.5, 0.2, text),
            Block::Notice(text) => {
                cursor.y -= 8.0;
                let lines = wrap(Face::Regular, text, 8.5, text_width_available - 16.0);
                let height = lines.len() as f32 * 8.5 * LEADING + 10.0;
                cursor.room(height);
                let top = cursor.y;
                cursor.y -= 4.0;
                for line in lines {
                    cursor.line(Face::Regular, 8.5, MARGIN_X + 8.0, 0.35, line);
                }
                cursor.y -= 6.0;
                let bottom = cursor.y;
                cursor
                    .page()
                    .boxes
                    .push([MARGIN_X, bottom, text_width_available, top - bottom]);
                cursor.y -= 6.0;
            }
            Block::Heading(text) => {
                // Keep a heading with the first lines of what follows.
                cursor.room(10.5 * LEADING + 3.0 * BODY_SIZE * LEADING + 8.0);
                cursor.y -= 8.0;
                cursor.paragraph(Face::Bold, 10.5, MARGIN_X, text_width_available, 0.1, text);
                cursor.y -= 2.0;
            }
            Block::Paragraph(text) => {
                cursor.paragraph(
                    Face::Regular,
                    BODY_SIZE,
                    MARGIN_X,
                    text_width_available,
                    0.0,
                    text,
                );
                cursor.y -= 4.0;
            }
            Block::Fields(fields) => {
                for (label, value) in fields {
                    let values = wrap(
                        Face::Regular,
                        value,
                        BODY_SIZE,
                        text_width_available - LABEL_WIDTH,
                    );
                    cursor.room(values.len() as f32 * BODY_SIZE * LEADING);
                    cursor.line(Face::Bold, BODY_SIZE, MARGIN_X, 0.25, label.clone());
                    let first_y = cursor.y;
                    let mut y = first_y + BODY_SIZE * LEADING;
                    for value in values {
                        y -= BODY_SIZE * LEADING;
                        cursor.page().lines.push(Placed {
                            face: Face::Regular,
                            size: BODY_SIZE,
                            x: MARGIN_X + LABEL_WIDTH,
                            y,
                            gray: 0.0,
                            text: value,
                        });
                    }
                    cursor.y = y;
                }
                cursor.y -= 4.0;
                let y = cursor.y;
                cursor
                    .page()
                    .rules
                    .push([MARGIN_X, PAGE_WIDTH - MARGIN_X, y]);
            }
            Block::Signatures(labels) => {
                let box_height = 70.0;
                cursor.room(box_height + 30.0);
                cursor.y -= 16.0;
                let columns = labels.len().max(1) as f32;
                let gap = 20.0;
                let width = (text_width_available - gap * (columns - 1.0)) / columns;
                let label_y = cursor.y - BODY_SIZE * LEADING;
                for (i, label) in labels.iter().enumerate() {
                    let x = MARGIN_X + i as f32 * (width + gap);
                    let label = wrap(Face::Bold, label, BODY_SIZE, width)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    cursor.page().lines.push(Placed {
                        face: Face::Bold,
                        size: BODY_SIZE,
                        x,
                        y: label_y,
                        gray: 0.1,
                        text: label,
                    });
                    cursor
                        .page()
                        .boxes
                        .push([x, label_y - 6.0 - box_height, width, box_height]);
                }
                cursor.y = label_y - 6.0 - box_height;
            }
        }
    }
    cursor.pages
}

fn n(value: f32) -> String {
    real(f64::from(value))
}

/// The contract as a PDF: one content stream per page, standard Helvetica fonts, a classic
/// cross-reference table.
pub(crate) fn render(
    blocks: &[Block],
    footer: &str,
    title: &str,
    id: [u8; 16],
    created: &str,
) -> Vec<u8> {
    let mut pages = lay_out(blocks);
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let text = format!("{footer} · {}/{total}", i + 1);
        let x = PAGE_WIDTH - MARGIN_X - text_width(Face::Regular, &text, 7.5);
        page.lines.push(Placed {
            face: Face::Regular,
            size: 7.5,
            x,
            y: 40.0,
            gray: 0.45,
            text,
        });
        page.rules.push([MARGIN_X, PAGE_WIDTH - MARGIN_X, 52.0]);
    }

    let mut encoding = Encoding::default();
    for line in pages.iter().flat_map(|p| &p.lines) {
        encoding.add(&line.text);
    }
    let mut pdf = PdfBuilder::new();
    let catalog = pdf.reserve();
    let page_tree = pdf.reserve();
    let regular = pdf.add(&Object::Dict(encoding.font_dict(Face::Regular)));
    let bold = pdf.add(&Object::Dict(encoding.font_dict(Face::Bold)));
    let resources = Dict::new().with(
        "Font",
        Object::Dict(
            Dict::new()
                .with("F1", Object::Ref(regular))
                .with("F2", Object::Ref(bold)),
        ),
    );
    let mut kids = Vec::new();
    for page in &pages {
        let content = pdf.add_stream(
            Dict::new().with("Filter", Object::name("FlateDecode")),
            &deflate(&content(page, &encoding)),
        );
        let media_box = [0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT]
            .map(|v| Object::Real(f64::from(v)))
            .to_vec();
        let page = Dict::new()
            .with("Type", Object::name("Page"))
            .with("Parent", Object::Ref(page_tree))
            .with("MediaBox", Object::Array(media_box))
            .with("Resources", Object::Dict(resources.clone()))
            .with("Contents", Object::Ref(content));
        kids.push(Object::Ref(pdf.add(&Object::Dict(page))));
    }
    pdf.set(
        page_tree,
        &Object::Dict(
            Dict::new()
                .with("Type", Object::name("Pages"))
                .with("Count", Object::Integer(kids.len() as i64))
                .with("Kids", Object::Array(kids)),
        ),
    );
    pdf.set(
        catalog,
        &Object::Dict(
            Dict::new()
                .with("Type", Object::name("Catalog"))
                .with("Pages", Object::Ref(page_tree)),
        ),
    );
    let info = pdf.add(&Object::Dict(
        Dict::new()
            .with("Title", text_string(title))
            .with("Author", text_string(crate::pki::names::TSP_NAME))
            .with(
                "Producer",
                text_string("sim-signer (One-Shot Optimizer simulator)"),
            )
            .with("CreationDate", Object::String(created.as_bytes().to_vec())),
    ));
    pdf.finish(catalog, Some(info), id)
}

fn content(page: &Page, encoding: &Encoding) -> Vec<u8> {
    let mut out = String::new();
    for [x1, x2, y] in &page.rules {
        let _ = writeln!(
            out,
            "0.6 G 0.5 w {} {} m {} {} l S",
            n(*x1),
            n(*y),
            n(*x2),
            n(*y)
        );
    }
    for [x, y, w, h] in &page.boxes {
        let _ = writeln!(
            out,
            "0.5 G 0.6 w {} {} {} {} re S",
            n(*x),
            n(*y),
            n(*w),
            n(*h)
        );
    }
    for line in &page.lines {
        let font = match line.face {
            Face::Regular => "F1",
            Face::Bold => "F2",
        };
        let mut literal = Vec::new();
        write_object(&mut literal, &Object::String(encoding.encode(&line.text)));
        let _ = writeln!(
            out,
            "BT /{font} {} Tf {} g {} {} Td {} Tj ET",
            n(line.size),
            n(line.gray),
            n(line.x),
            n(line.y),
            String::from_utf8_lossy(&literal)
        );
    }
    out.into_bytes()
}
