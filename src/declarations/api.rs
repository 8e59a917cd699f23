//! Employers' API: declarations, payments and arrears under
//! `/api/v1/employers/{unit_code}/…`, for clients with the `declarations:write` scope bound to
//! that employer.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, get, post};
use serde::Serialize;

use super::{Arrears, Declaration, DeclarationRequest, Payment, PaymentRequest};
use crate::api_clients::ClientCaller;
use crate::app::AppState;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::error::{AppError, BodyProblems, Problem};
use crate::insurance_book::store::Employer;
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
    request_body(content = DeclarationRequest, example = json!({"month": "2026-08", "workers": [{"si_code": "0190123456", "salary": 60000000}, {"personal_id": "079303000001", "salary": 9600000}]})),
    responses(
        (status = 201, description = "Declared; the months are in the workers' books", body = Declaration, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "unit_code": "TA1234A", "month": "2026-08", "version": 1, "workers": [{"si_code": "0190123456", "full_name": "Nguyễn Văn An", "salary": 60000000, "funds": {"pension_employee": 4048000, "pension_employer": 7084000, "sickness_employer": 1518000, "accident_employer": 253000, "unemployment_employee": 600000, "unemployment_employer": 600000, "health_employee": 759000, "health_employer": 1518000}, "employee_share": 5407000, "employer_share": 10973000}], "total_employee": 5407000, "total_employer": 10973000, "total_due": 16380000, "due_date": "2026-09-30"})),
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
    employer_change(
        &state,
        caller,
        unit_code.into_inner(),
        key,
        "declare",
        body,
        |conn, employer, caller, body, now| super::declare(conn, employer, body, &caller.id, now),
    )
    .await
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
    request_body(content = PaymentRequest, example = json!({"amount": 16380000, "paid_on": "2026-09-25", "reference": "UNC-2026-0925-001"})),
    responses(
        (status = 201, description = "Recorded and allocated", body = Payment, example = json!({"id": "01932c4f-0b2c-7d4e-8f90-1a2b3c4d5e6f", "amount": 16380000, "paid_on": "2026-09-25", "reference": "UNC-2026-0925-001", "allocations": [{"month": "2026-08", "amount": 16380000, "settled": true}], "credit": 0})),
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
    employer_change(
        &state,
        caller,
        unit_code.into_inner(),
        key,
        "pay",
        body,
        |conn, employer, _, body, now| super::record_payment(conn, employer, body, now),
    )
    .await
}

/// A keyed change to one employer's account, in one transaction: the client must act for the
/// employer; a repeat of the same request under the same key gets the first answer (201).
async fn employer_change<B, R>(
    state: &AppState,
    caller: ClientCaller,
    unit_code: String,
    key: IdempotencyKey,
    operation: &str,
    body: B,
    change: impl FnOnce(&mut DbConn, &Employer, &ClientCaller, &B, Timestamp) -> Result<R, AppError>
    + Send
    + 'static,
) -> Result<HttpResponse, AppError>
where
    B: Serialize + Send + 'static,
    R: Serialize,
{
    let keyed = Keyed::new(&caller.id, key, &format!("{operation} {unit_code}"), &body)?;
    let now = state.clock.now();
    let answer = state
        .db
        .write(move |conn| {
            let employer = super::employer_for(conn, &caller, &unit_code)?;
            keyed.run(conn, now, |conn| {
                let result = change(conn, &employer, &caller, &body, now)?;
                Answer::json(StatusCode::CREATED, &result)
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
        (status = 200, description = "Owed months, oldest first", body = Arrears, example = json!({"unit_code": "TA1234A", "as_of": "2026-11-24", "months": [{"month": "2026-09", "due": 16380000, "paid": 0, "outstanding": 16380000, "due_date": "2026-10-31", "days_late": 24, "interest": 117936}], "total_outstanding": 16380000, "total_interest": 117936, "interest_basis": "Law 41/2024/QH15 Art. 38-41"})),
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
