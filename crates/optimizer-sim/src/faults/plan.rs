//! The fault model and its text grammar (`--faults SPEC`, `POST /_sim/faults`).
//!
//! ```text
//! SPEC     := RULE { ";" RULE }
//! RULE     := "latency="    [OPS ":"] DURATION ["~" DURATION]   every matching call waits (uniform in range)
//!           | "error_rate=" OPS ":" CHANCE [":" STATUS]        answer STATUS (default 503) without performing
//!           | "drop="       OPS [":" CHANCE]                  close the connection without performing
//!           | "drop_after=" OPS [":" CHANCE]                  perform the call, then close without answering
//!           | "hold_after=" OPS ":" DURATION [":" CHANCE]     perform the call, then hold the answer for DURATION
//!           | "truncate="   OPS [":" CHANCE]                  downloads stop half-way (Content-Length kept)
//!           | "slow_otp="   DURATION                          the OTP call answers only after DURATION
//!           | "sms_delay="  DURATION                          the SMS reaches /_sim/sms only after DURATION
//! OPS      := "*" | OP { "," OP }                             operation names, see `Op`
//! CHANCE   := PROBABILITY | COUNT "x" | "@" N                 0.25 / 25% of calls, the next COUNT calls, or only the Nth call from now
//! DURATION := NUMBER ("ms" | "s")
//! ```

use super::op::Op;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which operations a rule applies to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OpSet {
    /// `"*"`: every Optimizer API operation.
    All(AllOps),
    /// A list of operations.
    Some(Vec<Op>),
}

/// The `"*"` marker.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum AllOps {
    /// Every operation.
    #[serde(rename = "*")]
    All,
}

impl OpSet {
    /// Whether `op` is covered.
    pub fn contains(&self, op: Op) -> bool {
        match self {
            OpSet::All(_) => true,
            OpSet::Some(ops) => ops.contains(&op),
        }
    }

    fn parse(text: &str) -> Result<Self, FaultSpecError> {
        let text = text.trim();
        if text == "*" {
            return Ok(OpSet::All(AllOps::All));
        }
        let ops = text
            .split(',')
            .map(|name| {
                Op::from_name(name.trim())
                    .ok_or_else(|| FaultSpecError::UnknownOp(name.trim().into()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(OpSet::Some(ops))
    }
}

impl fmt::Display for OpSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpSet::All(_) => f.write_str("*"),
            OpSet::Some(ops) => {
                let names: Vec<&str> = ops.iter().map(|op| op.name()).collect();
                f.write_str(&names.join(","))
            }
        }
    }
}

/// How often a rule fires.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Chance {
    /// Each matching call independently with this probability (seeded RNG).
    Probability(f64),
    /// The next N matching calls, then never again (counts down as it fires).
    Count(u32),
    /// Only the Nth matching call from now (counts down with every matching call; 0 = spent).
    Nth(u32),
}

impl Chance {
    fn parse(text: &str) -> Result<Self, FaultSpecError> {
        let text = text.trim();
        let bad = || FaultSpecError::BadChance(text.into());
        if let Some(nth) = text.strip_prefix('@') {
            return match nth.parse() {
                Ok(0) | Err(_) => Err(bad()),
                Ok(n) => Ok(Chance::Nth(n)),
            };
        }
        if let Some(count) = text.strip_suffix('x') {
            return count.parse().map(Chance::Count).map_err(|_| bad());
        }
        let probability = match text.strip_suffix('%') {
            Some(percent) => percent.parse::<f64>().map_err(|_| bad())? / 100.0,
            None => text.parse::<f64>().map_err(|_| bad())?,
        };
        if !(0.0..=1.0).contains(&probability) {
            return Err(bad());
        }
        Ok(Chance::Probability(probability))
    }
}

impl fmt::Display for Chance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chance::Probability(p) => write!(f, "{p}"),
            Chance::Count(n) => write!(f, "{n}x"),
            Chance::Nth(n) => write!(f, "@{n}"),
        }
    }
}

/// Added latency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyRule {
    /// Operations delayed.
    pub ops: OpSet,
    /// Shortest delay in milliseconds.
    pub min_ms: u64,
    /// Longest delay in milliseconds (uniformly drawn between the two).
    pub max_ms: u64,
}

