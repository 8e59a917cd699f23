//! The citizen's registrations as pages, all working without JavaScript:
//! `/account/enrolments` (list), `/account/enrolments/new?kind=…` (start), the draft's page
//! (change it, attach evidence), "check your answers", submit, and once decided the plan's
//! schedule with changing and stopping it.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, Query, ServiceConfig};
use actix_web::{HttpResponse, get, post};
use askama::Template;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::pages::parse_amount;
use super::registration::{self, EnrolmentRequest, Kind, MemberRequest, Relationship, Status};
use super::rules::SupportGroup;
use super::store;
use super::view::{EnrolmentView, view};
use crate::accounts::pages::FormErrors;
use crate::accounts::session::CitizenSession;
use crate::app::AppState;
use crate::documents;
use crate::error::{AppError, FieldCode, FieldError};
use crate::insurance_book::model::Month;
use crate::policy::Policy;
use crate::secrets::random_token;
use crate::web::errors::see_other;
use crate::web::extract::{PageForm, PageUpload};
use crate::web::idempotency::{Answer, IdempotencyKey, Keyed};
use crate::web::pages::{PageContext, ok, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(start)
        .service(create)
        .service(show)
        .service(change)
        .service(upload_evidence)
        .service(evidence)
        .service(check)
        .service(submit)
        .service(stop);
}

/// Blank member rows shown on a new household form.
const FIRST_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "enrolment/list.html")]
struct ListPage {
    ctx: PageContext,
    enrolments: Vec<EnrolmentView>,
}

#[get("/account/enrolments")]
async fn list(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date();
    let account_id = me.0.account.id.clone();
    let enrolments = state
        .db
        .read(move |conn| {
            let policy = Policy::load(conn)?;
            store::of_account(conn, &account_id)?
                .iter()
                .map(|row| view(conn, row, &policy, today))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    ok(&ListPage { ctx, enrolments })
}

/// The plan form as typed: strings, so whatever was entered comes back with its error.
#[derive(Clone, Default, Deserialize, Serialize)]
#[serde(default)]
struct PlanForm {
    kind: String,
    monthly_income: String,
    support_group: String,
    payment_mode: String,
    start_month: String,
    /// How many member rows the form shows.
    rows: String,
    /// `save`, `check` (save and go on to "check your answers") or `add_row`.
    intent: String,
    /// One per form shown: a repeated post of the same form creates one draft.
    form_key: String,
    /// Member rows: `m0_personal_id`, `m0_full_name`, `m0_birth_date`, `m0_relationship`, …
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

struct MemberRowForm {
    i: usize,
    personal_id: String,
    full_name: String,
    birth_date: String,
    relationship: String,
}

impl PlanForm {
    fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::VoluntarySi)
    }

    fn row_count(&self) -> usize {
        self.rows
            .parse()
            .unwrap_or(FIRST_ROWS)
            .clamp(1, registration::MAX_MEMBERS)
    }

    fn member_rows(&self) -> Vec<MemberRowForm> {
        let get = |i: usize, name: &str| {
            self.rest
                .get(&format!("m{i}_{name}"))
                .cloned()
                .unwrap_or_default()
        };
        (0..self.row_count())
            .map(|i| MemberRowForm {
                i,
                personal_id: get(i, "personal_id"),
                full_name: get(i, "full_name"),
                birth_date: get(i, "birth_date"),
                relationship: get(i, "relationship"),
            })
            .collect()
    }

    /// The form as a registration request, or every field it could not read.
    fn request(&self) -> Result<EnrolmentRequest, AppError> {
        let mut errors = Vec::new();
        let kind = self.kind();
        let monthly_income = match (kind, self.monthly_income.trim()) {
            (Kind::HouseholdHi, _) => None,
            (_, "") => {
                errors.push(FieldError::new("monthly_income", FieldCode::Required));
                None
            }
            (_, text) => {
                let amount = parse_amount(text);
                if amount.is_none() {
                    errors.push(FieldError::new("monthly_income", FieldCode::InvalidFormat));
                }
                amount
            }
        };
        let support_group = match kind {
            Kind::HouseholdHi => None,
            Kind::VoluntarySi => {
                Some(registration::parse_group(&self.support_group).unwrap_or(SupportGroup::Other))
            }
        };
        let payment_mode = registration::parse_mode(&self.payment_mode);
        let start_month = parse_month(&self.start_month);
        if start_month.is_none() {
            errors.push(FieldError::new("start_month", FieldCode::MonthFormat));
        }
        let mut members = Vec::new();
        if kind == Kind::HouseholdHi {
            for row in self.member_rows() {
                let blank = [&row.personal_id, &row.full_name, &row.birth_date]
                    .iter()
                    .all(|v| v.trim().is_empty());
                if blank {
                    continue;
                }
                let field = |name: &str| format!("m{}_{name}", row.i);
                let birth_date = parse_date(&row.birth_date);
                if birth_date.is_none() {
                    errors.push(FieldError::new(field("birth_date"), FieldCode::DateFormat));
                }
                let relationship =
                    Relationship::parse(&row.relationship).unwrap_or(Relationship::Other);
                if let Some(birth_date) = birth_date {
                    members.push(MemberRequest {
                        personal_id: row.personal_id.trim().to_owned(),
                        full_name: row.full_name.trim().to_owned(),
                        birth_date,
                        relationship,
                    });
                }
            }
        }
        match (start_month, errors.is_empty()) {
            (Some(start_month), true) => Ok(EnrolmentRequest {
                kind,
                monthly_income,
                support_group,
                payment_mode,
                start_month,
                members,
            }),
            _ => Err(AppError::Invalid(errors)),
        }
    }

    /// The form prefilled from a registration (a household draft's member rows are added from
    /// the store by the caller: the view holds only masked numbers).
    fn of(view: &EnrolmentView) -> Self {
        Self {
            kind: view.kind.as_str().into(),
            monthly_income: view
                .monthly_income
                .map(|v| v.to_string())
                .unwrap_or_default(),
            support_group: view
                .support_group
                .map(|g| registration::group_name(g).to_owned())
                .unwrap_or_default(),
            payment_mode: registration::mode_name(view.payment_mode).into(),
            start_month: view.start_month.to_string(),
            rows: String::new(),
            intent: String::new(),
            form_key: random_token(),
            rest: HashMap::new(),
        }
    }
}

/// Errors name the API's fields (`members[1].personal_id`); the form's inputs are `m1_…`.
fn page_field(field: &str) -> String {
    match field.strip_prefix("members[") {
        Some(rest) => match rest.split_once("].") {
            Some((i, name)) => format!("m{i}_{name}"),
            None => "members".into(),
        },
        None => field.to_owned(),
    }
}

/// `YYYY-MM` (what `<input type="month">` sends) or `MM/YYYY` (typed by hand).
fn parse_month(text: &str) -> Option<Month> {
    let text = text.trim();
    Month::parse(text).or_else(|| {
        let (month, year) = text.split_once('/')?;
        Month::parse(&format!("{year}-{month:0>2}"))
    })
}

/// `YYYY-MM-DD` (what `<input type="date">` sends) or `DD/MM/YYYY`.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
}

