//! Fault injection: the plan (grammar in [`plan`]), the operation names, and the per-call
//! decisions drawn from a seeded RNG so a run with `--seed` is reproducible.

pub mod op;
pub mod plan;

pub use op::Op;
pub use plan::{
    Chance, ChanceRule, ErrorRule, FaultPlan, FaultSpecError, HoldRule, LatencyRule, OpSet,
};

use crate::core::rng::SimRng;
use std::sync::Mutex;
use std::time::Duration;

/// What the fault layer does to one call.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Decision {
    /// Wait this long before anything else.
    pub latency: Duration,
    /// Answer this HTTP status instead of performing the call.
    pub error_status: Option<u16>,
    /// Close the connection without performing the call.
    pub drop_before: bool,
    /// Perform the call, then close the connection without answering.
    pub drop_after: bool,
    /// Perform the call, then hold the answer this long.
    pub hold_after: Duration,
    /// Cut the response body half-way.
    pub truncate: bool,
}

/// How many times each kind of fault fired since start (a latency counts when it added a
/// delay).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FaultCounts {
    /// Calls delayed.
    pub latency: u64,
    /// Injected error answers.
    pub error: u64,
    /// Connections closed before performing.
    pub drop: u64,
    /// Connections closed after performing.
    pub drop_after: u64,
    /// Answers held after performing.
    pub hold_after: u64,
    /// Downloads cut half-way (decided; only bodies with a known length are cut).
    pub truncate: u64,
}

/// The live fault plan with its own RNG stream.
pub struct Faults {
    inner: Mutex<Inner>,
}

struct Inner {
    plan: FaultPlan,
    rng: SimRng,
    fired: FaultCounts,
}

fn fires(chance: &mut Chance, rng: &mut SimRng) -> bool {
    match chance {
        Chance::Probability(p) => rng.chance(*p),
        Chance::Count(0) => false,
        Chance::Count(n) => {
            *n -= 1;
            true
        }
        Chance::Nth(0) => false,
        Chance::Nth(n) => {
            *n -= 1;
            *n == 0
        }
    }
}

impl Faults {
    /// Starts with `plan`; decisions use `rng`.
    pub fn new(plan: FaultPlan, rng: SimRng) -> Self {
        Self {
            inner: Mutex::new(Inner {
                plan,
                rng,
                fired: FaultCounts::default(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave the plan half-written (every update is a
        // single assignment), so a poisoned lock is still safe to use.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The plan now in force (counts show what is left).
    pub fn plan(&self) -> FaultPlan {
        self.lock().plan.clone()
    }

    /// How often each kind of fault fired since start.
    pub fn fired(&self) -> FaultCounts {
        self.lock().fired
    }

    /// Replaces the plan.
    pub fn set(&self, plan: FaultPlan) {
        self.lock().plan = plan;
    }

    /// Extra time the OTP call takes.
    pub fn slow_otp(&self) -> Duration {
        Duration::from_millis(self.lock().plan.slow_otp_ms)
    }

    /// Time until a generated OTP reaches the SMS inbox.
    pub fn sms_delay(&self) -> Duration {
        Duration::from_millis(self.lock().plan.sms_delay_ms)
    }

    /// Draws the decision for one call of `op`.
    pub fn decide(&self, op: Op) -> Decision {
        let mut guard = self.lock();
        let decision = Self::draw(&mut guard, op);
        let fired = &mut guard.fired;
        fired.latency += u64::from(!decision.latency.is_zero());
        fired.drop += u64::from(decision.drop_before);
        fired.error += u64::from(decision.error_status.is_some());
        fired.drop_after += u64::from(decision.drop_after);
        fired.hold_after += u64::from(!decision.hold_after.is_zero());
        fired.truncate += u64::from(decision.truncate);
        decision
    }

    fn draw(inner: &mut Inner, op: Op) -> Decision {
        let Inner { plan, rng, .. } = inner;
        let mut decision = Decision::default();
        for rule in plan.latency.iter().filter(|r| r.ops.contains(op)) {
            let ms = if rule.max_ms > rule.min_ms {
                rng.range_u64(rule.min_ms, rule.max_ms)
            } else {
                rule.min_ms
            };
            decision.latency += Duration::from_millis(ms);
        }
        for rule in plan.drop.iter_mut().filter(|r| r.ops.contains(op)) {
            decision.drop_before |= fires(&mut rule.chance, rng);
        }
        if decision.drop_before {
            return decision;
        }
        for rule in plan.errors.iter_mut().filter(|r| r.ops.contains(op)) {
            if decision.error_status.is_none() && fires(&mut rule.chance, rng) {
                decision.error_status = Some(rule.status);
            }
        }
        if decision.error_status.is_some() {
            return decision;
        }
        for rule in plan.drop_after.iter_mut().filter(|r| r.ops.contains(op)) {
            decision.drop_after |= fires(&mut rule.chance, rng);
        }
        for rule in plan.hold_after.iter_mut().filter(|r| r.ops.contains(op)) {
            if fires(&mut rule.chance, rng) {
                decision.hold_after += Duration::from_millis(rule.ms);
            }
        }
        for rule in plan.truncate.iter_mut().filter(|r| r.ops.contains(op)) {
            decision.truncate |= fires(&mut rule.chance, rng);
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decisions(seed: u64) -> Vec<Decision> {
        let plan = FaultPlan::parse("error_rate=sign:0.5:503;latency=sign:10ms~90ms").unwrap();
        let faults = Faults::new(plan, SimRng::new(Some(seed)));
        (0..32).map(|_| faults.decide(Op::Sign)).collect()
    }

    #[test]
    fn same_seed_same_decisions() {
        assert_eq!(decisions(7), decisions(7));
        let errors = decisions(7)
            .iter()
            .filter(|d| d.error_status == Some(503))
            .count();
        assert!(
            errors > 0 && errors < 32,
            "a 50% rule fires sometimes: {errors}/32"
        );
    }

    #[test]
    fn counted_rules_fire_exactly_n_times_and_only_for_their_ops() {
        let plan = FaultPlan::parse("drop_after=create:2x").unwrap();
        let faults = Faults::new(plan, SimRng::new(Some(1)));
        assert!(!faults.decide(Op::Sign).drop_after);
        let fired: Vec<bool> = (0..4)
            .map(|_| faults.decide(Op::Create).drop_after)
            .collect();
        assert_eq!(fired, [true, true, false, false]);
        assert_eq!(faults.plan().drop_after[0].chance, Chance::Count(0));
    }

    #[test]
    fn an_nth_rule_fires_on_that_call_only() {
        let plan = FaultPlan::parse("hold_after=document:5s:@3").unwrap();
        let faults = Faults::new(plan, SimRng::new(Some(1)));
        assert!(faults.decide(Op::Sign).hold_after.is_zero());
        let held: Vec<bool> = (0..5)
            .map(|_| !faults.decide(Op::Document).hold_after.is_zero())
            .collect();
        assert_eq!(held, [false, false, true, false, false]);
        assert_eq!(faults.fired().hold_after, 1);
    }
}
