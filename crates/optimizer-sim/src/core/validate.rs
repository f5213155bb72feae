//! Field rules of the Optimizer (API.md §H).

use base64::Engine;

/// Valid `id_document_type` values (GH2).
pub const ID_DOCUMENT_TYPES: &[&str] = &["IDC", "PAS", "PNO", "TIN", "CI", "CE"];
/// Valid OCR `id_document_type` values (GH2 evidences schema).
pub const OCR_ID_DOCUMENT_TYPES: &[&str] = &["IDC", "PAS", "PNO", "TIN"];
/// Certificate profiles.
pub const PROFILES: &[&str] = &["PFnubeQAFCiudadano", "PFnubeNC"];
/// `communication_language` values.
pub const LANGUAGES: &[&str] = &["ES", "PL", "EN"];

/// ISO 3166-1 alpha-2 codes (officially assigned).
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK \
DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU \
GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY \
MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU \
RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO \
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Whether `code` is an ISO 3166-1 alpha-2 country code.
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split_ascii_whitespace().any(|c| c == code)
}

/// How a mobile phone number fails the rules.
#[derive(Debug, PartialEq)]
pub enum PhoneProblem {
    /// No leading `+`.
    NoPrefix,
    /// `+` present but not an E.164 number.
    Invalid,
}

/// Checks a mobile number: `+` then 8 to 15 digits (E.164); spaces are tolerated.
pub fn check_phone(phone: &str) -> Result<(), PhoneProblem> {
    let compact: String = phone.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(digits) = compact.strip_prefix('+') else {
        return Err(PhoneProblem::NoPrefix);
    };
    let ok = (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(())
    } else {
        Err(PhoneProblem::Invalid)
    }
}

/// A plausible email address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Whether `value` is non-empty standard base64.
pub fn is_base64(value: &str) -> bool {
    !value.is_empty()
        && base64::engine::general_purpose::STANDARD
            .decode(value)
            .is_ok()
}

/// Parses a form boolean (`true`/`false`, `1`/`0`, `yes`/`no`, case-insensitive).
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_rules() {
        assert_eq!(check_phone("+34999999999"), Ok(()));
        assert_eq!(check_phone("+34 600 123 123"), Ok(()));
        assert_eq!(check_phone("34999999999"), Err(PhoneProblem::NoPrefix));
        assert_eq!(check_phone("+34abc"), Err(PhoneProblem::Invalid));
        assert_eq!(check_phone("+123"), Err(PhoneProblem::Invalid));
    }

    #[test]
    fn email_and_country_rules() {
        assert!(is_email("john_smithlop@uanataca.com"));
        assert!(!is_email("john@"));
        assert!(!is_email("john@localhost"));
        assert!(!is_email("jo hn@example.com"));
        assert!(is_country("ES") && is_country("PL") && !is_country("ESX") && !is_country("XX"));
        assert!(is_base64("cHJhY3RpY2U=") && !is_base64("not base64!"));
    }
}
