//! Inputs that are not what they should be: garbage, truncation, trailing bytes, random
//! damage, compressed object streams, BER encodings, very large files. Never a panic.

mod support;

use pdf_signature::{Integrity, SignatureError, read_signatures, read_signatures_from_bytes};
use std::io::Write as _;
use support::Rng;
use support::cms_builder::{self, CmsOptions, Hash};
use support::pdf_builder::{PdfDocument, SignatureFields, SignedRevision};
use support::pki::{PrivateKey, TestPki};

fn signed_sample(pki: &TestPki, options: &CmsOptions<'_>) -> (PdfDocument, SignedRevision) {
    let mut document = PdfDocument::sample();
    let revision = document.sign(&SignatureFields::pades("Signature1"), |signed| {
        cms_builder::detached(&pki.signer, &Hash::Sha256.digest(signed), options)
    });
    (document, revision)
}

#[test]
fn garbage_is_not_a_pdf() {
    let mut rng = Rng::new(7);
    let random: Vec<u8> = (0..4096).map(|_| rng.next() as u8).collect();
    for input in [&b""[..], b"hello", b"%PDF", &random] {
        let late = [vec![b' '; 2000], b"%PDF-1.7".to_vec()].concat();
        for bytes in [input, &late[..]] {
            let error = read_signatures_from_bytes(bytes).expect_err("not a PDF");
            assert_eq!(error.code(), "signature.not_pdf", "{error}");
        }
    }
}

#[test]
fn random_bytes_after_a_pdf_header_never_panic() {
    let mut rng = Rng::new(11);
    for round in 0..50 {
        let mut bytes = b"%PDF-1.7\n".to_vec();
        let len = 100 + rng.below(5000);
        // Sprinkle the keys the reader looks for among random bytes.
        let words: [&[u8]; 8] = [
            b"/ByteRange",
            b"[0 ",
            b"/Contents <",
            b"> ",
            b"/FT /Sig",
            b"/ObjStm",
            b" obj ",
            b"<<",
        ];
        while bytes.len() < len {
            if rng.below(4) == 0 {
                bytes.extend_from_slice(words[rng.below(words.len())]);
            } else {
                bytes.push(rng.next() as u8);
            }
        }
        let _ = read_signatures_from_bytes(&bytes)
            .map_err(|e| assert!(!e.code().is_empty(), "round {round}"));
    }
}

#[test]
fn truncation_is_a_typed_error_or_an_unsigned_prefix() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let (document, revision) = signed_sample(&pki, &CmsOptions::default());
    let full = &document.bytes;
    let key = memchr::memmem::rfind(full, b"/ByteRange").expect("key");
    let array_end = key + memchr::memchr(b']', &full[key..]).expect("array end") + 1;
    for cut in (0..full.len()).step_by(41).chain([
        array_end,
        revision.contents_hex_offset + 10,
        full.len() - 1,
    ]) {
        let prefix = &full[..cut];
        match read_signatures_from_bytes(prefix) {
            Ok(signatures) => {
                assert!(signatures.is_empty(), "cut at {cut}: {signatures:?}");
                assert!(
                    cut < array_end,
                    "cut at {cut} after the byte range went unnoticed"
                );
            }
            Err(SignatureError::Truncated { expected, actual }) => {
                assert_eq!(expected, full.len() as u64);
                assert_eq!(actual, cut as u64);
                assert!(cut >= array_end, "cut at {cut}");
            }
            Err(SignatureError::NotPdf) => assert!(cut < 8, "cut at {cut}"),
            Err(other) => panic!("cut at {cut}: unexpected {other}"),
        }
    }
}

#[test]
fn trailing_garbage_leaves_the_signature_intact_but_partial() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let (mut document, _) = signed_sample(&pki, &CmsOptions::default());
    let signed_length = document.bytes.len() as u64;
    document
        .bytes
        .extend_from_slice(b"\r\n\x00\x00garbage after %%EOF /ByteRange [0 1 2 3]");
    let signatures = read_signatures_from_bytes(&document.bytes).expect("readable");
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0].integrity, Integrity::Intact);
    assert!(!signatures[0].covers_whole_file);
    assert_eq!(signatures[0].signed_revision_length, signed_length);
}

