//! The per-operation fault layer: latency, injected errors, dropped connections (before or
//! after performing the call) and truncated downloads.

use crate::core::Core;
use crate::core::error::ApiError;
use crate::faults::Op;
use crate::http::envelope::Layout;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use std::sync::Arc;

/// Pause between the last byte sent and the abort of a truncated download.
const FLUSH_PAUSE: std::time::Duration = std::time::Duration::from_millis(100);

/// What the fault layer of one route knows.
#[derive(Clone)]
pub struct FaultCtx {
    /// The simulator.
    pub core: Arc<Core>,
    /// The operation of the route.
    pub op: Op,
    /// Its layout (for the error envelope).
    pub layout: Layout,
}

/// Marks a response whose connection must be closed instead of answered.
#[derive(Clone, Copy, Debug)]
pub struct DropConnection;

fn dropped() -> Response {
    let mut response = Response::new(Body::empty());
    response.extensions_mut().insert(DropConnection);
    response
}

/// Cuts the body after half of its announced length, then fails it so the connection aborts.
fn truncate(response: Response) -> Response {
    let Some(len) = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return response;
    };
    let limit = len / 2;
    let (parts, body) = response.into_parts();
    let stream = futures_util::stream::unfold(
        (body.into_data_stream(), 0u64, false),
        move |(mut inner, sent, done)| async move {
            if done {
                return None;
            }
            if sent >= limit {
                // Let hyper flush the headers and the first half before the connection dies, so
                // the client sees a download cut short rather than no answer at all.
                tokio::time::sleep(FLUSH_PAUSE).await;
                let err = std::io::Error::other("download truncated by the simulator's fault plan");
                return Some((Err(err), (inner, sent, true)));
            }
            match inner.next().await {
                Some(Ok(mut bytes)) => {
                    let room = usize::try_from(limit - sent).unwrap_or(usize::MAX);
                    bytes.truncate(room.min(bytes.len()));
                    let n = bytes.len() as u64;
                    Some((Ok(bytes), (inner, sent + n, false)))
                }
                Some(Err(e)) => Some((Err(std::io::Error::other(e)), (inner, sent, true))),
                None => None,
            }
        },
    );
    Response::from_parts(parts, Body::from_stream(stream))
}

/// Applies the fault plan to one call.
pub async fn layer(State(f): State<FaultCtx>, request: Request, next: Next) -> Response {
    let decision = f.core.faults.decide(f.op);
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    if decision.drop_before {
        tracing::info!(
            op = f.op.name(),
            "fault: connection dropped before the call"
        );
        return dropped();
    }
    if let Some(code) = decision.error_status {
        tracing::info!(op = f.op.name(), code, "fault: injected error");
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        return f.layout.error(ApiError::new(
            status,
            format!("Simulated fault: {} is unavailable", f.op.name()),
        ));
    }
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    f.core
        .calls
        .record(f.op, &path, response.status().is_success());
    if !decision.hold_after.is_zero() {
        tracing::info!(op = f.op.name(), "fault: call performed, answer held");
        tokio::time::sleep(decision.hold_after).await;
    }
    if decision.drop_after {
        tracing::info!(op = f.op.name(), "fault: call performed, answer dropped");
        response.extensions_mut().insert(DropConnection);
    }
    if decision.truncate {
        tracing::info!(op = f.op.name(), "fault: download truncated");
        response = truncate(response);
    }
    response
}
