//! PDFs written by hand: a one-page document, then append-only incremental updates that add
//! signature fields (signed through a callback) or ordinary changes, like a signer does.

use std::fmt::Write as _;

/// Width of the `/ByteRange` placeholder, so patching keeps every offset.
const BYTE_RANGE_PLACEHOLDER: &str = "/ByteRange [0 0000000000 0000000000 0000000000]";

/// A text string entry value.
#[derive(Clone)]
pub enum PdfText {
    /// A literal string `( ... )` with escapes.
    Literal(String),
    /// A UTF-16BE hex string with byte order mark.
    Utf16(String),
}

impl PdfText {
    pub fn literal(text: &str) -> Self {
        Self::Literal(text.to_owned())
    }

    pub fn utf16(text: &str) -> Self {
        Self::Utf16(text.to_owned())
    }

    fn write(&self) -> String {
        match self {
            Self::Literal(text) => {
                let mut out = String::from("(");
                for c in text.chars() {
                    match c {
                        '(' | ')' | '\\' => {
                            out.push('\\');
                            out.push(c);
                        }
                        '\n' => out.push_str("\\n"),
                        c => out.push(c),
                    }
                }
                out.push(')');
                out
            }
            Self::Utf16(text) => {
                let mut out = String::from("<FEFF");
                for unit in text.encode_utf16() {
                    write!(out, "{unit:04X}").expect("string write");
                }
                out.push('>');
                out
            }
        }
    }
}

/// The entries of one signature dictionary.
#[derive(Clone)]
pub struct SignatureFields {
    pub field_name: String,
    pub type_name: &'static str,
    pub sub_filter: &'static str,
    pub reason: Option<PdfText>,
    pub location: Option<PdfText>,
    pub name: Option<PdfText>,
    pub contact_info: Option<PdfText>,
    pub m: Option<String>,
    /// Room reserved for the DER in `/Contents`, in bytes.
    pub capacity: usize,
    /// Put `/Contents` before `/ByteRange` (both orders exist in the wild).
    pub contents_first: bool,
}

impl SignatureFields {
    pub fn pades(field_name: &str) -> Self {
        Self {
            field_name: field_name.to_owned(),
            type_name: "Sig",
            sub_filter: "ETSI.CAdES.detached",
            reason: Some(PdfText::utf16("Conformidad del cliente — José Núñez")),
            location: Some(PdfText::literal("Madrid (Sede \\ central)")),
            name: Some(PdfText::literal("Ana Garcia Perez")),
            contact_info: Some(PdfText::literal("+34 600 000 000")),
            m: Some("D:20250314101500+01'00'".to_owned()),
            capacity: 12 * 1024,
            contents_first: false,
        }
    }

    pub fn document_timestamp(field_name: &str) -> Self {
        Self {
            field_name: field_name.to_owned(),
            type_name: "DocTimeStamp",
            sub_filter: "ETSI.RFC3161",
            reason: None,
            location: None,
            name: None,
            contact_info: None,
            m: None,
            capacity: 8 * 1024,
            contents_first: false,
        }
    }
}

/// A PDF under construction, with what later updates need to know.
pub struct PdfDocument {
    pub bytes: Vec<u8>,
    next_object: u32,
    fields: Vec<u32>,
    previous_xref: u64,
    page_body: String,
}

/// Where a signature landed in the file.
#[derive(Clone, Copy, Debug)]
pub struct SignedRevision {
    pub byte_range: [u64; 4],
    /// Offset of the hex digits of `/Contents` (after `<`).
    pub contents_hex_offset: usize,
    pub der_len: usize,
}

