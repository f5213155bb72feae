//! Random access to the objects of an existing PDF without loading the file: the trailer, the
//! cross-reference chain (tables, streams, hybrids, linearized files, incremental updates) and
//! the few objects a signature needs.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::rc::Rc;

use super::filters;
use super::object::{Dict, ObjRef, Object};
use super::syntax::{Indirect, ParseError, Parser};
use crate::SignerError;

/// Where the current version of an object lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    Free,
    InFile { offset: u64 },
    Compressed { stream: u32, index: u32 },
}

/// Windows start small (most objects are a few hundred bytes) and double up to this before the
/// rest of the file is read in one go.
const FIRST_WINDOW: usize = 16 * 1024;
/// Beyond this an object is not plausible in a file we can sign.
const MAX_OBJECT_WINDOW: usize = 256 * 1024 * 1024;
/// Syntax errors are retried with larger windows only up to this size.
const MAX_SYNTAX_RETRY_WINDOW: usize = 1024 * 1024;
/// How far from the end `startxref` is looked for (files often carry trailing junk).
const TAIL_SEARCH: u64 = 64 * 1024;

/// A decoded object stream (ISO 32000-1 §7.5.7).
struct ObjectStream {
    data: Vec<u8>,
    /// (object number, offset in `data`) of each member, in order.
    members: Vec<(u32, usize)>,
}

/// An open PDF.
pub(crate) struct Document {
    file: File,
    len: u64,
    entries: HashMap<u32, Entry>,
    trailer: Dict,
    startxref: u64,
    newest_section_is_stream: bool,
    size: u32,
    ends_with_eol: bool,
    object_streams: HashMap<u32, Rc<ObjectStream>>,
}

