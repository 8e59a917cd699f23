//! The citizen's claims as pages (without JavaScript): `/account/claims` lists them and starts
//! one (pick the kind, fill in its form: a draft to come back to); a claim's page is "check your
//! answers" — what was claimed, the check against the book, the documents (upload, remove), the
//! expected decision date, every step, the messages and the decision — and lets the citizen
//! change, submit (again, after a request for information) or withdraw it.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::documents::{self, DocumentKind};
use super::fields::{self, Answer, AnswerValue, Field, Input};
use super::flow::{self, Claim, Status};
use super::form::{ClaimForm, ClaimKind};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::CitizenSession;
use crate::accounts::store::Account;
use crate::app::AppState;
use crate::error::{AppError, FieldCode};
use crate::payout::store::MaskedPayoutAccount;
use crate::secrets::random_token;
use crate::web::errors::see_other;
use crate::web::extract::{PageForm, PageUpload};
use crate::web::idempotency::{Answer as KeyedAnswer, IdempotencyKey, Keyed};
use crate::web::pages::{PageContext, ok, render};

pub fn routes(cfg: &mut ServiceConfig) {
    // `/account/claims/new…` before `/account/claims/{id}…`.
    cfg.service(list)
        .service(choose)
        .service(new_form)
        .service(create)
        .service(show)
        .service(edit_form)
        .service(update)
        .service(upload)
        .service(document)
        .service(remove_document)
        .service(comparison_read)
        .service(write_message)
        .service(submit)
        .service(withdraw)
        .service(appeal);
}

#[derive(Template)]
#[template(path = "claims/list.html")]
struct ListPage {
    ctx: PageContext,
    claims: Vec<Claim>,
}

#[get("/account/claims")]
async fn list(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let claims = state
        .db
        .read(move |conn| flow::list(conn, &account))
        .await?;
    ok(&ListPage { ctx, claims })
}

/// The kinds a citizen can claim, in the order the "start a claim" page lists them.
const KINDS: [ClaimKind; 6] = [
    ClaimKind::Maternity,
    ClaimKind::Sickness,
    ClaimKind::Unemployment,
    ClaimKind::LumpSum,
    ClaimKind::Funeral,
    ClaimKind::HiReimbursement,
];

#[derive(Template)]
#[template(path = "claims/choose.html")]
struct ChoosePage {
    ctx: PageContext,
    kinds: Vec<&'static str>,
}

impl ChoosePage {
    fn name_key(&self, kind: &str) -> String {
        format!("claims.kind.{kind}")
    }

    fn about_key(&self, kind: &str) -> String {
        format!("claims.about.{kind}")
    }
}

#[get("/account/claims/new")]
async fn choose(ctx: PageContext, _me: CitizenSession) -> Result<HttpResponse, AppError> {
    let kinds = KINDS.iter().map(|k| k.as_str()).collect();
    ok(&ChoosePage { ctx, kinds })
}

/// A claim's form, new or saved: the kind's inputs with what was typed (or saved) and errors.
#[derive(Template)]
#[template(path = "claims/form.html")]
struct FormPage {
    ctx: PageContext,
    kind: &'static str,
    fields: &'static [Field],
    values: HashMap<String, String>,
    errors: FormErrors,
    /// Where the form posts: a new claim's kind, or the saved claim.
    action: String,
    form_key: String,
}

