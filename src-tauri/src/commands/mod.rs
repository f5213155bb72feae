//! Tauri commands: each a few lines over desk-core or pdf-engine, grouped by screen.

pub mod app;
pub mod customer;
pub mod diagnostics;
pub mod files;
pub mod flow;
pub mod settings;
pub mod tokens;
pub mod videoid;
