//! Mobile numbers: `+`, country calling code, national number, checked with the
//! `phonenumber` crate (Google's libphonenumber metadata).

/// Removes the spaces, dots, dashes and brackets people type between digit groups.
pub(super) fn compact(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
        .collect()
}

/// `Err(code)` when the number cannot be sent: `customer.phone_prefix` when it lacks the `+`
/// and country code (the Optimizer refuses it), `customer.phone` when it is not a valid number.
pub(super) fn check(compact: &str) -> Result<(), &'static str> {
    let Some(digits) = compact.strip_prefix('+') else {
        return Err("customer.phone_prefix");
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("customer.phone");
    }
    // E.164 allows 15 digits; the Optimizer wants at least 8.
    if !(8..=15).contains(&digits.len()) {
        return Err("customer.phone");
    }
    match phonenumber::parse(None, compact) {
        Ok(number) if phonenumber::is_valid(&number) => Ok(()),
        Ok(_) | Err(_) => Err("customer.phone"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for good in [
            "+34612345678",
            "+447911123456",
            "+48512345678",
            "+393123456789",
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
        assert_eq!(check("612345678"), Err("customer.phone_prefix"));
        assert_eq!(check("0034612345678"), Err("customer.phone_prefix"));
        for bad in [
            "+",
            "+34",
            "+34abc",
            "+3461234567890123",
            "+99912345678",
            "+34012345678",
        ] {
            assert_eq!(check(bad), Err("customer.phone"), "{bad}");
        }
        assert_eq!(compact(" +34 (612) 34-56.78 "), "+34612345678");
    }
}
