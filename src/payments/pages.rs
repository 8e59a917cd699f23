//! The payment pages under `/admin/payments`: the runs with their totals and the button that
//! makes a new one, the approved claims paid at the office, and a run's page with its items,
//! the export and the settling forms (each carrying the run's version).

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION};
use actix_web::web::{Data, Path, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::rules::{ItemStatus, RunStatus};
use super::{OfficeClaim, RunDetail, RunView};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::audit::Actor;
use crate::error::{AppError, FieldCode};
use crate::staff::Permission;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(runs)
        .service(create)
        .service(run)
        .service(export)
        .service(paid)
        .service(return_item);
}

/// The transfer file as a download that no cache keeps (it holds full account numbers).
pub(super) async fn csv_download(
    state: &AppState,
    actor: Actor,
    id: String,
) -> Result<HttpResponse, AppError> {
    let keys = state.keyring.clone();
    let now = state.clock.now();
    let (reference, csv) = state
        .db
        .write(move |conn| super::export(conn, &keys, &actor, &id, now))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{reference}.csv\""),
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(csv))
}

/// The catalog key naming a claim kind.
fn kind_key(kind: &str) -> &'static str {
    match kind {
        "sickness" => "claims.kind.sickness",
        "maternity" => "claims.kind.maternity",
        "unemployment" => "claims.kind.unemployment",
        "lump_sum" => "claims.kind.lump_sum",
        "funeral" => "claims.kind.funeral",
        _ => "claims.kind.hi_reimbursement",
    }
}

#[derive(Template)]
#[template(path = "payments/runs.html")]
struct RunsPage {
    ctx: PageContext,
    runs: Vec<RunView>,
    office: Vec<OfficeClaim>,
    errors: FormErrors,
}

/// A moment as its Vietnam date, `dd/mm/yyyy`.
fn vietnam_day(at: &crate::clock::Timestamp) -> String {
    crate::clock::in_vietnam(*at).format("%d/%m/%Y").to_string()
}

impl RunsPage {
    fn day(&self, at: &crate::clock::Timestamp) -> String {
        vietnam_day(at)
    }

    fn status_key(&self, status: &RunStatus) -> &'static str {
        status.key()
    }

    fn kind_key(&self, kind: &str) -> &'static str {
        kind_key(kind)
    }
}

async fn runs_page(
    state: &AppState,
    ctx: PageContext,
    status: StatusCode,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let keys = state.keyring.clone();
    let (list, office) = state
        .db
        .read(move |conn| Ok((super::list(conn)?, super::office_claims(conn, &keys)?)))
        .await?;
    render(
        status,
        &RunsPage {
            ctx,
            runs: list,
            office,
            errors,
        },
    )
}

#[get("/admin/payments")]
async fn runs(
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
) -> Result<HttpResponse, AppError> {
    session.require(Permission::Pay)?;
    runs_page(&state, ctx, StatusCode::OK, FormErrors::default()).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct EmptyForm {}

#[post("/admin/payments")]
async fn create(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    PageForm(_): PageForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::Pay)?;
    let actor = me.actor(&req);
    let staff_id = me.account.id.clone();
    let keys = state.keyring.clone();
    let now = state.clock.now();
    let created = state
        .db
        .write(move |conn| super::create_run(conn, &keys, &actor, &staff_id, now))
        .await;
    match created {
        Ok(id) => Ok(see_other(&format!("/admin/payments/{id}"))),
        // A double post finds the claims already batched by the first.
        Err(AppError::WrongState(_)) => {
            let errors = FormErrors::message("payments.nothing_waiting", &ctx);
            runs_page(&state, ctx, StatusCode::CONFLICT, errors).await
        }
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "payments/run.html")]
struct RunPage {
    ctx: PageContext,
    detail: RunDetail,
    office: Vec<OfficeClaim>,
    today: String,
    errors: FormErrors,
}

impl RunPage {
    fn day(&self, at: &crate::clock::Timestamp) -> String {
        vietnam_day(at)
    }

    fn is(&self, status: &str) -> bool {
        self.detail.run.status.as_str() == status
    }

    fn pending(&self, status: &ItemStatus) -> bool {
        *status == ItemStatus::Pending
    }

    fn status_key(&self, status: &RunStatus) -> &'static str {
        status.key()
    }

    fn item_key(&self, status: &ItemStatus) -> &'static str {
        status.key()
    }

    fn kind_key(&self, kind: &str) -> &'static str {
        kind_key(kind)
    }

    /// The id of an item's return-reason field.
    fn reason_field(&self, claim_id: &str) -> String {
        format!("reason-{claim_id}")
    }
}

