//! Queries of health cards and card checks.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{api_clients, card_checks, health_cards, people};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = health_cards)]
pub struct Card {
    pub card_code: String,
    pub object_code: String,
    pub benefit_level: i32,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub facility_code: String,
    pub facility_name: String,
    pub five_year_date: Option<NaiveDate>,
}

/// The holder's facts a clinic must match.
#[derive(Clone, Debug, Queryable)]
pub struct Holder {
    pub person_id: String,
    pub full_name: String,
    pub birth_date: NaiveDate,
}

/// The person's latest card (the one valid longest).
pub fn latest_card(conn: &mut DbConn, person_id: &str) -> QueryResult<Option<Card>> {
    health_cards::table
        .filter(health_cards::person_id.eq(person_id))
        .order(health_cards::valid_to.desc())
        .select(Card::as_select())
        .first(conn)
        .optional()
}

/// The person's card valid on `day` (the one valid longest), if any.
pub fn card_valid_on(
    conn: &mut DbConn,
    person_id: &str,
    day: NaiveDate,
) -> QueryResult<Option<Card>> {
    health_cards::table
        .filter(health_cards::person_id.eq(person_id))
        .filter(health_cards::valid_from.le(day))
        .filter(health_cards::valid_to.ge(day))
        .order(health_cards::valid_to.desc())
        .select(Card::as_select())
        .first(conn)
        .optional()
}

/// A card by its 15-character code or, for a 10-digit number, the holder's latest card.
pub fn card_by_number(conn: &mut DbConn, number: &str) -> QueryResult<Option<(Card, Holder)>> {
    let holder = (people::id, people::full_name, people::birth_date);
    if number.len() == 15 {
        health_cards::table
            .inner_join(people::table)
            .filter(health_cards::card_code.eq(number))
            .select((Card::as_select(), holder))
            .first(conn)
            .optional()
    } else {
        health_cards::table
            .inner_join(people::table)
            .filter(people::si_code.eq(number))
            .order(health_cards::valid_to.desc())
            .select((Card::as_select(), holder))
            .first(conn)
            .optional()
    }
}

/// One check of a card, as recorded.
#[derive(Debug, Insertable)]
#[diesel(table_name = card_checks)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewCheck {
    pub id: String,
    pub person_id: Option<String>,
    pub client_id: String,
    pub method: &'static str,
    pub outcome: &'static str,
    pub checked_at: Timestamp,
}

/// Records several checks in one statement (see `recorder`).
pub fn insert_checks(conn: &mut DbConn, checks: &[NewCheck]) -> QueryResult<()> {
    // Multi-row INSERTs are not available through the MultiConnection enum: each backend
    // runs its own.
    for chunk in checks.chunks(500) {
        let insert = diesel::insert_into(card_checks::table).values(chunk);
        match conn {
            DbConn::Postgres(c) => insert.execute(c)?,
            DbConn::Sqlite(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// One check as the holder sees it.
#[derive(Debug, Queryable)]
pub struct CheckRow {
    pub checked_at: Timestamp,
    pub checked_by: String,
    pub facility_code: Option<String>,
    pub method: String,
    pub outcome: String,
}

/// Checks of the person's card, newest first.
pub fn checks_of(conn: &mut DbConn, person_id: &str, limit: i64) -> QueryResult<Vec<CheckRow>> {
    card_checks::table
        .inner_join(api_clients::table)
        .filter(card_checks::person_id.eq(person_id))
        .order((card_checks::checked_at.desc(), card_checks::id.desc()))
        .limit(limit)
        .select((
            card_checks::checked_at,
            api_clients::name,
            api_clients::facility_code,
            card_checks::method,
            card_checks::outcome,
        ))
        .load(conn)
}
