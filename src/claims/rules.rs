//! Pure rules of the six claim types: who qualifies and how much, each explained line by line
//! with the parameters and articles used, and the legal time limit for the decision. Facts come
//! in as arguments (months paid, salaries, dates); dated figures come from [`Policy`] rows picked
//! by the date of the event (the birth, the death, the last contribution month), never "today".
//!
//! Money is whole VND in `i64`. Each amount is rounded once, at the end, half up
//! ([`divide_half_up`]); the intermediate figures shown in explanation lines (a daily rate, an
//! average) are rounded for display only and never fed back into the amount.
//!
//! Sources: DOMAIN.md §5 (voluntary maternity), §6.5 (HI direct reimbursement), §7.1 (sickness),
//! §7.2 (maternity), §7.4 (unemployment), §7.5 (lump sum), §7.7 (funeral), Examples 3, 4, 7.

use std::borrow::Cow;
use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calendar::add_working_days;
use super::form::LumpSumRoute;
use crate::insurance_book::model::Month;
use crate::policy::{Basis, NotInForce, Policy, Region};
use crate::web::i18n::Lang;

// ---------------------------------------------------------------------------------------------
// Explanations

/// What a line's value is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ClaimUnit)]
pub enum Unit {
    Vnd,
    /// 1% = 100.
    BasisPoints,
    Months,
    /// Working days.
    Days,
    /// Half working days (sick leave is counted in halves).
    HalfDays,
    /// 1 when the condition is met, 0 when not.
    Condition,
}

/// One line of an explanation: the translation key of its label, how the value is worked out
/// (digits grouped as in English, as the API shows them), and the value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = ClaimLine)]
pub struct Line {
    /// Borrowed from the rules; owned when read back from a stored decision.
    #[schema(value_type = String)]
    pub label: Cow<'static, str>,
    #[schema(example = "75% × 9,600,000 / 24")]
    pub formula: String,
    pub value: i64,
    pub unit: Unit,
}

/// The lines of a check or computation, the dated parameters it read and the articles it
/// applies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = ClaimExplanation)]
pub struct Explanation {
    pub lines: Vec<Line>,
    pub parameters: Vec<Basis>,
    #[schema(value_type = Vec<String>)]
    pub law: Vec<Cow<'static, str>>,
}

impl Explanation {
    pub fn citing(law: &[&'static str]) -> Self {
        Self {
            law: law.iter().map(|l| Cow::Borrowed(*l)).collect(),
            ..Self::default()
        }
    }

    pub fn line(&mut self, label: &'static str, formula: String, value: i64, unit: Unit) {
        self.lines.push(Line {
            label: Cow::Borrowed(label),
            formula,
            value,
            unit,
        });
    }

    /// The value of `name` in force on `date`, noted as used.
    fn parameter(
        &mut self,
        policy: &Policy,
        name: &'static str,
        date: NaiveDate,
    ) -> Result<i64, NotInForce> {
        let row = policy.row(name, date)?;
        if !self.parameters.iter().any(|p| p.name == row.name) {
            self.parameters.push(row.basis());
        }
        Ok(row.value)
    }
}

/// A condition checked, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = ClaimEligibility)]
pub struct Eligibility {
    pub eligible: bool,
    pub explanation: Explanation,
}

/// An amount, and how it is made up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = ClaimAmount)]
pub struct Amount {
    /// VND.
    pub amount: i64,
    pub explanation: Explanation,
}

/// `numerator / denominator` rounded to the nearest whole number, halves up; both non-negative,
/// `denominator` positive. The one rounding step of every amount here.
pub fn divide_half_up(numerator: i64, denominator: i64) -> i64 {
    let (n, d) = (i128::from(numerator), i128::from(denominator));
    i64::try_from((2 * n + d).div_euclid(2 * d)).unwrap_or(i64::MAX)
}

fn vnd(amount: i64) -> String {
    Lang::En.group_digits(amount)
}

fn percent(basis_points: i64) -> String {
    crate::enrolment::percent(basis_points)
}

/// `4½` for 9 halves.
fn halves(count: u32) -> String {
    if count.is_multiple_of(2) {
        format!("{}", count / 2)
    } else {
        format!("{}½", count / 2)
    }
}

/// Distinct months of `paid` from `first` to `last`, both included.
fn months_in(paid: &[Month], first: Month, last: Month) -> u32 {
    paid.iter()
        .filter(|m| (first..=last).contains(*m))
        .collect::<BTreeSet<_>>()
        .len() as u32
}

// ---------------------------------------------------------------------------------------------
// Sickness — Law 41/2024/QH15 Art. 42–49 (VL), DOMAIN.md §7.1

/// Sickness pay: 75% of the SI salary of the month before the leave (VL).
pub const SICKNESS_RATE: i64 = 7_500;

/// A month of sickness pay is paid as 24 daily rates (VL).
pub const DAYS_PER_MONTH: i64 = 24;

const SICKNESS_LAW: &str = "Law 41/2024/QH15 Art. 42-49";

/// The most working days of sick leave paid in a year, by years of SI: 30 under 15 years,
/// 40 from 15 to under 30, 60 from 30 years; 40 / 50 / 70 in heavy, hazardous or dangerous jobs
/// or especially difficult areas (VL).
pub fn sickness_days_per_year(insured_months: u32, heavy_or_remote: bool) -> u32 {
    let normal = match insured_months / 12 {
        0..15 => 30,
        15..30 => 40,
        _ => 60,
    };
    if heavy_or_remote { normal + 10 } else { normal }
}

/// Days of leave in half days: the last part day counts ½ under half a day and 1 from half a
/// day (VL). `part_of_day_percent` is the part of one more day, 0–99.
pub fn counted_half_days(whole_days: u32, part_of_day_percent: u8) -> u32 {
    whole_days * 2
        + match part_of_day_percent {
            0 => 0,
            1..50 => 1,
            _ => 2,
        }
}

/// One sick leave as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SickLeave {
    /// The SI salary of the month before the leave (of the first month, when sick in it).
    pub salary_month_before: i64,
    /// Months of SI paid so far, for the yearly cap.
    pub insured_months: u32,
    pub heavy_or_remote: bool,
    /// Half days of sick leave already paid this year.
    pub half_days_taken_this_year: u32,
    /// Working days of this leave, and the part of one more day (0–99%).
    pub whole_days: u32,
    pub part_of_day_percent: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct SicknessEstimate {
    /// Half days of this leave, as counted.
    pub half_days: u32,
    /// Half days paid, within what is left of the yearly cap.
    pub paid_half_days: u32,
    /// For display: the daily rate rounded half up.
    pub daily: i64,
    pub amount: i64,
    pub explanation: Explanation,
}

/// Sickness pay for one leave (Example 7: 5 working days at 9,600,000 → 300,000 a day,
/// 1,500,000). Long-term illness beyond the cap (65/55/50%) is not covered here.
pub fn sickness(leave: &SickLeave) -> SicknessEstimate {
    let mut e = Explanation::citing(&[SICKNESS_LAW]);
    let cap_days = sickness_days_per_year(leave.insured_months, leave.heavy_or_remote);
    e.line(
        "claims.sickness.line.days_per_year",
        format!(
            "{} years of SI{}",
            leave.insured_months / 12,
            if leave.heavy_or_remote {
                ", heavy job or difficult area"
            } else {
                ""
            }
        ),
        i64::from(cap_days),
        Unit::Days,
    );
    let half_days = counted_half_days(leave.whole_days, leave.part_of_day_percent);
    e.line(
        "claims.sickness.line.days_of_leave",
        format!(
            "{} + {}% of a day → {}",
            leave.whole_days,
            leave.part_of_day_percent,
            halves(half_days)
        ),
        i64::from(half_days),
        Unit::HalfDays,
    );
    let left = (cap_days * 2).saturating_sub(leave.half_days_taken_this_year);
    let paid_half_days = half_days.min(left);
    e.line(
        "claims.sickness.line.days_paid",
        format!(
            "min({}, {} − {})",
            halves(half_days),
            cap_days,
            halves(leave.half_days_taken_this_year)
        ),
        i64::from(paid_half_days),
        Unit::HalfDays,
    );
    let salary = leave.salary_month_before;
    let daily = divide_half_up(salary * SICKNESS_RATE, 10_000 * DAYS_PER_MONTH);
    e.line(
        "claims.sickness.line.daily",
        format!(
            "{} × {} / {DAYS_PER_MONTH}",
            percent(SICKNESS_RATE),
            vnd(salary)
        ),
        daily,
        Unit::Vnd,
    );
    // Rounded once: salary × 75% / 24 × half days / 2.
    let amount = divide_half_up(
        salary * SICKNESS_RATE * i64::from(paid_half_days),
        10_000 * DAYS_PER_MONTH * 2,
    );
    e.line(
        "claims.sickness.line.amount",
        format!(
            "{} × {} / {DAYS_PER_MONTH} × {}",
            percent(SICKNESS_RATE),
            vnd(salary),
            halves(paid_half_days)
        ),
        amount,
        Unit::Vnd,
    );
    SicknessEstimate {
        half_days,
        paid_half_days,
        daily,
        amount,
        explanation: e,
    }
}

/// A sick child's parent is paid while the child is under this age (Art. 42).
pub const SICK_CHILD_UNDER_YEARS: u32 = 7;

/// Who may be paid for a sick leave: someone in compulsory SI, whose pay is worked out on the
/// salary of `salary_month` (the month before the leave, or the first month when sick in it;
/// `None` when the book has neither: voluntary SI has no sickness benefit, Art. 4(3)); caring
/// for a sick child, a child under 7 on the first day of leave (Art. 42).
pub fn sickness_eligibility(
    salary_month: Option<Month>,
    first_day: NaiveDate,
    child_born: Option<NaiveDate>,
) -> Eligibility {
    let mut e = Explanation::citing(&["Law 41/2024/QH15 Art. 42"]);
    let leave = Month::of(first_day);
    e.line(
        "claims.sickness.line.insured",
        match salary_month {
            Some(month) => format!("compulsory SI in {month}"),
            None => format!("no compulsory SI in {} or {leave}", leave.minus(1)),
        },
        i64::from(salary_month.is_some()),
        Unit::Condition,
    );
    let child_under_7 = match child_born {
        None => true,
        Some(born) => {
            let age = first_day.years_since(born);
            let under = age.is_some_and(|years| years < SICK_CHILD_UNDER_YEARS);
            e.line(
                "claims.sickness.line.child_under_7",
                format!(
                    "born {born}: {} years old on {first_day}, under {SICK_CHILD_UNDER_YEARS} needed",
                    age.unwrap_or(0)
                ),
                i64::from(under),
                Unit::Condition,
            );
            under
        }
    };
    Eligibility {
        eligible: salary_month.is_some() && child_under_7,
        explanation: e,
    }
}

// ---------------------------------------------------------------------------------------------
// Maternity — Law 41/2024/QH15 Art. 50–63 (compulsory), 94–97 (voluntary) (VL), DOMAIN.md §7.2, §5

/// Maternity needs this many months of SI paid in the last [`MATERNITY_WINDOW_MONTHS`] (VL
/// Art. 50).
pub const MATERNITY_QUALIFYING_MONTHS: u32 = 6;
pub const MATERNITY_WINDOW_MONTHS: u32 = 12;

/// The childbirth lump sum is 2 × MTC of the birth month per child (VL Art. 58(4)).
pub const CHILDBIRTH_MULTIPLE: i64 = 2;

/// The monthly maternity allowance is 100% of the average SI salary of the last 6 months
/// before the leave (VL).
pub const MATERNITY_RATE: i64 = 10_000;
pub const MATERNITY_AVERAGE_MONTHS: usize = 6;

/// At least 6 months of SI paid in the 12 months before the birth (Art. 50; for voluntary SI,
/// voluntary or compulsory months, Art. 95). The 12 months are the calendar months before the
/// month of the birth; `paid` are the months paid (any order, duplicates allowed).
pub fn maternity_eligibility(paid: &[Month], birth: NaiveDate) -> Eligibility {
    let mut e = Explanation::citing(&["Law 41/2024/QH15 Art. 50", "Law 41/2024/QH15 Art. 95"]);
    let birth_month = Month::of(birth);
    let first = birth_month.minus(MATERNITY_WINDOW_MONTHS);
    let last = birth_month.minus(1);
    let count = months_in(paid, first, last);
    e.line(
        "claims.maternity.line.months_paid",
        format!(
            "{count} of the last {MATERNITY_WINDOW_MONTHS} months paid ({first} – {last}), \
             {MATERNITY_QUALIFYING_MONTHS} needed"
        ),
        i64::from(count),
        Unit::Months,
    );
    Eligibility {
        eligible: count >= MATERNITY_QUALIFYING_MONTHS,
        explanation: e,
    }
}

/// The childbirth (or adoption) lump sum: 2 × base salary of the birth month, per child.
/// Example 7: born 10 Aug 2026 → 5,060,000; born 20 Jun 2026 → 4,680,000.
pub fn childbirth_lump_sum(
    birth: NaiveDate,
    children: u32,
    policy: &Policy,
) -> Result<Amount, NotInForce> {
    let mut e = Explanation::citing(&[
        "Law 41/2024/QH15 Art. 58(4)",
        "Law 41/2024/QH15 Art. 141(13)",
    ]);
    let base = e.parameter(policy, "base_salary", birth)?;
    let amount = CHILDBIRTH_MULTIPLE * base * i64::from(children);
    e.line(
        "claims.maternity.line.lump_sum",
        format!("{CHILDBIRTH_MULTIPLE} × {} × {children}", vnd(base)),
        amount,
        Unit::Vnd,
    );
    Ok(Amount {
        amount,
        explanation: e,
    })
}

/// The monthly maternity allowance: 100% of the average SI salary of the last 6 paid months
/// before the month the leave starts (of the months paid, when fewer). `paid` are (month,
/// SI salary); a month paid by two employers counts their sum once.
pub fn maternity_monthly_allowance(paid: &[(Month, i64)], leave_starts: Month) -> Amount {
    let mut e = Explanation::citing(&["Law 41/2024/QH15 Art. 59"]);
    let mut by_month: Vec<(Month, i64)> = Vec::new();
    let mut sorted: Vec<(Month, i64)> = paid
        .iter()
        .copied()
        .filter(|(m, _)| *m < leave_starts)
        .collect();
    sorted.sort();
    for (month, salary) in sorted {
        match by_month.last_mut() {
            Some((m, total)) if *m == month => *total += salary,
            _ => by_month.push((month, salary)),
        }
    }
    let last: Vec<(Month, i64)> = by_month
        .iter()
        .rev()
        .take(MATERNITY_AVERAGE_MONTHS)
        .copied()
        .collect();
    let count = last.len() as i64;
    let total: i64 = last.iter().map(|(_, s)| s).sum();
    let amount = if count == 0 {
        0
    } else {
        // Rounded once: total × 100% / months.
        divide_half_up(total * MATERNITY_RATE, count * 10_000)
    };
    e.line(
        "claims.maternity.line.monthly",
        format!("{} × {} / {count}", percent(MATERNITY_RATE), vnd(total)),
        amount,
        Unit::Vnd,
    );
    Amount {
        amount,
        explanation: e,
    }
}

/// The voluntary-SI maternity allowance, per child (and per stillbirth from 22 weeks): a dated
/// amount, 2,000,000 from 1 Jul 2025 (Art. 94–95).
pub fn voluntary_maternity_allowance(
    birth: NaiveDate,
    children: u32,
    policy: &Policy,
) -> Result<Amount, NotInForce> {
    let mut e = Explanation::citing(&["Law 41/2024/QH15 Art. 94-95"]);
    let per_child = e.parameter(policy, "voluntary_maternity_allowance", birth)?;
    let amount = per_child * i64::from(children);
    e.line(
        "claims.maternity.line.voluntary",
        format!("{} × {children}", vnd(per_child)),
        amount,
        Unit::Vnd,
    );
    Ok(Amount {
        amount,
        explanation: e,
    })
}

/// Who files a maternity claim, which sets the time limit for the decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaternityRoute {
    /// Compulsory SI, employed in the month of the event: the employer files (7 WD).
    Employer,
    /// Compulsory SI, the contract had ended: the worker files directly (5 WD).
    Worker,
    /// Voluntary SI, or voluntary mixed with compulsory (Art. 94–97): the worker files (5 WD).
    Voluntary,
}

