//! desk-core runs client calls on a multi-threaded runtime: the client and the futures of its
//! calls must be `Send` (and the client `Sync`). This is checked at compile time.

use oneshot_client::{
    Client, DeliveryMethod, DocumentKind, DocumentUid, FileInput, RequestPk, SignAuth, SignRequest,
    TransferControl, VideoIdRef,
};
use std::future::Future;

fn require_send<F: Future + Send>(future: F) -> F {
    future
}

fn require_send_sync<T: Send + Sync + 'static>() {}

fn require_clone<T: Clone>() {}

#[test]
fn the_client_and_its_futures_are_send() {
    require_send_sync::<Client>();
    require_clone::<Client>();
    require_send_sync::<oneshot_client::Error>();
    let client = Client::builder("http://127.0.0.1:9").build().unwrap();
    let control = TransferControl::new();
    let files = vec![FileInput::path("/nonexistent.pdf")];
    let sign = SignRequest {
        auth: SignAuth::Otp("1".into()),
        appearance: None,
        documents: vec![],
    };
    let mut sink: Vec<u8> = Vec::new();
    let ids = VideoIdRef {
        videoid_pk: oneshot_client::VideoIdPk(1),
        request_pk: RequestPk(1),
    };
    // The futures are only built, never polled: building them is enough for the type check.
    drop(require_send(client.layout()));
    drop(require_send(client.list_tokens()));
    drop(require_send(
        client.create_request(&Default::default(), &control),
    ));
    drop(require_send(
        client.generate_otp(RequestPk(1), DeliveryMethod::Sms),
    ));
    drop(require_send(client.sign(RequestPk(1), &sign)));
    drop(require_send(client.upload_documents(
        RequestPk(1),
        &files,
        &control,
    )));
    drop(require_send(client.download_document(
        RequestPk(1),
        &DocumentUid::from("d"),
        DocumentKind::Signed,
        &mut sink,
        &control,
    )));
    drop(require_send(client.download_contract_to_path(
        RequestPk(1),
        "/tmp/x".as_ref(),
        &control,
    )));
    drop(require_send(
        client.upload_videoid_video(&ids, &files[0], &control),
    ));
    drop(require_send(client.approve_videoid(
        &ids,
        &oneshot_client::RaoDecision {
            auth: Default::default(),
            rao_id: "1".into(),
            reason: None,
        },
    )));
}
