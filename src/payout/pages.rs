//! The payout account page (without JavaScript): `/account/bank-account` shows the current
//! account masked and a form to set or change it, which asks for the password (and TOTP code,
//! when enabled) again. The typed account number is never shown back, even when the form has
//! to be corrected.

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::web::{Data, Query, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::banks::{BANKS, Bank};
use super::model::PayoutInput;
use super::{MaskedPayoutAccount, Reauth};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::CitizenSession;
use crate::accounts::store::Account;
use crate::app::AppState;
use crate::audit::Actor;
use crate::error::AppError;
use crate::web::client::client_ip;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(show).service(change);
}

#[derive(Template)]
#[template(path = "payout/bank_account.html")]
struct BankAccountPage {
    ctx: PageContext,
    current: Option<MaskedPayoutAccount>,
    banks: &'static [Bank],
    selected_bank: String,
    holder_name: String,
    totp: bool,
    saved: bool,
    errors: FormErrors,
}

impl BankAccountPage {
    async fn of(
        ctx: PageContext,
        state: &AppState,
        account: &Account,
    ) -> Result<BankAccountPage, AppError> {
        let current = super::mine(state, account).await?;
        Ok(BankAccountPage {
            selected_bank: current
                .as_ref()
                .map(|a| a.bank_code.clone())
                .unwrap_or_default(),
            // The bank prints the name without marks; the citizen's own name is the default.
            holder_name: current
                .as_ref()
                .map_or_else(|| account.full_name.clone(), |a| a.holder_name.clone()),
            current,
            banks: BANKS,
            totp: account.totp_enabled_at.is_some(),
            saved: false,
            errors: FormErrors::default(),
            ctx,
        })
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct SavedQuery {
    saved: String,
}

#[get("/account/bank-account")]
async fn show(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    query: Query<SavedQuery>,
) -> Result<HttpResponse, AppError> {
    let mut page = BankAccountPage::of(ctx, &state, &me.0.account).await?;
    page.saved = query.saved == "1";
    render(StatusCode::OK, &page)
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ChangeForm {
    bank: String,
    account_number: String,
    holder_name: String,
    password: String,
    totp_code: String,
}

#[post("/account/bank-account")]
async fn change(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    PageForm(form): PageForm<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let input = PayoutInput {
        bank: &form.bank,
        account_number: &form.account_number,
        holder_name: &form.holder_name,
    };
    let reauth = Reauth {
        password: &form.password,
        totp_code: Some(form.totp_code.as_str()),
        client: client_ip(&req, state.settings.trust_forwarded_for),
    };
    let actor = Actor::citizen(&req, &account);
    let (status, errors, retry_after) =
        match super::change(&state, &account, actor, &input, &reauth).await {
            Ok(_) => return Ok(see_other("/account/bank-account?saved=1")),
            Err(AppError::ReauthRequired) => (
                StatusCode::FORBIDDEN,
                FormErrors::from_field("password", ctx.t("payout.error.reauth").to_owned()),
                None,
            ),
            Err(AppError::TooManyRequests { retry_after }) => {
                let text = ctx
                    .t("login.error.throttled")
                    .replace("{seconds}", &retry_after.to_string());
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    FormErrors::from_field("password", text),
                    Some(retry_after),
                )
            }
            Err(error) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                FormErrors::from_error(error, &ctx)?,
                None,
            ),
        };
    // What was chosen stays; the account number, password and code are typed again.
    let mut page = BankAccountPage::of(ctx, &state, &account).await?;
    page.selected_bank = form.bank;
    page.holder_name = form.holder_name;
    page.errors = errors;
    let mut response = render(status, &page)?;
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    Ok(response)
}
