//! Content in the database: saving an item keeps a revision; public reads see only what is
//! published, or scheduled with its time come.

use diesel::prelude::*;

use super::model::{Facts, Kind, Status};
use super::search::{Query, like_anywhere};
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{content_items, content_revisions};
use crate::error::AppError;
use crate::text::fold;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = content_items)]
pub struct Item {
    pub id: String,
    pub group_id: String,
    pub kind: String,
    pub lang: String,
    pub slug: String,
    pub status: String,
    pub publish_at: Option<Timestamp>,
    pub category: String,
    pub tags: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub facts: String,
    pub search_title: String,
    pub search_body: String,
    pub revision: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Item {
    pub fn kind(&self) -> Kind {
        // The table's CHECK constraint admits the three kinds only.
        Kind::parse(&self.kind).unwrap_or(Kind::Faq)
    }

    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Draft)
    }

    pub fn facts(&self) -> Facts {
        serde_json::from_str(&self.facts).unwrap_or_default()
    }

    pub fn tags(&self) -> Vec<String> {
        self.tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// An item as an editor (or the seed) writes it.
#[derive(Clone, Debug)]
pub struct Draft {
    pub kind: Kind,
    pub lang: &'static str,
    pub slug: String,
    /// Links the language versions of one item.
    pub group_id: String,
    pub status: Status,
    pub publish_at: Option<Timestamp>,
    pub category: String,
    pub tags: Vec<String>,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub facts: Facts,
}

/// Saves `draft` (new, or over the item of the same kind, language and slug) and keeps the
/// text as a new revision; returns the item's id.
pub fn save(
    conn: &mut DbConn,
    draft: &Draft,
    author: Option<&str>,
    now: Timestamp,
) -> Result<String, AppError> {
    let facts = serde_json::to_string(&draft.facts).map_err(anyhow::Error::from)?;
    let search_body = fold(&format!(
        "{} {} {} {}",
        draft.summary,
        super::markdown::to_text(&draft.body_md),
        draft.tags.join(" "),
        facts_text(&draft.facts)
    ));
    let existing: Option<(String, i32)> = content_items::table
        .filter(content_items::kind.eq(draft.kind.as_str()))
        .filter(content_items::lang.eq(draft.lang))
        .filter(content_items::slug.eq(&draft.slug))
        .select((content_items::id, content_items::revision))
        .first(conn)
        .optional()?;
    let (id, revision) = match existing {
        Some((id, revision)) => (id, revision + 1),
        None => (uuid::Uuid::now_v7().to_string(), 1),
    };
    let values = (
        content_items::group_id.eq(&draft.group_id),
        content_items::status.eq(draft.status.as_str()),
        content_items::publish_at.eq(draft.publish_at),
        content_items::category.eq(&draft.category),
        content_items::tags.eq(draft.tags.join(",")),
        content_items::title.eq(&draft.title),
        content_items::summary.eq(&draft.summary),
        content_items::body_md.eq(&draft.body_md),
        content_items::facts.eq(&facts),
        content_items::search_title.eq(fold(&draft.title)),
        content_items::search_body.eq(&search_body),
        content_items::revision.eq(revision),
        content_items::updated_at.eq(now),
    );
    if revision == 1 {
        diesel::insert_into(content_items::table)
            .values((
                content_items::id.eq(&id),
                content_items::kind.eq(draft.kind.as_str()),
                content_items::lang.eq(draft.lang),
                content_items::slug.eq(&draft.slug),
                content_items::created_at.eq(now),
                values,
            ))
            .execute(conn)?;
    } else {
        diesel::update(content_items::table.find(&id))
            .set(values)
            .execute(conn)?;
    }
    diesel::insert_into(content_revisions::table)
        .values((
            content_revisions::item_id.eq(&id),
            content_revisions::revision.eq(revision),
            content_revisions::title.eq(&draft.title),
            content_revisions::summary.eq(&draft.summary),
            content_revisions::body_md.eq(&draft.body_md),
            content_revisions::facts.eq(&facts),
            content_revisions::author_id.eq(author),
            content_revisions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

fn facts_text(facts: &Facts) -> String {
    let mut text = vec![facts.who.as_str(), facts.where_to_file.as_str()];
    text.extend(facts.documents.iter().map(String::as_str));
    text.extend(facts.steps.iter().map(String::as_str));
    text.join(" ")
}

/// Whether any content exists (the seed runs on an empty table only).
pub fn any(conn: &mut DbConn) -> QueryResult<bool> {
    let first: Option<String> = content_items::table
        .select(content_items::id)
        .first(conn)
        .optional()?;
    Ok(first.is_some())
}

/// What the public may see at `now`, as a boxed query to narrow further.
fn public<'a>(
    kind: Kind,
    lang: &'a str,
    now: Timestamp,
) -> content_items::BoxedQuery<'a, <DbConn as diesel::Connection>::Backend> {
    content_items::table
        .filter(content_items::kind.eq(kind.as_str()))
        .filter(content_items::lang.eq(lang))
        .filter(
            content_items::status
                .eq("published")
                .or(content_items::status
                    .eq("scheduled")
                    .and(content_items::publish_at.le(now))),
        )
        .into_boxed()
}

/// A public item by its slug (a procedure by its code).
pub fn public_item(
    conn: &mut DbConn,
    kind: Kind,
    lang: &str,
    slug: &str,
    now: Timestamp,
) -> QueryResult<Option<Item>> {
    public(kind, lang, now)
        .filter(content_items::slug.eq(slug))
        .select(Item::as_select())
        .first(conn)
        .optional()
}

/// The other language's public version of an item: its slug.
pub fn translation(
    conn: &mut DbConn,
    item: &Item,
    lang: &str,
    now: Timestamp,
) -> QueryResult<Option<String>> {
    public(item.kind(), lang, now)
        .filter(content_items::group_id.eq(&item.group_id))
        .select(content_items::slug)
        .first(conn)
        .optional()
}

/// Public items of `kind` in `category` (all when `None`), newest first, at most `limit` after
/// the `after` cursor (publication time and id of the last item seen).
pub fn public_list(
    conn: &mut DbConn,
    kind: Kind,
    lang: &str,
    category: Option<&str>,
    after: Option<(Timestamp, String)>,
    limit: i64,
    now: Timestamp,
) -> QueryResult<Vec<Item>> {
    let mut query = public(kind, lang, now);
    if let Some(category) = category {
        query = query.filter(content_items::category.eq(category.to_owned()));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            content_items::publish_at
                .lt(at)
                .or(content_items::publish_at
                    .eq(at)
                    .and(content_items::id.lt(id))),
        );
    }
    query
        .order((content_items::publish_at.desc(), content_items::id.desc()))
        .limit(limit)
        .select(Item::as_select())
        .load(conn)
}

/// Public items of `kind` matching every word of `query`, best first, at most `limit`.
pub fn public_search(
    conn: &mut DbConn,
    kind: Kind,
    lang: &str,
    category: Option<&str>,
    query: &Query,
    limit: usize,
    now: Timestamp,
) -> QueryResult<Vec<Item>> {
    let mut candidates = public(kind, lang, now);
    if let Some(category) = category {
        candidates = candidates.filter(content_items::category.eq(category.to_owned()));
    }
    for word in &query.words {
        let pattern = like_anywhere(word);
        candidates = candidates.filter(
            content_items::search_title
                .like(pattern.clone())
                .escape('\\')
                .or(content_items::search_body.like(pattern).escape('\\')),
        );
    }
    let items: Vec<Item> = candidates.select(Item::as_select()).load(conn)?;
    let mut scored: Vec<(u32, Item)> = items
        .into_iter()
        .map(|item| (query.score(&item.search_title, &item.search_body), item))
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by(|(a, x), (b, y)| b.cmp(a).then_with(|| x.title.cmp(&y.title)));
    Ok(scored
        .into_iter()
        .take(limit)
        .map(|(_, item)| item)
        .collect())
}
