//! The two path layouts of the Optimizer API and the route of every operation in each.
//!
//! `current` is `/oneshot/api/v1/...` (the product today), `legacy` is `/api/v1/...` (older
//! Optimizers, GitHub specs). Operations the current docs do not show use the paths agreed in
//! AGREED-API.md (mirrors of legacy, marked [inferred] below).

use crate::error::{Error, ErrorCode, Result};
use crate::types::RequestPk;
use crate::videoid::VideoIdRef;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use url::Url;

/// A resolved path layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// `/oneshot/api/v1/...`
    Current,
    /// `/api/v1/...`
    Legacy,
}

impl Layout {
    /// `"current"` or `"legacy"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Current => "current",
            Layout::Legacy => "legacy",
        }
    }
}

/// Which layout to use: a fixed one, or `auto` to probe once and remember.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayoutMode {
    /// Always `/oneshot/api/v1` (the default).
    #[default]
    Current,
    /// Always `/api/v1`.
    Legacy,
    /// Probe `GET /oneshot/api/v1/tokens`, then `GET /api/v1/hello`; remember the answer.
    Auto,
}

/// Which copy of a document to fetch or delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    /// The uploaded document.
    Original,
    /// The signed result (PDF, or P7M for the hash flow).
    Signed,
}

impl DocumentKind {
    /// `"original"` or `"signed"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Original => "original",
            DocumentKind::Signed => "signed",
        }
    }
}

/// Every operation of the client, for routing, error classification and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum OpKind {
    CreateToken,
    GetToken,
    DeleteToken,
    ListTokens,
    CreateRequest,
    GetRequest,
    UpdateRequest,
    CancelRequest,
    GenerateOtp,
    Sign,
    Contract,
    UploadDocuments,
    GetDocument,
    DeleteDocument,
    ListDocuments,
    DeleteAllDocuments,
    UploadImage,
    GetImage,
    DeleteImage,
    ListImages,
    DeleteAllImages,
    CreateVideoId,
    UploadEvidences,
    UploadVideo,
    DownloadVideo,
    ApproveVideoId,
    /// Legacy spec spelling `/api/v1/requests/{pk}/approve`, tried when the samples' singular
    /// path does not exist on the server.
    ApproveVideoIdPlural,
    RefuseVideoId,
    Hello,
    Version,
}

/// API area of an operation: decides fallback codes when the server text is not recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    Token,
    Request,
    Otp,
    Sign,
    Document,
    Image,
    VideoId,
    Service,
}

impl OpKind {
    pub(crate) fn area(self) -> Area {
        use OpKind::*;
        match self {
            CreateToken | GetToken | DeleteToken | ListTokens => Area::Token,
            CreateRequest | GetRequest | UpdateRequest | CancelRequest => Area::Request,
            GenerateOtp => Area::Otp,
            Sign => Area::Sign,
            Contract | UploadDocuments | GetDocument | DeleteDocument | ListDocuments
            | DeleteAllDocuments => Area::Document,
            UploadImage | GetImage | DeleteImage | ListImages | DeleteAllImages => Area::Image,
            CreateVideoId | UploadEvidences | UploadVideo | DownloadVideo | ApproveVideoId
            | ApproveVideoIdPlural | RefuseVideoId => Area::VideoId,
            Hello | Version => Area::Service,
        }
    }

    /// Answers of these operations carry token values: their raw bodies are never kept.
    pub(crate) fn answer_holds_secrets(self) -> bool {
        matches!(
            self,
            OpKind::CreateToken | OpKind::ListTokens | OpKind::GetToken
        )
    }
}

/// Values substituted into a route template.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct RouteArgs<'a> {
    pub(crate) pk: Option<RequestPk>,
    pub(crate) uid: Option<&'a str>,
    pub(crate) kind: Option<DocumentKind>,
    pub(crate) video: Option<&'a VideoIdRef>,
}

/// A concrete HTTP endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub(crate) method: Method,
    /// Path template for logs (never holds values).
    pub(crate) template: &'static str,
    pub(crate) url: Url,
}

impl Route {
    /// GET and DELETE are idempotent and may be retried on transport failures.
    pub(crate) fn idempotent(&self) -> bool {
        self.method == Method::GET || self.method == Method::DELETE
    }
}

