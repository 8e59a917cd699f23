//! Group commit for card checks. Every check must be recorded before the clinic gets its
//! answer, but one transaction per check makes the write, not the lookup, the cost of a check.
//! So checks queue here and one task writes whatever has queued in a single transaction while
//! the previous one commits; each request still waits for its own row to be committed. Under
//! light load a batch is one row (no added delay); under heavy load the commits are shared.

use tokio::sync::{mpsc, oneshot};

use super::store::{self, NewCheck};
use crate::db::Db;
use crate::error::AppError;

/// Most rows in one transaction.
const MAX_BATCH: usize = 512;

struct Pending {
    check: NewCheck,
    committed: oneshot::Sender<bool>,
}

pub struct CheckRecorder {
    queue: mpsc::Sender<Pending>,
}

impl CheckRecorder {
    /// Starts the writer task (on the current tokio runtime); it ends when the recorder is
    /// dropped and the queue is drained.
    pub fn start(db: Db) -> Self {
        let (queue, mut pending) = mpsc::channel::<Pending>(4 * MAX_BATCH);
        tokio::spawn(async move {
            while let Some(first) = pending.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match pending.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let (checks, waiters): (Vec<NewCheck>, Vec<_>) =
                    batch.into_iter().map(|p| (p.check, p.committed)).unzip();
                let written = db
                    .write(move |conn| Ok(store::insert_checks(conn, &checks)?))
                    .await;
                if let Err(error) = &written {
                    tracing::error!(%error, rows = waiters.len(), "recording card checks failed");
                }
                for waiter in waiters {
                    let _ = waiter.send(written.is_ok());
                }
            }
        });
        Self { queue }
    }

    /// Records `check`; returns once it is committed.
    pub async fn record(&self, check: NewCheck) -> Result<(), AppError> {
        let (committed, done) = oneshot::channel();
        self.queue
            .send(Pending { check, committed })
            .await
            .map_err(|_| AppError::Unavailable)?;
        match done.await {
            Ok(true) => Ok(()),
            _ => Err(AppError::Unavailable),
        }
    }
}
