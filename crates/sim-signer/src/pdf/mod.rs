//! Reading existing PDFs just enough to sign them, and writing the signature as an incremental
//! update.

mod appearance;
mod document;
pub(crate) mod filters;
mod forms;
mod incremental;
pub(crate) mod object;
mod pages;
mod png_image;
pub(crate) mod sign;
mod syntax;
pub(crate) mod writer;