fn template(layout: Layout, op: OpKind) -> Option<(Method, &'static str)> {
    use OpKind::*;
    let (get, post, put, delete) = (Method::GET, Method::POST, Method::PUT, Method::DELETE);
    Some(match layout {
        Layout::Current => match op {
            CreateToken => (post, "/oneshot/api/v1/token"),
            GetToken => (get, "/oneshot/api/v1/token/{token_uid}"),
            // [inferred] from the layout of the other token calls.
            DeleteToken => (delete, "/oneshot/api/v1/token/{token_uid}"),
            ListTokens => (get, "/oneshot/api/v1/tokens"),
            CreateRequest => (post, "/oneshot/api/v1/create"),
            // [inferred] AGREED-API.md: mirrors of legacy.
            GetRequest => (get, "/oneshot/api/v1/request/{request_pk}"),
            UpdateRequest => (put, "/oneshot/api/v1/request/{request_pk}"),
            CancelRequest => (delete, "/oneshot/api/v1/request/{request_pk}"),
            GenerateOtp => (post, "/oneshot/api/v1/otp/{request_pk}"),
            Sign => (post, "/oneshot/api/v1/sign/{request_pk}"),
            Contract => (get, "/oneshot/api/v1/contract/{request_pk}/"),
            UploadDocuments => (post, "/oneshot/api/v1/document/{request_pk}"),
            GetDocument => (get, "/oneshot/api/v1/document/{request_pk}/{document_uid}"),
            DeleteDocument => (
                delete,
                "/oneshot/api/v1/document/{request_pk}/{document_uid}",
            ),
            // [inferred] AGREED-API.md.
            ListDocuments => (get, "/oneshot/api/v1/documents/{request_pk}"),
            DeleteAllDocuments => (delete, "/oneshot/api/v1/document/{request_pk}"),
            UploadImage => (post, "/oneshot/api/v1/image"),
            GetImage => (get, "/oneshot/api/v1/image/{image_uid}"),
            DeleteImage => (delete, "/oneshot/api/v1/image/{image_uid}"),
            // [inferred] AGREED-API.md.
            ListImages => (get, "/oneshot/api/v1/images"),
            DeleteAllImages => (delete, "/oneshot/api/v1/images"),
            CreateVideoId => (post, "/oneshot/api/v1/videoid"),
            UploadEvidences => (post, "/oneshot/api/v1/videoid/{videoid_pk}/evidences"),
            UploadVideo => (post, "/oneshot/api/v1/videoid/{videoid_pk}/video"),
            // [inferred] AGREED-API.md: mirror of the upload path.
            DownloadVideo => (get, "/oneshot/api/v1/videoid/{videoid_pk}/video"),
            ApproveVideoId => (post, "/oneshot/api/v1/videoid/{videoid_pk}/approve"),
            ApproveVideoIdPlural => return None,
            RefuseVideoId => (post, "/oneshot/api/v1/videoid/{videoid_pk}/refuse"),
            Hello | Version => return None,
        },
        Layout::Legacy => match op {
            CreateToken => (post, "/api/v1/token"),
            GetToken => (get, "/api/v1/token/{token_uid}"),
            DeleteToken => (delete, "/api/v1/token/{token_uid}"),
            ListTokens => (get, "/api/v1/tokens"),
            CreateRequest => (post, "/api/v1/request"),
            GetRequest => (get, "/api/v1/request/{request_pk}"),
            UpdateRequest => (put, "/api/v1/request/{request_pk}"),
            CancelRequest => (delete, "/api/v1/request/{request_pk}"),
            GenerateOtp => (post, "/api/v1/otp/{request_pk}"),
            Sign => (post, "/api/v1/sign/{request_pk}"),
            Contract => (get, "/api/v1/document/{request_pk}/contract"),
            UploadDocuments => (post, "/api/v1/document/{request_pk}"),
            GetDocument => (
                get,
                "/api/v1/document/{request_pk}/{document_type}/{document_uid}",
            ),
            DeleteDocument => (
                delete,
                "/api/v1/document/{request_pk}/{document_type}/{document_uid}",
            ),
            ListDocuments => (get, "/api/v1/documents/{request_pk}"),
            DeleteAllDocuments => (delete, "/api/v1/documents/{request_pk}"),
            UploadImage => (post, "/api/v1/image"),
            GetImage => (get, "/api/v1/image/{image_uid}"),
            DeleteImage => (delete, "/api/v1/image/{image_uid}"),
            ListImages => (get, "/api/v1/images"),
            DeleteAllImages => (delete, "/api/v1/images"),
            CreateVideoId => (post, "/api/v1/videoid"),
            UploadEvidences => (post, "/api/v1/videoid/{request_pk}/evidences"),
            UploadVideo => (post, "/api/v1/videoid/{request_pk}/evidences/video"),
            DownloadVideo => (get, "/api/v1/videoid/{request_pk}/download/video"),
            // Every GH2 sample uses the singular path; the spec's plural one is the fallback.
            ApproveVideoId => (post, "/api/v1/request/{request_pk}/approve"),
            ApproveVideoIdPlural => (post, "/api/v1/requests/{request_pk}/approve"),
            RefuseVideoId => (post, "/api/v1/videoid/{request_pk}/refuse"),
            Hello => (get, "/api/v1/hello"),
            Version => (get, "/api/v1/version"),
        },
    })
}