impl FormPage {
    fn value(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    fn choice_key(&self, value: &str) -> String {
        format!("claims.value.{value}")
    }

    fn title_key(&self) -> String {
        format!("claims.kind.{}", self.kind)
    }
}

fn kind_path(kind: &str) -> Result<ClaimKind, AppError> {
    fields::kind_of(kind).ok_or(AppError::NotFound)
}

#[get("/account/claims/new/{kind}")]
async fn new_form(
    ctx: PageContext,
    _me: CitizenSession,
    kind: Path<String>,
) -> Result<HttpResponse, AppError> {
    let kind = kind_path(&kind)?;
    ok(&FormPage {
        ctx,
        kind: kind.as_str(),
        fields: fields::of(kind),
        values: HashMap::new(),
        errors: FormErrors::default(),
        action: format!("/account/claims/new/{}", kind.as_str()),
        form_key: random_token(),
    })
}

/// Starts a draft from the page's form; a double-posted form (same `form_key`) starts one.
#[post("/account/claims/new/{kind}")]
async fn create(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    kind: Path<String>,
    PageForm(posted): PageForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let kind = kind_path(&kind)?;
    let account = me.0.account;
    let now = state.clock.now();
    let created = async {
        let form = fields::parse(kind, &posted)?;
        let key = IdempotencyKey::parse(posted.get("form_key").map_or("", String::as_str))?;
        let keyed = Keyed::new(&account.id, key, "claim page", &form)?;
        let answer = state
            .db
            .write(move |conn| {
                keyed.run(conn, now, |conn| {
                    let id = flow::create(conn, &account, &form, now)?;
                    KeyedAnswer::json(StatusCode::CREATED, &id)
                })
            })
            .await?;
        let id: String = serde_json::from_str(&answer.body).map_err(anyhow::Error::from)?;
        Ok::<_, AppError>(id)
    }
    .await;
    match created {
        Ok(id) => Ok(see_other(&format!("/account/claims/{id}"))),
        Err(error) => {
            let form_key = posted.get("form_key").cloned().unwrap_or_else(random_token);
            refused(
                ctx,
                kind,
                posted,
                error,
                format!("/account/claims/new/{}", kind.as_str()),
                form_key,
            )
        }
    }
}

/// The form again with what was typed and what is wrong with it.
fn refused(
    ctx: PageContext,
    kind: ClaimKind,
    values: HashMap<String, String>,
    error: AppError,
    action: String,
    form_key: String,
) -> Result<HttpResponse, AppError> {
    let errors = FormErrors::from_error(fields::on_page(error), &ctx)?
        .labelled(|field| label_of(&ctx, field));
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &FormPage {
            ctx,
            kind: kind.as_str(),
            fields: fields::of(kind),
            values,
            errors,
            action,
            form_key,
        },
    )
}

/// The name of a field of the claim pages, as the page shows it.
fn label_of(ctx: &PageContext, field: &str) -> Option<String> {
    let key = match field {
        "file" => "claims.show.file".to_owned(),
        "kind" => "claims.show.document_kind".to_owned(),
        _ => match field.strip_prefix("documents.") {
            Some(kind) => DocumentKind::parse(kind)?.key(),
            None => {
                let known = KINDS
                    .iter()
                    .any(|k| fields::of(*k).iter().any(|f| f.name == field));
                known.then(|| format!("claims.field.{field}"))?
            }
        },
    };
    Some(ctx.t(&key).to_owned())
}

#[get("/account/claims/{id}/edit")]
async fn edit_form(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let id = id.into_inner();
    let target = id.clone();
    let (_, form) = state
        .db
        .read(move |conn| flow::changeable(conn, &account, &target))
        .await?;
    let kind = form.kind();
    ok(&FormPage {
        ctx,
        kind: kind.as_str(),
        fields: fields::of(kind),
        values: fields::values(&form),
        errors: FormErrors::default(),
        action: format!("/account/claims/{id}/edit"),
        form_key: String::new(),
    })
}

#[post("/account/claims/{id}/edit")]
async fn update(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    PageForm(posted): PageForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let id = id.into_inner();
    let now = state.clock.now();
    let target = id.clone();
    let reader = account.clone();
    let (_, current) = state
        .db
        .read(move |conn| flow::changeable(conn, &reader, &target))
        .await?;
    let kind = current.kind();
    let target = id.clone();
    let saved = match fields::parse(kind, &posted) {
        Ok(form) => {
            state
                .db
                .write(move |conn| flow::update(conn, &account, &target, &form, now))
                .await
        }
        Err(error) => Err(error),
    };
    match saved {
        Ok(()) => Ok(see_other(&format!("/account/claims/{id}"))),
        Err(error) => refused(
            ctx,
            kind,
            posted,
            error,
            format!("/account/claims/{id}/edit"),
            String::new(),
        ),
    }
}

#[derive(Template)]
#[template(path = "claims/show.html")]
struct ClaimPage {
    ctx: PageContext,
    claim: Claim,
    answers: Vec<Answer>,
    /// The papers this kind of claim takes, for the upload form.
    kinds: Vec<DocumentKind>,
    errors: FormErrors,
    /// Where the money goes: the citizen's bank account, or (without one) the office.
    payout: Option<MaskedPayoutAccount>,
    /// The last day the decision may be appealed, while it may be.
    appeal_until: Option<chrono::NaiveDate>,
}