impl PdfDocument {
    /// A one-page PDF whose page content is `content` (a content stream, uncompressed).
    pub fn new(content: &str) -> Self {
        let page_body = "/Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
                         /Resources << /Font << /F1 5 0 R >> >>"
            .to_owned();
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            format!("<< {page_body} >>"),
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len() + 1
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        ];
        let mut bytes = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(bytes.len());
            bytes.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).into_bytes());
        }
        let xref = bytes.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for offset in offsets {
            writeln!(table, "{offset:010} 00000 n ").expect("string write");
        }
        write!(
            table,
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .expect("string write");
        bytes.extend(table.into_bytes());
        Self {
            bytes,
            next_object: 6,
            fields: Vec::new(),
            previous_xref: xref as u64,
            page_body,
        }
    }

    /// The usual test document.
    pub fn sample() -> Self {
        Self::new("BT /F1 12 Tf 72 760 Td (Contrato de prueba - OneShot Desk) Tj ET")
    }

    /// Appends an incremental update holding `objects` (number, body).
    fn append_update(&mut self, objects: &[(u32, String)]) -> Vec<usize> {
        let mut offsets = Vec::new();
        for (number, body) in objects {
            offsets.push(self.bytes.len());
            self.bytes
                .extend(format!("{number} 0 obj\n{body}\nendobj\n").into_bytes());
        }
        let xref = self.bytes.len();
        let mut table = String::from("xref\n0 1\n0000000000 65535 f \n");
        for ((number, _), offset) in objects.iter().zip(&offsets) {
            write!(table, "{number} 1\n{offset:010} 00000 n \n").expect("string write");
        }
        write!(
            table,
            "trailer\n<< /Size {} /Root 1 0 R /Prev {} >>\nstartxref\n{xref}\n%%EOF\n",
            self.next_object, self.previous_xref
        )
        .expect("string write");
        self.bytes.extend(table.into_bytes());
        self.previous_xref = xref as u64;
        offsets
    }

    /// An ordinary incremental update after signing (an annotation added to the page).
    pub fn append_annotation(&mut self) {
        let annotation = self.next_object;
        self.next_object += 1;
        let mut annots: Vec<String> = self.fields.iter().map(|f| format!("{f} 0 R")).collect();
        annots.push(format!("{annotation} 0 R"));
        let objects = vec![
            (
                annotation,
                "<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents (Added after signing) >>"
                    .to_owned(),
            ),
            (3, format!("<< {} /Annots [{}] >>", self.page_body, annots.join(" "))),
        ];
        self.append_update(&objects);
    }

    /// Appends a signature field and its signature dictionary; `sign` receives the bytes the
    /// byte range covers and returns the DER for `/Contents`.
    pub fn sign(
        &mut self,
        fields: &SignatureFields,
        sign: impl FnOnce(&[u8]) -> Vec<u8>,
    ) -> SignedRevision {
        let signature_object = self.next_object;
        let field_object = self.next_object + 1;
        self.next_object += 2;
        self.fields.push(field_object);

        let mut dictionary = format!(
            "<< /Type /{} /Filter /Adobe.PPKLite /SubFilter /{} ",
            fields.type_name, fields.sub_filter
        );
        let contents = format!("/Contents <{}>", "0".repeat(fields.capacity * 2));
        if fields.contents_first {
            write!(dictionary, "{contents}\n{BYTE_RANGE_PLACEHOLDER}").expect("string write");
        } else {
            write!(dictionary, "{BYTE_RANGE_PLACEHOLDER}\n{contents}").expect("string write");
        }
        for (key, value) in [
            ("Reason", &fields.reason),
            ("Location", &fields.location),
            ("Name", &fields.name),
            ("ContactInfo", &fields.contact_info),
        ] {
            if let Some(value) = value {
                write!(dictionary, "\n/{key} {}", value.write()).expect("string write");
            }
        }
        if let Some(m) = &fields.m {
            write!(dictionary, "\n/M ({m})").expect("string write");
        }
        dictionary.push_str(" >>");

        let field = format!(
            "<< /Type /Annot /Subtype /Widget /FT /Sig /T {} /V {signature_object} 0 R /F 132 \
             /Rect [0 0 0 0] /P 3 0 R >>",
            PdfText::literal(&fields.field_name).write()
        );
        let refs: Vec<String> = self.fields.iter().map(|f| format!("{f} 0 R")).collect();
        let objects = vec![
            (signature_object, dictionary),
            (field_object, field),
            (
                3,
                format!("<< {} /Annots [{}] >>", self.page_body, refs.join(" ")),
            ),
            (
                1,
                format!(
                    "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{}] /SigFlags 3 >> >>",
                    refs.join(" ")
                ),
            ),
        ];
        let offsets = self.append_update(&objects);
        let signature_at = offsets[0];

        let find = |needle: &[u8], from: usize| -> usize {
            from + memchr::memmem::find(&self.bytes[from..], needle).expect("written above")
        };
        let contents_lt = find(b"/Contents <", signature_at) + b"/Contents ".len();
        let contents_end = find(b">", contents_lt) + 1;
        let total = self.bytes.len();
        let byte_range = [
            0,
            contents_lt as u64,
            contents_end as u64,
            (total - contents_end) as u64,
        ];
        let placeholder_at = find(BYTE_RANGE_PLACEHOLDER.as_bytes(), signature_at);
        let mut filled = format!(
            "/ByteRange [0 {} {} {}]",
            byte_range[1], byte_range[2], byte_range[3]
        );
        while filled.len() < BYTE_RANGE_PLACEHOLDER.len() {
            filled.push(' ');
        }
        self.bytes[placeholder_at..placeholder_at + filled.len()]
            .copy_from_slice(filled.as_bytes());

        let mut signed = self.bytes[..contents_lt].to_vec();
        signed.extend_from_slice(&self.bytes[contents_end..]);
        let der = sign(&signed);
        assert!(
            der.len() <= fields.capacity,
            "signature of {} bytes does not fit",
            der.len()
        );
        let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
        self.bytes[contents_lt + 1..contents_lt + 1 + hex.len()].copy_from_slice(hex.as_bytes());
        SignedRevision {
            byte_range,
            contents_hex_offset: contents_lt + 1,
            der_len: der.len(),
        }
    }
}
