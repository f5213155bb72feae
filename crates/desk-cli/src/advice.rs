//! What to do after an error: one sentence per code, printed under `error: CODE: message`.
//!
//! The window's English catalog already words an action for most codes, reviewed with the
//! screens; the CLI reads the same texts (built in) so an IT person at a terminal and a desk
//! employee in the window are told the same thing. A few codes only the CLI meets, or whose
//! window wording points at the screen ("the fields marked in red"), get their own sentence.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The window's English error catalogs (`errors.<area>.<reason>.action`).
const CATALOGS: &[&str] = &[
    include_str!("../../../ui/src/lib/i18n/locales/en/errors.json"),
    include_str!("../../../ui/src/lib/i18n/locales/en/errors.connection.json"),
    include_str!("../../../ui/src/lib/i18n/locales/en/errors.flow.json"),
    include_str!("../../../ui/src/lib/i18n/locales/en/errors.settings.json"),
    include_str!("../../../ui/src/lib/i18n/locales/en/errors.startup.json"),
    include_str!("../../../ui/src/lib/i18n/locales/en/errors.videoid.json"),
    include_str!("../../../ui/src/lib/i18n/locales/en/errors.viewer.json"),
];

/// Sentences for the command line, preferred over the window's.
const CLI_ACTIONS: &[(&str, &str)] = &[
    (
        "customer.invalid",
        "Correct the fields named in the detail in the customer file, then run the command again.",
    ),
    (
        "customer.malformed",
        "Give a JSON object with the API's field names (see the README's customer example).",
    ),
    (
        "pdf.encrypted",
        "A protected PDF cannot be signed: ask for an unprotected copy. To only read it, give its \
         password with `--password-stdin` (`inspect`, `render`).",
    ),
    (
        "cli.no_code",
        "Run the command shown above once the customer has the code.",
    ),
];

static ACTIONS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut actions = HashMap::new();
    for catalog in CATALOGS {
        // The catalogs are checked by the window's tests; an unreadable one only loses advice.
        let Ok(Value::Object(root)) = serde_json::from_str::<Value>(catalog) else {
            continue;
        };
        let Some(Value::Object(areas)) = root.get("errors") else {
            continue;
        };
        for (area, reasons) in areas {
            let Value::Object(reasons) = reasons else {
                continue;
            };
            for (reason, texts) in reasons {
                if let Some(Value::String(action)) = texts.get("action") {
                    actions.insert(format!("{area}.{reason}"), action.clone());
                }
            }
        }
    }
    for (code, action) in CLI_ACTIONS {
        actions.insert((*code).to_string(), (*action).to_string());
    }
    actions
});

/// What to do after an error with `code`: its own advice, else the generic one.
pub fn action(code: &str) -> &'static str {
    ACTIONS.get(code).map_or(GENERIC, String::as_str)
}

/// When no catalog words the code.
const GENERIC: &str =
    "Try again. If it keeps happening, run `oneshot-desk-cli support-bundle` and send it to IT.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_get_the_windows_words_or_the_clis_own() {
        assert_eq!(
            action("pdf.not_a_pdf"),
            "Choose a PDF file (its name usually ends in .pdf)."
        );
        assert!(action("customer.invalid").contains("customer file"));
        assert_eq!(action("nobody.knows"), GENERIC);
    }
}
