//! Reading a stored image's stream dictionary from the file. PDFium's API gives an image's
//! stored bytes but not its dictionary, and keys there change what the bytes mean: `/Decode`
//! remaps (or inverts) the samples, `/DecodeParms` may switch off the JPEG colour transform,
//! `/Mask` and `/SMask` cut the image out. The stored bytes are found in the file, and the
//! dictionary of the stream holding them is read right before them.

use memchr::memmem;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// Keys (or parts of them) after which the stored bytes are not the image shown; `#` because a
/// name may spell any letter as `#xx`, and a name spelled so is not worth decoding here.
const REFUSED: [&[u8]; 3] = [b"/Decode", b"Mask", b"#"];

/// How many bytes of a stream's start are looked for: from its middle, where JPEG data is
/// entropy-coded and so unique in the file.
const NEEDLE: usize = 64;

/// How far before the stored bytes their object's header may begin.
const DICTIONARY_WINDOW: usize = 4096;

/// The file is read in pieces this big.
const CHUNK: usize = 1 << 20;

/// Files past this size are not looked through: the search reads the whole file for every page
/// (4-15 ms for a 21 MB scan, page cache warm), and at this size it would take about as long as rendering the
/// page (~25-30 ms from the page cache against ~60 ms), on the thread every render waits for.
const MAX_FILE_SEARCHED: u64 = 128 << 20;

/// Whether `data` is stored in the file at `path`, and every stream storing it has a
/// dictionary with none of the [`REFUSED`] keys. A file kept encrypted (its streams are not
/// the bytes PDFium hands out) never matches, so such pages are rendered.
pub(super) fn stored_plainly(path: &Path, data: &[u8]) -> io::Result<bool> {
    if data.len() < NEEDLE * 4 {
        return Ok(false);
    }
    let mut file = File::open(path)?;
    if file.metadata()?.len() > MAX_FILE_SEARCHED {
        return Ok(false);
    }
    let middle = data.len() / 2;
    let starts = find_all(&mut file, &data[middle..middle + NEEDLE])?
        .into_iter()
        .filter_map(|found| found.checked_sub(middle as u64));
    let mut copies = 0;
    for start in starts {
        match dictionary_before(&mut file, start, data)? {
            // The needle, not the whole stream: not a copy.
            Copy::NotThere => {}
            Copy::Plain => copies += 1,
            Copy::Refused => return Ok(false),
        }
    }
    Ok(copies > 0)
}

/// Every offset at which `needle` occurs in `file`.
fn find_all(file: &mut File, needle: &[u8]) -> io::Result<Vec<u64>> {
    let finder = memmem::Finder::new(needle);
    let mut found = Vec::new();
    let mut buffer = vec![0; CHUNK + needle.len()];
    // Bytes carried over from the previous piece, so a match across two pieces is seen.
    let mut kept = 0;
    let mut offset = 0u64;
    file.seek(SeekFrom::Start(0))?;
    loop {
        let read = file.read(&mut buffer[kept..])?;
        if read == 0 {
            return Ok(found);
        }
        let filled = kept + read;
        found.extend(
            finder
                .find_iter(&buffer[..filled])
                .map(|at| offset + at as u64),
        );
        kept = (needle.len() - 1).min(filled);
        buffer.copy_within(filled - kept..filled, 0);
        offset += (filled - kept) as u64;
    }
}

enum Copy {
    NotThere,
    Plain,
    Refused,
}

/// Whether `data` is stored at `start` in `file`, and what the dictionary before it says.
fn dictionary_before(file: &mut File, start: u64, data: &[u8]) -> io::Result<Copy> {
    let window = DICTIONARY_WINDOW.min(usize::try_from(start).unwrap_or(usize::MAX));
    let mut bytes = vec![0; window + data.len()];
    file.seek(SeekFrom::Start(start - window as u64))?;
    if let Err(err) = file.read_exact(&mut bytes) {
        return match err.kind() {
            io::ErrorKind::UnexpectedEof => Ok(Copy::NotThere),
            _ => Err(err),
        };
    }
    let (before, stored) = bytes.split_at(window);
    if stored != data {
        return Ok(Copy::NotThere);
    }
    Ok(match stream_dictionary(before) {
        Some(dictionary) if !REFUSED.iter().any(|key| contains(dictionary, key)) => Copy::Plain,
        _ => Copy::Refused,
    })
}

