//! The accounts API: `/api/v1/auth/*` and `/api/v1/me`.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{AccountKind, PersonalId, Registration, RegistrationInput};
use super::tokens::{self, ApiCaller, TokenPair};
use crate::app::AppState;
use crate::error::{AppError, BodyProblems, Problem};
use crate::web::client::client_ip;
use crate::web::extract::ApiJson;
use crate::web::i18n::Lang;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(register)
        .service(verify_email)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(password_reset)
        .service(password_reset_confirm)
        .service(me);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// 12-digit personal identification number (căn cước); its 4th–6th digits must match the birth year.
    #[schema(example = "001090123456", min_length = 12, max_length = 20)]
    personal_id: String,
    #[schema(example = "Nguyễn Văn An", min_length = 1, max_length = 100)]
    full_name: String,
    /// ISO date, `YYYY-MM-DD`.
    #[schema(example = "1990-05-17", format = Date)]
    birth_date: String,
    #[schema(example = "an.nguyen@example.vn", format = Email, max_length = 254)]
    email: String,
    /// Vietnamese mobile number; `+84` and separators are accepted.
    #[schema(example = "0912345678", max_length = 20)]
    phone: String,
    /// 8–128 characters; common passwords are refused.
    #[schema(min_length = 8, max_length = 128, format = Password)]
    password: String,
    /// Language of the emails sent to this account; the request's language when absent.
    #[serde(default)]
    locale: Option<Lang>,
}

#[derive(Serialize, ToSchema)]
pub struct Accepted {
    /// `check_your_email`.
    status: &'static str,
    message: String,
}

fn check_your_email(lang: Lang, key: &str) -> HttpResponse {
    HttpResponse::Accepted().json(Accepted {
        status: "check_your_email",
        message: lang.catalog().text(key).to_owned(),
    })
}