#[derive(Template)]
#[template(path = "enrolment/plan.html")]
struct PlanPage {
    ctx: PageContext,
    errors: FormErrors,
    form: PlanForm,
    rows: Vec<MemberRowForm>,
    /// Present once a draft exists.
    enrolment: Option<EnrolmentView>,
    groups: Vec<(&'static str, &'static str)>,
    modes: Vec<(&'static str, &'static str)>,
    relationships: Vec<(&'static str, String)>,
    this_month: String,
    saved: bool,
}

impl PlanPage {
    fn household(&self) -> bool {
        self.form.kind() == Kind::HouseholdHi
    }

    fn action(&self) -> String {
        match &self.enrolment {
            Some(e) => format!("/account/enrolments/{}", e.id),
            None => "/account/enrolments".into(),
        }
    }
}

const GROUPS: [(&str, &str); 5] = [
    ("other", "calc.group.other"),
    ("poor", "calc.group.poor"),
    ("island", "calc.group.island"),
    ("near_poor", "calc.group.near_poor"),
    ("ethnic_minority", "calc.group.ethnic_minority"),
];

const MODES: [(&str, &str); 4] = [
    ("monthly", "calc.mode.monthly"),
    ("quarterly", "calc.mode.quarterly"),
    ("half_yearly", "calc.mode.half_yearly"),
    ("yearly", "calc.mode.yearly"),
];

async fn plan_page(
    state: &AppState,
    ctx: PageContext,
    status: StatusCode,
    form: PlanForm,
    errors: FormErrors,
    enrolment: Option<EnrolmentView>,
) -> Result<HttpResponse, AppError> {
    plan_page_with(state, ctx, status, form, errors, enrolment, false).await
}

/// The plan form; `saved` adds a line saying the draft was saved.
async fn plan_page_with(
    state: &AppState,
    ctx: PageContext,
    status: StatusCode,
    form: PlanForm,
    errors: FormErrors,
    enrolment: Option<EnrolmentView>,
    saved: bool,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date();
    let policy = state.db.read(|conn| Ok(Policy::load(conn)?)).await?;
    let in_force = SupportGroup::in_force(&policy, today);
    let groups = GROUPS
        .into_iter()
        .filter(|(value, _)| {
            registration::parse_group(value).is_some_and(|g| in_force.contains(&g))
        })
        .collect();
    let household = form.kind() == Kind::HouseholdHi;
    let modes = MODES
        .into_iter()
        .filter(|(value, _)| !(household && *value == "monthly"))
        .collect();
    let relationships = Relationship::ALL
        .iter()
        .map(|r| {
            (
                r.as_str(),
                ctx.t(&format!("enrol.rel.{}", r.as_str())).to_owned(),
            )
        })
        .collect();
    let rows = form.member_rows();
    render(
        status,
        &PlanPage {
            ctx,
            errors,
            form,
            rows,
            enrolment,
            groups,
            modes,
            relationships,
            this_month: Month::of(today).to_string(),
            saved,
        },
    )
}

#[derive(Deserialize)]
struct StartQuery {
    #[serde(default)]
    kind: String,
}

#[get("/account/enrolments/new")]
async fn start(
    ctx: PageContext,
    state: Data<AppState>,
    _me: CitizenSession,
    query: Query<StartQuery>,
) -> Result<HttpResponse, AppError> {
    let kind = Kind::parse(&query.kind).unwrap_or(Kind::VoluntarySi);
    let next_month = Month::of(state.clock.now().date()).next();
    let form = PlanForm {
        kind: kind.as_str().into(),
        payment_mode: if kind == Kind::HouseholdHi {
            "yearly"
        } else {
            "monthly"
        }
        .into(),
        start_month: next_month.to_string(),
        form_key: random_token(),
        ..PlanForm::default()
    };
    plan_page(
        &state,
        ctx,
        StatusCode::OK,
        form,
        FormErrors::default(),
        None,
    )
    .await
}

/// Re-shows the form with its errors (names mapped to the form's inputs).
async fn refused(
    state: &AppState,
    ctx: PageContext,
    form: PlanForm,
    error: AppError,
    enrolment: Option<EnrolmentView>,
) -> Result<HttpResponse, AppError> {
    let error = match error {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|e| FieldError::new(page_field(&e.field), e.code))
                .collect(),
        ),
        other => other,
    };
    let errors = FormErrors::from_error(error, &ctx)?;
    plan_page(
        state,
        ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        form,
        errors,
        enrolment,
    )
    .await
}

