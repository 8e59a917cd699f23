//! Pure rules of the insurance book: what a month's contributions are, when they are due,
//! whether they are paid or owed, how payments are allocated, late-payment interest, and how
//! months group into the periods of the SI book. Figures: DOMAIN.md §3, §4, §6.2, §9.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::model::Month;
use crate::policy::{PolicyAt, Region};

/// `rate` basis points of `base`, rounded to the nearest đồng (halves up).
pub fn share(base: i64, rate: i64) -> i64 {
    (base * rate + 5_000).div_euclid(10_000)
}

/// One month's contributions, per fund and share, in whole VND.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Funds {
    /// Pension and survivorship, employee share.
    pub pension_employee: i64,
    pub pension_employer: i64,
    /// Sickness and maternity (employer only).
    pub sickness_employer: i64,
    /// Occupational accident and disease (employer only).
    pub accident_employer: i64,
    pub unemployment_employee: i64,
    pub unemployment_employer: i64,
    pub health_employee: i64,
    pub health_employer: i64,
}

impl Funds {
    pub fn employee(&self) -> i64 {
        self.pension_employee + self.unemployment_employee + self.health_employee
    }

    pub fn employer(&self) -> i64 {
        self.pension_employer
            + self.sickness_employer
            + self.accident_employer
            + self.unemployment_employer
            + self.health_employer
    }

    pub fn total(&self) -> i64 {
        self.employee() + self.employer()
    }

    pub fn pays_pension(&self) -> bool {
        self.pension_employee + self.pension_employer > 0
    }

    pub fn pays_unemployment(&self) -> bool {
        self.unemployment_employee + self.unemployment_employer > 0
    }

    pub fn pays_health(&self) -> bool {
        self.health_employee + self.health_employer > 0
    }
}

/// Compulsory contributions of an employee on `salary` (the SI salary) in a workplace of
/// `region`, with the figures in force for the month (DOMAIN.md §4.1, Example 6): SI and HI on
/// the salary up to 20 × base salary, UI up to 20 × the regional minimum wage.
pub fn compulsory(salary: i64, region: Region, policy: &PolicyAt) -> Funds {
    let si_base = salary.min(policy.si_ceiling());
    let ui_base = salary.min(policy.ui_ceiling(region));
    let r = &policy.rates;
    Funds {
        pension_employee: share(si_base, r.pension_employee),
        pension_employer: share(si_base, r.pension_employer),
        sickness_employer: share(si_base, r.sickness_employer),
        accident_employer: share(si_base, r.accident_employer),
        unemployment_employee: share(ui_base, r.unemployment_employee),
        unemployment_employer: share(ui_base, r.unemployment_employer),
        health_employee: share(si_base, r.health_employee),
        health_employer: share(si_base, r.health_employer),
    }
}

/// Why a declared salary cannot be accepted for the month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SalaryProblem {
    /// Below the regional minimum wage in force (Labour Code; Decree 158/2025).
    BelowMinimumWage { minimum: i64 },
}

/// The salary of a contract worker must be at least the regional minimum wage of the month
/// (and so at least the base salary, which is lower). Above the ceiling is fine: it is capped.
pub fn check_salary(salary: i64, region: Region, policy: &PolicyAt) -> Result<(), SalaryProblem> {
    let minimum = policy.minimum_wage(region).max(policy.base_salary);
    if salary < minimum {
        return Err(SalaryProblem::BelowMinimumWage { minimum });
    }
    Ok(())
}

/// The employer's deadline for a month's contributions: the last day of the following month
/// (monthly mode, SI Law 2024 Art. 34(4)).
pub fn due_date(month: Month) -> NaiveDate {
    month.next().last_day()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Declared; the deadline has not passed.
    Declared,
    Paid,
    /// Unpaid after the deadline: arrears.
    Owed,
}

/// A month is owed from the day after its deadline until it is paid: the worker sees arrears
/// the day they arise, without waiting for a batch job.
pub fn status(paid_on: Option<NaiveDate>, due_date: NaiveDate, today: NaiveDate) -> Status {
    match paid_on {
        Some(_) => Status::Paid,
        None if today > due_date => Status::Owed,
        None => Status::Declared,
    }
}

/// How much of the employer's payments reaches one month, and the day it became fully paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allocated {
    pub paid: i64,
    pub paid_on: Option<NaiveDate>,
}

