//! Payment runs (issue 7): approved claims batched into a run, exported as a bank-transfer
//! file (CSV), then settled: every transfer the bank made is marked paid (the claim moves to
//! `paid` with its date and reference, and the citizen is emailed), a transfer the bank sent
//! back is marked returned (the claim stays approved for a later run, the citizen is asked to
//! check their bank account). A run closes once nothing is pending.
//!
//! - Claims without a payout account are paid in cash at the office (Law 41/2024/QH15 Art. 93):
//!   they never go into a bank run and are listed apart ([`office_claims`]).
//! - The full account number is opened from the sealed payout account only for the export,
//!   and every export is audited as a staff read of each citizen's account.
//! - Runs carry a `version` (optimistic concurrency): settling names the version it was made
//!   from, and of two concurrent changes one gets `Stale`.
//! - Everything here needs [`crate::staff::Permission::Pay`].

pub mod api;
pub mod pages;
pub mod rules;
pub mod store;

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor};
use crate::claims::flow::{self, StaffAction};
use crate::clock::Timestamp;
use crate::db::{DbConn, is_unique_violation};
use crate::error::{AppError, FieldCode};
use crate::sealed::Keyring;
use rules::{ItemStatus, RunStatus, Transfer};
use store::{ItemRow, RunRow};

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
}

/// The email kind sent when the bank returns a transfer (`email.payment_returned.*`).
const RETURNED_NOTICE: &str = "payment_returned";

/// The state [`AppError::WrongState`] names when no approved claim waits for a bank transfer.
pub const NOTHING_TO_PAY: &str = "payments_nothing_waiting";

/// A return reason is a short note for the citizen and the file.
const REASON_MAX: usize = 500;
/// Bank references are short codes.
const BANK_REFERENCE_MAX: usize = 64;

/// A payment run as listed.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = PaymentRun)]
pub struct RunView {
    #[schema(example = "01937a4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f")]
    pub id: String,
    #[schema(example = "PR-2026-11-30-001")]
    pub reference: String,
    pub status: RunStatus,
    #[schema(value_type = String, example = "2026-11-30T08:00:00")]
    pub created_at: Timestamp,
    #[schema(nullable = false, value_type = String)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<Timestamp>,
    #[schema(nullable = false, value_type = String)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    /// Sum of every item's amount, whole VND.
    #[schema(example = 5060000)]
    pub total_amount: i64,
    #[schema(example = 1)]
    pub item_count: i64,
    /// The version to send back in `If-Match` (also the `ETag`).
    #[schema(example = 1)]
    pub version: i64,
}

impl From<&RunRow> for RunView {
    fn from(row: &RunRow) -> Self {
        Self {
            id: row.id.clone(),
            reference: row.reference.clone(),
            status: RunStatus::parse(&row.status),
            created_at: row.created_at,
            exported_at: row.exported_at,
            closed_at: row.closed_at,
            total_amount: row.total_amount,
            item_count: row.item_count,
            version: row.version,
        }
    }
}

/// One claim of a run: who, where to, how much and what became of it.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = PaymentItem)]
pub struct ItemView {
    #[schema(example = 1)]
    pub seq: i64,
    #[schema(example = "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f")]
    pub claim_id: String,
    #[schema(example = "Nguyễn Văn An")]
    pub claimant_name: String,
    #[schema(example = "970436")]
    pub bank_code: String,
    #[schema(example = "Vietcombank")]
    pub bank_name: String,
    /// The last four digits only.
    #[schema(example = "•••• 4567")]
    pub account_number: String,
    #[schema(example = "NGUYEN VAN AN")]
    pub holder_name: String,
    #[schema(example = 5060000)]
    pub amount: i64,
    pub status: ItemStatus,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_reason: Option<String>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<chrono::NaiveDate>,
}

/// A run with its items and the totals by outcome.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = PaymentRunDetail)]
pub struct RunDetail {
    #[serde(flatten)]
    pub run: RunView,
    pub items: Vec<ItemView>,
    /// Whole VND still waiting for the bank.
    pub pending_amount: i64,
    pub paid_amount: i64,
    pub returned_amount: i64,
}

