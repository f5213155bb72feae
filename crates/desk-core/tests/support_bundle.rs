//! The support bundle against the real keyring: a stored token's value never goes in.
#![allow(clippy::unwrap_used)]

use desk_core::diagnostics::BundleRequest;
use desk_core::flow::TokenChoice;
use desk_core::paths::Paths;
use desk_core::{Desk, DeskOptions};
use std::io::Read;

#[tokio::test(flavor = "multi_thread")]
async fn the_bundle_holds_its_parts_and_no_keyring_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = DeskOptions::new(Paths::under(dir.path()));
    options.keyring_service = Some(format!("oneshot-desk-test-{}-bundle", std::process::id()));
    let desk = Desk::open(options, |_| {}).unwrap();
    let token = "tok-9f8e7d6c-recognisable-5b4a";
    desk.store_token("Front desk", token.to_string().into(), None, true)
        .await
        .unwrap();
    std::fs::create_dir_all(&desk.paths().log_dir).unwrap();
    std::fs::write(
        desk.paths().log_dir.join("oneshot-desk.2026-11-20.log"),
        format!("WARN pasted {token} here\nINFO pin=1234 sent\n"),
    )
    .unwrap();
    let out = dir.path().join("bundle.zip");
    let written = desk
        .export_support_bundle(
            &out,
            BundleRequest {
                app_name: "test".into(),
                app_version: "1".into(),
                pdfium: Ok("PDFium test".into()),
                token: TokenChoice::Default,
            },
        )
        .await
        .unwrap();
    assert_eq!(written.path, out);
    assert_eq!(written.log_files, 1);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut everything = String::new();
    for name in [
        "README.txt",
        "versions.json",
        "diagnostics.json",
        "settings.json",
        "logs/oneshot-desk.2026-11-20.log",
    ] {
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut everything)
            .unwrap();
    }
    assert!(!everything.contains(token), "the stored token leaked");
    assert!(everything.contains("WARN pasted [redacted] here"));
    assert!(everything.contains("pin=[redacted] sent"));
    assert!(everything.contains("\"rao token\""));
    desk.forget_token("Front desk", false).await.ok();
}
