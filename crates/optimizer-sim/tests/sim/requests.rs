//! Create request rules, the request record, update and cancel, in both layouts.

use crate::common::{BOTH, L, Sim, png_part};
use reqwest::multipart::{Form, Part};
use serde_json::json;

async fn create_error(sim: &Sim, layout: L, form: Form) -> (u16, serde_json::Value) {
    let res = sim.multipart(&layout.create_path(), form).await;
    (res.status, layout.error_text(&res.body))
}

#[tokio::test]
async fn create_answers_in_each_envelope() {
    let sim = Sim::start().await;
    let res = sim
        .multipart("/oneshot/api/v1/create", Sim::customer_form())
        .await;
    assert_eq!(res.status, 201);
    let pk = res.body["details"]["pk"].as_u64().unwrap();
    assert_eq!(
        res.body,
        json!({"status": "success", "message": format!("Request created with pk {pk}"), "details": {"pk": pk, "asyncmode": false}})
    );
    let res = sim.multipart("/api/v1/request", Sim::customer_form()).await;
    assert_eq!(res.status, 201);
    assert_eq!(
        res.body,
        json!({"status": "201 Created", "details": pk + 1})
    );
    for layout in BOTH {
        assert_eq!(sim.status_of(layout, pk).await, "ENROLLREADY");
    }
}

#[tokio::test]
async fn create_enforces_the_documented_rules() {
    let sim = Sim::start().await;
    for layout in BOTH {
        let f = Sim::customer_form;
        let cases: Vec<(Form, u16, serde_json::Value)> = vec![
            (
                f().text("mobile_phone_number", ""),
                400,
                json!("Missing parameter: mobile_phone_number required"),
            ),
            (
                f().text("mobile_phone_number", "600123123"),
                400,
                json!("Please use the mobile phone number with an international prefix"),
            ),
            (
                f().text("mobile_phone_number", "+34abc"),
                412,
                json!(
                    "Error occured during request approval: Invalid request fields: mobile_phone_number"
                ),
            ),
            (
                f().text("email", "not-an-email"),
                400,
                json!("Enter a valid email address"),
            ),
            (
                f().text("email", ""),
                500,
                json!({"email": ["This field may not be blank"]}),
            ),
            (
                f().text("id_document_type", "XYZ"),
                400,
                json!(
                    "The id_document_type specified is not valid. Valid options are IDC, PAS, PNO, TIN, CI, CE"
                ),
            ),
            (
                f().text("id_document_country", "ESX"),
                500,
                json!({"id_document_country": ["'ESX' is not a valid ISO 3166-1 alpha-2 country code"]}),
            ),
            (
                f().text("given_name", ""),
                412,
                json!("Error occured during request approval: Invalid request fields: given_name"),
            ),
            (
                f().text("serial_number", ""),
                412,
                json!(
                    "Error occured during request approval: Invalid request fields: serial_number"
                ),
            ),
            (
                f().text("profile", "PFbogus"),
                403,
                json!("You do not have permission to perform this action"),
            ),
            (
                f().text("env", "test"),
                400,
                json!("Environment test does not exist"),
            ),
            (
                f().text("env", "prod"),
                400,
                json!("The specified environment is not available"),
            ),
            (
                f().text("communication_language", "FR"),
                412,
                json!(
                    "Error occured during request approval: Invalid request fields: communication_language"
                ),
            ),
            (
                f().text("billing_username", "x")
                    .text("billing_password", "not base64!"),
                500,
                json!("Billing credentials not valid. Please check if they are base64 encoded"),
            ),
        ];
        for (form, status, text) in cases {
            assert_eq!(
                create_error(&sim, layout, form).await,
                (status, text.clone()),
                "{layout:?} {text}"
            );
        }
        // Missing email entirely: the field-error object.
        let form = Form::new()
            .text("given_name", "A")
            .text("surname_1", "B")
            .text("serial_number", "1")
            .text("mobile_phone_number", "+34600123123")
            .text("token", optimizer_sim::config::SANDBOX_TOKEN)
            .part("document_front", png_part("f.png"))
            .part("document_rear", png_part("r.png"));
        assert_eq!(
            create_error(&sim, layout, form).await,
            (500, json!({"email": ["This field is required"]}))
        );
        // ID images are required (front and rear) and must be JPEG or PNG.
        let no_rear = Form::new()
            .text("given_name", "A")
            .text("surname_1", "B")
            .text("serial_number", "1")
            .text("email", "a@b.es")
            .text("mobile_phone_number", "+34600123123")
            .text("token", optimizer_sim::config::SANDBOX_TOKEN)
            .part("document_front", png_part("f.png"));
        assert_eq!(
            create_error(&sim, layout, no_rear).await,
            (
                400,
                json!("Error occured during request approval: Missing required docs")
            )
        );
        let gif = Sim::customer_form().part(
            "document_front",
            Part::bytes(b"GIF89a....".to_vec()).file_name("f.gif"),
        );
        assert_eq!(
            create_error(&sim, layout, gif).await,
            (415, json!("Image file type not supported: gif"))
        );
    }
}

