//! Documents of a request: upload (PDFs, at most 10 per call, larger sets split), hash files,
//! list, download (original/signed), delete, delete all, and the service contract.

use crate::client::Client;
use crate::error::{Error, ErrorCode, Result};
use crate::flex;
use crate::layout::{DocumentKind, OpKind, RouteArgs};
use crate::redact::Redactor;
use crate::transfer::{Downloaded, PreparedFile, TransferControl, UploadCounter, mime_for};
use crate::transport::OutBody;
use crate::types::{DocumentUid, FileInput, RequestPk};
use reqwest::multipart::Form;
use serde_json::{Map, Value};
use std::path::Path;
use tokio::io::AsyncWrite;

/// Most documents the Optimizer accepts in one upload call (GH2).
pub const MAX_DOCUMENTS_PER_CALL: usize = 10;

/// One uploaded document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedDocument {
    /// Its uid on the Optimizer.
    pub uid: DocumentUid,
    /// The form field it was sent in (`file`, `file2`, … within its call, or `hashfile`).
    pub field: String,
    /// The file name announced.
    pub file_name: String,
    /// SHA-256 the Optimizer computed, when it reports one (legacy multi-file answers).
    pub digest: Option<String>,
}

/// One entry of [`Client::list_documents`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    /// Uid.
    pub uid: DocumentUid,
    /// Original file name.
    pub file_name: Option<String>,
    /// Upload time as the Optimizer writes it (formats differ between versions).
    pub upload_date: Option<String>,
    /// Extension, e.g. `.pdf`.
    pub ext: Option<String>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// MIME type.
    pub mime: Option<String>,
    /// `original`/`signed`, when the Optimizer says.
    pub kind: Option<String>,
}

impl Client {
    /// `POST /document/{pk}`: uploads PDFs, streamed from disk. Sets larger than
    /// [`MAX_DOCUMENTS_PER_CALL`] are sent in several calls; the uids come back in input order.
    /// Progress covers all calls. Never retried. If a later call fails, the documents of the
    /// earlier calls stay uploaded (see [`Client::list_documents`]).
    pub async fn upload_documents(
        &self,
        pk: RequestPk,
        files: &[FileInput],
        control: &TransferControl,
    ) -> Result<Vec<UploadedDocument>> {
        if files.is_empty() {
            return Err(Error::new(
                ErrorCode::InputInvalid,
                "no documents to upload",
            ));
        }
        let mut prepared = Vec::with_capacity(files.len());
        for file in files {
            prepared.push(PreparedFile::open(file).await?);
        }
        let counter = UploadCounter::new(prepared.iter().map(|f| f.len).sum(), control);
        let mut uploaded = Vec::with_capacity(files.len());
        let mut remaining = prepared.into_iter().peekable();
        while remaining.peek().is_some() {
            let batch: Vec<PreparedFile> =
                remaining.by_ref().take(MAX_DOCUMENTS_PER_CALL).collect();
            let mut form = Form::new();
            let mut sent = Vec::with_capacity(batch.len());
            for (index, file) in batch.into_iter().enumerate() {
                let field = if index == 0 {
                    "file".to_owned()
                } else {
                    format!("file{}", index + 1)
                };
                sent.push((field.clone(), file.name.clone()));
                let mime = mime_for(&file.name, "application/pdf");
                form = form.part(field, file.into_part(mime, &counter)?);
            }
            let args = RouteArgs {
                pk: Some(pk),
                ..RouteArgs::default()
            };
            let answer = self
                .inner
                .call_upload(
                    OpKind::UploadDocuments,
                    args,
                    form,
                    &counter,
                    control,
                    Redactor::new(),
                )
                .await
                .map_err(|err| partial_upload(err, uploaded.len(), files.len()))?;
            uploaded.extend(match_uploads(&answer, &sent)?);
        }
        Ok(uploaded)
    }

    /// `POST /document/{pk}` with a `hashfile` part: the digest JSON of the hash flow.
    pub async fn upload_hashfile(
        &self,
        pk: RequestPk,
        hashfile: &FileInput,
        control: &TransferControl,
    ) -> Result<UploadedDocument> {
        let file = PreparedFile::open(hashfile).await?;
        let counter = UploadCounter::new(file.len, control);
        let sent = vec![("hashfile".to_owned(), file.name.clone())];
        let form = Form::new().part("hashfile", file.into_part("application/json", &counter)?);
        let args = RouteArgs {
            pk: Some(pk),
            ..RouteArgs::default()
        };
        let answer = self
            .inner
            .call_upload(
                OpKind::UploadDocuments,
                args,
                form,
                &counter,
                control,
                Redactor::new(),
            )
            .await?;
        let mut docs = match_uploads(&answer, &sent)?;
        docs.pop().ok_or_else(|| {
            answer.bad_response("no uid for the hash file", answer.envelope.payload_key())
        })
    }

