//! Layered settings: built-in defaults < the system-wide file written by IT < the user's file.
//!
//! IT's file (`/etc/oneshot-desk/config.toml`, `%ProgramData%\OneShot Desk\config.toml`,
//! `/Library/Application Support/OneShot Desk/config.toml`, or `$ONESHOT_DESK_SYSTEM_CONFIG`)
//! may also hold `locked = ["optimizer.url", "signing", ...]`: the desk then ignores the user's
//! values for those keys and refuses to change them ([`SettingsError::Locked`]).
//!
//! Each file is checked on its own first, so every problem names its file and line; then
//! `figment` merges the layers and records which layer each effective value came from.
//! Secret-looking keys (`billing.password`, `token`, ...) make a file fail to load: secrets
//! belong in the keyring ([`crate::vault`]).

mod choice;
mod error;
mod key;
mod layer;
mod values;

pub use error::{FileLocation, SettingsError};
pub use key::{SettingKey, UnknownSettingKey, ValueKind};
pub use layer::SettingsWarning;
pub use values::{
    AbsolutePath, AppearanceSettings, BillingSettings, Environment, LanguageCode, LayoutPreference,
    OptimizerSettings, OptimizerUrl, OtpDelivery, OutputSettings, Profile, ProxySetting,
    RaoSettings, RequestSettings, SettingsValues, SignaturePosition, SigningSettings, Text,
    UiLanguage, UiSettings, UiTheme, VideoIdSettings,
};

use crate::fsutil;
use crate::paths::Paths;
use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Provider};
use layer::{Layer, LayerKind};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the layers are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsSources {
    /// IT's system-wide file (need not exist).
    pub system_file: PathBuf,
    /// The user's file (need not exist; created on the first change).
    pub user_file: PathBuf,
    /// The output folder when `output.folder` is unset.
    pub default_output_dir: PathBuf,
}

impl SettingsSources {
    /// The desk's usual files.
    pub fn from_paths(paths: &Paths) -> Self {
        SettingsSources {
            system_file: paths.system_config_file.clone(),
            user_file: paths.user_settings_file(),
            default_output_dir: paths.default_output_dir.clone(),
        }
    }
}

/// Which layer an effective value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "layer", rename_all = "snake_case")]
pub enum ValueOrigin {
    /// The built-in default.
    Default,
    /// IT's system-wide file.
    System {
        /// The file.
        path: PathBuf,
    },
    /// The user's file.
    User {
        /// The file.
        path: PathBuf,
    },
}

/// One line of the settings screen: a key, its effective value and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SettingEntry {
    /// The setting.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub key: SettingKey,
    /// Its effective value as JSON (`null` when unset).
    pub value: serde_json::Value,
    /// The kind of value.
    pub kind: ValueKind,
    /// Which layer it comes from.
    pub origin: ValueOrigin,
    /// Whether IT locked it (the UI shows it read-only).
    pub locked: bool,
}

/// The desk's settings: effective values, their origins and IT's locks.
#[derive(Debug, Clone)]
pub struct Settings {
    sources: SettingsSources,
    values: SettingsValues,
    origins: BTreeMap<SettingKey, ValueOrigin>,
    locked: Vec<String>,
    warnings: Vec<SettingsWarning>,
}

impl Settings {
    /// Reads and merges the layers.
    pub fn load(sources: SettingsSources) -> Result<Self, SettingsError> {
        let system = layer::read_layer(&sources.system_file, LayerKind::System)?;
        let user = layer::read_layer(&sources.user_file, LayerKind::User)?;
        let locked = system
            .as_ref()
            .map(|s| s.locked.clone())
            .unwrap_or_default();
        let is_locked = |key: SettingKey| locked.iter().any(|pattern| key.is_covered_by(pattern));

        let mut warnings: Vec<SettingsWarning> = system
            .iter()
            .chain(user.iter())
            .flat_map(|l| l.warnings.iter().cloned())
            .collect();
        let mut user_values = user.as_ref().map(|u| u.values.clone()).unwrap_or_default();
        for key in SettingKey::ALL.iter().copied().filter(|k| is_locked(*k)) {
            if layer::remove(&mut user_values, key) {
                warnings.push(SettingsWarning {
                    at: FileLocation {
                        path: sources.user_file.clone(),
                        line: None,
                        column: None,
                    },
                    message: format!("the user's value for {key} is ignored because IT locked it"),
                });
            }
        }

        let mut figment = Figment::from(figment::providers::Serialized::defaults(
            SettingsValues::default(),
        ));
        if let Some(system) = &system {
            figment = figment.merge(FileLayer::new("system settings", system));
        }
        if let Some(user) = &user {
            figment = figment.merge(FileLayer {
                name: "user settings",
                path: user.path.clone(),
                values: user_values,
            });
        }
        let values: SettingsValues = figment
            .extract()
            .map_err(|error| merge_error(&sources, error))?;

        let origins = SettingKey::ALL
            .iter()
            .map(|key| {
                let file = figment
                    .find_metadata(key.as_str())
                    .and_then(|metadata| metadata.source.as_ref())
                    .and_then(figment::Source::file_path);
                let origin = match file {
                    Some(path) if system.as_ref().is_some_and(|s| s.path == path) => {
                        ValueOrigin::System {
                            path: path.to_path_buf(),
                        }
                    }
                    Some(path) if user.as_ref().is_some_and(|u| u.path == path) => {
                        ValueOrigin::User {
                            path: path.to_path_buf(),
                        }
                    }
                    _ => ValueOrigin::Default,
                };
                (*key, origin)
            })
            .collect();

        for warning in &warnings {
            tracing::warn!(file = %warning.at, "settings: {}", warning.message);
        }
        Ok(Settings {
            sources,
            values,
            origins,
            locked,
            warnings,
        })
    }