impl ClaimPage {
    /// How each figure is worked out, in the English the rules write it: on English pages.
    fn formulas(&self) -> bool {
        self.ctx.lang == crate::web::i18n::Lang::En
    }

    fn can_change(&self) -> bool {
        matches!(self.claim.status, Status::Draft | Status::InfoRequested)
    }

    /// A lump sum whose comparison the citizen has not yet confirmed reading.
    fn comparison_unread(&self) -> bool {
        matches!(&self.claim.form, ClaimForm::LumpSum(f) if !f.comparison_read) && self.can_change()
    }

    fn can_withdraw(&self) -> bool {
        matches!(
            self.claim.status,
            Status::Draft | Status::Submitted | Status::InReview | Status::InfoRequested
        )
    }

    /// The plain-language meaning of a refusal's reason code.
    fn reason_meaning(&self, code: &str) -> String {
        format!("claims.reason_meaning.{code}")
    }

    fn size(&self, bytes: &i64) -> String {
        let kb = (bytes + 1023) / 1024;
        if kb < 1024 {
            format!("{kb} KB")
        } else {
            format!("{:.1} MB", *bytes as f64 / (1024.0 * 1024.0))
        }
    }
}

/// The claim's page, with `errors` from an action that was refused.
async fn claim_page(
    state: &AppState,
    ctx: PageContext,
    account: Account,
    id: String,
    status: StatusCode,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let payout = crate::payout::mine(state, &account).await?;
    let claim = state
        .db
        .read(move |conn| flow::view(conn, &account, &id))
        .await?;
    let answers = fields::answers(&claim.form);
    let kinds = documents::accepted(&claim.form);
    let appeal_until = appeal_until(&claim, state);
    render(
        status,
        &ClaimPage {
            ctx,
            claim,
            answers,
            kinds,
            errors,
            payout,
            appeal_until,
        },
    )
}

/// The last day (Vietnam time) a decided claim without an appeal may still be appealed.
fn appeal_until(claim: &Claim, state: &AppState) -> Option<chrono::NaiveDate> {
    let decided = matches!(
        claim.status,
        Status::Approved | Status::Rejected | Status::Paid
    );
    let at = claim.decision.as_ref()?.decided_at?;
    let days = state.settings.limits.casework.appeal_days;
    let deadline = at + chrono::Duration::days(days);
    let open = decided && claim.appeals.is_empty() && state.clock.now() <= deadline;
    open.then(|| crate::clock::in_vietnam(deadline).date())
}

#[get("/account/claims/{id}")]
async fn show(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    claim_page(
        &state,
        ctx,
        me.0.account,
        id.into_inner(),
        StatusCode::OK,
        FormErrors::default(),
    )
    .await
}

