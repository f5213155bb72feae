//! PAdES signing of a PDF file: incremental update with a signature field, then the detached
//! CMS over the byte ranges written into the reserved `/Contents` hole.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::appearance::{self, Appearance};
use super::document::Document;
use super::forms;
use super::incremental::UpdateWriter;
use super::object::{Dict, ObjRef, Object, text_string, write_object};
use super::pages;
use crate::pki::certs::Credential;
use crate::pki::cms_sign::{DetachedSignature, DigestAlgorithm, SignedAttributes};
use crate::pki::tsa::TimeStampAuthority;
use crate::{PdfSignOptions, SignedPdfInfo, SignerError};

/// Everything the signing step needs from the trust service.
pub(crate) struct SigningContext<'a> {
    pub(crate) signer: &'a Credential,
    pub(crate) signer_name: &'a str,
    pub(crate) ca: &'a Credential,
    pub(crate) tsa: &'a TimeStampAuthority,
}

/// Width reserved for the patched `/ByteRange [0 a b c]` (four numbers of up to 20 digits).
const BYTE_RANGE_WIDTH: usize = 2 + 4 * 21;

pub(crate) fn sign_file(
    context: &SigningContext<'_>,
    input: &Path,
    output: &Path,
    options: &PdfSignOptions,
) -> Result<SignedPdfInfo, SignerError> {
    let mut original = File::open(input)?;
    let mut doc = Document::open(original.try_clone()?)?;
    if doc.trailer().get("Encrypt").is_some() {
        return Err(SignerError::Encrypted);
    }
    let catalog_ref = doc
        .trailer()
        .get("Root")
        .and_then(Object::as_ref)
        .ok_or_else(|| SignerError::malformed("no document catalog"))?;
    let catalog = doc.get_dict(catalog_ref, "the document catalog")?;
    forms::check_certification(&mut doc, &catalog)?;
    let page_index = options.appearance.as_ref().map_or(0, |a| a.page);
    let (page_ref, page) = pages::find_page(&mut doc, &catalog, page_index)?;

    let mut next = doc.size();
    let mut allocate = || {
        let num = next;
        next += 1;
        num
    };
    let field_ref = ObjRef::new(allocate(), 0);
    let signature_num = allocate();
    let appearance = match &options.appearance {
        Some(request) => {
            let rotation = pages::rotation(&mut doc, &page)?;
            appearance::visible(request, rotation, &mut allocate)?
        }
        None => appearance::invisible(&mut allocate),
    };
    let (mut rewrites, field_name) =
        forms::add_field(&mut doc, catalog_ref, &catalog, field_ref, &mut allocate)?;
    rewrites.extend(forms::add_annotation(&mut doc, page_ref, &page, field_ref)?);
    let xref_stream_num = doc.newest_section_is_stream().then(&mut allocate);
    let size = next;
    let rewrites = merge(rewrites)?;

    let widget = widget(&field_name, signature_num, page_ref, &appearance);
    let placeholder_len = contents_capacity(context, options.timestamp);
    let (signature_body, byte_range_at, contents_at) =
        signature_dictionary(context, options, placeholder_len);

    // Output: a copy of the original, then the update (never rewriting a byte of the original).
    let out_dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(out_dir)?;
    original.seek(SeekFrom::Start(0))?;
    let copied = std::io::copy(&mut (&mut original).take(doc.len()), temp.as_file_mut())?;
    if copied != doc.len() {
        return Err(SignerError::Io(std::io::Error::other(
            "the input file changed while it was being signed",
        )));
    }
    let mut writer = UpdateWriter::new(BufWriter::new(temp.as_file_mut()), doc.len());
    if !doc.ends_with_eol() {
        writer.raw(b"\n")?;
    }
    let signature_at = writer.object_bytes(signature_num, &signature_body)?;
    writer.object(field_ref, &Object::Dict(widget))?;
    for stream in &appearance.streams {
        writer.stream(stream.num, stream.dict.clone(), &stream.data)?;
    }
    for (id, object) in &rewrites {
        writer.object(*id, object)?;
    }
    let trailer = update_trailer(&doc, SystemTime::now());
    writer.finish(trailer, size, xref_stream_num)?;

    let file = temp.as_file_mut();
    let total = file.seek(SeekFrom::End(0))?;
    let hole_start = signature_at + contents_at as u64;
    let hole_end = hole_start + 2 + 2 * placeholder_len as u64;
    let byte_range = format!("[0 {hole_start} {hole_end} {}]", total - hole_end);
    let byte_range = format!("{byte_range:<BYTE_RANGE_WIDTH$}");
    file.seek(SeekFrom::Start(signature_at + byte_range_at as u64))?;
    file.write_all(byte_range.as_bytes())?;

    let digest = hash_ranges(file, &[(0, hole_start), (hole_end, total)])?;
    let cms = DetachedSignature {
        signer: context.signer,
        chain: &[context.ca],
        algorithm: DigestAlgorithm::Sha256,
        content_digest: &digest,
        signed_attributes: SignedAttributes::Present(Vec::new()),
        timestamp: options.timestamp.then_some(context.tsa),
    }
    .to_der()?;
    if cms.len() > placeholder_len {
        return Err(SignerError::Crypto(format!(
            "the signature ({} bytes) does not fit the {placeholder_len} bytes reserved",
            cms.len()
        )));
    }
    let hex: String = cms.iter().map(|b| format!("{b:02X}")).collect();
    file.seek(SeekFrom::Start(hole_start + 1))?;
    file.write_all(hex.as_bytes())?;
    file.sync_all()?;
    temp.persist(output).map_err(|e| SignerError::Io(e.error))?;
    Ok(SignedPdfInfo {
        signed_bytes: total,
        original_bytes: doc.len(),
        field_name,
    })
}

