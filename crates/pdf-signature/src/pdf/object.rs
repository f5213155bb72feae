//! A small parser for PDF objects (ISO 32000-1 §7.3): enough to read signature and field
//! dictionaries and object stream headers. It never follows references and never panics.

use super::syntax::{is_delimiter, is_regular, is_whitespace};

/// Deeper nesting than this is treated as malformed (and keeps the recursion bounded).
const MAX_DEPTH: usize = 64;

/// A parsed PDF object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Object {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Name(Vec<u8>),
    String(Vec<u8>),
    Array(Vec<Object>),
    Dict(Dict),
    Ref(u32, u16),
    /// Stands for the `/Contents` hex string of a signature, which is read separately (it can
    /// be megabytes) and replaced by this marker before parsing.
    ContentsGap,
}

impl Object {
    pub(crate) fn as_dict(&self) -> Option<&Dict> {
        match self {
            Self::Dict(d) => Some(d),
            _ => None,
        }
    }

    pub(crate) fn as_name(&self) -> Option<&[u8]> {
        match self {
            Self::Name(n) => Some(n),
            _ => None,
        }
    }

    pub(crate) fn as_string(&self) -> Option<&[u8]> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Self::Int(i) => Some(*i),
            _ => None,
        }
    }
}

/// A dictionary, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Dict(pub(crate) Vec<(Vec<u8>, Object)>);

impl Dict {
    pub(crate) fn get(&self, key: &[u8]) -> Option<&Object> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Parses objects from a buffer, optionally with the `/Contents` marker at `gap`.
pub(crate) struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    gap: Option<usize>,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(data: &'a [u8], gap: Option<usize>) -> Self {
        Self { data, pos: 0, gap }
    }

