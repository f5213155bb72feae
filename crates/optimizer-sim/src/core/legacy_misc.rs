//! Legacy-only operations: settings, version, metadata (GH2).

use super::Core;
use super::error::{ApiError, ApiResult};
use super::model::Metadata;
use super::validate;
use crate::config::Env;
use secrecy::SecretString;
use serde_json::{Value, json};

impl Core {
    /// `GET settings`: the settings file as the legacy API shows it (billing password base64).
    pub fn settings_json(&self) -> Value {
        let s = self.settings();
        json!({
            "tsa": {"tsa_url": s.tsa_url},
            "request": {"default_profile": s.default_profile.unwrap_or_default(), "default_ra": s.default_ra.unwrap_or_default()},
            "billing": {
                "billing_username": s.billing_username.unwrap_or_default(),
                // The settings API of the real Optimizer echoes the stored password; the simulator
                // only says whether one is set, so no secret leaves the process.
                "billing_password": if s.billing_password.is_some() { "********" } else { "" },
            },
            "proxy": {"useproxy": "false", "proxy_host": "", "proxy_port": "", "proxy_protocol": "", "proxy_username": "", "proxy_password": "", "useproxycredentials": "false"},
            "general": {
                "environment": s.env.map(Env::as_str).unwrap_or(""),
                "rootstore": "simulator",
                "configuration": "default",
                "usepdfclean": false,
            },
        })
    }

    /// `POST settings`: changes defaults for this run.
    pub fn update_settings(&self, body: &Value) -> ApiResult<()> {
        if !body.is_object() {
            return Err(ApiError::invalid_json("expected a JSON object"));
        }
        let mut s = self.settings();
        let get = |section: &str, key: &str| {
            body.get(section)
                .and_then(|v| v.get(key))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        if let Some(env) = get("general", "environment") {
            s.env = Some(Env::parse(&env).ok_or_else(|| {
                ApiError::bad_request(format!("Environment {env} does not exist"))
            })?);
        }
        if let Some(profile) = get("request", "default_profile") {
            s.default_profile = Some(profile).filter(|p| !p.is_empty());
        }
        if let Some(ra) = get("request", "default_ra") {
            s.default_ra = Some(ra).filter(|r| !r.is_empty());
        }
        if let Some(user) = get("billing", "billing_username") {
            s.billing_username = Some(user).filter(|u| !u.is_empty());
        }
        if let Some(pw) = get("billing", "billing_password") {
            if !pw.is_empty() && !validate::is_base64(&pw) {
                return Err(ApiError::internal(
                    "Billing credentials not valid. Please check if they are base64 encoded",
                ));
            }
            s.billing_password = (!pw.is_empty()).then(|| SecretString::from(pw));
        }
        if let Some(url) = get("tsa", "tsa_url") {
            s.tsa_url = url;
        }
        self.set_settings(s);
        Ok(())
    }

    /// `GET version`.
    pub fn version_json(&self) -> Value {
        json!({
            "info": {
                "machine": std::env::consts::ARCH,
                "version": env!("CARGO_PKG_VERSION"),
                "release": format!("optimizer-sim {}", env!("CARGO_PKG_VERSION")),
                "hostname": "optimizer-sim",
                "system": std::env::consts::OS,
                "processor": std::env::consts::ARCH,
            },
            "version": "1.5.0",
            "name": "OneShot Optimizer",
        })
    }

    /// `POST metadata`.
    pub async fn upload_metadata(&self, body: &Value) -> ApiResult<String> {
        let metadata = body
            .get("metadata")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty());
        let oid = body
            .get("metadata_oid")
            .and_then(Value::as_str)
            .filter(|o| !o.is_empty());
        let (Some(metadata), Some(oid)) = (metadata, oid) else {
            return Err(ApiError::bad_request("Missing required parameters"));
        };
        let uid = self.new_hex_id();
        self.write(|tx| {
            tx.state.metadata.insert(
                uid.clone(),
                Metadata {
                    oid: oid.into(),
                    metadata: metadata.into(),
                },
            );
            Ok(uid.clone())
        })
        .await
    }

    /// `GET metadata[/uid]`.
    pub async fn metadata(&self, uid: Option<&str>) -> ApiResult<Value> {
        self.read(|state| {
            let not_found = || ApiError::not_found("Metadata not found on disk");
            let entry = |m: &Metadata| json!({"oid": m.oid, "metadata": m.metadata});
            match uid {
                Some(uid) => state.metadata.get(uid).map(entry).ok_or_else(not_found),
                None if state.metadata.is_empty() => Err(not_found()),
                None => Ok(Value::Object(
                    state
                        .metadata
                        .iter()
                        .map(|(k, m)| (k.clone(), entry(m)))
                        .collect(),
                )),
            }
        })
        .await
    }

    /// `DELETE metadata[/uid]`.
    pub async fn delete_metadata(&self, uid: Option<&str>) -> ApiResult<()> {
        self.write(|tx| match uid {
            Some(uid) => tx
                .state
                .metadata
                .remove(uid)
                .map(|_| ())
                .ok_or_else(|| ApiError::not_found("Metadata not found on disk")),
            None => {
                tx.state.metadata.clear();
                Ok(())
            }
        })
        .await
    }
}