/// Injected error answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorRule {
    /// Operations affected.
    pub ops: OpSet,
    /// How often.
    pub chance: Chance,
    /// HTTP status answered.
    pub status: u16,
}

/// A rule that fires with a chance (drops, truncations).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChanceRule {
    /// Operations affected.
    pub ops: OpSet,
    /// How often.
    pub chance: Chance,
}

/// Answers held back after the call was performed: the client waits, its outcome unknown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldRule {
    /// Operations affected.
    pub ops: OpSet,
    /// How often.
    pub chance: Chance,
    /// How long the answer is held, in milliseconds.
    pub ms: u64,
}

/// Every active fault. The JSON form is what `GET /_sim/faults` shows and `POST` accepts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPlan {
    /// Added latency rules.
    #[serde(default)]
    pub latency: Vec<LatencyRule>,
    /// Injected error answers.
    #[serde(default)]
    pub errors: Vec<ErrorRule>,
    /// Connections closed before the call is performed.
    #[serde(default)]
    pub drop: Vec<ChanceRule>,
    /// Connections closed after the call was performed (the answer is lost).
    #[serde(default)]
    pub drop_after: Vec<ChanceRule>,
    /// Answers held back after the call was performed.
    #[serde(default)]
    pub hold_after: Vec<HoldRule>,
    /// Downloads cut half-way.
    #[serde(default)]
    pub truncate: Vec<ChanceRule>,
    /// Extra time the OTP call takes, in milliseconds.
    #[serde(default)]
    pub slow_otp_ms: u64,
    /// Time until a generated OTP shows up in the SMS inbox, in milliseconds.
    #[serde(default)]
    pub sms_delay_ms: u64,
}

/// A fault specification that could not be parsed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FaultSpecError {
    /// A rule without `=`.
    #[error("fault rule `{0}` is not NAME=VALUE")]
    NotARule(String),
    /// An unknown rule name.
    #[error(
        "unknown fault `{0}` (known: latency, error_rate, drop, drop_after, hold_after, truncate, slow_otp, sms_delay)"
    )]
    UnknownRule(String),
    /// An unknown operation name.
    #[error("unknown operation `{0}` in a fault rule (see `optimizer-sim --help` for the names)")]
    UnknownOp(String),
    /// A malformed chance.
    #[error("`{0}` is not a chance (use 0.5, 50%, 3x or @2)")]
    BadChance(String),
    /// A malformed duration.
    #[error("`{0}` is not a duration (use 250ms or 2s)")]
    BadDuration(String),
    /// A malformed HTTP status.
    #[error("`{0}` is not an HTTP error status (400-599)")]
    BadStatus(String),
    /// Wrong number of `:` fields.
    #[error("fault rule `{0}` has the wrong number of `:` fields")]
    BadFields(String),
}

impl FaultSpecError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        "faults.invalid_spec"
    }
}

fn parse_duration_ms(text: &str) -> Result<u64, FaultSpecError> {
    let text = text.trim();
    let bad = || FaultSpecError::BadDuration(text.into());
    let (number, scale) = if let Some(ms) = text.strip_suffix("ms") {
        (ms, 1.0)
    } else if let Some(s) = text.strip_suffix('s') {
        (s, 1000.0)
    } else {
        return Err(bad());
    };
    let value: f64 = number.trim().parse().map_err(|_| bad())?;
    if !(0.0..=3_600_000.0).contains(&(value * scale)) {
        return Err(bad());
    }
    // Rounded to whole milliseconds; the range check above keeps the cast in bounds.
    Ok((value * scale).round() as u64)
}