/// One value per object: two changes to the same object would silently lose one of them.
fn merge(rewrites: forms::Rewrites) -> Result<BTreeMap<ObjRef, Object>, SignerError> {
    let mut merged = BTreeMap::new();
    for (id, object) in rewrites {
        if merged.insert(id, object).is_some() {
            return Err(SignerError::UnsupportedPdf(format!(
                "object {} would need two different updates (unusual page/form structure)",
                id.num
            )));
        }
    }
    Ok(merged)
}

fn widget(name: &str, signature_num: u32, page: ObjRef, appearance: &Appearance) -> Dict {
    let rect = appearance
        .rect
        .iter()
        .map(|v| Object::Real(f64::from(*v)))
        .collect();
    Dict::new()
        .with("Type", Object::name("Annot"))
        .with("Subtype", Object::name("Widget"))
        .with("FT", Object::name("Sig"))
        .with("T", text_string(name))
        .with("V", Object::Ref(ObjRef::new(signature_num, 0)))
        .with("F", Object::Integer(appearance.flags))
        .with("Rect", Object::Array(rect))
        .with("P", Object::Ref(page))
        .with(
            "AP",
            Object::Dict(Dict::new().with("N", Object::Ref(appearance.normal))),
        )
}

/// Bytes reserved for the DER signature: the certificates it carries plus room for the
/// signed attributes, the RSA value and, for B-T, the timestamp token with its own chain.
fn contents_capacity(context: &SigningContext<'_>, timestamp: bool) -> usize {
    let mut capacity =
        context.signer.certificate_der.len() + context.ca.certificate_der.len() + 3 * 1024;
    if timestamp {
        capacity += context.tsa.credential.certificate_der.len()
            + context.ca.certificate_der.len()
            + 3 * 1024;
    }
    capacity.div_ceil(1024) * 1024
}

