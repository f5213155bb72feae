//! RAO tokens: the Optimizer's list, creating one from the RAO's credentials (its value goes
//! only to the keyring), the default, forgetting one, and choosing the token a flow uses.

use super::{Desk, DeskInner, blocking};
use crate::error::{DeskError, DeskResult};
use crate::flow::TokenChoice;
use crate::vault::{NewRaoToken, RaoTokenInfo, SecretKey, mask_token_uid};
use oneshot_client::{CreateToken, Environment, TokenUid};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

/// A token the Optimizer knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OptimizerToken {
    /// `3bf8…c7da`.
    pub masked_uid: String,
    /// The RAO username it holds, when the Optimizer says.
    pub username: Option<String>,
    /// Whether it holds the RAO password.
    pub has_password: bool,
    /// Whether it holds the PIN.
    pub has_pin: bool,
    /// The keyring label it is stored under on this computer, if it is.
    pub stored_as: Option<String>,
}

/// A token to create on the Optimizer and keep in the keyring.
#[derive(Clone)]
pub struct NewTokenRequest {
    /// RAO username.
    pub username: String,
    /// RAO password.
    pub password: SecretString,
    /// RAO PIN.
    pub pin: SecretString,
    /// `sandbox`/`prod`; `None`: `request.environment`, else the Optimizer's setting.
    pub environment: Option<String>,
    /// The keyring label.
    pub label: String,
    /// Make it the default token.
    pub make_default: bool,
}

impl std::fmt::Debug for NewTokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewTokenRequest")
            .field("username", &self.username)
            .field("label", &self.label)
            .field("environment", &self.environment)
            .finish_non_exhaustive()
    }
}

/// What forgetting a token did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TokenForgotten {
    /// The label.
    pub label: String,
    /// The keyring entry was there and is gone.
    pub removed_from_keyring: bool,
    /// `Some(true)`: deleted on the Optimizer; `Some(false)`: the Optimizer did not know it;
    /// `None`: not asked.
    pub deleted_on_optimizer: Option<bool>,
}

impl Desk {
    /// The tokens the Optimizer knows, with the keyring label of those stored here.
    pub async fn optimizer_tokens(&self) -> DeskResult<Vec<OptimizerToken>> {
        let (_, client) = self.inner.configured_client()?;
        let listed = client.list_tokens().await?;
        let stored = self.stored_token_values().await?;
        Ok(listed
            .into_iter()
            .map(|summary| OptimizerToken {
                masked_uid: mask_token_uid(summary.token.expose_secret()),
                username: summary.info.username.clone(),
                has_password: summary.info.has_password,
                has_pin: summary.info.has_pin,
                stored_as: stored
                    .iter()
                    .find(|(_, value)| value.expose_secret() == summary.token.expose_secret())
                    .map(|(label, _)| label.clone()),
            })
            .collect())
    }

    /// The tokens stored in the keyring (labels and masked uids, never values).
    pub async fn stored_tokens(&self) -> DeskResult<Vec<RaoTokenInfo>> {
        let vault = self.inner.vault.clone();
        Ok(blocking(move || vault.rao_tokens()).await?)
    }

    /// Creates a token on the Optimizer from the RAO's credentials and stores its value in the
    /// keyring under `label` (nothing else keeps it).
    pub async fn create_token(&self, request: NewTokenRequest) -> DeskResult<RaoTokenInfo> {
        // Refuse an unusable label before the Optimizer makes a token nobody could store.
        SecretKey::RaoToken {
            label: request.label.clone(),
        }
        .validate()?;
        let (_, client) = self.inner.configured_client()?;
        let environment = request.environment.clone().or_else(|| {
            self.settings_values()
                .request
                .environment
                .map(|e| e.as_str().to_string())
        });
        let token = client
            .create_token(&CreateToken {
                username: request.username.clone(),
                password: Some(request.password.clone()),
                pin: Some(request.pin.clone()),
                env: environment.map(|e| match e.as_str() {
                    "sandbox" => Environment::Sandbox,
                    "prod" => Environment::Prod,
                    _ => Environment::Other(e),
                }),
            })
            .await?;
        self.store_token(
            &request.label,
            SecretString::from(token.expose_secret().to_string()),
            Some(request.username),
            request.make_default,
        )
        .await
    }

