//! Everything that touches PDFium objects. Only the worker thread calls these functions; they
//! turn pdfium-render's results and errors into this crate's types.

use crate::error::PdfError;
use crate::info::{
    DocumentMetadata, PageRect, PageSize, PdfiumSignature, SearchHit, SearchOptions, parse_pdf_date,
};
use crate::render_spec::{Region, Rotation};
use pdfium_render::prelude::*;

/// PDFium only looks for the header in the first 1024 bytes; so do we, to tell "not a PDF"
/// (no header) from "a damaged PDF" (PDFium's format error either way).
pub const HEADER_WINDOW: usize = 1024;

/// Checks the leading bytes before handing anything to PDFium.
pub fn check_header(head: &[u8]) -> Result<(), PdfError> {
    if head.is_empty() {
        return Err(PdfError::NotAPdf {
            reason: "the file is empty".into(),
        });
    }
    let window = &head[..head.len().min(HEADER_WINDOW)];
    if window.windows(5).any(|w| w == b"%PDF-") {
        Ok(())
    } else {
        Err(PdfError::NotAPdf {
            reason: "no %PDF- header in the first 1024 bytes".into(),
        })
    }
}

/// Maps a failed open to the typed error.
pub fn open_error(err: PdfiumError, password_given: bool) -> PdfError {
    match err {
        PdfiumError::PdfiumLibraryInternalError(internal) => match internal {
            PdfiumInternalError::PasswordError if password_given => PdfError::WrongPassword,
            PdfiumInternalError::PasswordError => PdfError::Encrypted,
            PdfiumInternalError::SecurityError => PdfError::UnsupportedEncryption,
            PdfiumInternalError::FormatError => {
                PdfError::malformed("PDFium cannot parse the file structure")
            }
            PdfiumInternalError::FileError => PdfError::malformed("PDFium cannot read the file"),
            PdfiumInternalError::PageError => PdfError::malformed("a page is missing or damaged"),
            PdfiumInternalError::Unknown => PdfError::malformed("PDFium could not open the file"),
        },
        PdfiumError::IoError(err) => PdfError::Io {
            action: "reading",
            path: Default::default(),
            source: err,
        },
        other => PdfError::internal(format!("{other:?}")),
    }
}

/// The displayed size of every page, without loading the pages.
pub fn page_sizes(document: &PdfDocument<'_>) -> Result<Vec<PageSize>, PdfError> {
    (0..page_count(document))
        .map(|index| page_size(document, index))
        .collect()
}

/// The displayed size of one page, without loading it.
pub fn page_size(document: &PdfDocument<'_>, index: u32) -> Result<PageSize, PdfError> {
    let rect = i32::try_from(index)
        .ok()
        .and_then(|i| document.pages().page_size(i).ok())
        .ok_or_else(|| PdfError::malformed(format!("page {index} has no size")))?;
    Ok(PageSize {
        width: rect.width().value,
        height: rect.height().value,
    })
}

