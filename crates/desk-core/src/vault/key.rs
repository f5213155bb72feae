//! Typed names of the secrets the desk keeps.

use super::VaultError;

/// Longest label or username accepted; keyring attributes are short on some platforms.
const MAX_NAME_CHARS: usize = 128;

/// Which secret: each kind of secret has its own key, so one can never be read as another.
///
/// New kinds may be added; match with a wildcard arm.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecretKey {
    /// An Optimizer RAO token uid, named by a label the desk user chose.
    RaoToken {
        /// The user's name for the token, e.g. "Front desk Madrid".
        label: String,
    },
    /// The RAO's password for the Optimizer.
    RaoPassword {
        /// The RAO username it belongs to.
        username: String,
    },
    /// The RAO's PIN.
    RaoPin {
        /// The RAO username it belongs to.
        username: String,
    },
    /// The billing account's password (sent base64-encoded to the Optimizer).
    BillingPassword {
        /// The billing username it belongs to.
        username: String,
    },
}

impl SecretKey {
    /// A short English description for messages, e.g. `RAO token "Front desk"`. Holds no secret.
    pub fn describe(&self) -> String {
        match self {
            SecretKey::RaoToken { label } => format!("RAO token \"{label}\""),
            SecretKey::RaoPassword { username } => format!("RAO password of {username}"),
            SecretKey::RaoPin { username } => format!("RAO PIN of {username}"),
            SecretKey::BillingPassword { username } => format!("billing password of {username}"),
        }
    }

    /// The keyring entry's user attribute: `<kind>/<name>`; the service attribute is the
    /// vault's service name.
    pub(crate) fn keyring_user(&self) -> String {
        let (kind, name) = self.parts();
        format!("{kind}/{name}")
    }

    fn parts(&self) -> (&'static str, &str) {
        match self {
            SecretKey::RaoToken { label } => ("rao-token", label),
            SecretKey::RaoPassword { username } => ("rao-password", username),
            SecretKey::RaoPin { username } => ("rao-pin", username),
            SecretKey::BillingPassword { username } => ("billing-password", username),
        }
    }

    /// Rejects names the keyring or the index could not hold faithfully.
    pub(crate) fn validate(&self) -> Result<(), VaultError> {
        let (kind, name) = self.parts();
        let field = if kind == "rao-token" {
            "label"
        } else {
            "username"
        };
        validate_name(field, name)
    }
}

pub(crate) fn validate_name(field: &'static str, name: &str) -> Result<(), VaultError> {
    let reason = if name.trim().is_empty() {
        Some("it is empty")
    } else if name.trim() != name {
        Some("it starts or ends with white space")
    } else if name.chars().count() > MAX_NAME_CHARS {
        Some("it is longer than 128 characters")
    } else if name.chars().any(char::is_control) {
        Some("it contains control characters")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(VaultError::InvalidName { field, reason }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_keyring_user() {
        let keys = [
            SecretKey::RaoToken { label: "a".into() },
            SecretKey::RaoPassword {
                username: "a".into(),
            },
            SecretKey::RaoPin {
                username: "a".into(),
            },
            SecretKey::BillingPassword {
                username: "a".into(),
            },
        ];
        let users: std::collections::HashSet<_> =
            keys.iter().map(SecretKey::keyring_user).collect();
        assert_eq!(users.len(), keys.len());
        assert_eq!(keys[0].keyring_user(), "rao-token/a");
    }

    #[test]
    fn names_are_validated() {
        assert!(
            SecretKey::RaoToken {
                label: "Front desk 1".into()
            }
            .validate()
            .is_ok()
        );
        for bad in ["", "  ", " padded", "line\nbreak", &"x".repeat(129)] {
            let error = SecretKey::RaoPin {
                username: bad.to_string(),
            }
            .validate()
            .unwrap_err();
            assert!(
                matches!(
                    error,
                    VaultError::InvalidName {
                        field: "username",
                        ..
                    }
                ),
                "{bad:?}"
            );
        }
    }
}
