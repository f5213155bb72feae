//! Finding the PDFium library at run time. No distribution ships PDFium, so the desk carries its
//! own copy; this module decides which copy to load, in a fixed and documented order:
//!
//! 1. the explicit path from the settings ([`LibraryOptions::explicit_path`]);
//! 2. the environment variable `ONESHOT_PDFIUM_PATH`;
//! 3. the app's bundled resources directory ([`LibraryOptions::resources_dir`]);
//! 4. next to the running executable, then `../lib/oneshot-desk/` (the .deb layout);
//! 5. the development copy `<workspace>/.tools/pdfium/<platform>/` that `cargo xtask setup`
//!    provisions (`ONESHOT_TOOLS_DIR` replaces `<workspace>/.tools`, read at run time and at
//!    compile time);
//! 6. the system's library search path (`LD_LIBRARY_PATH`, `ld.so.cache`, `PATH` on Windows...).
//!
//! Steps 1 and 2 may name the library file itself or a directory holding it. A candidate that
//! exists but fails to load (wrong architecture, missing symbols) is recorded with the loader's
//! error and the search goes on, so a [`PdfError::LibraryMissing`] lists every place and outcome.

use crate::error::{PdfError, SearchedLocation};
use pdfium_render::prelude::{Pdfium, PdfiumError, PdfiumLibraryBindings};
use std::fmt;
use std::path::{Path, PathBuf};

/// The environment variable naming the PDFium library (file or directory).
pub const ENV_PDFIUM_PATH: &str = "ONESHOT_PDFIUM_PATH";
/// The environment variable replacing `<workspace>/.tools` for development builds and tests.
pub const ENV_TOOLS_DIR: &str = "ONESHOT_TOOLS_DIR";
/// The file written beside the library by `cargo xtask setup` (the wheel's `version.json`).
pub const VERSION_FILE: &str = "pdfium-version.json";

/// The folder name of this platform under `.tools/pdfium/` (same names as `cargo xtask setup`).
pub const PLATFORM_DIR: Option<&str> = platform_dir();

const fn platform_dir() -> Option<&'static str> {
    if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        Some("linux-x64")
    } else if cfg!(all(target_os = "linux", target_arch = "aarch64")) {
        Some("linux-arm64")
    } else if cfg!(all(target_os = "windows", target_arch = "x86_64")) {
        Some("windows-x64")
    } else if cfg!(all(target_os = "macos", target_arch = "aarch64")) {
        Some("macos-arm64")
    } else if cfg!(all(target_os = "macos", target_arch = "x86_64")) {
        Some("macos-x64")
    } else {
        None
    }
}

/// The library's file name on this platform (`libpdfium.so`, `pdfium.dll`, `libpdfium.dylib`).
pub fn library_file_name() -> String {
    Pdfium::pdfium_platform_library_name()
        .to_string_lossy()
        .into_owned()
}

/// Where the app wants the lookup to start. Everything else comes from the environment.
#[derive(Debug, Clone, Default)]
pub struct LibraryOptions {
    /// The library file (or its directory) chosen in the settings; tried first.
    pub explicit_path: Option<PathBuf>,
    /// The app's bundled resources directory (Tauri's `resource_dir()`), tried after the
    /// environment variable.
    pub resources_dir: Option<PathBuf>,
}

/// Which step of the lookup a candidate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LookupSource {
    Setting,
    Environment,
    BundledResources,
    BesideExecutable,
    DebianLibDir,
    DevelopmentTools,
    System,
}

impl fmt::Display for LookupSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Setting => "setting",
            Self::Environment => ENV_PDFIUM_PATH,
            Self::BundledResources => "bundled resources",
            Self::BesideExecutable => "beside the executable",
            Self::DebianLibDir => "package library directory",
            Self::DevelopmentTools => "development tools (cargo xtask setup)",
            Self::System => "system library path",
        })
    }
}

/// One place to try, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub source: LookupSource,
    /// `None` for the system search (the loader resolves the bare file name).
    pub path: Option<PathBuf>,
}

/// The ordered list of places to try. Built from the options plus a snapshot of the
/// environment, so it can be shown (`doctor`) and tested without touching the process.
#[derive(Debug, Clone)]
pub struct LookupPlan {
    pub candidates: Vec<Candidate>,
}

/// The parts of the environment the lookup reads.
#[derive(Debug, Clone, Default)]
pub struct LookupEnvironment {
    pub pdfium_path: Option<PathBuf>,
    pub tools_dir: Option<PathBuf>,
    pub current_exe: Option<PathBuf>,
}

