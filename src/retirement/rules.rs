//! Pure rules of the retirement planner (DOMAIN.md §7.6, Example 5): the retirement age of the
//! roadmap (Labour Code Art. 169), the pension rate (SI Law 2024 Art. 66, 99), the months that
//! count, the gaps in a record, and the average salary basis.

use chrono::{Months, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::insurance_book::model::Month;
use crate::insurance_book::rules::{BookMonth, Status, status};

/// The minimum insured time for a pension: 15 years (Art. 64(1), 98(1)).
pub const MINIMUM_MONTHS: u32 = 15 * 12;

/// The highest pension rate, 75% (Art. 66(1)).
pub const MAXIMUM_RATE: i64 = 7_500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// The `people.sex` column.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "male" => Some(Self::Male),
            "female" => Some(Self::Female),
            _ => None,
        }
    }

    /// The parameter holding the retirement age (in months of age) by the year it is reached.
    pub fn age_parameter(self) -> &'static str {
        match self {
            Self::Male => "retirement_age_men_months",
            Self::Female => "retirement_age_women_months",
        }
    }
}

/// When the retirement age is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetirementAge {
    /// The age required, in months (e.g. 741 = 61 years 9 months).
    pub age_months: i64,
    /// The day that age is reached.
    pub reached_on: NaiveDate,
    /// The day the roadmap row applied takes effect.
    pub row_from: NaiveDate,
}

/// The earliest day the person is old enough: the first day on which their age is at least the
/// age required on that day. The required age depends on the year it is reached (Labour Code
/// Art. 169(2)): a man born in March 1966 is 61y6m in September 2027, but 2027 asks for 61y9m,
/// so he reaches it in December 2027. `roadmap` is (effective from, age in months), in date
/// order, as `Policy::history` gives it.
pub fn retirement_age(birth: NaiveDate, roadmap: &[(NaiveDate, i64)]) -> Option<RetirementAge> {
    for (i, &(from, age_months)) in roadmap.iter().enumerate() {
        let reached = birth.checked_add_months(Months::new(u32::try_from(age_months).ok()?))?;
        let until = roadmap.get(i + 1).map(|&(next, _)| next);
        if until.is_none_or(|next| reached < next) {
            return Some(RetirementAge {
                age_months,
                reached_on: reached.max(from),
                row_from: from,
            });
        }
    }
    None
}

/// How a pension rate is made up (Art. 66(1); leftover months Art. 5(6), Example 5 step 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PensionRate {
    /// Whole years of insured time and the months left over.
    pub years: u32,
    pub leftover_months: u32,
    /// The years counted, in half years: leftover 1–6 months count ½ year, 7–11 a whole year.
    pub counted_half_years: u32,
    /// The rate for the base years (45%, or 40% for men with 15 to under 20 years).
    pub base_rate: i64,
    pub base_years: u32,
    /// What each extra year adds (2%, or 1% for men under 20 years).
    pub per_year: i64,
    /// Before the 75% cap.
    pub uncapped: i64,
    /// The rate, basis points.
    pub rate: i64,
}

/// The pension rate for `months` of insured time, `None` under 15 years. Women: 45% for 15
/// years, +2% per extra year. Men: 45% for 20 years, +2% per extra year; from 15 to under 20
/// years 40% at 15 and +1% per extra year. At most 75%.
pub fn pension_rate(months: u32, sex: Sex) -> Option<PensionRate> {
    if months < MINIMUM_MONTHS {
        return None;
    }
    let (years, leftover_months) = (months / 12, months % 12);
    let leftover_halves = match leftover_months {
        0 => 0,
        1..=6 => 1,
        _ => 2,
    };
    let counted_half_years = years * 2 + leftover_halves;
    let (base_rate, base_years, per_year) = match sex {
        Sex::Female => (4_500, 15, 200),
        Sex::Male if years >= 20 => (4_500, 20, 200),
        Sex::Male => (4_000, 15, 100),
    };
    let extra_halves = i64::from(counted_half_years - base_years * 2);
    let uncapped = base_rate + extra_halves * per_year / 2;
    Some(PensionRate {
        years,
        leftover_months,
        counted_half_years,
        base_rate,
        base_years,
        per_year,
        uncapped,
        rate: uncapped.min(MAXIMUM_RATE),
    })
}

