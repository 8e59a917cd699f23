//! Reading the audit log back: the staff search (`/admin/audit`, `GET /api/v1/staff/audit`) and
//! the staff reads of one citizen's record for their access log. The chain itself (append,
//! verify) stays in `audit/mod.rs`.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::{STAFF_READ, StoredEvent};
use crate::clock::{Timestamp, VIETNAM_OFFSET_HOURS};
use crate::db::DbConn;
use crate::db::schema::{accounts, audit_events};
use crate::error::{AppError, FieldCode};

/// Rows per page of the search.
pub const PAGE: i64 = 50;

/// What to look for; every part optional. Text is as typed (trimmed, empty = any).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// An account id, or an email address (looked up to its account).
    pub actor: Option<String>,
    /// The start of the action: `staff.` finds `staff.invite` and `staff.role_change`.
    pub action: Option<String>,
    /// The start of the subject: `account:0193...`, `claim:`.
    pub subject: Option<String>,
    /// Vietnam dates, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only rows older than this id (the "older" link).
    pub before: Option<i64>,
}

/// The raw filter fields of a page form or an API query, all strings.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FilterInput {
    /// The actor's account id or email address.
    pub actor: Option<String>,
    /// The start of the action (e.g. `staff.`).
    pub action: Option<String>,
    /// The start of the subject (e.g. `account:` or `claim:0193…`).
    pub subject: Option<String>,
    /// From this Vietnam date (YYYY-MM-DD), included.
    pub from: Option<String>,
    /// To this Vietnam date (YYYY-MM-DD), included.
    pub to: Option<String>,
    /// Rows older than this id: the previous page's `next_before`.
    pub before: Option<String>,
}

fn text(raw: &Option<String>) -> Option<String> {
    raw.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(200).collect())
}

impl FilterInput {
    /// The filter, or 422 naming the field that is not a date / id.
    pub fn parse(&self) -> Result<Filter, AppError> {
        let date = |field: &str, raw: &Option<String>| {
            text(raw)
                .map(|s| {
                    // Four-digit years only: both backends store them, and the log is younger.
                    NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                        .ok()
                        .filter(|d| (1900..=9999).contains(&chrono::Datelike::year(d)))
                        .ok_or_else(|| AppError::invalid(field, FieldCode::DateFormat))
                })
                .transpose()
        };
        let from = date("from", &self.from)?;
        let to = date("to", &self.to)?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(AppError::invalid("to", FieldCode::InvalidRange));
        }
        let before = text(&self.before)
            .map(|s| {
                s.parse::<i64>()
                    .map_err(|_| AppError::invalid("before", FieldCode::InvalidFormat))
            })
            .transpose()?;
        Ok(Filter {
            actor: text(&self.actor),
            action: text(&self.action),
            subject: text(&self.subject),
            from,
            to,
            before,
        })
    }
}

/// One row found, with the actor's name when the actor is an account.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = AuditEntry)]
pub struct Found {
    pub id: i64,
    /// UTC.
    #[schema(value_type = String, example = "2026-11-30T08:00:00")]
    pub at: Timestamp,
    pub actor_id: String,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    pub actor_role: String,
    pub action: String,
    pub subject: String,
    /// The recorded detail (JSON).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
}

/// A page of results, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AuditPage)]
pub struct Page {
    pub entries: Vec<Found>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_before: Option<i64>,
}

