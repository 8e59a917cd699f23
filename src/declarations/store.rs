//! Queries of declarations, the employer's monthly account and its payments.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{
    contribution_months, declarations, employer_months, employer_payments, employers,
    employment_periods, people,
};
use crate::insurance_book::model::Month;
use crate::insurance_book::rules::{self, Allocated, Funds};

#[derive(Insertable)]
#[diesel(table_name = contribution_months)]
pub struct NewMonth<'a> {
    pub id: String,
    pub person_id: &'a str,
    pub employer_id: Option<&'a str>,
    pub scheme: &'a str,
    pub month: NaiveDate,
    pub salary_basis: i64,
    pub pension_employee: i64,
    pub pension_employer: i64,
    pub sickness_employer: i64,
    pub accident_employer: i64,
    pub unemployment_employee: i64,
    pub unemployment_employer: i64,
    pub health_employee: i64,
    pub health_employer: i64,
    pub state_support: i64,
    pub declaration_id: Option<&'a str>,
    pub due_date: NaiveDate,
    pub paid_on: Option<NaiveDate>,
}

impl<'a> NewMonth<'a> {
    pub fn compulsory(
        person_id: &'a str,
        employer_id: &'a str,
        declaration_id: Option<&'a str>,
        month: Month,
        salary: i64,
        f: &Funds,
    ) -> Self {
        Self {
            id: uuid::Uuid::now_v7().to_string(),
            person_id,
            employer_id: Some(employer_id),
            scheme: "compulsory",
            month: month.first_day(),
            salary_basis: salary,
            pension_employee: f.pension_employee,
            pension_employer: f.pension_employer,
            sickness_employer: f.sickness_employer,
            accident_employer: f.accident_employer,
            unemployment_employee: f.unemployment_employee,
            unemployment_employer: f.unemployment_employer,
            health_employee: f.health_employee,
            health_employer: f.health_employer,
            state_support: 0,
            declaration_id,
            due_date: rules::due_date(month),
            paid_on: None,
        }
    }

    /// A paid voluntary month: all of the 22% (`gross`) goes to the pension and survivorship
    /// fund, the person paying it less the state's support, which is recorded beside it.
    pub fn voluntary(
        person_id: &'a str,
        month: NaiveDate,
        income: i64,
        gross: i64,
        state_support: i64,
        due_date: NaiveDate,
        paid_on: NaiveDate,
    ) -> Self {
        Self {
            id: uuid::Uuid::now_v7().to_string(),
            person_id,
            employer_id: None,
            scheme: "voluntary",
            month,
            salary_basis: income,
            pension_employee: gross - state_support,
            pension_employer: 0,
            sickness_employer: 0,
            accident_employer: 0,
            unemployment_employee: 0,
            unemployment_employer: 0,
            health_employee: 0,
            health_employer: 0,
            state_support,
            declaration_id: None,
            due_date,
            paid_on: Some(paid_on),
        }
    }
}

/// Serialises the declarations and payments of one employer: on PostgreSQL the row lock taken
/// by this no-op update holds until commit, so a concurrent payment waits and then sees this
/// one's rows (the allocation is computed from all of them); SQLite has one writer anyway.
pub fn lock_employer(conn: &mut DbConn, employer_id: &str) -> QueryResult<()> {
    diesel::update(employers::table.find(employer_id))
        .set(employers::region.eq(employers::region))
        .execute(conn)?;
    Ok(())
}

