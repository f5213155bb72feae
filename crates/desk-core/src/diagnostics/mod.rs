//! Diagnostics: the set-up checks shown by the window's Diagnostics screen and by
//! `oneshot-desk-cli doctor`, and the support bundle IT sends when asking for help.
//!
//! PDFium is checked by the caller (desk-core does not load it) and handed in as a
//! [`PdfiumStatus`].

mod bundle;
mod check;
mod run;
mod scrub;

pub use bundle::{BUNDLE_LOG_LIMIT, BundleRequest, BundleWritten};
pub use check::{Check, Diagnosis, PdfiumStatus};
pub use run::MIN_FREE_BYTES;
pub use scrub::Scrubber;