    pub(crate) fn at(data: &'a [u8], pos: usize) -> Self {
        Self {
            data,
            pos,
            gap: None,
        }
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    pub(crate) fn skip_whitespace(&mut self) {
        while let Some(b) = self.peek() {
            if is_whitespace(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\r' || c == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Reads `N G obj` and returns the object number and generation.
    pub(crate) fn indirect_header(&mut self) -> Option<(u32, u16)> {
        self.skip_whitespace();
        let number = u32::try_from(self.unsigned()?).ok()?;
        self.skip_whitespace();
        let generation = u16::try_from(self.unsigned()?).ok()?;
        self.skip_whitespace();
        self.keyword(b"obj").then_some((number, generation))
    }

    /// Consumes `word` if it is the next keyword.
    pub(crate) fn keyword(&mut self, word: &[u8]) -> bool {
        let end = self.pos + word.len();
        if self.data.get(self.pos..end) == Some(word)
            && !self.data.get(end).copied().is_some_and(is_regular)
        {
            self.pos = end;
            true
        } else {
            false
        }
    }

    /// The next object, or `None` on a syntax error or the end of the buffer.
    pub(crate) fn object(&mut self) -> Option<Object> {
        self.object_at_depth(0)
    }

    fn object_at_depth(&mut self, depth: usize) -> Option<Object> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_whitespace();
        if Some(self.pos) == self.gap {
            // The marker was written as `<>`.
            self.pos += 2;
            return Some(Object::ContentsGap);
        }
        match self.peek()? {
            b'/' => self.name().map(Object::Name),
            b'(' => self.literal_string().map(Object::String),
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.dictionary(depth).map(Object::Dict)
            }
            b'<' => self.hex_string().map(Object::String),
            b'[' => self.array(depth).map(Object::Array),
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number_or_reference(),
            _ => {
                if self.keyword(b"true") {
                    Some(Object::Bool(true))
                } else if self.keyword(b"false") {
                    Some(Object::Bool(false))
                } else if self.keyword(b"null") {
                    Some(Object::Null)
                } else {
                    None
                }
            }
        }
    }

    fn dictionary(&mut self, depth: usize) -> Option<Dict> {
        self.pos += 2;
        let mut entries = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek()? {
                b'>' => {
                    if self.data.get(self.pos + 1) == Some(&b'>') {
                        self.pos += 2;
                        return Some(Dict(entries));
                    }
                    return None;
                }
                b'/' => {
                    let key = self.name()?;
                    let value = self.object_at_depth(depth + 1)?;
                    entries.push((key, value));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Vec<Object>> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_whitespace();
            if self.peek()? == b']' {
                self.pos += 1;
                return Some(items);
            }
            items.push(self.object_at_depth(depth + 1)?);
        }
    }

    fn name(&mut self) -> Option<Vec<u8>> {
        self.pos += 1;
        let mut name = Vec::new();
        while let Some(b) = self.peek() {
            if !is_regular(b) {
                break;
            }
            if b == b'#' {
                let hi = self.data.get(self.pos + 1).and_then(|&c| hex_value(c));
                let lo = self.data.get(self.pos + 2).and_then(|&c| hex_value(c));
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    name.push(hi << 4 | lo);
                    self.pos += 3;
                    continue;
                }
            }
            name.push(b);
            self.pos += 1;
        }
        Some(name)
    }

    fn literal_string(&mut self) -> Option<Vec<u8>> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut nesting = 0usize;
        loop {
            let b = self.peek()?;
            self.pos += 1;
            match b {
                b'(' => {
                    nesting += 1;
                    out.push(b);
                }
                b')' if nesting == 0 => return Some(out),
                b')' => {
                    nesting -= 1;
                    out.push(b);
                }
                b'\\' => self.escape(&mut out)?,
                // Any end-of-line marker inside a string reads as a single LF (§7.3.4.2).
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Option<()> {
        let b = self.peek()?;
        self.pos += 1;
        match b {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'0'..=b'7' => {
                let mut value = u32::from(b - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                // High-order overflow is ignored (§7.3.4.2).
                out.push((value & 0xff) as u8);
            }
            // A backslash before an end-of-line continues the string on the next line.
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            b'\n' => {}
            // `\(`, `\)`, `\\`, and any other character stand for themselves.
            other => out.push(other),
        }
        Some(())
    }

    fn hex_string(&mut self) -> Option<Vec<u8>> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut pending: Option<u8> = None;
        loop {
            let b = self.peek()?;
            self.pos += 1;
            if b == b'>' {
                if let Some(hi) = pending {
                    out.push(hi << 4);
                }
                return Some(out);
            }
            if is_whitespace(b) {
                continue;
            }
            let v = hex_value(b)?;
            match pending.take() {
                Some(hi) => out.push(hi << 4 | v),
                None => pending = Some(v),
            }
        }
    }

    fn unsigned(&mut self) -> Option<u64> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == start || self.peek().is_some_and(is_regular) {
            self.pos = start;
            return None;
        }
        std::str::from_utf8(&self.data[start..self.pos])
            .ok()?
            .parse()
            .ok()
    }

    fn number_or_reference(&mut self) -> Option<Object> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !is_whitespace(b) && !is_delimiter(b))
        {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.data[start..self.pos]).ok()?;
        if let Ok(int) = text.parse::<i64>() {
            if let Some(reference) = self.reference_after(int) {
                return Some(reference);
            }
            return Some(Object::Int(int));
        }
        // Reals such as `4.`, `-.002`; `parse` accepts those but also `inf`/`nan`, which
        // cannot appear here because they do not start with a digit, sign or point.
        text.parse::<f64>().ok().map(Object::Real)
    }

    /// After an integer: ` G R` makes it a reference.
    fn reference_after(&mut self, number: i64) -> Option<Object> {
        let number = u32::try_from(number).ok()?;
        let save = self.pos;
        self.skip_whitespace();
        let generation = self.unsigned().and_then(|g| u16::try_from(g).ok());
        if let Some(generation) = generation {
            self.skip_whitespace();
            if self.keyword(b"R") {
                return Some(Object::Ref(number, generation));
            }
        }
        self.pos = save;
        None
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &[u8]) -> Option<Object> {
        Parser::new(text, None).object()
    }

    #[test]
    fn dictionary_with_every_kind_of_value() {
        let obj = parse(b"<</Type/Sig /V 12 0 R /N [1 -2 +3 4. -.5] /B true /Z null /S (a\\(b\\)c) /H <48 69 7> /K/A#20B>>")
            .expect("parses");
        let dict = obj.as_dict().expect("dict");
        assert_eq!(dict.get(b"Type"), Some(&Object::Name(b"Sig".to_vec())));
        assert_eq!(dict.get(b"V"), Some(&Object::Ref(12, 0)));
        assert_eq!(
            dict.get(b"N"),
            Some(&Object::Array(vec![
                Object::Int(1),
                Object::Int(-2),
                Object::Int(3),
                Object::Real(4.0),
                Object::Real(-0.5)
            ]))
        );
        assert_eq!(dict.get(b"B"), Some(&Object::Bool(true)));
        assert_eq!(dict.get(b"Z"), Some(&Object::Null));
        assert_eq!(dict.get(b"S"), Some(&Object::String(b"a(b)c".to_vec())));
        assert_eq!(dict.get(b"H"), Some(&Object::String(b"Hip".to_vec())));
        assert_eq!(dict.get(b"K"), Some(&Object::Name(b"A B".to_vec())));
    }

    #[test]
    fn literal_string_escapes_and_line_ends() {
        let obj = parse(b"(x\\n\\101\\0537(nested)\\\r\ny\r\nz)").expect("parses");
        assert_eq!(obj, Object::String(b"x\nA+7(nested)y\nz".to_vec()));
    }

    #[test]
    fn indirect_header_then_object() {
        let mut parser = Parser::new(b"  7 0 obj % comment\n<< /A 1 >>\nendobj", None);
        assert_eq!(parser.indirect_header(), Some((7, 0)));
        assert!(parser.object().and_then(|o| o.as_dict().cloned()).is_some());
        parser.skip_whitespace();
        assert!(parser.keyword(b"endobj"));
    }

    #[test]
    fn contents_marker_is_reported_in_place() {
        let text = b"<</Contents <> /ByteRange [0 1 2 3]>>";
        let obj = Parser::new(text, Some(12)).object().expect("parses");
        assert_eq!(
            obj.as_dict().and_then(|d| d.get(b"Contents")),
            Some(&Object::ContentsGap)
        );
    }

    #[test]
    fn malformed_input_is_rejected_without_panicking() {
        for bad in [
            &b"<< /A"[..],
            b"[1 2",
            b"(unterminated",
            b"<4G>",
            b"<< 1 2 >>",
            b"",
            b"]",
        ] {
            assert_eq!(parse(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = vec![b'['; 10_000];
        assert_eq!(parse(&deep), None);
    }
}
