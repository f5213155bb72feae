//! Draft → VideoPending: the VideoID create call with the customer's contact data.

use crate::desk::blocking;
use crate::error::{DeskError, DeskResult};
use crate::flow::classic::create::{CUSTOMER_FILE, billing, read_customer};
use crate::flow::model::{FlowState, StatusSource};
use crate::flow::routes::Call;
use crate::flow::run::{CallKind, FlowRun};
use crate::journal::{ApiLayout, FlowKind};
use jiff::Timestamp;
use oneshot_client::{CreateVideoId, Environment};

pub(crate) async fn create(run: &mut FlowRun) -> DeskResult<()> {
    let customer = read_customer(run).await?;
    let settings = run.desk.read_settings().values().clone();
    // The legacy API takes the webhook URL in the call ("for testing"); current Optimizers
    // call the URL configured on the RA, which IT points at the receiver, so it only has to run.
    // Without a receiver the desk reads the status back on its schedule, so a receiver that
    // cannot start is reported, not fatal.
    let webhook_url = match run.record.layout {
        ApiLayout::Legacy => run.desk.webhook_url(&run.record.optimizer_url).await,
        ApiLayout::Current => run.desk.ensure_webhooks().await.map(|_| None),
    }
    .unwrap_or_else(|error| {
        run.notice(
            crate::events::NoticeLevel::Warning,
            error.code.as_str(),
            format!("No webhooks for this identification: {}", error.message),
        );
        None
    });
    let request = CreateVideoId {
        mobile_phone_number: customer.mobile_phone_number.clone(),
        email: customer.email.clone(),
        registration_authority: customer.registration_authority.clone().or_else(|| {
            settings
                .request
                .registration_authority
                .as_ref()
                .map(|r| r.as_str().to_string())
        }),
        profile: customer
            .profile
            .clone()
            .or_else(|| settings.request.profile.map(|p| p.as_str().to_string())),
        billing: billing(run).await?,
        env: settings.request.environment.map(|e| match e {
            crate::settings::Environment::Sandbox => Environment::Sandbox,
            crate::settings::Environment::Prod => Environment::Prod,
        }),
        webhook_url,
        // The guides send `videoid_mode: 1`; no schema documents it, and the RA's configured
        // mode decides eIDAS or external, so the desk leaves it out.
        videoid_mode: None,
    };
    let client = run.client()?;
    run.set_activity(Some("creating"));
    let call = run.describe(Call::CreateVideoId);
    let created = match run
        .call(
            "create",
            call,
            CallKind::NonIdempotent,
            client.create_videoid(&request),
        )
        .await
    {
        Ok(created) => created,
        Err(failure) => return Err(run.call_failed("create", failure).await),
    };
    let out_of_range =
        || DeskError::new("optimizer.bad_response", "The request pk is out of range");
    let pk = i64::try_from(created.ids.request_pk.0).map_err(|_| out_of_range())?;
    let vpk = i64::try_from(created.ids.videoid_pk.0).map_err(|_| out_of_range())?;
    let journal = run.desk.journal.clone();
    let id = run.id();
    blocking(move || {
        journal.set_request_pk(id, pk)?;
        journal.set_videoid_pk(id, vpk)
    })
    .await?;
    if run.record.flow_kind == FlowKind::VideoidEidas && created.link.is_none() {
        run.notice(
            crate::events::NoticeLevel::Warning,
            "videoid.no_link",
            "The Optimizer gave no identification link: is the Registration Authority set up \
             for eIDAS VideoID?"
                .into(),
        );
    }
    let video = run.details.videoid.get_or_insert_default();
    video.videoid_pk = Some(created.ids.videoid_pk.0);
    video.link = created.link;
    video.remote_status = Some("VIDEOPENDING".into());
    video.remote_status_at = Some(Timestamp::now());
    video.remote_status_source = Some(StatusSource::Answer);
    run.clear_error();
    run.enter(FlowState::VideoPending).await?;
    if run.record.flow_kind == FlowKind::VideoidEidas {
        // The contact data was only kept to create the request (an external identification
        // still needs it to complete the evidences).
        let _ = tokio::fs::remove_file(run.working_dir().join(CUSTOMER_FILE)).await;
    }
    Ok(())
}
