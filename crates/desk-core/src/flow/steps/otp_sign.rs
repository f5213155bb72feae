//! Reviewed → OtpSent → Signed: the customer's code and the signature.

use crate::error::{DeskError, DeskResult};
use crate::events::NoticeLevel;
use crate::flow::input::{SignAuthInput, SigningMethod};
use crate::flow::model::{FlowState, StepStatus};
use crate::flow::ops::wrong_state;
use crate::flow::routes::Call;
use crate::flow::run::{CallFailure, CallKind, FlowRun};
use jiff::{SignedDuration, Timestamp};
use oneshot_client::{
    DeliveryMethod, DocumentUid, ErrorCode, SignAuth, SignRequest, SignatureAppearance,
    SignatureRect,
};
use secrecy::{ExposeSecret, SecretString};

/// The Optimizer sends at most one code a minute per request.
const OTP_INTERVAL: SignedDuration = SignedDuration::from_secs(60);

pub(crate) async fn send_otp(
    run: &mut FlowRun,
    delivery: Option<DeliveryMethod>,
) -> DeskResult<()> {
    if !matches!(run.state, FlowState::Reviewed | FlowState::OtpSent) {
        return Err(wrong_state(run, "send a code"));
    }
    let delivery = delivery.unwrap_or(match &run.details.signing {
        SigningMethod::Otp { delivery } if delivery == "whatsapp" => DeliveryMethod::Whatsapp,
        _ => DeliveryMethod::Sms,
    });
    let now = Timestamp::now();
    if let Some(sent_at) = run.details.otp.sent_at {
        let ready = sent_at + OTP_INTERVAL;
        if ready > now {
            let error = too_soon(ready.duration_since(now).as_secs().max(1));
            return Err(run.plain_error(error).await);
        }
    }
    let client = run.client()?;
    let pk = run.pk()?;
    run.set_activity(Some("sending_code"));
    let call = run.describe(Call::Otp(pk.0));
    match run
        .call(
            "otp",
            call,
            CallKind::NonIdempotent,
            client.generate_otp(pk, delivery),
        )
        .await
    {
        Ok(()) => {
            run.clear_error();
            record_sent(run, delivery, now);
            run.enter(FlowState::OtpSent).await
        }
        Err(CallFailure::Unknown(error, step)) => {
            // Nothing can be read back about a code; assume it may have reached the customer,
            // who can use it or ask for another after the minute.
            run.close_step(step, Err("otp.outcome_unknown")).await?;
            record_sent(run, delivery, now);
            run.state = FlowState::OtpSent;
            run.notice(
                NoticeLevel::Warning,
                "otp.outcome_unknown",
                "The answer to the code request was lost; the customer may have received a code"
                    .into(),
            );
            Err(run.plain_error(error.into()).await)
        }
        Err(CallFailure::Failed(error)) if error.code() == ErrorCode::OtpTooSoon => {
            // A code went out that this flow did not record (an earlier lost answer).
            if run.details.otp.sent_at.is_none() {
                record_sent(run, delivery, now);
                run.details.otp.sends = run.details.otp.sends.saturating_sub(1);
                run.state = FlowState::OtpSent;
            }
            let ready = run.details.otp.sent_at.unwrap_or(now) + OTP_INTERVAL;
            let mut desk_error = too_soon(ready.duration_since(now).as_secs().max(1));
            desk_error.detail = Some(format!(
                "{}; Optimizer: {}",
                desk_error.detail.unwrap_or_default(),
                error.server_message().unwrap_or("too soon")
            ));
            Err(run.plain_error(desk_error).await)
        }
        Err(failure) => Err(run.call_failed("otp", failure).await),
    }
}

fn record_sent(run: &mut FlowRun, delivery: DeliveryMethod, at: Timestamp) {
    let otp = &mut run.details.otp;
    otp.sent_at = Some(at);
    otp.delivery = Some(delivery.as_str().to_string());
    otp.sends += 1;
}

