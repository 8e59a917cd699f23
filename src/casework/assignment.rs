//! Who works on what: a staff member takes a submission, or one is assigned to someone, and
//! releases it back to the queue. One row per submission; every change is audited.

use diesel::prelude::*;

use super::queue::SubjectKind;
use crate::accounts::model::AccountKind;
use crate::audit::{self, Actor};
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{accounts, assignments, claims, enrolments, questions};
use crate::error::{AppError, FieldCode};

/// What to do with a submission's assignment.
pub enum Change<'a> {
    /// The acting staff member takes it.
    Take,
    /// Give it to another staff member (an active one who reviews).
    Assign { to: &'a str },
    /// Back to the queue.
    Release,
}

fn exists(conn: &mut DbConn, kind: SubjectKind, id: &str) -> QueryResult<bool> {
    let count: i64 = match kind {
        SubjectKind::Claim => claims::table.find(id).count().get_result(conn)?,
        SubjectKind::Enrolment => enrolments::table.find(id).count().get_result(conn)?,
        SubjectKind::Question => questions::table.find(id).count().get_result(conn)?,
    };
    Ok(count > 0)
}

/// Applies `change` to the submission `kind`/`id` for `actor`, audited.
pub fn change(
    conn: &mut DbConn,
    kind: SubjectKind,
    id: &str,
    change: &Change<'_>,
    actor: &Actor,
    now: Timestamp,
) -> Result<(), AppError> {
    if !exists(conn, kind, id)? {
        return Err(AppError::NotFound);
    }
    let subject = format!("{}:{id}", kind.as_str());
    let assignee = match change {
        Change::Take => Some(actor.id.clone()),
        Change::Assign { to } => {
            let role: Option<(String, Option<String>, bool)> = accounts::table
                .find(to)
                .select((accounts::kind, accounts::role, accounts::is_active))
                .first(conn)
                .optional()?;
            let reviews = role.is_some_and(|(k, r, active)| {
                active
                    && k == AccountKind::Staff.as_str()
                    && r.as_deref()
                        .and_then(crate::accounts::model::Role::parse)
                        .is_some_and(|r| crate::staff::Permission::Review.granted_to(r))
            });
            if !reviews {
                return Err(AppError::invalid("assignee_id", FieldCode::InvalidFormat));
            }
            Some((*to).to_owned())
        }
        Change::Release => None,
    };
    // No upsert through the two-backend connection: replace the row.
    diesel::delete(
        assignments::table
            .filter(assignments::subject_kind.eq(kind.as_str()))
            .filter(assignments::subject_id.eq(id)),
    )
    .execute(conn)?;
    if let Some(to) = &assignee {
        diesel::insert_into(assignments::table)
            .values((
                assignments::subject_kind.eq(kind.as_str()),
                assignments::subject_id.eq(id),
                assignments::assignee_id.eq(to),
                assignments::assigned_by.eq(&actor.id),
                assignments::assigned_at.eq(now),
            ))
            .execute(conn)?;
    }
    let (action, detail) = match &assignee {
        Some(to) => ("work.assign", serde_json::json!({ "assignee": to })),
        None => ("work.release", serde_json::json!({})),
    };
    audit::record(conn, now.and_utc(), &actor.event(action, subject, detail))
}
