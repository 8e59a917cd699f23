//! The citizen's book over the API: `/api/v1/me/contributions` and its summary.

use actix_web::web::{Data, Query};
use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::Month;
use super::{ContributionMonth, Range, Summary};
use crate::accounts::tokens::ApiCaller;
use crate::app::AppState;
use crate::error::{AppError, Problem};

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(contributions).service(summary);
}

#[derive(Serialize, ToSchema)]
pub struct Contributions {
    /// The holder's SI code; absent when no insurance record matches the account's personal ID.
    #[schema(nullable = false, example = "0123456789")]
    #[serde(skip_serializing_if = "Option::is_none")]
    si_code: Option<String>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<Month>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<Month>,
    /// Oldest first; one entry per month and payer.
    months: Vec<ContributionMonth>,
}

/// My contribution months: employer, salary basis, each fund's amounts and whether it is paid.
#[utoipa::path(
    tag = "insurance book",
    security(("bearer" = [])),
    params(Range),
    responses(
        (status = 200, description = "The months in the range", body = Contributions),
        (status = 400, description = "The query could not be read (e.g. a parameter given twice)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`from` or `to` is not a month, or the range is backwards or longer than 50 years", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/contributions")]
async fn contributions(
    state: Data<AppState>,
    caller: ApiCaller,
    range: Query<Range>,
) -> Result<HttpResponse, AppError> {
    let (from, to) = range.parse()?;
    let today = state.clock.now().date();
    let book = super::book_of(&state, caller.account.personal_id, from, to).await?;
    let body = match book {
        Some(book) => Contributions {
            si_code: Some(book.person.si_code.clone()),
            from,
            to,
            months: book
                .months
                .iter()
                .map(|m| ContributionMonth::of(m, today))
                .collect(),
        },
        None => Contributions {
            si_code: None,
            from,
            to,
            months: Vec::new(),
        },
    };
    Ok(HttpResponse::Ok().json(body))
}

/// My book at a glance: periods per employer and salary, months of SI and UI, continuous
/// health cover, and every month an employer has not paid.
#[utoipa::path(
    tag = "insurance book",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The summary", body = Summary),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No insurance record matches the account's personal ID", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/contributions/summary")]
async fn summary(state: Data<AppState>, caller: ApiCaller) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date();
    let book = super::book_of(&state, caller.account.personal_id, None, None)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(super::summary(&book, today)))
}
