//! The forms a secret value can take once written somewhere.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// A secret as text, base64 (both alphabets, at the three alignments it can have inside a
/// longer encoded text), URL-encoded and hex (both cases), each with the name of its form.
/// Forms too short to be told from chance (under 6 bytes) and repeats are left out.
pub fn forms(value: &str) -> Vec<(&'static str, Vec<u8>)> {
    let bytes = value.as_bytes();
    let mut forms: Vec<(&'static str, Vec<u8>)> = vec![("plain", bytes.to_vec())];
    let mut add = |name: &'static str, form: Vec<u8>| {
        if form.len() >= 6 && !forms.iter().any(|(_, known)| *known == form) {
            forms.push((name, form));
        }
    };
    for engine in [STANDARD_NO_PAD, URL_SAFE_NO_PAD] {
        for shift in 0..3 {
            // The secret preceded by `shift` bytes: only the characters that depend on the
            // secret alone, whatever surrounds it, are kept.
            let mut padded = vec![0u8; shift];
            padded.extend(bytes);
            let encoded = engine.encode(&padded);
            let skip = (shift * 8).div_ceil(6);
            let keep = ((shift + bytes.len()) * 8) / 6;
            if skip < keep {
                add("base64", encoded.as_bytes()[skip..keep].to_vec());
            }
        }
    }
    let url: String = bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if url.as_bytes() != bytes {
        add("url-encoded", url.clone().into_bytes());
        add("url-encoded", url.replace("%20", "+").into_bytes());
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    add("hex", hex.to_uppercase().into_bytes());
    add("hex", hex.into_bytes());
    forms
}
