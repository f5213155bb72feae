//! Distinguished names as people read them: `CN=Ana García,O=Bank,C=ES`.
//!
//! Written here rather than using `x509-cert`'s `Display` because that one prints BMPString
//! values (common in qualified certificates) as hex.

use der::asn1::{AnyRef, BmpString, Ia5StringRef, PrintableStringRef, TeletexStringRef};
use der::{Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::Name;

/// The RFC 4514 string of a name (most specific component first).
pub(crate) fn to_display_string(name: &Name) -> String {
    let mut out = String::new();
    for rdn in name.0.iter().rev() {
        for (i, atv) in rdn.0.iter().enumerate() {
            if !out.is_empty() {
                out.push(if i == 0 { ',' } else { '+' });
            }
            push_attribute(&mut out, atv);
        }
    }
    out
}

/// The last (most specific) common name in a name.
pub(crate) fn common_name(name: &Name) -> Option<String> {
    attribute(name, const_oid::db::rfc4519::CN)
}

/// What to call the holder: the common name, else given name and surname, else the
/// organisation, else the whole name.
pub(crate) fn display_name(name: &Name) -> String {
    use const_oid::db::rfc4519::{GIVEN_NAME, O, SN};
    if let Some(cn) = common_name(name) {
        return cn;
    }
    let person: Vec<String> = [GIVEN_NAME, SN]
        .into_iter()
        .filter_map(|oid| attribute(name, oid))
        .collect();
    if !person.is_empty() {
        return person.join(" ");
    }
    attribute(name, O).unwrap_or_else(|| to_display_string(name))
}

fn attribute(name: &Name, oid: const_oid::ObjectIdentifier) -> Option<String> {
    name.0
        .iter()
        .rev()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oid)
        .and_then(|atv| attribute_text(AnyRef::from(&atv.value)))
}

fn push_attribute(out: &mut String, atv: &AttributeTypeAndValue) {
    let key = short_name(&atv.oid);
    match attribute_text(AnyRef::from(&atv.value)) {
        Some(text) => {
            out.push_str(&key);
            out.push('=');
            escape_into(out, &text);
        }
        None => {
            out.push_str(&atv.oid.to_string());
            out.push_str("=#");
            if let Ok(der) = der::Encode::to_der(&atv.value) {
                out.push_str(&crate::hex::encode(&der));
            }
        }
    }
}

fn short_name(oid: &const_oid::ObjectIdentifier) -> String {
    use const_oid::db::{rfc3280, rfc4519};
    let known = match *oid {
        rfc4519::CN => "CN",
        rfc4519::O => "O",
        rfc4519::OU => "OU",
        rfc4519::C => "C",
        rfc4519::L => "L",
        rfc4519::ST => "ST",
        rfc4519::STREET => "STREET",
        rfc4519::SERIAL_NUMBER => "serialNumber",
        rfc4519::GIVEN_NAME => "GN",
        rfc4519::SN => "SN",
        rfc4519::TITLE => "title",
        rfc4519::DC => "DC",
        rfc4519::UID => "UID",
        rfc3280::EMAIL_ADDRESS => "emailAddress",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    if *oid == crate::oids::ORGANIZATION_IDENTIFIER {
        return "organizationIdentifier".to_owned();
    }
    const_oid::db::DB
        .by_oid(oid)
        .map(str::to_owned)
        .unwrap_or_else(|| oid.to_string())
}

fn escape_into(out: &mut String, value: &str) {
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\{:02x}", c as u32)),
            c => out.push(c),
        }
    }
}

/// The text of a directory string in any of the encodings certificates use.
pub(crate) fn attribute_text(value: AnyRef<'_>) -> Option<String> {
    match value.tag() {
        Tag::Utf8String => std::str::from_utf8(value.value()).ok().map(str::to_owned),
        Tag::PrintableString => PrintableStringRef::try_from(value)
            .ok()
            .map(|s| s.as_str().to_owned()),
        Tag::Ia5String => Ia5StringRef::try_from(value)
            .ok()
            .map(|s| s.as_str().to_owned()),
        // T.61 is in practice Latin-1 in certificates.
        Tag::TeletexString => TeletexStringRef::try_from(value)
            .ok()
            .map(|s| s.as_str().to_owned())
            .or_else(|| Some(value.value().iter().map(|&b| char::from(b)).collect())),
        Tag::BmpString => BmpString::from_ucs2(value.value())
            .ok()
            .map(|s| s.to_string()),
        Tag::VisibleString => std::str::from_utf8(value.value()).ok().map(str::to_owned),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn name(text: &str) -> Name {
        Name::from_str(text).expect("valid name")
    }

    #[test]
    fn display_string_is_rfc4514_with_escapes() {
        let parsed = name("CN=Pérez\\, Ana,O=Bank+OU=Desk,C=ES");
        assert_eq!(
            to_display_string(&parsed),
            "CN=Pérez\\, Ana,O=Bank+OU=Desk,C=ES"
        );
    }

    #[test]
    fn display_name_falls_back_from_common_name() {
        assert_eq!(display_name(&name("CN=Ana,O=Bank")), "Ana");
        assert_eq!(
            display_name(&name("givenName=Ana,sn=García,O=Bank")),
            "Ana García"
        );
        assert_eq!(display_name(&name("O=Bank,C=ES")), "Bank");
        assert_eq!(display_name(&name("C=ES")), "C=ES");
    }
}
