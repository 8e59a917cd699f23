//! The triage pages: `/admin/flags` (filter by status and kind; open first, newest first) and
//! `/admin/flags/{id}` (the explanation, the evidence with the accounts' claims, and the form to
//! confirm or dismiss with a reason). Viewing a flag is a staff read of the citizen's record.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, Query, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::rules::Kind;
use super::{Flag, Outcome, STATUSES};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::error::AppError;
use crate::staff::Permission;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, ok, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list).service(show).service(triage);
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Filter {
    status: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "flags/list.html")]
struct ListPage {
    ctx: PageContext,
    flags: Vec<Flag>,
    names: std::collections::HashMap<String, String>,
    status: String,
    kind: String,
    statuses: &'static [&'static str],
    kinds: Vec<(&'static str, &'static str)>,
}

impl ListPage {
    fn name_of(&self, account_id: &str) -> String {
        self.names.get(account_id).cloned().unwrap_or_default()
    }

    fn status_label(&self, status: &str) -> &'static str {
        super::status_key(status)
    }

    fn is_status(&self, status: &str) -> bool {
        self.status == status
    }

    fn is_kind(&self, kind: &str) -> bool {
        self.kind == kind
    }

    fn found_on(&self, flag: &Flag) -> String {
        self.ctx
            .date(&crate::clock::in_vietnam(flag.created_at).date())
    }
}

#[get("/admin/flags")]
async fn list(
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    filter: Query<Filter>,
) -> Result<HttpResponse, AppError> {
    session.require(Permission::Review)?;
    let filter = filter.into_inner();
    // Unknown values are ignored: the list simply is not narrowed by them.
    let status = STATUSES
        .contains(&filter.status.as_str())
        .then(|| filter.status.clone());
    let kind = Kind::parse(&filter.kind).map(|k| k.as_str().to_owned());
    let catalog = ctx.lang.catalog();
    let (query_status, query_kind) = (status.clone(), kind.clone());
    let (flags, names) = state
        .db
        .read(move |conn| {
            let flags = super::list(
                conn,
                catalog,
                query_status.as_deref(),
                query_kind.as_deref(),
            )?;
            let ids: Vec<String> = flags.iter().map(|f| f.account_id.clone()).collect();
            let names = super::store::accounts_with_claims(conn, &ids)?
                .into_iter()
                .map(|account| (account.id, account.name))
                .collect();
            Ok((flags, names))
        })
        .await?;
    ok(&ListPage {
        ctx,
        flags,
        names,
        status: status.unwrap_or_default(),
        kind: kind.unwrap_or_default(),
        statuses: &STATUSES,
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.as_str(), k.name_key()))
            .collect(),
    })
}

/// An account named in a flag, with its claims (id, kind key, status key).
struct Involved {
    name: String,
    concerned: bool,
    claims: Vec<(String, &'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "flags/show.html")]
struct FlagPage {
    ctx: PageContext,
    flag: Flag,
    involved: Vec<Involved>,
    evidence: Vec<(String, String)>,
    errors: FormErrors,
    reason: String,
    /// The citizen's other open flags.
    others: Vec<Flag>,
}

impl FlagPage {
    fn triaged_on(&self) -> Option<String> {
        self.flag
            .triaged_at
            .map(|at| self.ctx.date(&crate::clock::in_vietnam(at).date()))
    }
}

fn claim_kind_key(kind: &str) -> &'static str {
    match kind {
        "sickness" => "claims.kind.sickness",
        "maternity" => "claims.kind.maternity",
        "unemployment" => "claims.kind.unemployment",
        "lump_sum" => "claims.kind.lump_sum",
        "funeral" => "claims.kind.funeral",
        _ => "claims.kind.hi_reimbursement",
    }
}

/// The evidence fields shown in words (accounts are listed with their claims instead).
fn evidence_lines(ctx: &PageContext, flag: &Flag) -> Vec<(String, String)> {
    let Some(fields) = flag.evidence.as_object() else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|(name, _)| name.as_str() != "accounts")
        .map(|(name, value)| {
            let label = ctx.t(&format!("flags.evidence.{name}")).to_owned();
            let shown = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", "),
                serde_json::Value::Null => "—".to_owned(),
                other => other.to_string(),
            };
            (label, shown)
        })
        .collect()
}

async fn flag_page(
    req: &HttpRequest,
    state: &AppState,
    ctx: PageContext,
    session: &StaffSession,
    id: String,
    (status, errors, reason): (StatusCode, FormErrors, String),
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::Review)?;
    let actor = me.actor(req);
    let catalog = ctx.lang.catalog();
    let now = state.clock.now();
    let (flag, accounts, others) = state
        .db
        .write(move |conn| {
            let flag = super::get(conn, catalog, &id)?;
            crate::audit::staff_read(conn, now.and_utc(), &actor, &flag.account_id, "flags")?;
            let mut ids = vec![flag.account_id.clone()];
            if let Some(others) = flag.evidence["accounts"].as_array() {
                ids.extend(others.iter().filter_map(|a| a.as_str().map(str::to_owned)));
            }
            ids.dedup();
            let accounts = super::store::accounts_with_claims(conn, &ids)?;
            let others: Vec<Flag> = super::open_for_account(conn, catalog, &flag.account_id)?
                .into_iter()
                .filter(|other| other.id != flag.id)
                .collect();
            Ok((flag, accounts, others))
        })
        .await?;
    let involved = accounts
        .into_iter()
        .map(|account| Involved {
            concerned: account.id == flag.account_id,
            name: account.name,
            claims: account
                .claims
                .into_iter()
                .map(|c| {
                    (
                        c.id,
                        claim_kind_key(&c.kind),
                        crate::claims::flow::Status::parse(&c.status).key(),
                    )
                })
                .collect(),
        })
        .collect();
    let evidence = evidence_lines(&ctx, &flag);
    render(
        status,
        &FlagPage {
            ctx,
            flag,
            involved,
            evidence,
            errors,
            reason,
            others,
        },
    )
}

#[get("/admin/flags/{id}")]
async fn show(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    flag_page(
        &req,
        &state,
        ctx,
        &session,
        id.into_inner(),
        (StatusCode::OK, FormErrors::default(), String::new()),
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct TriageForm {
    status: String,
    reason: String,
    version: String,
}

#[post("/admin/flags/{id}")]
async fn triage(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    session: StaffSession,
    id: Path<String>,
    PageForm(form): PageForm<TriageForm>,
) -> Result<HttpResponse, AppError> {
    let me = session.require(Permission::Review)?;
    let actor = me.actor(&req);
    let now = state.clock.now();
    let id = id.into_inner();
    let target = id.clone();
    let reason = form.reason.clone();
    let done = state
        .db
        .write(move |conn| {
            // A version that does not read as a number matches none: someone changed it.
            let version = form
                .version
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::Stale)?;
            let outcome = Outcome::parse(form.status.trim());
            super::triage(conn, &actor, &target, version, outcome, &form.reason, now)
        })
        .await;
    let (status, errors) = match done {
        Ok(()) => return Ok(see_other(&format!("/admin/flags/{id}"))),
        Err(AppError::Stale) => (
            StatusCode::PRECONDITION_FAILED,
            FormErrors::message("flags.changed", &ctx),
        ),
        Err(AppError::WrongState(_)) => (
            StatusCode::CONFLICT,
            FormErrors::message("flags.changed", &ctx),
        ),
        Err(error @ AppError::Invalid(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::from_error(error, &ctx)?,
        ),
        Err(other) => return Err(other),
    };
    flag_page(&req, &state, ctx, &session, id, (status, errors, reason)).await
}
