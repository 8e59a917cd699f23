//! API tokens for mobile apps: a short-lived bearer access token and a long-lived refresh token,
//! both random and stored hashed. Refresh tokens rotate: each is good for one refresh, and
//! presenting a used one again (a stolen copy racing the owner) revokes the whole family.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::Serialize;
use utoipa::ToSchema;

use super::later;
use super::store::{self, Account};
use crate::app::AppState;
use crate::db::DbConn;
use crate::error::AppError;
use crate::secrets::{random_token, token_hash};
use crate::web::client::bearer_token;

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Exchange at `/api/v1/auth/refresh` for a new pair; usable once.
    pub refresh_token: String,
}

/// Issues a new access + refresh pair in `family` (inside the caller's transaction).
fn issue(
    conn: &mut DbConn,
    state: &AppState,
    account_id: &str,
    family: &str,
    mfa: bool,
) -> Result<TokenPair, AppError> {
    let now = state.clock.now();
    let limits = &state.settings.limits;
    let (access, refresh) = (random_token(), random_token());
    store::insert_api_token(
        conn,
        account_id,
        "access",
        &token_hash(&access),
        family,
        mfa,
        now,
        later(now, limits.access_token_lifetime),
    )?;
    store::insert_api_token(
        conn,
        account_id,
        "refresh",
        &token_hash(&refresh),
        family,
        mfa,
        now,
        later(now, limits.refresh_token_lifetime),
    )?;
    Ok(TokenPair {
        access_token: access,
        token_type: "Bearer",
        expires_in: limits.access_token_lifetime.as_secs(),
        refresh_token: refresh,
    })
}

/// A new token family for an account that just logged in.
pub async fn issue_for_login(
    state: &actix_web::web::Data<AppState>,
    account_id: String,
    mfa: bool,
) -> Result<TokenPair, AppError> {
    let state = state.clone();
    let db = state.db.clone();
    db.write(move |conn| {
        issue(
            conn,
            &state,
            &account_id,
            &uuid::Uuid::now_v7().to_string(),
            mfa,
        )
    })
    .await
}

/// Rotates a refresh token. A used token presented again revokes its family (reuse detection).
pub async fn refresh(
    state: &actix_web::web::Data<AppState>,
    refresh_token: &str,
) -> Result<TokenPair, AppError> {
    let hash = token_hash(refresh_token);
    let state = state.clone();
    let db = state.db.clone();
    let outcome = db
        .write(move |conn| {
            let now = state.clock.now();
            let Some(token) = store::api_token_by_hash(conn, "refresh", &hash)? else {
                return Ok(Err(AppError::InvalidToken));
            };
            if token.revoked_at.is_some() || token.expires_at <= now {
                return Ok(Err(AppError::InvalidToken));
            }
            if !store::use_refresh_token(conn, &token.id, now)? {
                // Reuse: someone else holds a copy. End the family; both must log in again.
                store::revoke_family(conn, &token.family_id, now)?;
                tracing::warn!(family = %token.family_id, "refresh token reused; token family revoked");
                return Ok(Err(AppError::InvalidToken));
            }
            let active = store::account(conn, &token.account_id)?.is_some_and(|a| a.is_active);
            if !active {
                return Ok(Err(AppError::InvalidToken));
            }
            Ok(Ok(issue(conn, &state, &token.account_id, &token.family_id, token.mfa)?))
        })
        .await?;
    // The revocation above must commit even though the caller gets an error.
    outcome
}

/// Revokes the caller's token family (logout): the access and refresh tokens stop working.
pub async fn revoke(state: &AppState, caller: &ApiCaller) -> Result<(), AppError> {
    let family = caller.family_id.clone();
    let now = state.clock.now();
    state
        .db
        .write(move |conn| Ok(store::revoke_family(conn, &family, now)?))
        .await
}

/// The account behind a valid bearer access token.
pub struct ApiCaller {
    pub account: Account,
    pub family_id: String,
    pub mfa: bool,
}

impl FromRequest for ApiCaller {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let token = bearer_token(&req).ok_or(AppError::Unauthenticated)?;
            let state = AppState::of(&req);
            let hash = token_hash(&token);
            let now = state.clock.now();
            let (token, account) = state
                .db
                .read(move |conn| Ok(store::account_by_access_token(conn, &hash, now)?))
                .await?
                .ok_or(AppError::Unauthenticated)?;
            Ok(ApiCaller {
                account,
                family_id: token.family_id,
                mfa: token.mfa,
            })
        })
    }
}
