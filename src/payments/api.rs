//! Payment runs over the API, for staff who pay (`/api/v1/staff/payment-runs`).

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{RunDetail, RunView};
use crate::app::AppState;
use crate::error::{AppError, BodyProblems, Problem};
use crate::staff::{Permission, StaffCaller};
use crate::web::concurrency::{IfMatch, tag};
use crate::web::extract::ApiJson;
use crate::web::idempotency::{IdempotencyKey, Keyed};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(show)
        .service(export)
        .service(paid)
        .service(return_item);
}

const EXAMPLE: &str = r#"{"id": "01937a4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "reference": "PR-2026-11-30-001", "status": "draft", "created_at": "2026-11-30T08:00:00", "total_amount": 5060000, "item_count": 1, "version": 1, "items": [{"seq": 1, "claim_id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "claimant_name": "Nguyễn Văn An", "bank_code": "970436", "bank_name": "Vietcombank", "account_number": "•••• 4567", "holder_name": "NGUYEN VAN AN", "amount": 5060000, "status": "pending"}], "pending_amount": 5060000, "paid_amount": 0, "returned_amount": 0}"#;

fn example() -> serde_json::Value {
    serde_json::from_str(EXAMPLE).unwrap_or_default()
}

fn detail_response(detail: &RunDetail) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    tag(&mut response, detail.run.version);
    response.json(detail)
}

/// Every payment run, newest first.
#[utoipa::path(
    operation_id = "list_payment_runs",
    tag = "payments",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The runs", body = Vec<RunView>, example = json!([{"id": "01937a4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "reference": "PR-2026-11-30-001", "status": "exported", "created_at": "2026-11-30T08:00:00", "exported_at": "2026-11-30T08:10:00", "total_amount": 5060000, "item_count": 1, "version": 1}])),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who pay, or no second factor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/payment-runs")]
async fn list(state: Data<AppState>, caller: StaffCaller) -> Result<HttpResponse, AppError> {
    caller.require(Permission::Pay)?;
    let runs = state.db.read(super::list).await?;
    Ok(HttpResponse::Ok().json(runs))
}

/// Batch every approved claim with a payout account, not already in a live run, into a new
/// run (claims without an account are paid at the office and stay out).
///
/// Requires an `Idempotency-Key`: a retry returns the first answer. With nothing waiting the
/// answer is 409.
#[utoipa::path(
    operation_id = "create_payment_run",
    tag = "payments",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "A unique key per run")),
    responses(
        (status = 201, description = "The new run", body = RunDetail, example = example),
        (status = 400, description = "Missing `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who pay, or no second factor", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No approved claim waits for a bank transfer, or the same key is being processed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/payment-runs")]
async fn create(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    key: Result<IdempotencyKey, AppError>,
) -> Result<HttpResponse, AppError> {
    // Who may pay first, then what they sent.
    let me = caller.require(Permission::Pay)?;
    let key = key?;
    let actor = me.actor(&req);
    let staff_id = me.account.id.clone();
    let keyed = Keyed::new(&staff_id, key, "payment_run", &())?;
    let keys = state.keyring.clone();
    let now = state.clock.now();
    keyed
        .answer(&state.db, now, StatusCode::CREATED, move |conn| {
            let id = super::create_run(conn, &keys, &actor, &staff_id, now)?;
            super::detail(conn, &id)
        })
        .await
}

/// One run with its items; the `ETag` is what `If-Match` must name to settle it.
#[utoipa::path(
    operation_id = "show_payment_run",
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The run's id")),
    responses(
        (status = 200, description = "The run", body = RunDetail, headers(("ETag" = String, description = "The run's version, e.g. `\"v1\"`")), example = example),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who pay, or no second factor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such run", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/payment-runs/{id}")]
async fn show(
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    caller.require(Permission::Pay)?;
    let id = id.into_inner();
    let detail = state.db.read(move |conn| super::detail(conn, &id)).await?;
    Ok(detail_response(&detail))
}

/// The run's bank-transfer file (CSV, UTF-8, CRLF): seq, bank BIN, full account number,
/// holder (upper case without marks, and as given), amount in whole VND, transfer description,
/// reference. Marks a draft exported. It holds full account numbers: every download is
/// audited as a read of each citizen's account, and it is never cached.
#[utoipa::path(
    operation_id = "export_payment_run",
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The run's id")),
    responses(
        (status = 200, description = "The transfer file", body = String, content_type = "text/csv",
            example = "seq,bank_bin,account_number,account_holder,account_holder_original,amount,description,reference\r\n1,970436,0071001234567,NGUYEN VAN AN,Nguyễn Văn An,5060000,BHXH 2C3D4E5F PR-2026-11-30-001,PR-2026-11-30-001/1\r\n"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who pay, or no second factor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such run", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The run is closed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/payment-runs/{id}/export")]
async fn export(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let me = caller.require(Permission::Pay)?;
    super::pages::csv_download(&state, me.actor(&req), id.into_inner()).await
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PaymentRunPaid)]
pub struct PaidRequest {
    /// The day the bank made the transfers (not in the future).
    #[schema(value_type = String, format = Date, example = "2026-11-30")]
    paid_on: chrono::NaiveDate,
    /// The bank's reference for the batch; each claim carries `<run reference>/<seq>` when
    /// empty.
    #[serde(default)]
    #[schema(max_length = 64, example = "VCB-20261130-7781")]
    bank_reference: String,
}

