//! A claim checked against the claimant's own insurance book (for a funeral, the deceased's).
//! The facts each kind needs are read here — the months paid and their salaries, the employer
//! of a month, the health card, the working days of a leave — and handed to the pure rules of
//! [`super::rules`], which say who qualifies and how much, line by line. A lump-sum claim also
//! gets the comparison with staying in the system, from the retirement planner.
//!
//! The facts are read for one day, the claim's request date: the day it was submitted, or for
//! a draft the day it was last saved. The helpers that shape book months into the rules' facts
//! are pure and tested here; the queries stay in [`assess`] and [`deadline_kind`].

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::calendar::{holidays_between, working_days_between};
use super::form::{
    ClaimForm, FuneralForm, HiReimbursementForm, LumpSumForm, MaternityEvent, MaternityForm,
    SicknessForm, UnemploymentForm,
};
use super::rules::{
    self, Amount, CardFacts, DeadlineKind, Deceased, Eligibility, Explanation, Line, LumpSumBook,
    LumpSumRecord, MaternityRecord, MaternityRoute, SickLeave, Unit,
};
use crate::accounts::store::Account;
use crate::db::DbConn;
use crate::error::AppError;
use crate::health_card::{Card, card_valid_on, latest_card, same_name};
use crate::insurance_book::Book;
use crate::insurance_book::model::Month;
use crate::insurance_book::rules::{BookMonth, Funds, paid_months};
use crate::insurance_book::store::{employer_by_unit_code, months_of, person_by_personal_id};
use crate::policy::{Policy, Region};
use crate::retirement::{self, Plan, rules as retirement_rules};
use crate::web::i18n::Lang;

/// Eligibility from the person's book and the estimate, each explained line by line.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = ClaimAssessment)]
pub struct Assessment {
    /// The day the facts are read for: the day the claim was submitted, or for a draft the day
    /// it was last saved.
    #[schema(format = Date)]
    pub as_of: NaiveDate,
    pub eligibility: Eligibility,
    /// What the claim pays, when eligible: the childbirth lump sum (or the voluntary maternity
    /// allowance), all the months of unemployment benefit, the lump sum, the funeral allowance,
    /// the fund's share of the costs, the sick pay.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Amount>,
    /// Maternity under compulsory SI: the allowance for each month of leave (100% of the
    /// average SI salary of the last 6 months), on top of the estimate.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_allowance: Option<Amount>,
    /// A lump-sum claim: what staying in the system would give instead.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<LumpSumComparison>,
}

impl Assessment {
    fn of(as_of: NaiveDate, eligibility: Eligibility) -> Self {
        Self {
            as_of,
            eligibility,
            estimate: None,
            monthly_allowance: None,
            comparison: None,
        }
    }
}

/// A lump sum against staying in the system, from the person's record.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = ClaimLumpSumComparison)]
pub struct LumpSumComparison {
    /// Months of SI paid: the lump sum closes them, and they no longer count towards a pension.
    pub months_contributed: u32,
    pub compulsory_months: u32,
    pub voluntary_months: u32,
    /// The lump sum if paid on the day of the assessment, VND, from the plain average of the
    /// salary bases (not CPI-adjusted).
    pub lump_sum_today: i64,
    pub staying: Staying,
    pub health_cover: HealthCover,
    pub explanation: Explanation,
}

/// What the months on record lead to at the retirement age of the roadmap.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = ClaimStaying)]
pub struct Staying {
    /// The age required, in months (e.g. 741 = 61 years 9 months).
    pub retirement_age_months: i64,
    /// The day that age is reached.
    #[schema(format = Date)]
    pub retirement_on: NaiveDate,
    /// The first month of pension.
    pub pension_from: Month,
    /// The pension rate the months paid give, basis points; absent under 15 years.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pension_rate: Option<i64>,
    /// Months still missing for a pension (15 years); 0 when there are enough.
    pub months_missing: u32,
    /// Rate × average salary basis, VND a month, not CPI-adjusted; absent under 15 years.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_pension: Option<i64>,
    /// If contributions go on as now until that age: the months then; absent when the person
    /// is not contributing now.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months_if_contributing: Option<u32>,
    /// The rate those months give, basis points; absent under 15 years or when not contributing.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pension_rate_if_contributing: Option<i64>,
}