/// The text between an object's header (`N G obj`) and the `stream` keyword that ends `before`.
fn stream_dictionary(before: &[u8]) -> Option<&[u8]> {
    let body = before
        .strip_suffix(b"stream\r\n")
        .or_else(|| before.strip_suffix(b"stream\n"))?;
    let header = memmem::rfind(body, b"obj")?;
    Some(&body[header + 3..])
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memmem::find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Bytes no other part of a test file repeats.
    fn jpeg_like(len: usize, seed: u64) -> Vec<u8> {
        let mut state = seed;
        (0..len)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 56) as u8
            })
            .collect()
    }

    fn file_with(parts: &[&[u8]]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        for part in parts {
            file.write_all(part).unwrap();
        }
        file
    }

    const PLAIN: &[u8] =
        b"7 0 obj\n<< /Type /XObject /Subtype /Image /Filter /DCTDecode /Length 4000 >>\nstream\n";

    #[test]
    fn a_stream_with_a_plain_dictionary_passes() {
        let data = jpeg_like(4000, 1);
        let file = file_with(&[b"%PDF-1.7\n", PLAIN, &data, b"\nendstream\nendobj\n"]);
        assert!(stored_plainly(file.path(), &data).unwrap());
    }

    #[test]
    fn keys_that_change_the_image_refuse_it() {
        let data = jpeg_like(4000, 2);
        for dictionary in [
            "<< /Filter /DCTDecode /Decode [1 0 1 0 1 0] >>",
            "<< /Filter /DCTDecode /DecodeParms << /ColorTransform 0 >> >>",
            "<< /Filter /DCTDecode /SMask 9 0 R >>",
            "<< /Filter /DCTDecode /Mask [250 255 250 255 250 255] >>",
            "<< /Filter /DCTDecode /D#65code [1 0] >>",
        ] {
            let header = format!("7 0 obj\r\n{dictionary}\r\nstream\r\n");
            let file = file_with(&[b"%PDF-1.7\n", header.as_bytes(), &data, b"\nendstream"]);
            assert!(!stored_plainly(file.path(), &data).unwrap(), "{dictionary}");
        }
    }

    #[test]
    fn every_copy_of_the_bytes_must_be_plain() {
        // An incremental update may leave an older object with the same bytes behind.
        let data = jpeg_like(4000, 3);
        let refused = b"8 0 obj\n<< /Filter /DCTDecode /Decode [1 0] >>\nstream\n";
        let file = file_with(&[
            b"%PDF-1.7\n",
            PLAIN,
            &data,
            b"\nendstream\n",
            refused,
            &data,
        ]);
        assert!(!stored_plainly(file.path(), &data).unwrap());
    }

    #[test]
    fn bytes_not_in_the_file_or_not_after_a_stream_keyword_do_not_pass() {
        let data = jpeg_like(4000, 4);
        let elsewhere = jpeg_like(4000, 5);
        let file = file_with(&[b"%PDF-1.7\n", PLAIN, &elsewhere]);
        assert!(!stored_plainly(file.path(), &data).unwrap());
        let loose = file_with(&[b"%PDF-1.7\n7 0 obj\n<< >>\n", &data]);
        assert!(!stored_plainly(loose.path(), &data).unwrap());
    }

    #[test]
    fn finds_bytes_that_straddle_two_pieces_of_the_file() {
        let data = jpeg_like(4000, 6);
        // The needle (the middle of the data) falls across the first piece's end.
        let padding = vec![b' '; CHUNK - PLAIN.len() - data.len() / 2 - NEEDLE / 2];
        let file = file_with(&[&padding, PLAIN, &data]);
        assert!(stored_plainly(file.path(), &data).unwrap());
    }
}
