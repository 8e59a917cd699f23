//! `/admin/queue`: the work queue with its filters, and take / assign / release on each item.
//! Filters are a GET form, so a filtered queue is a link a supervisor can share.

use actix_web::web::{Data, Path, Query, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::assignment::{self, Change};
use super::queue::{self, Filter, SubjectKind, Urgency, WorkItem};
use crate::accounts::model::AccountKind;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::clock::in_vietnam;
use crate::db::schema::accounts;
use crate::error::AppError;
use crate::staff::Permission;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, ok};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list).service(assign);
}

#[derive(Template)]
#[template(path = "casework/queue.html")]
struct QueuePage {
    ctx: PageContext,
    items: Vec<WorkItem>,
    filter: Filter,
    staff: Vec<(String, String)>,
    me: String,
    /// The query string, so an action returns to the same filtered queue.
    back: String,
}

impl QueuePage {
    fn subtype_key(&self, item: &WorkItem) -> String {
        match item.kind {
            SubjectKind::Claim => format!("claims.kind.{}", item.subtype),
            SubjectKind::Enrolment => format!("enrol.kind.{}", item.subtype),
            SubjectKind::Question => "queue.kind.question".to_owned(),
        }
    }

    fn kind_key(&self, kind: &SubjectKind) -> String {
        format!("queue.kind.{}", kind.as_str())
    }

    fn status_key(&self, item: &WorkItem) -> String {
        match item.kind {
            SubjectKind::Question => format!("queue.status.{}", item.status),
            _ => format!("status.{}", item.status),
        }
    }

    fn row_class(&self, item: &WorkItem) -> &'static str {
        match item.urgency {
            Urgency::Breached => "breach",
            Urgency::Near => "near",
            Urgency::OnTime => "",
        }
    }

    fn left_text(&self, item: &WorkItem) -> String {
        let key = match item.urgency {
            Urgency::Breached => "queue.overdue",
            Urgency::Near => "queue.near",
            Urgency::OnTime => "queue.days_left",
        };
        self.ctx
            .t(key)
            .replace("{days}", &item.days_left.abs().to_string())
    }

    fn selected(&self, value: &Option<String>, option: &str) -> bool {
        value.as_deref() == Some(option)
    }

    fn number(&self, value: &Option<i64>) -> String {
        value.map(|v| v.to_string()).unwrap_or_default()
    }

    fn text(&self, value: &Option<String>) -> String {
        value.clone().unwrap_or_default()
    }

    fn href(&self, item: &WorkItem) -> String {
        item.kind.href(&item.id)
    }

    fn kinds(&self) -> [SubjectKind; 3] {
        SubjectKind::ALL
    }
}

#[get("/admin/queue")]
async fn list(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    filter: Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let member = me.require(Permission::Review)?;
    let filter = filter.into_inner();
    let limits = state.settings.limits.casework.clone();
    let today = in_vietnam(state.clock.now()).date();
    let me_id = member.account.id.clone();
    let wanted = filter.clone();
    let (items, staff) = state
        .db
        .read(move |conn| {
            let items = queue::load(conn, &wanted, &limits, today, &me_id)?;
            let staff = accounts::table
                .filter(accounts::kind.eq(AccountKind::Staff.as_str()))
                .filter(accounts::is_active.eq(true))
                .filter(accounts::role.eq_any(["clerk", "approver", "admin"]))
                .order(accounts::full_name.asc())
                .select((accounts::id, accounts::full_name))
                .load(conn)?;
            Ok((items, staff))
        })
        .await?;
    let items = crate::casework::with_flags(&state, items).await?;
    ok(&QueuePage {
        ctx,
        items,
        filter,
        staff,
        me: member.account.id,
        back: req.query_string().to_owned(),
    })
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct AssignForm {
    /// `take`, `release` or `assign`.
    action: String,
    assignee_id: String,
    /// The queue's query string to return to.
    back: String,
}

#[post("/admin/queue/{kind}/{id}")]
async fn assign(
    req: HttpRequest,
    state: Data<AppState>,
    me: StaffSession,
    path: Path<(String, String)>,
    PageForm(form): PageForm<AssignForm>,
) -> Result<HttpResponse, AppError> {
    let member = me.require(Permission::Review)?;
    let (kind, id) = path.into_inner();
    let kind = SubjectKind::parse(&kind).ok_or(AppError::NotFound)?;
    let actor = member.actor(&req);
    let now = state.clock.now();
    let back = safe_query(&form.back);
    state
        .db
        .write(move |conn| {
            let change = match form.action.as_str() {
                "take" => Change::Take,
                "release" => Change::Release,
                "assign" => Change::Assign {
                    to: &form.assignee_id,
                },
                _ => {
                    return Err(AppError::invalid(
                        "action",
                        crate::error::FieldCode::InvalidFormat,
                    ));
                }
            };
            assignment::change(conn, kind, &id, &change, &actor, now)
        })
        .await?;
    Ok(see_other(&format!("/admin/queue{back}")))
}

/// `?…` back to the queue's filters, from the form's `back` field, kept only if it is a plain
/// query string (never a redirect elsewhere).
fn safe_query(back: &str) -> String {
    let plain = back
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_=&%-.+".contains(c));
    if plain && !back.is_empty() {
        format!("?{back}")
    } else {
        String::new()
    }
}
