//! The two route tables. Each route carries its layout-neutral operation name, which the fault
//! layer uses.

use super::Ctx;
use super::envelope::Layout;
use super::faults::{self, FaultCtx};
use super::handlers::{documents, images, legacy, requests, tokens, videoid};
use crate::faults::Op;
use axum::Router;
use axum::routing::{MethodRouter, delete, get, post, put};

fn op(ctx: &Ctx, op: Op, route: MethodRouter<Ctx>) -> MethodRouter<Ctx> {
    let fault = FaultCtx {
        core: ctx.core.clone(),
        op,
        layout: ctx.layout,
    };
    route.layer(axum::middleware::from_fn_with_state(fault, faults::layer))
}

/// `/oneshot/api/v1/...` (API.md §A.3 plus the inferred operations of AGREED-API.md).
pub fn current(ctx: Ctx) -> Router {
    debug_assert_eq!(ctx.layout, Layout::Current);
    let c = &ctx;
    let api = Router::new()
        .route("/token", op(c, Op::TokenCreate, post(tokens::create)))
        .route(
            "/token/{uid}",
            op(c, Op::Token, get(tokens::get)).merge(op(
                c,
                Op::TokenDelete,
                delete(tokens::delete),
            )),
        )
        .route("/tokens", op(c, Op::Tokens, get(tokens::list)))
        .route("/create", op(c, Op::Create, post(requests::create)))
        .route(
            "/request/{pk}",
            op(c, Op::Request, get(requests::get))
                .merge(op(c, Op::RequestUpdate, put(requests::update)))
                .merge(op(c, Op::RequestCancel, delete(requests::cancel))),
        )
        .route("/otp/{pk}", op(c, Op::Otp, post(requests::otp)))
        .route("/sign/{pk}", op(c, Op::Sign, post(requests::sign)))
        .route(
            "/document/{pk}",
            op(c, Op::DocumentUpload, post(documents::upload)).merge(op(
                c,
                Op::DocumentsDelete,
                delete(documents::delete_all),
            )),
        )
        .route(
            "/document/{pk}/{uid}",
            op(c, Op::Document, get(documents::get_current)).merge(op(
                c,
                Op::DocumentDelete,
                delete(documents::delete_current),
            )),
        )
        .route(
            "/document/{pk}/{kind}/{uid}",
            op(c, Op::Document, get(documents::get_typed)).merge(op(
                c,
                Op::DocumentDelete,
                delete(documents::delete_typed),
            )),
        )
        .route(
            "/documents/{pk}",
            op(c, Op::Documents, get(documents::list)),
        )
        .route(
            "/contract/{pk}",
            op(c, Op::Contract, get(documents::contract)),
        )
        .route("/image", op(c, Op::ImageUpload, post(images::upload)))
        .route(
            "/image/{uid}",
            op(c, Op::Image, get(images::get)).merge(op(
                c,
                Op::ImageDelete,
                delete(images::delete),
            )),
        )
        .route(
            "/images",
            op(c, Op::Images, get(images::list)).merge(op(
                c,
                Op::ImagesDelete,
                delete(images::delete_all),
            )),
        )
        .route("/videoid", op(c, Op::VideoIdCreate, post(videoid::create)))
        .route(
            "/videoid/{pk}/evidences",
            op(c, Op::Evidences, post(videoid::evidences)),
        )
        .route(
            "/videoid/{pk}/video",
            op(c, Op::VideoUpload, post(videoid::upload_video)).merge(op(
                c,
                Op::Video,
                get(videoid::download_video),
            )),
        )
        .route(
            "/videoid/{pk}/approve",
            op(c, Op::Approve, post(videoid::approve)),
        )
        .route(
            "/videoid/{pk}/refuse",
            op(c, Op::Refuse, post(videoid::refuse)),
        );
    Router::new().nest("/oneshot/api/v1", api).with_state(ctx)
}

