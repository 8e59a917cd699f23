//! Administrators add dated parameter rows when a decree changes a figure (issue 4 item 1).
//! Existing rows are never edited or deleted: they are the evidence for every figure computed
//! from them. A new row takes effect from its date on the next request, since every rule reads
//! the parameters from the database ([`super::Policy::load`]); nothing is cached.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use super::{Parameter, Policy};
use crate::audit::{self, Actor};
use crate::db::DbConn;
use crate::db::schema::policy_parameters;
use crate::error::{AppError, FieldCode, FieldError};
use crate::web::i18n::Lang;

/// How a parameter's value is stored and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Whole đồng.
    Vnd,
    /// Basis points (1% = 100), typed and shown as a percentage.
    BasisPoints,
    /// A whole number of times another figure (the SI ceiling is 20 × base salary).
    Multiple,
    /// A number of months (retirement ages, the cap on supported months).
    Months,
}

impl Unit {
    pub const ALL: [Unit; 4] = [Unit::Vnd, Unit::BasisPoints, Unit::Multiple, Unit::Months];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vnd => "vnd",
            Self::BasisPoints => "basis_points",
            Self::Multiple => "multiple",
            Self::Months => "months",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|unit| unit.as_str() == raw.trim())
    }

    /// The value as people read it: `2.800.000 ₫`, `4,5%`, `× 20`.
    pub fn format(self, value: i64, lang: Lang) -> String {
        match self {
            Self::Vnd => match lang {
                Lang::Vi => format!("{} ₫", lang.group_digits(value)),
                Lang::En => format!("{} VND", lang.group_digits(value)),
            },
            Self::BasisPoints => {
                let sign = if value < 0 { "-" } else { "" };
                let (whole, cents) = (value.abs() / 100, value.abs() % 100);
                let decimal = match lang {
                    Lang::Vi => ',',
                    Lang::En => '.',
                };
                match cents {
                    0 => format!("{sign}{whole}%"),
                    c if c % 10 == 0 => format!("{sign}{whole}{decimal}{}%", c / 10),
                    c => format!("{sign}{whole}{decimal}{c:02}%"),
                }
            }
            Self::Multiple => format!("× {value}"),
            Self::Months => match lang {
                Lang::Vi => format!("{value} tháng"),
                Lang::En => format!("{value} months"),
            },
        }
    }

    /// The value typed in a form, in this unit: đồng with or without thousands separators, a
    /// percentage with at most two decimals, or a whole multiple.
    fn parse_value(self, raw: &str) -> Result<i64, Problem> {
        let text = raw.trim().trim_end_matches(['₫', '%']).trim();
        if text.is_empty() {
            return Err(Problem::Required);
        }
        if text.starts_with(['-', '−']) {
            return Err(Problem::Negative);
        }
        match self {
            Self::Vnd => whole_with_separators(text).ok_or(Problem::ValueFormat),
            Self::Multiple | Self::Months => digits(text).ok_or(Problem::ValueFormat),
            Self::BasisPoints => {
                let (whole, fraction) = text.split_once(['.', ',']).unwrap_or((text, ""));
                if fraction.len() > 2 || (fraction.is_empty() && text.len() != whole.len()) {
                    return Err(Problem::ValueFormat);
                }
                let whole = digits(whole).ok_or(Problem::ValueFormat)?;
                let fraction = match fraction {
                    "" => 0,
                    f => digits(f).ok_or(Problem::ValueFormat)? * if f.len() == 1 { 10 } else { 1 },
                };
                let basis_points = whole
                    .checked_mul(100)
                    .and_then(|bp| bp.checked_add(fraction))
                    .ok_or(Problem::ValueFormat)?;
                // Rates and shares are parts of a whole: over 100% is a typing slip.
                if basis_points > 10_000 {
                    return Err(Problem::PercentTooHigh);
                }
                Ok(basis_points)
            }
        }
    }
}

