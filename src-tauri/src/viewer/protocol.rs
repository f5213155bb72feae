//! The `pdfpage` URI scheme: `pdfpage://localhost/<handle>/<page>?scale=<s>&rotation=<deg>`
//! (and `&attempt=<n>` on a retry) answers with the encoded image of that page (zero-based) of a
//! document the window opened: JPEG for scanned pages, PNG for the others.
//! Anything else — an unknown handle, a path, a bad number — gets a plain 4xx and no data.

use super::Viewer;
use pdf_engine::{ImageFormat, Priority, RenderRequest, RenderedImage, Rotation};
use tauri::http::{Request, Response, StatusCode, header};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

pub const SCHEME: &str = "pdfpage";

/// Scales the viewer may ask for: enough for 400 % zoom on a 2x display, and no more.
const MAX_SCALE: f32 = 8.0;

/// Handles one page request off the main thread.
pub fn handle<R: Runtime>(
    context: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = context.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        let response = match parse(request.uri()) {
            Some(page) => render(app.state::<Viewer>().inner(), page).await,
            None => plain(StatusCode::BAD_REQUEST, "malformed page address"),
        };
        responder.respond(response);
    });
}

#[derive(Debug, PartialEq)]
struct PageAddress {
    handle: String,
    page: u32,
    scale: f32,
    rotation: Rotation,
}

fn parse(uri: &tauri::http::Uri) -> Option<PageAddress> {
    let mut segments = uri.path().trim_matches('/').split('/');
    let handle = segments
        .next()
        .filter(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()))?;
    let page = segments.next()?.parse().ok()?;
    if segments.next().is_some() {
        return None;
    }
    let mut scale = 1.0;
    let mut rotation = Rotation::None;
    for pair in uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        match pair.split_once('=')? {
            ("scale", value) => {
                scale = value
                    .parse()
                    .ok()
                    .filter(|s: &f32| *s > 0.0 && *s <= MAX_SCALE)?
            }
            ("rotation", value) => rotation = Rotation::from_degrees(value.parse().ok()?)?,
            // A retry's distinct address (the window asks again after a dropped render).
            ("attempt", value) => {
                value.parse::<u8>().ok()?;
            }
            _ => return None,
        }
    }
    Some(PageAddress {
        handle: handle.to_owned(),
        page,
        scale,
        rotation,
    })
}

/// How the window's pages are rendered: the same request for a page at a scale and rotation,
/// whoever asks first (the protocol, or an open preparing page 1), so both share one render.
pub fn page_request(
    page: u32,
    scale: f32,
    rotation: Rotation,
    cancel: Option<pdf_engine::CancelToken>,
) -> RenderRequest {
    RenderRequest {
        rotation,
        // Scans as JPEG (PNG of a scan is megabytes and slow), text and vector pages as PNG.
        format: ImageFormat::Auto,
        priority: Priority::Visible,
        cancel,
        ..RenderRequest::page(page, scale)
    }
}

async fn render(viewer: &Viewer, address: PageAddress) -> Response<Vec<u8>> {
    let Ok(id) = viewer.document(&address.handle) else {
        return plain(StatusCode::NOT_FOUND, "unknown document");
    };
    let engine = match viewer.engine() {
        Ok(engine) => engine,
        Err(error) => return plain(StatusCode::SERVICE_UNAVAILABLE, &error.code),
    };
    let cancel = viewer.track(&address.handle, address.page);
    let request = page_request(address.page, address.scale, address.rotation, Some(cancel));
    let started = std::time::Instant::now();
    let result = engine.render(id, request).await;
    viewer.untrack(&address.handle, address.page);
    match result {
        Ok(image) => {
            tracing::debug!(
                page = address.page,
                format = image.format.mime_type(),
                bytes = image.data.len(),
                elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
                "viewer: page served"
            );
            image_response(image)
        }
        Err(error) if error.code() == "pdf.cancelled" => plain(StatusCode::NO_CONTENT, "cancelled"),
        Err(error) if error.code() == "pdf.page_out_of_range" => {
            plain(StatusCode::NOT_FOUND, error.code())
        }
        Err(error) => plain(StatusCode::UNPROCESSABLE_ENTITY, error.code()),
    }
}

/// The page's image. `no-store`: the engine caches pages by the bytes it can afford, and the
/// window drops the images of pages scrolled far away; a webview cache would keep every page
/// ever shown in memory (over a gigabyte through a 1300-page manual).
fn image_response(image: RenderedImage) -> Response<Vec<u8>> {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, image.format.mime_type())
        .header(header::CACHE_CONTROL, "no-store")
        .header("X-Page-Width", image.width)
        .header("X-Page-Height", image.height)
        .body(image.data.to_vec())
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "response"))
}

fn plain(status: StatusCode, text: &str) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(text.as_bytes().to_vec())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> tauri::http::Uri {
        text.parse().expect("a valid URI")
    }

    const HANDLE: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn parses_a_page_address() {
        let address = parse(&uri(&format!(
            "pdfpage://localhost/{HANDLE}/3?scale=1.5&rotation=90"
        )));
        assert_eq!(
            address,
            Some(PageAddress {
                handle: HANDLE.into(),
                page: 3,
                scale: 1.5,
                rotation: Rotation::Cw90
            })
        );
    }

    #[test]
    fn page_images_are_never_stored_by_the_webview() {
        let response = image_response(RenderedImage {
            page: 0,
            format: ImageFormat::Jpeg,
            width: 2,
            height: 3,
            data: vec![0xFF, 0xD8, 0xFF].into(),
        });
        let headers = response.headers();
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(headers["X-Page-Height"], "3");
    }

    #[test]
    fn refuses_paths_bad_numbers_and_unknown_parameters() {
        for bad in [
            "pdfpage://localhost/etc/passwd".to_owned(),
            format!("pdfpage://localhost/{HANDLE}/x"),
            format!("pdfpage://localhost/{HANDLE}/1/2"),
            format!("pdfpage://localhost/{HANDLE}/1?scale=0"),
            format!("pdfpage://localhost/{HANDLE}/1?scale=99"),
            format!("pdfpage://localhost/{HANDLE}/1?rotation=45"),
            format!("pdfpage://localhost/{HANDLE}/1?path=/tmp/a.pdf"),
            "pdfpage://localhost/../../home/a.pdf/1".to_owned(),
        ] {
            assert_eq!(parse(&uri(&bad)), None, "{bad}");
        }
    }
}
