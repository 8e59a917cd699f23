//! The audit log of staff actions and of citizens' security-relevant changes, such as their
//! payout bank account (SECURITY.md LOG-01, LOG-03): who did what to which object, when and
//! from where. It is append-only (triggers refuse UPDATE and DELETE) and
//! hash-chained: each row stores the previous row's hash and SHA-256 over its own content, so
//! changing or removing a row breaks the chain at that row, which [`verify`] reports.
//!
//! [`record`] is called inside the caller's own `Db::write` transaction, so a change and its
//! audit row commit together or not at all (SECURITY.md REL-01).

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use diesel::prelude::*;
use serde_json::json;

pub mod api;
pub mod pages;
pub mod search;

use crate::db::DbConn;
use crate::db::schema::audit_events;
use crate::error::AppError;
use crate::secrets::token_hash;

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// PostgreSQL advisory lock taken by every appender for the rest of its transaction, so two
/// concurrent appends cannot both read the same last hash ("ansinh" + 1 in ASCII).
const APPEND_LOCK: i64 = 0x616e_7369_6e68_0001;

/// One action as its caller describes it.
#[derive(Debug)]
pub struct Event<'a> {
    /// The account id of the staff member or citizen (or `cli` for the command line).
    pub actor_id: &'a str,
    pub actor_role: &'a str,
    /// What was done, dotted: `policy_parameter.add`, `api_client.revoke`.
    pub action: &'a str,
    /// The object acted on, `kind:id`: `policy_parameter:base_salary@2026-07-01`.
    pub subject: String,
    /// What changed. Never passwords, tokens, secrets or national IDs (SECURITY.md LOG-02).
    pub detail: serde_json::Value,
    pub client_ip: Option<&'a str>,
}

/// Who acts, owned so it can move into a `Db::write` closure: a signed-in staff member or
/// citizen and the address the request came from.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: String,
    pub role: String,
    pub client_ip: Option<String>,
}

impl Actor {
    pub fn staff(
        req: &actix_web::HttpRequest,
        me: &crate::accounts::session::StaffSession,
    ) -> Self {
        let state = crate::app::AppState::of(req);
        Self {
            id: me.0.account.id.clone(),
            role: me.0.account.role.clone().unwrap_or_default(),
            client_ip: Some(
                crate::web::client::client_ip(req, state.settings.trust_forwarded_for).to_string(),
            ),
        }
    }

    /// A citizen changing their own account (web session or API token); the role is `citizen`.
    pub fn citizen(
        req: &actix_web::HttpRequest,
        account: &crate::accounts::store::Account,
    ) -> Self {
        let state = crate::app::AppState::of(req);
        Self {
            id: account.id.clone(),
            role: "citizen".into(),
            client_ip: Some(
                crate::web::client::client_ip(req, state.settings.trust_forwarded_for).to_string(),
            ),
        }
    }

    /// A staff member (page session or API token), with their role, from the request's address.
    pub fn account(
        req: &actix_web::HttpRequest,
        account: &crate::accounts::store::Account,
    ) -> Self {
        let state = crate::app::AppState::of(req);
        Self {
            id: account.id.clone(),
            role: account.role.clone().unwrap_or_else(|| "citizen".into()),
            client_ip: Some(
                crate::web::client::client_ip(req, state.settings.trust_forwarded_for).to_string(),
            ),
        }
    }

    /// The command line, run by whoever has shell access to the server.
    pub fn cli() -> Self {
        Self {
            id: "cli".into(),
            role: "system".into(),
            client_ip: None,
        }
    }

    /// `action` on `subject` by this actor.
    pub fn event<'a>(
        &'a self,
        action: &'a str,
        subject: String,
        detail: serde_json::Value,
    ) -> Event<'a> {
        Event {
            actor_id: &self.id,
            actor_role: &self.role,
            action,
            subject,
            detail,
            client_ip: self.client_ip.as_deref(),
        }
    }
}

/// The action of a staff read of a citizen's record. The subject is `account:{citizen}`, so the
/// citizen's access log finds every read of their record with one indexed lookup.
pub const STAFF_READ: &str = "record.read";

/// Records that `actor` (staff) read `what` (`claim:{id}`, `book`, `enrolment:{id}`...) of the
/// record of the citizen whose account is `citizen_account_id` (SECURITY.md LOG-01). Call it in
/// a write transaction on the page or API request that shows the record.
pub fn staff_read(
    conn: &mut DbConn,
    at: DateTime<Utc>,
    actor: &Actor,
    citizen_account_id: &str,
    what: &str,
) -> Result<(), AppError> {
    let event = actor.event(
        STAFF_READ,
        format!("account:{citizen_account_id}"),
        json!({ "what": what }),
    );
    record(conn, at, &event)
}