/// Only ASCII digits, as a number.
fn digits(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `2800000`, `2.800.000`, `2,800,000` or `2 800 000`: every group after the first has three
/// digits, so a decimal point (`2800000.50`) is refused rather than read as more đồng.
fn whole_with_separators(text: &str) -> Option<i64> {
    let groups: Vec<&str> = text.split(['.', ',', ' ']).collect();
    let (first, rest) = groups.split_first()?;
    let grouped_ok =
        rest.is_empty() || ((1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3));
    if !grouped_ok {
        return None;
    }
    digits(&groups.concat())
}

/// Why a field of a new row is refused; each has a message `policy_admin.error.<key>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Required,
    NameFormat,
    DateFormat,
    ValueFormat,
    Negative,
    PercentTooHigh,
    TooLong,
    UnknownUnit,
    UnknownStatus,
    /// The name already has rows in another unit.
    UnitDiffers,
    /// The name already has a row from that date.
    AlreadyExists,
}

impl Refusal {
    /// The key of the message shown for this refusal: a missing field is named, so the error
    /// summary reads on its own.
    pub fn message_key(self) -> &'static str {
        match (self.problem, self.field) {
            (Problem::Required, "name") => "policy_admin.error.required_name",
            (Problem::Required, "effective_from") => "policy_admin.error.required_effective_from",
            (Problem::Required, "value") => "policy_admin.error.required_value",
            (Problem::Required, _) => "policy_admin.error.required_legal_basis",
            (problem, _) => problem.message_key(),
        }
    }
}

impl Problem {
    fn message_key(self) -> &'static str {
        match self {
            Self::Required => "policy_admin.error.required_value",
            Self::NameFormat => "policy_admin.error.name_format",
            Self::DateFormat => "policy_admin.error.date_format",
            Self::ValueFormat => "policy_admin.error.value_format",
            Self::Negative => "policy_admin.error.negative",
            Self::PercentTooHigh => "policy_admin.error.percent_too_high",
            Self::TooLong => "policy_admin.error.too_long",
            Self::UnknownUnit => "policy_admin.error.unknown_unit",
            Self::UnknownStatus => "policy_admin.error.unknown_status",
            Self::UnitDiffers => "policy_admin.error.unit_differs",
            Self::AlreadyExists => "policy_admin.error.already_exists",
        }
    }
}

/// One refused field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub problem: Problem,
}

fn refuse(field: &'static str, problem: Problem) -> Refusal {
    Refusal { field, problem }
}

/// A new row as typed in the form.
#[derive(Clone, Copy, Debug)]
pub struct RawParameter<'a> {
    pub name: &'a str,
    pub effective_from: &'a str,
    pub value: &'a str,
    pub unit: &'a str,
    pub legal_basis: &'a str,
    pub status: &'a str,
}

/// DOMAIN.md §0's confidence tags.
pub const STATUSES: [&str; 4] = ["VL", "V3", "V1", "M"];

const LEGAL_BASIS_MAX: usize = 300;

/// Parameter names are snake_case identifiers, as rules ask for them.
fn name_ok(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && name.len() <= 64
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `2027-07-01` (what a date field sends) or `01/07/2027` (how dates are written here).
fn parse_date(raw: &str) -> Result<NaiveDate, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::Required);
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .map_err(|_| Problem::DateFormat)?;
    let year = chrono::Datelike::year(&date);
    if (1990..=2100).contains(&year) {
        Ok(date)
    } else {
        Err(Problem::DateFormat)
    }
}

