//! Documents of a request: upload (PDF or digest JSON), download, list, delete, the contract.

use super::Core;
use super::error::{ApiError, ApiResult};
use super::form::{self, Form};
use super::model::{Document, DocumentKind, Request, Status};
use super::time;
use std::path::PathBuf;

/// A digest JSON is a few hundred bytes; anything far larger is not one.
const MAX_HASHFILE: u64 = 1 << 20;

/// One stored upload, as the upload answer describes it.
#[derive(Clone, Debug)]
pub struct Uploaded {
    /// New uid.
    pub uid: String,
    /// Form field name.
    pub key: String,
    /// Client file name.
    pub filename: String,
    /// SHA-256 hex.
    pub digest: String,
}

/// Original or signed copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// As uploaded.
    Original,
    /// After sign.
    Signed,
}

impl Variant {
    /// Parses `original` / `signed`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "original" => Some(Self::Original),
            "signed" => Some(Self::Signed),
            _ => None,
        }
    }
}

/// A file ready to stream back.
#[derive(Clone, Debug)]
pub struct Download {
    /// Where it is.
    pub path: PathBuf,
    /// MIME type.
    pub content_type: &'static str,
    /// File name suggested to the client.
    pub filename: String,
}

impl Core {
    /// `POST document/{pk}`: stores every file part (PDF, or `hashfile` digest JSON).
    pub async fn upload_documents(&self, pk: u64, form: Form) -> ApiResult<Vec<Uploaded>> {
        let request = self
            .live_request(pk, || {
                ApiError::not_found(format!(
                    "Cannot upload document: Request {pk} not found on disk"
                ))
            })
            .await?;
        if matches!(request.status, Status::Issued | Status::Cancelled) {
            return Err(ApiError::precondition(format!(
                "Cannot upload document: Request {pk} is in {} status",
                request.status.as_str()
            )));
        }
        let parts: Vec<_> = form
            .files
            .into_iter()
            .filter(|p| p.file.size > 0 || !p.filename.is_empty())
            .collect();
        if parts.is_empty() {
            return Err(ApiError::bad_request("Missing required parameter: 'file'"));
        }
        if parts.len() > self.config.max_documents_per_call
            || request.documents.len() + parts.len() > self.config.max_documents_per_request
        {
            return Err(ApiError::bad_request(format!(
                "Maximum number of document reached for Request {pk}"
            )));
        }
        let mut accepted = Vec::new();
        for part in parts {
            let kind = if part.name == "hashfile" {
                if part.file.size > MAX_HASHFILE {
                    return Err(ApiError::unsupported(
                        "Unsupported file type: hashfile too large",
                    ));
                }
                let bytes = std::fs::read(part.file.path()).map_err(ApiError::storage)?;
                if let Err(err) = super::hashfile::check(&bytes) {
                    return Err(ApiError::unsupported(format!(
                        "Unsupported file type: {err}"
                    )));
                }
                DocumentKind::Hash
            } else if form::is_pdf(&part.file.head) {
                if let Err(err) = super::pdf_sniff::check(part.file.path()) {
                    return Err(ApiError::unsupported(format!(
                        "Unsupported file type: {} ({err})",
                        form::describe_type(&part)
                    )));
                }
                DocumentKind::Pdf
            } else {
                return Err(ApiError::unsupported(format!(
                    "Unsupported file type: {}",
                    form::describe_type(&part)
                )));
            };
            accepted.push((part, kind));
        }
        let store = &self.store;
        let now = time::rfc3339(time::now());
        let uids: Vec<String> = accepted.iter().map(|_| self.new_uuid()).collect();
        self.write(|tx| {
            let request = tx
                .state
                .requests
                .get_mut(&pk)
                .filter(|r| !r.removed)
                .ok_or_else(|| {
                    ApiError::not_found(format!(
                        "Cannot upload document: Request {pk} not found on disk"
                    ))
                })?;
            let mut out = Vec::new();
            for ((part, kind), uid) in accepted.into_iter().zip(uids) {
                let filename = if part.filename.is_empty() {
                    format!(
                        "{}.{}",
                        part.name,
                        if kind == DocumentKind::Pdf {
                            "pdf"
                        } else {
                            "json"
                        }
                    )
                } else {
                    part.filename.clone()
                };
                request.documents.push(Document {
                    uid: uid.clone(),
                    key: part.name.clone(),
                    filename: filename.clone(),
                    kind,
                    size: part.file.size,
                    sha256: part.file.sha256.clone(),
                    uploaded_at: now.clone(),
                    has_original: true,
                    signed_size: None,
                });
                out.push(Uploaded {
                    uid: uid.clone(),
                    key: part.name.clone(),
                    filename,
                    digest: part.file.sha256.clone(),
                });
                part.file
                    .keep_at(&store.original(pk, &uid))
                    .map_err(ApiError::storage)?;
            }
            Ok(out)
        })
        .await
    }

