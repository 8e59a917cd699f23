//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30-second steps), mandatory for
//! staff. Secrets are 160-bit and random; each code works once; wrong codes are throttled.

use totp_rs::{Algorithm, Secret, TOTP};

use crate::accounts::rules::{login_wait, totp_step_acceptable};
use crate::accounts::store::{self, Account};
use crate::app::AppState;
use crate::error::{AppError, FieldCode};

const STEP_SECONDS: u64 = 30;
/// Wrong codes allowed before backoff starts.
const FREE_FAILURES: u32 = 5;

fn totp(secret_base32: &str, account_name: &str) -> Result<TOTP, AppError> {
    let bytes = Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .map_err(|e| anyhow::anyhow!("stored TOTP secret unreadable: {e:?}"))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        bytes,
        Some("An Sinh".into()),
        account_name.to_owned(),
    )
    .map_err(|e| AppError::Internal(anyhow::anyhow!("TOTP set-up: {e}")))
}

/// What an authenticator app needs to enrol.
pub struct Enrolment {
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

/// The enrolment for a staff member who has not finished it (a secret is made on first visit).
pub async fn enrolment(state: &AppState, account: &Account) -> Result<Enrolment, AppError> {
    let secret = match &account.totp_secret {
        Some(secret) => secret.clone(),
        None => {
            let secret = Secret::generate_secret().to_encoded().to_string();
            let (id, stored, now) = (account.id.clone(), secret, state.clock.now());
            state
                .db
                .write(move |conn| {
                    store::set_totp_secret(conn, &id, &stored, now)?;
                    let account = store::account(conn, &id)?.ok_or(AppError::Unauthenticated)?;
                    account.totp_secret.ok_or(AppError::Unauthenticated)
                })
                .await?
        }
    };
    let otpauth_url = totp(&secret, &account.email)?.get_url();
    let qr_svg = qrcode::QrCode::new(otpauth_url.as_bytes())
        .map_err(|e| anyhow::anyhow!("QR code: {e}"))?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    Ok(Enrolment {
        secret,
        otpauth_url,
        qr_svg,
    })
}

/// Checks a code from the staff member's app; on success the step is spent (no replay) and, on
/// first use, TOTP is enabled.
pub async fn verify_code(state: &AppState, account: &Account, code: &str) -> Result<(), AppError> {
    let secret = account.totp_secret.clone().ok_or(AppError::MfaRequired)?;
    let key = format!("totp:{}", account.id);
    let now = state.clock.now();
    let window_start = now - chrono::Duration::minutes(15);
    let lookup = key.clone();
    let (failures, last) = state
        .db
        .read(move |conn| Ok(store::failures_since(conn, &lookup, window_start)?))
        .await?;
    if let Some(retry_after) = login_wait(
        u32::try_from(failures).unwrap_or(u32::MAX),
        last,
        now,
        FREE_FAILURES,
    ) {
        return Err(AppError::TooManyRequests { retry_after });
    }
    let generator = totp(&secret, &account.email)?;
    let code = code.trim();
    let unix = u64::try_from(now.and_utc().timestamp()).unwrap_or(0);
    let current_step = (unix / STEP_SECONDS) as i64;
    let matching_step = (current_step - 1..=current_step + 1)
        .find(|step| generator.generate(*step as u64 * STEP_SECONDS) == code)
        .filter(|step| totp_step_acceptable(*step, current_step, account.totp_last_step));
    let account_id = account.id.clone();
    let accepted = state
        .db
        .write(move |conn| {
            let accepted = match matching_step {
                Some(step) => store::use_totp_step(conn, &account_id, step, now)?,
                None => false,
            };
            if accepted {
                store::clear_failures(conn, &key)?;
            } else {
                store::record_failure(conn, &key, now)?;
            }
            Ok(accepted)
        })
        .await?;
    if accepted {
        Ok(())
    } else {
        Err(AppError::invalid("totp_code", FieldCode::TotpCode))
    }
}
