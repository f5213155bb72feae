//! Viewer commands: open a PDF the user chose, describe its pages, search it, close it.
//!
//! Opening answers with the page count and the first page's size only: measuring every page of
//! a 1300-page manual takes up to a second, and the first page must be on screen long before
//! that. The window lays the other pages out with the first size as an estimate and asks for
//! the real sizes a run at a time ([`viewer_page_sizes`]), measured while pages render.

use super::Viewer;
use crate::error::IpcResult;
use pdf_engine::SecretString;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use tauri::State;

/// A document open in a viewer.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OpenedDocument {
    /// Opaque handle: the only way the window refers to this document.
    pub handle: String,
    pub file_name: String,
    pub title: Option<String>,
    pub page_count: u32,
    /// The displayed size in PDF points (after its `/Rotate`) of the first pages (page 1, unless
    /// it is damaged); the rest come from `viewer_page_sizes`.
    pub first_pages: Vec<PageSize>,
    /// The scale page 1 is already being rendered at (see `viewer_open`'s `first_page_pixels`),
    /// for the window to ask for that render.
    pub first_page_scale: Option<f32>,
}

#[derive(Debug, Clone, Copy, Serialize, specta::Type)]
pub struct PageSize {
    pub width: f32,
    pub height: f32,
}

impl From<pdf_engine::PageSize> for PageSize {
    fn from(size: pdf_engine::PageSize) -> Self {
        Self {
            width: size.width,
            height: size.height,
        }
    }
}

/// A run of pages, first and last included (zero-based).
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
pub struct PageSpan {
    pub first: u32,
    pub last: u32,
}

/// One search hit: the page and its rectangles in page points (top-left origin).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SearchHit {
    pub page: u32,
    pub rects: Vec<[f32; 4]>,
}

/// Opens a PDF for viewing. `password` is what the user typed for a protected file.
/// `first_page_pixels`, when the window knows it, is about how many device pixels wide page 1
/// will be shown: page 1 then starts rendering at once, while the answer travels to the window
/// and the viewer lays out (on the reference desk that was ~12 ms of the first page's wait).
#[tauri::command]
#[specta::specta]
pub async fn viewer_open(
    viewer: State<'_, Viewer>,
    path: String,
    password: Option<String>,
    first_page_pixels: Option<f32>,
) -> IpcResult<OpenedDocument> {
    let started = std::time::Instant::now();
    let engine = viewer.engine()?;
    let path = PathBuf::from(path);
    let info = engine
        .open_file(&path, password.map(SecretString::from))
        .await?;
    let handle = viewer.register(info.id);
    let first_page_scale = first_page_pixels
        .zip(info.first_page_size)
        .and_then(|(pixels, size)| prepared_scale(pixels, size.width));
    if let Some(scale) = first_page_scale {
        let engine = engine.clone();
        let request = super::protocol::page_request(0, scale, pdf_engine::Rotation::None, None);
        // Only fills the engine's cache, where the window's request for page 1 finds it; a
        // failure is the window's to report when it asks.
        tauri::async_runtime::spawn(async move {
            let _ = engine.render(info.id, request).await;
        });
    }
    tracing::debug!(
        pages = info.page_count,
        elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
        "viewer: document open"
    );
    Ok(OpenedDocument {
        handle,
        file_name: path.file_name().map_or_else(
            || path.to_string_lossy().into_owned(),
            |name| name.to_string_lossy().into_owned(),
        ),
        title: info.metadata.title.filter(|title| !title.trim().is_empty()),
        page_count: info.page_count,
        first_pages: info
            .first_page_size
            .into_iter()
            .map(PageSize::from)
            .collect(),
        first_page_scale,
    })
}

/// The render scale for a page `points` wide shown `pixels` device pixels wide, rounded up to an
/// eighth as the window rounds it (`renderScale` in ui/src/lib/pageUrl.ts), within the scales
/// the page protocol serves.
fn prepared_scale(pixels: f32, points: f32) -> Option<f32> {
    if !(pixels.is_finite() && pixels > 0.0 && points.is_finite() && points > 0.0) {
        return None;
    }
    Some(((pixels / points) * 8.0).ceil().clamp(1.0, 64.0) / 8.0)
}

/// The displayed sizes of pages `start..end` (zero-based, clamped to the document), measured
/// after every queued page render.
#[tauri::command]
#[specta::specta]
pub async fn viewer_page_sizes(
    viewer: State<'_, Viewer>,
    handle: String,
    start: u32,
    end: u32,
) -> IpcResult<Vec<PageSize>> {
    let id = viewer.document(&handle)?;
    let sizes = viewer.engine()?.page_sizes_range(id, start, end).await?;
    Ok(sizes.into_iter().map(PageSize::from).collect())
}

/// Closes a document and frees its cached pages.
#[tauri::command]
#[specta::specta]
pub fn viewer_close(viewer: State<'_, Viewer>, handle: String) -> IpcResult<()> {
    viewer.close(&handle)
}

/// Tells the viewer which pages are on screen (`visible`: their renders go first) and which
/// the window keeps images of (`kept`, the visible ones and a few around them): queued renders
/// of the other pages are dropped.
#[tauri::command]
#[specta::specta]
pub fn viewer_visible(
    viewer: State<'_, Viewer>,
    handle: String,
    visible: PageSpan,
    kept: PageSpan,
) {
    viewer.keep_only(&handle, kept.first..=kept.last);
    if let (Ok(id), Ok(engine)) = (viewer.document(&handle), viewer.engine()) {
        // Only fails for a document closed meanwhile: nothing left to prioritise.
        let _ = engine.focus(id, visible.first..=visible.last);
    }
}

/// Finds every occurrence of `query` (case-insensitive).
#[tauri::command]
#[specta::specta]
pub async fn viewer_search(
    viewer: State<'_, Viewer>,
    handle: String,
    query: String,
) -> IpcResult<Vec<SearchHit>> {
    let id = viewer.document(&handle)?;
    let options = pdf_engine::SearchOptions {
        max_hits: 500,
        ..pdf_engine::SearchOptions::default()
    };
    let results = viewer.engine()?.search(id, &query, options).await?;
    Ok(results
        .hits
        .into_iter()
        .map(|hit| SearchHit {
            page: hit.page,
            rects: hit
                .rects
                .iter()
                .map(|r| [r.x, r.y, r.width, r.height])
                .collect(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::prepared_scale;

    #[test]
    fn the_prepared_scale_is_rounded_up_to_an_eighth_within_the_served_range() {
        // An A4 page (595 pt) shown 1190 device pixels wide: 2 pixels per point.
        assert_eq!(prepared_scale(1190.0, 595.0), Some(2.0));
        assert_eq!(prepared_scale(600.0, 595.0), Some(1.125));
        assert_eq!(prepared_scale(100_000.0, 10.0), Some(8.0));
        assert_eq!(prepared_scale(1.0, 5000.0), Some(0.125));
        assert_eq!(prepared_scale(0.0, 595.0), None);
        assert_eq!(prepared_scale(f32::NAN, 595.0), None);
        assert_eq!(prepared_scale(800.0, 0.0), None);
    }
}
