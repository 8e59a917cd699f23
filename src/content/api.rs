//! Policy content over the API, public and cacheable: `/api/v1/procedures`, `/articles`,
//! `/faqs`. `lang` picks the language (`vi` by default); `q` searches without accents.

use actix_web::web::{Data, Path, Query as UrlQuery};
use actix_web::{HttpRequest, HttpResponse, get};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::Kind;
use super::search::Query;
use super::store;
use super::view::{self, Full, Summary};
use crate::app::AppState;
use crate::error::{AppError, Problem};
use crate::web::cache;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(procedures)
        .service(procedure)
        .service(articles)
        .service(article)
        .service(faqs);
}

/// What a list may be narrowed by.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words to search for, with or without Vietnamese accents, in any case.
    #[param(example = "bao hiem that nghiep")]
    pub q: Option<String>,
    /// Only this category (e.g. `unemployment`).
    pub category: Option<String>,
    /// `vi` (default) or `en`.
    #[param(example = "vi")]
    pub lang: Option<String>,
    /// Where the previous page ended (articles, without `q`).
    pub cursor: Option<String>,
}

/// A page of articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticlePage {
    pub items: Vec<Summary>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `lang` alone.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// `vi` (default) or `en`.
    pub lang: Option<String>,
}

const PAGE: i64 = 20;

async fn list(
    state: &AppState,
    kind: Kind,
    query: ListQuery,
) -> Result<(Vec<Summary>, Option<String>), AppError> {
    let lang = view::lang(query.lang.as_deref())?;
    let words = query.q.as_deref().and_then(Query::parse);
    let after = match (&words, query.cursor.as_deref()) {
        (None, Some(cursor)) if !cursor.is_empty() => Some(view::parse_cursor(cursor)?),
        _ => None,
    };
    let now = state.clock.now();
    state
        .db
        .read(move |conn| {
            let category = query.category.as_deref().filter(|c| !c.is_empty());
            match &words {
                Some(q) => {
                    let items = store::public_search(conn, kind, lang, category, q, 50, now)?;
                    Ok((
                        items.iter().map(|i| view::summary(i, Some(q))).collect(),
                        None,
                    ))
                }
                None => {
                    let items = store::public_list(conn, kind, lang, category, after, PAGE, now)?;
                    let next = (items.len() == usize::try_from(PAGE).unwrap_or(0))
                        .then(|| items.last())
                        .flatten()
                        .and_then(|last| view::cursor_of(&view::summary(last, None), &last.id));
                    Ok((items.iter().map(|i| view::summary(i, None)).collect(), next))
                }
            }
        })
        .await
}

async fn one(
    state: &AppState,
    kind: Kind,
    slug: String,
    lang: Option<String>,
) -> Result<Full, AppError> {
    let lang = view::lang(lang.as_deref())?;
    let now = state.clock.now();
    state
        .db
        .read(move |conn| {
            let item =
                store::public_item(conn, kind, lang, &slug, now)?.ok_or(AppError::NotFound)?;
            view::full(conn, &item, now)
        })
        .await
}

/// The procedures catalogue, or the procedures matching `q` (best first).
#[utoipa::path(
    operation_id = "list_procedures",
    tag = "content",
    params(ListQuery),
    responses(
        (status = 200, description = "Procedures", body = Vec<Summary>, example = json!([{"kind": "procedure", "slug": "602b", "title": "Đăng ký tham gia BHXH tự nguyện", "summary": "Người từ 15 tuổi không thuộc diện bắt buộc tự đăng ký.", "category": "voluntary_si", "tags": ["tự nguyện"]}])),
        (status = 304, description = "Unchanged since the `ETag` given in `If-None-Match`"),
        (status = 422, description = "An unknown `lang`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/procedures")]
async fn procedures(
    req: HttpRequest,
    state: Data<AppState>,
    query: UrlQuery<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (items, _) = list(&state, Kind::Procedure, query.into_inner()).await?;
    Ok(cache::json(&req, &items))
}

