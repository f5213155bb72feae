//! The desk's webhook receiver: a small HTTP server on the workstation (the
//! `videoid.webhook_listen` address, nowhere else) that takes the Optimizer's status-change
//! calls (API.md §E) in the current or the legacy format.
//!
//! Webhooks carry no authentication, so what arrives is only a hint: it is passed on to the
//! flows concerned, which read their request back from the Optimizer before acting. A body that
//! is not a webhook gets `400` and is logged by its size and the JSON path that failed, never by
//! its content. Any path is accepted with `POST` (IT may configure the RA with a path of its
//! own); other methods get `405`.

use crate::error::{DeskError, DeskResult};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, StatusCode, header};
use axum::response::IntoResponse;
use oneshot_client::StatusChange;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// Largest webhook body accepted; the documented payloads are a few hundred bytes.
const MAX_BODY: usize = 64 * 1024;
/// Status changes kept for a slow listener before it must read the request back anyway.
const CHANNEL_CAPACITY: usize = 256;
/// The path the desk asks the Optimizer to call (any path is accepted).
pub(crate) const WEBHOOK_PATH: &str = "/oneshot-desk/webhook";

/// Where accepted status changes go: every flow waiting for its request subscribes.
pub(crate) struct WebhookHub {
    sender: broadcast::Sender<Arc<StatusChange>>,
}

impl WebhookHub {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(WebhookHub {
            sender: broadcast::channel(CHANNEL_CAPACITY).0,
        })
    }

    /// Status changes from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Arc<StatusChange>> {
        self.sender.subscribe()
    }

    fn publish(&self, change: StatusChange) {
        // No subscriber only means no flow is waiting right now.
        let _ = self.sender.send(Arc::new(change));
    }
}

/// Binds the receiver's address (`webhook.bind_failed` when it is taken or not local).
pub(crate) async fn bind(addr: SocketAddr) -> DeskResult<(tokio::net::TcpListener, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        DeskError::new(
            "webhook.bind_failed",
            format!("The webhook receiver cannot listen on {addr}"),
        )
        .with_detail(e.to_string())
    })?;
    let bound = listener.local_addr().map_err(|e| {
        DeskError::new("webhook.bind_failed", "The webhook receiver has no address")
            .with_detail(e.to_string())
    })?;
    Ok((listener, bound))
}

/// Serves webhooks on `listener` until `stop` is cancelled.
pub(crate) fn serve(
    listener: tokio::net::TcpListener,
    hub: Arc<WebhookHub>,
    stop: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    let app = Router::new()
        .fallback(receive)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(hub);
    tokio::spawn(async move {
        let addr = listener.local_addr().ok();
        tracing::info!(?addr, "webhook receiver listening");
        if let Err(error) = axum::serve(listener, app)
            .with_graceful_shutdown(stop.cancelled_owned())
            .await
        {
            tracing::error!(?addr, "webhook receiver stopped: {error}");
        }
        tracing::info!(?addr, "webhook receiver stopped");
    })
}

async fn receive(
    State(hub): State<Arc<WebhookHub>>,
    method: Method,
    body: Bytes,
) -> impl IntoResponse {
    let json = [(header::CONTENT_TYPE, "application/json")];
    if method != Method::POST {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            json,
            r#"{"status":"error","message":"webhooks are POSTed"}"#.to_string(),
        );
    }
    match oneshot_client::parse_webhook(&body) {
        Ok(change) => {
            tracing::info!(
                request_pk = change.request_pk.0,
                status = change.status.as_str(),
                event = change
                    .event
                    .clone()
                    .map(String::from)
                    .as_deref()
                    .unwrap_or("-"),
                "webhook received"
            );
            hub.publish(change);
            (
                StatusCode::OK,
                json,
                r#"{"status":"success","message":"received"}"#.to_string(),
            )
        }
        Err(error) => {
            // The body may hold anything: only its size and where it failed are kept.
            let path = error.json_path().unwrap_or("$").to_string();
            tracing::warn!(
                code = error.code().as_str(),
                bytes = body.len(),
                json_path = %path,
                "webhook refused"
            );
            let answer = serde_json::json!({
                "status": "error",
                "message": "not a One-Shot webhook",
                "detail": path,
            });
            (StatusCode::BAD_REQUEST, json, answer.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn post(addr: SocketAddr, body: &'static str) -> (u16, String) {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let answer = client
            .post(format!("http://{addr}{WEBHOOK_PATH}"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    }

    #[tokio::test]
    async fn accepts_both_payloads_and_refuses_anything_else() {
        crate::install_crypto_provider();
        let hub = WebhookHub::new();
        let mut changes = hub.subscribe();
        let (listener, addr) = bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let stop = CancellationToken::new();
        let server = serve(listener, hub.clone(), stop.clone());

        let current = r#"{"event_type":"VIDEOID_UPDATED","sent_at":"20250715083633",
            "request":{"status":"VIDEOREVIEW","profile":"PFnubeNC","registration_authority":7,
            "scratchcard":"2678100","pk":1012632},"certificates":[]}"#;
        assert_eq!(post(addr, current).await.0, 200);
        let change = changes.recv().await.unwrap();
        assert_eq!(change.request_pk.0, 1012632);
        assert_eq!(change.status.as_str(), "VIDEOREVIEW");

        let legacy = r#"{"status":"VIDEOINCOMPLETE","date":"2021-07-20T08:08:21.132394",
            "previous_status":"VIDEOPENDING","request":46760,"registration_authority":139}"#;
        assert_eq!(post(addr, legacy).await.0, 200);
        assert_eq!(changes.recv().await.unwrap().request_pk.0, 46760);

        for hostile in [
            "",
            "not json",
            "[1,2,3]",
            r#"{"request": {"status": "ISSUED"}}"#,
            r#"{"request": true, "password": "hunter2"}"#,
        ] {
            let (status, text) = post(addr, hostile).await;
            assert_eq!(status, 400, "{hostile}");
            assert!(!text.contains("hunter2"));
        }
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let get = client.get(format!("http://{addr}/")).send().await.unwrap();
        assert_eq!(get.status().as_u16(), 405);
        let huge = "x".repeat(MAX_BODY + 1);
        let big = client
            .post(format!("http://{addr}/"))
            .body(huge)
            .send()
            .await
            .unwrap();
        assert_eq!(big.status().as_u16(), 413);
        assert!(changes.try_recv().is_err(), "nothing refused was passed on");

        stop.cancel();
        server.await.unwrap();
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "the receiver stopped listening"
        );
    }
}
