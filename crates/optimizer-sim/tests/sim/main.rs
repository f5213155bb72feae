//! The simulator's test suite: an in-process simulator per test, driven over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary;
mod common;
mod documents;
mod faults;
mod fixtures;
mod images;
mod legacy_spec;
mod persistence;
mod requests;
mod sign_flow;
mod signatures;
mod tokens;
mod tools;
mod videoid;
mod webhooks;
