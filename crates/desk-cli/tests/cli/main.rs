//! The built `oneshot-desk-cli` against optimizer-sim in both layouts, with the session's
//! keyring and the independent validators.
#![allow(clippy::unwrap_used)]

mod classic;
mod doctor;
mod help;
mod pdf;
mod support;
mod support_bundle;
mod tokens;
mod videoid;
