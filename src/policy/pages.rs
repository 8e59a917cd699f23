//! `/admin/policy`: administrators see every dated parameter — the value in force today and
//! its whole history — and add a new dated row when a decree changes a figure. Rows are never
//! edited or deleted; each addition is audited in the same transaction.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Query, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::Policy;
use super::admin::{self, RawParameter, Refusal, STATUSES, Unit};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::audit::Actor;
use crate::error::AppError;
use crate::staff::Permission;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list).service(add);
}

/// Who may manage policy parameters: the role matrix's [`Permission::ManagePolicy`].
fn admin_only(me: &StaffSession) -> Result<(), AppError> {
    me.require(Permission::ManagePolicy).map(drop)
}

/// Where a row stands on the page's date.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Standing {
    Past,
    InForce,
    Upcoming,
}

struct RowView {
    effective_from: NaiveDate,
    value: String,
    legal_basis: String,
    status: String,
    standing: Standing,
}

struct ParameterView {
    name: String,
    /// Oldest first.
    rows: Vec<RowView>,
}

impl RowView {
    fn is_in_force(&self) -> bool {
        self.standing == Standing::InForce
    }

    fn standing_key(&self) -> &'static str {
        match self.standing {
            Standing::Past => "policy_admin.standing.past",
            Standing::InForce => "policy_admin.standing.in_force",
            Standing::Upcoming => "policy_admin.standing.upcoming",
        }
    }
}

/// The label of a unit in the form.
fn unit_label(unit: &str) -> &'static str {
    match unit {
        "vnd" => "policy_admin.unit.vnd",
        "basis_points" => "policy_admin.unit.basis_points",
        "months" => "policy_admin.unit.months",
        _ => "policy_admin.unit.multiple",
    }
}

/// The meaning of a confidence tag (DOMAIN.md §0).
fn status_label(status: &str) -> &'static str {
    match status {
        "VL" => "policy_admin.status.vl",
        "V3" => "policy_admin.status.v3",
        "V1" => "policy_admin.status.v1",
        _ => "policy_admin.status.m",
    }
}

impl ParameterView {
    fn in_force(&self) -> Option<&RowView> {
        self.rows.iter().find(|r| r.standing == Standing::InForce)
    }
}

/// The new row as just added, for the confirmation.
struct Added {
    name: String,
    effective_from: NaiveDate,
    value: String,
}

#[derive(Template)]
#[template(path = "staff/policy.html")]
struct PolicyPage {
    ctx: PageContext,
    today: NaiveDate,
    parameters: Vec<ParameterView>,
    added: Option<Added>,
    errors: FormErrors,
    form: ParameterForm,
    /// (unit, label key) for the unit select.
    units: Vec<(&'static str, &'static str)>,
    /// (tag, meaning key) for the status select.
    statuses: Vec<(&'static str, &'static str)>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct ParameterForm {
    name: String,
    effective_from: String,
    value: String,
    unit: String,
    legal_basis: String,
    status: String,
}

impl ParameterForm {
    fn raw(&self) -> RawParameter<'_> {
        RawParameter {
            name: &self.name,
            effective_from: &self.effective_from,
            value: &self.value,
            unit: &self.unit,
            legal_basis: &self.legal_basis,
            status: &self.status,
        }
    }
}

