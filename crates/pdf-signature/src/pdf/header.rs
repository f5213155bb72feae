//! Finding the `N G obj` that opens the object around a given offset, by looking backwards.

use super::source::ByteSource;
use super::syntax::{is_regular, is_whitespace};
use std::io;

/// The offset of the last `N G obj` header that starts before `before`, looking back at most
/// `window` bytes.
pub(crate) fn object_header_before(
    source: &mut dyn ByteSource,
    before: u64,
    window: u64,
) -> io::Result<Option<u64>> {
    let start = before.saturating_sub(window);
    let bytes = source.read_range(start, before - start)?;
    let finder = memchr::memmem::FinderRev::new(b"obj");
    for at in finder.rfind_iter(&bytes) {
        if bytes.get(at + 3).copied().is_some_and(is_regular) {
            continue;
        }
        if let Some(header) = header_start(&bytes, at) {
            return Ok(Some(start + header as u64));
        }
    }
    Ok(None)
}

/// Given the index of `obj`, the index where `N G obj` starts, if that is what precedes it.
fn header_start(bytes: &[u8], obj: usize) -> Option<usize> {
    let mut i = obj;
    let skip_space = |i: &mut usize| -> bool {
        let end = *i;
        while *i > 0 && is_whitespace(bytes[*i - 1]) {
            *i -= 1;
        }
        *i < end
    };
    let skip_digits = |i: &mut usize| -> bool {
        let end = *i;
        while *i > 0 && bytes[*i - 1].is_ascii_digit() {
            *i -= 1;
        }
        *i < end
    };
    if !(skip_space(&mut i) && skip_digits(&mut i) && skip_space(&mut i) && skip_digits(&mut i)) {
        return None;
    }
    // The object number must not be the tail of a longer token.
    if i > 0 && is_regular(bytes[i - 1]) {
        return None;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::source::SliceSource;

    #[test]
    fn finds_the_nearest_header() {
        let text = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n12 3 obj <</A (obj)>>";
        let before = text.len() as u64;
        let found = object_header_before(&mut SliceSource(text), before, 1000).expect("io");
        assert_eq!(found, Some(29));
        assert_eq!(&text[29..37], b"12 3 obj");
    }

    #[test]
    fn endobj_and_bare_obj_are_not_headers() {
        let text = b"x endobj (obj) 5 obj";
        let found =
            object_header_before(&mut SliceSource(text), text.len() as u64, 100).expect("io");
        assert_eq!(found, None);
    }
}
