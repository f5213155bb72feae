//! One API call from route to typed answer: layout resolution, tracing span, sending, reading
//! the JSON envelope or streaming a binary body, and error classification.

use crate::classify::{self, FailedAnswer};
use crate::client::Inner;
use crate::envelope::{Answer, Envelope};
use crate::error::{Error, ErrorCode, Result};
use crate::layout::{self, Area, Layout, OpKind, Route, RouteArgs};
use crate::redact::Redactor;
use crate::transfer::{Downloaded, TransferControl};
use crate::transport::OutBody;
use bytes::{Bytes, BytesMut};
use reqwest::{Response, header};
use std::time::Instant;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tracing::Instrument;

/// Largest JSON answer read into memory (lists of documents/images are far smaller).
const JSON_LIMIT: usize = 8 * 1024 * 1024;
/// Largest 2xx JSON body of a download endpoint inspected for an error envelope.
const JSON_PEEK_LIMIT: usize = 1024 * 1024;

/// What a call needs to describe itself and to keep secrets out of errors.
#[derive(Debug)]
pub(crate) struct CallCtx {
    pub(crate) op: OpKind,
    pub(crate) method: reqwest::Method,
    pub(crate) template: &'static str,
    pub(crate) redactor: Redactor,
}

impl CallCtx {
    pub(crate) fn describe(&self) -> String {
        format!("{} {}", self.method, self.template)
    }

    pub(crate) fn area(&self) -> Area {
        self.op.area()
    }

    pub(crate) fn scrub(&self, text: &str) -> String {
        self.redactor.scrub(text)
    }

    /// The raw body for an error, or nothing when this call's answers carry token values.
    pub(crate) fn keep_raw_body(&self, body: &[u8]) -> Option<String> {
        if self.op.answer_holds_secrets() || body.is_empty() {
            None
        } else {
            Some(self.redactor.raw_body(body))
        }
    }
}

impl Inner {
    fn route(&self, layout: Layout, op: OpKind, args: RouteArgs<'_>) -> Result<Route> {
        layout::route(&self.base, layout, op, args)
    }

    /// Sends a call whose success answer is a JSON envelope, and returns that answer.
    pub(crate) async fn call_json(
        &self,
        op: OpKind,
        args: RouteArgs<'_>,
        body: OutBody,
        redactor: Redactor,
    ) -> Result<Answer> {
        let layout = self.layout().await?;
        self.call_json_in(layout, op, args, body, redactor).await
    }

    /// [`Inner::call_json`] with a known layout (used by layout detection itself).
    pub(crate) async fn call_json_in(
        &self,
        layout: Layout,
        op: OpKind,
        args: RouteArgs<'_>,
        body: OutBody,
        redactor: Redactor,
    ) -> Result<Answer> {
        let route = self.route(layout, op, args)?;
        let ctx = CallCtx {
            op,
            method: route.method.clone(),
            template: route.template,
            redactor,
        };
        let span = call_span(&route, layout);
        let started = Instant::now();
        let result = async {
            let response = self.transport.send(&route, body).await?;
            tracing::Span::current().record("status", response.status().as_u16());
            read_json_answer(&self.transport, &route, ctx, response).await
        }
        .instrument(span.clone())
        .await;
        finish_span(&span, started, &result);
        result
    }

    /// Sends a GET whose success answer is a binary body, streaming it into `writer`.
    pub(crate) async fn call_download<W>(
        &self,
        op: OpKind,
        args: RouteArgs<'_>,
        writer: &mut W,
        control: &TransferControl,
    ) -> Result<Downloaded>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let layout = self.layout().await?;
        let route = self.route(layout, op, args)?;
        let ctx = CallCtx {
            op,
            method: route.method.clone(),
            template: route.template,
            redactor: Redactor::new(),
        };
        let span = call_span(&route, layout);
        let started = Instant::now();
        let work = async {
            let response = self.transport.send(&route, OutBody::Empty).await?;
            tracing::Span::current().record("status", response.status().as_u16());
            self.stream_download(&route, &ctx, response, writer, control)
                .await
        }
        .instrument(span.clone());
        let result = control.run(work).await;
        finish_span(&span, started, &result);
        result
    }

    async fn stream_download<W>(
        &self,
        route: &Route,
        ctx: &CallCtx,
        mut response: Response,
        writer: &mut W,
        control: &TransferControl,
    ) -> Result<Downloaded>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let status = response.status().as_u16();
        let content_type = header_text(&response, header::CONTENT_TYPE);
        if !(200..300).contains(&status) {
            let location = header_text(&response, header::LOCATION);
            let body = read_capped(&self.transport, route, &mut response, JSON_LIMIT).await?;
            return Err(failed(
                ctx,
                status,
                content_type.as_deref(),
                location.as_deref(),
                &body,
            ));
        }
        if is_html(content_type.as_deref()) {
            let body = read_capped(&self.transport, route, &mut response, JSON_LIMIT).await?;
            return Err(Error::new(
                ErrorCode::OptimizerBadResponse,
                format!(
                    "{} answered with an HTML page instead of a file",
                    ctx.describe()
                ),
            )
            .with_status(status)
            .with_raw_body(ctx.keep_raw_body(&body)));
        }
        let total = response.content_length();
        let mut done: u64 = 0;
        control.report(done, total);
        // A 2xx JSON body on a file endpoint may be an error envelope in disguise; the hash
        // flow's original document is legitimately JSON, so only a body that declares a failed
        // status is treated as an error.
        if is_json(content_type.as_deref()) && total.is_none_or(|t| t <= JSON_PEEK_LIMIT as u64) {
            let body = read_capped(&self.transport, route, &mut response, JSON_PEEK_LIMIT).await?;
            if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body) {
                let envelope = Envelope::from_value(value);
                if envelope.is_envelope() && envelope.says_failure() {
                    return Err(failed_with(
                        ctx,
                        status,
                        content_type.as_deref(),
                        &body,
                        &envelope,
                    ));
                }
            }
            write_chunk(writer, &body).await?;
            done = body.len() as u64;
            control.report(done, total);
        } else {
            loop {
                let chunk = match response.chunk().await {
                    Ok(Some(chunk)) => chunk,
                    Ok(None) => break,
                    Err(err) => {
                        return Err(broken_download(&self.transport, route, err, done, total));
                    }
                };
                write_chunk(writer, &chunk).await?;
                done += chunk.len() as u64;
                control.report(done, total);
            }
        }
        if let Some(expected) = total
            && done < expected
        {
            return Err(truncated(ctx, done, expected));
        }
        writer.flush().await.map_err(write_error)?;
        Ok(Downloaded {
            bytes: done,
            content_type,
        })
    }
}

