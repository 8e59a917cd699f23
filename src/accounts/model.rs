//! Parsed account facts. Raw strings from forms and JSON stop here: everything past this module
//! holds a value that is known to be well formed.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};

use crate::error::{AppError, FieldCode, FieldError};

/// A 12-digit personal identification number (căn cước / CCCD): `PPP G YY RRRRRR`
/// (DOMAIN.md §2.1–2.2). The province prefix is not checked: the province list is unverified
/// (status M), numbers of people born abroad carry a country code, and old prefixes stay valid
/// after the 2025 merger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonalId(String);

impl PersonalId {
    pub fn parse(raw: &str) -> Result<Self, FieldCode> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(FieldCode::PersonalIdFormat)
        }
    }

    /// The birth year the number encodes: the 4th digit gives the century (0/1 → 1900s,
    /// 2/3 → 2000s, …; even = male, odd = female), the 5th and 6th the last two digits.
    pub fn birth_year(&self) -> i32 {
        let digit = |i: usize| i32::from(self.0.as_bytes()[i] - b'0');
        1900 + (digit(3) / 2) * 100 + digit(4) * 10 + digit(5)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Shown to the owner: enough to recognise it, not enough to reuse it.
    pub fn masked(raw: &str) -> String {
        let tail = raw.get(raw.len().saturating_sub(4)..).unwrap_or_default();
        format!("••••••••{tail}")
    }
}

/// An email address, trimmed and lower-cased (addresses are compared case-insensitively).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, FieldCode> {
        let email = raw.trim().to_lowercase();
        let (local, domain) = email.split_once('@').ok_or(FieldCode::EmailFormat)?;
        let well_formed = !local.is_empty()
            && local.len() <= 64
            && email.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed {
            Ok(Self(email))
        } else {
            Err(FieldCode::EmailFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

/// A Vietnamese mobile number, stored as `0` + 9 digits. Accepts `+84`/`84` and separators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MobilePhone(String);

impl MobilePhone {
    pub fn parse(raw: &str) -> Result<Self, FieldCode> {
        let compact: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        let national = if let Some(rest) = compact.strip_prefix("+84") {
            format!("0{rest}")
        } else if compact.len() == 11 && compact.starts_with("84") {
            format!("0{}", &compact[2..])
        } else {
            compact
        };
        // Mobile prefixes since the 2018 renumbering: 03x, 05x, 07x, 08x, 09x.
        let valid = national.len() == 10
            && national.bytes().all(|b| b.is_ascii_digit())
            && national.starts_with('0')
            && matches!(national.as_bytes()[1], b'3' | b'5' | b'7' | b'8' | b'9');
        if valid {
            Ok(Self(national))
        } else {
            Err(FieldCode::PhoneFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's full name as written on their ID card: 1–100 characters, spaces collapsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FullName(String);

impl FullName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, FieldCode> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            Err(FieldCode::Required)
        } else if name.chars().count() > Self::MAX_CHARS {
            Err(FieldCode::TooLong)
        } else if name.chars().any(char::is_control) {
            Err(FieldCode::InvalidFormat)
        } else {
            Ok(Self(name))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A date of birth: ISO `YYYY-MM-DD`, not in the future, not before 1900.
pub fn parse_birth_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldCode> {
    let date =
        NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| FieldCode::DateFormat)?;
    if date > today {
        Err(FieldCode::DateInFuture)
    } else if date.year() < 1900 {
        Err(FieldCode::DateTooOld)
    } else {
        Ok(date)
    }
}

/// A new password: 8–128 characters, anything allowed (spaces, Unicode), never trimmed or
/// case-folded, not one of the common passwords we ship, not built from the person's own details.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str, context: &[&str]) -> Result<Self, FieldCode> {
        let length = raw.chars().count();
        if length < Self::MIN_CHARS {
            return Err(FieldCode::PasswordTooShort);
        }
        if length > Self::MAX_CHARS {
            return Err(FieldCode::PasswordTooLong);
        }
        let lower = raw.to_lowercase();
        if COMMON_PASSWORDS.contains(lower.as_str()) {
            return Err(FieldCode::PasswordTooCommon);
        }
        let letters = |s: &str| -> String {
            s.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect()
        };
        let core = letters(raw);
        let core_without_digits: String = core.chars().filter(|c| !c.is_ascii_digit()).collect();
        let personal = context
            .iter()
            .map(|word| letters(word))
            .filter(|word| word.chars().count() >= 4)
            .any(|word| core == word || core_without_digits == word || lower.contains(&word));
        if personal || CONTEXT_WORDS.contains(&core_without_digits.as_str()) {
            return Err(FieldCode::PasswordContainsPersonalData);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Words a guesser tries first on this site (SECURITY.md AUTH-02).
const CONTEXT_WORDS: &[&str] = &[
    "ansinh",
    "baohiem",
    "baohiemxahoi",
    "baohiemyte",
    "bhxh",
    "bhyt",
    "vss",
    "insurance",
    "socialinsurance",
    "password",
    "matkhau",
];

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common_passwords.txt").lines().collect());

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountKind {
    Citizen,
    Staff,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::Staff => "staff",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "citizen" => Some(Self::Citizen),
            "staff" => Some(Self::Staff),
            _ => None,
        }
    }
}

/// What a staff member may do; the staff area (issue 7) grows the permissions of each.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Clerk,
    Approver,
    ContentEditor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clerk => "clerk",
            Self::Approver => "approver",
            Self::ContentEditor => "content_editor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Clerk,
            Self::Approver,
            Self::ContentEditor,
            Self::Admin,
        ]
        .into_iter()
        .find(|role| role.as_str() == raw)
    }
}

/// A citizen's registration, every field checked; all faults are reported at once.
pub struct Registration {
    pub personal_id: PersonalId,
    pub full_name: FullName,
    pub birth_date: NaiveDate,
    pub email: EmailAddress,
    pub phone: MobilePhone,
    pub password: NewPassword,
}

/// The registration fields as received (JSON or form).
pub struct RegistrationInput<'a> {
    pub personal_id: &'a str,
    pub full_name: &'a str,
    pub birth_date: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub password: &'a str,
}

