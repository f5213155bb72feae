//! `doctor`: one line per check, OK or FAIL with the reason.

use crate::{CliResult, Context, Failure, exit};
use desk_core::DeskError;
use serde::Serialize;

/// Below this much free space in the output folder, signing large documents may fail.
const MIN_FREE_BYTES: u64 = 200 * 1024 * 1024;

#[derive(Debug, Serialize)]
struct Check {
    name: &'static str,
    ok: bool,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
}

impl Check {
    fn ok(name: &'static str, detail: impl Into<String>) -> Self {
        Check {
            name,
            ok: true,
            detail: detail.into(),
            code: None,
        }
    }

    fn fail(name: &'static str, error: &DeskError) -> Self {
        Check {
            name,
            ok: false,
            detail: error.message.clone(),
            code: Some(error.code.to_string()),
        }
    }
}

pub async fn run(context: &Context) -> CliResult {
    let desk = &context.desk;
    let connection = desk.connection();
    let mut checks = Vec::new();
    let report = desk.test_connection(&connection).await;
    let url = connection.url.clone();
    match &url {
        None => checks.push(Check::fail(
            "optimizer",
            &DeskError::new(
                "optimizer.not_configured",
                "no Optimizer URL (optimizer.url or --optimizer)",
            ),
        )),
        Some(url) => match &report.error {
            None => checks.push(Check::ok(
                "optimizer",
                format!(
                    "{url} reachable, layout {}",
                    report.layout.as_deref().unwrap_or("?")
                ),
            )),
            Some(error) => checks.push(Check::fail("optimizer", error)),
        },
    }
    checks.push(match (&report.layout, &report.error) {
        (Some(layout), _) => Check::ok(
            "layout",
            format!(
                "{layout} (version {})",
                report.version.as_deref().unwrap_or("unknown")
            ),
        ),
        (None, Some(error)) => Check::fail("layout", error),
        (None, None) => Check::fail(
            "layout",
            &DeskError::new("optimizer.not_recognised", "not detected"),
        ),
    });
    let https = url.as_deref().is_some_and(|u| u.starts_with("https://"));
    checks.push(match &report.error {
        Some(error) if error.code.area() == "tls" => Check::fail("tls", error),
        _ if url.is_none() => Check::fail(
            "tls",
            &DeskError::new("optimizer.not_configured", "not checked: no Optimizer URL"),
        ),
        _ if !https => Check::ok("tls", "not used (http)"),
        _ if report.reachable => Check::ok("tls", "certificate trusted"),
        _ => Check::fail(
            "tls",
            &DeskError::new(
                "tls.not_checked",
                "not checked: the Optimizer was not reached",
            ),
        ),
    });
    checks.push(match &report.error {
        Some(error) if error.code.area() == "proxy" => Check::fail("proxy", error),
        _ => Check::ok("proxy", connection.proxy.clone()),
    });
    checks.push(match desk.keyring_available().await {
        Ok(()) => Check::ok("keyring", "available"),
        Err(error) => Check::fail("keyring", &error),
    });
    checks.push(
        match pdf_engine::check_library(&pdf_engine::LibraryOptions::default()) {
            Ok(library) => Check::ok("pdfium", library.to_string()),
            Err(error) => Check::fail("pdfium", &super::pdf::desk_error(error)),
        },
    );
    let output = desk
        .settings()
        .into_iter()
        .find(|e| e.key == desk_core::settings::SettingKey::OutputFolder)
        .and_then(|e| e.value.as_str().map(std::path::PathBuf::from))
        .unwrap_or_else(|| desk.paths().default_output_dir.clone());
    checks.push(match writable(&output) {
        Ok(()) => Check::ok("output folder", format!("{} writable", output.display())),
        Err(error) => Check::fail("output folder", &error),
    });
    checks.push(match fs4::available_space(existing_ancestor(&output)) {
        Ok(free) if free >= MIN_FREE_BYTES => {
            Check::ok("disk space", format!("{} MB free", free / 1024 / 1024))
        }
        Ok(free) => Check::fail(
            "disk space",
            &DeskError::new(
                "output.no_space",
                format!("only {} MB free in the output folder", free / 1024 / 1024),
            ),
        ),
        Err(e) => Check::fail(
            "disk space",
            &DeskError::new("output.no_space", format!("cannot tell: {e}")),
        ),
    });
    let tokens = desk.stored_tokens().await;
    checks.push(match (&context.token, tokens) {
        (desk_core::flow::TokenChoice::Value(_), _) => {
            Check::ok("rao token", "given on the command line")
        }
        (desk_core::flow::TokenChoice::Label(label), Ok(list))
            if list.iter().any(|t| &t.label == label) =>
        {
            Check::ok("rao token", format!("\"{label}\" in the keyring"))
        }
        (desk_core::flow::TokenChoice::Label(label), Ok(_)) => Check::fail(
            "rao token",
            &DeskError::new(
                "vault.unknown_token",
                format!("no token labelled \"{label}\""),
            ),
        ),
        (desk_core::flow::TokenChoice::Default, Ok(list)) => {
            match list.iter().find(|t| t.is_default) {
                Some(token) => Check::ok(
                    "rao token",
                    format!("default \"{}\" in the keyring", token.label),
                ),
                None => Check::fail(
                    "rao token",
                    &DeskError::new("rao.no_token", "no token stored (tokens create)"),
                ),
            }
        }
        (_, Err(error)) => Check::fail("rao token", &error),
    });

    let all_ok = checks.iter().all(|c| c.ok);
    let text = checks
        .iter()
        .map(|c| {
            let status = if c.ok { "OK  " } else { "FAIL" };
            let code = c
                .code
                .as_ref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            format!("{status} {:<14} {}{code}", c.name, c.detail)
        })
        .collect::<Vec<_>>()
        .join("\n");
    context
        .out
        .outcome(&serde_json::json!({"ok": all_ok, "checks": checks}), &text);
    if all_ok {
        Ok(())
    } else {
        Err(Failure {
            error: DeskError::new("doctor.failed", "some checks failed"),
            exit: exit::FAILED,
        })
    }
}

fn writable(dir: &std::path::Path) -> Result<(), DeskError> {
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::File::create(dir.join(".oneshot-desk-doctor")).map(drop))
        .and_then(|()| std::fs::remove_file(dir.join(".oneshot-desk-doctor")))
        .map_err(|e| {
            DeskError::new(
                "output.not_writable",
                format!("{} is not writable", dir.display()),
            )
            .with_detail(e.to_string())
        })
}

fn existing_ancestor(path: &std::path::Path) -> &std::path::Path {
    path.ancestors()
        .find(|p| p.exists())
        .unwrap_or(std::path::Path::new("/"))
}