/// An approved claim with no payout account: paid in cash at the office.
#[derive(Clone, Debug, Serialize)]
pub struct OfficeClaim {
    pub claim_id: String,
    pub claimant_name: String,
    pub kind: String,
    pub amount: i64,
}

/// Whether the claim waits in (or was paid through) a payment run: a claim marked paid by
/// hand while its run is pending would make that run impossible to settle, so the claim page
/// should refuse it then.
pub fn in_live_run(conn: &mut DbConn, claim_id: &str) -> Result<bool, AppError> {
    Ok(store::in_live_run(conn, claim_id)?)
}

/// Every run, newest first.
pub fn list(conn: &mut DbConn) -> Result<Vec<RunView>, AppError> {
    Ok(store::runs(conn)?.iter().map(RunView::from).collect())
}

/// The run `id` with its items (404 when there is none).
pub fn detail(conn: &mut DbConn, id: &str) -> Result<RunDetail, AppError> {
    let run = store::run(conn, id)?.ok_or(AppError::NotFound)?;
    let items = store::items(conn, &run.id)?;
    let ids: Vec<String> = items.iter().map(|i| i.account_id.clone()).collect();
    let names = store::names(conn, &ids)?;
    let sum = |status: ItemStatus| {
        items
            .iter()
            .filter(|i| ItemStatus::parse(&i.status) == status)
            .map(|i| i.amount)
            .sum::<i64>()
    };
    let (pending_amount, paid_amount, returned_amount) = (
        sum(ItemStatus::Pending),
        sum(ItemStatus::Paid),
        sum(ItemStatus::Returned),
    );
    let items = items
        .into_iter()
        .map(|i| ItemView {
            claimant_name: names.get(&i.account_id).cloned().unwrap_or_default(),
            seq: i.seq,
            claim_id: i.claim_id,
            bank_code: i.bank_bin,
            bank_name: i.bank_name,
            account_number: i.masked_number,
            holder_name: i.holder_name,
            amount: i.amount,
            status: ItemStatus::parse(&i.status),
            return_reason: i.return_reason,
            paid_on: i.paid_on,
        })
        .collect();
    Ok(RunDetail {
        run: RunView::from(&run),
        items,
        pending_amount,
        paid_amount,
        returned_amount,
    })
}

/// Approved claims not in a live run whose claimant has no payout account.
pub fn office_claims(conn: &mut DbConn, keys: &Keyring) -> Result<Vec<OfficeClaim>, AppError> {
    let mut office = Vec::new();
    let waiting = store::waiting(conn)?;
    let ids: Vec<String> = waiting.iter().map(|w| w.account_id.clone()).collect();
    let names = store::names(conn, &ids)?;
    for claim in waiting {
        if crate::payout::store::current(conn, keys, &claim.account_id)?.is_none() {
            office.push(OfficeClaim {
                claimant_name: names.get(&claim.account_id).cloned().unwrap_or_default(),
                amount: claim.amount.unwrap_or(0),
                claim_id: claim.claim_id,
                kind: claim.kind,
            });
        }
    }
    Ok(office)
}