impl Registration {
    pub fn parse(input: RegistrationInput<'_>, today: NaiveDate) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        let mut check = |field: &str, result: Result<(), FieldCode>| {
            if let Err(code) = result {
                errors.push(FieldError::new(field, code));
            }
        };
        let personal_id = PersonalId::parse(input.personal_id);
        let full_name = FullName::parse(input.full_name);
        let birth_date = parse_birth_date(input.birth_date, today);
        let email = EmailAddress::parse(input.email);
        let phone = MobilePhone::parse(input.phone);
        let context: Vec<&str> = [
            input.personal_id,
            input.full_name,
            input.phone,
            email
                .as_ref()
                .map(EmailAddress::local_part)
                .unwrap_or_default(),
        ]
        .into_iter()
        .collect();
        let password = NewPassword::parse(input.password, &context);
        check(
            "personal_id",
            personal_id.as_ref().map(|_| ()).map_err(|c| *c),
        );
        if let (Ok(id), Ok(date)) = (&personal_id, &birth_date)
            && id.birth_year() != date.year()
        {
            check("personal_id", Err(FieldCode::PersonalIdBirthYear));
        }
        check("full_name", full_name.as_ref().map(|_| ()).map_err(|c| *c));
        check(
            "birth_date",
            birth_date.as_ref().map(|_| ()).map_err(|c| *c),
        );
        check("email", email.as_ref().map(|_| ()).map_err(|c| *c));
        check("phone", phone.as_ref().map(|_| ()).map_err(|c| *c));
        check("password", password.as_ref().map(|_| ()).map_err(|c| *c));
        match (personal_id, full_name, birth_date, email, phone, password) {
            (
                Ok(personal_id),
                Ok(full_name),
                Ok(birth_date),
                Ok(email),
                Ok(phone),
                Ok(password),
            ) if errors.is_empty() => Ok(Self {
                personal_id,
                full_name,
                birth_date,
                email,
                phone,
                password,
            }),
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn personal_id_encodes_century_and_year() {
        let male_1990 = PersonalId::parse("001090123456").map(|id| id.birth_year());
        let female_2003 = PersonalId::parse("079303000001").map(|id| id.birth_year());
        assert_eq!((male_1990, female_2003), (Ok(1990), Ok(2003)));
    }

    #[test]
    fn personal_id_must_be_twelve_digits() {
        for bad in [
            "",
            "00109012345",
            "0010901234567",
            "00109012345a",
            "٠٠١٠٩٠١٢٣٤٥٦",
        ] {
            assert_eq!(
                PersonalId::parse(bad),
                Err(FieldCode::PersonalIdFormat),
                "{bad}"
            );
        }
        assert!(PersonalId::parse(" 001 090 123 456 ").is_ok());
    }

    #[test]
    fn mobile_numbers_are_normalised_to_ten_digits() {
        for ok in [
            "0912345678",
            "+84 912 345 678",
            "84912345678",
            "091.234.5678",
            "0387654321",
        ] {
            assert_eq!(MobilePhone::parse(ok).map(|p| p.0.len()), Ok(10), "{ok}");
        }
        for bad in [
            "0212345678",
            "091234567",
            "09123456789",
            "phone",
            "+1 912 345 678",
        ] {
            assert_eq!(
                MobilePhone::parse(bad),
                Err(FieldCode::PhoneFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn email_addresses_are_lower_cased_and_checked() {
        assert_eq!(
            EmailAddress::parse(" Lan.Nguyen@Example.VN ").map(|e| e.0),
            Ok("lan.nguyen@example.vn".into())
        );
        for bad in [
            "",
            "no-at.example",
            "a@b",
            "a b@example.com",
            "@example.com",
            "a@example.com.",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(FieldCode::EmailFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_need_eight_to_128_characters_and_no_composition_rules() {
        assert_eq!(
            NewPassword::parse("short77", &[]).err(),
            Some(FieldCode::PasswordTooShort)
        );
        assert!(NewPassword::parse("mây trắng bay", &[]).is_ok());
        assert!(NewPassword::parse(&("x".repeat(60) + "ý"), &[]).is_ok());
        assert_eq!(
            NewPassword::parse(&"y".repeat(129), &[]).err(),
            Some(FieldCode::PasswordTooLong)
        );
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        for common in [
            "password1",
            "12345678",
            "iloveyou",
            "matkhau123",
            "PASSWORD1",
        ] {
            assert_eq!(
                NewPassword::parse(common, &[]).err(),
                Some(FieldCode::PasswordTooCommon),
                "{common}"
            );
        }
        assert_eq!(
            NewPassword::parse("lan.nguyen99", &["lannguyen"]).err(),
            Some(FieldCode::PasswordContainsPersonalData)
        );
        assert_eq!(
            NewPassword::parse("Baohiem2027!", &[]).err(),
            Some(FieldCode::PasswordContainsPersonalData)
        );
    }

    #[test]
    fn the_blocklist_ships_thousands_of_entries() {
        assert!(COMMON_PASSWORDS.len() >= 3000);
    }

    #[test]
    fn registration_reports_every_fault_at_once() {
        let input = RegistrationInput {
            personal_id: "001095123456",
            full_name: " ",
            birth_date: "1990-02-30",
            email: "nope",
            phone: "123",
            password: "short",
        };
        match Registration::parse(input, today()) {
            Err(AppError::Invalid(errors)) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(
                    fields,
                    ["full_name", "birth_date", "email", "phone", "password"]
                );
            }
            _ => panic!("expected field errors"),
        }
    }

    #[test]
    fn personal_id_must_match_the_birth_year() {
        let input = RegistrationInput {
            personal_id: "001095123456",
            full_name: "Nguyễn Thị Lan",
            birth_date: "1990-02-03",
            email: "lan@example.vn",
            phone: "0912345678",
            password: "mây trắng bay",
        };
        match Registration::parse(input, today()) {
            Err(AppError::Invalid(errors)) => {
                assert_eq!(
                    errors,
                    vec![FieldError::new(
                        "personal_id",
                        FieldCode::PersonalIdBirthYear
                    )]
                )
            }
            _ => panic!("expected a birth-year mismatch"),
        }
    }
}