/// Shows one more member row without saving anything.
async fn with_another_row(
    state: &AppState,
    ctx: PageContext,
    mut form: PlanForm,
    enrolment: Option<EnrolmentView>,
) -> Result<HttpResponse, AppError> {
    form.rows = (form.row_count() + 1)
        .min(registration::MAX_MEMBERS)
        .to_string();
    plan_page(
        state,
        ctx,
        StatusCode::OK,
        form,
        FormErrors::default(),
        enrolment,
    )
    .await
}

fn after_save(id: &str, intent: &str) -> HttpResponse {
    if intent == "check" {
        see_other(&format!("/account/enrolments/{id}/check"))
    } else {
        see_other(&format!("/account/enrolments/{id}?saved=1"))
    }
}

#[post("/account/enrolments")]
async fn create(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    PageForm(form): PageForm<PlanForm>,
) -> Result<HttpResponse, AppError> {
    if form.intent == "add_row" {
        return with_another_row(&state, ctx, form, None).await;
    }
    let request = match form.request() {
        Ok(request) => request,
        Err(error) => return refused(&state, ctx, form, error, None).await,
    };
    let key = IdempotencyKey::parse(&form.form_key)?;
    let account = me.0.account.clone();
    let keyed = Keyed::new(&account.id, key, "enrol page", &request)?;
    let now = state.clock.now();
    let created = state
        .db
        .write(move |conn| {
            keyed.run(conn, now, |conn| {
                let policy = Policy::load(conn)?;
                let id = registration::create(conn, &account, &request, &policy, now)?;
                Answer::json(StatusCode::CREATED, &id)
            })
        })
        .await;
    match created {
        Ok(answer) => {
            let id: String = serde_json::from_str(&answer.body).map_err(anyhow::Error::from)?;
            Ok(after_save(&id, &form.intent))
        }
        Err(error) => refused(&state, ctx, form, error, None).await,
    }
}

