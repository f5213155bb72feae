//! Streams a stored file back with Content-Length (never read whole into memory).

use crate::core::documents::Download;
use crate::core::error::{ApiError, ApiResult};
use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

/// Read size per chunk: `ReaderStream`'s default (4 KiB) costs a syscall and a frame per 4 KiB,
/// which made the simulator, not the client under test, the limit of a large download.
const CHUNK: usize = 256 * 1024;

/// The file as an HTTP response.
pub async fn stream(download: &Download) -> ApiResult<Response> {
    let file = tokio::fs::File::open(&download.path)
        .await
        .map_err(ApiError::storage)?;
    let len = file.metadata().await.map_err(ApiError::storage)?.len();
    let disposition = format!(
        "attachment; filename=\"{}\"",
        download.filename.replace('"', "")
    );
    Ok((
        [
            (header::CONTENT_TYPE, download.content_type.to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(ReaderStream::with_capacity(file, CHUNK)),
    )
        .into_response())
}
