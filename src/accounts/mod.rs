//! Accounts of citizens and staff: registration and email verification, login with throttling,
//! web sessions and API tokens, password reset, and the account overview.
//!
//! The use cases here are shared by the JSON API (`api.rs`) and the pages (`pages.rs`); handlers
//! only extract, call one of them, and respond.

pub mod api;
pub mod model;
pub mod pages;
pub mod password;
pub mod rules;
pub mod session;
pub mod store;
pub mod tokens;

use std::time::Duration;

use crate::app::AppState;
use crate::email::{self, messages};
use crate::error::{AppError, FieldCode};
use crate::secrets::{random_token, token_hash};
use crate::web::i18n::Lang;
use model::{AccountKind, EmailAddress, NewPassword, PersonalId, Registration};
use password::Verdict;
use store::Account;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
}

fn later(now: crate::clock::Timestamp, lifetime: Duration) -> crate::clock::Timestamp {
    now + chrono::Duration::from_std(lifetime).unwrap_or_default()
}

fn link(state: &AppState, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", state.settings.public_url)
}

/// Registers a citizen and emails a verification link. Registering an email address or personal
/// ID that already has an account answers exactly the same, and emails the existing owner
/// instead (no account enumeration: SECURITY.md AUTH-05).
pub async fn register(
    state: &AppState,
    registration: Registration,
    lang: Lang,
) -> Result<(), AppError> {
    // Hash first, whatever happens next, so both paths take the same time.
    let hash = state.passwords.hash(registration.password.expose()).await?;
    let now = state.clock.now();
    let token = random_token();
    let verify_link = link(state, "/verify-email", &token);
    let reset_link = format!("{}/password/forgot", state.settings.public_url);
    let verification_lifetime = state.settings.limits.email_verification_lifetime;
    let outcome = state
        .db
        .write(move |conn| {
            let holders = [
                store::account_by_email(conn, registration.email.as_str())?,
                store::account_by_personal_id(conn, registration.personal_id.as_str())?,
            ];
            // A verified account keeps its address and ID: its owner is told, nothing changes.
            if let Some(owner) = holders
                .iter()
                .flatten()
                .find(|a| a.email_verified_at.is_some())
            {
                let owner_lang = Lang::parse(&owner.locale).unwrap_or_default();
                let notice = messages::already_registered(
                    owner_lang,
                    &owner.email,
                    &owner.full_name,
                    &reset_link,
                );
                email::enqueue(conn, &notice, now)?;
                return Ok(());
            }
            // Unverified registrations hold nothing: the newest replaces them, so nobody can
            // pre-register someone else's address or ID and have the owner verify it later.
            for pending in holders.iter().flatten() {
                store::delete_unverified_account(conn, &pending.id)?;
            }
            let id = uuid::Uuid::now_v7().to_string();
            store::insert_account(
                conn,
                &store::NewAccount {
                    id: &id,
                    kind: AccountKind::Citizen.as_str(),
                    role: None,
                    email: registration.email.as_str(),
                    personal_id: Some(registration.personal_id.as_str()),
                    full_name: registration.full_name.as_str(),
                    birth_date: Some(registration.birth_date),
                    phone: Some(registration.phone.as_str()),
                    password_hash: Some(&hash),
                    email_verified_at: None,
                    locale: lang.code(),
                    is_demo: false,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            store::insert_one_time_token(
                conn,
                &id,
                "verify_email",
                &token_hash(&token),
                now,
                later(now, verification_lifetime),
            )?;
            let message = messages::verify_email(
                lang,
                registration.email.as_str(),
                registration.full_name.as_str(),
                &verify_link,
            );
            email::enqueue(conn, &message, now)?;
            Ok(())
        })
        .await;
    match outcome {
        // Two registrations raced for the same address: the other one won; answer the same.
        Err(AppError::Internal(error))
            if error
                .downcast_ref::<diesel::result::Error>()
                .is_some_and(crate::db::is_unique_violation) =>
        {
            Ok(())
        }
        other => other,
    }
}

/// Confirms an email address from the link in the verification email.
pub async fn verify_email(state: &AppState, token: &str) -> Result<(), AppError> {
    let hash = token_hash(token);
    let now = state.clock.now();
    state
        .db
        .write(move |conn| {
            let account_id = store::take_one_time_token(conn, &hash, &["verify_email"], now)?
                .ok_or(AppError::InvalidToken)?;
            store::set_email_verified(conn, &account_id, now)?;
            Ok(())
        })
        .await
}

/// How someone identifies themselves at login: an email address or a 12-digit personal ID.
fn login_identifier(raw: &str) -> String {
    match PersonalId::parse(raw) {
        Ok(id) => id.as_str().to_owned(),
        Err(_) => raw.trim().to_lowercase(),
    }
}

/// Checks a login and password, with backoff per account (or per unknown identifier) and per
/// client address. Unknown identifiers are throttled and timed exactly like known ones.
///
/// Each attempt is counted as a failure *before* the password is checked, in the transaction
/// that reads the count, so guesses sent in parallel see each other instead of all slipping
/// through one backoff window; a right password takes its attempt back.
pub async fn authenticate(
    state: &AppState,
    login: &str,
    password: &str,
    client: std::net::IpAddr,
) -> Result<Account, AppError> {
    let identifier = login_identifier(login);
    let limits = &state.settings.limits;
    let (account_free, ip_free) = (
        limits.login_free_failures_per_account,
        limits.login_free_failures_per_ip,
    );
    let ip_key = format!("ip:{client}");
    let now = state.clock.now();
    let window_start = now - chrono::Duration::from_std(rules::FAILURE_WINDOW).unwrap_or_default();
    let (account, account_key, ip_attempt) = state
        .db
        .write(move |conn| {
            let account = if identifier.contains('@') {
                store::account_by_email(conn, &identifier)?
            } else {
                store::account_by_personal_id(conn, &identifier)?
            };
            let account = account.filter(|a| a.is_active);
            // One budget per account, whether it is named by email or by personal ID.
            let account_key = match &account {
                Some(account) => format!("account:{}", account.id),
                None => format!("login:{identifier}"),
            };
            let mut waits = Vec::new();
            for (key, free) in [(&account_key, account_free), (&ip_key, ip_free)] {
                let (failures, last) = store::failures_since(conn, key, window_start)?;
                let failures = u32::try_from(failures).unwrap_or(u32::MAX);
                waits.extend(rules::login_wait(failures, last, now, free));
            }
            if let Some(retry_after) = waits.into_iter().max() {
                return Err(AppError::TooManyRequests { retry_after });
            }
            store::record_failure(conn, &account_key, now)?;
            let ip_attempt = store::record_failure(conn, &ip_key, now)?;
            Ok((account, account_key, ip_attempt))
        })
        .await?;
    let stored = account.as_ref().and_then(|a| a.password_hash.as_deref());
    let verdict = state.passwords.verify(password, stored).await?;
    let (Some(account), Verdict::Right { needs_rehash }) = (account, verdict) else {
        return Err(AppError::InvalidCredentials);
    };
    let rehash = match needs_rehash {
        true => Some(state.passwords.hash(password).await?),
        false => None,
    };
    let account_id = account.id.clone();
    state
        .db
        .write(move |conn| {
            store::clear_failures(conn, &account_key)?;
            store::forget_failure(conn, &ip_attempt)?;
            if let Some(hash) = rehash {
                store::set_password_hash(conn, &account_id, &hash, now)?;
            }
            Ok(())
        })
        .await?;
    if account.email_verified_at.is_none() {
        return Err(AppError::EmailNotVerified);
    }
    Ok(account)
}

/// Emails a single-use reset link when the address has an account; answers the same either way
/// (only a malformed address is refused, which reveals nothing).
///
/// The lookup and its writes run after the answer is sent, so the response time does not tell
/// a known address (a write and an fsync) from an unknown one (a read).
pub async fn request_password_reset(
    state: &actix_web::web::Data<AppState>,
    email: &str,
) -> Result<(), AppError> {
    let email = EmailAddress::parse(email).map_err(|code| AppError::invalid("email", code))?;
    let state = state.clone();
    actix_web::rt::spawn(async move {
        if let Err(error) = send_reset_link(&state, email).await {
            tracing::error!(error = ?error, "recording a password reset request failed");
        }
    });
    Ok(())
}

async fn send_reset_link(state: &AppState, email: EmailAddress) -> Result<(), AppError> {
    let now = state.clock.now();
    let token = random_token();
    let reset_link = link(state, "/password/reset", &token);
    let lifetime = state.settings.limits.password_reset_lifetime;
    state
        .db
        .write(move |conn| {
            let Some(account) =
                store::account_by_email(conn, email.as_str())?.filter(|a| a.is_active)
            else {
                return Ok(());
            };
            store::expire_one_time_tokens(conn, &account.id, "password_reset", now)?;
            store::insert_one_time_token(
                conn,
                &account.id,
                "password_reset",
                &token_hash(&token),
                now,
                later(now, lifetime),
            )?;
            let lang = Lang::parse(&account.locale).unwrap_or_default();
            let message = messages::password_reset(
                lang,
                &account.email,
                &account.full_name,
                &reset_link,
                lifetime.as_secs() / 60,
            );
            email::enqueue(conn, &message, now)?;
            Ok(())
        })
        .await
}

const RESET_PURPOSES: &[&str] = &["password_reset", "staff_setup"];

/// Whether a reset (or staff set-up) link can still be used, to show its form or say it expired.
pub async fn reset_token_is_live(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(account_with_reset_token(state, token).await?.is_some())
}

async fn account_with_reset_token(
    state: &AppState,
    token: &str,
) -> Result<Option<Account>, AppError> {
    let hash = token_hash(token);
    let now = state.clock.now();
    state
        .db
        .read(move |conn| {
            Ok(store::account_with_live_token(
                conn,
                &hash,
                RESET_PURPOSES,
                now,
            )?)
        })
        .await
}

/// Sets a new password from a reset link: the link works once, every session and API token of
/// the account ends, and the owner is told by email.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    new_password: &str,
) -> Result<(), AppError> {
    let hash = token_hash(token);
    let now = state.clock.now();
    let account = account_with_reset_token(state, token)
        .await?
        .ok_or(AppError::InvalidToken)?;
    let local_part = account
        .email
        .split('@')
        .next()
        .unwrap_or_default()
        .to_owned();
    let context = [
        account.full_name.as_str(),
        local_part.as_str(),
        account.personal_id.as_deref().unwrap_or_default(),
    ];
    let password = NewPassword::parse(new_password, &context)
        .map_err(|code| AppError::invalid("new_password", code))?;
    let password_hash = state.passwords.hash(password.expose()).await?;
    let forgot_link = format!("{}/password/forgot", state.settings.public_url);
    state
        .db
        .write(move |conn| {
            let account_id = store::take_one_time_token(conn, &hash, RESET_PURPOSES, now)?
                .ok_or(AppError::InvalidToken)?;
            if account_id != account.id {
                return Err(AppError::InvalidToken);
            }
            store::set_password_hash(conn, &account.id, &password_hash, now)?;
            store::revoke_everything(conn, &account.id, now)?;
            if account.email_verified_at.is_none() {
                // The link reached this address: it is verified.
                store::set_email_verified(conn, &account.id, now)?;
            }
            let lang = Lang::parse(&account.locale).unwrap_or_default();
            email::enqueue(
                conn,
                &messages::password_changed(lang, &account.email, &account.full_name, &forgot_link),
                now,
            )?;
            Ok(())
        })
        .await
}

/// Field errors for a password confirmation that does not match.
pub fn passwords_match(password: &str, confirmation: &str) -> Result<(), AppError> {
    if password == confirmation {
        Ok(())
    } else {
        Err(AppError::invalid(
            "password_confirmation",
            FieldCode::PasswordsDiffer,
        ))
    }
}
