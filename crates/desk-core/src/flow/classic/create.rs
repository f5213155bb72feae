//! Draft → Created: the create call, with the customer's data, ID photos and RAO token.

use crate::customer::CustomerDraft;
use crate::desk::blocking;
use crate::error::{DeskError, DeskResult};
use crate::flow::model::FlowState;
use crate::flow::routes::Call;
use crate::flow::run::{CallKind, FlowRun};
use crate::vault::SecretKey;
use oneshot_client::{
    BillingCredentials, CreateRequest, Environment, FileInput, IdDocumentType, RaoAuth, TokenUid,
    TransferControl,
};

/// The customer's data in the working folder, until the request exists.
pub(crate) const CUSTOMER_FILE: &str = "customer.json";

pub(crate) async fn create(run: &mut FlowRun, token: TokenUid) -> DeskResult<()> {
    let customer = read_customer(run).await?;
    let mut request = create_request(run, &customer, token).await?;
    let asynchronous = run.desk.read_settings().values().videoid.async_mode;
    if asynchronous {
        // Signing then ends by webhook to the desk's receiver (when it runs), else the desk
        // reads the request back.
        let callback = run.desk.webhook_url(&run.record.optimizer_url).await?;
        request.asynchronous = Some(callback);
    }
    let client = run.client()?;
    run.set_activity(Some("creating"));
    let call = run.describe(Call::Create);
    let created = match run
        .call(
            "create",
            call,
            CallKind::NonIdempotent,
            client.create_request(&request, &TransferControl::new()),
        )
        .await
    {
        Ok(created) => created,
        Err(failure) => return Err(run.call_failed("create", failure).await),
    };
    let pk = i64::try_from(created.pk.0)
        .map_err(|_| DeskError::new("optimizer.bad_response", "The request pk is out of range"))?;
    let journal = run.desk.journal.clone();
    let id = run.id();
    blocking(move || journal.set_request_pk(id, pk)).await?;
    run.details.asynchronous = asynchronous && created.asynchronous != Some(false);
    run.clear_error();
    run.enter(FlowState::Created).await?;
    // The identity data was only kept to create the request.
    let _ = tokio::fs::remove_file(run.working_dir().join(CUSTOMER_FILE)).await;
    Ok(())
}

pub(crate) async fn read_customer(run: &FlowRun) -> DeskResult<CustomerDraft> {
    let path = run.working_dir().join(CUSTOMER_FILE);
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        DeskError::new(
            "flow.customer_missing",
            "The customer's data for this flow is no longer on this computer; cancel the flow \
             and start again",
        )
        .with_detail(e.to_string())
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        DeskError::new(
            "journal.corrupt",
            "The customer's data of this flow is damaged",
        )
        .with_detail(e.to_string())
    })
}

/// The billing account (`billing.username`) with its password from the keyring, when both
/// exist; otherwise the Optimizer's own billing settings apply.
pub(crate) async fn billing(run: &FlowRun) -> DeskResult<Option<BillingCredentials>> {
    let username = run.desk.read_settings().values().billing.username.clone();
    let Some(username) = username else {
        return Ok(None);
    };
    let vault = run.desk.vault.clone();
    let key = SecretKey::BillingPassword {
        username: username.as_str().to_string(),
    };
    Ok(blocking(move || vault.get(&key))
        .await?
        .map(|password| BillingCredentials::new(username.as_str(), password)))
}

pub(crate) async fn create_request(
    run: &FlowRun,
    customer: &CustomerDraft,
    token: TokenUid,
) -> DeskResult<CreateRequest> {
    let settings = run.desk.read_settings().values().clone();
    let billing = billing(run).await?;
    let images = &run.details.id_images;
    Ok(CreateRequest {
        given_name: customer.given_name.clone(),
        surname_1: customer.surname_1.clone(),
        surname_2: customer.surname_2.clone(),
        id_document_type: Some(match customer.document_type().as_str() {
            "IDC" => IdDocumentType::Idc,
            "PAS" => IdDocumentType::Pas,
            "PNO" => IdDocumentType::Pno,
            "TIN" => IdDocumentType::Tin,
            "CI" => IdDocumentType::Ci,
            "CE" => IdDocumentType::Ce,
            other => IdDocumentType::Other(other.to_string()),
        }),
        id_document_country: Some(customer.document_country()),
        serial_number: customer.serial_number.clone(),
        email: customer.email.clone(),
        mobile_phone_number: customer.mobile_phone_number.clone(),
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
        rao: RaoAuth::token(token),
        document_front: images.front.clone().map(FileInput::path),
        document_rear: images.rear.clone().map(FileInput::path),
        document_owner: images.selfie.clone().map(FileInput::path),
        extra_document: None,
        env: settings.request.environment.map(|e| match e {
            crate::settings::Environment::Sandbox => Environment::Sandbox,
            crate::settings::Environment::Prod => Environment::Prod,
        }),
        billing,
        asynchronous: None,
        communication_language: customer.communication_language.clone().or_else(|| {
            settings
                .request
                .communication_language
                .as_ref()
                .map(|l| l.as_str().to_string())
        }),
        residence: customer.residence.clone(),
        residence_city: customer.residence_city.clone(),
        residence_postal_code: customer.residence_postal_code.clone(),
        residence_address: customer.residence_address.clone(),
        special_conditions: customer.special_conditions.clone(),
    })
}
