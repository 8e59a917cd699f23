//! `/admin/content`: content editors (and administrators) list every item in any state, write
//! new ones in either language, preview an item exactly as the public page will show it, save,
//! publish, schedule and archive it, compare any revision with the current text and restore it.
//! Every change is audited in its own transaction ([`super::editing`]).

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, Query, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::diff::{self, Change as LineChange};
use super::editing::{self, Change, Filter, Refusal, RevisionEntry, Target, Text};
use super::markdown;
use super::model::{Facts, Kind, Status};
use super::store::Item;
use super::view::Full;
use crate::accounts::pages::FormErrors;
use crate::accounts::session::StaffSession;
use crate::app::AppState;
use crate::audit::Actor;
use crate::clock::Timestamp;
use crate::error::AppError;
use crate::staff::Permission;
use crate::web::errors::see_other;
use crate::web::extract::PageForm;
use crate::web::i18n::Lang;
use crate::web::pages::{PageContext, ok, render};

pub fn routes(cfg: &mut ServiceConfig) {
    // `new` before `{id}`, which would match it too.
    cfg.service(list)
        .service(new_form)
        .service(create)
        .service(edit_form)
        .service(update)
        .service(translation_form)
        .service(create_translation)
        .service(compare)
        .service(restore);
}

/// The largest edit form: an article's Markdown, URL-encoded (Vietnamese letters take up to
/// nine bytes each that way).
const FORM_LIMIT: usize = 512 * 1024;

/// Who edits content: the role matrix's [`Permission::EditContent`].
fn editor(me: &StaffSession) -> Result<(), AppError> {
    me.require(Permission::EditContent).map(drop)
}

/// A moment as editors read it: Vietnam's time.
fn when(at: &Timestamp) -> String {
    crate::clock::in_vietnam(*at)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

fn kind_key(kind: &Kind) -> &'static str {
    match kind {
        Kind::Procedure => "content.kind.procedure",
        Kind::Article => "content.kind.article",
        Kind::Faq => "content.kind.faq",
    }
}

fn status_key(status: &Status) -> &'static str {
    match status {
        Status::Draft => "content.admin.status.draft",
        Status::Scheduled => "content.admin.status.scheduled",
        Status::Published => "content.admin.status.published",
        Status::Archived => "content.admin.status.archived",
    }
}

fn lang_key(lang: &str) -> &'static str {
    if lang == "en" {
        "content.admin.lang.en"
    } else {
        "content.admin.lang.vi"
    }
}

/// The public address of an item (the FAQ shows all its entries on one page).
fn public_href(kind: Kind, slug: &str, lang: &str) -> String {
    match kind {
        Kind::Procedure => format!("/procedures/{slug}?lang={lang}"),
        Kind::Article => format!("/articles/{slug}?lang={lang}"),
        Kind::Faq => format!("/faq?lang={lang}#{slug}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The list

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    kind: Option<String>,
    /// The content's language (`lang` switches the page's own).
    language: Option<String>,
    status: Option<String>,
}

struct Row {
    id: String,
    title: String,
    kind: Kind,
    lang: String,
    status: Status,
    slug: String,
    revision: i32,
    updated_at: Timestamp,
    publish_at: Option<Timestamp>,
}

#[derive(Template)]
#[template(path = "staff/content_list.html")]
struct ListPage {
    ctx: PageContext,
    kind: String,
    language: String,
    status: String,
    rows: Vec<Row>,
    kinds: [Kind; 3],
    statuses: [Status; 4],
    languages: [&'static str; 2],
    limit: i64,
}

impl ListPage {
    fn kind_key(&self, kind: &Kind) -> &'static str {
        kind_key(kind)
    }

    fn status_key(&self, status: &Status) -> &'static str {
        status_key(status)
    }

    fn lang_key(&self, lang: &str) -> &'static str {
        lang_key(lang)
    }

    fn when(&self, at: &Timestamp) -> String {
        when(at)
    }

    /// The list stopped at its limit: narrow it to see the rest.
    fn limited(&self) -> bool {
        i64::try_from(self.rows.len()).is_ok_and(|n| n >= self.limit)
    }

    fn filtered(&self) -> bool {
        !(self.kind.is_empty() && self.language.is_empty() && self.status.is_empty())
    }
}