/// Register a citizen account.
///
/// Always answers 202 for well-formed input, whether or not the email address or personal ID
/// already has an account (the owner is emailed instead), so the answer reveals nothing.
#[utoipa::path(
    tag = "accounts",
    request_body(content = RegisterRequest, example = json!({"personal_id": "001090123456", "full_name": "Nguyễn Văn An", "birth_date": "1990-05-17", "email": "an.nguyen@example.vn", "phone": "0912345678", "password": "mây trắng trên đồi cao", "locale": "vi"})),
    responses(
        (status = 202, description = "A verification email is on its way", body = Accepted, example = json!({"status": "check_your_email", "message": "Chúng tôi đã gửi thư xác nhận đến địa chỉ email của bạn."})),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/auth/register")]
async fn register(
    req: HttpRequest,
    state: Data<AppState>,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<HttpResponse, AppError> {
    let lang = body.locale.unwrap_or_else(|| Lang::of_request(&req));
    let input = RegistrationInput {
        personal_id: &body.personal_id,
        full_name: &body.full_name,
        birth_date: &body.birth_date,
        email: &body.email,
        phone: &body.phone,
        password: &body.password,
    };
    let registration = Registration::parse(input, state.clock.now().date())?;
    super::register(&state, registration, lang).await?;
    Ok(check_your_email(lang, "api.register.accepted"))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The token from the emailed link.
    #[schema(min_length = 1, max_length = 200)]
    token: String,
}

#[derive(Serialize, ToSchema)]
pub struct Done {
    /// What happened, e.g. `verified`, `password_changed`.
    status: &'static str,
}

/// Confirm an email address with the token from the verification email.
#[utoipa::path(
    tag = "accounts",
    request_body(content = TokenRequest, example = json!({"token": "d1Xk2s9Q0bJpR7uN4vW8yZ3aC6eF5hG1iK0lM2nO4pQ"})),
    responses(
        (status = 200, description = "The address is verified", body = Done, example = json!({"status": "verified"})),
        (status = 400, description = "Unknown, used or expired token (`invalid_token`), or a malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A required field is missing", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/auth/verify-email")]
async fn verify_email(
    state: Data<AppState>,
    ApiJson(body): ApiJson<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    super::verify_email(&state, &body.token).await?;
    Ok(HttpResponse::Ok().json(Done { status: "verified" }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Email address or 12-digit personal ID.
    #[schema(example = "an.nguyen@example.vn", min_length = 1, max_length = 254)]
    login: String,
    #[schema(min_length = 1, max_length = 1024, format = Password)]
    password: String,
    /// Staff only: the current code from their authenticator app.
    #[serde(default)]
    #[schema(example = "123456", max_length = 6)]
    totp_code: Option<String>,
}

/// Log in and receive an access token and a refresh token.
#[utoipa::path(
    tag = "accounts",
    request_body(content = LoginRequest, example = json!({"login": "an.nguyen@example.vn", "password": "mây trắng trên đồi cao"})),
    responses(
        (status = 200, description = "Logged in", body = TokenPair, example = json!({"access_token": "tq2Yk3bq4XbF3Ue3m3sQ3Kf6mXh1e8oNbXx7b2qA9fE", "token_type": "Bearer", "expires_in": 900, "refresh_token": "Qm9hVmN3b3Jk4r8s2mLx7ZpR1yT5uV0wE3qK6jH9gF2"})),
        (status = 401, description = "Wrong login or password (the same answer for unknown accounts)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Email address not verified yet, or a staff code is needed", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed body: not JSON, a field of the wrong type, or an unknown field", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A required field is missing", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/auth/login")]
async fn login(
    req: HttpRequest,
    state: Data<AppState>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    if body.login.len() > 254 || body.password.len() > 1024 {
        return Err(AppError::InvalidCredentials);
    }
    let ip = client_ip(&req, state.settings.trust_forwarded_for);
    let account = super::authenticate(&state, &body.login, &body.password, ip).await?;
    let mfa = match AccountKind::parse(&account.kind) {
        Some(AccountKind::Staff) => {
            let code = body.totp_code.as_deref().ok_or(AppError::MfaRequired)?;
            crate::staff::totp::verify_code(&state, &account, code).await?;
            true
        }
        _ => false,
    };
    let pair = tokens::issue_for_login(&state, account.id, mfa).await?;
    Ok(HttpResponse::Ok().json(pair))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[schema(min_length = 1, max_length = 200)]
    refresh_token: String,
}

/// Exchange a refresh token for a new pair. Each refresh token works once; reusing one ends
/// the session it belongs to.
#[utoipa::path(
    tag = "accounts",
    request_body(content = RefreshRequest, example = json!({"refresh_token": "Qm9hVmN3b3Jk4r8s2mLx7ZpR1yT5uV0wE3qK6jH9gF2"})),
    responses(
        (status = 200, description = "A new token pair", body = TokenPair, example = json!({"access_token": "tq2Yk3bq4XbF3Ue3m3sQ3Kf6mXh1e8oNbXx7b2qA9fE", "token_type": "Bearer", "expires_in": 900, "refresh_token": "Qm9hVmN3b3Jk4r8s2mLx7ZpR1yT5uV0wE3qK6jH9gF2"})),
        (status = 400, description = "Unknown, used, revoked or expired refresh token (`invalid_token`), or a malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A required field is missing", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/auth/refresh")]
async fn refresh(
    state: Data<AppState>,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    let pair = tokens::refresh(&state, &body.refresh_token).await?;
    Ok(HttpResponse::Ok().json(pair))
}

/// Log out: the access token and its refresh token stop working at once.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
async fn logout(state: Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, AppError> {
    tokens::revoke(&state, &caller).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(example = "an.nguyen@example.vn", max_length = 254)]
    email: String,
}

/// Ask for a password-reset link. Answers 202 whether or not the address has an account.
#[utoipa::path(
    tag = "accounts",
    request_body(content = PasswordResetRequest, example = json!({"email": "an.nguyen@example.vn"})),
    responses(
        (status = 202, description = "If the address has an account, a link is on its way", body = Accepted, example = json!({"status": "check_your_email", "message": "Nếu địa chỉ này có tài khoản, chúng tôi đã gửi đường dẫn đặt lại mật khẩu."})),
        (status = 422, description = "The address is malformed or a field is missing", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Malformed body: not JSON, a field of the wrong type, or an unknown field", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/auth/password-reset")]
async fn password_reset(
    req: HttpRequest,
    state: Data<AppState>,
    ApiJson(body): ApiJson<PasswordResetRequest>,
) -> Result<HttpResponse, AppError> {
    super::request_password_reset(&state, &body.email).await?;
    Ok(check_your_email(
        Lang::of_request(&req),
        "api.password_reset.accepted",
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    #[schema(min_length = 1, max_length = 200)]
    token: String,
    #[schema(min_length = 8, max_length = 128, format = Password)]
    new_password: String,
}

/// Set a new password with the emailed token. The token works once; every session and token of
/// the account ends.
#[utoipa::path(
    tag = "accounts",
    request_body(content = PasswordResetConfirm, example = json!({"token": "d1Xk2s9Q0bJpR7uN4vW8yZ3aC6eF5hG1iK0lM2nO4pQ", "new_password": "gió mùa đông bắc về"})),
    responses(
        (status = 200, description = "Password changed", body = Done, example = json!({"status": "password_changed"})),
        (status = 400, description = "Unknown, used or expired token (`invalid_token`), or a malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is not acceptable, or a field is missing", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/auth/password-reset/confirm")]
async fn password_reset_confirm(
    state: Data<AppState>,
    ApiJson(body): ApiJson<PasswordResetConfirm>,
) -> Result<HttpResponse, AppError> {
    super::reset_password(&state, &body.token, &body.new_password).await?;
    Ok(HttpResponse::Ok().json(Done {
        status: "password_changed",
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: String,
    /// `citizen` or `staff`.
    kind: String,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    full_name: String,
    email: String,
    email_verified: bool,
    /// Masked: only the last four digits are shown.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    personal_id: Option<String>,
    #[schema(nullable = false, format = Date)]
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<chrono::NaiveDate>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    locale: String,
}

/// The signed-in account.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account behind the access token", body = Me, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "kind": "citizen", "full_name": "Nguyễn Văn An", "email": "an.nguyen@example.vn", "email_verified": true, "personal_id": "••••••••3456", "birth_date": "1990-05-17", "phone": "0912345678", "locale": "vi"})),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
async fn me(caller: ApiCaller) -> Result<HttpResponse, AppError> {
    let account = caller.account;
    Ok(HttpResponse::Ok().json(Me {
        id: account.id,
        kind: account.kind,
        role: account.role,
        full_name: account.full_name,
        email: account.email,
        email_verified: account.email_verified_at.is_some(),
        personal_id: account.personal_id.as_deref().map(PersonalId::masked),
        birth_date: account.birth_date,
        phone: account.phone,
        locale: account.locale,
    }))
}
