//! Decoding the stream filters met in cross-reference and object streams.

use std::io::Read;

use super::object::{Dict, Object};
use crate::SignerError;

/// Decoded streams larger than this are refused (a deflate bomb would otherwise exhaust memory).
const MAX_DECODED: u64 = 512 * 1024 * 1024;

/// Applies the stream's `/Filter` chain (FlateDecode with PNG/TIFF predictors, or none).
pub(crate) fn decode_stream(dict: &Dict, data: Vec<u8>) -> Result<Vec<u8>, SignerError> {
    let filters: Vec<&[u8]> = match dict.get("Filter") {
        None => Vec::new(),
        Some(Object::Name(name)) => vec![name.as_slice()],
        Some(Object::Array(items)) => items.iter().filter_map(Object::as_name).collect(),
        Some(_) => {
            return Err(SignerError::malformed(
                "a stream /Filter is neither a name nor an array",
            ));
        }
    };
    let params: Vec<Option<&Dict>> = match dict.get("DecodeParms").or_else(|| dict.get("DP")) {
        Some(Object::Dict(d)) => vec![Some(d)],
        Some(Object::Array(items)) => items.iter().map(Object::as_dict).collect(),
        _ => Vec::new(),
    };
    let mut data = data;
    for (i, filter) in filters.iter().enumerate() {
        let param = params.get(i).copied().flatten();
        data = match *filter {
            b"FlateDecode" | b"Fl" => unpredict(inflate(&data)?, param)?,
            other => {
                return Err(SignerError::UnsupportedPdf(format!(
                    "a cross-reference or object stream uses the {} filter",
                    String::from_utf8_lossy(other)
                )));
            }
        };
    }
    Ok(data)
}

/// zlib inflate that keeps what was decoded before a damaged end (a common defect readers
/// tolerate), and falls back to raw deflate for streams written without the zlib header.
pub(crate) fn inflate(data: &[u8]) -> Result<Vec<u8>, SignerError> {
    let mut out = Vec::new();
    let zlib = flate2::read::ZlibDecoder::new(data)
        .take(MAX_DECODED)
        .read_to_end(&mut out);
    if zlib.is_ok() || !out.is_empty() {
        return Ok(out);
    }
    out.clear();
    let raw = flate2::read::DeflateDecoder::new(data)
        .take(MAX_DECODED)
        .read_to_end(&mut out);
    if raw.is_ok() || !out.is_empty() {
        return Ok(out);
    }
    Err(SignerError::malformed(
        "a compressed stream cannot be decompressed",
    ))
}

fn param_int(params: Option<&Dict>, key: &str, default: i64) -> i64 {
    params
        .and_then(|p| p.get(key))
        .and_then(Object::as_int)
        .unwrap_or(default)
}

/// Undoes PNG (10–15) and TIFF (2) predictors (ISO 32000-1 §7.4.4.4).
fn unpredict(data: Vec<u8>, params: Option<&Dict>) -> Result<Vec<u8>, SignerError> {
    let predictor = param_int(params, "Predictor", 1);
    if predictor <= 1 {
        return Ok(data);
    }
    let colors = param_int(params, "Colors", 1).clamp(1, 32) as usize;
    let bits = param_int(params, "BitsPerComponent", 8).clamp(1, 16) as usize;
    let columns = param_int(params, "Columns", 1).clamp(1, 1 << 20) as usize;
    let bytes_per_pixel = (colors * bits).div_ceil(8);
    let row_len = (colors * bits * columns).div_ceil(8);
    if predictor == 2 {
        if bits != 8 {
            return Err(SignerError::UnsupportedPdf(
                "TIFF predictor with other than 8 bits".into(),
            ));
        }
        let mut out = data;
        for row in out.chunks_mut(row_len) {
            for i in bytes_per_pixel..row.len() {
                row[i] = row[i].wrapping_add(row[i - bytes_per_pixel]);
            }
        }
        return Ok(out);
    }
    let mut out = Vec::with_capacity(data.len());
    let mut previous = vec![0u8; row_len];
    for chunk in data.chunks(row_len + 1) {
        let (&kind, encoded) = chunk.split_first().unwrap_or((&0, &[]));
        let mut row = encoded.to_vec();
        row.resize(row_len, 0);
        for i in 0..row_len {
            let left = if i >= bytes_per_pixel {
                row[i - bytes_per_pixel]
            } else {
                0
            };
            let up = previous[i];
            let up_left = if i >= bytes_per_pixel {
                previous[i - bytes_per_pixel]
            } else {
                0
            };
            row[i] = match kind {
                0 => row[i],
                1 => row[i].wrapping_add(left),
                2 => row[i].wrapping_add(up),
                3 => row[i].wrapping_add(((u16::from(left) + u16::from(up)) / 2) as u8),
                4 => row[i].wrapping_add(paeth(left, up, up_left)),
                _ => {
                    return Err(SignerError::malformed(format!(
                        "unknown PNG predictor row type {kind}"
                    )));
                }
            };
        }
        out.extend_from_slice(&row[..encoded.len().min(row_len)]);
        previous = row;
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// zlib-compresses `data` (for streams this crate writes).
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flate_with_png_up_predictor_round_trips() {
        // Two rows of 3 columns, PNG "Up" filter on the second row.
        let raw = [2u8, 1, 2, 3, 2, 1, 1, 1];
        let dict = Dict::new()
            .with("Filter", Object::name("FlateDecode"))
            .with(
                "DecodeParms",
                Object::Dict(
                    Dict::new()
                        .with("Predictor", Object::Integer(12))
                        .with("Columns", Object::Integer(3)),
                ),
            );
        assert_eq!(
            decode_stream(&dict, deflate(&raw)).unwrap(),
            vec![1, 2, 3, 2, 3, 4]
        );
    }

    #[test]
    fn damaged_flate_keeps_what_was_decoded() {
        let mut compressed = deflate(&[7u8; 10_000]);
        let len = compressed.len();
        compressed.truncate(len - 4); // drop the Adler-32 checksum
        assert_eq!(inflate(&compressed).unwrap().len(), 10_000);
    }
}
