//! Compressed object streams (`/Type /ObjStm`): PDF forbids signature dictionaries in them
//! (their `/ByteRange` must name file offsets), so finding one there is reported as
//! unsupported rather than silently missing a signature. Signature *fields* may legitimately
//! live there, so their names are collected on the way.

use super::fields::{self, FieldNames};
use super::header::object_header_before;
use super::object::{Object, Parser};
use super::source::ByteSource;
use super::syntax::is_whitespace;
use std::io::{self, Read};

/// How far back the stream's object header may be from its `/ObjStm` key.
const HEADER_WINDOW: u64 = 4096;
/// Largest stream dictionary read.
const DICT_WINDOW: u64 = 4096;
/// Largest compressed stream inspected when its `/Length` is not a direct number.
const MAX_SCANNED_STREAM: u64 = 256 << 20;
/// Decompressed bytes kept for reading field objects; beyond this only `/ByteRange` is looked
/// for.
const MAX_KEPT: usize = 16 << 20;

/// What an object stream holds that matters here.
#[derive(Debug, Default)]
pub(crate) struct Inspection {
    /// Offset of the stream's `obj` header, when a `/ByteRange` was found inside.
    pub(crate) signature_inside: Option<u64>,
}

/// Inspects the object stream whose `/ObjStm` key is at `key_offset`.
pub(crate) fn inspect(
    source: &mut dyn ByteSource,
    key_offset: u64,
    names: &mut FieldNames,
) -> io::Result<Inspection> {
    let nothing = Inspection::default();
    let Some(header) = object_header_before(source, key_offset, HEADER_WINDOW)? else {
        return Ok(nothing);
    };
    let bytes = source.read_range(header, DICT_WINDOW)?;
    let mut parser = Parser::new(&bytes, None);
    if parser.indirect_header().is_none() {
        return Ok(nothing);
    }
    let Some(Object::Dict(dict)) = parser.object() else {
        return Ok(nothing);
    };
    if dict.get(b"Type").and_then(Object::as_name) != Some(b"ObjStm") {
        return Ok(nothing);
    }
    let flate = match dict.get(b"Filter") {
        None => false,
        Some(Object::Name(n)) if n == b"FlateDecode" => true,
        Some(Object::Array(items))
            if items.len() == 1 && items[0].as_name() == Some(b"FlateDecode") =>
        {
            true
        }
        // Other filters (and encryption) are not decoded; such streams cannot be inspected.
        _ => return Ok(nothing),
    };
    if dict.get(b"DecodeParms").is_some() {
        return Ok(nothing);
    }
    parser.skip_whitespace();
    if !parser.keyword(b"stream") {
        return Ok(nothing);
    }
    let mut data_start = parser.position();
    if bytes.get(data_start) == Some(&b'\r') {
        data_start += 1;
    }
    if bytes.get(data_start) == Some(&b'\n') {
        data_start += 1;
    }
    let data_start = header + data_start as u64;
    let length = match dict.get(b"Length").and_then(Object::as_int) {
        Some(l) => u64::try_from(l).unwrap_or(0),
        None => MAX_SCANNED_STREAM,
    };
    let data_end = data_start.saturating_add(length).min(source.len());

    let raw = RangeReader {
        source,
        position: data_start,
        end: data_end,
    };
    let mut decoded: Box<dyn Read + '_> = if flate {
        Box::new(flate2::read::ZlibDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let mut kept = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut signature_inside = false;
    let mut carry: Vec<u8> = Vec::new();
    let finder = memchr::memmem::Finder::new(b"/ByteRange");
    loop {
        // A corrupt or truncated stream simply ends the inspection.
        let n = match decoded.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        carry.extend_from_slice(&chunk[..n]);
        if finder.find(&carry).is_some() {
            signature_inside = true;
            break;
        }
        if kept.len() < MAX_KEPT {
            kept.extend_from_slice(&chunk[..n.min(MAX_KEPT - kept.len())]);
        }
        let keep_from = carry.len().saturating_sub(b"/ByteRange".len());
        carry.drain(..keep_from);
        // Without an explicit length the stream ends at `endstream`.
        if length == MAX_SCANNED_STREAM && ends_with_endstream(&carry) {
            break;
        }
    }
    if signature_inside {
        return Ok(Inspection {
            signature_inside: Some(header),
        });
    }
    collect_fields(&kept, &dict, header, names);
    Ok(nothing)
}

fn ends_with_endstream(bytes: &[u8]) -> bool {
    let trimmed = bytes
        .iter()
        .rposition(|&b| !is_whitespace(b))
        .map_or(0, |i| i + 1);
    bytes[..trimmed].ends_with(b"endstream")
}

/// Reads the `N` objects of a decoded stream (`N` pairs of `number offset`, objects from
/// `/First`) and records the signature fields among them.
fn collect_fields(decoded: &[u8], dict: &super::object::Dict, order: u64, names: &mut FieldNames) {
    if memchr::memmem::find(decoded, b"/FT").is_none() {
        return;
    }
    let (Some(count), Some(first)) = (
        dict.get(b"N").and_then(Object::as_int),
        dict.get(b"First").and_then(Object::as_int),
    ) else {
        return;
    };
    let (Ok(count), Ok(first)) = (usize::try_from(count), usize::try_from(first)) else {
        return;
    };
    let mut index = Parser::new(decoded, None);
    for _ in 0..count.min(decoded.len()) {
        let (Some(Object::Int(_)), Some(Object::Int(offset))) = (index.object(), index.object())
        else {
            return;
        };
        let Some(at) = usize::try_from(offset)
            .ok()
            .and_then(|o| o.checked_add(first))
        else {
            return;
        };
        if at >= decoded.len() {
            return;
        }
        if let Some(object) = Parser::at(decoded, at).object() {
            fields::collect_from_object(&object, order, names);
        }
    }
}

/// A `Read` over a byte range of a source.
struct RangeReader<'s> {
    source: &'s mut dyn ByteSource,
    position: u64,
    end: u64,
}

impl Read for RangeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.end.saturating_sub(self.position)).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = self.source.read_at(self.position, &mut buf[..want])?;
        self.position += n as u64;
        Ok(n)
    }
}