/// The health cover a lump sum gives up.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = ClaimHealthCover)]
pub struct HealthCover {
    /// The catalog key of the plain statement of what is lost.
    #[schema(example = "claims.comparison.health_cover")]
    pub statement: &'static str,
    /// A health card valid on the day of the assessment.
    pub holds_card: bool,
    #[schema(format = Date, nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_valid_to: Option<NaiveDate>,
}

/// The catalog key of the statement on health cover.
pub const HEALTH_COVER_STATEMENT: &str = "claims.comparison.health_cover";

/// The claim checked against the book on `as_of`; `None` when it cannot be: the account has
/// no personal ID (funerals excepted: they read the deceased's book), or the dated figures the
/// rules need are not in force on the date of the event.
pub fn assess(
    conn: &mut DbConn,
    account: &Account,
    form: &ClaimForm,
    as_of: NaiveDate,
) -> Result<Option<Assessment>, AppError> {
    let book = match (form, account.personal_id.as_deref()) {
        // A funeral reads the deceased's book, not the claimant's.
        (ClaimForm::Funeral(_), _) => None,
        (_, Some(personal_id)) => book_of(conn, personal_id)?,
        (_, None) => return Ok(None),
    };
    let months: &[BookMonth] = book.as_ref().map_or(&[], |b| &b.months);
    let policy = Policy::load(conn)?;
    match form {
        ClaimForm::Sickness(f) => assess_sickness(conn, months, f, as_of).map(Some),
        ClaimForm::Maternity(f) => Ok(Some(assess_maternity(months, f, &policy, as_of))),
        ClaimForm::Unemployment(f) => assess_unemployment(conn, months, f, &policy, as_of),
        ClaimForm::LumpSum(f) => assess_lump_sum(conn, book.as_ref(), f, &policy, as_of).map(Some),
        ClaimForm::Funeral(f) => assess_funeral(conn, f, &policy, as_of).map(Some),
        ClaimForm::HiReimbursement(f) => {
            assess_hi(conn, book.as_ref(), f, &policy, as_of).map(Some)
        }
    }
}

/// The kind of the decision's time limit. For maternity it depends on who files, which the
/// book tells ([`rules::maternity_route`]): the employer while one declared the month of the
/// event, the worker once the contract had ended, and the worker under voluntary SI.
pub fn deadline_kind(
    conn: &mut DbConn,
    account: &Account,
    form: &ClaimForm,
) -> Result<DeadlineKind, AppError> {
    Ok(match form {
        ClaimForm::Maternity(f) => {
            let book = match account.personal_id.as_deref() {
                Some(personal_id) => book_of(conn, personal_id)?,
                None => None,
            };
            let months: &[BookMonth] = book.as_ref().map_or(&[], |b| &b.months);
            let facts = MaternityFacts::of(months, f.event_date);
            rules::maternity_route(&facts.record(), f.event_date).deadline_kind()
        }
        ClaimForm::Sickness(_) => DeadlineKind::Sickness,
        ClaimForm::Unemployment(_) => DeadlineKind::Unemployment,
        ClaimForm::LumpSum(_) => DeadlineKind::LumpSum,
        ClaimForm::Funeral(_) => DeadlineKind::Funeral,
        ClaimForm::HiReimbursement(_) => DeadlineKind::HealthReimbursement,
    })
}

/// The book of the person with `personal_id`, if any.
pub fn book_of(conn: &mut DbConn, personal_id: &str) -> Result<Option<Book>, AppError> {
    let Some(person) = person_by_personal_id(conn, personal_id)? else {
        return Ok(None);
    };
    let months = months_of(conn, &person.id, None, None)?;
    Ok(Some(Book { person, months }))
}

fn assess_sickness(
    conn: &mut DbConn,
    months: &[BookMonth],
    form: &SicknessForm,
    as_of: NaiveDate,
) -> Result<Assessment, AppError> {
    let salaries = monthly_salaries(months, compulsory_si);
    let salary = salary_for_leave(&salaries, Month::of(form.first_day));
    let eligibility = rules::sickness_eligibility(
        salary.map(|(month, _)| month),
        form.first_day,
        form.child_birth_date,
    );
    let mut assessment = Assessment::of(as_of, eligibility);
    if let (true, Some((_, salary))) = (assessment.eligibility.eligible, salary) {
        // DOMAIN.md §4.2: sick days are working days, so weekends and public holidays are
        // skipped.
        let holidays = holidays_between(conn, form.first_day, form.last_day)?;
        let pay = rules::sickness(&SickLeave {
            salary_month_before: salary,
            insured_months: paid_months(months, Funds::pays_pension),
            // Neither the heavy-job flag nor the sick days already paid this year are in the
            // book: the normal cap, with the whole year's days still open.
            heavy_or_remote: false,
            half_days_taken_this_year: 0,
            whole_days: working_days_between(form.first_day, form.last_day, &holidays),
            part_of_day_percent: 0,
        });
        assessment.estimate = Some(Amount {
            amount: pay.amount,
            explanation: pay.explanation,
        });
    }
    Ok(assessment)
}

