//! Where the desk keeps its files on each platform, overridable by environment variables so
//! tests and portable installs can move everything.
//!
//! | What | Linux | Windows | macOS |
//! |---|---|---|---|
//! | data (journal, token index) | `~/.local/share/oneshot-desk` | `%LOCALAPPDATA%\oneshot-desk\data` | `~/Library/Application Support/oneshot-desk` |
//! | config (user settings) | `~/.config/oneshot-desk` | `%APPDATA%\oneshot-desk\config` | `~/Library/Application Support/oneshot-desk` |
//! | logs | `~/.local/state/oneshot-desk/logs` | `%LOCALAPPDATA%\oneshot-desk\logs` | `~/Library/Logs/oneshot-desk` |
//! | cache | `~/.cache/oneshot-desk` | `%LOCALAPPDATA%\oneshot-desk\cache` | `~/Library/Caches/oneshot-desk` |
//! | system settings (IT) | `/etc/oneshot-desk/config.toml` | `%ProgramData%\OneShot Desk\config.toml` | `/Library/Application Support/OneShot Desk/config.toml` |
//! | default output folder | `~/Documents/OneShot Desk` | `Documents\OneShot Desk` | `~/Documents/OneShot Desk` |
//!
//! (The XDG variables `XDG_DATA_HOME`, `XDG_CONFIG_HOME`, `XDG_STATE_HOME`, `XDG_CACHE_HOME`
//! move the Linux locations as usual.)

use crate::error::{CodedError, ErrorCode};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The application id used for per-user directories.
pub const APP_ID: &str = "oneshot-desk";

/// Names of the environment variables that override each location. Each must hold an
/// absolute path; an empty value counts as unset.
pub mod env {
    /// Data directory (journal, RAO token index).
    pub const DATA_DIR: &str = "ONESHOT_DESK_DATA_DIR";
    /// Directory of the user settings file.
    pub const CONFIG_DIR: &str = "ONESHOT_DESK_CONFIG_DIR";
    /// Log directory.
    pub const LOG_DIR: &str = "ONESHOT_DESK_LOG_DIR";
    /// Cache directory.
    pub const CACHE_DIR: &str = "ONESHOT_DESK_CACHE_DIR";
    /// The system-wide settings file written by IT (a file, not a directory).
    pub const SYSTEM_CONFIG: &str = "ONESHOT_DESK_SYSTEM_CONFIG";
    /// Default folder for signed documents when `output.folder` is not set.
    pub const OUTPUT_DIR: &str = "ONESHOT_DESK_OUTPUT_DIR";
}

/// Why the locations could not be determined.
#[derive(Debug, thiserror::Error)]
pub enum PathsError {
    /// No home directory, so no per-user directory can be derived.
    #[error(
        "Cannot determine the user's home directory, so the desk has nowhere to keep its files"
    )]
    NoHomeDirectory,
    /// An override variable holds a relative path.
    #[error("The environment variable {variable} must hold an absolute path")]
    NotAbsolute {
        /// The variable's name.
        variable: &'static str,
        /// Its value.
        value: PathBuf,
    },
    /// A directory could not be created.
    #[error("Cannot create the directory {}", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl CodedError for PathsError {
    fn code(&self) -> ErrorCode {
        ErrorCode::from_static(match self {
            PathsError::NoHomeDirectory => "paths.no_home_directory",
            PathsError::NotAbsolute { .. } => "paths.not_absolute",
            PathsError::CreateDir { .. } => "paths.create_failed",
        })
    }

    fn detail(&self) -> Option<String> {
        match self {
            PathsError::NoHomeDirectory => None,
            PathsError::NotAbsolute { value, .. } => Some(value.display().to_string()),
            PathsError::CreateDir { source, .. } => Some(source.to_string()),
        }
    }
}

/// The desk's locations, resolved once at start-up and passed to the parts that need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Journal database and the RAO token index.
    pub data_dir: PathBuf,
    /// The user settings file lives here.
    pub config_dir: PathBuf,
    /// Rotated log files.
    pub log_dir: PathBuf,
    /// Disposable data (rendered pages and the like).
    pub cache_dir: PathBuf,
    /// The system-wide settings file written by IT; it need not exist.
    pub system_config_file: PathBuf,
    /// Where signed documents go when `output.folder` is not set.
    pub default_output_dir: PathBuf,
}

