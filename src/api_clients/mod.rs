//! Third-party applications — employers' payroll software and clinics — and their OAuth2
//! client-credentials tokens (RFC 6749 §4.4). Each client has scopes and is bound to one
//! employer or one health facility; its secret is shown once and stored only as a hash.

pub mod api;
pub mod pages;
mod store;

use std::fmt;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::error::{AppError, FieldCode, FieldError};
use crate::secrets::{random_token, token_hash};
use crate::web::client::bearer_token;

pub use store::{ClientRecord, by_client_id, list};

/// What a client may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema, clap::ValueEnum)]
pub enum Scope {
    /// Submit an employer's monthly declarations and payments; read its arrears.
    #[serde(rename = "declarations:write")]
    #[value(name = "declarations:write")]
    DeclarationsWrite,
    /// Check health-insurance cards at a clinic.
    #[serde(rename = "cards:verify")]
    #[value(name = "cards:verify")]
    CardsVerify,
    /// Record payments collected for voluntary SI and household HI registrations.
    #[serde(rename = "collections:write")]
    #[value(name = "collections:write")]
    CollectionsWrite,
}

impl Scope {
    pub const ALL: [Scope; 3] = [
        Scope::DeclarationsWrite,
        Scope::CardsVerify,
        Scope::CollectionsWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DeclarationsWrite => "declarations:write",
            Self::CardsVerify => "cards:verify",
            Self::CollectionsWrite => "collections:write",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Space-separated scope list, as OAuth2 writes it.
pub fn scope_list(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_scopes(text: &str) -> Vec<Scope> {
    text.split_whitespace().filter_map(Scope::parse).collect()
}

/// Who a new client acts for.
#[derive(Clone, Debug)]
pub enum Binding {
    /// An employer, by unit code.
    Employer(String),
    /// A health facility, by its code (e.g. `79071`); the client's name is the facility's.
    Facility(String),
    /// A collection agent (post office, bank) acting for no particular employer or facility.
    Agency,
}

/// A new client's credentials. The secret is shown once.
#[derive(Debug, Serialize)]
pub struct Credentials {
    pub client_id: String,
    pub client_secret: String,
}

/// Registers a client; `fixed` gives known credentials (demo data only).
pub fn create(
    conn: &mut DbConn,
    name: &str,
    scopes: &[Scope],
    binding: &Binding,
    now: Timestamp,
    fixed: Option<Credentials>,
) -> Result<Credentials, AppError> {
    let credentials = fixed.unwrap_or_else(|| Credentials {
        client_id: format!("ansinh_{}", &random_token()[..16]),
        client_secret: random_token(),
    });
    store::insert(conn, &credentials, name, &scope_list(scopes), binding, now)?;
    Ok(credentials)
}

/// A new client as an administrator asks for it, checked: a name, at least one scope, and the
/// binding each scope needs (declaring needs an employer, checking cards a facility).
pub fn create_checked(
    conn: &mut DbConn,
    name: &str,
    scopes: &[Scope],
    employer: &str,
    facility: &str,
    now: Timestamp,
) -> Result<Credentials, AppError> {
    let mut errors = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", FieldCode::Required));
    } else if name.chars().count() > 100 {
        errors.push(FieldError::new("name", FieldCode::TooLong));
    }
    if scopes.is_empty() {
        errors.push(FieldError::new("scopes", FieldCode::Required));
    }
    let (employer, facility) = (employer.trim(), facility.trim());
    let binding = match (employer.is_empty(), facility.is_empty()) {
        (false, true) => Some(Binding::Employer(employer.to_owned())),
        (true, false) => Some(Binding::Facility(facility.to_owned())),
        // Only collecting payments needs no binding.
        (true, true)
            if !scopes.is_empty() && scopes.iter().all(|s| *s == Scope::CollectionsWrite) =>
        {
            Some(Binding::Agency)
        }
        _ => {
            errors.push(FieldError::new("employer", FieldCode::ExactlyOneBinding));
            None
        }
    };
    if binding.is_some()
        && scopes.contains(&Scope::DeclarationsWrite)
        && !matches!(binding, Some(Binding::Employer(_)))
    {
        errors.push(FieldError::new("employer", FieldCode::ScopeNeedsEmployer));
    }
    if binding.is_some()
        && scopes.contains(&Scope::CardsVerify)
        && !matches!(binding, Some(Binding::Facility(_)))
    {
        errors.push(FieldError::new("facility", FieldCode::ScopeNeedsFacility));
    }
    if let Some(Binding::Employer(unit_code)) = &binding
        && !store::employer_exists(conn, unit_code)?
    {
        errors.push(FieldError::new("employer", FieldCode::UnknownEmployer));
    }
    if let Some(Binding::Facility(code)) = &binding
        && (code.len() > 10 || !code.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        errors.push(FieldError::new("facility", FieldCode::InvalidFormat));
    }
    match binding {
        Some(binding) if errors.is_empty() => create(conn, name, scopes, &binding, now, None),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Revokes a client and every token it holds. False when no such client is active.
pub fn revoke(conn: &mut DbConn, client_id: &str, now: Timestamp) -> Result<bool, AppError> {
    Ok(store::revoke(conn, client_id, now)?)
}

/// How long a client token lives.
pub const TOKEN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(3600);

/// The client behind a valid bearer token.
#[derive(Clone, Debug)]
pub struct ClientCaller {
    /// Internal id (not the public `client_id`).
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub employer_id: Option<String>,
    pub facility_code: Option<String>,
}

impl ClientCaller {
    /// 403 unless the token carries `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), AppError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A request's bearer token, not yet checked (401 when there is none): for handlers that check
/// it inside their own transaction.
pub struct BearerToken(pub String);

impl FromRequest for BearerToken {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            bearer_token(req)
                .map(BearerToken)
                .ok_or(AppError::Unauthenticated),
        )
    }
}

/// Looks up a client token inside a transaction the caller already holds (the clinic check
/// validates its token and records the check in one round of work).
pub fn caller_by_token(
    conn: &mut DbConn,
    token: &str,
    now: Timestamp,
) -> Result<Option<ClientCaller>, AppError> {
    Ok(
        store::by_token(conn, &token_hash(token), now)?.map(|(record, scopes)| ClientCaller {
            id: record.id,
            name: record.name,
            scopes: parse_scopes(&scopes),
            employer_id: record.employer_id,
            facility_code: record.facility_code,
        }),
    )
}

impl FromRequest for ClientCaller {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let token = bearer_token(&req).ok_or(AppError::Unauthenticated)?;
            let state = AppState::of(&req);
            let now = state.clock.now();
            state
                .db
                .read(move |conn| caller_by_token(conn, &token, now))
                .await?
                .ok_or(AppError::Unauthenticated)
        })
    }
}

