//! A tolerant parser for PDF objects (ISO 32000-1 §7.2–7.3) over an in-memory window of the file.

use super::object::{Dict, ObjRef, Object};

/// Why parsing stopped.
#[derive(Debug, PartialEq)]
pub(crate) enum ParseError {
    /// The window ended inside the object: read more of the file and try again.
    NeedMore,
    /// The bytes are not valid PDF syntax.
    Syntax(String),
}

type Result<T> = std::result::Result<T, ParseError>;

/// Hostile files can nest arrays without end; real ones stay far below this.
const MAX_DEPTH: usize = 200;

pub(crate) fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    b"()<>[]{}/%".contains(&b)
}

fn is_regular(b: u8) -> bool {
    !is_whitespace(b) && !is_delimiter(b)
}

/// An indirect object as found in the file.
pub(crate) struct Indirect {
    pub(crate) id: ObjRef,
    pub(crate) object: Object,
    /// Offset (in the parsed window) of the first byte of stream data, when it is a stream.
    pub(crate) stream_data_start: Option<usize>,
}

pub(crate) struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    /// True when `data` ends where the file ends: running out of bytes is then a syntax error.
    at_file_end: bool,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(data: &'a [u8], at_file_end: bool) -> Self {
        Parser {
            data,
            pos: 0,
            at_file_end,
        }
    }

    pub(crate) fn at(data: &'a [u8], pos: usize, at_file_end: bool) -> Self {
        Parser {
            data,
            pos,
            at_file_end,
        }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Whether the window ends where the file ends.
    pub(crate) fn at_file_end(&self) -> bool {
        self.at_file_end
    }

    fn eof(&self) -> ParseError {
        if self.at_file_end {
            ParseError::Syntax("unexpected end of file".into())
        } else {
            ParseError::NeedMore
        }
    }

    fn syntax(&self, what: &str) -> ParseError {
        ParseError::Syntax(format!("{what} at window offset {}", self.pos))
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Skips whitespace and comments.
    pub(crate) fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_whitespace(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Reads a run of regular characters (a keyword or number) without consuming what follows.
    fn token(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(is_regular) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    /// Consumes `keyword` if it comes next (after whitespace) as a whole token.
    pub(crate) fn keyword(&mut self, keyword: &[u8]) -> bool {
        let save = self.pos;
        self.skip_space();
        let token = self.token();
        if token == keyword {
            true
        } else {
            self.pos = save;
            false
        }
    }

    /// Reads an unsigned integer token, or restores the position.
    pub(crate) fn unsigned(&mut self) -> Option<u64> {
        let save = self.pos;
        self.skip_space();
        let token = self.token();
        if !token.is_empty() && token.iter().all(u8::is_ascii_digit) && token.len() <= 19 {
            std::str::from_utf8(token).ok().and_then(|t| t.parse().ok())
        } else {
            self.pos = save;
            None
        }
    }

    /// `num gen obj`
    pub(crate) fn indirect_header(&mut self) -> Result<ObjRef> {
        let num = self
            .unsigned()
            .ok_or_else(|| self.syntax("object number expected"))?;
        let generation = self
            .unsigned()
            .ok_or_else(|| self.syntax("generation number expected"))?;
        if !self.keyword(b"obj") {
            return Err(if self.pos >= self.data.len() {
                self.eof()
            } else {
                self.syntax("`obj` expected")
            });
        }
        let num = u32::try_from(num).map_err(|_| self.syntax("object number too large"))?;
        let generation =
            u16::try_from(generation).map_err(|_| self.syntax("generation number too large"))?;
        Ok(ObjRef::new(num, generation))
    }

    /// `num gen obj <object> [stream ... endstream] endobj`
    pub(crate) fn indirect(&mut self) -> Result<Indirect> {
        let id = self.indirect_header()?;
        let object = self.object()?;
        self.skip_space();
        if self.pos + 6 > self.data.len() && !self.at_file_end {
            return Err(ParseError::NeedMore);
        }
        if matches!(object, Object::Dict(_)) && self.keyword(b"stream") {
            // The keyword is followed by CRLF or LF (a lone CR is tolerated).
            match self.peek() {
                Some(b'\r') => {
                    self.pos += 1;
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                }
                Some(b'\n') => self.pos += 1,
                None => return Err(self.eof()),
                _ => {}
            }
            return Ok(Indirect {
                id,
                object,
                stream_data_start: Some(self.pos),
            });
        }
        // `endobj` is often missing or mangled in damaged files; the object is complete anyway.
        Ok(Indirect {
            id,
            object,
            stream_data_start: None,
        })
    }

    /// Parses one object, resolving `num gen R` into a reference.
    pub(crate) fn object(&mut self) -> Result<Object> {
        self.object_at_depth(0)
    }

    fn object_at_depth(&mut self, depth: usize) -> Result<Object> {
        if depth > MAX_DEPTH {
            return Err(self.syntax("objects nested too deeply"));
        }
        self.skip_space();
        let Some(b) = self.peek() else {
            return Err(self.eof());
        };
        match b {
            b'/' => {
                self.pos += 1;
                Ok(Object::Name(self.name_body()))
            }
            b'(' => {
                self.pos += 1;
                self.literal_string().map(Object::String)
            }
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                self.dictionary(depth).map(Object::Dict)
            }
            b'<' => {
                self.pos += 1;
                self.hex_string().map(Object::String)
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.peek() {
                        None => return Err(self.eof()),
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Object::Array(items));
                        }
                        _ => items.push(self.object_at_depth(depth + 1)?),
                    }
                }
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number_or_reference(),
            _ if is_regular(b) => {
                let token = self.token();
                if self.pos >= self.data.len() && !self.at_file_end {
                    return Err(ParseError::NeedMore);
                }
                match token {
                    b"true" => Ok(Object::Bool(true)),
                    b"false" => Ok(Object::Bool(false)),
                    b"null" => Ok(Object::Null),
                    _ => {
                        Err(self
                            .syntax(&format!("unexpected `{}`", String::from_utf8_lossy(token))))
                    }
                }
            }
            _ => Err(self.syntax(&format!("unexpected byte 0x{b:02x}"))),
        }
    }

    fn dictionary(&mut self, depth: usize) -> Result<Dict> {
        let mut dict = Dict::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return Err(self.eof()),
                Some(b'>') => {
                    if self.data.get(self.pos + 1) == Some(&b'>') {
                        self.pos += 2;
                        return Ok(dict);
                    }
                    if self.pos + 1 >= self.data.len() {
                        return Err(self.eof());
                    }
                    return Err(self.syntax("`>>` expected"));
                }
                Some(b'/') => {
                    self.pos += 1;
                    let key = self.name_body();
                    self.skip_space();
                    // A key without a value (`/Key >>`) is dropped rather than failing the file.
                    if self.peek() == Some(b'>') {
                        continue;
                    }
                    let value = self.object_at_depth(depth + 1)?;
                    // ISO 32000-1 §7.3.7: a null value is the same as an absent entry.
                    if value != Object::Null {
                        dict.insert_raw(key, value);
                    }
                }
                Some(_) => return Err(self.syntax("dictionary key expected")),
            }
        }
    }

    fn number_or_reference(&mut self) -> Result<Object> {
        let start = self.pos;
        let token = self.token();
        if self.pos >= self.data.len() && !self.at_file_end {
            return Err(ParseError::NeedMore);
        }
        let text = std::str::from_utf8(token).map_err(|_| self.syntax("bad number"))?;
        let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
        let is_integer = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        if is_integer && let Ok(value) = text.parse::<i64>() {
            // `num gen R`?
            if value >= 0 && !text.starts_with(['+', '-']) {
                let save = self.pos;
                if let Some(generation) = self.unsigned()
                    && self.keyword(b"R")
                    && let (Ok(num), Ok(generation)) =
                        (u32::try_from(value), u16::try_from(generation))
                {
                    return Ok(Object::Ref(ObjRef::new(num, generation)));
                }
                if self.pos >= self.data.len() && !self.at_file_end {
                    return Err(ParseError::NeedMore);
                }
                self.pos = save;
            }
            return Ok(Object::Integer(value));
        }
        // Reals; tolerate doubled signs ("--5") and stray characters the way readers do.
        let negative = text.starts_with('-');
        let numeric: String = text
            .trim_start_matches(['+', '-'])
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let value: f64 = if numeric.is_empty() || numeric == "." {
            self.pos = start;
            return Err(self.syntax(&format!("bad number `{text}`")));
        } else {
            numeric
                .trim_end_matches('.')
                .parse::<f64>()
                .or_else(|_| format!("0{numeric}").parse::<f64>())
                .unwrap_or(0.0)
        };
        Ok(Object::Real(if negative { -value } else { value }))
    }

    fn name_body(&mut self) -> Vec<u8> {
        let mut name = Vec::new();
        while let Some(b) = self.peek() {
            if !is_regular(b) {
                break;
            }
            self.pos += 1;
            if b == b'#' {
                let hex = self
                    .data
                    .get(self.pos..self.pos + 2)
                    .and_then(|h| std::str::from_utf8(h).ok());
                if let Some(value) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    name.push(value);
                    self.pos += 2;
                    continue;
                }
            }
            name.push(b);
        }
        name
    }

    fn literal_string(&mut self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.eof());
            };
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(out);
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return Err(self.eof());
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut value = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((value & 0xff) as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                b'\r' => {
                    // An unescaped end of line is read as a single LF (§7.3.4.2).
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
    }

    fn hex_string(&mut self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.eof());
            };
            self.pos += 1;
            let nibble = match b {
                b'>' => {
                    if let Some(h) = high {
                        out.push(h << 4);
                    }
                    return Ok(out);
                }
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ if is_whitespace(b) => continue,
                _ => return Err(self.syntax("bad hex string")),
            };
            match high.take() {
                Some(h) => out.push(h << 4 | nibble),
                None => high = Some(nibble),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Object {
        Parser::new(text.as_bytes(), true).object().unwrap()
    }

    #[test]
    fn parses_the_object_kinds() {
        let object = parse(
            "<< /Type /Page /Kids [1 0 R 2 0 R] /N -12 /R .5 /S (a\\(b\\)\\101\r\nc) /H <41 42 4> \
             /Nm /A#20B /B true /Z null % comment\n /D << /X 3 >> >>",
        );
        let dict = object.as_dict().unwrap();
        assert!(dict.name_is("Type", "Page"));
        assert_eq!(
            dict.get("Kids"),
            Some(&Object::Array(vec![
                Object::Ref(ObjRef::new(1, 0)),
                Object::Ref(ObjRef::new(2, 0))
            ]))
        );
        assert_eq!(dict.get("N"), Some(&Object::Integer(-12)));
        assert_eq!(dict.get("R"), Some(&Object::Real(0.5)));
        assert_eq!(dict.get("S"), Some(&Object::String(b"a(b)A\nc".to_vec())));
        assert_eq!(dict.get("H"), Some(&Object::String(vec![0x41, 0x42, 0x40])));
        assert_eq!(dict.get("Nm"), Some(&Object::Name(b"A B".to_vec())));
        assert_eq!(dict.get("B"), Some(&Object::Bool(true)));
        assert_eq!(dict.get("Z"), None);
        assert_eq!(
            dict.get("D")
                .and_then(Object::as_dict)
                .and_then(|d| d.get("X")),
            Some(&Object::Integer(3))
        );
    }

    #[test]
    fn a_cut_window_asks_for_more_and_a_cut_file_is_an_error() {
        for cut in [
            "9 0 obj << /Type /Pa",
            "9 0 obj [1 0",
            "12 0 obj << /A (abc",
            "3 0 obj <</Length 4>> str",
        ] {
            assert_eq!(
                Parser::new(cut.as_bytes(), false).indirect().err(),
                Some(ParseError::NeedMore),
                "{cut}"
            );
        }
        assert!(matches!(
            Parser::new(b"<< /Type /Pa", true).object(),
            Err(ParseError::Syntax(_))
        ));
    }

    #[test]
    fn indirect_objects_and_streams() {
        let data = b"7 0 obj\n<< /Length 5 >>\nstream\r\nhello\nendstream\nendobj";
        let indirect = Parser::new(data, true).indirect().unwrap();
        assert_eq!(indirect.id, ObjRef::new(7, 0));
        let start = indirect.stream_data_start.unwrap();
        assert_eq!(&data[start..start + 5], b"hello");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = "[".repeat(10_000);
        assert!(matches!(
            Parser::new(text.as_bytes(), true).object(),
            Err(ParseError::Syntax(_))
        ));
    }
}
