use crate::support::multipart::parts;
use crate::support::{Api, current, legacy};
use oneshot_client::{ErrorCode, FileInput, ImageSize, ImageUid, Layout, TransferControl};
use serde_json::json;
use wiremock::ResponseTemplate;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n-signature-graphic";

#[tokio::test]
async fn upload_image_in_both_layouts() {
    for api in Api::both().await {
        let answer = match api.layout {
            Layout::Current => ResponseTemplate::new(200).set_body_json(json!({
                "status": "success", "message": "Image uploaded with uid '463156ce'",
                "details": {"image_uid": "463156ce"}
            })),
            Layout::Legacy => legacy::ok(json!("463156ce")),
        };
        api.on("POST", "/image")
            .respond_with(answer)
            .expect(1)
            .mount(&api.server)
            .await;
        let uid = api
            .client
            .upload_image(
                &FileInput::bytes("rubric.png", PNG),
                &TransferControl::new(),
            )
            .await
            .unwrap();
        assert_eq!(uid, ImageUid::from("463156ce"));
        let sent = parts(&api.received().await[0]);
        assert_eq!(sent[0].name, "image");
        assert_eq!(sent[0].content_type.as_deref(), Some("image/png"));
        assert_eq!(sent[0].body, PNG);
    }
}

#[tokio::test]
async fn documented_image_errors() {
    for api in Api::both().await {
        api.on("POST", "/image")
            .respond_with(api.error(415, "Image file type not supported: image/gif"))
            .mount(&api.server)
            .await;
        api.on("GET", "/image/missing")
            .respond_with(api.error(404, "Image with uid missing not found"))
            .mount(&api.server)
            .await;
        api.on("DELETE", "/image/missing")
            .respond_with(api.error(404, "Image with uid missing not found on disk"))
            .mount(&api.server)
            .await;
        let err = api
            .client
            .upload_image(
                &FileInput::bytes("x.gif", &b"GIF89a"[..]),
                &TransferControl::new(),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::ImageUnsupportedType);
        let mut out = Vec::new();
        let err = api
            .client
            .download_image(
                &ImageUid::from("missing"),
                &mut out,
                &TransferControl::new(),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::ImageNotFound);
        let err = api
            .client
            .delete_image(&ImageUid::from("missing"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::ImageNotFound);
    }
}

#[tokio::test]
async fn get_list_and_delete_images() {
    let dir = tempfile::tempdir().unwrap();
    for api in Api::both().await {
        api.on("GET", "/image/i1")
            .respond_with(ResponseTemplate::new(200).set_body_raw(PNG, "image/png"))
            .mount(&api.server)
            .await;
        api.on("GET", "/images")
            .respond_with(api.ok(json!({
                "2d845d2c": {"upload_date": "2021-06-02 02:12:16.369317", "ext": ".png", "size": [1920, 1080], "mime": "image/png", "filename": "tmprubric-1.png"},
                "33a1886f": {"upload_date": "2021-06-03 15:18:20.671054", "ext": ".png", "size": 5120, "mime": "image/png", "filename": "tmprubric-2.png"}
            })))
            .mount(&api.server)
            .await;
        api.on("DELETE", "/image/i1")
            .respond_with(api.done("Image deleted"))
            .expect(1)
            .mount(&api.server)
            .await;
        api.on("DELETE", "/images")
            .respond_with(api.done("Images deleted successfully"))
            .expect(1)
            .mount(&api.server)
            .await;

        let path = dir.path().join(format!("{:?}.png", api.layout));
        let got = api
            .client
            .download_image_to_path(&ImageUid::from("i1"), &path, &TransferControl::new())
            .await
            .unwrap();
        assert_eq!(got.bytes, PNG.len() as u64);
        assert_eq!(std::fs::read(&path).unwrap(), PNG);

        let mut images = api.client.list_images().await.unwrap();
        images.sort_by(|a, b| a.uid.cmp(&b.uid));
        assert_eq!(
            images[0].size,
            Some(ImageSize::Pixels {
                width: 1920,
                height: 1080
            })
        );
        assert_eq!(images[1].size, Some(ImageSize::Bytes(5120)));
        assert_eq!(images[0].file_name.as_deref(), Some("tmprubric-1.png"));

        api.client
            .delete_image(&ImageUid::from("i1"))
            .await
            .unwrap();
        api.client.delete_all_images().await.unwrap();
    }
}

#[tokio::test]
async fn an_empty_image_list() {
    let api = Api::new(Layout::Current).await;
    api.on("GET", "/images")
        .respond_with(current::ok(json!({})))
        .mount(&api.server)
        .await;
    assert!(api.client.list_images().await.unwrap().is_empty());
}
