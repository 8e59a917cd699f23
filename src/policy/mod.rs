//! Dated policy parameters: every figure a rule uses (base salary, regional minimum wages,
//! rates, ceilings) is a row with the day it takes effect and its legal basis. A rule asks for
//! the figures in force on the date of the event it is about — the contribution month, the
//! birth, the decision — never for "today": [`PolicyAt::on`].

pub mod admin;
pub mod pages;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::policy_parameters;
use crate::error::AppError;

/// One dated figure as stored.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = policy_parameters)]
pub struct Parameter {
    pub name: String,
    pub effective_from: NaiveDate,
    pub value: i64,
    pub unit: String,
    pub legal_basis: String,
    /// DOMAIN.md's confidence tag: VL, V3, V1 or M.
    pub status: String,
}

impl Parameter {
    /// The row as a result shows it.
    pub fn basis(&self) -> Basis {
        Basis {
            name: self.name.clone(),
            value: self.value,
            effective_from: self.effective_from,
            legal_basis: self.legal_basis.clone(),
        }
    }
}

/// All parameters, every version of each.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Sorted by name, then date.
    rows: Vec<Parameter>,
}

/// No row of `name` takes effect on or before `date`: the rules cannot price that date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no `{name}` parameter in force on {date}")]
pub struct NotInForce {
    pub name: &'static str,
    pub date: NaiveDate,
}

/// A figure as used: its value and where it comes from, so results can show their basis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Basis {
    pub name: String,
    pub value: i64,
    #[schema(format = Date)]
    pub effective_from: NaiveDate,
    pub legal_basis: String,
}

/// Contribution rates in basis points (1% = 100).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rates {
    pub pension_employee: i64,
    pub pension_employer: i64,
    pub sickness_employer: i64,
    pub accident_employer: i64,
    pub unemployment_employee: i64,
    pub unemployment_employer: i64,
    pub health_employee: i64,
    pub health_employer: i64,
}

/// The figures in force on one date.
#[derive(Clone, Debug)]
pub struct PolicyAt {
    pub date: NaiveDate,
    /// Base salary (lương cơ sở), equal to the reference level (MTC) of the 2024 SI law.
    pub base_salary: i64,
    /// Regions I–IV.
    pub regional_minimum_wage: [i64; 4],
    pub rates: Rates,
    /// SI and HI salary ceiling = this × base salary.
    pub si_ceiling_multiple: i64,
    /// UI salary ceiling = this × the regional minimum wage.
    pub ui_ceiling_multiple: i64,
    /// Late-payment interest per day, basis points of the unpaid amount.
    pub late_interest_daily: i64,
    /// Every row used, for explanations.
    pub basis: Vec<Basis>,
}

impl Policy {
    pub fn new(mut rows: Vec<Parameter>) -> Self {
        rows.sort_by(|a, b| (&a.name, a.effective_from).cmp(&(&b.name, b.effective_from)));
        Self { rows }
    }

    pub fn load(conn: &mut DbConn) -> QueryResult<Self> {
        let rows = policy_parameters::table
            .select(Parameter::as_select())
            .load(conn)?;
        Ok(Self::new(rows))
    }

    /// Every row, sorted by name, then date.
    pub fn rows(&self) -> &[Parameter] {
        &self.rows
    }

    /// The row of `name` in force on `date`.
    pub fn row(&self, name: &'static str, date: NaiveDate) -> Result<&Parameter, NotInForce> {
        self.rows
            .iter()
            .rfind(|row| row.name == name && row.effective_from <= date)
            .ok_or(NotInForce { name, date })
    }

    /// Every day from which `name` has a new value, with that value (for rules that run over
    /// a span of days, like late-payment interest).
    pub fn history(&self, name: &str) -> Vec<(NaiveDate, i64)> {
        self.rows
            .iter()
            .filter(|row| row.name == name)
            .map(|row| (row.effective_from, row.value))
            .collect()
    }

    /// The figures in force on `date`.
    pub fn at(&self, date: NaiveDate) -> Result<PolicyAt, NotInForce> {
        let mut basis = Vec::new();
        let mut get = |name: &'static str| -> Result<i64, NotInForce> {
            let row = self.row(name, date)?;
            basis.push(row.basis());
            Ok(row.value)
        };
        Ok(PolicyAt {
            date,
            base_salary: get("base_salary")?,
            regional_minimum_wage: [
                get("regional_minimum_wage_1")?,
                get("regional_minimum_wage_2")?,
                get("regional_minimum_wage_3")?,
                get("regional_minimum_wage_4")?,
            ],
            rates: Rates {
                pension_employee: get("pension_employee_rate")?,
                pension_employer: get("pension_employer_rate")?,
                sickness_employer: get("sickness_employer_rate")?,
                accident_employer: get("accident_employer_rate")?,
                unemployment_employee: get("unemployment_employee_rate")?,
                unemployment_employer: get("unemployment_employer_rate")?,
                health_employee: get("health_employee_rate")?,
                health_employer: get("health_employer_rate")?,
            },
            si_ceiling_multiple: get("si_ceiling_multiple")?,
            ui_ceiling_multiple: get("ui_ceiling_multiple")?,
            late_interest_daily: get("late_interest_daily")?,
            basis,
        })
    }
}