/// `LIKE` pattern for "starts with `prefix`", with `\` escaping the wildcards.
fn starts_with(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The UTC instant at which a Vietnam date begins.
fn vietnam_midnight(date: NaiveDate) -> Timestamp {
    date.and_hms_opt(0, 0, 0).unwrap_or_default() - chrono::Duration::hours(VIETNAM_OFFSET_HOURS)
}

/// Up to [`PAGE`] rows matching `filter`, newest first.
pub fn search(conn: &mut DbConn, filter: &Filter) -> Result<Page, AppError> {
    let mut query = audit_events::table.into_boxed();
    if let Some(actor) = &filter.actor {
        let id = if actor.contains('@') {
            let email = actor.to_lowercase();
            let found = accounts::table
                .filter(accounts::email.eq(&email))
                .select(accounts::id)
                .first::<String>(conn)
                .optional()?;
            match found {
                Some(id) => id,
                None => {
                    return Ok(Page {
                        entries: Vec::new(),
                        next_before: None,
                    });
                }
            }
        } else {
            actor.clone()
        };
        query = query.filter(audit_events::actor_id.eq(id));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_events::action.like(starts_with(action)).escape('\\'));
    }
    if let Some(subject) = &filter.subject {
        query = query.filter(
            audit_events::subject
                .like(starts_with(subject))
                .escape('\\'),
        );
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_events::at.ge(vietnam_midnight(from)));
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        query = query.filter(audit_events::at.lt(vietnam_midnight(to)));
    }
    if let Some(before) = filter.before {
        query = query.filter(audit_events::id.lt(before));
    }
    let mut rows = query
        .order(audit_events::id.desc())
        .limit(PAGE + 1)
        .select(StoredEvent::as_select())
        .load(conn)?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next_before = if more {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let mut ids: Vec<&str> = rows.iter().map(|r| r.actor_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: std::collections::HashMap<String, String> = accounts::table
        .filter(accounts::id.eq_any(&ids))
        .select((accounts::id, accounts::full_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let entries = rows
        .into_iter()
        .map(|row| Found {
            actor_name: names.get(&row.actor_id).cloned(),
            detail: serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null),
            id: row.id,
            at: row.at,
            actor_id: row.actor_id,
            actor_role: row.actor_role,
            action: row.action,
            subject: row.subject,
            client_ip: row.client_ip,
        })
        .collect();
    Ok(Page {
        entries,
        next_before,
    })
}

/// A staff read of a citizen's record, as the citizen sees it: when, the reader's role (never
/// who), and what was read.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StaffRead {
    /// UTC.
    #[schema(value_type = String, example = "2026-11-30T08:00:00")]
    pub read_at: Timestamp,
    /// `clerk`, `approver`, `content_editor` or `admin`.
    pub staff_role: String,
    /// What was read: `claim`, `book`, `enrolment`, `documents`... (the kind, without ids).
    pub what: String,
}

impl StaffRead {
    /// The catalog key of what was read, with a generic fallback.
    pub fn what_key(&self) -> &'static str {
        match self.what.as_str() {
            "claim" => "access.staff.what.claim",
            "book" => "access.staff.what.book",
            "enrolment" => "access.staff.what.enrolment",
            "documents" | "document" => "access.staff.what.documents",
            "payout" => "access.staff.what.payout",
            "account" => "access.staff.what.account",
            "question" => "access.staff.what.question",
            "flags" => "access.staff.what.flags",
            _ => "access.staff.what.other",
        }
    }
}

/// The kind of a `what` such as `claim:{id}` or `book`: the part before any `:` or `/`.
fn kind_of(what: &str) -> String {
    what.split([':', '/'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The newest `limit` staff reads of the record of the citizen with account `account_id`.
pub fn staff_reads_of(
    conn: &mut DbConn,
    account_id: &str,
    limit: i64,
) -> Result<Vec<StaffRead>, AppError> {
    let rows = audit_events::table
        .filter(audit_events::subject.eq(format!("account:{account_id}")))
        .filter(audit_events::action.eq(STAFF_READ))
        .order(audit_events::id.desc())
        .limit(limit)
        .select((
            audit_events::at,
            audit_events::actor_role,
            audit_events::detail,
        ))
        .load::<(Timestamp, String, String)>(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, role, detail)| {
            let what = serde_json::from_str::<serde_json::Value>(&detail)
                .ok()
                .and_then(|d| d["what"].as_str().map(kind_of))
                .unwrap_or_default();
            StaffRead {
                read_at: at,
                staff_role: role,
                what,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_escape_wildcards() {
        assert_eq!(starts_with("staff."), "staff.%");
        assert_eq!(starts_with("a_b%"), "a\\_b\\%%");
    }

    #[test]
    fn a_vietnam_day_starts_at_17_utc_the_day_before() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(vietnam_midnight(day).to_string(), "2026-11-30 17:00:00");
    }

    #[test]
    fn filters_reject_bad_dates_and_backward_ranges() {
        let bad = FilterInput {
            from: Some("1/12/2026".into()),
            ..Default::default()
        };
        assert!(bad.parse().is_err());
        let far = FilterInput {
            to: Some("-250000-01-01".into()),
            ..Default::default()
        };
        assert!(far.parse().is_err());
        let backwards = FilterInput {
            from: Some("2026-12-02".into()),
            to: Some("2026-12-01".into()),
            ..Default::default()
        };
        assert!(backwards.parse().is_err());
        let ok = FilterInput {
            action: Some("  staff. ".into()),
            ..Default::default()
        };
        assert_eq!(ok.parse().unwrap().action.as_deref(), Some("staff."));
    }

    #[test]
    fn what_was_read_is_its_kind_without_ids() {
        assert_eq!(kind_of("claim:0193"), "claim");
        assert_eq!(kind_of("book"), "book");
        assert_eq!(kind_of("documents/abc"), "documents");
    }
}
