//! Pages for citizen questions: asking (`/questions/new`, linked from the FAQ), confirming an
//! anonymous asker's address, reading the answer, a citizen's own list, and the staff queue
//! where questions are answered and, with the asker's consent, published as FAQ entries.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, Query, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::questions::{self, Ask, Asker, Publication, Question, TOPICS};
use crate::accounts::model::{AccountKind, Role};
use crate::accounts::pages::{FormErrors, MessagePage};
use crate::accounts::session::{CitizenSession, SignedIn, StaffSession};
use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::error::{AppError, FieldCode};
use crate::staff::Permission;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::i18n::Lang;
use crate::web::pages::{PageContext, ok, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(ask_form)
        .service(ask_submit)
        .service(confirm)
        .service(read)
        .service(mine)
        .service(queue)
        .service(staff_question)
        .service(answer)
        .service(publish);
}

/// Pages opened from an emailed link carry its token: keep it out of `Referer` headers.
fn without_referrer(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        actix_web::http::header::REFERRER_POLICY,
        actix_web::http::header::HeaderValue::from_static("no-referrer"),
    );
    response
}

fn citizen(signed_in: Option<SignedIn>) -> Option<SignedIn> {
    signed_in.filter(|s| s.kind() == AccountKind::Citizen)
}

// --- asking ---

#[derive(Default, Deserialize)]
#[serde(default)]
struct AskForm {
    topic: String,
    body: String,
    email: String,
    consent: Option<String>,
}

#[derive(Template)]
#[template(path = "questions/new.html")]
struct AskPage {
    ctx: PageContext,
    signed_in: bool,
    topics: &'static [&'static str],
    form: AskForm,
    errors: FormErrors,
}

impl AskPage {
    fn topic_key(&self, topic: &str) -> String {
        format!("questions.topic.{topic}")
    }
}

#[get("/questions/new")]
async fn ask_form(ctx: PageContext, signed_in: Option<SignedIn>) -> Result<HttpResponse, AppError> {
    ok(&AskPage {
        ctx,
        signed_in: citizen(signed_in).is_some(),
        topics: &TOPICS,
        form: AskForm::default(),
        errors: FormErrors::default(),
    })
}

/// Field messages, with the question's own wording for a text that is too short.
fn ask_errors(error: AppError, ctx: &PageContext) -> Result<FormErrors, AppError> {
    match error {
        AppError::Invalid(fields) => Ok(FormErrors::from_pairs(fields.iter().map(|f| {
            let text = match (f.field.as_str(), f.code) {
                ("body", FieldCode::InvalidFormat) => ctx.t("questions.ask.too_short").to_owned(),
                ("body", FieldCode::TooLong) => ctx.t("questions.ask.too_long").to_owned(),
                ("topic", _) => ctx.t("questions.ask.topic_required").to_owned(),
                _ => ctx
                    .lang
                    .catalog()
                    .text(&format!("field.{}", f.code.as_str()))
                    .to_owned(),
            };
            (f.field.clone(), text)
        }))),
        other => FormErrors::from_error(other, ctx),
    }
}

#[post("/questions/new")]
async fn ask_submit(
    ctx: PageContext,
    state: Data<AppState>,
    signed_in: Option<SignedIn>,
    PageForm(form): PageForm<AskForm>,
) -> Result<HttpResponse, AppError> {
    let signed_in = citizen(signed_in);
    let asked = Ask::parse(&form.topic, &form.body, form.consent.is_some());
    let public_url = state.settings.public_url.clone();
    let now = state.clock.now();
    let lang = ctx.lang;
    let account = signed_in.as_ref().map(|s| s.account.clone());
    let email = form.email.clone();
    let done = match asked {
        Ok(ask) => {
            state
                .db
                .write(move |conn| {
                    let asker = match &account {
                        Some(account) => Asker::Citizen(account),
                        None => Asker::Anonymous {
                            email: &email,
                            lang,
                        },
                    };
                    questions::ask(conn, asker, &ask, &public_url, now)
                })
                .await
        }
        Err(error) => Err(error),
    };
    match done {
        Ok(_) if signed_in.is_some() => Ok(see_other("/account/questions?asked=1")),
        Ok(_) => ok(&MessagePage {
            ctx,
            title_key: "questions.sent.title",
            body_key: "questions.sent.body",
            link: Some(("content.faq.title", "/faq".to_owned())),
        }),
        Err(error) => {
            let errors = ask_errors(error, &ctx)?;
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &AskPage {
                    ctx,
                    signed_in: signed_in.is_some(),
                    topics: &TOPICS,
                    form,
                    errors,
                },
            )
        }
    }
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