fn assess_maternity(
    months: &[BookMonth],
    form: &MaternityForm,
    policy: &Policy,
    as_of: NaiveDate,
) -> Assessment {
    let facts = MaternityFacts::of(months, form.event_date);
    let (route, eligibility) = rules::maternity_check(&facts.record(), form.event_date);
    let mut assessment = Assessment::of(as_of, eligibility);
    if !assessment.eligibility.eligible {
        return assessment;
    }
    let children = u32::from(form.children);
    if route == MaternityRoute::Voluntary {
        // The voluntary allowance is for a child born (Art. 94).
        if form.event == MaternityEvent::Birth {
            assessment.estimate =
                rules::voluntary_maternity_allowance(form.event_date, children, policy).ok();
        }
        return assessment;
    }
    if form.event != MaternityEvent::Miscarriage {
        assessment.estimate = rules::childbirth_lump_sum(form.event_date, children, policy).ok();
    }
    let salaries = monthly_salaries(months, |m| m.employer.is_some() && paid_si(m));
    assessment.monthly_allowance = Some(rules::maternity_monthly_allowance(
        &salaries,
        Month::of(form.leave_from),
    ));
    assessment
}

fn assess_unemployment(
    conn: &mut DbConn,
    months: &[BookMonth],
    form: &UnemploymentForm,
    policy: &Policy,
    as_of: NaiveDate,
) -> Result<Option<Assessment>, AppError> {
    let last = Month::of(form.termination_date);
    let ui_paid =
        |m: &BookMonth| m.paid_on.is_some() && m.funds.pays_unemployment() && m.month <= last;
    let salaries = monthly_salaries(months, ui_paid);
    let paid: Vec<Month> = salaries.iter().map(|(month, _)| *month).collect();
    let Ok(eligibility) = rules::unemployment_eligibility(&paid, form.termination_date, policy)
    else {
        return Ok(None);
    };
    let mut assessment = Assessment::of(as_of, eligibility);
    if !assessment.eligibility.eligible {
        return Ok(Some(assessment));
    }
    // The cap is 5 × the regional minimum wage where the last UI month was worked; the form's
    // employer when the book does not name one.
    let unit = months
        .iter()
        .rfind(|m| ui_paid(m))
        .and_then(|m| m.employer.as_ref())
        .map_or(form.last_employer.trim(), |payer| payer.unit_code.as_str())
        .to_owned();
    let region = employer_by_unit_code(conn, &unit)?.and_then(|e| Region::new(e.region));
    if let Some(region) = region {
        // Every UI month on record counts: an earlier claim's months used are not in the book.
        let counted = paid.len() as u32;
        assessment.estimate = rules::unemployment_benefit(&salaries, region, counted, policy)
            .ok()
            .map(|benefit| Amount {
                amount: benefit.total,
                explanation: benefit.explanation,
            });
    }
    Ok(Some(assessment))
}

fn assess_lump_sum(
    conn: &mut DbConn,
    book: Option<&Book>,
    form: &LumpSumForm,
    policy: &Policy,
    as_of: NaiveDate,
) -> Result<Assessment, AppError> {
    let months: &[BookMonth] = book.map_or(&[], |b| &b.months);
    // The retirement planner gives the age and the pension the months lead to; a record it
    // cannot plan (a sex the roadmap does not know) just goes without the comparison.
    let plan = book.and_then(|b| retirement::plan(b, policy, as_of, None, Lang::En, Lang::En).ok());
    let (record, lump_sum_book) =
        lump_sum_facts(months, plan.as_ref().map(|p| p.retirement.reached_on));
    let eligibility = rules::lump_sum_eligibility(form.route, &record, as_of);
    let amount = rules::lump_sum_estimate(&lump_sum_book, form.route);
    let card = match book {
        Some(b) => card_valid_on(conn, &b.person.id, as_of)?.map(card_facts),
        None => None,
    };
    let mut assessment = Assessment::of(as_of, eligibility);
    assessment.comparison = plan
        .as_ref()
        .map(|plan| comparison(plan, amount.amount, card.as_ref(), as_of));
    if assessment.eligibility.eligible {
        assessment.estimate = Some(amount);
    }
    Ok(assessment)
}

