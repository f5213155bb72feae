//! File and folder names from untrusted text (customer surnames, server file names) that are
//! safe on every platform the desk runs on and on shared drives reached from Windows.

/// Longest name produced, in UTF-8 bytes: below the usual 255-byte limit, leaving room for a
/// ` (999)` suffix and the temporary-file prefix.
pub const MAX_NAME_BYTES: usize = 200;

/// Longest extension kept intact when a name is shortened.
const MAX_EXTENSION_BYTES: usize = 16;

/// Turns `raw` into one safe path component, or `fallback` if nothing usable is left.
///
/// - path separators and characters Windows forbids (`/ \ : * ? " < > |`) become `_`;
/// - control characters and invisible bidirectional/format characters (which can disguise an
///   extension, as in `invoice\u{202E}fdp.exe`) are dropped;
/// - runs of white space become one space; leading dots and spaces, and trailing dots and
///   spaces (which Windows strips), are removed, so `..` and hidden files cannot result;
/// - reserved Windows device names (`CON`, `nul.pdf`, `COM1`, ...) get a `_` prefix;
/// - names longer than [`MAX_NAME_BYTES`] are shortened, keeping a short extension.
pub fn sanitize_file_name(raw: &str, fallback: &str) -> String {
    let mut cleaned = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if c.is_control() || is_invisible_format_char(c) {
            continue;
        }
        if pending_space && !cleaned.is_empty() {
            cleaned.push(' ');
        }
        pending_space = false;
        cleaned.push(if is_forbidden(c) { '_' } else { c });
    }
    let trimmed = cleaned
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' ']);
    let shortened = shorten(trimmed);
    if shortened.is_empty() {
        return fallback.to_string();
    }
    if is_reserved_windows_name(&shortened) {
        format!("_{shortened}")
    } else {
        shortened
    }
}

/// `name` with ` (n)` before its extension: `contract.pdf` → `contract (2).pdf`.
pub fn numbered_name(name: &str, n: u32) -> String {
    match split_extension(name) {
        (stem, Some(extension)) => format!("{stem} ({n}).{extension}"),
        (stem, None) => format!("{stem} ({n})"),
    }
}

fn is_forbidden(c: char) -> bool {
    matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
}

fn is_invisible_format_char(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' // zero-width spaces and joiners, LRM, RLM
        | '\u{202A}'..='\u{202E}' // bidirectional embeddings and overrides
        | '\u{2060}'..='\u{2069}' // word joiner, invisible operators, bidi isolates
        | '\u{FEFF}' // byte order mark
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation controls
    )
}

fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rfind('.') {
        Some(dot) if dot > 0 && dot + 1 < name.len() => {
            let extension = &name[dot + 1..];
            if extension.len() <= MAX_EXTENSION_BYTES && !extension.contains(' ') {
                (&name[..dot], Some(extension))
            } else {
                (name, None)
            }
        }
        _ => (name, None),
    }
}

fn shorten(name: &str) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name.to_string();
    }
    let (stem, extension) = split_extension(name);
    let budget = MAX_NAME_BYTES - extension.map_or(0, |e| e.len() + 1);
    let mut cut = budget.min(stem.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    let stem = stem[..cut].trim_end_matches(['.', ' ']);
    match extension {
        Some(extension) if !stem.is_empty() => format!("{stem}.{extension}"),
        _ => stem.to_string(),
    }
}

fn is_reserved_windows_name(name: &str) -> bool {
    // Windows reserves these names with any extension and ignoring trailing spaces.
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let mut chars = stem.chars();
            let prefix: String = chars.by_ref().take(3).collect();
            let rest: Vec<char> = chars.collect();
            (prefix == "COM" || prefix == "LPT")
                && rest.len() == 1
                && (rest[0].is_ascii_digit() || matches!(rest[0], '¹' | '²' | '³'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(raw: &str) -> String {
        sanitize_file_name(raw, "unnamed")
    }

    #[test]
    fn ordinary_names_are_kept() {
        assert_eq!(clean("García López"), "García López");
        assert_eq!(clean("O'Brien-Smith"), "O'Brien-Smith");
        assert_eq!(clean("contract_388141.pdf"), "contract_388141.pdf");
    }

    #[test]
    fn separators_and_forbidden_characters_are_replaced() {
        assert_eq!(clean("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(clean(r"..\..\Windows\system32"), r"_.._Windows_system32");
        assert_eq!(clean("a:b*c?d\"e<f>g|h"), "a_b_c_d_e_f_g_h");
        assert_eq!(clean("/"), "_");
    }

    #[test]
    fn dots_spaces_and_controls_are_trimmed() {
        assert_eq!(clean(".."), "unnamed");
        assert_eq!(clean(" . "), "unnamed");
        assert_eq!(clean(".hidden"), "hidden");
        assert_eq!(clean("name. . "), "name");
        assert_eq!(clean("tab\there\nnew  line"), "tab here new line");
        assert_eq!(clean("nul\0byte\x7f"), "nulbyte");
        assert_eq!(clean(""), "unnamed");
    }

    #[test]
    fn invisible_bidi_tricks_are_removed() {
        assert_eq!(clean("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(clean("\u{FEFF}zero\u{200B}width"), "zerowidth");
    }

    #[test]
    fn reserved_windows_names_are_prefixed() {
        for reserved in [
            "CON", "con", "nul.pdf", "Com1", "LPT9.txt", "aux .pdf", "COM¹",
        ] {
            assert!(
                clean(reserved).starts_with('_'),
                "{reserved} → {}",
                clean(reserved)
            );
        }
        for fine in ["CONTRACT", "COM10", "console.pdf", "LPT"] {
            assert_eq!(clean(fine), fine);
        }
    }

    #[test]
    fn long_names_are_shortened_on_character_boundaries_keeping_the_extension() {
        let long = format!("{}.pdf", "é".repeat(300));
        let short = clean(&long);
        assert!(short.len() <= MAX_NAME_BYTES, "{}", short.len());
        assert!(short.ends_with("é.pdf"));
        let no_extension = "x".repeat(500);
        assert_eq!(clean(&no_extension).len(), MAX_NAME_BYTES);
    }

    #[test]
    fn numbered_names_go_before_the_extension() {
        assert_eq!(numbered_name("contract.pdf", 2), "contract (2).pdf");
        assert_eq!(numbered_name("video", 3), "video (3)");
        assert_eq!(numbered_name("a.tar.gz", 2), "a.tar (2).gz");
    }
}