    /// Reads the files again (after IT or another window changed them).
    pub fn reload(&mut self) -> Result<(), SettingsError> {
        *self = Settings::load(self.sources.clone())?;
        Ok(())
    }

    /// The files in use.
    pub fn sources(&self) -> &SettingsSources {
        &self.sources
    }

    /// The effective values.
    pub fn values(&self) -> &SettingsValues {
        &self.values
    }

    /// The folder receiving request folders: `output.folder`, or the platform default.
    pub fn output_folder(&self) -> PathBuf {
        self.values
            .output
            .folder
            .as_ref()
            .map(|folder| folder.path().to_path_buf())
            .unwrap_or_else(|| self.sources.default_output_dir.clone())
    }

    /// Which layer `key`'s effective value comes from.
    pub fn origin(&self, key: SettingKey) -> &ValueOrigin {
        self.origins.get(&key).unwrap_or(&ValueOrigin::Default)
    }

    /// Whether IT locked `key`.
    pub fn is_locked(&self, key: SettingKey) -> bool {
        self.locked.iter().any(|pattern| key.is_covered_by(pattern))
    }

    /// Every locked key.
    pub fn locked_keys(&self) -> Vec<SettingKey> {
        SettingKey::ALL
            .iter()
            .copied()
            .filter(|key| self.is_locked(*key))
            .collect()
    }

    /// Problems found in the files that did not stop loading (unknown keys, ...).
    pub fn warnings(&self) -> &[SettingsWarning] {
        &self.warnings
    }

    /// Every setting with its effective value, origin and lock, for the settings screen.
    pub fn entries(&self) -> Vec<SettingEntry> {
        let json = serde_json::to_value(&self.values).expect("settings always serialise to JSON");
        SettingKey::ALL
            .iter()
            .map(|key| {
                let pointer: String = key.segments().map(|s| format!("/{s}")).collect();
                let mut value = json
                    .pointer(&pointer)
                    .cloned()
                    .unwrap_or(serde_json::Value::Null);
                if *key == SettingKey::OutputFolder && value.is_null() {
                    value = serde_json::Value::String(self.output_folder().display().to_string());
                }
                SettingEntry {
                    key: *key,
                    value,
                    kind: key.value_kind(),
                    origin: self.origin(*key).clone(),
                    locked: self.is_locked(*key),
                }
            })
            .collect()
    }

    /// Changes `key` in the user's file (atomically) and reloads. `null` removes the user's
    /// value, like [`Settings::reset`]; an empty string unsets an optional value.
    pub fn set(&mut self, key: SettingKey, value: serde_json::Value) -> Result<(), SettingsError> {
        if value.is_null() {
            return self.reset(key);
        }
        self.ensure_unlocked(key)?;
        let value = json_to_toml(key, &value)?;
        let mut probe = toml::Table::new();
        layer::insert(&mut probe, key, value.clone());
        toml::Value::Table(probe)
            .try_into::<SettingsValues>()
            .map_err(|error| SettingsError::InvalidValue {
                key,
                reason: error.message().trim().to_string(),
            })?;

        let mut table = self.read_user_table()?;
        layer::insert(&mut table, key, value);
        self.write_user_table(&table)?;
        self.reload()
    }

    /// [`Settings::set`] from text, as typed on a command line: numbers and `true`/`false`
    /// for such keys, a JSON array (or a single line) for lists.
    pub fn set_text(&mut self, key: SettingKey, text: &str) -> Result<(), SettingsError> {
        let invalid = |reason: &str| SettingsError::InvalidValue {
            key,
            reason: reason.to_string(),
        };
        let value = match key.value_kind() {
            ValueKind::Text => serde_json::Value::String(text.to_string()),
            ValueKind::Integer => serde_json::Value::from(
                text.trim()
                    .parse::<i64>()
                    .map_err(|_| invalid("a whole number is expected"))?,
            ),
            ValueKind::Boolean => match text.trim() {
                "true" => serde_json::Value::Bool(true),
                "false" => serde_json::Value::Bool(false),
                _ => return Err(invalid("true or false is expected")),
            },
            ValueKind::TextList if text.trim_start().starts_with('[') => serde_json::from_str(text)
                .map_err(|_| {
                    invalid("a JSON list of strings is expected, e.g. [\"line 1\", \"line 2\"]")
                })?,
            ValueKind::TextList => {
                serde_json::Value::Array(vec![serde_json::Value::String(text.to_string())])
            }
        };
        self.set(key, value)
    }