/// An action refused for a reason the citizen can fix is shown on the claim's page.
async fn after<T>(
    state: &AppState,
    ctx: PageContext,
    account: Account,
    id: String,
    done: Result<T, AppError>,
    anchor: &str,
) -> Result<HttpResponse, AppError> {
    match done {
        Ok(_) => Ok(see_other(&format!("/account/claims/{id}{anchor}"))),
        Err(error @ (AppError::Invalid(_) | AppError::PayloadTooLarge)) => {
            let error = match error {
                AppError::PayloadTooLarge => AppError::invalid("file", FieldCode::FileTooLarge),
                other => other,
            };
            // The confirmation of the lump-sum comparison is given in the comparison's box.
            let error = match error {
                AppError::Invalid(errors) => AppError::Invalid(
                    errors
                        .into_iter()
                        .map(|mut e| {
                            if e.field == "comparison_read" {
                                e.field = "comparison-confirm".into();
                            }
                            e
                        })
                        .collect(),
                ),
                other => other,
            };
            let errors = FormErrors::from_error(error, &ctx)?.labelled(|f| label_of(&ctx, f));
            claim_page(
                state,
                ctx,
                account,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

#[post("/account/claims/{id}/documents")]
async fn upload(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    upload: Result<PageUpload, AppError>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let id = id.into_inner();
    let stored = match upload {
        Ok(PageUpload { fields, file }) => {
            let kind = fields.get("kind").map(String::as_str);
            documents::add(&state, account.clone(), id.clone(), kind, file).await
        }
        Err(error) => Err(error),
    };
    after(&state, ctx, account, id, stored, "#documents").await
}

/// The citizen confirms having read the lump-sum comparison shown on the claim's page.
#[post("/account/claims/{id}/comparison-read")]
async fn comparison_read(
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    PageForm(_): PageForm<Confirm>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let id = id.into_inner();
    let now = state.clock.now();
    let target = id.clone();
    state
        .db
        .write(move |conn| {
            let (_, form) = flow::changeable(conn, &account, &target)?;
            match form {
                ClaimForm::LumpSum(mut lump) => {
                    lump.comparison_read = true;
                    flow::update(conn, &account, &target, &ClaimForm::LumpSum(lump), now)
                }
                _ => Err(AppError::NotFound),
            }
        })
        .await?;
    Ok(see_other(&format!("/account/claims/{id}#comparison")))
}

#[get("/account/claims/{id}/documents/{document_id}")]
async fn document(
    state: Data<AppState>,
    me: CitizenSession,
    path: Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, document_id) = path.into_inner();
    let account = me.0.account;
    let document = state
        .db
        .read(move |conn| {
            flow::owned(conn, &account, &id)?;
            documents::find(conn, &id, &document_id)
        })
        .await?;
    let bytes = crate::documents::read(&state, &document).await?;
    Ok(crate::documents::response(&document, bytes))
}

#[post("/account/claims/{id}/documents/{document_id}/remove")]
async fn remove_document(
    state: Data<AppState>,
    me: CitizenSession,
    path: Path<(String, String)>,
    PageForm(_): PageForm<Confirm>,
) -> Result<HttpResponse, AppError> {
    let (id, document_id) = path.into_inner();
    documents::remove(&state, me.0.account, id.clone(), document_id).await?;
    Ok(see_other(&format!("/account/claims/{id}#documents")))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct MessageForm {
    body: String,
}

#[post("/account/claims/{id}/messages")]
async fn write_message(
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    PageForm(form): PageForm<MessageForm>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let id = id.into_inner();
    let now = state.clock.now();
    let target = id.clone();
    state
        .db
        .write(move |conn| flow::post_message(conn, &account, &target, &form.body, now))
        .await?;
    Ok(see_other(&format!("/account/claims/{id}#messages")))
}

#[derive(Deserialize)]
struct Confirm {}

#[post("/account/claims/{id}/submit")]
async fn submit(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    PageForm(_): PageForm<Confirm>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let id = id.into_inner();
    let (now, public_url) = (state.clock.now(), state.settings.public_url.clone());
    let (owner, target) = (account.clone(), id.clone());
    let origin = crate::flags::RequestOrigin::of(&req);
    let (keyring, limits) = (state.keyring.clone(), state.settings.limits.clone());
    let submitted = state
        .db
        .write(move |conn| {
            flow::submit(conn, &owner, &target, &public_url, now)?;
            let arrival = origin.arrival("claim", &target, &owner.id);
            crate::flags::on_arrival(conn, &keyring, &limits, &arrival, now)?;
            Ok(())
        })
        .await
        .map_err(fields::on_page);
    after(&state, ctx, account, id, submitted, "").await
}

#[post("/account/claims/{id}/withdraw")]
async fn withdraw(
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    PageForm(_): PageForm<Confirm>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let id = id.into_inner();
    let (now, public_url) = (state.clock.now(), state.settings.public_url.clone());
    let target = id.clone();
    state
        .db
        .write(move |conn| flow::withdraw(conn, &account, &target, &public_url, now))
        .await?;
    Ok(see_other(&format!("/account/claims/{id}")))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct AppealForm {
    message: String,
}

/// One click: an appeal against the decision, linked to it and submitted at once; the
/// citizen lands on it. Asking twice lands on the same appeal.
#[post("/account/claims/{id}/appeal")]
async fn appeal(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    PageForm(form): PageForm<AppealForm>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let id = id.into_inner();
    let (now, public_url) = (state.clock.now(), state.settings.public_url.clone());
    let limits = state.settings.limits.casework.clone();
    let (target, owner) = (id.clone(), account.clone());
    let made = state
        .db
        .write(move |conn| {
            flow::appeal(
                conn,
                &owner,
                &target,
                &form.message,
                &limits,
                &public_url,
                now,
            )
        })
        .await;
    match made {
        Ok((appeal_id, _)) => Ok(see_other(&format!("/account/claims/{appeal_id}"))),
        Err(other) => after(&state, ctx, account, id, Err::<(), _>(other), "#appeal").await,
    }
}