impl LookupEnvironment {
    /// Reads the process environment (and the compile-time development tools location).
    pub fn from_process() -> Self {
        let tools_dir = std::env::var_os(ENV_TOOLS_DIR)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| option_env!("ONESHOT_TOOLS_DIR").map(PathBuf::from))
            .or_else(|| Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools")));
        Self {
            pdfium_path: std::env::var_os(ENV_PDFIUM_PATH)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            tools_dir,
            current_exe: std::env::current_exe().ok(),
        }
    }
}

impl LookupPlan {
    /// The documented lookup order for these options and environment.
    pub fn new(options: &LibraryOptions, env: &LookupEnvironment) -> Self {
        let file = library_file_name();
        let mut candidates = Vec::new();
        let mut push = |source, path: PathBuf| {
            candidates.push(Candidate {
                source,
                path: Some(path),
            });
        };
        if let Some(path) = &options.explicit_path {
            push(LookupSource::Setting, file_or_dir(path, &file));
        }
        if let Some(path) = &env.pdfium_path {
            push(LookupSource::Environment, file_or_dir(path, &file));
        }
        if let Some(dir) = &options.resources_dir {
            push(LookupSource::BundledResources, dir.join(&file));
            // Tauri keeps the relative folder of a bundled resource (`resources/pdfium/...`).
            push(
                LookupSource::BundledResources,
                dir.join("pdfium").join(&file),
            );
        }
        if let Some(exe_dir) = env.current_exe.as_deref().and_then(Path::parent) {
            push(LookupSource::BesideExecutable, exe_dir.join(&file));
            push(
                LookupSource::DebianLibDir,
                exe_dir.join("../lib/oneshot-desk").join(&file),
            );
        }
        if let (Some(tools), Some(platform)) = (&env.tools_dir, PLATFORM_DIR) {
            push(
                LookupSource::DevelopmentTools,
                tools.join("pdfium").join(platform).join(&file),
            );
        }
        candidates.push(Candidate {
            source: LookupSource::System,
            path: None,
        });
        Self { candidates }
    }

    /// Tries each candidate in order and binds the first that loads.
    pub(crate) fn bind(&self) -> Result<(Box<dyn PdfiumLibraryBindings>, LibraryInfo), PdfError> {
        let mut searched = Vec::new();
        for candidate in &self.candidates {
            let (place, result) = match &candidate.path {
                Some(path) if !path.is_file() => {
                    searched.push(SearchedLocation {
                        source: candidate.source,
                        place: path.display().to_string(),
                        outcome: "not found".into(),
                    });
                    continue;
                }
                Some(path) => (path.display().to_string(), Pdfium::bind_to_library(path)),
                None => (
                    format!("{} on the system library path", library_file_name()),
                    Pdfium::bind_to_system_library(),
                ),
            };
            match result {
                Ok(bindings) => {
                    let path = candidate
                        .path
                        .as_ref()
                        .map(|p| p.canonicalize().unwrap_or(p.clone()));
                    let version = path.as_deref().and_then(read_version_beside);
                    let info = LibraryInfo {
                        source: candidate.source,
                        path,
                        version,
                    };
                    return Ok((bindings, info));
                }
                Err(err) => searched.push(SearchedLocation {
                    source: candidate.source,
                    place,
                    outcome: describe_load_error(&err),
                }),
            }
        }
        Err(PdfError::LibraryMissing { searched })
    }
}

fn file_or_dir(path: &Path, file: &str) -> PathBuf {
    if path.is_dir() {
        path.join(file)
    } else {
        path.to_path_buf()
    }
}

fn describe_load_error(err: &PdfiumError) -> String {
    match err {
        PdfiumError::LoadLibraryError(e) => format!("could not load: {e}"),
        PdfiumError::LoadLibraryFunctionNameError(name) => {
            format!("not a compatible PDFium build (missing function {name})")
        }
        other => format!("could not load: {other:?}"),
    }
}

/// Which PDFium the engine runs on, for "About" and `doctor`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LibraryInfo {
    /// Which lookup step found it.
    pub source: LookupSource,
    /// The loaded file; `None` when the system loader resolved the bare name.
    pub path: Option<PathBuf>,
    /// From `pdfium-version.json` beside the library, when present (PDFium has no version call).
    pub version: Option<PdfiumVersion>,
}

