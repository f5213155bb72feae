//! What a render request asks for and what it returns.

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// PDF user space has 72 points per inch; a scale of 1.0 renders one pixel per point.
pub const POINTS_PER_INCH: f32 = 72.0;

/// The scale that renders at `dpi` dots per inch (96 dpi = 1.333, 150 dpi = 2.083).
pub fn scale_for_dpi(dpi: f32) -> f32 {
    dpi / POINTS_PER_INCH
}

/// Clockwise rotation applied on top of the page's own `/Rotate`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rotation {
    #[default]
    None,
    Cw90,
    Cw180,
    Cw270,
}

impl Rotation {
    /// From degrees (multiples of 90, any sign).
    pub fn from_degrees(degrees: i32) -> Option<Self> {
        match degrees.rem_euclid(360) {
            0 => Some(Self::None),
            90 => Some(Self::Cw90),
            180 => Some(Self::Cw180),
            270 => Some(Self::Cw270),
            _ => None,
        }
    }

    pub(crate) fn swaps_axes(self) -> bool {
        matches!(self, Self::Cw90 | Self::Cw270)
    }
}

/// A rectangle of the rendered page in output pixels (after scale and rotation), origin at the
/// top-left corner. Rendering a region costs only the region's pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Region {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// How the rendered pixels are delivered. Measured on pgfmanual.pdf at 150 dpi (crate README):
/// PNG with fdeflate's fastest setting encodes a page in ~4-5 ms, 2-8x faster than lossless
/// WebP, at about twice the size, which on a local transport is the better trade: the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    /// PNG with fdeflate's fastest compression (grey pages as 8-bit grey): the default.
    #[default]
    Png,
    /// Lossless WebP: about 40% of the size of PNG, 2-8x slower to encode; for storage or slow
    /// links.
    Webp,
    /// JPEG (quality 85): lossy; for scanned, photographic pages, where lossless is megabytes.
    Jpeg,
    /// Unencoded RGBA, 4 bytes a pixel, rows tightly packed: for in-process consumers only.
    Rgba,
    /// Chosen per page: JPEG when images cover most of the page (scans, photos: lossless is
    /// megabytes and slow there), PNG otherwise (text and vector art stay sharp). A scan's page
    /// that is one JPEG over the whole page may come back as that JPEG, at its own pixel size
    /// (up to 2.5x the width asked for; see the crate README). The rendered image's `format`,
    /// `width` and `height` say what came; the viewer asks for this and shows it at page size.
    Auto,
}

impl ImageFormat {
    /// The MIME type to serve the bytes with.
    pub fn mime_type(self) -> &'static str {
        match self {
            Self::Webp => "image/webp",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Rgba | Self::Auto => "application/octet-stream",
        }
    }

    /// The usual file extension; `None` for raw pixels.
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Self::Webp => Some("webp"),
            Self::Png => Some("png"),
            Self::Jpeg => Some("jpg"),
            Self::Rgba | Self::Auto => None,
        }
    }

    /// The format a file name's extension asks for (`.webp`, `.png`, `.jpg`/`.jpeg`).
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension.to_ascii_lowercase().as_str() {
            "webp" => Some(Self::Webp),
            "png" => Some(Self::Png),
            "jpg" | "jpeg" => Some(Self::Jpeg),
            _ => None,
        }
    }
}

/// Visible pages go before prefetched ones; within a class, requests run in arrival order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Visible,
    Prefetch,
}

/// One page render.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderRequest {
    /// Zero-based page index.
    pub page: u32,
    /// Pixels per PDF point ([`scale_for_dpi`]).
    pub scale: f32,
    pub rotation: Rotation,
    /// Only this part of the page; `None` for the whole page.
    pub region: Option<Region>,
    pub format: ImageFormat,
    pub priority: Priority,
    /// Cancel before rendering starts (a page scrolled away). Dropping the future also cancels.
    pub cancel: Option<CancelToken>,
}

impl RenderRequest {
    /// A whole-page render at `scale` in the default format.
    pub fn page(page: u32, scale: f32) -> Self {
        Self {
            page,
            scale,
            rotation: Rotation::None,
            region: None,
            format: ImageFormat::default(),
            priority: Priority::Visible,
            cancel: None,
        }
    }

    /// The same request in another format.
    pub fn with_format(mut self, format: ImageFormat) -> Self {
        self.format = format;
        self
    }
}

/// An encoded page image. `data` is shared with the cache (cloning is cheap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedImage {
    pub page: u32,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub data: Bytes,
}

/// A cancellation flag shared between the requester and the PDFium worker.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    /// Requests cancellation; a render that has not started yet is dropped.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Release);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

impl PartialEq for CancelToken {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