/// Batches every approved claim with a payout account and not in a live run into a new run,
/// audited as `payment_run.create`. Nothing waiting: 409 ([`NOTHING_TO_PAY`]); so a repeated
/// or concurrent request makes no second run with the same claims (the unique index on live
/// items settles a race).
pub fn create_run(
    conn: &mut DbConn,
    keys: &Keyring,
    actor: &Actor,
    staff_id: &str,
    now: Timestamp,
) -> Result<String, AppError> {
    let mut batch = Vec::new();
    for claim in store::waiting(conn)? {
        let Some(amount) = claim.amount.filter(|a| *a > 0) else {
            continue;
        };
        if let Some(account) = crate::payout::store::current(conn, keys, &claim.account_id)? {
            batch.push((claim, amount, account));
        }
    }
    if batch.is_empty() {
        return Err(AppError::WrongState(NOTHING_TO_PAY.into()));
    }
    let day = crate::clock::in_vietnam(now).date();
    let prefix = format!("PR-{}-", day.format("%Y-%m-%d"));
    let number = store::count_with_prefix(conn, &prefix)? + 1;
    let id = uuid::Uuid::now_v7().to_string();
    let (item_count, total_amount) = rules::totals(batch.iter().map(|(_, amount, _)| *amount));
    let run = RunRow {
        id: id.clone(),
        reference: rules::run_reference(day, u32::try_from(number).unwrap_or(u32::MAX)),
        status: RunStatus::Draft.as_str().into(),
        created_by: staff_id.into(),
        created_at: now,
        exported_at: None,
        closed_at: None,
        total_amount,
        item_count,
        version: 1,
    };
    let items: Vec<ItemRow> = batch
        .into_iter()
        .zip(1..)
        .map(|((claim, amount, account), seq)| ItemRow {
            run_id: id.clone(),
            seq,
            claim_id: claim.claim_id,
            account_id: claim.account_id,
            amount,
            bank_bin: account.bank.bin.into(),
            bank_name: account.bank.name.into(),
            holder_name: account.holder_name.clone(),
            masked_number: account.masked(),
            status: ItemStatus::Pending.as_str().into(),
            return_reason: None,
            paid_on: None,
            settled_at: None,
        })
        .collect();
    let raced = |error: diesel::result::Error| {
        if is_unique_violation(&error) {
            AppError::WrongState(NOTHING_TO_PAY.into())
        } else {
            error.into()
        }
    };
    store::insert_run(conn, &run).map_err(raced)?;
    store::insert_items(conn, &items).map_err(raced)?;
    let event = actor.event(
        "payment_run.create",
        format!("payment_run:{id}"),
        json!({ "reference": run.reference, "items": item_count, "total_amount": total_amount }),
    );
    audit::record(conn, now.and_utc(), &event)?;
    Ok(id)
}

/// The run's bank-transfer file, with each account number opened from the citizen's current
/// payout account (if they changed it since batching, the item follows the new one, which was
/// re-authenticated and emailed to them). Marks a draft exported; a closed run has nothing to
/// send (409). Audited as `payment_run.export` and as a staff read of every citizen's account.
/// Returns the run's reference and the file.
pub fn export(
    conn: &mut DbConn,
    keys: &Keyring,
    actor: &Actor,
    id: &str,
    now: Timestamp,
) -> Result<(String, String), AppError> {
    let run = store::run(conn, id)?.ok_or(AppError::NotFound)?;
    if RunStatus::parse(&run.status) == RunStatus::Closed {
        return Err(AppError::WrongState("closed".into()));
    }
    let mut transfers = Vec::new();
    for item in store::items(conn, id)? {
        if ItemStatus::parse(&item.status) != ItemStatus::Pending {
            continue;
        }
        let account = crate::payout::store::current(conn, keys, &item.account_id)?
            .ok_or_else(|| anyhow::anyhow!("payment item {id}/{}: no payout account", item.seq))?;
        let masked = account.masked();
        if account.bank.bin != item.bank_bin
            || masked != item.masked_number
            || account.holder_name != item.holder_name
        {
            store::refresh_bank(
                conn,
                id,
                item.seq,
                account.bank.bin,
                account.bank.name,
                &account.holder_name,
                &masked,
            )?;
        }
        audit::staff_read(
            conn,
            now.and_utc(),
            actor,
            &item.account_id,
            &format!("payout_account:payment_run:{id}"),
        )?;
        transfers.push(Transfer {
            seq: item.seq,
            bank_bin: account.bank.bin.into(),
            account_number: account.number.as_str().into(),
            holder_name: account.holder_name,
            amount: item.amount,
            claim_id: item.claim_id,
        });
    }
    store::mark_exported(conn, id, now)?;
    let event = actor.event(
        "payment_run.export",
        format!("payment_run:{id}"),
        json!({ "reference": run.reference, "transfers": transfers.len() }),
    );
    audit::record(conn, now.and_utc(), &event)?;
    let csv = rules::transfer_csv(&run.reference, &transfers);
    Ok((run.reference, csv))
}

/// A settling change: the run exists, is at `expected` (bumped now) and has been exported.
fn lock_exported(conn: &mut DbConn, id: &str, expected: i64) -> Result<RunRow, AppError> {
    let run = store::run(conn, id)?.ok_or(AppError::NotFound)?;
    crate::web::concurrency::bumped(store::bump(conn, id, expected)?, true)?;
    match RunStatus::parse(&run.status) {
        RunStatus::Exported => Ok(run),
        other => Err(AppError::WrongState(other.as_str().into())),
    }
}