    /// `GET /documents/{pk}`: the request's documents. "No documents found" (404 with that
    /// text) is an empty list.
    pub async fn list_documents(&self, pk: RequestPk) -> Result<Vec<DocumentInfo>> {
        let args = RouteArgs {
            pk: Some(pk),
            ..RouteArgs::default()
        };
        let answer = match self
            .inner
            .call_json(OpKind::ListDocuments, args, OutBody::Empty, Redactor::new())
            .await
        {
            Ok(answer) => answer,
            Err(err) if is_no_documents(&err) => return Ok(Vec::new()),
            Err(err) => return Err(err),
        };
        let key = answer.envelope.payload_key();
        let mut out = Vec::new();
        match answer.envelope.payload() {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (uid, info) in map {
                    let Value::Object(info) = info else {
                        return Err(answer.bad_response(
                            "document entry is not an object",
                            &format!("{key}.{uid}"),
                        ));
                    };
                    out.push(document_info(DocumentUid(uid.clone()), info));
                }
            }
            Some(Value::Array(items)) => {
                for (index, item) in items.iter().enumerate() {
                    let uid = item.get("uid").and_then(Value::as_str);
                    match (uid, item) {
                        (Some(uid), Value::Object(info)) => {
                            out.push(document_info(DocumentUid(uid.to_owned()), info))
                        }
                        _ => {
                            return Err(answer.bad_response(
                                "document entry without uid",
                                &format!("{key}[{index}].uid"),
                            ));
                        }
                    }
                }
            }
            Some(_) => {
                return Err(
                    answer.bad_response("the document list is neither a map nor an array", key)
                );
            }
        }
        Ok(out)
    }

    /// `GET /document/{pk}/{uid}?document_type=…` (legacy `/document/{pk}/{type}/{uid}`):
    /// streams the original or signed document into `writer`.
    pub async fn download_document<W>(
        &self,
        pk: RequestPk,
        uid: &DocumentUid,
        kind: DocumentKind,
        writer: &mut W,
        control: &TransferControl,
    ) -> Result<Downloaded>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let args = RouteArgs {
            pk: Some(pk),
            uid: Some(uid.as_str()),
            kind: Some(kind),
            video: None,
        };
        self.inner
            .call_download(OpKind::GetDocument, args, writer, control)
            .await
    }

    /// [`Client::download_document`] into a file at `path` (created or truncated; removed again
    /// if the download fails). Atomic replacement and fsync are the caller's business.
    pub async fn download_document_to_path(
        &self,
        pk: RequestPk,
        uid: &DocumentUid,
        kind: DocumentKind,
        path: &Path,
        control: &TransferControl,
    ) -> Result<Downloaded> {
        to_path(path, async |file| {
            self.download_document(pk, uid, kind, file, control).await
        })
        .await
    }

    /// `DELETE /document/{pk}/{uid}` (legacy `/document/{pk}/{type}/{uid}`; the current layout
    /// ignores `kind`).
    pub async fn delete_document(
        &self,
        pk: RequestPk,
        uid: &DocumentUid,
        kind: DocumentKind,
    ) -> Result<()> {
        let args = RouteArgs {
            pk: Some(pk),
            uid: Some(uid.as_str()),
            kind: Some(kind),
            video: None,
        };
        self.inner
            .call_json(
                OpKind::DeleteDocument,
                args,
                OutBody::Empty,
                Redactor::new(),
            )
            .await?;
        Ok(())
    }

    /// `DELETE /document/{pk}` (legacy `/documents/{pk}`): removes every document of the request.
    pub async fn delete_all_documents(&self, pk: RequestPk) -> Result<()> {
        let args = RouteArgs {
            pk: Some(pk),
            ..RouteArgs::default()
        };
        self.inner
            .call_json(
                OpKind::DeleteAllDocuments,
                args,
                OutBody::Empty,
                Redactor::new(),
            )
            .await?;
        Ok(())
    }

    /// `GET /contract/{pk}/` (legacy `/document/{pk}/contract`): the service contract PDF
    /// (signed once the request is signed, \[inferred\]).
    pub async fn download_contract<W>(
        &self,
        pk: RequestPk,
        writer: &mut W,
        control: &TransferControl,
    ) -> Result<Downloaded>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let args = RouteArgs {
            pk: Some(pk),
            ..RouteArgs::default()
        };
        self.inner
            .call_download(OpKind::Contract, args, writer, control)
            .await
    }

    /// [`Client::download_contract`] into a file at `path`.
    pub async fn download_contract_to_path(
        &self,
        pk: RequestPk,
        path: &Path,
        control: &TransferControl,
    ) -> Result<Downloaded> {
        to_path(path, async |file| {
            self.download_contract(pk, file, control).await
        })
        .await
    }
}

