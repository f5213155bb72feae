//! How often each operation was performed (its handler ran) and succeeded (answered 2xx), in
//! total and per request or VideoID id named in the path: what a test reads to tell "sent once"
//! from "sent twice" whatever the client believed about its answers. Calls refused by an
//! injected error or dropped before performing are not counted: they never reached the handler.

use crate::faults::Op;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;

/// Counts of one operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CallCount {
    /// Times the handler ran (whatever it answered, and whether the answer arrived).
    pub performed: u64,
    /// Times it answered a 2xx status (whether the answer arrived or not).
    pub succeeded: u64,
}

/// Every operation's counts since start.
#[derive(Default)]
pub struct CallLog {
    counts: Mutex<HashMap<(Op, Option<u64>), CallCount>>,
}

impl CallLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Op, Option<u64>), CallCount>> {
        // Every update is one increment: a poisoned lock holds consistent counts.
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records one performed call of `op` whose path is `path`.
    pub fn record(&self, op: Op, path: &str, succeeded: bool) {
        let mut counts = self.lock();
        let entry = counts.entry((op, target(path))).or_default();
        entry.performed += 1;
        entry.succeeded += u64::from(succeeded);
    }

    /// Counts of `op` over every target.
    pub fn total(&self, op: Op) -> CallCount {
        self.lock().iter().filter(|((o, _), _)| *o == op).fold(
            CallCount::default(),
            |sum, (_, c)| CallCount {
                performed: sum.performed + c.performed,
                succeeded: sum.succeeded + c.succeeded,
            },
        )
    }

    /// Counts of `op` whose path named `id` (a request pk, or a VideoID pk in the current
    /// layout's `/videoid/{vpk}/...` paths).
    pub fn for_id(&self, op: Op, id: u64) -> CallCount {
        self.lock()
            .get(&(op, Some(id)))
            .copied()
            .unwrap_or_default()
    }
}

/// The first all-digit path segment: the request (or VideoID) the call is about. Token and
/// document uids are hex or UUIDs, and the API prefix `v1` is not all digits.
fn target(path: &str) -> Option<u64> {
    path.split('/')
        .find(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_operation_and_per_request() {
        let log = CallLog::default();
        log.record(Op::Sign, "/oneshot/api/v1/sign/1001", true);
        log.record(Op::Sign, "/oneshot/api/v1/sign/1001", false);
        log.record(Op::Sign, "/api/v1/sign/1002/", true);
        log.record(Op::Create, "/oneshot/api/v1/create", true);
        assert_eq!(
            log.for_id(Op::Sign, 1001),
            CallCount {
                performed: 2,
                succeeded: 1
            }
        );
        assert_eq!(log.total(Op::Sign).succeeded, 2);
        assert_eq!(log.total(Op::Create).performed, 1);
        assert_eq!(log.for_id(Op::Document, 1001), CallCount::default());
    }
}
