//! Proof that a secret reached no file and no event: the tests of the CLI and of the window run
//! complete flows with recognisable token, password, PIN and code values, then search what the
//! app wrote and showed with this crate.
//!
//! A secret is searched as written and in the encodings a careless log line or a serialised
//! structure could give it: base64 (standard and URL-safe alphabets, at each of the three
//! alignments it can have inside a longer encoded text), URL encoding (`%20` and `+` for
//! spaces) and hex (both cases). [`Scanner::control`] proves the search finds every form before
//! the real search is trusted.

mod forms;
mod walk;

pub use forms::forms;
pub use walk::files_under;

use std::path::{Path, PathBuf};

/// One place a secret was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// What the secret is ("RAO PIN", ...), never its value.
    pub secret: String,
    /// The form it was found in, e.g. "plain", "base64", "hex".
    pub form: &'static str,
    /// The file (or `file/entry` inside a zip, or a label for captured text).
    pub place: PathBuf,
    pub offset: usize,
}

impl std::fmt::Display for Hit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}) in {} at byte {}",
            self.secret,
            self.form,
            self.place.display(),
            self.offset
        )
    }
}

/// What a search looked at.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Searched {
    /// Files read, plus entries read inside zip files.
    pub items: usize,
    pub bytes: u64,
    pub files: Vec<PathBuf>,
}

/// The secrets of one test and every form each can take.
pub struct Scanner {
    secrets: Vec<Secret>,
}

struct Secret {
    name: String,
    forms: Vec<(&'static str, Vec<u8>)>,
    /// A code: found only where it is not part of a longer number.
    digits_only: bool,
}

impl Scanner {
    /// `secrets`: (what it is, its value).
    pub fn new<N: Into<String>, V: AsRef<str>>(secrets: impl IntoIterator<Item = (N, V)>) -> Self {
        let secrets = secrets
            .into_iter()
            .map(|(name, value)| {
                let value = value.as_ref();
                let digits_only = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
                Secret {
                    name: name.into(),
                    forms: forms(value),
                    digits_only,
                }
            })
            .collect();
        Self { secrets }
    }

    /// How many (secret, form) pairs are searched.
    pub fn form_count(&self) -> usize {
        self.secrets.iter().map(|secret| secret.forms.len()).sum()
    }

    /// Bytes holding every form of every secret: a file written with them must give
    /// [`Scanner::form_count`] hits, or the search itself is broken.
    pub fn control(&self) -> Vec<u8> {
        let mut bait = b"\x00control\xff".to_vec();
        for secret in &self.secrets {
            for (_, form) in &secret.forms {
                bait.extend(b" ");
                bait.extend(form);
                bait.extend(b" ");
            }
        }
        bait
    }

    /// Where each secret appears in `bytes` (read from `place`).
    pub fn scan(&self, place: &Path, bytes: &[u8]) -> Vec<Hit> {
        let mut hits = Vec::new();
        for secret in &self.secrets {
            for (form_name, form) in &secret.forms {
                let mut from = 0;
                while let Some(at) = find(&bytes[from..], form) {
                    let start = from + at;
                    let end = start + form.len();
                    // A code is six digits: inside a longer number (an offset, a size, a
                    // timestamp) it is not the code.
                    let inside_number = secret.digits_only
                        && (start > 0 && bytes[start - 1].is_ascii_digit()
                            || bytes.get(end).is_some_and(u8::is_ascii_digit));
                    if !inside_number {
                        hits.push(Hit {
                            secret: secret.name.clone(),
                            form: form_name,
                            place: place.to_path_buf(),
                            offset: start,
                        });
                    }
                    from = end;
                }
            }
        }
        hits
    }

    /// Searches every file below each root, and every entry of the zip files among them.
    pub fn scan_tree(&self, roots: &[&Path]) -> std::io::Result<(Vec<Hit>, Searched)> {
        let mut hits = Vec::new();
        let mut searched = Searched::default();
        for root in roots {
            for file in files_under(root) {
                // A file may vanish between listing and reading (a lock file, a temporary
                // file being renamed): nothing to search then.
                let Ok(bytes) = std::fs::read(&file) else {
                    continue;
                };
                searched.items += 1;
                searched.bytes += bytes.len() as u64;
                hits.extend(self.scan(&file, &bytes));
                if bytes.starts_with(b"PK\x03\x04") {
                    self.scan_zip(&file, &bytes, &mut hits, &mut searched)?;
                }
                searched.files.push(file);
            }
        }
        Ok((hits, searched))
    }

    fn scan_zip(
        &self,
        file: &Path,
        bytes: &[u8],
        hits: &mut Vec<Hit>,
        searched: &mut Searched,
    ) -> std::io::Result<()> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index)?;
            let name = entry.name().map_or_else(
                |_| format!("entry {index} (unreadable name)"),
                |name| name.into_owned(),
            );
            let mut inner = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut inner)?;
            searched.items += 1;
            searched.bytes += inner.len() as u64;
            hits.extend(self.scan(&file.join(name), &inner));
        }
        Ok(())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_holds_every_form_of_every_secret() {
        let scanner = Scanner::new([("password", "Pw+/ x&y=1"), ("code", "123456")]);
        let hits = scanner.scan(Path::new("control"), &scanner.control());
        assert_eq!(hits.len(), scanner.form_count(), "{hits:?}");
    }

    #[test]
    fn a_code_inside_a_longer_number_is_not_the_code() {
        let scanner = Scanner::new([("code", "123456")]);
        assert!(scanner.scan(Path::new("x"), b"offset 91234567").is_empty());
        assert_eq!(scanner.scan(Path::new("x"), b"code: 123456.").len(), 1);
    }

    #[test]
    fn a_secret_base64_encoded_inside_a_longer_text_is_found_at_any_alignment() {
        use base64::Engine as _;
        let scanner = Scanner::new([("token", "ca9a7e00-70ce-4e11")]);
        for prefix in ["", "a", "ab", "abc"] {
            let text = format!("{prefix}ca9a7e00-70ce-4e11 and more");
            let encoded = base64::engine::general_purpose::STANDARD.encode(text);
            let hits = scanner.scan(Path::new("x"), encoded.as_bytes());
            assert!(
                hits.iter().any(|hit| hit.form == "base64"),
                "{prefix:?}: {encoded}"
            );
        }
    }

    #[test]
    fn zip_entries_are_searched() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        zip.start_file("logs/desk.log", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"token=Secret-Value-42").unwrap();
        zip.finish().unwrap();
        let scanner = Scanner::new([("token", "Secret-Value-42")]);
        let (hits, searched) = scanner.scan_tree(&[dir.path()]).unwrap();
        assert_eq!(searched.items, 2);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(hits[0].place.ends_with("bundle.zip/logs/desk.log"));
    }
}
