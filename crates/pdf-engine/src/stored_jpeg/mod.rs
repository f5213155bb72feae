//! Scanned pages served as the JPEG the PDF stores. A scan's page is usually one JPEG drawn over
//! the whole page. Rendering it means PDFium decodes the JPEG at full resolution and scales it,
//! then the engine encodes a new JPEG: ~60 ms for a 200 dpi A4 page at the window's size. Handing
//! the stored bytes to the webview instead costs ~1 ms plus a look through the file, and the
//! reader sees the scan as it was scanned, without a second lossy encoding.
//!
//! Only a page whose stored image *is* the page, as PDFium would draw it, is served this way:
//! - the page: no `/Rotate`, no annotations (PDFium draws them over the page), one page object;
//! - that object: an image without transparency (soft mask, blend mode, alpha), drawn upright
//!   over exactly the page's box;
//! - the image: one filter, `DCTDecode`, in DeviceGray or DeviceRGB at 8 bits a component;
//! - the JPEG itself: decodable by every webview and meaning there what it means in a PDF
//!   ([`header`]);
//! - its stream dictionary in the file: nothing that changes how the bytes are read
//!   ([`dictionary`]): PDFium's API does not show the dictionary, so the stored bytes are found
//!   in the file and the dictionary is read there (in files up to 128 MiB: the search reads the
//!   whole file);
//! - the size: at most [`MAX_OVERSAMPLING`] times the width asked for, so the webview never
//!   decodes a far larger image than the page it shows.
//!
//! Anything else, or anything in doubt, is rendered by PDFium as before.

mod dictionary;
mod header;

use pdfium_render::prelude::*;
use std::path::Path;

/// How much wider than the width asked for a stored JPEG may be. The webview decodes every
/// stored pixel (4 bytes each) where a render would hold the asked size: a 300 dpi A4 scan is
/// served as stored when shown at 120 dpi or more, rendered below that.
pub(crate) const MAX_OVERSAMPLING: f32 = 2.5;

/// How far (in points) the image's edges may lie from the page's and still count as covering it:
/// scanners round the page size and the image matrix differently.
const EDGE_TOLERANCE: f32 = 0.5;

/// A page's stored JPEG with its pixel size.
pub(crate) struct StoredJpeg {
    pub data: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The JPEG page `page` stores, when it can be shown as is at `scale` (see the module notes).
/// `file` is the document's file, unchanged since it was opened; without it (a document opened
/// from bytes, or a file changed on disk) every page is rendered.
pub(crate) fn page_jpeg(
    page: &PdfPage<'_>,
    file: Option<&Path>,
    scale: f32,
    max_pixels: u64,
) -> Option<StoredJpeg> {
    let file = file?;
    if !matches!(page.rotation(), Ok(PdfPageRenderRotation::None)) || !page.annotations().is_empty()
    {
        return None;
    }
    let objects = page.objects();
    if objects.len() != 1 {
        return None;
    }
    let object = objects.get(0).ok()?;
    if object.has_transparency() || !covers_page_upright(page, &object) {
        return None;
    }
    let image = object.as_image_object()?;
    let filters = image.filters();
    let mut filters = filters.iter();
    match (filters.next(), filters.next()) {
        (Some(only), None) if only.name() == "DCTDecode" => {}
        _ => return None,
    }
    let components = match (image.color_space().ok()?, image.bits_per_pixel().ok()?) {
        (PdfColorSpace::DeviceGray, 8) => 1,
        (PdfColorSpace::DeviceRGB, 24) => 3,
        _ => return None,
    };
    let width = u32::try_from(image.width().ok()?).ok()?;
    let height = u32::try_from(image.height().ok()?).ok()?;
    if !size_fits(page, scale, width, height, max_pixels) {
        return None;
    }
    let data = image.get_raw_image_data().ok()?;
    let jpeg = header::read(&data)?;
    if (jpeg.width, jpeg.height, jpeg.components) != (width, height, components) {
        return None;
    }
    match dictionary::stored_plainly(file, &data) {
        Ok(true) => Some(StoredJpeg {
            data,
            width,
            height,
        }),
        Ok(false) => None,
        Err(err) => {
            tracing::debug!(%err, "the scan's file could not be read again: page rendered");
            None
        }
    }
}

/// Whether `object` is drawn upright (no rotation, skew or mirroring) over the page's whole box.
fn covers_page_upright(page: &PdfPage<'_>, object: &PdfPageObject<'_>) -> bool {
    let Ok(matrix) = object.matrix() else {
        return false;
    };
    if matrix.b() != 0.0 || matrix.c() != 0.0 || matrix.a() <= 0.0 || matrix.d() <= 0.0 {
        return false;
    }
    let boundaries = page.boundaries();
    let Ok(page_box) = boundaries.crop().or_else(|_| boundaries.media()) else {
        return false;
    };
    let Ok(bounds) = object.bounds() else {
        return false;
    };
    let (page_box, bounds) = (page_box.bounds, bounds.to_rect());
    let near = |a: PdfPoints, b: PdfPoints| (a.value - b.value).abs() <= EDGE_TOLERANCE;
    near(bounds.left(), page_box.left())
        && near(bounds.bottom(), page_box.bottom())
        && near(bounds.right(), page_box.right())
        && near(bounds.top(), page_box.top())
        // PDFium shows the crop box within the media box: a crop box reaching outside it
        // would show less than the image.
        && near(page.width(), page_box.width())
        && near(page.height(), page_box.height())
}

/// Whether an image `width` x `height` may stand for the page rendered at `scale`.
fn size_fits(page: &PdfPage<'_>, scale: f32, width: u32, height: u32, max_pixels: u64) -> bool {
    let asked = page.width().value * scale;
    asked > 0.0
        && width as f32 <= asked * MAX_OVERSAMPLING
        && u64::from(width) * u64::from(height) <= max_pixels
}
