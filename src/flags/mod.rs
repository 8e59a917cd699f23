//! Fraud and duplicate flags (issue 7): one phone, inbox or bank account across unrelated
//! people; one personal ID under two SI codes; claims or payments after a recorded death;
//! unemployment benefit while new contributions are declared; bursts of claims from one address
//! or device. Each flag explains itself in plain words and is triaged by staff (open →
//! dismissed with a reason, or confirmed). The detectors are pure ([`rules`]); they run when a
//! submission arrives ([`on_arrival`], in its transaction) and for everyone each night
//! ([`nightly`]). A fingerprint per finding keeps recomputation from duplicating a flag, and a
//! triaged flag is never reopened.

pub mod api;
pub mod pages;
pub mod rules;
pub mod store;

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::clock::Timestamp;
use crate::config::Limits;
use crate::db::DbConn;
use crate::error::AppError;
use crate::sealed::Keyring;
use crate::web::i18n::Catalog;
use rules::{Burst, Finding, Kind, Origin};

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
}

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

/// A submission arriving: what it is, whose, and where it came from.
#[derive(Clone, Copy, Debug)]
pub struct Arrival<'a> {
    pub subject_kind: &'a str,
    pub subject_id: &'a str,
    pub account_id: &'a str,
    pub client_ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// Where a request came from, read in the handler so the transaction can record it.
#[derive(Clone, Debug)]
pub struct RequestOrigin {
    pub client_ip: String,
    pub user_agent: Option<String>,
}

impl RequestOrigin {
    pub fn of(req: &actix_web::HttpRequest) -> Self {
        let state = crate::app::AppState::of(req);
        Self {
            client_ip: crate::web::client::client_ip(req, state.settings.trust_forwarded_for)
                .to_string(),
            user_agent: req
                .headers()
                .get(actix_web::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        }
    }

    /// The arrival of `subject_kind` `subject_id` by `account_id` from here.
    pub fn arrival<'a>(
        &'a self,
        subject_kind: &'a str,
        subject_id: &'a str,
        account_id: &'a str,
    ) -> Arrival<'a> {
        Arrival {
            subject_kind,
            subject_id,
            account_id,
            client_ip: Some(&self.client_ip),
            user_agent: self.user_agent.as_deref(),
        }
    }
}

/// The device of a submission: a hash of its User-Agent (the header itself is not kept).
fn device_of(user_agent: Option<&str>) -> Option<String> {
    let agent = user_agent?.trim();
    if agent.is_empty() {
        return None;
    }
    let digest = Sha256::digest(agent.as_bytes());
    Some(digest.iter().take(16).map(|b| format!("{b:02x}")).collect())
}

fn burst_of(limits: &Limits) -> Burst {
    Burst {
        accounts: limits.flag_burst_accounts.max(2),
        window: chrono::Duration::from_std(limits.flag_burst_window)
            .unwrap_or(chrono::Duration::hours(1)),
    }
}

