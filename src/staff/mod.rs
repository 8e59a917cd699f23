//! Staff accounts: invitation by an administrator (the `create-staff` command), the mandatory
//! second factor (TOTP) before anything under `/admin`, and the admin area's home. The work
//! queues, review and decisions grow here (issue 7).

pub mod access;
pub mod admin;
pub mod admin_pages;
pub mod api;
pub mod pages;
pub mod totp;

pub use access::{Permission, StaffCaller, StaffMember, StaffProblems, VersionProblems};

use crate::accounts::model::{AccountKind, EmailAddress, FullName, Role};
use crate::accounts::store;
use crate::app::AppState;
use crate::email::{self, messages};
use crate::error::{AppError, FieldCode};
use crate::secrets::{random_token, token_hash};
use crate::web::i18n::Lang;

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
    admin_pages::routes(cfg);
}

/// `/api/v1/staff/staff-members`.
pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

/// Creates a staff account with no password and returns a single-use set-up link (also emailed).
/// The person sets their password through the link, then enrols an authenticator at first login.
/// No default or shared accounts exist (SECURITY.md AUTH-09).
pub async fn invite(
    state: &AppState,
    email: &str,
    full_name: &str,
    role: Role,
) -> Result<String, AppError> {
    invite_as(state, &crate::audit::Actor::cli(), email, full_name, role).await
}

/// [`invite`] on behalf of `actor`, who is recorded in the audit log.
pub async fn invite_as(
    state: &AppState,
    actor: &crate::audit::Actor,
    email: &str,
    full_name: &str,
    role: Role,
) -> Result<String, AppError> {
    let actor = actor.clone();
    let email = EmailAddress::parse(email).map_err(|code| AppError::invalid("email", code))?;
    let full_name =
        FullName::parse(full_name).map_err(|code| AppError::invalid("full_name", code))?;
    let now = state.clock.now();
    let token = random_token();
    let link = format!("{}/password/reset?token={token}", state.settings.public_url);
    let lifetime = state.settings.limits.staff_setup_lifetime;
    let invitation_link = link.clone();
    state
        .db
        .write(move |conn| {
            // Only administrators invite staff, so saying the address is taken reveals nothing.
            if store::account_by_email(conn, email.as_str())?.is_some() {
                return Err(AppError::invalid("email", FieldCode::AlreadyTaken));
            }
            let id = uuid::Uuid::now_v7().to_string();
            store::insert_account(
                conn,
                &store::NewAccount {
                    id: &id,
                    kind: AccountKind::Staff.as_str(),
                    role: Some(role.as_str()),
                    email: email.as_str(),
                    personal_id: None,
                    full_name: full_name.as_str(),
                    birth_date: None,
                    phone: None,
                    password_hash: None,
                    email_verified_at: None,
                    locale: Lang::Vi.code(),
                    is_demo: false,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            let expires = now + chrono::Duration::from_std(lifetime).unwrap_or_default();
            store::insert_one_time_token(
                conn,
                &id,
                "staff_setup",
                &token_hash(&token),
                now,
                expires,
            )?;
            let message = messages::staff_invitation(
                Lang::Vi,
                email.as_str(),
                full_name.as_str(),
                &invitation_link,
                role.as_str(),
            );
            email::enqueue(conn, &message, now)?;
            let detail = serde_json::json!({ "role": role.as_str() });
            let event = actor.event("staff.invite", format!("account:{id}"), detail);
            crate::audit::record(conn, now.and_utc(), &event)?;
            Ok(())
        })
        .await?;
    Ok(link)
}
