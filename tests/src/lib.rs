//! The end-to-end harness: starts the real app binary through tauri-driver (WebKitWebDriver
//! underneath) on free ports, with a private data/config directory, and hands the test a
//! WebDriver client plus helpers to wait for elements and save screenshots as artifacts.
//!
//! Needs, all provisioned by `cargo xtask setup` and wired by `cargo xtask test`: an X display
//! (Xvfb), `tauri-driver` and `WebKitWebDriver`, and the built app (`ONESHOT_DESK_APP`).

mod accessibility;
mod app;
mod desk;
pub mod dialog;
mod display;
mod driver;
pub mod home;
pub mod keyboard;
pub mod memory;
pub mod scan;

pub use app::{App, AppOptions, Launch};
pub use desk::{Layout, SimulatedDesk};
