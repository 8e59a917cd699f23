//! Editing policy content at `/admin/content` (issue 6, deliverable 2): every item whatever its
//! state, one item by id with its other-language version and revisions, the text as an editor
//! types it (checked field by field), and the changes editors make — save, publish, schedule,
//! archive, restore an old revision. Each change writes through [`store::save`] (a new
//! revision when the text changed; history is never rewritten) and records its audit row in the
//! caller's transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{Facts, Kind, Status};
use super::store::{self, Draft, Item};
use crate::audit::{self, Actor};
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{content_items, content_revisions};
use crate::error::{AppError, FieldCode, FieldError};

/// What the list may be narrowed by; `None` is "all".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub kind: Option<Kind>,
    pub lang: Option<&'static str>,
    pub status: Option<Status>,
}

/// The most items one list shows (the catalogue holds about a hundred).
pub const LIST_LIMIT: i64 = 500;

/// Every item matching `filter`, whatever its state, the most recently changed first.
pub fn list(conn: &mut DbConn, filter: Filter) -> QueryResult<Vec<Item>> {
    let mut query = content_items::table.into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(content_items::kind.eq(kind.as_str()));
    }
    if let Some(lang) = filter.lang {
        query = query.filter(content_items::lang.eq(lang));
    }
    if let Some(status) = filter.status {
        query = query.filter(content_items::status.eq(status.as_str()));
    }
    query
        .order((content_items::updated_at.desc(), content_items::id.desc()))
        .limit(LIST_LIMIT)
        .select(Item::as_select())
        .load(conn)
}

/// One item by its id, whatever its state.
pub fn item(conn: &mut DbConn, id: &str) -> QueryResult<Option<Item>> {
    content_items::table
        .find(id)
        .select(Item::as_select())
        .first(conn)
        .optional()
}

/// The other language's version of `item`, whatever its state.
pub fn sibling(conn: &mut DbConn, item: &Item) -> QueryResult<Option<Item>> {
    content_items::table
        .filter(content_items::group_id.eq(&item.group_id))
        .filter(content_items::lang.ne(&item.lang))
        .select(Item::as_select())
        .first(conn)
        .optional()
}

/// A language code as the content tables hold it.
pub fn lang_code(raw: &str) -> Option<&'static str> {
    match raw {
        "vi" => Some("vi"),
        "en" => Some("en"),
        _ => None,
    }
}

/// The other content language.
pub fn other_lang(lang: &str) -> &'static str {
    if lang == "en" { "vi" } else { "en" }
}

/// One saved version of an item's text.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = content_revisions)]
pub struct Revision {
    pub revision: i32,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub facts: String,
    pub author_id: Option<String>,
    pub created_at: Timestamp,
}

impl Revision {
    pub fn facts(&self) -> Facts {
        serde_json::from_str(&self.facts).unwrap_or_default()
    }
}

/// A revision as the list shows it: its number, who saved it and when.
#[derive(Clone, Debug)]
pub struct RevisionEntry {
    pub revision: i32,
    /// The author's name; `None` for the seed and the command line.
    pub author: Option<String>,
    pub created_at: Timestamp,
}

/// The revisions of an item, newest first.
pub fn revisions(conn: &mut DbConn, item_id: &str) -> Result<Vec<RevisionEntry>, AppError> {
    let rows: Vec<(i32, Option<String>, Timestamp)> = content_revisions::table
        .filter(content_revisions::item_id.eq(item_id))
        .order(content_revisions::revision.desc())
        .select((
            content_revisions::revision,
            content_revisions::author_id,
            content_revisions::created_at,
        ))
        .load(conn)?;
    let mut names: Vec<(String, String)> = Vec::new();
    let mut entries = Vec::with_capacity(rows.len());
    for (revision, author_id, created_at) in rows {
        let author = match author_id {
            None => None,
            Some(id) => match names.iter().find(|(known, _)| *known == id) {
                Some((_, name)) => Some(name.clone()),
                None => {
                    let name = crate::accounts::store::account(conn, &id)?
                        .map(|account| account.full_name)
                        .unwrap_or_default();
                    names.push((id, name.clone()));
                    Some(name)
                }
            },
        };
        entries.push(RevisionEntry {
            revision,
            author,
            created_at,
        });
    }
    Ok(entries)
}

