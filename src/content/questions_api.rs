//! Citizens' questions for staff over the API: read one, answer it (the asker is emailed a
//! link to the answer).

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::questions;
use crate::app::AppState;
use crate::audit;
use crate::clock::Timestamp;
use crate::error::{AppError, BodyProblems, Problem};
use crate::staff::{Permission, StaffCaller, StaffProblems};
use crate::web::extract::ApiJson;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(show).service(answer);
}

/// A question as staff see it (the asker's contact details stay out).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffQuestion)]
pub struct StaffQuestion {
    pub id: String,
    pub topic: String,
    pub body: String,
    /// `open`, `answered`, `published` or `closed`.
    pub status: String,
    pub locale: String,
    /// Whether the asker agreed to publish the question, anonymised, as an FAQ entry.
    pub consent_publish: bool,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

/// A citizen's question; reading a signed-in citizen's question is an audited read of their
/// record.
#[utoipa::path(
    operation_id = "staff_show_question",
    tag = "staff work",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The question's id")),
    responses(
        (status = 200, description = "The question", body = StaffQuestion, example = json!({"id": "01932c4e-6a1b-7c3d-9e8f-0a1b2c3d4e5f", "topic": "voluntary_si", "body": "Do voluntary months count towards my pension?", "status": "open", "locale": "en", "consent_publish": true, "created_at": "2026-11-30T09:12:00"})),
        StaffProblems,
        (status = 404, description = "No such question", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/questions/{id}")]
async fn show(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = caller.require(Permission::AnswerQuestions)?.actor(&req);
    let id = id.into_inner();
    let now = state.clock.now();
    let question = state
        .db
        .write(move |conn| {
            let q = questions::for_staff(conn, &id)?;
            if let Some(account) = &q.account_id {
                let what = format!("question:{}", q.id);
                audit::staff_read(conn, now.and_utc(), &actor, account, &what)?;
            }
            Ok(StaffQuestion {
                id: q.id,
                topic: q.topic,
                body: q.body,
                status: q.status,
                locale: q.locale,
                consent_publish: q.consent_publish,
                created_at: q.created_at,
                answer: q.answer_md,
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, no-store"))
        .json(question))
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = StaffQuestionAnswer)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// Markdown; the asker reads it through the emailed link.
    pub answer: String,
}

/// Answer an open question. A second answer finds it answered (409).
#[utoipa::path(
    operation_id = "staff_answer_question",
    tag = "staff work",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The question's id")),
    request_body(content = AnswerRequest, example = json!({"answer": "Yes: voluntary SI months count towards your pension."})),
    responses(
        (status = 204, description = "Answered; the asker is emailed"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        StaffProblems,
        (status = 404, description = "No such question", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The answer is empty or too long", body = Problem, content_type = "application/problem+json"),
        BodyProblems,
    )
)]
#[post("/staff/questions/{id}/answer")]
async fn answer(
    req: HttpRequest,
    state: Data<AppState>,
    caller: StaffCaller,
    id: Path<String>,
    body: Result<ApiJson<AnswerRequest>, AppError>,
) -> Result<HttpResponse, AppError> {
    let member = caller.require(Permission::AnswerQuestions)?;
    let ApiJson(body) = body?;
    let (actor, staff_id) = (member.actor(&req), member.account.id.clone());
    let id = id.into_inner();
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    state
        .db
        .write(move |conn| {
            questions::answer(conn, &id, &staff_id, &body.answer, &public_url, now)?;
            let detail = serde_json::json!({ "answer_chars": body.answer.trim().chars().count() });
            audit::record(
                conn,
                now.and_utc(),
                &actor.event("question.answer", format!("question:{id}"), detail),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
