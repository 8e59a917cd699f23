//! The retirement planner: from the citizen's own insurance book, the time contributed, the
//! earliest retirement date of the roadmap, the estimated pension rate and amount (today, and if
//! contributions go on), the gaps in the record, a what-if of voluntary contributions until
//! retirement, and the one-off payment for missing years (mode (e) of Art. 36(2)). Every figure
//! comes with its explanation lines and legal basis. Rules: DOMAIN.md §5, §7.6, Example 5.

pub mod api;
pub mod pages;
pub mod rules;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use self::rules::{Gap, Sex};
use crate::enrolment::rules::{self as enrolment, PaymentMode, SupportGroup, VoluntaryProblem};
use crate::insurance_book::Book;
use crate::insurance_book::model::Month;
use crate::insurance_book::rules::share;
use crate::policy::{Basis, NotInForce, Parameter, Policy};
use crate::web::i18n::Lang;

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
}

/// What a step's value is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepUnit {
    Vnd,
    /// 1% = 100.
    BasisPoints,
    Months,
}

/// One line of a computation: what it is, how it is worked out, the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Step {
    pub label: String,
    #[schema(example = "45% + 7 × 2%")]
    pub formula: String,
    pub value: i64,
    pub unit: StepUnit,
}

/// Months of paid pension contributions.
#[derive(Debug, Serialize, ToSchema)]
pub struct Contributed {
    pub months: u32,
    pub years: u32,
    pub leftover_months: u32,
    pub compulsory_months: u32,
    pub voluntary_months: u32,
}

/// The earliest retirement of the roadmap.
#[derive(Debug, Serialize, ToSchema)]
pub struct Retirement {
    /// The age required in the year it is reached, in months (e.g. 741 = 61 years 9 months).
    pub age_months: i64,
    /// The day that age is reached.
    #[schema(format = Date)]
    pub reached_on: NaiveDate,
    /// The first month of pension: the month after the age is reached.
    pub pension_from: Month,
    /// The age is already reached.
    pub reached: bool,
    /// Whole months from this month to the month the age is reached (0 once reached).
    pub months_to_go: u32,
    pub explanation: Vec<Step>,
}

/// A pension estimate for a number of months.
#[derive(Debug, Serialize, ToSchema)]
pub struct Estimate {
    pub months: u32,
    /// At least 15 years.
    pub qualifies: bool,
    /// Months still missing for 15 years.
    pub months_missing: u32,
    /// Basis points; absent under 15 years.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<i64>,
    /// The average salary basis used, VND.
    pub average_salary_basis: i64,
    /// Rate × average salary basis, VND, not CPI-adjusted; absent under 15 years.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_pension: Option<i64>,
    pub explanation: Vec<Step>,
}

/// Voluntary contributions at `income` from `from` to `to`.
#[derive(Debug, Serialize, ToSchema)]
pub struct WhatIf {
    pub income: i64,
    pub from: Month,
    pub to: Month,
    pub voluntary_months: u32,
    pub monthly_gross: i64,
    /// The state's support for the "everyone else" group, at today's figures.
    pub monthly_support: i64,
    /// What the citizen pays each month, at today's figures.
    pub monthly_cost: i64,
    pub estimate: Estimate,
    pub explanation: Vec<Step>,
}

/// One payment for the months still missing for 15 years, at retirement (Art. 36(2)(e)).
#[derive(Debug, Serialize, ToSchema)]
pub struct OneOff {
    pub missing_months: u32,
    /// The most missing months the mode covers.
    pub limit_months: i64,
    pub within_limit: bool,
    /// Absent unless an income is given.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income: Option<i64>,
    /// 22% of the income, VND.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_gross: Option<i64>,
    /// The SI fund's monthly investment return, basis points.
    pub monthly_return: i64,
    /// Σ gross × (1 + r)^i, i = 1..n, at today's figures; absent unless an income is given.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    pub explanation: Vec<Step>,
}

/// A law article the plan rests on.
#[derive(Debug, Serialize, ToSchema)]
pub struct LawArticle {
    #[schema(example = "Law 41/2024/QH15 Art. 66")]
    pub reference: &'static str,
    pub subject: String,
}

