//! The citizen's book as pages: `/account/book` (periods, timeline, unpaid months and what to
//! do), `/account/book.csv`, and `/account/book/statement` (printable).

use actix_web::http::header;
use actix_web::web::{Data, ServiceConfig};
use actix_web::{HttpResponse, get};
use askama::Template;
use chrono::NaiveDate;

use super::rules::Period;
use super::{Book, ContributionMonth, Summary, timeline};
use crate::accounts::session::CitizenSession;
use crate::app::AppState;
use crate::error::AppError;
use crate::web::pages::{PageContext, ok};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(book_page).service(book_csv).service(statement);
}

#[derive(Template)]
#[template(path = "insurance_book/book.html")]
struct BookPage {
    ctx: PageContext,
    summary: Option<Summary>,
    timeline: String,
    recent: Vec<ContributionMonth>,
}

/// Who paid a period: the employer with its unit code, or "voluntary".
fn payer_label(ctx: &PageContext, p: &Period) -> String {
    match &p.employer {
        Some(e) => format!("{} ({})", e.name, e.unit_code),
        None => ctx.t("book.voluntary").to_owned(),
    }
}

impl BookPage {
    fn period_label(&self, p: &Period) -> String {
        payer_label(&self.ctx, p)
    }

    fn funds_label(&self, p: &Period) -> String {
        let mut funds = Vec::new();
        if p.pension {
            funds.push(self.ctx.t("book.fund.si"));
        }
        if p.unemployment {
            funds.push(self.ctx.t("book.fund.ui"));
        }
        if p.health {
            funds.push(self.ctx.t("book.fund.hi"));
        }
        funds.join(", ")
    }

    fn owed(&self, m: &ContributionMonth) -> bool {
        m.status == super::rules::Status::Owed
    }

    fn status_label(&self, m: &ContributionMonth) -> &str {
        self.ctx.t(match m.status {
            super::rules::Status::Paid => "book.status.paid",
            super::rules::Status::Owed => "book.status.owed",
            super::rules::Status::Declared => "book.status.declared",
        })
    }
}

async fn load(state: &AppState, personal_id: Option<String>) -> Result<Option<Book>, AppError> {
    super::book_of(state, personal_id, None, None).await
}

#[get("/account/book")]
async fn book_page(
    ctx: PageContext,
    state: Data<AppState>,
    CitizenSession(me): CitizenSession,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date();
    let Some(book) = load(&state, me.account.personal_id).await? else {
        return ok(&BookPage {
            ctx,
            summary: None,
            timeline: String::new(),
            recent: Vec::new(),
        });
    };
    let labels = timeline::Labels {
        title: ctx.t("book.timeline.title"),
        description: ctx.t("book.timeline.description"),
    };
    let timeline = timeline::svg(&book.months, today, &labels);
    let recent = book
        .months
        .iter()
        .rev()
        .take(12)
        .map(|m| ContributionMonth::of(m, today))
        .collect();
    ok(&BookPage {
        summary: Some(super::summary(&book, today)),
        timeline,
        recent,
        ctx,
    })
}

#[get("/account/book.csv")]
async fn book_csv(
    ctx: PageContext,
    state: Data<AppState>,
    CitizenSession(me): CitizenSession,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date();
    let book = load(&state, me.account.personal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = |key| ctx.t(key);
    let headers = [
        t("csv.month"),
        t("csv.scheme"),
        t("csv.unit_code"),
        t("csv.employer"),
        t("csv.salary_basis"),
        t("csv.pension"),
        t("csv.sickness"),
        t("csv.accident"),
        t("csv.unemployment"),
        t("csv.health"),
        t("csv.status"),
        t("csv.paid_on"),
    ];
    let body = super::csv(&book, today, &headers);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"so-bhxh-{}-{today}.csv\"",
                book.person.si_code
            ),
        ))
        .body(body))
}

#[derive(Template)]
#[template(path = "insurance_book/statement.html")]
struct StatementPage {
    ctx: PageContext,
    summary: Summary,
    birth_date: NaiveDate,
    generated_on: NaiveDate,
}

impl StatementPage {
    fn period_label(&self, p: &Period) -> String {
        payer_label(&self.ctx, p)
    }
}

#[get("/account/book/statement")]
async fn statement(
    ctx: PageContext,
    state: Data<AppState>,
    CitizenSession(me): CitizenSession,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date();
    let book = load(&state, me.account.personal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ok(&StatementPage {
        summary: super::summary(&book, today),
        birth_date: book.person.birth_date,
        generated_on: today,
        ctx,
    })
}
