//! The citizen's payout bank account (issue 5): the one bank account their benefits are paid
//! into, at a bank on the list ([`banks`]) and in their own name ([`model::is_own_name`]).
//!
//! - The account number is sealed at rest with a blind index beside it (SECURITY.md DP-01,
//!   [`crate::sealed`]); only [`store`] opens it, and pages and the API show it masked.
//! - Changing it needs the password, and the TOTP code when enabled, given again with the
//!   change (SES-05); a wrong or missing one is `reauth_required` and changes nothing.
//! - Every change emails the owner (AUTH-08, no digits in the message) and is audited (LOG-01),
//!   in the transaction that makes it.
//!
//! Other features read it with [`store::current`] (e.g. claims that pay money need one on file)
//! and embed [`MaskedPayoutAccount`] in what they show.

pub mod api;
pub mod banks;
pub mod model;
pub mod pages;
pub mod store;

use std::net::IpAddr;

use serde_json::json;

pub use store::{MaskedPayoutAccount, PayoutAccount};

use crate::accounts::model::AccountKind;
use crate::accounts::store::Account;
use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::error::AppError;
use model::{PayoutChange, PayoutInput};

pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::routes(cfg);
}

pub fn page_routes(cfg: &mut actix_web::web::ServiceConfig) {
    pages::routes(cfg);
}

/// The email kind of the change notice (`email.payout_account_changed.*`).
const NOTICE: &str = "payout_account_changed";

/// The proof of identity given again with a sensitive change.
pub struct Reauth<'a> {
    pub password: &'a str,
    pub totp_code: Option<&'a str>,
    /// Where the request came from: wrong passwords count towards the same throttling as
    /// failed logins, for the account and for the address.
    pub client: IpAddr,
}

/// Checks that the person changing `account` knows its password now, and its current TOTP code
/// when TOTP is enabled. Wrong or missing: [`AppError::ReauthRequired`]. Attempts are
/// throttled with the login's backoff (429), so a stolen session cannot guess the password here.
pub async fn reauthenticate(
    state: &AppState,
    account: &Account,
    reauth: &Reauth<'_>,
) -> Result<(), AppError> {
    if reauth.password.is_empty() || reauth.password.len() > 1024 {
        return Err(AppError::ReauthRequired);
    }
    match crate::accounts::authenticate(state, &account.email, reauth.password, reauth.client).await
    {
        Ok(found) if found.id == account.id => {}
        Ok(_) | Err(AppError::InvalidCredentials | AppError::EmailNotVerified) => {
            return Err(AppError::ReauthRequired);
        }
        Err(other) => return Err(other),
    }
    if account.totp_enabled_at.is_some() {
        let code = reauth
            .totp_code
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .ok_or(AppError::ReauthRequired)?;
        match crate::staff::totp::verify_code(state, account, code).await {
            Ok(()) => {}
            Err(AppError::Invalid(_) | AppError::MfaRequired) => {
                return Err(AppError::ReauthRequired);
            }
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

/// Sets the citizen's payout account: checks the fields (422, the holder name against the
/// account's full name), then the re-authentication (403), then saves it sealed, audits the
/// change as `actor` and emails the address on file, in one transaction.
pub async fn change(
    state: &AppState,
    account: &Account,
    actor: Actor,
    input: &PayoutInput<'_>,
    reauth: &Reauth<'_>,
) -> Result<MaskedPayoutAccount, AppError> {
    if AccountKind::parse(&account.kind) != Some(AccountKind::Citizen) {
        return Err(AppError::Forbidden);
    }
    let change = PayoutChange::parse(input, &account.full_name)?;
    reauthenticate(state, account, reauth).await?;
    let keys = state.keyring.clone();
    let link = format!("{}/account/bank-account", state.settings.public_url);
    let now = state.clock.now();
    let account = account.clone();
    state
        .db
        .write(move |conn| {
            let replaced = store::save(conn, &keys, &account.id, &change, now)?;
            let event = actor.event(
                "payout_account.change",
                format!("payout_account:{}", account.id),
                json!({ "bank": change.bank.bin, "replaced": replaced }),
            );
            audit::record(conn, now.and_utc(), &event)?;
            crate::email::notify(conn, &account, NOTICE, &link, &[], now)?;
            let saved = store::current(conn, &keys, &account.id)?
                .ok_or_else(|| anyhow::anyhow!("the payout account just saved is missing"))?;
            Ok(saved.view())
        })
        .await
}

/// The citizen's payout account as they see it, if they have given one.
pub async fn mine(
    state: &AppState,
    account: &Account,
) -> Result<Option<MaskedPayoutAccount>, AppError> {
    if AccountKind::parse(&account.kind) != Some(AccountKind::Citizen) {
        return Err(AppError::Forbidden);
    }
    let keys = state.keyring.clone();
    let id = account.id.clone();
    state
        .db
        .read(move |conn| Ok(store::current(conn, &keys, &id)?.map(|a| a.view())))
        .await
}

/// Rows moved per transaction by [`reseal_all`].
const RESEAL_BATCH: i64 = 500;

/// Moves every payout account sealed under an old key to the current key (`ansinh keys
/// reseal`), a batch per transaction; returns how many moved. Afterwards the old keys can be
/// removed from `FIELD_OLD_KEYS`.
pub fn reseal_all(db: &crate::db::Db, keys: &crate::sealed::Keyring) -> anyhow::Result<usize> {
    use diesel::Connection;
    let mut conn = db.connection()?;
    let mut moved = 0;
    loop {
        let batch = conn
            .transaction(|conn| store::reseal_batch(conn, keys, RESEAL_BATCH))
            .map_err(|error| anyhow::anyhow!("resealing payout accounts: {error}"))?;
        if batch == 0 {
            return Ok(moved);
        }
        moved += batch;
    }
}
