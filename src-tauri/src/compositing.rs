//! How WebKitGTK draws the window on Linux: with GPU compositing only when the workstation has a
//! GPU to composite with.
//!
//! Without a DRM render node (`/dev/dri/renderD*`: no GPU driver — virtual desktops, thin
//! clients, remote sessions, Xvfb) WebKit's compositing falls back to Mesa's software OpenGL,
//! which draws every layer on the CPU. On the 2-core reference desk that made the viewer's first
//! page take 315 ms instead of ~130 ms and the window hold ~200 MB more (see the README's
//! performance section); WebKit's non-composited mode paints straight into the window instead.
//!
//! IT keeps the last word: when `WEBKIT_DISABLE_COMPOSITING_MODE` or
//! `WEBKIT_FORCE_COMPOSITING_MODE` is already set, WebKit's own switches, nothing is changed.

use std::path::Path;

/// WebKit's switch that turns compositing off (read when its first web view starts).
const DISABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// WebKit's switch that forces compositing on.
const FORCE: &str = "WEBKIT_FORCE_COMPOSITING_MODE";

/// What was decided, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compositing {
    /// A GPU render node exists: WebKit composites on the GPU as usual.
    Gpu,
    /// No GPU: compositing is off, pages are painted straight into the window.
    OffWithoutGpu,
    /// The environment already chose (IT's override).
    SetByEnvironment,
    /// Not Linux: the platform's web view decides.
    Platform,
}

/// Chooses before the first web view starts. Must run while the process has a single thread:
/// it may set an environment variable.
// The workspace denies unsafe code; setting WebKit's switch is the one exception (WebKitGTK reads
// it from the environment, and Rust 2024 marks `set_var` unsafe for multi-threaded processes).
#[allow(unsafe_code)]
pub fn choose() -> Compositing {
    if !cfg!(target_os = "linux") {
        return Compositing::Platform;
    }
    let decision = decide(
        std::env::var_os(DISABLE).is_some() || std::env::var_os(FORCE).is_some(),
        has_render_node(Path::new("/dev/dri")),
    );
    if decision == Compositing::OffWithoutGpu {
        // SAFETY: called from `run` at the very start of `main`, before the app starts any
        // thread, so nothing reads the environment concurrently.
        unsafe { std::env::set_var(DISABLE, "1") };
    }
    decision
}

fn decide(environment_chose: bool, gpu: bool) -> Compositing {
    match (environment_chose, gpu) {
        (true, _) => Compositing::SetByEnvironment,
        (false, true) => Compositing::Gpu,
        (false, false) => Compositing::OffWithoutGpu,
    }
}

/// Whether `dri` (normally `/dev/dri`) holds a render node, the device a GPU driver provides.
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

impl Compositing {
    /// A short description for the log.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Gpu => "GPU compositing",
            Self::OffWithoutGpu => "no GPU found: compositing off, pages painted directly",
            Self::SetByEnvironment => "as set by WEBKIT_*_COMPOSITING_MODE",
            Self::Platform => "the platform's default",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compositing_is_off_only_without_a_gpu_and_without_an_override() {
        assert_eq!(decide(false, false), Compositing::OffWithoutGpu);
        assert_eq!(decide(false, true), Compositing::Gpu);
        assert_eq!(decide(true, false), Compositing::SetByEnvironment);
        assert_eq!(decide(true, true), Compositing::SetByEnvironment);
    }

    #[test]
    fn a_render_node_means_a_gpu() {
        let dri = tempfile::tempdir().expect("a temporary directory");
        assert!(!has_render_node(dri.path()), "an empty /dev/dri");
        std::fs::write(dri.path().join("card0"), b"").expect("a card node");
        assert!(
            !has_render_node(dri.path()),
            "a display card alone renders nothing"
        );
        std::fs::write(dri.path().join("renderD128"), b"").expect("a render node");
        assert!(has_render_node(dri.path()));
        assert!(!has_render_node(&dri.path().join("missing")));
    }
}
