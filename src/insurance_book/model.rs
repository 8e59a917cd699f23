//! Domain types of the insurance book.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month, `YYYY-MM` on the wire; held as its first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(NaiveDate);

impl Month {
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
        (1900..=2200).contains(&date.year()).then_some(Self(date))
    }

    pub fn of(date: NaiveDate) -> Self {
        Self(date.with_day(1).unwrap_or(date))
    }

    pub fn first_day(self) -> NaiveDate {
        self.0
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().0.pred_opt().unwrap_or(self.0)
    }

    pub fn next(self) -> Self {
        self.plus(1)
    }

    pub fn plus(self, months: u32) -> Self {
        Self(
            self.0
                .checked_add_months(Months::new(months))
                .unwrap_or(self.0),
        )
    }

    pub fn minus(self, months: u32) -> Self {
        Self(
            self.0
                .checked_sub_months(Months::new(months))
                .unwrap_or(self.0),
        )
    }

    /// Whole months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        (later.0.year() - self.0.year()) * 12 + later.0.month() as i32 - self.0.month() as i32
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.0.year(), self.0.month())
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Month::parse(&text).ok_or_else(|| serde::de::Error::custom("expected a month as YYYY-MM"))
    }
}

impl utoipa::PartialSchema for Month {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^[0-9]{4}-(0[1-9]|1[0-2])$"))
            .examples([serde_json::json!("2026-08")])
            .into()
    }
}

impl utoipa::ToSchema for Month {}

/// A social-insurance code: 10 digits, opaque (DOMAIN.md §2.1).
pub fn is_si_code(text: &str) -> bool {
    text.len() == 10 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_print_and_step() {
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(m.to_string(), "2026-12");
        assert_eq!(m.next().to_string(), "2027-01");
        assert_eq!(m.last_day().to_string(), "2026-12-31");
        assert_eq!(
            Month::parse("2026-02").unwrap().last_day().to_string(),
            "2026-02-28"
        );
        assert_eq!(m.minus(12).to_string(), "2025-12");
        assert_eq!(Month::parse("2025-01").unwrap().months_until(m), 23);
        for bad in [
            "2026-13", "2026-00", "2026-1", "26-01", "2026/01", "", "abcd-ef",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }
}
