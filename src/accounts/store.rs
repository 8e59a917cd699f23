//! Account queries. Tokens are looked up by their SHA-256, never stored in the clear.

use diesel::prelude::*;

use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{accounts, api_tokens, login_failures, one_time_tokens, web_sessions};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: String,
    pub kind: String,
    pub role: Option<String>,
    pub email: String,
    pub personal_id: Option<String>,
    pub full_name: String,
    pub birth_date: Option<chrono::NaiveDate>,
    pub phone: Option<String>,
    pub password_hash: Option<String>,
    pub email_verified_at: Option<Timestamp>,
    pub locale: String,
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<Timestamp>,
    pub totp_last_step: Option<i64>,
    pub is_active: bool,
    pub is_demo: bool,
    pub created_at: Timestamp,
    /// Bumped by every staff-administration change (optimistic concurrency).
    pub version: i64,
}

#[derive(Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub role: Option<&'a str>,
    pub email: &'a str,
    pub personal_id: Option<&'a str>,
    pub full_name: &'a str,
    pub birth_date: Option<chrono::NaiveDate>,
    pub phone: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub email_verified_at: Option<Timestamp>,
    pub locale: &'a str,
    pub is_demo: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

pub fn insert_account(conn: &mut DbConn, account: &NewAccount<'_>) -> QueryResult<()> {
    diesel::insert_into(accounts::table)
        .values(account)
        .execute(conn)
        .map(drop)
}

pub fn account(conn: &mut DbConn, id: &str) -> QueryResult<Option<Account>> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn account_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::email.eq(email))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn account_by_personal_id(
    conn: &mut DbConn,
    personal_id: &str,
) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::personal_id.eq(personal_id))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn any_demo_account(conn: &mut DbConn) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        accounts::table.filter(accounts::is_demo.eq(true)),
    ))
    .get_result(conn)
}

/// Removes a registration whose address was never confirmed (its tokens go with it).
pub fn delete_unverified_account(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::delete(one_time_tokens::table.filter(one_time_tokens::account_id.eq(id)))
        .execute(conn)?;
    diesel::delete(
        accounts::table
            .find(id)
            .filter(accounts::email_verified_at.is_null()),
    )
    .execute(conn)
    .map(drop)
}

pub fn set_email_verified(conn: &mut DbConn, id: &str, now: Timestamp) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::email_verified_at.eq(now),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

pub fn set_password_hash(
    conn: &mut DbConn,
    id: &str,
    hash: &str,
    now: Timestamp,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::password_hash.eq(hash),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

pub fn set_totp_secret(
    conn: &mut DbConn,
    id: &str,
    secret: &str,
    now: Timestamp,
) -> QueryResult<()> {
    // Only the first secret sticks: pages opened at once all show it after a re-read.
    diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::totp_secret.is_null()),
    )
    .set((
        accounts::totp_secret.eq(secret),
        accounts::updated_at.eq(now),
    ))
    .execute(conn)
    .map(drop)
}

