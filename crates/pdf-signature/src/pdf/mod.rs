//! Finding signatures in a PDF without a full PDF parser: one chunked scan for the keys that
//! matter, then a close look at each candidate.

mod candidate;
mod date;
mod dictionary;
mod fields;
mod header;
mod object;
mod object_stream;
mod scan;
pub(crate) mod source;
mod syntax;
mod text;

pub(crate) use candidate::Candidate;
pub(crate) use dictionary::SignatureDictionary;

use crate::SignatureError;
use source::ByteSource;
use std::io;

/// Where the `%PDF-` header may start (ISO 32000 allows junk before it; readers accept 1 KiB).
const HEADER_WINDOW: u64 = 1024;
/// Largest `/Contents` accepted, in file bytes (hex): generous for signatures carrying
/// revocation data, small enough to hold in memory.
pub(crate) const MAX_CONTENTS: u64 = 64 << 20;

/// Failure while locating signatures: an I/O error or a verdict about the file.
#[derive(Debug)]
pub(crate) enum Failure {
    Io(io::Error),
    File(SignatureError),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

impl From<SignatureError> for Failure {
    fn from(e: SignatureError) -> Self {
        Self::File(e)
    }
}

/// A signature dictionary located in the file.
#[derive(Debug)]
pub(crate) struct Located {
    pub(crate) byte_range: [u64; 4],
    pub(crate) dictionary: Option<SignatureDictionary>,
    /// `/T` of the field whose `/V` references the dictionary.
    pub(crate) field_name: Option<String>,
    /// The `/Contents` value, decoded from hex (zero padding included), or why not.
    pub(crate) contents: Result<Vec<u8>, String>,
}

/// The file-level findings.
#[derive(Debug)]
pub(crate) struct Findings {
    pub(crate) signatures: Vec<Located>,
    pub(crate) encrypted: bool,
}

/// Locates every signature dictionary of the PDF in `source`.
pub(crate) fn locate(source: &mut dyn ByteSource) -> Result<Findings, Failure> {
    let head = source.read_range(0, HEADER_WINDOW)?;
    if memchr::memmem::find(&head, b"%PDF-").is_none() {
        return Err(SignatureError::NotPdf.into());
    }
    let hits = scan::find_keys(source)?;

    let mut names = fields::FieldNames::default();
    for &key in &hits.object_stream {
        let inspection = object_stream::inspect(source, key, &mut names)?;
        if let Some(offset) = inspection.signature_inside {
            return Err(SignatureError::SignatureInObjectStream { offset }.into());
        }
    }
    fields::collect_from_file(source, &hits.field_type, &mut names)?;

    let mut seen: Vec<[u64; 4]> = Vec::new();
    let mut signatures: Vec<Located> = Vec::new();
    for &key in &hits.byte_range {
        let byte_range = match candidate::examine(source, key)? {
            Candidate::Signature(range) => range,
            Candidate::Truncated { expected } => {
                return Err(SignatureError::Truncated {
                    expected,
                    actual: source.len(),
                }
                .into());
            }
            Candidate::NotASignature => continue,
        };
        let dictionary = dictionary::read(source, key, byte_range, !hits.encrypted)?;
        // The same range named twice (a copy of the array elsewhere): keep the dictionary
        // that parsed.
        if let Some(index) = seen.iter().position(|r| *r == byte_range) {
            if signatures[index].dictionary.is_none() && dictionary.is_some() {
                signatures[index].dictionary = dictionary;
            }
            continue;
        }
        let contents = read_contents(source, byte_range)?;
        seen.push(byte_range);
        signatures.push(Located {
            byte_range,
            dictionary,
            field_name: None,
            contents,
        });
    }
    for signature in &mut signatures {
        signature.field_name = signature.dictionary.as_ref().and_then(|d| {
            d.field_name
                .clone()
                .or_else(|| d.object.and_then(|id| names.name_of(id).map(str::to_owned)))
        });
    }
    signatures.sort_by_key(|s| (s.byte_range[2] + s.byte_range[3], s.byte_range[1]));
    Ok(Findings {
        signatures,
        encrypted: hits.encrypted,
    })
}

/// Decodes the hex string `<...>` that fills the gap of a byte range.
fn read_contents(
    source: &mut dyn ByteSource,
    range: [u64; 4],
) -> Result<Result<Vec<u8>, String>, Failure> {
    let [_, start, end, _] = range;
    let length = end - start;
    if length > MAX_CONTENTS {
        return Err(SignatureError::ContentsTooLarge {
            offset: start,
            length,
        }
        .into());
    }
    let raw = source.read_range(start + 1, length - 2)?;
    let mut out = Vec::with_capacity(raw.len() / 2);
    let mut pending: Option<u8> = None;
    for &b in &raw {
        if syntax::is_whitespace(b) {
            continue;
        }
        let Some(v) = (b as char).to_digit(16) else {
            return Ok(Err(format!(
                "/Contents holds a non-hex character {:?}",
                b as char
            )));
        };
        let v = v as u8;
        match pending.take() {
            Some(hi) => out.push(hi << 4 | v),
            None => pending = Some(v),
        }
    }
    if let Some(hi) = pending {
        out.push(hi << 4);
    }
    Ok(Ok(out))
}