fn call_span(route: &Route, layout: Layout) -> tracing::Span {
    tracing::info_span!(
        "optimizer_call",
        method = %route.method,
        path = route.template,
        layout = layout.as_str(),
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        error = tracing::field::Empty,
    )
}

fn finish_span<T>(span: &tracing::Span, started: Instant, result: &Result<T>) {
    let duration_ms = started.elapsed().as_millis() as u64;
    span.record("duration_ms", duration_ms);
    span.in_scope(|| match result {
        Ok(_) => tracing::debug!(duration_ms, "optimizer call done"),
        Err(err) => {
            span.record("error", err.code().as_str());
            tracing::debug!(
                duration_ms,
                error = err.code().as_str(),
                "optimizer call failed"
            );
        }
    });
}

async fn read_json_answer(
    transport: &crate::transport::Transport,
    route: &Route,
    ctx: CallCtx,
    mut response: Response,
) -> Result<Answer> {
    let status = response.status().as_u16();
    let content_type = header_text(&response, header::CONTENT_TYPE);
    let location = header_text(&response, header::LOCATION);
    let body = read_capped(transport, route, &mut response, JSON_LIMIT).await?;
    if !(200..300).contains(&status) {
        return Err(failed(
            &ctx,
            status,
            content_type.as_deref(),
            location.as_deref(),
            &body,
        ));
    }
    let value = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(value) => value,
        Err(err) => {
            let kind = content_type.as_deref().unwrap_or("no content type");
            return Err(Error::new(
                ErrorCode::OptimizerBadResponse,
                format!(
                    "{} answered {status} with a body that is not JSON ({kind}): {err}",
                    ctx.describe()
                ),
            )
            .with_status(status)
            .with_json_path("$")
            .with_raw_body(ctx.keep_raw_body(&body))
            .with_maybe_processed(true));
        }
    };
    let envelope = Envelope::from_value(value);
    if envelope.says_failure() {
        return Err(failed_with(
            &ctx,
            status,
            content_type.as_deref(),
            &body,
            &envelope,
        ));
    }
    Ok(Answer {
        envelope,
        body,
        status,
        ctx,
    })
}

fn failed(
    ctx: &CallCtx,
    status: u16,
    content_type: Option<&str>,
    location: Option<&str>,
    body: &[u8],
) -> Error {
    let envelope = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .map(Envelope::from_value);
    classify::classify(
        ctx,
        &FailedAnswer {
            status,
            content_type,
            location,
            body,
            envelope: envelope.as_ref(),
        },
    )
}

fn failed_with(
    ctx: &CallCtx,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    envelope: &Envelope,
) -> Error {
    classify::classify(
        ctx,
        &FailedAnswer {
            status,
            content_type,
            location: None,
            body,
            envelope: Some(envelope),
        },
    )
}

/// Reads a whole body, refusing more than `limit` bytes.
async fn read_capped(
    transport: &crate::transport::Transport,
    route: &Route,
    response: &mut Response,
    limit: usize,
) -> Result<Bytes> {
    let mut buf = BytesMut::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if buf.len() + chunk.len() > limit {
                    return Err(Error::new(
                        ErrorCode::OptimizerBadResponse,
                        format!(
                            "{} {} answered more than {limit} bytes of JSON",
                            route.method, route.template
                        ),
                    ));
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(buf.freeze()),
            Err(err) => return Err(transport.transport_error(err, route)),
        }
    }
}

fn broken_download(
    transport: &crate::transport::Transport,
    route: &Route,
    err: reqwest::Error,
    done: u64,
    total: Option<u64>,
) -> Error {
    match total {
        Some(expected) if !err.is_timeout() => Error::new(
            ErrorCode::DownloadTruncated,
            format!(
                "{} {}: the download broke after {done} of {expected} bytes",
                route.method, route.template
            ),
        )
        .with_source(err.without_url()),
        _ => transport.transport_error(err, route),
    }
}

fn truncated(ctx: &CallCtx, done: u64, expected: u64) -> Error {
    Error::new(
        ErrorCode::DownloadTruncated,
        format!(
            "{}: received {done} of {expected} announced bytes",
            ctx.describe()
        ),
    )
}

async fn write_chunk<W: AsyncWrite + Unpin + ?Sized>(writer: &mut W, chunk: &[u8]) -> Result<()> {
    writer.write_all(chunk).await.map_err(write_error)
}

fn write_error(err: std::io::Error) -> Error {
    Error::new(
        ErrorCode::IoFile,
        format!("could not write the downloaded data: {err}"),
    )
    .with_source(err)
}

fn header_text(response: &Response, name: header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn is_html(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|c| c.to_ascii_lowercase().starts_with("text/html"))
}

fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        c.starts_with("application/json") || c.contains("+json")
    })
}
