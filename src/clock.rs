//! The clock every time-based rule reads: handlers take "now" from here, never from the system
//! directly, so tests can move time (session timeouts, throttling windows, token expiry).

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// A UTC instant as stored in the database (naive, UTC by convention, microsecond precision:
/// PostgreSQL keeps microseconds, so finer values would differ between backends).
pub type Timestamp = NaiveDateTime;

/// Vietnam's offset from UTC (no daylight saving): people type and read times in it.
pub const VIETNAM_OFFSET_HOURS: i64 = 7;

/// A stored UTC instant as Vietnam reads it.
pub fn in_vietnam(at: Timestamp) -> NaiveDateTime {
    at + chrono::Duration::hours(VIETNAM_OFFSET_HOURS)
}

#[derive(Debug, Default)]
pub struct Clock {
    /// Seconds added to the system time; only tests change it.
    offset_seconds: AtomicI64,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now(&self) -> Timestamp {
        let offset = chrono::Duration::seconds(self.offset_seconds.load(Ordering::Relaxed));
        (Utc::now().naive_utc() + offset).trunc_subsecs(6)
    }

    /// A clock that reads `start` now and runs on from there (tests pin the date rules see).
    pub fn starting_at(start: Timestamp) -> Self {
        let offset = start - Utc::now().naive_utc();
        Self {
            offset_seconds: AtomicI64::new(offset.num_seconds()),
        }
    }

    /// Moves this clock forward (tests only; production never calls it).
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_seconds
            .fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}
