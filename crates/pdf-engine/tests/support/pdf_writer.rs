//! A small PDF writer for generated corner cases: any number of text pages, rotated pages,
//! image-only ("scanned") pages and files of any size, each a valid PDF with a correct xref.

use std::fmt::Write as _;

/// A4 in points.
pub const A4: (f32, f32) = (595.0, 842.0);

/// Collects numbered objects and writes them with a cross-reference table.
pub struct PdfBuilder {
    objects: Vec<Option<Vec<u8>>>,
}

impl PdfBuilder {
    pub fn new() -> Self {
        Self {
            objects: Vec::new(),
        }
    }

    /// Reserves an object number to fill in later (for forward references).
    pub fn reserve(&mut self) -> usize {
        self.objects.push(None);
        self.objects.len()
    }

    pub fn set(&mut self, id: usize, body: impl Into<Vec<u8>>) {
        self.objects[id - 1] = Some(body.into());
    }

    pub fn add(&mut self, body: impl Into<Vec<u8>>) -> usize {
        let id = self.reserve();
        self.set(id, body);
        id
    }

    pub fn add_stream(&mut self, dict: &str, data: &[u8]) -> usize {
        let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.add(body)
    }

    pub fn finish(self, root: usize, info: Option<usize>) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (index, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
            out.extend_from_slice(body.as_deref().expect("every reserved object is set"));
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
        for offset in offsets {
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let info = info.map(|i| format!(" /Info {i} 0 R")).unwrap_or_default();
        let _ = write!(
            table,
            "trailer\n<< /Size {} /Root {root} 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n",
            self.objects.len() + 1
        );
        out.extend_from_slice(table.as_bytes());
        out
    }
}

/// One page of a generated document.
pub enum PageContent {
    /// Lines of Helvetica text from the top of the page.
    Text(Vec<String>),
    /// A full-page image: a JPEG (`DCTDecode`) or raw RGB bytes.
    Image {
        width: u32,
        height: u32,
        data: Vec<u8>,
        jpeg: bool,
    },
}

pub struct PageSpec {
    pub size: (f32, f32),
    pub rotate: u32,
    pub content: PageContent,
}

/// A document of `pages`, with an info dictionary.
pub fn document(pages: Vec<PageSpec>, title: &str) -> Vec<u8> {
    let mut pdf = PdfBuilder::new();
    let catalog = pdf.reserve();
    let pages_id = pdf.reserve();
    let font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    let mut kids = Vec::new();
    for page in pages {
        let (resources, content) = match page.content {
            PageContent::Text(lines) => {
                let mut ops = String::from("BT /F1 18 Tf 72 770 Td 22 TL\n");
                for line in lines {
                    let escaped = line
                        .replace('\\', "\\\\")
                        .replace('(', "\\(")
                        .replace(')', "\\)");
                    let _ = writeln!(ops, "({escaped}) Tj T*");
                }
                ops.push_str("ET\n");
                (
                    format!("<< /Font << /F1 {font} 0 R >> >>"),
                    ops.into_bytes(),
                )
            }
            PageContent::Image {
                width,
                height,
                data,
                jpeg,
            } => {
                let filter = if jpeg { " /Filter /DCTDecode" } else { "" };
                let image = pdf.add_stream(
                    &format!(
                        "/Type /XObject /Subtype /Image /Width {width} /Height {height} \
                         /ColorSpace /DeviceRGB /BitsPerComponent 8{filter}"
                    ),
                    &data,
                );
                let (w, h) = page.size;
                (
                    format!("<< /XObject << /Im1 {image} 0 R >> >>"),
                    format!("q {w} 0 0 {h} 0 0 cm /Im1 Do Q\n").into_bytes(),
                )
            }
        };
        let contents = pdf.add_stream("", &content);
        let (w, h) = page.size;
        kids.push(pdf.add(format!(
            "<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {w} {h}] /Rotate {} \
             /Resources {resources} /Contents {contents} 0 R >>",
            page.rotate
        )));
    }
    let kids_list: Vec<String> = kids.iter().map(|k| format!("{k} 0 R")).collect();
    pdf.set(
        pages_id,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids_list.join(" "),
            kids.len()
        ),
    );
    pdf.set(
        catalog,
        format!("<< /Type /Catalog /Pages {pages_id} 0 R >>"),
    );
    let info = pdf.add(format!(
        "<< /Title ({title}) /Author (OneShot Desk tests) /Producer (pdf-engine test writer) \
         /CreationDate (D:20240131120000+01'00') >>"
    ));
    pdf.finish(catalog, Some(info))
}

