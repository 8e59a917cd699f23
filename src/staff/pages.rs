//! Staff pages: the second-factor step after login (enrolment the first time) and `/admin`.

use actix_web::http::StatusCode;
use actix_web::http::header::{LOCATION, RETRY_AFTER};
use actix_web::web::{Data, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::totp::{self, Enrolment};
use super::{Permission, StaffMember};
use crate::accounts::model::AccountKind;
use crate::accounts::pages::FormErrors;
use crate::accounts::session::{self, SignedIn, StaffSession};
use crate::app::AppState;
use crate::error::AppError;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, ok, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(mfa_form).service(mfa_submit).service(home);
}

#[derive(Template)]
#[template(path = "staff/mfa.html")]
struct MfaPage {
    ctx: PageContext,
    /// Present until the first code has been accepted.
    enrolment: Option<Enrolment>,
    errors: FormErrors,
}

fn staff_only(signed_in: &SignedIn) -> Result<(), AppError> {
    match signed_in.kind() {
        AccountKind::Staff => Ok(()),
        AccountKind::Citizen => Err(AppError::NotFound),
    }
}

async fn mfa_page(
    state: &AppState,
    ctx: PageContext,
    me: &SignedIn,
    status: StatusCode,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let enrolment = match me.account.totp_enabled_at {
        None => Some(totp::enrolment(state, &me.account).await?),
        Some(_) => None,
    };
    render(
        status,
        &MfaPage {
            ctx,
            enrolment,
            errors,
        },
    )
}

#[get("/admin/mfa")]
async fn mfa_form(
    ctx: PageContext,
    state: Data<AppState>,
    me: SignedIn,
) -> Result<HttpResponse, AppError> {
    staff_only(&me)?;
    if me.mfa_verified {
        return Ok(HttpResponse::SeeOther()
            .insert_header((LOCATION, "/admin"))
            .finish());
    }
    // The secret may have been made on this very visit: reload the account.
    let me = SignedIn {
        account: reload(&state, &me.account.id).await?,
        ..me
    };
    mfa_page(&state, ctx, &me, StatusCode::OK, FormErrors::default()).await
}

async fn reload(state: &AppState, id: &str) -> Result<crate::accounts::store::Account, AppError> {
    let id = id.to_owned();
    state
        .db
        .read(move |conn| {
            crate::accounts::store::account(conn, &id)?.ok_or(AppError::Unauthenticated)
        })
        .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    totp_code: String,
}

#[post("/admin/mfa")]
async fn mfa_submit(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: SignedIn,
    PageForm(form): PageForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
    staff_only(&me)?;
    let me = SignedIn {
        account: reload(&state, &me.account.id).await?,
        ..me
    };
    match totp::verify_code(&state, &me.account, &form.totp_code).await {
        Ok(()) => {
            let user_agent = req
                .headers()
                .get("user-agent")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let cookie = session::upgrade_to_mfa(&state, &me, user_agent).await?;
            let mut response = HttpResponse::SeeOther()
                .insert_header((LOCATION, "/admin"))
                .finish();
            response
                .add_cookie(&cookie)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => {
            let errors = FormErrors::from_fields(&errors, &ctx);
            mfa_page(&state, ctx, &me, StatusCode::UNPROCESSABLE_ENTITY, errors).await
        }
        Err(AppError::TooManyRequests { retry_after }) => {
            let text = ctx
                .t("login.error.throttled")
                .replace("{seconds}", &retry_after.to_string());
            let mut response = mfa_page(
                &state,
                ctx,
                &me,
                StatusCode::TOO_MANY_REQUESTS,
                FormErrors::from_text(text),
            )
            .await?;
            response
                .headers_mut()
                .insert(RETRY_AFTER, retry_after.into());
            Ok(response)
        }
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "staff/home.html")]
struct AdminHome {
    ctx: PageContext,
    name: String,
    role: String,
    /// Each tool is linked only for the roles the matrix lets use it.
    me: StaffMember,
}

impl AdminHome {
    fn may(&self, permission: &str) -> bool {
        let permission = match permission {
            "review" => Permission::Review,
            "pay" => Permission::Pay,
            "read_stats" => Permission::ReadStats,
            "answer_questions" => Permission::AnswerQuestions,
            "edit_content" => Permission::EditContent,
            "read_audit" => Permission::ReadAudit,
            "manage_staff" => Permission::ManageStaff,
            "manage_clients" => Permission::ManageClients,
            "manage_policy" => Permission::ManagePolicy,
            _ => return false,
        };
        self.me.may(permission)
    }
}

#[get("/admin")]
async fn home(ctx: PageContext, session: StaffSession) -> Result<HttpResponse, AppError> {
    let me = session.member()?;
    let role = ctx.t(super::admin::role_key(me.role.as_str())).to_owned();
    ok(&AdminHome {
        ctx,
        name: me.account.full_name.clone(),
        role,
        me,
    })
}
