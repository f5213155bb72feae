//! Scrubbing text for the support bundle: beyond [`redact_text`] (secrets by the name they
//! travel under), the exact values the desk knows to be secret or personal are removed
//! wherever they appear, named or not.
//!
//! The bundle leaves the workstation, so a log line such as "cannot remove the working
//! folder /home/ana/signed/2026-11-23 Ana García" must not carry the customer along, and a
//! token pasted into a message by mistake must not leave either.

use crate::redact::{REDACTED, redact_text};
use regex::{Regex, RegexBuilder};
use secrecy::{ExposeSecret, SecretString};

/// What replaces a customer's name, a document's name or a path of customer files.
pub const PERSONAL: &str = "[customer data]";

/// Values shorter than this are not scrubbed one by one: "Li" or "pdf" would blank out
/// ordinary words; the name-based redaction still applies to them.
const MIN_VALUE_CHARS: usize = 3;

/// Removes known secret and personal values, then secrets by name ([`redact_text`]).
#[derive(Default)]
pub struct Scrubber {
    secrets: Option<Regex>,
    words: Option<Regex>,
    fragments: Option<Regex>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The patterns hold the very values this type exists to hide.
        f.debug_struct("Scrubber").finish_non_exhaustive()
    }
}

impl Scrubber {
    /// A scrubber for these values: `secrets` (token values, passwords) are replaced
    /// wherever they appear; `words` (customer names, document names) where they stand as
    /// whole words, in any letter case; `fragments` (folders of customer files) wherever
    /// they appear.
    pub fn new(secrets: &[SecretString], words: &[String], fragments: &[String]) -> Self {
        let secrets: Vec<String> = secrets
            .iter()
            .map(|s| s.expose_secret().trim().to_string())
            .collect();
        Scrubber {
            secrets: alternation(&secrets, false, false),
            words: alternation(words, true, true),
            fragments: alternation(fragments, false, false),
        }
    }

    /// `text` without the known values and without secrets named as such.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        if let Some(secrets) = &self.secrets {
            text = secrets.replace_all(&text, REDACTED).into_owned();
        }
        if let Some(fragments) = &self.fragments {
            text = fragments.replace_all(&text, PERSONAL).into_owned();
        }
        if let Some(words) = &self.words {
            text = words.replace_all(&text, PERSONAL).into_owned();
        }
        redact_text(&text).into_owned()
    }
}

/// One pattern matching any of `values` (longest first, so a full name wins over its parts).
fn alternation(values: &[String], whole_words: bool, ignore_case: bool) -> Option<Regex> {
    let mut values: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| v.chars().count() >= MIN_VALUE_CHARS)
        .collect();
    if values.is_empty() {
        return None;
    }
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    values.dedup();
    let body = values
        .iter()
        .map(|v| regex::escape(v))
        .collect::<Vec<_>>()
        .join("|");
    let pattern = if whole_words {
        format!(r"\b(?:{body})\b")
    } else {
        format!("(?:{body})")
    };
    match RegexBuilder::new(&pattern)
        .case_insensitive(ignore_case)
        .size_limit(64 * 1024 * 1024)
        .build()
    {
        Ok(regex) => Some(regex),
        Err(error) => {
            // Escaped literals always compile; only the size limit can refuse them. Then
            // everything is blanked rather than anything left unscrubbed.
            tracing::warn!(%error, "support bundle: too many values to scrub");
            Some(Regex::new(r"(?s).+").expect("valid catch-all pattern"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_are_removed_named_or_not() {
        let scrubber = Scrubber::new(
            &[SecretString::from("tok-1234-abcd".to_string())],
            &["Ana García López".into(), "García".into(), "Ana".into()],
            &["/home/u/signed/2026 Ana".into()],
        );
        let line = "sent tok-1234-abcd for ana garcía lópez (García) into /home/u/signed/2026 Ana/x.pdf; Analysis password=hunter2";
        assert_eq!(
            scrubber.scrub(line),
            "sent [redacted] for [customer data] ([customer data]) into [customer data]/x.pdf; Analysis password=[redacted]"
        );
    }

    #[test]
    fn nothing_known_still_redacts_by_name() {
        assert_eq!(
            Scrubber::default().scrub("token=abc ok"),
            "token=[redacted] ok"
        );
    }
}