#[get("/admin/content")]
async fn list(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    query: Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    editor(&me)?;
    let query = query.into_inner();
    // An unknown value narrows nothing (the form only offers known ones).
    let filter = Filter {
        kind: query.kind.as_deref().and_then(Kind::parse),
        lang: query.language.as_deref().and_then(editing::lang_code),
        status: query.status.as_deref().and_then(Status::parse),
    };
    let items = state
        .db
        .read(move |conn| Ok(editing::list(conn, filter)?))
        .await?;
    let rows = items
        .into_iter()
        .map(|item| Row {
            kind: item.kind(),
            status: item.status(),
            id: item.id,
            title: item.title,
            lang: item.lang,
            slug: item.slug,
            revision: item.revision,
            updated_at: item.updated_at,
            publish_at: item.publish_at,
        })
        .collect();
    ok(&ListPage {
        ctx,
        kind: filter.kind.map(Kind::as_str).unwrap_or_default().to_owned(),
        language: filter.lang.unwrap_or_default().to_owned(),
        status: filter
            .status
            .map(Status::as_str)
            .unwrap_or_default()
            .to_owned(),
        rows,
        kinds: Kind::ALL,
        statuses: Status::ALL,
        languages: ["vi", "en"],
        limit: editing::LIST_LIMIT,
    })
}

// ---------------------------------------------------------------------------------------------
// The edit page

/// The edit form as posted; every field a string, checked by [`editing::parse`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct ItemForm {
    /// The button pressed: `save`, `preview`, `publish`, `schedule` or `archive`.
    action: String,
    /// The revision the form was opened on, to notice a save by someone else in between.
    base_revision: String,
    /// When `schedule` is pressed: a date-time in Vietnam's time.
    publish_at: String,
    title: String,
    slug: String,
    category: String,
    tags: String,
    summary: String,
    body_md: String,
    who: String,
    documents: String,
    steps: String,
    processing_time: String,
    fee: String,
    where_to_file: String,
    online_form: String,
}

impl ItemForm {
    fn of(text: &Text) -> Self {
        Self {
            title: text.title.clone(),
            slug: text.slug.clone(),
            category: text.category.clone(),
            tags: text.tags.join(", "),
            summary: text.summary.clone(),
            body_md: text.body_md.clone(),
            who: text.facts.who.clone(),
            documents: text.facts.documents.join("\n"),
            steps: text.facts.steps.join("\n"),
            processing_time: text.facts.processing_time.clone(),
            fee: text.facts.fee.clone(),
            where_to_file: text.facts.where_to_file.clone(),
            online_form: text.facts.online_form.clone().unwrap_or_default(),
            ..Self::default()
        }
    }

    fn raw(&self) -> editing::RawText<'_> {
        editing::RawText {
            title: &self.title,
            slug: &self.slug,
            category: &self.category,
            tags: &self.tags,
            summary: &self.summary,
            body_md: &self.body_md,
            who: &self.who,
            documents: &self.documents,
            steps: &self.steps,
            processing_time: &self.processing_time,
            fee: &self.fee,
            where_to_file: &self.where_to_file,
            online_form: &self.online_form,
        }
    }
}

/// The stored item an edit page is about.
struct Stored {
    item: Item,
    /// The other language's version, when there is one.
    sibling: Option<Item>,
    revisions: Vec<RevisionEntry>,
}

/// A change just made, confirmed at the top of the page.
#[derive(Debug, Default, Deserialize)]
struct DoneQuery {
    done: Option<String>,
    revision: Option<i32>,
    restored: Option<i32>,
}

#[derive(Template)]
#[template(path = "staff/content_edit.html")]
struct EditPage {
    ctx: PageContext,
    /// Where the form posts.
    post_to: String,
    kind: Kind,
    lang: &'static str,
    stored: Option<Stored>,
    /// Creating the other language's version of this item.
    translating: Option<Item>,
    form: ItemForm,
    errors: FormErrors,
    preview: Option<Full>,
    /// The confirmation of the change just made, in the page's language.
    notice: Option<String>,
    now: Timestamp,
}

impl EditPage {
    fn is_procedure(&self) -> bool {
        self.kind == Kind::Procedure
    }

    fn is_faq(&self) -> bool {
        self.kind == Kind::Faq
    }

