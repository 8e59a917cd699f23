//! Flag queries: the facts the detectors read (for one arriving account, or for everyone at
//! night), the insert-if-new of findings, and the triage.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::rules::{self, BenefitFact, BookPerson, ClaimFact, Finding, Households, Origin};
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{
    accounts, claim_events, claims, contribution_months, enrolment_members, enrolments, flags,
    payout_accounts, people, submission_origins,
};
use crate::error::AppError;
use crate::insurance_book::model::Month;

/// A flag row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = flags)]
pub struct FlagRow {
    pub id: String,
    pub kind: String,
    pub account_id: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub evidence: String,
    pub fingerprint: String,
    pub status: String,
    pub triage_reason: Option<String>,
    pub triaged_by: Option<String>,
    pub triaged_at: Option<Timestamp>,
    pub version: i64,
    pub created_at: Timestamp,
}

/// Records where a submission came from.
pub fn record_origin(conn: &mut DbConn, origin: &Origin) -> Result<(), AppError> {
    diesel::insert_into(submission_origins::table)
        .values((
            submission_origins::id.eq(uuid::Uuid::now_v7().to_string()),
            submission_origins::subject_kind.eq(&origin.subject_kind),
            submission_origins::subject_id.eq(&origin.subject_id),
            submission_origins::account_id.eq(&origin.account_id),
            submission_origins::client_ip.eq(&origin.client_ip),
            submission_origins::device.eq(&origin.device),
            submission_origins::at.eq(origin.at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Inserts the findings whose fingerprint is new; returns how many. A flag once triaged keeps
/// its status: the same facts found again match its fingerprint and change nothing.
pub fn insert_new(
    conn: &mut DbConn,
    findings: &[Finding],
    now: Timestamp,
) -> Result<usize, AppError> {
    let mut added = 0;
    for finding in findings {
        let known = flags::table
            .filter(flags::fingerprint.eq(&finding.fingerprint))
            .select(flags::id)
            .first::<String>(conn)
            .optional()?;
        if known.is_some() {
            continue;
        }
        let row = FlagRow {
            id: uuid::Uuid::now_v7().to_string(),
            kind: finding.kind.as_str().to_owned(),
            account_id: finding.account_id.clone(),
            subject_kind: finding.subject.as_ref().map(|(k, _)| k.clone()),
            subject_id: finding.subject.as_ref().map(|(_, id)| id.clone()),
            evidence: finding.evidence.to_string(),
            fingerprint: finding.fingerprint.clone(),
            status: "open".into(),
            triage_reason: None,
            triaged_by: None,
            triaged_at: None,
            version: 1,
            created_at: now,
        };
        // A savepoint: another node inserting the same fingerprint at the same moment makes
        // this insert fail on the unique key, which must not undo the caller's transaction.
        let inserted =
            conn.transaction(|conn| diesel::insert_into(flags::table).values(&row).execute(conn));
        match inserted {
            Ok(_) => added += 1,
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(added)
}

// ---------------------------------------------------------------------------------------------
// Facts

/// A citizen's contact and identity, as the detectors compare them.
#[derive(Clone, Debug, Queryable)]
pub struct Contact {
    pub id: String,
    pub email: String,
    pub phone: Option<String>,
    pub personal_id: Option<String>,
}

fn contact_columns() -> (
    accounts::id,
    accounts::email,
    accounts::phone,
    accounts::personal_id,
) {
    (
        accounts::id,
        accounts::email,
        accounts::phone,
        accounts::personal_id,
    )
}

pub fn contact(conn: &mut DbConn, account_id: &str) -> Result<Option<Contact>, AppError> {
    Ok(accounts::table
        .find(account_id)
        .filter(accounts::kind.eq("citizen"))
        .select(contact_columns())
        .first(conn)
        .optional()?)
}

/// Every citizen.
pub fn all_contacts(conn: &mut DbConn) -> Result<Vec<Contact>, AppError> {
    Ok(accounts::table
        .filter(accounts::kind.eq("citizen"))
        .select(contact_columns())
        .load(conn)?)
}

/// Citizens whose phone may be the same number as `phone` (the same last nine digits; the
/// rules compare the normalised numbers).
pub fn phone_candidates(conn: &mut DbConn, phone: &str) -> Result<Vec<Contact>, AppError> {
    let Some(normal) = rules::normalise_phone(phone) else {
        return Ok(Vec::new());
    };
    let last: String = normal
        .chars()
        .skip(normal.len().saturating_sub(9))
        .collect();
    Ok(accounts::table
        .filter(accounts::kind.eq("citizen"))
        .filter(accounts::phone.like(format!("%{last}")))
        .select(contact_columns())
        .load(conn)?)
}

/// Citizens whose address may reach the same inbox as `email`: same first letter, same domain
/// (Gmail's two names both).
pub fn email_candidates(conn: &mut DbConn, email: &str) -> Result<Vec<Contact>, AppError> {
    let Some(normal) = rules::normalise_email(email) else {
        return Ok(Vec::new());
    };
    let Some((local, domain)) = normal.rsplit_once('@') else {
        return Ok(Vec::new());
    };
    let first: String = local.chars().take(1).collect();
    let domains: Vec<&str> = if domain == "gmail.com" {
        vec!["gmail.com", "googlemail.com"]
    } else {
        vec![domain]
    };
    let mut found = Vec::new();
    for domain in domains {
        found.extend(
            accounts::table
                .filter(accounts::kind.eq("citizen"))
                .filter(accounts::email.like(format!("{first}%@{domain}")))
                .select(contact_columns())
                .load::<Contact>(conn)?,
        );
    }
    Ok(found)
}

/// The households the accounts belong to (registrations that are not drafts or refused): the
/// registering account and every account whose personal ID is a member. `None`: everyone's.
pub fn households(conn: &mut DbConn, of: Option<&[Contact]>) -> Result<Households, AppError> {
    let live = ["submitted", "approved", "stopped"];
    let registrations: Vec<(String, String)> = match of {
        None => enrolments::table
            .filter(enrolments::status.eq_any(live))
            .select((enrolments::id, enrolments::account_id))
            .load(conn)?,
        Some(contacts) => {
            let ids: Vec<&str> = contacts.iter().map(|c| c.id.as_str()).collect();
            let personal_ids: Vec<&str> = contacts
                .iter()
                .filter_map(|c| c.personal_id.as_deref())
                .collect();
            let as_member: Vec<String> = enrolment_members::table
                .filter(enrolment_members::personal_id.eq_any(&personal_ids))
                .select(enrolment_members::enrolment_id)
                .load(conn)?;
            enrolments::table
                .filter(enrolments::status.eq_any(live))
                .filter(
                    enrolments::account_id
                        .eq_any(&ids)
                        .or(enrolments::id.eq_any(&as_member)),
                )
                .select((enrolments::id, enrolments::account_id))
                .load(conn)?
        }
    };
    let registration_ids: Vec<&str> = registrations.iter().map(|(id, _)| id.as_str()).collect();
    let members: Vec<(String, String)> = enrolment_members::table
        .filter(enrolment_members::enrolment_id.eq_any(&registration_ids))
        .select((
            enrolment_members::enrolment_id,
            enrolment_members::personal_id,
        ))
        .load(conn)?;
    let member_ids: BTreeSet<&str> = members.iter().map(|(_, p)| p.as_str()).collect();
    let holders: Vec<(String, Option<String>)> = accounts::table
        .filter(accounts::personal_id.eq_any(&member_ids))
        .select((accounts::id, accounts::personal_id))
        .load(conn)?;
    let account_of: HashMap<String, String> = holders
        .into_iter()
        .filter_map(|(id, pid)| Some((pid?, id)))
        .collect();
    let groups = registrations.iter().map(|(registration, owner)| {
        let mut group = vec![owner.clone()];
        group.extend(
            members
                .iter()
                .filter(|(r, _)| r == registration)
                .filter_map(|(_, pid)| account_of.get(pid).cloned()),
        );
        group
    });
    Ok(Households::new(groups.collect::<Vec<_>>()))
}

/// (account, blind index) of every payout account, or of those sharing `account_id`'s.
pub fn bank_indexes(
    conn: &mut DbConn,
    keys: &crate::sealed::Keyring,
    account_id: Option<&str>,
) -> Result<Vec<(String, String)>, AppError> {
    match account_id {
        None => Ok(payout_accounts::table
            .select((
                payout_accounts::account_id,
                payout_accounts::account_number_index,
            ))
            .load(conn)?),
        Some(account_id) => {
            let Some(mine) = crate::payout::store::current(conn, keys, account_id)? else {
                return Ok(Vec::new());
            };
            // Under any configured key, so rows not yet resealed after a rotation match too.
            let holders = crate::payout::store::holders_of(conn, keys, mine.bank, &mine.number)?;
            Ok(holders
                .into_iter()
                .map(|holder| (holder, "same".to_owned()))
                .collect())
        }
    }
}

fn person_columns() -> (
    people::id,
    people::si_code,
    people::personal_id,
    people::full_name,
    people::birth_date,
    people::sex,
) {
    (
        people::id,
        people::si_code,
        people::personal_id,
        people::full_name,
        people::birth_date,
        people::sex,
    )
}

type PersonTuple = (String, String, Option<String>, String, NaiveDate, String);

fn book_person(row: PersonTuple) -> BookPerson {
    let (id, si_code, personal_id, full_name, birth_date, sex) = row;
    BookPerson {
        id,
        si_code,
        personal_id,
        full_name,
        birth_date,
        sex,
    }
}

/// Book records that may be one person's under two SI codes: records without a personal ID and
/// the records with one that share their birth date and name (all of them, or those that could
/// match `personal_id`'s record).
pub fn possible_twins(
    conn: &mut DbConn,
    personal_id: Option<&str>,
) -> Result<Vec<BookPerson>, AppError> {
    let anchors: Vec<PersonTuple> = match personal_id {
        Some(pid) => people::table
            .filter(people::personal_id.eq(pid))
            .select(person_columns())
            .load(conn)?,
        None => people::table
            .filter(people::personal_id.is_null())
            .select(person_columns())
            .load(conn)?,
    };
    if anchors.is_empty() {
        return Ok(Vec::new());
    }
    let days: BTreeSet<NaiveDate> = anchors.iter().map(|p| p.4).collect();
    let names: BTreeSet<&str> = anchors.iter().map(|p| p.3.as_str()).collect();
    let mut rows: Vec<PersonTuple> = people::table
        .filter(people::birth_date.eq_any(days))
        .filter(people::full_name.eq_any(names))
        .select(person_columns())
        .load(conn)?;
    if let Some(pid) = personal_id {
        rows.retain(|p| p.2.is_none() || p.2.as_deref() == Some(pid));
    }
    Ok(rows.into_iter().map(book_person).collect())
}

/// Personal ID → citizen account, for the given IDs.
pub fn accounts_by_personal_id(
    conn: &mut DbConn,
    personal_ids: &[&str],
) -> Result<HashMap<String, String>, AppError> {
    let rows: Vec<(String, Option<String>)> = accounts::table
        .filter(accounts::kind.eq("citizen"))
        .filter(accounts::personal_id.eq_any(personal_ids))
        .select((accounts::id, accounts::personal_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, pid)| Some((pid?, id)))
        .collect())
}

/// Account → (personal ID, date of death) of citizens whose person has a recorded death.
pub fn deaths(
    conn: &mut DbConn,
    account_id: Option<&str>,
) -> Result<HashMap<String, (String, NaiveDate)>, AppError> {
    let mut query = accounts::table
        .inner_join(people::table.on(people::personal_id.eq(accounts::personal_id.nullable())))
        .filter(people::died_on.is_not_null())
        .select((accounts::id, people::personal_id, people::died_on))
        .into_boxed();
    if let Some(id) = account_id {
        query = query.filter(accounts::id.eq(id.to_owned()));
    }
    let rows: Vec<(String, Option<String>, Option<NaiveDate>)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(account, pid, died)| Some((account, (pid?, died?))))
        .collect())
}

type ClaimTuple = (
    String,
    String,
    String,
    String,
    String,
    Option<Timestamp>,
    Option<NaiveDate>,
);

/// The submitted claims of the accounts.
pub fn claim_facts(conn: &mut DbConn, account_ids: &[&str]) -> Result<Vec<ClaimFact>, AppError> {
    let rows: Vec<ClaimTuple> = claims::table
        .filter(claims::account_id.eq_any(account_ids))
        .filter(claims::status.ne("draft"))
        .select((
            claims::id,
            claims::account_id,
            claims::kind,
            claims::status,
            claims::details,
            claims::submitted_at,
            claims::paid_on,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, account_id, kind, status, details, submitted_at, paid_on)| {
                let details: serde_json::Value = serde_json::from_str(&details).unwrap_or_default();
                ClaimFact {
                    id,
                    account_id,
                    kind,
                    status,
                    submitted_on: submitted_at.map(|at| crate::clock::in_vietnam(at).date()),
                    paid_on,
                    deceased_personal_id: details["deceased_personal_id"]
                        .as_str()
                        .map(str::to_owned),
                }
            },
        )
        .collect())
}

/// Approved or paid unemployment claims (of one account, or everyone's) with when their
/// benefit runs and the months the person's book shows contributions.
pub fn benefit_facts(
    conn: &mut DbConn,
    account_id: Option<&str>,
) -> Result<Vec<BenefitFact>, AppError> {
    let mut query = claims::table
        .filter(claims::kind.eq("unemployment"))
        .filter(claims::status.eq_any(["approved", "paid"]))
        .select((
            claims::id,
            claims::account_id,
            claims::details,
            claims::submitted_at,
            claims::updated_at,
        ))
        .into_boxed();
    if let Some(id) = account_id {
        query = query.filter(claims::account_id.eq(id.to_owned()));
    }
    let rows: Vec<(String, String, String, Option<Timestamp>, Timestamp)> = query.load(conn)?;
    let policy = crate::policy::Policy::load(conn)?;
    let mut facts = Vec::new();
    for (claim_id, owner, details, submitted_at, updated_at) in rows {
        let Ok(form) = serde_json::from_value::<crate::claims::form::ClaimForm>(
            serde_json::json!({ "kind": "unemployment", "details": serde_json::from_str::<serde_json::Value>(&details).unwrap_or_default() }),
        ) else {
            continue;
        };
        let crate::claims::form::ClaimForm::Unemployment(details) = &form else {
            continue;
        };
        let Some(account) = crate::accounts::store::account(conn, &owner)? else {
            continue;
        };
        let Some(personal_id) = account.personal_id.clone() else {
            continue;
        };
        let Some(person) = crate::insurance_book::store::person_by_personal_id(conn, &personal_id)?
        else {
            continue;
        };
        let approved: Option<Timestamp> = claim_events::table
            .filter(claim_events::claim_id.eq(&claim_id))
            .filter(claim_events::status.eq("approved"))
            .select(diesel::dsl::max(claim_events::at))
            .first(conn)?;
        let decided_on = crate::clock::in_vietnam(approved.unwrap_or(updated_at)).date();
        let as_of = submitted_at.unwrap_or(updated_at).date();
        let months = benefit_months(conn, &account, &form, as_of)?.or_else(|| {
            policy
                .row("unemployment_first_block_benefit_months", decided_on)
                .ok()
                .and_then(|p| u32::try_from(p.value).ok())
        });
        let contribution_months: Vec<Month> = contribution_months::table
            .filter(contribution_months::person_id.eq(&person.id))
            .select(contribution_months::month)
            .load::<NaiveDate>(conn)?
            .into_iter()
            .map(Month::of)
            .collect();
        facts.push(BenefitFact {
            claim_id,
            account_id: owner,
            termination_date: details.termination_date,
            decided_on,
            months: months.unwrap_or(0),
            contribution_months,
        });
    }
    Ok(facts)
}

/// The months of benefit the claim's assessment gives, when the book lets it compute them.
fn benefit_months(
    conn: &mut DbConn,
    account: &crate::accounts::store::Account,
    form: &crate::claims::form::ClaimForm,
    as_of: NaiveDate,
) -> Result<Option<u32>, AppError> {
    let assessment = crate::claims::assessment::assess(conn, account, form, as_of)?;
    Ok(assessment
        .and_then(|a| a.estimate)
        .and_then(|estimate| {
            estimate
                .explanation
                .lines
                .iter()
                .find(|line| line.label == "claims.unemployment.line.months")
                .map(|line| line.value)
        })
        .and_then(|months| u32::try_from(months).ok())
        .filter(|months| *months > 0))
}

type OriginTuple = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Timestamp,
);

fn origin_of(row: OriginTuple) -> Origin {
    let (subject_kind, subject_id, account_id, client_ip, device, at) = row;
    Origin {
        subject_kind,
        subject_id,
        account_id,
        client_ip,
        device,
        at,
    }
}

/// Submissions since `since`, from `ip` or `device` when given (everyone's when both are
/// `None`).
pub fn origins_since(
    conn: &mut DbConn,
    since: Timestamp,
    ip: Option<&str>,
    device: Option<&str>,
) -> Result<Vec<Origin>, AppError> {
    let columns = (
        submission_origins::subject_kind,
        submission_origins::subject_id,
        submission_origins::account_id,
        submission_origins::client_ip,
        submission_origins::device,
        submission_origins::at,
    );
    let base = submission_origins::table.filter(submission_origins::at.ge(since));
    let rows: Vec<OriginTuple> = match (ip, device) {
        (None, None) => base.select(columns).load(conn)?,
        (ip, device) => base
            .filter(
                submission_origins::client_ip
                    .eq(ip.unwrap_or_default().to_owned())
                    .or(submission_origins::device.eq(device.unwrap_or_default().to_owned())),
            )
            .select(columns)
            .load(conn)?,
    };
    Ok(rows.into_iter().map(origin_of).collect())
}

// ---------------------------------------------------------------------------------------------
// Reading and triage

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<FlagRow>, AppError> {
    Ok(flags::table
        .find(id)
        .select(FlagRow::as_select())
        .first(conn)
        .optional()?)
}

/// Flags, open first then newest first (at most `limit`), optionally of one status and one
/// kind.
pub fn list(
    conn: &mut DbConn,
    status: Option<&str>,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<FlagRow>, AppError> {
    let query = |conn: &mut DbConn, open: bool, limit: i64| {
        let mut query = flags::table.select(FlagRow::as_select()).into_boxed();
        query = if open {
            query.filter(flags::status.eq("open"))
        } else {
            query.filter(flags::status.ne("open"))
        };
        if let Some(status) = status {
            query = query.filter(flags::status.eq(status.to_owned()));
        }
        if let Some(kind) = kind {
            query = query.filter(flags::kind.eq(kind.to_owned()));
        }
        query
            .order((flags::created_at.desc(), flags::id.desc()))
            .limit(limit)
            .load::<FlagRow>(conn)
    };
    let mut rows = query(conn, true, limit)?;
    let room = limit - i64::try_from(rows.len()).unwrap_or(limit);
    if room > 0 {
        rows.extend(query(conn, false, room)?);
    }
    Ok(rows)
}

pub fn open_of_account(conn: &mut DbConn, account_id: &str) -> Result<Vec<FlagRow>, AppError> {
    Ok(flags::table
        .filter(flags::account_id.eq(account_id))
        .filter(flags::status.eq("open"))
        .order(flags::created_at.desc())
        .select(FlagRow::as_select())
        .load(conn)?)
}

pub fn open_counts(conn: &mut DbConn) -> Result<HashMap<String, usize>, AppError> {
    let rows: Vec<(String, i64)> = flags::table
        .filter(flags::status.eq("open"))
        .group_by(flags::account_id)
        .select((flags::account_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, usize::try_from(n).unwrap_or(0)))
        .collect())
}

/// Sets the triage outcome if the flag is still at `expected` version.
pub fn triage(
    conn: &mut DbConn,
    id: &str,
    expected: i64,
    status: &str,
    reason: Option<&str>,
    staff_id: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let rows = diesel::update(flags::table.find(id).filter(flags::version.eq(expected)))
        .set((
            flags::status.eq(status),
            flags::triage_reason.eq(reason),
            flags::triaged_by.eq(staff_id),
            flags::triaged_at.eq(now),
            flags::version.eq(flags::version + 1),
        ))
        .execute(conn)?;
    let exists = rows > 0 || find(conn, id)?.is_some();
    crate::web::concurrency::bumped(rows, exists)
}

/// An account named in a flag, with its claims, for showing the evidence.
pub struct Involved {
    pub id: String,
    pub name: String,
    pub claims: Vec<ClaimLink>,
}

pub struct ClaimLink {
    pub id: String,
    pub kind: String,
    pub status: String,
}

/// The accounts (in the order given) with their submitted claims, newest first.
pub fn accounts_with_claims(conn: &mut DbConn, ids: &[String]) -> Result<Vec<Involved>, AppError> {
    let names: Vec<(String, String)> = accounts::table
        .filter(accounts::id.eq_any(ids))
        .select((accounts::id, accounts::full_name))
        .load(conn)?;
    let claims_of: Vec<(String, String, String, String)> = claims::table
        .filter(claims::account_id.eq_any(ids))
        .filter(claims::status.ne("draft"))
        .order(claims::created_at.desc())
        .select((claims::account_id, claims::id, claims::kind, claims::status))
        .load(conn)?;
    Ok(ids
        .iter()
        .filter_map(|id| {
            let name = names.iter().find(|(n, _)| n == id)?.1.clone();
            let claims = claims_of
                .iter()
                .filter(|(owner, ..)| owner == id)
                .map(|(_, c, k, s)| ClaimLink {
                    id: c.clone(),
                    kind: k.clone(),
                    status: s.clone(),
                })
                .collect();
            Some(Involved {
                id: id.clone(),
                name,
                claims,
            })
        })
        .collect())
}
