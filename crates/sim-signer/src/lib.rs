//! The simulator's trust service: throw-away CA, one-use signer certificates, test TSA, PAdES
//! and CMS signing, service-contract PDFs.
//!
//! This crate is used only by `optimizer-sim`. It shares no code with the desk side
//! (`oneshot-client`, `desk-core`, `pdf-signature`): signatures made here are checked there and by
//! independent tools (pdfsig, pyHanko), so a misreading cannot hide by being made twice.
//!
//! API CONTRACT (agreed with optimizer-sim; extend freely, change only together with its callers):
//!
//! ```ignore
//! let trust = TrustService::generate(Some(seed))?;          // or TrustService::load_or_create(dir)
//! let pem = trust.ca_certificate_pem();
//! let signer = trust.issue_signer(&SignerSubject { .. })?;  // fresh one-use certificate
//! trust.sign_pdf(&signer, input_path, output_path, &PdfSignOptions { .. })?;
//! let p7m: Vec<u8> = trust.sign_digest(&signer, &HashSignRequest::from_json(bytes)?)?;
//! let contract: Vec<u8> = contract_pdf(&ContractData { .. })?;
//! ```