impl Paths {
    /// The platform locations with the overrides from this process's environment.
    pub fn from_environment() -> Result<Self, PathsError> {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    /// The platform locations with overrides read through `lookup` (given a variable name,
    /// its value), so callers and tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Result<Self, PathsError> {
        let read = |variable: &'static str| -> Result<Option<PathBuf>, PathsError> {
            match lookup(variable) {
                Some(value) if !value.is_empty() => {
                    let value = PathBuf::from(value);
                    if value.is_absolute() {
                        Ok(Some(value))
                    } else {
                        Err(PathsError::NotAbsolute { variable, value })
                    }
                }
                _ => Ok(None),
            }
        };
        let data = read(env::DATA_DIR)?;
        let config = read(env::CONFIG_DIR)?;
        let log = read(env::LOG_DIR)?;
        let cache = read(env::CACHE_DIR)?;
        let output = read(env::OUTPUT_DIR)?;
        let system_config_file =
            read(env::SYSTEM_CONFIG)?.unwrap_or_else(platform_system_config_file);

        // Only ask the platform when some location is not overridden: a fully overridden
        // environment works even without a home directory.
        let platform = if data.is_none()
            || config.is_none()
            || log.is_none()
            || cache.is_none()
            || output.is_none()
        {
            Some(PlatformDirs::detect()?)
        } else {
            None
        };
        let pick = |value: Option<PathBuf>, from_platform: fn(&PlatformDirs) -> PathBuf| {
            value.unwrap_or_else(|| {
                from_platform(
                    platform
                        .as_ref()
                        .expect("platform dirs are detected when needed"),
                )
            })
        };
        Ok(Paths {
            data_dir: pick(data, |p| p.data.clone()),
            config_dir: pick(config, |p| p.config.clone()),
            log_dir: pick(log, |p| p.log.clone()),
            cache_dir: pick(cache, |p| p.cache.clone()),
            default_output_dir: pick(output, |p| p.output.clone()),
            system_config_file,
        })
    }

    /// Every location below one directory (`data/`, `config/`, `logs/`, `cache/`, `output/`,
    /// `system/config.toml`): for tests and portable use.
    pub fn under(root: &Path) -> Self {
        Paths {
            data_dir: root.join("data"),
            config_dir: root.join("config"),
            log_dir: root.join("logs"),
            cache_dir: root.join("cache"),
            system_config_file: root.join("system").join("config.toml"),
            default_output_dir: root.join("output"),
        }
    }

    /// The user settings file.
    pub fn user_settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.toml")
    }

    /// The request journal database.
    pub fn journal_file(&self) -> PathBuf {
        self.data_dir.join("journal.sqlite3")
    }

    /// The non-secret index of RAO tokens kept in the keyring.
    pub fn rao_token_index_file(&self) -> PathBuf {
        self.data_dir.join("rao-tokens.json")
    }

    /// Creates the data, config, log and cache directories if missing.
    pub fn create_dirs(&self) -> Result<(), PathsError> {
        for dir in [
            &self.data_dir,
            &self.config_dir,
            &self.log_dir,
            &self.cache_dir,
        ] {
            std::fs::create_dir_all(dir).map_err(|source| PathsError::CreateDir {
                path: dir.clone(),
                source,
            })?;
        }
        Ok(())
    }
}

/// Where IT puts the system-wide settings file on this platform.
pub fn platform_system_config_file() -> PathBuf {
    #[cfg(target_os = "windows")]
    {
        let program_data = std::env::var_os("ProgramData")
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"));
        program_data.join("OneShot Desk").join("config.toml")
    }
    #[cfg(target_os = "macos")]
    {
        PathBuf::from("/Library/Application Support/OneShot Desk/config.toml")
    }
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    {
        PathBuf::from("/etc/oneshot-desk/config.toml")
    }
}

