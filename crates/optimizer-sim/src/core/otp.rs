//! OTP generation (API.md §F.3) and the customer's SMS inbox.

use super::Core;
use super::error::{ApiError, ApiResult};
use super::model::{Otp, Status};
use super::time;

/// What the customer's phone shows.
#[derive(Clone, Debug)]
pub struct SmsMessage {
    /// The code.
    pub otp: String,
    /// When it was sent (RFC 3339).
    pub sent_at: String,
    /// `sms` or `whatsapp`.
    pub delivery_method: String,
}

impl Core {
    /// `POST otp/{pk}`: a new 6-digit code, at most one per interval, only in ENROLLREADY.
    pub async fn generate_otp(&self, pk: u64, delivery_method: Option<&str>) -> ApiResult<()> {
        let method = match delivery_method.map(str::trim).filter(|m| !m.is_empty()) {
            None => "sms",
            Some(m) if m.eq_ignore_ascii_case("sms") => "sms",
            Some(m) if m.eq_ignore_ascii_case("whatsapp") => "whatsapp",
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "Invalid delivery_method {other}. Valid options are sms, whatsapp"
                )));
            }
        };
        let slow = self.faults.slow_otp();
        if !slow.is_zero() {
            tokio::time::sleep(slow).await;
        }
        let code = self.new_otp();
        let sms_delay = i64::try_from(self.faults.sms_delay().as_millis()).unwrap_or(i64::MAX);
        let interval_ms = i64::try_from(self.config.otp_interval.as_millis()).unwrap_or(i64::MAX);
        self.write(|tx| {
            let request = tx
                .state
                .requests
                .get_mut(&pk)
                .filter(|r| !r.removed)
                .ok_or_else(|| {
                    ApiError::not_found(format!("Request {pk} not found. Cannot send OTP secret"))
                })?;
            if request.status != Status::EnrollReady || request.signing {
                return Err(ApiError::precondition(
                    "Error occured during OTP generation: Invalid request status",
                ));
            }
            let now = time::now();
            if let Some(previous) = &request.otp
                && now.as_millisecond() - previous.sent_at_ms < interval_ms
            {
                return Err(ApiError::precondition(
                    "Error occured during OTP generation: Otp generated less than a minute ago",
                ));
            }
            request.otp = Some(Otp {
                code,
                sent_at: time::rfc3339(now),
                sent_at_ms: now.as_millisecond(),
                delivery_method: method.to_string(),
                visible_at_ms: now.as_millisecond().saturating_add(sms_delay),
            });
            Ok(())
        })
        .await
    }

    /// The last message on the customer's phone (`GET /_sim/sms/{pk}`), once delivered.
    pub async fn sms_inbox(&self, pk: u64) -> Option<SmsMessage> {
        self.read(|state| {
            Ok(state
                .requests
                .get(&pk)
                .and_then(|r| r.otp.as_ref())
                .filter(|otp| otp.visible_at_ms <= time::now_ms())
                .map(|otp| SmsMessage {
                    otp: otp.code.clone(),
                    sent_at: otp.sent_at.clone(),
                    delivery_method: otp.delivery_method.clone(),
                }))
        })
        .await
        .ok()
        .flatten()
    }
}
