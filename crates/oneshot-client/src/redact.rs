//! Scrubbing of the secrets a call sent from whatever text of the answer we keep.
//!
//! Servers echo input in error texts ("Token 3bf8… not found"), so every call collects the
//! secret values it sends (token, passwords, PIN, OTP, billing password in plain and base64) and
//! any server text or raw body stored in an [`crate::Error`] goes through [`Redactor::scrub`].

use secrecy::{ExposeSecret, SecretString};

/// Longest raw body kept in an error for the log.
const RAW_BODY_LIMIT: usize = 2048;
/// Secrets shorter than this are not searched for: replacing every "1" in a text would make the
/// log useless and such values are not worth protecting by substitution.
const MIN_SECRET_LEN: usize = 3;

/// Replacement of a secret in kept texts.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// The secret values of one call.
#[derive(Default, Clone)]
pub(crate) struct Redactor {
    secrets: Vec<SecretString>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

impl Redactor {
    pub(crate) fn new() -> Self {
        Redactor::default()
    }

    /// Remembers `secret` (and nothing when it is too short to search for).
    pub(crate) fn add(&mut self, secret: &SecretString) {
        if secret.expose_secret().len() >= MIN_SECRET_LEN {
            self.secrets.push(secret.clone());
        }
    }

    #[cfg(test)]
    pub(crate) fn add_str(&mut self, secret: &str) {
        self.add(&SecretString::from(secret));
    }

    /// `text` with every remembered secret replaced.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            let value = secret.expose_secret();
            if out.contains(value) {
                out = out.replace(value, REDACTED);
            }
        }
        out
    }

    /// A raw body fit for an error: lossy UTF-8, scrubbed, then truncated (scrubbing first so a
    /// secret straddling the cut cannot leave its first half behind).
    pub(crate) fn raw_body(&self, body: &[u8]) -> String {
        let text = self.scrub(&String::from_utf8_lossy(body));
        if text.len() <= RAW_BODY_LIMIT {
            return text;
        }
        let mut cut = RAW_BODY_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}… [{} bytes in total]", &text[..cut], body.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_every_occurrence_and_ignores_tiny_values() {
        let mut redactor = Redactor::new();
        redactor.add_str("hunter22");
        redactor.add_str("ab");
        let text = redactor.scrub("Token hunter22 not found (hunter22) ab");
        assert_eq!(text, "Token [REDACTED] not found ([REDACTED]) ab");
    }

    #[test]
    fn raw_body_is_truncated_and_marked() {
        let redactor = Redactor::new();
        let body = vec![b'x'; RAW_BODY_LIMIT + 10];
        let kept = redactor.raw_body(&body);
        assert!(kept.ends_with(&format!("[{} bytes in total]", RAW_BODY_LIMIT + 10)));
        assert!(kept.starts_with(&"x".repeat(RAW_BODY_LIMIT)));
    }
}