/// The signature dictionary with placeholders; returns the body and the offsets (in the body)
/// of the `/ByteRange` array and of the `<` opening the `/Contents` hole.
fn signature_dictionary(
    context: &SigningContext<'_>,
    options: &PdfSignOptions,
    placeholder_len: usize,
) -> (Vec<u8>, usize, usize) {
    let mut body =
        b"<</Type /Sig/Filter /Adobe.PPKLite/SubFilter /ETSI.CAdES.detached/ByteRange ".to_vec();
    let byte_range_at = body.len();
    body.extend_from_slice(format!("{:<BYTE_RANGE_WIDTH$}", "[0 0 0 0]").as_bytes());
    body.extend_from_slice(b"/Contents ");
    let contents_at = body.len();
    body.push(b'<');
    body.resize(body.len() + 2 * placeholder_len, b'0');
    body.push(b'>');
    let mut rest = Dict::new()
        .with(
            "M",
            Object::String(pdf_date(options.signing_time).into_bytes()),
        )
        .with("Name", text_string(context.signer_name));
    if let Some(reason) = options.reason.as_deref().filter(|r| !r.is_empty()) {
        rest.set("Reason", text_string(reason));
    }
    if let Some(location) = options.location.as_deref().filter(|l| !l.is_empty()) {
        rest.set("Location", text_string(location));
    }
    rest.set(
        "Prop_Build",
        Object::Dict(Dict::new().with(
            "App",
            Object::Dict(
                Dict::new().with("Name", Object::name("Uanataca_OneShot_Optimizer_simulator")),
            ),
        )),
    );
    for (key, value) in rest.iter() {
        let mut entry = Vec::new();
        write_object(&mut entry, &Object::Name(key.to_vec()));
        entry.push(b' ');
        write_object(&mut entry, value);
        body.extend_from_slice(&entry);
    }
    body.extend_from_slice(b">>");
    (body, byte_range_at, contents_at)
}

/// `D:YYYYMMDDHHmmSS+00'00'` in UTC (ISO 32000-1 §7.9.4).
pub(crate) fn pdf_date(at: SystemTime) -> String {
    match jiff::Timestamp::try_from(at) {
        Ok(ts) => format!("D:{}+00'00'", ts.strftime("%Y%m%d%H%M%S")),
        Err(_) => "D:19700101000000+00'00'".into(),
    }
}

/// The update's trailer: /Root, /Info and /ID[0] carried over, a new /ID[1], /Prev.
fn update_trailer(doc: &Document, now: SystemTime) -> Dict {
    let old = doc.trailer();
    let mut trailer = Dict::new();
    if let Some(root) = old.get("Root") {
        trailer.set("Root", root.clone());
    }
    if let Some(info) = old.get("Info") {
        trailer.set("Info", info.clone());
    }
    let nanos = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut hasher = Sha256::new();
    hasher.update(nanos.to_be_bytes());
    hasher.update(doc.len().to_be_bytes());
    let fresh = hasher.finalize()[..16].to_vec();
    let first = match old.get("ID") {
        Some(Object::Array(ids)) => match ids.first() {
            Some(Object::String(first)) => first.clone(),
            _ => fresh.clone(),
        },
        _ => fresh.clone(),
    };
    trailer.set(
        "ID",
        Object::Array(vec![Object::String(first), Object::String(fresh)]),
    );
    trailer.set("Prev", Object::Integer(doc.startxref() as i64));
    trailer
}

/// SHA-256 of the given byte ranges of `file`, read in chunks.
fn hash_ranges(file: &mut File, ranges: &[(u64, u64)]) -> Result<Vec<u8>, SignerError> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1024 * 1024];
    for &(start, end) in ranges {
        file.seek(SeekFrom::Start(start))?;
        let mut left = end - start;
        while left > 0 {
            let want = left.min(buffer.len() as u64) as usize;
            file.read_exact(&mut buffer[..want])?;
            hasher.update(&buffer[..want]);
            left -= want as u64;
        }
    }
    Ok(hasher.finalize().to_vec())
}
