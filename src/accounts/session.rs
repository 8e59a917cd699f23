//! Web sessions: server-side and revocable (SECURITY.md SES-01…04). The browser holds only a
//! random token in a `__Host-` cookie (Secure, HttpOnly, SameSite=Lax); the database holds its
//! SHA-256, when it was made and last used, and whether the second factor was passed. A new
//! token is issued at login and at the second factor, so a token planted before either is
//! useless after it.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

use super::model::{AccountKind, Role};
use super::rules;
use super::store::{self, Account};
use crate::app::AppState;
use crate::error::AppError;
use crate::secrets::{random_token, token_hash};
use crate::web::pages::Viewer;

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-ansinh_session"
    } else {
        "ansinh_session"
    }
}

/// Someone signed in through the web, with a live session.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub session_id: String,
    pub account: Account,
    pub mfa_verified: bool,
}

impl SignedIn {
    pub fn kind(&self) -> AccountKind {
        AccountKind::parse(&self.account.kind).unwrap_or(AccountKind::Citizen)
    }

    pub fn role(&self) -> Option<Role> {
        self.account.role.as_deref().and_then(Role::parse)
    }

    pub fn viewer(&self) -> Viewer {
        Viewer {
            name: self.account.full_name.clone(),
            is_staff: self.kind() == AccountKind::Staff,
        }
    }
}

/// Starts a session for `account_id` and returns the cookie to set; the session it `replaces`
/// (the browser's earlier one) ends in the same transaction.
pub async fn start(
    state: &AppState,
    account_id: String,
    mfa_verified: bool,
    user_agent: Option<String>,
    replaces: Option<String>,
) -> Result<Cookie<'static>, AppError> {
    let token = random_token();
    let hash = token_hash(&token);
    let now = state.clock.now();
    let user_agent: Option<String> = user_agent.map(|ua| ua.chars().take(200).collect());
    state
        .db
        .write(move |conn| {
            if let Some(previous) = replaces {
                store::revoke_session(conn, &previous, now)?;
            }
            let id = uuid::Uuid::now_v7().to_string();
            store::insert_session(
                conn,
                &id,
                &hash,
                &account_id,
                now,
                mfa_verified.then_some(now),
                user_agent.as_deref(),
            )?;
            Ok(())
        })
        .await?;
    Ok(session_cookie(state, token))
}

fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    let secure = state.settings.cookie_secure;
    Cookie::build(cookie_name(secure), token)
        .path("/")
        .secure(secure)
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish()
}

/// The cookie that removes the session cookie from the browser.
pub fn removal_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = session_cookie(state, String::new());
    cookie.set_max_age(time::Duration::ZERO);
    cookie
}

/// Ends the session (logout). The cookie alone is worthless afterwards.
pub async fn end(state: &AppState, session_id: String) -> Result<(), AppError> {
    let now = state.clock.now();
    state
        .db
        .write(move |conn| Ok(store::revoke_session(conn, &session_id, now)?))
        .await
}

/// Replaces the session by one that has passed the second factor.
pub async fn upgrade_to_mfa(
    state: &AppState,
    signed_in: &SignedIn,
    user_agent: Option<String>,
) -> Result<Cookie<'static>, AppError> {
    let (account, previous) = (signed_in.account.id.clone(), signed_in.session_id.clone());
    start(state, account, true, user_agent, Some(previous)).await
}

async fn load(req: HttpRequest) -> Result<SignedIn, AppError> {
    if let Some(signed_in) = req.extensions().get::<SignedIn>() {
        return Ok(signed_in.clone());
    }
    let state = AppState::of(&req);
    let token = req
        .cookie(cookie_name(state.settings.cookie_secure))
        .map(|c| c.value().to_owned())
        .filter(|t| !t.is_empty())
        .ok_or(AppError::Unauthenticated)?;
    let hash = token_hash(&token);
    let now = state.clock.now();
    let limits = state.settings.limits.clone();
    let found = state
        .db
        .read(move |conn| Ok(store::session_by_token(conn, &hash)?))
        .await?;
    let (session, account) = found.ok_or(AppError::Unauthenticated)?;
    let staff = account.kind == AccountKind::Staff.as_str();
    let (idle, absolute) = if staff {
        (limits.staff_session_idle, limits.staff_session_absolute)
    } else {
        (limits.citizen_session_idle, limits.citizen_session_absolute)
    };
    if !rules::session_is_live(
        session.created_at,
        session.last_seen_at,
        now,
        idle,
        absolute,
    ) {
        end(state, session.id).await?;
        return Err(AppError::Unauthenticated);
    }
    // One write a minute at most per session, not one per request.
    if now - session.last_seen_at > chrono::Duration::seconds(60) {
        let id = session.id.clone();
        state
            .db
            .write(move |conn| Ok(store::touch_session(conn, &id, now)?))
            .await?;
    }
    let signed_in = SignedIn {
        session_id: session.id,
        mfa_verified: session.mfa_verified_at.is_some(),
        account,
    };
    req.extensions_mut().insert(signed_in.clone());
    Ok(signed_in)
}

/// Builds an extractor from a rule that admits (or refuses) a signed-in account.
fn admit<T: 'static>(
    req: &HttpRequest,
    rule: fn(SignedIn) -> Result<T, AppError>,
) -> LocalBoxFuture<'static, Result<T, AppError>> {
    let req = req.clone();
    Box::pin(async move { rule(load(req).await?) })
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        admit(req, Ok)
    }
}

/// A signed-in citizen (staff accounts are refused).
pub struct CitizenSession(pub SignedIn);

impl FromRequest for CitizenSession {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        admit(req, |signed_in| match signed_in.kind() {
            AccountKind::Citizen => Ok(CitizenSession(signed_in)),
            AccountKind::Staff => Err(AppError::Forbidden),
        })
    }
}

/// A signed-in staff member who has passed the second factor in this session.
pub struct StaffSession(pub SignedIn);

impl FromRequest for StaffSession {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        admit(req, |signed_in| {
            match (signed_in.kind(), signed_in.mfa_verified) {
                (AccountKind::Staff, true) => Ok(StaffSession(signed_in)),
                (AccountKind::Staff, false) => Err(AppError::MfaRequired),
                (AccountKind::Citizen, _) => Err(AppError::Forbidden),
            }
        })
    }
}