#[get("/questions/confirm")]
async fn confirm(
    ctx: PageContext,
    state: Data<AppState>,
    query: Query<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    let token = query.into_inner().token.unwrap_or_default();
    let now = state.clock.now();
    let confirmed = state
        .db
        .write(move |conn| questions::confirm(conn, &token, now))
        .await;
    let (title_key, body_key) = match confirmed {
        Ok(_) => ("questions.confirmed.title", "questions.confirmed.body"),
        Err(AppError::InvalidToken) => (
            "questions.confirm_failed.title",
            "questions.confirm_failed.body",
        ),
        Err(other) => return Err(other),
    };
    ok(&MessagePage {
        ctx,
        title_key,
        body_key,
        link: Some(("content.faq.title", "/faq".to_owned())),
    })
    .map(without_referrer)
}

// --- reading the answer ---

#[derive(Template)]
#[template(path = "questions/show.html")]
struct ShowPage {
    ctx: PageContext,
    question: Question,
}

/// A question and its answer, for its signed-in asker or whoever holds the emailed read link;
/// anyone else gets "not found".
#[get("/questions/{id}")]
async fn read(
    ctx: PageContext,
    state: Data<AppState>,
    signed_in: Option<SignedIn>,
    id: Path<String>,
    query: Query<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    let account_id = citizen(signed_in).map(|s| s.account.id);
    let token = query.into_inner().token;
    let id = id.into_inner();
    let question = state
        .db
        .read(move |conn| questions::for_asker(conn, &id, account_id.as_deref(), token.as_deref()))
        .await?;
    ok(&ShowPage { ctx, question }).map(without_referrer)
}

#[derive(Template)]
#[template(path = "questions/mine.html")]
struct MinePage {
    ctx: PageContext,
    /// Just asked: say it was received.
    asked: bool,
    questions: Vec<Question>,
}

#[derive(Deserialize)]
struct AskedQuery {
    asked: Option<String>,
}

#[get("/account/questions")]
async fn mine(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    query: Query<AskedQuery>,
) -> Result<HttpResponse, AppError> {
    let account_id = me.0.account.id;
    let questions = state
        .db
        .read(move |conn| Ok(questions::mine(conn, &account_id)?))
        .await?;
    ok(&MinePage {
        ctx,
        asked: query.asked.is_some(),
        questions,
    })
}

// --- staff ---

/// Who answers questions: the role matrix's [`Permission::AnswerQuestions`].
fn answerer(me: &StaffSession) -> Result<Role, AppError> {
    me.require(Permission::AnswerQuestions)
        .map(|member| member.role)
}

/// Publishing an answer as an FAQ entry is editing the public content.
fn can_publish(role: Role) -> bool {
    Permission::EditContent.granted_to(role)
}

#[derive(Template)]
#[template(path = "staff/questions.html")]
struct QueuePage {
    ctx: PageContext,
    open: Vec<Question>,
    publishable: Vec<Question>,
}

