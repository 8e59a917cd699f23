//! Statistics over the API: the public aggregates (`GET /api/v1/statistics`, cacheable), every
//! figure for staff (`GET /api/v1/staff/statistics`) and the coverage targets administrators
//! set (`PUT /api/v1/staff/coverage-targets/{year}/{scheme}`).

use actix_web::http::header::IF_MATCH;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, put};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Expected, NewTarget, PublicStatistics, StaffStatistics};
use crate::app::AppState;
use crate::error::{AppError, BodyProblems, FieldCode, Problem};
use crate::insurance_book::model::Month;
use crate::staff::{Permission, StaffCaller};
use crate::web::cache;
use crate::web::concurrency::{IfMatch, etag};
use crate::web::extract::ApiJson;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(public).service(staff).service(set_target);
}

const PUBLIC_EXAMPLE: &str = r#"{"month": "2026-10", "as_of": "2026-11-30", "schemes": [{"scheme": "compulsory_si", "participants": 2, "target": 4, "coverage_percent": 50.0}, {"scheme": "voluntary_si", "participants": 1, "target": null, "coverage_percent": null}, {"scheme": "household_hi", "participants": 2, "target": null, "coverage_percent": null}], "provinces": [{"code": "01", "name": "Hà Nội", "compulsory_si": 1, "voluntary_si": 1, "household_hi": 0}, {"code": "79", "name": "TP. Hồ Chí Minh", "compulsory_si": 1, "voluntary_si": 0, "household_hi": 2}], "claims_by_kind": [{"kind": "sickness", "received": 3, "decided": 2}], "decision_time": {"decided": 2, "average_days": 6.5, "p90_days": 10.0, "within_deadline_percent": 50.0}, "total_arrears": 12500000}"#;

const STAFF_EXAMPLE: &str = r#"{"month": "2026-10", "as_of": "2026-11-30", "schemes": [{"scheme": "compulsory_si", "participants": 2, "target": 4, "coverage_percent": 50.0}], "provinces": [{"code": "01", "name": "Hà Nội", "compulsory_si": 1, "voluntary_si": 1, "household_hi": 0}], "claims": [{"kind": "sickness", "status": "approved", "claims": 1}, {"kind": "sickness", "status": "in_review", "claims": 1}], "claims_by_kind": [{"kind": "sickness", "received": 2, "decided": 1}], "decision_time": {"decided": 1, "average_days": 3.0, "p90_days": 3.0, "within_deadline_percent": 100.0}, "breaches": [{"claim_id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "kind": "sickness", "status": "in_review", "decision_due": "2026-11-20", "decided_on": null, "days_late": 10}], "arrears": {"total_owed": 12500000, "employers_owing": 1, "months_owed": 2, "top_debtors": [{"name": "Công ty TNHH Phần mềm Sông Hồng", "tax_code": "0101234567", "owed": 12500000, "months_owed": 2}]}}"#;

fn public_example() -> serde_json::Value {
    serde_json::from_str(PUBLIC_EXAMPLE).unwrap_or_default()
}

fn staff_example() -> serde_json::Value {
    serde_json::from_str(STAFF_EXAMPLE).unwrap_or_default()
}

/// Public figures: participants by scheme and province, coverage against the targets, claims
/// received and decided, decision times, and what employers owe in total. Aggregates only:
/// no names of people or employers.
#[utoipa::path(
    operation_id = "public_statistics",
    tag = "statistics",
    responses(
        (status = 200, description = "The figures for the last complete month", body = PublicStatistics, example = public_example),
        (status = 304, description = "Unchanged since the `ETag` given in `If-None-Match`"),
    )
)]
#[get("/statistics")]
async fn public(req: HttpRequest, state: Data<AppState>) -> Result<HttpResponse, AppError> {
    let figures = super::public_figures(&state).await?;
    Ok(cache::json(&req, &figures))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// The month participants are counted in, `YYYY-MM` (default: the last complete month).
    #[param(example = "2026-10")]
    pub month: Option<String>,
}

