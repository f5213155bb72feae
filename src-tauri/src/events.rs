//! Desk events (flow changes, transfer progress, notices) forwarded to the window as one typed
//! Tauri event. They never carry secrets: desk-core guarantees it and tests it.

use desk_core::{DeskEvent, EventSink};
use serde::Serialize;
use tauri::{AppHandle, Wry};
use tauri_specta::Event;

/// The event the window listens to (`events.deskEventMessage.listen(...)` in TypeScript).
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct DeskEventMessage(pub DeskEvent);

/// Sends desk events to every window of the app.
#[derive(Clone)]
pub struct WindowEvents(pub AppHandle<Wry>);

impl EventSink for WindowEvents {
    fn emit(&self, event: DeskEvent) {
        if let Err(error) = DeskEventMessage(event).emit(&self.0) {
            tracing::warn!("an event could not reach the window: {error}");
        }
    }
}