/// Checks each field on its own; every fault is reported at once.
pub fn parse(raw: &RawParameter<'_>) -> Result<Parameter, Vec<Refusal>> {
    let mut refusals = Vec::new();
    let name = raw.name.trim();
    if name.is_empty() {
        refusals.push(refuse("name", Problem::Required));
    } else if !name_ok(name) {
        refusals.push(refuse("name", Problem::NameFormat));
    }
    let effective_from = parse_date(raw.effective_from)
        .map_err(|problem| refusals.push(refuse("effective_from", problem)))
        .ok();
    let unit = Unit::parse(raw.unit);
    if unit.is_none() {
        refusals.push(refuse("unit", Problem::UnknownUnit));
    }
    let value = match unit {
        Some(unit) => unit
            .parse_value(raw.value)
            .map_err(|problem| refusals.push(refuse("value", problem)))
            .ok(),
        None => None,
    };
    let legal_basis = raw.legal_basis.trim();
    if legal_basis.is_empty() {
        refusals.push(refuse("legal_basis", Problem::Required));
    } else if legal_basis.chars().count() > LEGAL_BASIS_MAX {
        refusals.push(refuse("legal_basis", Problem::TooLong));
    }
    let status = raw.status.trim();
    if !STATUSES.contains(&status) {
        refusals.push(refuse("status", Problem::UnknownStatus));
    }
    match (effective_from, unit, value) {
        (Some(effective_from), Some(unit), Some(value)) if refusals.is_empty() => Ok(Parameter {
            name: name.to_owned(),
            effective_from,
            value,
            unit: unit.as_str().to_owned(),
            legal_basis: legal_basis.to_owned(),
            status: status.to_owned(),
        }),
        _ => Err(refusals),
    }
}

/// Checks `new` against the rows already there: the same unit as the name's other rows, and no
/// second row from the same day.
pub fn check_against(new: &Parameter, policy: &Policy) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let same_name = policy.rows().iter().filter(|row| row.name == new.name);
    for row in same_name {
        if row.effective_from == new.effective_from {
            refusals.push(refuse("effective_from", Problem::AlreadyExists));
        }
        if row.unit != new.unit && !refusals.iter().any(|r| r.field == "unit") {
            refusals.push(refuse("unit", Problem::UnitDiffers));
        }
    }
    refusals
}

/// The audit subject of a row: `policy_parameter:base_salary@2027-07-01`.
pub fn subject(row: &Parameter) -> String {
    format!("policy_parameter:{}@{}", row.name, row.effective_from)
}