/// Revision `revision` of an item.
pub fn revision(conn: &mut DbConn, item_id: &str, revision: i32) -> QueryResult<Option<Revision>> {
    content_revisions::table
        .find((item_id, revision))
        .select(Revision::as_select())
        .first(conn)
        .optional()
}

/// The editable text of an item, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub slug: String,
    pub category: String,
    pub tags: Vec<String>,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    /// Procedures only; empty for the other kinds.
    pub facts: Facts,
}

impl Text {
    /// The text of an item as stored.
    pub fn of(item: &Item) -> Self {
        Self {
            slug: item.slug.clone(),
            category: item.category.clone(),
            tags: item.tags(),
            title: item.title.clone(),
            summary: item.summary.clone(),
            body_md: item.body_md.clone(),
            facts: item.facts(),
        }
    }
}

/// The text fields as typed in the form.
#[derive(Clone, Copy, Debug, Default)]
pub struct RawText<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub category: &'a str,
    /// Comma-separated.
    pub tags: &'a str,
    pub summary: &'a str,
    pub body_md: &'a str,
    pub who: &'a str,
    /// One per line.
    pub documents: &'a str,
    /// One per line.
    pub steps: &'a str,
    pub processing_time: &'a str,
    pub fee: &'a str,
    pub where_to_file: &'a str,
    pub online_form: &'a str,
}

/// Why a field is refused; each has a message `content.admin.error.<key>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong,
    SlugFormat,
    /// Another item of the same kind and language has this slug.
    SlugTaken,
    CategoryFormat,
    /// The online form must be a path on this portal.
    FormPath,
    DateFormat,
    /// A schedule must lie in the future.
    NotFuture,
    /// Someone saved the item after this form was opened.
    Stale,
    /// The other language's version exists already.
    TranslationExists,
}

/// One refused field (`""` for the form as a whole).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub problem: Problem,
}

impl Refusal {
    /// The key of the message shown: a missing field is named, so the summary reads alone.
    pub fn message_key(self) -> &'static str {
        match (self.problem, self.field) {
            (Problem::Required, "title") => "content.admin.error.required_title",
            (Problem::Required, "slug") => "content.admin.error.required_slug",
            (Problem::Required, "publish_at") => "content.admin.error.required_publish_at",
            (Problem::Required, _) => "content.admin.error.required_body",
            (Problem::TooLong, _) => "content.admin.error.too_long",
            (Problem::SlugFormat, _) => "content.admin.error.slug_format",
            (Problem::SlugTaken, _) => "content.admin.error.slug_taken",
            (Problem::CategoryFormat, _) => "content.admin.error.category_format",
            (Problem::FormPath, _) => "content.admin.error.form_path",
            (Problem::DateFormat, _) => "content.admin.error.date_format",
            (Problem::NotFuture, _) => "content.admin.error.not_future",
            (Problem::Stale, _) => "content.admin.error.stale",
            (Problem::TranslationExists, _) => "content.admin.error.translation_exists",
        }
    }
}

fn refuse(field: &'static str, problem: Problem) -> Refusal {
    Refusal { field, problem }
}

const TITLE_MAX: usize = 200;
const SLUG_MAX: usize = 80;
const SUMMARY_MAX: usize = 600;
const LINE_MAX: usize = 500;

