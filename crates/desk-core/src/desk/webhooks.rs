//! The desk's side of webhooks: starting and stopping the receiver as the settings say, the URL
//! the Optimizer is asked to call, and passing status changes on to the flows concerned.

use super::{DeskInner, blocking};
use crate::error::{DeskError, DeskResult};
use crate::events::{DeskEvent, WebhookNotice};
use crate::flow::{FlowId, Flows};
use crate::journal::FlowKind;
use crate::webhooks::WEBHOOK_PATH;
use oneshot_client::{StatusChange, WebhookShape};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_util::sync::{CancellationToken, DropGuard};
use url::Url;

/// How the desk follows a request's status: reading it back on a schedule that slows down
/// (exponential backoff with jitter), sooner when a webhook announces a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusFollowing {
    /// First wait between two reads.
    pub first_poll: Duration,
    /// Longest wait between two reads.
    pub max_poll: Duration,
    /// Asynchronous signing: how long to wait for the webhook before reading the request back
    /// on the schedule.
    pub webhook_grace: Duration,
    /// Asynchronous signing: how long to wait for the end of the signing before leaving the
    /// flow to be resumed.
    pub signing_limit: Duration,
}

impl Default for StatusFollowing {
    fn default() -> Self {
        StatusFollowing {
            first_poll: Duration::from_secs(2),
            max_poll: Duration::from_secs(30),
            webhook_grace: Duration::from_secs(20),
            signing_limit: Duration::from_secs(600),
        }
    }
}

/// The running receiver; dropping it stops the server.
pub(crate) struct RunningReceiver {
    configured: SocketAddr,
    pub(crate) bound: SocketAddr,
    _stop: DropGuard,
}

impl DeskInner {
    /// Starts the webhook receiver on `videoid.webhook_listen` (or moves it when the setting
    /// changed, or stops it when unset) and returns the address it listens on.
    pub(crate) async fn ensure_webhooks(self: &Arc<Self>) -> DeskResult<Option<SocketAddr>> {
        let wanted = self.read_settings().values().videoid.webhook_listen;
        let mut running = self.receiver.lock().await;
        match (wanted, running.as_ref()) {
            (None, _) => {
                *running = None;
                Ok(None)
            }
            (Some(wanted), Some(current)) if current.configured == wanted => {
                Ok(Some(current.bound))
            }
            (Some(wanted), _) => {
                *running = None;
                let (listener, bound) = crate::webhooks::bind(wanted).await?;
                let stop = CancellationToken::new();
                crate::webhooks::serve(listener, self.hub.clone(), stop.clone());
                tokio::spawn(pass_on(Arc::downgrade(self), self.hub.subscribe()));
                *running = Some(RunningReceiver {
                    configured: wanted,
                    bound,
                    _stop: stop.drop_guard(),
                });
                Ok(Some(bound))
            }
        }
    }

    /// The URL the Optimizer should call for a request on `optimizer_url`, when the receiver
    /// runs: `DeskOptions::webhook_url` when given; else the receiver's address, or — when it
    /// listens on every interface — the address this computer uses to reach the Optimizer.
    pub(crate) async fn webhook_url(
        self: &Arc<Self>,
        optimizer_url: &str,
    ) -> DeskResult<Option<Url>> {
        let Some(bound) = self.ensure_webhooks().await? else {
            return Ok(None);
        };
        if let Some(url) = &self.webhook_public_url {
            return Ok(Some(url.clone()));
        }
        let ip = if bound.ip().is_unspecified() {
            let optimizer = optimizer_url.to_string();
            blocking(move || local_address_towards(&optimizer)).await?
        } else {
            bound.ip()
        };
        let host = match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        };
        Url::parse(&format!("http://{host}:{}{WEBHOOK_PATH}", bound.port()))
            .map(Some)
            .map_err(|e| {
                DeskError::new("webhook.no_address", "The webhook URL cannot be formed")
                    .with_detail(e.to_string())
            })
    }
}

/// The local address the operating system would use to reach the Optimizer: a UDP socket
/// "connected" to it (no packet is sent) reports it.
fn local_address_towards(optimizer_url: &str) -> DeskResult<IpAddr> {
    let no_address = |detail: String| {
        DeskError::new(
            "webhook.no_address",
            "The address at which the Optimizer can reach this computer cannot be found; set \
             videoid.webhook_listen to this computer's address",
        )
        .with_detail(detail)
    };
    let url = Url::parse(optimizer_url).map_err(|e| no_address(e.to_string()))?;
    let target = url
        .socket_addrs(|| None)
        .map_err(|e| no_address(e.to_string()))?
        .into_iter()
        .next()
        .ok_or_else(|| no_address("the Optimizer's host has no address".into()))?;
    let any: SocketAddr = if target.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        ([0u16; 8], 0).into()
    };
    let socket = std::net::UdpSocket::bind(any).map_err(|e| no_address(e.to_string()))?;
    socket
        .connect(target)
        .map_err(|e| no_address(e.to_string()))?;
    socket
        .local_addr()
        .map(|a| a.ip())
        .map_err(|e| no_address(e.to_string()))
}

/// Tells the front end about each accepted webhook and refreshes the flows it concerns that
/// nothing is working on (a flow waiting for it hears it itself). Ends with the receiver.
async fn pass_on(desk: Weak<DeskInner>, mut changes: broadcast::Receiver<Arc<StatusChange>>) {
    loop {
        let change = match changes.recv().await {
            Ok(change) => change,
            Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let Some(desk) = desk.upgrade() else { return };
        let flows = match i64::try_from(change.request_pk.0) {
            Ok(pk) => {
                let journal = desk.journal.clone();
                blocking(move || journal.unfinished_requests_with_pk(pk))
                    .await
                    .unwrap_or_else(|error| {
                        tracing::warn!(code = %crate::CodedError::code(&error), "webhook: cannot read the journal");
                        Vec::new()
                    })
            }
            Err(_) => Vec::new(),
        };
        desk.emit(DeskEvent::Webhook(WebhookNotice {
            request_pk: change.request_pk.0,
            status: change.status.as_str().to_string(),
            event_type: change.event.clone().map(String::from),
            format: match change.shape {
                WebhookShape::Current => "current",
                WebhookShape::Legacy => "legacy",
            }
            .to_string(),
            flows: flows.iter().map(|r| r.id).collect(),
        }));
        for record in flows {
            let id: FlowId = record.id;
            if record.flow_kind == FlowKind::Classic || desk.flows.is_busy(id) {
                continue;
            }
            if let Err(error) = Flows::refresh_from_webhook(desk.clone(), id).await {
                tracing::warn!(flow = %id, code = %error.code, "webhook: the flow could not be refreshed");
            }
        }
    }
}
