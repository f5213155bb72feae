//! Route handlers, one module per API area. Each handler reads the input, calls the core and
//! answers in the envelope of the layout its route belongs to.

pub mod documents;
pub mod images;
pub mod legacy;
pub mod requests;
pub mod tokens;
pub mod videoid;

use super::Ctx;
use crate::core::error::ApiResult;
use axum::response::Response;

/// Answers `result` with `ok` or the layout's error envelope.
pub fn reply<T>(ctx: &Ctx, result: ApiResult<T>, ok: impl FnOnce(T) -> Response) -> Response {
    match result {
        Ok(value) => ok(value),
        Err(err) => ctx.layout.error(err),
    }
}