/// Text from a form with its line ends as stored (browsers send a textarea's as CR LF).
fn unix_lines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// One non-empty trimmed entry per line.
fn one_per_line(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Slugs and procedure codes are ASCII letters, digits and hyphens: `AS-09`, `602b`,
/// `tro-cap-that-nghiep`.
fn slug_ok(slug: &str) -> bool {
    !slug.starts_with('-') && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Categories are snake_case words, as the API filters by them: `voluntary_si`.
fn category_ok(category: &str) -> bool {
    category.len() <= 40
        && category
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A path on this portal (`/account/claims/new/maternity`): the public page links to it, so
/// nothing that could leave the site or run (`//elsewhere`, `javascript:`).
fn portal_path_ok(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= 200
        && path
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '\\' && c != '"' && c != '<' && c != '>')
}

/// Checks each field on its own; every fault is reported at once. A blank slug of an article
/// or FAQ entry is made from its title; a procedure's code must be typed.
pub fn parse(kind: Kind, raw: &RawText<'_>) -> Result<Text, Vec<Refusal>> {
    let mut refusals = Vec::new();
    let too_long = |text: &str, max: usize| text.chars().count() > max;

    let title = raw.title.trim();
    if title.is_empty() {
        refusals.push(refuse("title", Problem::Required));
    } else if too_long(title, TITLE_MAX) {
        refusals.push(refuse("title", Problem::TooLong));
    }

    let typed_slug = raw.slug.trim();
    let slug = match (typed_slug.is_empty(), kind) {
        (true, Kind::Procedure) => {
            refusals.push(refuse("slug", Problem::Required));
            String::new()
        }
        (true, _) => super::seed::slug_of(title),
        (false, _) => typed_slug.to_owned(),
    };
    if !slug.is_empty() && (slug.len() > SLUG_MAX || !slug_ok(&slug)) {
        refusals.push(refuse("slug", Problem::SlugFormat));
    } else if slug.is_empty() && kind != Kind::Procedure && !title.is_empty() {
        // A title with no letter or digit gives no slug.
        refusals.push(refuse("slug", Problem::Required));
    }

    let category = raw.category.trim();
    if !category_ok(category) {
        refusals.push(refuse("category", Problem::CategoryFormat));
    }

    let tags: Vec<String> = raw
        .tags
        .split(',')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .map(str::to_owned)
        .collect();
    if tags.iter().any(|tag| too_long(tag, 60)) || tags.len() > 30 {
        refusals.push(refuse("tags", Problem::TooLong));
    }

    let summary = unix_lines(raw.summary.trim());
    if too_long(&summary, SUMMARY_MAX) {
        refusals.push(refuse("summary", Problem::TooLong));
    }

    let body_md = unix_lines(raw.body_md.trim_end());
    if body_md.trim().is_empty() {
        refusals.push(refuse("body_md", Problem::Required));
    }

    let facts = if kind == Kind::Procedure {
        let online_form = raw.online_form.trim();
        if !online_form.is_empty() && !portal_path_ok(online_form) {
            refusals.push(refuse("online_form", Problem::FormPath));
        }
        let facts = Facts {
            who: raw.who.trim().to_owned(),
            documents: one_per_line(raw.documents),
            steps: one_per_line(raw.steps),
            processing_time: raw.processing_time.trim().to_owned(),
            fee: raw.fee.trim().to_owned(),
            where_to_file: raw.where_to_file.trim().to_owned(),
            online_form: (!online_form.is_empty()).then(|| online_form.to_owned()),
        };
        for (field, text) in [
            ("who", &facts.who),
            ("processing_time", &facts.processing_time),
            ("fee", &facts.fee),
            ("where_to_file", &facts.where_to_file),
        ] {
            if too_long(text, LINE_MAX) {
                refusals.push(refuse(field, Problem::TooLong));
            }
        }
        for (field, lines) in [("documents", &facts.documents), ("steps", &facts.steps)] {
            if lines.iter().any(|line| too_long(line, LINE_MAX)) {
                refusals.push(refuse(field, Problem::TooLong));
            }
        }
        facts
    } else {
        Facts::default()
    };

    if !refusals.is_empty() {
        return Err(refusals);
    }
    Ok(Text {
        slug,
        category: category.to_owned(),
        tags,
        title: title.to_owned(),
        summary,
        body_md,
        facts,
    })
}

/// The moment a schedule field names, typed in Vietnam's time (`2026-12-01T08:00`, what a
/// date-time field sends, or `01/12/2026 08:00`), as UTC; it must lie after `now`.
pub fn parse_schedule(raw: &str, now: Timestamp) -> Result<Timestamp, Refusal> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(refuse("publish_at", Problem::Required));
    }
    let local = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
    .ok_or(refuse("publish_at", Problem::DateFormat))?;
    let year = chrono::Datelike::year(&local);
    if !(2000..=2100).contains(&year) {
        return Err(refuse("publish_at", Problem::DateFormat));
    }
    let at = local - chrono::Duration::hours(crate::clock::VIETNAM_OFFSET_HOURS);
    if at <= now {
        return Err(refuse("publish_at", Problem::NotFuture));
    }
    Ok(at)
}

