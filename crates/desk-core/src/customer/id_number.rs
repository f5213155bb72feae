//! ID document numbers: sane characters and length for every kind, and the control letter of
//! Spanish DNI and NIE numbers (the check the Spanish police documents publish: the number
//! modulo 23 indexes "TRWAGMYFPDXBNJZSQVHLCKE").

const CONTROL_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// Upper case, without the spaces, dots and dashes people type.
pub(super) fn compact(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// `Err(code)`: `customer.id_number` for characters or lengths no ID document uses,
/// `customer.id_number_letter` for a Spanish DNI/NIE whose control letter does not match.
pub(super) fn check(
    number: &str,
    document_type: Option<&str>,
    country: Option<&str>,
) -> Result<(), &'static str> {
    if !(3..=30).contains(&number.len()) || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("customer.id_number");
    }
    if matches!(document_type, Some("IDC") | Some("PNO") | Some("TIN")) && country == Some("ES") {
        return check_spanish(number);
    }
    Ok(())
}

fn check_spanish(number: &str) -> Result<(), &'static str> {
    let bytes = number.as_bytes();
    if bytes.len() != 9 {
        return Err("customer.id_number");
    }
    // NIE: X, Y, Z stand for 0, 1, 2 before the seven digits.
    let (prefix, digits) = match bytes[0] {
        b'X' => ("0", &number[1..8]),
        b'Y' => ("1", &number[1..8]),
        b'Z' => ("2", &number[1..8]),
        b'0'..=b'9' => ("", &number[..8]),
        _ => return Err("customer.id_number"),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("customer.id_number");
    }
    let value: u32 = format!("{prefix}{digits}")
        .parse()
        .map_err(|_| "customer.id_number")?;
    let expected = CONTROL_LETTERS[(value % 23) as usize];
    match bytes[8] {
        letter if letter == expected => Ok(()),
        letter if letter.is_ascii_uppercase() => Err("customer.id_number_letter"),
        _ => Err("customer.id_number"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_dni_and_nie_letters() {
        let es = |n: &str| check(&compact(n), Some("IDC"), Some("ES"));
        assert_eq!(es("12345678Z"), Ok(()));
        assert_eq!(es("12.345.678-z"), Ok(()));
        assert_eq!(es("00000000T"), Ok(()));
        assert_eq!(es("X1234567L"), Ok(()));
        assert_eq!(es("Y1234567X"), Ok(()));
        assert_eq!(es("Z1234567R"), Ok(()));
        assert_eq!(es("12345678A"), Err("customer.id_number_letter"));
        assert_eq!(es("X1234567A"), Err("customer.id_number_letter"));
        assert_eq!(es("1234567Z"), Err("customer.id_number"));
        assert_eq!(es("A2345678Z"), Err("customer.id_number"));
    }

    #[test]
    fn other_documents_need_sane_characters_only() {
        assert_eq!(check("AB1234567", Some("PAS"), Some("ES")), Ok(()));
        assert_eq!(check("C01X00T47", Some("IDC"), Some("DE")), Ok(()));
        assert_eq!(
            check("AB", Some("PAS"), Some("IT")),
            Err("customer.id_number")
        );
        assert_eq!(
            check("AB/12", Some("PAS"), Some("IT")),
            Err("customer.id_number")
        );
    }
}
