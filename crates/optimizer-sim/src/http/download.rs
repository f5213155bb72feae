//! Streams a stored file back with Content-Length (never read whole into memory).

use crate::core::documents::Download;
use crate::core::error::{ApiError, ApiResult};
use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

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
        Body::from_stream(ReaderStream::new(file)),
    )
        .into_response())
}
