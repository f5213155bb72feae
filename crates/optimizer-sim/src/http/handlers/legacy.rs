//! Legacy-only operations: hello, version, settings, metadata.

use super::reply;
use crate::http::envelope;
use crate::http::{Ctx, input};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

/// `GET hello`.
pub async fn hello() -> Response {
    envelope::legacy(StatusCode::OK, Value::from("Hello"))
}

/// `GET version`.
pub async fn version(State(ctx): State<Ctx>) -> Response {
    envelope::legacy(StatusCode::OK, ctx.core.version_json())
}

/// `GET settings`.
pub async fn settings(State(ctx): State<Ctx>) -> Response {
    envelope::legacy(StatusCode::OK, ctx.core.settings_json())
}

/// `POST settings`.
pub async fn update_settings(State(ctx): State<Ctx>, body: Bytes) -> Response {
    let result = input::json_body(&body).and_then(|v| ctx.core.update_settings(&v));
    reply(&ctx, result, |()| {
        envelope::legacy(StatusCode::OK, Value::from("Settings saved successfully"))
    })
}

/// `POST metadata`.
pub async fn upload_metadata(State(ctx): State<Ctx>, body: Bytes) -> Response {
    let result = async { ctx.core.upload_metadata(&input::json_body(&body)?).await }.await;
    reply(&ctx, result, |uid| {
        envelope::legacy(StatusCode::OK, json!({"metadata": uid}))
    })
}

/// `GET metadata`.
pub async fn list_metadata(State(ctx): State<Ctx>) -> Response {
    let result = ctx.core.metadata(None).await;
    reply(&ctx, result, |v| envelope::legacy(StatusCode::OK, v))
}

/// `GET metadata/{uid}`.
pub async fn get_metadata(State(ctx): State<Ctx>, Path(uid): Path<String>) -> Response {
    let result = ctx.core.metadata(Some(&uid)).await;
    reply(&ctx, result, |v| envelope::legacy(StatusCode::OK, v))
}

/// `DELETE metadata/{uid}`.
pub async fn delete_metadata(State(ctx): State<Ctx>, Path(uid): Path<String>) -> Response {
    let result = ctx.core.delete_metadata(Some(&uid)).await;
    reply(&ctx, result, |()| {
        envelope::legacy(StatusCode::OK, Value::from("Metadata successfully deleted"))
    })
}

/// `DELETE metadata`.
pub async fn delete_all_metadata(State(ctx): State<Ctx>) -> Response {
    let result = ctx.core.delete_metadata(None).await;
    reply(&ctx, result, |()| {
        envelope::legacy(StatusCode::OK, Value::from("All metadata deleted"))
    })
}
