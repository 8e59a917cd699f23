//! A claim from draft to its end, each step one transaction with its timeline event and its
//! email (outbox). The citizen saves a draft, submits it, exchanges messages with staff and may
//! withdraw it before a decision; staff steps (review, request information, decide, pay) grow
//! here with the staff handling.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::assessment::{self, Assessment};
use super::calendar::holidays_between;
use super::decision::{self, DecisionInputs, Proposal};
use super::documents::{self, ClaimDocument, DocumentKind};
use super::form::ClaimForm;
use super::rules::{self, DeadlineKind};
use crate::accounts::store::Account;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{claim_events, claim_messages, claims};
use crate::email;
use crate::error::{AppError, FieldCode};

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

    /// The catalog key of the status.
    pub fn key(self) -> &'static str {
        match self {
            Self::Draft => "status.draft",
            Self::Submitted => "status.submitted",
            Self::InReview => "status.in_review",
            Self::InfoRequested => "status.info_requested",
            Self::Approved => "status.approved",
            Self::Rejected => "status.rejected",
            Self::Paid => "status.paid",
            Self::Withdrawn => "status.withdrawn",
        }
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
    pub decided_amount: Option<i64>,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub payment_reference: Option<String>,
    pub paid_on: Option<chrono::NaiveDate>,
    pub submitted_at: Option<Timestamp>,
    pub decision_due: Option<chrono::NaiveDate>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Bumped by every change (optimistic concurrency, `web::concurrency`).
    pub version: i64,
    pub proposed_amount: Option<i64>,
    pub proposed_by: Option<String>,
    pub proposed_at: Option<Timestamp>,
    /// Why the proposed or approved amount is not the one the rules computed.
    pub amount_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    /// JSON of [`DecisionInputs`].
    pub decision_inputs: Option<String>,
    /// The claim this one appeals.
    pub appeal_of: Option<String>,
}

impl ClaimRow {
    /// The proposal waiting for approval, if any.
    pub fn proposal(&self) -> Option<Proposal<'_>> {
        Some(Proposal {
            by: self.proposed_by.as_deref()?,
            amount: self.proposed_amount?,
        })
    }
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
    /// The decision and the payment, once there are.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// What the person's own book says about the claim: who qualifies and how much, and for a
    /// lump sum the comparison with staying in the system.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    pub timeline: Vec<Event>,
    pub messages: Vec<Message>,
    pub documents: Vec<ClaimDocument>,
    /// Papers the claim still needs before it can be submitted.
    pub missing_documents: Vec<DocumentKind>,
    /// The claim this one appeals.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appeal_of: Option<String>,
    /// Appeals made against this claim's decision.
    pub appeals: Vec<String>,
}

