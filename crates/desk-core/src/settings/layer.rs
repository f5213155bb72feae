//! Reading one settings file: syntax, secret-looking keys, unknown keys, the `locked` list and
//! every value's type and range, each problem reported with the file and line.

use super::error::{FileLocation, SettingsError};
use super::{SettingKey, SettingsValues};
use crate::redact::is_secret_name;
use serde::Serialize;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Which file a layer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LayerKind {
    /// Written by IT; may lock keys.
    System,
    /// Written by the desk for the user.
    User,
}

/// A problem in a settings file that does not stop the desk (an unknown key, for instance:
/// a newer desk may know it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingsWarning {
    /// Where.
    pub at: FileLocation,
    /// What, in English.
    pub message: String,
}

/// One checked settings file.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    pub(crate) path: PathBuf,
    /// Only the known settings it sets, as written.
    pub(crate) values: toml::Table,
    /// Lock patterns (system file only).
    pub(crate) locked: Vec<String>,
    pub(crate) warnings: Vec<SettingsWarning>,
}

#[cfg(test)]
impl Layer {
    /// Whether this file sets `key`.
    pub(crate) fn sets(&self, key: SettingKey) -> bool {
        lookup(&self.values, key).is_some()
    }
}

/// Reads the file at `path`; a missing file is no layer.
pub(crate) fn read_layer(path: &Path, kind: LayerKind) -> Result<Option<Layer>, SettingsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_layer(path, &text, kind).map(Some),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SettingsError::Unreadable {
            path: path.to_path_buf(),
            source,
        }),
    }
}

pub(crate) fn parse_layer(
    path: &Path,
    text: &str,
    kind: LayerKind,
) -> Result<Layer, SettingsError> {
    let locate = |span: Option<std::ops::Range<usize>>| location(path, text, span);
    let document = DeTable::parse(text).map_err(|error| SettingsError::Malformed {
        at: locate(error.span()),
        reason: error.message().to_string(),
    })?;

    let mut layer = Layer {
        path: path.to_path_buf(),
        values: toml::Table::new(),
        locked: Vec::new(),
        warnings: Vec::new(),
    };
    let mut walker = Walker {
        layer: &mut layer,
        kind,
        locate: &locate,
    };
    walker.walk(document.get_ref(), "")?;
    layer.warnings.sort_by_key(|w| (w.at.line, w.at.column));

    // Types and ranges, with the line of the offending value.
    toml::from_str::<SettingsValues>(text).map_err(|error| SettingsError::Malformed {
        at: locate(error.span()),
        reason: error.message().trim().to_string(),
    })?;

    let full: toml::Table = toml::from_str(text).map_err(|error| SettingsError::Malformed {
        at: locate(error.span()),
        reason: error.message().trim().to_string(),
    })?;
    for key in SettingKey::ALL {
        if let Some(value) = lookup(&full, *key) {
            insert(&mut layer.values, *key, value.clone());
        }
    }
    Ok(layer)
}

struct Walker<'a, F> {
    layer: &'a mut Layer,
    kind: LayerKind,
    locate: &'a F,
}