impl fmt::Display for LibraryInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.version {
            Some(v) => write!(f, "PDFium {v}")?,
            None => write!(f, "PDFium (version unknown)")?,
        }
        match &self.path {
            Some(path) => write!(f, " from {} ({})", path.display(), self.source),
            None => write!(f, " from the {}", self.source),
        }
    }
}

/// PDFium's Chromium-style version; `build` is the number of the `chromium/<build>` branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PdfiumVersion {
    pub major: u32,
    pub minor: u32,
    pub build: u32,
    pub patch: u32,
}

impl fmt::Display for PdfiumVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}.{} (chromium/{})",
            self.major, self.minor, self.build, self.patch, self.build
        )
    }
}

fn read_version_beside(library: &Path) -> Option<PdfiumVersion> {
    let text = std::fs::read_to_string(library.parent()?.join(VERSION_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_with(exe: &str, tools: Option<&str>, pdfium: Option<&str>) -> LookupEnvironment {
        LookupEnvironment {
            pdfium_path: pdfium.map(PathBuf::from),
            tools_dir: tools.map(PathBuf::from),
            current_exe: Some(PathBuf::from(exe)),
        }
    }

    #[test]
    fn the_plan_follows_the_documented_order() {
        let options = LibraryOptions {
            explicit_path: Some("/opt/custom/libpdfium.so".into()),
            resources_dir: Some("/usr/share/app".into()),
        };
        let plan = LookupPlan::new(
            &options,
            &env_with(
                "/usr/bin/oneshot-desk",
                Some("/src/.tools"),
                Some("/env/lib.so"),
            ),
        );
        let sources: Vec<_> = plan.candidates.iter().map(|c| c.source).collect();
        let mut expected = vec![
            LookupSource::Setting,
            LookupSource::Environment,
            LookupSource::BundledResources,
            LookupSource::BundledResources,
            LookupSource::BesideExecutable,
            LookupSource::DebianLibDir,
        ];
        if PLATFORM_DIR.is_some() {
            expected.push(LookupSource::DevelopmentTools);
        }
        expected.push(LookupSource::System);
        assert_eq!(sources, expected);
        assert_eq!(
            plan.candidates[0].path.as_deref(),
            Some(Path::new("/opt/custom/libpdfium.so"))
        );
        assert_eq!(
            plan.candidates[5].path.as_deref(),
            Some(
                Path::new("/usr/bin/../lib/oneshot-desk")
                    .join(library_file_name())
                    .as_path()
            )
        );
    }

    #[test]
    fn a_directory_setting_names_the_library_inside_it() {
        let dir = tempfile::tempdir().unwrap();
        let options = LibraryOptions {
            explicit_path: Some(dir.path().into()),
            resources_dir: None,
        };
        let plan = LookupPlan::new(&options, &LookupEnvironment::default());
        assert_eq!(
            plan.candidates[0].path,
            Some(dir.path().join(library_file_name()))
        );
    }

    #[test]
    fn a_missing_library_lists_every_place_looked_at() {
        let dir = tempfile::tempdir().unwrap();
        let bogus = dir.path().join(library_file_name());
        std::fs::write(&bogus, b"not a shared library").unwrap();
        // Only file candidates: the system step is dropped so the test does not depend on
        // what the machine has installed.
        let plan = LookupPlan {
            candidates: vec![
                Candidate {
                    source: LookupSource::Setting,
                    path: Some(dir.path().join("absent").join(library_file_name())),
                },
                Candidate {
                    source: LookupSource::BundledResources,
                    path: Some(bogus.clone()),
                },
            ],
        };
        let Err(err) = plan.bind() else {
            panic!("a bogus library must not bind")
        };
        assert_eq!(err.code(), "pdf.library_missing");
        let PdfError::LibraryMissing { searched } = &err else {
            unreachable!()
        };
        assert_eq!(searched.len(), 2);
        assert_eq!(searched[0].outcome, "not found");
        assert!(
            searched[1].outcome.starts_with("could not load"),
            "{}",
            searched[1].outcome
        );
        let message = err.to_string();
        assert!(message.contains("absent") && message.contains(&bogus.display().to_string()));
    }

    #[test]
    fn the_version_file_beside_the_library_is_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(VERSION_FILE),
            r#"{"major":159,"minor":0,"build":8149,"patch":0,"origin":"x","flags":[]}"#,
        )
        .unwrap();
        let version = read_version_beside(&dir.path().join(library_file_name())).unwrap();
        assert_eq!(version.build, 8149);
        assert_eq!(version.to_string(), "159.0.8149.0 (chromium/8149)");
    }
}