/// What a button does besides keeping the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Keeps the state: a new item starts as a draft; a published one stays published.
    Save,
    /// Public from now (a published item keeps its first publication time).
    Publish,
    /// Public from this moment (UTC).
    Schedule(Timestamp),
    /// Off the public pages, kept with its history.
    Archive,
}

impl Change {
    /// The audit action.
    pub fn action(self) -> &'static str {
        match self {
            Self::Save => "content.save",
            Self::Publish => "content.publish",
            Self::Schedule(_) => "content.schedule",
            Self::Archive => "content.archive",
        }
    }

    /// The state and publication time after this change of an item now in `current`.
    fn outcome(
        self,
        current: Option<(Status, Option<Timestamp>)>,
        now: Timestamp,
    ) -> (Status, Option<Timestamp>) {
        match (self, current) {
            (Self::Save, Some(current)) => current,
            (Self::Save, None) => (Status::Draft, None),
            (Self::Publish, Some((Status::Published, Some(at)))) => (Status::Published, Some(at)),
            (Self::Publish, _) => (Status::Published, Some(now)),
            (Self::Schedule(at), _) => (Status::Scheduled, Some(at)),
            (Self::Archive, current) => (Status::Archived, current.and_then(|(_, at)| at)),
        }
    }
}

/// Where a text goes.
#[derive(Clone, Debug)]
pub enum Target {
    /// A new item; its `group_id` is a fresh one, or its other-language version's.
    New {
        kind: Kind,
        lang: &'static str,
        group_id: String,
    },
    /// An existing item, as it was when the form was opened (`base_revision`, when known).
    Existing {
        id: String,
        base_revision: Option<i32>,
    },
}

impl Target {
    /// A new item with a group of its own.
    pub fn new_item(kind: Kind, lang: &'static str) -> Self {
        Self::New {
            kind,
            lang,
            group_id: format!("{}:{}", kind.as_str(), uuid::Uuid::now_v7()),
        }
    }
}

/// What a change did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub id: String,
    /// The item's revision after the change.
    pub revision: i32,
    /// False when the form matched the item as stored: nothing was written or audited.
    pub changed: bool,
}