/// Distinct months that pay into the pension fund and are paid.
pub fn paid_pension_months(months: &[BookMonth]) -> Vec<Month> {
    let mut paid: Vec<Month> = months
        .iter()
        .filter(|m| m.paid_on.is_some() && m.funds.pays_pension())
        .map(|m| m.month)
        .collect();
    paid.dedup();
    paid
}

/// Paid pension months by scheme: (compulsory, voluntary). A month with both counts as
/// compulsory, so the two add up to the distinct months.
pub fn months_by_scheme(months: &[BookMonth]) -> (u32, u32) {
    let paid = paid_pension_months(months);
    let compulsory = paid
        .iter()
        .filter(|month| {
            months.iter().any(|m| {
                m.month == **month
                    && m.employer.is_some()
                    && m.paid_on.is_some()
                    && m.funds.pays_pension()
            })
        })
        .count() as u32;
    (compulsory, paid.len() as u32 - compulsory)
}

/// The salary bases of the paid pension months: (sum, months); two payers in one month add up
/// and count as one month.
pub fn salary_bases(months: &[BookMonth]) -> (i64, i64) {
    let mut per_month: Vec<(Month, i64)> = Vec::new();
    for m in months
        .iter()
        .filter(|m| m.paid_on.is_some() && m.funds.pays_pension())
    {
        match per_month.last_mut() {
            Some((month, total)) if *month == m.month => *total += m.salary_basis,
            _ => per_month.push((m.month, m.salary_basis)),
        }
    }
    (
        per_month.iter().map(|(_, v)| *v).sum(),
        per_month.len() as i64,
    )
}

/// The average monthly salary basis of the paid pension months, rounded half up. Not
/// CPI-adjusted: an estimate, not the VSS figure (Art. 72, 104).
pub fn average_salary_basis(months: &[BookMonth]) -> i64 {
    let (total, count) = salary_bases(months);
    average(total, count)
}

/// `total / count` rounded half up; 0 for no months.
pub fn average(total: i64, count: i64) -> i64 {
    if count <= 0 {
        0
    } else {
        (total * 2 + count).div_euclid(count * 2)
    }
}

/// A run of months without a paid pension contribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Gap {
    pub from: Month,
    pub to: Month,
    pub months: u32,
    /// Months of the gap an employer declared but has not paid after the deadline: they fill
    /// in once the employer pays.
    pub owed_months: u32,
}

/// The gaps between the first pension month of the record and `through` (the last month that
/// should have been paid by now): runs of months with no paid pension contribution. A month
/// declared and not yet due is not a gap.
pub fn gaps(months: &[BookMonth], through: Month, today: NaiveDate) -> Vec<Gap> {
    let pension: Vec<&BookMonth> = months.iter().filter(|m| m.funds.pays_pension()).collect();
    let Some(first) = pension.first().map(|m| m.month) else {
        return Vec::new();
    };
    let mut out: Vec<Gap> = Vec::new();
    let mut month = first;
    while month <= through {
        let rows = pension.iter().filter(|m| m.month == month);
        let statuses: Vec<Status> = rows.map(|m| status(m.paid_on, m.due_date, today)).collect();
        let covered = statuses
            .iter()
            .any(|s| matches!(s, Status::Paid | Status::Declared));
        if !covered {
            let owed = u32::from(statuses.contains(&Status::Owed));
            match out.last_mut() {
                Some(gap) if gap.to.next() == month => {
                    gap.to = month;
                    gap.months += 1;
                    gap.owed_months += owed;
                }
                _ => out.push(Gap {
                    from: month,
                    to: month,
                    months: 1,
                    owed_months: owed,
                }),
            }
        }
        month = month.next();
    }
    out
}

