//! BER to DER for the one difference that matters in practice: some signers (BouncyCastle
//! streaming generators, used by PDFBox and others) write indefinite lengths and chunked
//! OCTET STRINGs around the CMS. The `der` crate rejects both, so such elements are rewritten
//! with definite lengths; every element that is already definite is copied byte for byte (so
//! certificates and signed attributes keep the exact bytes that were signed).

/// Deeper nesting than this is treated as malformed.
const MAX_DEPTH: usize = 64;

/// The length of the first element of `input` (the DER/BER TLV), so the zero padding of a PDF
/// `/Contents` can be cut off; `None` when it is not a complete element.
pub(crate) fn element_length(input: &[u8]) -> Option<usize> {
    element_length_at_depth(input, 0)
}

fn element_length_at_depth(input: &[u8], depth: usize) -> Option<usize> {
    if depth > MAX_DEPTH {
        return None;
    }
    let header = header(input)?;
    match header.length {
        Some(len) => header
            .header_len
            .checked_add(len)
            .filter(|&end| end <= input.len()),
        None => {
            let mut at = header.header_len;
            loop {
                if input.get(at..at + 2)? == [0, 0] {
                    return Some(at + 2);
                }
                at += element_length_at_depth(&input[at..], depth + 1)?;
            }
        }
    }
}

/// `Some(der)` when `input` (one complete element) used BER-only forms; `None` when it is
/// already free of them (or malformed, which the DER decoder then reports).
pub(crate) fn to_der_if_needed(input: &[u8]) -> Option<Vec<u8>> {
    let (converted, changed) = convert(input, 0)?;
    changed.then_some(converted)
}

/// Rewrites one element; returns the bytes and whether anything changed.
fn convert(input: &[u8], depth: usize) -> Option<(Vec<u8>, bool)> {
    if depth > MAX_DEPTH {
        return None;
    }
    let header = header(input)?;
    let total = element_length_at_depth(input, depth)?;
    let tag = input[0];
    if !header.constructed {
        return Some((input[..total].to_vec(), false));
    }
    let content_end = match header.length {
        Some(_) => total,
        None => total - 2,
    };
    let mut children = Vec::new();
    let mut changed = header.length.is_none();
    let mut at = header.header_len;
    while at < content_end {
        let child_len = element_length_at_depth(&input[at..content_end], depth + 1)?;
        let (child, child_changed) = convert(&input[at..at + child_len], depth + 1)?;
        changed |= child_changed;
        children.push(child);
        at += child_len;
    }
    if !changed {
        return Some((input[..total].to_vec(), false));
    }
    // A constructed OCTET STRING (BER chunking) becomes one primitive OCTET STRING.
    let (tag, content) = if tag == 0x24 {
        let mut joined = Vec::new();
        for child in &children {
            let h = self::header(child)?;
            joined.extend_from_slice(child.get(h.header_len..)?);
        }
        (0x04, joined)
    } else {
        (tag, children.concat())
    };
    let mut out = vec![tag];
    push_length(&mut out, content.len());
    out.extend(content);
    Some((out, true))
}

struct Header {
    header_len: usize,
    /// `None` for the indefinite form.
    length: Option<usize>,
    constructed: bool,
}

fn header(input: &[u8]) -> Option<Header> {
    let &tag = input.first()?;
    // High tag numbers (0x1f) do not occur in CMS and X.509.
    if tag & 0x1f == 0x1f {
        return None;
    }
    let constructed = tag & 0x20 != 0;
    let &first = input.get(1)?;
    if first < 0x80 {
        return Some(Header {
            header_len: 2,
            length: Some(usize::from(first)),
            constructed,
        });
    }
    if first == 0x80 {
        return constructed.then_some(Header {
            header_len: 2,
            length: None,
            constructed,
        });
    }
    let count = usize::from(first & 0x7f);
    if count > std::mem::size_of::<usize>() {
        return None;
    }
    let bytes = input.get(2..2 + count)?;
    let length = bytes
        .iter()
        .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
    Some(Header {
        header_len: 2 + count,
        length: Some(length),
        constructed,
    })
}

pub(crate) fn push_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    out.push(0x80 | (bytes.len() - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_after_an_element_is_not_part_of_it() {
        assert_eq!(
            element_length(&[0x30, 0x03, 0x02, 0x01, 0x05, 0, 0, 0]),
            Some(5)
        );
        assert_eq!(
            element_length(&[0x30, 0x80, 0x02, 0x01, 0x05, 0, 0, 0, 0]),
            Some(7)
        );
        assert_eq!(element_length(&[0x30, 0x05, 0x02]), None);
        assert_eq!(element_length(&[]), None);
    }

    #[test]
    fn indefinite_lengths_and_chunked_octet_strings_become_der() {
        // SEQUENCE(indef) { INTEGER 5, [0](indef) { OCTET STRING(constructed, indef) { "ab", "c" } } }
        let ber = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0xA0, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04,
            0x01, b'c', 0, 0, 0, 0, 0, 0,
        ];
        let der = to_der_if_needed(&ber).expect("was BER");
        assert_eq!(
            der,
            [
                0x30, 0x0A, 0x02, 0x01, 0x05, 0xA0, 0x05, 0x04, 0x03, b'a', b'b', b'c'
            ]
        );
    }

    #[test]
    fn der_is_left_alone() {
        assert_eq!(to_der_if_needed(&[0x30, 0x03, 0x02, 0x01, 0x05]), None);
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let mut deep = Vec::new();
        for _ in 0..200 {
            deep.extend([0x30, 0x80]);
        }
        deep.extend(vec![0; 400]);
        assert_eq!(element_length(&deep), None);
        assert_eq!(to_der_if_needed(&deep), None);
    }
}