async fn run_page(
    state: &AppState,
    ctx: PageContext,
    id: String,
    status: StatusCode,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let keys = state.keyring.clone();
    let (detail, office) = state
        .db
        .read(move |conn| {
            Ok((
                super::detail(conn, &id)?,
                super::office_claims(conn, &keys)?,
            ))
        })
        .await?;
    let today = state.clock.now().date().format("%Y-%m-%d").to_string();
    render(
        status,
        &RunPage {
            ctx,
            detail,
            office,
            today,
            errors,
        },
    )
}

#[get("/admin/payments/{id}")]
async fn run(
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    session.require(Permission::Pay)?;
    run_page(
        &state,
        ctx,
        id.into_inner(),
        StatusCode::OK,
        FormErrors::default(),
    )
    .await
}

#[get("/admin/payments/{id}/export.csv")]
async fn export(
    req: HttpRequest,
    state: Data<AppState>,
    session: StaffSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::Pay)?;
    csv_download(&state, me.actor(&req), id.into_inner()).await
}

/// The page's answer to a settling change that did not go through: the form's errors, or
/// what changed under it.
async fn refused(
    state: &AppState,
    ctx: PageContext,
    id: String,
    error: AppError,
    field: &str,
) -> Result<HttpResponse, AppError> {
    let (status, errors) = match error {
        AppError::Stale => (
            StatusCode::PRECONDITION_FAILED,
            FormErrors::message("payments.stale", &ctx),
        ),
        AppError::WrongState(_) => (
            StatusCode::CONFLICT,
            FormErrors::message("payments.wrong_state", &ctx),
        ),
        AppError::Invalid(fields) => {
            let errors = fields
                .iter()
                .map(|e| {
                    let name = if e.field == "reason" {
                        field.to_owned()
                    } else {
                        e.field.clone()
                    };
                    let key = format!("field.{}", e.code.as_str());
                    (name, ctx.lang.catalog().text(&key).to_owned())
                })
                .collect::<Vec<_>>();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                FormErrors::from_pairs(errors),
            )
        }
        other => return Err(other),
    };
    run_page(state, ctx, id, status, errors).await
}

/// The version a page form was made from; an unreadable one matches no version.
fn version_of(text: &str) -> i64 {
    text.trim().parse().unwrap_or(-1)
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct PaidForm {
    version: String,
    paid_on: String,
    bank_reference: String,
}

#[post("/admin/payments/{id}/paid")]
async fn paid(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    id: Path<String>,
    PageForm(form): PageForm<PaidForm>,
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::Pay)?;
    let actor = me.actor(&req);
    let staff_id = me.account.id.clone();
    let public_url = state.settings.public_url.clone();
    let now = state.clock.now();
    let id = id.into_inner();
    let target = id.clone();
    let done = match chrono::NaiveDate::parse_from_str(form.paid_on.trim(), "%Y-%m-%d") {
        Err(_) => Err(AppError::invalid("paid_on", FieldCode::DateFormat)),
        Ok(paid_on) => {
            state
                .db
                .write(move |conn| {
                    super::mark_paid(
                        conn,
                        &actor,
                        &staff_id,
                        &target,
                        version_of(&form.version),
                        paid_on,
                        &form.bank_reference,
                        &public_url,
                        now,
                    )
                })
                .await
        }
    };
    match done {
        Ok(()) => Ok(see_other(&format!("/admin/payments/{id}"))),
        Err(error) => refused(&state, ctx, id, error, "reason").await,
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ReturnForm {
    version: String,
    reason: String,
}

#[post("/admin/payments/{id}/items/{claim_id}/return")]
async fn return_item(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    path: Path<(String, String)>,
    PageForm(form): PageForm<ReturnForm>,
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::Pay)?;
    let actor = me.actor(&req);
    let public_url = state.settings.public_url.clone();
    let now = state.clock.now();
    let (id, claim_id) = path.into_inner();
    let (target, claim) = (id.clone(), claim_id.clone());
    let done = state
        .db
        .write(move |conn| {
            super::return_item(
                conn,
                &actor,
                &target,
                &claim,
                version_of(&form.version),
                &form.reason,
                &public_url,
                now,
            )
        })
        .await;
    match done {
        Ok(()) => Ok(see_other(&format!("/admin/payments/{id}"))),
        Err(error) => {
            let field = format!("reason-{claim_id}");
            refused(&state, ctx, id, error, &field).await
        }
    }
}
