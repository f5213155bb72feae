//! RAO credentials: a token, explicit username/password/PIN, or a partial token completed by
//! the call (API.md §G).

use super::error::{ApiError, ApiResult};
use super::model::{State, Token};
use crate::config::RaoAccount;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// RAO credentials as a call sends them.
#[derive(Default)]
pub struct CredentialInput {
    /// Token uid.
    pub token: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// Password.
    pub password: Option<SecretString>,
    /// PIN.
    pub pin: Option<SecretString>,
}

impl CredentialInput {
    /// Reads the four fields from a JSON object (empty strings count as absent).
    pub fn from_json(body: &serde_json::Value) -> Self {
        let text = |key: &str| {
            body.get(key)
                .and_then(|v| match v {
                    serde_json::Value::String(s) => Some(s.trim().to_string()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
        };
        Self {
            token: text("token"),
            username: text("username"),
            password: text("password").map(SecretString::from),
            pin: text("pin").map(SecretString::from),
        }
    }
}

/// The wording of credential errors differs between calls.
#[derive(Clone, Copy)]
pub struct CredentialTexts {
    /// Incomplete credentials (400).
    pub incomplete: &'static str,
    /// Wrong password / PIN / unknown token (403).
    pub invalid: &'static str,
    /// Unknown username (404), `None` = answer `invalid` (403).
    pub unknown_user: Option<&'static str>,
}

/// Wording of create request (GH2).
pub const CREATE_TEXTS: CredentialTexts = CredentialTexts {
    incomplete: "Missing required parameters: incomplete RAO's credentials",
    invalid: "Invalid RAO Credentials",
    unknown_user: Some("Error getting RAO's id. Make sure the credentials are correct"),
};

/// Wording of approve / refuse (GH2).
pub const APPROVE_TEXTS: CredentialTexts = CredentialTexts {
    incomplete: "Missing required parameters: incomplete RAO's credentials",
    invalid: "Invalid RAO credentials",
    unknown_user: None,
};

/// Salted SHA-256 of a secret, hex.
pub fn hash_secret(salt: &str, secret: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update([0u8]);
    hasher.update(secret.as_bytes());
    hex::encode(hasher.finalize())
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// One secret part (password or PIN): from the call, else from the token's hash.
fn check_part(
    sent: Option<&SecretString>,
    token_hash: Option<&str>,
    token: Option<&Token>,
    expected: &SecretString,
) -> Option<bool> {
    if let Some(sent) = sent {
        return Some(constant_time_eq(
            sent.expose_secret(),
            expected.expose_secret(),
        ));
    }
    let (hash, token) = (token_hash?, token?);
    Some(constant_time_eq(
        hash,
        &hash_secret(&token.salt, expected.expose_secret()),
    ))
}

/// Finds the RAO the credentials name and checks them.
pub fn resolve<'a>(
    raos: &'a [RaoAccount],
    state: &State,
    input: &CredentialInput,
    texts: CredentialTexts,
) -> ApiResult<&'a RaoAccount> {
    let token = match &input.token {
        Some(uid) => Some(
            state
                .tokens
                .get(uid)
                .ok_or_else(|| ApiError::forbidden(texts.invalid))?,
        ),
        None => None,
    };
    let username = input
        .username
        .as_deref()
        .or(token.map(|t| t.username.as_str()))
        .ok_or_else(|| ApiError::bad_request(texts.incomplete))?;
    let account = raos
        .iter()
        .find(|a| a.username == username)
        .ok_or_else(|| match texts.unknown_user {
            Some(text) => ApiError::not_found(text),
            None => ApiError::forbidden(texts.invalid),
        })?;
    // A token belongs to one RAO: a username in the call must agree with it.
    if token.is_some_and(|t| t.username != account.username) {
        return Err(ApiError::forbidden(texts.invalid));
    }
    let password = check_part(
        input.password.as_ref(),
        token.and_then(|t| t.password_hash.as_deref()),
        token,
        &account.password,
    );
    let pin = check_part(
        input.pin.as_ref(),
        token.and_then(|t| t.pin_hash.as_deref()),
        token,
        &account.pin,
    );
    match (password, pin) {
        (None, _) | (_, None) => Err(ApiError::bad_request(texts.incomplete)),
        (Some(true), Some(true)) => Ok(account),
        _ => Err(ApiError::forbidden(texts.invalid)),
    }
}