pub fn metadata(document: &PdfDocument<'_>) -> DocumentMetadata {
    let meta = document.metadata();
    let get = |tag| {
        meta.get(tag)
            .map(|t| t.value().trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let creation_date = get(PdfDocumentMetadataTagType::CreationDate);
    let modification_date = get(PdfDocumentMetadataTagType::ModificationDate);
    DocumentMetadata {
        title: get(PdfDocumentMetadataTagType::Title),
        author: get(PdfDocumentMetadataTagType::Author),
        subject: get(PdfDocumentMetadataTagType::Subject),
        keywords: get(PdfDocumentMetadataTagType::Keywords),
        creator: get(PdfDocumentMetadataTagType::Creator),
        producer: get(PdfDocumentMetadataTagType::Producer),
        creation_time: creation_date.as_deref().and_then(parse_pdf_date),
        modification_time: modification_date.as_deref().and_then(parse_pdf_date),
        creation_date,
        modification_date,
        pdf_version: pdf_version(document.version()),
        // pdfium-render names revisions 2-4 only; AES-256 (revisions 5 and 6) comes back as
        // an error, and is just as encrypted.
        encrypted: !matches!(
            document.permissions().security_handler_revision(),
            Ok(PdfSecurityHandlerRevision::Unprotected)
        ),
    }
}

fn pdf_version(version: PdfDocumentVersion) -> Option<String> {
    let text = match version {
        PdfDocumentVersion::Unset => return None,
        PdfDocumentVersion::Pdf1_0 => "1.0",
        PdfDocumentVersion::Pdf1_1 => "1.1",
        PdfDocumentVersion::Pdf1_2 => "1.2",
        PdfDocumentVersion::Pdf1_3 => "1.3",
        PdfDocumentVersion::Pdf1_4 => "1.4",
        PdfDocumentVersion::Pdf1_5 => "1.5",
        PdfDocumentVersion::Pdf1_6 => "1.6",
        PdfDocumentVersion::Pdf1_7 => "1.7",
        PdfDocumentVersion::Pdf2_0 => "2.0",
        PdfDocumentVersion::Other(n) => return Some(format!("{}.{}", n / 10, n % 10)),
    };
    Some(text.to_string())
}

/// The number of pages (PDFium counts in C ints).
pub fn page_count(document: &PdfDocument<'_>) -> u32 {
    u32::try_from(document.pages().len()).unwrap_or(0)
}

/// Loads page `index`, mapping failures to typed errors.
pub fn load_page<'a>(document: &'a PdfDocument<'_>, index: u32) -> Result<PdfPage<'a>, PdfError> {
    let page_count = page_count(document);
    let page_index = match i32::try_from(index) {
        Ok(i) if index < page_count => i,
        _ => {
            return Err(PdfError::PageOutOfRange {
                page: index,
                page_count,
            });
        }
    };
    document
        .pages()
        .get(page_index)
        .map_err(|e| PdfError::malformed(format!("page {index} cannot be loaded: {e:?}")))
}

/// Share of the page area that images must cover for the page to count as a scan or photo.
const IMAGE_PAGE_COVERAGE: f32 = 0.5;

/// Objects looked at, at most, before a page counts as vector art: scans have a handful, and a
/// page with thousands of drawing operations is a vector page whatever images it also has.
const MAX_OBJECTS_EXAMINED: usize = 4000;

/// Whether images (directly or inside form XObjects) cover most of the page: such pages are
/// encoded as JPEG. Costs a walk over the page's object list, which loading the page parsed.
pub fn mostly_images(page: &PdfPage<'_>) -> bool {
    let page_area = page.width().value * page.height().value;
    if page_area <= 0.0 {
        return false;
    }
    let mut budget = MAX_OBJECTS_EXAMINED;
    let mut covered = 0.0f32;
    for object in page.objects().iter() {
        if budget == 0 {
            return false;
        }
        budget -= 1;
        let has_image = match &object {
            PdfPageObject::Image(_) => true,
            PdfPageObject::XObjectForm(form) => form_has_image(form, &mut budget),
            _ => false,
        };
        if has_image && let Ok(bounds) = object.bounds() {
            covered += bounds.width().value.abs() * bounds.height().value.abs();
            if covered >= page_area * IMAGE_PAGE_COVERAGE {
                return true;
            }
        }
    }
    false
}

/// Whether a form XObject draws an image (scanners often wrap the page image in one).
fn form_has_image(form: &PdfPageXObjectFormObject<'_>, budget: &mut usize) -> bool {
    for object in form.iter() {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        match &object {
            PdfPageObject::Image(_) => return true,
            PdfPageObject::XObjectForm(inner) if form_has_image(inner, budget) => return true,
            _ => {}
        }
    }
    false
}

/// The pixel size of the whole page at `scale` and `rotation`.
pub fn full_render_size(page: &PdfPage<'_>, scale: f32, rotation: Rotation) -> (u64, u64) {
    let size = PageSize {
        width: page.width().value,
        height: page.height().value,
    };
    let (w, h) = size.pixels_at(scale);
    if rotation.swaps_axes() {
        (h, w)
    } else {
        (w, h)
    }
}

/// Renders `region` of the page (the whole page when `None`) at `scale` and `rotation` into
/// `buffer` as tightly packed RGBA. Returns the bitmap's width and height.
pub fn render_rgba(
    page: &PdfPage<'_>,
    scale: f32,
    rotation: Rotation,
    region: Option<Region>,
    max_pixels: u64,
    buffer: &mut Vec<u8>,
) -> Result<(u32, u32), PdfError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(PdfError::invalid(format!(
            "scale must be a positive number, not {scale}"
        )));
    }
    let (full_w, full_h) = full_render_size(page, scale, rotation);
    let region = match region {
        None => Region {
            x: 0,
            y: 0,
            width: clamp_u32(full_w),
            height: clamp_u32(full_h),
        },
        Some(r) => {
            let right = (u64::from(r.x) + u64::from(r.width)).min(full_w);
            let bottom = (u64::from(r.y) + u64::from(r.height)).min(full_h);
            if u64::from(r.x) >= right || u64::from(r.y) >= bottom {
                return Err(PdfError::invalid(
                    "the region lies outside the rendered page",
                ));
            }
            Region {
                x: r.x,
                y: r.y,
                width: clamp_u32(right - u64::from(r.x)),
                height: clamp_u32(bottom - u64::from(r.y)),
            }
        }
    };
    let (width, height) = (u64::from(region.width), u64::from(region.height));
    if width == 0 || height == 0 {
        return Err(PdfError::malformed("the page has no area"));
    }
    // PDFium addresses bitmaps with C ints; both limits stop a 300-dpi A0 from allocating GBs.
    if width.saturating_mul(height) > max_pixels
        || full_w > i32::MAX as u64 / 8
        || full_h > i32::MAX as u64 / 8
    {
        return Err(PdfError::TooLargeRender {
            width,
            height,
            max_pixels,
        });
    }
    let bytes = (width * height * 4) as usize;
    buffer.clear();
    buffer.resize(bytes, 0);
    let (w, h) = (width as i32, height as i32);
    let mut bitmap = PdfBitmap::from_bytes(w, h, PdfBitmapFormat::BGRA, buffer.as_mut_slice())
        .map_err(|e| PdfError::internal(format!("bitmap: {e:?}")))?;
    // The same scale and rounding as `full_render_size`, so the origin shift lands exactly.
    let config = PdfRenderConfig::new()
        .scale_page_by_factor(scale)
        .rotate(render_rotation(rotation), true)
        .set_reverse_byte_order(true)
        .set_origin(-(region.x as i32), -(region.y as i32));
    page.render_into_bitmap_with_config(&mut bitmap, &config)
        .map_err(|e| PdfError::malformed(format!("rendering failed: {e:?}")))?;
    drop(bitmap);
    Ok((region.width, region.height))
}

