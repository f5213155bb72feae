//! RFC 3161 timestamp tokens: a SignedData whose content is a `TSTInfo`.

use super::raw::children;
use super::{Content, Depth};
use crate::{DigestAlgorithm, TimestampInfo, hex, oids};
use der::asn1::AnyRef;
use der::{Decode, Tag, TagNumber, Tagged};
use std::io;
use x509_cert::ext::pkix::name::GeneralName;

/// The fields of `TSTInfo` that matter here.
struct TstInfo {
    policy: String,
    imprint_algorithm: const_oid::ObjectIdentifier,
    imprint: Vec<u8>,
    serial_hex: String,
    gen_time: jiff::Timestamp,
    tsa: Option<String>,
}

/// Examines a token. `imprint_of` yields the digest of what the token should timestamp, in
/// the algorithm the token used. `Ok(Err(_))` means the token itself is unreadable.
pub(crate) fn examine(
    token: &[u8],
    imprint_of: &mut dyn FnMut(DigestAlgorithm) -> io::Result<Vec<u8>>,
) -> io::Result<Result<TimestampInfo, String>> {
    let report = super::examine(token, Content::Encapsulated, Depth::TimestampToken)?;
    if let crate::Integrity::Undecodable(reason) = &report.integrity
        && report.econtent.is_none()
    {
        return Ok(Err(reason.clone()));
    }
    if report.econtent_type != Some(oids::ID_CT_TST_INFO) {
        return Ok(Err("the token does not hold a TSTInfo".to_owned()));
    }
    let Some(econtent) = &report.econtent else {
        return Ok(Err("the token has no TSTInfo".to_owned()));
    };
    let info = match parse_tst_info(econtent) {
        Ok(info) => info,
        Err(reason) => return Ok(Err(reason)),
    };
    let imprint_algorithm = DigestAlgorithm::from_oid(&info.imprint_algorithm);
    let imprint_ok = match imprint_algorithm {
        Some(algorithm) => imprint_of(algorithm)? == info.imprint,
        None => false,
    };
    let tsa_name = report
        .signer
        .as_ref()
        .and_then(|c| c.common_name.clone())
        .or(info.tsa);
    Ok(Ok(TimestampInfo {
        gen_time: info.gen_time,
        tsa_name,
        imprint_ok,
        imprint_algorithm,
        integrity: report.integrity,
        serial_hex: info.serial_hex,
        policy: info.policy,
        tsa_certificate: report.signer,
        chain: report.chain,
    }))
}

/// `TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime,
/// accuracy OPTIONAL, ordering DEFAULT FALSE, nonce OPTIONAL, tsa [0] OPTIONAL,
/// extensions [1] OPTIONAL }`. Read by hand because TSAs commonly put fractional seconds in
/// `genTime`, which the `der` crate's GeneralizedTime rejects.
fn parse_tst_info(der: &[u8]) -> Result<TstInfo, String> {
    let malformed = |what: &str| format!("malformed TSTInfo ({what})");
    let outer = AnyRef::from_der(der).map_err(|e| malformed(&e.to_string()))?;
    let fields = children(outer.value()).map_err(|e| malformed(&e.to_string()))?;
    let [_version, policy, imprint, serial, gen_time, rest @ ..] = fields.as_slice() else {
        return Err(malformed("too few fields"));
    };
    let policy = policy
        .decode_as::<const_oid::ObjectIdentifier>()
        .map_err(|_| malformed("policy"))?
        .to_string();
    let imprint_fields = children(imprint.value()).map_err(|_| malformed("messageImprint"))?;
    let [algorithm, hashed] = imprint_fields.as_slice() else {
        return Err(malformed("messageImprint"));
    };
    let algorithm = algorithm
        .decode_as::<spki::AlgorithmIdentifierRef<'_>>()
        .map_err(|_| malformed("hashAlgorithm"))?;
    if hashed.tag() != Tag::OctetString || serial.tag() != Tag::Integer {
        return Err(malformed("hashedMessage or serialNumber"));
    }
    if gen_time.tag() != Tag::GeneralizedTime {
        return Err(malformed("genTime"));
    }
    let gen_time = generalized_time(gen_time.value()).ok_or_else(|| malformed("genTime"))?;
    let tsa_tag = Tag::ContextSpecific {
        constructed: true,
        number: TagNumber::N0,
    };
    let tsa = rest
        .iter()
        .find(|f| f.tag() == tsa_tag)
        .and_then(|f| GeneralName::from_der(f.value()).ok())
        .map(|name| general_name_text(&name));
    Ok(TstInfo {
        policy,
        imprint_algorithm: algorithm.oid,
        imprint: hashed.value().to_vec(),
        serial_hex: hex::encode(serial.value()),
        gen_time,
        tsa,
    })
}

/// `YYYYMMDDHHMMSS[.f*]Z`.
fn generalized_time(value: &[u8]) -> Option<jiff::Timestamp> {
    let text = std::str::from_utf8(value).ok()?;
    let text = text.strip_suffix('Z')?;
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| whole[range].parse::<i16>().ok();
    let nanos = match fraction {
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{f:0<9}").parse::<i32>().ok()?
        }
        Some(_) => return None,
        None => 0,
    };
    let civil = jiff::civil::DateTime::new(
        number(0..4)?,
        i8::try_from(number(4..6)?).ok()?,
        i8::try_from(number(6..8)?).ok()?,
        i8::try_from(number(8..10)?).ok()?,
        i8::try_from(number(10..12)?).ok()?,
        i8::try_from(number(12..14)?).ok()?,
        nanos,
    )
    .ok()?;
    civil
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

fn general_name_text(name: &GeneralName) -> String {
    match name {
        GeneralName::DirectoryName(n) => {
            crate::name::common_name(n).unwrap_or_else(|| crate::name::to_display_string(n))
        }
        GeneralName::Rfc822Name(s) => s.to_string(),
        GeneralName::DnsName(s) => s.to_string(),
        GeneralName::UniformResourceIdentifier(s) => s.to_string(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::generalized_time;

    #[test]
    fn generalized_time_with_and_without_fraction() {
        let expected: jiff::Timestamp = "2024-05-01T10:20:30.25Z".parse().expect("valid");
        assert_eq!(generalized_time(b"20240501102030.25Z"), Some(expected));
        let whole: jiff::Timestamp = "2024-05-01T10:20:30Z".parse().expect("valid");
        assert_eq!(generalized_time(b"20240501102030Z"), Some(whole));
        assert_eq!(generalized_time(b"20240501102030"), None);
        assert_eq!(generalized_time(b"20240501102030.Z"), None);
        assert_eq!(generalized_time(b"2024050110203Z"), None);
    }
}
