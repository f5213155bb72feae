//! Reads and verifies the signatures of a PDF: byte ranges, CMS, signer certificate. Pure Rust.
//!
//! The desk checks every signed PDF it downloads before deleting the document from the
//! Optimizer: that a signature covers the whole file, that the signed revision is intact
//! (message digest and the signer's signature), and who signed. See the crate README for what
//! is checked and what is not (no revocation, no long-term validation).
//!
//! ```no_run
//! # fn main() -> Result<(), pdf_signature::SignatureError> {
//! let signatures = pdf_signature::read_signatures(std::path::Path::new("signed.pdf"))?;
//! let roots = [std::fs::read("ca.pem").unwrap_or_default()];
//! for signature in &signatures {
//!     let chain = pdf_signature::verify_chain(signature, &roots);
//!     println!("{:?} {} {:?}", signature.signer.as_ref().map(|s| &s.subject), signature.integrity.code(), chain);
//! }
//! # Ok(())
//! # }
//! ```

mod certificate;
mod chain;
mod cms;
mod detached;
mod digest;
mod error;
mod hex;
mod model;
mod name;
mod oids;
mod pdf;
mod reader;
mod serde_base64;
mod timestamp;

pub use certificate::CertificateSummary;
pub use chain::{ChainStatus, SignerCertificates, verify_chain, verify_chain_at};
pub use detached::{DetachedSignature, verify_detached_digest};
pub use digest::DigestAlgorithm;
pub use error::SignatureError;
pub use model::{Integrity, PadesLevel, PdfSignature, SignatureKind};
pub use timestamp::TimestampInfo;

use pdf::Failure;
use pdf::source::{FileSource, SliceSource};
use std::path::Path;

/// Reads and checks every signature of the PDF at `path`, in the order of the revisions they
/// sign. The file is streamed (read in chunks), never loaded whole.
///
/// An unsigned PDF gives an empty list. Broken signatures are reported through
/// [`PdfSignature::integrity`]; errors are for files that cannot be examined at all.
pub fn read_signatures(path: &Path) -> Result<Vec<PdfSignature>, SignatureError> {
    let io_error = |source| SignatureError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut source = FileSource::open(file).map_err(io_error)?;
    reader::read_all(&mut source).map_err(|failure| match failure {
        Failure::Io(source) => io_error(source),
        Failure::File(error) => error,
    })
}

/// [`read_signatures`] for a PDF already in memory.
pub fn read_signatures_from_bytes(bytes: &[u8]) -> Result<Vec<PdfSignature>, SignatureError> {
    reader::read_all(&mut SliceSource(bytes)).map_err(|failure| match failure {
        // Reading memory cannot fail; kept total rather than panicking.
        Failure::Io(source) => SignatureError::Io {
            path: "<memory>".into(),
            source,
        },
        Failure::File(error) => error,
    })
}
