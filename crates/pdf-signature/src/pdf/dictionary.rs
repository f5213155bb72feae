//! Reading a signature dictionary's entries: the object around a validated `/ByteRange` is
//! parsed with its (possibly huge) `/Contents` replaced by a marker.

use super::header::object_header_before;
use super::object::{Dict, Object, Parser};
use super::source::ByteSource;
use super::{date, text};
use std::io;

/// How far before the signature's first key the object header may be.
const HEAD_WINDOW: u64 = 256 * 1024;
/// How far after the `/Contents` value the dictionary may go on.
const TAIL_WINDOW: u64 = 256 * 1024;

/// The entries of a signature dictionary this crate reports.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct SignatureDictionary {
    /// The indirect object that *is* the dictionary (absent when it is nested in a field).
    pub(crate) object: Option<(u32, u16)>,
    /// `/Type`, e.g. `Sig` or `DocTimeStamp`.
    pub(crate) type_name: Option<String>,
    pub(crate) sub_filter: Option<String>,
    pub(crate) reason: Option<String>,
    pub(crate) location: Option<String>,
    pub(crate) contact_info: Option<String>,
    pub(crate) name: Option<String>,
    /// `/M` as written, and as an instant.
    pub(crate) signing_time_text: Option<String>,
    pub(crate) signing_time: Option<jiff::Timestamp>,
    /// `/T` of a field dictionary holding this signature directly as its `/V`.
    pub(crate) field_name: Option<String>,
}

/// Parses the dictionary of the signature whose byte range is `range`; `None` when it cannot
/// be read (the signature is still reported, without these entries).
pub(crate) fn read(
    source: &mut dyn ByteSource,
    key_offset: u64,
    range: [u64; 4],
    decode_text: bool,
) -> io::Result<Option<SignatureDictionary>> {
    let [_, gap_start, gap_end, _] = range;
    let first = key_offset.min(gap_start);
    // A `/ByteRange` far from the `/Contents` it names is not in the same dictionary.
    if gap_start - first > HEAD_WINDOW || key_offset.saturating_sub(gap_end) > TAIL_WINDOW {
        return Ok(None);
    }
    let Some(header) = object_header_before(source, first, HEAD_WINDOW)? else {
        return Ok(None);
    };
    let mut buffer = source.read_range(header, gap_start - header)?;
    let gap = buffer.len();
    buffer.extend_from_slice(b"<>");
    let tail_end = key_offset.max(gap_end).saturating_add(TAIL_WINDOW);
    buffer.extend(source.read_range(gap_end, tail_end - gap_end)?);

    let mut parser = Parser::new(&buffer, Some(gap));
    let Some(object_id) = parser.indirect_header() else {
        return Ok(None);
    };
    let Some(top) = parser.object() else {
        return Ok(None);
    };
    let Some((dictionary, field)) = find_signature(&top, range, None) else {
        return Ok(None);
    };
    let is_top = top.as_dict().is_some_and(|d| std::ptr::eq(d, dictionary));
    let text_entry = |key: &[u8]| -> Option<String> {
        decode_text
            .then(|| {
                dictionary
                    .get(key)
                    .and_then(Object::as_string)
                    .map(text::decode)
            })
            .flatten()
    };
    let signing_time_text = text_entry(b"M");
    Ok(Some(SignatureDictionary {
        object: is_top.then_some(object_id),
        type_name: name_entry(dictionary, b"Type"),
        sub_filter: name_entry(dictionary, b"SubFilter"),
        reason: text_entry(b"Reason"),
        location: text_entry(b"Location"),
        contact_info: text_entry(b"ContactInfo"),
        name: text_entry(b"Name"),
        signing_time: signing_time_text.as_deref().and_then(date::parse),
        signing_time_text,
        field_name: field.and_then(|f| {
            decode_text
                .then(|| f.get(b"T").and_then(Object::as_string).map(text::decode))
                .flatten()
        }),
    }))
}

fn name_entry(dict: &Dict, key: &[u8]) -> Option<String> {
    dict.get(key)
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned())
}

/// The dictionary holding `/ByteRange range` and the `/Contents` marker, with the nearest
/// enclosing signature field dictionary, if any.
fn find_signature<'o>(
    object: &'o Object,
    range: [u64; 4],
    field: Option<&'o Dict>,
) -> Option<(&'o Dict, Option<&'o Dict>)> {
    match object {
        Object::Dict(dict) => {
            if is_signature_with(dict, range) {
                return Some((dict, field));
            }
            let field = if dict.get(b"FT").and_then(Object::as_name) == Some(b"Sig") {
                Some(dict)
            } else {
                field
            };
            dict.0
                .iter()
                .find_map(|(_, value)| find_signature(value, range, field))
        }
        Object::Array(items) => items
            .iter()
            .find_map(|item| find_signature(item, range, field)),
        _ => None,
    }
}

fn is_signature_with(dict: &Dict, range: [u64; 4]) -> bool {
    let contents = dict.get(b"Contents") == Some(&Object::ContentsGap);
    let byte_range = match dict.get(b"ByteRange") {
        Some(Object::Array(items)) => {
            items.len() == 4
                && items.iter().zip(range).all(|(item, expected)| {
                    item.as_int().and_then(|i| u64::try_from(i).ok()) == Some(expected)
                })
        }
        _ => false,
    };
    contents && byte_range
}
