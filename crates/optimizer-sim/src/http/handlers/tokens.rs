//! Tokens: create, get, delete, list.

use super::reply;
use crate::core::tokens::{IdStyle, TokenInfo};
use crate::http::envelope::{self, Layout};
use crate::http::{Ctx, input};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

fn info(t: &TokenInfo) -> Value {
    json!({"username": t.username, "password": t.password, "pin": t.pin})
}

/// `POST token`.
pub async fn create(State(ctx): State<Ctx>, body: Bytes) -> Response {
    let style = if ctx.layout == Layout::Current {
        IdStyle::Uuid
    } else {
        IdStyle::Hex
    };
    let result = match input::json_body(&body) {
        Ok(value) => ctx.core.create_token(&value, style).await,
        Err(e) => Err(e),
    };
    reply(&ctx, result, |uid| match ctx.layout {
        Layout::Legacy => envelope::legacy(StatusCode::OK, Value::from(uid)),
        Layout::Current => envelope::current(
            StatusCode::OK,
            json!({"status": "success", "message": "Token created", "details": {"token_uid": uid}}),
        ),
    })
}

/// `GET token/{uid}`.
pub async fn get(State(ctx): State<Ctx>, Path(uid): Path<String>) -> Response {
    let result = ctx.core.get_token(&uid, "Token {uid} not found").await;
    reply(&ctx, result, |t| match ctx.layout {
        Layout::Legacy => envelope::legacy(StatusCode::OK, info(&t)),
        Layout::Current => envelope::current(
            StatusCode::OK,
            json!({"status": "success", "details": info(&t)}),
        ),
    })
}

/// `DELETE token/{uid}`.
pub async fn delete(State(ctx): State<Ctx>, Path(uid): Path<String>) -> Response {
    let result = ctx.core.delete_token(&uid).await;
    reply(&ctx, result, |()| {
        ctx.layout
            .message(StatusCode::OK, "Token deleted successfully")
    })
}

/// `GET tokens`.
pub async fn list(State(ctx): State<Ctx>) -> Response {
    let map: Map<String, Value> = ctx
        .core
        .list_tokens()
        .await
        .iter()
        .map(|t| (t.uid.clone(), info(t)))
        .collect();
    match ctx.layout {
        Layout::Legacy => envelope::legacy(StatusCode::OK, Value::Object(map)),
        Layout::Current => {
            envelope::current(StatusCode::OK, json!({"status": "success", "details": map}))
        }
    }
}