/// Records where the submission came from and runs the detectors that concern its account, in
/// the caller's transaction; returns how many flags were added.
pub fn on_arrival(
    conn: &mut DbConn,
    keyring: &Keyring,
    limits: &Limits,
    arrival: &Arrival<'_>,
    now: Timestamp,
) -> Result<usize, AppError> {
    let origin = Origin {
        subject_kind: arrival.subject_kind.to_owned(),
        subject_id: arrival.subject_id.to_owned(),
        account_id: arrival.account_id.to_owned(),
        client_ip: arrival.client_ip.map(str::to_owned),
        device: device_of(arrival.user_agent),
        at: now,
    };
    store::record_origin(conn, &origin)?;
    let Some(me) = store::contact(conn, arrival.account_id)? else {
        return Ok(0);
    };
    let mut findings = Vec::new();
    let concerns_me = |f: &Finding| {
        f.evidence["accounts"]
            .as_array()
            .is_some_and(|list| list.iter().any(|a| a == arrival.account_id))
    };

    // Shared phone and inbox, among the accounts that could match and their households.
    let mut candidates = store::email_candidates(conn, &me.email)?;
    if let Some(phone) = &me.phone {
        candidates.extend(store::phone_candidates(conn, phone)?);
    }
    let bank = store::bank_indexes(conn, keyring, Some(arrival.account_id))?;
    let bank_ids: Vec<String> = bank.iter().map(|(a, _)| a.clone()).collect();
    let mut related_to: Vec<store::Contact> = candidates.clone();
    for id in &bank_ids {
        if let Some(c) = store::contact(conn, id)? {
            related_to.push(c);
        }
    }
    let households = store::households(conn, Some(&related_to))?;
    let phones: Vec<(String, String)> = candidates
        .iter()
        .filter_map(|c| Some((c.id.clone(), c.phone.clone()?)))
        .collect();
    let emails: Vec<(String, String)> = candidates
        .iter()
        .map(|c| (c.id.clone(), c.email.clone()))
        .collect();
    let mut phones = phones;
    phones.sort();
    phones.dedup();
    let mut emails = emails;
    emails.sort();
    emails.dedup();
    findings.extend(
        rules::shared_phones(&phones, &households)
            .into_iter()
            .filter(concerns_me),
    );
    findings.extend(
        rules::shared_emails(&emails, &households)
            .into_iter()
            .filter(concerns_me),
    );
    findings.extend(rules::shared_bank_accounts(&bank, &households));

    // The book: another SI code for the same person.
    if let Some(pid) = &me.personal_id {
        let twins = store::possible_twins(conn, Some(pid))?;
        let accounts = HashMap::from([(pid.clone(), me.id.clone())]);
        findings.extend(rules::personal_id_two_si_codes(&twins, &accounts));
    }

    // Dates: after a death, benefit while contributing.
    let deaths = store::deaths(conn, Some(&me.id))?;
    if !deaths.is_empty() {
        let claims = store::claim_facts(conn, &[me.id.as_str()])?;
        findings.extend(rules::after_death(&claims, &deaths));
    }
    findings.extend(rules::benefit_overlaps_contributions(
        &store::benefit_facts(conn, Some(&me.id))?,
    ));

    // The burst this submission may complete.
    let burst = burst_of(limits);
    let recent = store::origins_since(
        conn,
        now - burst.window,
        origin.client_ip.as_deref(),
        origin.device.as_deref(),
    )?;
    findings.extend(
        rules::bursts(&recent, burst).into_iter().filter(|f| {
            f.subject == Some((origin.subject_kind.clone(), origin.subject_id.clone()))
        }),
    );

    store::insert_new(conn, &findings, now)
}

/// How far back the nightly run looks for bursts (each submission was also checked when it
/// arrived).
const NIGHTLY_ORIGIN_DAYS: i64 = 7;

/// Runs every detector over everyone; returns how many flags were added.
pub fn nightly(
    conn: &mut DbConn,
    keyring: &Keyring,
    limits: &Limits,
    now: Timestamp,
) -> Result<usize, AppError> {
    let contacts = store::all_contacts(conn)?;
    let households = store::households(conn, None)?;
    let phones: Vec<(String, String)> = contacts
        .iter()
        .filter_map(|c| Some((c.id.clone(), c.phone.clone()?)))
        .collect();
    let emails: Vec<(String, String)> = contacts
        .iter()
        .map(|c| (c.id.clone(), c.email.clone()))
        .collect();
    let mut findings = rules::shared_phones(&phones, &households);
    findings.extend(rules::shared_emails(&emails, &households));
    // Grouped by the stored blind index: rows not yet resealed after a key rotation group
    // under their old index until `ansinh keys reseal` has run (on_arrival matches under all).
    let bank = store::bank_indexes(conn, keyring, None)?;
    findings.extend(rules::shared_bank_accounts(&bank, &households));

    let twins = store::possible_twins(conn, None)?;
    let personal_ids: Vec<&str> = twins
        .iter()
        .filter_map(|p| p.personal_id.as_deref())
        .collect();
    let accounts = store::accounts_by_personal_id(conn, &personal_ids)?;
    findings.extend(rules::personal_id_two_si_codes(&twins, &accounts));

    let deaths = store::deaths(conn, None)?;
    let dead: Vec<&str> = deaths.keys().map(String::as_str).collect();
    let claims = store::claim_facts(conn, &dead)?;
    findings.extend(rules::after_death(&claims, &deaths));
    findings.extend(rules::benefit_overlaps_contributions(
        &store::benefit_facts(conn, None)?,
    ));

    // Each submission is judged with its whole window loaded: the window before the first
    // day is read too, and only submissions from the first day on can raise a flag.
    let burst = burst_of(limits);
    let first = now - chrono::Duration::days(NIGHTLY_ORIGIN_DAYS);
    let origins = store::origins_since(conn, first - burst.window, None, None)?;
    let judged: std::collections::HashSet<(&str, &str)> = origins
        .iter()
        .filter(|o| o.at >= first)
        .map(|o| (o.subject_kind.as_str(), o.subject_id.as_str()))
        .collect();
    findings.extend(rules::bursts(&origins, burst).into_iter().filter(|f| {
        f.subject
            .as_ref()
            .is_some_and(|(k, id)| judged.contains(&(k.as_str(), id.as_str())))
    }));

    store::insert_new(conn, &findings, now)
}

