//! The steps every flow shares once the request is approved — the classic flow right after its
//! create call, VideoID flows after the RAO's approval: upload, contract, code and signature,
//! retrieval, verification, clean-up, and cancelling before the signature.

pub(crate) mod async_sign;
pub(crate) mod cancel;
pub(crate) mod finish;
pub(crate) mod otp_sign;
pub(crate) mod upload;
