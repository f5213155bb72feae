//! Viewer commands: open a PDF the user chose, describe its pages, search it, close it.

use super::Viewer;
use crate::error::IpcResult;
use pdf_engine::SecretString;
use serde::Serialize;
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
    /// Every page's displayed size in PDF points (after its `/Rotate`).
    pub pages: Vec<PageSize>,
}

#[derive(Debug, Clone, Copy, Serialize, specta::Type)]
pub struct PageSize {
    pub width: f32,
    pub height: f32,
}

/// One search hit: the page and its rectangles in page points (top-left origin).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SearchHit {
    pub page: u32,
    pub rects: Vec<[f32; 4]>,
}

/// Opens a PDF for viewing. `password` is what the user typed for a protected file.
#[tauri::command]
#[specta::specta]
pub async fn viewer_open(
    viewer: State<'_, Viewer>,
    path: String,
    password: Option<String>,
) -> IpcResult<OpenedDocument> {
    let engine = viewer.engine()?;
    let path = PathBuf::from(path);
    let info = engine
        .open_file(&path, password.map(SecretString::from))
        .await?;
    let sizes = engine.page_sizes(info.id).await?;
    let handle = viewer.register(info.id);
    Ok(OpenedDocument {
        handle,
        file_name: path.file_name().map_or_else(
            || path.to_string_lossy().into_owned(),
            |name| name.to_string_lossy().into_owned(),
        ),
        title: info.metadata.title.filter(|title| !title.trim().is_empty()),
        page_count: info.page_count,
        pages: sizes
            .iter()
            .map(|size| PageSize {
                width: size.width,
                height: size.height,
            })
            .collect(),
    })
}

/// Closes a document and frees its cached pages.
#[tauri::command]
#[specta::specta]
pub fn viewer_close(viewer: State<'_, Viewer>, handle: String) -> IpcResult<()> {
    viewer.close(&handle)
}

/// Tells the viewer which pages are on screen: queued renders of the others are dropped.
#[tauri::command]
#[specta::specta]
pub fn viewer_visible(viewer: State<'_, Viewer>, handle: String, pages: Vec<u32>) {
    viewer.keep_only_visible(&handle, &pages);
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
