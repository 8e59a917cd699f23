//! The payment schedule of an approved registration (pure): which months each instalment
//! covers, when it falls due (Art. 36(3)), and how many of its months still carry the state's
//! support under the per-person cap.

use chrono::NaiveDate;

use super::rules::PaymentMode;
use crate::insurance_book::model::Month;

/// How far ahead a voluntary schedule is laid out; the next year is added when it is paid.
pub const HORIZON_MONTHS: u32 = 12;

/// One instalment's months and due date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub first_month: Month,
    pub months: u32,
    pub due_date: NaiveDate,
}

/// Art. 36(3): monthly within the month; every 3 months within those 3 months; every 6 months
/// within the first 4; every 12 months within the first 7.
pub fn due_date(mode: PaymentMode, first: Month) -> NaiveDate {
    let within = match mode {
        PaymentMode::Monthly => 1,
        PaymentMode::Quarterly => 3,
        PaymentMode::HalfYearly => 4,
        PaymentMode::Yearly => 7,
    };
    first.plus(within - 1).last_day()
}

/// Instalments covering `total` months from `start`, one per payment period.
pub fn slots(mode: PaymentMode, start: Month, total: u32) -> Vec<Slot> {
    let step = mode.months() as u32;
    (0..total)
        .step_by(step as usize)
        .map(|offset| {
            let first_month = start.plus(offset);
            Slot {
                first_month,
                months: step.min(total - offset),
                due_date: due_date(mode, first_month),
            }
        })
        .collect()
}

/// How many of `months` months can still carry support when `used` supported months are behind
/// the person and the cap in force is `cap` (no cap row on the date: no limit).
pub fn supported_months(months: u32, used: i64, cap: Option<i64>) -> u32 {
    match cap {
        None => months,
        Some(cap) => {
            let left = (cap - used).clamp(0, i64::from(months));
            u32::try_from(left).unwrap_or(0)
        }
    }
}

/// What an instalment costs: every month at the gross rate, less support on the supported ones.
pub fn instalment_amount(
    monthly_gross: i64,
    monthly_support: i64,
    months: u32,
    supported: u32,
) -> i64 {
    monthly_gross * i64::from(months) - monthly_support * i64::from(supported)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn due_dates_follow_article_36_3() {
        let jan = month("2026-01");
        assert_eq!(due_date(PaymentMode::Monthly, jan), date("2026-01-31"));
        assert_eq!(due_date(PaymentMode::Quarterly, jan), date("2026-03-31"));
        assert_eq!(due_date(PaymentMode::HalfYearly, jan), date("2026-04-30"));
        assert_eq!(due_date(PaymentMode::Yearly, jan), date("2026-07-31"));
        // Across a year end and into a leap February.
        assert_eq!(
            due_date(PaymentMode::Quarterly, month("2027-12")),
            date("2028-02-29")
        );
    }

    #[test]
    fn slots_cover_the_horizon_in_payment_periods() {
        let start = month("2026-12");
        let quarterly = slots(PaymentMode::Quarterly, start, HORIZON_MONTHS);
        assert_eq!(quarterly.len(), 4);
        assert_eq!(quarterly[1].first_month, month("2027-03"));
        assert_eq!(quarterly[3].due_date, date("2027-11-30"));
        assert!(quarterly.iter().all(|s| s.months == 3));
        assert_eq!(slots(PaymentMode::Monthly, start, HORIZON_MONTHS).len(), 12);
        let yearly = slots(PaymentMode::Yearly, start, HORIZON_MONTHS);
        assert_eq!((yearly.len(), yearly[0].months), (1, 12));
        // A horizon that is not a whole number of periods ends with a short one.
        let odd = slots(PaymentMode::HalfYearly, start, 8);
        assert_eq!(odd.iter().map(|s| s.months).collect::<Vec<_>>(), [6, 2]);
    }

    #[test]
    fn support_stops_at_the_cap() {
        assert_eq!(supported_months(12, 0, Some(120)), 12);
        assert_eq!(supported_months(12, 110, Some(120)), 10);
        assert_eq!(supported_months(12, 120, Some(120)), 0);
        assert_eq!(supported_months(12, 130, Some(120)), 0);
        assert_eq!(supported_months(12, 500, None), 12);
        // The cap is a dated parameter (V1): none before Decree 159/2025, 120 months from it.
        let policy = crate::policy::shipped();
        assert!(
            policy
                .row("voluntary_support_max_months", date("2025-06-30"))
                .is_err()
        );
        assert_eq!(
            policy
                .row("voluntary_support_max_months", date("2025-07-01"))
                .map(|p| p.value),
            Ok(120)
        );
        // Example 1 (near-poor, Oct 2025): 12 × 660,000 − 12 × 132,000 = 6,336,000; with only
        // 10 supported months left, the last two are paid in full.
        assert_eq!(instalment_amount(660_000, 132_000, 12, 12), 6_336_000);
        assert_eq!(instalment_amount(660_000, 132_000, 12, 10), 6_600_000);
    }
}
