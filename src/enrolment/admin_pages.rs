//! The staff side of registrations (a simple queue; the full work queue is issue 7):
//! `/admin/enrolments` lists what waits for a decision, oldest first; a registration's page
//! shows the plan beside the applicant and lets staff approve or reject it (approvers and
//! administrators only) and record a payment taken at the office.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::registration::{self, PaymentRequest};
use super::store;
use super::view::{EnrolmentView, view};
use crate::accounts::model::PersonalId;
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::audit;
use crate::documents;
use crate::error::{AppError, FieldCode};
use crate::policy::Policy;
use crate::staff::Permission;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(queue)
        .service(review)
        .service(decide)
        .service(pay)
        .service(evidence);
}

/// The registrations waiting now live in the work queue.
#[get("/admin/enrolments")]
async fn queue(me: StaffSession) -> Result<HttpResponse, AppError> {
    me.require(Permission::Review)?;
    Ok(see_other("/admin/queue?type=enrolment"))
}

#[derive(Template)]
#[template(path = "staff/enrolment.html")]
struct ReviewPage {
    ctx: PageContext,
    enrolment: EnrolmentView,
    applicant: crate::accounts::store::Account,
    can_decide: bool,
    errors: FormErrors,
    amount_due: Option<i64>,
    today: chrono::NaiveDate,
    /// The version the page shows; its forms send it back (optimistic concurrency).
    version: i64,
}

/// The registration beside its applicant; showing it is a staff read of their record.
async fn review_page(
    req: &HttpRequest,
    ctx: PageContext,
    me: &StaffSession,
    id: String,
    status: StatusCode,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let state = AppState::of(req);
    let member = me.require(Permission::Review)?;
    let can_decide = member.may(Permission::Decide);
    let actor = member.actor(req);
    let now = state.clock.now();
    let today = now.date();
    let (enrolment, mut applicant, version) = state
        .db
        .write(move |conn| {
            let row = store::find(conn, &id)?.ok_or(AppError::NotFound)?;
            let policy = Policy::load(conn)?;
            let applicant = crate::accounts::store::account(conn, &row.account_id)?
                .ok_or(AppError::NotFound)?;
            audit::staff_read(
                conn,
                now.and_utc(),
                &actor,
                &applicant.id,
                &format!("enrolment:{}", row.id),
            )?;
            Ok((view(conn, &row, &policy, today)?, applicant, row.version))
        })
        .await?;
    applicant.personal_id = applicant.personal_id.as_deref().map(PersonalId::masked);
    let amount_due = enrolment
        .instalments
        .iter()
        .find(|i| i.paid_on.is_none())
        .map(|i| i.amount);
    render(
        status,
        &ReviewPage {
            ctx,
            enrolment,
            applicant,
            can_decide,
            errors,
            amount_due,
            today,
            version,
        },
    )
}

#[get("/admin/enrolments/{id}")]
async fn review(
    req: HttpRequest,
    ctx: PageContext,
    me: StaffSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    review_page(
        &req,
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
struct DecisionForm {
    decision: String,
    reason: String,
    version: String,
}

#[post("/admin/enrolments/{id}/decision")]
async fn decide(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let member = me.require(Permission::Decide)?;
    let id = id.into_inner();
    let version = Some(
        form.version
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::Stale)?,
    );
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::invalid("decision", FieldCode::InvalidFormat)),
    };
    let staff_id = member.account.id.clone();
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    let target = id.clone();
    let actor = member.actor(&req);
    let decided = state
        .db
        .write(move |conn| {
            let policy = Policy::load(conn)?;
            let decision = registration::Decision {
                staff_id: &staff_id,
                approve,
                reason: &form.reason,
                version,
            };
            registration::decide(conn, &target, &decision, &policy, &public_url, now)?;
            let action = if approve {
                "enrolment.approve"
            } else {
                "enrolment.reject"
            };
            let detail = serde_json::json!({ "reason": form.reason.trim() });
            let event = actor.event(action, format!("enrolment:{target}"), detail);
            audit::record(conn, now.and_utc(), &event)
        })
        .await;
    if decided.is_ok() {
        tracing::info!(by = %me.0.account.id, enrolment = %id, approve, "registration decided");
    }
    outcome(&req, ctx, &me, id, decided, "enrol.admin.already_decided").await
}

