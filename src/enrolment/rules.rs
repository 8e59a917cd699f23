//! Prices of voluntary social insurance and household health insurance (DOMAIN.md §5, §6.1,
//! Examples 1 and 2): pure functions of the inputs and the parameters in force on the date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::insurance_book::rules::share;
use crate::policy::{NotInForce, Policy};

/// Who the state supports, and how much (Decree 159/2025 Art. 5 from 1 Jul 2025; before it,
/// only poor, near-poor and everyone else). The highest applicable group applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SupportGroup {
    Poor,
    /// Living in an island commune or special zone.
    Island,
    NearPoor,
    EthnicMinority,
    Other,
}

impl SupportGroup {
    pub const ALL: [SupportGroup; 5] = [
        Self::Poor,
        Self::Island,
        Self::NearPoor,
        Self::EthnicMinority,
        Self::Other,
    ];

    /// The parameter holding the group's support rate.
    pub fn parameter(self) -> &'static str {
        match self {
            Self::Poor => "voluntary_support_poor",
            Self::Island => "voluntary_support_island",
            Self::NearPoor => "voluntary_support_near_poor",
            Self::EthnicMinority => "voluntary_support_ethnic_minority",
            Self::Other => "voluntary_support_other",
        }
    }

    /// The groups that exist on `date`.
    pub fn in_force(policy: &Policy, date: NaiveDate) -> Vec<SupportGroup> {
        Self::ALL
            .into_iter()
            .filter(|g| policy.row(g.parameter(), date).is_ok())
            .collect()
    }
}

/// How often contributions are paid (Art. 36(2)(a)–(d)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMode {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl PaymentMode {
    pub fn months(self) -> i64 {
        match self {
            Self::Monthly => 1,
            Self::Quarterly => 3,
            Self::HalfYearly => 6,
            Self::Yearly => 12,
        }
    }
}

/// A price of voluntary SI, line by line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoluntaryPrice {
    pub monthly_gross: i64,
    pub monthly_support: i64,
    pub monthly_payable: i64,
    pub months: i64,
    pub period_total: i64,
    pub rate: i64,
    pub support_rate: i64,
    pub poverty_line: i64,
    pub floor: i64,
    pub ceiling: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VoluntaryProblem {
    /// The income is outside the bounds in force.
    OutOfBounds {
        floor: i64,
        ceiling: i64,
    },
    /// The support group does not exist on that date.
    GroupNotInForce,
    NotInForce(NotInForce),
}

impl From<NotInForce> for VoluntaryProblem {
    fn from(error: NotInForce) -> Self {
        Self::NotInForce(error)
    }
}

/// Voluntary SI on `income` for a contribution on `on`: 22% of the income, less the state's
/// support of `rate × 22% × rural poverty line` (on the poverty line, not the income), between
/// the floor (the rural poverty line) and the ceiling (20 × base salary).
pub fn voluntary_si(
    income: i64,
    group: SupportGroup,
    mode: PaymentMode,
    on: NaiveDate,
    policy: &Policy,
) -> Result<VoluntaryPrice, VoluntaryProblem> {
    let poverty_line = policy.row("rural_poverty_line", on)?.value;
    let at = policy.at(on)?;
    let (floor, ceiling) = (poverty_line, at.si_ceiling());
    if income < floor || income > ceiling {
        return Err(VoluntaryProblem::OutOfBounds { floor, ceiling });
    }
    let support_rate = policy
        .row(group.parameter(), on)
        .map_err(|_| VoluntaryProblem::GroupNotInForce)?
        .value;
    let rate = policy.row("voluntary_rate", on)?.value;
    let monthly_gross = share(income, rate);
    let monthly_support = share(share(poverty_line, rate), support_rate);
    let monthly_payable = monthly_gross - monthly_support;
    Ok(VoluntaryPrice {
        monthly_gross,
        monthly_support,
        monthly_payable,
        months: mode.months(),
        period_total: monthly_payable * mode.months(),
        rate,
        support_rate,
        poverty_line,
        floor,
        ceiling,
    })
}

/// One household member's monthly amount: `rate` of `of` (the base salary for the first
/// member, the first member's amount for the others).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberShare {
    pub monthly: i64,
    pub rate: i64,
    pub of: i64,
}

/// The parameters of the household discount, for the second, third, fourth and later members.
pub const HOUSEHOLD_SHARES: [&str; 4] = [
    "household_hi_share_2",
    "household_hi_share_3",
    "household_hi_share_4",
    "household_hi_share_5",
];

