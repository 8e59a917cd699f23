//! Staff work on claims over the API (`/api/v1/staff/claims/{id}`), for the agency's own
//! tools: the same casefile and actions as the review page. Reading gives an `ETag`; every
//! action needs it back in `If-Match`, so of two people acting on one version exactly one wins
//! and the other gets 412.

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::casefile::{self, Casefile};
use super::flow::StaffAction;
use crate::app::AppState;
use crate::error::{AppError, Problem};
use crate::staff::{Permission, StaffCaller, StaffProblems};
use crate::web::concurrency::{IfMatch, etag};
use crate::web::extract::ApiJson;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(show)
        .service(review)
        .service(request_info)
        .service(propose)
        .service(approve)
        .service(reject)
        .service(mark_paid);
}

/// What every action on a claim may answer besides the caller's problems, documented once.
#[derive(utoipa::IntoResponses)]
pub enum ActionProblems {
    /// No such claim.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Not possible in the claim's state (`wrong_state`).
    #[response(status = 409, content_type = "application/problem+json")]
    WrongState(Problem),
    /// Someone changed it since the version in `If-Match` (`stale`).
    #[response(status = 412, content_type = "application/problem+json")]
    Stale(Problem),
    /// `If-Match` is missing (`precondition_required`).
    #[response(status = 428, content_type = "application/problem+json")]
    Required(Problem),
}

/// What an action with a body may also answer, documented once.
#[derive(utoipa::IntoResponses)]
pub enum BodyActionProblems {
    /// The body could not be read.
    #[response(status = 400, content_type = "application/problem+json")]
    Malformed(Problem),
    /// A field breaks a rule; `errors[].code` says which (`four_eyes`, `proposal_changed`,
    /// `required`...).
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
    /// Larger than 64 KiB.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// Not `application/json`.
    #[response(status = 415, content_type = "application/problem+json")]
    NotJson(Problem),
}

/// The claim's new version after an action (also its `ETag`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffClaimActionDone)]
pub struct Done {
    pub id: String,
    pub version: i64,
}

fn example() -> serde_json::Value {
    serde_json::json!({
        "claim": super::api::example(),
        "version": 3,
        "applicant": {"account_id": "01932c4e-0000-7c3d-9e8f-0a1b2c3d4e5f", "full_name": "Nguyễn Văn An", "personal_id": "••••••••3456"},
        "earlier_claims": [{"id": "01932c4e-1111-7c3d-9e8f-0a1b2c3d4e5f", "kind": "sickness", "status": "paid", "created_at": "2026-03-02T08:00:00", "decided_amount": 1500000}],
        "proposal": {"amount": 5060000, "by": "Lê Văn Cường", "by_id": "01932c4e-2222-7c3d-9e8f-0a1b2c3d4e5f"},
        "needs_second_person": false,
        "flags": [],
    })
}

/// A claim for staff: the claim beside the applicant's book, earlier claims and the proposal
/// waiting for approval. Each read is recorded in the audit log and shown in the citizen's
/// access log.
#[utoipa::path(
    operation_id = "staff_show_claim",
    tag = "staff work",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The claim's id")),
    responses(
        (status = 200, description = "The casefile; `ETag` carries its version", body = Casefile,
            headers(("ETag" = String, description = "The version, for `If-Match`")), example = example),
        StaffProblems,
        (status = 404, description = "No such claim", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/claims/{id}")]
async fn show(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = caller.require(Permission::Review)?.actor(&req);
    let id = id.into_inner();
    let now = state.clock.now();
    let above = state.settings.limits.casework.four_eyes_above;
    let catalog = crate::web::i18n::Lang::of_request(&req).catalog();
    let (file, _) = state
        .db
        .write(move |conn| casefile::open(conn, &id, &actor, above, catalog, now))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(file.version)))
        .insert_header(("Cache-Control", "private, no-store"))
        .json(file))
}

/// Runs `action` for the caller from the `If-Match` version.
async fn run(
    req: &HttpRequest,
    state: &AppState,
    caller: &StaffCaller,
    id: String,
    version: Result<IfMatch, AppError>,
    kind: ActionKind,
    body: Result<Body, AppError>,
) -> Result<HttpResponse, AppError> {
    // Who may act first, then what they sent (`casefile::act` checks the permission again).
    let member = caller.require(permission(kind))?.clone();
    // A body that cannot be read is refused before its version is looked at.
    let (body, version) = (body?, version?);
    let actor = member.actor(req);
    let settings = state.settings.clone();
    let now = state.clock.now();
    let target = id.clone();
    let next = state
        .db
        .write(move |conn| {
            let action = body.action(kind);
            casefile::act(
                conn, &target, &member, &actor, version.0, &action, &settings, now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(next)))
        .json(Done { id, version: next }))
}