/// Where a staff action lands: back on the registration, or on it again saying what went wrong
/// (a field, or a change someone else made first).
async fn outcome<T>(
    req: &HttpRequest,
    ctx: PageContext,
    me: &StaffSession,
    id: String,
    result: Result<T, AppError>,
    conflict_key: &str,
) -> Result<HttpResponse, AppError> {
    let (status, errors) = match result {
        Ok(_) => return Ok(see_other(&format!("/admin/enrolments/{id}"))),
        Err(AppError::WrongState(_)) => (
            StatusCode::CONFLICT,
            FormErrors::message(conflict_key, &ctx),
        ),
        Err(AppError::Stale) => (
            StatusCode::PRECONDITION_FAILED,
            FormErrors::message("problem.stale.detail", &ctx),
        ),
        Err(error @ (AppError::Invalid(_) | AppError::OutOfBounds { .. })) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::from_error(error, &ctx)?,
        ),
        Err(other) => return Err(other),
    };
    review_page(req, ctx, me, id, status, errors).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct PaymentForm {
    amount: String,
    paid_on: String,
    reference: String,
}

#[post("/admin/enrolments/{id}/payments")]
async fn pay(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
    PageForm(form): PageForm<PaymentForm>,
) -> Result<HttpResponse, AppError> {
    let member = me.require(Permission::Review)?;
    let id = id.into_inner();
    let amount = form
        .amount
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse::<i64>();
    let paid_on = chrono::NaiveDate::parse_from_str(form.paid_on.trim(), "%Y-%m-%d");
    let (Ok(amount), Ok(paid_on)) = (amount, paid_on) else {
        let errors = FormErrors::from_fields(
            &[crate::error::FieldError::new(
                "amount",
                FieldCode::InvalidFormat,
            )],
            &ctx,
        );
        return review_page(&req, ctx, &me, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    };
    let payment = PaymentRequest {
        amount,
        paid_on,
        reference: form.reference,
    };
    let staff_id = member.account.id.clone();
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    let target = id.clone();
    let actor = member.actor(&req);
    let recorded = state
        .db
        .write(move |conn| {
            let policy = Policy::load(conn)?;
            let receipt = registration::record_payment(
                conn,
                &target,
                &payment,
                &format!("staff:{staff_id}"),
                &policy,
                &public_url,
                now,
            )?;
            let detail = serde_json::json!({
                "seq": receipt.seq, "amount": receipt.amount, "paid_on": receipt.paid_on,
                "reference": receipt.reference,
            });
            let event = actor.event("enrolment.payment", format!("enrolment:{target}"), detail);
            audit::record(conn, now.and_utc(), &event)?;
            Ok(receipt)
        })
        .await;
    outcome(&req, ctx, &me, id, recorded, "enrol.admin.nothing_due").await
}

#[get("/admin/enrolments/{id}/evidence")]
async fn evidence(
    req: HttpRequest,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = me.require(Permission::Review)?.actor(&req);
    let id = id.into_inner();
    let now = state.clock.now();
    let document = state
        .db
        .write(move |conn| {
            let row = store::find(conn, &id)?.ok_or(AppError::NotFound)?;
            let document = registration::evidence(conn, &row)?.ok_or(AppError::NotFound)?;
            let what = format!("documents:enrolment:{}", row.id);
            audit::staff_read(conn, now.and_utc(), &actor, &row.account_id, &what)?;
            Ok(document)
        })
        .await?;
    let bytes = documents::read(&state, &document).await?;
    Ok(documents::response(&document, bytes))
}
