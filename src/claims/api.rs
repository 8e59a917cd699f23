//! The citizen's claims over the API: `/api/v1/me/claims`.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::flow::{self, Claim};
use super::form::ClaimForm;
use crate::accounts::tokens::ApiCaller;
use crate::app::AppState;
use crate::error::{AppError, BodyProblems, Problem};
use crate::web::extract::ApiJson;
use crate::web::idempotency::{IdempotencyKey, Keyed};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(show)
        .service(submit)
        .service(withdraw)
        .service(message);
}

const EXAMPLE: &str = r#"{"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "kind": "maternity", "details": {"event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02"}, "status": "submitted", "created_at": "2026-11-20T08:00:00", "submitted_at": "2026-11-20T08:05:00", "timeline": [{"at": "2026-11-20T08:00:00", "status": "draft", "actor": "citizen"}, {"at": "2026-11-20T08:05:00", "status": "submitted", "actor": "citizen"}], "messages": []}"#;

fn example() -> serde_json::Value {
    serde_json::from_str(EXAMPLE).unwrap_or_default()
}

/// Your claims, newest first, each with its timeline and messages.
#[utoipa::path(
    operation_id = "list_claims",
    tag = "claims",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your claims", body = Vec<Claim>, example = json!([])),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/claims")]
async fn list(state: Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, AppError> {
    let claims = state
        .db
        .read(move |conn| flow::list(conn, &caller.account))
        .await?;
    Ok(HttpResponse::Ok().json(claims))
}

/// Start a claim (a draft until you submit it).
///
/// `kind` picks the form in `details`. Requires an `Idempotency-Key`: a retry returns the
/// first answer and creates nothing more.
#[utoipa::path(
    operation_id = "create_claim",
    tag = "claims",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "A unique key per claim")),
    request_body(content = ClaimForm, example = json!({"kind": "maternity", "details": {"event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02"}})),
    responses(
        (status = 201, description = "The draft", body = Claim, example = example),
        (status = 400, description = "Malformed body or missing `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The same key is being processed; retry", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/me/claims")]
async fn create(
    state: Data<AppState>,
    caller: ApiCaller,
    key: IdempotencyKey,
    ApiJson(form): ApiJson<ClaimForm>,
) -> Result<HttpResponse, AppError> {
    let keyed = Keyed::new(&caller.account.id, key, "claim", &form)?;
    let now = state.clock.now();
    keyed
        .answer(&state.db, now, StatusCode::CREATED, move |conn| {
            let id = flow::create(conn, &caller.account, &form, now)?;
            flow::view(conn, &caller.account, &id)
        })
        .await
}

/// One of your claims.
#[utoipa::path(
    operation_id = "show_claim",
    tag = "claims",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The claim's id")),
    responses(
        (status = 200, description = "The claim", body = Claim, example = example),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/claims/{id}")]
async fn show(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let claim = state
        .db
        .read(move |conn| flow::view(conn, &caller.account, &id))
        .await?;
    Ok(HttpResponse::Ok().json(claim))
}

/// Submit a draft, or your answer to a request for information; you get an email.
#[utoipa::path(
    operation_id = "submit_claim",
    tag = "claims",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The claim's id"),
        ("Idempotency-Key" = String, Header, description = "A unique key per submission"),
    ),
    responses(
        (status = 200, description = "Submitted", body = Claim, example = example),
        (status = 400, description = "Missing `Idempotency-Key`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already submitted or decided, or the same key is being processed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not ready (e.g. a lump sum without the comparison read), or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/claims/{id}/submit")]
async fn submit(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
    key: IdempotencyKey,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let keyed = Keyed::new(&caller.account.id, key, &format!("submit claim {id}"), &())?;
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    keyed
        .answer(&state.db, now, StatusCode::OK, move |conn| {
            flow::submit(conn, &caller.account, &id, &public_url, now)?;
            flow::view(conn, &caller.account, &id)
        })
        .await
}

/// Withdraw a claim before it is decided (409 after).
#[utoipa::path(
    operation_id = "withdraw_claim",
    tag = "claims",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The claim's id")),
    responses(
        (status = 200, description = "Withdrawn", body = Claim, example = example),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided or withdrawn", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/claims/{id}/withdraw")]
async fn withdraw(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    let claim = state
        .db
        .write(move |conn| {
            flow::withdraw(conn, &caller.account, &id, &public_url, now)?;
            flow::view(conn, &caller.account, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(claim))
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageRequest {
    #[schema(
        min_length = 1,
        max_length = 4000,
        example = "Tôi đã gửi bổ sung giấy chứng sinh."
    )]
    body: String,
}

/// Write to the staff handling your claim.
#[utoipa::path(
    operation_id = "post_claim_message",
    tag = "claims",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The claim's id")),
    request_body(content = MessageRequest, example = json!({"body": "Tôi đã gửi bổ sung giấy chứng sinh."})),
    responses(
        (status = 201, description = "Posted; the claim with its messages", body = Claim, example = example),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/me/claims/{id}/messages")]
async fn message(
    state: Data<AppState>,
    caller: ApiCaller,
    id: Path<String>,
    ApiJson(request): ApiJson<MessageRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = state.clock.now();
    let claim = state
        .db
        .write(move |conn| {
            flow::post_message(conn, &caller.account, &id, &request.body, now)?;
            flow::view(conn, &caller.account, &id)
        })
        .await?;
    Ok(HttpResponse::Created().json(claim))
}
