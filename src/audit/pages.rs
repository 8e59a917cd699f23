//! `/admin/audit`: administrators search the audit log (who, what, to which object, when, from
//! where) and check its hash chain.

use actix_web::web::{Data, Query, ServiceConfig};
use actix_web::{HttpResponse, get, post};
use askama::Template;

use super::Verification;
use super::search::{self, FilterInput, Found};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::error::AppError;
use crate::staff::Permission;
use crate::web::errors::url_encode;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(log).service(verify);
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogPage {
    ctx: PageContext,
    input: FilterInput,
    entries: Vec<Found>,
    /// The link to the next (older) page, with the same filters.
    older: Option<String>,
    searched: bool,
    verification: Option<Verification>,
    errors: FormErrors,
}

impl LogPage {
    fn value<'a>(&self, raw: &'a Option<String>) -> &'a str {
        raw.as_deref().unwrap_or_default()
    }

    fn when(&self, entry: &Found) -> String {
        crate::clock::in_vietnam(entry.at)
            .format("%d/%m/%Y %H:%M:%S")
            .to_string()
    }

    fn role(&self, entry: &Found) -> &str {
        match entry.actor_role.as_str() {
            "citizen" => self.ctx.t("audit_log.role.citizen"),
            "system" => self.ctx.t("audit_log.role.system"),
            other => self.ctx.t(crate::staff::admin::role_key(other)),
        }
    }

    fn detail(&self, entry: &Found) -> String {
        entry.detail.to_string()
    }
}

/// The query string of `input` with `before` replaced.
fn older_link(input: &FilterInput, before: i64) -> String {
    let mut parts = Vec::new();
    for (name, value) in [
        ("actor", &input.actor),
        ("action", &input.action),
        ("subject", &input.subject),
        ("from", &input.from),
        ("to", &input.to),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            parts.push(format!("{name}={}", url_encode(value.trim())));
        }
    }
    parts.push(format!("before={before}"));
    format!("/admin/audit?{}", parts.join("&"))
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    input: FilterInput,
    verification: Option<Verification>,
) -> Result<HttpResponse, AppError> {
    let searched = [
        &input.actor,
        &input.action,
        &input.subject,
        &input.from,
        &input.to,
        &input.before,
    ]
    .iter()
    .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
    let (status, entries, older, errors) = match input.parse() {
        Ok(filter) => {
            let found = state
                .db
                .read(move |conn| search::search(conn, &filter))
                .await?;
            let older = found.next_before.map(|b| older_link(&input, b));
            (
                actix_web::http::StatusCode::OK,
                found.entries,
                older,
                FormErrors::default(),
            )
        }
        Err(error) => (
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            Vec::new(),
            None,
            FormErrors::from_error(error, &ctx)?,
        ),
    };
    render(
        status,
        &LogPage {
            ctx,
            input,
            entries,
            older,
            searched,
            verification,
            errors,
        },
    )
}

#[get("/admin/audit")]
async fn log(
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    query: Query<FilterInput>,
) -> Result<HttpResponse, AppError> {
    session.require(Permission::ReadAudit)?;
    page(&state, ctx, query.into_inner(), None).await
}

/// Walks the whole chain and shows the outcome above the newest rows.
#[post("/admin/audit/verify")]
async fn verify(
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    PageForm(_): PageForm<crate::accounts::pages::EmptyForm>,
) -> Result<HttpResponse, AppError> {
    session.require(Permission::ReadAudit)?;
    let outcome = state.db.read(super::verify).await?;
    page(&state, ctx, FilterInput::default(), Some(outcome)).await
}