/// The permission an action needs: the one rule, `casefile::permission_for`, asked before the
/// body is read (its fields do not change the permission).
fn permission(kind: ActionKind) -> Permission {
    casefile::permission_for(&Body::default().action(kind))
}

#[derive(Clone, Copy, Debug)]
enum ActionKind {
    Review,
    RequestInfo,
    Propose,
    Approve,
    Reject,
    MarkPaid,
}

/// The fields of every action's body, moved into the write transaction.
#[derive(Debug, Default)]
struct Body {
    message: String,
    amount: Option<i64>,
    reason: String,
    reason_code: String,
    reference: String,
    paid_on: Option<chrono::NaiveDate>,
}

impl Body {
    fn action(&self, kind: ActionKind) -> StaffAction<'_> {
        match kind {
            ActionKind::Review => StaffAction::Review,
            ActionKind::RequestInfo => StaffAction::RequestInfo {
                message: &self.message,
            },
            ActionKind::Propose => StaffAction::Propose {
                amount: self.amount.unwrap_or_default(),
                reason: &self.reason,
            },
            ActionKind::Approve => StaffAction::Approve {
                amount: self.amount,
                reason: &self.reason,
            },
            ActionKind::Reject => StaffAction::Reject {
                code: &self.reason_code,
                text: &self.reason,
            },
            ActionKind::MarkPaid => StaffAction::MarkPaid {
                reference: &self.reference,
                paid_on: self.paid_on.unwrap_or_default(),
            },
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = StaffClaimRequestInfo)]
#[serde(deny_unknown_fields)]
pub struct RequestInfo {
    /// What the citizen should add; they see it and get an email.
    pub message: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = StaffClaimPropose)]
#[serde(deny_unknown_fields)]
pub struct Propose {
    /// VND.
    pub amount: i64,
    /// Required when the amount is not the one the rules computed.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = StaffClaimApproval)]
#[serde(deny_unknown_fields)]
pub struct Approve {
    /// Only for a direct approval (no proposal, and no second person needed); with a proposal
    /// it must equal the proposed amount.
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = StaffClaimRejection)]
#[serde(deny_unknown_fields)]
pub struct Reject {
    /// `not_eligible`, `documents_missing`, `duplicate_claim` or `out_of_time`.
    pub reason_code: String,
    /// Shown to the citizen.
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = StaffClaimPayment)]
#[serde(deny_unknown_fields)]
pub struct MarkPaid {
    pub reference: String,
    #[schema(format = Date)]
    pub paid_on: chrono::NaiveDate,
}

/// Take a submitted claim into review.
#[utoipa::path(
    operation_id = "staff_review_claim",
    tag = "staff work",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The claim's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the action was decided on; required (428 without it)"),
    ),
    responses(
        (status = 200, description = "Done; `ETag` carries the new version", body = Done, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "version": 3})),
        StaffProblems,
        ActionProblems,
    )
)]
#[post("/staff/claims/{id}/review")]
async fn review(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    version: Result<IfMatch, AppError>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    run(
        &req,
        &state,
        &caller,
        id,
        version,
        ActionKind::Review,
        Ok(Body::default()),
    )
    .await
}

/// Ask the citizen for more; the claim waits for their answer. Drops any proposal.
#[utoipa::path(
    operation_id = "staff_request_claim_info",
    tag = "staff work",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The claim's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the action was decided on; required (428 without it)"),
    ),
    request_body(content = RequestInfo, example = json!({"message": "Please add the hospital discharge paper."})),
    responses(
        (status = 200, description = "Done; `ETag` carries the new version", body = Done, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "version": 3})),
        StaffProblems,
        ActionProblems,
        BodyActionProblems,
    )
)]
#[post("/staff/claims/{id}/request-info")]
async fn request_info(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    version: Result<IfMatch, AppError>,
    body: Result<ApiJson<RequestInfo>, AppError>,
) -> Result<HttpResponse, AppError> {
    let body = body.map(|ApiJson(body)| Body {
        message: body.message,
        ..Body::default()
    });
    run(
        &req,
        &state,
        &caller,
        id.into_inner(),
        version,
        ActionKind::RequestInfo,
        body,
    )
    .await
}

