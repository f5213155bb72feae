//! Signature images in both layouts.

use crate::common::{BOTH, Sim};
use crate::fixtures;
use reqwest::multipart::{Form, Part};
use serde_json::json;

fn png_form(w: u32, h: u32) -> Form {
    Form::new().part(
        "image",
        Part::bytes(fixtures::png(w, h))
            .file_name("sig.png")
            .mime_str("image/png")
            .unwrap(),
    )
}

#[tokio::test]
async fn image_lifecycle_in_both_layouts() {
    let sim = Sim::start().await;
    let res = sim
        .multipart("/oneshot/api/v1/image", png_form(40, 20))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let current = res.body["details"]["image_uid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        res.body["message"],
        format!("Image uploaded with uid '{current}'")
    );
    let res = sim.multipart("/api/v1/image", png_form(10, 30)).await;
    assert_eq!(res.body["status"], "200 OK");
    let legacy = res.body["details"].as_str().unwrap().to_string();
    for layout in BOTH {
        let (status, bytes, ctype) = sim
            .get_bytes(&format!("{}/image/{current}", layout.prefix()))
            .await;
        assert_eq!(
            (status, ctype.as_str(), bytes),
            (200, "image/png", fixtures::png(40, 20))
        );
        let res = sim.get(&format!("{}/images", layout.prefix())).await;
        let entry = &res.body["details"][&legacy];
        assert_eq!(
            (
                entry["size"].clone(),
                entry["ext"].clone(),
                entry["mime"].clone()
            ),
            (json!([10, 30]), json!(".png"), json!("image/png"))
        );
        assert_eq!(res.body["details"].as_object().unwrap().len(), 2);
    }
    let res = sim
        .delete(&format!("/oneshot/api/v1/image/{current}"))
        .await;
    assert_eq!(
        res.body,
        json!({"status": "success", "message": "Image deleted"})
    );
    let res = sim.delete(&format!("/api/v1/image/{current}")).await;
    assert_eq!(
        res.body,
        json!({"status": "404 Not Found", "details": format!("Image with uid {current} not found on disk")})
    );
    let res = sim.get(&format!("/api/v1/image/{current}")).await;
    assert_eq!(
        res.body,
        json!({"status": "404 Not Found", "details": format!("Image with uid {current} not found")})
    );
    let res = sim.delete("/api/v1/images").await;
    assert_eq!(
        res.body,
        json!({"status": "200 OK", "details": "Images deleted successfully"})
    );
    let res = sim.get("/oneshot/api/v1/images").await;
    assert_eq!(res.body["details"], json!({}));
}

#[tokio::test]
async fn only_png_images_are_accepted() {
    let sim = Sim::start().await;
    for layout in BOTH {
        let path = format!("{}/image", layout.prefix());
        let jpeg = Form::new().part(
            "image",
            Part::bytes(vec![0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).file_name("photo.jpg"),
        );
        let res = sim.multipart(&path, jpeg).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (415, json!("Image file type not supported: jpg"))
        );
        let res = sim.multipart(&path, Form::new().text("other", "x")).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (400, json!("Missing required parameter: 'image'"))
        );
    }
    assert_eq!(sim.get("/api/v1/images").await.body["details"], json!({}));
}
