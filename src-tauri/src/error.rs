//! The one error shape crossing IPC: `{ code, message, detail? }`. The window words each stable
//! `code` in the user's language; `message` is English for the log and for IT, never a secret.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            detail: None,
        }
    }
}

impl IpcError {
    /// From any desk-core error with a stable code.
    pub fn from_coded(error: &impl desk_core::CodedError) -> Self {
        Self {
            code: error.code().as_str().to_owned(),
            message: error.to_string(),
            detail: error.detail(),
        }
    }
}

impl From<desk_core::DeskError> for IpcError {
    fn from(error: desk_core::DeskError) -> Self {
        Self {
            code: error.code.as_str().to_owned(),
            message: error.message,
            detail: error.detail,
        }
    }
}

impl From<pdf_engine::PdfError> for IpcError {
    fn from(error: pdf_engine::PdfError) -> Self {
        Self {
            code: error.code().to_owned(),
            message: error.to_string(),
            detail: None,
        }
    }
}

impl From<tauri::Error> for IpcError {
    fn from(error: tauri::Error) -> Self {
        Self::new("app.internal", error.to_string())
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