/// `count` A4 text pages; page `n` (0-based) reads "Page n+1" and a line with `marker(n)`.
pub fn text_document(count: usize, marker: impl Fn(usize) -> String) -> Vec<u8> {
    let pages = (0..count)
        .map(|n| PageSpec {
            size: A4,
            rotate: 0,
            content: PageContent::Text(vec![format!("Page {}", n + 1), marker(n)]),
        })
        .collect();
    document(pages, "Generated text document")
}

/// Deterministic pseudo-random bytes (SplitMix64), for noise and incompressible payloads.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// A scanned-looking page: a noisy grey page with dark "text lines", JPEG-compressed, no text
/// layer.
pub fn scanned_document(pages: usize) -> Vec<u8> {
    let (width, height) = (850u32, 1100u32);
    let specs = (0..pages)
        .map(|page| PageSpec {
            size: (612.0, 792.0),
            rotate: 0,
            content: PageContent::Image {
                width,
                height,
                data: scan_jpeg(width, height, 7 + page as u64, false),
                jpeg: true,
            },
        })
        .collect();
    document(specs, "Scanned document")
}

/// A scanned-looking JPEG: noisy paper with dark "text lines", in colour or grey.
pub fn scan_jpeg(width: u32, height: u32, seed: u64, grey: bool) -> Vec<u8> {
    let mut rng = SplitMix(seed);
    let channels = if grey { 1 } else { 3 };
    let mut pixels = Vec::with_capacity((width * height) as usize * channels);
    for y in 0..height {
        let ink_row = (y / 18) % 2 == 0 && y > 80 && y < height - 80;
        for x in 0..width {
            let noise = (rng.below(24)) as u8;
            let ink = ink_row && x > 70 && x < width - 70 && rng.below(3) > 0;
            let v = if ink { 40 + noise } else { 225 + noise.min(30) };
            if grey {
                pixels.push(v);
            } else {
                pixels.extend_from_slice(&[v, v, v.saturating_sub(6)]);
            }
        }
    }
    let color = if grey {
        jpeg_encoder::ColorType::Luma
    } else {
        jpeg_encoder::ColorType::Rgb
    };
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 75)
        .encode(&pixels, width as u16, height as u16, color)
        .expect("encoding a generated scan");
    jpeg
}

/// One 612 x 792 pt page showing a JPEG as image `/Im1`, with the parts a test varies.
pub struct ImagePage<'a> {
    pub jpeg: &'a [u8],
    pub width: u32,
    pub height: u32,
    /// `/DeviceRGB` or `/DeviceGray`.
    pub color_space: &'a str,
    /// More keys for the image's dictionary.
    pub image_keys: &'a str,
    /// More keys for the page's resources.
    pub resource_keys: &'a str,
    /// More keys for the page's dictionary.
    pub page_keys: &'a str,
    /// The page's content stream.
    pub content: &'a str,
}

impl<'a> ImagePage<'a> {
    /// `jpeg` (`width` x `height`, RGB) drawn over the whole page, as scanners store a page.
    pub fn scan(jpeg: &'a [u8], width: u32, height: u32) -> Self {
        Self {
            jpeg,
            width,
            height,
            color_space: "/DeviceRGB",
            image_keys: "",
            resource_keys: "",
            page_keys: "",
            content: "q 612 0 0 792 0 0 cm /Im1 Do Q",
        }
    }

    pub fn build(&self) -> Vec<u8> {
        let mut pdf = PdfBuilder::new();
        let catalog = pdf.reserve();
        let pages = pdf.reserve();
        let image = pdf.add_stream(
            &format!(
                "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {} \
                 /BitsPerComponent 8 /Filter /DCTDecode {}",
                self.width, self.height, self.color_space, self.image_keys
            ),
            self.jpeg,
        );
        let contents = pdf.add_stream("", self.content.as_bytes());
        let page = pdf.add(format!(
            "<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 612 792] {} \
             /Resources << /XObject << /Im1 {image} 0 R >> {} >> /Contents {contents} 0 R >>",
            self.page_keys, self.resource_keys
        ));
        pdf.set(
            pages,
            format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"),
        );
        pdf.set(catalog, format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
        pdf.finish(catalog, None)
    }
}

/// A one-page document over `min_bytes` in size: the page shows an uncompressed noise image,
/// so the bulk of the file is image data PDFium must actually read to render.
pub fn huge_document(min_bytes: usize) -> Vec<u8> {
    let side = ((min_bytes / 3) as f64).sqrt().ceil() as u32 + 1;
    let mut data = vec![0u8; (side * side * 3) as usize];
    SplitMix(11).fill(&mut data);
    document(
        vec![PageSpec {
            size: A4,
            rotate: 0,
            content: PageContent::Image {
                width: side,
                height: side,
                data,
                jpeg: false,
            },
        }],
        "Huge document",
    )
}
