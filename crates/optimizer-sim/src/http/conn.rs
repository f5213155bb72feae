//! The HTTP/1.1 server loop, one level below axum so a fault can close a connection without
//! answering: when the router marks a response with [`DropConnection`], the service fails and
//! hyper closes the connection with nothing written.

use super::faults::DropConnection;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, Uri};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// How long open connections get to finish at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The error that closes a connection on purpose.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by the simulator's fault plan")]
pub struct Dropped;

/// Trailing slashes are accepted everywhere, and the doubled prefix the newer docs' samples print
/// (`/oneshot/api/v1/api/v1/...`) is read as the single one (API.md §I.1).
fn normalize(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    let mut fixed = path.replacen("/oneshot/api/v1/api/v1/", "/oneshot/api/v1/", 1);
    while fixed.len() > 1 && fixed.ends_with('/') {
        fixed.pop();
    }
    if fixed == path {
        return None;
    }
    let with_query = match uri.query() {
        Some(q) => format!("{fixed}?{q}"),
        None => fixed,
    };
    with_query.parse().ok()
}

/// Serves `router` on `listener` until `shutdown` turns true.
pub async fn serve(listener: TcpListener, router: Router, mut shutdown: watch::Receiver<bool>) {
    let graceful = GracefulShutdown::new();
    let service = tower::service_fn(move |mut request: Request<Incoming>| {
        let router = router.clone();
        async move {
            if let Some(uri) = normalize(request.uri()) {
                *request.uri_mut() = uri;
            }
            let response = router
                .oneshot(request.map(Body::new))
                .await
                .unwrap_or_else(|never| match never {});
            if response.extensions().get::<DropConnection>().is_some() {
                Err(Dropped)
            } else {
                Ok(response)
            }
        }
    });
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(err) => {
                        tracing::warn!("accept failed: {err}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(60))
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service.clone()));
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(err) = connection.await {
                        tracing::debug!("connection ended: {err}");
                    }
                });
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period");
    }
}