/// The whole plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct Plan {
    #[schema(example = "0190123456")]
    pub si_code: String,
    #[schema(format = Date)]
    pub as_of: NaiveDate,
    pub sex: Sex,
    #[schema(format = Date)]
    pub birth_date: NaiveDate,
    pub contributed: Contributed,
    pub retirement: Retirement,
    /// With the paid months as they are today.
    pub today: Estimate,
    /// If contributions go on as now until retirement (at the latest salary basis); absent
    /// when the person is not contributing now, or has reached the age.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_you_keep_contributing: Option<Estimate>,
    /// Runs of months without a paid contribution since the first one, oldest first.
    pub gaps: Vec<Gap>,
    /// Present when an income is given and the age is not yet reached.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what_if: Option<WhatIf>,
    /// Present when 15 years would still not be reached at retirement.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_off: Option<OneOff>,
    /// The dated parameters used.
    pub legal_basis: Vec<Basis>,
    pub law: Vec<LawArticle>,
    /// What the figures are and are not.
    pub notes: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum PlanProblem {
    /// The what-if income is outside the voluntary floor and ceiling in force today.
    IncomeOutOfBounds {
        floor: i64,
        ceiling: i64,
    },
    /// The record's sex is not one the roadmap knows.
    UnknownSex,
    NotInForce(NotInForce),
}

impl From<NotInForce> for PlanProblem {
    fn from(error: NotInForce) -> Self {
        Self::NotInForce(error)
    }
}

/// Months a payer may lag behind: this month is declared next month, so a record whose latest
/// pension month is within this many months of the current one counts as "contributing now".
const CONTRIBUTING_LAG: i32 = 2;

/// Texts in one language, amounts grouped as in another (pages group as their language does;
/// the API always as in English, like the calculators).
struct Words {
    lang: Lang,
    digits: Lang,
}

impl Words {
    fn t(&self, key: &str) -> String {
        self.lang.catalog().text(key).to_owned()
    }

    fn vnd(&self, amount: i64) -> String {
        self.digits.group_digits(amount)
    }

    fn duration(&self, months: i64) -> String {
        let (years, rest) = (months / 12, months % 12);
        let (y, m) = (self.t("unit.years"), self.t("unit.months"));
        match (years, rest) {
            (0, rest) => format!("{rest} {m}"),
            (years, 0) => format!("{years} {y}"),
            (years, rest) => format!("{years} {y} {rest} {m}"),
        }
    }

    fn step(&self, key: &str, formula: String, value: i64, unit: StepUnit) -> Step {
        Step {
            label: self.t(key),
            formula,
            value,
            unit,
        }
    }
}

/// `22½` for 45 half years.
fn half_years(halves: u32) -> String {
    if halves.is_multiple_of(2) {
        format!("{}", halves / 2)
    } else {
        format!("{}½", halves / 2)
    }
}

