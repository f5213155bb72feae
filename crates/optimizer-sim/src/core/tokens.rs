//! RAO tokens (API.md §G).

use super::Core;
use super::credentials::hash_secret;
use super::error::{ApiError, ApiResult};
use super::model::{State, Token};
use crate::config::Env;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

/// Which id format a layout hands out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdStyle {
    /// UUID (current layout).
    Uuid,
    /// 32 hex digits (legacy layout).
    Hex,
}

/// What a token reveals: username and whether it holds password / PIN.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenInfo {
    /// Token uid.
    pub uid: String,
    /// RAO username.
    pub username: String,
    /// Holds the password.
    pub password: bool,
    /// Holds the PIN.
    pub pin: bool,
}

impl From<&Token> for TokenInfo {
    fn from(t: &Token) -> Self {
        Self {
            uid: t.uid.clone(),
            username: t.username.clone(),
            password: t.password_hash.is_some(),
            pin: t.pin_hash.is_some(),
        }
    }
}

fn text_field(body: &Value, key: &str) -> Option<String> {
    match body.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Resolves the `env` of a call against settings (API.md §A.2 create-request errors).
pub fn resolve_env(
    sent: Option<&str>,
    settings_env: Option<Env>,
    available: &[Env],
) -> ApiResult<Env> {
    let env = match sent.map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => Env::parse(name)
            .ok_or_else(|| ApiError::bad_request(format!("Environment {name} does not exist")))?,
        None => settings_env.ok_or_else(|| {
            ApiError::bad_request(
                "Missing env parameter. Please set it in settings or specify it as parameter",
            )
        })?,
    };
    if available.contains(&env) {
        Ok(env)
    } else {
        Err(ApiError::bad_request(
            "The specified environment is not available",
        ))
    }
}

impl Core {
    /// Installs the preconfigured sandbox token (bound to the first RAO) if missing.
    pub fn seed_sandbox_token(&self, state: &mut State) {
        let (Some(uid), Some(rao)) = (&self.config.sandbox_token, self.config.raos.first()) else {
            return;
        };
        let salt = self.new_hex_id();
        state.tokens.insert(
            uid.clone(),
            Token {
                uid: uid.clone(),
                username: rao.username.clone(),
                password_hash: Some(hash_secret(&salt, rao.password.expose_secret())),
                pin_hash: Some(hash_secret(&salt, rao.pin.expose_secret())),
                salt,
                env: self.config.env,
                protected: true,
            },
        );
    }

    /// `POST token`: stores RAO credentials (password/PIN optional) and returns the new uid.
    pub async fn create_token(&self, body: &Value, style: IdStyle) -> ApiResult<String> {
        let username = text_field(body, "username");
        let password = text_field(body, "password").map(SecretString::from);
        let pin = text_field(body, "pin").map(SecretString::from);
        let Some(username) = username else {
            return Err(ApiError::bad_request(
                if password.is_none() && pin.is_none() {
                    "Missing required parameters: username, password, pin"
                } else {
                    "Missing required parameter: 'username'"
                },
            ));
        };
        let env = resolve_env(
            text_field(body, "env").as_deref(),
            self.settings().env,
            &self.config.available_envs,
        )?;
        let unknown = || {
            ApiError::not_found("Error getting RAO's id. Make sure the credentials are correct.")
        };
        let account = self
            .config
            .raos
            .iter()
            .find(|a| a.username == username)
            .ok_or_else(unknown)?;
        // The RA is asked for the RAO's id with whatever parts were given: wrong parts fail here.
        if password
            .as_ref()
            .is_some_and(|p| p.expose_secret() != account.password.expose_secret())
            || pin
                .as_ref()
                .is_some_and(|p| p.expose_secret() != account.pin.expose_secret())
        {
            return Err(unknown());
        }
        let uid = match style {
            IdStyle::Uuid => self.new_uuid(),
            IdStyle::Hex => self.new_hex_id(),
        };
        let salt = self.new_hex_id();
        self.write(|tx| {
            let duplicate = tx.state.tokens.values().any(|t| {
                t.username == username
                    && t.password_hash.is_some() == password.is_some()
                    && t.pin_hash.is_some() == pin.is_some()
            });
            if duplicate {
                return Err(ApiError::bad_request(
                    "A token with these credentials already exist!",
                ));
            }
            tx.state.tokens.insert(
                uid.clone(),
                Token {
                    uid: uid.clone(),
                    username: username.clone(),
                    password_hash: password
                        .as_ref()
                        .map(|p| hash_secret(&salt, p.expose_secret())),
                    pin_hash: pin.as_ref().map(|p| hash_secret(&salt, p.expose_secret())),
                    salt: salt.clone(),
                    env: Some(env),
                    protected: false,
                },
            );
            Ok(uid.clone())
        })
        .await
    }

    /// `GET token/{uid}`.
    pub async fn get_token(&self, uid: &str, not_found_text: &str) -> ApiResult<TokenInfo> {
        self.read(|state| {
            state
                .tokens
                .get(uid)
                .map(TokenInfo::from)
                .ok_or_else(|| ApiError::not_found(not_found_text.replace("{uid}", uid)))
        })
        .await
    }

    /// `DELETE token/{uid}`. The preconfigured sandbox token cannot be deleted.
    pub async fn delete_token(&self, uid: &str) -> ApiResult<()> {
        self.write(|tx| {
            let token = tx
                .state
                .tokens
                .get(uid)
                .ok_or_else(|| ApiError::not_found("Token not found"))?;
            if token.protected {
                return Err(ApiError::forbidden(
                    "The sandbox demo token cannot be deleted",
                ));
            }
            tx.state.tokens.remove(uid);
            Ok(())
        })
        .await
    }

    /// `GET tokens`.
    pub async fn list_tokens(&self) -> Vec<TokenInfo> {
        self.read(|state| Ok(state.tokens.values().map(TokenInfo::from).collect()))
            .await
            .unwrap_or_default()
    }
}