/// Each household member's monthly amount, in the order of the discount (DOMAIN.md §6.1):
/// the first pays 4.5% of the base salary, the second 70% of that, the third 60%, the fourth
/// 50%, the fifth and later 40%.
pub fn household_hi(
    members: usize,
    on: NaiveDate,
    policy: &Policy,
) -> Result<Vec<MemberShare>, NotInForce> {
    let base = policy.at(on)?.base_salary;
    let rate = policy.row("household_hi_rate", on)?.value;
    let first = share(base, rate);
    let mut shares = [0; 4];
    for (slot, name) in shares.iter_mut().zip(HOUSEHOLD_SHARES) {
        *slot = policy.row(name, on)?.value;
    }
    Ok((0..members)
        .map(|i| match i {
            0 => MemberShare {
                monthly: first,
                rate,
                of: base,
            },
            i => {
                let rate = shares[(i - 1).min(3)];
                MemberShare {
                    monthly: share(first, rate),
                    rate,
                    of: first,
                }
            }
        })
        .collect())
}

/// Fixed-point scale of the compounding factors below (10^24): each step rounds to 10^-24, so
/// even 600 steps move the result by far less than half a đồng.
const FACTOR_SCALE: i128 = 1_000_000_000_000_000_000_000_000;

/// The most months the one-off payments below are computed for (50 years).
const MAX_ONE_OFF_MONTHS: i64 = 600;

/// Σ of the monthly factors at [`FACTOR_SCALE`]: `(1 + r)^i` for i = 1..=months (a surcharge,
/// mode (e)), or `1 / (1 + r)^(i − 1)` for i = 1..=months (a discount, mode (đ)); `r` is
/// `monthly_return_bp` basis points. `None` when the inputs are out of range.
fn factor_sum(months: i64, monthly_return_bp: i64, surcharge: bool) -> Option<i128> {
    if !(0..=MAX_ONE_OFF_MONTHS).contains(&months) || !(0..=10_000).contains(&monthly_return_bp) {
        return None;
    }
    let (up, down) = (10_000 + i128::from(monthly_return_bp), 10_000_i128);
    let (num, den) = if surcharge { (up, down) } else { (down, up) };
    let step = |factor: i128| Some((factor.checked_mul(num)? + den / 2) / den);
    let mut factor = if surcharge {
        step(FACTOR_SCALE)?
    } else {
        FACTOR_SCALE
    };
    let mut sum: i128 = 0;
    for _ in 0..months {
        sum = sum.checked_add(factor)?;
        factor = step(factor)?;
    }
    Some(sum)
}

/// `amount × factors`, rounded half up to the đồng once, at the end.
fn apply_factors(amount: i64, factors: i128) -> Option<i64> {
    let total = i128::from(amount).checked_mul(factors)?;
    i64::try_from((total + FACTOR_SCALE / 2) / FACTOR_SCALE).ok()
}

/// Mode (e) of Art. 36(2): one payment for the months still missing for a pension, with a
/// surcharge compounded monthly at the SI fund's monthly investment return `r` (Circular
/// 01/2016 style): T = Σ_{i=1..n} gross × (1 + r)^i. `None` when out of range.
pub fn missing_months_total(
    monthly_gross: i64,
    months: i64,
    monthly_return_bp: i64,
) -> Option<i64> {
    apply_factors(monthly_gross, factor_sum(months, monthly_return_bp, true)?)
}

/// Mode (đ) of Art. 36(2): one payment for many months ahead, discounted at the SI fund's
/// monthly investment return `r`: T = Σ_{i=1..n} payable / (1 + r)^(i − 1). `None` when out of
/// range.
pub fn advance_total(monthly_payable: i64, months: i64, monthly_return_bp: i64) -> Option<i64> {
    apply_factors(
        monthly_payable,
        factor_sum(months, monthly_return_bp, false)?,
    )
}

/// A one-off voluntary payment (modes (đ) and (e)), priced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOffPrice {
    pub months: i64,
    /// What one month would cost: the gross for mode (e), the payable for mode (đ).
    pub monthly: i64,
    /// The SI fund's monthly investment return used, basis points.
    pub monthly_return: i64,
    pub total: i64,
    /// The most months the mode allows.
    pub limit: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OneOffProblem {
    /// More months than the mode allows, or none.
    Months {
        limit: i64,
    },
    NotInForce(NotInForce),
}

impl From<NotInForce> for OneOffProblem {
    fn from(error: NotInForce) -> Self {
        Self::NotInForce(error)
    }
}

