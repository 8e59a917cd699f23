//! Payout account queries. The account number goes in sealed and comes out opened here, and
//! nowhere else: every row is read for its owner (`account_id` is the key), and the blind index
//! is the only way to compare numbers.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::banks::{self, Bank};
use super::model::{AccountNumber, PayoutChange};
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::payout_accounts;
use crate::error::AppError;
use crate::sealed::Keyring;

/// Where an account number is sealed: its column and its owner, so a sealed value copied to
/// another citizen's row does not open there.
fn number_context(account_id: &str) -> String {
    format!("payout_accounts.account_number:{account_id}")
}

/// The blind index's context; bank and number together name one bank account.
const INDEX_CONTEXT: &str = "payout_accounts.bank_account";

fn index_value(bank: &Bank, number: &AccountNumber) -> String {
    format!("{}:{}", bank.bin, number.as_str())
}

/// A citizen's payout account, opened.
#[derive(Debug)]
pub struct PayoutAccount {
    pub bank: &'static Bank,
    pub number: AccountNumber,
    pub holder_name: String,
    pub updated_at: Timestamp,
}

impl PayoutAccount {
    /// `•••• 6789`.
    pub fn masked(&self) -> String {
        self.number.masked()
    }

    /// What pages and the API show: never the whole number.
    pub fn view(&self) -> MaskedPayoutAccount {
        MaskedPayoutAccount {
            bank_code: self.bank.bin.to_owned(),
            bank_name: self.bank.name.to_owned(),
            account_number: self.masked(),
            holder_name: self.holder_name.clone(),
            updated_at: self.updated_at,
        }
    }
}

/// The payout account as shown to its owner: the bank, the last four digits, the holder.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MaskedPayoutAccount {
    /// The bank's NAPAS BIN.
    #[schema(example = "970436")]
    pub bank_code: String,
    #[schema(example = "Vietcombank")]
    pub bank_name: String,
    /// The last four digits only.
    #[schema(example = "•••• 4567")]
    pub account_number: String,
    #[schema(example = "NGUYEN VAN AN")]
    pub holder_name: String,
    /// When it was last changed (UTC).
    #[schema(value_type = String, example = "2026-11-30T08:00:00")]
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = payout_accounts)]
struct Row {
    bank_bin: String,
    account_number_sealed: String,
    holder_name: String,
    updated_at: Timestamp,
}

/// The citizen's payout account, opened with `keys`; `None` when they have not given one.
/// A row that does not open (changed in the database, or sealed under a key no longer
/// configured) is an internal error, never a wrong number.
pub fn current(
    conn: &mut DbConn,
    keys: &Keyring,
    account_id: &str,
) -> Result<Option<PayoutAccount>, AppError> {
    let row = payout_accounts::table
        .find(account_id)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let bank = banks::by_bin(&row.bank_bin)
        .ok_or_else(|| anyhow::anyhow!("payout account of {account_id}: bank not on the list"))?;
    let opened = keys
        .open(&number_context(account_id), &row.account_number_sealed)
        .map_err(|error| anyhow::anyhow!("payout account of {account_id}: {error}"))?;
    let number = AccountNumber::parse(&opened)
        .map_err(|_| anyhow::anyhow!("payout account of {account_id}: stored number malformed"))?;
    Ok(Some(PayoutAccount {
        bank,
        number,
        holder_name: row.holder_name,
        updated_at: row.updated_at,
    }))
}

/// Sets the citizen's payout account, sealing the number under the current key. Returns
/// whether it replaced an earlier one.
pub fn save(
    conn: &mut DbConn,
    keys: &Keyring,
    account_id: &str,
    change: &PayoutChange,
    now: Timestamp,
) -> QueryResult<bool> {
    let sealed = keys.seal(&number_context(account_id), change.number.as_str());
    let index = keys.blind_index(INDEX_CONTEXT, &index_value(change.bank, &change.number));
    let replaced = diesel::update(payout_accounts::table.find(account_id))
        .set((
            payout_accounts::bank_bin.eq(change.bank.bin),
            payout_accounts::account_number_sealed.eq(&sealed),
            payout_accounts::account_number_index.eq(&index),
            payout_accounts::holder_name.eq(&change.holder_name),
            payout_accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    if replaced == 0 {
        diesel::insert_into(payout_accounts::table)
            .values((
                payout_accounts::account_id.eq(account_id),
                payout_accounts::bank_bin.eq(change.bank.bin),
                payout_accounts::account_number_sealed.eq(&sealed),
                payout_accounts::account_number_index.eq(&index),
                payout_accounts::holder_name.eq(&change.holder_name),
                payout_accounts::created_at.eq(now),
                payout_accounts::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(replaced > 0)
}

/// The citizens whose payout account is this bank account (for spotting one account given by
/// unrelated people). Matches rows indexed under any configured key, so it holds while keys
/// rotate.
pub fn holders_of(
    conn: &mut DbConn,
    keys: &Keyring,
    bank: &Bank,
    number: &AccountNumber,
) -> QueryResult<Vec<String>> {
    let candidates = keys.blind_indexes(INDEX_CONTEXT, &index_value(bank, number));
    payout_accounts::table
        .filter(payout_accounts::account_number_index.eq_any(candidates))
        .select(payout_accounts::account_id)
        .order(payout_accounts::account_id)
        .load(conn)
}

/// Moves up to `limit` rows sealed under an old key to the current key (number and blind
/// index); returns how many moved. Run until it returns 0 (`ansinh keys reseal`).
pub fn reseal_batch(conn: &mut DbConn, keys: &Keyring, limit: i64) -> Result<usize, AppError> {
    let current = format!("v1:{}:%", keys.current_id());
    let rows: Vec<(String, String, String)> = payout_accounts::table
        .filter(payout_accounts::account_number_sealed.not_like(current))
        .select((
            payout_accounts::account_id,
            payout_accounts::bank_bin,
            payout_accounts::account_number_sealed,
        ))
        .order(payout_accounts::account_id)
        .limit(limit)
        .load(conn)?;
    for (account_id, bin, sealed) in &rows {
        let context = number_context(account_id);
        let opened = keys
            .open(&context, sealed)
            .map_err(|error| anyhow::anyhow!("payout account of {account_id}: {error}"))?;
        let (bank, number) = banks::by_bin(bin)
            .zip(AccountNumber::parse(&opened).ok())
            .ok_or_else(|| anyhow::anyhow!("payout account of {account_id}: malformed row"))?;
        diesel::update(payout_accounts::table.find(account_id))
            .set((
                payout_accounts::account_number_sealed.eq(keys.seal(&context, number.as_str())),
                payout_accounts::account_number_index
                    .eq(keys.blind_index(INDEX_CONTEXT, &index_value(bank, &number))),
            ))
            .execute(conn)?;
    }
    Ok(rows.len())
}