fn assess_funeral(
    conn: &mut DbConn,
    form: &FuneralForm,
    policy: &Policy,
    as_of: NaiveDate,
) -> Result<Assessment, AppError> {
    // The deceased's book is read only when the ID and the name on the claim both match it, so
    // a claim does not open anybody's record by a personal ID alone.
    let person = person_by_personal_id(conn, form.deceased_personal_id.trim())?
        .filter(|p| same_name(&p.full_name, &form.deceased_name));
    let months = match &person {
        Some(p) => months_of(conn, &p.id, None, None)?,
        None => Vec::new(),
    };
    let (compulsory_months, voluntary_months) = retirement_rules::months_by_scheme(&months);
    let mut eligibility = rules::funeral_eligibility(&Deceased {
        compulsory_months,
        voluntary_months,
        // Pensions and occupational deaths are not in the book: staff check them.
        pensioner: false,
        occupational_death: false,
    });
    eligibility.explanation.lines.insert(
        0,
        Line {
            label: "claims.funeral.line.record".into(),
            formula: if person.is_some() {
                "a record matches the personal ID and the name".to_owned()
            } else {
                "no record matches the personal ID and the name".to_owned()
            },
            value: i64::from(person.is_some()),
            unit: Unit::Condition,
        },
    );
    let mut assessment = Assessment::of(as_of, eligibility);
    if assessment.eligibility.eligible {
        assessment.estimate = rules::funeral_allowance(form.date_of_death, policy).ok();
    }
    Ok(assessment)
}

fn assess_hi(
    conn: &mut DbConn,
    book: Option<&Book>,
    form: &HiReimbursementForm,
    policy: &Policy,
    as_of: NaiveDate,
) -> Result<Assessment, AppError> {
    let care_from = form.treatment_from;
    // The card of the first day of care, else the latest one (for its benefit level).
    let card = match book {
        Some(b) => match card_valid_on(conn, &b.person.id, care_from)? {
            Some(card) => Some(card),
            None => latest_card(conn, &b.person.id)?,
        },
        None => None,
    }
    .map(card_facts);
    let months: &[BookMonth] = book.map_or(&[], |b| &b.months);
    let contributions = hi_in_month(months, Month::of(care_from));
    let (eligibility, share) = rules::hi_cover(card.as_ref(), contributions, care_from);
    let mut assessment = Assessment::of(as_of, eligibility);
    if let (true, Some(case)) = (assessment.eligibility.eligible, form.case()) {
        assessment.estimate =
            rules::hi_direct_reimbursement(form.amount_paid, share, case, care_from, policy).ok();
    }
    Ok(assessment)
}

fn card_facts(card: Card) -> CardFacts {
    CardFacts {
        card_code: card.card_code,
        benefit_level: card.benefit_level,
        valid_from: card.valid_from,
        valid_to: card.valid_to,
    }
}

// ---------------------------------------------------------------------------------------------
// Book months shaped into the rules' facts (pure)

/// A month paid into SI: pension, or sickness and maternity.
fn paid_si(m: &BookMonth) -> bool {
    m.paid_on.is_some() && (m.funds.pays_pension() || m.funds.sickness_employer > 0)
}

/// A month an employer declared with SI, paid yet or not (its salary is the worker's salary
/// even before the employer pays).
fn compulsory_si(m: &BookMonth) -> bool {
    m.employer.is_some() && (m.funds.pays_pension() || m.funds.sickness_employer > 0)
}

/// Distinct months `keep` picks, oldest first.
fn distinct_months(months: &[BookMonth], keep: impl Fn(&BookMonth) -> bool) -> Vec<Month> {
    let mut picked: Vec<Month> = months.iter().filter(|m| keep(m)).map(|m| m.month).collect();
    picked.sort();
    picked.dedup();
    picked
}