struct PlatformDirs {
    data: PathBuf,
    config: PathBuf,
    log: PathBuf,
    cache: PathBuf,
    output: PathBuf,
}

impl PlatformDirs {
    fn detect() -> Result<Self, PathsError> {
        let project =
            directories::ProjectDirs::from("", "", APP_ID).ok_or(PathsError::NoHomeDirectory)?;
        let user = directories::UserDirs::new().ok_or(PathsError::NoHomeDirectory)?;
        let documents = user
            .document_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| user.home_dir().join("Documents"));
        Ok(PlatformDirs {
            data: project.data_local_dir().to_path_buf(),
            config: project.config_dir().to_path_buf(),
            log: platform_log_dir(&project, user.home_dir()),
            cache: project.cache_dir().to_path_buf(),
            output: documents.join("OneShot Desk"),
        })
    }
}

fn platform_log_dir(project: &directories::ProjectDirs, home: &Path) -> PathBuf {
    if cfg!(target_os = "macos") {
        home.join("Library").join("Logs").join(APP_ID)
    } else if let Some(state) = project.state_dir() {
        // Logs are state, not data: XDG puts them under ~/.local/state.
        state.join("logs")
    } else {
        // Windows: next to the local data, outside the roaming profile.
        project
            .data_local_dir()
            .parent()
            .unwrap_or(project.data_local_dir())
            .join("logs")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name| vars.get(name).cloned()
    }

    #[test]
    fn every_location_can_be_overridden() {
        let paths = Paths::from_lookup(lookup(&[
            (env::DATA_DIR, "/t/data"),
            (env::CONFIG_DIR, "/t/config"),
            (env::LOG_DIR, "/t/logs"),
            (env::CACHE_DIR, "/t/cache"),
            (env::SYSTEM_CONFIG, "/t/system.toml"),
            (env::OUTPUT_DIR, "/t/out"),
        ]))
        .unwrap();
        assert_eq!(
            paths,
            Paths {
                data_dir: "/t/data".into(),
                config_dir: "/t/config".into(),
                log_dir: "/t/logs".into(),
                cache_dir: "/t/cache".into(),
                system_config_file: "/t/system.toml".into(),
                default_output_dir: "/t/out".into(),
            }
        );
        assert_eq!(
            paths.user_settings_file(),
            Path::new("/t/config/settings.toml")
        );
        assert_eq!(paths.journal_file(), Path::new("/t/data/journal.sqlite3"));
        assert_eq!(
            paths.rao_token_index_file(),
            Path::new("/t/data/rao-tokens.json")
        );
    }

    #[test]
    fn relative_overrides_are_rejected() {
        let error = Paths::from_lookup(lookup(&[(env::DATA_DIR, "relative/dir")])).unwrap_err();
        assert!(matches!(
            error,
            PathsError::NotAbsolute {
                variable: env::DATA_DIR,
                ..
            }
        ));
        assert_eq!(error.code(), "paths.not_absolute");
    }

    #[test]
    fn empty_overrides_count_as_unset() {
        let paths = Paths::from_lookup(lookup(&[(env::DATA_DIR, "")])).unwrap();
        assert!(paths.data_dir.is_absolute());
        assert!(paths.data_dir.ends_with(APP_ID) || paths.data_dir.ends_with("data"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_platform_locations_follow_xdg() {
        let paths = Paths::from_lookup(lookup(&[])).unwrap();
        assert!(
            paths.config_dir.ends_with(".config/oneshot-desk")
                || paths.config_dir.ends_with(APP_ID)
        );
        assert!(paths.log_dir.ends_with("oneshot-desk/logs"));
        assert_eq!(
            paths.system_config_file,
            Path::new("/etc/oneshot-desk/config.toml")
        );
        assert!(paths.default_output_dir.ends_with("OneShot Desk"));
    }

    #[test]
    fn create_dirs_makes_every_directory() {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        paths.create_dirs().unwrap();
        for dir in [
            &paths.data_dir,
            &paths.config_dir,
            &paths.log_dir,
            &paths.cache_dir,
        ] {
            assert!(dir.is_dir(), "{}", dir.display());
        }
    }
}