/// Propose the amount to approve. A reason is required when it is not the amount the rules
/// computed. Lump sums, unemployment benefit and amounts above the threshold are then
/// approved by someone else.
#[utoipa::path(
    operation_id = "staff_propose_claim",
    tag = "staff work",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The claim's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the action was decided on; required (428 without it)"),
    ),
    request_body(content = Propose, example = json!({"amount": 5060000})),
    responses(
        (status = 200, description = "Proposed; `ETag` carries the new version", body = Done, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "version": 3})),
        StaffProblems,
        ActionProblems,
        BodyActionProblems,
    )
)]
#[post("/staff/claims/{id}/proposal")]
async fn propose(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    version: Result<IfMatch, AppError>,
    body: Result<ApiJson<Propose>, AppError>,
) -> Result<HttpResponse, AppError> {
    let body = body.map(|ApiJson(body)| Body {
        amount: Some(body.amount),
        reason: body.reason.unwrap_or_default(),
        ..Body::default()
    });
    run(
        &req,
        &state,
        &caller,
        id.into_inner(),
        version,
        ActionKind::Propose,
        body,
    )
    .await
}

/// Approve (approvers and administrators): the proposal as it stands — never by the person
/// who proposed it where four-eyes applies — or directly an `amount` where one person may
/// decide. The decision keeps the inputs it used; the citizen is emailed.
#[utoipa::path(
    operation_id = "staff_approve_claim",
    tag = "staff work",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The claim's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the action was decided on; required (428 without it)"),
    ),
    request_body(content = Approve, example = json!({})),
    responses(
        (status = 200, description = "Approved; `ETag` carries the new version", body = Done, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "version": 4})),
        StaffProblems,
        ActionProblems,
        BodyActionProblems,
    )
)]
#[post("/staff/claims/{id}/approval")]
async fn approve(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    version: Result<IfMatch, AppError>,
    body: Result<ApiJson<Approve>, AppError>,
) -> Result<HttpResponse, AppError> {
    let body = body.map(|ApiJson(body)| Body {
        amount: body.amount,
        reason: body.reason.unwrap_or_default(),
        ..Body::default()
    });
    run(
        &req,
        &state,
        &caller,
        id.into_inner(),
        version,
        ActionKind::Approve,
        body,
    )
    .await
}

/// Reject with a reason code from the list and words the citizen reads.
#[utoipa::path(
    operation_id = "staff_reject_claim",
    tag = "staff work",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The claim's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the action was decided on; required (428 without it)"),
    ),
    request_body(content = Reject, example = json!({"reason_code": "not_eligible", "reason": "Only 5 of the last 12 months were paid; 6 are needed."})),
    responses(
        (status = 200, description = "Rejected; `ETag` carries the new version", body = Done, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "version": 4})),
        StaffProblems,
        ActionProblems,
        BodyActionProblems,
    )
)]
#[post("/staff/claims/{id}/rejection")]
async fn reject(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    version: Result<IfMatch, AppError>,
    body: Result<ApiJson<Reject>, AppError>,
) -> Result<HttpResponse, AppError> {
    let body = body.map(|ApiJson(body)| Body {
        reason_code: body.reason_code,
        reason: body.reason,
        ..Body::default()
    });
    run(
        &req,
        &state,
        &caller,
        id.into_inner(),
        version,
        ActionKind::Reject,
        body,
    )
    .await
}

/// Record the payment of an approved claim; the citizen sees "paid" with date and reference.
#[utoipa::path(
    operation_id = "staff_mark_claim_paid",
    tag = "staff work",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The claim's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the action was decided on; required (428 without it)"),
    ),
    request_body(content = MarkPaid, example = json!({"reference": "VCB-20261130-000123", "paid_on": "2026-11-30"})),
    responses(
        (status = 200, description = "Paid; `ETag` carries the new version", body = Done, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "version": 5})),
        StaffProblems,
        ActionProblems,
        BodyActionProblems,
    )
)]
#[post("/staff/claims/{id}/payment")]
async fn mark_paid(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    version: Result<IfMatch, AppError>,
    body: Result<ApiJson<MarkPaid>, AppError>,
) -> Result<HttpResponse, AppError> {
    let body = body.map(|ApiJson(body)| Body {
        reference: body.reference,
        paid_on: Some(body.paid_on),
        ..Body::default()
    });
    run(
        &req,
        &state,
        &caller,
        id.into_inner(),
        version,
        ActionKind::MarkPaid,
        body,
    )
    .await
}