    fn kind_key(&self) -> &'static str {
        kind_key(&self.kind)
    }

    fn lang_key(&self) -> &'static str {
        lang_key(self.lang)
    }

    fn other_lang_key(&self) -> &'static str {
        lang_key(editing::other_lang(self.lang))
    }

    /// The language the item's own text is in, for the preview's labels.
    fn item_lang(&self) -> Lang {
        Lang::parse(self.lang).unwrap_or_default()
    }

    fn status(&self) -> Option<Status> {
        self.stored.as_ref().map(|s| s.item.status())
    }

    fn status_key(&self) -> &'static str {
        status_key(&self.status().unwrap_or(Status::Draft))
    }

    /// Save keeps a published or scheduled item public: the button says so.
    fn save_key(&self) -> &'static str {
        match self.status() {
            Some(Status::Published) => "content.admin.action.save_published",
            Some(Status::Scheduled) => "content.admin.action.save_scheduled",
            Some(Status::Archived) => "content.admin.action.save_archived",
            _ => "content.admin.action.save",
        }
    }

    fn can_archive(&self) -> bool {
        self.status().is_some_and(|s| s != Status::Archived)
    }

    fn when(&self, at: &Timestamp) -> String {
        when(at)
    }

    /// Where the public can read the item, while it is public.
    fn public_href(&self) -> Option<String> {
        let stored = self.stored.as_ref()?;
        let public = match stored.item.status() {
            Status::Published => true,
            Status::Scheduled => stored.item.publish_at.is_some_and(|at| at <= self.now),
            Status::Draft | Status::Archived => false,
        };
        public.then(|| public_href(self.kind, &stored.item.slug, self.lang))
    }

    fn title(&self) -> String {
        match &self.stored {
            Some(stored) => stored.item.title.clone(),
            None => format!(
                "{} — {}",
                self.ctx.t(match self.kind {
                    Kind::Procedure => "content.admin.new.procedure",
                    Kind::Article => "content.admin.new.article",
                    Kind::Faq => "content.admin.new.faq",
                }),
                self.ctx.t(lang_key(self.lang))
            ),
        }
    }
}

/// Loads an item with its other-language version and its revisions.
async fn stored(state: &AppState, id: String) -> Result<Stored, AppError> {
    state
        .db
        .read(move |conn| {
            let item = editing::item(conn, &id)?.ok_or(AppError::NotFound)?;
            let sibling = editing::sibling(conn, &item)?;
            let revisions = editing::revisions(conn, &item.id)?;
            Ok(Stored {
                item,
                sibling,
                revisions,
            })
        })
        .await
}

/// The item as the public page will show it, from the form's text (nothing is saved).
fn preview(kind: Kind, lang: &str, text: &Text, published_at: Option<Timestamp>) -> Full {
    Full {
        kind,
        slug: text.slug.clone(),
        lang: lang.to_owned(),
        title: text.title.clone(),
        summary: text.summary.clone(),
        body_html: markdown::to_html(&text.body_md),
        category: text.category.clone(),
        tags: text.tags.clone(),
        published_at,
        facts: (kind == Kind::Procedure).then(|| text.facts.clone()),
        translation: None,
    }
}

fn notice(ctx: &PageContext, done: &DoneQuery) -> Option<String> {
    let key = match done.done.as_deref()? {
        "save" => "content.admin.done.save",
        "publish" => "content.admin.done.publish",
        "schedule" => "content.admin.done.schedule",
        "archive" => "content.admin.done.archive",
        "restore" => "content.admin.done.restore",
        "unchanged" => "content.admin.done.unchanged",
        _ => return None,
    };
    Some(
        ctx.t(key)
            .replace("{revision}", &done.revision.unwrap_or_default().to_string())
            .replace("{restored}", &done.restored.unwrap_or_default().to_string()),
    )
}

#[derive(Debug, Default, Deserialize)]
struct NewQuery {
    kind: Option<String>,
    language: Option<String>,
}

#[get("/admin/content/new")]
async fn new_form(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    query: Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    editor(&me)?;
    let kind = query
        .kind
        .as_deref()
        .and_then(Kind::parse)
        .ok_or(AppError::NotFound)?;
    let lang = query
        .language
        .as_deref()
        .and_then(editing::lang_code)
        .unwrap_or("vi");
    ok(&EditPage {
        ctx,
        post_to: format!("/admin/content/new?kind={}&language={lang}", kind.as_str()),
        kind,
        lang,
        stored: None,
        translating: None,
        form: ItemForm::default(),
        errors: FormErrors::default(),
        preview: None,
        notice: None,
        now: state.clock.now(),
    })
}

