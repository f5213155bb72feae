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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::source::SliceSource;

    /// `text` with `GAP` standing for the `/Contents` value; returns the bytes and byte range.
    fn with_gap(text: &str) -> (Vec<u8>, [u64; 4], u64) {
        let layout = |r: [u64; 4]| {
            text.replace("RANGE", &format!("[0 {:>5} {:>5} {:>5}]", r[1], r[2], r[3]))
                .replace("GAP", "<3000>")
        };
        let draft = layout([0; 4]);
        let gap = draft.find("<3000>").expect("gap") as u64;
        let range = [0, gap, gap + 6, draft.len() as u64 - gap - 6];
        let bytes = layout(range).into_bytes();
        let key = memchr::memmem::find(&bytes, b"/ByteRange").expect("key") as u64;
        (bytes, range, key)
    }

    #[test]
    fn signature_dictionary_as_its_own_object() {
        let (bytes, range, key) = with_gap(
            "%PDF-1.7\n6 0 obj\n<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange RANGE \
             /Contents GAP /Reason <FEFF00D1> /M (D:20240102030405Z) >>\nendobj\n",
        );
        let dictionary = read(&mut SliceSource(&bytes), key, range, true)
            .expect("io")
            .expect("parsed");
        assert_eq!(dictionary.object, Some((6, 0)));
        assert_eq!(dictionary.type_name.as_deref(), Some("Sig"));
        assert_eq!(
            dictionary.sub_filter.as_deref(),
            Some("adbe.pkcs7.detached")
        );
        assert_eq!(dictionary.reason.as_deref(), Some("Ñ"));
        assert_eq!(
            dictionary.signing_time,
            Some("2024-01-02T03:04:05Z".parse().expect("time"))
        );
        assert_eq!(dictionary.field_name, None);
    }

    #[test]
    fn signature_dictionary_held_directly_by_its_field() {
        let (bytes, range, key) = with_gap(
            "%PDF-1.7\n9 0 obj\n<< /FT /Sig /T (Direct) /Kids [] /V << /Type /Sig /Contents GAP \
             /ByteRange RANGE /Name (A) >> >>\nendobj\n",
        );
        let dictionary = read(&mut SliceSource(&bytes), key, range, true)
            .expect("io")
            .expect("parsed");
        assert_eq!(dictionary.object, None);
        assert_eq!(dictionary.field_name.as_deref(), Some("Direct"));
        assert_eq!(dictionary.name.as_deref(), Some("A"));
    }

    #[test]
    fn encrypted_documents_keep_names_but_not_text() {
        let (bytes, range, key) = with_gap(
            "%PDF-1.7\n6 0 obj\n<< /SubFilter /ETSI.CAdES.detached /ByteRange RANGE /Contents GAP \
             /Reason (x) >>\nendobj\n",
        );
        let dictionary = read(&mut SliceSource(&bytes), key, range, false)
            .expect("io")
            .expect("parsed");
        assert_eq!(
            dictionary.sub_filter.as_deref(),
            Some("ETSI.CAdES.detached")
        );
        assert_eq!(dictionary.reason, None);
    }

    #[test]
    fn unparseable_surroundings_give_no_dictionary() {
        let (bytes, range, key) = with_gap("%PDF-1.7\n<< /ByteRange RANGE /Contents GAP >>\n");
        assert_eq!(
            read(&mut SliceSource(&bytes), key, range, true).expect("io"),
            None
        );
    }
}
