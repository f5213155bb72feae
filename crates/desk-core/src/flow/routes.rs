//! The remote calls as the journal records them (`POST /oneshot/api/v1/sign/388141`): a
//! description for people reading the journal, not the client's routing.

use crate::journal::ApiLayout;

/// The calls a flow makes. VideoID calls carry the VideoID pk (current layout) and the request
/// pk (legacy layout).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Call<'a> {
    Create,
    CreateVideoId,
    Evidences(u64, u64),
    Video(u64, u64),
    DownloadVideo(u64, u64),
    Approve(u64, u64),
    Refuse(u64, u64),
    Upload(u64),
    Contract(u64),
    Otp(u64),
    Sign(u64),
    GetRequest(u64),
    ListDocuments(u64),
    DownloadSigned(u64, &'a str),
    DeleteDocuments(u64),
    CancelRequest(u64),
}

pub(crate) fn describe(layout: ApiLayout, call: Call<'_>) -> String {
    match layout {
        ApiLayout::Current => {
            let p = "/oneshot/api/v1";
            match call {
                Call::Create => format!("POST {p}/create"),
                Call::CreateVideoId => format!("POST {p}/videoid"),
                Call::Evidences(vpk, _) => format!("POST {p}/videoid/{vpk}/evidences"),
                Call::Video(vpk, _) => format!("POST {p}/videoid/{vpk}/video"),
                Call::DownloadVideo(vpk, _) => format!("GET {p}/videoid/{vpk}/video"),
                Call::Approve(vpk, _) => format!("POST {p}/videoid/{vpk}/approve"),
                Call::Refuse(vpk, _) => format!("POST {p}/videoid/{vpk}/refuse"),
                Call::Upload(pk) => format!("POST {p}/document/{pk}"),
                Call::Contract(pk) => format!("GET {p}/contract/{pk}/"),
                Call::Otp(pk) => format!("POST {p}/otp/{pk}"),
                Call::Sign(pk) => format!("POST {p}/sign/{pk}"),
                Call::GetRequest(pk) => format!("GET {p}/request/{pk}"),
                Call::ListDocuments(pk) => format!("GET {p}/documents/{pk}"),
                Call::DownloadSigned(pk, uid) => {
                    format!("GET {p}/document/{pk}/{uid}?document_type=signed")
                }
                Call::DeleteDocuments(pk) => format!("DELETE {p}/document/{pk}"),
                Call::CancelRequest(pk) => format!("DELETE {p}/request/{pk}"),
            }
        }
        ApiLayout::Legacy => {
            let p = "/api/v1";
            match call {
                Call::Create => format!("POST {p}/request"),
                Call::CreateVideoId => format!("POST {p}/videoid"),
                Call::Evidences(_, pk) => format!("POST {p}/videoid/{pk}/evidences"),
                Call::Video(_, pk) => format!("POST {p}/videoid/{pk}/evidences/video"),
                Call::DownloadVideo(_, pk) => format!("GET {p}/videoid/{pk}/download/video"),
                Call::Approve(_, pk) => format!("POST {p}/request/{pk}/approve"),
                Call::Refuse(_, pk) => format!("POST {p}/videoid/{pk}/refuse"),
                Call::Upload(pk) => format!("POST {p}/document/{pk}"),
                Call::Contract(pk) => format!("GET {p}/document/{pk}/contract"),
                Call::Otp(pk) => format!("POST {p}/otp/{pk}"),
                Call::Sign(pk) => format!("POST {p}/sign/{pk}"),
                Call::GetRequest(pk) => format!("GET {p}/request/{pk}"),
                Call::ListDocuments(pk) => format!("GET {p}/documents/{pk}"),
                Call::DownloadSigned(pk, uid) => format!("GET {p}/document/{pk}/signed/{uid}"),
                Call::DeleteDocuments(pk) => format!("DELETE {p}/documents/{pk}"),
                Call::CancelRequest(pk) => format!("DELETE {p}/request/{pk}"),
            }
        }
    }
}