fn is_no_documents(err: &Error) -> bool {
    err.code() == ErrorCode::DocumentNotFound
        && err
            .server_message()
            .is_some_and(|m| m.to_ascii_lowercase().contains("no documents found"))
}

fn partial_upload(err: Error, uploaded: usize, total: usize) -> Error {
    if uploaded == 0 {
        return err;
    }
    let note = format!("{uploaded} of {total} documents were uploaded before this failure");
    let message = format!("{} ({note})", err.message());
    let code = err.code();
    let status = err.http_status();
    let server = err.server_message().map(str::to_owned);
    let field = err.field().map(str::to_owned);
    let mut out = Error::new(code, message)
        .with_server_message(server)
        .with_field(field)
        .with_maybe_processed(err.maybe_processed())
        .with_raw_body(err.raw_body().map(str::to_owned));
    if let Some(status) = status {
        out = out.with_status(status);
    }
    out.with_source(err)
}

/// Pairs the uids of an upload answer with the fields sent, in the order sent.
///
/// Legacy: one file → `details: "<uid>"`; several → `details: [{uid, key, digest, filename}]`.
/// Current: one file → `detail: {name, uid}`; several \[inferred\] → `detail: [{name, uid}]`.
fn match_uploads(
    answer: &crate::envelope::Answer,
    sent: &[(String, String)],
) -> Result<Vec<UploadedDocument>> {
    let key = answer.envelope.payload_key();
    let payload = answer.payload()?;
    let entries: Vec<(Option<String>, Option<String>, Option<String>)> = match payload {
        Value::String(uid) => vec![(None, Some(uid.clone()), None)],
        Value::Object(map) => vec![entry(map)],
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Object(map) => entry(map),
                Value::String(uid) => (None, Some(uid.clone()), None),
                _ => (None, None, None),
            })
            .collect(),
        _ => return Err(answer.bad_response("unexpected upload answer", key)),
    };
    if entries.len() != sent.len() {
        return Err(answer.bad_response(
            &format!("{} uids for {} uploaded files", entries.len(), sent.len()),
            key,
        ));
    }
    let named = entries.iter().all(|(field, _, _)| field.is_some());
    let mut out = Vec::with_capacity(sent.len());
    for (index, (field, file_name)) in sent.iter().enumerate() {
        let found = if named {
            entries
                .iter()
                .position(|(f, _, _)| f.as_deref() == Some(field.as_str()))
        } else {
            Some(index)
        };
        let Some(position) = found else {
            return Err(answer.bad_response(
                &format!("no uid for field {field}"),
                &format!("{key}[].name"),
            ));
        };
        let (_, uid, digest) = &entries[position];
        let Some(uid) = uid.clone().filter(|u| !u.is_empty()) else {
            return Err(answer.bad_response("entry without uid", &format!("{key}[{position}].uid")));
        };
        out.push(UploadedDocument {
            uid: DocumentUid(uid),
            field: field.clone(),
            file_name: file_name.clone(),
            digest: digest.clone(),
        });
    }
    Ok(out)
}

/// `(field name, uid, digest)` of one answer entry (`name` current, `key` legacy).
fn entry(map: &Map<String, Value>) -> (Option<String>, Option<String>, Option<String>) {
    let text = |k: &str| map.get(k).and_then(flex::string_from_value);
    (
        text("name").or_else(|| text("key")),
        text("uid"),
        text("digest"),
    )
}

fn document_info(uid: DocumentUid, info: &Map<String, Value>) -> DocumentInfo {
    let text = |k: &str| {
        info.get(k)
            .and_then(flex::string_from_value)
            .filter(|s| !s.is_empty())
    };
    DocumentInfo {
        uid,
        file_name: text("filename"),
        upload_date: text("upload_date"),
        ext: text("ext"),
        size: info.get("size").and_then(flex::u64_from_value),
        mime: text("mime"),
        kind: text("type").or_else(|| text("document_type")),
    }
}

/// Downloads into a new file at `path`, removing it again when the download fails.
pub(crate) async fn to_path(
    path: &Path,
    download: impl AsyncFnOnce(&mut tokio::fs::File) -> Result<Downloaded>,
) -> Result<Downloaded> {
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(|err| Error::io_file("create", path, err))?;
    match download(&mut file).await {
        Ok(done) => Ok(done),
        Err(err) => {
            drop(file);
            // Best effort: the caller's temp file is useless after a failed download.
            let _ = tokio::fs::remove_file(path).await;
            Err(err)
        }
    }
}