#[post("/admin/content/new")]
async fn create(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    query: Query<NewQuery>,
    PageForm(form): PageForm<ItemForm, FORM_LIMIT>,
) -> Result<HttpResponse, AppError> {
    editor(&me)?;
    let kind = query
        .kind
        .as_deref()
        .and_then(Kind::parse)
        .ok_or(AppError::NotFound)?;
    let lang = query
        .language
        .as_deref()
        .and_then(editing::lang_code)
        .unwrap_or("vi");
    let page = EditPage {
        post_to: format!("/admin/content/new?kind={}&language={lang}", kind.as_str()),
        kind,
        lang,
        stored: None,
        translating: None,
        form,
        errors: FormErrors::default(),
        preview: None,
        notice: None,
        now: state.clock.now(),
        ctx,
    };
    submit(&req, &state, &me, Target::new_item(kind, lang), page).await
}

#[get("/admin/content/{id}")]
async fn edit_form(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
    done: Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    editor(&me)?;
    let stored = stored(&state, id.into_inner()).await?;
    let mut form = ItemForm::of(&Text::of(&stored.item));
    form.base_revision = stored.item.revision.to_string();
    if let Some(at) = stored.item.publish_at {
        form.publish_at = crate::clock::in_vietnam(at)
            .format("%Y-%m-%dT%H:%M")
            .to_string();
    }
    ok(&EditPage {
        notice: notice(&ctx, &done),
        now: state.clock.now(),
        post_to: format!("/admin/content/{}", stored.item.id),
        kind: stored.item.kind(),
        lang: editing::lang_code(&stored.item.lang).unwrap_or("vi"),
        stored: Some(stored),
        translating: None,
        form,
        errors: FormErrors::default(),
        preview: None,
        ctx,
    })
}

#[post("/admin/content/{id}")]
async fn update(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
    PageForm(form): PageForm<ItemForm, FORM_LIMIT>,
) -> Result<HttpResponse, AppError> {
    editor(&me)?;
    let stored = stored(&state, id.into_inner()).await?;
    let target = Target::Existing {
        id: stored.item.id.clone(),
        base_revision: form.base_revision.trim().parse().ok(),
    };
    let page = EditPage {
        post_to: format!("/admin/content/{}", stored.item.id),
        kind: stored.item.kind(),
        lang: editing::lang_code(&stored.item.lang).unwrap_or("vi"),
        stored: Some(stored),
        translating: None,
        form,
        errors: FormErrors::default(),
        preview: None,
        notice: None,
        now: state.clock.now(),
        ctx,
    };
    submit(&req, &state, &me, target, page).await
}

/// The other language's version of an item: its edit page when it exists, otherwise a new
/// item's form in the same group, filled with this one's text to translate.
#[get("/admin/content/{id}/translation")]
async fn translation_form(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
) -> Result<HttpResponse, AppError> {
    editor(&me)?;
    let source = stored(&state, id.into_inner()).await?;
    if let Some(sibling) = &source.sibling {
        return Ok(see_other(&format!("/admin/content/{}", sibling.id)));
    }
    let lang = editing::other_lang(&source.item.lang);
    ok(&EditPage {
        ctx,
        post_to: format!("/admin/content/{}/translation", source.item.id),
        kind: source.item.kind(),
        lang,
        form: ItemForm::of(&Text::of(&source.item)),
        stored: None,
        translating: Some(source.item),
        errors: FormErrors::default(),
        preview: None,
        notice: None,
        now: state.clock.now(),
    })
}

#[post("/admin/content/{id}/translation")]
async fn create_translation(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    id: Path<String>,
    PageForm(form): PageForm<ItemForm, FORM_LIMIT>,
) -> Result<HttpResponse, AppError> {
    editor(&me)?;
    let source = stored(&state, id.into_inner()).await?;
    let kind = source.item.kind();
    let lang = editing::other_lang(&source.item.lang);
    let target = Target::New {
        kind,
        lang,
        group_id: source.item.group_id.clone(),
    };
    let page = EditPage {
        post_to: format!("/admin/content/{}/translation", source.item.id),
        kind,
        lang,
        stored: None,
        translating: Some(source.item),
        form,
        errors: FormErrors::default(),
        preview: None,
        notice: None,
        now: state.clock.now(),
        ctx,
    };
    submit(&req, &state, &me, target, page).await
}

