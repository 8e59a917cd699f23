//! Content as it is shown, to the API and the pages alike: what a list shows of an item (with
//! a highlighted snippet when searched), and a whole item with its rendered body.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use utoipa::ToSchema;

use super::markdown;
use super::model::{Facts, Kind};
use super::search::{self, Part, Query};
use super::store::{self, Item};
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::error::{AppError, FieldCode};

/// An item in a list or among search results.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = ContentSummary)]
pub struct Summary {
    pub kind: Kind,
    /// The procedure's code, or the article's or FAQ entry's slug.
    #[schema(example = "602b")]
    pub slug: String,
    #[schema(example = "Đăng ký tham gia BHXH tự nguyện")]
    pub title: String,
    pub summary: String,
    #[schema(example = "voluntary_si")]
    pub category: String,
    pub tags: Vec<String>,
    #[schema(value_type = Option<String>, nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<Timestamp>,
    /// Around the first match, the matched words marked (searches only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub snippet: Vec<Part>,
}

/// A whole item: its body rendered to sanitised HTML, and for a procedure its facts.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = ContentItem)]
pub struct Full {
    pub kind: Kind,
    pub slug: String,
    /// `vi` or `en`.
    pub lang: String,
    pub title: String,
    pub summary: String,
    /// The body, Markdown rendered to HTML with anything that could run removed.
    pub body_html: String,
    pub category: String,
    pub tags: Vec<String>,
    #[schema(value_type = Option<String>, nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<Timestamp>,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<Facts>,
    /// The slug of the same item in the other language, when there is one.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
}

pub fn summary(item: &Item, query: Option<&Query>) -> Summary {
    let snippet = query
        .map(|q| {
            let text = format!("{} {}", item.summary, markdown::to_text(&item.body_md));
            search::snippet(text.trim(), q, 180)
        })
        .unwrap_or_default();
    Summary {
        kind: item.kind(),
        slug: item.slug.clone(),
        title: item.title.clone(),
        summary: item.summary.clone(),
        category: item.category.clone(),
        tags: item.tags(),
        published_at: item.publish_at,
        snippet,
    }
}

pub fn full(conn: &mut DbConn, item: &Item, now: Timestamp) -> Result<Full, AppError> {
    let other = if item.lang == "vi" { "en" } else { "vi" };
    let kind = item.kind();
    Ok(Full {
        kind,
        slug: item.slug.clone(),
        lang: item.lang.clone(),
        title: item.title.clone(),
        summary: item.summary.clone(),
        body_html: markdown::to_html(&item.body_md),
        category: item.category.clone(),
        tags: item.tags(),
        published_at: item.publish_at,
        facts: (kind == Kind::Procedure).then(|| item.facts()),
        translation: store::translation(conn, item, other, now)?,
    })
}

/// The content language asked for: `vi` (the default) or `en`.
pub fn lang(asked: Option<&str>) -> Result<&'static str, AppError> {
    match asked.map(str::trim) {
        None | Some("") | Some("vi") => Ok("vi"),
        Some("en") => Ok("en"),
        Some(_) => Err(AppError::invalid("lang", FieldCode::InvalidFormat)),
    }
}

/// A list page's cursor: the publication time and id of the last item shown, opaque.
pub fn cursor_of(item: &Summary, id: &str) -> Option<String> {
    let at = item.published_at?;
    Some(URL_SAFE_NO_PAD.encode(format!("{}|{id}", at.and_utc().timestamp_micros())))
}

pub fn parse_cursor(text: &str) -> Result<(Timestamp, String), AppError> {
    let bad = || AppError::invalid("cursor", FieldCode::InvalidFormat);
    let raw = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let (micros, id) = raw.split_once('|').ok_or_else(bad)?;
    let at = chrono::DateTime::from_timestamp_micros(micros.parse().map_err(|_| bad())?)
        .ok_or_else(bad)?
        .naive_utc();
    Ok((at, id.to_owned()))
}
