//! Minimal staff handling of claims, so a claim can be decided end to end now (the full work
//! queue is issue 7): `/admin/claims` lists what waits, nearest legal deadline first; a claim's
//! page shows the form, the check against the book, the timeline and the messages, with the
//! actions. Clerks take claims into review and ask for information; approvers and
//! administrators decide and mark paid. Every action is audited with the change.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::fields::{self, Answer, AnswerValue};
use super::flow::{self, Claim, ClaimRow, REASON_CODES, StaffAction, Status};
use crate::accounts::model::{PersonalId, Role};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::error::{AppError, FieldCode};
use crate::payout::store::MaskedPayoutAccount;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, ok, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(queue)
        .service(review)
        .service(act)
        .service(document);
}

fn reviewer(me: &StaffSession) -> Result<Role, AppError> {
    match me.0.role() {
        Some(role @ (Role::Clerk | Role::Approver | Role::Admin)) => Ok(role),
        _ => Err(AppError::Forbidden),
    }
}

#[derive(Template)]
#[template(path = "staff/claims.html")]
struct QueuePage {
    ctx: PageContext,
    claims: Vec<ClaimRow>,
}

#[get("/admin/claims")]
async fn queue(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
) -> Result<HttpResponse, AppError> {
    reviewer(&me)?;
    let claims = state.db.read(flow::queue).await?;
    ok(&QueuePage { ctx, claims })
}

#[derive(Template)]
#[template(path = "staff/claim.html")]
struct ReviewPage {
    ctx: PageContext,
    claim: Claim,
    claimant: String,
    personal_id: String,
    answers: Vec<Answer>,
    payout: Option<MaskedPayoutAccount>,
    can_decide: bool,
    reason_codes: &'static [&'static str],
    errors: FormErrors,
}

impl ReviewPage {
    fn is(&self, status: &str) -> bool {
        self.claim.status.as_str() == status
    }

    fn reason_key(&self, code: &str) -> &'static str {
        match code {
            "not_eligible" => "claims.reason.not_eligible",
            "documents_missing" => "claims.reason.documents_missing",
            "duplicate_claim" => "claims.reason.duplicate_claim",
            _ => "claims.reason.out_of_time",
        }
    }
}

async fn review_page(
    state: &AppState,
    ctx: PageContext,
    me: &StaffSession,
    id: String,
    status: StatusCode,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let can_decide = matches!(reviewer(me)?, Role::Approver | Role::Admin);
    let (account, claim) = state
        .db
        .read(move |conn| flow::for_staff(conn, &id))
        .await?;
    let answers = fields::answers(&claim.form);
    let payout = crate::payout::mine(state, &account).await?;
    render(
        status,
        &ReviewPage {
            ctx,
            claimant: account.full_name,
            personal_id: account
                .personal_id
                .as_deref()
                .map(PersonalId::masked)
                .unwrap_or_default(),
            answers,
            payout,
            claim,
            can_decide,
            reason_codes: &REASON_CODES,
            errors,
        },
    )
}

#[get("/admin/claims/{id}")]
async fn review(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    reviewer(&me)?;
    review_page(
        &state,
        ctx,
        &me,
        id.into_inner(),
        StatusCode::OK,
        FormErrors::default(),
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ActionForm {
    action: String,
    message: String,
    amount: String,
    reason_code: String,
    reason: String,
    reference: String,
    paid_on: String,
}

#[post("/admin/claims/{id}")]
async fn act(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<HttpResponse, AppError> {
    let role = reviewer(&me)?;
    let id = id.into_inner();
    let deciding = matches!(form.action.as_str(), "approve" | "reject" | "mark_paid");
    if deciding && !matches!(role, Role::Approver | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let staff_id = me.0.account.id.clone();
    let actor = Actor::staff(&req, &me);
    let public_url = state.settings.public_url.clone();
    let now = state.clock.now();
    let target = id.clone();
    let done = state
        .db
        .write(move |conn| {
            let amount = form
                .amount
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .parse::<i64>()
                .unwrap_or(0);
            let paid_on = chrono::NaiveDate::parse_from_str(form.paid_on.trim(), "%Y-%m-%d")
                .map_err(|_| AppError::invalid("paid_on", FieldCode::DateFormat));
            let action = match form.action.as_str() {
                "review" => StaffAction::Review,
                "request_info" => StaffAction::RequestInfo {
                    message: &form.message,
                },
                "approve" => StaffAction::Approve { amount },
                "reject" => StaffAction::Reject {
                    code: &form.reason_code,
                    text: &form.reason,
                },
                "mark_paid" => StaffAction::MarkPaid {
                    reference: &form.reference,
                    paid_on: paid_on?,
                },
                _ => return Err(AppError::invalid("action", FieldCode::InvalidFormat)),
            };
            flow::staff_act(conn, &target, &staff_id, &action, &public_url, now)?;
            let detail = serde_json::json!({
                "amount": form.amount, "reason_code": form.reason_code, "reason": form.reason,
                "reference": form.reference, "message": form.message,
            });
            let action = format!("claim.{}", form.action);
            let event = actor.event(&action, format!("claim:{target}"), detail);
            audit::record(conn, now.and_utc(), &event)
        })
        .await;
    let (status, errors) = match done {
        Ok(()) => return Ok(see_other(&format!("/admin/claims/{id}"))),
        Err(AppError::WrongState(_)) => (
            StatusCode::CONFLICT,
            FormErrors::message("claims.admin.changed", &ctx),
        ),
        Err(error @ AppError::Invalid(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::from_error(error, &ctx)?,
        ),
        Err(other) => return Err(other),
    };
    review_page(&state, ctx, &me, id, status, errors).await
}

/// A document of a claim, for staff; each read is audited (staff reads of a citizen's papers).
#[get("/admin/claims/{id}/documents/{document_id}")]
async fn document(
    req: HttpRequest,
    state: Data<AppState>,
    me: StaffSession,
    path: Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    reviewer(&me)?;
    let (id, document_id) = path.into_inner();
    let actor = Actor::staff(&req, &me);
    let now = state.clock.now();
    let document = state
        .db
        .write(move |conn| {
            let document = super::documents::find(conn, &id, &document_id)?;
            let event = actor.event(
                "claim.document.read",
                format!("claim:{id}"),
                serde_json::json!({ "document": document.id }),
            );
            audit::record(conn, now.and_utc(), &event)?;
            Ok(document)
        })
        .await?;
    let bytes = crate::documents::read(&state, &document).await?;
    Ok(crate::documents::response(&document, bytes))
}

impl ClaimRow {
    /// The status, for the queue.
    pub fn state(&self) -> Status {
        Status::parse(&self.status)
    }

    pub fn kind_key(&self) -> &'static str {
        kind_key(&self.kind)
    }
}

impl Claim {
    pub fn kind_key(&self) -> &'static str {
        kind_key(self.form.kind().as_str())
    }
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