/// The estimate for `months` of insured time at `average` salary basis, line by line.
fn estimate(months: u32, sex: Sex, average: i64, words: &Words) -> Estimate {
    let pct = crate::enrolment::percent;
    let mut explanation = vec![words.step(
        "retire.line.time",
        words.duration(i64::from(months)),
        i64::from(months),
        StepUnit::Months,
    )];
    let Some(r) = rules::pension_rate(months, sex) else {
        let missing = rules::MINIMUM_MONTHS - months;
        explanation.push(words.step(
            "retire.line.missing",
            format!(
                "{} − {}",
                words.duration(i64::from(rules::MINIMUM_MONTHS)),
                words.duration(i64::from(months))
            ),
            i64::from(missing),
            StepUnit::Months,
        ));
        return Estimate {
            months,
            qualifies: false,
            months_missing: missing,
            rate: None,
            average_salary_basis: average,
            monthly_pension: None,
            explanation,
        };
    };
    let counted = half_years(r.counted_half_years);
    explanation.push(words.step(
        "retire.line.counted",
        format!(
            "{} → {} {}",
            words.duration(i64::from(months)),
            counted,
            words.t("unit.years")
        ),
        i64::from(r.counted_half_years) * 6,
        StepUnit::Months,
    ));
    explanation.push(words.step(
        "retire.line.base_rate",
        format!("{} {}", r.base_years, words.t("unit.years")),
        r.base_rate,
        StepUnit::BasisPoints,
    ));
    let extra = half_years(r.counted_half_years - r.base_years * 2);
    explanation.push(words.step(
        "retire.line.extra",
        format!("{extra} × {}", pct(r.per_year)),
        r.uncapped - r.base_rate,
        StepUnit::BasisPoints,
    ));
    let capped = if r.uncapped > rules::MAXIMUM_RATE {
        format!(" → {}", pct(rules::MAXIMUM_RATE))
    } else {
        String::new()
    };
    explanation.push(words.step(
        "retire.line.rate",
        format!(
            "{} + {}{capped}",
            pct(r.base_rate),
            pct(r.uncapped - r.base_rate)
        ),
        r.rate,
        StepUnit::BasisPoints,
    ));
    let monthly = share(average, r.rate);
    explanation.push(words.step(
        "retire.line.pension",
        format!("{} × {}", pct(r.rate), words.vnd(average)),
        monthly,
        StepUnit::Vnd,
    ));
    Estimate {
        months,
        qualifies: true,
        months_missing: 0,
        rate: Some(r.rate),
        average_salary_basis: average,
        monthly_pension: Some(monthly),
        explanation,
    }
}

const LAW: [(&str, &str); 7] = [
    ("Labour Code 45/2019/QH14 Art. 169", "retire.law.age"),
    ("Law 41/2024/QH15 Art. 64, 98", "retire.law.conditions"),
    ("Law 41/2024/QH15 Art. 66, 99", "retire.law.rate"),
    ("Law 41/2024/QH15 Art. 5(6)", "retire.law.leftover"),
    ("Law 41/2024/QH15 Art. 72, 104", "retire.law.average"),
    ("Law 41/2024/QH15 Art. 36(2)", "retire.law.modes"),
    ("Law 41/2024/QH15 Art. 23, 70", "retire.law.options"),
];

