//! What every flow checks and prepares before anything is sent: the documents (checked,
//! hashed, named uniquely), the output folder, the signing defaults from the settings, and the
//! private files kept in the flow's working folder until they are sent.

use crate::desk::{DeskInner, blocking};
use crate::error::{DeskError, DeskResult};
use crate::flow::input::{AppearanceSpec, OutputChoice, SigningMethod};
use crate::flow::model::{DocumentSnapshot, StepStatus};
use crate::output::{numbered_name, sanitize_file_name, sha256_file};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Most documents one flow carries (the Optimizer's per-request cap is undocumented; 50 is the
/// simulator's and leaves room for any desk case).
pub(crate) const MAX_DOCUMENTS: usize = 50;

/// Checks every document (a PDF that can be signed) and describes it for the flow; `names` are
/// the names already taken in the flow.
pub(crate) async fn check_documents(
    paths: &[PathBuf],
    names: &mut HashSet<String>,
) -> DeskResult<Vec<DocumentSnapshot>> {
    if paths.len() > MAX_DOCUMENTS {
        return Err(DeskError::new(
            "flow.too_many_documents",
            format!("At most {MAX_DOCUMENTS} documents can be signed in one request"),
        ));
    }
    // Each document is checked and hashed in a task of its own: the files are read in
    // parallel, and the first problem in the given order is the one reported.
    let checks: Vec<_> = paths
        .iter()
        .map(|path| {
            let path = path.clone();
            tokio::spawn(async move {
                let owned = path.clone();
                blocking(move || crate::inputs::check_document(&owned)).await?;
                Ok::<_, DeskError>(sha256_file(&path).await?)
            })
        })
        .collect();
    let mut documents = Vec::new();
    for (path, check) in paths.iter().zip(checks) {
        let (sha256, size) = joined(check.await)?;
        documents.push(DocumentSnapshot {
            name: unique_name(path, names),
            size,
            sha256,
            original_path: absolute(path),
            remote_uid: None,
            upload: StepStatus::Pending,
            sign: StepStatus::Pending,
            save: StepStatus::Pending,
            verify: StepStatus::Pending,
            saved_path: None,
            signature: None,
        });
    }
    Ok(documents)
}

/// The outcome of a spawned task (a panic in it goes on in the caller).
pub(crate) fn joined<T>(result: Result<DeskResult<T>, tokio::task::JoinError>) -> DeskResult<T> {
    match result {
        Ok(outcome) => outcome,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => {
            Err(DeskError::new("flow.internal", "A check stopped").with_detail(error.to_string()))
        }
    }
}

/// How the customer signs: as asked, else external authentication when
/// `signing.ext_unlock_type` is set, else a code by `signing.otp_delivery`.
pub(crate) fn signing_method(desk: &DeskInner, asked: Option<SigningMethod>) -> SigningMethod {
    let settings = desk.read_settings().values().clone();
    asked.unwrap_or_else(|| match &settings.signing.ext_unlock_type {
        Some(kind) => SigningMethod::External {
            unlock_type: kind.as_str().to_string(),
        },
        None => SigningMethod::Otp {
            delivery: settings.signing.otp_delivery.as_str().to_string(),
        },
    })
}

/// The visible signature: as asked, else the `signing.appearance` settings.
pub(crate) fn appearance(desk: &DeskInner, asked: Option<AppearanceSpec>) -> AppearanceSpec {
    let settings = desk.read_settings().values().clone();
    asked.unwrap_or_else(|| AppearanceSpec {
        text: settings.signing.appearance.text.clone(),
        page: settings.signing.appearance.page,
        position: settings.signing.appearance.position.to_string(),
    })
}

/// The output choice with absolute paths, and the folder when it is fixed from the start.
pub(crate) fn output(choice: OutputChoice) -> (OutputChoice, Option<PathBuf>) {
    match choice {
        OutputChoice::Settings => (OutputChoice::Settings, None),
        OutputChoice::Under(dir) => (OutputChoice::Under(absolute(&dir)), None),
        OutputChoice::Exactly(dir) => {
            let dir = absolute(&dir);
            (OutputChoice::Exactly(dir.clone()), Some(dir))
        }
    }
}

/// Writes `value` as JSON into the flow's working folder (readable by the user only): data
/// that must not be in the journal (identity data, evidences) until it is sent.
pub(crate) async fn write_private(
    dir: &Path,
    name: &str,
    value: &impl Serialize,
) -> DeskResult<()> {
    tokio::fs::create_dir_all(dir).await.map_err(|e| {
        DeskError::new(
            "flow.working_folder",
            format!("Cannot create {}", dir.display()),
        )
        .with_detail(e.to_string())
    })?;
    let json = serde_json::to_vec_pretty(value).map_err(|e| {
        DeskError::new("flow.internal", "The flow's data cannot be written")
            .with_detail(e.to_string())
    })?;
    let written = crate::output::write_atomically(dir, name, &json[..], |_| {}).await?;
    if written.path.file_name() != Some(std::ffi::OsStr::new(name)) {
        // Never two versions side by side: the flow reads the file by its name.
        let _ = tokio::fs::remove_file(&written.path).await;
        return Err(DeskError::new(
            "flow.working_folder",
            format!("{} already holds another {name}", dir.display()),
        ));
    }
    Ok(())
}

/// Reads what [`write_private`] wrote.
pub(crate) async fn read_private<T: serde::de::DeserializeOwned>(
    dir: &Path,
    name: &str,
) -> DeskResult<Option<T>> {
    let path = dir.join(name);
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(DeskError::new(
                "flow.working_folder",
                format!("Cannot read {}", path.display()),
            )
            .with_detail(e.to_string()));
        }
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        DeskError::new("journal.corrupt", format!("{} is damaged", path.display()))
            .with_detail(e.to_string())
    })
}

/// The output folder must exist or be creatable, and writable, before anything is sent.
pub(crate) async fn check_output(desk: &DeskInner, choice: &OutputChoice) -> DeskResult<()> {
    let base = match choice {
        OutputChoice::Settings => desk.read_settings().output_folder(),
        OutputChoice::Under(dir) | OutputChoice::Exactly(dir) => dir.clone(),
    };
    blocking(move || {
        std::fs::create_dir_all(&base)
            .and_then(|()| {
                tempfile::Builder::new()
                    .prefix(".oneshot-desk-probe-")
                    .tempfile_in(&base)
            })
            .map(drop)
            .map_err(|e| {
                DeskError::new(
                    "output.not_writable",
                    format!("The output folder {} cannot be written", base.display()),
                )
                .with_detail(e.to_string())
            })
    })
    .await
}

/// The file's name, made safe, numbered when another document of the flow has it already:
/// names identify uploads when an answer is lost, so they must be unique.
pub(crate) fn unique_name(path: &Path, taken: &mut HashSet<String>) -> String {
    let raw = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = sanitize_file_name(&raw, "document.pdf");
    if !name.to_ascii_lowercase().ends_with(".pdf") {
        name.push_str(".pdf");
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        candidate = numbered_name(&name, n);
        n += 1;
    }
    candidate
}

pub(crate) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_within_a_flow() {
        let mut taken = HashSet::new();
        let names: Vec<String> = ["/a/x.pdf", "/b/x.pdf", "/c/X.PDF", "/d/report"]
            .iter()
            .map(|p| unique_name(Path::new(p), &mut taken))
            .collect();
        assert_eq!(names, ["x.pdf", "x (2).pdf", "X (3).PDF", "report.pdf"]);
    }
}