/// (month, salary basis) of the months `keep` picks, oldest first; two payers in one month add
/// up to one month.
pub fn monthly_salaries(
    months: &[BookMonth],
    keep: impl Fn(&BookMonth) -> bool,
) -> Vec<(Month, i64)> {
    let mut picked: Vec<(Month, i64)> = months
        .iter()
        .filter(|m| keep(m))
        .map(|m| (m.month, m.salary_basis))
        .collect();
    picked.sort();
    let mut out: Vec<(Month, i64)> = Vec::new();
    for (month, salary) in picked {
        match out.last_mut() {
            Some((m, total)) if *m == month => *total += salary,
            _ => out.push((month, salary)),
        }
    }
    out
}

/// The month whose salary sick pay is worked out on, and the salary: the month before the
/// leave, or the leave's own month when the book has no month before it (sick in the first
/// month of work) (Art. 45).
pub fn salary_for_leave(salaries: &[(Month, i64)], leave: Month) -> Option<(Month, i64)> {
    let find = |month: Month| salaries.iter().find(|(m, _)| *m == month).copied();
    find(leave.minus(1)).or_else(|| find(leave))
}

/// Health insurance declared for `month` (paid or owed: an employer's debt is not the worker's
/// gap).
pub fn hi_in_month(months: &[BookMonth], month: Month) -> bool {
    months
        .iter()
        .any(|m| m.month == month && m.funds.pays_health())
}

/// A book's months as the maternity rules see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaternityFacts {
    pub compulsory: Vec<Month>,
    pub voluntary: Vec<Month>,
    pub employed_in_event_month: bool,
}

impl MaternityFacts {
    /// Paid SI months by scheme, and whether an employer declared the month of the event (a
    /// month not declared yet reads as no employer).
    pub fn of(months: &[BookMonth], event: NaiveDate) -> Self {
        let event_month = Month::of(event);
        Self {
            compulsory: distinct_months(months, |m| m.employer.is_some() && paid_si(m)),
            voluntary: distinct_months(months, |m| m.employer.is_none() && paid_si(m)),
            employed_in_event_month: months
                .iter()
                .any(|m| m.month == event_month && compulsory_si(m)),
        }
    }

    pub fn record(&self) -> MaternityRecord<'_> {
        MaternityRecord {
            compulsory: &self.compulsory,
            voluntary: &self.voluntary,
            employed_in_event_month: self.employed_in_event_month,
        }
    }
}

/// The record the lump-sum routes check and the figures its amount is worked out from: the
/// paid pension months (as the retirement planner counts them), the last month declared with
/// SI, and the shares paid and the state's support of the paid months.
pub fn lump_sum_facts(
    months: &[BookMonth],
    retirement_age_on: Option<NaiveDate>,
) -> (LumpSumRecord, LumpSumBook) {
    let paid = retirement_rules::paid_pension_months(months);
    let (before_2014, from_2014) = rules::months_around_2014(&paid);
    let (salary_total, salary_months) = retirement_rules::salary_bases(months);
    let paid_rows = months
        .iter()
        .filter(|m| m.paid_on.is_some() && m.funds.pays_pension());
    let (contributed, state_support) = paid_rows.fold((0, 0), |(paid, support), m| {
        (
            paid + m.funds.pension_employee + m.funds.pension_employer,
            support + m.state_support,
        )
    });
    let record = LumpSumRecord {
        months_paid: paid.len() as u32,
        first_month_paid: paid.first().copied(),
        last_month_in_si: months
            .iter()
            .filter(|m| m.funds.pays_pension())
            .map(|m| m.month)
            .max(),
        retirement_age_on,
    };
    let book = LumpSumBook {
        before_2014,
        from_2014,
        salary_total,
        salary_months,
        contributed,
        state_support,
    };
    (record, book)
}

