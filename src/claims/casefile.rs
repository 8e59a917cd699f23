//! A claim as staff work on it, for the review page and `/api/v1/staff/claims`: the claim
//! beside the applicant's book, their earlier claims and the proposal waiting for approval;
//! opening it is an audited read of the citizen's record. Staff actions go through [`act`],
//! which checks the permission for the action, applies it from the version the staff member
//! saw and audits it, in one transaction.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::flow::{self, Acting, Claim, StaffAction, Status};
use crate::accounts::model::PersonalId;
use crate::accounts::store::Account;
use crate::audit::{self, Actor};
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{accounts, claims};
use crate::error::AppError;
use crate::insurance_book::{self, Summary};
use crate::staff::{Permission, StaffMember};

/// Everything staff see about a claim.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffClaim)]
pub struct Casefile {
    pub claim: Claim,
    /// The version to send back in `If-Match` (also the `ETag`).
    pub version: i64,
    pub applicant: Applicant,
    /// The applicant's book at a glance, when they have one.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub book: Option<Summary>,
    /// The applicant's other claims, newest first.
    pub earlier_claims: Vec<EarlierClaim>,
    /// A proposal waiting for a second person's approval.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<ProposalView>,
    /// Whether approving needs a second person (the kind, or the amount over the threshold).
    pub needs_second_person: bool,
    /// Open fraud or duplicate flags on the applicant, explained.
    pub flags: Vec<crate::flags::Flag>,
    /// Who decided, once decided.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffClaimApplicant)]
pub struct Applicant {
    pub account_id: String,
    pub full_name: String,
    /// Masked: the last digits only.
    pub personal_id: String,
}

#[derive(Debug, Serialize, ToSchema, Queryable)]
#[schema(as = StaffEarlierClaim)]
pub struct EarlierClaim {
    pub id: String,
    pub kind: String,
    pub status: String,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_amount: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffClaimProposal)]
pub struct ProposalView {
    pub amount: i64,
    /// The staff member who proposed it (name).
    pub by: String,
    pub by_id: String,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn staff_name(conn: &mut DbConn, id: &str) -> QueryResult<String> {
    accounts::table
        .find(id)
        .select(accounts::full_name)
        .first(conn)
}

/// Opens claim `id` for `actor`, recording the read in the audit log (the citizen sees it in
/// their access log). Call inside a write transaction.
pub fn open(
    conn: &mut DbConn,
    id: &str,
    actor: &Actor,
    four_eyes_above: i64,
    catalog: &crate::web::i18n::Catalog,
    now: Timestamp,
) -> Result<(Casefile, Account), AppError> {
    let (row, account, claim) = flow::for_staff(conn, id)?;
    audit::staff_read(
        conn,
        now.and_utc(),
        actor,
        &account.id,
        &format!("claim:{id}"),
    )?;
    let book = match account.personal_id.as_deref() {
        Some(pid) => super::assessment::book_of(conn, pid)?
            .map(|book| insurance_book::summary(&book, crate::clock::in_vietnam(now).date())),
        None => None,
    };
    let earlier_claims = claims::table
        .filter(claims::account_id.eq(&account.id))
        .filter(claims::id.ne(id))
        .filter(claims::status.ne(Status::Draft.as_str()))
        .order(claims::created_at.desc())
        .select((
            claims::id,
            claims::kind,
            claims::status,
            claims::created_at,
            claims::decided_amount,
        ))
        .load(conn)?;
    let proposal = match row.proposal() {
        Some(p) => Some(ProposalView {
            amount: p.amount,
            by: staff_name(conn, p.by)?,
            by_id: p.by.to_owned(),
            reason: row.amount_reason.clone(),
        }),
        None => None,
    };
    let decided_by = row
        .decided_by
        .as_deref()
        .map(|by| staff_name(conn, by))
        .transpose()?;
    let amount = row
        .proposed_amount
        .or(row.decided_amount)
        .or_else(|| {
            claim
                .assessment
                .as_ref()
                .and_then(super::decision::computed_amount)
        })
        .unwrap_or(0);
    let needs_second_person =
        super::decision::needs_second_person(claim.form.kind(), amount, four_eyes_above);
    let flags = crate::flags::open_for_account(conn, catalog, &account.id)?;
    let applicant = Applicant {
        account_id: account.id.clone(),
        full_name: account.full_name.clone(),
        personal_id: account
            .personal_id
            .as_deref()
            .map(PersonalId::masked)
            .unwrap_or_default(),
    };
    Ok((
        Casefile {
            claim,
            version: row.version,
            applicant,
            book,
            earlier_claims,
            proposal,
            needs_second_person,
            flags,
            decided_by,
        },
        account,
    ))
}

/// The permission an action needs: deciding needs [`Permission::Decide`], marking paid
/// [`Permission::Pay`], the rest (review, ask, propose) [`Permission::Review`].
pub fn permission_for(action: &StaffAction<'_>) -> Permission {
    match action {
        StaffAction::Approve { .. } | StaffAction::Reject { .. } => Permission::Decide,
        StaffAction::MarkPaid { .. } => Permission::Pay,
        _ => Permission::Review,
    }
}

/// `member` does `action` on claim `id` from `version`, audited; returns the new version.
#[allow(clippy::too_many_arguments)]
pub fn act(
    conn: &mut DbConn,
    id: &str,
    member: &StaffMember,
    actor: &Actor,
    version: i64,
    action: &StaffAction<'_>,
    settings: &crate::config::Settings,
    now: Timestamp,
) -> Result<i64, AppError> {
    member.require(permission_for(action))?;
    // A claim in a payment run is paid by settling the run, not by hand.
    if matches!(action, StaffAction::MarkPaid { .. }) && crate::payments::in_live_run(conn, id)? {
        return Err(AppError::WrongState("in_payment_run".into()));
    }
    let acting = Acting {
        staff_id: &member.account.id,
        version: Some(version),
        four_eyes_above: settings.limits.casework.four_eyes_above,
    };
    let next = flow::staff_act(conn, id, &acting, action, &settings.public_url, now)?;
    let detail = match action {
        StaffAction::Review => serde_json::json!({}),
        StaffAction::RequestInfo { message } => serde_json::json!({ "message": message.trim() }),
        StaffAction::Propose { amount, reason } => {
            serde_json::json!({ "amount": amount, "reason": reason.trim() })
        }
        StaffAction::Approve { amount, reason } => {
            let row = flow::find(conn, id)?.ok_or(AppError::NotFound)?;
            serde_json::json!({
                "amount": row.decided_amount, "asked_amount": amount, "reason": reason.trim(),
                "proposed_by": row.proposed_by,
            })
        }
        StaffAction::Reject { code, text } => {
            serde_json::json!({ "reason_code": code, "reason": text.trim() })
        }
        StaffAction::MarkPaid { reference, paid_on } => {
            serde_json::json!({ "reference": reference.trim(), "paid_on": paid_on })
        }
    };
    let event = actor.event(action.name(), format!("claim:{id}"), detail);
    audit::record(conn, now.and_utc(), &event)?;
    Ok(next)
}
