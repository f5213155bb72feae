//! One operation at a time per flow, and a way to interrupt it. An operation that only waits
//! (for the customer, the RAO's review, a webhook) marks itself so: the flow shows what it waits
//! for rather than "working", and the employee's next action takes its place. A short read the
//! desk makes on its own (a webhook's status read) marks itself as background: the employee's
//! next action waits for it to end rather than being refused as busy.

use super::FlowId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
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
    waiting: AtomicBool,
    background: AtomicBool,
}

/// Held while an operation runs on a flow.
pub(crate) struct FlowGuard {
    _lock: tokio::sync::OwnedMutexGuard<()>,
    slot: Arc<FlowSlot>,
    pub(crate) cancel: CancellationToken,
}

impl FlowGuard {
    /// Marks the running operation as a wait (or no longer one).
    pub(crate) fn set_waiting(&self, waiting: bool) {
        self.slot.waiting.store(waiting, Ordering::SeqCst);
    }

    /// Marks the running operation as the desk's own short background work, which the
    /// employee's actions wait for.
    pub(crate) fn set_background(&self) {
        self.slot.background.store(true, Ordering::SeqCst);
    }
}

impl Drop for FlowGuard {
    fn drop(&mut self) {
        self.slot.waiting.store(false, Ordering::SeqCst);
        self.slot.background.store(false, Ordering::SeqCst);
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

    /// Whether the running operation only waits.
    pub(crate) fn is_waiting(&self, id: FlowId) -> bool {
        self.slot(id).waiting.load(Ordering::SeqCst)
    }

    /// Takes the flow's lock: at once when free, after ending a running wait, else `None`
    /// (another operation works on the flow).
    pub(crate) async fn begin_or_preempt(&self, id: FlowId) -> Option<FlowGuard> {
        if let Some(guard) = self.try_begin(id) {
            return Some(guard);
        }
        if self.is_waiting(id) && self.interrupt(id) {
            return Some(self.begin(id).await);
        }
        if self.slot(id).background.load(Ordering::SeqCst) {
            // A webhook's status read: one bounded call, then the lock is free.
            return Some(self.begin(id).await);
        }
        None
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn the_employees_action_waits_for_background_work_but_not_for_other_work() {
        let registry = Arc::new(FlowRegistry::default());
        let id = FlowId(7);

        let working = registry.try_begin(id).unwrap();
        assert!(registry.begin_or_preempt(id).await.is_none(), "busy");
        drop(working);

        let background = registry.try_begin(id).unwrap();
        background.set_background();
        let waiting = tokio::spawn({
            let registry = registry.clone();
            async move { registry.begin_or_preempt(id).await.is_some() }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            !waiting.is_finished(),
            "waits while the background work runs"
        );
        assert!(
            !background.cancel.is_cancelled(),
            "background work is not interrupted"
        );
        drop(background);
        assert!(waiting.await.unwrap());
        assert!(!registry.slot(id).background.load(Ordering::SeqCst));

        let waiting_guard = registry.try_begin(id).unwrap();
        waiting_guard.set_waiting(true);
        let token = waiting_guard.cancel.clone();
        let preempting = tokio::spawn({
            let registry = registry.clone();
            async move { registry.begin_or_preempt(id).await.is_some() }
        });
        token.cancelled().await;
        drop(waiting_guard);
        assert!(
            preempting.await.unwrap(),
            "a wait is interrupted and replaced"
        );
    }
}
