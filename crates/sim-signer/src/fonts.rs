//! The standard Helvetica fonts: glyph widths (from Adobe's core-14 AFM metrics) and a
//! single-byte encoding built per use, so text in Spanish, Polish and other Latin languages is
//! shown without embedding a font.
//!
//! ASCII keeps its WinAnsi codes; every other character used gets a code from 128 up, named in
//! a `/Differences` array with its Adobe glyph name. Characters without a glyph in the standard
//! Latin set are shown as `?`.

use std::collections::BTreeMap;

use crate::pdf::object::{Dict, Object};

/// Regular or bold Helvetica.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
}

impl Face {
    fn base_font(self) -> &'static str {
        match self {
            Face::Regular => "Helvetica",
            Face::Bold => "Helvetica-Bold",
        }
    }
}

/// Widths of ASCII 32..=126 in 1/1000 em, Helvetica.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
];

/// Widths of ASCII 32..=126 in 1/1000 em, Helvetica-Bold.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278,
    278, // space../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0..?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // P.._
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // `..o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // p..~
];

/// How a non-ASCII character is drawn: its glyph name and how wide it is.
enum Width {
    /// As wide as this ASCII letter (accented letters keep their base letter's width).
    Like(char),
    /// Explicit widths (regular, bold).
    Fixed(u16, u16),
}

