//! Working days: legal time limits (VSS decides "within 7 working days") skip Saturdays,
//! Sundays and the public holidays of the `public_holidays` table (Labour Code 45/2019/QH14
//! Art. 112, with the compensating days of Art. 112(3) and the Tết days the Prime Minister
//! chooses each year).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::public_holidays;

/// A working day: Monday to Friday and not a public holiday. Public-sector swaps (a Saturday
/// worked in exchange for a day off) are not modelled: Saturdays are always off.
pub fn is_working_day(day: NaiveDate, holidays: &BTreeSet<NaiveDate>) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&day)
}

/// The day on which a time limit of `days` working days from `start` ends. The count starts the
/// day after `start` (a dossier filed on Monday with 1 working day is due on Tuesday); `days` = 0
/// gives `start`.
pub fn add_working_days(start: NaiveDate, days: u32, holidays: &BTreeSet<NaiveDate>) -> NaiveDate {
    let mut day = start;
    let mut counted = 0;
    while counted < days {
        match day.succ_opt() {
            Some(next) => day = next,
            None => return day,
        }
        if is_working_day(day, holidays) {
            counted += 1;
        }
    }
    day
}

/// Working days from `from` to `to`, both included (0 when `to` is before `from`): e.g. the
/// days of a sick leave.
pub fn working_days_between(from: NaiveDate, to: NaiveDate, holidays: &BTreeSet<NaiveDate>) -> u32 {
    from.iter_days()
        .take_while(|day| *day <= to)
        .filter(|day| is_working_day(*day, holidays))
        .count() as u32
}

/// The public holidays from `from` to `to`, both included.
pub fn holidays_between(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<BTreeSet<NaiveDate>> {
    let days: Vec<NaiveDate> = public_holidays::table
        .filter(public_holidays::day.ge(from))
        .filter(public_holidays::day.le(to))
        .select(public_holidays::day)
        .load(conn)?;
    Ok(days.into_iter().collect())
}

/// The holidays the migration ships, for unit tests: the days under test are exactly the ones
/// the database gets.
#[cfg(test)]
pub fn shipped_holidays() -> BTreeSet<NaiveDate> {
    include_str!("../../migrations/postgres/2026-11-30-000004_public_holidays/up.sql")
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("('"))
        .map(|line| line[2..12].parse().expect("a date"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_shipped_table_holds_the_fixed_holidays_of_each_year() {
        let holidays = shipped_holidays();
        for year in 2025..=2027 {
            for (month, date) in [(1, 1), (4, 30), (5, 1), (9, 2)] {
                let holiday = NaiveDate::from_ymd_opt(year, month, date).unwrap();
                assert!(holidays.contains(&holiday), "{holiday}");
            }
        }
        assert_eq!(holidays.len(), 39);
    }

    #[test]
    fn a_deadline_skips_weekends() {
        let none = BTreeSet::new();
        // Filed on Friday 6 Nov 2026: Mon–Fri of the next week are working days 1–5.
        assert_eq!(
            add_working_days(day("2026-11-06"), 1, &none),
            day("2026-11-09")
        );
        assert_eq!(
            add_working_days(day("2026-11-06"), 5, &none),
            day("2026-11-13")
        );
        // Filed on a Wednesday: 7 working days end on the Friday of the next week.
        assert_eq!(
            add_working_days(day("2026-11-04"), 7, &none),
            day("2026-11-13")
        );
        // Filed on a Saturday: the count starts on Monday.
        assert_eq!(
            add_working_days(day("2026-11-07"), 1, &none),
            day("2026-11-09")
        );
        assert_eq!(
            add_working_days(day("2026-11-04"), 0, &none),
            day("2026-11-04")
        );
    }

    #[test]
    fn a_deadline_skips_tet() {
        let holidays = shipped_holidays();
        // Filed Friday 13 Feb 2026: Tết is Mon 16 – Fri 20 Feb, so working day 1 is Mon 23 Feb
        // and 7 working days end on Tue 3 Mar (without the table: Tue 24 Feb).
        assert_eq!(
            add_working_days(day("2026-02-13"), 1, &holidays),
            day("2026-02-23")
        );
        assert_eq!(
            add_working_days(day("2026-02-13"), 7, &holidays),
            day("2026-03-03")
        );
        assert_eq!(
            add_working_days(day("2026-02-13"), 7, &BTreeSet::new()),
            day("2026-02-24")
        );
        // Tết 2025: Mon 27 – Fri 31 Jan.
        assert_eq!(
            add_working_days(day("2025-01-24"), 1, &holidays),
            day("2025-02-03")
        );
    }

    #[test]
    fn a_deadline_spanning_30_april_and_1_may_skips_both() {
        let holidays = shipped_holidays();
        // Filed Tue 28 Apr 2026: Wed 29 (1), Thu 30 Apr and Fri 1 May off, Mon 4 May (2) … the
        // 5th working day is Thu 7 May.
        assert_eq!(
            add_working_days(day("2026-04-28"), 1, &holidays),
            day("2026-04-29")
        );
        assert_eq!(
            add_working_days(day("2026-04-28"), 2, &holidays),
            day("2026-05-04")
        );
        assert_eq!(
            add_working_days(day("2026-04-28"), 5, &holidays),
            day("2026-05-07")
        );
        // 2026: the Hùng Kings' day falls on Sunday 26 Apr; Mon 27 Apr is the compensating day.
        assert_eq!(
            add_working_days(day("2026-04-24"), 1, &holidays),
            day("2026-04-28")
        );
        // 2027: 1 May is a Saturday, so Monday 3 May is off too.
        assert_eq!(
            add_working_days(day("2027-04-29"), 1, &holidays),
            day("2027-05-04")
        );
    }

    #[test]
    fn the_store_reads_the_migrated_holidays_of_a_span() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/holidays.db", dir.path().display());
        let mut conn = crate::db::Manager::new(&url).unwrap().open().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let spring = holidays_between(&mut conn, day("2026-04-01"), day("2026-05-01")).unwrap();
        let expected: BTreeSet<NaiveDate> =
            ["2026-04-26", "2026-04-27", "2026-04-30", "2026-05-01"]
                .into_iter()
                .map(day)
                .collect();
        assert_eq!(spring, expected);
        let all = holidays_between(&mut conn, day("2025-01-01"), day("2027-12-31")).unwrap();
        assert_eq!(all, shipped_holidays());
    }

    #[test]
    fn working_days_between_count_both_ends_and_skip_days_off() {
        let holidays = shipped_holidays();
        assert_eq!(
            working_days_between(day("2026-11-02"), day("2026-11-06"), &holidays),
            5
        );
        assert_eq!(
            working_days_between(day("2026-11-02"), day("2026-11-08"), &holidays),
            5
        );
        assert_eq!(
            working_days_between(day("2026-04-27"), day("2026-05-03"), &holidays),
            2
        );
        assert_eq!(
            working_days_between(day("2026-11-06"), day("2026-11-02"), &holidays),
            0
        );
    }
}
