//! Recognising secrets by the name they travel under, and scrubbing them out of free text.
//!
//! The desk keeps secrets in [`secrecy::SecretString`], whose `Debug` prints nothing useful.
//! This module is the second line: the log formatter and the settings loader use
//! [`is_secret_name`], and raw text that may hold credentials (server bodies, URLs, log
//! messages) goes through [`redact_text`] before it is written anywhere.

use regex::{Captures, Regex};
use std::borrow::Cow;
use std::sync::LazyLock;

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Words that mark a name as holding a secret, matched against whole words of the name.
const SECRET_WORDS: &[&str] = &[
    "token",
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "pin",
    "pincode",
    "secret",
    "otp",
    "apikey",
    "credential",
    "credentials",
    "authorization",
    "cookie",
];

/// Pairs of consecutive words that mark a secret (`api_key`, `privateKey`, ...).
const SECRET_WORD_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("private", "key"),
    ("access", "key"),
    ("auth", "code"),
];

/// Whether a field, key or parameter called `name` holds a secret: `token`, `rao_password`,
/// `billingPassword`, `pin`, `client-secret`, `otp`, `api_key`, `token_uid`, ...
///
/// The name is split into words at punctuation and camel-case humps, so `pin` matches
/// `rao_pin` and `RaoPin` but not `pinned` or `spinner`.
pub fn is_secret_name(name: &str) -> bool {
    let words = words_of(name);
    words
        .iter()
        .any(|word| SECRET_WORDS.contains(&word.as_str()))
        || words.windows(2).any(|pair| {
            SECRET_WORD_PAIRS
                .iter()
                .any(|(first, second)| pair[0] == *first && pair[1] == *second)
        })
}

fn words_of(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let hump = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if hump && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

static JSON_STRING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""(?P<key>[^"\\]{1,64})"\s*:\s*"(?P<value>(?:[^"\\]|\\.)*)""#)
        .expect("valid JSON string pattern")
});
static JSON_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""(?P<key>[^"\\]{1,64})"\s*:\s*(?P<value>-?[0-9][0-9.eE+\-]*)"#)
        .expect("valid JSON number pattern")
});
static ASSIGNMENT_QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?P<key>[A-Za-z0-9_.\-]{1,64})\s*=\s*(?:"(?P<value>[^"]*)"|'(?P<value2>[^']*)')"#)
        .expect("valid quoted assignment pattern")
});
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?P<key>[A-Za-z0-9_.\-]{1,64})=(?P<value>[^\s&;,"'<>\[\]{}]+)"#)
        .expect("valid assignment pattern")
});
static COLON_QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    // Rust `Debug` of structs: `Login { password: "x" }`.
    Regex::new(r#"(?P<key>[A-Za-z0-9_\-]{1,64}):\s*"(?P<value>(?:[^"\\]|\\.)*)""#)
        .expect("valid quoted colon pair pattern")
});
static COLON_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?P<key>[A-Za-z0-9_\-]{1,64}):[ \t]+(?P<value>[^\s,;"']+)"#)
        .expect("valid colon pair pattern")
});
static TOKEN_PATH: LazyLock<Regex> = LazyLock::new(|| {
    // The Optimizer names tokens in URL paths: GET/DELETE /token/{token_uid}.
    Regex::new(r#"(?i)(?P<prefix>/tokens?/)(?P<value>[^/?#\s"']+)"#)
        .expect("valid token path pattern")
});

/// Replaces the values of secret-named keys in free text with [`REDACTED`]: JSON members
/// (`"password": "x"`, `"pin": 1234`), assignments (`token=x`, `pin="x"`), `key: value` pairs
/// (including Rust `Debug` output such as `Login { password: "x" }`)
/// and token uids in Optimizer URL paths (`/token/<uid>`). Returns the text unchanged
/// (borrowed) when nothing needed redacting.
pub fn redact_text(text: &str) -> Cow<'_, str> {
    let mut result = Cow::Borrowed(text);
    for pattern in [
        &*JSON_STRING,
        &*JSON_NUMBER,
        &*ASSIGNMENT_QUOTED,
        &*ASSIGNMENT,
        &*COLON_QUOTED,
        &*COLON_PAIR,
    ] {
        result = replace_secret_values(result, pattern);
    }
    if TOKEN_PATH.is_match(&result) {
        let replaced = TOKEN_PATH
            .replace_all(&result, |caps: &Captures<'_>| {
                if caps["value"] == *REDACTED {
                    caps[0].to_string()
                } else {
                    format!("{}{REDACTED}", &caps["prefix"])
                }
            })
            .into_owned();
        result = Cow::Owned(replaced);
    }
    result
}

