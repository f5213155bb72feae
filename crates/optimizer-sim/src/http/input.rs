//! Reading request input: JSON bodies with the Optimizer's "Could not parse JSON body" error,
//! path numbers, and multipart forms streamed to disk (never buffered whole).

use crate::core::Core;
use crate::core::error::{ApiError, ApiResult};
use crate::core::form::{FilePart, Form};
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use serde_json::Value;

/// Largest text field accepted in a form (files have no such limit).
const MAX_TEXT_FIELD: usize = 1 << 20;

/// Parses a JSON body; an empty body reads as `{}`.
pub fn json_body(bytes: &[u8]) -> ApiResult<Value> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(bytes).map_err(ApiError::invalid_json)
}

/// A request pk from the path; anything but a number is an unknown request.
pub fn pk(text: &str, not_found: impl FnOnce() -> ApiError) -> ApiResult<u64> {
    text.trim().parse().map_err(|_| not_found())
}

/// Form fields always treated as files even without a file name.
fn is_file_field(name: &str) -> bool {
    matches!(
        name,
        "document_front"
            | "document_rear"
            | "document_owner"
            | "extra_document"
            | "image"
            | "video"
            | "hashfile"
    ) || name.starts_with("file")
}

fn multipart_error(err: axum::extract::multipart::MultipartError) -> ApiError {
    let status = err.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(status, "Request body too large")
    } else {
        ApiError::bad_request(format!(
            "Could not parse multipart/form-data body - {}",
            err.body_text()
        ))
    }
}

/// Streams every part: files to staging (hashed on the way), text fields to memory.
pub async fn read_form(
    core: &Core,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Form> {
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(format!(
            "Could not parse multipart/form-data body - {}",
            e.body_text()
        ))
    })?;
    let mut form = Form::default();
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        if filename.is_some() || is_file_field(&name) {
            let content_type = field.content_type().map(str::to_string);
            let mut staged = core.store.stage().await.map_err(ApiError::storage)?;
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                staged.write(&chunk).await.map_err(ApiError::storage)?;
            }
            let file = staged.finish().await.map_err(ApiError::storage)?;
            form.files.push(FilePart {
                name,
                filename: filename.unwrap_or_default(),
                content_type,
                file,
            });
        } else {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                if text.len() + chunk.len() > MAX_TEXT_FIELD {
                    return Err(ApiError::bad_request(format!(
                        "Form field {name} is too long"
                    )));
                }
                text.extend_from_slice(&chunk);
            }
            form.fields
                .insert(name, String::from_utf8_lossy(&text).trim().to_string());
        }
    }
    Ok(form)
}