#[tokio::test]
async fn settings_defaults_can_be_absent() {
    let sim = Sim::with(|c| {
        c.env = None;
        c.billing = None;
        c.default_profile = None;
        c.default_ra = None;
        c.require_id_documents = false;
    })
    .await;
    let bare = || {
        Form::new()
            .text("given_name", "A")
            .text("surname_1", "B")
            .text("serial_number", "1")
            .text("email", "a@b.es")
            .text("mobile_phone_number", "+34600123123")
            .text("token", optimizer_sim::config::SANDBOX_TOKEN)
    };
    assert_eq!(
        create_error(&sim, L::Legacy, bare()).await,
        (
            400,
            json!("Missing env parameter. Please set it in settings or specify it as parameter")
        )
    );
    let with_env = || bare().text("env", "sandbox");
    assert_eq!(
        create_error(&sim, L::Legacy, with_env()).await,
        (
            500,
            json!(
                "Cannot check the remaining credit for the billing user. Please check the credentials"
            )
        )
    );
    let billed = || {
        with_env()
            .text("billing_username", "me")
            .text("billing_password", "cHc=")
    };
    assert_eq!(
        create_error(&sim, L::Current, billed()).await,
        (
            412,
            json!("Error occured during request approval: Invalid request fields: profile")
        )
    );
    let profiled = || billed().text("profile", "PFnubeNC");
    assert_eq!(
        create_error(&sim, L::Current, profiled()).await,
        (
            412,
            json!(
                "Error occured during request approval: Invalid request fields: registration_authority"
            )
        )
    );
    let pk = sim
        .create_with(L::Current, profiled().text("registration_authority", "139"))
        .await;
    let res = sim.get(&format!("/api/v1/request/{pk}")).await;
    assert_eq!(res.body["details"]["registration_authority"], 139);
    assert_eq!(res.body["details"]["profile"], "PFnubeNC");
}