/// Runs [`nightly`] once per Vietnam day, whichever node gets there first (the day is recorded
/// in `reminders_sent` in the same transaction). Returns `None` when it already ran today.
pub fn nightly_once(
    conn: &mut DbConn,
    keyring: &Keyring,
    limits: &Limits,
    now: Timestamp,
) -> Result<Option<usize>, AppError> {
    use crate::db::schema::reminders_sent;
    use diesel::prelude::*;
    let today = crate::clock::in_vietnam(now).date().to_string();
    let ran = reminders_sent::table
        .find(("flags_nightly", &today))
        .select(reminders_sent::kind)
        .first::<String>(conn)
        .optional()?
        .is_some();
    if ran {
        return Ok(None);
    }
    diesel::insert_into(reminders_sent::table)
        .values((
            reminders_sent::kind.eq("flags_nightly"),
            reminders_sent::subject.eq(&today),
            reminders_sent::sent_at.eq(now),
        ))
        .execute(conn)?;
    nightly(conn, keyring, limits, now).map(Some)
}

/// Triage states.
pub const STATUSES: [&str; 3] = ["open", "dismissed", "confirmed"];

/// A flag as staff see it.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = FraudFlag)]
pub struct Flag {
    pub id: String,
    /// `shared_phone`, `shared_email`, `shared_bank_account`, `personal_id_two_si_codes`,
    /// `after_death`, `benefit_overlaps_contributions` or `burst_from_one_origin`.
    pub kind: String,
    /// The citizen concerned.
    pub account_id: String,
    /// What it is about (`claim`), when about one thing.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_kind: Option<String>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<String>,
    /// What matched: other accounts, claims, months, dates, times. Never a full bank account
    /// number or a personal ID.
    #[schema(value_type = Object)]
    pub evidence: serde_json::Value,
    /// The plain explanation, in the request's language.
    pub explanation: String,
    /// `open`, `dismissed` or `confirmed`.
    pub status: String,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triage_reason: Option<String>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triaged_by: Option<String>,
    #[schema(nullable = false, value_type = String)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triaged_at: Option<Timestamp>,
    pub version: i64,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
}

impl Flag {
    fn of(row: store::FlagRow, catalog: &Catalog) -> Self {
        let evidence: serde_json::Value = serde_json::from_str(&row.evidence).unwrap_or_default();
        let explanation = explain(catalog, &row.kind, &evidence);
        Self {
            id: row.id,
            kind: row.kind,
            account_id: row.account_id,
            subject_kind: row.subject_kind,
            subject_id: row.subject_id,
            evidence,
            explanation,
            status: row.status,
            triage_reason: row.triage_reason,
            triaged_by: row.triaged_by,
            triaged_at: row.triaged_at,
            version: row.version,
            created_at: row.created_at,
        }
    }

