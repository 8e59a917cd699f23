//! Public calculators (no login): `POST /api/v1/calculators/voluntary-si` and
//! `POST /api/v1/calculators/household-hi`.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Line;
use super::QuoteMode;
use super::rules::{self, SupportGroup};
use crate::app::AppState;
use crate::error::{AppError, BodyProblems, FieldCode, Problem};
use crate::policy::{Basis, Parameter, Policy};
use crate::web::extract::ApiJson;
use crate::web::i18n::Lang;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(voluntary_si).service(household_hi);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoluntaryRequest {
    /// The monthly income chosen as the contribution base, VND.
    #[schema(example = 3_000_000)]
    monthly_income: i64,
    support_group: SupportGroup,
    payment_mode: QuoteMode,
    /// With `years_ahead` or `missing_years`: how many months are paid at once.
    #[schema(example = 24, minimum = 1, maximum = 600)]
    #[serde(default)]
    months: Option<i64>,
    /// The date of the contribution; the figures in force then are used. Today when absent.
    #[schema(example = "2025-10-01", format = Date)]
    #[serde(default)]
    on_date: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct VoluntaryQuote {
    monthly_gross: i64,
    monthly_support: i64,
    monthly_payable: i64,
    months: i64,
    period_total: i64,
    explanation: Vec<Line>,
    legal_basis: Vec<Basis>,
}

/// The rows named, as in force on `on`.
fn basis_of(policy: &Policy, names: &[&'static str], on: NaiveDate) -> Vec<Basis> {
    names
        .iter()
        .filter_map(|name| policy.row(name, on).ok())
        .map(Parameter::basis)
        .collect()
}

/// Price voluntary social insurance.
///
/// 22% of the chosen income, less the state's support (a share of 22% of the rural poverty
/// line, by support group), for the payment period chosen. The income must lie between the
/// rural poverty line and 20 × the base salary in force on the date. `years_ahead` (mode (đ))
/// prices `months` paid at once, discounted at the SI fund's monthly return; `missing_years`
/// (mode (e)) prices `months` missing for a pension at once, with that return as surcharge and
/// without support.
#[utoipa::path(
    tag = "calculators",
    request_body(content = VoluntaryRequest, example = json!({"monthly_income": 3000000, "support_group": "near_poor", "payment_mode": "yearly", "on_date": "2025-10-01"})),
    responses(
        (status = 200, description = "The price, line by line", body = VoluntaryQuote, example = json!({"monthly_gross": 660000, "monthly_support": 132000, "monthly_payable": 528000, "months": 12, "period_total": 6336000, "explanation": [{"label": "Contribution", "formula": "22% × 3,000,000", "amount": 660000}, {"label": "State support", "formula": "40% × 22% × 1,500,000", "amount": 132000}, {"label": "You pay each month", "formula": "660,000 − 132,000", "amount": 528000}, {"label": "For the period", "formula": "12 × 528,000", "amount": 6336000}], "legal_basis": [{"name": "voluntary_rate", "value": 2200, "effective_from": "2025-07-01", "legal_basis": "Law 41/2024/QH15 Art. 32(2), 36(1)"}]})),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Income or months outside the bounds in force (named in the answer), a support group not in force on the date, or a date without figures", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/calculators/voluntary-si")]
async fn voluntary_si(
    req: HttpRequest,
    state: Data<AppState>,
    ApiJson(body): ApiJson<VoluntaryRequest>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(&req);
    let on = body.on_date.unwrap_or_else(|| state.clock.now().date());
    let policy = state.db.read(|conn| Ok(Policy::load(conn)?)).await?;
    let quote = super::quote_voluntary(
        body.monthly_income,
        body.support_group,
        body.payment_mode,
        body.months,
        on,
        &policy,
        lang,
        Lang::En,
    )?;
    Ok(HttpResponse::Ok().json(VoluntaryQuote {
        monthly_gross: quote.price.monthly_gross,
        monthly_support: quote.price.monthly_support,
        monthly_payable: quote.price.monthly_payable,
        months: quote.months,
        period_total: quote.total,
        explanation: quote.lines,
        legal_basis: basis_of(&policy, &quote.parameters, on),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdRequest {
    /// Members of the household joining (those covered by another group are not counted).
    #[schema(example = 4, minimum = 1, maximum = 30)]
    members: i64,
    /// Payment period: 3, 6 or 12 months.
    #[schema(example = 12)]
    months: i64,
    /// The date of payment; the base salary then is used. Today when absent.
    #[schema(example = "2026-06-01", format = Date)]
    #[serde(default)]
    on_date: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberPrice {
    /// 1 for the first member (full price), 2 for the second (70%), …
    position: usize,
    monthly: i64,
    period: i64,
    formula: String,
}

#[derive(Serialize, ToSchema)]
pub struct HouseholdQuote {
    /// In discount order.
    members: Vec<MemberPrice>,
    monthly_total: i64,
    months: i64,
    period_total: i64,
    legal_basis: Vec<Basis>,
}

/// Price household health insurance.
///
/// The first member pays 4.5% of the base salary a month; the second 70% of that, the third
/// 60%, the fourth 50%, the fifth and later 40%.
#[utoipa::path(
    tag = "calculators",
    request_body(content = HouseholdRequest, example = json!({"members": 4, "months": 12, "on_date": "2026-06-01"})),
    responses(
        (status = 200, description = "Each member's price and the total", body = HouseholdQuote, example = json!({"members": [{"position": 1, "monthly": 105300, "period": 1263600, "formula": "4.50% × 2,340,000"}, {"position": 2, "monthly": 73710, "period": 884520, "formula": "70% × 105,300"}, {"position": 3, "monthly": 63180, "period": 758160, "formula": "60% × 105,300"}, {"position": 4, "monthly": 52650, "period": 631800, "formula": "50% × 105,300"}], "monthly_total": 294840, "months": 12, "period_total": 3538080, "legal_basis": [{"name": "base_salary", "value": 2340000, "effective_from": "2024-07-01", "legal_basis": "Decree 73/2024/NĐ-CP"}]})),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Members outside 1–30, a period other than 3, 6 or 12 months, or a date without figures", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/calculators/household-hi")]
async fn household_hi(
    state: Data<AppState>,
    ApiJson(body): ApiJson<HouseholdRequest>,
) -> Result<HttpResponse, AppError> {
    let mut errors = Vec::new();
    if !(1..=30).contains(&body.members) {
        errors.push(crate::error::FieldError::new(
            "members",
            FieldCode::OutOfBounds,
        ));
    }
    if ![3, 6, 12].contains(&body.months) {
        errors.push(crate::error::FieldError::new(
            "months",
            FieldCode::InvalidFormat,
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let on = body.on_date.unwrap_or_else(|| state.clock.now().date());
    let policy = state.db.read(|conn| Ok(Policy::load(conn)?)).await?;
    let shares = rules::household_hi(body.members as usize, on, &policy)
        .map_err(|_| AppError::invalid("on_date", FieldCode::NoPolicyForDate))?;
    let formulas = super::household_formulas(&shares, Lang::En);
    let members: Vec<MemberPrice> = shares
        .iter()
        .zip(formulas)
        .enumerate()
        .map(|(i, (m, formula))| MemberPrice {
            position: i + 1,
            monthly: m.monthly,
            period: m.monthly * body.months,
            formula,
        })
        .collect();
    let monthly_total: i64 = shares.iter().map(|m| m.monthly).sum();
    let mut names = vec!["base_salary", "household_hi_rate"];
    names.extend(
        rules::HOUSEHOLD_SHARES
            .iter()
            .take(shares.len().saturating_sub(1)),
    );
    Ok(HttpResponse::Ok().json(HouseholdQuote {
        members,
        monthly_total,
        months: body.months,
        period_total: monthly_total * body.months,
        legal_basis: basis_of(&policy, &names, on),
    }))
}
