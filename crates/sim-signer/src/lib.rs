//! The simulator's trust service: throw-away CA, one-use signer certificates, test TSA, PAdES
//! and CMS signing, service-contract PDFs.
//!
//! This crate is used only by `optimizer-sim`. It shares no code with the desk side
//! (`oneshot-client`, `desk-core`, `pdf-signature`): signatures made here are checked there and by
//! independent tools (pdfsig, pyHanko), so a misreading cannot hide by being made twice.
//!
//! ```no_run
//! # use sim_signer::*;
//! # fn main() -> Result<(), SignerError> {
//! let trust = TrustService::generate(Some(7))?; // or TrustService::load_or_create(dir, None)
//! let signer = trust.issue_signer(&SignerSubject {
//!     given_name: "Ana".into(),
//!     surname_1: "García".into(),
//!     surname_2: Some("López".into()),
//!     serial_number: "12345678Z".into(),
//!     country: "ES".into(),
//!     email: Some("ana@example.com".into()),
//! })?;
//! let options = PdfSignOptions {
//!     appearance: None,
//!     reason: Some("Contract acceptance".into()),
//!     location: None,
//!     timestamp: true,
//!     signing_time: std::time::SystemTime::now(),
//! };
//! trust.sign_pdf(&signer, "in.pdf".as_ref(), "out.pdf".as_ref(), &options)?;
//! # Ok(()) }
//! ```

mod contract;
mod error;
mod fonts;
mod hash_request;
mod identity;
mod options;
mod pdf;
mod pem_bundle;
mod pki;
mod subject;
mod trust;

pub use contract::{ContractData, contract_pdf};
pub use error::SignerError;
pub use hash_request::HashSignRequest;
pub use identity::SignerIdentity;
pub use options::{PdfSignOptions, SignedPdfInfo, VisibleAppearance};
pub use subject::SignerSubject;
pub use trust::TrustService;
