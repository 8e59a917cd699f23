//! Employers' API: declarations, payments and arrears under
//! `/api/v1/employers/{unit_code}/…`, for clients with the `declarations:write` scope bound to
//! that employer.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, get, post};

use super::{Arrears, Declaration, DeclarationRequest, Payment, PaymentRequest};
use crate::api_clients::ClientCaller;
use crate::app::AppState;
use crate::error::{AppError, BodyProblems, Problem};
use crate::web::extract::ApiJson;
use crate::web::idempotency::{Answer, IdempotencyKey, Keyed};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(declare).service(pay).service(arrears);
}

/// A whole company's month fits (10,000 workers at ~100 bytes each).
const DECLARATION_LIMIT: usize = 2 * 1024 * 1024;

/// Declare a month's workers and salaries.
///
/// Computes every fund's employee and employer shares with the ceilings and rates in force for
/// the month. Declaring the same month again replaces the earlier declaration as a new version
/// (earlier versions are kept). Any invalid line refuses the whole declaration and changes
/// nothing. Requires an `Idempotency-Key`: a retry with the same key and body returns the first
/// answer; the same key with another body is refused.
#[utoipa::path(
    tag = "employers",
    security(("client_credentials" = ["declarations:write"])),
    params(
        ("unit_code" = String, Path, description = "The employer's unit code", example = "TA1234A"),
        ("Idempotency-Key" = String, Header, description = "A unique key per declaration attempt, 1–255 visible ASCII characters"),
    ),
    request_body = DeclarationRequest,
    responses(
        (status = 201, description = "Declared; the months are in the workers' books", body = Declaration),
        (status = 400, description = "Malformed body or missing `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid client token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `declarations:write`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer for this client", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The same key is being processed; retry", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Lines at fault (unknown worker, salary below the minimum wage, …) or the key was used for another request", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/employers/{unit_code}/declarations")]
async fn declare(
    state: Data<AppState>,
    caller: ClientCaller,
    unit_code: Path<String>,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<DeclarationRequest, DECLARATION_LIMIT>,
) -> Result<HttpResponse, AppError> {
    let unit_code = unit_code.into_inner();
    let keyed = Keyed::new(&caller.id, key, &format!("declare {unit_code}"), &body)?;
    let now = state.clock.now();
    let answer = state
        .db
        .write(move |conn| {
            let employer = super::employer_for(conn, &caller, &unit_code)?;
            keyed.run(conn, now, |conn| {
                let declaration = super::declare(conn, &employer, &body, &caller.id, now)?;
                Answer::json(StatusCode::CREATED, &declaration)
            })
        })
        .await?;
    Ok(answer.into_response())
}

/// Record a payment received from the employer.
///
/// The money fills the oldest owed months first; anything beyond the declared months is kept
/// as credit. Requires an `Idempotency-Key`.
#[utoipa::path(
    tag = "employers",
    security(("client_credentials" = ["declarations:write"])),
    params(
        ("unit_code" = String, Path, description = "The employer's unit code", example = "TA1234A"),
        ("Idempotency-Key" = String, Header, description = "A unique key per payment"),
    ),
    request_body = PaymentRequest,
    responses(
        (status = 201, description = "Recorded and allocated", body = Payment),
        (status = 400, description = "Malformed body or missing `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid client token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `declarations:write`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer for this client", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The same key is being processed; retry", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/employers/{unit_code}/payments")]
async fn pay(
    state: Data<AppState>,
    caller: ClientCaller,
    unit_code: Path<String>,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<PaymentRequest>,
) -> Result<HttpResponse, AppError> {
    let unit_code = unit_code.into_inner();
    let keyed = Keyed::new(&caller.id, key, &format!("pay {unit_code}"), &body)?;
    let now = state.clock.now();
    let answer = state
        .db
        .write(move |conn| {
            let employer = super::employer_for(conn, &caller, &unit_code)?;
            keyed.run(conn, now, |conn| {
                let payment = super::record_payment(conn, &employer, &body, now)?;
                Answer::json(StatusCode::CREATED, &payment)
            })
        })
        .await?;
    Ok(answer.into_response())
}

/// The employer's owed months and late-payment interest to date.
#[utoipa::path(
    tag = "employers",
    security(("client_credentials" = ["declarations:write"])),
    params(("unit_code" = String, Path, description = "The employer's unit code", example = "TA1234A")),
    responses(
        (status = 200, description = "Owed months, oldest first", body = Arrears),
        (status = 401, description = "No valid client token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `declarations:write`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer for this client", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/employers/{unit_code}/arrears")]
async fn arrears(
    state: Data<AppState>,
    caller: ClientCaller,
    unit_code: Path<String>,
) -> Result<HttpResponse, AppError> {
    let unit_code = unit_code.into_inner();
    let today = state.clock.now().date();
    let arrears: Arrears = state
        .db
        .read(move |conn| {
            let employer = super::employer_for(conn, &caller, &unit_code)?;
            super::arrears(conn, &employer, today)
        })
        .await?;
    Ok(HttpResponse::Ok().json(arrears))
}