/// Checks the posted form, then previews it or makes the change of the button pressed. `page`
/// holds the form as posted, to show again with the preview or the errors.
async fn submit(
    req: &HttpRequest,
    state: &AppState,
    me: &StaffSession,
    target: Target,
    mut page: EditPage,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let action = page.form.action.clone();
    let mut refusals = Vec::new();
    let change = match action.as_str() {
        "publish" => Some(Change::Publish),
        "schedule" => match editing::parse_schedule(&page.form.publish_at, now) {
            Ok(at) => Some(Change::Schedule(at)),
            Err(refusal) => {
                refusals.push(refusal);
                None
            }
        },
        "archive" if page.stored.is_some() => Some(Change::Archive),
        "preview" => None,
        // The first button, which Enter in a field presses too.
        _ => Some(Change::Save),
    };
    let text = match editing::parse(page.kind, &page.form.raw()) {
        Ok(text) => Some(text),
        Err(mut found) => {
            found.append(&mut refusals);
            refusals = found;
            None
        }
    };
    let (Some(text), true) = (text, refusals.is_empty()) else {
        return refused(page, &refusals);
    };
    let Some(change) = change else {
        let published_at = page.stored.as_ref().and_then(|s| s.item.publish_at);
        page.preview = Some(preview(page.kind, page.lang, &text, published_at));
        return render(StatusCode::OK, &page);
    };
    let actor = Actor::staff(req, me);
    let written = text.clone();
    let outcome = state
        .db
        .write(move |conn| editing::apply(conn, &target, &written, change, &actor, now))
        .await;
    match outcome {
        Ok(Ok(applied)) => {
            let done = if applied.changed {
                action_name(change)
            } else {
                "unchanged"
            };
            tracing::info!(by = %me.0.account.id, subject = %editing::subject(&applied.id), action = change.action(), "content changed");
            Ok(see_other(&format!(
                "/admin/content/{}?done={done}&revision={}",
                applied.id, applied.revision
            )))
        }
        Ok(Err(refusals)) => refused(page, &refusals),
        // Another editor took the slug between the check and the write.
        Err(AppError::Invalid(_)) => refused(
            page,
            &[Refusal {
                field: "slug",
                problem: editing::Problem::SlugTaken,
            }],
        ),
        Err(error) => Err(error),
    }
}

fn action_name(change: Change) -> &'static str {
    match change {
        Change::Save => "save",
        Change::Publish => "publish",
        Change::Schedule(_) => "schedule",
        Change::Archive => "archive",
    }
}