    /// `GET document/{pk}/{uid}` in one variant.
    pub async fn document_download(
        &self,
        pk: u64,
        uid: &str,
        variant: Variant,
    ) -> ApiResult<Download> {
        let not_found = || ApiError::not_found("Document not found");
        let request = self.live_request(pk, not_found).await?;
        let doc = request.document(uid).ok_or_else(not_found)?;
        let (path, present) = match variant {
            Variant::Original => (self.store.original(pk, uid), doc.has_original),
            Variant::Signed => (self.store.signed(pk, uid), doc.signed_size.is_some()),
        };
        if !present {
            return Err(not_found());
        }
        let (content_type, ext) = match (doc.kind, variant) {
            (DocumentKind::Pdf, _) => ("application/pdf", "pdf"),
            (DocumentKind::Hash, Variant::Original) => ("application/json", "json"),
            (DocumentKind::Hash, Variant::Signed) => ("application/pkcs7-mime", "p7m"),
        };
        let stem = std::path::Path::new(&doc.filename)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| uid.to_string());
        Ok(Download {
            path,
            content_type,
            filename: format!("{stem}.{ext}"),
        })
    }

    /// Deletes one document: one variant, or (`None`) both.
    pub async fn delete_document(
        &self,
        pk: u64,
        uid: &str,
        variant: Option<Variant>,
    ) -> ApiResult<()> {
        let store = &self.store;
        self.write(|tx| {
            let not_found = || match variant {
                Some(Variant::Original) => ApiError::not_found(format!(
                    "Document not found with uid {uid} and type original"
                )),
                Some(Variant::Signed) => ApiError::not_found(format!(
                    "Document not found with uid {uid} and type signed"
                )),
                None => ApiError::not_found("Document not found"),
            };
            let request = tx
                .state
                .requests
                .get_mut(&pk)
                .filter(|r| !r.removed)
                .ok_or_else(not_found)?;
            let index = request
                .documents
                .iter()
                .position(|d| d.uid == uid)
                .ok_or_else(not_found)?;
            let doc = &mut request.documents[index];
            let (original, signed) = match variant {
                Some(Variant::Original) if doc.has_original => (true, false),
                Some(Variant::Signed) if doc.signed_size.is_some() => (false, true),
                None => (doc.has_original, doc.signed_size.is_some()),
                _ => return Err(not_found()),
            };
            if original {
                remove_if_present(&store.original(pk, uid))?;
                doc.has_original = false;
            }
            if signed {
                remove_if_present(&store.signed(pk, uid))?;
                doc.signed_size = None;
            }
            if !doc.has_original && doc.signed_size.is_none() {
                request.documents.remove(index);
            }
            Ok(())
        })
        .await
    }

    /// Deletes every document (both variants) of a request.
    pub async fn delete_all_documents(&self, pk: u64) -> ApiResult<()> {
        let store = &self.store;
        self.write(|tx| {
            let not_found = || ApiError::not_found("No documents found for specified Request");
            let request = tx
                .state
                .requests
                .get_mut(&pk)
                .filter(|r| !r.removed)
                .ok_or_else(not_found)?;
            if request.documents.is_empty() {
                return Err(not_found());
            }
            for doc in request.documents.drain(..) {
                remove_if_present(&store.original(pk, &doc.uid))?;
                remove_if_present(&store.signed(pk, &doc.uid))?;
            }
            Ok(())
        })
        .await
    }

    /// `GET documents/{pk}`.
    pub async fn list_documents(&self, pk: u64) -> ApiResult<Request> {
        let not_found = || ApiError::not_found("No documents found for specified Request");
        let request = self.live_request(pk, not_found).await?;
        if request.documents.is_empty() {
            return Err(not_found());
        }
        Ok(request)
    }

    /// The service contract: signed after sign, else generated (once) from the request's data.
    pub async fn contract(&self, pk: u64) -> ApiResult<Download> {
        let request = self
            .live_request(pk, || {
                ApiError::not_found(format!("Request {pk} not found"))
            })
            .await?;
        let download = |signed: bool| Download {
            path: self.store.contract(pk, signed),
            content_type: "application/pdf",
            filename: format!("contract-{pk}{}.pdf", if signed { "-signed" } else { "" }),
        };
        if request.contract_signed {
            return Ok(download(true));
        }
        let path = self.store.contract(pk, false);
        if !path.exists() {
            let bytes = self
                .signing
                .contract(&request)
                .map_err(|e| ApiError::internal(e.to_string()))?;
            super::store::write_atomically(&path, &bytes).map_err(ApiError::storage)?;
        }
        Ok(download(false))
    }
}

fn remove_if_present(path: &std::path::Path) -> ApiResult<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(ApiError::storage(e)),
    }
}
