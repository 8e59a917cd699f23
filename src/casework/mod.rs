//! Casework (issue 7): the staff work queue over claims, registrations and questions with
//! their deadlines ([`queue`]), who works on what ([`assignment`]), the approvers' daily
//! digest ([`digest`]), and their pages and `/api/v1/staff` routes. Deciding a claim lives
//! with the claims (`claims::casefile`, `claims::decision`).

use crate::app::AppState;
use crate::error::AppError;

pub mod api;
pub mod assignment;
pub mod digest;
pub mod pages;
pub mod queue;

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
}

/// The queue's items with the count of open fraud flags on each applicant.
pub async fn with_flags(
    state: &AppState,
    mut items: Vec<queue::WorkItem>,
) -> Result<Vec<queue::WorkItem>, AppError> {
    let counts = state.db.read(crate::flags::open_counts).await?;
    for item in &mut items {
        item.flags = item
            .applicant_account_id
            .as_ref()
            .and_then(|a| counts.get(a))
            .copied()
            .unwrap_or(0);
    }
    Ok(items)
}