async fn own_view(
    state: &AppState,
    me: &CitizenSession,
    id: String,
) -> Result<EnrolmentView, AppError> {
    let today = state.clock.now().date();
    let account = me.0.account.clone();
    state
        .db
        .read(move |conn| {
            let row = registration::visible(conn, &account, &id)?;
            let policy = Policy::load(conn)?;
            view(conn, &row, &policy, today)
        })
        .await
}

#[derive(Template)]
#[template(path = "enrolment/show.html")]
struct ShowPage {
    ctx: PageContext,
    enrolment: EnrolmentView,
    errors: FormErrors,
    form: PlanForm,
    modes: Vec<(&'static str, &'static str)>,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
struct ShowQuery {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    submitted: Option<String>,
}

#[get("/account/enrolments/{id}")]
async fn show(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    query: Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let enrolment = own_view(&state, &me, id.into_inner()).await?;
    let mut form = PlanForm::of(&enrolment);
    if enrolment.status == Status::Draft {
        if enrolment.kind == Kind::HouseholdHi {
            form.rest = stored_member_fields(&state, &me, &enrolment.id).await?;
            form.rows = (enrolment.members.len() + 1).to_string();
        }
        let saved = query.saved.is_some();
        let errors = FormErrors::default();
        return plan_page_with(
            &state,
            ctx,
            StatusCode::OK,
            form,
            errors,
            Some(enrolment),
            saved,
        )
        .await;
    }
    let notice = query
        .submitted
        .as_ref()
        .map(|_| "enrol.notice.submitted")
        .or(query.saved.as_ref().map(|_| "enrol.notice.saved"));
    ok(&ShowPage {
        ctx,
        enrolment,
        errors: FormErrors::default(),
        form,
        modes: MODES.to_vec(),
        notice,
    })
}

/// The stored members of the caller's draft as form fields (the owner sees their own
/// household's numbers to correct them).
async fn stored_member_fields(
    state: &AppState,
    me: &CitizenSession,
    id: &str,
) -> Result<HashMap<String, String>, AppError> {
    let account = me.0.account.clone();
    let id = id.to_owned();
    state
        .db
        .read(move |conn| {
            let row = registration::visible(conn, &account, &id)?;
            let mut fields = HashMap::new();
            for (i, m) in store::members(conn, &row.id)?.into_iter().enumerate() {
                fields.insert(format!("m{i}_personal_id"), m.personal_id);
                fields.insert(format!("m{i}_full_name"), m.full_name);
                fields.insert(format!("m{i}_birth_date"), m.birth_date.to_string());
                fields.insert(format!("m{i}_relationship"), m.relationship);
            }
            Ok(fields)
        })
        .await
}

#[post("/account/enrolments/{id}")]
async fn change(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    PageForm(mut form): PageForm<PlanForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let current = own_view(&state, &me, id.clone()).await?;
    // The kind of a registration never changes, whatever the form says.
    form.kind = current.kind.as_str().into();
    if form.intent == "add_row" {
        return with_another_row(&state, ctx, form, Some(current)).await;
    }
    let request = match form.request() {
        Ok(request) => request,
        Err(error) => return change_refused(&state, ctx, form, error, current).await,
    };
    let account = me.0.account.clone();
    let now = state.clock.now();
    let target = id.clone();
    let changed = state
        .db
        .write(move |conn| {
            let policy = Policy::load(conn)?;
            registration::update(conn, &account, &target, &request, &policy, now)
        })
        .await;
    match changed {
        Ok(()) => Ok(after_save(&id, &form.intent)),
        Err(error) => change_refused(&state, ctx, form, error, current).await,
    }
}

async fn change_refused(
    state: &AppState,
    ctx: PageContext,
    form: PlanForm,
    error: AppError,
    current: EnrolmentView,
) -> Result<HttpResponse, AppError> {
    if current.status == Status::Draft {
        return refused(state, ctx, form, error, Some(current)).await;
    }
    let errors = FormErrors::from_error(error, &ctx)?;
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ShowPage {
            ctx,
            enrolment: current,
            errors,
            form,
            modes: MODES.to_vec(),
            notice: None,
        },
    )
}

