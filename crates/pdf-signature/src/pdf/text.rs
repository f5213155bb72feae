//! PDF text strings (ISO 32000-2 §7.9.2.2): UTF-16BE or UTF-8 with a byte order mark, else
//! PDFDocEncoding.

/// PDFDocEncoding for 0x80..=0xA0 (Annex D); `None` marks undefined codes.
const HIGH: [Option<char>; 33] = [
    Some('\u{2022}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{2026}'),
    Some('\u{2014}'),
    Some('\u{2013}'),
    Some('\u{0192}'),
    Some('\u{2044}'),
    Some('\u{2039}'),
    Some('\u{203A}'),
    Some('\u{2212}'),
    Some('\u{2030}'),
    Some('\u{201E}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201A}'),
    Some('\u{2122}'),
    Some('\u{FB01}'),
    Some('\u{FB02}'),
    Some('\u{0141}'),
    Some('\u{0152}'),
    Some('\u{0160}'),
    Some('\u{0178}'),
    Some('\u{017D}'),
    Some('\u{0131}'),
    Some('\u{0142}'),
    Some('\u{0153}'),
    Some('\u{0161}'),
    Some('\u{017E}'),
    None,
    Some('\u{20AC}'),
];

/// PDFDocEncoding for 0x18..=0x1F: spacing diacritics.
const DIACRITICS: [char; 8] = [
    '\u{02D8}', '\u{02C7}', '\u{02C6}', '\u{02D9}', '\u{02DD}', '\u{02DB}', '\u{02DA}', '\u{02DC}',
];

/// Decodes a text string; undecodable units become U+FFFD.
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return strip_language_escapes(utf16(rest, u16::from_be_bytes));
    }
    // Not allowed by the standard but written by some producers.
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return strip_language_escapes(utf16(rest, u16::from_le_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return strip_language_escapes(String::from_utf8_lossy(rest).into_owned());
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks(2).map(|pair| match pair {
        [a, b] => unit([*a, *b]),
        _ => 0xFFFD,
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// PDF 2.0 marks language changes inside Unicode text with ESC ... ESC; they are not text.
fn strip_language_escapes(text: String) -> String {
    if !text.contains('\u{1B}') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        if c == '\u{1B}' {
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}

fn pdf_doc_char(b: u8) -> char {
    match b {
        0x18..=0x1F => DIACRITICS[usize::from(b - 0x18)],
        0x7F | 0xAD => char::REPLACEMENT_CHARACTER,
        0x80..=0xA0 => HIGH[usize::from(b - 0x80)].unwrap_or(char::REPLACEMENT_CHARACTER),
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn pdf_doc_encoding() {
        assert_eq!(decode(b"Caf\xe9 \x84 \xa0 \x93"), "Café — € ﬁ");
    }

    #[test]
    fn utf16_with_bom_and_surrogates() {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in "José 😀".encode_utf16() {
            bytes.extend(unit.to_be_bytes());
        }
        assert_eq!(decode(&bytes), "José 😀");
    }

    #[test]
    fn utf8_with_bom_and_language_escape() {
        assert_eq!(decode(b"\xEF\xBB\xBF\x1Bes\x1BMadrid \xC3\xB1"), "Madrid ñ");
    }

    #[test]
    fn odd_utf16_length_does_not_panic() {
        assert_eq!(decode(&[0xFE, 0xFF, 0x00, 0x41, 0x00]), "A\u{FFFD}");
    }
}