impl<F: Fn(Option<std::ops::Range<usize>>) -> FileLocation> Walker<'_, F> {
    fn walk(&mut self, table: &DeTable<'_>, prefix: &str) -> Result<(), SettingsError> {
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            let dotted = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            };
            let at = (self.locate)(Some(key.span()));
            if dotted == "locked" {
                self.read_locked(value, at)?;
            } else if dotted.parse::<SettingKey>().is_ok() {
                // A known setting; its value is checked by type below.
            } else if is_secret_name(name) {
                return Err(SettingsError::SecretInFile { at, key: dotted });
            } else if let (true, DeValue::Table(inner)) = (is_section(&dotted), value.get_ref()) {
                self.walk(inner, &dotted)?;
            } else {
                self.refuse_nested_secrets(value.get_ref(), &dotted)?;
                self.layer.warnings.push(SettingsWarning {
                    at,
                    message: format!("\"{dotted}\" is not a setting this version of the desk knows; it is ignored"),
                });
            }
        }
        Ok(())
    }

    /// Unknown tables are ignored, but a secret inside them is still an error: IT must learn
    /// that the file holds one.
    fn refuse_nested_secrets(
        &self,
        value: &DeValue<'_>,
        prefix: &str,
    ) -> Result<(), SettingsError> {
        match value {
            DeValue::Table(table) => {
                for (key, value) in table {
                    let dotted = format!("{prefix}.{}", key.get_ref());
                    if is_secret_name(key.get_ref()) {
                        return Err(SettingsError::SecretInFile {
                            at: (self.locate)(Some(key.span())),
                            key: dotted,
                        });
                    }
                    self.refuse_nested_secrets(value.get_ref(), &dotted)?;
                }
                Ok(())
            }
            DeValue::Array(items) => items
                .iter()
                .try_for_each(|item| self.refuse_nested_secrets(item.get_ref(), prefix)),
            _ => Ok(()),
        }
    }

    fn read_locked(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        at: FileLocation,
    ) -> Result<(), SettingsError> {
        if self.kind == LayerKind::User {
            self.layer.warnings.push(SettingsWarning {
                at,
                message:
                    "only the system settings file can lock settings; \"locked\" is ignored here"
                        .into(),
            });
            return Ok(());
        }
        let malformed = |at: FileLocation| SettingsError::Malformed {
            at,
            reason: "\"locked\" must be a list of setting names, e.g. locked = [\"optimizer.url\"]"
                .into(),
        };
        let DeValue::Array(items) = value.get_ref() else {
            return Err(malformed((self.locate)(Some(value.span()))));
        };
        for item in items {
            let Some(pattern) = item.get_ref().as_str() else {
                return Err(malformed((self.locate)(Some(item.span()))));
            };
            if SettingKey::is_valid_lock_pattern(pattern) {
                self.layer.locked.push(pattern.to_string());
            } else {
                self.layer.warnings.push(SettingsWarning {
                    at: (self.locate)(Some(item.span())),
                    message: format!(
                        "\"{pattern}\" in \"locked\" names no setting, so it locks nothing"
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Whether `dotted` is a table holding settings (`optimizer`, `signing.appearance`).
fn is_section(dotted: &str) -> bool {
    SettingKey::ALL.iter().any(|key| {
        key.as_str().starts_with(dotted) && key.as_str().as_bytes().get(dotted.len()) == Some(&b'.')
    })
}

/// The value of `key` in a table of nested tables.
pub(crate) fn lookup(table: &toml::Table, key: SettingKey) -> Option<&toml::Value> {
    let mut segments = key.segments().peekable();
    let mut current = table;
    while let Some(segment) = segments.next() {
        let value = current.get(segment)?;
        if segments.peek().is_none() {
            return Some(value);
        }
        current = value.as_table()?;
    }
    None
}

/// Sets `key` in a table of nested tables, creating (or replacing non-table values with) the
/// tables on the way.
pub(crate) fn insert(table: &mut toml::Table, key: SettingKey, value: toml::Value) {
    let segments: Vec<&str> = key.segments().collect();
    let (last, parents) = segments
        .split_last()
        .expect("keys have at least one segment");
    let mut current = table;
    for segment in parents {
        let entry = current
            .entry(segment.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        current = entry.as_table_mut().expect("made a table just above");
    }
    current.insert(last.to_string(), value);
}

/// Removes `key` and any tables it leaves empty. Returns whether it was there.
pub(crate) fn remove(table: &mut toml::Table, key: SettingKey) -> bool {
    fn remove_in(table: &mut toml::Table, segments: &[&str]) -> bool {
        match segments {
            [] => false,
            [last] => table.remove(*last).is_some(),
            [first, rest @ ..] => {
                let Some(toml::Value::Table(inner)) = table.get_mut(*first) else {
                    return false;
                };
                let removed = remove_in(inner, rest);
                if inner.is_empty() {
                    table.remove(*first);
                }
                removed
            }
        }
    }
    let segments: Vec<&str> = key.segments().collect();
    remove_in(table, &segments)
}

fn location(path: &Path, text: &str, span: Option<std::ops::Range<usize>>) -> FileLocation {
    let (line, column) = match span {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .chars()
                .count()
                + 1;
            (Some(line), Some(column))
        }
        None => (None, None),
    };
    FileLocation {
        path: path.to_path_buf(),
        line,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, kind: LayerKind) -> Result<Layer, SettingsError> {
        parse_layer(Path::new("/etc/oneshot-desk/config.toml"), text, kind)
    }

    fn error_of(text: &str) -> (String, FileLocation) {
        match parse(text, LayerKind::System).unwrap_err() {
            SettingsError::Malformed { at, reason } => (reason, at),
            SettingsError::SecretInFile { at, key } => (key, at),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn known_keys_are_kept_in_both_spellings() {
        let layer = parse(
            "optimizer.url = \"https://o.example\"\n[signing.appearance]\npage = 2\n[request]\nregistration_authority = 1234\n",
            LayerKind::System,
        )
        .unwrap();
        assert!(layer.sets(SettingKey::OptimizerUrl));
        assert!(layer.sets(SettingKey::SigningAppearancePage));
        assert!(layer.sets(SettingKey::RequestRegistrationAuthority));
        assert!(!layer.sets(SettingKey::UiTheme));
        assert!(layer.warnings.is_empty());
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let (reason, at) = error_of("[optimizer]\nurl = \"https://o.example\"\nlayout = current\n");
        assert_eq!(at.line, Some(3), "{reason}");
        assert_eq!(
            at.to_string().split(", line").next().unwrap(),
            "/etc/oneshot-desk/config.toml"
        );
    }

    #[test]
    fn wrong_types_and_ranges_name_the_line() {
        let (reason, at) =
            error_of("[optimizer]\nlayout = \"auto\"\nconnect_timeout_secs = \"ten\"\n");
        assert_eq!(at.line, Some(3));
        assert_eq!(
            reason,
            "invalid type: string \"ten\", expected a whole number"
        );

        let (reason, at) = error_of("[optimizer]\n\nread_timeout_secs = 0\n");
        assert_eq!(at.line, Some(3));
        assert_eq!(reason, "0 is not between 1 and 3600 seconds");

        let (reason, at) = error_of("[ui]\ntheme = \"blue\"\n");
        assert_eq!(at.line, Some(2));
        assert!(
            reason.contains("\"blue\" is not one of \"system\", \"light\", \"dark\""),
            "{reason}"
        );

        let (reason, at) = error_of("optimizer.url = \"ftp://o.example\"\n");
        assert_eq!(at.line, Some(1));
        assert!(reason.contains("https://"), "{reason}");

        let (reason, _) = error_of("output.folder_pattern = \"{date}/{surname}\"\n");
        assert!(reason.contains("single folder"), "{reason}");
    }

    #[test]
    fn secret_looking_keys_are_refused_with_their_line() {
        for (text, key, line) in [
            (
                "[billing]\nusername = \"acme\"\npassword = \"s3cret\"\n",
                "billing.password",
                3,
            ),
            ("billing_password = \"x\"\n", "billing_password", 1),
            ("[rao]\nid = \"1\"\ntoken = \"abc\"\n", "rao.token", 3),
            ("[rao]\npin = 1234\n", "rao.pin", 2),
            (
                "[extra]\n[extra.deeper]\napi_key = \"k\"\n",
                "extra.deeper.api_key",
                3,
            ),
            ("[[servers]]\nsecret = \"k\"\n", "servers.secret", 2),
        ] {
            let error = parse(text, LayerKind::User).unwrap_err();
            let SettingsError::SecretInFile { at, key: found } = &error else {
                panic!("{error:?}")
            };
            assert_eq!(found, key);
            assert_eq!(at.line, Some(line), "{text}");
            assert!(error.to_string().contains("keyring"));
        }
        // Known settings whose names merely mention a secret are fine.
        let layer = parse(
            "rao.default_token_label = \"Madrid\"\nsigning.otp_delivery = \"sms\"\n",
            LayerKind::User,
        )
        .unwrap();
        assert!(layer.sets(SettingKey::RaoDefaultTokenLabel));
    }

    #[test]
    fn unknown_keys_are_warnings_and_dropped() {
        let layer = parse(
            "optimizer.ulr = \"https://o\"\n[future]\nflag = true\n",
            LayerKind::System,
        )
        .unwrap();
        let messages: Vec<_> = layer
            .warnings
            .iter()
            .map(|w| (w.at.line, w.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].0, Some(1));
        assert!(messages[0].1.contains("\"optimizer.ulr\" is not a setting"));
        assert!(layer.values.is_empty());
    }

    #[test]
    fn the_locked_list_is_read_from_the_system_file_only() {
        let text = "locked = [\"optimizer.url\", \"signing.appearance\", \"nonsense\"]\n";
        let layer = parse(text, LayerKind::System).unwrap();
        assert_eq!(layer.locked, ["optimizer.url", "signing.appearance"]);
        assert_eq!(layer.warnings.len(), 1);
        assert!(layer.warnings[0].message.contains("\"nonsense\""));

        let user = parse(text, LayerKind::User).unwrap();
        assert!(user.locked.is_empty());
        assert!(
            user.warnings[0]
                .message
                .contains("only the system settings file")
        );

        let (reason, at) = error_of("\n\nlocked = \"optimizer.url\"\n");
        assert_eq!(at.line, Some(3));
        assert!(reason.contains("must be a list"));
    }

    #[test]
    fn insert_lookup_and_remove_nested_keys() {
        let mut table = toml::Table::new();
        insert(
            &mut table,
            SettingKey::SigningAppearancePage,
            toml::Value::Integer(3),
        );
        insert(
            &mut table,
            SettingKey::SigningOtpDelivery,
            toml::Value::String("sms".into()),
        );
        assert_eq!(
            lookup(&table, SettingKey::SigningAppearancePage),
            Some(&toml::Value::Integer(3))
        );
        assert!(remove(&mut table, SettingKey::SigningAppearancePage));
        assert!(!remove(&mut table, SettingKey::SigningAppearancePage));
        assert_eq!(
            toml::to_string(&table).unwrap(),
            "[signing]\notp_delivery = \"sms\"\n"
        );
    }
}
