//! Rendering a region of a page with poppler's pdftoppm, to check what a viewer shows.

use std::path::Path;

use super::{run, text, tool};

/// An RGB raster.
pub struct Raster {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<[u8; 3]>,
}

impl Raster {
    pub fn at(&self, x: usize, y: usize) -> [u8; 3] {
        self.pixels[y * self.width + x]
    }
}

/// Renders the rectangle `[x1, y1, x2, y2]` (points, origin bottom-left) of 0-based `page` at
/// 72 dpi, so one pixel is one point.
pub fn region(file: &Path, page: u32, page_height: f32, rect: [f32; 4]) -> Raster {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("region");
    let [x1, y1, x2, y2] = rect;
    let top = (page_height - y2).round() as i64;
    let page = (page + 1).to_string();
    let output = run(tool("pdftoppm")
        .args(["-r", "72", "-singlefile", "-f", &page, "-l", &page])
        .args([
            "-x",
            &(x1.round() as i64).to_string(),
            "-y",
            &top.to_string(),
        ])
        .args([
            "-W",
            &((x2 - x1).round() as i64).to_string(),
            "-H",
            &((y2 - y1).round() as i64).to_string(),
        ])
        .arg(file)
        .arg(&prefix));
    assert!(output.status.success(), "pdftoppm: {}", text(&output));
    parse_ppm(&std::fs::read(prefix.with_extension("ppm")).unwrap())
}

pub fn parse_ppm(bytes: &[u8]) -> Raster {
    // "P6\n<w> <h>\n255\n" then RGB triplets.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = &bytes[at + 1..];
    let pixels = data
        .chunks_exact(3)
        .take(width * height)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    Raster {
        width,
        height,
        pixels,
    }
}
