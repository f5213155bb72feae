//! `render_to_file`: one page of a PDF to an image file, the whole of the CLI's `render` command.

use crate::engine::{EngineConfig, PdfEngine};
use crate::error::PdfError;
use crate::render_spec::{ImageFormat, RenderRequest, RenderedImage};
use secrecy::SecretString;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to render where.
#[derive(Debug, Clone)]
pub struct RenderToFile {
    pub input: PathBuf,
    /// 1-based page number, as people count.
    pub page_number: u32,
    /// Pixels per PDF point (1.0 = 72 dpi; [`crate::scale_for_dpi`]).
    pub scale: f32,
    /// The image file; its extension (`.webp`, `.png`, `.jpg`) chooses the format.
    pub output: PathBuf,
    pub password: Option<SecretString>,
}

impl PdfEngine {
    /// Renders the page and writes the image atomically (temporary file, then rename), so a
    /// failed render never leaves a half-written image behind.
    pub async fn render_to_file(&self, job: RenderToFile) -> Result<RenderedImage, PdfError> {
        let format = output_format(&job.output)?;
        let page = job
            .page_number
            .checked_sub(1)
            .ok_or_else(|| PdfError::invalid("page numbers start at 1"))?;
        let info = self.open_file(&job.input, job.password).await?;
        let rendered = self
            .render(
                info.id,
                RenderRequest::page(page, job.scale).with_format(format),
            )
            .await;
        self.close(info.id)?;
        let image = rendered?;
        write_atomically(&job.output, &image.data)?;
        Ok(image)
    }
}

/// [`PdfEngine::render_to_file`] with a default engine.
pub async fn render_to_file(job: RenderToFile) -> Result<RenderedImage, PdfError> {
    PdfEngine::start(EngineConfig::default())?
        .render_to_file(job)
        .await
}

fn output_format(output: &Path) -> Result<ImageFormat, PdfError> {
    output
        .extension()
        .and_then(|e| e.to_str())
        .and_then(ImageFormat::from_extension)
        .ok_or_else(|| {
            PdfError::invalid(format!(
                "cannot tell the image format of {}: use .webp, .png or .jpg",
                output.display()
            ))
        })
}

fn write_atomically(path: &Path, data: &[u8]) -> Result<(), PdfError> {
    let io = |action, source| PdfError::Io {
        action,
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| io("creating a file beside", e))?;
    tmp.write_all(data).map_err(|e| io("writing", e))?;
    tmp.as_file().sync_all().map_err(|e| io("writing", e))?;
    tmp.persist(path).map_err(|e| io("replacing", e.error))?;
    Ok(())
}
