//! Documents open in the window's viewers (offline preview, the review of contract and
//! documents). Each is known to the window only by a random, unguessable handle; pages reach the
//! webview as encoded images through the `pdfpage` URI scheme ([`protocol`]), never as pixel
//! arrays in JSON and never by file path.

pub mod commands;
pub mod protocol;
mod registry;

pub use registry::Viewer;
