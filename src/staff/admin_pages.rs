//! `/admin/staff`: administrators list staff, invite someone, and on `/admin/staff/{id}` change
//! a person's role or deactivate / reactivate them (rules in [`super::admin`]).

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::Permission;
use super::admin::{self, Change, StaffRow};
use crate::accounts::model::Role;
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::error::{AppError, FieldCode};
use crate::web::concurrency::IfMatch;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(invite)
        .service(show_member)
        .service(update);
}

/// The roles, in the order the form offers them.
pub const ROLES: [Role; 4] = [
    Role::Clerk,
    Role::Approver,
    Role::ContentEditor,
    Role::Admin,
];

fn parse_role(raw: &str) -> Result<Role, AppError> {
    Role::parse(raw.trim()).ok_or_else(|| AppError::invalid("role", FieldCode::InvalidFormat))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct InviteForm {
    email: String,
    full_name: String,
    role: String,
}

#[derive(Template)]
#[template(path = "staff_admin/list.html")]
struct ListPage {
    ctx: PageContext,
    staff: Vec<StaffRow>,
    form: InviteForm,
    errors: FormErrors,
    roles: &'static [Role],
}

impl ListPage {
    fn when(&self, row: &StaffRow) -> String {
        crate::clock::in_vietnam(row.created_at)
            .format("%d/%m/%Y")
            .to_string()
    }
}

async fn list_page(
    state: &AppState,
    ctx: PageContext,
    status: StatusCode,
    form: InviteForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let staff = state.db.read(admin::list).await?;
    render(
        status,
        &ListPage {
            ctx,
            staff,
            form,
            errors,
            roles: &ROLES,
        },
    )
}

#[get("/admin/staff")]
async fn list(
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
) -> Result<HttpResponse, AppError> {
    session.require(Permission::ManageStaff)?;
    list_page(
        &state,
        ctx,
        StatusCode::OK,
        InviteForm::default(),
        FormErrors::default(),
    )
    .await
}

/// Invites someone (they get an email with a set-up link), then shows their page.
#[post("/admin/staff")]
async fn invite(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    PageForm(form): PageForm<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::ManageStaff)?;
    let actor = me.actor(&req);
    match admin::invite(&state, &actor, &form.email, &form.full_name, &form.role).await {
        Ok(row) => Ok(see_other(&format!("/admin/staff/{}?invited=1", row.id))),
        Err(error) => {
            let errors = FormErrors::from_error(error, &ctx)?;
            list_page(&state, ctx, StatusCode::UNPROCESSABLE_ENTITY, form, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "staff_admin/member.html")]
struct MemberPage {
    ctx: PageContext,
    member: StaffRow,
    /// This is the administrator's own account: no deactivation, no giving up admin.
    is_me: bool,
    invited: bool,
    errors: FormErrors,
    roles: &'static [Role],
}

impl MemberPage {
    fn when(&self) -> String {
        crate::clock::in_vietnam(self.member.created_at)
            .format("%d/%m/%Y %H:%M")
            .to_string()
    }
}

async fn member_page(
    state: &AppState,
    ctx: PageContext,
    me_id: &str,
    id: String,
    status: StatusCode,
    invited: bool,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let member = state.db.read(move |conn| admin::find(conn, &id)).await?;
    render(
        status,
        &MemberPage {
            ctx,
            is_me: member.id == me_id,
            member,
            invited,
            errors,
            roles: &ROLES,
        },
    )
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct MemberQuery {
    invited: Option<String>,
}

#[get("/admin/staff/{id}")]
async fn show_member(
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    id: Path<String>,
    query: actix_web::web::Query<MemberQuery>,
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::ManageStaff)?;
    member_page(
        &state,
        ctx,
        &me.account.id,
        id.into_inner(),
        StatusCode::OK,
        query.invited.is_some(),
        FormErrors::default(),
    )
    .await
}

/// One of the page's forms: a new `role`, or `active` (`true` / `false`), from `version`.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ChangeForm {
    version: String,
    role: Option<String>,
    active: Option<String>,
}

impl ChangeForm {
    fn parse(&self) -> Result<(IfMatch, Change), AppError> {
        // A form without a number for `version` cannot match any version.
        let version = self
            .version
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::Stale)?;
        let role = self.role.as_deref().map(parse_role).transpose()?;
        let active = match self.active.as_deref().map(str::trim) {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => return Err(AppError::invalid("active", FieldCode::InvalidFormat)),
        };
        Ok((IfMatch(version), Change { role, active }))
    }
}

#[post("/admin/staff/{id}")]
async fn update(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    id: Path<String>,
    PageForm(form): PageForm<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::ManageStaff)?;
    let actor = me.actor(&req);
    let id = id.into_inner();
    let now = state.clock.now();
    let target = id.clone();
    let done = match form.parse() {
        Ok((from, change)) => {
            state
                .db
                .write(move |conn| admin::change(conn, &actor, &target, from, change, now))
                .await
        }
        Err(error) => Err(error),
    };
    match done {
        Ok(_) => Ok(see_other(&format!("/admin/staff/{id}"))),
        Err(error @ AppError::Invalid(_)) => {
            let errors = FormErrors::from_error(error, &ctx)?;
            member_page(
                &state,
                ctx,
                &me.account.id,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
                errors,
            )
            .await
        }
        Err(other) => Err(other),
    }
}
