//! Signature images.

use super::reply;
use crate::core::documents::Download;
use crate::core::time;
use crate::http::envelope::{self, Layout};
use crate::http::{Ctx, download, input};
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

/// `POST image`.
pub async fn upload(
    State(ctx): State<Ctx>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let result = match input::read_form(&ctx.core, multipart).await {
        Ok(form) => ctx.core.upload_image(form).await,
        Err(e) => Err(e),
    };
    reply(&ctx, result, |uid| match ctx.layout {
        Layout::Legacy => envelope::legacy(StatusCode::OK, Value::from(uid)),
        Layout::Current => envelope::current(
            StatusCode::OK,
            json!({"status": "success", "message": format!("Image uploaded with uid '{uid}'"), "details": {"image_uid": uid}}),
        ),
    })
}

/// `GET image/{uid}`.
pub async fn get(State(ctx): State<Ctx>, Path(uid): Path<String>) -> Response {
    let result = async {
        let path = ctx.core.image_path(&uid).await?;
        download::stream(&Download {
            path,
            content_type: "image/png",
            filename: format!("{uid}.png"),
        })
        .await
    }
    .await;
    reply(&ctx, result, |r| r)
}

/// `DELETE image/{uid}`.
pub async fn delete(State(ctx): State<Ctx>, Path(uid): Path<String>) -> Response {
    let result = ctx.core.delete_image(&uid).await;
    reply(&ctx, result, |()| {
        ctx.layout.message(StatusCode::OK, "Image deleted")
    })
}

/// `GET images`.
pub async fn list(State(ctx): State<Ctx>) -> Response {
    let map: Map<String, Value> = ctx
        .core
        .list_images()
        .await
        .into_iter()
        .map(|i| {
            let date = time::parse(&i.uploaded_at).map(time::image_date).unwrap_or_default();
            (i.uid, json!({"upload_date": date, "ext": ".png", "size": [i.width, i.height], "mime": "image/png", "filename": i.filename}))
        })
        .collect();
    match ctx.layout {
        Layout::Legacy => envelope::legacy(StatusCode::OK, Value::Object(map)),
        Layout::Current => {
            envelope::current(StatusCode::OK, json!({"status": "success", "details": map}))
        }
    }
}

/// `DELETE images`.
pub async fn delete_all(State(ctx): State<Ctx>) -> Response {
    let result = ctx.core.delete_all_images().await;
    reply(&ctx, result, |()| {
        ctx.layout
            .message(StatusCode::OK, "Images deleted successfully")
    })
}
