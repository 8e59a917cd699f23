//! Pure rules about sign-in: how long to back off after failed logins, when a session has
//! expired, which TOTP steps are acceptable. No clock or database here; callers pass the facts.

use std::time::Duration;

use crate::clock::Timestamp;

/// The longest a login is held back, however many failures (a soft lock, never a permanent one,
/// so an attacker cannot lock the real owner out for long: SECURITY.md AUTH-04).
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// How far back failed logins count.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

/// After `failures` failed logins, the wait before the next try is allowed: none for the first
/// `free` failures, then 1 s, 2 s, 4 s … doubling up to [`MAX_BACKOFF`].
pub fn login_backoff(failures: u32, free: u32) -> Duration {
    match failures.checked_sub(free) {
        None => Duration::ZERO,
        Some(over) => Duration::from_secs(1u64 << over.min(20)).min(MAX_BACKOFF),
    }
}

/// Whole seconds still to wait, if any, given the failures so far and when the last one was.
pub fn login_wait(
    failures: u32,
    last_failure: Option<Timestamp>,
    now: Timestamp,
    free: u32,
) -> Option<u64> {
    let last = last_failure?;
    let backoff = login_backoff(failures, free);
    let until = last + chrono::Duration::from_std(backoff).ok()?;
    // Rounded up: "try again in 0 s" would be wrong.
    (until > now).then(|| ((until - now).num_milliseconds() as u64).div_ceil(1000))
}

/// A session lives while it is used at least every `idle` and for at most `absolute` in all
/// (SECURITY.md SES-04).
pub fn session_is_live(
    created_at: Timestamp,
    last_seen_at: Timestamp,
    now: Timestamp,
    idle: Duration,
    absolute: Duration,
) -> bool {
    let within = |since: Timestamp, limit: Duration| {
        chrono::Duration::from_std(limit).is_ok_and(|limit| now - since <= limit)
    };
    within(last_seen_at, idle) && within(created_at, absolute)
}

/// RFC 6238 accepts one step of clock drift either way; a step already used is refused, so a
/// code cannot be replayed (SECURITY.md AUTH-06).
pub fn totp_step_acceptable(
    code_step: i64,
    current_step: i64,
    last_used_step: Option<i64>,
) -> bool {
    (code_step - current_step).abs() <= 1 && last_used_step.is_none_or(|used| code_step > used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(seconds: i64) -> Timestamp {
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap()
            + chrono::Duration::seconds(seconds)
    }

    #[test]
    fn backoff_starts_after_the_free_failures_and_doubles_up_to_fifteen_minutes() {
        let waits: Vec<u64> = (4..=9).map(|f| login_backoff(f, 5).as_secs()).collect();
        assert_eq!(waits, [0, 1, 2, 4, 8, 16]);
        assert_eq!(login_backoff(100, 5), MAX_BACKOFF);
    }

    #[test]
    fn wait_counts_down_from_the_last_failure() {
        // 8 failures with 5 free: 8 s from the last failure.
        assert_eq!(login_wait(8, Some(at(0)), at(0), 5), Some(8));
        assert_eq!(login_wait(8, Some(at(0)), at(7), 5), Some(1));
        assert_eq!(login_wait(8, Some(at(0)), at(8), 5), None);
        assert_eq!(login_wait(4, Some(at(0)), at(0), 5), None);
    }

    #[test]
    fn sessions_end_when_idle_too_long_or_too_old() {
        let idle = Duration::from_secs(15 * 60);
        let absolute = Duration::from_secs(12 * 3600);
        assert!(session_is_live(at(0), at(0), at(14 * 60), idle, absolute));
        assert!(!session_is_live(at(0), at(0), at(16 * 60), idle, absolute));
        assert!(session_is_live(
            at(0),
            at(12 * 3600 - 60),
            at(12 * 3600),
            idle,
            absolute
        ));
        assert!(!session_is_live(
            at(0),
            at(12 * 3600),
            at(12 * 3600 + 1),
            idle,
            absolute
        ));
    }

    #[test]
    fn totp_codes_are_single_use_within_one_step_of_drift() {
        assert!(totp_step_acceptable(100, 100, None));
        assert!(totp_step_acceptable(99, 100, Some(98)));
        assert!(!totp_step_acceptable(98, 100, None));
        assert!(!totp_step_acceptable(100, 100, Some(100)));
    }
}
