//! `support-bundle`: the zip IT sends when asking for help (see desk-core's diagnostics).

use crate::{CliResult, Context};
use clap::Args;
use desk_core::diagnostics::BundleRequest;
use std::path::PathBuf;

/// `support-bundle` options.
#[derive(Debug, Args)]
pub struct SupportBundleArgs {
    /// Where to write the zip; an existing file is never replaced (a number is added).
    #[arg(long, value_name = "FILE.zip")]
    pub out: PathBuf,
}

pub async fn run(context: &Context, args: SupportBundleArgs) -> CliResult {
    let request = BundleRequest {
        app_name: "oneshot-desk-cli".to_string(),
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        pdfium: super::doctor::pdfium(),
        token: context.token.clone(),
    };
    let written = context
        .desk
        .export_support_bundle(&args.out, request)
        .await?;
    let checks = if written.checks_ok {
        "every check passed"
    } else {
        "some checks failed (see diagnostics.json inside, or run doctor)"
    };
    context.out.outcome(
        &written,
        &format!(
            "Support bundle written to {} ({} KB, {} log files; {checks})",
            written.path.display(),
            written.size.div_ceil(1024),
            written.log_files
        ),
    );
    Ok(())
}
