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
pub mod staff_api;
mod store;
pub mod view;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use self::rules::{
    MemberShare, OneOffProblem, PaymentMode, SupportGroup, VoluntaryPrice, VoluntaryProblem,
};
use crate::error::{AppError, FieldCode};
use crate::policy::Policy;
use crate::web::i18n::Lang;

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
    registration_api::routes(cfg);
    staff_api::routes(cfg);
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

/// How a voluntary-SI quote is paid (Art. 36(2)): every month, 3, 6 or 12 months — modes
/// (a)–(d) — or at once for many months ahead at a discount (đ), or for the months still
/// missing for a pension with a surcharge (e).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = VoluntaryPaymentMode)]
pub enum QuoteMode {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
    /// (đ) Many months ahead at once, discounted; needs `months`.
    YearsAhead,
    /// (e) The months missing for a pension at once, with a surcharge; needs `months`.
    MissingYears,
}

impl QuoteMode {
    pub const ALL: [QuoteMode; 6] = [
        Self::Monthly,
        Self::Quarterly,
        Self::HalfYearly,
        Self::Yearly,
        Self::YearsAhead,
        Self::MissingYears,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::HalfYearly => "half_yearly",
            Self::Yearly => "yearly",
            Self::YearsAhead => "years_ahead",
            Self::MissingYears => "missing_years",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// The periodic mode, for (a)–(d).
    fn periodic(self) -> Option<PaymentMode> {
        match self {
            Self::Monthly => Some(PaymentMode::Monthly),
            Self::Quarterly => Some(PaymentMode::Quarterly),
            Self::HalfYearly => Some(PaymentMode::HalfYearly),
            Self::Yearly => Some(PaymentMode::Yearly),
            Self::YearsAhead | Self::MissingYears => None,
        }
    }
}

/// The most months a quote prices at once (50 years): the dated limits are lower; this only
/// bounds the arithmetic, as the API schema says.
pub const MAX_ONE_OFF_MONTHS: i64 = 600;

/// A voluntary-SI quote for one way of paying, explained line by line, with the parameters it
/// used (for their legal basis).
pub struct VoluntaryCalculation {
    pub price: VoluntaryPrice,
    pub months: i64,
    pub total: i64,
    pub lines: Vec<Line>,
    pub parameters: Vec<&'static str>,
}

/// Prices `income` for `group` paid as `mode` on `on`. Errors name the API's fields
/// (`monthly_income`, `support_group`, `months`, `on_date`).
#[allow(clippy::too_many_arguments)]
pub fn quote_voluntary(
    income: i64,
    group: SupportGroup,
    mode: QuoteMode,
    months: Option<i64>,
    on: NaiveDate,
    policy: &Policy,
    lang: Lang,
    digits: Lang,
) -> Result<VoluntaryCalculation, AppError> {
    if let Some(months) = months.filter(|m| !(1..=MAX_ONE_OFF_MONTHS).contains(m)) {
        tracing::debug!(months, "months paid at once out of range");
        return Err(AppError::OutOfBounds {
            field: "months".into(),
            min: 1,
            max: MAX_ONE_OFF_MONTHS,
        });
    }
    let periodic = mode.periodic().unwrap_or(PaymentMode::Monthly);
    let price =
        rules::voluntary_si(income, group, periodic, on, policy).map_err(
            |problem| match problem {
                VoluntaryProblem::OutOfBounds { floor, ceiling } => AppError::OutOfBounds {
                    field: "monthly_income".into(),
                    min: floor,
                    max: ceiling,
                },
                VoluntaryProblem::GroupNotInForce => {
                    AppError::invalid("support_group", FieldCode::NoPolicyForDate)
                }
                VoluntaryProblem::NotInForce(_) => {
                    AppError::invalid("on_date", FieldCode::NoPolicyForDate)
                }
            },
        )?;
    let mut lines = explain_voluntary(&price, income, lang, digits);
    let mut parameters = vec![
        "voluntary_rate",
        group.parameter(),
        "rural_poverty_line",
        "base_salary",
        "si_ceiling_multiple",
    ];
    if mode.periodic().is_some() {
        return Ok(VoluntaryCalculation {
            months: price.months,
            total: price.period_total,
            price,
            lines,
            parameters,
        });
    }
    let months = months.ok_or_else(|| AppError::invalid("months", FieldCode::Required))?;
    let one_off = match mode {
        QuoteMode::YearsAhead => {
            parameters.extend(["voluntary_monthly_return", "voluntary_advance_max_months"]);
            rules::advance_payment(price.monthly_payable, months, on, policy)
        }
        _ => {
            parameters.extend([
                "voluntary_monthly_return",
                "voluntary_lump_sum_max_missing_months",
            ]);
            rules::missing_months_payment(price.monthly_gross, months, on, policy).and_then(|p| {
                if months > p.limit {
                    Err(OneOffProblem::Months { limit: p.limit })
                } else {
                    Ok(p)
                }
            })
        }
    }
    .map_err(|problem| match problem {
        OneOffProblem::Months { limit } => AppError::OutOfBounds {
            field: "months".into(),
            min: 1,
            max: limit,
        },
        OneOffProblem::NotInForce(_) => AppError::invalid("on_date", FieldCode::NoPolicyForDate),
    })?;
    // The periodic total gives way to the one-off payment; months paid for a pension that is
    // still short carry no state support (the surcharge is on the full 22%).
    lines.pop();
    let mut price = price;
    if mode == QuoteMode::MissingYears {
        lines.truncate(1);
        price.monthly_support = 0;
        price.monthly_payable = price.monthly_gross;
    }
    let t = |key: &str| lang.catalog().text(key).to_owned();
    let rate = percent(one_off.monthly_return);
    let (label, formula) = match mode {
        QuoteMode::YearsAhead => (
            t("calc.line.advance"),
            format!(
                "Σ {} ÷ (1 + {rate})^(i − 1), i = 1…{months}",
                digits.group_digits(one_off.monthly)
            ),
        ),
        _ => (
            t("calc.line.missing"),
            format!(
                "Σ {} × (1 + {rate})^i, i = 1…{months}",
                digits.group_digits(one_off.monthly)
            ),
        ),
    };
    lines.push(Line {
        label,
        formula,
        amount: one_off.total,
    });
    Ok(VoluntaryCalculation {
        months,
        total: one_off.total,
        price,
        lines,
        parameters,
    })
}
