//! The PDF object model (ISO 32000-1 §7.3) and its serialisation.

use std::fmt::Write as _;

/// An indirect object reference `num gen R`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ObjRef {
    pub(crate) num: u32,
    pub(crate) generation: u16,
}

impl ObjRef {
    pub(crate) fn new(num: u32, generation: u16) -> Self {
        ObjRef { num, generation }
    }
}

/// A direct PDF object (streams are handled separately: only their dictionaries are objects).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Object {
    Null,
    Bool(bool),
    Integer(i64),
    Real(f64),
    String(Vec<u8>),
    Name(Vec<u8>),
    Array(Vec<Object>),
    Dict(Dict),
    Ref(ObjRef),
}

impl Object {
    pub(crate) fn name(name: &str) -> Object {
        Object::Name(name.as_bytes().to_vec())
    }

    pub(crate) fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            _ => None,
        }
    }

    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Object::Integer(i) => Some(*i),
            // Some writers put integral values as reals (`/Count 3.0`).
            Object::Real(r) if r.fract() == 0.0 && r.abs() < 1e15 => Some(*r as i64),
            _ => None,
        }
    }

    pub(crate) fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }

    pub(crate) fn as_ref(&self) -> Option<ObjRef> {
        match self {
            Object::Ref(r) => Some(*r),
            _ => None,
        }
    }
}

/// A dictionary that keeps its keys in their original order (so rewritten objects stay
/// recognisable next to the original).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Dict(Vec<(Vec<u8>, Object)>);

impl Dict {
    pub(crate) fn new() -> Self {
        Dict(Vec::new())
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Object> {
        self.0
            .iter()
            .find(|(k, _)| k == key.as_bytes())
            .map(|(_, v)| v)
    }

    /// Sets `key`, replacing an existing value in place.
    pub(crate) fn set(&mut self, key: &str, value: Object) {
        match self.0.iter_mut().find(|(k, _)| k == key.as_bytes()) {
            Some((_, v)) => *v = value,
            None => self.0.push((key.as_bytes().to_vec(), value)),
        }
    }

    pub(crate) fn with(mut self, key: &str, value: Object) -> Self {
        self.set(key, value);
        self
    }

    pub(crate) fn insert_raw(&mut self, key: Vec<u8>, value: Object) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    pub(crate) fn get_raw(&self, key: &[u8]) -> Option<&Object> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn name_is(&self, key: &str, value: &str) -> bool {
        self.get(key).and_then(Object::as_name) == Some(value.as_bytes())
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[u8], &Object)> {
        self.0.iter().map(|(k, v)| (k.as_slice(), v))
    }
}

/// Appends the PDF syntax of `object` to `out`.
pub(crate) fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => out.extend_from_slice(real(*r).as_bytes()),
        Object::String(bytes) => write_string(out, bytes),
        Object::Name(name) => write_name(out, name),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dict(dict) => write_dict(out, dict),
        Object::Ref(r) => out.extend_from_slice(format!("{} {} R", r.num, r.generation).as_bytes()),
    }
}

pub(crate) fn write_dict(out: &mut Vec<u8>, dict: &Dict) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        write_name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

/// A real number in PDF syntax: no exponent, at most 6 decimals, no trailing zeros.
pub(crate) fn real(value: f64) -> String {
    if !value.is_finite() {
        return "0".into();
    }
    let mut text = format!("{value:.6}");
    while text.contains('.') && (text.ends_with('0') || text.ends_with('.')) {
        text.pop();
    }
    if text == "-0" { "0".into() } else { text }
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        let regular = (0x21..=0x7e).contains(&b) && !b"()<>[]{}/%#".contains(&b);
        if regular {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

fn write_string(out: &mut Vec<u8>, bytes: &[u8]) {
    let unprintable = bytes
        .iter()
        .filter(|&&b| !(0x20..0x7f).contains(&b))
        .count();
    if unprintable * 4 > bytes.len() {
        out.push(b'<');
        let mut hex = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            let _ = write!(hex, "{b:02X}");
        }
        out.extend_from_slice(hex.as_bytes());
        out.push(b'>');
        return;
    }
    out.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(b);
            }
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    out.push(b')');
}

/// A PDF text string: ASCII stays as is, anything else becomes UTF-16BE with a byte-order mark.
pub(crate) fn text_string(text: &str) -> Object {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(text.as_bytes().to_vec())
    } else {
        let mut bytes = vec![0xfe, 0xff];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes)
    }
}

/// Decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding read as
/// Latin-1, which agrees on every character a field name uses).
pub(crate) fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(object: &Object) -> String {
        let mut out = Vec::new();
        write_object(&mut out, object);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn objects_serialise_in_pdf_syntax() {
        let dict = Dict::new()
            .with("Type", Object::name("Sig"))
            .with("Odd Name", Object::name("A/B"))
            .with(
                "Rect",
                Object::Array(vec![
                    Object::Integer(0),
                    Object::Real(1.5),
                    Object::Real(-0.0000001),
                ]),
            )
            .with("P", Object::Ref(ObjRef::new(12, 0)))
            .with("T", Object::String(b"a(b)\\c\n".to_vec()))
            .with("B", Object::String(vec![0, 1, 2, 255]));
        assert_eq!(
            written(&Object::Dict(dict)),
            "<</Type /Sig/Odd#20Name /A#2FB/Rect [0 1.5 0]/P 12 0 R/T (a\\(b\\)\\\\c\\n)/B <000102FF>>>"
        );
    }

    #[test]
    fn text_strings_round_trip() {
        for text in ["Signature1", "José Łukasz", "契約"] {
            let Object::String(bytes) = text_string(text) else {
                panic!()
            };
            assert_eq!(decode_text_string(&bytes), text);
        }
    }
}