/// Allocates payments to months oldest first. `months` are (month, amount due) in month order;
/// `payments` are (day, amount) in day order. A month is paid on the day of the payment that
/// completes it.
pub fn allocate(months: &[(Month, i64)], payments: &[(NaiveDate, i64)]) -> Vec<Allocated> {
    let mut payments = payments.iter().copied().peekable();
    let mut left_in_payment = 0;
    let mut last_day = None;
    months
        .iter()
        .map(|&(_, due)| {
            let mut paid = 0;
            while paid < due {
                if left_in_payment == 0 {
                    match payments.next() {
                        Some((day, amount)) => {
                            left_in_payment = amount;
                            last_day = Some(day);
                        }
                        None => break,
                    }
                }
                let take = left_in_payment.min(due - paid);
                paid += take;
                left_in_payment -= take;
            }
            Allocated {
                paid,
                paid_on: (paid >= due).then_some(last_day).flatten(),
            }
        })
        .collect()
}

/// Late-payment interest on `outstanding` from the day after `due_date` through `today`, at
/// the daily rate in force on each day (`rates`: (from, basis points) in date order).
/// Simplification: the interest runs on today's outstanding amount for the whole span.
pub fn late_interest(
    outstanding: i64,
    due_date: NaiveDate,
    today: NaiveDate,
    rates: &[(NaiveDate, i64)],
) -> i64 {
    if outstanding <= 0 || today <= due_date {
        return 0;
    }
    let first = due_date.succ_opt().unwrap_or(due_date);
    // Sum of (days × rate) over the segments where a rate is in force.
    let mut day_rate = 0i64;
    for (i, &(from, rate)) in rates.iter().enumerate() {
        let until = rates
            .get(i + 1)
            .map_or(today, |&(next, _)| next.pred_opt().unwrap_or(next));
        let start = from.max(first);
        let end = until.min(today);
        if end >= start {
            day_rate += ((end - start).num_days() + 1) * rate;
        }
    }
    (outstanding * day_rate + 5_000).div_euclid(10_000)
}

/// One month of the book as the rules see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookMonth {
    pub month: Month,
    /// `None` for voluntary months.
    pub employer: Option<Payer>,
    pub salary_basis: i64,
    pub funds: Funds,
    pub state_support: i64,
    pub due_date: NaiveDate,
    pub paid_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Payer {
    pub unit_code: String,
    pub name: String,
}

/// A run of consecutive months with one payer and one salary, as the SI book prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Period {
    pub from: Month,
    pub to: Month,
    pub months: u32,
    /// Absent for voluntary contributions.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<Payer>,
    /// `compulsory` or `voluntary`.
    pub scheme: &'static str,
    pub salary_basis: i64,
    /// Months of this period not (yet) paid after their deadline.
    pub owed_months: u32,
    pub pension: bool,
    pub unemployment: bool,
    pub health: bool,
}

/// Groups months (sorted by month) into periods.
pub fn periods(months: &[BookMonth], today: NaiveDate) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for m in months {
        let owed = status(m.paid_on, m.due_date, today) == Status::Owed;
        let scheme = if m.employer.is_some() {
            "compulsory"
        } else {
            "voluntary"
        };
        if let Some(last) = out.last_mut()
            && last.to.next() == m.month
            && last.employer == m.employer
            && last.salary_basis == m.salary_basis
            && last.pension == m.funds.pays_pension()
            && last.unemployment == m.funds.pays_unemployment()
            && last.health == m.funds.pays_health()
        {
            last.to = m.month;
            last.months += 1;
            last.owed_months += u32::from(owed);
            continue;
        }
        out.push(Period {
            from: m.month,
            to: m.month,
            months: 1,
            employer: m.employer.clone(),
            scheme,
            salary_basis: m.salary_basis,
            owed_months: u32::from(owed),
            pension: m.funds.pays_pension(),
            unemployment: m.funds.pays_unemployment(),
            health: m.funds.pays_health(),
        });
    }
    out
}

/// Distinct calendar months (two jobs in one month count once) that are paid and pay `fund`.
pub fn paid_months(months: &[BookMonth], fund: impl Fn(&Funds) -> bool) -> u32 {
    let mut counted: Vec<Month> = months
        .iter()
        .filter(|m| m.paid_on.is_some() && fund(&m.funds))
        .map(|m| m.month)
        .collect();
    counted.dedup();
    counted.len() as u32
}

/// Longest gap between HI months that keeps cover continuous (DOMAIN.md §6.2: ≤ 3 months).
pub const HI_GAP_ALLOWED: i32 = 3;