/// What staff decided: the amount, or the reason (code and words), and the payment.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = ClaimDecision)]
pub struct Decision {
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// Why the amount is not the one the rules computed, when it is not.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_reason: Option<String>,
    #[schema(nullable = false, value_type = String)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Timestamp>,
    /// What the decision was based on: months, salary basis, dated parameters, articles.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inputs: Option<DecisionInputs>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_reference: Option<String>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<chrono::NaiveDate>,
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

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<ClaimRow>> {
    claims::table
        .find(id)
        .select(ClaimRow::as_select())
        .first(conn)
        .optional()
}

/// The row, locked for the rest of the transaction on PostgreSQL (a no-op write takes the row
/// lock on both backends), so a concurrent change made from the same version waits and then
/// sees the version this transaction writes.
fn lock(conn: &mut DbConn, id: &str) -> QueryResult<Option<ClaimRow>> {
    let found = diesel::update(claims::table.find(id))
        .set(claims::id.eq(claims::id))
        .execute(conn)?;
    if found == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// The claim if it is `account`'s ("not yours" reads as not found).
pub fn owned(conn: &mut DbConn, account: &Account, id: &str) -> Result<ClaimRow, AppError> {
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
    // The request date: the day it was submitted, or for a draft the day it was last saved.
    let as_of = row.submitted_at.unwrap_or(row.updated_at).date();
    let assessment = assess(conn, account, &form, as_of)?;
    let documents = documents::of_claim(conn, &row.id)?;
    let missing_documents = documents::missing(&form, &documents);
    let inputs = row
        .decision_inputs
        .as_deref()
        .map(serde_json::from_str::<DecisionInputs>)
        .transpose()
        .map_err(anyhow::Error::from)?;
    let appeals = claims::table
        .filter(claims::appeal_of.eq(&row.id))
        .order(claims::created_at.asc())
        .select(claims::id)
        .load(conn)?;
    let decision = (row.decided_amount.is_some() || row.reason_code.is_some()).then(|| Decision {
        amount: row.decided_amount,
        amount_reason: row.decided_amount.and(row.amount_reason.clone()),
        decided_at: row.decided_at,
        inputs,
        reason_code: row.reason_code.clone(),
        reason: row.reason_text.clone(),
        payment_reference: row.payment_reference.clone(),
        paid_on: row.paid_on,
    });
    Ok(Claim {
        form,
        decision,
        expected_decision: row.decision_due,
        assessment,
        id: row.id,
        status: Status::parse(&row.status),
        created_at: row.created_at,
        submitted_at: row.submitted_at,
        timeline,
        messages,
        documents,
        missing_documents,
        appeal_of: row.appeal_of,
        appeals,
    })
}

/// Checks the claim against the person's own book.
fn assess(
    conn: &mut DbConn,
    account: &Account,
    form: &ClaimForm,
    as_of: chrono::NaiveDate,
) -> Result<Option<Assessment>, AppError> {
    assessment::assess(conn, account, form, as_of)
}

/// The deadline kind of a claim form; for maternity, who files it, from the book.
fn deadline_kind(
    conn: &mut DbConn,
    account: &Account,
    form: &ClaimForm,
) -> Result<DeadlineKind, AppError> {
    assessment::deadline_kind(conn, account, form)
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
    .set((
        claims::status.eq(to.as_str()),
        claims::updated_at.eq(now),
        claims::version.eq(claims::version + 1),
    ))
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
        decided_amount: None,
        reason_code: None,
        reason_text: None,
        payment_reference: None,
        paid_on: None,
        submitted_at: None,
        decision_due: None,
        created_at: now,
        updated_at: now,
        version: 1,
        proposed_amount: None,
        proposed_by: None,
        proposed_at: None,
        amount_reason: None,
        decided_by: None,
        decided_at: None,
        decision_inputs: None,
        appeal_of: None,
    };
    diesel::insert_into(claims::table)
        .values(&row)
        .execute(conn)?;
    record(conn, &row.id, Status::Draft, "citizen", now)?;
    Ok(row.id)
}

/// The claim and its form, if it is `account`'s and they may still change it: a draft, or a
/// claim staff asked more of (409 otherwise).
pub fn changeable(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
) -> Result<(ClaimRow, ClaimForm), AppError> {
    let row = owned(conn, account, id)?;
    if !matches!(
        Status::parse(&row.status),
        Status::Draft | Status::InfoRequested
    ) {
        return Err(AppError::WrongState(row.status));
    }
    let form = form_of(&row)?;
    Ok((row, form))
}

/// Saves new facts on a claim that may still change; its kind stays what it was.
pub fn update(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
    form: &ClaimForm,
    now: Timestamp,
) -> Result<(), AppError> {
    let (row, current) = changeable(conn, account, id)?;
    if current.kind() != form.kind() {
        return Err(AppError::invalid("kind", FieldCode::InvalidFormat));
    }
    form.check(now.date())?;
    diesel::update(claims::table.find(&row.id))
        .set((
            claims::details.eq(details_json(form)?),
            claims::updated_at.eq(now),
            claims::version.eq(claims::version + 1),
        ))
        .execute(conn)?;
    Ok(())
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
    documents::require_all(&form, &documents::of_claim(conn, &row.id)?)?;
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
    let due = rules::decision_deadline(deadline_kind(conn, account, &form)?, today, &holidays);
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

/// Reasons a claim may be refused; each has a plain-language meaning for the citizen.
pub const REASON_CODES: [&str; 4] = [
    "not_eligible",
    "documents_missing",
    "duplicate_claim",
    "out_of_time",
];

/// What staff do to a claim.
pub enum StaffAction<'a> {
    /// Take a submitted claim into review.
    Review,
    /// Ask the citizen for something (the message says what); they resubmit. Any proposal is
    /// dropped: the facts may change.
    RequestInfo {
        message: &'a str,
    },
    /// Propose the amount to approve; a reason is needed when it is not what the rules
    /// computed. Replaces an earlier proposal.
    Propose {
        amount: i64,
        reason: &'a str,
    },
    /// Approve: the proposal as it stands, or directly `amount` where one person may decide
    /// (see [`decision::approvable`]).
    Approve {
        amount: Option<i64>,
        reason: &'a str,
    },
    Reject {
        code: &'a str,
        text: &'a str,
    },
    MarkPaid {
        reference: &'a str,
        paid_on: chrono::NaiveDate,
    },
}

impl StaffAction<'_> {
    /// The audit action's name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Review => "claim.review",
            Self::RequestInfo { .. } => "claim.request_info",
            Self::Propose { .. } => "claim.propose",
            Self::Approve { .. } => "claim.approve",
            Self::Reject { .. } => "claim.reject",
            Self::MarkPaid { .. } => "claim.mark_paid",
        }
    }
}