/// `/api/v1/...` (GH1 / GH2).
pub fn legacy(ctx: Ctx) -> Router {
    debug_assert_eq!(ctx.layout, Layout::Legacy);
    let c = &ctx;
    let api = Router::new()
        .route("/hello", op(c, Op::Hello, get(legacy::hello)))
        .route("/version", op(c, Op::Version, get(legacy::version)))
        .route(
            "/settings",
            op(c, Op::Settings, get(legacy::settings)).merge(op(
                c,
                Op::SettingsUpdate,
                post(legacy::update_settings),
            )),
        )
        .route(
            "/metadata",
            op(c, Op::Metadata, get(legacy::list_metadata))
                .merge(op(c, Op::MetadataUpdate, post(legacy::upload_metadata)))
                .merge(op(
                    c,
                    Op::MetadataUpdate,
                    delete(legacy::delete_all_metadata),
                )),
        )
        .route(
            "/metadata/{uid}",
            op(c, Op::Metadata, get(legacy::get_metadata)).merge(op(
                c,
                Op::MetadataUpdate,
                delete(legacy::delete_metadata),
            )),
        )
        .route("/token", op(c, Op::TokenCreate, post(tokens::create)))
        .route(
            "/token/{uid}",
            op(c, Op::Token, get(tokens::get)).merge(op(
                c,
                Op::TokenDelete,
                delete(tokens::delete),
            )),
        )
        .route("/tokens", op(c, Op::Tokens, get(tokens::list)))
        .route("/request", op(c, Op::Create, post(requests::create)))
        .route(
            "/request/{pk}",
            op(c, Op::Request, get(requests::get))
                .merge(op(c, Op::RequestUpdate, put(requests::update)))
                .merge(op(c, Op::RequestCancel, delete(requests::cancel))),
        )
        .route(
            "/async/status/{pk}",
            op(c, Op::AsyncStatus, get(requests::async_status)),
        )
        .route("/otp/{pk}", op(c, Op::Otp, post(requests::otp)))
        .route("/sign/{pk}", op(c, Op::Sign, post(requests::sign)))
        .route(
            "/document/{pk}",
            op(c, Op::DocumentUpload, post(documents::upload)),
        )
        .route(
            "/document/{pk}/contract",
            op(c, Op::Contract, get(documents::contract)),
        )
        .route(
            "/document/{pk}/{kind}/{uid}",
            op(c, Op::Document, get(documents::get_typed)).merge(op(
                c,
                Op::DocumentDelete,
                delete(documents::delete_typed),
            )),
        )
        .route(
            "/documents/{pk}",
            op(c, Op::Documents, get(documents::list)).merge(op(
                c,
                Op::DocumentsDelete,
                delete(documents::delete_all),
            )),
        )
        .route("/image", op(c, Op::ImageUpload, post(images::upload)))
        .route(
            "/image/{uid}",
            op(c, Op::Image, get(images::get)).merge(op(
                c,
                Op::ImageDelete,
                delete(images::delete),
            )),
        )
        .route(
            "/images",
            op(c, Op::Images, get(images::list)).merge(op(
                c,
                Op::ImagesDelete,
                delete(images::delete_all),
            )),
        )
        .route("/videoid", op(c, Op::VideoIdCreate, post(videoid::create)))
        .route(
            "/videoid/{pk}/evidences",
            op(c, Op::Evidences, post(videoid::evidences)),
        )
        .route(
            "/videoid/{pk}/evidences/video",
            op(c, Op::VideoUpload, post(videoid::upload_video)),
        )
        .route(
            "/videoid/{pk}/download/video",
            op(c, Op::Video, get(videoid::download_video)),
        )
        // The spec writes `requests/{pk}/approve`, every sample `request/{pk}/approve` (API.md §I.10).
        .route(
            "/requests/{pk}/approve",
            op(c, Op::Approve, post(videoid::approve)),
        )
        .route(
            "/request/{pk}/approve",
            op(c, Op::Approve, post(videoid::approve)),
        )
        .route(
            "/videoid/{pk}/refuse",
            op(c, Op::Refuse, post(videoid::refuse)),
        );
    Router::new().nest("/api/v1", api).with_state(ctx)
}