impl MaternityRoute {
    pub fn deadline_kind(self) -> DeadlineKind {
        match self {
            Self::Employer => DeadlineKind::Maternity,
            Self::Worker => DeadlineKind::MaternityFiledByWorker,
            Self::Voluntary => DeadlineKind::VoluntaryMaternity,
        }
    }
}

/// The months of a book that count for maternity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaternityRecord<'a> {
    /// Months of compulsory SI paid (through an employer).
    pub compulsory: &'a [Month],
    /// Months of voluntary SI paid.
    pub voluntary: &'a [Month],
    /// An employer declared the month of the event: the worker is still employed.
    pub employed_in_event_month: bool,
}

/// The route of a maternity claim. Compulsory SI comes first (DOMAIN.md §5): with enough
/// compulsory months in the 12 before the event, or no voluntary month there, the claim is a
/// compulsory one — filed through the employer when one declared the month of the event, by the
/// worker otherwise (the contract had ended; Art. 50 keeps the right). Otherwise voluntary
/// months (alone or with compulsory ones, Art. 95) make it a voluntary claim.
pub fn maternity_route(record: &MaternityRecord<'_>, event: NaiveDate) -> MaternityRoute {
    let event_month = Month::of(event);
    let (first, last) = (
        event_month.minus(MATERNITY_WINDOW_MONTHS),
        event_month.minus(1),
    );
    let compulsory = months_in(record.compulsory, first, last);
    let voluntary = months_in(record.voluntary, first, last);
    if compulsory >= MATERNITY_QUALIFYING_MONTHS || voluntary == 0 {
        if record.employed_in_event_month {
            MaternityRoute::Employer
        } else {
            MaternityRoute::Worker
        }
    } else {
        MaternityRoute::Voluntary
    }
}

/// The maternity check by route: compulsory months for a compulsory claim, compulsory and
/// voluntary months for a voluntary one ([`maternity_eligibility`]), and a line saying who files
/// and how many working days the office has to decide.
pub fn maternity_check(
    record: &MaternityRecord<'_>,
    event: NaiveDate,
) -> (MaternityRoute, Eligibility) {
    let route = maternity_route(record, event);
    let mut check = match route {
        MaternityRoute::Voluntary => {
            let all: Vec<Month> = record
                .compulsory
                .iter()
                .chain(record.voluntary)
                .copied()
                .collect();
            maternity_eligibility(&all, event)
        }
        _ => maternity_eligibility(record.compulsory, event),
    };
    let days = match time_limit(route.deadline_kind()).0 {
        TimeLimit::WorkingDays(days) | TimeLimit::Days(days) => days,
    };
    let month = Month::of(event);
    check.explanation.line(
        "claims.maternity.line.route",
        match route {
            MaternityRoute::Employer => {
                format!("compulsory SI, employed in {month}: filed through the employer")
            }
            MaternityRoute::Worker => {
                format!("compulsory SI, no employer in {month}: filed by the worker")
            }
            MaternityRoute::Voluntary => "voluntary SI: filed by the worker".to_owned(),
        },
        i64::from(days),
        Unit::Days,
    );
    (route, check)
}

// ---------------------------------------------------------------------------------------------
// Unemployment — Employment Law 74/2025/QH15 Art. 34, 38, 39 (V3), DOMAIN.md §7.4, Example 3

