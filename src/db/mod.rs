//! The database: one pool over SQLite *or* PostgreSQL, chosen by the URL scheme of
//! `DATABASE_URL`. This is the only module that knows there are two backends.
//!
//! diesel is synchronous, so every query runs on tokio's blocking pool, never on an actix worker:
//! [`Db::read`] for reads, [`Db::write`] for one transaction. SQLite allows one writer at a time,
//! so its writers queue behind an async mutex instead of failing with `SQLITE_BUSY`.

pub mod schema;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// Opens connections by URL scheme (the derived `establish` would try every backend in turn,
/// and SQLite accepts any string as a file name) and applies SQLite's settings to each.
#[derive(Debug)]
pub struct Manager {
    backend: Backend,
    url: String,
}

impl Manager {
    pub fn new(database_url: &str) -> anyhow::Result<Self> {
        if let Some(path) = database_url.strip_prefix("sqlite://") {
            if let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            Ok(Self {
                backend: Backend::Sqlite,
                url: path.to_owned(),
            })
        } else if database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://")
        {
            Ok(Self {
                backend: Backend::Postgres,
                url: database_url.to_owned(),
            })
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite:// or postgres://")
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn open(&self) -> diesel::ConnectionResult<DbConn> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url).map(DbConn::Postgres),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.url)?;
                // FULL makes a reported commit survive a power cut (SECURITY.md REL-01);
                // busy_timeout covers other processes (the CLI). WAL is set once, by
                // `Db::connect`: it stays with the file, and switching needs an exclusive lock.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                )
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        self.open().map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// Runs the backend's embedded migrations; returns how many were applied.
pub fn migrate(conn: &mut DbConn) -> anyhow::Result<usize> {
    let applied = match conn {
        DbConn::Postgres(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    };
    applied.map_err(|e| anyhow::anyhow!("running migrations: {e}"))
}

/// Reverts every applied migration (the schema guard tests check `down.sql` undoes `up.sql`).
pub fn revert_all(conn: &mut DbConn) -> anyhow::Result<()> {
    let reverted = match conn {
        DbConn::Postgres(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
    };
    reverted.map_err(|e| anyhow::anyhow!("reverting migrations: {e}"))
}

pub type Pool = r2d2::Pool<Manager>;

/// How long a query waits for a connection before the request fails fast with 503.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    /// One permit per pooled connection: a query waits here, as a cheap async task, rather than
    /// as a blocking thread parked on the pool (a burst would otherwise start hundreds of them).
    permits: Arc<tokio::sync::Semaphore>,
    /// SQLite: one writer at a time, queued here rather than spinning on `SQLITE_BUSY`.
    writer: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl Db {
    /// Opens the pool and runs pending migrations.
    pub fn connect(database_url: &str, pool_size: u32) -> anyhow::Result<Self> {
        let manager = Manager::new(database_url)?;
        let backend = manager.backend();
        // Prepare the database on one connection before the pool opens several at once.
        let mut first = manager.open().context("connecting to the database")?;
        if let DbConn::Sqlite(conn) = &mut first {
            // WAL lets readers run beside the writer.
            conn.batch_execute("PRAGMA journal_mode = WAL")
                .context("enabling WAL")?;
        }
        migrate(&mut first)?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            // A check-out query costs a third of throughput here (PERFORMANCE.md); a broken
            // connection fails its query instead and is replaced.
            .test_on_check_out(false)
            .connection_timeout(CHECKOUT_TIMEOUT)
            .build(manager)
            .context("opening the database")?;
        let writer = (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(())));
        let permits = Arc::new(tokio::sync::Semaphore::new(pool_size.max(1) as usize));
        Ok(Self {
            pool,
            backend,
            permits,
            writer,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// (connections open, connections idle) for `/metrics`.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    /// Runs `query` on the blocking pool with a pooled connection.
    pub async fn read<T, F>(&self, query: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let _permit = self.permit().await?;
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let mut conn = checkout(&pool)?;
            query(&mut conn)
        })
        .await?
    }

    /// Runs `change` as one transaction: everything it writes (the change, its outbox email,
    /// its audit row) commits together or not at all.
    pub async fn write<T, F>(&self, change: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let _queued = match &self.writer {
            Some(writer) => Some(writer.clone().lock_owned().await),
            None => None,
        };
        let _permit = self.permit().await?;
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let mut conn = checkout(&pool)?;
            let conn: &mut DbConn = &mut conn;
            conn.transaction(change)
        })
        .await?
    }

    /// Waits for a connection's turn, as long as the pool itself would (then 503).
    async fn permit(&self) -> Result<tokio::sync::SemaphorePermit<'_>, AppError> {
        match tokio::time::timeout(CHECKOUT_TIMEOUT, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AppError::Unavailable),
        }
    }

    /// A connection for start-up work and the CLI (outside any request).
    pub fn connection(&self) -> anyhow::Result<r2d2::PooledConnection<Manager>> {
        self.pool.get().context("connecting to the database")
    }
}

fn checkout(pool: &Pool) -> Result<r2d2::PooledConnection<Manager>, AppError> {
    pool.get().map_err(|error| {
        tracing::warn!(%error, "database connection unavailable");
        AppError::Unavailable
    })
}

/// True when `error` is a unique-constraint violation (both backends map it the same way).
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