#[test]
fn random_damage_to_a_signed_pdf_never_panics() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let options = CmsOptions {
        timestamp: Some(&pki.tsa),
        ..CmsOptions::default()
    };
    let (mut document, _) = signed_sample(&pki, &options);
    document.sign(
        &SignatureFields::document_timestamp("Timestamp1"),
        |signed| cms_builder::timestamp_token(&pki.tsa, &Hash::Sha256.digest(signed)),
    );
    let original = document.bytes;
    let covered = |bytes: &[u8], [a, b, c, d]: [u64; 4]| -> Vec<u8> {
        let part = |from: u64, len: u64| {
            bytes
                .get(from as usize..(from + len) as usize)
                .map(<[u8]>::to_vec)
        };
        let (first, second) = (part(a, b).expect("in file"), part(c, d).expect("in file"));
        Hash::Sha256.digest(&[first, second].concat())
    };
    let originally_signed: Vec<Vec<u8>> = read_signatures_from_bytes(&original)
        .expect("readable")
        .iter()
        .map(|s| covered(&original, s.byte_range))
        .collect();
    let mut rng = Rng::new(42);
    let (mut intact, mut noticed) = (0, 0);
    for _ in 0..300 {
        let mut bytes = original.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len());
            match rng.below(4) {
                0 => bytes[at] = rng.next() as u8,
                1 => bytes[at] ^= 1 << rng.below(8),
                2 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, b"0 <>[]/ "[rng.below(8)]),
            }
        }
        match read_signatures_from_bytes(&bytes) {
            Ok(signatures) => {
                for signature in signatures.iter().filter(|s| s.integrity.is_intact()) {
                    // Sound: whatever is reported intact covers exactly bytes that were signed.
                    assert!(originally_signed.contains(&covered(&bytes, signature.byte_range)));
                    intact += 1;
                }
                noticed += usize::from(
                    signatures.len() < 2 || signatures.iter().any(|s| !s.integrity.is_intact()),
                );
            }
            Err(e) => {
                assert!(e.code().starts_with("signature."));
                noticed += 1;
            }
        }
    }
    assert!(
        intact > 0 && noticed > 50,
        "intact {intact}, noticed {noticed}"
    );
}

#[test]
fn a_non_hex_contents_is_an_undecodable_signature() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let (mut document, revision) = signed_sample(&pki, &CmsOptions::default());
    document.bytes[revision.contents_hex_offset + 6] = b'G';
    let signatures = read_signatures_from_bytes(&document.bytes).expect("readable");
    assert_eq!(signatures.len(), 1);
    assert!(
        matches!(signatures[0].integrity, Integrity::Undecodable(ref why) if why.contains("non-hex"))
    );
}

#[test]
fn a_ber_encoded_cms_is_read() {
    let pki = TestPki::new();
    let mut document = PdfDocument::sample();
    document.sign(&SignatureFields::pades("Signature1"), |signed| {
        let der = cms_builder::detached(
            &pki.signer,
            &Hash::Sha256.digest(signed),
            &CmsOptions::default(),
        );
        indefinite_outer_lengths(&der)
    });
    let signatures = read_signatures_from_bytes(&document.bytes).expect("readable");
    assert_eq!(signatures[0].integrity, Integrity::Intact);
    assert!(
        signatures[0].warnings.iter().any(|w| w.contains("BER")),
        "{:?}",
        signatures[0].warnings
    );
}

/// `ContentInfo` and its `[0]` wrapper with indefinite lengths, as streaming encoders write.
fn indefinite_outer_lengths(der: &[u8]) -> Vec<u8> {
    // ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }
    let content_info = value_of(der);
    let oid_len = total_len(content_info);
    let signed_data = value_of(&content_info[oid_len..]);
    [
        &[0x30, 0x80][..],
        &content_info[..oid_len],
        &[0xA0, 0x80],
        signed_data,
        &[0, 0, 0, 0],
    ]
    .concat()
}

fn header_len(element: &[u8]) -> usize {
    if element[1] < 0x80 {
        2
    } else {
        2 + usize::from(element[1] & 0x7f)
    }
}

fn content_len(element: &[u8]) -> usize {
    if element[1] < 0x80 {
        usize::from(element[1])
    } else {
        element[2..header_len(element)]
            .iter()
            .fold(0, |acc, &b| acc << 8 | usize::from(b))
    }
}

