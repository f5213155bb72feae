//! Tests of every operation against local HTTP fixtures in the documented shapes of both
//! layouts, plus transport failures, TLS, proxies, layout detection, webhooks and secrets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod documents;
mod errors;
mod images;
mod layout;
mod otp_sign;
mod requests;
mod secrets;
mod send;
mod tls;
mod tokens;
mod transport;
mod videoid;
mod webhook;
