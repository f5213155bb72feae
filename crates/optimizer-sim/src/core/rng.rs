//! The simulator's randomness: one seedable generator per purpose, so with `--seed` the same
//! calls give the same OTPs, ids and fault decisions, and a fault rule drawing numbers does not
//! shift the ids of a run.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A seeded (or OS-seeded) random stream.
pub struct SimRng(StdRng);

/// Separate streams derived from one seed.
#[derive(Clone, Copy)]
pub enum Stream {
    /// Request pks' companions: uids, scratchcards, link tokens.
    Ids,
    /// OTP codes.
    Otp,
    /// Fault decisions.
    Faults,
}

impl SimRng {
    /// A stream seeded with `seed`, or from the OS when `None`.
    pub fn new(seed: Option<u64>) -> Self {
        match seed {
            Some(seed) => Self(StdRng::seed_from_u64(seed)),
            None => Self(rand::make_rng()),
        }
    }

    /// The stream `stream` of a run seeded with `seed`.
    pub fn stream(seed: Option<u64>, stream: Stream) -> Self {
        let salt: u64 = match stream {
            Stream::Ids => 0x1d5,
            Stream::Otp => 0x07b,
            Stream::Faults => 0xfa1,
        };
        Self::new(seed.map(|s| s.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ salt))
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p >= 1.0 || (p > 0.0 && self.0.random_bool(p))
    }

    /// Uniform in `low..=high`.
    pub fn range_u64(&mut self, low: u64, high: u64) -> u64 {
        self.0.random_range(low..=high)
    }

    /// `digits` random decimal digits.
    pub fn digits(&mut self, digits: usize) -> String {
        (0..digits)
            .map(|_| char::from(b'0' + self.0.random_range(0..10u8)))
            .collect()
    }

    /// A random (version 4) UUID, hyphenated.
    pub fn uuid(&mut self) -> String {
        let bytes: [u8; 16] = self.0.random();
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .hyphenated()
            .to_string()
    }

    /// 32 lowercase hex digits (the legacy id format).
    pub fn hex32(&mut self) -> String {
        let bytes: [u8; 16] = self.0.random();
        hex::encode(bytes)
    }

    /// A random 64-bit number.
    pub fn next_u64(&mut self) -> u64 {
        self.0.random()
    }
}