/// Writes `text` to `target` and makes `change`, with its audit row, in the caller's
/// transaction. The text becomes a new revision only when it differs from the stored one; a
/// change of state alone keeps the revision. `Ok(Err(_))` when the slug is taken or the item
/// was saved by someone else since the form was opened (nothing written).
pub fn apply(
    conn: &mut DbConn,
    target: &Target,
    text: &Text,
    change: Change,
    actor: &Actor,
    now: Timestamp,
) -> Result<Result<Applied, Vec<Refusal>>, AppError> {
    let (existing, kind, lang, group_id) = match target {
        Target::New {
            kind,
            lang,
            group_id,
        } => {
            let taken: Option<String> = content_items::table
                .filter(content_items::group_id.eq(group_id))
                .filter(content_items::lang.eq(*lang))
                .select(content_items::id)
                .first(conn)
                .optional()?;
            if taken.is_some() {
                return Ok(Err(vec![refuse("", Problem::TranslationExists)]));
            }
            (None, *kind, *lang, group_id.clone())
        }
        Target::Existing { id, base_revision } => {
            let item = item(conn, id)?.ok_or(AppError::NotFound)?;
            if base_revision.is_some_and(|base| base != item.revision) && Text::of(&item) != *text {
                return Ok(Err(vec![refuse("", Problem::Stale)]));
            }
            let kind = item.kind();
            let lang = lang_code(&item.lang).unwrap_or("vi");
            let group_id = item.group_id.clone();
            (Some(item), kind, lang, group_id)
        }
    };
    let clash: Option<String> = content_items::table
        .filter(content_items::kind.eq(kind.as_str()))
        .filter(content_items::lang.eq(lang))
        .filter(content_items::slug.eq(&text.slug))
        // Not the item itself: its row is the only one of its group in its language.
        .filter(content_items::group_id.ne(&group_id))
        .select(content_items::id)
        .first(conn)
        .optional()?;
    if clash.is_some() {
        return Ok(Err(vec![refuse("slug", Problem::SlugTaken)]));
    }

    let current = existing
        .as_ref()
        .map(|item| (item.status(), item.publish_at));
    let (status, publish_at) = change.outcome(current, now);
    let text_changed = existing.as_ref().is_none_or(|item| Text::of(item) != *text);
    let state_changed = current != Some((status, publish_at));
    let (id, revision) = match &existing {
        Some(item) if !text_changed && !state_changed => {
            return Ok(Ok(Applied {
                id: item.id.clone(),
                revision: item.revision,
                changed: false,
            }));
        }
        Some(item) if !text_changed => {
            diesel::update(content_items::table.find(&item.id))
                .set((
                    content_items::status.eq(status.as_str()),
                    content_items::publish_at.eq(publish_at),
                    content_items::updated_at.eq(now),
                ))
                .execute(conn)?;
            (item.id.clone(), item.revision)
        }
        _ => {
            if let Some(item) = existing.as_ref().filter(|item| item.slug != text.slug) {
                // `store::save` finds the item by its slug: move the slug first.
                diesel::update(content_items::table.find(&item.id))
                    .set(content_items::slug.eq(&text.slug))
                    .execute(conn)
                    .map_err(slug_race)?;
            }
            let draft = Draft {
                kind,
                lang,
                slug: text.slug.clone(),
                group_id,
                status,
                publish_at,
                category: text.category.clone(),
                tags: text.tags.clone(),
                title: text.title.clone(),
                summary: text.summary.clone(),
                body_md: text.body_md.clone(),
                facts: text.facts.clone(),
            };
            let id = store::save(conn, &draft, Some(&actor.id), now).map_err(|error| {
                if is_unique_violation(&error) {
                    slug_taken()
                } else {
                    error
                }
            })?;
            // `store::save` writes over whatever item has the slug: if another editor's item
            // took it after the check above, undo everything rather than overwrite theirs.
            let overwrote_another = match &existing {
                Some(item) => id != item.id,
                None => {
                    content_items::table
                        .find(&id)
                        .select(content_items::revision)
                        .first::<i32>(conn)?
                        != 1
                }
            };
            if overwrote_another {
                return Err(slug_taken());
            }
            let revision = existing.as_ref().map_or(1, |item| item.revision + 1);
            (id, revision)
        }
    };
    let detail = serde_json::json!({
        "kind": kind.as_str(),
        "lang": lang,
        "slug": text.slug,
        "status": status.as_str(),
        "publish_at": publish_at,
        "revision": revision,
        "new_revision": text_changed,
    });
    audit::record(
        conn,
        now.and_utc(),
        &actor.event(change.action(), subject(&id), detail),
    )?;
    Ok(Ok(Applied {
        id,
        revision,
        changed: true,
    }))
}

