//! Documents: upload, download, delete, list, the contract.

use super::reply;
use crate::core::documents::Variant;
use crate::core::error::{ApiError, ApiResult};
use crate::core::time;
use crate::http::envelope::{self, Layout};
use crate::http::{Ctx, download, input};
use axum::extract::{Multipart, Path, Query, State, multipart::MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// `?document_type=original|signed` of the current layout.
#[derive(Deserialize)]
pub struct TypeQuery {
    document_type: Option<String>,
}

fn variant(text: Option<&str>) -> ApiResult<Option<Variant>> {
    match text
        .map(str::trim)
        .filter(|t| !t.is_empty() && *t != "null")
    {
        None => Ok(None),
        Some(t) => Variant::parse(t).map(Some).ok_or_else(|| {
            ApiError::bad_request(format!(
                "Invalid document_type {t}. Valid options are original, signed"
            ))
        }),
    }
}

fn upload_not_found(pk: &str) -> ApiError {
    ApiError::not_found(format!(
        "Cannot upload document: Request {pk} not found on disk"
    ))
}

/// `POST document/{pk}`.
pub async fn upload(
    State(ctx): State<Ctx>,
    Path(pk): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let result = async {
        let pk = input::pk(&pk, || upload_not_found(&pk))?;
        let form = input::read_form(&ctx.core, multipart).await?;
        ctx.core.upload_documents(pk, form).await
    }
    .await;
    reply(&ctx, result, |uploaded| {
        match (ctx.layout, uploaded.as_slice()) {
        (Layout::Legacy, [one]) => envelope::legacy(StatusCode::OK, Value::from(one.uid.clone())),
        (Layout::Legacy, many) => envelope::legacy(
            StatusCode::OK,
            many.iter()
                .map(|u| json!({"digest": u.digest, "uid": u.uid, "key": u.key, "filename": u.filename}))
                .collect(),
        ),
        (Layout::Current, [one]) => envelope::current(
            StatusCode::OK,
            json!({"status": "success", "detail": {"name": one.key, "uid": one.uid}}),
        ),
        (Layout::Current, many) => envelope::current(
            StatusCode::OK,
            json!({"status": "success", "detail": many.iter().map(|u| json!({"name": u.key, "uid": u.uid})).collect::<Vec<_>>()}),
        ),
    }
    })
}

async fn send(ctx: &Ctx, pk: &str, uid: &str, variant: Variant) -> Response {
    let result = async {
        let pk = input::pk(pk, || ApiError::not_found("Document not found"))?;
        let mut found = ctx.core.document_download(pk, uid, variant).await?;
        // GH2 serves documents as octet-stream; the current layout says what they are.
        if ctx.layout == Layout::Legacy && found.content_type == "application/pdf" {
            found.content_type = "application/octet-stream";
        }
        download::stream(&found).await
    }
    .await;
    reply(ctx, result, |r| r)
}

/// Current `GET document/{pk}/{uid}?document_type=...` (missing type = original).
pub async fn get_current(
    State(ctx): State<Ctx>,
    Path((pk, uid)): Path<(String, String)>,
    Query(query): Query<TypeQuery>,
) -> Response {
    match variant(query.document_type.as_deref()) {
        Ok(v) => send(&ctx, &pk, &uid, v.unwrap_or(Variant::Original)).await,
        Err(e) => ctx.layout.error(e),
    }
}

/// `GET document/{pk}/{type}/{uid}` (legacy, and accepted by the current layout too).
pub async fn get_typed(
    State(ctx): State<Ctx>,
    Path((pk, kind, uid)): Path<(String, String, String)>,
) -> Response {
    match Variant::parse(&kind) {
        Some(v) => send(&ctx, &pk, &uid, v).await,
        None => ctx.layout.error(ApiError::not_found("Document not found")),
    }
}

/// Current `DELETE document/{pk}/{uid}` (both copies unless `document_type` narrows it).
pub async fn delete_current(
    State(ctx): State<Ctx>,
    Path((pk, uid)): Path<(String, String)>,
    Query(query): Query<TypeQuery>,
) -> Response {
    let result = async {
        let pk = input::pk(&pk, || ApiError::not_found("Document not found"))?;
        ctx.core
            .delete_document(pk, &uid, variant(query.document_type.as_deref())?)
            .await
    }
    .await;
    reply(&ctx, result, |()| {
        ctx.layout
            .message(StatusCode::OK, "Document successfully deleted")
    })
}

/// `DELETE document/{pk}/{type}/{uid}`.
pub async fn delete_typed(
    State(ctx): State<Ctx>,
    Path((pk, kind, uid)): Path<(String, String, String)>,
) -> Response {
    let result = async {
        let kind = Variant::parse(&kind)
            .ok_or_else(|| ApiError::bad_request("Missing required parameters"))?;
        let pk = input::pk(&pk, || {
            ApiError::not_found(format!(
                "Document not found with uid {uid} and type {}",
                if kind == Variant::Signed {
                    "signed"
                } else {
                    "original"
                }
            ))
        })?;
        ctx.core.delete_document(pk, &uid, Some(kind)).await
    }
    .await;
    reply(&ctx, result, |()| {
        ctx.layout
            .message(StatusCode::OK, "Document successfully deleted")
    })
}

/// Delete all documents: current `DELETE document/{pk}`, legacy `DELETE documents/{pk}`.
pub async fn delete_all(State(ctx): State<Ctx>, Path(pk): Path<String>) -> Response {
    let result = async {
        let pk = input::pk(&pk, || {
            ApiError::not_found("No documents found for specified Request")
        })?;
        ctx.core.delete_all_documents(pk).await.map(|()| pk)
    }
    .await;
    reply(&ctx, result, |pk| match ctx.layout {
        Layout::Legacy => envelope::legacy(
            StatusCode::OK,
            Value::from("Documents deleted successfully"),
        ),
        Layout::Current => envelope::current(
            StatusCode::OK,
            json!({"status": "success", "message": format!("Documents deleted for Request {pk}")}),
        ),
    })
}

/// `GET documents/{pk}`: uid → {upload_date, ext, size, mime, filename}.
pub async fn list(State(ctx): State<Ctx>, Path(pk): Path<String>) -> Response {
    let result = async {
        let pk = input::pk(&pk, || {
            ApiError::not_found("No documents found for specified Request")
        })?;
        ctx.core.list_documents(pk).await
    }
    .await;
    reply(&ctx, result, |request| {
        let map: Map<String, Value> = request
            .documents
            .iter()
            .map(|d| {
                let (ext, mime) = match d.kind {
                    crate::core::model::DocumentKind::Pdf => (".pdf", "application/pdf"),
                    crate::core::model::DocumentKind::Hash => (".json", "application/json"),
                };
                let date = time::parse(&d.uploaded_at).map(time::document_date).unwrap_or_default();
                (d.uid.clone(), json!({"upload_date": date, "ext": ext, "size": d.size, "mime": mime, "filename": d.filename}))
            })
            .collect();
        match ctx.layout {
            Layout::Legacy => envelope::legacy(StatusCode::OK, Value::Object(map)),
            Layout::Current => {
                envelope::current(StatusCode::OK, json!({"status": "success", "details": map}))
            }
        }
    })
}

/// The service contract (signed after sign).
pub async fn contract(State(ctx): State<Ctx>, Path(pk): Path<String>) -> Response {
    let result = async {
        let pk = input::pk(&pk, || {
            ApiError::not_found(format!("Request {pk} not found"))
        })?;
        let found = ctx.core.contract(pk).await?;
        download::stream(&found).await
    }
    .await;
    reply(&ctx, result, |r| r)
}
