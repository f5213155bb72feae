//! The documents of the window benchmark: Debian's pgfmanual.pdf (1300+ vector-heavy pages)
//! and a 30-page scanned PDF made here, deterministically, from the same manual: each page
//! rendered at 200 dpi by poppler's pdftoppm, given the look of a scan (warm paper tone, sensor
//! noise from a fixed seed) and stored as a full-page JPEG, one image per page and no text, as
//! a document scanner writes it.

use anyhow::{Context, Result, bail, ensure};
use e2e::scan::{Colour, ScannedPage, pdf_of_scans};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Installed by Debian's texlive-pictures-doc (`cargo xtask setup`).
const PGF_MANUAL: &str = "/usr/share/doc/texlive-doc/generic/pgf/pgfmanual.pdf";

pub const SCANNED_PAGES: u32 = 30;
/// A document scanner's usual resolution for text.
const SCAN_DPI: u32 = 200;
const JPEG_QUALITY: u8 = 80;

pub fn pgf_manual() -> Result<PathBuf> {
    let path = PathBuf::from(PGF_MANUAL);
    ensure!(
        path.is_file(),
        "{PGF_MANUAL} is missing: run `cargo xtask setup` (Debian package texlive-pictures-doc)"
    );
    Ok(path)
}

/// The scanned document in `dir`, made once (the same bytes every time).
pub fn scanned(dir: &Path) -> Result<PathBuf> {
    let path = dir.join(format!("scanned-{SCANNED_PAGES}-pages-v2.pdf"));
    if path.is_file() {
        return Ok(path);
    }
    std::fs::create_dir_all(dir)?;
    let source = pgf_manual()?;
    let work = tempfile::tempdir()?;
    let prefix = work.path().join("page");
    let status = Command::new("pdftoppm")
        .args([
            "-r",
            &SCAN_DPI.to_string(),
            "-gray",
            "-png",
            "-f",
            "1",
            "-l",
        ])
        .arg(SCANNED_PAGES.to_string())
        .arg(&source)
        .arg(&prefix)
        .status()
        .context("running pdftoppm: run `cargo xtask setup` (poppler-utils)")?;
    ensure!(
        status.success(),
        "pdftoppm could not render {}",
        source.display()
    );
    let mut rendered: Vec<PathBuf> = std::fs::read_dir(work.path())?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    rendered.sort();
    if rendered.len() != SCANNED_PAGES as usize {
        bail!(
            "pdftoppm made {} pages, not {SCANNED_PAGES}",
            rendered.len()
        );
    }
    let mut noise = SplitMix(0x5ca2_2ed0);
    let mut pages = Vec::new();
    for png in &rendered {
        let gray = image::open(png)
            .with_context(|| format!("reading {}", png.display()))?
            .into_luma8();
        pages.push(scan_look(&gray, &mut noise)?);
    }
    let partial = path.with_extension("partial");
    std::fs::write(&partial, pdf_of_scans(&pages))?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

/// Ink on a slightly yellow paper, with the grain of a scanner's sensor.
fn scan_look(gray: &image::GrayImage, noise: &mut SplitMix) -> Result<ScannedPage> {
    const PAPER: [f32; 3] = [243.0, 238.0, 224.0];
    let (width, height) = gray.dimensions();
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    for pixel in gray.pixels() {
        let ink = f32::from(pixel.0[0]) / 255.0;
        let grain = (noise.next() % 17) as f32 - 8.0;
        for paper in PAPER {
            rgb.push((paper * ink + 12.0 * (1.0 - ink) + grain).clamp(0.0, 255.0) as u8);
        }
    }
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, JPEG_QUALITY).encode(
        &rgb,
        u16::try_from(width)?,
        u16::try_from(height)?,
        jpeg_encoder::ColorType::Rgb,
    )?;
    let points = |pixels: u32| f64::from(pixels) * 72.0 / f64::from(SCAN_DPI);
    Ok(ScannedPage {
        jpeg,
        width,
        height,
        colour: Colour::Rgb,
        points: (points(width), points(height)),
    })
}

/// A small fixed-seed generator: the same grain, so the same file, on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
