//! Rows of registrations, their household members and instalments.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{
    contribution_months, enrolment_instalments, enrolment_members, enrolments, health_cards, people,
};

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = enrolments)]
#[diesel(treat_none_as_null = true)]
pub struct EnrolmentRow {
    pub id: String,
    pub account_id: String,
    pub kind: String,
    pub status: String,
    pub monthly_income: Option<i64>,
    pub support_group: Option<String>,
    pub evidence_id: Option<String>,
    pub payment_mode: String,
    pub start_month: NaiveDate,
    pub decision_reason: Option<String>,
    pub decided_by: Option<String>,
    pub submitted_at: Option<Timestamp>,
    pub decided_at: Option<Timestamp>,
    pub stopped_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Bumped by every change (optimistic concurrency, `web::concurrency`).
    pub version: i64,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = enrolment_members)]
pub struct MemberRow {
    pub enrolment_id: String,
    pub position: i32,
    pub personal_id: String,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub relationship: String,
    pub covered_by: Option<String>,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = enrolment_instalments)]
pub struct InstalmentRow {
    pub enrolment_id: String,
    pub seq: i32,
    pub first_month: NaiveDate,
    pub months: i32,
    pub monthly_income: i64,
    pub monthly_gross: i64,
    pub monthly_support: i64,
    pub supported_months: i32,
    pub amount: i64,
    pub due_date: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub reference: Option<String>,
    pub recorded_by: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &EnrolmentRow) -> QueryResult<()> {
    diesel::insert_into(enrolments::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Writes the row back as the next version.
pub fn save(conn: &mut DbConn, row: &EnrolmentRow) -> QueryResult<()> {
    let next = EnrolmentRow {
        version: row.version + 1,
        ..row.clone()
    };
    diesel::update(enrolments::table.find(&row.id))
        .set(&next)
        .execute(conn)
        .map(drop)
}

/// The row, locked for the rest of the transaction on PostgreSQL (a no-op write takes the row
/// lock on both backends), so two decisions or payments on it cannot interleave.
pub fn lock(conn: &mut DbConn, id: &str) -> QueryResult<Option<EnrolmentRow>> {
    let found = diesel::update(enrolments::table.find(id))
        .set(enrolments::id.eq(enrolments::id))
        .execute(conn)?;
    if found == 0 {
        return Ok(None);
    }
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<EnrolmentRow>> {
    enrolments::table
        .find(id)
        .select(EnrolmentRow::as_select())
        .first(conn)
        .optional()
}

pub fn of_account(conn: &mut DbConn, account_id: &str) -> QueryResult<Vec<EnrolmentRow>> {
    enrolments::table
        .filter(enrolments::account_id.eq(account_id))
        .order(enrolments::created_at.desc())
        .select(EnrolmentRow::as_select())
        .load(conn)
}

pub fn members(conn: &mut DbConn, enrolment_id: &str) -> QueryResult<Vec<MemberRow>> {
    enrolment_members::table
        .filter(enrolment_members::enrolment_id.eq(enrolment_id))
        .order(enrolment_members::position.asc())
        .select(MemberRow::as_select())
        .load(conn)
}

pub fn replace_members(
    conn: &mut DbConn,
    enrolment_id: &str,
    rows: &[MemberRow],
) -> QueryResult<()> {
    diesel::delete(
        enrolment_members::table.filter(enrolment_members::enrolment_id.eq(enrolment_id)),
    )
    .execute(conn)?;
    for row in rows {
        diesel::insert_into(enrolment_members::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn instalments(conn: &mut DbConn, enrolment_id: &str) -> QueryResult<Vec<InstalmentRow>> {
    enrolment_instalments::table
        .filter(enrolment_instalments::enrolment_id.eq(enrolment_id))
        .order(enrolment_instalments::seq.asc())
        .select(InstalmentRow::as_select())
        .load(conn)
}

pub fn insert_instalments(conn: &mut DbConn, rows: &[InstalmentRow]) -> QueryResult<()> {
    for row in rows {
        diesel::insert_into(enrolment_instalments::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_unpaid(conn: &mut DbConn, enrolment_id: &str) -> QueryResult<usize> {
    diesel::delete(
        enrolment_instalments::table
            .filter(enrolment_instalments::enrolment_id.eq(enrolment_id))
            .filter(enrolment_instalments::paid_on.is_null()),
    )
    .execute(conn)
}

pub fn mark_paid(
    conn: &mut DbConn,
    enrolment_id: &str,
    seq: i32,
    paid_on: NaiveDate,
    reference: &str,
    recorded_by: &str,
) -> QueryResult<()> {
    diesel::update(enrolment_instalments::table.find((enrolment_id, seq)))
        .set((
            enrolment_instalments::paid_on.eq(paid_on),
            enrolment_instalments::reference.eq(reference),
            enrolment_instalments::recorded_by.eq(recorded_by),
        ))
        .execute(conn)
        .map(drop)
}

/// Unpaid instalments falling due on or before `by`, with their registration (reminders).
pub fn unpaid_due_by(
    conn: &mut DbConn,
    by: NaiveDate,
) -> QueryResult<Vec<(InstalmentRow, EnrolmentRow)>> {
    enrolment_instalments::table
        .inner_join(enrolments::table)
        .filter(enrolment_instalments::paid_on.is_null())
        .filter(enrolment_instalments::due_date.le(by))
        .filter(enrolments::status.eq("approved"))
        .select((InstalmentRow::as_select(), EnrolmentRow::as_select()))
        .load(conn)
}

/// Months of state support the person has already had on voluntary contributions.
pub fn supported_months_used(conn: &mut DbConn, person_id: &str) -> QueryResult<i64> {
    contribution_months::table
        .filter(contribution_months::person_id.eq(person_id))
        .filter(contribution_months::scheme.eq("voluntary"))
        .filter(contribution_months::state_support.gt(0))
        .count()
        .get_result(conn)
}

/// A card valid on `on` held by the person with `personal_id`, other than one bought by
/// `except` (the registration being priced): its code.
pub fn covering_card(
    conn: &mut DbConn,
    personal_id: &str,
    on: NaiveDate,
    except: &str,
) -> QueryResult<Option<String>> {
    health_cards::table
        .inner_join(people::table)
        .filter(people::personal_id.eq(personal_id))
        .filter(health_cards::valid_from.le(on))
        .filter(health_cards::valid_to.ge(on))
        .filter(
            health_cards::enrolment_id
                .is_null()
                .or(health_cards::enrolment_id.ne(except)),
        )
        .select(health_cards::card_code)
        .first(conn)
        .optional()
}

/// Registrations whose household cards expire between `from` and `until` (inclusive), with
/// the expiry date.
pub fn household_cards_expiring(
    conn: &mut DbConn,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<(String, NaiveDate)>> {
    health_cards::table
        .filter(health_cards::valid_to.between(from, until))
        .filter(health_cards::enrolment_id.is_not_null())
        .select((
            health_cards::enrolment_id.assume_not_null(),
            health_cards::valid_to,
        ))
        .distinct()
        .load(conn)
}
