//! The VideoID flows (eIDAS and external), asynchronous signing and the webhook receiver,
//! end to end against optimizer-sim in both layouts.
#![allow(clippy::unwrap_used)]

mod asynchronous;
mod eidas;
mod external;
mod recovery;
mod support;
