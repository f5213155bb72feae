//! Signature field names: the `/T` of the field whose `/V` is a given signature object.
//!
//! The signature dictionary does not name its field; the field points at it. Fields found by
//! the scan (`/FT /Sig`) are parsed and their `/V` references collected; a later definition of
//! the same field (an incremental update) wins.

use super::header::object_header_before;
use super::object::{Dict, Object, Parser};
use super::source::ByteSource;
use super::text;
use std::collections::HashMap;
use std::io;

/// How far back the field's object header may be, and how much of the object to parse.
const WINDOW: u64 = 64 * 1024;

/// Field names by the signature object their `/V` references.
#[derive(Debug, Default)]
pub(crate) struct FieldNames {
    by_value: HashMap<(u32, u16), (u64, String)>,
}

impl FieldNames {
    /// Records a field found at `order` (a file offset, or later for later definitions).
    pub(crate) fn insert(&mut self, value: (u32, u16), order: u64, name: String) {
        let keep = self
            .by_value
            .get(&value)
            .is_none_or(|(seen, _)| *seen <= order);
        if keep {
            self.by_value.insert(value, (order, name));
        }
    }

    /// The name of the field whose value is `signature`.
    pub(crate) fn name_of(&self, signature: (u32, u16)) -> Option<&str> {
        self.by_value.get(&signature).map(|(_, name)| name.as_str())
    }
}

/// Adds the signature fields of any dictionaries inside `object`.
pub(crate) fn collect_from_object(object: &Object, order: u64, names: &mut FieldNames) {
    match object {
        Object::Dict(dict) => {
            if let Some((value, name)) = signature_field(dict) {
                names.insert(value, order, name);
            }
            for (_, value) in &dict.0 {
                collect_from_object(value, order, names);
            }
        }
        Object::Array(items) => {
            for item in items {
                collect_from_object(item, order, names);
            }
        }
        _ => {}
    }
}

fn signature_field(dict: &Dict) -> Option<((u32, u16), String)> {
    if dict.get(b"FT").and_then(Object::as_name) != Some(b"Sig") {
        return None;
    }
    let Some(Object::Ref(number, generation)) = dict.get(b"V") else {
        return None;
    };
    let name = dict
        .get(b"T")
        .and_then(Object::as_string)
        .map(text::decode)?;
    Some(((*number, *generation), name))
}

/// Parses the uncompressed object around each `/FT` the scan found.
pub(crate) fn collect_from_file(
    source: &mut dyn ByteSource,
    field_type_offsets: &[u64],
    names: &mut FieldNames,
) -> io::Result<()> {
    let mut parsed_headers = Vec::new();
    for &offset in field_type_offsets {
        let after = source.read_range(offset + 3, 16)?;
        let mut parser = Parser::new(&after, None);
        if parser.object().as_ref().and_then(Object::as_name) != Some(b"Sig") {
            continue;
        }
        let Some(header) = object_header_before(source, offset, WINDOW)? else {
            continue;
        };
        if parsed_headers.contains(&header) {
            continue;
        }
        parsed_headers.push(header);
        let bytes = source.read_range(header, WINDOW)?;
        let mut parser = Parser::new(&bytes, None);
        if parser.indirect_header().is_none() {
            continue;
        }
        if let Some(object) = parser.object() {
            collect_from_object(&object, header, names);
        }
    }
    Ok(())
}
