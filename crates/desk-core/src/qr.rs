//! QR codes of VideoID links, for the customer's phone to scan: an SVG document for the window,
//! and block characters for a terminal (the CLI).

use crate::error::{DeskError, DeskResult};
use qrcode::render::{svg, unicode};
use qrcode::{EcLevel, QrCode};

/// Pixels per module in the SVG; the window scales the image to fit anyway.
const SVG_MODULE_PX: u32 = 8;

fn encode(text: &str) -> DeskResult<QrCode> {
    // Medium error correction: a phone camera reads it off a screen at arm's length, and links
    // of a few hundred characters still fit comfortably.
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| {
        DeskError::new("qr.too_long", "The link is too long for a QR code")
            .with_detail(e.to_string())
    })
}

/// `text` as a QR code in an SVG document: black modules on white, with the standard quiet
/// zone, sized in pixels (the window may scale it).
pub fn qr_svg(text: &str) -> DeskResult<String> {
    let code = encode(text)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .module_dimensions(SVG_MODULE_PX, SVG_MODULE_PX)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

/// `text` as a QR code drawn with Unicode half blocks (two modules per character cell), dark
/// modules on a light background whatever the terminal's colours, for a terminal at least as
/// wide as the code.
pub fn qr_terminal(text: &str) -> DeskResult<String> {
    let code = encode(text)?;
    Ok(code
        .render::<unicode::Dense1x2>()
        .dark_color(unicode::Dense1x2::Dark)
        .light_color(unicode::Dense1x2::Light)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_svg_and_terminal_blocks() {
        let link = "https://optimizer.example.com/videoid/4f1c0e9a2b7d";
        let svg = qr_svg(link).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("#000000") && svg.contains("#ffffff"));
        let text = qr_terminal(link).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 10);
        let width = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == width));
        assert!(text.contains('█') || text.contains('▀') || text.contains('▄'));
        assert_eq!(qr_svg(&"x".repeat(5000)).unwrap_err().code, "qr.too_long");
    }
}
