//! The outbox worker: delivers queued email, retrying with exponential backoff.
//!
//! Each row is *leased* by a conditional update before sending, so two nodes (or a restarted
//! node) never send the same row at the same time; a row whose sender died mid-send is picked up
//! again when its lease runs out. Delivery is at least once, with a stable Message-ID per row;
//! a sent row keeps its envelope but loses its body (links in it are secrets).

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use tokio::sync::watch;

use super::transport::{Outgoing, Transport};
use crate::clock::{Clock, Timestamp};
use crate::db::Db;
use crate::db::schema::outbox;
use crate::error::AppError;

const BATCH: i64 = 20;
const LEASE: Duration = Duration::from_secs(60);
const MAX_BACKOFF: Duration = Duration::from_secs(60 * 60);

/// Wait before retry number `attempts` (1-based): 10 s, 20 s, 40 s … up to an hour.
pub fn retry_backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(16);
    Duration::from_secs(10u64 << exponent).min(MAX_BACKOFF)
}

pub struct Worker {
    pub db: Db,
    pub clock: Arc<Clock>,
    pub transport: Transport,
    pub from: String,
    pub poll: Duration,
}

impl Worker {
    /// Runs until `shutdown` turns true; a batch under way is finished first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(error) = self.deliver_due().await {
                tracing::warn!(%error, "outbox delivery round failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(self.poll) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
        }
        tracing::info!("outbox worker stopped");
    }

    /// Delivers every message that is due now; returns how many were sent.
    pub async fn deliver_due(&self) -> Result<usize, AppError> {
        let now = self.clock.now();
        let due: Vec<String> = self
            .db
            .read(move |conn| {
                Ok(outbox::table
                    .filter(outbox::sent_at.is_null())
                    .filter(outbox::next_attempt_at.le(now))
                    .filter(
                        outbox::leased_until
                            .is_null()
                            .or(outbox::leased_until.lt(now)),
                    )
                    .order(outbox::created_at.asc())
                    .limit(BATCH)
                    .select(outbox::id)
                    .load(conn)?)
            })
            .await?;
        let mut sent = 0;
        for id in due {
            if self.deliver(id).await? {
                sent += 1;
            }
        }
        Ok(sent)
    }

    async fn deliver(&self, id: String) -> Result<bool, AppError> {
        let now = self.clock.now();
        let lease_end = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
        let leased_id = id.clone();
        let message = self
            .db
            .write(move |conn| {
                let leased = diesel::update(
                    outbox::table
                        .find(&leased_id)
                        .filter(outbox::sent_at.is_null())
                        .filter(
                            outbox::leased_until
                                .is_null()
                                .or(outbox::leased_until.lt(now)),
                        ),
                )
                .set((
                    outbox::leased_until.eq(lease_end),
                    outbox::attempts.eq(outbox::attempts + 1),
                ))
                .execute(conn)?;
                if leased == 0 {
                    return Ok(None);
                }
                let (to, subject, text, html, attempts): (String, String, String, String, i32) =
                    outbox::table
                        .find(&leased_id)
                        .select((
                            outbox::recipient,
                            outbox::subject,
                            outbox::body_text,
                            outbox::body_html,
                            outbox::attempts,
                        ))
                        .first(conn)?;
                Ok(Some((
                    Outgoing {
                        id: leased_id,
                        to,
                        subject,
                        text,
                        html,
                    },
                    attempts,
                )))
            })
            .await?;
        let Some((message, attempts)) = message else {
            return Ok(false);
        };
        let outcome = self.transport.send(&self.from, &message).await;
        let finished = self.clock.now();
        let delivered = outcome.is_ok();
        let failure = outcome.err().map(|error| format!("{error:#}"));
        if let Some(reason) = &failure {
            tracing::warn!(outbox_id = %id, attempts, reason = %reason, "email delivery failed; will retry");
        }
        self.db
            .write(move |conn| {
                let row = outbox::table.find(&id);
                if delivered {
                    diesel::update(row)
                        .set((
                            outbox::sent_at.eq(Some(finished)),
                            outbox::leased_until.eq(None::<Timestamp>),
                            outbox::body_text.eq(""),
                            outbox::body_html.eq(""),
                            outbox::last_error.eq(None::<String>),
                        ))
                        .execute(conn)?;
                } else {
                    let retry_at = finished
                        + chrono::Duration::from_std(retry_backoff(attempts)).unwrap_or_default();
                    diesel::update(row)
                        .set((
                            outbox::next_attempt_at.eq(retry_at),
                            outbox::leased_until.eq(None::<Timestamp>),
                            outbox::last_error.eq(failure),
                        ))
                        .execute(conn)?;
                }
                Ok(delivered)
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        let waits: Vec<u64> = (1..=5).map(|a| retry_backoff(a).as_secs()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160]);
        assert_eq!(retry_backoff(30), MAX_BACKOFF);
    }
}