#[tokio::test]
async fn request_record_update_and_cancel() {
    let sim = Sim::start().await;
    let pk = sim.create_request(L::Current).await;
    for layout in BOTH {
        let res = sim.get(&format!("{}/request/{pk}", layout.prefix())).await;
        let record = &res.body["details"];
        assert_eq!(record["pk"], pk);
        assert_eq!(record["given_name"], "Ana");
        assert_eq!(record["surname_2"], "López");
        assert_eq!(record["mobile_phone_number"], "34600123123");
        assert_eq!(record["id_document_type"], "IDC");
        assert_eq!(record["scratchcard"].as_str().unwrap().len(), 7);
        assert!(record["approving_rao"]["certificate"].is_object());
        assert!(
            record
                .as_object()
                .unwrap()
                .contains_key("citizen_tax_number")
        );
        let res = sim
            .get(&format!("{}/request/999999", layout.prefix()))
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                404,
                json!("Request not found. Make sure the upload directory is correct.")
            )
        );
        let res = sim
            .get(&format!("{}/request/not-a-number", layout.prefix()))
            .await;
        assert_eq!(res.status, 404);
    }
    let (status, contract_before, ctype) = sim.get_bytes(&L::Legacy.contract_path(pk)).await;
    assert_eq!((status, ctype.as_str()), (200, "application/pdf"));
    assert!(contract_before.starts_with(b"%PDF-"));
    let scratchcard =
        sim.get(&format!("/api/v1/request/{pk}")).await.body["details"]["scratchcard"].clone();
    let update = json!({"scratchcard": scratchcard, "country_name": "PT", "email": "ana@new.example", "profile": "PFnubeNC", "registration_authority": "9999", "surname_2": "Pérez"});
    let res = sim
        .put(&format!("/api/v1/request/{pk}"), update.clone())
        .await;
    assert_eq!(
        res.body,
        json!({"status": "200 OK", "details": "Request updated"})
    );
    let res = sim
        .put(
            &format!("/oneshot/api/v1/request/{pk}"),
            json!({"scratchcard": scratchcard}),
        )
        .await;
    assert_eq!(
        (res.status, res.body["detail"].clone()),
        (400, json!("Missing required parameters"))
    );
    let record = sim.get(&format!("/oneshot/api/v1/request/{pk}")).await.body["details"].clone();
    assert_eq!(
        (
            record["email"].clone(),
            record["id_document_country"].clone(),
            record["surname_2"].clone()
        ),
        (json!("ana@new.example"), json!("PT"), json!("Pérez"))
    );
    // The contract shows the updated data.
    let (_, contract_after, _) = sim.get_bytes(&L::Current.contract_path(pk)).await;
    assert!(contract_after.starts_with(b"%PDF-") && contract_after != contract_before);
    // Cancel removes the files and keeps the record as CANCELLED.
    let res = sim.delete(&format!("/oneshot/api/v1/request/{pk}")).await;
    assert_eq!(
        res.body,
        json!({"status": "success", "message": "Request directory removed successfully"})
    );
    assert_eq!(sim.status_of(L::Legacy, pk).await, "CANCELLED");
    assert!(
        !sim.handle
            .data_dir()
            .join(format!("requests/{pk}"))
            .exists()
    );
    let res = sim.delete(&format!("/api/v1/request/{pk}")).await;
    assert_eq!(
        res.body,
        json!({"status": "404 Not Found", "details": format!("Request {pk} not found")})
    );
}

#[tokio::test]
async fn async_mode_create_and_legacy_async_status() {
    let sim = Sim::start().await;
    let form = Sim::customer_form()
        .text("useasync", "true")
        .text("callback", "http://127.0.0.1:9/hook");
    let res = sim.multipart("/oneshot/api/v1/create", form).await;
    assert_eq!(res.body["details"]["asyncmode"], true, "{}", res.body);
    let pk = res.body["details"]["pk"].as_u64().unwrap();
    let res = sim.get(&format!("/api/v1/async/status/{pk}")).await;
    assert_eq!(res.body, json!({"status": "200 OK", "details": "approved"}));
    let res = sim.get("/api/v1/async/status/424242").await;
    assert_eq!(
        res.body,
        json!({"status": "404 Not Found", "details": "Request 424242 not found. Make sure the upload directory is correct"})
    );
    let bad = Sim::customer_form().text("callback", "not a url");
    assert_eq!(
        create_error(&sim, L::Current, bad).await,
        (
            412,
            json!("Error occured during request approval: Invalid request fields: callback")
        )
    );
}

#[tokio::test]
async fn unknown_routes_say_so_in_each_framework_style() {
    let sim = Sim::start().await;
    let res = sim.get("/oneshot/api/v1/nothing").await;
    assert_eq!(
        (res.status, res.body.clone()),
        (404, json!({"detail": "Not Found"}))
    );
    let res = sim.get("/api/v1/nothing").await;
    assert_eq!(
        (res.status, res.body.clone()),
        (404, json!({"title": "404 Not Found"}))
    );
    let res = sim.delete("/oneshot/api/v1/tokens").await;
    assert_eq!(
        (res.status, res.body.clone()),
        (405, json!({"detail": "Method Not Allowed"}))
    );
    // The current layout has no hello (AGREED-API.md); the legacy one does.
    assert_eq!(sim.get("/oneshot/api/v1/hello").await.status, 404);
    assert_eq!(
        sim.get("/api/v1/hello").await.body,
        json!({"status": "200 OK", "details": "Hello"})
    );
    // Trailing slashes and the doubled prefix of the newer docs' samples are accepted.
    assert_eq!(sim.get("/oneshot/api/v1/tokens/").await.status, 200);
    assert_eq!(sim.get("/oneshot/api/v1/api/v1/tokens").await.status, 200);
}