    /// Stores an existing token (e.g. one an administrator handed over) under `label`.
    pub async fn store_token(
        &self,
        label: &str,
        value: SecretString,
        username: Option<String>,
        make_default: bool,
    ) -> DeskResult<RaoTokenInfo> {
        if value.expose_secret().trim().is_empty() {
            return Err(DeskError::new("vault.empty_secret", "The token is empty"));
        }
        let vault = self.inner.vault.clone();
        let new = NewRaoToken {
            label: label.to_string(),
            username,
            make_default,
        };
        Ok(blocking(move || vault.store_rao_token(new, &value)).await?)
    }

    /// Makes the token labelled `label` the default.
    pub async fn set_default_token(&self, label: &str) -> DeskResult<()> {
        let vault = self.inner.vault.clone();
        let label = label.to_string();
        Ok(blocking(move || vault.set_default_rao_token(&label)).await?)
    }

    /// Removes the token labelled `label` from the keyring; with `delete_on_optimizer`, first
    /// deletes it on the Optimizer too (a token the Optimizer no longer knows is fine).
    pub async fn forget_token(
        &self,
        label: &str,
        delete_on_optimizer: bool,
    ) -> DeskResult<TokenForgotten> {
        let vault = self.inner.vault.clone();
        let owned = label.to_string();
        let deleted_on_optimizer = if delete_on_optimizer {
            let value = blocking(move || vault.rao_token(&owned)).await?;
            let (_, client) = self.inner.configured_client()?;
            match client
                .delete_token(&TokenUid::new(value.expose_secret().to_string()))
                .await
            {
                Ok(()) => Some(true),
                Err(error) if error.code() == oneshot_client::ErrorCode::TokenNotFound => {
                    Some(false)
                }
                Err(error) => return Err(error.into()),
            }
        } else {
            None
        };
        let vault = self.inner.vault.clone();
        let key = SecretKey::RaoToken {
            label: label.to_string(),
        };
        let removed = blocking(move || vault.delete(&key)).await?;
        if !removed && deleted_on_optimizer.is_none() {
            return Err(crate::vault::VaultError::UnknownToken {
                label: label.to_string(),
            }
            .into());
        }
        Ok(TokenForgotten {
            label: label.to_string(),
            removed_from_keyring: removed,
            deleted_on_optimizer,
        })
    }

    async fn stored_token_values(&self) -> DeskResult<Vec<(String, SecretString)>> {
        let vault = self.inner.vault.clone();
        Ok(blocking(move || {
            let tokens = vault.rao_tokens()?;
            let mut out = Vec::new();
            for token in tokens {
                if let Some(value) = vault.get(&SecretKey::RaoToken {
                    label: token.label.clone(),
                })? {
                    out.push((token.label, value));
                }
            }
            Ok::<_, crate::vault::VaultError>(out)
        })
        .await?)
    }
}

impl DeskInner {
    /// The token for a flow: an explicit value, else the label asked for, else
    /// `rao.default_token_label`, else the keyring's default; `rao.no_token` when none.
    /// Returns the label it came from, when it came from the keyring.
    pub(crate) async fn resolve_token(
        &self,
        choice: &TokenChoice,
    ) -> DeskResult<(TokenUid, Option<String>)> {
        let label = match choice {
            TokenChoice::Value(value) => {
                if value.expose_secret().trim().is_empty() {
                    return Err(DeskError::new(
                        "rao.no_token",
                        "The RAO token given is empty",
                    ));
                }
                return Ok((
                    TokenUid::new(value.expose_secret().trim().to_string()),
                    None,
                ));
            }
            TokenChoice::Label(label) => Some(label.clone()),
            TokenChoice::Default => self
                .read_settings()
                .values()
                .rao
                .default_token_label
                .as_ref()
                .map(|l| l.as_str().to_string()),
        };
        let vault = self.vault.clone();
        let (label, value) = blocking(move || {
            let label = match label {
                Some(label) => Some(label),
                None => vault.default_rao_token()?.map(|t| t.label),
            };
            match label {
                Some(label) => vault.rao_token(&label).map(|v| Some((label, v))),
                None => Ok(None),
            }
        })
        .await?
        .ok_or_else(|| {
            DeskError::new(
                "rao.no_token",
                "No RAO token is available: create one (tokens create), store one in the \
                 keyring, or pass one with --token / ONESHOT_TOKEN",
            )
        })?;
        Ok((
            TokenUid::new(value.expose_secret().to_string()),
            Some(label),
        ))
    }
}
