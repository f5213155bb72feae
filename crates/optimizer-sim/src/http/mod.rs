//! The HTTP side: both layouts' routes over the shared core, the simulator-only endpoints, the
//! fault layer and the server loop.

pub mod conn;
pub mod download;
pub mod envelope;
pub mod faults;
pub mod handlers;
pub mod input;
pub mod routes;
pub mod sim;

use crate::core::Core;
use axum::Json;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use envelope::Layout;
use serde_json::json;
use std::sync::Arc;
use tower_http::trace::TraceLayer;

/// What every API handler gets: the simulator and the layout of its route.
#[derive(Clone)]
pub struct Ctx {
    /// The simulator.
    pub core: Arc<Core>,
    /// The layout.
    pub layout: Layout,
}

/// Unknown paths: the current layout answers like FastAPI, the legacy one like its framework
/// (`{"title": ...}`), so clients can tell "no such operation" from "no such request".
async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        (
            StatusCode::NOT_FOUND,
            Json(json!({"title": "404 Not Found"})),
        )
            .into_response()
    } else {
        (StatusCode::NOT_FOUND, Json(json!({"detail": "Not Found"}))).into_response()
    }
}

async fn method_not_allowed(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        (
            StatusCode::METHOD_NOT_ALLOWED,
            Json(json!({"title": "405 Method Not Allowed"})),
        )
            .into_response()
    } else {
        (
            StatusCode::METHOD_NOT_ALLOWED,
            Json(json!({"detail": "Method Not Allowed"})),
        )
            .into_response()
    }
}

/// The request path for logs, with token uids (RAO credentials by proxy) masked.
fn loggable_path(path: &str) -> String {
    let mut out = Vec::new();
    let mut mask_next = false;
    for segment in path.split('/') {
        if mask_next && !segment.is_empty() {
            out.push("***");
        } else {
            out.push(segment);
        }
        mask_next = segment == "token";
    }
    out.join("/")
}

/// The whole application.
pub fn router(core: Arc<Core>) -> Router {
    let limit = core.config.body_limit;
    routes::current(Ctx {
        core: core.clone(),
        layout: Layout::Current,
    })
    .merge(routes::legacy(Ctx {
        core: core.clone(),
        layout: Layout::Legacy,
    }))
    .merge(sim::routes(core))
    .fallback(not_found)
    .method_not_allowed_fallback(method_not_allowed)
    .layer(DefaultBodyLimit::max(limit))
    .layer(TraceLayer::new_for_http().make_span_with(
        |request: &axum::http::Request<axum::body::Body>| {
            tracing::info_span!("http", method = %request.method(), path = %loggable_path(request.uri().path()))
        },
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn token_uids_never_reach_the_logs() {
        assert_eq!(
            super::loggable_path("/api/v1/token/abc123"),
            "/api/v1/token/***"
        );
        assert_eq!(
            super::loggable_path("/oneshot/api/v1/tokens"),
            "/oneshot/api/v1/tokens"
        );
        assert_eq!(
            super::loggable_path("/oneshot/api/v1/sign/12"),
            "/oneshot/api/v1/sign/12"
        );
    }
}