/// The error that tells the handler another editor took the slug a moment ago (a unique
/// violation: the transaction is rolled back, and the form is shown again).
fn slug_taken() -> AppError {
    AppError::Invalid(vec![FieldError::new("slug", FieldCode::AlreadyTaken)])
}

fn is_unique_violation(error: &AppError) -> bool {
    matches!(error, AppError::Internal(cause)
        if cause.downcast_ref::<diesel::result::Error>().is_some_and(crate::db::is_unique_violation))
}

fn slug_race(error: diesel::result::Error) -> AppError {
    if crate::db::is_unique_violation(&error) {
        slug_taken()
    } else {
        error.into()
    }
}

/// The audit subject of an item: `content:<id>`.
pub fn subject(id: &str) -> String {
    format!("content:{id}")
}

/// Saves revision `revision`'s text as the item's newest revision (its slug, category, tags and
/// state stay as they are), audited in the caller's transaction; returns the new revision.
pub fn restore(
    conn: &mut DbConn,
    id: &str,
    revision: i32,
    actor: &Actor,
    now: Timestamp,
) -> Result<i32, AppError> {
    let item = item(conn, id)?.ok_or(AppError::NotFound)?;
    let old = self::revision(conn, id, revision)?.ok_or(AppError::NotFound)?;
    let draft = Draft {
        kind: item.kind(),
        lang: lang_code(&item.lang).unwrap_or("vi"),
        slug: item.slug.clone(),
        group_id: item.group_id.clone(),
        status: item.status(),
        publish_at: item.publish_at,
        category: item.category.clone(),
        tags: item.tags(),
        title: old.title.clone(),
        summary: old.summary.clone(),
        body_md: old.body_md.clone(),
        facts: old.facts(),
    };
    store::save(conn, &draft, Some(&actor.id), now)?;
    let new_revision = item.revision + 1;
    let detail = serde_json::json!({
        "restored": revision,
        "revision": new_revision,
        "status": item.status,
    });
    audit::record(
        conn,
        now.and_utc(),
        &actor.event("content.restore", subject(id), detail),
    )?;
    Ok(new_revision)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw<'a>(title: &'a str, slug: &'a str, body: &'a str) -> RawText<'a> {
        RawText {
            title,
            slug,
            body_md: body,
            ..RawText::default()
        }
    }

    fn problems(result: Result<Text, Vec<Refusal>>) -> Vec<(&'static str, Problem)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.field, r.problem))
            .collect()
    }

    #[test]
    fn title_and_body_are_required_and_a_procedure_needs_its_code() {
        assert_eq!(
            problems(parse(Kind::Procedure, &raw(" ", "", "\r\n "))),
            [
                ("title", Problem::Required),
                ("slug", Problem::Required),
                ("body_md", Problem::Required)
            ]
        );
    }

    #[test]
    fn an_article_without_a_slug_takes_one_from_its_title() {
        let text = parse(
            Kind::Article,
            &raw(
                "Trợ cấp thất nghiệp 2026",
                "",
                "Đoạn một.\r\n\r\nĐoạn hai.\r\n",
            ),
        )
        .unwrap();
        assert_eq!(text.slug, "tro-cap-that-nghiep-2026");
        // What a browser sends as CR LF is stored as LF, without trailing blank lines.
        assert_eq!(text.body_md, "Đoạn một.\n\nĐoạn hai.");
        assert_eq!(text.facts, Facts::default());
    }

    #[test]
    fn slugs_are_letters_digits_and_hyphens() {
        for good in ["AS-09", "602b", "tro-cap"] {
            assert!(
                parse(Kind::Procedure, &raw("T", good, "b")).is_ok(),
                "{good}"
            );
        }
        for bad in ["trợ-cấp", "a b", "-x", "a/b", "<x>"] {
            assert_eq!(
                problems(parse(Kind::Article, &raw("T", bad, "b"))),
                [("slug", Problem::SlugFormat)],
                "{bad}"
            );
        }
    }

    #[test]
    fn procedure_facts_come_one_per_line_and_the_form_link_stays_on_the_portal() {
        let mut typed = raw("Hưởng thai sản", "AS-05", "Nội dung");
        typed.documents = "Giấy khai sinh\r\n\r\n  Sổ BHXH  \r\n";
        typed.steps = "Nộp hồ sơ\nNhận tiền";
        typed.online_form = "/account/claims/new/maternity";
        typed.tags = "thai sản, , sinh con ";
        let text = parse(Kind::Procedure, &typed).unwrap();
        assert_eq!(text.facts.documents, ["Giấy khai sinh", "Sổ BHXH"]);
        assert_eq!(text.facts.steps, ["Nộp hồ sơ", "Nhận tiền"]);
        assert_eq!(
            text.facts.online_form.as_deref(),
            Some("/account/claims/new/maternity")
        );
        assert_eq!(text.tags, ["thai sản", "sinh con"]);
        for bad in [
            "javascript:alert(1)",
            "//elsewhere.example/x",
            "https://elsewhere.example",
            "/a b",
            "/\"onmouseover",
        ] {
            typed.online_form = bad;
            assert_eq!(
                problems(parse(Kind::Procedure, &typed)),
                [("online_form", Problem::FormPath)],
                "{bad}"
            );
        }
    }

    #[test]
    fn categories_are_snake_case() {
        let mut typed = raw("T", "t", "b");
        typed.category = "Voluntary SI";
        assert_eq!(
            problems(parse(Kind::Faq, &typed)),
            [("category", Problem::CategoryFormat)]
        );
        typed.category = "voluntary_si";
        assert!(parse(Kind::Faq, &typed).is_ok());
    }

    fn at(text: &str) -> Timestamp {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_schedule_is_typed_in_vietnam_time_stored_in_utc_and_lies_ahead() {
        let now = at("2026-11-30 01:00");
        assert_eq!(
            parse_schedule("2026-11-30T10:30", now),
            Ok(at("2026-11-30 03:30"))
        );
        assert_eq!(
            parse_schedule("30/11/2026 10:30", now),
            Ok(at("2026-11-30 03:30"))
        );
        let problem = |typed: &str| parse_schedule(typed, now).map_err(|r| r.problem);
        // 08:00 in Vietnam is 01:00 UTC: now, not later.
        assert_eq!(problem("2026-11-30T08:00"), Err(Problem::NotFuture));
        assert_eq!(problem(""), Err(Problem::Required));
        assert_eq!(problem("mai"), Err(Problem::DateFormat));
    }

    #[test]
    fn saving_keeps_the_state_and_publishing_keeps_the_first_publication() {
        let (now, earlier) = (at("2026-11-30 01:00"), at("2026-01-01 00:00"));
        let published = Some((Status::Published, Some(earlier)));
        assert_eq!(Change::Save.outcome(None, now), (Status::Draft, None));
        assert_eq!(
            Change::Save.outcome(published, now),
            (Status::Published, Some(earlier))
        );
        assert_eq!(
            Change::Publish.outcome(published, now),
            (Status::Published, Some(earlier))
        );
        assert_eq!(
            Change::Publish.outcome(Some((Status::Draft, None)), now),
            (Status::Published, Some(now))
        );
        assert_eq!(
            Change::Archive.outcome(published, now),
            (Status::Archived, Some(earlier))
        );
        assert_eq!(
            Change::Schedule(now).outcome(published, earlier),
            (Status::Scheduled, Some(now))
        );
    }
}