/// The lump sum today against staying: the months on record, the age and date of retirement
/// and the pension rate they lead to (the retirement planner's figures), and the health cover
/// given up — a pension comes with health insurance paid by the SI fund (Art. 119(2)).
pub fn comparison(
    plan: &Plan,
    lump_sum_today: i64,
    card: Option<&CardFacts>,
    today: NaiveDate,
) -> LumpSumComparison {
    let pct = crate::enrolment::percent;
    let vnd = |amount: i64| Lang::En.group_digits(amount);
    let mut e = Explanation::citing(&[
        "Law 41/2024/QH15 Art. 64, 66",
        "Law 41/2024/QH15 Art. 70",
        "Law 41/2024/QH15 Art. 119(2)",
    ]);
    let contributed = &plan.contributed;
    e.line(
        "claims.comparison.line.months",
        format!(
            "{} months ({} compulsory, {} voluntary)",
            contributed.months, contributed.compulsory_months, contributed.voluntary_months
        ),
        i64::from(contributed.months),
        Unit::Months,
    );
    e.line(
        "claims.comparison.line.lump_sum",
        format!("{} once, not CPI-adjusted", vnd(lump_sum_today)),
        lump_sum_today,
        Unit::Vnd,
    );
    let retirement = &plan.retirement;
    e.line(
        "claims.comparison.line.retirement",
        format!(
            "{} years {} months, on {}",
            retirement.age_months / 12,
            retirement.age_months % 12,
            retirement.reached_on
        ),
        retirement.age_months,
        Unit::Months,
    );
    let today_estimate = &plan.today;
    match (today_estimate.rate, today_estimate.monthly_pension) {
        (Some(rate), Some(monthly)) => {
            e.line(
                "claims.comparison.line.pension_rate",
                format!("{} months → {}", today_estimate.months, pct(rate)),
                rate,
                Unit::BasisPoints,
            );
            e.line(
                "claims.comparison.line.monthly_pension",
                format!(
                    "{} × {} a month, not CPI-adjusted",
                    pct(rate),
                    vnd(today_estimate.average_salary_basis)
                ),
                monthly,
                Unit::Vnd,
            );
        }
        _ => e.line(
            "claims.comparison.line.months_missing",
            format!(
                "{} − {}",
                retirement_rules::MINIMUM_MONTHS,
                today_estimate.months
            ),
            i64::from(today_estimate.months_missing),
            Unit::Months,
        ),
    }
    let contributing = plan.if_you_keep_contributing.as_ref();
    if let Some(estimate) = contributing {
        e.line(
            "claims.comparison.line.if_contributing",
            match estimate.rate {
                Some(rate) => format!(
                    "{} months by {} → {}",
                    estimate.months,
                    retirement.pension_from,
                    pct(rate)
                ),
                None => format!(
                    "{} months by {}: under 15 years",
                    estimate.months, retirement.pension_from
                ),
            },
            estimate.rate.unwrap_or(0),
            Unit::BasisPoints,
        );
    }
    let holds_card = card.is_some_and(|c| (c.valid_from..=c.valid_to).contains(&today));
    e.line(
        "claims.comparison.line.health_card",
        match card.filter(|_| holds_card) {
            Some(c) => format!("{} valid to {}", c.card_code, c.valid_to),
            None => format!("no card valid on {today}"),
        },
        i64::from(holds_card),
        Unit::Condition,
    );
    LumpSumComparison {
        months_contributed: contributed.months,
        compulsory_months: contributed.compulsory_months,
        voluntary_months: contributed.voluntary_months,
        lump_sum_today,
        staying: Staying {
            retirement_age_months: retirement.age_months,
            retirement_on: retirement.reached_on,
            pension_from: retirement.pension_from,
            pension_rate: today_estimate.rate,
            months_missing: today_estimate.months_missing,
            monthly_pension: today_estimate.monthly_pension,
            months_if_contributing: contributing.map(|c| c.months),
            pension_rate_if_contributing: contributing.and_then(|c| c.rate),
        },
        health_cover: HealthCover {
            statement: HEALTH_COVER_STATEMENT,
            holds_card,
            card_valid_to: card.filter(|_| holds_card).map(|c| c.valid_to),
        },
        explanation: e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insurance_book::rules::{Payer, due_date};
    use crate::insurance_book::store::Person;
    use crate::policy::shipped;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    /// A month of `unit` (compulsory) or voluntary (`None`) at `salary`, paid when `paid`.
    fn book_month(text: &str, unit: Option<&str>, salary: i64, paid: bool) -> BookMonth {
        let month = month(text);
        let compulsory = unit.is_some();
        BookMonth {
            month,
            employer: unit.map(|u| Payer {
                unit_code: u.into(),
                name: "Công ty".into(),
            }),
            salary_basis: salary,
            funds: Funds {
                pension_employee: salary * 8 / 100,
                pension_employer: if compulsory { salary * 14 / 100 } else { 0 },
                sickness_employer: if compulsory { salary * 3 / 100 } else { 0 },
                unemployment_employee: if compulsory { salary / 100 } else { 0 },
                unemployment_employer: if compulsory { salary / 100 } else { 0 },
                health_employee: if compulsory { salary * 15 / 1000 } else { 0 },
                health_employer: if compulsory { salary * 3 / 100 } else { 0 },
                ..Funds::default()
            },
            state_support: if compulsory { 0 } else { 66_000 },
            due_date: due_date(month),
            paid_on: paid.then(|| due_date(month)),
        }
    }

    /// Paid months from `from` to `to` with `unit` (or voluntary) at `salary`.
    fn run(from: &str, to: &str, unit: Option<&str>, salary: i64) -> Vec<BookMonth> {
        let (mut m, to) = (month(from), month(to));
        let mut out = Vec::new();
        while m <= to {
            out.push(book_month(&m.to_string(), unit, salary, true));
            m = m.next();
        }
        out
    }

    #[test]
    fn salaries_add_up_two_payers_in_a_month_and_skip_what_is_not_kept() {
        let months = vec![
            book_month("2026-09", Some("TA1"), 6_000_000, true),
            book_month("2026-09", Some("TB2"), 4_000_000, true),
            book_month("2026-10", Some("TA1"), 6_000_000, false),
            book_month("2026-08", None, 3_000_000, true),
        ];
        assert_eq!(
            monthly_salaries(&months, compulsory_si),
            [
                (month("2026-09"), 10_000_000),
                (month("2026-10"), 6_000_000)
            ]
        );
        assert_eq!(
            monthly_salaries(&months, paid_si),
            [
                (month("2026-08"), 3_000_000),
                (month("2026-09"), 10_000_000)
            ]
        );
    }

    #[test]
    fn sick_pay_uses_the_month_before_the_leave_or_the_first_month() {
        let salaries = [(month("2026-10"), 9_600_000), (month("2026-11"), 9_900_000)];
        assert_eq!(
            salary_for_leave(&salaries, month("2026-11")),
            Some((month("2026-10"), 9_600_000))
        );
        // Sick in the first month of work: that month's salary.
        assert_eq!(
            salary_for_leave(&salaries[1..], month("2026-11")),
            Some((month("2026-11"), 9_900_000))
        );
        assert_eq!(salary_for_leave(&salaries, month("2027-01")), None);
    }

    #[test]
    fn maternity_facts_split_the_schemes_and_see_the_employer_of_the_birth_month() {
        let mut months = run("2026-05", "2026-10", Some("TA1"), 8_000_000);
        months.push(book_month("2026-04", None, 3_000_000, true));
        months.push(book_month("2026-03", None, 3_000_000, false));
        months.sort_by_key(|m| m.month);
        let born = day("2026-11-02");
        let facts = MaternityFacts::of(&months, born);
        assert_eq!(facts.compulsory.len(), 6);
        assert_eq!(facts.voluntary, [month("2026-04")]);
        assert!(!facts.employed_in_event_month);
        // The employer declared November (not paid yet): still employed.
        months.push(book_month("2026-11", Some("TA1"), 8_000_000, false));
        assert!(MaternityFacts::of(&months, born).employed_in_event_month);
    }

    #[test]
    fn lump_sum_facts_count_paid_months_and_leave_the_state_support_out_of_what_was_paid() {
        let mut months = run("2013-11", "2014-02", Some("TA1"), 5_000_000);
        months.extend(run("2025-01", "2025-02", None, 3_000_000));
        months.push(book_month("2025-03", None, 3_000_000, false));
        let (record, book) = lump_sum_facts(&months, None);
        assert_eq!(record.months_paid, 6);
        assert_eq!(record.first_month_paid, Some(month("2013-11")));
        // Declared and unpaid is still a month in SI.
        assert_eq!(record.last_month_in_si, Some(month("2025-03")));
        assert_eq!((book.before_2014, book.from_2014), (2, 4));
        assert_eq!(
            (book.salary_total, book.salary_months),
            (4 * 5_000_000 + 2 * 3_000_000, 6)
        );
        // 22% of 5,000,000 four times, and the 8% recorded for the voluntary months twice.
        assert_eq!(book.contributed, 4 * 1_100_000 + 2 * 240_000);
        assert_eq!(book.state_support, 2 * 66_000);
    }

    #[test]
    fn hi_months_count_whether_paid_or_owed() {
        let months = vec![book_month("2026-10", Some("TA1"), 8_000_000, false)];
        assert!(hi_in_month(&months, month("2026-10")));
        assert!(!hi_in_month(&months, month("2026-09")));
    }

    fn plan_of(sex: &str, birth: &str, months: Vec<BookMonth>, today: &str) -> Plan {
        let book = Book {
            person: Person {
                id: "p".into(),
                si_code: "0100000001".into(),
                personal_id: None,
                full_name: "Người thử".into(),
                birth_date: day(birth),
                sex: sex.into(),
            },
            months,
        };
        retirement::plan(&book, &shipped(), day(today), None, Lang::En, Lang::En).unwrap()
    }

    #[test]
    fn the_comparison_shows_the_pension_the_months_lead_to_and_the_cover_lost() {
        // Example 5: a woman with 22 years at 10,000,000, out of work since July 2026.
        let months = run("2004-07", "2026-06", Some("TA1"), 10_000_000);
        let plan = plan_of("female", "1975-04-12", months, "2026-11-15");
        let card = CardFacts {
            card_code: "DN4790100000001".into(),
            benefit_level: 4,
            valid_from: day("2026-01-01"),
            valid_to: day("2026-12-31"),
        };
        let seen = comparison(&plan, 430_000_000, Some(&card), day("2026-11-15"));
        assert_eq!(
            (seen.months_contributed, seen.compulsory_months),
            (264, 264)
        );
        assert_eq!(seen.staying.pension_rate, Some(5_900));
        assert_eq!(seen.staying.monthly_pension, Some(5_900_000));
        assert_eq!(seen.staying.months_missing, 0);
        assert_eq!(seen.staying.retirement_on, plan.retirement.reached_on);
        assert_eq!(seen.staying.months_if_contributing, None);
        assert!(seen.health_cover.holds_card);
        assert_eq!(seen.health_cover.statement, HEALTH_COVER_STATEMENT);
        let lines: Vec<(&str, &str, i64)> = seen
            .explanation
            .lines
            .iter()
            .map(|l| (l.label.as_ref(), l.formula.as_str(), l.value))
            .collect();
        assert_eq!(
            lines[..2],
            [
                (
                    "claims.comparison.line.months",
                    "264 months (264 compulsory, 0 voluntary)",
                    264
                ),
                (
                    "claims.comparison.line.lump_sum",
                    "430,000,000 once, not CPI-adjusted",
                    430_000_000
                ),
            ]
        );
        assert_eq!(
            lines[3..],
            [
                (
                    "claims.comparison.line.pension_rate",
                    "264 months → 59%",
                    5_900
                ),
                (
                    "claims.comparison.line.monthly_pension",
                    "59% × 10,000,000 a month, not CPI-adjusted",
                    5_900_000
                ),
                (
                    "claims.comparison.line.health_card",
                    "DN4790100000001 valid to 2026-12-31",
                    1
                ),
            ]
        );
        // Ten years, still contributing, no card: the months missing and the rate if they go on.
        let months = run("2016-11", "2026-10", Some("TA1"), 8_000_000);
        let plan = plan_of("male", "1990-05-17", months, "2026-11-15");
        let seen = comparison(&plan, 150_000_000, None, day("2026-11-15"));
        assert_eq!(
            (seen.staying.pension_rate, seen.staying.months_missing),
            (None, 60)
        );
        assert!(seen.staying.months_if_contributing.unwrap() > 180);
        assert!(seen.staying.pension_rate_if_contributing.is_some());
        assert!(!seen.health_cover.holds_card);
        assert!(
            seen.explanation
                .lines
                .iter()
                .any(|l| l.label == "claims.comparison.line.months_missing" && l.value == 60)
        );
    }

    /// Explanation lines carry catalog keys; pages translate them, so every one must exist.
    #[test]
    fn every_explanation_label_is_in_both_catalogs() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/claims");
        let mut missing = Vec::new();
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for key in text.split('"').filter(|s| {
                (s.starts_with("claims.") && s.contains(".line.")) || *s == HEALTH_COVER_STATEMENT
            }) {
                seen += 1;
                for lang in [Lang::Vi, Lang::En] {
                    if !lang.catalog().has(key) {
                        missing.push(format!("{}: {key}", lang.code()));
                    }
                }
            }
        }
        assert!(seen > 50, "{seen}");
        assert!(missing.is_empty(), "missing: {missing:#?}");
    }
}
