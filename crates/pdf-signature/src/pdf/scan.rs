//! One sequential pass over the file, in fixed-size chunks, to find the few keys that matter:
//! `/ByteRange` (signature dictionaries), `/FT` (form fields, for the signature field names),
//! `/ObjStm` (compressed object streams, where a signature dictionary must not hide) and
//! `/Encrypt` (text strings are then encrypted).

use super::source::ByteSource;
use super::syntax::is_regular;
use memchr::memmem::Finder;
use std::io;

/// Read size of the scan; large enough for sequential-read speed, small enough for memory.
const CHUNK: usize = 1 << 20;

/// Where the keys were found (offsets of their `/`).
#[derive(Debug, Default)]
pub(crate) struct KeyHits {
    pub(crate) byte_range: Vec<u64>,
    pub(crate) field_type: Vec<u64>,
    pub(crate) object_stream: Vec<u64>,
    pub(crate) encrypted: bool,
}

#[derive(Clone, Copy)]
enum Key {
    ByteRange,
    FieldType,
    ObjectStream,
    Encrypt,
}

const KEYS: [(Key, &[u8]); 4] = [
    (Key::ByteRange, b"/ByteRange"),
    (Key::FieldType, b"/FT"),
    (Key::ObjectStream, b"/ObjStm"),
    (Key::Encrypt, b"/Encrypt"),
];

/// Scans the whole source once.
pub(crate) fn find_keys(source: &mut dyn ByteSource) -> io::Result<KeyHits> {
    let longest = KEYS.iter().map(|(_, k)| k.len()).max().unwrap_or(0);
    // One more byte than the longest key so the byte after a match is always visible.
    let overlap = longest + 1;
    let finders: Vec<(Key, Finder<'_>)> = KEYS
        .iter()
        .map(|&(key, pattern)| (key, Finder::new(pattern)))
        .collect();
    let mut hits = KeyHits::default();
    let mut buf = vec![0u8; CHUNK + overlap];
    let len = source.len();
    let mut offset = 0u64;
    while offset < len {
        let got = source.read_at(offset, &mut buf)?;
        if got == 0 {
            break;
        }
        let window = &buf[..got];
        let at_end = offset + got as u64 >= len;
        // Matches starting in the overlap are found again by the next chunk.
        let owned = if at_end { got } else { got.min(CHUNK) };
        for (key, finder) in &finders {
            let key_len = finder.needle().len();
            for start in finder.find_iter(window) {
                if start >= owned {
                    break;
                }
                let next = window.get(start + key_len).copied();
                // A longer name such as `/EncryptMetadata` or `/FTx` is not our key.
                if next.is_some_and(is_regular) {
                    continue;
                }
                let at = offset + start as u64;
                match key {
                    Key::ByteRange => hits.byte_range.push(at),
                    Key::FieldType => hits.field_type.push(at),
                    Key::ObjectStream => hits.object_stream.push(at),
                    Key::Encrypt => hits.encrypted = true,
                }
            }
        }
        offset += owned as u64;
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::source::SliceSource;

    #[test]
    fn keys_across_chunk_boundaries_are_found_once() {
        let mut data = vec![b' '; 4 * CHUNK];
        let positions = [CHUNK - 4, 2 * CHUNK - 10, 2 * CHUNK];
        for &at in &positions {
            data[at..at + 10].copy_from_slice(b"/ByteRange");
        }
        let ft = 3 * CHUNK - 1;
        data[ft..ft + 3].copy_from_slice(b"/FT");
        let hits = find_keys(&mut SliceSource(&data)).expect("in memory");
        assert_eq!(hits.byte_range, positions.map(|p| p as u64).to_vec());
        assert_eq!(hits.field_type, vec![ft as u64]);
        assert!(!hits.encrypted);
    }

    #[test]
    fn longer_names_are_not_keys() {
        let data = b"/EncryptMetadata false /FTx /ByteRanges /ObjStm2 /Encrypt";
        let hits = find_keys(&mut SliceSource(data)).expect("in memory");
        assert!(
            hits.byte_range.is_empty()
                && hits.field_type.is_empty()
                && hits.object_stream.is_empty()
        );
        // `/Encrypt` at the very end of the input still counts.
        assert!(hits.encrypted);
    }
}