/// Who acts on a claim, from which version, under which four-eyes threshold.
pub struct Acting<'a> {
    pub staff_id: &'a str,
    /// The version the staff member saw; `None` where the caller holds its own lock (a
    /// payment run marking its claims paid).
    pub version: Option<i64>,
    pub four_eyes_above: i64,
}

/// Applies a staff action to the claim `id` (any citizen's): the transition, its event, the
/// decision's facts and inputs and an email to the citizen, in the caller's transaction.
/// Returns the claim's new version.
pub fn staff_act(
    conn: &mut DbConn,
    id: &str,
    by: &Acting<'_>,
    action: &StaffAction<'_>,
    public_url: &str,
    now: Timestamp,
) -> Result<i64, AppError> {
    let row = lock(conn, id)?.ok_or(AppError::NotFound)?;
    if by.version.is_some_and(|v| v != row.version) {
        return Err(AppError::Stale);
    }
    let undecided = [Status::Submitted, Status::InReview];
    let (from, to, email): (&[Status], Status, Option<&str>) = match action {
        StaffAction::Review => (
            &[Status::Submitted],
            Status::InReview,
            Some("claim_in_review"),
        ),
        StaffAction::RequestInfo { .. } => (
            &undecided,
            Status::InfoRequested,
            Some("claim_info_requested"),
        ),
        // A proposal is internal: the citizen sees the claim in review.
        StaffAction::Propose { .. } => (&undecided, Status::InReview, None),
        StaffAction::Approve { .. } => (&undecided, Status::Approved, Some("claim_approved")),
        StaffAction::Reject { .. } => (&undecided, Status::Rejected, Some("claim_rejected")),
        StaffAction::MarkPaid { .. } => (&[Status::Approved], Status::Paid, Some("claim_paid")),
    };
    if !from.contains(&Status::parse(&row.status)) {
        return Err(AppError::WrongState(row.status));
    }
    let owner =
        crate::accounts::store::account(conn, &row.account_id)?.ok_or(AppError::NotFound)?;
    let form = form_of(&row)?;
    let as_of = row.submitted_at.unwrap_or(row.updated_at).date();
    let target = claims::table.find(&row.id);
    match action {
        StaffAction::RequestInfo { message } => {
            if message.trim().is_empty() {
                return Err(AppError::invalid("message", FieldCode::Required));
            }
            insert_staff_message(conn, &row.id, by.staff_id, message, now)?;
            clear_proposal(conn, &row.id)?;
        }
        StaffAction::Propose { amount, reason } => {
            let assessment = assess(conn, &owner, &form, as_of)?;
            let computed = assessment.as_ref().and_then(decision::computed_amount);
            decision::check_amount(computed, *amount, reason)?;
            diesel::update(target)
                .set((
                    claims::proposed_amount.eq(amount),
                    claims::proposed_by.eq(by.staff_id),
                    claims::proposed_at.eq(now),
                    claims::amount_reason.eq(non_empty(reason)),
                ))
                .execute(conn)?;
        }
        StaffAction::Approve { amount, reason } => {
            let kind = form.kind();
            let amount = decision::approvable(
                kind,
                row.proposal(),
                by.staff_id,
                *amount,
                by.four_eyes_above,
            )?;
            let assessment = assess(conn, &owner, &form, as_of)?;
            let computed = assessment.as_ref().and_then(decision::computed_amount);
            // The proposal's reason stands for the proposal's amount; a direct approval gives
            // its own.
            let reason = match row.proposal() {
                Some(_) => row.amount_reason.clone().unwrap_or_default(),
                None => reason.trim().to_owned(),
            };
            decision::check_amount(computed, amount, &reason)?;
            let inputs = assessment.as_ref().map(DecisionInputs::of);
            diesel::update(target)
                .set((
                    claims::decided_amount.eq(amount),
                    claims::amount_reason.eq(non_empty(&reason)),
                    claims::decided_by.eq(by.staff_id),
                    claims::decided_at.eq(now),
                    claims::decision_inputs.eq(inputs_json(inputs.as_ref())?),
                ))
                .execute(conn)?;
        }
        StaffAction::Reject { code, text } => {
            if !REASON_CODES.contains(code) {
                return Err(AppError::invalid("reason_code", FieldCode::Required));
            }
            if text.trim().is_empty() {
                return Err(AppError::invalid("reason", FieldCode::Required));
            }
            let assessment = assess(conn, &owner, &form, as_of)?;
            let inputs = assessment.as_ref().map(DecisionInputs::of);
            diesel::update(target)
                .set((
                    claims::reason_code.eq(code),
                    claims::reason_text.eq(text.trim()),
                    claims::decided_by.eq(by.staff_id),
                    claims::decided_at.eq(now),
                    claims::decision_inputs.eq(inputs_json(inputs.as_ref())?),
                ))
                .execute(conn)?;
        }
        StaffAction::MarkPaid { reference, paid_on } => {
            if reference.trim().is_empty() {
                return Err(AppError::invalid("reference", FieldCode::Required));
            }
            if *paid_on > now.date() {
                return Err(AppError::invalid("paid_on", FieldCode::DateInFuture));
            }
            diesel::update(target)
                .set((
                    claims::payment_reference.eq(reference.trim()),
                    claims::paid_on.eq(paid_on),
                ))
                .execute(conn)?;
        }
        StaffAction::Review => {}
    }
    if Status::parse(&row.status) == to {
        // A proposal on a claim already in review: no new step, but a new version.
        diesel::update(claims::table.find(&row.id))
            .set((
                claims::version.eq(claims::version + 1),
                claims::updated_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        transition(conn, &row, from, to, "staff", now)?;
    }
    if let Some(email) = email {
        notify(conn, &owner, &row, email, public_url, now)?;
    }
    Ok(row.version + 1)
}

fn non_empty(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

fn inputs_json(inputs: Option<&DecisionInputs>) -> Result<Option<String>, AppError> {
    Ok(inputs
        .map(serde_json::to_string)
        .transpose()
        .map_err(anyhow::Error::from)?)
}

fn clear_proposal(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::update(claims::table.find(id))
        .set((
            claims::proposed_amount.eq(None::<i64>),
            claims::proposed_by.eq(None::<String>),
            claims::proposed_at.eq(None::<Timestamp>),
            claims::amount_reason.eq(None::<String>),
        ))
        .execute(conn)
}

fn insert_staff_message(
    conn: &mut DbConn,
    claim_id: &str,
    staff_id: &str,
    body: &str,
    now: Timestamp,
) -> QueryResult<usize> {
    diesel::insert_into(claim_messages::table)
        .values((
            claim_messages::id.eq(uuid::Uuid::now_v7().to_string()),
            claim_messages::claim_id.eq(claim_id),
            claim_messages::from_staff.eq(true),
            claim_messages::author_id.eq(staff_id),
            claim_messages::body.eq(body.trim()),
            claim_messages::created_at.eq(now),
        ))
        .execute(conn)
}

/// An appeal against a decision: a new claim of the same kind and facts, linked to the one it
/// appeals, submitted at once and due within the appeal time limit. One per decision: asking
/// again returns the appeal already made. Possible within `limits.appeal_days` of the decision.
pub fn appeal(
    conn: &mut DbConn,
    account: &Account,
    id: &str,
    message: &str,
    limits: &crate::config::Casework,
    public_url: &str,
    now: Timestamp,
) -> Result<(String, bool), AppError> {
    let row = owned(conn, account, id)?;
    if let Some(existing) = claims::table
        .filter(claims::appeal_of.eq(&row.id))
        .select(claims::id)
        .first::<String>(conn)
        .optional()?
    {
        return Ok((existing, false));
    }
    let decided = matches!(
        Status::parse(&row.status),
        Status::Approved | Status::Rejected | Status::Paid
    );
    let Some(decided_at) = row.decided_at.filter(|_| decided) else {
        return Err(AppError::WrongState(row.status));
    };
    if now - decided_at > chrono::Duration::days(limits.appeal_days) {
        return Err(AppError::invalid("appeal", FieldCode::DateTooOld));
    }
    let appeal = ClaimRow {
        id: uuid::Uuid::now_v7().to_string(),
        account_id: account.id.clone(),
        kind: row.kind.clone(),
        status: Status::Submitted.as_str().into(),
        details: row.details.clone(),
        decided_amount: None,
        reason_code: None,
        reason_text: None,
        payment_reference: None,
        paid_on: None,
        submitted_at: Some(now),
        decision_due: Some(now.date() + chrono::Duration::days(limits.appeal_decision_days)),
        created_at: now,
        updated_at: now,
        version: 1,
        proposed_amount: None,
        proposed_by: None,
        proposed_at: None,
        amount_reason: None,
        decided_by: None,
        decided_at: None,
        decision_inputs: None,
        appeal_of: Some(row.id.clone()),
    };
    diesel::insert_into(claims::table)
        .values(&appeal)
        .execute(conn)?;
    record(conn, &appeal.id, Status::Submitted, "citizen", now)?;
    if let Some(text) = non_empty(message) {
        if text.chars().count() > 4000 {
            return Err(AppError::invalid("message", FieldCode::TooLong));
        }
        post_message(conn, account, &appeal.id, text, now)?;
    }
    notify(conn, account, &appeal, "claim_submitted", public_url, now)?;
    Ok((appeal.id, true))
}

/// A claim for staff (who may read any): its row, its owner and the claim as they see it.
pub fn for_staff(conn: &mut DbConn, id: &str) -> Result<(ClaimRow, Account, Claim), AppError> {
    let row = find(conn, id)?.ok_or(AppError::NotFound)?;
    let account =
        crate::accounts::store::account(conn, &row.account_id)?.ok_or(AppError::NotFound)?;
    let claim = view(conn, &account, id)?;
    Ok((row, account, claim))
}

fn notify(
    conn: &mut DbConn,
    account: &Account,
    row: &ClaimRow,
    kind: &str,
    public_url: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let link = format!("{public_url}/account/claims/{}", row.id);
    email::notify(conn, account, kind, &link, &[], now)
}
