//! A claim from draft to its end, each step one transaction with its timeline event and its
//! email (outbox). The citizen saves a draft, submits it, exchanges messages with staff and may
//! withdraw it before a decision; staff steps (review, request information, decide, pay) grow
//! here with the staff handling.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::calendar::holidays_between;
use super::form::{ClaimForm, MaternityEvent};
use super::rules::{self, Amount, DeadlineKind, Eligibility};
use crate::accounts::store::Account;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{claim_events, claim_messages, claims};
use crate::email::{self, messages};
use crate::error::{AppError, FieldCode};
use crate::insurance_book::model::Month;
use crate::insurance_book::store::{months_of, person_by_personal_id};
use crate::policy::Policy;
use crate::web::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ClaimStatus)]
pub enum Status {
    Draft,
    Submitted,
    InReview,
    InfoRequested,
    Approved,
    Rejected,
    Paid,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Self::Draft,
        Self::Submitted,
        Self::InReview,
        Self::InfoRequested,
        Self::Approved,
        Self::Rejected,
        Self::Paid,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::InReview => "in_review",
            Self::InfoRequested => "info_requested",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Paid => "paid",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .unwrap_or(Self::Draft)
    }

    /// Before a decision the citizen may still withdraw.
    fn undecided(self) -> bool {
        matches!(
            self,
            Self::Draft | Self::Submitted | Self::InReview | Self::InfoRequested
        )
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = claims)]
pub struct ClaimRow {
    pub id: String,
    pub account_id: String,
    pub kind: String,
    pub status: String,
    pub details: String,
    pub submitted_at: Option<Timestamp>,
    pub decision_due: Option<chrono::NaiveDate>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A claim as its owner sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Claim {
    pub id: String,
    #[serde(flatten)]
    pub form: ClaimForm,
    pub status: Status,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(nullable = false, value_type = String)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<Timestamp>,
    /// The legal deadline for the decision, counted in working days from submission.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_decision: Option<chrono::NaiveDate>,
    /// What the person's own book says about the claim (maternity so far).
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    pub timeline: Vec<Event>,
    pub messages: Vec<Message>,
}

/// Eligibility from the person's book and the estimate, each explained line by line.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = ClaimAssessment)]
pub struct Assessment {
    pub eligibility: Eligibility,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Amount>,
}

/// One step of a claim's life.
#[derive(Clone, Debug, Serialize, ToSchema, Queryable)]
#[schema(as = ClaimEvent)]
pub struct Event {
    #[schema(value_type = String)]
    pub at: Timestamp,
    pub status: String,
    /// `citizen` or `staff`.
    pub actor: String,
}

#[derive(Clone, Debug, Serialize, ToSchema, Queryable)]
#[schema(as = ClaimMessage)]
pub struct Message {
    pub from_staff: bool,
    pub body: String,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
}

fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<ClaimRow>> {
    claims::table
        .find(id)
        .select(ClaimRow::as_select())
        .first(conn)
        .optional()
}

/// The claim if it is `account`'s ("not yours" reads as not found).
fn owned(conn: &mut DbConn, account: &Account, id: &str) -> Result<ClaimRow, AppError> {
    match find(conn, id)? {
        Some(row) if row.account_id == account.id => Ok(row),
        _ => Err(AppError::NotFound),
    }
}

fn form_of(row: &ClaimRow) -> Result<ClaimForm, AppError> {
    let tagged = serde_json::json!({ "kind": row.kind, "details": serde_json::from_str::<serde_json::Value>(&row.details).map_err(anyhow::Error::from)? });
    Ok(serde_json::from_value(tagged).map_err(anyhow::Error::from)?)
}

fn details_json(form: &ClaimForm) -> Result<String, AppError> {
    let tagged = serde_json::to_value(form).map_err(anyhow::Error::from)?;
    Ok(tagged["details"].to_string())
}

/// The claim with its timeline and messages, for its owner.
pub fn view(conn: &mut DbConn, account: &Account, id: &str) -> Result<Claim, AppError> {
    let row = owned(conn, account, id)?;
    let timeline = claim_events::table
        .filter(claim_events::claim_id.eq(&row.id))
        .order(claim_events::seq.asc())
        .select((claim_events::at, claim_events::status, claim_events::actor))
        .load(conn)?;
    let messages = claim_messages::table
        .filter(claim_messages::claim_id.eq(&row.id))
        .order(claim_messages::created_at.asc())
        .select((
            claim_messages::from_staff,
            claim_messages::body,
            claim_messages::created_at,
        ))
        .load(conn)?;
    let form = form_of(&row)?;
    let assessment = assess(conn, account, &form)?;
    Ok(Claim {
        form,
        expected_decision: row.decision_due,
        assessment,
        id: row.id,
        status: Status::parse(&row.status),
        created_at: row.created_at,
        submitted_at: row.submitted_at,
        timeline,
        messages,
    })
}

/// Checks the claim against the person's own book, where the rules for its kind are wired in.
fn assess(
    conn: &mut DbConn,
    account: &Account,
    form: &ClaimForm,
) -> Result<Option<Assessment>, AppError> {
    let ClaimForm::Maternity(maternity) = form else {
        return Ok(None);
    };
    let Some(personal_id) = &account.personal_id else {
        return Ok(None);
    };
    let paid: Vec<Month> = match person_by_personal_id(conn, personal_id)? {
        Some(person) => months_of(conn, &person.id, None, None)?
            .into_iter()
            .filter(|m| m.paid_on.is_some() && m.funds.pension_employee + m.state_support > 0)
            .map(|m| m.month)
            .collect(),
        None => Vec::new(),
    };
    let eligibility = rules::maternity_eligibility(&paid, maternity.event_date);
    let policy = Policy::load(conn)?;
    let estimate = if eligibility.eligible && maternity.event != MaternityEvent::Miscarriage {
        rules::childbirth_lump_sum(maternity.event_date, u32::from(maternity.children), &policy)
            .ok()
    } else {
        None
    };
    Ok(Some(Assessment {
        eligibility,
        estimate,
    }))
}

/// The deadline kind of a claim form (who files a maternity claim is not asked yet: the
/// employer route applies).
fn deadline_kind(form: &ClaimForm) -> DeadlineKind {
    match form {
        ClaimForm::Sickness(_) => DeadlineKind::Sickness,
        ClaimForm::Maternity(_) => DeadlineKind::Maternity,
        ClaimForm::Unemployment(_) => DeadlineKind::Unemployment,
        ClaimForm::LumpSum(_) => DeadlineKind::LumpSum,
        ClaimForm::Funeral(_) => DeadlineKind::Funeral,
        ClaimForm::HiReimbursement(_) => DeadlineKind::HealthReimbursement,
    }
}

/// The account's claims, newest first.
pub fn list(conn: &mut DbConn, account: &Account) -> Result<Vec<Claim>, AppError> {
    let ids: Vec<String> = claims::table
        .filter(claims::account_id.eq(&account.id))
        .order(claims::created_at.desc())
        .select(claims::id)
        .load(conn)?;
    ids.iter().map(|id| view(conn, account, id)).collect()
}

fn record(
    conn: &mut DbConn,
    claim_id: &str,
    status: Status,
    actor: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let last: Option<i32> = claim_events::table
        .filter(claim_events::claim_id.eq(claim_id))
        .select(diesel::dsl::max(claim_events::seq))
        .first(conn)?;
    diesel::insert_into(claim_events::table)
        .values((
            claim_events::claim_id.eq(claim_id),
            claim_events::seq.eq(last.unwrap_or(0) + 1),
            claim_events::at.eq(now),
            claim_events::status.eq(status.as_str()),
            claim_events::actor.eq(actor),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves the claim (locked by the update) from one of `from` to `to`, with its event.
fn transition(
    conn: &mut DbConn,
    row: &ClaimRow,
    from: &[Status],
    to: Status,
    actor: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let allowed: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    let moved = diesel::update(
        claims::table
            .find(&row.id)
            .filter(claims::status.eq_any(&allowed)),
    )
    .set((claims::status.eq(to.as_str()), claims::updated_at.eq(now)))
    .execute(conn)?;
    if moved == 0 {
        let current = find(conn, &row.id)?.map(|r| r.status).unwrap_or_default();
        return Err(AppError::WrongState(current));
    }
    record(conn, &row.id, to, actor, now)
}

/// Starts a draft.
pub fn create(
    conn: &mut DbConn,
    account: &Account,
    form: &ClaimForm,
    now: Timestamp,
) -> Result<String, AppError> {
    form.check(now.date())?;
    let row = ClaimRow {
        id: uuid::Uuid::now_v7().to_string(),
        account_id: account.id.clone(),
        kind: form.kind().as_str().into(),
        status: Status::Draft.as_str().into(),
        details: details_json(form)?,
        submitted_at: None,
        decision_due: None,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(claims::table)
        .values(&row)
        .execute(conn)?;
    record(conn, &row.id, Status::Draft, "citizen", now)?;
    Ok(row.id)
}

/// Sends a draft (or an answer to a request for information) to the agency.
pub fn submit(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
    public_url: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let row = owned(conn, account, id)?;
    let form = form_of(&row)?;
    form.ready()?;
    transition(
        conn,
        &row,
        &[Status::Draft, Status::InfoRequested],
        Status::Submitted,
        "citizen",
        now,
    )?;
    // Holidays of the next half year are more than any time limit needs.
    let today = now.date();
    let holidays = holidays_between(conn, today, today + chrono::Duration::days(183))?;
    let due = rules::decision_deadline(deadline_kind(&form), today, &holidays);
    diesel::update(claims::table.find(&row.id))
        .set((claims::submitted_at.eq(now), claims::decision_due.eq(due)))
        .execute(conn)?;
    notify(conn, account, &row, "claim_submitted", public_url, now)
}

/// Withdraws a claim not yet decided (409 after a decision).
pub fn withdraw(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
    public_url: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let row = owned(conn, account, id)?;
    let undecided: Vec<Status> = Status::ALL.into_iter().filter(|s| s.undecided()).collect();
    transition(conn, &row, &undecided, Status::Withdrawn, "citizen", now)?;
    notify(conn, account, &row, "claim_withdrawn", public_url, now)
}

/// A message from the citizen on their claim.
pub fn post_message(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
    body: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let row = owned(conn, account, id)?;
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid("body", FieldCode::Required));
    }
    if body.chars().count() > 4000 {
        return Err(AppError::invalid("body", FieldCode::TooLong));
    }
    diesel::insert_into(claim_messages::table)
        .values((
            claim_messages::id.eq(uuid::Uuid::now_v7().to_string()),
            claim_messages::claim_id.eq(&row.id),
            claim_messages::from_staff.eq(false),
            claim_messages::author_id.eq(&account.id),
            claim_messages::body.eq(body),
            claim_messages::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn notify(
    conn: &mut DbConn,
    account: &Account,
    row: &ClaimRow,
    kind: &str,
    public_url: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let lang = Lang::parse(&account.locale).unwrap_or(Lang::Vi);
    let link = format!("{public_url}/account/claims/{}", row.id);
    let message = messages::notice(lang, &account.email, &account.full_name, kind, &link, &[]);
    email::enqueue(conn, &message, now)?;
    Ok(())
}
