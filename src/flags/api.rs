//! Fraud flags for staff over the API: `/api/v1/staff/flags` (list, one with its `ETag`, and
//! the triage with `If-Match`). Reading a flag is a staff read of the citizen's record.

use actix_web::web::{Data, Path, Query as UrlQuery};
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{Flag, Outcome};
use crate::app::AppState;
use crate::error::{AppError, BodyProblems, FieldCode, Problem};
use crate::staff::{Permission, StaffCaller};
use crate::web::concurrency::{IfMatch, tag};
use crate::web::extract::ApiJson;
use crate::web::i18n::Lang;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(show).service(triage);
}

const EXAMPLE: &str = r#"{"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "kind": "shared_phone", "account_id": "01932c4e-7b2c-7d3e-8f90-1a2b3c4d5e6f", "evidence": {"accounts": ["01932c4e-5a0b-7c3d-9e8f-0a1b2c3d4e5f", "01932c4e-7b2c-7d3e-8f90-1a2b3c4d5e6f"], "count": 2, "value": "…678"}, "explanation": "2 people who are not in one household gave the same phone number (ending …678).", "status": "open", "version": 1, "created_at": "2026-11-30T02:00:00"}"#;

fn example() -> serde_json::Value {
    serde_json::from_str(EXAMPLE).unwrap_or_default()
}

fn examples() -> serde_json::Value {
    serde_json::Value::Array(vec![example()])
}

/// What the list may be narrowed by.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FlagQuery {
    /// `open`, `dismissed` or `confirmed`.
    #[param(example = "open")]
    status: Option<String>,
    /// One kind, e.g. `shared_phone`.
    #[param(example = "shared_phone")]
    kind: Option<String>,
}

/// Reads a filter value: absent or empty is no filter; anything but a known value is 422.
pub fn filter<'a>(
    field: &str,
    value: Option<&'a str>,
    known: impl Fn(&str) -> bool,
) -> Result<Option<&'a str>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if known(v) => Ok(Some(v)),
        Some(_) => Err(AppError::invalid(field, FieldCode::InvalidFormat)),
    }
}

/// Fraud and duplicate flags, open first then newest first (at most 500).
#[utoipa::path(
    operation_id = "list_fraud_flags",
    tag = "fraud flags",
    security(("bearer" = [])),
    params(FlagQuery),
    responses(
        (status = 200, description = "Flags", body = Vec<Flag>, example = examples),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff, no second factor, or a role that does not review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown status or kind", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/flags")]
async fn list(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    query: UrlQuery<FlagQuery>,
) -> Result<HttpResponse, AppError> {
    caller.require(Permission::Review)?;
    let query = query.into_inner();
    let status = filter("status", query.status.as_deref(), |s| {
        super::STATUSES.contains(&s)
    })?
    .map(str::to_owned);
    let kind = filter("kind", query.kind.as_deref(), |k| {
        super::rules::Kind::parse(k).is_some()
    })?
    .map(str::to_owned);
    let catalog = Lang::of_request(&req).catalog();
    let flags = state
        .db
        .read(move |conn| super::list(conn, catalog, status.as_deref(), kind.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(flags))
}

/// One flag, with its `ETag` (send it back in `If-Match` to triage). Audited as a staff read of
/// the citizen's record.
#[utoipa::path(
    operation_id = "show_fraud_flag",
    tag = "fraud flags",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The flag's id")),
    responses(
        (status = 200, description = "The flag", body = Flag,
            headers(("ETag" = String, description = "The flag's version, e.g. `\"v1\"`")), example = example),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff, no second factor, or a role that does not review", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such flag", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/flags/{id}")]
async fn show(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let me = caller.require(Permission::Review)?;
    let actor = me.actor(&req);
    let catalog = Lang::of_request(&req).catalog();
    let now = state.clock.now();
    let id = id.into_inner();
    let flag = state
        .db
        .write(move |conn| {
            let flag = super::get(conn, catalog, &id)?;
            crate::audit::staff_read(conn, now.and_utc(), &actor, &flag.account_id, "flags")?;
            Ok(flag)
        })
        .await?;
    let mut response = HttpResponse::Ok();
    tag(&mut response, flag.version);
    Ok(response.json(flag))
}

/// A triage decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FlagTriage)]
pub struct TriageRequest {
    /// `confirmed` or `dismissed`.
    #[schema(example = "dismissed")]
    status: String,
    /// Why; required to dismiss.
    #[serde(default)]
    #[schema(max_length = 2000, example = "Hai vợ chồng dùng chung số điện thoại.")]
    reason: String,
}

/// Confirm a flag, or dismiss it with a reason. Needs the flag's `ETag` in `If-Match`.
#[utoipa::path(
    operation_id = "triage_fraud_flag",
    tag = "fraud flags",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The flag's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` of the flag as read; required (428 without it)"),
    ),
    request_body(content = TriageRequest, example = json!({"status": "dismissed", "reason": "Hai vợ chồng dùng chung số điện thoại."})),
    responses(
        (status = 200, description = "Triaged", body = Flag,
            headers(("ETag" = String, description = "The flag's new version")), example = example),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff, no second factor, or a role that does not review", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such flag", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already triaged", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since it was read (`If-Match` names an older version)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown status, or a dismissal without a reason", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No `If-Match`", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/staff/flags/{id}/triage")]
async fn triage(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    if_match: Result<IfMatch, AppError>,
    request: Result<ApiJson<TriageRequest>, AppError>,
) -> Result<HttpResponse, AppError> {
    // Who may triage first, then what they sent.
    let me = caller.require(Permission::Review)?;
    let (ApiJson(request), if_match) = (request?, if_match?);
    let actor = me.actor(&req);
    let catalog = Lang::of_request(&req).catalog();
    let now = state.clock.now();
    let id = id.into_inner();
    let flag = state
        .db
        .write(move |conn| {
            let outcome = Outcome::parse(request.status.trim());
            super::triage(conn, &actor, &id, if_match.0, outcome, &request.reason, now)?;
            super::get(conn, catalog, &id)
        })
        .await?;
    let mut response = HttpResponse::Ok();
    tag(&mut response, flag.version);
    Ok(response.json(flag))
}