/// Non-ASCII characters of the standard Latin glyph set that texts here may use.
const GLYPHS: &[(char, &str, Width)] = &[
    ('\u{a0}', "space", Width::Like(' ')),
    ('¡', "exclamdown", Width::Fixed(333, 333)),
    ('¢', "cent", Width::Fixed(556, 556)),
    ('£', "sterling", Width::Fixed(556, 556)),
    ('€', "Euro", Width::Fixed(556, 556)),
    ('§', "section", Width::Fixed(556, 556)),
    ('©', "copyright", Width::Fixed(737, 737)),
    ('ª', "ordfeminine", Width::Fixed(370, 370)),
    ('«', "guillemotleft", Width::Fixed(556, 556)),
    ('®', "registered", Width::Fixed(737, 737)),
    ('°', "degree", Width::Fixed(400, 400)),
    ('±', "plusminus", Width::Fixed(584, 584)),
    ('·', "periodcentered", Width::Fixed(278, 278)),
    ('º', "ordmasculine", Width::Fixed(365, 365)),
    ('»', "guillemotright", Width::Fixed(556, 556)),
    ('¿', "questiondown", Width::Fixed(611, 611)),
    ('À', "Agrave", Width::Like('A')),
    ('Á', "Aacute", Width::Like('A')),
    ('Â', "Acircumflex", Width::Like('A')),
    ('Ã', "Atilde", Width::Like('A')),
    ('Ä', "Adieresis", Width::Like('A')),
    ('Å', "Aring", Width::Like('A')),
    ('Æ', "AE", Width::Fixed(1000, 1000)),
    ('Ç', "Ccedilla", Width::Like('C')),
    ('È', "Egrave", Width::Like('E')),
    ('É', "Eacute", Width::Like('E')),
    ('Ê', "Ecircumflex", Width::Like('E')),
    ('Ë', "Edieresis", Width::Like('E')),
    ('Ì', "Igrave", Width::Like('I')),
    ('Í', "Iacute", Width::Like('I')),
    ('Î', "Icircumflex", Width::Like('I')),
    ('Ï', "Idieresis", Width::Like('I')),
    ('Ñ', "Ntilde", Width::Like('N')),
    ('Ò', "Ograve", Width::Like('O')),
    ('Ó', "Oacute", Width::Like('O')),
    ('Ô', "Ocircumflex", Width::Like('O')),
    ('Õ', "Otilde", Width::Like('O')),
    ('Ö', "Odieresis", Width::Like('O')),
    ('×', "multiply", Width::Fixed(584, 584)),
    ('Ø', "Oslash", Width::Like('O')),
    ('Ù', "Ugrave", Width::Like('U')),
    ('Ú', "Uacute", Width::Like('U')),
    ('Û', "Ucircumflex", Width::Like('U')),
    ('Ü', "Udieresis", Width::Like('U')),
    ('Ý', "Yacute", Width::Like('Y')),
    ('ß', "germandbls", Width::Fixed(611, 611)),
    ('à', "agrave", Width::Like('a')),
    ('á', "aacute", Width::Like('a')),
    ('â', "acircumflex", Width::Like('a')),
    ('ã', "atilde", Width::Like('a')),
    ('ä', "adieresis", Width::Like('a')),
    ('å', "aring", Width::Like('a')),
    ('æ', "ae", Width::Fixed(889, 889)),
    ('ç', "ccedilla", Width::Like('c')),
    ('è', "egrave", Width::Like('e')),
    ('é', "eacute", Width::Like('e')),
    ('ê', "ecircumflex", Width::Like('e')),
    ('ë', "edieresis", Width::Like('e')),
    ('ì', "igrave", Width::Fixed(278, 278)),
    ('í', "iacute", Width::Fixed(278, 278)),
    ('î', "icircumflex", Width::Fixed(278, 278)),
    ('ï', "idieresis", Width::Fixed(278, 278)),
    ('ñ', "ntilde", Width::Like('n')),
    ('ò', "ograve", Width::Like('o')),
    ('ó', "oacute", Width::Like('o')),
    ('ô', "ocircumflex", Width::Like('o')),
    ('õ', "otilde", Width::Like('o')),
    ('ö', "odieresis", Width::Like('o')),
    ('÷', "divide", Width::Fixed(584, 584)),
    ('ø', "oslash", Width::Fixed(611, 611)),
    ('ù', "ugrave", Width::Like('u')),
    ('ú', "uacute", Width::Like('u')),
    ('û', "ucircumflex", Width::Like('u')),
    ('ü', "udieresis", Width::Like('u')),
    ('ý', "yacute", Width::Like('y')),
    ('ÿ', "ydieresis", Width::Like('y')),
    // Central European letters (Polish, Czech, ...) from the standard Latin glyph set.
    ('Ą', "Aogonek", Width::Like('A')),
    ('ą', "aogonek", Width::Like('a')),
    ('Ć', "Cacute", Width::Like('C')),
    ('ć', "cacute", Width::Like('c')),
    ('Č', "Ccaron", Width::Like('C')),
    ('č', "ccaron", Width::Like('c')),
    ('Ď', "Dcaron", Width::Like('D')),
    ('Ę', "Eogonek", Width::Like('E')),
    ('ę', "eogonek", Width::Like('e')),
    ('Ě', "Ecaron", Width::Like('E')),
    ('ě', "ecaron", Width::Like('e')),
    ('Ł', "Lslash", Width::Like('L')),
    ('ł', "lslash", Width::Like('l')),
    ('Ń', "Nacute", Width::Like('N')),
    ('ń', "nacute", Width::Like('n')),
    ('Ň', "Ncaron", Width::Like('N')),
    ('ň', "ncaron", Width::Like('n')),
    ('Ő', "Ohungarumlaut", Width::Like('O')),
    ('ő', "ohungarumlaut", Width::Like('o')),
    ('Œ', "OE", Width::Fixed(1000, 1000)),
    ('œ', "oe", Width::Fixed(944, 944)),
    ('Ř', "Rcaron", Width::Like('R')),
    ('ř', "rcaron", Width::Like('r')),
    ('Ś', "Sacute", Width::Like('S')),
    ('ś', "sacute", Width::Like('s')),
    ('Š', "Scaron", Width::Like('S')),
    ('š', "scaron", Width::Like('s')),
    ('Ť', "Tcaron", Width::Like('T')),
    ('Ů', "Uring", Width::Like('U')),
    ('ů', "uring", Width::Like('u')),
    ('Ű', "Uhungarumlaut", Width::Like('U')),
    ('ű', "uhungarumlaut", Width::Like('u')),
    ('Ÿ', "Ydieresis", Width::Like('Y')),
    ('Ź', "Zacute", Width::Like('Z')),
    ('ź', "zacute", Width::Like('z')),
    ('Ż', "Zdotaccent", Width::Like('Z')),
    ('ż', "zdotaccent", Width::Like('z')),
    ('Ž', "Zcaron", Width::Like('Z')),
    ('ž', "zcaron", Width::Like('z')),
    // Punctuation.
    ('–', "endash", Width::Fixed(556, 556)),
    ('—', "emdash", Width::Fixed(1000, 1000)),
    ('‘', "quoteleft", Width::Fixed(222, 278)),
    ('’', "quoteright", Width::Fixed(222, 278)),
    ('‚', "quotesinglbase", Width::Fixed(222, 278)),
    ('“', "quotedblleft", Width::Fixed(333, 500)),
    ('”', "quotedblright", Width::Fixed(333, 500)),
    ('„', "quotedblbase", Width::Fixed(333, 500)),
    ('•', "bullet", Width::Fixed(350, 350)),
    ('…', "ellipsis", Width::Fixed(1000, 1000)),
    ('™', "trademark", Width::Fixed(1000, 1000)),
];

fn ascii_width(face: Face, c: char) -> u16 {
    let table = match face {
        Face::Regular => &REGULAR,
        Face::Bold => &BOLD,
    };
    (c as usize)
        .checked_sub(32)
        .and_then(|i| table.get(i))
        .copied()
        .unwrap_or(556)
}

fn glyph(c: char) -> Option<&'static (char, &'static str, Width)> {
    GLYPHS.iter().find(|(g, _, _)| *g == c)
}