pub fn insert_months(conn: &mut DbConn, rows: &[NewMonth<'_>]) -> QueryResult<()> {
    // Multi-row INSERTs are not available through the MultiConnection enum, so each backend
    // runs its own. Chunks keep each statement under SQLite's bound-parameter limit.
    for chunk in rows.chunks(500) {
        let insert = diesel::insert_into(contribution_months::table).values(chunk);
        match conn {
            DbConn::Postgres(c) => insert.execute(c)?,
            DbConn::Sqlite(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// A person a declaration names.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = people)]
pub struct Named {
    pub id: String,
    pub si_code: String,
    pub personal_id: Option<String>,
    pub full_name: String,
}

/// The people named by any of the SI codes or personal IDs.
pub fn people_named(
    conn: &mut DbConn,
    si_codes: &[&str],
    personal_ids: &[&str],
) -> QueryResult<Vec<Named>> {
    people::table
        .filter(
            people::si_code
                .eq_any(si_codes)
                .or(people::personal_id.eq_any(personal_ids)),
        )
        .select(Named::as_select())
        .load(conn)
}

/// The latest version number of the employer's declaration for the month (0 when none).
pub fn latest_version(conn: &mut DbConn, employer_id: &str, month: Month) -> QueryResult<i32> {
    declarations::table
        .filter(declarations::employer_id.eq(employer_id))
        .filter(declarations::month.eq(month.first_day()))
        .select(diesel::dsl::max(declarations::version))
        .first::<Option<i32>>(conn)
        .map(Option::unwrap_or_default)
}

#[allow(clippy::too_many_arguments)]
pub fn insert_declaration(
    conn: &mut DbConn,
    id: &str,
    employer_id: &str,
    month: Month,
    version: i32,
    submitted_by: &str,
    lines: &str,
    totals: (i64, i64),
    now: Timestamp,
) -> QueryResult<()> {
    diesel::insert_into(declarations::table)
        .values((
            declarations::id.eq(id),
            declarations::employer_id.eq(employer_id),
            declarations::month.eq(month.first_day()),
            declarations::version.eq(version),
            declarations::submitted_by.eq(submitted_by),
            declarations::lines.eq(lines),
            declarations::total_employee.eq(totals.0),
            declarations::total_employer.eq(totals.1),
            declarations::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces the employer's months for `month` (a new declaration version supersedes the old
/// one; the old lines stay in `declarations`).
pub fn replace_months(
    conn: &mut DbConn,
    employer_id: &str,
    month: Month,
    rows: &[NewMonth<'_>],
    due: i64,
) -> QueryResult<()> {
    diesel::delete(
        contribution_months::table
            .filter(contribution_months::employer_id.eq(employer_id))
            .filter(contribution_months::month.eq(month.first_day())),
    )
    .execute(conn)?;
    insert_months(conn, rows)?;
    diesel::delete(employer_months::table.find((employer_id, month.first_day()))).execute(conn)?;
    diesel::insert_into(employer_months::table)
        .values((
            employer_months::employer_id.eq(employer_id),
            employer_months::month.eq(month.first_day()),
            employer_months::due.eq(due),
            employer_months::paid.eq(0),
            employer_months::due_date.eq(rules::due_date(month)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Opens an employment period for each person who has no open one with the employer.
pub fn ensure_employment(
    conn: &mut DbConn,
    employer_id: &str,
    person_ids: &[&str],
    month: Month,
) -> QueryResult<()> {
    let open: Vec<String> = employment_periods::table
        .filter(employment_periods::employer_id.eq(employer_id))
        .filter(employment_periods::person_id.eq_any(person_ids))
        .filter(employment_periods::to_month.is_null())
        .select(employment_periods::person_id)
        .load(conn)?;
    for person in person_ids.iter().filter(|p| !open.iter().any(|o| o == *p)) {
        diesel::insert_into(employment_periods::table)
            .values((
                employment_periods::id.eq(uuid::Uuid::now_v7().to_string()),
                employment_periods::person_id.eq(person),
                employment_periods::employer_id.eq(employer_id),
                employment_periods::from_month.eq(month.first_day()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_payment(
    conn: &mut DbConn,
    id: &str,
    employer_id: &str,
    amount: i64,
    paid_on: NaiveDate,
    reference: &str,
    now: Timestamp,
) -> QueryResult<()> {
    diesel::insert_into(employer_payments::table)
        .values((
            employer_payments::id.eq(id),
            employer_payments::employer_id.eq(employer_id),
            employer_payments::amount.eq(amount),
            employer_payments::paid_on.eq(paid_on),
            employer_payments::reference.eq(reference),
            employer_payments::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// One month of the employer's account.
#[derive(Clone, Debug, Queryable)]
pub struct AccountMonth {
    pub month: NaiveDate,
    pub due: i64,
    pub paid: i64,
    pub due_date: NaiveDate,
    pub paid_on: Option<NaiveDate>,
}

pub fn account(conn: &mut DbConn, employer_id: &str) -> QueryResult<Vec<AccountMonth>> {
    employer_months::table
        .filter(employer_months::employer_id.eq(employer_id))
        .order(employer_months::month)
        .select((
            employer_months::month,
            employer_months::due,
            employer_months::paid,
            employer_months::due_date,
            employer_months::paid_on,
        ))
        .load(conn)
}

pub fn payments(conn: &mut DbConn, employer_id: &str) -> QueryResult<Vec<(NaiveDate, i64)>> {
    employer_payments::table
        .filter(employer_payments::employer_id.eq(employer_id))
        .order((employer_payments::paid_on, employer_payments::created_at))
        .select((employer_payments::paid_on, employer_payments::amount))
        .load(conn)
}

/// Re-runs the oldest-first allocation of all the employer's payments over its months and
/// writes what changed (the account and the workers' months). Returns each month's
/// (month, paid before, paid after).
pub fn reallocate(conn: &mut DbConn, employer_id: &str) -> QueryResult<Vec<(NaiveDate, i64, i64)>> {
    let months = account(conn, employer_id)?;
    let payments = payments(conn, employer_id)?;
    let dues: Vec<(Month, i64)> = months.iter().map(|m| (Month::of(m.month), m.due)).collect();
    let allocated = rules::allocate(&dues, &payments);
    let mut changes = Vec::new();
    for (before, Allocated { paid, paid_on }) in months.iter().zip(allocated) {
        if before.paid == paid && before.paid_on == paid_on {
            continue;
        }
        diesel::update(employer_months::table.find((employer_id, before.month)))
            .set((
                employer_months::paid.eq(paid),
                employer_months::paid_on.eq(paid_on),
            ))
            .execute(conn)?;
        if before.paid_on != paid_on {
            diesel::update(
                contribution_months::table
                    .filter(contribution_months::employer_id.eq(employer_id))
                    .filter(contribution_months::month.eq(before.month)),
            )
            .set(contribution_months::paid_on.eq(paid_on))
            .execute(conn)?;
        }
        changes.push((before.month, before.paid, paid));
    }
    Ok(changes)
}
