//! Staff work on registrations over the API (`/api/v1/staff/enrolments/{id}`): read one
//! beside its applicant (an audited read of their record) and decide it from the version read.

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::registration;
use super::store;
use super::view::{EnrolmentView, view};
use crate::app::AppState;
use crate::audit;
use crate::error::{AppError, BodyProblems, FieldCode, Problem};
use crate::policy::Policy;
use crate::staff::{Permission, StaffCaller, StaffProblems, VersionProblems};
use crate::web::concurrency::{IfMatch, etag};
use crate::web::extract::ApiJson;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(show).service(decide);
}

/// A registration for staff.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffEnrolment)]
pub struct StaffEnrolment {
    pub enrolment: EnrolmentView,
    pub applicant_account_id: String,
    pub applicant_name: String,
    /// The version to send back in `If-Match` (also the `ETag`).
    pub version: i64,
}

fn example() -> serde_json::Value {
    let enrolment: serde_json::Value =
        serde_json::from_str(super::registration_api::EXAMPLE).unwrap_or_default();
    serde_json::json!({
        "enrolment": enrolment, "applicant_account_id": "01932c4e-0000-7c3d-9e8f-0a1b2c3d4e5f",
        "applicant_name": "Nguyễn Văn An", "version": 2,
    })
}

/// A registration beside its applicant; each read is recorded in the audit log and shown in
/// the citizen's access log.
#[utoipa::path(
    operation_id = "staff_show_enrolment",
    tag = "staff work",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The registration's id")),
    responses(
        (status = 200, description = "The registration; `ETag` carries its version", body = StaffEnrolment,
            headers(("ETag" = String, description = "The version, for `If-Match`")), example = example),
        StaffProblems,
        (status = 404, description = "No such registration", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/enrolments/{id}")]
async fn show(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = caller.require(Permission::Review)?.actor(&req);
    let id = id.into_inner();
    let now = state.clock.now();
    let found = state
        .db
        .write(move |conn| {
            let row = store::find(conn, &id)?.ok_or(AppError::NotFound)?;
            let applicant = crate::accounts::store::account(conn, &row.account_id)?
                .ok_or(AppError::NotFound)?;
            let what = format!("enrolment:{}", row.id);
            audit::staff_read(conn, now.and_utc(), &actor, &applicant.id, &what)?;
            let policy = Policy::load(conn)?;
            Ok(StaffEnrolment {
                enrolment: view(conn, &row, &policy, now.date())?,
                applicant_account_id: applicant.id,
                applicant_name: applicant.full_name,
                version: row.version,
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(found.version)))
        .insert_header(("Cache-Control", "private, no-store"))
        .json(found))
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = StaffEnrolmentDecision)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `approve` or `reject`.
    pub decision: String,
    /// Required to reject: the citizen reads it.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The registration's new version after a decision.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffEnrolmentDecided)]
pub struct Decided {
    pub id: String,
    pub status: String,
    pub version: i64,
}

/// Approve or reject a submitted registration (approvers and administrators). Approval lays
/// out the payment schedule and issues household cards; the citizen is emailed.
#[utoipa::path(
    operation_id = "staff_decide_enrolment",
    tag = "staff work",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The registration's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the decision was made on; required (428 without it)"),
    ),
    request_body(content = DecisionRequest, example = json!({"decision": "reject", "reason": "You are already insured through your employer."})),
    responses(
        (status = 200, description = "Decided; `ETag` carries the new version", body = Decided, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "status": "rejected", "version": 3})),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        StaffProblems,
        (status = 404, description = "No such registration", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not waiting for a decision", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule", body = Problem, content_type = "application/problem+json"),
        VersionProblems,
        BodyProblems,
    )
)]
#[post("/staff/enrolments/{id}/decision")]
async fn decide(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    version: Result<IfMatch, AppError>,
    body: Result<ApiJson<DecisionRequest>, AppError>,
) -> Result<HttpResponse, AppError> {
    // Who may decide first, then what they sent.
    let member = caller.require(Permission::Decide)?;
    let (ApiJson(body), version) = (body?, version?);
    let approve = match body.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::invalid("decision", FieldCode::InvalidFormat)),
    };
    let (actor, staff_id) = (member.actor(&req), member.account.id.clone());
    let id = id.into_inner();
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    let target = id.clone();
    let decided = state
        .db
        .write(move |conn| {
            let policy = Policy::load(conn)?;
            let reason = body.reason.unwrap_or_default();
            let decision = registration::Decision {
                staff_id: &staff_id,
                approve,
                reason: &reason,
                version: Some(version.0),
            };
            registration::decide(conn, &target, &decision, &policy, &public_url, now)?;
            let action = if approve {
                "enrolment.approve"
            } else {
                "enrolment.reject"
            };
            let detail = serde_json::json!({ "reason": reason.trim() });
            audit::record(
                conn,
                now.and_utc(),
                &actor.event(action, format!("enrolment:{target}"), detail),
            )?;
            let row = store::find(conn, &target)?.ok_or(AppError::NotFound)?;
            Ok(Decided {
                id: row.id,
                status: row.status,
                version: row.version,
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(decided.version)))
        .json(decided))
}
