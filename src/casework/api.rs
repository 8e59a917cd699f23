//! The work queue over the API: `/api/v1/staff/queue` with the page's filters, and take /
//! assign / release.

use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::Deserialize;
use utoipa::ToSchema;

use super::assignment::{self, Change};
use super::queue::{self, Filter, SubjectKind, WorkItem};
use crate::app::AppState;
use crate::clock::in_vietnam;
use crate::error::{AppError, BodyProblems, Problem};
use crate::staff::{Permission, StaffCaller, StaffProblems};
use crate::web::extract::ApiJson;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(take)
        .service(release)
        .service(assign);
}

/// The open work (claims, registrations, questions), nearest deadline first.
#[utoipa::path(
    operation_id = "staff_queue",
    tag = "staff work",
    security(("bearer" = [])),
    params(Filter),
    responses(
        (status = 200, description = "The work matching the filters", body = Vec<WorkItem>, example = json!([{"kind": "claim", "id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "subtype": "maternity", "applicant": "Nguyễn Văn An", "applicant_account_id": "01932c4e-0000-7c3d-9e8f-0a1b2c3d4e5f", "province": "01", "status": "submitted", "awaiting_approval": false, "submitted_at": "2026-11-20T08:05:00", "due": "2026-12-01", "days_left": 1, "urgency": "near", "flags": 0}])),
        (status = 400, description = "A filter could not be read", body = Problem, content_type = "application/problem+json"),
        StaffProblems,
        (status = 422, description = "A filter is out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/queue")]
async fn list(
    state: Data<AppState>,
    caller: StaffCaller,
    filter: Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let me = caller.require(Permission::Review)?.account.id.clone();
    let filter = filter.into_inner();
    let limits = state.settings.limits.casework.clone();
    let today = in_vietnam(state.clock.now()).date();
    let items = state
        .db
        .read(move |conn| queue::load(conn, &filter, &limits, today, &me))
        .await?;
    let items = super::with_flags(&state, items).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, no-store"))
        .json(items))
}

async fn change(
    req: &HttpRequest,
    state: &AppState,
    caller: &StaffCaller,
    path: (String, String),
    change: Change<'static>,
    to: Option<String>,
) -> Result<HttpResponse, AppError> {
    let actor = caller.require(Permission::Review)?.actor(req);
    let (kind, id) = path;
    let kind = SubjectKind::parse(&kind).ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    state
        .db
        .write(move |conn| {
            let change = match (&change, to.as_deref()) {
                (Change::Assign { .. }, Some(to)) => Change::Assign { to },
                (Change::Take, _) => Change::Take,
                _ => Change::Release,
            };
            assignment::change(conn, kind, &id, &change, &actor, now)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Take a submission: it is yours until you release it or someone assigns it elsewhere.
#[utoipa::path(
    operation_id = "staff_take_work",
    tag = "staff work",
    security(("bearer" = [])),
    params(
        ("type" = String, Path, description = "`claim`, `enrolment` or `question`"),
        ("id" = String, Path, description = "The submission's id"),
    ),
    responses(
        (status = 204, description = "Taken"),
        StaffProblems,
        (status = 404, description = "No such submission", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/queue/{type}/{id}/take")]
async fn take(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    path: Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    change(&req, &state, &caller, path.into_inner(), Change::Take, None).await
}

/// Release a submission back to the queue.
#[utoipa::path(
    operation_id = "staff_release_work",
    tag = "staff work",
    security(("bearer" = [])),
    params(
        ("type" = String, Path, description = "`claim`, `enrolment` or `question`"),
        ("id" = String, Path, description = "The submission's id"),
    ),
    responses(
        (status = 204, description = "Released"),
        StaffProblems,
        (status = 404, description = "No such submission", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/queue/{type}/{id}/release")]
async fn release(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    path: Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    change(
        &req,
        &state,
        &caller,
        path.into_inner(),
        Change::Release,
        None,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = WorkAssignment)]
#[serde(deny_unknown_fields)]
pub struct Assign {
    /// The staff member (clerk, approver or administrator) to give it to.
    pub assignee_id: String,
}

/// Assign a submission to a staff member who reviews.
#[utoipa::path(
    operation_id = "staff_assign_work",
    tag = "staff work",
    security(("bearer" = [])),
    params(
        ("type" = String, Path, description = "`claim`, `enrolment` or `question`"),
        ("id" = String, Path, description = "The submission's id"),
    ),
    request_body(content = Assign, example = json!({"assignee_id": "01932c4e-0000-7c3d-9e8f-0a1b2c3d4e5f"})),
    responses(
        (status = 204, description = "Assigned"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        StaffProblems,
        (status = 404, description = "No such submission", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a staff member who reviews", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/staff/queue/{type}/{id}/assign")]
async fn assign(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    path: Path<(String, String)>,
    body: Result<ApiJson<Assign>, AppError>,
) -> Result<HttpResponse, AppError> {
    caller.require(Permission::Review)?;
    let ApiJson(body) = body?;
    let to = Some(body.assignee_id);
    change(
        &req,
        &state,
        &caller,
        path.into_inner(),
        Change::Assign { to: "" },
        to,
    )
    .await
}
