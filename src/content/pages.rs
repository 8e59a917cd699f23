//! Policy content as public pages, fast and cacheable: the procedures catalogue and each
//! procedure (printable), articles, the FAQ, and one search over all three from the home page.
//! Anonymous visitors' pages may be kept by any cache; a signed-in visitor's only by their own
//! browser (the header names them). Every page answers a conditional GET with 304.

use actix_web::web::{Data, Path, Query as UrlQuery, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get};
use askama::Template;

use super::api::ListQuery;
use super::model::{Kind, category_rank};
use super::search::Query;
use super::store;
use super::view::{self, Full, Summary};
use crate::app::AppState;
use crate::error::AppError;
use crate::web::cache;
use crate::web::pages::PageContext;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(search)
        .service(procedures)
        .service(procedure)
        .service(articles)
        .service(article)
        .service(faq);
}

/// A list of items (or search results) under a heading.
#[derive(Template)]
#[template(path = "content/list.html")]
struct ListPage {
    ctx: PageContext,
    /// `procedures`, `articles` or `search` (the FAQ has its own page).
    section: &'static str,
    q: String,
    /// Each group's heading key and id, and its items.
    groups: Vec<Group>,
}

struct Group {
    id: String,
    heading_key: String,
    items: Vec<Summary>,
}

impl Group {
    fn of_kind(kind: Kind, items: Vec<Summary>) -> Self {
        Self {
            id: kind.as_str().to_owned(),
            heading_key: format!("content.kind.{}", kind.as_str()),
            items,
        }
    }

    /// The items in their categories, in the order the categories first appear.
    fn by_category(items: Vec<Summary>) -> Vec<Self> {
        let mut groups: Vec<Self> = Vec::new();
        for item in items {
            match groups.iter_mut().find(|g| g.id == item.category) {
                Some(group) => group.items.push(item),
                None => groups.push(Self {
                    id: item.category.clone(),
                    heading_key: format!("content.category.{}", item.category),
                    items: vec![item],
                }),
            }
        }
        groups
    }
}

impl ListPage {
    fn title_key(&self) -> String {
        format!("content.{}.title", self.section)
    }

    fn lead_key(&self) -> String {
        format!("content.{}.lead", self.section)
    }

    fn href(&self, item: &Summary) -> String {
        match item.kind {
            Kind::Procedure => format!("/procedures/{}", item.slug),
            Kind::Article => format!("/articles/{}", item.slug),
            Kind::Faq => format!("/faq#{}", item.slug),
        }
    }

    fn any(&self) -> bool {
        self.groups.iter().any(|g| !g.items.is_empty())
    }
}

async fn items(
    state: &AppState,
    kind: Kind,
    lang: &'static str,
    q: Option<Query>,
    limit: i64,
) -> Result<Vec<Summary>, AppError> {
    let now = state.clock.now();
    state
        .db
        .read(move |conn| {
            let items = match &q {
                Some(q) => store::public_search(conn, kind, lang, None, q, 20, now)?,
                None => store::public_list(conn, kind, lang, None, None, limit, now)?,
            };
            Ok(items.iter().map(|i| view::summary(i, q.as_ref())).collect())
        })
        .await
}

#[get("/search")]
async fn search(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    query: UrlQuery<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let text = query.q.clone().unwrap_or_default();
    let lang = ctx.lang.code();
    let words = Query::parse(&text);
    let mut groups = Vec::new();
    if words.is_some() {
        for kind in [Kind::Procedure, Kind::Faq, Kind::Article] {
            let found = items(&state, kind, lang, words.clone(), 20).await?;
            groups.push(Group::of_kind(kind, found));
        }
    }
    let shared = ctx.viewer.is_none();
    cache::page(
        &req,
        shared,
        &ListPage {
            section: "search",
            q: text,
            groups,
            ctx,
        },
    )
}

async fn section(
    req: HttpRequest,
    ctx: PageContext,
    state: &AppState,
    kind: Kind,
    section: &'static str,
    query: ListQuery,
) -> Result<HttpResponse, AppError> {
    let text = query.q.clone().unwrap_or_default();
    let words = Query::parse(&text);
    let searched = words.is_some();
    let found = items(state, kind, ctx.lang.code(), words, 200).await?;
    // A search lists the best first; the catalogue is shown by category.
    let groups = if searched || kind != Kind::Procedure {
        vec![Group::of_kind(kind, found)]
    } else {
        let mut found = found;
        found.sort_by(|a, b| {
            category_rank(&a.category)
                .cmp(&category_rank(&b.category))
                .then_with(|| a.title.cmp(&b.title))
        });
        Group::by_category(found)
    };
    let shared = ctx.viewer.is_none();
    cache::page(
        &req,
        shared,
        &ListPage {
            section,
            q: text,
            groups,
            ctx,
        },
    )
}

#[get("/procedures")]
async fn procedures(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    query: UrlQuery<ListQuery>,
) -> Result<HttpResponse, AppError> {
    section(
        req,
        ctx,
        &state,
        Kind::Procedure,
        "procedures",
        query.into_inner(),
    )
    .await
}

#[get("/articles")]
async fn articles(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    query: UrlQuery<ListQuery>,
) -> Result<HttpResponse, AppError> {
    section(
        req,
        ctx,
        &state,
        Kind::Article,
        "articles",
        query.into_inner(),
    )
    .await
}

/// One procedure or article.
#[derive(Template)]
#[template(path = "content/item.html")]
struct ItemPage {
    ctx: PageContext,
    item: Full,
}

impl ItemPage {
    fn back(&self) -> (&'static str, &'static str) {
        match self.item.kind {
            Kind::Procedure => ("/procedures", "content.procedures.title"),
            _ => ("/articles", "content.articles.title"),
        }
    }
}

async fn item(
    req: HttpRequest,
    ctx: PageContext,
    state: &AppState,
    kind: Kind,
    slug: String,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang.code();
    let now = state.clock.now();
    let item = state
        .db
        .read(move |conn| {
            let item =
                store::public_item(conn, kind, lang, &slug, now)?.ok_or(AppError::NotFound)?;
            view::full(conn, &item, now)
        })
        .await?;
    let shared = ctx.viewer.is_none();
    cache::page(&req, shared, &ItemPage { ctx, item })
}

#[get("/procedures/{code}")]
async fn procedure(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    code: Path<String>,
) -> Result<HttpResponse, AppError> {
    item(req, ctx, &state, Kind::Procedure, code.into_inner()).await
}

#[get("/articles/{slug}")]
async fn article(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    slug: Path<String>,
) -> Result<HttpResponse, AppError> {
    item(req, ctx, &state, Kind::Article, slug.into_inner()).await
}

/// The FAQ: every question with its answer, or those matching the search.
#[derive(Template)]
#[template(path = "content/faq.html")]
struct FaqPage {
    ctx: PageContext,
    q: String,
    entries: Vec<Full>,
}

#[get("/faq")]
async fn faq(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    query: UrlQuery<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let text = query.q.clone().unwrap_or_default();
    let words = Query::parse(&text);
    let lang = ctx.lang.code();
    let now = state.clock.now();
    let entries = state
        .db
        .read(move |conn| {
            let items = match &words {
                Some(q) => store::public_search(conn, Kind::Faq, lang, None, q, 50, now)?,
                None => store::public_list(conn, Kind::Faq, lang, None, None, 200, now)?,
            };
            items
                .iter()
                .map(|i| view::full(conn, i, now))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    let shared = ctx.viewer.is_none();
    cache::page(
        &req,
        shared,
        &FaqPage {
            ctx,
            q: text,
            entries,
        },
    )
}