fn replace_secret_values<'a>(text: Cow<'a, str>, pattern: &Regex) -> Cow<'a, str> {
    let needs_work = pattern
        .captures_iter(&text)
        .any(|caps| is_secret_name(&caps["key"]) && value_of(&caps).is_some_and(|v| v != REDACTED));
    if !needs_work {
        return text;
    }
    let replaced = pattern
        .replace_all(&text, |caps: &Captures<'_>| {
            let whole = caps.get(0).expect("group 0 always matches");
            match value_match(caps) {
                Some(value) if is_secret_name(&caps["key"]) => {
                    let start = value.start() - whole.start();
                    let end = value.end() - whole.start();
                    format!(
                        "{}{REDACTED}{}",
                        &whole.as_str()[..start],
                        &whole.as_str()[end..]
                    )
                }
                _ => whole.as_str().to_string(),
            }
        })
        .into_owned();
    Cow::Owned(replaced)
}

fn value_match<'t>(caps: &Captures<'t>) -> Option<regex::Match<'t>> {
    caps.name("value").or_else(|| caps.name("value2"))
}

fn value_of<'t>(caps: &Captures<'t>) -> Option<&'t str> {
    value_match(caps).map(|m| m.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_recognised_by_whole_words() {
        for name in [
            "token",
            "token_uid",
            "rao_password",
            "billingPassword",
            "RaoPin",
            "PIN",
            "pin",
            "client-secret",
            "otp",
            "api_key",
            "apiKey",
            "X-Api-Key",
            "billing.password",
            "ext_unlock_pwd",
        ] {
            assert!(is_secret_name(name), "{name} should be secret");
        }
        for name in [
            "pinned",
            "spinner",
            "username",
            "label",
            "request_pk",
            "page",
            "tokenizer",
        ] {
            assert!(!is_secret_name(name), "{name} should not be secret");
        }
    }

    #[test]
    fn json_members_are_redacted() {
        let body = r#"{"username":"9001800","password":"Gy6F89xK","pin": 1234,"details":{"token_uid":"3bf8d8eb-d96c"}}"#;
        let redacted = redact_text(body);
        assert_eq!(
            redacted,
            r#"{"username":"9001800","password":"[redacted]","pin": [redacted],"details":{"token_uid":"[redacted]"}}"#
        );
    }

    #[test]
    fn escaped_quotes_inside_json_secrets_do_not_leak_a_tail() {
        let redacted = redact_text(r#"{"secret":"ab\"cd","x":1}"#);
        assert_eq!(redacted, r#"{"secret":"[redacted]","x":1}"#);
    }

    #[test]
    fn assignments_and_pairs_are_redacted() {
        assert_eq!(
            redact_text("username=bob&password=hunter2&env=sandbox"),
            "username=bob&password=[redacted]&env=sandbox"
        );
        assert_eq!(
            redact_text(r#"pin="12 34" page=0"#),
            r#"pin="[redacted]" page=0"#
        );
        assert_eq!(
            redact_text("otp: 052174, status ok"),
            "otp: [redacted], status ok"
        );
    }

    #[test]
    fn token_uids_in_paths_are_redacted() {
        assert_eq!(
            redact_text("GET https://o.example/oneshot/api/v1/token/3bf8d8eb-d96c-41ea?x=1"),
            "GET https://o.example/oneshot/api/v1/token/[redacted]?x=1"
        );
    }

    #[test]
    fn harmless_text_is_borrowed_unchanged() {
        let text = "Request 388141 created, status ENROLLREADY, page=2";
        assert!(matches!(redact_text(text), Cow::Borrowed(_)));
        assert!(matches!(redact_text(REDACTED), Cow::Borrowed(_)));
    }

    #[test]
    fn debug_output_of_structs_is_redacted() {
        assert_eq!(
            redact_text(r#"Login { username: "u", password: "hun\"ter2", pin: 1234 }"#),
            r#"Login { username: "u", password: "[redacted]", pin: [redacted] }"#
        );
    }
}
