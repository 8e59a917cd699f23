//! A payout account as the citizen gives it, parsed at the edge: a bank on the list, an account
//! number of digits, and a holder name that is the citizen's own.

use super::banks::{self, Bank};
use crate::error::{AppError, FieldCode, FieldError};

/// A bank account number: 6 to 19 digits. Its `Debug` shows only the masked form, so it cannot
/// reach a log by accident (SECURITY.md LOG-02).
#[derive(Clone, PartialEq, Eq)]
pub struct AccountNumber(String);

impl AccountNumber {
    /// Digits as printed on a card or in a banking app; the spaces and hyphens people type
    /// between groups are dropped.
    pub fn parse(raw: &str) -> Result<Self, FieldCode> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.is_empty() {
            return Err(FieldCode::Required);
        }
        let ok = (6..=19).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Self(digits))
        } else {
            Err(FieldCode::AccountNumberFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last four digits behind dots, `•••• 6789` (SECURITY.md DP-02).
    pub fn masked(&self) -> String {
        let last4 = &self.0[self.0.len().saturating_sub(4)..];
        format!("•••• {last4}")
    }
}

impl std::fmt::Debug for AccountNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AccountNumber({})", self.masked())
    }
}

/// Whether the holder name on a bank account is the citizen's registered full name.
pub fn is_own_name(holder_name: &str, full_name: &str) -> bool {
    let holder = crate::text::fold(holder_name);
    !holder.is_empty() && holder == crate::text::fold(full_name)
}

/// The fields of a change as typed.
pub struct PayoutInput<'a> {
    pub bank: &'a str,
    pub account_number: &'a str,
    pub holder_name: &'a str,
}

/// A new payout account for the citizen named `full_name`.
pub struct PayoutChange {
    pub bank: &'static Bank,
    pub number: AccountNumber,
    /// As typed, with single spaces.
    pub holder_name: String,
}

const HOLDER_NAME_MAX: usize = 100;

impl PayoutChange {
    /// Every field at fault at once (422), the holder name checked against `full_name`.
    pub fn parse(input: &PayoutInput<'_>, full_name: &str) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        let bank = match input.bank.trim() {
            "" => Err(FieldCode::Required),
            bin => banks::by_bin(bin).ok_or(FieldCode::UnknownBank),
        };
        let number = AccountNumber::parse(input.account_number);
        let holder_name = input
            .holder_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let holder = if holder_name.is_empty() {
            Err(FieldCode::Required)
        } else if holder_name.chars().count() > HOLDER_NAME_MAX {
            Err(FieldCode::TooLong)
        } else if !is_own_name(&holder_name, full_name) {
            Err(FieldCode::HolderNameMismatch)
        } else {
            Ok(())
        };
        for (field, outcome) in [
            ("bank", bank.err()),
            ("account_number", number.as_ref().err().copied()),
            ("holder_name", holder.err()),
        ] {
            if let Some(code) = outcome {
                errors.push(FieldError::new(field, code));
            }
        }
        match (bank, number) {
            (Ok(bank), Ok(number)) if errors.is_empty() => Ok(Self {
                bank,
                number,
                holder_name,
            }),
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_marks_match_a_precomposed_name() {
        assert!(is_own_name(
            "Nguye\u{0302}\u{0303}n Va\u{0306}n O\u{031B}n",
            "NGUYỄN VĂN ƠN"
        ));
    }

    #[test]
    fn the_holder_must_be_the_citizen_not_a_relative_or_a_reordering() {
        assert!(is_own_name("NGUYEN VAN AN", "Nguyễn Văn An"));
        assert!(is_own_name("nguyễn văn an", "Nguyễn Văn An"));
        assert!(!is_own_name("NGUYEN THI AN", "Nguyễn Văn An"));
        assert!(!is_own_name("AN NGUYEN VAN", "Nguyễn Văn An"));
        assert!(!is_own_name("NGUYEN VAN", "Nguyễn Văn An"));
        assert!(!is_own_name("NGUYEN VANAN", "Nguyễn Văn An"));
        assert!(!is_own_name("", ""));
        assert!(!is_own_name("   ", "   "));
    }

    #[test]
    fn account_numbers_are_6_to_19_digits_and_typing_gaps_are_dropped() {
        assert_eq!(
            AccountNumber::parse("0071 0012-34567").unwrap().as_str(),
            "0071001234567"
        );
        assert!(AccountNumber::parse("123456").is_ok());
        assert!(AccountNumber::parse("1234567890123456789").is_ok());
        assert_eq!(AccountNumber::parse(""), Err(FieldCode::Required));
        assert_eq!(AccountNumber::parse(" - "), Err(FieldCode::Required));
        for bad in [
            "12345",
            "12345678901234567890",
            "VN12345678",
            "１２３４５６７",
            "12.345.678",
        ] {
            assert_eq!(
                AccountNumber::parse(bad),
                Err(FieldCode::AccountNumberFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_account_number_shows_only_its_last_four_digits() {
        let number = AccountNumber::parse("0071001234567").unwrap();
        assert_eq!(number.masked(), "•••• 4567");
        assert_eq!(format!("{number:?}"), "AccountNumber(•••• 4567)");
    }

    fn parse(bank: &str, number: &str, holder: &str) -> Result<PayoutChange, Vec<FieldError>> {
        let input = PayoutInput {
            bank,
            account_number: number,
            holder_name: holder,
        };
        PayoutChange::parse(&input, "Nguyễn Văn An").map_err(|error| match error {
            AppError::Invalid(errors) => errors,
            other => panic!("unexpected {other:?}"),
        })
    }

    #[test]
    fn a_change_names_every_field_at_fault() {
        let change = parse("970436", "0071001234567", "  NGUYEN  VAN AN ").unwrap();
        assert_eq!(
            (change.bank.name, change.holder_name.as_str()),
            ("Vietcombank", "NGUYEN VAN AN")
        );
        let errors = parse("970499", "12", "NGUYEN THI BINH").err().unwrap();
        assert_eq!(
            errors,
            vec![
                FieldError::new("bank", FieldCode::UnknownBank),
                FieldError::new("account_number", FieldCode::AccountNumberFormat),
                FieldError::new("holder_name", FieldCode::HolderNameMismatch),
            ]
        );
        let errors = parse("", "", "").err().unwrap();
        assert!(
            errors.iter().all(|e| e.code == FieldCode::Required),
            "{errors:?}"
        );
        assert_eq!(errors.len(), 3);
        let long = "A".repeat(101);
        assert_eq!(
            parse("970436", "0071001234567", &long).err().unwrap(),
            vec![FieldError::new("holder_name", FieldCode::TooLong)]
        );
    }
}
