//! Payment run queries. Items keep the bank and the last four digits only; the full number is
//! opened from the payout account (`payout::store`) when the file is exported.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;

use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{accounts, claims, payment_items, payment_runs};

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = payment_runs)]
pub struct RunRow {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub created_by: String,
    pub created_at: Timestamp,
    pub exported_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub total_amount: i64,
    pub item_count: i64,
    pub version: i64,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = payment_items)]
pub struct ItemRow {
    pub run_id: String,
    pub seq: i64,
    pub claim_id: String,
    pub account_id: String,
    pub amount: i64,
    pub bank_bin: String,
    pub bank_name: String,
    pub holder_name: String,
    pub masked_number: String,
    pub status: String,
    pub return_reason: Option<String>,
    pub paid_on: Option<chrono::NaiveDate>,
    pub settled_at: Option<Timestamp>,
}

/// An approved claim not in a live run: what a new run may take.
#[derive(Clone, Debug, Queryable)]
pub struct Waiting {
    pub claim_id: String,
    pub account_id: String,
    pub kind: String,
    pub amount: Option<i64>,
}

/// Every run, newest first.
pub fn runs(conn: &mut DbConn) -> QueryResult<Vec<RunRow>> {
    payment_runs::table
        .order((
            payment_runs::created_at.desc(),
            payment_runs::reference.desc(),
        ))
        .select(RunRow::as_select())
        .load(conn)
}

pub fn run(conn: &mut DbConn, id: &str) -> QueryResult<Option<RunRow>> {
    payment_runs::table
        .find(id)
        .select(RunRow::as_select())
        .first(conn)
        .optional()
}

/// The run's items in file order.
pub fn items(conn: &mut DbConn, run_id: &str) -> QueryResult<Vec<ItemRow>> {
    payment_items::table
        .filter(payment_items::run_id.eq(run_id))
        .order(payment_items::seq.asc())
        .select(ItemRow::as_select())
        .load(conn)
}

/// Approved claims not in a live run (one not returned), oldest first.
pub fn waiting(conn: &mut DbConn) -> QueryResult<Vec<Waiting>> {
    let live: BTreeSet<String> = payment_items::table
        .filter(payment_items::status.ne("returned"))
        .select(payment_items::claim_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let approved: Vec<Waiting> = claims::table
        .filter(claims::status.eq("approved"))
        .order((claims::updated_at.asc(), claims::id.asc()))
        .select((
            claims::id,
            claims::account_id,
            claims::kind,
            claims::decided_amount,
        ))
        .load(conn)?;
    Ok(approved
        .into_iter()
        .filter(|w| !live.contains(&w.claim_id))
        .collect())
}

/// Whether the claim is in a live run (an item not returned).
pub fn in_live_run(conn: &mut DbConn, claim_id: &str) -> QueryResult<bool> {
    let live: i64 = payment_items::table
        .filter(payment_items::claim_id.eq(claim_id))
        .filter(payment_items::status.ne("returned"))
        .count()
        .get_result(conn)?;
    Ok(live > 0)
}

/// Full names of the given accounts.
pub fn names(conn: &mut DbConn, ids: &[String]) -> QueryResult<BTreeMap<String, String>> {
    Ok(accounts::table
        .filter(accounts::id.eq_any(ids))
        .select((accounts::id, accounts::full_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

/// How many runs have a reference starting with `prefix` (the runs of one day).
pub fn count_with_prefix(conn: &mut DbConn, prefix: &str) -> QueryResult<i64> {
    payment_runs::table
        .filter(payment_runs::reference.like(format!("{prefix}%")))
        .count()
        .get_result(conn)
}

pub fn insert_run(conn: &mut DbConn, run: &RunRow) -> QueryResult<usize> {
    diesel::insert_into(payment_runs::table)
        .values(run)
        .execute(conn)
}

pub fn insert_items(conn: &mut DbConn, items: &[ItemRow]) -> QueryResult<usize> {
    let mut inserted = 0;
    // One statement per row: diesel's batch insert is not available through the
    // two-backend connection.
    for item in items {
        inserted += diesel::insert_into(payment_items::table)
            .values(item)
            .execute(conn)?;
    }
    Ok(inserted)
}

/// Bumps the run's version if it is still `expected` (the optimistic lock); returns the rows
/// updated (0: someone changed it first, or it is gone).
pub fn bump(conn: &mut DbConn, id: &str, expected: i64) -> QueryResult<usize> {
    diesel::update(
        payment_runs::table
            .find(id)
            .filter(payment_runs::version.eq(expected)),
    )
    .set(payment_runs::version.eq(expected + 1))
    .execute(conn)
}

/// Marks the run exported (the first time only).
pub fn mark_exported(conn: &mut DbConn, id: &str, now: Timestamp) -> QueryResult<usize> {
    diesel::update(
        payment_runs::table
            .find(id)
            .filter(payment_runs::status.eq("draft")),
    )
    .set((
        payment_runs::status.eq("exported"),
        payment_runs::exported_at.eq(now),
    ))
    .execute(conn)
}

/// Closes the run when no item is pending any more; returns whether it closed.
pub fn close_if_settled(conn: &mut DbConn, id: &str, now: Timestamp) -> QueryResult<bool> {
    let pending: i64 = payment_items::table
        .filter(payment_items::run_id.eq(id))
        .filter(payment_items::status.eq("pending"))
        .count()
        .get_result(conn)?;
    if pending > 0 {
        return Ok(false);
    }
    diesel::update(payment_runs::table.find(id))
        .set((
            payment_runs::status.eq("closed"),
            payment_runs::closed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Updates the bank details an item shows (the citizen changed their account since batching).
pub fn refresh_bank(
    conn: &mut DbConn,
    run_id: &str,
    seq: i64,
    bin: &str,
    bank_name: &str,
    holder: &str,
    masked: &str,
) -> QueryResult<usize> {
    diesel::update(payment_items::table.find((run_id, seq)))
        .set((
            payment_items::bank_bin.eq(bin),
            payment_items::bank_name.eq(bank_name),
            payment_items::holder_name.eq(holder),
            payment_items::masked_number.eq(masked),
        ))
        .execute(conn)
}

pub fn settle_paid(
    conn: &mut DbConn,
    run_id: &str,
    seq: i64,
    paid_on: chrono::NaiveDate,
    now: Timestamp,
) -> QueryResult<usize> {
    diesel::update(
        payment_items::table
            .find((run_id, seq))
            .filter(payment_items::status.eq("pending")),
    )
    .set((
        payment_items::status.eq("paid"),
        payment_items::paid_on.eq(paid_on),
        payment_items::settled_at.eq(now),
    ))
    .execute(conn)
}

pub fn settle_returned(
    conn: &mut DbConn,
    run_id: &str,
    seq: i64,
    reason: &str,
    now: Timestamp,
) -> QueryResult<usize> {
    diesel::update(
        payment_items::table
            .find((run_id, seq))
            .filter(payment_items::status.eq("pending")),
    )
    .set((
        payment_items::status.eq("returned"),
        payment_items::return_reason.eq(reason),
        payment_items::settled_at.eq(now),
    ))
    .execute(conn)
}
