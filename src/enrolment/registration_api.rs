//! Registrations over the API: the citizen's own under `/api/v1/me/enrolments`, and payments
//! recorded by collection agents (`collections:write`) under `/api/v1/enrolments/{id}/payments`.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, get, post, put};

use super::registration::{self, EnrolmentRequest, PaymentReceipt, PaymentRequest};
use super::store;
use super::view::{EnrolmentView, view};
use crate::accounts::store::Account;
use crate::accounts::tokens::ApiCaller;
use crate::api_clients::{ClientCaller, Scope};
use crate::app::AppState;
use crate::db::DbConn;
use crate::error::{AppError, BodyProblems, Problem};
use crate::policy::Policy;
use crate::web::extract::ApiJson;
use crate::web::idempotency::{IdempotencyKey, Keyed};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(show)
        .service(change)
        .service(submit)
        .service(stop)
        .service(pay);
}

pub(crate) const EXAMPLE: &str = r#"{"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "kind": "voluntary_si", "status": "approved", "monthly_income": 3000000, "support_group": "near_poor", "payment_mode": "yearly", "start_month": "2026-12", "evidence_required": true, "evidence": {"file_name": "giay-chung-nhan-ho-can-ngheo.pdf", "content_type": "application/pdf", "size": 184320}, "members": [], "quote": {"monthly": 528000, "months": 12, "period_total": 6336000}, "instalments": [{"seq": 1, "first_month": "2026-12", "months": 12, "amount": 6336000, "due_date": "2027-06-30", "state": "due"}], "submitted_at": "2026-11-30T09:12:00", "decided_at": "2026-12-01T10:00:00"}"#;

fn example() -> serde_json::Value {
    serde_json::from_str(EXAMPLE).unwrap_or_default()
}

/// The caller's registrations with everything each one needs to be shown.
fn views_of(
    conn: &mut DbConn,
    account: &Account,
    policy: &Policy,
    today: chrono::NaiveDate,
) -> Result<Vec<EnrolmentView>, AppError> {
    store::of_account(conn, &account.id)?
        .iter()
        .map(|row| view(conn, row, policy, today))
        .collect()
}

/// One of the caller's registrations, as it stands after `change` (in the same transaction).
fn own_view(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
    today: chrono::NaiveDate,
) -> Result<EnrolmentView, AppError> {
    let row = registration::visible(conn, account, id)?;
    let policy = Policy::load(conn)?;
    view(conn, &row, &policy, today)
}

/// List your registrations, newest first.
#[utoipa::path(
    operation_id = "list_enrolments",
    tag = "enrolments",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your registrations", body = Vec<EnrolmentView>, example = json!([{"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "kind": "household_hi", "status": "draft", "payment_mode": "yearly", "start_month": "2027-01", "evidence_required": false, "members": [{"position": 0, "personal_id": "••••••••3456", "full_name": "Nguyễn Văn An", "birth_date": "1990-05-12", "relationship": "self", "monthly": 113850}], "quote": {"monthly": 113850, "months": 12, "period_total": 1366200}, "instalments": []}])),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/enrolments")]
async fn list(state: Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date();
    let views = state
        .db
        .read(move |conn| {
            let policy = Policy::load(conn)?;
            views_of(conn, &caller.account, &policy, today)
        })
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

/// Start a registration (a draft you can change until you submit it).
///
/// Voluntary SI needs `monthly_income` (between the bounds in force on the start month, else
/// 422 naming them) and optionally `support_group`; household HI needs `members` and a
/// quarterly, half-yearly or yearly `payment_mode`. Members already covered by a valid card
/// from another source are kept with the card that covers them and not charged. Requires an
/// `Idempotency-Key`: a retry returns the first answer and creates nothing more.
#[utoipa::path(
    operation_id = "create_enrolment",
    tag = "enrolments",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "A unique key per registration attempt")),
    request_body(content = EnrolmentRequest, example = json!({"kind": "voluntary_si", "monthly_income": 3000000, "support_group": "near_poor", "payment_mode": "yearly", "start_month": "2026-12"})),
    responses(
        (status = 201, description = "The draft", body = EnrolmentView, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "kind": "voluntary_si", "status": "draft", "monthly_income": 3000000, "support_group": "near_poor", "payment_mode": "yearly", "start_month": "2026-12", "evidence_required": true, "members": [], "quote": {"monthly": 528000, "months": 12, "period_total": 6336000}, "instalments": []})),
        (status = 400, description = "Malformed body or missing `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The same key is being processed; retry", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule (income outside the bounds, a start month in the past, a bad member), or the key was used for another request", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/me/enrolments")]
async fn create(
    state: Data<AppState>,
    caller: ApiCaller,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<EnrolmentRequest>,
) -> Result<HttpResponse, AppError> {
    let keyed = Keyed::new(&caller.account.id, key, "enrol", &body)?;
    let now = state.clock.now();
    keyed
        .answer(&state.db, now, StatusCode::CREATED, move |conn| {
            let policy = Policy::load(conn)?;
            let id = registration::create(conn, &caller.account, &body, &policy, now)?;
            own_view(conn, &caller.account, &id, now.date())
        })
        .await
}