fn total_len(element: &[u8]) -> usize {
    header_len(element) + content_len(element)
}

fn value_of(element: &[u8]) -> &[u8] {
    &element[header_len(element)..total_len(element)]
}

#[test]
fn a_signature_dictionary_in_an_object_stream_is_unsupported() {
    let mut document = PdfDocument::sample();
    let object = b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 30] /Contents <00> >>";
    let header = b"9 0 ";
    let mut plain = header.to_vec();
    plain.extend_from_slice(object);
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&plain).expect("compress");
    let compressed = encoder.finish().expect("compress");
    let offset = document.bytes.len();
    document.bytes.extend(
        format!(
            "10 0 obj\n<< /Type /ObjStm /N 1 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
            header.len(),
            compressed.len()
        )
        .into_bytes(),
    );
    document.bytes.extend_from_slice(&compressed);
    document.bytes.extend_from_slice(b"\nendstream\nendobj\n");
    let error = read_signatures_from_bytes(&document.bytes).expect_err("unsupported");
    assert!(
        matches!(error, SignatureError::SignatureInObjectStream { offset: at } if at == offset as u64),
        "{error}"
    );
    assert_eq!(error.code(), "signature.in_object_stream");
}

#[test]
fn a_signature_field_redefined_in_an_object_stream_names_the_signature() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let (mut document, _) = signed_sample(&pki, &CmsOptions::default());
    // The signature is object 6 and its field object 7 (see the PDF builder); a later
    // revision renames the field from inside a compressed object stream.
    let field = b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Renamed) /V 6 0 R /F 132 /Rect [0 0 0 0] /P 3 0 R >>";
    let header = b"7 0 ";
    let mut plain = header.to_vec();
    plain.extend_from_slice(field);
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&plain).expect("compress");
    let compressed = encoder.finish().expect("compress");
    document.bytes.extend(
        format!("20 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode] /Length {} >>\nstream\r\n", compressed.len())
            .into_bytes(),
    );
    document.bytes.extend_from_slice(&compressed);
    document.bytes.extend_from_slice(b"\r\nendstream\nendobj\n");
    let signatures = read_signatures_from_bytes(&document.bytes).expect("readable");
    assert_eq!(signatures[0].field_name.as_deref(), Some("Renamed"));
    assert_eq!(signatures[0].integrity, Integrity::Intact);
    assert!(!signatures[0].covers_whole_file);
}

#[test]
fn an_encrypted_document_does_not_decode_text_entries() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    let (mut document, _) = signed_sample(&pki, &CmsOptions::default());
    document
        .bytes
        .extend_from_slice(b"trailer\n<< /Size 12 /Root 1 0 R /Encrypt 11 0 R >>\n");
    let signatures = read_signatures_from_bytes(&document.bytes).expect("readable");
    assert_eq!(signatures[0].reason, None);
    assert_eq!(signatures[0].integrity, Integrity::Intact);
    assert!(
        signatures[0]
            .warnings
            .iter()
            .any(|w| w.contains("encrypted"))
    );
}

#[test]
fn a_large_file_is_streamed_from_disk() {
    let pki = TestPki::with_signer_key(PrivateKey::p256());
    // 3 MiB of page content puts the signature far beyond the first read chunk.
    let mut content = String::with_capacity(3 << 20);
    while content.len() < 3 << 20 {
        content.push_str("BT /F1 8 Tf 10 10 Td (filler line for a long contract) Tj ET\n");
    }
    let mut document = PdfDocument::new(&content);
    document.sign(&SignatureFields::pades("Signature1"), |signed| {
        cms_builder::detached(
            &pki.signer,
            &Hash::Sha256.digest(signed),
            &CmsOptions::default(),
        )
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large.pdf");
    std::fs::write(&path, &document.bytes).expect("write");
    let signatures = read_signatures(&path).expect("readable");
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0].integrity, Integrity::Intact);
    assert!(signatures[0].covers_whole_file);
    assert!(signatures[0].contents_offset > 3 << 20);

    let error = read_signatures(&dir.path().join("missing.pdf")).expect_err("missing");
    assert_eq!(error.code(), "signature.io");
    assert!(error.to_string().contains("missing.pdf"));
}