/// Mode (đ) priced with the figures in force on `on`: `months` (1 to the advance limit) of
/// `monthly_payable`, discounted.
pub fn advance_payment(
    monthly_payable: i64,
    months: i64,
    on: NaiveDate,
    policy: &Policy,
) -> Result<OneOffPrice, OneOffProblem> {
    let limit = policy.row("voluntary_advance_max_months", on)?.value;
    let monthly_return = policy.row("voluntary_monthly_return", on)?.value;
    if months < 1 || months > limit {
        return Err(OneOffProblem::Months { limit });
    }
    let total = advance_total(monthly_payable, months, monthly_return)
        .ok_or(OneOffProblem::Months { limit })?;
    Ok(OneOffPrice {
        months,
        monthly: monthly_payable,
        monthly_return,
        total,
        limit,
    })
}

/// Mode (e) priced with the figures in force on `on`: `months` missing months of
/// `monthly_gross`, with the surcharge. The price is given even beyond the limit of missing
/// months (`limit`), so a caller can show how far off it is.
pub fn missing_months_payment(
    monthly_gross: i64,
    months: i64,
    on: NaiveDate,
    policy: &Policy,
) -> Result<OneOffPrice, OneOffProblem> {
    let limit = policy
        .row("voluntary_lump_sum_max_missing_months", on)?
        .value;
    let monthly_return = policy.row("voluntary_monthly_return", on)?.value;
    let total = missing_months_total(monthly_gross, months, monthly_return)
        .filter(|_| months >= 1)
        .ok_or(OneOffProblem::Months { limit })?;
    Ok(OneOffPrice {
        months,
        monthly: monthly_gross,
        monthly_return,
        total,
        limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::shipped;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn example_1_near_poor_income_3_million_october_2025() {
        let price = voluntary_si(
            3_000_000,
            SupportGroup::NearPoor,
            PaymentMode::Yearly,
            day("2025-10-01"),
            &shipped(),
        )
        .unwrap();
        assert_eq!(price.monthly_gross, 660_000);
        assert_eq!(price.monthly_support, 132_000);
        assert_eq!(price.monthly_payable, 528_000);
        assert_eq!(price.period_total, 6_336_000);
        assert_eq!((price.floor, price.ceiling), (1_500_000, 46_800_000));
    }

    #[test]
    fn example_1_before_july_2025_near_poor_support_was_25_percent() {
        let price = voluntary_si(
            3_000_000,
            SupportGroup::NearPoor,
            PaymentMode::Monthly,
            day("2025-06-01"),
            &shipped(),
        )
        .unwrap();
        assert_eq!(price.monthly_support, 82_500);
        assert_eq!(price.monthly_payable, 577_500);
    }

    #[test]
    fn support_per_group_from_july_2025_on_the_poverty_line() {
        let policy = shipped();
        let support = |group| {
            voluntary_si(
                5_000_000,
                group,
                PaymentMode::Monthly,
                day("2025-07-01"),
                &policy,
            )
            .unwrap()
            .monthly_support
        };
        assert_eq!(
            SupportGroup::ALL.map(support),
            [165_000, 165_000, 132_000, 99_000, 66_000]
        );
        // Ethnic minorities and islands were not groups of their own before.
        assert_eq!(
            voluntary_si(
                5_000_000,
                SupportGroup::EthnicMinority,
                PaymentMode::Monthly,
                day("2025-06-30"),
                &policy
            ),
            Err(VoluntaryProblem::GroupNotInForce)
        );
        assert_eq!(
            SupportGroup::in_force(&policy, day("2025-06-30")),
            [
                SupportGroup::Poor,
                SupportGroup::NearPoor,
                SupportGroup::Other
            ]
        );
    }

    #[test]
    fn income_must_lie_between_the_poverty_line_and_twenty_base_salaries() {
        let policy = shipped();
        let price = |income, on: &str| {
            voluntary_si(
                income,
                SupportGroup::Other,
                PaymentMode::Monthly,
                day(on),
                &policy,
            )
        };
        assert!(price(1_500_000, "2026-08-01").is_ok());
        assert!(price(50_600_000, "2026-08-01").is_ok());
        assert_eq!(
            price(1_499_999, "2026-08-01"),
            Err(VoluntaryProblem::OutOfBounds {
                floor: 1_500_000,
                ceiling: 50_600_000
            })
        );
        assert_eq!(
            price(50_600_001, "2026-08-01"),
            Err(VoluntaryProblem::OutOfBounds {
                floor: 1_500_000,
                ceiling: 50_600_000
            })
        );
        // The ceiling follows the base salary of the date; the floor the poverty line of 2027.
        assert_eq!(
            price(46_800_001, "2026-06-30"),
            Err(VoluntaryProblem::OutOfBounds {
                floor: 1_500_000,
                ceiling: 46_800_000
            })
        );
        assert_eq!(
            price(2_000_000, "2027-01-01"),
            Err(VoluntaryProblem::OutOfBounds {
                floor: 2_200_000,
                ceiling: 50_600_000
            })
        );
    }

    #[test]
    fn example_2_household_of_four_before_and_after_july_2026() {
        let policy = shipped();
        let monthly = |on| -> Vec<i64> {
            household_hi(4, day(on), &policy)
                .unwrap()
                .iter()
                .map(|m| m.monthly)
                .collect()
        };
        let before = monthly("2026-06-01");
        assert_eq!(before, [105_300, 73_710, 63_180, 52_650]);
        assert_eq!(before.iter().sum::<i64>() * 12, 3_538_080);
        let after = monthly("2026-07-01");
        assert_eq!(after[0] * 12, 1_366_200);
        assert_eq!(after.iter().sum::<i64>() * 12, 3_825_360);
    }

    #[test]
    fn fifth_and_later_members_pay_forty_percent() {
        let monthly = |n| -> Vec<i64> {
            household_hi(n, day("2026-08-01"), &shipped())
                .unwrap()
                .iter()
                .map(|m| m.monthly)
                .collect()
        };
        let members = monthly(6);
        assert_eq!(members, [113_850, 79_695, 68_310, 56_925, 45_540, 45_540]);
        assert_eq!(monthly(1), [113_850]);
    }

    #[test]
    fn mode_e_surcharge_compounds_monthly_from_the_first_month() {
        // 1,000,000 × 1.0031 = 1,003,100; + 1,000,000 × 1.0031² = 1,006,209.61 → 2,009,309.61;
        // + 1,000,000 × 1.0031³ = 1,009,328.859791 → 3,018,638.469791.
        assert_eq!(missing_months_total(1_000_000, 1, 31), Some(1_003_100));
        assert_eq!(missing_months_total(1_000_000, 2, 31), Some(2_009_310));
        assert_eq!(missing_months_total(1_000_000, 3, 31), Some(3_018_638));
        // 12 months of 22% × 3,000,000: Σ 660,000 × 1.0031^i = 8,081,416.12…
        assert_eq!(missing_months_total(660_000, 12, 31), Some(8_081_416));
        assert_eq!(missing_months_total(660_000, 12, 0), Some(7_920_000));
        assert_eq!(missing_months_total(660_000, 0, 31), Some(0));
        assert_eq!(missing_months_total(660_000, 601, 31), None);
    }

    #[test]
    fn mode_d_discount_starts_at_the_second_month() {
        // 1,000,000 + 1,000,000 / 1.0031 = 1,996,909.58…; + 1,000,000 / 1.0031² → 2,990,738.29…
        assert_eq!(advance_total(1_000_000, 1, 31), Some(1_000_000));
        assert_eq!(advance_total(1_000_000, 2, 31), Some(1_996_910));
        assert_eq!(advance_total(1_000_000, 3, 31), Some(2_990_738));
        // Five years ahead at Example 1's 528,000 a month: 28,957,037.16…
        assert_eq!(advance_total(528_000, 60, 31), Some(28_957_037));
        assert_eq!(advance_total(528_000, 60, 0), Some(31_680_000));
    }

    #[test]
    fn one_off_payments_read_the_return_and_the_limits_in_force() {
        let policy = shipped();
        let on = day("2026-08-01");
        let ahead = advance_payment(528_000, 60, on, &policy).unwrap();
        assert_eq!(
            (ahead.total, ahead.monthly_return, ahead.limit),
            (28_957_037, 31, 60)
        );
        assert_eq!(
            advance_payment(528_000, 61, on, &policy),
            Err(OneOffProblem::Months { limit: 60 })
        );
        assert_eq!(
            advance_payment(528_000, 0, on, &policy),
            Err(OneOffProblem::Months { limit: 60 })
        );
        let missing = missing_months_payment(660_000, 12, on, &policy).unwrap();
        assert_eq!((missing.total, missing.limit), (8_081_416, 60));
        // No investment return is on record before 2026.
        assert!(matches!(
            missing_months_payment(660_000, 12, day("2025-12-31"), &policy),
            Err(OneOffProblem::NotInForce(_))
        ));
    }
}