/// The endpoint of `op` in `layout` under `base`, or `optimizer.unsupported_operation` when the
/// layout has no such operation.
pub(crate) fn route(base: &Url, layout: Layout, op: OpKind, args: RouteArgs<'_>) -> Result<Route> {
    let (method, template) = template(layout, op).ok_or_else(|| {
        Error::new(
            ErrorCode::OptimizerUnsupportedOperation,
            format!("the {} layout has no {op:?} operation", layout.as_str()),
        )
    })?;
    let mut url = base.clone();
    {
        let mut segments = url.path_segments_mut().map_err(|()| {
            Error::new(
                ErrorCode::ConfigInvalid,
                "the Optimizer URL cannot have paths",
            )
        })?;
        segments.pop_if_empty();
        for part in template.trim_start_matches('/').split('/') {
            let value: String = match part {
                "{request_pk}" => match (args.pk, args.video) {
                    (Some(pk), _) => pk.to_string(),
                    (None, Some(video)) => video.request_pk.to_string(),
                    (None, None) => return Err(missing_arg(template)),
                },
                "{videoid_pk}" => args
                    .video
                    .ok_or_else(|| missing_arg(template))?
                    .videoid_pk
                    .to_string(),
                "{token_uid}" | "{image_uid}" | "{document_uid}" => {
                    args.uid.ok_or_else(|| missing_arg(template))?.to_owned()
                }
                "{document_type}" => args
                    .kind
                    .ok_or_else(|| missing_arg(template))?
                    .as_str()
                    .to_owned(),
                literal => literal.to_owned(),
            };
            segments.push(&value);
        }
    }
    if layout == Layout::Current && op == OpKind::GetDocument {
        let kind = args.kind.unwrap_or(DocumentKind::Original);
        url.query_pairs_mut()
            .append_pair("document_type", kind.as_str());
    }
    Ok(Route {
        method,
        template,
        url,
    })
}

fn missing_arg(template: &str) -> Error {
    Error::new(
        ErrorCode::InputInvalid,
        format!("missing a path value for {template}"),
    )
}

/// Strips an API prefix the user may have typed into the base URL (`…/oneshot/api/v1/` or
/// `…/api/v1`), so both "https://host" and "https://host/oneshot/api/v1/" work.
pub(crate) fn normalise_base(mut base: Url) -> Url {
    let path = base.path().trim_end_matches('/').to_owned();
    let stripped = ["/oneshot/api/v1", "/api/v1"]
        .iter()
        .find_map(|suffix| path.strip_suffix(suffix))
        .unwrap_or(&path)
        .to_owned();
    base.set_path(&format!("{stripped}/"));
    base.set_query(None);
    base.set_fragment(None);
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        normalise_base(Url::parse("https://opt.example/prefix/oneshot/api/v1/").expect("url"))
    }

    #[test]
    fn builds_paths_of_both_layouts() {
        let args = RouteArgs {
            pk: Some(RequestPk(42)),
            uid: Some("ab/c d"),
            kind: Some(DocumentKind::Signed),
            video: None,
        };
        let current = route(&base(), Layout::Current, OpKind::GetDocument, args).expect("route");
        assert_eq!(
            current.url.as_str(),
            "https://opt.example/prefix/oneshot/api/v1/document/42/ab%2Fc%20d?document_type=signed"
        );
        let legacy = route(&base(), Layout::Legacy, OpKind::GetDocument, args).expect("route");
        assert_eq!(
            legacy.url.as_str(),
            "https://opt.example/prefix/api/v1/document/42/signed/ab%2Fc%20d"
        );
        let contract = route(&base(), Layout::Current, OpKind::Contract, args).expect("route");
        assert_eq!(contract.url.path(), "/prefix/oneshot/api/v1/contract/42/");
    }

    #[test]
    fn current_layout_has_no_hello() {
        let err = route(
            &base(),
            Layout::Current,
            OpKind::Hello,
            RouteArgs::default(),
        )
        .expect_err("no hello");
        assert_eq!(err.code(), ErrorCode::OptimizerUnsupportedOperation);
    }
}