fn views(policy: &Policy, today: NaiveDate, ctx: &PageContext) -> Vec<ParameterView> {
    let mut views: Vec<ParameterView> = Vec::new();
    for row in policy.rows() {
        if views.last().is_none_or(|v| v.name != row.name) {
            views.push(ParameterView {
                name: row.name.clone(),
                rows: Vec::new(),
            });
        }
        let Some(view) = views.last_mut() else {
            continue;
        };
        let value = match Unit::parse(&row.unit) {
            Some(unit) => unit.format(row.value, ctx.lang),
            None => row.value.to_string(),
        };
        view.rows.push(RowView {
            effective_from: row.effective_from,
            value,
            legal_basis: row.legal_basis.clone(),
            status: row.status.clone(),
            standing: if row.effective_from > today {
                Standing::Upcoming
            } else {
                Standing::Past
            },
        });
    }
    // Rows are sorted by date: the last one that has started is in force.
    for view in &mut views {
        if let Some(current) = view.rows.iter_mut().rfind(|r| r.standing == Standing::Past) {
            current.standing = Standing::InForce;
        }
    }
    views
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    status: StatusCode,
    added: Option<(String, NaiveDate)>,
    errors: FormErrors,
    form: ParameterForm,
) -> Result<HttpResponse, AppError> {
    let policy = state.db.read(|conn| Ok(Policy::load(conn)?)).await?;
    let today = state.clock.now().date();
    let added = added.and_then(|(name, date)| {
        let row = policy
            .rows()
            .iter()
            .find(|r| r.name == name && r.effective_from == date)?;
        Some(Added {
            name: row.name.clone(),
            effective_from: row.effective_from,
            value: Unit::parse(&row.unit)?.format(row.value, ctx.lang),
        })
    });
    let parameters = views(&policy, today, &ctx);
    render(
        status,
        &PolicyPage {
            ctx,
            today,
            parameters,
            added,
            errors,
            form,
            units: Unit::ALL
                .iter()
                .map(|u| (u.as_str(), unit_label(u.as_str())))
                .collect(),
            statuses: STATUSES.iter().map(|s| (*s, status_label(s))).collect(),
        },
    )
}

#[derive(Deserialize)]
struct AddedQuery {
    added: Option<String>,
    from: Option<NaiveDate>,
}

#[get("/admin/policy")]
async fn list(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    query: Option<Query<AddedQuery>>,
) -> Result<HttpResponse, AppError> {
    admin_only(&me)?;
    let added = query.and_then(|q| {
        let q = q.into_inner();
        Some((q.added?, q.from?))
    });
    let form = ParameterForm {
        unit: Unit::Vnd.as_str().into(),
        status: "V3".into(),
        ..ParameterForm::default()
    };
    page(
        &state,
        ctx,
        StatusCode::OK,
        added,
        FormErrors::default(),
        form,
    )
    .await
}

#[post("/admin/policy")]
async fn add(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    PageForm(form): PageForm<ParameterForm>,
) -> Result<HttpResponse, AppError> {
    admin_only(&me)?;
    let refused = |refusals: Vec<Refusal>, ctx: PageContext, form: ParameterForm| {
        let errors = FormErrors::from_pairs(
            refusals
                .iter()
                .map(|r| (r.field.to_owned(), ctx.t(r.message_key()).to_owned())),
        );
        page(
            &state,
            ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            errors,
            form,
        )
    };
    let new = match admin::parse(&form.raw()) {
        Ok(new) => new,
        Err(refusals) => return refused(refusals, ctx, form).await,
    };
    let actor = Actor::staff(&req, &me);
    let at = state.clock.now().and_utc();
    let row = new.clone();
    let outcome = state
        .db
        .write(move |conn| admin::add(conn, &row, &actor, at))
        .await;
    match outcome {
        Ok(Ok(())) => {
            tracing::info!(by = %me.0.account.id, subject = %admin::subject(&new), "policy parameter added");
            Ok(see_other(&format!(
                "/admin/policy?added={}&from={}#{}",
                new.name, new.effective_from, new.name
            )))
        }
        Ok(Err(refusals)) => refused(refusals, ctx, form).await,
        // The same row was added by someone else between the check and the insert.
        Err(AppError::Invalid(_)) => {
            let refusals = [Refusal {
                field: "effective_from",
                problem: admin::Problem::AlreadyExists,
            }];
            refused(refusals.to_vec(), ctx, form).await
        }
        Err(error) => Err(error),
    }
}
