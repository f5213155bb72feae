//! What the desk tells its front end while it works: flow changes, transfer progress and
//! notices. The window forwards them to the page; the CLI prints them. No event ever holds a
//! secret (no token, password, PIN or OTP is part of any of these types).

use crate::flow::{FlowId, FlowSnapshot};
use serde::Serialize;
use std::sync::Arc;

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeskEvent {
    /// A flow moved or its details changed; the snapshot is its whole current state.
    FlowChanged {
        /// The flow as it is now.
        snapshot: Box<FlowSnapshot>,
    },
    /// Bytes moved for a file of a flow.
    Transfer(TransferProgress),
    /// Something worth showing or logging that is not a state change.
    Notice(Notice),
    /// The desk's webhook receiver accepted a status change from the Optimizer. It is a hint:
    /// the flows concerned read their request back before acting on it.
    Webhook(WebhookNotice),
}

/// A status change announced by the Optimizer's webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WebhookNotice {
    /// The request it names.
    pub request_pk: u64,
    /// Its new status as announced (`VIDEOREVIEW`, `ISSUED`, ...).
    pub status: String,
    /// The event type, for current payloads (`VIDEOID_UPDATED`, ...).
    pub event_type: Option<String>,
    /// `current` or `legacy` payload.
    pub format: String,
    /// The desk's unfinished flows with that request (none: another desk's request).
    pub flows: Vec<FlowId>,
}

/// Which way a transfer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TransferDirection {
    /// To the Optimizer.
    Upload,
    /// From the Optimizer.
    Download,
}

/// Progress of one transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TransferProgress {
    /// The flow.
    pub flow: FlowId,
    /// What moves: a document's file name, `contract`, or several names for a batch.
    pub file: String,
    /// Up or down.
    pub direction: TransferDirection,
    /// Bytes moved so far.
    pub done: u64,
    /// Bytes in all, when known.
    pub total: Option<u64>,
}

/// How much a notice matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NoticeLevel {
    /// For the record.
    Info,
    /// Something the user should know about.
    Warning,
}

/// A message for the log or a status line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Notice {
    /// The flow it concerns, if any.
    pub flow: Option<FlowId>,
    /// How much it matters.
    pub level: NoticeLevel,
    /// Stable code the UI can word (`flow.reconciled`, `flow.file_saved`, ...).
    pub code: String,
    /// English text for logs and the CLI.
    pub message: String,
}

/// Receives the desk's events (the window forwards them to the page, the CLI prints them).
/// Called from the desk's tasks: keep it quick and never block.
pub trait EventSink: Send + Sync + 'static {
    /// Takes one event.
    fn emit(&self, event: DeskEvent);
}

impl<F: Fn(DeskEvent) + Send + Sync + 'static> EventSink for F {
    fn emit(&self, event: DeskEvent) {
        self(event)
    }
}

/// Drops every event.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoEvents;

impl EventSink for NoEvents {
    fn emit(&self, _event: DeskEvent) {}
}

/// Sends every event into an unbounded tokio channel.
#[derive(Debug, Clone)]
pub struct ChannelSink(pub tokio::sync::mpsc::UnboundedSender<DeskEvent>);

impl EventSink for ChannelSink {
    fn emit(&self, event: DeskEvent) {
        // A closed receiver only means nobody listens any more.
        let _ = self.0.send(event);
    }
}

/// A shared sink.
pub type SharedSink = Arc<dyn EventSink>;

/// Emits transfer progress only when it moved by at least one percent (or finished), so a large
/// file does not flood the window with thousands of events.
pub(crate) struct ProgressThrottle {
    sink: SharedSink,
    flow: FlowId,
    file: String,
    direction: TransferDirection,
    last: std::sync::Mutex<Option<u64>>,
}

impl ProgressThrottle {
    pub(crate) fn new(
        sink: SharedSink,
        flow: FlowId,
        file: String,
        direction: TransferDirection,
    ) -> Arc<Self> {
        Arc::new(ProgressThrottle {
            sink,
            flow,
            file,
            direction,
            last: std::sync::Mutex::new(None),
        })
    }

    pub(crate) fn report(&self, done: u64, total: Option<u64>) {
        let step = total.map_or(256 * 1024, |t| (t / 100).max(1));
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let finished = total.is_some_and(|t| done >= t);
        let moved_enough = match *last {
            None => true,
            Some(previous) => done >= previous.saturating_add(step) || done < previous,
        };
        if !(moved_enough || finished) || (*last == Some(done) && done != 0) {
            return;
        }
        *last = Some(done);
        self.sink.emit(DeskEvent::Transfer(TransferProgress {
            flow: self.flow,
            file: self.file.clone(),
            direction: self.direction,
            done,
            total,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn progress_is_throttled_to_percent_steps() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink_seen = seen.clone();
        let sink: SharedSink = Arc::new(move |event: DeskEvent| {
            if let DeskEvent::Transfer(p) = event {
                sink_seen.lock().unwrap().push(p.done);
            }
        });
        let throttle =
            ProgressThrottle::new(sink, FlowId(1), "a.pdf".into(), TransferDirection::Upload);
        for done in (0..=10_000).step_by(10) {
            throttle.report(done, Some(10_000));
        }
        let seen = seen.lock().unwrap();
        assert!(seen.len() <= 102, "{}", seen.len());
        assert_eq!(seen.first(), Some(&0));
        assert_eq!(seen.last(), Some(&10_000));
    }
}