/// The bank paid every transfer still pending: each claim becomes paid with the date and
/// reference (the citizen is emailed), and the run closes. Needs `If-Match` with the run's
/// `ETag`; the run must have been exported.
#[utoipa::path(
    operation_id = "mark_payment_run_paid",
    tag = "payments",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The run's id"),
        ("If-Match" = Option<String>, Header, description = "The run's `ETag`, e.g. `\"v1\"`; required (428 without it)"),
    ),
    request_body(content = PaidRequest, example = json!({"paid_on": "2026-11-30", "bank_reference": "VCB-20261130-7781"})),
    responses(
        (status = 200, description = "The run, settled", body = RunDetail, headers(("ETag" = String, description = "The run's new version")), example = example),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who pay, or no second factor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such run", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not exported yet, or already closed", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The run changed since that `ETag`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A date in the future or a reference too long", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match`", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/staff/payment-runs/{id}/paid")]
async fn paid(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    if_match: Result<IfMatch, AppError>,
    body: Result<ApiJson<PaidRequest>, AppError>,
) -> Result<HttpResponse, AppError> {
    // Who may pay first, then what they sent.
    let me = caller.require(Permission::Pay)?;
    let (ApiJson(body), if_match) = (body?, if_match?);
    let actor = me.actor(&req);
    let staff_id = me.account.id.clone();
    let public_url = state.settings.public_url.clone();
    let now = state.clock.now();
    let id = id.into_inner();
    let detail = state
        .db
        .write(move |conn| {
            super::mark_paid(
                conn,
                &actor,
                &staff_id,
                &id,
                if_match.0,
                body.paid_on,
                &body.bank_reference,
                &public_url,
                now,
            )?;
            super::detail(conn, &id)
        })
        .await?;
    Ok(detail_response(&detail))
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PaymentItemReturn)]
pub struct ReturnRequest {
    /// Why the bank sent it back, in words the citizen reads.
    #[schema(min_length = 1, max_length = 500, example = "Tài khoản đã đóng")]
    reason: String,
}

/// The bank sent back the transfer for one claim: the item is returned, the claim stays
/// approved (a later run takes it again) and the citizen is emailed to check their bank
/// account. Needs `If-Match` with the run's `ETag`.
#[utoipa::path(
    operation_id = "return_payment_item",
    tag = "payments",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The run's id"),
        ("claim_id" = String, Path, description = "The claim's id"),
        ("If-Match" = Option<String>, Header, description = "The run's `ETag`, e.g. `\"v1\"`; required (428 without it)"),
    ),
    request_body(content = ReturnRequest, example = json!({"reason": "Tài khoản đã đóng"})),
    responses(
        (status = 200, description = "The run", body = RunDetail, headers(("ETag" = String, description = "The run's new version")), example = example),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who pay, or no second factor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such run, or the claim is not in it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not exported yet, closed, or the item already settled", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The run changed since that `ETag`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or one too long", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match`", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/staff/payment-runs/{id}/items/{claim_id}/return")]
async fn return_item(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    path: Path<(String, String)>,
    if_match: Result<IfMatch, AppError>,
    body: Result<ApiJson<ReturnRequest>, AppError>,
) -> Result<HttpResponse, AppError> {
    // Who may pay first, then what they sent.
    let me = caller.require(Permission::Pay)?;
    let ApiJson(body) = body?;
    // What was sent is refused before its version is looked at.
    super::return_reason(&body.reason)?;
    let if_match = if_match?;
    let actor = me.actor(&req);
    let public_url = state.settings.public_url.clone();
    let now = state.clock.now();
    let (id, claim_id) = path.into_inner();
    let detail = state
        .db
        .write(move |conn| {
            super::return_item(
                conn,
                &actor,
                &id,
                &claim_id,
                if_match.0,
                &body.reason,
                &public_url,
                now,
            )?;
            super::detail(conn, &id)
        })
        .await?;
    Ok(detail_response(&detail))
}
