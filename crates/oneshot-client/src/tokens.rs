//! RAO tokens: create, get, list, delete (API.md §G).

use crate::client::Client;
use crate::error::Result;
use crate::flex;
use crate::layout::{OpKind, RouteArgs};
use crate::redact::Redactor;
use crate::transport::OutBody;
use crate::types::{Environment, TokenUid};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value, json};
use std::fmt;

/// Input of [`Client::create_token`]. Password and PIN may be left out: the token then holds
/// only part of the credentials and the rest must accompany each call that needs them.
#[derive(Clone)]
pub struct CreateToken {
    /// RAO username.
    pub username: String,
    /// RAO password.
    pub password: Option<SecretString>,
    /// RAO PIN.
    pub pin: Option<SecretString>,
    /// Environment, unless configured on the Optimizer.
    pub env: Option<Environment>,
}

impl fmt::Debug for CreateToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateToken")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[REDACTED]"))
            .field("pin", &self.pin.as_ref().map(|_| "[REDACTED]"))
            .field("env", &self.env)
            .finish()
    }
}

/// What a token holds (its secrets are reported only as present or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// RAO username.
    pub username: Option<String>,
    /// Whether the token stores the password.
    pub has_password: bool,
    /// Whether the token stores the PIN.
    pub has_pin: bool,
    /// RAO id, when the Optimizer reports it.
    pub rao_id: Option<String>,
    /// Environment, when the Optimizer reports it.
    pub env: Option<String>,
}

/// One entry of [`Client::list_tokens`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSummary {
    /// The token (a secret).
    pub token: TokenUid,
    /// What it holds, when the list says.
    pub info: TokenInfo,
}

impl Client {
    /// `POST /token`: stores RAO credentials in a new token and returns it.
    pub async fn create_token(&self, request: &CreateToken) -> Result<TokenUid> {
        let mut redactor = Redactor::new();
        let mut body = Map::new();
        body.insert("username".into(), json!(request.username));
        if let Some(password) = &request.password {
            redactor.add(password);
            body.insert("password".into(), json!(password.expose_secret()));
        }
        if let Some(pin) = &request.pin {
            redactor.add(pin);
            body.insert("pin".into(), json!(pin.expose_secret()));
        }
        if let Some(env) = &request.env {
            body.insert("env".into(), json!(env.as_str()));
        }
        let answer = self
            .inner
            .call_json(
                OpKind::CreateToken,
                RouteArgs::default(),
                OutBody::json(&body)?,
                redactor,
            )
            .await?;
        let payload = answer.payload()?;
        let key = answer.envelope.payload_key();
        // Current: {"token_uid": "<uuid>"}; legacy: the uid as a string.
        let uid = match payload {
            Value::String(s) => Some(s.clone()),
            Value::Object(map) => ["token_uid", "token", "uid"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_owned)),
            _ => None,
        };
        match uid.filter(|u| !u.trim().is_empty()) {
            Some(uid) => Ok(TokenUid::new(uid)),
            None => {
                Err(answer.bad_response("no token uid in the answer", &format!("{key}.token_uid")))
            }
        }
    }

    /// `GET /token/{uid}`: what the token holds.
    pub async fn get_token(&self, token: &TokenUid) -> Result<TokenInfo> {
        let mut redactor = Redactor::new();
        redactor.add(token.secret());
        let args = RouteArgs {
            uid: Some(token.expose_secret()),
            ..RouteArgs::default()
        };
        let answer = self
            .inner
            .call_json(OpKind::GetToken, args, OutBody::Empty, redactor)
            .await?;
        let payload = answer.payload()?;
        let path = answer.envelope.payload_key();
        match payload {
            Value::Object(map) => token_info(map).map_err(|field| {
                answer.bad_response("unexpected token field", &format!("{path}.{field}"))
            }),
            _ => Err(answer.bad_response("token details are not an object", path)),
        }
    }

    /// `GET /tokens`: every token of the Optimizer.
    ///
    /// Accepts a map `uid → info` (documented), an array of objects with `token_uid`/`uid`, or
    /// an array of uid strings; non-object map entries (the demo Optimizer's `"NOTE"`) are
    /// skipped.
    pub async fn list_tokens(&self) -> Result<Vec<TokenSummary>> {
        let answer = self
            .inner
            .call_json(
                OpKind::ListTokens,
                RouteArgs::default(),
                OutBody::Empty,
                Redactor::new(),
            )
            .await?;
        let key = answer.envelope.payload_key();
        let Some(payload) = answer.envelope.payload() else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        match payload {
            Value::Object(map) => {
                for (uid, info) in map {
                    let Value::Object(info) = info else { continue };
                    let info = token_info(info).map_err(|field| {
                        answer.bad_response(
                            "unexpected token field",
                            &format!("{key}.<token>.{field}"),
                        )
                    })?;
                    out.push(TokenSummary {
                        token: TokenUid::new(uid.clone()),
                        info,
                    });
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    match item {
                        Value::String(uid) => out.push(TokenSummary {
                            token: TokenUid::new(uid.clone()),
                            info: TokenInfo::unknown(),
                        }),
                        Value::Object(map) => {
                            let uid = ["token_uid", "uid", "token"]
                                .iter()
                                .find_map(|k| map.get(*k).and_then(Value::as_str))
                                .ok_or_else(|| {
                                    answer.bad_response(
                                        "token entry without uid",
                                        &format!("{key}[{index}].token_uid"),
                                    )
                                })?;
                            let info = token_info(map).map_err(|field| {
                                answer.bad_response(
                                    "unexpected token field",
                                    &format!("{key}[{index}].{field}"),
                                )
                            })?;
                            out.push(TokenSummary {
                                token: TokenUid::new(uid),
                                info,
                            });
                        }
                        _ => {
                            return Err(answer.bad_response(
                                "unexpected token entry",
                                &format!("{key}[{index}]"),
                            ));
                        }
                    }
                }
            }
            Value::Null => {}
            _ => {
                return Err(
                    answer.bad_response("the token list is neither a map nor an array", key)
                );
            }
        }
        Ok(out)
    }

    /// `DELETE /token/{uid}`.
    pub async fn delete_token(&self, token: &TokenUid) -> Result<()> {
        let mut redactor = Redactor::new();
        redactor.add(token.secret());
        let args = RouteArgs {
            uid: Some(token.expose_secret()),
            ..RouteArgs::default()
        };
        self.inner
            .call_json(OpKind::DeleteToken, args, OutBody::Empty, redactor)
            .await?;
        Ok(())
    }
}

impl TokenInfo {
    fn unknown() -> Self {
        TokenInfo {
            username: None,
            has_password: false,
            has_pin: false,
            rao_id: None,
            env: None,
        }
    }
}

/// Reads `{username, password, pin, rao_id?, env?}`; `password`/`pin` are booleans or
/// `"true"`/`"false"`. Returns the name of a field that cannot be read.
fn token_info(map: &Map<String, Value>) -> std::result::Result<TokenInfo, &'static str> {
    let flag = |key: &'static str| match map.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(v) => flex::bool_from_value(v).ok_or(key),
    };
    Ok(TokenInfo {
        username: map.get("username").and_then(flex::string_from_value),
        has_password: flag("password")?,
        has_pin: flag("pin")?,
        rao_id: map
            .get("rao_id")
            .or_else(|| map.get("rao"))
            .and_then(flex::string_from_value),
        env: map.get("env").and_then(flex::string_from_value),
    })
}
