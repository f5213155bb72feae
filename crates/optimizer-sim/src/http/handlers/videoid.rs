//! VideoID: create, evidences, video, approve, refuse. Current paths name the VideoID pk,
//! legacy paths the request pk.

use super::reply;
use crate::core::error::{ApiError, ApiResult};
use crate::http::envelope::{self, Layout};
use crate::http::{Ctx, download, input};
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::json;

/// The request pk a VideoID path names.
async fn request_pk(ctx: &Ctx, text: &str) -> ApiResult<u64> {
    let number = input::pk(text, || ApiError::not_found("Request not found"))?;
    match ctx.layout {
        Layout::Legacy => Ok(number),
        Layout::Current => ctx.core.request_of_videoid(number).await,
    }
}

/// The absolute base URL the client used (its `Host`), for the VideoID link.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

/// `POST videoid`.
pub async fn create(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async { ctx.core.create_videoid(&input::json_body(&body)?).await }.await;
    reply(&ctx, result, |created| {
        let link = created
            .link_token
            .map(|t| format!("{}/videoid/{t}", base_url(&headers)))
            .unwrap_or_default();
        let detail = json!({"videoid_pk": created.videoid_pk, "videoid_link": link, "request_pk": created.request_pk});
        match ctx.layout {
            Layout::Legacy => envelope::legacy(StatusCode::OK, detail),
            Layout::Current => envelope::current(
                StatusCode::OK,
                // "messsage" (sic) is the documented key of this answer.
                json!({"status": "success", "messsage": format!("VideoID created with pk {}", created.videoid_pk), "detail": detail}),
            ),
        }
    })
}

/// `POST videoid/{pk}/evidences`.
pub async fn evidences(State(ctx): State<Ctx>, Path(pk): Path<String>, body: Bytes) -> Response {
    let result = async {
        let pk = request_pk(&ctx, &pk).await?;
        ctx.core
            .upload_evidences(pk, &input::json_body(&body)?)
            .await
    }
    .await;
    reply(&ctx, result, |()| {
        ctx.layout
            .message(StatusCode::OK, "Videoid evidences uploaded")
    })
}

/// Upload the video (multipart `video`).
pub async fn upload_video(
    State(ctx): State<Ctx>,
    Path(pk): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let result = async {
        let pk = request_pk(&ctx, &pk).await?;
        let form = input::read_form(&ctx.core, multipart).await?;
        ctx.core.upload_video(pk, form).await
    }
    .await;
    reply(&ctx, result, |()| {
        ctx.layout
            .message(StatusCode::OK, "Videoid video upload completed")
    })
}

/// Download the video.
pub async fn download_video(State(ctx): State<Ctx>, Path(pk): Path<String>) -> Response {
    let result = async {
        let pk = request_pk(&ctx, &pk).await?;
        let found = ctx.core.video_download(pk).await?;
        download::stream(&found).await
    }
    .await;
    reply(&ctx, result, |r| r)
}

/// Approve.
pub async fn approve(State(ctx): State<Ctx>, Path(pk): Path<String>, body: Bytes) -> Response {
    let result = async {
        let pk = request_pk(&ctx, &pk).await?;
        ctx.core.approve(pk, &input::json_body(&body)?).await
    }
    .await;
    reply(&ctx, result, |()| {
        ctx.layout
            .message(StatusCode::OK, "Request approved successfully")
    })
}

/// Refuse.
pub async fn refuse(State(ctx): State<Ctx>, Path(pk): Path<String>, body: Bytes) -> Response {
    let result = async {
        let pk = request_pk(&ctx, &pk).await?;
        ctx.core.refuse(pk, &input::json_body(&body)?).await
    }
    .await;
    reply(&ctx, result, |()| {
        ctx.layout
            .message(StatusCode::OK, "Videoid refuse completed")
    })
}
