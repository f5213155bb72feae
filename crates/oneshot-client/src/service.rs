//! Health and version of the Optimizer (legacy layout only; current Optimizers removed them).

use crate::client::Client;
use crate::error::Result;
use crate::flex;
use crate::layout::{Layout, OpKind, RouteArgs};
use crate::redact::Redactor;
use crate::transport::OutBody;
use serde_json::Value;

/// What `GET /api/v1/version` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptimizerVersion {
    /// e.g. `1.5.0`.
    pub version: Option<String>,
    /// e.g. `OneShot Optimizer`.
    pub name: Option<String>,
    /// Host operating system, when reported.
    pub system: Option<String>,
}

impl Client {
    /// Checks that the Optimizer answers: legacy `GET /api/v1/hello`; on the current layout
    /// (which has no hello) `GET /oneshot/api/v1/tokens`. Returns the server's greeting or
    /// message when it sends one.
    pub async fn ping(&self) -> Result<Option<String>> {
        let layout = self.inner.layout().await?;
        let op = match layout {
            Layout::Current => OpKind::ListTokens,
            Layout::Legacy => OpKind::Hello,
        };
        let answer = self
            .inner
            .call_json_in(
                layout,
                op,
                RouteArgs::default(),
                OutBody::Empty,
                Redactor::new(),
            )
            .await?;
        Ok(match layout {
            Layout::Legacy => answer.envelope.text(),
            // The token list is secret: only its message, never its payload, is returned.
            Layout::Current => answer.envelope.message().map(str::to_owned),
        })
    }

    /// The Optimizer's version: `None` on the current layout, which does not offer it
    /// ("version unknown").
    pub async fn version(&self) -> Result<Option<OptimizerVersion>> {
        let layout = self.inner.layout().await?;
        if layout == Layout::Current {
            return Ok(None);
        }
        let answer = self
            .inner
            .call_json_in(
                layout,
                OpKind::Version,
                RouteArgs::default(),
                OutBody::Empty,
                Redactor::new(),
            )
            .await?;
        let key = answer.envelope.payload_key();
        match answer.payload()? {
            Value::Object(map) => {
                let text = |v: Option<&Value>| v.and_then(flex::string_from_value);
                Ok(Some(OptimizerVersion {
                    version: text(map.get("version")),
                    name: text(map.get("name")),
                    system: text(map.get("info").and_then(|i| i.get("system"))),
                }))
            }
            Value::String(version) => Ok(Some(OptimizerVersion {
                version: Some(version.clone()),
                name: None,
                system: None,
            })),
            _ => Err(answer.bad_response("the version is neither an object nor a string", key)),
        }
    }
}