fn format_ms(ms: u64) -> String {
    if ms.is_multiple_of(1000) && ms > 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

impl FaultPlan {
    /// Parses the text grammar described in the module documentation.
    pub fn parse(spec: &str) -> Result<Self, FaultSpecError> {
        let mut plan = FaultPlan::default();
        for rule in spec.split(';').map(str::trim).filter(|r| !r.is_empty()) {
            let (name, value) = rule
                .split_once('=')
                .ok_or_else(|| FaultSpecError::NotARule(rule.into()))?;
            let fields: Vec<&str> = value.split(':').map(str::trim).collect();
            let wrong_fields = || FaultSpecError::BadFields(rule.into());
            match name.trim() {
                "latency" => {
                    let (ops, range) = match fields.as_slice() {
                        [range] => (OpSet::All(AllOps::All), *range),
                        [ops, range] => (OpSet::parse(ops)?, *range),
                        _ => return Err(wrong_fields()),
                    };
                    let (min, max) = match range.split_once('~') {
                        Some((a, b)) => (parse_duration_ms(a)?, parse_duration_ms(b)?),
                        None => {
                            let d = parse_duration_ms(range)?;
                            (d, d)
                        }
                    };
                    plan.latency.push(LatencyRule {
                        ops,
                        min_ms: min.min(max),
                        max_ms: max.max(min),
                    });
                }
                "error_rate" => {
                    let (ops, chance, status) = match fields.as_slice() {
                        [ops, chance] => (ops, chance, 503),
                        [ops, chance, status] => {
                            let code: u16 = status
                                .parse()
                                .ok()
                                .filter(|c| (400..600).contains(c))
                                .ok_or_else(|| FaultSpecError::BadStatus((*status).into()))?;
                            (ops, chance, code)
                        }
                        _ => return Err(wrong_fields()),
                    };
                    plan.errors.push(ErrorRule {
                        ops: OpSet::parse(ops)?,
                        chance: Chance::parse(chance)?,
                        status,
                    });
                }
                kind @ ("drop" | "drop_after" | "truncate") => {
                    let rule = match fields.as_slice() {
                        [ops] => ChanceRule {
                            ops: OpSet::parse(ops)?,
                            chance: Chance::Probability(1.0),
                        },
                        [ops, chance] => ChanceRule {
                            ops: OpSet::parse(ops)?,
                            chance: Chance::parse(chance)?,
                        },
                        _ => return Err(wrong_fields()),
                    };
                    match kind {
                        "drop" => plan.drop.push(rule),
                        "drop_after" => plan.drop_after.push(rule),
                        _ => plan.truncate.push(rule),
                    }
                }
                "hold_after" => {
                    let (ops, duration, chance) = match fields.as_slice() {
                        [ops, duration] => (ops, duration, Chance::Probability(1.0)),
                        [ops, duration, chance] => (ops, duration, Chance::parse(chance)?),
                        _ => return Err(wrong_fields()),
                    };
                    plan.hold_after.push(HoldRule {
                        ops: OpSet::parse(ops)?,
                        chance,
                        ms: parse_duration_ms(duration)?,
                    });
                }
                "slow_otp" => plan.slow_otp_ms = parse_duration_ms(value)?,
                "sms_delay" => plan.sms_delay_ms = parse_duration_ms(value)?,
                other => return Err(FaultSpecError::UnknownRule(other.into())),
            }
        }
        Ok(plan)
    }

    /// Whether no fault is active.
    pub fn is_empty(&self) -> bool {
        *self == FaultPlan::default()
    }
}

impl fmt::Display for FaultPlan {
    /// The canonical text form; parsing it gives back the same plan.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rules = Vec::new();
        for l in &self.latency {
            let range = if l.min_ms == l.max_ms {
                format_ms(l.min_ms)
            } else {
                format!("{}~{}", format_ms(l.min_ms), format_ms(l.max_ms))
            };
            rules.push(format!("latency={}:{range}", l.ops));
        }
        for e in &self.errors {
            rules.push(format!("error_rate={}:{}:{}", e.ops, e.chance, e.status));
        }
        for (name, list) in [
            ("drop", &self.drop),
            ("drop_after", &self.drop_after),
            ("truncate", &self.truncate),
        ] {
            for r in list {
                rules.push(format!("{name}={}:{}", r.ops, r.chance));
            }
        }
        for h in &self.hold_after {
            rules.push(format!(
                "hold_after={}:{}:{}",
                h.ops,
                format_ms(h.ms),
                h.chance
            ));
        }
        if self.slow_otp_ms > 0 {
            rules.push(format!("slow_otp={}", format_ms(self.slow_otp_ms)));
        }
        if self.sms_delay_ms > 0 {
            rules.push(format!("sms_delay={}", format_ms(self.sms_delay_ms)));
        }
        f.write_str(&rules.join(";"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let plan = FaultPlan::parse(
            "latency=200ms;error_rate=sign:0.5:503;drop_after=create;truncate=document:0.5;slow_otp=5s",
        )
        .unwrap();
        assert_eq!(plan.latency[0].min_ms, 200);
        assert!(plan.latency[0].ops.contains(Op::Sign));
        assert_eq!(plan.errors[0].chance, Chance::Probability(0.5));
        assert_eq!(plan.errors[0].status, 503);
        assert_eq!(plan.drop_after[0].chance, Chance::Probability(1.0));
        assert!(plan.drop_after[0].ops.contains(Op::Create));
        assert!(!plan.drop_after[0].ops.contains(Op::Sign));
        assert!(plan.truncate[0].ops.contains(Op::Document));
        assert_eq!(plan.slow_otp_ms, 5000);
    }

    #[test]
    fn canonical_text_round_trips() {
        let text = "latency=otp,sign:100ms~2s;error_rate=*:2x:500;drop=upload_bad";
        assert_eq!(
            FaultPlan::parse(text),
            Err(FaultSpecError::UnknownOp("upload_bad".into()))
        );
        let text = "latency=otp,sign:100ms~2s;error_rate=*:2x:500;drop=tokens:25%;sms_delay=1500ms";
        let plan = FaultPlan::parse(text).unwrap();
        assert_eq!(FaultPlan::parse(&plan.to_string()).unwrap(), plan);
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(serde_json::from_str::<FaultPlan>(&json).unwrap(), plan);
    }

    #[test]
    fn the_readme_json_form_is_the_documented_example() {
        let json = r#"{"latency": [{"ops": "*", "min_ms": 200, "max_ms": 200}],
            "errors": [{"ops": ["sign"], "chance": {"probability": 0.5}, "status": 503}],
            "drop": [],
            "drop_after": [{"ops": ["create"], "chance": {"count": 1}}],
            "truncate": [{"ops": ["document"], "chance": {"probability": 0.5}}],
            "slow_otp_ms": 5000, "sms_delay_ms": 0}"#;
        let plan: FaultPlan = serde_json::from_str(json).unwrap();
        let text = FaultPlan::parse(
            "latency=200ms;error_rate=sign:0.5:503;drop_after=create:1x;truncate=document:0.5;slow_otp=5s",
        )
        .unwrap();
        assert_eq!(plan, text);
    }

    #[test]
    fn hold_after_and_the_nth_call_round_trip() {
        let plan = FaultPlan::parse("hold_after=document,contract:30s:@2").unwrap();
        assert_eq!(plan.hold_after[0].ms, 30_000);
        assert_eq!(plan.hold_after[0].chance, Chance::Nth(2));
        assert!(plan.hold_after[0].ops.contains(Op::Contract));
        assert_eq!(plan.to_string(), "hold_after=document,contract:30s:@2");
        assert_eq!(FaultPlan::parse(&plan.to_string()).unwrap(), plan);
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(serde_json::from_str::<FaultPlan>(&json).unwrap(), plan);
        assert!(matches!(
            FaultPlan::parse("hold_after=sign:1s:@0"),
            Err(FaultSpecError::BadChance(_))
        ));
        assert!(matches!(
            FaultPlan::parse("hold_after=sign"),
            Err(FaultSpecError::BadFields(_))
        ));
    }

    #[test]
    fn rejects_malformed_rules_with_clear_errors() {
        assert!(matches!(
            FaultPlan::parse("latency"),
            Err(FaultSpecError::NotARule(_))
        ));
        assert!(matches!(
            FaultPlan::parse("boom=1"),
            Err(FaultSpecError::UnknownRule(_))
        ));
        assert!(matches!(
            FaultPlan::parse("latency=5"),
            Err(FaultSpecError::BadDuration(_))
        ));
        assert!(matches!(
            FaultPlan::parse("error_rate=sign:2"),
            Err(FaultSpecError::BadChance(_))
        ));
        assert!(matches!(
            FaultPlan::parse("error_rate=sign:1:200"),
            Err(FaultSpecError::BadStatus(_))
        ));
        assert!(matches!(
            FaultPlan::parse("drop=sign:1:2"),
            Err(FaultSpecError::BadFields(_))
        ));
        assert!(FaultPlan::parse(" ; ").unwrap().is_empty());
    }
}
