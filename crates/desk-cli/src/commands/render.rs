//! `render FILE --page N --scale S --out FILE.(webp|png|jpg)`: one page to an image, offline.

use super::pdf::{desk_error, password};
use crate::cli::RenderArgs;
use crate::{CliResult, Context};
use pdf_engine::{RenderToFile, render_to_file, scale_for_dpi};
use serde::Serialize;

#[derive(Serialize)]
struct Rendered {
    file: std::path::PathBuf,
    page: u32,
    width: u32,
    height: u32,
    format: String,
}

pub async fn run(context: &Context, args: RenderArgs) -> CliResult {
    super::pdf::readable_file(&args.file)?;
    let scale = args.dpi.map_or(args.scale, scale_for_dpi);
    let image = render_to_file(RenderToFile {
        input: args.file.clone(),
        page_number: args.page,
        scale,
        output: args.out.clone(),
        password: password(args.password_stdin)?,
    })
    .await
    .map_err(desk_error)?;
    let rendered = Rendered {
        file: args.out,
        page: args.page,
        width: image.width,
        height: image.height,
        format: image.format.mime_type().to_owned(),
    };
    let text = format!(
        "page {} of {} rendered to {} ({}x{} pixels)",
        rendered.page,
        args.file.display(),
        rendered.file.display(),
        rendered.width,
        rendered.height
    );
    context.out.outcome(&rendered, &text);
    Ok(())
}
