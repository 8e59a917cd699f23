//! Reminder emails through the outbox: a household's cards expire in 30 days and again in 7
//! ("renew"), and an instalment falls due within 7 days or is overdue ("pay"). Runs with the
//! housekeeping loop; each reminder is recorded in `reminders_sent`, so running often, or on
//! several nodes, sends each one once.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

use super::registration;
use super::store;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::reminders_sent;
use crate::error::AppError;

/// Days before a card's expiry when its household is reminded to renew.
pub const RENEWAL_DAYS: [i64; 2] = [30, 7];
/// Days before an instalment's due date when its payer is reminded.
pub const PAYMENT_DAYS: i64 = 7;

/// Queues every reminder due on `now`'s date; returns how many were queued.
pub fn send_due(conn: &mut DbConn, public_url: &str, now: Timestamp) -> Result<usize, AppError> {
    let today = now.date();
    let mut sent = 0;
    for days in RENEWAL_DAYS {
        let until = today + Duration::days(days);
        for (enrolment_id, valid_to) in store::household_cards_expiring(conn, today, until)? {
            let subject = format!("{enrolment_id}:{valid_to}");
            if !first_time(conn, &format!("renewal_{days}"), &subject, now)? {
                continue;
            }
            if let Some(row) = store::find(conn, &enrolment_id)? {
                let date = [("date", format_date(valid_to))];
                registration::notify(conn, &row, "enrolment_renewal", public_url, &date, now)?;
                sent += 1;
            }
        }
    }
    for (instalment, row) in store::unpaid_due_by(conn, today + Duration::days(PAYMENT_DAYS))? {
        let subject = format!("{}:{}", row.id, instalment.seq);
        if !first_time(conn, "payment_due", &subject, now)? {
            continue;
        }
        let date = [("date", format_date(instalment.due_date))];
        registration::notify(conn, &row, "enrolment_payment_due", public_url, &date, now)?;
        sent += 1;
    }
    Ok(sent)
}

/// Records the reminder; false when it was sent before.
pub fn first_time(
    conn: &mut DbConn,
    kind: &str,
    subject: &str,
    now: Timestamp,
) -> Result<bool, AppError> {
    // No upsert through the two-backend connection: look, then insert. Two nodes racing on
    // PostgreSQL make one transaction fail on the key and roll back; its next run skips it.
    let sent_before = reminders_sent::table
        .find((kind, subject))
        .select(reminders_sent::kind)
        .first::<String>(conn)
        .optional()?
        .is_some();
    if sent_before {
        return Ok(false);
    }
    diesel::insert_into(reminders_sent::table)
        .values((
            reminders_sent::kind.eq(kind),
            reminders_sent::subject.eq(subject),
            reminders_sent::sent_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}
