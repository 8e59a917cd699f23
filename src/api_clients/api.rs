//! `POST /api/v1/oauth/token`: the OAuth2 client-credentials grant (RFC 6749 §4.4). Errors
//! follow RFC 6749 §5.2 (`{"error": "invalid_client"}`), which OAuth libraries expect, rather
//! than the problem documents of the rest of the API.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse, ResponseError, post};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::error::AppError;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(token);
}

/// The form of a token request (`application/x-www-form-urlencoded`). The client may instead
/// authenticate with HTTP Basic (`client_id:client_secret`).
#[derive(Deserialize, ToSchema)]
pub struct TokenForm {
    /// Must be `client_credentials`.
    #[schema(example = "client_credentials")]
    grant_type: Option<String>,
    #[schema(example = "demo-clinic")]
    client_id: Option<String>,
    #[schema(format = Password)]
    client_secret: Option<String>,
    /// Space-separated scopes; all the client's scopes when absent.
    #[schema(example = "cards:verify")]
    scope: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: u64,
    /// The scopes granted, space-separated.
    #[schema(example = "cards:verify")]
    pub scope: String,
}

/// An RFC 6749 §5.2 error.
#[derive(Debug, Serialize, ToSchema, thiserror::Error)]
#[error("oauth error {error}")]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `unsupported_grant_type`, `invalid_scope` or
    /// `server_error`.
    pub error: &'static str,
    pub error_description: &'static str,
}

impl OAuthError {
    fn invalid_request(description: &'static str) -> Self {
        Self {
            error: "invalid_request",
            error_description: description,
        }
    }

    pub fn invalid_client() -> Self {
        Self {
            error: "invalid_client",
            error_description: "unknown client, wrong secret, or a revoked client",
        }
    }

    pub fn invalid_scope() -> Self {
        Self {
            error: "invalid_scope",
            error_description: "a requested scope is unknown or not granted to this client",
        }
    }

    pub fn server(error: AppError) -> Self {
        tracing::error!(%error, "issuing a client token failed");
        Self {
            error: "server_error",
            error_description: "try again shortly",
        }
    }
}

impl ResponseError for OAuthError {
    fn status_code(&self) -> StatusCode {
        match self.error {
            "invalid_client" => StatusCode::UNAUTHORIZED,
            "server_error" => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response
            .content_type(ContentType::json())
            .insert_header((header::CACHE_CONTROL, "no-store"));
        if self.error == "invalid_client" {
            response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"ansinh\""));
        }
        response.json(self)
    }
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Get an access token for an API client (OAuth2 client credentials).
///
/// Send the client id and secret in the form or with HTTP Basic. The token is valid for an
/// hour; request a new one when it expires.
#[utoipa::path(
    tag = "api clients",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded", example = json!({"grant_type": "client_credentials", "client_id": "demo-clinic", "client_secret": "demo-clinic-secret-khong-dung-that-2026", "scope": "cards:verify"})),
    responses(
        (status = 200, description = "A bearer token", body = TokenResponse, example = json!({"access_token": "KOICDJCWjp6DjuyKTohrbzZwweiLBdS1368D9ERhytc", "token_type": "Bearer", "expires_in": 3600, "scope": "cards:verify"})),
        (status = 400, description = "`invalid_request`, `unsupported_grant_type` or `invalid_scope`", body = OAuthError),
        (status = 401, description = "`invalid_client`", body = OAuthError),
        (status = 429, description = "Too many requests from this address", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/oauth/token")]
async fn token(
    req: HttpRequest,
    state: Data<AppState>,
    body: Bytes,
) -> Result<HttpResponse, OAuthError> {
    if body.len() > 4096 {
        return Err(OAuthError::invalid_request("the request is too large"));
    }
    let form_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(OAuthError::invalid_request(
            "send the parameters as application/x-www-form-urlencoded",
        ));
    }
    let form: TokenForm = serde_urlencoded::from_bytes(&body)
        .map_err(|_| OAuthError::invalid_request("the form could not be read"))?;
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return Err(OAuthError {
                error: "unsupported_grant_type",
                error_description: "only client_credentials is supported",
            });
        }
        None => return Err(OAuthError::invalid_request("grant_type is required")),
    }
    let (client_id, secret) = match (basic_credentials(&req), form.client_id, form.client_secret) {
        (Some(basic), None, None) => basic,
        (None, Some(id), Some(secret)) => (id, secret),
        (None, _, _) => return Err(OAuthError::invalid_client()),
        (Some(_), _, _) => {
            return Err(OAuthError::invalid_request(
                "use one way to send the credentials",
            ));
        }
    };
    let issued = super::issue_token(&state, client_id, secret, form.scope).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(issued))
}
