//! Voluntary social insurance and household health insurance: their prices (`rules`), the
//! public calculators, and registering for them — draft, submission, staff decision, the
//! payment schedule (`schedule`) and payments that put voluntary months into the book or
//! cards into the household's hands (`registration`).

pub mod account_pages;
pub mod admin_pages;
pub mod api;
pub mod pages;
pub mod registration;
pub mod registration_api;
pub mod reminders;
pub mod rules;
pub mod schedule;
mod store;
pub mod view;

use serde::Serialize;
use utoipa::ToSchema;

use self::rules::{MemberShare, VoluntaryPrice};
use crate::web::i18n::Lang;

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
    registration_api::routes(cfg);
}

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
    account_pages::routes(cfg);
    admin_pages::routes(cfg);
}

/// One line of a computation: what it is, how it is computed, the amount.
#[derive(Serialize, ToSchema)]
pub struct Line {
    pub label: String,
    #[schema(example = "22% × 3,000,000")]
    pub formula: String,
    pub amount: i64,
}

/// The voluntary-SI price, line by line: labels in `lang`, amounts grouped as in `digits`
/// (pages group as their language does; the API always as in English).
pub fn explain_voluntary(
    price: &VoluntaryPrice,
    income: i64,
    lang: Lang,
    digits: Lang,
) -> Vec<Line> {
    let t = |key: &str| lang.catalog().text(key).to_owned();
    let vnd = |v: i64| digits.group_digits(v);
    vec![
        Line {
            label: t("calc.line.gross"),
            formula: format!("{} × {}", percent(price.rate), vnd(income)),
            amount: price.monthly_gross,
        },
        Line {
            label: t("calc.line.support"),
            formula: format!(
                "{} × {} × {}",
                percent(price.support_rate),
                percent(price.rate),
                vnd(price.poverty_line)
            ),
            amount: price.monthly_support,
        },
        Line {
            label: t("calc.line.payable"),
            formula: format!(
                "{} − {}",
                vnd(price.monthly_gross),
                vnd(price.monthly_support)
            ),
            amount: price.monthly_payable,
        },
        Line {
            label: t("calc.line.period"),
            formula: format!("{} × {}", price.months, vnd(price.monthly_payable)),
            amount: price.period_total,
        },
    ]
}

/// How each household member's amount is worked out, e.g. `70% × 105,300`.
pub fn household_formulas(members: &[MemberShare], digits: Lang) -> Vec<String> {
    members
        .iter()
        .map(|m| format!("{} × {}", percent(m.rate), digits.group_digits(m.of)))
        .collect()
}

/// Basis points as a percentage: 2200 → `22%`, 450 → `4.50%`.
pub fn percent(basis_points: i64) -> String {
    if basis_points % 100 == 0 {
        format!("{}%", basis_points / 100)
    } else {
        format!("{}.{:02}%", basis_points / 100, basis_points % 100)
    }
}