/// The outcome of checking the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    /// Every row links to the one before and matches its hash.
    Ok { rows: u64 },
    /// The first row that does not.
    Broken { at_id: i64, reason: String },
}

impl std::fmt::Display for Verification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Ok { rows } => write!(f, "audit chain intact ({rows} rows verified)"),
            Self::Broken { at_id, reason } => {
                write!(f, "audit chain BROKEN at row {at_id}: {reason}")
            }
        }
    }
}

/// A row as stored.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct StoredEvent {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_id: String,
    pub actor_role: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub client_ip: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
struct NewEvent<'a> {
    at: NaiveDateTime,
    actor_id: &'a str,
    actor_role: &'a str,
    action: &'a str,
    subject: &'a str,
    detail: &'a str,
    client_ip: Option<&'a str>,
    prev_hash: &'a str,
    hash: &'a str,
}

/// The fields a hash covers, exactly as stored.
struct Content<'a> {
    at: NaiveDateTime,
    actor_id: &'a str,
    actor_role: &'a str,
    action: &'a str,
    subject: &'a str,
    detail: &'a str,
    client_ip: Option<&'a str>,
}

/// Hex SHA-256 over an unambiguous encoding of the previous hash and the row's content: a JSON
/// array of strings (JSON escaping keeps field boundaries unambiguous), the time as RFC 3339
/// UTC with microseconds (what both backends store).
fn chain_hash(prev_hash: &str, content: &Content<'_>) -> String {
    let canonical = json!([
        prev_hash,
        content.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        content.actor_id,
        content.actor_role,
        content.action,
        content.subject,
        content.detail,
        content.client_ip,
    ])
    .to_string();
    token_hash(&canonical)
}

/// Appends `event`, done at `at`, to the log. Call it inside the transaction that makes the
/// change, so both commit together.
pub fn record(conn: &mut DbConn, at: DateTime<Utc>, event: &Event<'_>) -> Result<(), AppError> {
    // Both backends keep microseconds; hash what will be read back.
    let at = at.naive_utc().trunc_subsecs(6);
    let detail = event.detail.to_string();
    // A savepoint inside the caller's transaction (where the lock below lives until the
    // caller's COMMIT); a transaction of its own if a caller forgot one.
    conn.transaction(|conn| append(conn, at, &detail, event))
}

fn append(
    conn: &mut DbConn,
    at: NaiveDateTime,
    detail: &str,
    event: &Event<'_>,
) -> Result<(), AppError> {
    if let DbConn::Postgres(pg) = conn {
        // Released at COMMIT or ROLLBACK. SQLite needs nothing: its writers are serialised.
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(APPEND_LOCK)
            .execute(pg)?;
    }
    let prev_hash = audit_events::table
        .select(audit_events::hash)
        .order(audit_events::id.desc())
        .first::<String>(conn)
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let content = Content {
        at,
        actor_id: event.actor_id,
        actor_role: event.actor_role,
        action: event.action,
        subject: &event.subject,
        detail,
        client_ip: event.client_ip,
    };
    let hash = chain_hash(&prev_hash, &content);
    diesel::insert_into(audit_events::table)
        .values(NewEvent {
            at,
            actor_id: content.actor_id,
            actor_role: content.actor_role,
            action: content.action,
            subject: content.subject,
            detail: content.detail,
            client_ip: content.client_ip,
            prev_hash: &prev_hash,
            hash: &hash,
        })
        .execute(conn)?;
    Ok(())
}

/// Rows read per query while verifying.
const BATCH: i64 = 1_000;