/// Months from `from` to `to`, both included; 0 when `to` is before `from`.
pub fn months_between(from: Month, to: Month) -> u32 {
    u32::try_from(from.months_until(to) + 1).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insurance_book::rules::{Funds, Payer, due_date};
    use crate::policy::shipped;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn rate(years: u32, months: u32, sex: Sex) -> Option<i64> {
        pension_rate(years * 12 + months, sex).map(|r| r.rate)
    }

    #[test]
    fn example_5_woman_with_22_years_gets_59_percent_and_5_900_000() {
        let r = pension_rate(22 * 12, Sex::Female).unwrap();
        assert_eq!((r.base_rate, r.base_years, r.per_year), (4_500, 15, 200));
        assert_eq!(r.rate, 5_900);
        assert_eq!(
            crate::insurance_book::rules::share(10_000_000, r.rate),
            5_900_000
        );
    }

    #[test]
    fn example_5_men_with_22_and_17_years() {
        assert_eq!(rate(22, 0, Sex::Male), Some(4_900));
        assert_eq!(rate(17, 0, Sex::Male), Some(4_200));
        assert_eq!(rate(15, 0, Sex::Male), Some(4_000));
        assert_eq!(rate(20, 0, Sex::Male), Some(4_500));
    }

    #[test]
    fn example_5_leftover_months_count_half_a_year_up_to_six_and_a_year_from_seven() {
        assert_eq!(rate(22, 1, Sex::Female), Some(6_000));
        assert_eq!(rate(22, 6, Sex::Female), Some(6_000));
        assert_eq!(rate(22, 7, Sex::Female), Some(6_100));
        assert_eq!(rate(22, 11, Sex::Female), Some(6_100));
        // Men under 20 years: half a year is half of 1%.
        assert_eq!(rate(17, 3, Sex::Male), Some(4_250));
        assert_eq!(rate(19, 7, Sex::Male), Some(4_500));
        assert_eq!(rate(21, 4, Sex::Male), Some(4_800));
    }

    #[test]
    fn under_15_years_there_is_no_pension_and_the_rate_stops_at_75_percent() {
        assert_eq!(rate(14, 11, Sex::Female), None);
        assert_eq!(rate(14, 11, Sex::Male), None);
        assert_eq!(rate(15, 0, Sex::Female), Some(4_500));
        assert_eq!(rate(30, 0, Sex::Female), Some(7_500));
        assert_eq!(rate(34, 0, Sex::Female), Some(7_500));
        assert_eq!(pension_rate(34 * 12, Sex::Female).unwrap().uncapped, 8_300);
        assert_eq!(rate(35, 0, Sex::Male), Some(7_500));
        assert_eq!(rate(34, 6, Sex::Male), Some(7_400));
    }

    fn reached(birth: &str, sex: Sex) -> (i64, NaiveDate) {
        let roadmap = shipped().history(sex.age_parameter());
        let age = retirement_age(day(birth), &roadmap).unwrap();
        (age.age_months, age.reached_on)
    }

    #[test]
    fn the_age_required_is_the_one_of_the_year_it_is_reached() {
        // Born March 1966: 61y6m (2026's age) would be Sep 2027, but 2027 asks 61y9m.
        assert_eq!(reached("1966-03-15", Sex::Male), (741, day("2027-12-15")));
        // Born June 1965: 61y6m falls in Dec 2026, still 2026.
        assert_eq!(reached("1965-06-10", Sex::Male), (738, day("2026-12-10")));
        // Born July 1965: 61y6m would be Jan 2027, so 61y9m, Apr 2027.
        assert_eq!(reached("1965-07-10", Sex::Male), (741, day("2027-04-10")));
        // From 2028 on, 62 for men.
        assert_eq!(reached("1990-05-17", Sex::Male), (744, day("2052-05-17")));
        // Before the roadmap: 60.
        assert_eq!(reached("1958-02-01", Sex::Male), (720, day("2018-02-01")));
    }

    #[test]
    fn women_reach_57_in_2026_and_60_from_2035() {
        // Example 5: a woman retiring at the legal age in 2026 is 57y0m.
        assert_eq!(reached("1969-12-20", Sex::Female), (684, day("2026-12-20")));
        // Born January 1970: 57y0m would be Jan 2027, which asks 57y4m.
        assert_eq!(reached("1970-01-05", Sex::Female), (688, day("2027-05-05")));
        assert_eq!(reached("1980-01-01", Sex::Female), (720, day("2040-01-01")));
        // 58y0m (2029's age) would be Aug 2030, which asks 58y4m; a month's last day stays last.
        assert_eq!(reached("1972-08-31", Sex::Female), (700, day("2030-12-31")));
    }

    fn paid(text: &str, employer: bool, salary: i64) -> BookMonth {
        let month = month(text);
        BookMonth {
            month,
            employer: employer.then(|| Payer {
                unit_code: "TE0001A".into(),
                name: "Công ty".into(),
            }),
            salary_basis: salary,
            funds: Funds {
                pension_employee: salary * 8 / 100,
                pension_employer: if employer { salary * 14 / 100 } else { 0 },
                ..Funds::default()
            },
            state_support: 0,
            due_date: due_date(month),
            paid_on: Some(due_date(month)),
        }
    }

    fn unpaid(text: &str) -> BookMonth {
        BookMonth {
            paid_on: None,
            ..paid(text, true, 10_000_000)
        }
    }

    #[test]
    fn gaps_are_runs_of_months_without_a_paid_contribution() {
        let book = vec![
            paid("2020-01", true, 10_000_000),
            paid("2020-02", true, 10_000_000),
            // Mar–May 2020: nothing.
            paid("2020-06", false, 3_000_000),
            unpaid("2020-07"),
            paid("2020-08", true, 10_000_000),
            // Sep 2020 → Nov 2020 (the "through" month): nothing.
        ];
        let gaps = gaps(&book, month("2020-11"), day("2026-11-30"));
        assert_eq!(
            gaps,
            vec![
                Gap {
                    from: month("2020-03"),
                    to: month("2020-05"),
                    months: 3,
                    owed_months: 0
                },
                Gap {
                    from: month("2020-07"),
                    to: month("2020-07"),
                    months: 1,
                    owed_months: 1
                },
                Gap {
                    from: month("2020-09"),
                    to: month("2020-11"),
                    months: 3,
                    owed_months: 0
                },
            ]
        );
        // A month declared and not yet due is not a gap.
        let pending = vec![paid("2026-09", true, 1), unpaid("2026-10")];
        assert_eq!(
            super::gaps(&pending, month("2026-10"), day("2026-11-15")),
            vec![]
        );
        assert_eq!(
            super::gaps(&[], month("2026-10"), day("2026-11-15")),
            vec![]
        );
    }

    #[test]
    fn months_and_averages_count_each_paid_month_once() {
        let mut book = vec![
            paid("2020-01", true, 10_000_000),
            paid("2020-01", false, 2_000_000),
            paid("2020-02", false, 3_000_000),
            unpaid("2020-03"),
        ];
        book.sort_by_key(|m| m.month);
        assert_eq!(paid_pension_months(&book).len(), 2);
        assert_eq!(months_by_scheme(&book), (1, 1));
        // (12,000,000 + 3,000,000) / 2
        assert_eq!(average_salary_basis(&book), 7_500_000);
        assert_eq!(average(10, 3), 3);
        assert_eq!(average(5, 2), 3);
        assert_eq!(average(0, 0), 0);
        assert_eq!(months_between(month("2026-11"), month("2027-12")), 14);
        assert_eq!(months_between(month("2026-11"), month("2026-10")), 0);
    }
}