/// Exchanges client credentials for a token with the requested scopes (all the client's
/// scopes when none are asked for).
pub async fn issue_token(
    state: &AppState,
    client_id: String,
    client_secret: String,
    requested: Option<String>,
) -> Result<api::TokenResponse, api::OAuthError> {
    let now = state.clock.now();
    let lifetime = TOKEN_LIFETIME;
    let result = state
        .db
        .write(move |conn| {
            let Some(client) = store::by_client_id(conn, &client_id)? else {
                return Ok(Err(api::OAuthError::invalid_client()));
            };
            let secret_ok =
                crate::secrets::constant_time_eq(&token_hash(&client_secret), &client.secret_hash);
            if !secret_ok || client.revoked_at.is_some() {
                return Ok(Err(api::OAuthError::invalid_client()));
            }
            let allowed = parse_scopes(&client.scopes);
            let granted = match requested.as_deref().map(str::split_whitespace) {
                None => allowed,
                Some(words) => {
                    let mut granted = Vec::new();
                    for word in words {
                        match Scope::parse(word) {
                            Some(scope) if allowed.contains(&scope) => {
                                if !granted.contains(&scope) {
                                    granted.push(scope)
                                }
                            }
                            _ => return Ok(Err(api::OAuthError::invalid_scope())),
                        }
                    }
                    granted
                }
            };
            if granted.is_empty() {
                return Ok(Err(api::OAuthError::invalid_scope()));
            }
            let token = random_token();
            let expires = now + chrono::Duration::from_std(lifetime).unwrap_or_default();
            store::insert_token(
                conn,
                &client.id,
                &token_hash(&token),
                &scope_list(&granted),
                now,
                expires,
            )?;
            Ok(Ok(api::TokenResponse {
                access_token: token,
                token_type: "Bearer",
                expires_in: lifetime.as_secs(),
                scope: scope_list(&granted),
            }))
        })
        .await;
    match result {
        Ok(outcome) => outcome,
        Err(error) => Err(api::OAuthError::server(error)),
    }
}
