//! The classic flow end to end against optimizer-sim in both layouts.
#![allow(clippy::unwrap_used)]

mod happy;
mod otp;
mod refusals;
mod resume;
mod services;
mod support;