    /// The catalog key naming the kind.
    pub fn kind_key(&self) -> &'static str {
        Kind::parse(&self.kind).map_or("flags.kind.unknown", Kind::name_key)
    }

    /// The catalog key of the status.
    pub fn status_key(&self) -> &'static str {
        status_key(&self.status)
    }

    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
}

pub fn status_key(status: &str) -> &'static str {
    match status {
        "dismissed" => "flags.status.dismissed",
        "confirmed" => "flags.status.confirmed",
        _ => "flags.status.open",
    }
}

/// The kind's explanation with `{name}` filled from the evidence (lists joined with commas).
pub fn explain(catalog: &Catalog, kind: &str, evidence: &serde_json::Value) -> String {
    let key = Kind::parse(kind).map_or("flags.kind.unknown", Kind::explanation_key);
    let mut text = catalog.text(key).to_owned();
    if let Some(fields) = evidence.as_object() {
        for (name, value) in fields {
            let shown = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", "),
                serde_json::Value::Null => "—".to_owned(),
                other => other.to_string(),
            };
            text = text.replace(&format!("{{{name}}}"), &shown);
        }
    }
    text
}

/// The open flags of a citizen, newest first (for the review page).
pub fn open_for_account(
    conn: &mut DbConn,
    catalog: &Catalog,
    account_id: &str,
) -> Result<Vec<Flag>, AppError> {
    Ok(store::open_of_account(conn, account_id)?
        .into_iter()
        .map(|row| Flag::of(row, catalog))
        .collect())
}

/// Open flags per citizen account (for the queue).
pub fn open_counts(conn: &mut DbConn) -> Result<HashMap<String, usize>, AppError> {
    store::open_counts(conn)
}

/// Flags for the triage list, open first then newest first.
pub fn list(
    conn: &mut DbConn,
    catalog: &Catalog,
    status: Option<&str>,
    kind: Option<&str>,
) -> Result<Vec<Flag>, AppError> {
    Ok(store::list(conn, status, kind, 500)?
        .into_iter()
        .map(|row| Flag::of(row, catalog))
        .collect())
}

/// One flag.
pub fn get(conn: &mut DbConn, catalog: &Catalog, id: &str) -> Result<Flag, AppError> {
    let row = store::find(conn, id)?.ok_or(AppError::NotFound)?;
    Ok(Flag::of(row, catalog))
}

/// A triage decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Confirmed,
    Dismissed,
}

impl Outcome {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "confirmed" => Some(Self::Confirmed),
            "dismissed" => Some(Self::Dismissed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
        }
    }
}

/// Confirms or dismisses a flag made from version `expected`, audited as `flag.confirm` or
/// `flag.dismiss`. Dismissing needs a reason (422); a confirmation may carry one. A flag already
/// triaged is 409; an older version is `Stale`.
pub fn triage(
    conn: &mut DbConn,
    actor: &crate::audit::Actor,
    id: &str,
    expected: i64,
    outcome: Option<Outcome>,
    reason: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    use crate::error::FieldCode;
    let outcome = outcome.ok_or_else(|| AppError::invalid("status", FieldCode::InvalidFormat))?;
    let reason = reason.trim();
    if outcome == Outcome::Dismissed && reason.is_empty() {
        return Err(AppError::invalid("reason", FieldCode::Required));
    }
    if reason.chars().count() > 2000 {
        return Err(AppError::invalid("reason", FieldCode::TooLong));
    }
    let row = store::find(conn, id)?.ok_or(AppError::NotFound)?;
    if row.version != expected {
        return Err(AppError::Stale);
    }
    if row.status != "open" {
        return Err(AppError::WrongState(row.status));
    }
    let reason = (!reason.is_empty()).then_some(reason);
    store::triage(conn, id, expected, outcome.as_str(), reason, &actor.id, now)?;
    let action = match outcome {
        Outcome::Confirmed => "flag.confirm",
        Outcome::Dismissed => "flag.dismiss",
    };
    let detail =
        serde_json::json!({ "kind": row.kind, "account": row.account_id, "reason": reason });
    let event = actor.event(action, format!("flag:{id}"), detail);
    crate::audit::record(conn, now.and_utc(), &event)
}
