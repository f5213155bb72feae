//! One operation at a time per flow, and a way to interrupt it.

use super::FlowId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio_util::sync::CancellationToken;

#[derive(Default)]
pub(crate) struct FlowRegistry {
    slots: Mutex<HashMap<FlowId, Arc<FlowSlot>>>,
}

#[derive(Default)]
pub(crate) struct FlowSlot {
    lock: Arc<tokio::sync::Mutex<()>>,
    cancel: Mutex<Option<CancellationToken>>,
}

/// Held while an operation runs on a flow.
pub(crate) struct FlowGuard {
    _lock: tokio::sync::OwnedMutexGuard<()>,
    slot: Arc<FlowSlot>,
    pub(crate) cancel: CancellationToken,
}

impl Drop for FlowGuard {
    fn drop(&mut self) {
        *self
            .slot
            .cancel
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl FlowRegistry {
    fn slot(&self, id: FlowId) -> Arc<FlowSlot> {
        self.slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(id)
            .or_default()
            .clone()
    }

    /// The flow's operation lock, or `None` when another operation runs.
    pub(crate) fn try_begin(&self, id: FlowId) -> Option<FlowGuard> {
        let slot = self.slot(id);
        let lock = slot.lock.clone().try_lock_owned().ok()?;
        Some(Self::guard(slot, lock))
    }

    /// Waits for the running operation (if any) to end, then takes the lock.
    pub(crate) async fn begin(&self, id: FlowId) -> FlowGuard {
        let slot = self.slot(id);
        let lock = slot.lock.clone().lock_owned().await;
        Self::guard(slot, lock)
    }

    fn guard(slot: Arc<FlowSlot>, lock: tokio::sync::OwnedMutexGuard<()>) -> FlowGuard {
        let cancel = CancellationToken::new();
        *slot.cancel.lock().unwrap_or_else(PoisonError::into_inner) = Some(cancel.clone());
        FlowGuard {
            _lock: lock,
            slot,
            cancel,
        }
    }

    /// Whether an operation runs on the flow now.
    pub(crate) fn is_busy(&self, id: FlowId) -> bool {
        self.slot(id).lock.try_lock().is_err()
    }

    /// Interrupts the running operation, if any. Returns whether one was running.
    pub(crate) fn interrupt(&self, id: FlowId) -> bool {
        let slot = self.slot(id);
        let token = slot
            .cancel
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match token {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }
}