/// Adds `new` and its audit event in the caller's transaction; `Ok(Err(_))` when the existing
/// rows refuse it (nothing written).
pub fn add(
    conn: &mut DbConn,
    new: &Parameter,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<Result<(), Vec<Refusal>>, AppError> {
    let policy = Policy::load(conn)?;
    let refusals = check_against(new, &policy);
    if !refusals.is_empty() {
        return Ok(Err(refusals));
    }
    diesel::insert_into(policy_parameters::table)
        .values(new)
        .execute(conn)
        .map_err(|error| {
            // Another administrator added the same row a moment ago.
            if crate::db::is_unique_violation(&error) {
                AppError::Invalid(vec![FieldError::new(
                    "effective_from",
                    FieldCode::AlreadyTaken,
                )])
            } else {
                error.into()
            }
        })?;
    let detail = serde_json::json!({
        "name": new.name,
        "effective_from": new.effective_from,
        "value": new.value,
        "unit": new.unit,
        "legal_basis": new.legal_basis,
        "status": new.status,
    });
    audit::record(
        conn,
        at,
        &actor.event("policy_parameter.add", subject(new), detail),
    )?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw<'a>(name: &'a str, from: &'a str, value: &'a str, unit: &'a str) -> RawParameter<'a> {
        RawParameter {
            name,
            effective_from: from,
            value,
            unit,
            legal_basis: "Decree 999/2027/NĐ-CP",
            status: "V3",
        }
    }

    fn problems(result: Result<Parameter, Vec<Refusal>>) -> Vec<(&'static str, Problem)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.field, r.problem))
            .collect()
    }

    #[test]
    fn dong_amounts_take_thousands_separators_but_not_decimals() {
        for typed in [
            "2800000",
            "2.800.000",
            "2,800,000",
            "2 800 000",
            " 2.800.000 ₫",
        ] {
            let row = parse(&raw("base_salary", "2027-07-01", typed, "vnd")).unwrap();
            assert_eq!(row.value, 2_800_000, "{typed}");
        }
        for typed in ["2800000.50", "2.80.000", "abc", "2,8"] {
            assert_eq!(
                problems(parse(&raw("base_salary", "2027-07-01", typed, "vnd"))),
                [("value", Problem::ValueFormat)],
                "{typed}"
            );
        }
    }

    #[test]
    fn percentages_become_basis_points() {
        let bp = |typed: &str| {
            parse(&raw(
                "household_hi_rate",
                "2027-01-01",
                typed,
                "basis_points",
            ))
        };
        assert_eq!(bp("4.5").unwrap().value, 450);
        assert_eq!(bp("4,5%").unwrap().value, 450);
        assert_eq!(bp("22").unwrap().value, 2_200);
        assert_eq!(bp("0.03").unwrap().value, 3);
        assert_eq!(bp("100").unwrap().value, 10_000);
        assert_eq!(problems(bp("0.035")), [("value", Problem::ValueFormat)]);
        assert_eq!(problems(bp("100.01")), [("value", Problem::PercentTooHigh)]);
        assert_eq!(problems(bp("4.")), [("value", Problem::ValueFormat)]);
    }

    #[test]
    fn negative_values_missing_basis_and_unknown_tags_are_refused_together() {
        let mut typed = raw("base_salary", "2027-07-01", "-1", "vnd");
        typed.legal_basis = "  ";
        typed.status = "X";
        assert_eq!(
            problems(parse(&typed)),
            [
                ("value", Problem::Negative),
                ("legal_basis", Problem::Required),
                ("status", Problem::UnknownStatus)
            ]
        );
    }

    #[test]
    fn names_are_snake_case_and_dates_are_real() {
        assert_eq!(
            problems(parse(&raw("Base Salary", "2027-07-01", "1", "vnd"))),
            [("name", Problem::NameFormat)]
        );
        assert_eq!(
            problems(parse(&raw("base_salary", "2027-02-30", "1", "vnd"))),
            [("effective_from", Problem::DateFormat)]
        );
        let typed_dmy = parse(&raw("base_salary", "01/07/2027", "1", "vnd")).unwrap();
        assert_eq!(typed_dmy.effective_from.to_string(), "2027-07-01");
        assert_eq!(
            problems(parse(&raw("x", "2027-07-01", "1", "kg"))),
            [("unit", Problem::UnknownUnit)]
        );
    }

    #[test]
    fn a_new_row_must_keep_the_names_unit_and_take_a_new_date() {
        let policy = super::super::shipped();
        let ok = parse(&raw("base_salary", "2027-07-01", "2800000", "vnd")).unwrap();
        assert_eq!(check_against(&ok, &policy), []);
        let same_day = parse(&raw("base_salary", "2026-07-01", "2800000", "vnd")).unwrap();
        assert_eq!(
            check_against(&same_day, &policy),
            [refuse("effective_from", Problem::AlreadyExists)]
        );
        let other_unit = parse(&raw("base_salary", "2027-07-01", "5", "multiple")).unwrap();
        assert_eq!(
            check_against(&other_unit, &policy),
            [refuse("unit", Problem::UnitDiffers)]
        );
        let new_name = parse(&raw(
            "funeral_allowance_multiple",
            "2027-01-01",
            "10",
            "multiple",
        ));
        assert_eq!(check_against(&new_name.unwrap(), &policy), []);
    }

    #[test]
    fn values_are_shown_in_their_unit() {
        assert_eq!(Unit::Vnd.format(2_800_000, Lang::Vi), "2.800.000 ₫");
        assert_eq!(Unit::Vnd.format(2_800_000, Lang::En), "2,800,000 VND");
        assert_eq!(Unit::BasisPoints.format(450, Lang::Vi), "4,5%");
        assert_eq!(Unit::BasisPoints.format(2_200, Lang::En), "22%");
        assert_eq!(Unit::BasisPoints.format(3, Lang::En), "0.03%");
        assert_eq!(Unit::Multiple.format(20, Lang::En), "× 20");
        assert_eq!(Unit::Months.format(744, Lang::Vi), "744 tháng");
    }
}