#[post("/account/enrolments/{id}/evidence")]
async fn upload_evidence(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    upload: Result<PageUpload, AppError>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let current = own_view(&state, &me, id.clone()).await?;
    let stored = match upload {
        Ok(PageUpload {
            file: Some(file), ..
        }) => {
            let account = me.0.account.clone();
            let now = state.clock.now();
            let target = id.clone();
            documents::store(
                &state,
                &account.id.clone(),
                file,
                now,
                move |conn, document| {
                    registration::attach_evidence(conn, &account, &target, document, now)
                },
            )
            .await
        }
        Ok(PageUpload { file: None, .. }) => Err(AppError::invalid("file", FieldCode::Required)),
        Err(error) => Err(error),
    };
    match stored {
        Ok(()) => Ok(see_other(&format!("/account/enrolments/{id}?saved=1"))),
        Err(error @ (AppError::Invalid(_) | AppError::PayloadTooLarge)) => {
            let error = match error {
                AppError::PayloadTooLarge => AppError::invalid("file", FieldCode::FileTooLarge),
                other => other,
            };
            let mut form = PlanForm::of(&current);
            if current.kind == Kind::HouseholdHi {
                form.rest = stored_member_fields(&state, &me, &current.id).await?;
            }
            let errors = FormErrors::from_error(error, &ctx)?;
            plan_page(
                &state,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                errors,
                Some(current),
            )
            .await
        }
        Err(other) => Err(other),
    }
}

#[get("/account/enrolments/{id}/evidence")]
async fn evidence(
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let account = me.0.account.clone();
    let id = id.into_inner();
    let document = state
        .db
        .read(move |conn| {
            let row = registration::visible(conn, &account, &id)?;
            registration::evidence(conn, &row)?.ok_or(AppError::NotFound)
        })
        .await?;
    let bytes = documents::read(&state, &document).await?;
    Ok(documents::response(&document, bytes))
}

#[derive(Template)]
#[template(path = "enrolment/check.html")]
struct CheckPage {
    ctx: PageContext,
    enrolment: EnrolmentView,
    errors: FormErrors,
}

#[get("/account/enrolments/{id}/check")]
async fn check(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    let enrolment = own_view(&state, &me, id.into_inner()).await?;
    if enrolment.status != Status::Draft {
        return Ok(see_other(&format!("/account/enrolments/{}", enrolment.id)));
    }
    ok(&CheckPage {
        ctx,
        enrolment,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
struct Confirm {}

#[post("/account/enrolments/{id}/submit")]
async fn submit(
    ctx: PageContext,
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    PageForm(_): PageForm<Confirm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let account = me.0.account.clone();
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    let target = id.clone();
    let submitted = state
        .db
        .write(move |conn| registration::submit(conn, &account, &target, &public_url, now))
        .await;
    match submitted {
        Ok(()) => Ok(see_other(&format!("/account/enrolments/{id}?submitted=1"))),
        // A second click on "submit" lands on the submitted registration, not on an error.
        Err(AppError::WrongState(_)) => Ok(see_other(&format!("/account/enrolments/{id}"))),
        Err(error) => {
            let enrolment = own_view(&state, &me, id).await?;
            let errors = FormErrors::from_error(error, &ctx)?;
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &CheckPage {
                    ctx,
                    enrolment,
                    errors,
                },
            )
        }
    }
}

#[post("/account/enrolments/{id}/stop")]
async fn stop(
    state: Data<AppState>,
    me: CitizenSession,
    id: Path<String>,
    PageForm(_): PageForm<Confirm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let account = me.0.account.clone();
    let now = state.clock.now();
    let target = id.clone();
    state
        .db
        .write(move |conn| registration::stop(conn, &account, &target, now))
        .await?;
    Ok(see_other(&format!("/account/enrolments/{id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_read_as_people_type_them() {
        assert_eq!(parse_amount("3.000.000"), Some(3_000_000));
        assert_eq!(parse_amount("3,000,000 ₫"), Some(3_000_000));
        assert_eq!(parse_amount("ba triệu"), None);
        assert_eq!(parse_month("2026-12"), Month::parse("2026-12"));
        assert_eq!(parse_month("3/2027"), Month::parse("2027-03"));
        assert_eq!(
            parse_date("17/05/1990"),
            NaiveDate::from_ymd_opt(1990, 5, 17)
        );
        assert_eq!(page_field("members[2].birth_date"), "m2_birth_date");
        assert_eq!(page_field("monthly_income"), "monthly_income");
    }
}