fn too_soon(seconds: i64) -> DeskError {
    DeskError::new(
        "otp.too_soon",
        format!("A code was sent less than a minute ago; another can be sent in {seconds} s"),
    )
    .with_detail(format!("retry_after_secs={seconds}"))
}

pub(crate) async fn sign(run: &mut FlowRun, auth: SignAuthInput) -> DeskResult<()> {
    let allowed = match &auth {
        SignAuthInput::Otp(_) => run.state == FlowState::OtpSent,
        SignAuthInput::External { .. } => {
            matches!(run.state, FlowState::Reviewed | FlowState::OtpSent)
        }
    };
    if !allowed {
        return Err(wrong_state(run, "sign"));
    }
    let auth = match auth {
        SignAuthInput::Otp(code) => {
            let code = SecretString::from(code.expose_secret().trim().to_string());
            if code.expose_secret().is_empty() {
                return Err(DeskError::new(
                    "otp.empty",
                    "Enter the code the customer received",
                ));
            }
            SignAuth::Otp(code)
        }
        SignAuthInput::External {
            unlock_type,
            unlock_value,
            customer_code,
        } => SignAuth::External {
            unlock_type,
            customer_code: customer_code.unwrap_or_else(|| unlock_value.clone()),
            unlock_value,
        },
    };
    let request = SignRequest {
        auth,
        appearance: Some(appearance(run)?),
        documents: run
            .details
            .documents
            .iter()
            .filter_map(|d| d.remote_uid.clone().map(DocumentUid))
            .collect(),
    };
    let client = run.client()?;
    let pk = run.pk()?;
    run.set_activity(Some("signing"));
    let call = run.describe(Call::Sign(pk.0));
    match run
        .call(
            "sign",
            call,
            CallKind::NonIdempotent,
            client.sign(pk, &request),
        )
        .await
    {
        Ok(outcome) => {
            if outcome.queued {
                // Signed in the background: the wait for its end follows (`async_sign`).
                run.notice(
                    NoticeLevel::Info,
                    "sign.queued",
                    "The Optimizer signs asynchronously; retrieval waits for the documents".into(),
                );
                run.clear_error();
                run.details.signing_queued_at = Some(Timestamp::now());
                return run.save().await;
            }
            mark_signed(run).await
        }
        Err(CallFailure::Failed(error)) if error.code() == ErrorCode::RequestAlreadySigned => {
            run.notice(
                NoticeLevel::Info,
                "flow.already_signed",
                "The Optimizer reports the request signed already; retrieving the documents".into(),
            );
            mark_signed(run).await
        }
        Err(CallFailure::Failed(error)) if error.code() == ErrorCode::OtpInvalid => {
            run.details.otp.wrong_attempts += 1;
            Err(run.plain_error(error.into()).await)
        }
        Err(failure) => Err(run.call_failed("sign", failure).await),
    }
}

pub(crate) async fn mark_signed(run: &mut FlowRun) -> DeskResult<()> {
    run.clear_error();
    run.details.signing_queued_at = None;
    run.details.signed_at = Some(Timestamp::now());
    for document in &mut run.details.documents {
        document.sign = StepStatus::Done;
    }
    run.enter(FlowState::Signed).await
}

fn appearance(run: &FlowRun) -> DeskResult<SignatureAppearance> {
    let spec = &run.details.appearance;
    let position: crate::settings::SignaturePosition = spec.position.parse().map_err(|reason| {
        DeskError::new(
            "flow.appearance_invalid",
            "The signature position is not valid",
        )
        .with_detail(reason)
    })?;
    Ok(SignatureAppearance {
        text: spec.text.clone(),
        date_format: None,
        timezone: None,
        position: Some(SignatureRect {
            x1: position.x1,
            y1: position.y1,
            x2: position.x2,
            y2: position.y2,
        }),
        page: Some(spec.page),
        image: None,
    })
}
