//! The citizen's claims as pages (without JavaScript): `/account/claims` lists them; a claim's
//! page shows what was claimed, the check against the book with the expected decision date,
//! every step, the messages and the decision, and lets the citizen write, submit (again, after
//! a request for information) or withdraw. Starting a claim from a page comes with the forms.

use actix_web::web::{Data, Path, ServiceConfig};
use actix_web::{HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::flow::{self, Claim};
use crate::accounts::session::CitizenSession;
use crate::app::AppState;
use crate::error::AppError;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, ok};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(show)
        .service(message)
        .service(submit)
        .service(withdraw);
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

#[derive(Template)]
#[template(path = "claims/show.html")]
struct ClaimPage {
    ctx: PageContext,
    claim: Claim,
    details: Vec<(String, String)>,
}

impl ClaimPage {
    fn can_submit(&self) -> bool {
        matches!(self.claim.status.as_str(), "draft" | "info_requested")
    }

    fn can_withdraw(&self) -> bool {
        matches!(
            self.claim.status.as_str(),
            "draft" | "submitted" | "in_review" | "info_requested"
        )
    }
}

#[get("/account/claims/{id}")]
async fn show(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account;
    let id = id.into_inner();
    let claim = state
        .db
        .read(move |conn| flow::view(conn, &account, &id))
        .await?;
    // The form's facts as "field: value" lines (the typed pages come with the forms).
    let details = serde_json::to_value(&claim.form)
        .ok()
        .and_then(|v| v["details"].as_object().cloned())
        .unwrap_or_default()
        .into_iter()
        .map(|(field, value)| {
            let value = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            (field, value)
        })
        .collect();
    ok(&ClaimPage {
        ctx,
        claim,
        details,
    })
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct MessageForm {
    body: String,
}

#[post("/account/claims/{id}/messages")]
async fn message(
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
        .write(move |conn| flow::submit(conn, &account, &target, &public_url, now))
        .await?;
    Ok(see_other(&format!("/account/claims/{id}")))
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
