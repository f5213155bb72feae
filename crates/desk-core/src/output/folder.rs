//! The per-request output folder, named by the `output.folder_pattern` setting.

use super::OutputError;
use super::names::sanitize_file_name;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The default `output.folder_pattern`.
pub const DEFAULT_FOLDER_PATTERN: &str = "{date} {surname} {request_pk}";

/// The placeholders a folder pattern may use.
pub const FOLDER_PLACEHOLDERS: &[&str] = &["date", "surname", "given_name", "request_pk"];

/// A validated folder name pattern such as `{date} {surname} {request_pk}`: literal text and
/// `{placeholder}`s (see [`FOLDER_PLACEHOLDERS`]); it names one folder, so it holds no path
/// separator.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct FolderPattern {
    text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Date,
    Surname,
    GivenName,
    RequestPk,
}

/// What a folder is named after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderFields<'a> {
    /// The day the request was made; written `YYYY-MM-DD` so folders sort by date.
    pub date: jiff::civil::Date,
    /// The customer's surname(s) as typed (sanitised here).
    pub surname: &'a str,
    /// The customer's given name as typed (sanitised here).
    pub given_name: &'a str,
    /// The Optimizer's request pk.
    pub request_pk: i64,
}

impl FolderPattern {
    /// The pattern's text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The folder name for `fields`: each field is sanitised, then the whole name is, so it is
    /// always one safe path component.
    pub fn render(&self, fields: &FolderFields<'_>) -> String {
        let mut name = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => name.push_str(text),
                Part::Date => name.push_str(&fields.date.strftime("%Y-%m-%d").to_string()),
                Part::Surname => name.push_str(&sanitize_file_name(fields.surname, "")),
                Part::GivenName => name.push_str(&sanitize_file_name(fields.given_name, "")),
                Part::RequestPk => name.push_str(&fields.request_pk.to_string()),
            }
        }
        sanitize_file_name(&name, &format!("request {}", fields.request_pk))
    }

    /// `base/<rendered name>`, created if missing. The same fields give the same folder, so a
    /// resumed request keeps writing into its folder.
    pub fn create_request_folder(
        &self,
        base: &Path,
        fields: &FolderFields<'_>,
    ) -> Result<PathBuf, OutputError> {
        let folder = base.join(self.render(fields));
        std::fs::create_dir_all(&folder)
            .map_err(|source| OutputError::from_write(folder.clone(), source))?;
        Ok(folder)
    }
}

impl Default for FolderPattern {
    fn default() -> Self {
        DEFAULT_FOLDER_PATTERN
            .parse()
            .expect("the default folder pattern is valid")
    }
}

impl FromStr for FolderPattern {
    type Err = OutputError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = |reason: String| OutputError::InvalidPattern {
            pattern: text.to_string(),
            reason,
        };
        if text.contains(['/', '\\']) {
            return Err(invalid(
                "it names a single folder, so it cannot contain / or \\".into(),
            ));
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                Some(at) if rest.as_bytes()[at] == b'}' => {
                    return Err(invalid("it has a } without a matching {".into()));
                }
                Some(at) => {
                    if at > 0 {
                        parts.push(Part::Literal(rest[..at].to_string()));
                    }
                    let after = &rest[at + 1..];
                    let end = after
                        .find('}')
                        .ok_or_else(|| invalid("it has a { that is never closed".into()))?;
                    let name = &after[..end];
                    parts.push(match name {
                        "date" => Part::Date,
                        "surname" => Part::Surname,
                        "given_name" => Part::GivenName,
                        "request_pk" => Part::RequestPk,
                        other => {
                            return Err(invalid(format!(
                                "{{{other}}} is not a placeholder; use {}",
                                FOLDER_PLACEHOLDERS
                                    .iter()
                                    .map(|p| format!("{{{p}}}"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )));
                        }
                    });
                    rest = &after[end + 1..];
                }
                None => {
                    parts.push(Part::Literal(rest.to_string()));
                    rest = "";
                }
            }
        }
        if !parts.iter().any(|p| !matches!(p, Part::Literal(_))) {
            return Err(invalid(
                "it has no placeholder, so every request would share one folder".into(),
            ));
        }
        Ok(FolderPattern {
            text: text.to_string(),
            parts,
        })
    }
}

impl TryFrom<String> for FolderPattern {
    type Error = OutputError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<FolderPattern> for String {
    fn from(pattern: FolderPattern) -> Self {
        pattern.text
    }
}

impl fmt::Debug for FolderPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FolderPattern({:?})", self.text)
    }
}

impl fmt::Display for FolderPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn fields<'a>(surname: &'a str) -> FolderFields<'a> {
        FolderFields {
            date: date(2025, 3, 7),
            surname,
            given_name: "Ana",
            request_pk: 388141,
        }
    }

    #[test]
    fn the_default_pattern_renders_date_surname_and_pk() {
        let pattern = FolderPattern::default();
        assert_eq!(
            pattern.render(&fields("García López")),
            "2025-03-07 García López 388141"
        );
    }

    #[test]
    fn hostile_surnames_stay_inside_one_folder() {
        let pattern = FolderPattern::default();
        assert_eq!(
            pattern.render(&fields("../../etc")),
            "2025-03-07 _.._etc 388141"
        );
        assert_eq!(
            pattern.render(&fields("\u{202E}fdp")),
            "2025-03-07 fdp 388141"
        );
        let only_surname: FolderPattern = "{surname}".parse().unwrap();
        assert_eq!(only_surname.render(&fields("..")), "request 388141");
        assert_eq!(only_surname.render(&fields("CON")), "_CON");
    }

    #[test]
    fn other_placeholders_and_literals() {
        let pattern: FolderPattern = "Req-{request_pk}_{given_name} {surname}".parse().unwrap();
        assert_eq!(pattern.render(&fields("Ruiz")), "Req-388141_Ana Ruiz");
    }

    #[test]
    fn bad_patterns_are_refused_with_a_reason() {
        for (pattern, reason) in [
            ("{date}/{surname}", "cannot contain /"),
            ("{date} {name}", "{name} is not a placeholder"),
            ("{date", "never closed"),
            ("date}", "without a matching {"),
            ("fixed", "no placeholder"),
        ] {
            let error = pattern.parse::<FolderPattern>().unwrap_err();
            assert!(error.to_string().contains(reason), "{pattern}: {error}");
        }
    }

    #[test]
    fn creates_the_folder_once_and_reuses_it() {
        let base = tempfile::tempdir().unwrap();
        let pattern = FolderPattern::default();
        let first = pattern
            .create_request_folder(base.path(), &fields("Ruiz"))
            .unwrap();
        let again = pattern
            .create_request_folder(base.path(), &fields("Ruiz"))
            .unwrap();
        assert_eq!(first, again);
        assert_eq!(first, base.path().join("2025-03-07 Ruiz 388141"));
        assert!(first.is_dir());
    }

    #[test]
    fn serialises_as_its_text() {
        let pattern = FolderPattern::default();
        let json = serde_json::to_string(&pattern).unwrap();
        assert_eq!(json, "\"{date} {surname} {request_pk}\"");
        assert_eq!(
            serde_json::from_str::<FolderPattern>(&json).unwrap(),
            pattern
        );
        assert!(serde_json::from_str::<FolderPattern>("\"{nope}\"").is_err());
    }
}