impl Document {
    /// Opens `file` and reads its cross-reference chain.
    pub(crate) fn open(mut file: File) -> Result<Document, SignerError> {
        let len = file.metadata()?.len();
        if len < 32 {
            return Err(SignerError::malformed("the file is too small to be a PDF"));
        }
        let head = read_at(&mut file, 0, 1024.min(len) as usize)?;
        if find(&head, b"%PDF-").is_none() {
            return Err(SignerError::malformed(
                "no %PDF- header: this is not a PDF file",
            ));
        }
        let tail_start = len.saturating_sub(TAIL_SEARCH);
        let tail = read_at(&mut file, tail_start, (len - tail_start) as usize)?;
        let startxref = parse_startxref(&tail)?;
        let ends_with_eol = matches!(tail.last(), Some(b'\n' | b'\r'));
        let mut document = Document {
            file,
            len,
            entries: HashMap::new(),
            trailer: Dict::new(),
            startxref,
            newest_section_is_stream: false,
            size: 0,
            ends_with_eol,
            object_streams: HashMap::new(),
        };
        document.read_xref_chain()?;
        if document
            .trailer
            .get("Root")
            .and_then(Object::as_ref)
            .is_none()
        {
            return Err(SignerError::malformed(
                "the trailer has no /Root catalog reference",
            ));
        }
        Ok(document)
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    pub(crate) fn ends_with_eol(&self) -> bool {
        self.ends_with_eol
    }

    /// Offset of the newest cross-reference section (the `/Prev` of an update).
    pub(crate) fn startxref(&self) -> u64 {
        self.startxref
    }

    /// Whether the newest section is a cross-reference stream (an update should write one too).
    pub(crate) fn newest_section_is_stream(&self) -> bool {
        self.newest_section_is_stream
    }

    /// The merged trailer (newest value of each key).
    pub(crate) fn trailer(&self) -> &Dict {
        &self.trailer
    }

    /// First object number free for new objects.
    pub(crate) fn size(&self) -> u32 {
        self.size
    }

    fn read_xref_chain(&mut self) -> Result<(), SignerError> {
        let mut visited = HashSet::new();
        let mut next = Some(self.startxref);
        let mut newest = true;
        while let Some(offset) = next {
            if !visited.insert(offset) || visited.len() > 10_000 {
                break; // a /Prev loop: what was read so far is all there is
            }
            let section = self.read_section(offset).map_err(|e| match e {
                SignerError::Malformed(why) => SignerError::Malformed(format!(
                    "cross-reference section at byte {offset}: {why}"
                )),
                other => other,
            })?;
            if newest {
                self.newest_section_is_stream = section.is_stream;
                newest = false;
            }
            for (key, value) in section.trailer.iter() {
                let skip: &[&[u8]] = &[
                    b"Prev",
                    b"XRefStm",
                    b"Type",
                    b"W",
                    b"Index",
                    b"Filter",
                    b"DecodeParms",
                    b"Length",
                ];
                if !skip.contains(&key) && self.trailer.get_raw(key).is_none() {
                    self.trailer.insert_raw(key.to_vec(), value.clone());
                }
            }
            if let Some(size) = section.trailer.get("Size").and_then(Object::as_int) {
                self.size = self
                    .size
                    .max(u32::try_from(size.clamp(0, i64::from(u32::MAX))).unwrap_or(0));
            }
            next = section
                .trailer
                .get("Prev")
                .and_then(Object::as_int)
                .and_then(|p| u64::try_from(p).ok());
        }
        let highest = self.entries.keys().max().copied().unwrap_or(0);
        self.size = self.size.max(highest.saturating_add(1));
        Ok(())
    }

    fn read_section(&mut self, offset: u64) -> Result<Section, SignerError> {
        if offset >= self.len {
            return Err(SignerError::malformed("it points past the end of the file"));
        }
        let probe = read_at(&mut self.file, offset, 64.min(self.len - offset) as usize)?;
        let start = probe
            .iter()
            .position(|b| !super::syntax::is_whitespace(*b))
            .unwrap_or(0);
        if probe[start..].starts_with(b"xref") {
            let section = self.read_table(offset + start as u64)?;
            // Hybrid files (§7.5.8.4): the table's objects first, then its /XRefStm, then /Prev.
            if let Some(stream_offset) = section.trailer.get("XRefStm").and_then(Object::as_int)
                && let Ok(stream_offset) = u64::try_from(stream_offset)
            {
                // A broken hidden stream only loses objects that old readers never see.
                let _ = self.read_xref_stream(stream_offset);
            }
            Ok(section)
        } else {
            self.read_xref_stream(offset)
        }
    }

    fn add_entry(&mut self, num: u32, entry: Entry) {
        // Newer sections are read first: the first definition of a number wins.
        self.entries.entry(num).or_insert(entry);
    }

    fn read_table(&mut self, offset: u64) -> Result<Section, SignerError> {
        let (entries, trailer) = self.with_window(offset, 64 * 1024, |parser, window_len| {
            let mut entries = Vec::new();
            if !parser.keyword(b"xref") {
                return Err(ParseError::Syntax("`xref` expected".into()));
            }
            loop {
                if parser.keyword(b"trailer") {
                    break;
                }
                let first = parser
                    .unsigned()
                    .ok_or_else(|| ParseError::Syntax("subsection start expected".into()))?;
                let count = parser
                    .unsigned()
                    .ok_or_else(|| ParseError::Syntax("subsection count expected".into()))?;
                // Entries are 20 bytes; make sure the window holds them all before reading.
                if !parser.at_file_end()
                    && parser.pos() as u64 + count * 21 + 16 > window_len as u64
                {
                    return Err(ParseError::NeedMore);
                }
                for i in 0..count {
                    let field_offset = parser
                        .unsigned()
                        .ok_or_else(|| ParseError::Syntax("entry offset expected".into()))?;
                    let _generation = parser
                        .unsigned()
                        .ok_or_else(|| ParseError::Syntax("entry generation expected".into()))?;
                    let in_use = if parser.keyword(b"n") {
                        true
                    } else if parser.keyword(b"f") {
                        false
                    } else {
                        return Err(ParseError::Syntax("entry type `n` or `f` expected".into()));
                    };
                    let num = first.saturating_add(i);
                    entries.push((num, in_use, field_offset));
                }
            }
            let trailer = match parser.object()? {
                Object::Dict(d) => d,
                _ => return Err(ParseError::Syntax("the trailer is not a dictionary".into())),
            };
            Ok((entries, trailer))
        })?;
        for (num, in_use, field_offset) in entries {
            let Ok(num) = u32::try_from(num) else {
                continue;
            };
            // Some writers number the first subsection from 1 while listing object 0; an entry
            // with offset 0 marked in use is such a slip and would only shadow the real one.
            let entry = if in_use && field_offset > 0 {
                Entry::InFile {
                    offset: field_offset,
                }
            } else {
                Entry::Free
            };
            self.add_entry(num, entry);
        }
        Ok(Section {
            trailer,
            is_stream: false,
        })
    }

    fn read_xref_stream(&mut self, offset: u64) -> Result<Section, SignerError> {
        let (indirect, data) = self.read_stream_object(offset)?;
        let Object::Dict(dict) = indirect.object else {
            return Err(SignerError::malformed(
                "neither a table nor a cross-reference stream",
            ));
        };
        if !dict.name_is("Type", "XRef") {
            return Err(SignerError::malformed(
                "neither `xref` nor a /Type /XRef stream",
            ));
        }
        let data = filters::decode_stream(&dict, data)?;
        let widths: Vec<usize> = match dict.get("W") {
            Some(Object::Array(items)) if items.len() == 3 => items
                .iter()
                .map(|w| {
                    w.as_int()
                        .filter(|w| (0..=8).contains(w))
                        .map(|w| w as usize)
                })
                .collect::<Option<_>>()
                .ok_or_else(|| SignerError::malformed("bad /W in a cross-reference stream"))?,
            _ => {
                return Err(SignerError::malformed(
                    "a cross-reference stream without /W",
                ));
            }
        };
        let size = dict.get("Size").and_then(Object::as_int).unwrap_or(0);
        let index: Vec<i64> = match dict.get("Index") {
            Some(Object::Array(items)) => items.iter().filter_map(Object::as_int).collect(),
            _ => vec![0, size],
        };
        let row = widths.iter().sum::<usize>();
        if row == 0 {
            return Err(SignerError::malformed(
                "a cross-reference stream with empty rows",
            ));
        }
        let mut rows = data.chunks_exact(row);
        for pair in index.chunks_exact(2) {
            let (first, count) = (pair[0].max(0) as u64, pair[1].max(0) as u64);
            for i in 0..count {
                let Some(bytes) = rows.next() else { break };
                let field = |n: usize| -> u64 {
                    let start: usize = widths[..n].iter().sum();
                    bytes[start..start + widths[n]]
                        .iter()
                        .fold(0u64, |acc, &b| acc << 8 | u64::from(b))
                };
                let kind = if widths[0] == 0 { 1 } else { field(0) };
                let Ok(num) = u32::try_from(first + i) else {
                    continue;
                };
                let entry = match kind {
                    0 => Entry::Free,
                    1 => Entry::InFile { offset: field(1) },
                    2 => Entry::Compressed {
                        stream: u32::try_from(field(1)).unwrap_or(u32::MAX),
                        index: u32::try_from(field(2)).unwrap_or(u32::MAX),
                    },
                    _ => continue, // reserved types are to be ignored (§7.5.8.3)
                };
                self.add_entry(num, entry);
            }
        }
        Ok(Section {
            trailer: dict,
            is_stream: true,
        })
    }

    /// Reads the indirect object at `offset` and, for a stream, its raw (undecoded) data.
    fn read_stream_object(&mut self, offset: u64) -> Result<(Indirect, Vec<u8>), SignerError> {
        let indirect = self.with_window(offset, FIRST_WINDOW, |parser, _| parser.indirect())?;
        let Some(data_start) = indirect.stream_data_start else {
            return Err(SignerError::malformed(format!(
                "object {} is not a stream",
                indirect.id.num
            )));
        };
        let data_offset = offset + data_start as u64;
        let Object::Dict(dict) = &indirect.object else {
            return Err(SignerError::malformed("a stream without a dictionary"));
        };
        let declared = match dict.get("Length") {
            Some(Object::Ref(r)) if self.entries.contains_key(&r.num) => {
                self.get(*r).ok().and_then(|o| o.as_int())
            }
            Some(other) => other.as_int(),
            None => None,
        };
        let length = match declared.and_then(|l| u64::try_from(l).ok()) {
            Some(length)
                if data_offset + length <= self.len
                    && self.endstream_follows(data_offset + length)? =>
            {
                length
            }
            // A wrong /Length is a classic defect: find `endstream` instead.
            _ => self.find_endstream(data_offset)?,
        };
        let data = read_at(
            &mut self.file,
            data_offset,
            usize::try_from(length).unwrap_or(usize::MAX),
        )?;
        Ok((indirect, data))
    }

    fn endstream_follows(&mut self, at: u64) -> Result<bool, SignerError> {
        let probe = read_at(&mut self.file, at, 32.min(self.len - at) as usize)?;
        let start = probe
            .iter()
            .position(|b| !super::syntax::is_whitespace(*b))
            .unwrap_or(probe.len());
        Ok(probe[start..].starts_with(b"endstream"))
    }

    fn find_endstream(&mut self, from: u64) -> Result<u64, SignerError> {
        let mut window = FIRST_WINDOW;
        loop {
            let available = (self.len - from) as usize;
            let data = read_at(&mut self.file, from, window.min(available))?;
            if let Some(at) = find(&data, b"endstream") {
                let mut end = at;
                // The EOL before `endstream` is not part of the data.
                if end > 0 && data[end - 1] == b'\n' {
                    end -= 1;
                }
                if end > 0 && data[end - 1] == b'\r' {
                    end -= 1;
                }
                return Ok(end as u64);
            }
            if window >= available || window >= MAX_OBJECT_WINDOW {
                return Err(SignerError::malformed("a stream has no `endstream`"));
            }
            window *= 4;
        }
    }

    /// Runs `parse` over a window of the file starting at `offset`, growing the window while the
    /// parser needs more bytes.
    fn with_window<T>(
        &mut self,
        offset: u64,
        first: usize,
        mut parse: impl FnMut(&mut Parser<'_>, usize) -> Result<T, ParseError>,
    ) -> Result<T, SignerError> {
        if offset >= self.len {
            return Err(SignerError::malformed(format!(
                "offset {offset} is past the end of the file"
            )));
        }
        let available = usize::try_from(self.len - offset).unwrap_or(usize::MAX);
        let mut window = first.min(available);
        loop {
            let data = read_at(&mut self.file, offset, window)?;
            let at_end = window >= available;
            let mut parser = Parser::new(&data, at_end);
            match parse(&mut parser, data.len()) {
                Ok(value) => return Ok(value),
                // A syntax error in a cut window may be the cut itself: retry with a little more,
                // but do not read a huge file to confirm that a small object is damaged.
                Err(ParseError::Syntax(why)) if at_end || window >= MAX_SYNTAX_RETRY_WINDOW => {
                    return Err(SignerError::malformed(why));
                }
                Err(_) if window < MAX_OBJECT_WINDOW && !at_end => {
                    window = window.saturating_mul(4).min(available);
                }
                Err(ParseError::NeedMore | ParseError::Syntax(_)) => {
                    return Err(SignerError::malformed(
                        "an object is larger than this signer accepts",
                    ));
                }
            }
        }
    }

    /// The current version of object `r` (null when it does not exist, as §7.3.10 says).
    pub(crate) fn get(&mut self, r: ObjRef) -> Result<Object, SignerError> {
        match self.entries.get(&r.num).copied() {
            None | Some(Entry::Free) => Ok(Object::Null),
            Some(Entry::InFile { offset }) => {
                let indirect =
                    self.with_window(offset, FIRST_WINDOW, |parser, _| parser.indirect())?;
                if indirect.id.num != r.num {
                    return Err(SignerError::malformed(format!(
                        "the cross-reference table points object {} to object {}",
                        r.num, indirect.id.num
                    )));
                }
                Ok(indirect.object)
            }
            Some(Entry::Compressed { stream, index }) => {
                let object_stream = self.object_stream(stream)?;
                let (num, at) = object_stream
                    .members
                    .get(index as usize)
                    .copied()
                    .ok_or_else(|| {
                        SignerError::malformed(format!(
                            "object stream {stream} has no member {index}"
                        ))
                    })?;
                if num != r.num {
                    return Err(SignerError::malformed(format!(
                        "object stream {stream} holds object {num} where {} was expected",
                        r.num
                    )));
                }
                Parser::at(&object_stream.data, at, true)
                    .object()
                    .map_err(|e| match e {
                        ParseError::Syntax(why) => {
                            SignerError::malformed(format!("object {}: {why}", r.num))
                        }
                        ParseError::NeedMore => {
                            SignerError::malformed(format!("object {} is cut short", r.num))
                        }
                    })
            }
        }
    }

    /// Resolves a reference (one level); direct objects are returned as they are.
    pub(crate) fn resolve(&mut self, object: &Object) -> Result<Object, SignerError> {
        match object {
            Object::Ref(r) => self.get(*r),
            other => Ok(other.clone()),
        }
    }

    /// The dictionary of object `r`, or an error naming `what`.
    pub(crate) fn get_dict(&mut self, r: ObjRef, what: &str) -> Result<Dict, SignerError> {
        match self.get(r)? {
            Object::Dict(d) => Ok(d),
            _ => Err(SignerError::malformed(format!(
                "{what} (object {}) is not a dictionary",
                r.num
            ))),
        }
    }

    fn object_stream(&mut self, num: u32) -> Result<Rc<ObjectStream>, SignerError> {
        if let Some(cached) = self.object_streams.get(&num) {
            return Ok(cached.clone());
        }
        let Some(Entry::InFile { offset }) = self.entries.get(&num).copied() else {
            return Err(SignerError::malformed(format!(
                "object stream {num} is missing"
            )));
        };
        let (indirect, raw) = self.read_stream_object(offset)?;
        let Object::Dict(dict) = indirect.object else {
            return Err(SignerError::malformed(format!(
                "object stream {num} has no dictionary"
            )));
        };
        let data = filters::decode_stream(&dict, raw)?;
        let count = dict.get("N").and_then(Object::as_int).unwrap_or(0).max(0) as usize;
        let first = dict
            .get("First")
            .and_then(Object::as_int)
            .unwrap_or(0)
            .max(0) as usize;
        let mut header = Parser::new(&data[..first.min(data.len())], true);
        let mut members = Vec::with_capacity(count.min(100_000));
        for _ in 0..count {
            let (Some(member), Some(at)) = (header.unsigned(), header.unsigned()) else {
                break;
            };
            members.push((
                u32::try_from(member).unwrap_or(u32::MAX),
                first + at as usize,
            ));
        }
        let stream = Rc::new(ObjectStream { data, members });
        // Keep memory bounded on files with thousands of object streams.
        if self.object_streams.len() > 32 {
            self.object_streams.clear();
        }
        self.object_streams.insert(num, stream.clone());
        Ok(stream)
    }
}

struct Section {
    trailer: Dict,
    is_stream: bool,
}

fn read_at(file: &mut File, offset: u64, len: usize) -> Result<Vec<u8>, SignerError> {
    file.seek(SeekFrom::Start(offset))?;
    let mut buffer = Vec::with_capacity(len);
    file.take(len as u64).read_to_end(&mut buffer)?;
    Ok(buffer)
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn parse_startxref(tail: &[u8]) -> Result<u64, SignerError> {
    let at = rfind(tail, b"startxref").ok_or_else(|| {
        SignerError::malformed("no `startxref` at the end of the file (truncated or not a PDF)")
    })?;
    let mut parser = Parser::new(&tail[at + 9..], true);
    parser
        .unsigned()
        .ok_or_else(|| SignerError::malformed("`startxref` is not followed by an offset"))
}
