//! Reads and verifies the signatures of a PDF: byte ranges, CMS, signer certificate. Pure Rust.
