//! The planner as a page: `/account/retirement`, with a plain GET form for the what-if (it
//! changes nothing, so it needs no token and the result can be bookmarked).

use actix_web::web::{Data, Query, ServiceConfig};
use actix_web::{HttpResponse, get};
use askama::Template;

use super::api::{WhatIfQuery, plan_of};
use super::{Estimate, Plan, PlanProblem, Step, StepUnit};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::CitizenSession;
use crate::app::AppState;
use crate::error::AppError;
use crate::web::pages::{PageContext, ok};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(retirement_page);
}

/// A step as the page prints it: label, formula, value with its unit.
pub struct Row {
    pub label: String,
    pub formula: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "retirement/plan.html")]
struct PlanPage {
    ctx: PageContext,
    plan: Option<Plan>,
    income: String,
    errors: FormErrors,
}

impl PlanPage {
    fn value(&self, step: &Step) -> String {
        match step.unit {
            StepUnit::Vnd => self.ctx.money(&step.value),
            StepUnit::BasisPoints => crate::enrolment::percent(step.value),
            StepUnit::Months => self
                .ctx
                .duration(&u32::try_from(step.value).unwrap_or_default()),
        }
    }

    fn rows(&self, steps: &[Step]) -> Vec<Row> {
        steps
            .iter()
            .map(|s| Row {
                label: s.label.clone(),
                formula: s.formula.clone(),
                value: self.value(s),
            })
            .collect()
    }

    fn rate(&self, e: &Estimate) -> String {
        e.rate.map(crate::enrolment::percent).unwrap_or_default()
    }

    fn pension(&self, e: &Estimate) -> String {
        e.monthly_pension
            .map(|v| self.ctx.money(&v))
            .unwrap_or_default()
    }

    fn months(&self, months: &u32) -> String {
        self.ctx.duration(months)
    }

    fn months_i64(&self, months: &i64) -> String {
        self.ctx
            .duration(&u32::try_from(*months).unwrap_or_default())
    }
}

#[get("/account/retirement")]
async fn retirement_page(
    ctx: PageContext,
    state: Data<AppState>,
    CitizenSession(me): CitizenSession,
    query: Query<WhatIfQuery>,
) -> Result<HttpResponse, AppError> {
    let income_text = query.income.clone().unwrap_or_default();
    let personal_id = me.account.personal_id;
    let mut errors = FormErrors::default();
    let income = if income_text.trim().is_empty() {
        None
    } else {
        match query.parse() {
            Ok(income) => income,
            Err(_) => {
                errors = FormErrors::from_field("income", ctx.t("retire.error.income").to_owned());
                None
            }
        }
    };
    let plan = match plan_of(&state, personal_id.clone(), income, ctx.lang, ctx.lang).await? {
        None => None,
        Some(Ok(plan)) => Some(plan),
        Some(Err(PlanProblem::IncomeOutOfBounds { floor, ceiling })) => {
            let text = ctx
                .t("field.out_of_bounds")
                .replace("{min}", &ctx.lang.group_digits(floor))
                .replace("{max}", &ctx.lang.group_digits(ceiling));
            errors = FormErrors::from_field("income", text);
            // The plan without the what-if.
            plan_of(&state, personal_id, None, ctx.lang, ctx.lang)
                .await?
                .map(|plan| plan.map_err(super::api::problem))
                .transpose()?
        }
        Some(Err(problem)) => return Err(super::api::problem(problem)),
    };
    ok(&PlanPage {
        ctx,
        plan,
        income: income_text,
        errors,
    })
}
