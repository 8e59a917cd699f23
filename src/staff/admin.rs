//! Staff administration (issue 7): the list of staff, and an administrator changing someone's
//! role or deactivating / reactivating them. Shared by `/admin/staff` and
//! `/api/v1/staff/staff-members`. Every change is one transaction with its audit row, made
//! from a known `version` (optimistic concurrency); deactivating ends the person's sessions and
//! API tokens in that same transaction, so they are out at once. Only staff accounts are ever
//! found here: a citizen's id is "not found", so no staff route can change a citizen.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::accounts::model::{AccountKind, Role};
use crate::accounts::store;
use crate::audit::Actor;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::accounts;
use crate::error::{AppError, FieldCode};
use crate::web::concurrency::{IfMatch, bumped};

/// One staff member as administrators see them.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = StaffMemberView)]
pub struct StaffRow {
    pub id: String,
    pub email: String,
    pub full_name: String,
    /// `clerk`, `approver`, `content_editor` or `admin`.
    pub role: String,
    pub active: bool,
    /// Whether they have enrolled an authenticator (passed TOTP once).
    pub totp_enrolled: bool,
    /// Whether they have set a password through their invitation link.
    pub password_set: bool,
    /// UTC.
    #[schema(value_type = String, example = "2026-11-30T08:00:00")]
    pub created_at: Timestamp,
    /// The version changes are made from (also the `ETag`, `"v{version}"`).
    pub version: i64,
}

impl StaffRow {
    fn of(account: store::Account) -> Self {
        Self {
            totp_enrolled: account.totp_enabled_at.is_some(),
            password_set: account.password_hash.is_some(),
            id: account.id,
            email: account.email,
            full_name: account.full_name,
            role: account.role.unwrap_or_default(),
            active: account.is_active,
            created_at: account.created_at,
            version: account.version,
        }
    }

    /// The catalog key of the role's name.
    pub fn role_key(&self) -> &'static str {
        role_key(&self.role)
    }
}

/// The catalog key of a role's name (`role.clerk`...).
pub fn role_key(role: &str) -> &'static str {
    match Role::parse(role) {
        Some(Role::Clerk) => "role.clerk",
        Some(Role::Approver) => "role.approver",
        Some(Role::ContentEditor) => "role.content_editor",
        Some(Role::Admin) => "role.admin",
        None => "staff_admin.role_unknown",
    }
}

/// Every staff account, by name.
pub fn list(conn: &mut DbConn) -> Result<Vec<StaffRow>, AppError> {
    Ok(accounts::table
        .filter(accounts::kind.eq(AccountKind::Staff.as_str()))
        .order((accounts::full_name.asc(), accounts::id.asc()))
        .select(store::Account::as_select())
        .load(conn)?
        .into_iter()
        .map(StaffRow::of)
        .collect())
}

/// The staff member with this id; a citizen's id (or any other) is [`AppError::NotFound`].
pub fn find(conn: &mut DbConn, id: &str) -> Result<StaffRow, AppError> {
    store::account(conn, id)?
        .filter(|a| a.kind == AccountKind::Staff.as_str())
        .map(StaffRow::of)
        .ok_or(AppError::NotFound)
}

/// The staff member with this email, if there is one (after an invitation).
pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<StaffRow, AppError> {
    store::account_by_email(conn, email)?
        .filter(|a| a.kind == AccountKind::Staff.as_str())
        .map(StaffRow::of)
        .ok_or(AppError::NotFound)
}

/// Invites a staff member on behalf of `actor` ([`super::invite_as`]: set-up email, audit row)
/// and returns them as administrators see them. The set-up link goes only by email.
pub async fn invite(
    state: &crate::app::AppState,
    actor: &Actor,
    email: &str,
    full_name: &str,
    role: &str,
) -> Result<StaffRow, AppError> {
    let role = Role::parse(role.trim())
        .ok_or_else(|| AppError::invalid("role", FieldCode::InvalidFormat))?;
    super::invite_as(state, actor, email, full_name, role).await?;
    let email = crate::accounts::model::EmailAddress::parse(email)
        .map_err(|code| AppError::invalid("email", code))?;
    let email = email.as_str().to_owned();
    state.db.read(move |conn| find_by_email(conn, &email)).await
}

/// What an administrator asks to change; `None` leaves it as it is.
#[derive(Clone, Copy, Debug, Default)]
pub struct Change {
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// Refuses a change that would lock the acting administrator out.
fn check_not_lockout(actor_id: &str, target_id: &str, change: Change) -> Result<(), AppError> {
    if actor_id != target_id {
        return Ok(());
    }
    if change.active == Some(false) {
        return Err(AppError::invalid("active", FieldCode::OwnAccount));
    }
    if change.role.is_some_and(|role| role != Role::Admin) {
        return Err(AppError::invalid("role", FieldCode::OwnAccount));
    }
    Ok(())
}

/// Applies `change` to staff member `id`, made from version `from`, by `actor`, in the caller's
/// write transaction; returns the member as changed. Stale version: [`AppError::Stale`] and
/// nothing changes. Nothing to change: the member as is, nothing recorded.
pub fn change(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    from: IfMatch,
    change: Change,
    now: Timestamp,
) -> Result<StaffRow, AppError> {
    let current = find(conn, id)?;
    check_not_lockout(&actor.id, id, change)?;
    if current.version != from.0 {
        return Err(AppError::Stale);
    }
    let new_role = change
        .role
        .map(Role::as_str)
        .filter(|role| *role != current.role);
    let new_active = change.active.filter(|active| *active != current.active);
    if new_role.is_none() && new_active.is_none() {
        return Ok(current);
    }
    let rows = diesel::update(
        accounts::table
            .filter(accounts::id.eq(id))
            .filter(accounts::version.eq(from.0)),
    )
    .set((
        accounts::role.eq(new_role.unwrap_or(&current.role)),
        accounts::is_active.eq(new_active.unwrap_or(current.active)),
        accounts::version.eq(accounts::version + 1),
        accounts::updated_at.eq(now),
    ))
    .execute(conn)?;
    bumped(rows, true)?;
    let subject = format!("account:{id}");
    let at = now.and_utc();
    if let Some(to) = new_role {
        let detail = serde_json::json!({ "from": current.role, "to": to });
        crate::audit::record(
            conn,
            at,
            &actor.event("staff.role_change", subject.clone(), detail),
        )?;
    }
    match new_active {
        Some(false) => {
            // Out at once: every web session and API token ends with the change.
            store::revoke_everything(conn, id, now)?;
            let event = actor.event("staff.deactivate", subject, serde_json::json!({}));
            crate::audit::record(conn, at, &event)?;
        }
        Some(true) => {
            let event = actor.event("staff.reactivate", subject, serde_json::json!({}));
            crate::audit::record(conn, at, &event)?;
        }
        None => {}
    }
    find(conn, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_administrator_cannot_lock_themselves_out_but_may_change_others() {
        let off = Change {
            role: None,
            active: Some(false),
        };
        let demote = Change {
            role: Some(Role::Clerk),
            active: None,
        };
        let keep = Change {
            role: Some(Role::Admin),
            active: Some(true),
        };
        assert!(check_not_lockout("me", "me", off).is_err());
        assert!(check_not_lockout("me", "me", demote).is_err());
        assert!(check_not_lockout("me", "me", keep).is_ok());
        assert!(check_not_lockout("me", "other", off).is_ok());
        assert!(check_not_lockout("me", "other", demote).is_ok());
    }
}
