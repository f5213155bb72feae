//! The built `oneshot-desk-cli` against optimizer-sim in both layouts, with the session's
//! keyring and the independent validators.
#![allow(clippy::unwrap_used)]

mod classic;
mod corpus;
mod crash;
mod doctor;
mod help;
mod hostile;
mod pdf;
mod secrets_scan;
mod support;
mod support_bundle;
mod tokens;
mod videoid;