/// One of your registrations: the plan, its price, members, schedule and payments.
#[utoipa::path(
    operation_id = "show_enrolment",
    tag = "enrolments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The registration's id")),
    responses(
        (status = 200, description = "The registration", body = EnrolmentView, example = example),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/enrolments/{id}")]
async fn show(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date();
    let id = id.into_inner();
    let view = state
        .db
        .read(move |conn| own_view(conn, &caller.account, &id, today))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Change a draft; or, once approved, a voluntary plan's income, support group or payment
/// mode (every unpaid instalment is priced again from the next unpaid month).
#[utoipa::path(
    operation_id = "change_enrolment",
    tag = "enrolments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The registration's id")),
    request_body(content = EnrolmentRequest, example = json!({"kind": "voluntary_si", "monthly_income": 4000000, "support_group": "other", "payment_mode": "quarterly", "start_month": "2026-12"})),
    responses(
        (status = 200, description = "The registration as changed", body = EnrolmentView, example = example),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It can no longer be changed (submitted, decided or stopped)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[put("/me/enrolments/{id}")]
async fn change(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
    ApiJson(body): ApiJson<EnrolmentRequest>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let id = id.into_inner();
    let view = state
        .db
        .write(move |conn| {
            let policy = Policy::load(conn)?;
            registration::update(conn, &caller.account, &id, &body, &policy, now)?;
            own_view(conn, &caller.account, &id, now.date())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Submit a draft to the agency; you get a confirmation email.
///
/// A support group other than `other` needs its document first (uploaded on the registration's
/// page); a household needs at least one member not already covered. Requires an
/// `Idempotency-Key`.
#[utoipa::path(
    operation_id = "submit_enrolment",
    tag = "enrolments",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The registration's id"),
        ("Idempotency-Key" = String, Header, description = "A unique key per submission"),
    ),
    responses(
        (status = 200, description = "Submitted", body = EnrolmentView, example = example),
        (status = 400, description = "Missing `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft, or the same key is being processed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not complete (`evidence_required`, `no_members`, start month passed), or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/enrolments/{id}/submit")]
async fn submit(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
    key: IdempotencyKey,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let keyed = Keyed::new(&caller.account.id, key, &format!("submit {id}"), &())?;
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    keyed
        .answer(&state.db, now, StatusCode::OK, move |conn| {
            registration::submit(conn, &caller.account, &id, &public_url, now)?;
            own_view(conn, &caller.account, &id, now.date())
        })
        .await
}

/// Stop a plan (or withdraw a draft or submission). Unpaid instalments are cancelled; paid
/// months stay in your book.
#[utoipa::path(
    operation_id = "stop_enrolment",
    tag = "enrolments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The registration's id")),
    responses(
        (status = 200, description = "Stopped", body = EnrolmentView, example = example),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already rejected or stopped", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/enrolments/{id}/stop")]
async fn stop(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let id = id.into_inner();
    let view = state
        .db
        .write(move |conn| {
            registration::stop(conn, &caller.account, &id, now)?;
            own_view(conn, &caller.account, &id, now.date())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Record a payment collected for an approved registration.
///
/// The amount must equal the oldest unpaid instalment (422 naming it otherwise). Voluntary SI
/// months paid this way appear at once in the citizen's insurance book. Requires an
/// `Idempotency-Key`.
#[utoipa::path(
    operation_id = "record_enrolment_payment",
    tag = "enrolments",
    security(("client_credentials" = ["collections:write"])),
    params(
        ("id" = String, Path, description = "The registration's id"),
        ("Idempotency-Key" = String, Header, description = "A unique key per payment"),
    ),
    request_body(content = PaymentRequest, example = json!({"amount": 6336000, "paid_on": "2026-12-05", "reference": "BL-2026-000123"})),
    responses(
        (status = 201, description = "Recorded", body = PaymentReceipt, example = json!({"enrolment_id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "seq": 1, "first_month": "2026-12", "months": 12, "amount": 6336000, "paid_on": "2026-12-05", "reference": "BL-2026-000123"})),
        (status = 400, description = "Malformed body or missing `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid client token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `collections:write`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not approved, nothing due, or the same key is being processed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The amount is not the one due, or a field is invalid, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/enrolments/{id}/payments")]
async fn pay(
    state: Data<AppState>,
    caller: ClientCaller,
    id: Path<String>,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<PaymentRequest>,
) -> Result<HttpResponse, AppError> {
    caller.require(Scope::CollectionsWrite)?;
    let id = id.into_inner();
    let keyed = Keyed::new(&caller.id, key, &format!("pay {id}"), &body)?;
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    keyed
        .answer(&state.db, now, StatusCode::CREATED, move |conn| {
            let policy = Policy::load(conn)?;
            registration::record_payment(
                conn,
                &id,
                &body,
                &format!("client:{}", caller.name),
                &policy,
                &public_url,
                now,
            )
        })
        .await
}
