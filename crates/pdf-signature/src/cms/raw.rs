//! The signer infos of a SignedData as they were written, so the signed attributes can be
//! verified over their original bytes.
//!
//! RFC 5652 §5.4: the signature covers the DER encoding of the signed attributes with an
//! explicit SET OF tag instead of the `[0]` IMPLICIT tag. Re-encoding the decoded attributes
//! would reorder them (the `der` crate sorts SET OF on decode), breaking the check for
//! signers that did not sort; the original bytes are what was signed.

use super::ber::push_length;
use der::asn1::AnyRef;
use der::{Decode, Reader, SliceReader, Tag, TagNumber, Tagged};

/// One signer info: its DER and, when present, the to-be-signed form of its signed attributes.
pub(crate) struct RawSignerInfo<'a> {
    pub(crate) der: &'a [u8],
    pub(crate) signed_attributes_to_verify: Option<Vec<u8>>,
}

/// The signer infos of a DER `ContentInfo` holding a SignedData, in written order.
pub(crate) fn signer_infos(content_info: &[u8]) -> der::Result<Vec<RawSignerInfo<'_>>> {
    let outer = AnyRef::from_der(content_info)?;
    let parts = children(outer.value())?;
    let explicit = parts
        .get(1)
        .ok_or_else(|| der::Error::from(der::ErrorKind::Failed))?;
    let signed_data = AnyRef::from_der(explicit.value())?;
    let fields = children(signed_data.value())?;
    let infos = fields
        .last()
        .filter(|f| f.tag() == Tag::Set)
        .ok_or_else(|| der::Error::from(der::ErrorKind::Failed))?;
    let mut out = Vec::new();
    let mut reader = SliceReader::new(infos.value())?;
    while !reader.is_finished() {
        let start = reader.position();
        let info = AnyRef::decode(&mut reader)?;
        let end = reader.position();
        let der = &infos.value()[usize::try_from(start)?..usize::try_from(end)?];
        out.push(RawSignerInfo {
            der,
            signed_attributes_to_verify: signed_attributes(info)?,
        });
    }
    Ok(out)
}

fn signed_attributes(info: AnyRef<'_>) -> der::Result<Option<Vec<u8>>> {
    // version, sid, digestAlgorithm, then [0] IMPLICIT signedAttrs if present.
    let fields = children(info.value())?;
    let Some(candidate) = fields.get(3) else {
        return Ok(None);
    };
    let is_signed_attrs = candidate.tag()
        == (Tag::ContextSpecific {
            constructed: true,
            number: TagNumber::N0,
        });
    if !is_signed_attrs {
        return Ok(None);
    }
    let value = candidate.value();
    let mut out = vec![0x31];
    push_length(&mut out, value.len());
    out.extend_from_slice(value);
    Ok(Some(out))
}

pub(crate) fn children(value: &[u8]) -> der::Result<Vec<AnyRef<'_>>> {
    let mut reader = SliceReader::new(value)?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(AnyRef::decode(&mut reader)?);
    }
    Ok(out)
}