/// The form again with its faults: 409 when someone else saved the item meanwhile, else 422.
/// A message that does not say which field it is about is prefixed with the field's label.
fn refused(mut page: EditPage, refusals: &[Refusal]) -> Result<HttpResponse, AppError> {
    let status = if refusals
        .iter()
        .any(|r| r.problem == editing::Problem::Stale)
    {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let ctx = &page.ctx;
    let is_procedure = page.kind == Kind::Procedure;
    let messages = refusals.iter().map(|r| {
        let message = ctx.t(r.message_key());
        let text = match (r.problem, field_label_key(r.field, is_procedure)) {
            (editing::Problem::Required, _) | (_, None) => message.to_owned(),
            (_, Some(label)) => format!("{}: {message}", ctx.t(label)),
        };
        (r.field.to_owned(), text)
    });
    page.errors = FormErrors::from_pairs(messages.collect::<Vec<_>>());
    render(status, &page)
}

/// The label of a form field, as the form shows it.
fn field_label_key(field: &str, is_procedure: bool) -> Option<&'static str> {
    Some(match field {
        "title" => "content.admin.field.title",
        "slug" if is_procedure => "content.admin.field.code",
        "slug" => "content.admin.field.slug",
        "category" => "content.admin.field.category",
        "tags" => "content.admin.field.tags",
        "summary" => "content.admin.field.summary",
        "body_md" => "content.admin.field.body",
        "who" => "content.procedure.who",
        "documents" => "content.procedure.documents",
        "steps" => "content.procedure.steps",
        "processing_time" => "content.procedure.time",
        "fee" => "content.procedure.fee",
        "where_to_file" => "content.procedure.where",
        "online_form" => "content.admin.field.online_form",
        "publish_at" => "content.admin.schedule.at",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Revisions

/// One line of a diff, owned for the page.
struct DiffLine {
    change: LineChange,
    text: String,
}

impl DiffLine {
    fn class(&self) -> &'static str {
        match self.change {
            LineChange::Same => "diff-same",
            LineChange::Removed => "diff-removed",
            LineChange::Added => "diff-added",
        }
    }

    fn is_removed(&self) -> bool {
        self.change == LineChange::Removed
    }

    fn is_added(&self) -> bool {
        self.change == LineChange::Added
    }
}

/// One field's diff.
struct DiffSection {
    label_key: &'static str,
    lines: Vec<DiffLine>,
    changed: bool,
}

fn section(label_key: &'static str, old: &str, new: &str) -> DiffSection {
    let lines = diff::lines(old, new);
    DiffSection {
        label_key,
        changed: diff::any_change(&lines),
        lines: lines
            .into_iter()
            .map(|line| DiffLine {
                change: line.change,
                text: line.text.to_owned(),
            })
            .collect(),
    }
}

/// A procedure's facts as lines to compare, labelled in the page's language.
fn facts_lines(ctx: &PageContext, facts: &Facts) -> String {
    let mut lines = vec![
        format!("{}: {}", ctx.t("content.procedure.who"), facts.who),
        format!(
            "{}: {}",
            ctx.t("content.procedure.time"),
            facts.processing_time
        ),
        format!("{}: {}", ctx.t("content.procedure.fee"), facts.fee),
        format!(
            "{}: {}",
            ctx.t("content.procedure.where"),
            facts.where_to_file
        ),
        format!(
            "{}: {}",
            ctx.t("content.admin.field.online_form"),
            facts.online_form.as_deref().unwrap_or_default()
        ),
        format!("{}:", ctx.t("content.procedure.documents")),
    ];
    lines.extend(facts.documents.iter().map(|d| format!("- {d}")));
    lines.push(format!("{}:", ctx.t("content.procedure.steps")));
    lines.extend(
        facts
            .steps
            .iter()
            .enumerate()
            .map(|(n, s)| format!("{}. {s}", n + 1)),
    );
    lines.join("\n")
}

#[derive(Template)]
#[template(path = "staff/content_revision.html")]
struct RevisionPage {
    ctx: PageContext,
    item: Item,
    entry: RevisionEntry,
    sections: Vec<DiffSection>,
}

impl RevisionPage {
    fn when(&self, at: &Timestamp) -> String {
        when(at)
    }

    fn is_current(&self) -> bool {
        self.entry.revision == self.item.revision
    }

    fn any_change(&self) -> bool {
        self.sections.iter().any(|s| s.changed)
    }
}

/// Revision `revision` compared with the current text: lines only in the revision are marked
/// removed, lines only in the current text added — what restoring it would undo.
#[get("/admin/content/{id}/revisions/{revision}")]
async fn compare(
    ctx: PageContext,
    state: Data<AppState>,
    me: StaffSession,
    path: Path<(String, i32)>,
) -> Result<HttpResponse, AppError> {
    editor(&me)?;
    let (id, number) = path.into_inner();
    let (item, old, entries) = state
        .db
        .read(move |conn| {
            let item = editing::item(conn, &id)?.ok_or(AppError::NotFound)?;
            let old = editing::revision(conn, &id, number)?.ok_or(AppError::NotFound)?;
            let entries = editing::revisions(conn, &id)?;
            Ok((item, old, entries))
        })
        .await?;
    let entry = entries
        .into_iter()
        .find(|e| e.revision == number)
        .ok_or(AppError::NotFound)?;
    let mut sections = vec![
        section("content.admin.field.title", &old.title, &item.title),
        section("content.admin.field.summary", &old.summary, &item.summary),
        section("content.admin.field.body", &old.body_md, &item.body_md),
    ];
    if item.kind() == Kind::Procedure {
        sections.push(section(
            "content.admin.facts",
            &facts_lines(&ctx, &old.facts()),
            &facts_lines(&ctx, &item.facts()),
        ));
    }
    ok(&RevisionPage {
        ctx,
        item,
        entry,
        sections,
    })
}

#[derive(Deserialize)]
struct RestoreForm {}

#[post("/admin/content/{id}/revisions/{revision}/restore")]
async fn restore(
    req: HttpRequest,
    state: Data<AppState>,
    me: StaffSession,
    path: Path<(String, i32)>,
    PageForm(_): PageForm<RestoreForm>,
) -> Result<HttpResponse, AppError> {
    editor(&me)?;
    let (id, number) = path.into_inner();
    let actor = Actor::staff(&req, &me);
    let now = state.clock.now();
    let item_id = id.clone();
    let new_revision = state
        .db
        .write(move |conn| editing::restore(conn, &item_id, number, &actor, now))
        .await?;
    tracing::info!(by = %me.0.account.id, subject = %editing::subject(&id), restored = number, "content revision restored");
    Ok(see_other(&format!(
        "/admin/content/{id}?done=restore&revision={new_revision}&restored={number}"
    )))
}