/// The first month of the current continuous run of health insurance, if cover runs now:
/// gaps of up to three months do not break it. Owed months count (the employer's debt is not
/// the worker's gap).
pub fn hi_continuous_since(months: &[BookMonth], today: NaiveDate) -> Option<Month> {
    let mut covered: Vec<Month> = months
        .iter()
        .filter(|m| m.funds.pays_health())
        .map(|m| m.month)
        .collect();
    covered.dedup();
    let latest = *covered.last()?;
    if latest.months_until(Month::of(today)) > HI_GAP_ALLOWED + 1 {
        return None;
    }
    let mut since = latest;
    for &month in covered.iter().rev().skip(1) {
        if month.months_until(since) > HI_GAP_ALLOWED + 1 {
            break;
        }
        since = month;
    }
    Some(since)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Parameter, Policy};

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// The parameters of the migration that matter here.
    fn policy() -> Policy {
        let p = |name: &str, from: &str, value: i64| Parameter {
            name: name.into(),
            effective_from: day(from),
            value,
            unit: String::new(),
            legal_basis: String::new(),
            status: "M".into(),
        };
        Policy::new(vec![
            p("base_salary", "2024-07-01", 2_340_000),
            p("base_salary", "2026-07-01", 2_530_000),
            p("regional_minimum_wage_1", "2024-07-01", 4_960_000),
            p("regional_minimum_wage_1", "2026-01-01", 5_310_000),
            p("regional_minimum_wage_2", "2026-01-01", 4_730_000),
            p("regional_minimum_wage_3", "2026-01-01", 4_140_000),
            p("regional_minimum_wage_4", "2026-01-01", 3_700_000),
            p("regional_minimum_wage_2", "2024-07-01", 4_410_000),
            p("regional_minimum_wage_3", "2024-07-01", 3_860_000),
            p("regional_minimum_wage_4", "2024-07-01", 3_450_000),
            p("pension_employee_rate", "2016-01-01", 800),
            p("pension_employer_rate", "2016-01-01", 1400),
            p("sickness_employer_rate", "2016-01-01", 300),
            p("accident_employer_rate", "2016-01-01", 50),
            p("unemployment_employee_rate", "2016-01-01", 100),
            p("unemployment_employer_rate", "2016-01-01", 100),
            p("health_employee_rate", "2016-01-01", 150),
            p("health_employer_rate", "2016-01-01", 300),
            p("si_ceiling_multiple", "2016-01-01", 20),
            p("ui_ceiling_multiple", "2016-01-01", 20),
            p("late_interest_daily", "2016-01-01", 3),
        ])
    }

    fn region(n: i32) -> Region {
        Region::new(n).unwrap()
    }

    #[test]
    fn example_6_compulsory_contributions_on_60_million_in_august_2026() {
        let at = policy().at(day("2026-08-01")).unwrap();
        let funds = compulsory(60_000_000, region(1), &at);
        assert_eq!(funds.pension_employee, 4_048_000);
        assert_eq!(funds.pension_employer, 7_084_000);
        assert_eq!(funds.sickness_employer, 1_518_000);
        assert_eq!(funds.accident_employer, 253_000);
        assert_eq!(funds.health_employee, 759_000);
        assert_eq!(funds.health_employer, 1_518_000);
        assert_eq!(funds.unemployment_employee, 600_000);
        assert_eq!(funds.unemployment_employer, 600_000);
        assert_eq!(funds.employee(), 5_407_000);
        assert_eq!(funds.employer(), 10_973_000);
    }

    #[test]
    fn the_ceiling_follows_the_base_salary_of_the_month() {
        let policy = policy();
        let june = compulsory(
            60_000_000,
            region(1),
            &policy.at(day("2026-06-01")).unwrap(),
        );
        let july = compulsory(
            60_000_000,
            region(1),
            &policy.at(day("2026-07-01")).unwrap(),
        );
        assert_eq!(june.pension_employee, 8 * 468_000); // 8% × 46,800,000
        assert_eq!(july.pension_employee, 8 * 506_000); // 8% × 50,600,000
    }

    #[test]
    fn ui_is_capped_at_twenty_regional_minimum_wages() {
        let at = policy().at(day("2026-08-01")).unwrap();
        // Region IV: 20 × 3,700,000 = 74,000,000.
        let funds = compulsory(80_000_000, region(4), &at);
        assert_eq!(funds.unemployment_employee, 740_000);
        assert_eq!(funds.pension_employee, 4_048_000);
    }

    #[test]
    fn salaries_below_the_regional_minimum_are_refused() {
        let at = policy().at(day("2026-08-01")).unwrap();
        assert_eq!(check_salary(5_310_000, region(1), &at), Ok(()));
        assert_eq!(
            check_salary(5_309_999, region(1), &at),
            Err(SalaryProblem::BelowMinimumWage { minimum: 5_310_000 })
        );
        assert_eq!(check_salary(3_700_000, region(4), &at), Ok(()));
    }

    #[test]
    fn shares_round_to_the_nearest_dong() {
        assert_eq!(share(1_234_567, 150), 18_519); // 18,518.505
        assert_eq!(share(1_000_001, 50), 5_000); // 5,000.005
        assert_eq!(share(3, 5_000), 2); // 1.5 rounds up
    }

    #[test]
    fn a_month_is_due_at_the_end_of_the_next_month_and_owed_after() {
        let due = due_date(month("2026-01"));
        assert_eq!(due, day("2026-02-28"));
        assert_eq!(status(None, due, day("2026-02-28")), Status::Declared);
        assert_eq!(status(None, due, day("2026-03-01")), Status::Owed);
        assert_eq!(
            status(Some(day("2026-03-05")), due, day("2026-04-01")),
            Status::Paid
        );
    }

    #[test]
    fn payments_fill_the_oldest_months_first() {
        let months = [
            (month("2026-01"), 100),
            (month("2026-02"), 100),
            (month("2026-03"), 100),
        ];
        let allocated = allocate(
            &months,
            &[(day("2026-03-10"), 150), (day("2026-04-02"), 60)],
        );
        assert_eq!(
            allocated,
            vec![
                Allocated {
                    paid: 100,
                    paid_on: Some(day("2026-03-10"))
                },
                Allocated {
                    paid: 100,
                    paid_on: Some(day("2026-04-02"))
                },
                Allocated {
                    paid: 10,
                    paid_on: None
                },
            ]
        );
        assert_eq!(
            allocate(&months, &[])[0],
            Allocated {
                paid: 0,
                paid_on: None
            }
        );
    }

    #[test]
    fn late_interest_is_three_hundredths_of_a_percent_a_day() {
        let rates = [(day("2016-01-01"), 3)];
        // 10 days late on 10,000,000: 10 × 0.03% = 0.3% = 30,000.
        assert_eq!(
            late_interest(10_000_000, day("2026-02-28"), day("2026-03-10"), &rates),
            30_000
        );
        assert_eq!(
            late_interest(10_000_000, day("2026-02-28"), day("2026-02-28"), &rates),
            0
        );
        // A rate change in the span: 5 days at 3, 5 days at 5.
        let changed = [(day("2016-01-01"), 3), (day("2026-03-06"), 5)];
        assert_eq!(
            late_interest(10_000_000, day("2026-02-28"), day("2026-03-10"), &changed),
            40_000
        );
    }

    fn book(month_text: &str, unit: Option<&str>, salary: i64, paid: bool) -> BookMonth {
        let m = month(month_text);
        let funds = Funds {
            pension_employee: salary * 8 / 100,
            health_employee: salary * 15 / 1000,
            unemployment_employee: if unit.is_some() { salary / 100 } else { 0 },
            ..Funds::default()
        };
        BookMonth {
            month: m,
            employer: unit.map(|u| Payer {
                unit_code: u.into(),
                name: format!("Company {u}"),
            }),
            salary_basis: salary,
            funds,
            state_support: 0,
            due_date: due_date(m),
            paid_on: paid.then(|| due_date(m)),
        }
    }

    #[test]
    fn months_group_into_periods_by_payer_salary_and_continuity() {
        let months = vec![
            book("2024-01", Some("A"), 10_000_000, true),
            book("2024-02", Some("A"), 10_000_000, true),
            book("2024-03", Some("A"), 12_000_000, true),
            book("2024-04", Some("B"), 12_000_000, true),
            book("2024-06", Some("B"), 12_000_000, false),
            book("2024-07", None, 3_000_000, true),
        ];
        let periods = periods(&months, day("2026-01-01"));
        let shape: Vec<_> = periods
            .iter()
            .map(|p| {
                (
                    p.from.to_string(),
                    p.to.to_string(),
                    p.months,
                    p.owed_months,
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("2024-01".into(), "2024-02".into(), 2, 0),
                ("2024-03".into(), "2024-03".into(), 1, 0),
                ("2024-04".into(), "2024-04".into(), 1, 0),
                ("2024-06".into(), "2024-06".into(), 1, 1),
                ("2024-07".into(), "2024-07".into(), 1, 0),
            ]
        );
        assert_eq!(periods[4].scheme, "voluntary");
        assert_eq!(paid_months(&months, Funds::pays_pension), 5);
        assert_eq!(paid_months(&months, Funds::pays_unemployment), 4);
    }

    #[test]
    fn hi_continuity_survives_gaps_of_up_to_three_months() {
        let months = vec![
            book("2020-01", Some("A"), 10_000_000, true),
            book("2020-02", Some("A"), 10_000_000, true),
            // 2020-03 .. 2020-07: a gap of five months breaks continuity.
            book("2020-08", Some("A"), 10_000_000, true),
            // 2020-09 .. 2020-11: three months, still continuous.
            book("2020-12", Some("B"), 10_000_000, true),
            book("2021-01", Some("B"), 10_000_000, false),
        ];
        assert_eq!(
            hi_continuous_since(&months, day("2021-02-15")),
            Some(month("2020-08"))
        );
        // Four months after the last covered month, cover has lapsed.
        assert_eq!(
            hi_continuous_since(&months, day("2021-05-15")),
            Some(month("2020-08"))
        );
        assert_eq!(hi_continuous_since(&months, day("2021-06-15")), None);
    }
}
