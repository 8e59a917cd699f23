//! `/admin/clients`: administrators list, create and revoke API clients. A new client's secret
//! is shown once, on the page that creates it.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::{ClientRecord, Credentials, Scope};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::audit::{self, Actor};
use crate::error::AppError;
use crate::staff::Permission;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(revoke);
}

/// Who manages API clients: the role matrix's [`Permission::ManageClients`].
fn admin_only(me: &StaffSession) -> Result<(), AppError> {
    me.require(Permission::ManageClients).map(drop)
}

#[derive(Template)]
#[template(path = "staff/clients.html")]
struct ClientsPage {
    ctx: PageContext,
    clients: Vec<ClientRecord>,
    created: Option<Credentials>,
    errors: FormErrors,
    form: ClientForm,
}

/// One checkbox per scope (URL-encoded forms carry no lists).
#[derive(Default, Deserialize)]
#[serde(default)]
struct ClientForm {
    name: String,
    scope_declarations: Option<String>,
    scope_cards: Option<String>,
    scope_collections: Option<String>,
    employer: String,
    facility: String,
}

impl ClientForm {
    fn scopes(&self) -> Vec<Scope> {
        let mut scopes = Vec::new();
        if self.scope_declarations.is_some() {
            scopes.push(Scope::DeclarationsWrite);
        }
        if self.scope_cards.is_some() {
            scopes.push(Scope::CardsVerify);
        }
        if self.scope_collections.is_some() {
            scopes.push(Scope::CollectionsWrite);
        }
        scopes
    }
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    status: StatusCode,
    created: Option<Credentials>,
    errors: FormErrors,
    form: ClientForm,
) -> Result<HttpResponse, AppError> {
    let clients = state.db.read(|conn| Ok(super::list(conn)?)).await?;
    render(
        status,
        &ClientsPage {
            ctx,
            clients,
            created,
            errors,
            form,
        },
    )
}

#[get("/admin/clients")]
async fn list(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
) -> Result<HttpResponse, AppError> {
    admin_only(&me)?;
    page(
        &state,
        ctx,
        StatusCode::OK,
        None,
        FormErrors::default(),
        ClientForm::default(),
    )
    .await
}

#[post("/admin/clients")]
async fn create(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    PageForm(form): PageForm<ClientForm>,
) -> Result<HttpResponse, AppError> {
    admin_only(&me)?;
    let scopes = form.scopes();
    let now = state.clock.now();
    let (name, employer, facility) = (
        form.name.clone(),
        form.employer.clone(),
        form.facility.clone(),
    );
    let actor = Actor::staff(&req, &me);
    let created = state
        .db
        .write(move |conn| {
            let created = super::create_checked(conn, &name, &scopes, &employer, &facility, now)?;
            let scopes: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
            let detail = serde_json::json!({
                "name": name, "scopes": scopes, "employer": employer, "facility": facility,
            });
            let subject = format!("api_client:{}", created.client_id);
            audit::record(
                conn,
                now.and_utc(),
                &actor.event("api_client.create", subject, detail),
            )?;
            Ok(created)
        })
        .await;
    match created {
        Ok(credentials) => {
            tracing::info!(by = %me.0.account.id, client_id = %credentials.client_id, "API client created");
            page(
                &state,
                ctx,
                StatusCode::CREATED,
                Some(credentials),
                FormErrors::default(),
                ClientForm::default(),
            )
            .await
        }
        Err(error) => {
            let errors = FormErrors::from_error(error, &ctx)?;
            page(
                &state,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                errors,
                form,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct Confirm {}

#[post("/admin/clients/{client_id}/revoke")]
async fn revoke(
    req: HttpRequest,
    state: Data<AppState>,
    me: StaffSession,
    client_id: Path<String>,
    PageForm(_): PageForm<Confirm>,
) -> Result<HttpResponse, AppError> {
    admin_only(&me)?;
    let client_id = client_id.into_inner();
    let now = state.clock.now();
    let id = client_id.clone();
    let actor = Actor::staff(&req, &me);
    let revoked = state
        .db
        .write(move |conn| {
            let revoked = super::revoke(conn, &id, now)?;
            if revoked {
                let subject = format!("api_client:{id}");
                let event = actor.event("api_client.revoke", subject, serde_json::json!({}));
                audit::record(conn, now.and_utc(), &event)?;
            }
            Ok(revoked)
        })
        .await?;
    if !revoked {
        return Err(AppError::NotFound);
    }
    tracing::info!(by = %me.0.account.id, %client_id, "API client revoked");
    Ok(see_other("/admin/clients"))
}
