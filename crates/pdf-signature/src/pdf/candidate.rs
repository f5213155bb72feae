//! Deciding whether a `/ByteRange` the scan found belongs to a real signature dictionary.
//!
//! A real one names `[0 b c d]` where the gap `[b, c)` is exactly the `<hex>` value of the
//! `/Contents` key in the same dictionary. A `/ByteRange` in a content stream, a comment or a
//! string fails that test and is ignored.

use super::object::{Object, Parser};
use super::source::ByteSource;
use super::syntax::is_whitespace;
use std::io;

/// How far after the key the array may end (writers pad the placeholder with spaces).
const ARRAY_WINDOW: u64 = 512;
/// How much of the surroundings to look at when deciding a cut-off candidate was real.
const CONTEXT_WINDOW: u64 = 1024;

/// What a `/ByteRange` turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Candidate {
    /// A signature dictionary's byte range, consistent with the file.
    Signature([u64; 4]),
    /// A signature dictionary whose byte range runs past the end of the file.
    Truncated { expected: u64 },
    /// Anything else: not a signature.
    NotASignature,
}

/// Examines the `/ByteRange` key whose `/` is at `key_offset`.
pub(crate) fn examine(source: &mut dyn ByteSource, key_offset: u64) -> io::Result<Candidate> {
    let after_key = key_offset + b"/ByteRange".len() as u64;
    let window = source.read_range(after_key, ARRAY_WINDOW)?;
    let Some([a, b, c, d]) = parse_array(&window) else {
        return Ok(Candidate::NotASignature);
    };
    let (Some(gap_end_min), Some(end)) = (a.checked_add(b), c.checked_add(d)) else {
        return Ok(Candidate::NotASignature);
    };
    // The gap must hold at least `<>`.
    if a != 0 || gap_end_min.saturating_add(2) > c {
        return Ok(Candidate::NotASignature);
    }
    let len = source.len();
    let gap_start = b;
    let contents_here = gap_start < len && is_contents_value_at(source, gap_start)?;
    if end > len {
        let looks_signed = contents_here
            || (gap_start >= len && context_looks_like_signature(source, key_offset)?);
        return Ok(if looks_signed {
            Candidate::Truncated { expected: end }
        } else {
            Candidate::NotASignature
        });
    }
    let mut last = [0u8; 1];
    source.read_at(c - 1, &mut last)?;
    if contents_here && last[0] == b'>' {
        Ok(Candidate::Signature([a, b, c, d]))
    } else {
        Ok(Candidate::NotASignature)
    }
}

/// `[a b c d]` of non-negative integers.
fn parse_array(window: &[u8]) -> Option<[u64; 4]> {
    let Object::Array(items) = Parser::new(window, None).object()? else {
        return None;
    };
    let numbers: Vec<u64> = items
        .iter()
        .map(|item| item.as_int().and_then(|i| u64::try_from(i).ok()))
        .collect::<Option<_>>()?;
    numbers.try_into().ok()
}

/// Whether `offset` starts a hex string that is the value of a `/Contents` key.
fn is_contents_value_at(source: &mut dyn ByteSource, offset: u64) -> io::Result<bool> {
    let mut first = [0u8; 2];
    let got = source.read_at(offset, &mut first)?;
    // `<<` would be a dictionary, not a hex string.
    if got < 1 || first[0] != b'<' || (got == 2 && first[1] == b'<') {
        return Ok(false);
    }
    let before_start = offset.saturating_sub(64);
    let before = source.read_range(before_start, offset - before_start)?;
    let trimmed_len = before
        .iter()
        .rposition(|&b| !is_whitespace(b))
        .map_or(0, |i| i + 1);
    Ok(before[..trimmed_len].ends_with(b"/Contents"))
}

/// For a byte range whose gap lies beyond the end: does the key sit in a signature
/// dictionary (so the file was cut short) rather than in arbitrary content?
fn context_looks_like_signature(source: &mut dyn ByteSource, key_offset: u64) -> io::Result<bool> {
    let start = key_offset.saturating_sub(CONTEXT_WINDOW);
    let around = source.read_range(start, 2 * CONTEXT_WINDOW)?;
    let has = |needle: &[u8]| memchr::memmem::find(&around, needle).is_some();
    Ok(has(b"/Contents") || has(b"/SubFilter") || has(b"/Type/Sig") || has(b"/Type /Sig"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::source::SliceSource;

    fn examine_text(text: &[u8]) -> Candidate {
        let key = memchr::memmem::find(text, b"/ByteRange").expect("has key") as u64;
        examine(&mut SliceSource(text), key).expect("in memory")
    }

    /// A dictionary whose byte range is filled in the way a signer does it.
    fn signed_dictionary(tail: &str) -> (Vec<u8>, [u64; 4]) {
        let layout = |r: [u64; 4]| {
            format!(
                "1 0 obj <</ByteRange [{} {:>6} {:>6} {:>6}]/Contents <abcd>>> endobj{tail}",
                r[0], r[1], r[2], r[3]
            )
        };
        let draft = layout([0; 4]);
        let gap = memchr::memmem::find(draft.as_bytes(), b"<abcd>").expect("gap") as u64;
        let range = [0, gap, gap + 6, draft.len() as u64 - gap - 6];
        (layout(range).into_bytes(), range)
    }

    #[test]
    fn consistent_byte_range_is_a_signature() {
        let (text, range) = signed_dictionary("\n%%EOF\n");
        assert_eq!(examine_text(&text), Candidate::Signature(range));
    }

    #[test]
    fn byte_range_whose_gap_is_not_the_contents_is_not_a_signature() {
        let (text, [_, b, c, _]) = signed_dictionary(" ");
        let original = format!("{b:>6} {c:>6}");
        let shifted = format!("{:>6} {:>6}", b - 1, c - 1);
        let text = String::from_utf8_lossy(&text).replacen(&original, &shifted, 1);
        assert_eq!(examine_text(text.as_bytes()), Candidate::NotASignature);
    }

    #[test]
    fn inconsistent_ranges_are_not_signatures() {
        for text in [
            &b"/ByteRange [1 2 3 4] /Contents <00>"[..],
            b"/ByteRange [0 30 20 1] /Contents <00>",
            b"/ByteRange [0 a 3 4]",
            b"/ByteRange 5 0 R",
            b"/ByteRange [0 18446744073709551615 1 18446744073709551615]",
            b"BT /ByteRange [0 5 12 3] Tj ET and more text",
        ] {
            assert_eq!(
                examine_text(text),
                Candidate::NotASignature,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn byte_range_past_the_end_of_a_signature_is_truncation() {
        let text = b"<</Type/Sig/ByteRange [0 5000 6000 100]";
        assert_eq!(examine_text(text), Candidate::Truncated { expected: 6100 });
    }
}