fn clamp_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn render_rotation(rotation: Rotation) -> PdfPageRenderRotation {
    match rotation {
        Rotation::None => PdfPageRenderRotation::None,
        Rotation::Cw90 => PdfPageRenderRotation::Degrees90,
        Rotation::Cw180 => PdfPageRenderRotation::Degrees180,
        Rotation::Cw270 => PdfPageRenderRotation::Degrees270,
    }
}

/// The page's text in reading order as PDFium extracts it.
pub fn page_text(page: &PdfPage<'_>) -> Result<String, PdfError> {
    let text = page
        .text()
        .map_err(|e| PdfError::malformed(format!("the page's text cannot be read: {e:?}")))?;
    Ok(text.all())
}

/// Every hit of `query` on `page`, in page order, at most `limit`.
pub fn search_page(
    page: &PdfPage<'_>,
    page_index: u32,
    query: &str,
    options: &SearchOptions,
    limit: usize,
) -> Result<Vec<SearchHit>, PdfError> {
    let text = page
        .text()
        .map_err(|e| PdfError::malformed(format!("the page's text cannot be read: {e:?}")))?;
    let search_options = PdfSearchOptions::new()
        .match_case(options.match_case)
        .match_whole_word(options.whole_word);
    let search = text
        .search(query, &search_options)
        .map_err(|e| PdfError::invalid(format!("search: {e:?}")))?;
    // Converting at 64x keeps 1/64-point precision out of PDFium's integer device coordinates.
    const PRECISION: f32 = 64.0;
    let to_display = PdfRenderConfig::new().scale_page_by_factor(PRECISION);
    let mut hits = Vec::new();
    while hits.len() < limit {
        let Some(segments) = search.find_next() else {
            break;
        };
        let mut hit = SearchHit {
            page: page_index,
            text: String::new(),
            rects: Vec::new(),
        };
        for segment in segments.iter() {
            hit.text.push_str(&segment.text());
            let b = segment.bounds();
            let corners = [
                page.points_to_pixels(b.left(), b.top(), &to_display),
                page.points_to_pixels(b.right(), b.bottom(), &to_display),
            ];
            let [Ok((x1, y1)), Ok((x2, y2))] = corners else {
                continue;
            };
            let (x1, y1, x2, y2) = (x1 as f32, y1 as f32, x2 as f32, y2 as f32);
            hit.rects.push(PageRect {
                x: x1.min(x2) / PRECISION,
                y: y1.min(y2) / PRECISION,
                width: (x1 - x2).abs() / PRECISION,
                height: (y1 - y2).abs() / PRECISION,
            });
        }
        // Segments carry the generated space after a word; the hit is the words themselves.
        hit.text = hit.text.trim().to_string();
        hits.push(hit);
    }
    Ok(hits)
}

/// The signatures PDFium sees (reason, time, contents size).
pub fn signatures(document: &PdfDocument<'_>) -> Vec<PdfiumSignature> {
    document
        .signatures()
        .iter()
        .enumerate()
        .map(|(index, signature)| {
            let signing_date = signature.signing_date();
            PdfiumSignature {
                index: index as u32,
                reason: signature.reason().filter(|r| !r.trim().is_empty()),
                signing_time: signing_date.as_deref().and_then(parse_pdf_date),
                signing_date,
                contents_len: signature.bytes().len(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_tell_pdfs_from_other_files() {
        assert_eq!(check_header(b"").unwrap_err().code(), "pdf.not_a_pdf");
        assert_eq!(
            check_header(b"PK\x03\x04zip").unwrap_err().code(),
            "pdf.not_a_pdf"
        );
        assert!(check_header(b"%PDF-1.7\n").is_ok());
        // PDFium accepts junk before the header within the first KiB.
        let mut late = vec![b' '; 600];
        late.extend_from_slice(b"%PDF-1.4");
        assert!(check_header(&late).is_ok());
        let mut too_late = vec![b' '; 1100];
        too_late.extend_from_slice(b"%PDF-1.4");
        assert!(check_header(&too_late).is_err());
    }
}
