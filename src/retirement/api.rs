//! The planner over the API: `GET /api/v1/me/retirement?income=…`.

use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse, get};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Plan, PlanProblem};
use crate::accounts::tokens::ApiCaller;
use crate::app::AppState;
use crate::error::{AppError, FieldCode, Problem};
use crate::policy::Policy;
use crate::web::i18n::Lang;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(retirement);
}

/// `?income=…`, optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WhatIfQuery {
    /// A monthly income (VND) to contribute voluntarily on from now until retirement: the plan
    /// then shows the new total, rate, pension and the monthly cost, and prices the one-off
    /// payment for missing years at it. Between the rural poverty line and 20 × the base
    /// salary in force today.
    #[param(value_type = Option<i64>, example = 5_000_000, minimum = 1)]
    pub income: Option<String>,
}

impl WhatIfQuery {
    /// The income, when given; digits only (grouping dots, commas and spaces are allowed).
    pub fn parse(&self) -> Result<Option<i64>, AppError> {
        let Some(text) = self.income.as_deref() else {
            return Ok(None);
        };
        let digits: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, '.' | ',' | ' ' | '₫'))
            .collect();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::invalid("income", FieldCode::InvalidFormat));
        }
        // More digits than an i64 holds is out of bounds like any other too-large amount.
        Ok(Some(digits.parse().unwrap_or(i64::MAX)))
    }
}

/// The problem for the API.
pub fn problem(problem: PlanProblem) -> AppError {
    match problem {
        PlanProblem::IncomeOutOfBounds { floor, ceiling } => AppError::OutOfBounds {
            field: "income".into(),
            min: floor,
            max: ceiling,
        },
        PlanProblem::UnknownSex => AppError::Internal(anyhow::anyhow!(
            "an insurance record has a sex the retirement roadmap does not know"
        )),
        PlanProblem::NotInForce(e) => AppError::Internal(e.into()),
    }
}

/// The plan of the signed-in citizen's own book.
pub async fn plan_of(
    state: &AppState,
    personal_id: Option<String>,
    income: Option<i64>,
    lang: Lang,
    digits: Lang,
) -> Result<Option<Result<Plan, PlanProblem>>, AppError> {
    let today = state.clock.now().date();
    let Some(book) = crate::insurance_book::book_of(state, personal_id, None, None).await? else {
        return Ok(None);
    };
    let policy = state.db.read(|conn| Ok(Policy::load(conn)?)).await?;
    Ok(Some(super::plan(
        &book, &policy, today, income, lang, digits,
    )))
}

/// My retirement plan: time contributed, earliest retirement date, estimated pension, gaps,
/// and what voluntary contributions would change.
///
/// From the caller's own insurance book. The pension is an estimate: the rate of Law 41/2024
/// Art. 66 times the plain average of the salary bases on record (not CPI-adjusted). Every
/// figure comes with its explanation lines and the parameters and articles it rests on.
#[utoipa::path(
    tag = "retirement",
    security(("bearer" = [])),
    params(WhatIfQuery),
    responses(
        (status = 200, description = "The plan", body = Plan, example = json!({
            "si_code": "0190123456", "as_of": "2026-11-30", "sex": "female", "birth_date": "1975-04-12",
            "contributed": {"months": 264, "years": 22, "leftover_months": 0, "compulsory_months": 240, "voluntary_months": 24},
            "retirement": {"age_months": 708, "reached_on": "2034-04-12", "pension_from": "2034-05", "reached": false, "months_to_go": 89,
                "explanation": [{"label": "Retirement age", "formula": "59 years (reached in 2034)", "value": 708, "unit": "months"}]},
            "today": {"months": 264, "qualifies": true, "months_missing": 0, "rate": 5900, "average_salary_basis": 10000000, "monthly_pension": 5900000,
                "explanation": [{"label": "Pension rate", "formula": "45% + 14%", "value": 5900, "unit": "basis_points"}, {"label": "Estimated monthly pension", "formula": "59% × 10,000,000", "value": 5900000, "unit": "vnd"}]},
            "gaps": [{"from": "2019-01", "to": "2019-06", "months": 6, "owed_months": 0}],
            "legal_basis": [{"name": "retirement_age_women_months", "value": 708, "effective_from": "2032-01-01", "legal_basis": "Labour Code 45/2019/QH14 Art. 169(2); Decree 135/2020/NĐ-CP"}],
            "law": [{"reference": "Law 41/2024/QH15 Art. 66", "subject": "Pension rate"}],
            "notes": ["An estimate: the average is not CPI-adjusted."]
        })),
        (status = 400, description = "The query could not be read (e.g. a parameter given twice)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No insurance record matches the account's personal ID", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`income` is not an amount, or lies outside the voluntary floor and ceiling in force (named in the answer)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/retirement")]
async fn retirement(
    req: HttpRequest,
    state: Data<AppState>,
    caller: ApiCaller,
    query: Query<WhatIfQuery>,
) -> Result<HttpResponse, AppError> {
    let income = query.parse()?;
    let lang = Lang::of_request(&req);
    let plan = plan_of(&state, caller.account.personal_id, income, lang, Lang::En)
        .await?
        .ok_or(AppError::NotFound)?
        .map_err(problem)?;
    Ok(HttpResponse::Ok().json(plan))
}
