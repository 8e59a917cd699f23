//! The staff side of claims: `/admin/claims/{id}` shows the claim beside the applicant's
//! record (book summary, eligibility, documents, earlier claims, payout account, messages)
//! with the actions — take into review, ask for information, propose, approve (by a second
//! person where four-eyes applies), reject, mark paid. Each form carries the version it was
//! made from; a stale one gets "someone changed this" and changes nothing. `/admin/claims`
//! itself is the work queue filtered to claims.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::casefile::{self, Casefile};
use super::fields::{self, Answer, AnswerValue};
use super::flow::{Claim, ClaimRow, REASON_CODES, StaffAction, Status};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::audit;
use crate::error::{AppError, FieldCode};
use crate::payout::store::MaskedPayoutAccount;
use crate::staff::{Permission, StaffMember};
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(queue)
        .service(review)
        .service(act)
        .service(document);
}

/// The claims now live in the work queue.
#[get("/admin/claims")]
async fn queue(me: StaffSession) -> Result<HttpResponse, AppError> {
    me.require(Permission::Review)?;
    Ok(see_other("/admin/queue?type=claim"))
}

#[derive(Template)]
#[template(path = "staff/claim.html")]
struct ReviewPage {
    ctx: PageContext,
    file: Casefile,
    answers: Vec<Answer>,
    payout: Option<MaskedPayoutAccount>,
    can_decide: bool,
    can_pay: bool,
    me: String,
    reason_codes: &'static [&'static str],
    errors: FormErrors,
}

impl ReviewPage {
    fn is(&self, status: &str) -> bool {
        self.file.claim.status.as_str() == status
    }

    fn reason_key(&self, code: &str) -> String {
        format!("claims.reason.{code}")
    }

    fn status_key(&self, status: &str) -> &'static str {
        Status::parse(status).key()
    }

    fn kind_of(&self, kind: &str) -> &'static str {
        kind_key(kind)
    }

    /// The amount to prefill a proposal with: the rules' figure.
    fn computed(&self) -> Option<i64> {
        self.file
            .claim
            .assessment
            .as_ref()
            .and_then(super::decision::computed_amount)
    }

    /// Whether the signed-in staff member made the proposal on the page.
    fn proposed_by_me(&self) -> bool {
        self.file
            .proposal
            .as_ref()
            .is_some_and(|p| p.by_id == self.me)
    }
}

async fn review_page(
    req: &HttpRequest,
    ctx: PageContext,
    member: &StaffMember,
    id: String,
    status: StatusCode,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let state = AppState::of(req);
    let actor = member.actor(req);
    let now = state.clock.now();
    let above = state.settings.limits.casework.four_eyes_above;
    let catalog = ctx.lang.catalog();
    let (file, account) = state
        .db
        .write(move |conn| casefile::open(conn, &id, &actor, above, catalog, now))
        .await?;
    let answers = fields::answers(&file.claim.form);
    let payout = crate::payout::mine(state, &account).await?;
    render(
        status,
        &ReviewPage {
            ctx,
            file,
            answers,
            payout,
            can_decide: member.may(Permission::Decide),
            can_pay: member.may(Permission::Pay),
            me: member.account.id.clone(),
            reason_codes: &REASON_CODES,
            errors,
        },
    )
}

#[get("/admin/claims/{id}")]
async fn review(
    req: HttpRequest,
    ctx: PageContext,
    me: StaffSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let member = me.require(Permission::Review)?;
    review_page(
        &req,
        ctx,
        &member,
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
    version: String,
    message: String,
    amount: String,
    amount_reason: String,
    reason_code: String,
    reason: String,
    reference: String,
    paid_on: String,
}

/// Whole VND from what was typed ("5.060.000", "5,060,000 đ").
fn typed_amount(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
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
    let member = me.require(Permission::Review)?;
    let id = id.into_inner();
    let actor = member.actor(&req);
    let settings = state.settings.clone();
    let now = state.clock.now();
    let target = id.clone();
    let by = member.clone();
    let done = state
        .db
        .write(move |conn| {
            let version = form
                .version
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::Stale)?;
            let amount = typed_amount(&form.amount);
            let paid_on = chrono::NaiveDate::parse_from_str(form.paid_on.trim(), "%Y-%m-%d")
                .map_err(|_| AppError::invalid("paid_on", FieldCode::DateFormat));
            let action = match form.action.as_str() {
                "review" => StaffAction::Review,
                "request_info" => StaffAction::RequestInfo {
                    message: &form.message,
                },
                "propose" => StaffAction::Propose {
                    amount: amount.ok_or(AppError::invalid("amount", FieldCode::Required))?,
                    reason: &form.amount_reason,
                },
                "approve" => StaffAction::Approve {
                    amount,
                    reason: &form.amount_reason,
                },
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
            casefile::act(conn, &target, &by, &actor, version, &action, &settings, now)
        })
        .await;
    let (status, errors) = match done {
        Ok(_) => return Ok(see_other(&format!("/admin/claims/{id}"))),
        Err(AppError::WrongState(_)) => (
            StatusCode::CONFLICT,
            FormErrors::message("claims.admin.changed", &ctx),
        ),
        Err(AppError::Stale) => (
            StatusCode::PRECONDITION_FAILED,
            FormErrors::message("claims.admin.changed", &ctx),
        ),
        Err(error @ AppError::Invalid(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::from_error(error, &ctx)?,
        ),
        Err(other) => return Err(other),
    };
    review_page(&req, ctx, &member, id, status, errors).await
}

/// A document of a claim, for staff; each read is audited as a read of the citizen's record.
/// Framable by the portal's own pages, so the review page can show it inline.
#[get("/admin/claims/{id}/documents/{document_id}")]
async fn document(
    req: HttpRequest,
    state: Data<AppState>,
    me: StaffSession,
    path: Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let actor = me.require(Permission::Review)?.actor(&req);
    let (id, document_id) = path.into_inner();
    let now = state.clock.now();
    let document = state
        .db
        .write(move |conn| {
            let document = super::documents::find(conn, &id, &document_id)?;
            let row = super::flow::find(conn, &id)?.ok_or(AppError::NotFound)?;
            let what = format!("documents:claim:{id}:{}", document.id);
            audit::staff_read(conn, now.and_utc(), &actor, &row.account_id, &what)?;
            Ok(document)
        })
        .await?;
    let bytes = crate::documents::read(&state, &document).await?;
    Ok(crate::documents::framable_response(&document, bytes))
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