#[get("/admin/questions")]
async fn queue(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
) -> Result<HttpResponse, AppError> {
    let role = answerer(&me)?;
    let editor = can_publish(role);
    let (open, publishable) = state
        .db
        .read(move |conn| {
            let open = questions::open_queue(conn)?;
            let publishable = if editor {
                questions::publishable(conn)?
            } else {
                Vec::new()
            };
            Ok((open, publishable))
        })
        .await?;
    ok(&QueuePage {
        ctx,
        open,
        publishable,
    })
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct StaffForm {
    answer: String,
    title: String,
    reviewed: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/question.html")]
struct StaffPage {
    ctx: PageContext,
    question: Question,
    can_publish: bool,
    form: StaffForm,
    errors: FormErrors,
}

async fn staff_page(
    state: &AppState,
    ctx: PageContext,
    role: Role,
    id: String,
    status: StatusCode,
    form: Option<StaffForm>,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let question = state
        .db
        .read(move |conn| questions::for_staff(conn, &id))
        .await?;
    // The publishing form starts from the texts as asked and answered; the editor must review it.
    let form = form.unwrap_or_else(|| StaffForm {
        answer: question.answer_md.clone().unwrap_or_default(),
        title: question.body.clone(),
        reviewed: None,
    });
    render(
        status,
        &StaffPage {
            ctx,
            can_publish: can_publish(role) && question.consent_publish,
            question,
            form,
            errors,
        },
    )
}

#[get("/admin/questions/{id}")]
async fn staff_question(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let role = answerer(&me)?;
    staff_page(
        &state,
        ctx,
        role,
        id.into_inner(),
        StatusCode::OK,
        None,
        FormErrors::default(),
    )
    .await
}

/// The outcome of a staff form: back to the question, or the page again with the errors.
async fn after_staff_form(
    state: &AppState,
    ctx: PageContext,
    role: Role,
    id: String,
    form: StaffForm,
    done: Result<(), AppError>,
) -> Result<HttpResponse, AppError> {
    let (status, errors) = match done {
        Ok(()) => return Ok(see_other(&format!("/admin/questions/{id}"))),
        Err(AppError::WrongState(_)) => (
            StatusCode::CONFLICT,
            FormErrors::message("questions.admin.changed", &ctx),
        ),
        Err(AppError::Invalid(fields)) => {
            let pairs = fields.iter().map(|f| {
                let text = match (f.field.as_str(), f.code) {
                    ("title" | "answer", FieldCode::InvalidFormat) => {
                        ctx.t("questions.publish.personal_details").to_owned()
                    }
                    ("reviewed", _) => ctx.t("questions.publish.review_required").to_owned(),
                    _ => ctx
                        .lang
                        .catalog()
                        .text(&format!("field.{}", f.code.as_str()))
                        .to_owned(),
                };
                (f.field.clone(), text)
            });
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                FormErrors::from_pairs(pairs.collect::<Vec<_>>()),
            )
        }
        Err(other) => return Err(other),
    };
    staff_page(state, ctx, role, id, status, Some(form), errors).await
}

#[post("/admin/questions/{id}/answer")]
async fn answer(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
    PageForm(form): PageForm<StaffForm>,
) -> Result<HttpResponse, AppError> {
    let role = answerer(&me)?;
    let id = id.into_inner();
    let staff_id = me.0.account.id.clone();
    let actor = Actor::staff(&req, &me);
    let public_url = state.settings.public_url.clone();
    let now = state.clock.now();
    let target = id.clone();
    let answer_md = form.answer.clone();
    let done = state
        .db
        .write(move |conn| {
            questions::answer(conn, &target, &staff_id, &answer_md, &public_url, now)?;
            let event = actor.event(
                "question.answer",
                format!("question:{target}"),
                serde_json::json!({ "answer_chars": answer_md.trim().chars().count() }),
            );
            audit::record(conn, now.and_utc(), &event)
        })
        .await;
    after_staff_form(&state, ctx, role, id, form, done).await
}

#[post("/admin/questions/{id}/publish")]
async fn publish(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
    PageForm(form): PageForm<StaffForm>,
) -> Result<HttpResponse, AppError> {
    let role = answerer(&me)?;
    if !can_publish(role) {
        return Err(AppError::Forbidden);
    }
    let id = id.into_inner();
    let editor_id = me.0.account.id.clone();
    let actor = Actor::staff(&req, &me);
    let now = state.clock.now();
    let target = id.clone();
    let (title, answer_md, reviewed) = (
        form.title.clone(),
        form.answer.clone(),
        form.reviewed.is_some(),
    );
    let done = state
        .db
        .write(move |conn| {
            let publication = Publication {
                title: &title,
                answer_md: &answer_md,
                reviewed,
            };
            let item_id = questions::publish(conn, &target, &editor_id, &publication, now)?;
            let event = actor.event(
                "question.publish",
                format!("question:{target}"),
                serde_json::json!({ "faq_item": item_id }),
            );
            audit::record(conn, now.and_utc(), &event)
        })
        .await;
    after_staff_form(&state, ctx, role, id, form, done).await
}

impl Question {
    /// The page language of the asker, for staff to see which language to answer in.
    pub fn lang_name(&self) -> &'static str {
        match Lang::parse(&self.locale) {
            Some(Lang::En) => "English",
            _ => "Tiếng Việt",
        }
    }
}
