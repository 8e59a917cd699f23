//! The calculators as pages: `/calculators/voluntary-si` and `/calculators/household-hi`.
//! Plain GET forms (they change nothing, so they need no token and the result can be
//! bookmarked); with JavaScript the result updates as you type.

use actix_web::web::{Data, Query, ServiceConfig};
use actix_web::{HttpResponse, get};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::Line;
use super::QuoteMode;
use super::rules::{self, SupportGroup};
use crate::accounts::pages::FormErrors;
use crate::app::AppState;
use crate::error::AppError;
use crate::policy::Policy;
use crate::web::pages::{PageContext, ok};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(voluntary_si).service(household_hi);
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct VoluntaryForm {
    income: String,
    group: String,
    mode: String,
    /// For one payment covering many months (modes (đ) and (e)).
    months: String,
}

#[derive(Template)]
#[template(path = "calculators/voluntary_si.html")]
struct VoluntaryPage {
    ctx: PageContext,
    form: VoluntaryForm,
    errors: FormErrors,
    groups: Vec<(&'static str, &'static str)>,
    modes: [(&'static str, &'static str); 6],
    lines: Vec<Line>,
    total: Option<i64>,
    today: NaiveDate,
}

/// An amount as people type it: `3.000.000`, `3,000,000 ₫`.
pub(super) fn parse_amount(text: &str) -> Option<i64> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '₫'))
        .collect();
    digits.parse().ok().filter(|v: &i64| *v > 0)
}

fn group_key(group: SupportGroup) -> (&'static str, &'static str) {
    match group {
        SupportGroup::Poor => ("poor", "calc.group.poor"),
        SupportGroup::Island => ("island", "calc.group.island"),
        SupportGroup::NearPoor => ("near_poor", "calc.group.near_poor"),
        SupportGroup::EthnicMinority => ("ethnic_minority", "calc.group.ethnic_minority"),
        SupportGroup::Other => ("other", "calc.group.other"),
    }
}

const MODES: [(&str, &str); 6] = [
    ("monthly", "calc.mode.monthly"),
    ("quarterly", "calc.mode.quarterly"),
    ("half_yearly", "calc.mode.half_yearly"),
    ("yearly", "calc.mode.yearly"),
    ("years_ahead", "calc.mode.years_ahead"),
    ("missing_years", "calc.mode.missing_years"),
];

#[get("/calculators/voluntary-si")]
async fn voluntary_si(
    ctx: PageContext,
    state: Data<AppState>,
    form: Query<VoluntaryForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let today = state.clock.now().date();
    let policy = state.db.read(|conn| Ok(Policy::load(conn)?)).await?;
    let in_force = SupportGroup::in_force(&policy, today);
    let groups = in_force.iter().map(|g| group_key(*g)).collect();
    let mut page = VoluntaryPage {
        ctx,
        groups,
        modes: MODES,
        lines: Vec::new(),
        total: None,
        today,
        errors: FormErrors::default(),
        form,
    };
    if page.form.income.is_empty() {
        return ok(&page);
    }
    let group = in_force
        .into_iter()
        .find(|g| group_key(*g).0 == page.form.group);
    let mode = QuoteMode::parse(&page.form.mode);
    let (Some(income), Some(group), Some(mode)) = (parse_amount(&page.form.income), group, mode)
    else {
        page.errors = FormErrors::message("calc.error.incomplete", &page.ctx);
        return ok(&page);
    };
    let months = page.form.months.trim().parse::<i64>().ok();
    let (lang, digits) = (page.ctx.lang, page.ctx.lang);
    match super::quote_voluntary(income, group, mode, months, today, &policy, lang, digits) {
        Ok(quote) => {
            page.lines = quote.lines;
            page.total = Some(quote.total);
        }
        Err(AppError::OutOfBounds { field, min, max }) => {
            let field = if field == "monthly_income" {
                "income".into()
            } else {
                field
            };
            let error = AppError::OutOfBounds { field, min, max };
            page.errors = FormErrors::from_error(error, &page.ctx)?;
        }
        Err(AppError::Invalid(errors)) if errors.iter().any(|e| e.field == "months") => {
            page.errors =
                FormErrors::from_field("months", page.ctx.t("calc.error.months").to_owned());
        }
        Err(AppError::Invalid(_)) => {
            page.errors = FormErrors::message("calc.error.incomplete", &page.ctx)
        }
        Err(other) => return Err(other),
    }
    ok(&page)
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct HouseholdForm {
    members: String,
    months: String,
}

#[derive(Template)]
#[template(path = "calculators/household_hi.html")]
struct HouseholdPage {
    ctx: PageContext,
    form: HouseholdForm,
    errors: FormErrors,
    /// (position, formula, monthly, period)
    members: Vec<(usize, String, i64, i64)>,
    total: Option<(i64, i64)>,
}

#[get("/calculators/household-hi")]
async fn household_hi(
    ctx: PageContext,
    state: Data<AppState>,
    form: Query<HouseholdForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let today = state.clock.now().date();
    let mut page = HouseholdPage {
        ctx,
        form,
        errors: FormErrors::default(),
        members: Vec::new(),
        total: None,
    };
    if page.form.members.is_empty() {
        return ok(&page);
    }
    let members = page
        .form
        .members
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=30).contains(n));
    let months = page
        .form
        .months
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|m| [3, 6, 12].contains(m));
    let (Some(count), Some(months)) = (members, months) else {
        page.errors = FormErrors::message("calc.error.household", &page.ctx);
        return ok(&page);
    };
    let policy = state.db.read(|conn| Ok(Policy::load(conn)?)).await?;
    let shares =
        rules::household_hi(count, today, &policy).map_err(|e| AppError::Internal(e.into()))?;
    let formulas = super::household_formulas(&shares, page.ctx.lang);
    page.members = shares
        .iter()
        .zip(formulas)
        .enumerate()
        .map(|(i, (m, formula))| (i + 1, formula, m.monthly, m.monthly * months))
        .collect();
    let monthly_total: i64 = shares.iter().map(|m| m.monthly).sum();
    page.total = Some((monthly_total, monthly_total * months));
    ok(&page)
}
