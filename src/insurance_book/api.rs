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
        (status = 200, description = "The months in the range", body = Contributions, example = json!({"si_code": "0190123456", "from": "2026-08", "to": "2026-08", "months": [{"month": "2026-08", "scheme": "compulsory", "employer": {"unit_code": "TA1234A", "name": "Công ty TNHH Phần mềm Sông Hồng"}, "salary_basis": 60000000, "funds": {"pension_employee": 4048000, "pension_employer": 7084000, "sickness_employer": 1518000, "accident_employer": 253000, "unemployment_employee": 600000, "unemployment_employer": 600000, "health_employee": 759000, "health_employer": 1518000}, "employee_share": 5407000, "employer_share": 10973000, "state_support": 0, "status": "paid", "due_date": "2026-09-30", "paid_on": "2026-09-20"}]})),
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
        (status = 200, description = "The summary", body = Summary, example = json!({"si_code": "0190123456", "full_name": "Nguyễn Văn An", "as_of": "2026-11-24", "periods": [{"from": "2016-11", "to": "2021-03", "months": 53, "employer": {"unit_code": "TA1234A", "name": "Công ty TNHH Phần mềm Sông Hồng"}, "scheme": "compulsory", "salary_basis": 12000000, "owed_months": 0, "pension": true, "unemployment": true, "health": true}, {"from": "2021-07", "to": "2022-06", "months": 12, "scheme": "voluntary", "salary_basis": 3000000, "owed_months": 0, "pension": true, "unemployment": false, "health": false}], "si_months": 65, "ui_months": 53, "hi_continuous_since": "2022-07", "unpaid": [{"month": "2026-09", "employer": {"unit_code": "TA1234A", "name": "Công ty TNHH Phần mềm Sông Hồng"}, "employee_share": 1575000, "employer_share": 3225000, "due_date": "2026-10-31", "days_late": 24}]})),
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
