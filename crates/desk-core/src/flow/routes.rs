//! The remote calls as the journal records them (`POST /oneshot/api/v1/sign/388141`): a
//! description for people reading the journal, not the client's routing.

use crate::journal::ApiLayout;

/// The calls a classic flow makes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Call<'a> {
    Create,
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