    /// Removes the user's value for `key`, so IT's value or the default applies again.
    pub fn reset(&mut self, key: SettingKey) -> Result<(), SettingsError> {
        self.ensure_unlocked(key)?;
        let mut table = self.read_user_table()?;
        if layer::remove(&mut table, key) {
            self.write_user_table(&table)?;
        }
        self.reload()
    }

    fn ensure_unlocked(&self, key: SettingKey) -> Result<(), SettingsError> {
        if self.is_locked(key) {
            return Err(SettingsError::Locked {
                key,
                system_file: self.sources.system_file.clone(),
            });
        }
        Ok(())
    }

    /// The user's file as it is on disk now, unknown keys included (a newer desk may have
    /// written them), so a change keeps everything else.
    fn read_user_table(&self) -> Result<toml::Table, SettingsError> {
        let path = &self.sources.user_file;
        match std::fs::read_to_string(path) {
            Ok(text) => layer::parse_layer(path, &text, LayerKind::User)
                .and_then(|_| toml::from_str(&text).map_err(|e| malformed(path, &e))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(toml::Table::new()),
            Err(source) => Err(SettingsError::Unreadable {
                path: path.clone(),
                source,
            }),
        }
    }

    fn write_user_table(&self, table: &toml::Table) -> Result<(), SettingsError> {
        let path = &self.sources.user_file;
        let body = toml::to_string_pretty(table).map_err(|error| SettingsError::Write {
            path: path.clone(),
            source: std::io::Error::other(error.to_string()),
        })?;
        let text = format!(
            "# OneShot Desk user settings, written by the desk (comments here are not kept).\n\
             # IT's settings: {}\n\n{body}",
            self.sources.system_file.display()
        );
        fsutil::replace_file_atomically(path, text.as_bytes()).map_err(|source| {
            SettingsError::Write {
                path: path.clone(),
                source,
            }
        })
    }
}

/// A checked settings file as a figment layer, named by its file so origins can be told.
struct FileLayer {
    name: &'static str,
    path: PathBuf,
    values: toml::Table,
}

impl FileLayer {
    fn new(name: &'static str, layer: &Layer) -> Self {
        FileLayer {
            name,
            path: layer.path.clone(),
            values: layer.values.clone(),
        }
    }
}

impl Provider for FileLayer {
    fn metadata(&self) -> Metadata {
        Metadata::from(self.name, self.path.as_path())
    }

    fn data(&self) -> Result<Map<figment::Profile, Dict>, figment::Error> {
        let dict = Value::serialize(&self.values)?
            .into_dict()
            .ok_or_else(|| figment::Error::from("a settings layer is not a table".to_string()))?;
        Ok(figment::Profile::Default.collect(dict))
    }
}

fn malformed(path: &Path, error: &toml::de::Error) -> SettingsError {
    SettingsError::Malformed {
        at: FileLocation {
            path: path.to_path_buf(),
            line: None,
            column: None,
        },
        reason: error.message().trim().to_string(),
    }
}

/// Each file was checked alone, so merging can only fail on combinations; report the file
/// figment blames.
fn merge_error(sources: &SettingsSources, error: figment::Error) -> SettingsError {
    let path = error
        .metadata
        .as_ref()
        .and_then(|m| m.source.as_ref())
        .and_then(figment::Source::file_path)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| sources.user_file.clone());
    let key = error.path.join(".");
    SettingsError::Malformed {
        at: FileLocation {
            path,
            line: None,
            column: None,
        },
        reason: format!("{key}: {}", error.kind),
    }
}

fn json_to_toml(key: SettingKey, value: &serde_json::Value) -> Result<toml::Value, SettingsError> {
    let invalid = |reason: &str| SettingsError::InvalidValue {
        key,
        reason: reason.to_string(),
    };
    Ok(match value {
        serde_json::Value::String(text) => toml::Value::String(text.clone()),
        serde_json::Value::Bool(flag) => toml::Value::Boolean(*flag),
        serde_json::Value::Number(number) => match number.as_i64() {
            Some(integer) => toml::Value::Integer(integer),
            None => toml::Value::Float(
                number
                    .as_f64()
                    .ok_or_else(|| invalid("the number is out of range"))?,
            ),
        },
        serde_json::Value::Array(items) => toml::Value::Array(
            items
                .iter()
                .map(|item| json_to_toml(key, item))
                .collect::<Result<_, _>>()?,
        ),
        serde_json::Value::Null => return Err(invalid("a list cannot hold null")),
        serde_json::Value::Object(_) => {
            return Err(invalid("a single value is expected, not an object"));
        }
    })
}
