//! The approvers' daily digest: once a day, from 7:00 Vietnam time, each active approver gets
//! one email through the outbox with the open work, the deadlines breached and near, and the
//! proposals waiting for a second person. Recorded in `reminders_sent`, so running often, or
//! on several nodes, sends each day's digest once.

use chrono::NaiveTime;
use diesel::prelude::*;

use super::queue::{self, Filter, Urgency, WorkItem};
use crate::accounts::model::Role;
use crate::accounts::store::Account;
use crate::clock::{Timestamp, in_vietnam};
use crate::config::Casework;
use crate::db::DbConn;
use crate::db::schema::accounts;
use crate::error::AppError;

/// The figures one digest carries.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub open: usize,
    pub breached: usize,
    pub near: usize,
    pub awaiting_approval: usize,
}

pub fn counts(items: &[WorkItem]) -> Counts {
    Counts {
        open: items.len(),
        breached: items
            .iter()
            .filter(|i| i.urgency == Urgency::Breached)
            .count(),
        near: items.iter().filter(|i| i.urgency == Urgency::Near).count(),
        awaiting_approval: items.iter().filter(|i| i.awaiting_approval).count(),
    }
}

/// Queues today's digest to every active approver if it is 7:00 or later in Vietnam and it
/// has not gone yet; returns how many were queued.
pub fn send_due(
    conn: &mut DbConn,
    limits: &Casework,
    public_url: &str,
    now: Timestamp,
) -> Result<usize, AppError> {
    let local = in_vietnam(now);
    if local.time() < NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default() {
        return Ok(0);
    }
    let today = local.date();
    if !crate::enrolment::reminders::first_time(conn, "staff_digest", &today.to_string(), now)? {
        return Ok(0);
    }
    let items = queue::load(conn, &Filter::default(), limits, today, "")?;
    let c = counts(&items);
    let approvers: Vec<Account> = accounts::table
        .filter(accounts::role.eq(Role::Approver.as_str()))
        .filter(accounts::is_active.eq(true))
        .select(Account::as_select())
        .load(conn)?;
    let link = format!(
        "{public_url}/admin/queue?due_within_days={}",
        limits.near_breach_days
    );
    let extra = [
        ("open", c.open.to_string()),
        ("breached", c.breached.to_string()),
        ("near", c.near.to_string()),
        ("awaiting", c.awaiting_approval.to_string()),
    ];
    for approver in &approvers {
        crate::email::notify(conn, approver, "staff_digest", &link, &extra, now)?;
    }
    Ok(approvers.len())
}