impl PolicyAt {
    /// The figures in force on `date`, read from the database.
    pub fn on(conn: &mut DbConn, date: NaiveDate) -> Result<Result<Self, NotInForce>, AppError> {
        Ok(Policy::load(conn)?.at(date))
    }

    /// SI and HI salary ceiling.
    pub fn si_ceiling(&self) -> i64 {
        self.si_ceiling_multiple * self.base_salary
    }

    /// UI salary ceiling in `region` (1–4).
    pub fn ui_ceiling(&self, region: Region) -> i64 {
        self.ui_ceiling_multiple * self.minimum_wage(region)
    }

    pub fn minimum_wage(&self, region: Region) -> i64 {
        self.regional_minimum_wage[usize::from(region.0 - 1)]
    }
}

/// Minimum-wage region I–IV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region(u8);

impl Region {
    pub fn new(number: i32) -> Option<Self> {
        u8::try_from(number)
            .ok()
            .filter(|n| (1..=4).contains(n))
            .map(Self)
    }

    pub fn number(self) -> i32 {
        i32::from(self.0)
    }
}

/// The parameters the migrations ship, for unit tests of the rules: the figures under test are
/// exactly the ones the database gets.
#[cfg(test)]
pub fn shipped() -> Policy {
    const MIGRATIONS: &[&str] = &[
        include_str!("../../migrations/postgres/2026-11-24-000001_insurance_book/up.sql"),
        include_str!("../../migrations/postgres/2026-11-24-000002_voluntary_parameters/up.sql"),
        include_str!("../../migrations/postgres/2026-11-30-000002_retirement_parameters/up.sql"),
        include_str!("../../migrations/postgres/2026-11-30-000003_enrolments/up.sql"),
        include_str!("../../migrations/postgres/2026-11-30-000005_claim_parameters/up.sql"),
    ];
    let mut rows = Vec::new();
    for sql in MIGRATIONS {
        for line in sql.lines().map(str::trim).filter(|l| l.starts_with("('")) {
            // Split `('a', 'b, c', 3, …)` on the commas outside quotes.
            let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
            for c in line
                .trim_start_matches('(')
                .trim_end_matches([',', ';', ')'])
                .chars()
            {
                match c {
                    '\'' => quoted = !quoted,
                    ',' if !quoted => fields.push(std::mem::take(&mut field).trim().to_owned()),
                    c => field.push(c),
                }
            }
            fields.push(field.trim().to_owned());
            rows.push(Parameter {
                name: fields[0].clone(),
                effective_from: fields[1].parse().expect("a date"),
                value: fields[2].parse().expect("a number"),
                unit: fields[3].clone(),
                legal_basis: fields[4].clone(),
                status: fields[5].clone(),
            });
        }
    }
    Policy::new(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_parameters_parse() {
        let policy = shipped();
        let on = |d: &str| d.parse::<NaiveDate>().unwrap();
        assert_eq!(
            policy.row("base_salary", on("2026-07-01")).unwrap().value,
            2_530_000
        );
        assert_eq!(
            policy
                .row("voluntary_support_near_poor", on("2025-07-01"))
                .unwrap()
                .value,
            4_000
        );
        assert!(policy.at(on("2026-08-01")).is_ok());
        let rate = policy.row("voluntary_rate", on("2025-07-01")).unwrap();
        assert_eq!(rate.legal_basis, "Law 41/2024/QH15 Art. 32(2), 36(1)");
        assert_eq!(rate.status, "VL");
    }

    fn row(name: &str, from: &str, value: i64) -> Parameter {
        Parameter {
            name: name.into(),
            effective_from: from.parse().unwrap(),
            value,
            unit: "vnd".into(),
            legal_basis: format!("basis of {name} {from}"),
            status: "M".into(),
        }
    }

    #[test]
    fn the_row_in_force_is_the_latest_that_started_on_or_before_the_date() {
        let policy = Policy::new(vec![
            row("base_salary", "2026-07-01", 2_530_000),
            row("base_salary", "2024-07-01", 2_340_000),
        ]);
        let on = |d: &str| {
            policy
                .row("base_salary", d.parse().unwrap())
                .map(|r| r.value)
        };
        assert_eq!(on("2026-06-30"), Ok(2_340_000));
        assert_eq!(on("2026-07-01"), Ok(2_530_000));
        assert_eq!(on("2030-01-01"), Ok(2_530_000));
        assert_eq!(
            on("2024-06-30"),
            Err(NotInForce {
                name: "base_salary",
                date: "2024-06-30".parse().unwrap()
            })
        );
    }

    #[test]
    fn regions_are_one_to_four() {
        assert_eq!(Region::new(0), None);
        assert_eq!(Region::new(5), None);
        assert_eq!(Region::new(4).map(Region::number), Some(4));
    }
}