/// The plan for `book` on `today`, with the what-if at `income` when given. Texts in `lang`,
/// amounts in formulas grouped as in `digits`.
pub fn plan(
    book: &Book,
    policy: &Policy,
    today: NaiveDate,
    income: Option<i64>,
    lang: Lang,
    digits: Lang,
) -> Result<Plan, PlanProblem> {
    let words = Words { lang, digits };
    let sex = Sex::parse(&book.person.sex).ok_or(PlanProblem::UnknownSex)?;
    let this_month = Month::of(today);
    let mut basis: Vec<Basis> = Vec::new();
    let mut use_row = |row: &Parameter| {
        if !basis
            .iter()
            .any(|b| b.name == row.name && b.effective_from == row.effective_from)
        {
            basis.push(row.basis());
        }
    };

    // Time contributed: paid pension months.
    let paid = rules::paid_pension_months(&book.months);
    let months_paid = paid.len() as u32;
    let (compulsory_months, voluntary_months) = rules::months_by_scheme(&book.months);
    let contributed = Contributed {
        months: months_paid,
        years: months_paid / 12,
        leftover_months: months_paid % 12,
        compulsory_months,
        voluntary_months,
    };

    // The age: the roadmap row of the year it is reached.
    let name = sex.age_parameter();
    let roadmap = policy.history(name);
    let birth = book.person.birth_date;
    let age = rules::retirement_age(birth, &roadmap).ok_or(NotInForce { name, date: birth })?;
    use_row(policy.row(name, age.row_from)?);
    let reach_month = Month::of(age.reached_on);
    let reached = age.reached_on <= today;
    let months_to_go = if reached {
        0
    } else {
        u32::try_from(this_month.months_until(reach_month)).unwrap_or(0)
    };
    let retirement = Retirement {
        age_months: age.age_months,
        reached_on: age.reached_on,
        pension_from: reach_month.next(),
        reached,
        months_to_go,
        explanation: vec![
            words.step(
                "retire.line.age",
                format!(
                    "{} ({} {})",
                    words.duration(age.age_months),
                    words.t("retire.line.age_in"),
                    age.reached_on.format("%Y")
                ),
                age.age_months,
                StepUnit::Months,
            ),
            words.step(
                "retire.line.reached_on",
                format!(
                    "{} + {} = {}",
                    birth.format("%d/%m/%Y"),
                    words.duration(age.age_months),
                    age.reached_on.format("%d/%m/%Y")
                ),
                i64::from(months_to_go),
                StepUnit::Months,
            ),
        ],
    };

    // Today's figures.
    let (bases_total, bases_count) = rules::salary_bases(&book.months);
    let average = rules::average(bases_total, bases_count);
    let today_estimate = estimate(months_paid, sex, average, &words);

    // If contributions go on as now: every pension month on record (the unpaid ones assumed
    // paid in the end) plus each month after the latest until the age is reached, at the
    // latest salary basis.
    let pension_rows: Vec<_> = book
        .months
        .iter()
        .filter(|m| m.funds.pays_pension())
        .collect();
    let latest = pension_rows.last().map(|m| m.month);
    let contributing =
        latest.is_some_and(|m| m.months_until(this_month) <= CONTRIBUTING_LAG) && !reached;
    let if_you_keep_contributing = match (contributing, latest) {
        (true, Some(latest)) => {
            let mut recorded: Vec<Month> = pension_rows.iter().map(|m| m.month).collect();
            recorded.dedup();
            let unpaid = recorded.len() as u32 - months_paid;
            let future = rules::months_between(latest.next(), reach_month);
            let latest_basis: i64 = pension_rows
                .iter()
                .filter(|m| m.month == latest)
                .map(|m| m.salary_basis)
                .sum();
            let added = i64::from(unpaid + future);
            let projected_average =
                rules::average(bases_total + latest_basis * added, bases_count + added);
            let mut e = estimate(
                months_paid + unpaid + future,
                sex,
                projected_average,
                &words,
            );
            e.explanation.insert(
                0,
                words.step(
                    "retire.line.future",
                    format!(
                        "{} + {} ({} – {}; {})",
                        months_paid + unpaid,
                        future,
                        latest.next(),
                        reach_month,
                        words.vnd(latest_basis)
                    ),
                    i64::from(months_paid) + added,
                    StepUnit::Months,
                ),
            );
            Some(e)
        }
        _ => None,
    };

    let through = this_month.minus(1);
    let gaps = rules::gaps(&book.months, through, today);

    // What-if: voluntary contributions at `income` from this month (or the month after the
    // latest on record) until the age is reached.
    let price = match income {
        Some(income) => Some(
            enrolment::voluntary_si(
                income,
                SupportGroup::Other,
                PaymentMode::Monthly,
                today,
                policy,
            )
            .map_err(|problem| match problem {
                VoluntaryProblem::OutOfBounds { floor, ceiling } => {
                    PlanProblem::IncomeOutOfBounds { floor, ceiling }
                }
                VoluntaryProblem::GroupNotInForce => PlanProblem::NotInForce(NotInForce {
                    name: SupportGroup::Other.parameter(),
                    date: today,
                }),
                VoluntaryProblem::NotInForce(e) => PlanProblem::NotInForce(e),
            })?,
        ),
        None => None,
    };
    if price.is_some() {
        for name in [
            "voluntary_rate",
            SupportGroup::Other.parameter(),
            "rural_poverty_line",
            "base_salary",
            "si_ceiling_multiple",
        ] {
            use_row(policy.row(name, today)?);
        }
    }
    let what_if = match (income, &price) {
        (Some(income), Some(price)) if !reached => {
            let from = latest.map_or(this_month, |m| m.next().max(this_month));
            let voluntary = rules::months_between(from, reach_month);
            let total = months_paid + voluntary;
            let added = i64::from(voluntary);
            let new_average = rules::average(bases_total + income * added, bases_count + added);
            let mut e = estimate(total, sex, new_average, &words);
            e.explanation.insert(
                0,
                words.step(
                    "retire.line.whatif_total",
                    format!("{months_paid} + {voluntary}"),
                    i64::from(total),
                    StepUnit::Months,
                ),
            );
            let pct = crate::enrolment::percent;
            let explanation = vec![
                words.step(
                    "retire.line.voluntary_months",
                    format!("{from} – {reach_month}"),
                    added,
                    StepUnit::Months,
                ),
                words.step(
                    "calc.line.gross",
                    format!("{} × {}", pct(price.rate), words.vnd(income)),
                    price.monthly_gross,
                    StepUnit::Vnd,
                ),
                words.step(
                    "calc.line.support",
                    format!(
                        "{} × {} × {}",
                        pct(price.support_rate),
                        pct(price.rate),
                        words.vnd(price.poverty_line)
                    ),
                    price.monthly_support,
                    StepUnit::Vnd,
                ),
                words.step(
                    "calc.line.payable",
                    format!(
                        "{} − {}",
                        words.vnd(price.monthly_gross),
                        words.vnd(price.monthly_support)
                    ),
                    price.monthly_payable,
                    StepUnit::Vnd,
                ),
            ];
            Some(WhatIf {
                income,
                from,
                to: reach_month,
                voluntary_months: voluntary,
                monthly_gross: price.monthly_gross,
                monthly_support: price.monthly_support,
                monthly_cost: price.monthly_payable,
                estimate: e,
                explanation,
            })
        }
        _ => None,
    };

    // One payment for the years still missing at retirement (mode (e)).
    let at_retirement = if_you_keep_contributing
        .as_ref()
        .map_or(months_paid, |e| e.months);
    let one_off = if at_retirement < rules::MINIMUM_MONTHS {
        let missing = rules::MINIMUM_MONTHS - at_retirement;
        let limit_row = policy.row("voluntary_lump_sum_max_missing_months", today)?;
        let return_row = policy.row("voluntary_monthly_return", today)?;
        use_row(limit_row);
        use_row(return_row);
        let (limit, monthly_return) = (limit_row.value, return_row.value);
        let mut explanation = vec![words.step(
            "retire.line.missing",
            format!(
                "{} − {}",
                words.duration(i64::from(rules::MINIMUM_MONTHS)),
                words.duration(i64::from(at_retirement))
            ),
            i64::from(missing),
            StepUnit::Months,
        )];
        let (mut gross, mut total) = (None, None);
        if let (Some(income), Some(price)) = (income, &price) {
            let priced = enrolment::missing_months_payment(
                price.monthly_gross,
                i64::from(missing),
                today,
                policy,
            )
            .map_err(|problem| match problem {
                enrolment::OneOffProblem::NotInForce(e) => PlanProblem::NotInForce(e),
                enrolment::OneOffProblem::Months { .. } => PlanProblem::NotInForce(NotInForce {
                    name: "voluntary_lump_sum_max_missing_months",
                    date: today,
                }),
            })?;
            explanation.push(words.step(
                "calc.line.gross",
                format!(
                    "{} × {}",
                    crate::enrolment::percent(price.rate),
                    words.vnd(income)
                ),
                price.monthly_gross,
                StepUnit::Vnd,
            ));
            explanation.push(words.step(
                "retire.line.one_off",
                format!(
                    "Σ i=1..{missing} {} × (1 + {})^i",
                    words.vnd(price.monthly_gross),
                    crate::enrolment::percent(monthly_return)
                ),
                priced.total,
                StepUnit::Vnd,
            ));
            gross = Some(price.monthly_gross);
            total = Some(priced.total);
        }
        Some(OneOff {
            missing_months: missing,
            limit_months: limit,
            within_limit: i64::from(missing) <= limit,
            income,
            monthly_gross: gross,
            monthly_return,
            total,
            explanation,
        })
    } else {
        None
    };

    let law = LAW
        .iter()
        .map(|(reference, key)| LawArticle {
            reference,
            subject: words.t(key),
        })
        .collect();
    let notes = [
        "retire.note.estimate",
        "retire.note.age",
        "retire.note.official",
    ]
    .iter()
    .map(|key| words.t(key))
    .collect();
    Ok(Plan {
        si_code: book.person.si_code.clone(),
        as_of: today,
        sex,
        birth_date: birth,
        contributed,
        retirement,
        today: today_estimate,
        if_you_keep_contributing,
        gaps,
        what_if,
        one_off,
        legal_basis: basis,
        law,
        notes,
    })
}