/// Records a used TOTP step (and enables TOTP on first use). Refuses a step not newer than the
/// last one: two requests racing with the same code cannot both pass.
pub fn use_totp_step(conn: &mut DbConn, id: &str, step: i64, now: Timestamp) -> QueryResult<bool> {
    let updated = diesel::update(
        accounts::table.find(id).filter(
            accounts::totp_last_step
                .is_null()
                .or(accounts::totp_last_step.lt(step)),
        ),
    )
    .set((
        accounts::totp_last_step.eq(step),
        accounts::updated_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 1 {
        diesel::update(
            accounts::table
                .find(id)
                .filter(accounts::totp_enabled_at.is_null()),
        )
        .set(accounts::totp_enabled_at.eq(now))
        .execute(conn)?;
    }
    Ok(updated == 1)
}

// --- one-time tokens (email verification, password reset, staff set-up) ---

pub fn insert_one_time_token(
    conn: &mut DbConn,
    account_id: &str,
    purpose: &str,
    token_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> QueryResult<()> {
    diesel::insert_into(one_time_tokens::table)
        .values((
            one_time_tokens::id.eq(uuid::Uuid::now_v7().to_string()),
            one_time_tokens::account_id.eq(account_id),
            one_time_tokens::purpose.eq(purpose),
            one_time_tokens::token_hash.eq(token_hash),
            one_time_tokens::created_at.eq(now),
            one_time_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

/// Marks an unused, unexpired token of one of `purposes` as used and returns its account;
/// `None` for unknown, used or expired tokens. The conditional update makes it single-use even
/// when two requests race.
pub fn take_one_time_token(
    conn: &mut DbConn,
    token_hash: &str,
    purposes: &[&str],
    now: Timestamp,
) -> QueryResult<Option<String>> {
    let found: Option<(String, String)> = one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token_hash))
        .filter(one_time_tokens::purpose.eq_any(purposes))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .select((one_time_tokens::id, one_time_tokens::account_id))
        .first(conn)
        .optional()?;
    let Some((id, account_id)) = found else {
        return Ok(None);
    };
    let taken = diesel::update(
        one_time_tokens::table
            .find(&id)
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok((taken == 1).then_some(account_id))
}

/// The account a live (unused, unexpired) token of one of `purposes` belongs to, without using
/// the token: the reset form is shown, and a new password checked, before the token is spent.
pub fn account_with_live_token(
    conn: &mut DbConn,
    token_hash: &str,
    purposes: &[&str],
    now: Timestamp,
) -> QueryResult<Option<Account>> {
    one_time_tokens::table
        .inner_join(accounts::table)
        .filter(one_time_tokens::token_hash.eq(token_hash))
        .filter(one_time_tokens::purpose.eq_any(purposes))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

/// Retires every unused token of `purpose` for an account (a new one replaces them).
pub fn expire_one_time_tokens(
    conn: &mut DbConn,
    account_id: &str,
    purpose: &str,
    now: Timestamp,
) -> QueryResult<()> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::account_id.eq(account_id))
            .filter(one_time_tokens::purpose.eq(purpose))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(now))
    .execute(conn)
    .map(drop)
}

// --- web sessions ---

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = web_sessions)]
pub struct WebSession {
    pub id: String,
    pub account_id: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub mfa_verified_at: Option<Timestamp>,
}

pub fn insert_session(
    conn: &mut DbConn,
    id: &str,
    token_hash: &str,
    account_id: &str,
    now: Timestamp,
    mfa_verified_at: Option<Timestamp>,
    user_agent: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(web_sessions::table)
        .values((
            web_sessions::id.eq(id),
            web_sessions::token_hash.eq(token_hash),
            web_sessions::account_id.eq(account_id),
            web_sessions::created_at.eq(now),
            web_sessions::last_seen_at.eq(now),
            web_sessions::mfa_verified_at.eq(mfa_verified_at),
            web_sessions::user_agent.eq(user_agent),
        ))
        .execute(conn)
        .map(drop)
}

/// The live (not revoked) session with this token, and its active account.
pub fn session_by_token(
    conn: &mut DbConn,
    token_hash: &str,
) -> QueryResult<Option<(WebSession, Account)>> {
    web_sessions::table
        .inner_join(accounts::table)
        .filter(web_sessions::token_hash.eq(token_hash))
        .filter(web_sessions::revoked_at.is_null())
        .filter(accounts::is_active.eq(true))
        .select((WebSession::as_select(), Account::as_select()))
        .first(conn)
        .optional()
}

pub fn touch_session(conn: &mut DbConn, id: &str, now: Timestamp) -> QueryResult<()> {
    diesel::update(web_sessions::table.find(id))
        .set(web_sessions::last_seen_at.eq(now))
        .execute(conn)
        .map(drop)
}

pub fn revoke_session(conn: &mut DbConn, id: &str, now: Timestamp) -> QueryResult<()> {
    diesel::update(
        web_sessions::table
            .find(id)
            .filter(web_sessions::revoked_at.is_null()),
    )
    .set(web_sessions::revoked_at.eq(now))
    .execute(conn)
    .map(drop)
}

/// Ends every session and API token of an account (password reset or change).
pub fn revoke_everything(conn: &mut DbConn, account_id: &str, now: Timestamp) -> QueryResult<()> {
    diesel::update(
        web_sessions::table
            .filter(web_sessions::account_id.eq(account_id))
            .filter(web_sessions::revoked_at.is_null()),
    )
    .set(web_sessions::revoked_at.eq(now))
    .execute(conn)?;
    diesel::update(
        api_tokens::table
            .filter(api_tokens::account_id.eq(account_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(drop)
}

// --- API tokens ---

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: String,
    pub account_id: String,
    pub kind: String,
    pub family_id: String,
    pub mfa: bool,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

#[expect(clippy::too_many_arguments, reason = "one row's columns")]
pub fn insert_api_token(
    conn: &mut DbConn,
    account_id: &str,
    kind: &str,
    token_hash: &str,
    family_id: &str,
    mfa: bool,
    now: Timestamp,
    expires_at: Timestamp,
) -> QueryResult<()> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(uuid::Uuid::now_v7().to_string()),
            api_tokens::account_id.eq(account_id),
            api_tokens::kind.eq(kind),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::family_id.eq(family_id),
            api_tokens::mfa.eq(mfa),
            api_tokens::created_at.eq(now),
            api_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn api_token_by_hash(
    conn: &mut DbConn,
    kind: &str,
    token_hash: &str,
) -> QueryResult<Option<ApiToken>> {
    api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::kind.eq(kind))
        .select(ApiToken::as_select())
        .first(conn)
        .optional()
}

/// The live access token's account.
pub fn account_by_access_token(
    conn: &mut DbConn,
    token_hash: &str,
    now: Timestamp,
) -> QueryResult<Option<(ApiToken, Account)>> {
    api_tokens::table
        .inner_join(accounts::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::kind.eq("access"))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::expires_at.gt(now))
        .filter(accounts::is_active.eq(true))
        .select((ApiToken::as_select(), Account::as_select()))
        .first(conn)
        .optional()
}

/// Marks a refresh token used; false when it already was (a replay).
pub fn use_refresh_token(conn: &mut DbConn, id: &str, now: Timestamp) -> QueryResult<bool> {
    let updated = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::used_at.is_null()),
    )
    .set(api_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn revoke_family(conn: &mut DbConn, family_id: &str, now: Timestamp) -> QueryResult<()> {
    diesel::update(
        api_tokens::table
            .filter(api_tokens::family_id.eq(family_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)
    .map(drop)
}

// --- login throttling ---

/// Failed logins under `key` since `since`: how many, and the latest.
pub fn failures_since(
    conn: &mut DbConn,
    key: &str,
    since: Timestamp,
) -> QueryResult<(i64, Option<Timestamp>)> {
    login_failures::table
        .filter(login_failures::throttle_key.eq(key))
        .filter(login_failures::failed_at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(login_failures::failed_at),
        ))
        .first(conn)
}

/// Records a failed attempt under `key`; returns its id (to take it back, see [`forget_failure`]).
pub fn record_failure(conn: &mut DbConn, key: &str, now: Timestamp) -> QueryResult<String> {
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(&id),
            login_failures::throttle_key.eq(key),
            login_failures::failed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn forget_failure(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.find(id))
        .execute(conn)
        .map(drop)
}

pub fn clear_failures(conn: &mut DbConn, key: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::throttle_key.eq(key)))
        .execute(conn)
        .map(drop)
}

/// Forgets failures older than the window (run periodically).
pub fn sweep_failures(conn: &mut DbConn, before: Timestamp) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(before))).execute(conn)
}