/// One procedure: who may use it, the documents, the steps, the legal time, the fee, where to
/// file, and the portal form that files it online.
#[utoipa::path(
    operation_id = "show_procedure",
    tag = "content",
    params(("code" = String, Path, description = "The procedure's code"), LangQuery),
    responses(
        (status = 200, description = "The procedure", body = Full, example = json!({"kind": "procedure", "slug": "602b", "lang": "vi", "title": "Đăng ký tham gia BHXH tự nguyện", "summary": "…", "body_html": "<p>…</p>", "category": "voluntary_si", "tags": [], "facts": {"who": "…", "documents": [], "steps": [], "processing_time": "5 ngày làm việc", "fee": "Không mất phí", "where_to_file": "…", "online_form": "/account/enrolments"}, "translation": "602b"})),
        (status = 304, description = "Unchanged since the `ETag` given in `If-None-Match`"),
        (status = 404, description = "No such public procedure", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `lang`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/procedures/{code}")]
async fn procedure(
    req: HttpRequest,
    state: Data<AppState>,
    code: Path<String>,
    query: UrlQuery<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let item = one(
        &state,
        Kind::Procedure,
        code.into_inner(),
        query.into_inner().lang,
    )
    .await?;
    Ok(cache::json(&req, &item))
}

/// Articles, newest first a page at a time, or those matching `q` (best first).
#[utoipa::path(
    operation_id = "list_articles",
    tag = "content",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of articles", body = ArticlePage, example = json!({"items": [{"kind": "article", "slug": "muc-tham-chieu-tu-1-7-2026", "title": "Mức tham chiếu từ 1/7/2026", "summary": "…", "category": "records", "tags": [], "published_at": "2026-11-30T08:00:00"}]})),
        (status = 304, description = "Unchanged since the `ETag` given in `If-None-Match`"),
        (status = 422, description = "An unknown `lang` or a broken `cursor`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles")]
async fn articles(
    req: HttpRequest,
    state: Data<AppState>,
    query: UrlQuery<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (items, next_cursor) = list(&state, Kind::Article, query.into_inner()).await?;
    Ok(cache::json(&req, &ArticlePage { items, next_cursor }))
}

/// One article.
#[utoipa::path(
    operation_id = "show_article",
    tag = "content",
    params(("slug" = String, Path, description = "The article's slug"), LangQuery),
    responses(
        (status = 200, description = "The article", body = Full, example = json!({"kind": "article", "slug": "muc-tham-chieu-tu-1-7-2026", "lang": "vi", "title": "Mức tham chiếu từ 1/7/2026", "summary": "…", "body_html": "<p>…</p>", "category": "records", "tags": []})),
        (status = 304, description = "Unchanged since the `ETag` given in `If-None-Match`"),
        (status = 404, description = "No such public article", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `lang`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles/{slug}")]
async fn article(
    req: HttpRequest,
    state: Data<AppState>,
    slug: Path<String>,
    query: UrlQuery<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let item = one(
        &state,
        Kind::Article,
        slug.into_inner(),
        query.into_inner().lang,
    )
    .await?;
    Ok(cache::json(&req, &item))
}

/// FAQ entries, or those matching `q` (best first), each with its answer.
#[utoipa::path(
    operation_id = "list_faqs",
    tag = "content",
    params(ListQuery),
    responses(
        (status = 200, description = "FAQ entries with their answers", body = Vec<Full>, example = json!([{"kind": "faq", "slug": "toi-co-duoc-huong-tro-cap-that-nghiep-khong", "lang": "vi", "title": "Tôi có được hưởng trợ cấp thất nghiệp không?", "summary": "", "body_html": "<p>…</p>", "category": "unemployment", "tags": []}])),
        (status = 304, description = "Unchanged since the `ETag` given in `If-None-Match`"),
        (status = 422, description = "An unknown `lang`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/faqs")]
async fn faqs(
    req: HttpRequest,
    state: Data<AppState>,
    query: UrlQuery<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let lang = view::lang(query.lang.as_deref())?;
    let words = query.q.as_deref().and_then(Query::parse);
    let now = state.clock.now();
    let entries = state
        .db
        .read(move |conn| {
            let category = query.category.as_deref().filter(|c| !c.is_empty());
            let items = match &words {
                Some(q) => store::public_search(conn, Kind::Faq, lang, category, q, 50, now)?,
                None => store::public_list(conn, Kind::Faq, lang, category, None, 200, now)?,
            };
            items
                .iter()
                .map(|i| view::full(conn, i, now))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(cache::json(&req, &entries))
}
