//! Reads and verifies the signatures of a PDF: byte ranges, CMS, signer certificate. Pure Rust.
//!
//! The desk checks every signed PDF it downloads before deleting the document from the
//! Optimizer: that a signature covers the whole file, that the signed revision is intact
//! (message digest and the signer's signature), and who signed. See the crate README for what
//! is checked and what is not (no revocation, no long-term validation).

mod certificate;
mod chain;
mod detached;
mod digest;
mod error;
mod hex;
mod model;
mod name;
mod oids;
mod serde_base64;
mod timestamp;

pub use certificate::CertificateSummary;
pub use chain::ChainStatus;
pub use detached::DetachedSignature;
pub use digest::DigestAlgorithm;
pub use error::SignatureError;
pub use model::{Integrity, PadesLevel, PdfSignature, SignatureKind};
pub use timestamp::TimestampInfo;
