//! Test fixtures built from scratch: a throw-away PKI, CMS signatures and timestamp tokens,
//! and PDFs signed with real incremental updates. Each test binary uses a part of it.
#![allow(dead_code)]

pub mod cms_builder;
pub mod pdf_builder;
pub mod pki;
pub mod tools;
pub mod tsa_server;

/// A small deterministic pseudo-random generator (xorshift64*) for reproducible mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
