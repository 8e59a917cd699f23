//! `GET /api/v1/staff/audit`: the audit search for administrators' tools (same filters as
//! `/admin/audit`).

use actix_web::web::{Data, Query};
use actix_web::{HttpResponse, get};

use super::search::{self, FilterInput, Page};
use crate::app::AppState;
use crate::error::{AppError, Problem};
use crate::staff::{Permission, StaffCaller};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(search_log);
}

/// Search the audit log, newest first, 50 rows a page; pass `next_before` as `before` for the
/// next page. Dates are Vietnam dates.
#[utoipa::path(
    operation_id = "search_audit_log",
    tag = "audit",
    security(("bearer" = [])),
    params(FilterInput),
    responses(
        (status = 200, description = "A page of audit rows", body = Page, example = json!({"entries": [{"id": 812, "at": "2026-11-30T03:12:45.123456", "actor_id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "actor_name": "Trần Thị Bình", "actor_role": "admin", "action": "staff.role_change", "subject": "account:01932c4e-7b2c-7d3e-8f90-1a2b3c4d5e6f", "detail": {"from": "clerk", "to": "approver"}, "client_ip": "203.0.113.7"}], "next_before": 812})),
        (status = 400, description = "A malformed query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or a token without the second factor", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A date that is not YYYY-MM-DD, a backwards range, or a `before` that is not a number", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/audit")]
async fn search_log(
    state: Data<AppState>,
    caller: StaffCaller,
    query: Result<Query<FilterInput>, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    caller.require(Permission::ReadAudit)?;
    let filter = query
        .map_err(|e| AppError::Malformed {
            field: None,
            detail: e.to_string(),
        })?
        .into_inner()
        .parse()?;
    let page = state
        .db
        .read(move |conn| search::search(conn, &filter))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
