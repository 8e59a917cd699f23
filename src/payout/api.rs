//! The payout account over the API: `/api/v1/me/bank-account`.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get, put};
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::PayoutInput;
use super::{MaskedPayoutAccount, Reauth};
use crate::accounts::tokens::ApiCaller;
use crate::app::AppState;
use crate::audit::Actor;
use crate::error::{AppError, BodyProblems, Problem};
use crate::web::client::client_ip;
use crate::web::extract::ApiJson;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(show).service(change);
}

fn example() -> serde_json::Value {
    serde_json::json!({"bank_code": "970436", "bank_name": "Vietcombank", "account_number": "•••• 4567", "holder_name": "NGUYEN VAN AN", "updated_at": "2026-11-30T08:00:00"})
}

/// Your payout bank account, masked (the last four digits only).
#[utoipa::path(
    operation_id = "show_payout_account",
    tag = "payout account",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your payout account", body = MaskedPayoutAccount, example = example),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Staff accounts have no payout account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "You have not given a payout account yet", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/bank-account")]
async fn show(state: Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, AppError> {
    let account = super::mine(&state, &caller.account)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(account))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutAccountChange {
    #[schema(schema_with = super::banks::bin_schema)]
    bank: String,
    /// 6–19 digits; spaces and hyphens between groups are ignored.
    #[schema(example = "0071001234567", min_length = 1, max_length = 40)]
    account_number: String,
    /// As the bank prints it; must be your own full name (accents, capitals and extra spaces
    /// do not matter).
    #[schema(example = "NGUYEN VAN AN", min_length = 1, max_length = 100)]
    holder_name: String,
    /// Your login password, given again to confirm the change (without it: 403).
    #[serde(default)]
    #[schema(max_length = 1024, format = Password)]
    password: String,
    /// The current code from your authenticator app; required when TOTP is enabled.
    #[serde(default)]
    #[schema(example = "123456", max_length = 6)]
    totp_code: Option<String>,
}

/// Set or change your payout bank account.
///
/// Benefits are paid into this account, so it must be in your own name, and the change needs
/// your password (and TOTP code, when enabled) again: without them, or with a wrong one, the
/// answer is 403 `reauth_required` and nothing changes. Every change is emailed to you. The
/// answer shows the account masked.
#[utoipa::path(
    operation_id = "change_payout_account",
    tag = "payout account",
    security(("bearer" = [])),
    request_body(content = PayoutAccountChange, example = json!({"bank": "970436", "account_number": "0071001234567", "holder_name": "NGUYEN VAN AN", "password": "mây trắng trên đồi cao"})),
    responses(
        (status = 200, description = "Saved; you are emailed about the change", body = MaskedPayoutAccount, example = example),
        (status = 400, description = "Malformed body: not JSON, a field of the wrong type, or an unknown field", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Password or TOTP code missing or wrong (`reauth_required`); nothing changed. Or a staff account (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid: an unknown bank, a malformed number, a holder who is not you (`holder_name_mismatch`), or a field missing", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords or codes; see Retry-After", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[put("/me/bank-account")]
async fn change(
    req: HttpRequest,
    state: Data<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<PayoutAccountChange>,
) -> Result<HttpResponse, AppError> {
    let input = PayoutInput {
        bank: &body.bank,
        account_number: &body.account_number,
        holder_name: &body.holder_name,
    };
    let reauth = Reauth {
        password: &body.password,
        totp_code: body.totp_code.as_deref(),
        client: client_ip(&req, state.settings.trust_forwarded_for),
    };
    let actor = Actor::citizen(&req, &caller.account);
    let saved = super::change(&state, &caller.account, actor, &input, &reauth).await?;
    Ok(HttpResponse::Ok().json(saved))
}
