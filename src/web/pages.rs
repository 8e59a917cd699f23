//! Server-rendered pages: the context every template gets (language, CSRF token, who is signed
//! in, the demo banner) and the helpers that render a template into a response.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use futures_util::future::LocalBoxFuture;

use crate::accounts::session::SignedIn;
use crate::app::AppState;
use crate::error::AppError;
use crate::web::i18n::Lang;

/// Who is signed in, as the page header shows it.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub name: String,
    pub is_staff: bool,
}

pub struct PageContext {
    pub lang: Lang,
    pub csrf_token: String,
    pub viewer: Option<Viewer>,
    /// The database holds demo data: every page says so.
    pub demo: bool,
    path: String,
    query: String,
}

impl PageContext {
    /// The context from what is already known about the request (no database lookups).
    pub fn known(req: &HttpRequest) -> Self {
        let viewer = req.extensions().get::<SignedIn>().map(SignedIn::viewer);
        Self {
            lang: Lang::of_request(req),
            csrf_token: crate::web::csrf::token(req),
            viewer,
            demo: AppState::of(req)
                .demo
                .load(std::sync::atomic::Ordering::Relaxed),
            path: req.path().to_owned(),
            query: req.query_string().to_owned(),
        }
    }

    /// The text for `key` in the page's language.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.lang.catalog().text(key)
    }

    /// The same page in the other language: a relative `?…` link that keeps the page's other
    /// query parameters (an emailed token, say) and cannot point to another host.
    pub fn switch_href(&self) -> String {
        let kept = self
            .query
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("lang="));
        let mut pairs: Vec<&str> = kept.collect();
        let lang = format!("lang={}", self.lang.other().code());
        pairs.push(&lang);
        format!("?{}", pairs.join("&"))
    }

    pub fn asset(&self, name: &str) -> String {
        crate::web::assets::url(name)
    }

    pub fn is_current(&self, path: &str) -> bool {
        self.path == path
    }

    /// An amount of money as people write it: `15.000.000 ₫` in Vietnamese, `15,000,000 VND`
    /// in English.
    pub fn money(&self, amount: &i64) -> String {
        let grouped = self.lang.group_digits(amount.abs());
        let sign = if *amount < 0 { "−" } else { "" };
        match self.lang {
            Lang::Vi => format!("{sign}{grouped} ₫"),
            Lang::En => format!("{sign}{grouped} VND"),
        }
    }

    /// A date as `dd/mm/yyyy` (the form used on Vietnamese documents, and unambiguous here).
    pub fn date(&self, date: &chrono::NaiveDate) -> String {
        date.format("%d/%m/%Y").to_string()
    }

    /// A moment (stored in UTC) in Vietnam time: `dd/mm/yyyy HH:MM`.
    pub fn datetime(&self, at: &crate::clock::Timestamp) -> String {
        crate::clock::in_vietnam(*at)
            .format("%d/%m/%Y %H:%M")
            .to_string()
    }

    /// A number of months as years and months: `13 năm 11 tháng` / `13 years 11 months`.
    pub fn duration(&self, months: &u32) -> String {
        let (years, rest) = (months / 12, months % 12);
        let (y, m) = (self.t("unit.years"), self.t("unit.months"));
        match (years, rest) {
            (0, rest) => format!("{rest} {m}"),
            (years, 0) => format!("{years} {y}"),
            (years, rest) => format!("{years} {y} {rest} {m}"),
        }
    }
}

impl FromRequest for PageContext {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            // Loads (and caches) the session so the header can show who is signed in.
            let _ = Option::<SignedIn>::from_request(&req, &mut Payload::None).await;
            Ok(PageContext::known(&req))
        })
    }
}

/// Renders `page` with `status`.
pub fn render(status: StatusCode, page: &impl Template) -> Result<HttpResponse, AppError> {
    let html = page
        .render()
        .map_err(|error| AppError::Internal(anyhow::anyhow!("rendering a page: {error}")))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

pub fn ok(page: &impl Template) -> Result<HttpResponse, AppError> {
    render(StatusCode::OK, page)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageContext,
    status: u16,
    title: String,
    detail: String,
    trace_id: Option<String>,
}

/// The friendly page for an error (see `web::errors`).
pub fn error_page(req: &HttpRequest, error: &AppError, trace_id: Option<String>) -> HttpResponse {
    let ctx = PageContext::known(req);
    let problem = error.problem(ctx.lang, None);
    let page = ErrorPage {
        status: problem.status,
        title: problem.title,
        detail: problem.detail.unwrap_or_default(),
        trace_id: matches!(error, AppError::Internal(_))
            .then_some(trace_id)
            .flatten(),
        ctx,
    };
    render(error.status_code(), &page).unwrap_or_else(|_| {
        HttpResponse::build(error.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(error.code())
    })
}