/// UI paid for at least 12 months within the 24 months up to termination (indefinite or
/// ≥ 12-month contracts; the 12-in-36 route for shorter contracts is not covered here). The
/// window is the 24 calendar months ending with the month of termination. `ui_paid` are the
/// months with UI paid.
pub fn unemployment_eligibility(
    ui_paid: &[Month],
    terminated_on: NaiveDate,
    policy: &Policy,
) -> Result<Eligibility, NotInForce> {
    let mut e = Explanation::citing(&["Employment Law 74/2025/QH15 Art. 34"]);
    let needed = e.parameter(policy, "unemployment_qualifying_months", terminated_on)?;
    let window = e.parameter(
        policy,
        "unemployment_qualifying_window_months",
        terminated_on,
    )?;
    let last = Month::of(terminated_on);
    let first = last.minus(u32::try_from(window - 1).unwrap_or(0));
    let count = months_in(ui_paid, first, last);
    e.line(
        "claims.unemployment.line.months_paid",
        format!("{count} of the last {window} months paid ({first} – {last}), {needed} needed"),
        i64::from(count),
        Unit::Months,
    );
    Ok(Eligibility {
        eligible: i64::from(count) >= needed,
        explanation: e,
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct UnemploymentEstimate {
    /// VND a month, after the cap.
    pub monthly: i64,
    pub months: u32,
    /// UI months used by this claim, and those kept for a later one.
    pub months_used: u32,
    pub months_kept: u32,
    /// Monthly × months.
    pub total: i64,
    pub explanation: Explanation,
}

/// How many months of benefit `counted` UI months give, and how many of those months they use:
/// 3 months for 12–36, then +1 per further full 12, at most 12 months. Months that do not make
/// up a further full 12 are kept for a later claim; so are the months above the maximum
/// (DOMAIN.md §7.4 says leftovers are kept; that months above the maximum are kept too is M).
fn benefit_months(
    counted: u32,
    needed: u32,
    first_block: u32,
    first_block_benefit: u32,
    step: u32,
    max: u32,
) -> (u32, u32) {
    if counted < needed {
        return (0, 0);
    }
    if counted <= first_block {
        return (first_block_benefit, counted);
    }
    let extra =
        ((counted - first_block) / step.max(1)).min(max.saturating_sub(first_block_benefit));
    (first_block_benefit + extra, first_block + extra * step)
}

/// The monthly benefit and its duration. `ui_salaries` are (month, UI salary) of the months
/// paid; the last 6 are averaged, and the figures are those in force in the last of them (the
/// cap is 5 × the regional minimum wage of `region` in that month). `counted_months` are the UI
/// months not yet used by an earlier claim, kept months included.
pub fn unemployment_benefit(
    ui_salaries: &[(Month, i64)],
    region: Region,
    counted_months: u32,
    policy: &Policy,
) -> Result<UnemploymentEstimate, NotInForce> {
    let mut e = Explanation::citing(&[
        "Employment Law 74/2025/QH15 Art. 38",
        "Employment Law 74/2025/QH15 Art. 39",
    ]);
    let mut sorted = ui_salaries.to_vec();
    sorted.sort();
    let last_six: Vec<(Month, i64)> = sorted.iter().rev().take(6).copied().collect();
    let last_month = last_six
        .first()
        .map_or(Month::of(NaiveDate::MIN), |(m, _)| *m);
    let on = last_month.first_day();
    let rate = e.parameter(policy, "unemployment_benefit_rate", on)?;
    let cap_multiple = e.parameter(policy, "unemployment_benefit_cap_multiple", on)?;
    let minimum_wage = e.parameter(
        policy,
        match region.number() {
            1 => "regional_minimum_wage_1",
            2 => "regional_minimum_wage_2",
            3 => "regional_minimum_wage_3",
            _ => "regional_minimum_wage_4",
        },
        on,
    )?;
    let count = last_six.len() as i64;
    let total: i64 = last_six.iter().map(|(_, s)| s).sum();
    let average = if count == 0 {
        0
    } else {
        divide_half_up(total, count)
    };
    e.line(
        "claims.unemployment.line.average",
        format!("{} / {count}", vnd(total)),
        average,
        Unit::Vnd,
    );
    // Rounded once: total × 60% / months, then capped (the cap is whole).
    let uncapped = if count == 0 {
        0
    } else {
        divide_half_up(total * rate, count * 10_000)
    };
    e.line(
        "claims.unemployment.line.rate",
        format!("{} × {}", percent(rate), vnd(average)),
        uncapped,
        Unit::Vnd,
    );
    let cap = cap_multiple * minimum_wage;
    e.line(
        "claims.unemployment.line.cap",
        format!("{cap_multiple} × {} ({last_month})", vnd(minimum_wage)),
        cap,
        Unit::Vnd,
    );
    let monthly = uncapped.min(cap);
    e.line(
        "claims.unemployment.line.monthly",
        format!("min({}, {})", vnd(uncapped), vnd(cap)),
        monthly,
        Unit::Vnd,
    );
    let as_u32 = |v: i64| u32::try_from(v).unwrap_or(0);
    let needed = as_u32(e.parameter(policy, "unemployment_qualifying_months", on)?);
    let first_block = as_u32(e.parameter(policy, "unemployment_first_block_months", on)?);
    let first_benefit =
        as_u32(e.parameter(policy, "unemployment_first_block_benefit_months", on)?);
    let step = as_u32(e.parameter(policy, "unemployment_step_months", on)?);
    let max = as_u32(e.parameter(policy, "unemployment_max_benefit_months", on)?);
    let (months, months_used) = benefit_months(
        counted_months,
        needed,
        first_block,
        first_benefit,
        step,
        max,
    );
    let months_formula = if counted_months < needed {
        format!("{counted_months} < {needed}")
    } else if counted_months <= first_block {
        format!("{counted_months} ≤ {first_block} → {first_benefit}")
    } else {
        format!("{first_benefit} + ⌊({counted_months} − {first_block}) / {step}⌋, at most {max}")
    };
    e.line(
        "claims.unemployment.line.months",
        months_formula,
        i64::from(months),
        Unit::Months,
    );
    let months_kept = counted_months - months_used;
    e.line(
        "claims.unemployment.line.kept",
        format!("{counted_months} − {months_used}"),
        i64::from(months_kept),
        Unit::Months,
    );
    let total_benefit = monthly * i64::from(months);
    e.line(
        "claims.unemployment.line.total",
        format!("{months} × {}", vnd(monthly)),
        total_benefit,
        Unit::Vnd,
    );
    Ok(UnemploymentEstimate {
        monthly,
        months,
        months_used,
        months_kept,
        total: total_benefit,
        explanation: e,
    })
}

// ---------------------------------------------------------------------------------------------
// Lump-sum withdrawal — Law 41/2024/QH15 Art. 70, 5(6) (VL), DOMAIN.md §7.5, Example 4

/// Route (đ) is open only to people whose first contribution is before this day (Art. 70(1)(đ)).
pub const LUMP_SUM_ROUTE_D_FIRST_BEFORE: NaiveDate = match NaiveDate::from_ymd_opt(2025, 7, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// Route (đ): at least 12 months outside compulsory and voluntary SI (VL).
pub const LUMP_SUM_MONTHS_OUT: u32 = 12;

/// Route (đ): fewer than 20 years of contributions (VL).
pub const LUMP_SUM_MONTHS_BELOW: u32 = 20 * 12;

/// Per year of contributions: 1.5 months' average salary before 2014, 2 from 2014 (Art. 70(3)),
/// in quarter months so a half year before 2014 (0.75 month) stays whole.
const QUARTERS_PER_YEAR_BEFORE_2014: i64 = 6;
const QUARTERS_PER_YEAR_FROM_2014: i64 = 8;

/// Under one year: the amount contributed, at most 2 months' average salary (Art. 70(3)).
pub const LUMP_SUM_UNDER_A_YEAR_CAP_MONTHS: i64 = 2;

const LUMP_SUM_LAW: &str = "Law 41/2024/QH15 Art. 70";

/// The 2014 cut-over of the lump-sum multipliers.
fn january_2014() -> Month {
    Month::of(NaiveDate::from_ymd_opt(2014, 1, 1).unwrap_or(NaiveDate::MIN))
}

/// Distinct months paid before 2014 and from 2014.
pub fn months_around_2014(paid: &[Month]) -> (u32, u32) {
    let months: BTreeSet<Month> = paid.iter().copied().collect();
    let before = months.iter().filter(|m| **m < january_2014()).count() as u32;
    (before, months.len() as u32 - before)
}

/// The "12 months out of work" route (đ): first contribution before 1 Jul 2025, at least 12
/// whole months without any SI since the last month paid (the months strictly between the last
/// month paid and the month of the request), and under 20 years of contributions.
pub fn lump_sum_route_d(
    first_month_paid: Month,
    last_month_paid: Month,
    months_paid: u32,
    requested_on: NaiveDate,
) -> Eligibility {
    let mut e = Explanation::citing(&["Law 41/2024/QH15 Art. 70(1)(đ)"]);
    let joined_before = first_month_paid.first_day() < LUMP_SUM_ROUTE_D_FIRST_BEFORE;
    e.line(
        "claims.lump_sum.line.first_contribution",
        format!("{first_month_paid} before {LUMP_SUM_ROUTE_D_FIRST_BEFORE}"),
        i64::from(joined_before),
        Unit::Condition,
    );
    let out = u32::try_from(last_month_paid.months_until(Month::of(requested_on)) - 1).unwrap_or(0);
    e.line(
        "claims.lump_sum.line.months_out",
        format!("{out} months without SI since {last_month_paid}, {LUMP_SUM_MONTHS_OUT} needed"),
        i64::from(out),
        Unit::Months,
    );
    let under_20_years = months_paid < LUMP_SUM_MONTHS_BELOW;
    e.line(
        "claims.lump_sum.line.under_20_years",
        format!("{months_paid} < {LUMP_SUM_MONTHS_BELOW}"),
        i64::from(under_20_years),
        Unit::Condition,
    );
    Eligibility {
        eligible: joined_before && out >= LUMP_SUM_MONTHS_OUT && under_20_years,
        explanation: e,
    }
}

/// Leftover months as half years: 1–6 months are ½ year, 7–11 a whole year (Art. 5(6)).
fn leftover_halves(months: u32) -> u32 {
    match months % 12 {
        0 => 0,
        1..=6 => 1,
        _ => 2,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct LumpSumEstimate {
    /// Years counted at 1.5 months before 2014 and at 2 months from 2014, in half years.
    pub half_years_before_2014: u32,
    pub half_years_from_2014: u32,
    pub amount: i64,
    pub explanation: Explanation,
}

/// The lump sum for `before_2014` and `from_2014` months paid at `average_salary` (the
/// CPI-adjusted average, worked out elsewhere). With time on both sides of 2014 the months left
/// over before 2014 move into the 2014+ period (Art. 70(3)(a)); leftover months then count ½
/// or 1 year (Art. 5(6)). Under one year in all: `contributed`, at most 2 months' average salary.
/// Example 4: 32 + 75 months at 9,000,000 → 2 years × 1.5 + 7 years × 2 → 153,000,000.
pub fn lump_sum_amount(
    before_2014: u32,
    from_2014: u32,
    average_salary: i64,
    contributed: i64,
) -> LumpSumEstimate {
    let mut e = Explanation::citing(&[LUMP_SUM_LAW, "Law 41/2024/QH15 Art. 5(6)"]);
    let total = before_2014 + from_2014;
    if total < 12 {
        let cap = LUMP_SUM_UNDER_A_YEAR_CAP_MONTHS * average_salary;
        let amount = contributed.min(cap);
        e.line(
            "claims.lump_sum.line.under_a_year",
            format!(
                "min({}, {LUMP_SUM_UNDER_A_YEAR_CAP_MONTHS} × {})",
                vnd(contributed),
                vnd(average_salary)
            ),
            amount,
            Unit::Vnd,
        );
        return LumpSumEstimate {
            half_years_before_2014: 0,
            half_years_from_2014: 0,
            amount,
            explanation: e,
        };
    }
    let (halves_before, moved) = if from_2014 == 0 {
        (before_2014 / 12 * 2 + leftover_halves(before_2014), 0)
    } else {
        (before_2014 / 12 * 2, before_2014 % 12)
    };
    let after = from_2014 + moved;
    let halves_after = after / 12 * 2 + leftover_halves(after);
    e.line(
        "claims.lump_sum.line.before_2014",
        if moved > 0 {
            format!(
                "{before_2014} months → {} years, {moved} months move to 2014+",
                halves(halves_before)
            )
        } else {
            format!("{before_2014} months → {} years", halves(halves_before))
        },
        i64::from(halves_before) * 6,
        Unit::Months,
    );
    e.line(
        "claims.lump_sum.line.from_2014",
        format!(
            "{from_2014} + {moved} = {after} months → {} years",
            halves(halves_after)
        ),
        i64::from(halves_after) * 6,
        Unit::Months,
    );
    let quarters = i64::from(halves_before) * QUARTERS_PER_YEAR_BEFORE_2014 / 2
        + i64::from(halves_after) * QUARTERS_PER_YEAR_FROM_2014 / 2;
    // For display only; the total below is rounded once from the quarter months.
    let part_before = divide_half_up(
        average_salary * i64::from(halves_before) * QUARTERS_PER_YEAR_BEFORE_2014,
        8,
    );
    e.line(
        "claims.lump_sum.line.amount_before_2014",
        format!("1.5 × {} × {}", vnd(average_salary), halves(halves_before)),
        part_before,
        Unit::Vnd,
    );
    e.line(
        "claims.lump_sum.line.amount_from_2014",
        format!("2 × {} × {}", vnd(average_salary), halves(halves_after)),
        average_salary * i64::from(halves_after),
        Unit::Vnd,
    );
    let amount = divide_half_up(average_salary * quarters, 4);
    let months_of_salary = match quarters % 4 {
        0 => format!("{}", quarters / 4),
        r => format!("{}.{}", quarters / 4, [0, 25, 5, 75][r as usize]),
    };
    e.line(
        "claims.lump_sum.line.total",
        format!("{} × {months_of_salary}", vnd(average_salary)),
        amount,
        Unit::Vnd,
    );
    LumpSumEstimate {
        half_years_before_2014: halves_before,
        half_years_from_2014: halves_after,
        amount,
        explanation: e,
    }
}

/// A person's record as the lump-sum routes see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LumpSumRecord {
    /// Distinct months of SI paid.
    pub months_paid: u32,
    pub first_month_paid: Option<Month>,
    /// The last month declared with SI (paid or not: a declared month is a month in SI).
    pub last_month_in_si: Option<Month>,
    /// The day the retirement age of the roadmap is reached, when known.
    pub retirement_age_on: Option<NaiveDate>,
}

/// The route's conditions that the book can show. Every route needs months to withdraw. Route
/// (a) needs the retirement age reached and under 15 years; (b)–(d) rest on documents staff
/// check (emigration, a listed illness, the assessment of working capacity); (đ) is
/// [`lump_sum_route_d`].
pub fn lump_sum_eligibility(
    route: LumpSumRoute,
    record: &LumpSumRecord,
    requested_on: NaiveDate,
) -> Eligibility {
    let article = match route {
        LumpSumRoute::RetirementAgeShort => "Law 41/2024/QH15 Art. 70(1)(a)",
        LumpSumRoute::Emigration => "Law 41/2024/QH15 Art. 70(1)(b)",
        LumpSumRoute::SeriousIllness => "Law 41/2024/QH15 Art. 70(1)(c)",
        LumpSumRoute::SevereDisability => "Law 41/2024/QH15 Art. 70(1)(d)",
        LumpSumRoute::OutOfSiTwelveMonths => "Law 41/2024/QH15 Art. 70(1)(đ)",
    };
    let mut e = Explanation::citing(&[article]);
    let months = record.months_paid;
    e.line(
        "claims.lump_sum.line.months_paid",
        format!("{months} months of SI paid"),
        i64::from(months),
        Unit::Months,
    );
    let mut eligible = months > 0;
    match route {
        LumpSumRoute::RetirementAgeShort => {
            let reached = record
                .retirement_age_on
                .is_some_and(|on| on <= requested_on);
            e.line(
                "claims.lump_sum.line.retirement_age",
                match record.retirement_age_on {
                    Some(on) => format!("reached on {on}, by {requested_on}"),
                    None => "not known".to_owned(),
                },
                i64::from(reached),
                Unit::Condition,
            );
            let short = months < LUMP_SUM_PENSION_MONTHS;
            e.line(
                "claims.lump_sum.line.under_15_years",
                format!("{months} < {LUMP_SUM_PENSION_MONTHS}"),
                i64::from(short),
                Unit::Condition,
            );
            eligible &= reached && short;
        }
        LumpSumRoute::Emigration
        | LumpSumRoute::SeriousIllness
        | LumpSumRoute::SevereDisability => {
            e.line(
                "claims.lump_sum.line.stated",
                match route {
                    LumpSumRoute::Emigration => "settling abroad",
                    LumpSumRoute::SeriousIllness => "a listed serious illness",
                    _ => "81% or more loss of working capacity",
                }
                .to_owned()
                    + ": stated; staff check the documents",
                1,
                Unit::Condition,
            );
        }
        LumpSumRoute::OutOfSiTwelveMonths => {
            match (record.first_month_paid, record.last_month_in_si) {
                (Some(first), Some(last)) => {
                    let route_d = lump_sum_route_d(first, last, months, requested_on);
                    e.lines.extend(route_d.explanation.lines);
                    eligible &= route_d.eligible;
                }
                _ => eligible = false,
            }
        }
    }
    Eligibility {
        eligible,
        explanation: e,
    }
}

/// A pension needs 15 years (Art. 64); route (a) is for those at the age with fewer.
pub const LUMP_SUM_PENSION_MONTHS: u32 = 15 * 12;

/// What the lump sum is worked out from, as the book gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LumpSumBook {
    /// Distinct months paid before 2014 and from 2014.
    pub before_2014: u32,
    pub from_2014: u32,
    /// The salary bases of the months paid, summed, and how many months (two payers in a month
    /// add up and count once).
    pub salary_total: i64,
    pub salary_months: i64,
    /// What was paid into the pension fund (employee and employer shares, without the state's
    /// support).
    pub contributed: i64,
    /// State support received towards voluntary contributions.
    pub state_support: i64,
}

/// The lump sum from the book: the plain average of the salary bases — not CPI-adjusted as VSS
/// does (Art. 72–73), so an estimate — then [`lump_sum_amount`], less the state support
/// received, which the lump sum does not include except for a serious illness or a severe
/// disability (Art. 70(3)–(4), 102(3)). Under a year the amount is what was paid, which has no
/// support in it.
pub fn lump_sum_estimate(book: &LumpSumBook, route: LumpSumRoute) -> Amount {
    let average = if book.salary_months > 0 {
        divide_half_up(book.salary_total, book.salary_months)
    } else {
        0
    };
    let estimate = lump_sum_amount(book.before_2014, book.from_2014, average, book.contributed);
    let mut e = estimate.explanation;
    e.lines.insert(
        0,
        Line {
            label: Cow::Borrowed("claims.lump_sum.line.average"),
            formula: format!(
                "{} / {}, not CPI-adjusted",
                vnd(book.salary_total),
                book.salary_months
            ),
            value: average,
            unit: Unit::Vnd,
        },
    );
    let under_a_year = book.before_2014 + book.from_2014 < 12;
    let support_kept = matches!(
        route,
        LumpSumRoute::SeriousIllness | LumpSumRoute::SevereDisability
    );
    let mut amount = estimate.amount;
    if book.state_support > 0 && !under_a_year {
        if support_kept {
            e.line(
                "claims.lump_sum.line.state_support_kept",
                format!("{} of state support stays in", vnd(book.state_support)),
                amount,
                Unit::Vnd,
            );
        } else {
            let payable = (amount - book.state_support).max(0);
            e.line(
                "claims.lump_sum.line.state_support",
                format!("{} − {}", vnd(amount), vnd(book.state_support)),
                payable,
                Unit::Vnd,
            );
            amount = payable;
        }
        e.law.push(Cow::Borrowed("Law 41/2024/QH15 Art. 102(3)"));
    }
    Amount {
        amount,
        explanation: e,
    }
}

// ---------------------------------------------------------------------------------------------
// Funeral allowance — Law 41/2024/QH15 Art. 85, 109, 111 (VL), DOMAIN.md §7.7

/// 10 × MTC of the month of death (Art. 85(2)).
pub const FUNERAL_MULTIPLE: i64 = 10;
/// Compulsory SI of at least 12 months (Art. 85(1)).
pub const FUNERAL_COMPULSORY_MONTHS: u32 = 12;
/// Voluntary SI of at least 60 months (Art. 109).
pub const FUNERAL_VOLUNTARY_MONTHS: u32 = 60;
/// Relatives file within 90 days of the death (DOMAIN.md §7.7).
pub const FUNERAL_FILING_DAYS: u64 = 90;

/// The person who died, as the funeral rules see them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deceased {
    pub compulsory_months: u32,
    pub voluntary_months: u32,
    /// Drawing a pension, or a monthly OA/OD allowance.
    pub pensioner: bool,
    /// Died of an occupational accident or disease.
    pub occupational_death: bool,
}

/// Who qualifies for the funeral allowance: ≥ 12 months of compulsory SI, an OA/OD death or a
/// pensioner; otherwise ≥ 60 months of voluntary SI. A mixed record with ≥ 12 compulsory months
/// uses the compulsory rule (Art. 111); with fewer, all its months count towards the 60 (that
/// reading of Art. 111 is M).
pub fn funeral_eligibility(deceased: &Deceased) -> Eligibility {
    let mut e = Explanation::citing(&[
        "Law 41/2024/QH15 Art. 85(1)",
        "Law 41/2024/QH15 Art. 109",
        "Law 41/2024/QH15 Art. 111",
    ]);
    let by_status = deceased.pensioner || deceased.occupational_death;
    e.line(
        "claims.funeral.line.pensioner_or_occupational",
        format!(
            "pensioner: {}, occupational death: {}",
            deceased.pensioner, deceased.occupational_death
        ),
        i64::from(by_status),
        Unit::Condition,
    );
    let compulsory = deceased.compulsory_months >= FUNERAL_COMPULSORY_MONTHS;
    e.line(
        "claims.funeral.line.compulsory_months",
        format!(
            "{} compulsory months, {FUNERAL_COMPULSORY_MONTHS} needed",
            deceased.compulsory_months
        ),
        i64::from(deceased.compulsory_months),
        Unit::Months,
    );
    let all_months = deceased.compulsory_months + deceased.voluntary_months;
    let voluntary = all_months >= FUNERAL_VOLUNTARY_MONTHS;
    e.line(
        "claims.funeral.line.voluntary_months",
        format!(
            "{} + {} months, {FUNERAL_VOLUNTARY_MONTHS} needed",
            deceased.voluntary_months, deceased.compulsory_months
        ),
        i64::from(all_months),
        Unit::Months,
    );
    Eligibility {
        eligible: by_status || compulsory || voluntary,
        explanation: e,
    }
}

/// The funeral allowance: 10 × base salary of the month of death (2,530,000 from 1 Jul 2026 →
/// 25,300,000).
pub fn funeral_allowance(died_on: NaiveDate, policy: &Policy) -> Result<Amount, NotInForce> {
    let mut e = Explanation::citing(&[
        "Law 41/2024/QH15 Art. 85(2)",
        "Law 41/2024/QH15 Art. 141(13)",
    ]);
    let base = e.parameter(policy, "base_salary", died_on)?;
    let amount = FUNERAL_MULTIPLE * base;
    e.line(
        "claims.funeral.line.amount",
        format!("{FUNERAL_MULTIPLE} × {}", vnd(base)),
        amount,
        Unit::Vnd,
    );
    Ok(Amount {
        amount,
        explanation: e,
    })
}

/// The last day relatives may file: 90 days after the death.
pub fn funeral_filing_deadline(died_on: NaiveDate) -> NaiveDate {
    died_on
        .checked_add_days(Days::new(FUNERAL_FILING_DAYS))
        .unwrap_or(died_on)
}

// ---------------------------------------------------------------------------------------------
// HI direct reimbursement — DOMAIN.md §6.5 (M throughout)

/// The level of the facility that gave the care, in the terms of Decree 146/2018 (the 2025 HI
/// amendments renamed the levels; how they map is to be confirmed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FacilityLevel {
    District,
    Provincial,
    Central,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CareKind {
    Outpatient,
    Inpatient,
}

/// Why the citizen paid and now claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "case")]
pub enum ReimbursementCase {
    /// Care outside an emergency at a facility without an HI contract: capped per visit or stay.
    NonContracted {
        level: FacilityLevel,
        care: CareKind,
    },
    /// Emergency care, a card issued late, or incomplete procedures at the time of care: the
    /// covered costs at the card's level, no cap (M).
    Uncapped,
}

impl ReimbursementCase {
    /// The parameter holding the cap, if any.
    pub fn cap_parameter(self) -> Option<&'static str> {
        use CareKind::*;
        use FacilityLevel::*;
        match self {
            Self::NonContracted { level, care } => Some(match (level, care) {
                (District, Outpatient) => "hi_direct_cap_outpatient_district",
                (District, Inpatient) => "hi_direct_cap_inpatient_district",
                (Provincial, Outpatient) => "hi_direct_cap_outpatient_provincial",
                (Provincial, Inpatient) => "hi_direct_cap_inpatient_provincial",
                (Central, Outpatient) => "hi_direct_cap_outpatient_central",
                (Central, Inpatient) => "hi_direct_cap_inpatient_central",
            }),
            Self::Uncapped => None,
        }
    }
}

/// What the HI fund pays back: the covered costs × the card's benefit level (80/95/100%, basis
/// points), capped for non-contracted facilities at a share of the base salary in force on the
/// first day of care. Each figure is rounded once, half up.
pub fn hi_direct_reimbursement(
    covered_costs: i64,
    benefit_level: i64,
    case: ReimbursementCase,
    care_from: NaiveDate,
    policy: &Policy,
) -> Result<Amount, NotInForce> {
    let mut e = Explanation::citing(&[
        "HI Law 25/2008/QH12 Art. 31",
        "Decree 146/2018/NĐ-CP Art. 30",
    ]);
    let covered = divide_half_up(covered_costs * benefit_level, 10_000);
    e.line(
        "claims.hi_reimbursement.line.covered",
        format!("{} × {}", percent(benefit_level), vnd(covered_costs)),
        covered,
        Unit::Vnd,
    );
    let amount = match case.cap_parameter() {
        None => covered,
        Some(name) => {
            let share = e.parameter(policy, name, care_from)?;
            let base = e.parameter(policy, "base_salary", care_from)?;
            let cap = divide_half_up(base * share, 10_000);
            e.line(
                "claims.hi_reimbursement.line.cap",
                format!("{} × {}", percent(share), vnd(base)),
                cap,
                Unit::Vnd,
            );
            covered.min(cap)
        }
    };
    e.line(
        "claims.hi_reimbursement.line.amount",
        vnd(amount),
        amount,
        Unit::Vnd,
    );
    Ok(Amount {
        amount,
        explanation: e,
    })
}

/// A health card as the reimbursement sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardFacts {
    pub card_code: String,
    /// 1–5 (DOMAIN.md §2.3).
    pub benefit_level: i32,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

/// The benefit level assumed without a card: level 4, 80%, that of employees and households
/// (DOMAIN.md §2.3).
pub const HI_DEFAULT_LEVEL: i32 = 4;

/// Covered on the first day of care: a card valid that day, or HI contributions in the book for
/// its month (the card comes from them); and the share of covered costs the fund pays, in basis
/// points, from the card's benefit level, or [`HI_DEFAULT_LEVEL`] without a card.
pub fn hi_cover(
    card: Option<&CardFacts>,
    contributions_in_month: bool,
    care_from: NaiveDate,
) -> (Eligibility, i64) {
    let mut e = Explanation::citing(&["HI Law 25/2008/QH12 Art. 16, 22"]);
    let card_valid = card.is_some_and(|c| (c.valid_from..=c.valid_to).contains(&care_from));
    e.line(
        "claims.hi_reimbursement.line.card",
        match card {
            Some(c) => format!(
                "{}, valid {} – {}, on {care_from}",
                c.card_code, c.valid_from, c.valid_to
            ),
            None => "no card on record".to_owned(),
        },
        i64::from(card_valid),
        Unit::Condition,
    );
    e.line(
        "claims.hi_reimbursement.line.contributions",
        format!("HI contributions for {}", Month::of(care_from)),
        i64::from(contributions_in_month),
        Unit::Condition,
    );
    let level = card.map_or(HI_DEFAULT_LEVEL, |c| c.benefit_level);
    let share = i64::from(crate::health_card::benefit_percent(level)) * 100;
    e.line(
        "claims.hi_reimbursement.line.benefit_level",
        match card {
            Some(_) => format!("level {level} on the card → {}", percent(share)),
            None => format!("no card: level {level} assumed → {}", percent(share)),
        },
        share,
        Unit::BasisPoints,
    );
    (
        Eligibility {
            eligible: card_valid || contributions_in_month,
            explanation: e,
        },
        share,
    )
}

// ---------------------------------------------------------------------------------------------
// Legal time limits for the decision

/// A claim as its legal time limit tells it apart (finer than the form's `ClaimKind`: who filed
/// a maternity claim, and whether it is voluntary, changes the limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    Sickness,
    /// Compulsory-SI maternity filed through the employer.
    Maternity,
    /// Compulsory-SI maternity filed by the worker directly (the contract had ended).
    MaternityFiledByWorker,
    VoluntaryMaternity,
    Unemployment,
    LumpSum,
    Funeral,
    HealthReimbursement,
}

/// How long the office has to decide, from a complete dossier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "unit", content = "count")]
pub enum TimeLimit {
    WorkingDays(u32),
    /// Calendar days.
    Days(u32),
}

/// The time limit for the decision on a claim of `kind`, with its legal basis and DOMAIN.md's
/// confidence tag. Not dated parameters: the parameter table has no unit for days, so the two
/// unverified ones (unemployment, HI reimbursement) are constants marked M here.
pub fn time_limit(kind: DeadlineKind) -> (TimeLimit, &'static str, &'static str) {
    use TimeLimit::*;
    match kind {
        DeadlineKind::Sickness => (WorkingDays(7), "Law 41/2024/QH15 Art. 48", "VL"),
        DeadlineKind::Maternity => (WorkingDays(7), "Law 41/2024/QH15 Art. 50-63", "VL"),
        DeadlineKind::MaternityFiledByWorker => {
            (WorkingDays(5), "Law 41/2024/QH15 Art. 50-63", "VL")
        }
        DeadlineKind::VoluntaryMaternity => (WorkingDays(5), "Law 41/2024/QH15 Art. 97", "VL"),
        // DOMAIN.md §7.4: "≈ 15–20 WD (2013 law: 20 WD)"; the 2013 figure until confirmed.
        DeadlineKind::Unemployment => (
            WorkingDays(20),
            "Employment Law 38/2013/QH13 Art. 46; Decree 374/2025/NĐ-CP to confirm",
            "M",
        ),
        DeadlineKind::LumpSum => (WorkingDays(7), "Law 41/2024/QH15 Art. 79(3), 107(3)", "VL"),
        DeadlineKind::Funeral => (WorkingDays(10), "Law 41/2024/QH15 Art. 85, 109", "VL"),
        // DOMAIN.md §6.5: VSS pays within 40 days of a complete dossier.
        DeadlineKind::HealthReimbursement => (Days(40), "HI Law 25/2008/QH12 Art. 31", "M"),
    }
}

/// The expected decision date for a complete dossier filed on `filed_on`: the time limit
/// counted from the next day, skipping weekends and `holidays` for working days.
pub fn decision_deadline(
    kind: DeadlineKind,
    filed_on: NaiveDate,
    holidays: &BTreeSet<NaiveDate>,
) -> NaiveDate {
    match time_limit(kind).0 {
        TimeLimit::WorkingDays(days) => add_working_days(filed_on, days, holidays),
        TimeLimit::Days(days) => filed_on
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(filed_on),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::calendar::shipped_holidays;
    use crate::policy::shipped;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    /// `count` consecutive months ending with `last`.
    fn months_to(last: &str, count: u32) -> Vec<Month> {
        (0..count).map(|i| month(last).minus(i)).collect()
    }

    fn leave(salary: i64, whole_days: u32, part: u8) -> SickLeave {
        SickLeave {
            salary_month_before: salary,
            insured_months: 5 * 12,
            heavy_or_remote: false,
            half_days_taken_this_year: 0,
            whole_days,
            part_of_day_percent: part,
        }
    }

    #[test]
    fn example_7_five_sick_days_at_9_600_000_pay_300_000_a_day_and_1_500_000() {
        let estimate = sickness(&leave(9_600_000, 5, 0));
        assert_eq!(estimate.daily, 300_000);
        assert_eq!(estimate.paid_half_days, 10);
        assert_eq!(estimate.amount, 1_500_000);
        let daily = &estimate.explanation.lines[3];
        assert_eq!(daily.formula, "75% × 9,600,000 / 24");
        assert_eq!(estimate.explanation.law, vec![SICKNESS_LAW]);
    }

    #[test]
    fn sick_days_per_year_are_30_40_60_by_years_of_si() {
        assert_eq!(sickness_days_per_year(15 * 12 - 1, false), 30);
        assert_eq!(sickness_days_per_year(15 * 12, false), 40);
        assert_eq!(sickness_days_per_year(30 * 12 - 1, false), 40);
        assert_eq!(sickness_days_per_year(30 * 12, false), 60);
        assert_eq!(sickness_days_per_year(0, true), 40);
        assert_eq!(sickness_days_per_year(30 * 12, true), 70);
    }

    #[test]
    fn a_part_day_counts_half_under_half_a_day_and_whole_from_half() {
        assert_eq!(counted_half_days(2, 0), 4);
        assert_eq!(counted_half_days(2, 1), 5);
        assert_eq!(counted_half_days(2, 49), 5);
        assert_eq!(counted_half_days(2, 50), 6);
        assert_eq!(counted_half_days(2, 99), 6);
        // 2½ days at 9,600,000: 750,000.
        assert_eq!(sickness(&leave(9_600_000, 2, 30)).amount, 750_000);
    }

    #[test]
    fn sick_pay_stops_at_the_yearly_cap_and_rounds_once_half_up() {
        let mut near_cap = leave(9_600_000, 5, 0);
        near_cap.half_days_taken_this_year = 57; // 28½ of 30 days used
        let estimate = sickness(&near_cap);
        assert_eq!(estimate.paid_half_days, 3);
        assert_eq!(estimate.amount, 450_000);
        // 75% × 10,000,001 / 24 × 1 = 312,500.03… → 312,500 (the daily rate is not rounded
        // first); × 3 = 937,500.09… → 937,500.
        assert_eq!(sickness(&leave(10_000_001, 3, 0)).amount, 937_500);
        // 75% × 1,000,004 / 24 × ½ = 15,625.06… → 15,625; × 1 = 31,250.125 → 31,250.
        assert_eq!(sickness(&leave(1_000_004, 0, 10)).amount, 15_625);
        assert_eq!(divide_half_up(5, 2), 3);
        assert_eq!(divide_half_up(7, 4), 2);
        assert_eq!(divide_half_up(5, 4), 1);
    }

    #[test]
    fn maternity_needs_six_paid_months_in_the_last_twelve() {
        let birth = day("2026-08-10");
        // Five months paid, Feb–Jun 2026, the last one before the birth month being July.
        let five = months_to("2026-06", 5);
        let check = maternity_eligibility(&five, birth);
        assert!(!check.eligible);
        assert_eq!(
            check.explanation.lines[0].formula,
            "5 of the last 12 months paid (2025-08 – 2026-07), 6 needed"
        );
        let six = months_to("2026-06", 6);
        assert!(maternity_eligibility(&six, birth).eligible);
        let seven = months_to("2026-07", 7);
        let check = maternity_eligibility(&seven, birth);
        assert!(check.eligible);
        assert_eq!(check.explanation.lines[0].value, 7);
        assert!(
            check.explanation.lines[0]
                .formula
                .starts_with("7 of the last 12 months paid")
        );
        // Months paid in the birth month or more than 12 months back do not count.
        let outside = [
            months_to("2025-07", 3),
            months_to("2026-08", 1),
            months_to("2026-07", 5),
        ]
        .concat();
        assert!(!maternity_eligibility(&outside, birth).eligible);
    }

    #[test]
    fn example_7_childbirth_lump_sum_uses_the_base_salary_of_the_birth_month() {
        let policy = shipped();
        let august = childbirth_lump_sum(day("2026-08-10"), 1, &policy).unwrap();
        assert_eq!(august.amount, 5_060_000);
        assert_eq!(august.explanation.lines[0].formula, "2 × 2,530,000 × 1");
        assert_eq!(august.explanation.parameters[0].name, "base_salary");
        assert_eq!(
            august.explanation.parameters[0].effective_from,
            day("2026-07-01")
        );
        let june = childbirth_lump_sum(day("2026-06-20"), 1, &policy).unwrap();
        assert_eq!(june.amount, 4_680_000);
        assert_eq!(
            childbirth_lump_sum(day("2026-08-10"), 2, &policy)
                .unwrap()
                .amount,
            10_120_000
        );
    }

    #[test]
    fn the_monthly_maternity_allowance_is_the_average_of_the_last_six_paid_months() {
        let leave = month("2026-09");
        let paid: Vec<(Month, i64)> = vec![
            (month("2026-01"), 1_000_000), // more than six months back: ignored
            (month("2026-02"), 9_000_000),
            (month("2026-03"), 9_000_000),
            (month("2026-04"), 10_000_000),
            (month("2026-05"), 10_000_000),
            (month("2026-07"), 10_000_000),
            (month("2026-08"), 6_000_000), // two employers in August: 6,000,000 + 5,000,000
            (month("2026-08"), 5_000_000),
            (month("2026-09"), 50_000_000), // the month the leave starts: not before it
        ];
        let allowance = maternity_monthly_allowance(&paid, leave);
        // (9 + 9 + 10 + 10 + 10 + 11) million / 6 = 9,833,333.3… → 9,833,333.
        assert_eq!(allowance.amount, 9_833_333);
        assert_eq!(
            allowance.explanation.lines[0].formula,
            "100% × 59,000,000 / 6"
        );
        // Fewer than six months paid: the average of those.
        let two = [(month("2026-07"), 8_000_000), (month("2026-08"), 9_000_001)];
        assert_eq!(maternity_monthly_allowance(&two, leave).amount, 8_500_001);
        assert_eq!(maternity_monthly_allowance(&[], leave).amount, 0);
    }

    #[test]
    fn voluntary_maternity_is_2_000_000_per_child_from_july_2025() {
        let policy = shipped();
        let one = voluntary_maternity_allowance(day("2025-07-01"), 1, &policy).unwrap();
        assert_eq!(one.amount, 2_000_000);
        let row = &one.explanation.parameters[0];
        assert_eq!(row.legal_basis, "Law 41/2024/QH15 Art. 94-95");
        assert_eq!(
            voluntary_maternity_allowance(day("2026-08-10"), 2, &policy)
                .unwrap()
                .amount,
            4_000_000
        );
        assert!(voluntary_maternity_allowance(day("2025-06-30"), 1, &policy).is_err());
    }

    #[test]
    fn unemployment_needs_twelve_ui_months_in_the_24_before_termination() {
        let policy = shipped();
        let terminated = day("2026-10-15");
        // Months paid Nov 2024 – Oct 2026 are the window; 11 of them is not enough.
        let eleven = months_to("2026-10", 11);
        let check = unemployment_eligibility(&eleven, terminated, &policy).unwrap();
        assert!(!check.eligible);
        assert_eq!(
            check.explanation.lines[0].formula,
            "11 of the last 24 months paid (2024-11 – 2026-10), 12 needed"
        );
        let twelve = months_to("2026-10", 12);
        assert!(
            unemployment_eligibility(&twelve, terminated, &policy)
                .unwrap()
                .eligible
        );
        // Twelve months, one of them just before the window: 11 count.
        let early = months_to("2024-11", 12);
        assert!(
            !unemployment_eligibility(&early, terminated, &policy)
                .unwrap()
                .eligible
        );
        let names: Vec<&str> = check
            .explanation
            .parameters
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "unemployment_qualifying_months",
                "unemployment_qualifying_window_months"
            ]
        );
    }

    fn salaries(last: &str, count: u32, salary: i64) -> Vec<(Month, i64)> {
        months_to(last, count)
            .into_iter()
            .map(|m| (m, salary))
            .collect()
    }

    #[test]
    fn example_3_unemployment_at_10_000_000_region_i_84_months_is_6_000_000_for_7_months() {
        let policy = shipped();
        let region = Region::new(1).unwrap();
        let estimate =
            unemployment_benefit(&salaries("2026-09", 84, 10_000_000), region, 84, &policy)
                .unwrap();
        assert_eq!(estimate.monthly, 6_000_000);
        assert_eq!(estimate.months, 7);
        assert_eq!(estimate.months_used, 84);
        assert_eq!(estimate.months_kept, 0);
        assert_eq!(estimate.total, 42_000_000);
        let cap = &estimate.explanation.lines[2];
        assert_eq!(
            (cap.formula.as_str(), cap.value),
            ("5 × 5,310,000 (2026-09)", 26_550_000)
        );
        assert_eq!(
            estimate.explanation.lines[4].formula,
            "3 + ⌊(84 − 36) / 12⌋, at most 12"
        );
        // Had the last month been in 2025, the cap would be 5 × 4,960,000: the same result.
        let in_2025 =
            unemployment_benefit(&salaries("2025-09", 84, 10_000_000), region, 84, &policy)
                .unwrap();
        assert_eq!(in_2025.explanation.lines[2].value, 24_800_000);
        assert_eq!(in_2025.total, 42_000_000);
    }

    #[test]
    fn unemployment_is_capped_at_five_regional_minimum_wages() {
        let policy = shipped();
        let region = Region::new(4).unwrap();
        let estimate =
            unemployment_benefit(&salaries("2026-09", 12, 80_000_000), region, 12, &policy)
                .unwrap();
        assert_eq!(estimate.explanation.lines[1].value, 48_000_000);
        assert_eq!(estimate.monthly, 5 * 3_700_000);
        // Averaged over the last six months only, rounded once: 60% × 55,000,001 / 6.
        let mut mixed = salaries("2026-09", 5, 9_000_000);
        mixed.push((month("2026-04"), 10_000_001));
        mixed.push((month("2026-03"), 1)); // seventh month back: ignored
        let estimate = unemployment_benefit(&mixed, Region::new(1).unwrap(), 12, &policy).unwrap();
        assert_eq!(estimate.monthly, 5_500_000);
    }

    #[test]
    fn unemployment_months_are_3_for_12_to_36_then_one_more_per_full_12_at_most_12() {
        let policy = shipped();
        let months = |counted: u32| {
            let e = unemployment_benefit(
                &salaries("2026-09", 6, 10_000_000),
                Region::new(1).unwrap(),
                counted,
                &policy,
            )
            .unwrap();
            (e.months, e.months_used, e.months_kept)
        };
        assert_eq!(months(11), (0, 0, 11));
        assert_eq!(months(12), (3, 12, 0));
        assert_eq!(months(36), (3, 36, 0));
        assert_eq!(months(47), (3, 36, 11));
        assert_eq!(months(48), (4, 48, 0));
        assert_eq!(months(50), (4, 48, 2));
        assert_eq!(months(144), (12, 144, 0));
        assert_eq!(months(160), (12, 144, 16));
    }

    #[test]
    fn example_4_lump_sum_may_2011_to_march_2020_at_9_000_000_is_153_000_000() {
        let mut paid = Vec::new();
        let mut m = month("2011-05");
        while m <= month("2020-03") {
            paid.push(m);
            m = m.next();
        }
        assert_eq!(months_around_2014(&paid), (32, 75));
        let route = lump_sum_route_d(month("2011-05"), month("2020-03"), 107, day("2021-06-01"));
        assert!(route.eligible);
        let estimate = lump_sum_amount(32, 75, 9_000_000, 0);
        assert_eq!(estimate.half_years_before_2014, 4);
        assert_eq!(estimate.half_years_from_2014, 14);
        assert_eq!(estimate.amount, 153_000_000);
        let lines: Vec<(&str, i64)> = estimate
            .explanation
            .lines
            .iter()
            .map(|l| (l.formula.as_str(), l.value))
            .collect();
        assert_eq!(
            lines,
            [
                ("32 months → 2 years, 8 months move to 2014+", 24),
                ("75 + 8 = 83 months → 7 years", 84),
                ("1.5 × 9,000,000 × 2", 27_000_000),
                ("2 × 9,000,000 × 7", 126_000_000),
                ("9,000,000 × 17", 153_000_000),
            ]
        );
    }

    #[test]
    fn lump_sum_leftover_months_count_half_a_year_up_to_six_and_a_year_from_seven() {
        // Only from 2014: 7 years 1 month → 7½ years → 15 months' salary.
        assert_eq!(lump_sum_amount(0, 85, 1_000_000, 0).amount, 15_000_000);
        assert_eq!(lump_sum_amount(0, 90, 1_000_000, 0).amount, 15_000_000);
        assert_eq!(lump_sum_amount(0, 91, 1_000_000, 0).amount, 16_000_000);
        // Only before 2014: 2 years 3 months → 2½ years × 1.5 = 3.75 months' salary, rounded
        // once: 3.75 × 1,000,001 = 3,750,003.75 → 3,750,004.
        let before = lump_sum_amount(27, 0, 1_000_001, 0);
        assert_eq!(before.amount, 3_750_004);
        assert_eq!(
            before.explanation.lines.last().unwrap().formula,
            "1,000,001 × 3.75"
        );
        // Both sides, the moved months completing a year: 13 + 11 → 1 year + (11 + 1) = 1 + 1.
        assert_eq!(lump_sum_amount(13, 11, 1_000_000, 0).amount, 3_500_000);
    }

    #[test]
    fn under_a_year_the_lump_sum_is_what_was_contributed_at_most_two_months_salary() {
        assert_eq!(
            lump_sum_amount(0, 11, 9_000_000, 8_000_000).amount,
            8_000_000
        );
        assert_eq!(
            lump_sum_amount(0, 11, 3_000_000, 8_000_000).amount,
            6_000_000
        );
        assert_eq!(
            lump_sum_amount(5, 6, 3_000_000, 1_000_000).amount,
            1_000_000
        );
    }

    #[test]
    fn route_d_is_open_only_to_first_contributions_before_1_july_2025() {
        let route = |first: &str, last: &str, months: u32, on: &str| {
            lump_sum_route_d(month(first), month(last), months, day(on)).eligible
        };
        // Cut-off: June 2025 is before 1 Jul 2025; July 2025 is not.
        assert!(route("2025-06", "2025-08", 3, "2026-09-01"));
        assert!(!route("2025-07", "2025-08", 2, "2026-09-01"));
        // Twelve whole months out: last paid Aug 2025, Sep 2025 – Aug 2026 out → from Sep 2026.
        assert!(!route("2025-06", "2025-08", 3, "2026-08-31"));
        let check = lump_sum_route_d(month("2025-07"), month("2025-08"), 2, day("2026-08-31"));
        assert_eq!(check.explanation.lines[0].value, 0);
        assert_eq!(check.explanation.lines[1].value, 11);
        // Twenty years or more: closed.
        assert!(route("2000-01", "2019-12", 239, "2021-01-01"));
        assert!(!route("2000-01", "2019-12", 240, "2021-01-01"));
    }

    fn deceased(compulsory_months: u32, voluntary_months: u32) -> Deceased {
        Deceased {
            compulsory_months,
            voluntary_months,
            pensioner: false,
            occupational_death: false,
        }
    }

    #[test]
    fn funeral_allowance_needs_12_compulsory_or_60_voluntary_months_or_a_pension() {
        assert!(!funeral_eligibility(&deceased(11, 0)).eligible);
        assert!(funeral_eligibility(&deceased(12, 0)).eligible);
        assert!(!funeral_eligibility(&deceased(0, 59)).eligible);
        assert!(funeral_eligibility(&deceased(0, 60)).eligible);
        assert!(funeral_eligibility(&deceased(11, 49)).eligible);
        assert!(
            funeral_eligibility(&Deceased {
                pensioner: true,
                ..deceased(0, 0)
            })
            .eligible
        );
        assert!(
            funeral_eligibility(&Deceased {
                occupational_death: true,
                ..deceased(1, 0)
            })
            .eligible
        );
    }

    #[test]
    fn funeral_allowance_is_ten_base_salaries_of_the_month_of_death() {
        let policy = shipped();
        assert_eq!(
            funeral_allowance(day("2026-07-01"), &policy)
                .unwrap()
                .amount,
            25_300_000
        );
        assert_eq!(
            funeral_allowance(day("2026-06-30"), &policy)
                .unwrap()
                .amount,
            23_400_000
        );
        assert_eq!(
            funeral_filing_deadline(day("2026-08-10")),
            day("2026-11-08")
        );
    }

    #[test]
    fn hi_reimbursement_pays_the_card_level_capped_at_non_contracted_facilities() {
        let policy = shipped();
        let inpatient_provincial = ReimbursementCase::NonContracted {
            level: FacilityLevel::Provincial,
            care: CareKind::Inpatient,
        };
        // 80% × 2,000,000 = 1,600,000, under the cap of 100% × 2,530,000.
        let small = hi_direct_reimbursement(
            2_000_000,
            8_000,
            inpatient_provincial,
            day("2026-08-01"),
            &policy,
        )
        .unwrap();
        assert_eq!(small.amount, 1_600_000);
        // 80% × 10,000,000 = 8,000,000 → capped at 2,530,000.
        let big = hi_direct_reimbursement(
            10_000_000,
            8_000,
            inpatient_provincial,
            day("2026-08-01"),
            &policy,
        )
        .unwrap();
        assert_eq!(big.amount, 2_530_000);
        assert!(
            big.explanation
                .parameters
                .iter()
                .all(|p| p.name != "hi_direct_cap_inpatient_central")
        );
        // Outpatient at a district facility: 15% × 2,340,000 = 351,000 in June 2026.
        let outpatient = ReimbursementCase::NonContracted {
            level: FacilityLevel::District,
            care: CareKind::Outpatient,
        };
        assert_eq!(
            hi_direct_reimbursement(1_000_000, 10_000, outpatient, day("2026-06-15"), &policy)
                .unwrap()
                .amount,
            351_000
        );
        // Emergencies: no cap; 95% × 10,000,001 = 9,500,000.95 → 9,500,001.
        assert_eq!(
            hi_direct_reimbursement(
                10_000_001,
                9_500,
                ReimbursementCase::Uncapped,
                day("2026-08-01"),
                &policy
            )
            .unwrap()
            .amount,
            9_500_001
        );
    }

    #[test]
    fn every_cap_parameter_ships() {
        let policy = shipped();
        for level in [
            FacilityLevel::District,
            FacilityLevel::Provincial,
            FacilityLevel::Central,
        ] {
            for care in [CareKind::Outpatient, CareKind::Inpatient] {
                let name = ReimbursementCase::NonContracted { level, care }
                    .cap_parameter()
                    .unwrap();
                let row = policy.row(name, day("2026-08-01")).unwrap();
                assert_eq!(row.status, "M", "{name}");
            }
        }
    }

    #[test]
    fn decision_deadlines_count_working_days_from_the_day_after_filing() {
        let holidays = shipped_holidays();
        let filed = day("2026-11-04"); // a Wednesday
        let deadline = |kind| decision_deadline(kind, filed, &holidays);
        assert_eq!(deadline(DeadlineKind::Sickness), day("2026-11-13"));
        assert_eq!(deadline(DeadlineKind::Maternity), day("2026-11-13"));
        assert_eq!(deadline(DeadlineKind::LumpSum), day("2026-11-13"));
        assert_eq!(
            deadline(DeadlineKind::MaternityFiledByWorker),
            day("2026-11-11")
        );
        assert_eq!(
            deadline(DeadlineKind::VoluntaryMaternity),
            day("2026-11-11")
        );
        assert_eq!(deadline(DeadlineKind::Funeral), day("2026-11-18"));
        // 20 working days, 24 Nov 2026 (Vietnamese Culture Day) skipped.
        assert_eq!(deadline(DeadlineKind::Unemployment), day("2026-12-03"));
        assert_eq!(
            deadline(DeadlineKind::HealthReimbursement),
            day("2026-12-14")
        );
        // Filed just before Tết 2026: a lump sum filed on Thu 12 Feb is decided on Mon 2 Mar.
        assert_eq!(
            decision_deadline(DeadlineKind::LumpSum, day("2026-02-12"), &holidays),
            day("2026-03-02")
        );
        assert_eq!(time_limit(DeadlineKind::Unemployment).2, "M");
    }

    #[test]
    fn sick_pay_needs_compulsory_si_and_a_sick_child_under_7() {
        let check = sickness_eligibility(Some(month("2026-10")), day("2026-11-02"), None);
        assert!(check.eligible);
        assert_eq!(
            check.explanation.lines[0].formula,
            "compulsory SI in 2026-10"
        );
        let uninsured = sickness_eligibility(None, day("2026-11-02"), None);
        assert!(!uninsured.eligible);
        assert_eq!(
            uninsured.explanation.lines[0].formula,
            "no compulsory SI in 2026-10 or 2026-11"
        );
        let child = |born: &str| {
            sickness_eligibility(Some(month("2026-10")), day("2026-11-02"), Some(day(born)))
        };
        // Six the day before the leave, seven on its first day.
        assert!(child("2019-11-03").eligible);
        let seven = child("2019-11-02");
        assert!(!seven.eligible);
        assert_eq!(
            seven.explanation.lines[1].formula,
            "born 2019-11-02: 7 years old on 2026-11-02, under 7 needed"
        );
    }

    fn record<'a>(
        compulsory: &'a [Month],
        voluntary: &'a [Month],
        employed: bool,
    ) -> MaternityRecord<'a> {
        MaternityRecord {
            compulsory,
            voluntary,
            employed_in_event_month: employed,
        }
    }

    #[test]
    fn who_files_a_maternity_claim_comes_from_the_book() {
        let born = day("2026-11-02");
        let six = months_to("2026-10", 6);
        let five = months_to("2026-10", 5);
        let route = |compulsory: &[Month], voluntary: &[Month], employed| {
            maternity_check(&record(compulsory, voluntary, employed), born)
        };
        // Employed in the month of the birth: the employer files, 7 working days.
        let (by_employer, check) = route(&six, &[], true);
        assert_eq!(by_employer, MaternityRoute::Employer);
        assert!(check.eligible);
        let line = &check.explanation.lines[1];
        assert_eq!(
            (line.label.as_ref(), line.value),
            ("claims.maternity.line.route", 7)
        );
        // The contract had ended: the worker files, 5 working days; five months are not enough.
        let (by_worker, check) = route(&five, &[], false);
        assert_eq!(by_worker, MaternityRoute::Worker);
        assert!(!check.eligible);
        assert_eq!(check.explanation.lines[1].value, 5);
        // Voluntary only, or mixed with too few compulsory months: a voluntary claim that counts
        // both (Art. 95).
        let (voluntary, check) = route(&[], &six, false);
        assert_eq!(voluntary, MaternityRoute::Voluntary);
        assert!(check.eligible);
        let three = months_to("2026-10", 3);
        let earlier = months_to("2026-07", 3);
        let (mixed, check) = route(&earlier, &three, true);
        assert_eq!(mixed, MaternityRoute::Voluntary);
        assert!(check.eligible);
        assert_eq!(mixed.deadline_kind(), DeadlineKind::VoluntaryMaternity);
        // Enough compulsory months come first, voluntary ones besides.
        let (compulsory, _) = route(&six, &earlier, true);
        assert_eq!(compulsory, MaternityRoute::Employer);
        // Voluntary months outside the 12 before the birth do not make it voluntary.
        let old = months_to("2024-12", 3);
        assert_eq!(route(&five, &old, false).0, MaternityRoute::Worker);
        assert_eq!(
            MaternityRoute::Worker.deadline_kind(),
            DeadlineKind::MaternityFiledByWorker
        );
    }

    fn lump_record(months: u32, first: &str, last: &str) -> LumpSumRecord {
        LumpSumRecord {
            months_paid: months,
            first_month_paid: Some(month(first)),
            last_month_in_si: Some(month(last)),
            retirement_age_on: None,
        }
    }

    #[test]
    fn lump_sum_routes_check_what_the_book_shows() {
        let on = day("2026-11-15");
        // (đ): first contribution June 2025, out since Sep 2025: 13 months out.
        let before = lump_sum_eligibility(
            LumpSumRoute::OutOfSiTwelveMonths,
            &lump_record(3, "2025-06", "2025-09"),
            on,
        );
        assert!(before.eligible);
        let labels: Vec<&str> = before
            .explanation
            .lines
            .iter()
            .map(|l| l.label.as_ref())
            .collect();
        assert_eq!(
            labels,
            [
                "claims.lump_sum.line.months_paid",
                "claims.lump_sum.line.first_contribution",
                "claims.lump_sum.line.months_out",
                "claims.lump_sum.line.under_20_years"
            ]
        );
        let on_cutoff = lump_sum_eligibility(
            LumpSumRoute::OutOfSiTwelveMonths,
            &lump_record(3, "2025-07", "2025-09"),
            on,
        );
        assert!(!on_cutoff.eligible);
        assert_eq!(on_cutoff.explanation.lines[1].value, 0);
        // (a): the age reached by the request, and under 15 years.
        let at_age = |months: u32, reached: &str| {
            lump_sum_eligibility(
                LumpSumRoute::RetirementAgeShort,
                &LumpSumRecord {
                    retirement_age_on: Some(day(reached)),
                    ..lump_record(months, "2010-01", "2020-01")
                },
                on,
            )
            .eligible
        };
        assert!(at_age(179, "2026-11-15"));
        assert!(!at_age(179, "2026-11-16"));
        assert!(!at_age(180, "2026-01-01"));
        // (b)–(d) rest on documents; only months to withdraw are needed from the book.
        let abroad = lump_sum_eligibility(
            LumpSumRoute::Emigration,
            &lump_record(1, "2026-01", "2026-01"),
            on,
        );
        assert!(abroad.eligible);
        assert_eq!(
            abroad.explanation.lines[1].formula,
            "settling abroad: stated; staff check the documents"
        );
        let nothing = LumpSumRecord {
            months_paid: 0,
            first_month_paid: None,
            last_month_in_si: None,
            retirement_age_on: None,
        };
        for route in [LumpSumRoute::Emigration, LumpSumRoute::OutOfSiTwelveMonths] {
            assert!(!lump_sum_eligibility(route, &nothing, on).eligible);
        }
    }

    fn lump_book(state_support: i64) -> LumpSumBook {
        // Example 4: 32 + 75 months at 9,000,000.
        LumpSumBook {
            before_2014: 32,
            from_2014: 75,
            salary_total: 107 * 9_000_000,
            salary_months: 107,
            contributed: 0,
            state_support,
        }
    }

    #[test]
    fn the_lump_sum_from_the_book_says_its_average_is_not_cpi_adjusted() {
        let estimate = lump_sum_estimate(&lump_book(0), LumpSumRoute::OutOfSiTwelveMonths);
        assert_eq!(estimate.amount, 153_000_000);
        let first = &estimate.explanation.lines[0];
        assert_eq!(
            (first.label.as_ref(), first.formula.as_str(), first.value),
            (
                "claims.lump_sum.line.average",
                "963,000,000 / 107, not CPI-adjusted",
                9_000_000
            )
        );
        // State support received is left out, except for a serious illness or disability.
        let less = lump_sum_estimate(&lump_book(792_000), LumpSumRoute::Emigration);
        assert_eq!(less.amount, 153_000_000 - 792_000);
        assert_eq!(
            less.explanation.lines.last().unwrap().formula,
            "153,000,000 − 792,000"
        );
        let kept = lump_sum_estimate(&lump_book(792_000), LumpSumRoute::SeriousIllness);
        assert_eq!(kept.amount, 153_000_000);
        // Under a year, what was paid has no support in it.
        let short = LumpSumBook {
            before_2014: 0,
            from_2014: 3,
            salary_total: 9_000_000,
            salary_months: 3,
            contributed: 1_782_000,
            state_support: 198_000,
        };
        assert_eq!(
            lump_sum_estimate(&short, LumpSumRoute::Emigration).amount,
            1_782_000
        );
        assert_eq!(
            lump_sum_estimate(
                &LumpSumBook {
                    salary_months: 0,
                    salary_total: 0,
                    ..short
                },
                LumpSumRoute::Emigration
            )
            .explanation
            .lines[0]
                .value,
            0
        );
    }

    #[test]
    fn hi_cover_comes_from_the_card_or_the_months_and_the_level_from_the_card() {
        let care = day("2026-10-01");
        let card = CardFacts {
            card_code: "HT3790100000001".into(),
            benefit_level: 3,
            valid_from: day("2026-01-01"),
            valid_to: day("2026-12-31"),
        };
        let (check, share) = hi_cover(Some(&card), false, care);
        assert!(check.eligible);
        assert_eq!(share, 9_500);
        let expired = CardFacts {
            valid_to: day("2026-09-30"),
            ..card.clone()
        };
        let (check, share) = hi_cover(Some(&expired), false, care);
        assert!(!check.eligible);
        assert_eq!(share, 9_500);
        // No card, but HI paid for the month: covered, at level 4 (80%).
        let (check, share) = hi_cover(None, true, care);
        assert!(check.eligible);
        assert_eq!(share, 8_000);
        assert_eq!(
            check.explanation.lines[2].formula,
            "no card: level 4 assumed → 80%"
        );
        assert!(!hi_cover(None, false, care).0.eligible);
    }
}