/// What the bank reported for a run: it paid every transfer still pending on `paid_on` (not
/// in the future). Each claim moves to paid with `bank_reference` when given, else
/// `<run reference>/<seq>`, and its citizen is emailed (by `claims::flow`); the run closes.
/// Audited as `payment_run.mark_paid`.
#[expect(
    clippy::too_many_arguments,
    reason = "one use case, each argument distinct"
)]
pub fn mark_paid(
    conn: &mut DbConn,
    actor: &Actor,
    staff_id: &str,
    id: &str,
    expected: i64,
    paid_on: chrono::NaiveDate,
    bank_reference: &str,
    public_url: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let bank_reference = bank_reference.trim();
    if bank_reference.chars().count() > BANK_REFERENCE_MAX {
        return Err(AppError::invalid("bank_reference", FieldCode::TooLong));
    }
    // The same day boundary as `claims::flow`, which checks the date again.
    if paid_on > now.date() {
        return Err(AppError::invalid("paid_on", FieldCode::DateInFuture));
    }
    let run = lock_exported(conn, id, expected)?;
    let mut paid = 0;
    for item in store::items(conn, id)? {
        if ItemStatus::parse(&item.status) != ItemStatus::Pending {
            continue;
        }
        let reference = if bank_reference.is_empty() {
            rules::item_reference(&run.reference, item.seq)
        } else {
            bank_reference.to_owned()
        };
        store::settle_paid(conn, id, item.seq, paid_on, now)?;
        let action = StaffAction::MarkPaid {
            reference: &reference,
            paid_on,
        };
        // The run holds its own lock and version; the claim moves from whatever it is now.
        let acting = flow::Acting {
            staff_id,
            version: None,
            four_eyes_above: 0,
        };
        flow::staff_act(conn, &item.claim_id, &acting, &action, public_url, now)?;
        paid += 1;
    }
    store::close_if_settled(conn, id, now)?;
    let event = actor.event(
        "payment_run.mark_paid",
        format!("payment_run:{id}"),
        json!({ "reference": run.reference, "paid": paid, "paid_on": paid_on, "bank_reference": bank_reference }),
    );
    audit::record(conn, now.and_utc(), &event)?;
    Ok(())
}

/// A return's reason as the citizen will read it: given, and not too long.
pub fn return_reason(reason: &str) -> Result<&str, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", FieldCode::Required));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::invalid("reason", FieldCode::TooLong));
    }
    Ok(reason)
}

/// The bank sent back the transfer for `claim_id` (wrong account, account closed...): the item
/// is returned with `reason`, the claim stays approved so a later run takes it again, and the
/// citizen is emailed to check their bank account. The run closes if nothing else is pending.
/// Audited as `payment_item.return`.
#[expect(
    clippy::too_many_arguments,
    reason = "one use case, each argument distinct"
)]
pub fn return_item(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    claim_id: &str,
    expected: i64,
    reason: &str,
    public_url: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let reason = return_reason(reason)?;
    let run = store::run(conn, id)?.ok_or(AppError::NotFound)?;
    let item = store::items(conn, id)?
        .into_iter()
        .find(|i| i.claim_id == claim_id)
        .ok_or(AppError::NotFound)?;
    lock_exported(conn, id, expected)?;
    let status = ItemStatus::parse(&item.status);
    if status != ItemStatus::Pending
        || store::settle_returned(conn, id, item.seq, reason, now)? == 0
    {
        return Err(AppError::WrongState(status.as_str().into()));
    }
    store::close_if_settled(conn, id, now)?;
    let account = crate::accounts::store::account(conn, &item.account_id)?
        .ok_or_else(|| anyhow::anyhow!("payment item {id}/{}: no account", item.seq))?;
    let link = format!("{public_url}/account/bank-account");
    crate::email::notify(
        conn,
        &account,
        RETURNED_NOTICE,
        &link,
        &[("reason", reason.to_owned())],
        now,
    )?;
    let event = actor.event(
        "payment_item.return",
        format!("payment_run:{id}"),
        json!({ "reference": run.reference, "seq": item.seq, "claim": claim_id, "reason": reason }),
    );
    audit::record(conn, now.and_utc(), &event)?;
    Ok(())
}