impl MonthQuery {
    pub fn month(&self) -> Result<Option<Month>, AppError> {
        match self.month.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => Month::parse(text)
                .map(Some)
                .ok_or_else(|| AppError::invalid("month", FieldCode::MonthFormat)),
        }
    }
}

/// Every figure, for staff: also claims by status, the claims past their deadline and the
/// employers owing most.
#[utoipa::path(
    operation_id = "staff_statistics",
    tag = "statistics",
    security(("bearer" = [])),
    params(MonthQuery),
    responses(
        (status = 200, description = "The figures", body = StaffStatistics, example = staff_example),
        (status = 401, description = "No valid access token, or a staff token issued without the second factor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a staff token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`month` is not `YYYY-MM`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/statistics")]
async fn staff(
    state: Data<AppState>,
    caller: StaffCaller,
    query: Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    caller.require(Permission::ReadStats)?;
    let figures = super::staff_figures(&state, query.month()?).await?;
    Ok(HttpResponse::Ok().json(figures))
}

/// A coverage target to set.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = CoverageTargetRequest)]
#[serde(deny_unknown_fields)]
pub struct TargetRequest {
    /// How many people the scheme should cover that year (1 to 200,000,000).
    #[schema(example = 17_000_000)]
    pub target_people: i64,
}

/// A coverage target as stored.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CoverageTarget)]
pub struct TargetView {
    pub year: i32,
    pub scheme: String,
    pub target_people: i64,
    /// Bumped by every change; also the `ETag` (`"v2"`).
    pub version: i32,
}

/// Set the number of people a scheme should cover in a year (administrators). A new target
/// needs no `If-Match`; changing one needs the `ETag` it was read with, so two administrators
/// cannot overwrite each other unknowingly.
#[utoipa::path(
    operation_id = "set_coverage_target",
    tag = "statistics",
    security(("bearer" = [])),
    params(
        ("year" = String, Path, description = "The year, 2000–2100", example = "2026"),
        ("scheme" = String, Path, description = "`compulsory_si`, `voluntary_si` or `household_hi`", example = "compulsory_si"),
        ("If-Match" = Option<String>, Header, description = "The target's `ETag`; required when the target exists"),
    ),
    request_body(content = TargetRequest, example = json!({"target_people": 17_000_000})),
    responses(
        (status = 200, description = "The target as set, with its `ETag`", body = TargetView, example = json!({"year": 2026, "scheme": "compulsory_si", "target_people": 17_000_000, "version": 2})),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token, or a staff token issued without the second factor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The target changed since the `ETag` given (or was created meanwhile)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown scheme, a year or number out of bounds, or a missing field", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "The target exists: send `If-Match`", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[put("/staff/coverage-targets/{year}/{scheme}")]
async fn set_target(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    path: Path<(String, String)>,
    body: Result<ApiJson<TargetRequest>, AppError>,
) -> Result<HttpResponse, AppError> {
    // Who may set targets first, then what they sent.
    let me = caller.require(Permission::ManagePolicy)?;
    let ApiJson(body) = body?;
    let (year, scheme) = path.into_inner();
    let year: i64 = year
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("year", FieldCode::InvalidFormat))?;
    let new = NewTarget::parse(year, &scheme, body.target_people)?;
    let expected = match req.headers().get(IF_MATCH) {
        None => Expected::Unstated,
        Some(value) => {
            let IfMatch(version) = value
                .to_str()
                .map_err(|_| AppError::Stale)
                .and_then(IfMatch::parse)?;
            Expected::Version(version)
        }
    };
    let actor = me.actor(&req);
    let now = state.clock.now();
    let target = state
        .db
        .write(move |conn| super::set_target(conn, &new, expected, &actor, now))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::ETAG,
            etag(i64::from(target.version)),
        ))
        .json(TargetView {
            year: target.year,
            scheme: target.scheme,
            target_people: target.target_people,
            version: target.version,
        }))
}
