//! Queries of people, employers and contribution months. Every citizen query starts from the
//! person linked to the signed-in account, so nobody reads anyone else's months.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::model::Month;
use super::rules::{BookMonth, Funds, Payer};
use crate::db::DbConn;
use crate::db::schema::{contribution_months, employers, people};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = people)]
pub struct Person {
    pub id: String,
    pub si_code: String,
    pub personal_id: Option<String>,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub sex: String,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = employers)]
pub struct Employer {
    pub id: String,
    pub unit_code: String,
    pub tax_code: String,
    pub name: String,
    pub province_code: String,
    pub region: i32,
}

/// The person a citizen account belongs to: the one with the account's personal ID.
pub fn person_by_personal_id(conn: &mut DbConn, personal_id: &str) -> QueryResult<Option<Person>> {
    people::table
        .filter(people::personal_id.eq(personal_id))
        .select(Person::as_select())
        .first(conn)
        .optional()
}

pub fn person_by_si_code(conn: &mut DbConn, si_code: &str) -> QueryResult<Option<Person>> {
    people::table
        .filter(people::si_code.eq(si_code))
        .select(Person::as_select())
        .first(conn)
        .optional()
}

pub fn employer_by_unit_code(conn: &mut DbConn, unit_code: &str) -> QueryResult<Option<Employer>> {
    employers::table
        .filter(employers::unit_code.eq(unit_code))
        .select(Employer::as_select())
        .first(conn)
        .optional()
}

pub fn employer(conn: &mut DbConn, id: &str) -> QueryResult<Option<Employer>> {
    employers::table
        .find(id)
        .select(Employer::as_select())
        .first(conn)
        .optional()
}

type MonthRow = (
    NaiveDate,
    Option<String>,
    Option<String>,
    i64,
    (i64, i64, i64, i64, i64, i64, i64, i64),
    i64,
    NaiveDate,
    Option<NaiveDate>,
);

/// A person's months in `[from, to]` (whole history when `None`), oldest first.
pub fn months_of(
    conn: &mut DbConn,
    person_id: &str,
    from: Option<Month>,
    to: Option<Month>,
) -> QueryResult<Vec<BookMonth>> {
    // Fixed bounds rather than a boxed query: the statement stays the same, so PostgreSQL
    // plans it once per connection (diesel's prepared-statement cache), not on every request.
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    let latest = NaiveDate::from_ymd_opt(2200, 12, 1).unwrap_or_default();
    let from = from.map_or(earliest, Month::first_day);
    let to = to.map_or(latest, Month::first_day);
    let query = contribution_months::table
        .left_join(employers::table)
        .filter(contribution_months::person_id.eq(person_id))
        .filter(contribution_months::month.between(from, to));
    let rows: Vec<MonthRow> = query
        .order((contribution_months::month, employers::unit_code))
        .select((
            contribution_months::month,
            employers::unit_code.nullable(),
            employers::name.nullable(),
            contribution_months::salary_basis,
            (
                contribution_months::pension_employee,
                contribution_months::pension_employer,
                contribution_months::sickness_employer,
                contribution_months::accident_employer,
                contribution_months::unemployment_employee,
                contribution_months::unemployment_employer,
                contribution_months::health_employee,
                contribution_months::health_employer,
            ),
            contribution_months::state_support,
            contribution_months::due_date,
            contribution_months::paid_on,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(month, unit_code, name, salary, f, support, due_date, paid_on)| BookMonth {
                month: Month::of(month),
                employer: unit_code
                    .zip(name)
                    .map(|(unit_code, name)| Payer { unit_code, name }),
                salary_basis: salary,
                funds: Funds {
                    pension_employee: f.0,
                    pension_employer: f.1,
                    sickness_employer: f.2,
                    accident_employer: f.3,
                    unemployment_employee: f.4,
                    unemployment_employer: f.5,
                    health_employee: f.6,
                    health_employer: f.7,
                },
                state_support: support,
                due_date,
                paid_on,
            },
        )
        .collect())
}