/// Walks the whole log in id order: each row must point at the hash of the row before (the
/// first at [`GENESIS`]) and its own hash must match its content. Removing the newest rows
/// cannot be seen from the chain alone; keep an external copy of the latest hash for that.
pub fn verify(conn: &mut DbConn) -> Result<Verification, AppError> {
    let mut expected_prev = GENESIS.to_owned();
    let mut after = i64::MIN;
    let mut rows = 0_u64;
    loop {
        let batch = audit_events::table
            .filter(audit_events::id.gt(after))
            .order(audit_events::id.asc())
            .limit(BATCH)
            .select(StoredEvent::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else {
            return Ok(Verification::Ok { rows });
        };
        after = last.id;
        for row in &batch {
            if let Some(reason) = check(row, &expected_prev) {
                return Ok(Verification::Broken {
                    at_id: row.id,
                    reason,
                });
            }
            expected_prev.clone_from(&row.hash);
            rows += 1;
        }
    }
}

/// Why `row` does not follow a row whose hash is `expected_prev`, if it does not.
fn check(row: &StoredEvent, expected_prev: &str) -> Option<String> {
    if row.prev_hash != expected_prev {
        return Some(format!(
            "prev_hash {} does not match the hash of the row before ({expected_prev}): a row was removed or changed",
            row.prev_hash
        ));
    }
    let content = Content {
        at: row.at,
        actor_id: &row.actor_id,
        actor_role: &row.actor_role,
        action: &row.action,
        subject: &row.subject,
        detail: &row.detail,
        client_ip: row.client_ip.as_deref(),
    };
    let actual = chain_hash(&row.prev_hash, &content);
    (actual != row.hash).then(|| {
        format!(
            "content does not match its hash (stored {}, computed {actual}): the row was changed",
            row.hash
        )
    })
}

/// The newest `limit` events, newest first (for admin pages).
pub fn recent(conn: &mut DbConn, limit: i64) -> Result<Vec<StoredEvent>, AppError> {
    Ok(audit_events::table
        .order(audit_events::id.desc())
        .limit(limit)
        .select(StoredEvent::as_select())
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: i64, prev_hash: &str, detail: &str) -> StoredEvent {
        let at = "2026-11-30T10:00:00.123456"
            .parse::<NaiveDateTime>()
            .unwrap();
        let mut row = StoredEvent {
            id,
            at,
            actor_id: "staff-1".into(),
            actor_role: "admin".into(),
            action: "policy_parameter.add".into(),
            subject: "policy_parameter:base_salary@2027-07-01".into(),
            detail: detail.into(),
            client_ip: Some("127.0.0.1".into()),
            prev_hash: prev_hash.into(),
            hash: String::new(),
        };
        row.hash = chain_hash(
            prev_hash,
            &Content {
                at: row.at,
                actor_id: &row.actor_id,
                actor_role: &row.actor_role,
                action: &row.action,
                subject: &row.subject,
                detail: &row.detail,
                client_ip: row.client_ip.as_deref(),
            },
        );
        row
    }

    fn chain(n: i64) -> Vec<StoredEvent> {
        let mut rows: Vec<StoredEvent> = Vec::new();
        for id in 1..=n {
            let prev = rows.last().map_or(GENESIS.to_owned(), |r| r.hash.clone());
            rows.push(stored(id, &prev, &format!("{{\"n\":{id}}}")));
        }
        rows
    }

    fn first_break(rows: &[StoredEvent]) -> Option<i64> {
        let mut prev = GENESIS.to_owned();
        for row in rows {
            if check(row, &prev).is_some() {
                return Some(row.id);
            }
            prev.clone_from(&row.hash);
        }
        None
    }

    #[test]
    fn the_hash_is_hex_sha256_and_depends_on_the_previous_hash() {
        let a = stored(1, GENESIS, "{}");
        let b = stored(1, &"1".repeat(64), "{}");
        assert_eq!(a.hash.len(), 64);
        assert!(a.hash.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a.hash, b.hash);
    }

    #[test]
    fn field_boundaries_are_unambiguous() {
        let mut one = stored(1, GENESIS, "{}");
        one.actor_id = "ab".into();
        one.actor_role = "c".into();
        let mut two = one.clone();
        two.actor_id = "a".into();
        two.actor_role = "bc".into();
        let hash = |row: &StoredEvent| {
            chain_hash(
                &row.prev_hash,
                &Content {
                    at: row.at,
                    actor_id: &row.actor_id,
                    actor_role: &row.actor_role,
                    action: &row.action,
                    subject: &row.subject,
                    detail: &row.detail,
                    client_ip: row.client_ip.as_deref(),
                },
            )
        };
        assert_ne!(hash(&one), hash(&two));
        let mut no_ip = one.clone();
        no_ip.client_ip = None;
        let mut empty_ip = one.clone();
        empty_ip.client_ip = Some(String::new());
        assert_ne!(hash(&no_ip), hash(&empty_ip));
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(first_break(&chain(5)), None);
        assert_eq!(first_break(&[]), None);
    }

    #[test]
    fn a_changed_row_breaks_the_chain_at_that_row() {
        let mut rows = chain(5);
        rows[2].detail = "{\"n\":99}".into();
        assert_eq!(first_break(&rows), Some(3));
    }

    #[test]
    fn a_changed_row_with_a_recomputed_hash_breaks_the_chain_at_the_next_row() {
        let mut rows = chain(5);
        let prev = rows[1].hash.clone();
        rows[2] = stored(3, &prev, "{\"n\":99}");
        assert_eq!(first_break(&rows), Some(4));
    }

    #[test]
    fn a_removed_row_breaks_the_chain_at_the_row_after_it() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(first_break(&rows), Some(3));
    }

    #[test]
    fn the_first_row_must_start_from_the_genesis_hash() {
        let rows = vec![stored(1, &"f".repeat(64), "{}")];
        assert_eq!(first_break(&rows), Some(1));
    }
}
