//! The floor of the whole-flow benchmark: the guide's calls made through oneshot-client and
//! nothing else. One client (its connections reused), every signed file fetched at once and
//! thrown away as it arrives; no journal, no hashing, no check, nothing written to disk.
//!
//! What is left is the Optimizer's own work and the bytes on the wire, so no client making these
//! calls can finish the flow faster against the same simulator: `script / bare` is the best
//! speed-up over the script such a client could reach in the run. (Sending each document in its
//! own upload call, all at once, takes ~50 ms off the simulator's upload; the desk keeps to one
//! call, as the guide does, because the Optimizer's documentation says nothing of concurrent
//! uploads into one request.)

use oneshot_client::{
    Client, CreateRequest, DeliveryMethod, DocumentKind, FileInput, IdDocumentType, LayoutMode,
    RaoAuth, SignAuth, SignRequest, TokenUid, TransferControl,
};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// Runs the flow once and returns its wall time.
pub async fn flow(base_url: &str, documents: &[PathBuf], front: &Path, rear: &Path) -> Duration {
    let start = Instant::now();
    let client = Client::builder(base_url)
        .layout(LayoutMode::Current)
        .build()
        .unwrap();
    let control = TransferControl::new();
    let pk = client
        .create_request(&request(front, rear), &control)
        .await
        .unwrap()
        .pk;
    let files: Vec<FileInput> = documents.iter().map(FileInput::path).collect();
    let uploaded = client.upload_documents(pk, &files, &control).await.unwrap();
    client
        .download_contract(pk, &mut tokio::io::sink(), &control)
        .await
        .unwrap();
    client.generate_otp(pk, DeliveryMethod::Sms).await.unwrap();
    let code = desk_core::practice::fetch_practice_code(base_url, pk.0, None)
        .await
        .unwrap();
    let sign = SignRequest {
        auth: SignAuth::Otp(code.code.into()),
        appearance: None,
        documents: Vec::new(),
    };
    client.sign(pk, &sign).await.unwrap();

    let mut downloads = JoinSet::new();
    for document in uploaded {
        let client = client.clone();
        downloads.spawn(async move {
            client
                .download_document(
                    pk,
                    &document.uid,
                    DocumentKind::Signed,
                    &mut tokio::io::sink(),
                    &TransferControl::new(),
                )
                .await
                .map(drop)
        });
    }
    let contract = client.clone();
    downloads.spawn(async move {
        contract
            .download_contract(pk, &mut tokio::io::sink(), &TransferControl::new())
            .await
            .map(drop)
    });
    while let Some(done) = downloads.join_next().await {
        done.unwrap().unwrap();
    }
    client.delete_all_documents(pk).await.unwrap();
    start.elapsed()
}

/// The same customer as the desk's and the script's runs.
fn request(front: &Path, rear: &Path) -> CreateRequest {
    CreateRequest {
        given_name: "Ana".into(),
        surname_1: "García".into(),
        surname_2: Some("López".into()),
        id_document_type: Some(IdDocumentType::Idc),
        id_document_country: Some("ES".into()),
        serial_number: "12345678Z".into(),
        email: "ana.garcia@example.com".into(),
        mobile_phone_number: "+34612345678".into(),
        rao: RaoAuth::token(TokenUid::new(optimizer_sim::config::SANDBOX_TOKEN)),
        document_front: Some(FileInput::path(front)),
        document_rear: Some(FileInput::path(rear)),
        ..CreateRequest::default()
    }
}