/// Width of one character in 1/1000 em; unknown characters measure as the `?` drawn instead.
fn char_width(face: Face, c: char) -> u16 {
    if (' '..='~').contains(&c) {
        return ascii_width(face, c);
    }
    match glyph(c) {
        Some((_, _, Width::Like(base))) => ascii_width(face, *base),
        Some((_, _, Width::Fixed(regular, bold))) => match face {
            Face::Regular => *regular,
            Face::Bold => *bold,
        },
        None => ascii_width(face, '?'),
    }
}

/// Width of `text` at `size` points.
pub(crate) fn text_width(face: Face, text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| f32::from(char_width(face, c)))
        .sum::<f32>()
        * size
        / 1000.0
}

/// A single-byte encoding covering the characters of some texts.
#[derive(Debug, Default)]
pub(crate) struct Encoding {
    /// Code (128..=255) of each non-ASCII character in use.
    codes: BTreeMap<char, u8>,
}

impl Encoding {
    /// Registers the characters of `text`. Returns false when the 128 extra codes ran out (the
    /// characters left over are then drawn as `?`).
    pub(crate) fn add(&mut self, text: &str) -> bool {
        let mut complete = true;
        for c in text.chars() {
            if (' '..='~').contains(&c) || self.codes.contains_key(&c) || glyph(c).is_none() {
                continue;
            }
            match u8::try_from(128 + self.codes.len()) {
                Ok(code) => {
                    self.codes.insert(c, code);
                }
                Err(_) => complete = false,
            }
        }
        complete
    }

    /// The bytes that show `text` with this encoding.
    pub(crate) fn encode(&self, text: &str) -> Vec<u8> {
        text.chars()
            .map(|c| match c {
                ' '..='~' => c as u8,
                '\t' => b' ',
                _ => self.codes.get(&c).copied().unwrap_or(b'?'),
            })
            .collect()
    }

    /// A Type 1 font dictionary for `face` with this encoding.
    pub(crate) fn font_dict(&self, face: Face) -> Dict {
        let mut differences = Vec::new();
        let mut by_code: Vec<(u8, char)> = self.codes.iter().map(|(c, code)| (*code, *c)).collect();
        by_code.sort_unstable();
        if let Some((first, _)) = by_code.first() {
            differences.push(Object::Integer(i64::from(*first)));
            for (_, c) in &by_code {
                let name = glyph(*c).map(|(_, n, _)| *n).unwrap_or("question");
                differences.push(Object::name(name));
            }
        }
        let mut encoding = Dict::new()
            .with("Type", Object::name("Encoding"))
            .with("BaseEncoding", Object::name("WinAnsiEncoding"));
        if !differences.is_empty() {
            encoding.set("Differences", Object::Array(differences));
        }
        Dict::new()
            .with("Type", Object::name("Font"))
            .with("Subtype", Object::name("Type1"))
            .with("BaseFont", Object::name(face.base_font()))
            .with("Encoding", Object::Dict(encoding))
    }
}

/// Breaks `text` into lines no wider than `width` at `size`, at spaces where possible.
pub(crate) fn wrap(face: Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(face, &candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than the line is cut where it overflows.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if text_width(face, &piece, size) > width && piece.chars().count() > 1 {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        line = piece;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_afm_metrics() {
        assert_eq!(
            text_width(Face::Regular, "Hello", 1000.0),
            722.0 + 556.0 + 222.0 + 222.0 + 556.0
        );
        assert_eq!(
            text_width(Face::Bold, "Hello", 1000.0),
            722.0 + 556.0 + 278.0 + 278.0 + 611.0
        );
        assert_eq!(
            text_width(Face::Regular, "é", 10.0),
            text_width(Face::Regular, "e", 10.0)
        );
    }

    #[test]
    fn non_ascii_letters_get_codes_and_glyph_names() {
        let mut encoding = Encoding::default();
        assert!(encoding.add("Łukasz Żółć señor"));
        let bytes = encoding.encode("Łó a€");
        assert_eq!(bytes[0], 128);
        assert_eq!(&bytes[2..4], b" a");
        assert_eq!(bytes[4], b'?', "€ was not registered");
        let font = encoding.font_dict(Face::Regular);
        let mut out = Vec::new();
        crate::pdf::object::write_dict(&mut out, &font);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("/Differences [128 /Lslash"), "{text}");
        assert!(
            text.contains("/Zdotaccent") && text.contains("/cacute"),
            "{text}"
        );
    }

    #[test]
    fn wrapping_respects_the_width() {
        let lines = wrap(
            Face::Regular,
            "Firmado digitalmente por ANA GARCÍA LÓPEZ el 01/02/2025",
            10.0,
            120.0,
        );
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(text_width(Face::Regular, line, 10.0) <= 120.0, "{line}");
        }
        let cut = wrap(
            Face::Regular,
            "Supercalifragilisticexpialidocious",
            10.0,
            40.0,
        );
        assert!(
            cut.len() > 2
                && cut
                    .iter()
                    .all(|l| text_width(Face::Regular, l, 10.0) <= 40.0)
        );
    }
}
