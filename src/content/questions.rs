//! Citizen questions: asked by a signed-in citizen (open at once) or by an anonymous visitor who
//! confirms an email address first (`unconfirmed` until then, never shown to staff); answered by
//! staff, who email the asker a link to read the answer; and, when the asker consented, published
//! by an editor as an FAQ entry with the asker's personal details removed.
//!
//! Links in emails carry random tokens; only their SHA-256 is stored.

use diesel::prelude::*;

use super::model::{Facts, Kind, Status};
use super::store::{self, Draft};
use crate::accounts::model::EmailAddress;
use crate::accounts::store::Account;
use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::{accounts, questions};
use crate::email::{self, messages};
use crate::error::{AppError, FieldCode};
use crate::secrets::{random_token, token_hash};
use crate::text::fold;
use crate::web::i18n::Lang;

/// The topics a question may be filed under: the FAQ's categories.
pub const TOPICS: [&str; 10] = [
    "registration",
    "voluntary_si",
    "health_insurance",
    "sickness_maternity",
    "unemployment",
    "lump_sum",
    "pension",
    "survivors",
    "reimbursement",
    "records",
];

/// How long an emailed confirmation link stays good.
const CONFIRM_HOURS: i64 = 48;

/// Questions one asker (an account, or an email address) may send in a day: enough for anyone
/// with real questions, and a cap on the confirmation emails a stranger can trigger to an address.
const PER_DAY: i64 = 5;

/// Refuses a question over the daily cap of the asker's account or address.
fn within_daily_cap(
    conn: &mut DbConn,
    account_id: Option<&str>,
    email: Option<&str>,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut recent = questions::table
        .filter(questions::created_at.gt(now - chrono::Duration::days(1)))
        .into_boxed();
    recent = match (account_id, email) {
        (Some(account), _) => recent.filter(questions::account_id.eq(account.to_owned())),
        (None, Some(email)) => recent.filter(questions::email.eq(email.to_owned())),
        (None, None) => return Ok(()),
    };
    let count: i64 = recent.count().get_result(conn)?;
    if count >= PER_DAY {
        return Err(AppError::TooManyRequests { retry_after: 3600 });
    }
    Ok(())
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = questions)]
pub struct Question {
    pub id: String,
    pub account_id: Option<String>,
    pub email: Option<String>,
    pub locale: String,
    pub topic: String,
    pub body: String,
    pub consent_publish: bool,
    pub status: String,
    pub answer_md: Option<String>,
    pub answered_at: Option<Timestamp>,
    pub faq_item_id: Option<String>,
    pub created_at: Timestamp,
}

impl Question {
    pub fn topic_key(&self) -> String {
        format!("questions.topic.{}", self.topic)
    }

    pub fn status_key(&self) -> String {
        format!("questions.status.{}", self.status)
    }

    pub fn answer_html(&self) -> String {
        self.answer_md
            .as_deref()
            .map(super::markdown::to_html)
            .unwrap_or_default()
    }
}

/// A question as asked, checked.
#[derive(Clone, Debug)]
pub struct Ask {
    pub topic: &'static str,
    pub body: String,
    pub consent_publish: bool,
}

impl Ask {
    /// The text is 10 to 2000 characters; the topic one of [`TOPICS`].
    pub fn parse(topic: &str, body: &str, consent_publish: bool) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        let topic = TOPICS.iter().find(|t| **t == topic.trim()).copied();
        if topic.is_none() {
            errors.push(crate::error::FieldError::new("topic", FieldCode::Required));
        }
        let body = body.trim();
        let length = body.chars().count();
        if length == 0 {
            errors.push(crate::error::FieldError::new("body", FieldCode::Required));
        } else if length < 10 {
            errors.push(crate::error::FieldError::new(
                "body",
                FieldCode::InvalidFormat,
            ));
        } else if length > 2000 {
            errors.push(crate::error::FieldError::new("body", FieldCode::TooLong));
        }
        match topic {
            Some(topic) if errors.is_empty() => Ok(Self {
                topic,
                body: body.to_owned(),
                consent_publish,
            }),
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

/// Who asked: a signed-in citizen, or an address still to confirm.
pub enum Asker<'a> {
    Citizen(&'a Account),
    Anonymous { email: &'a str, lang: Lang },
}

fn insert(
    conn: &mut DbConn,
    ask: &Ask,
    account_id: Option<&str>,
    email: Option<&str>,
    locale: &str,
    confirm: Option<(&str, Timestamp)>,
    now: Timestamp,
) -> QueryResult<String> {
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(questions::table)
        .values((
            questions::id.eq(&id),
            questions::account_id.eq(account_id),
            questions::email.eq(email),
            questions::confirm_token_hash.eq(confirm.map(|(hash, _)| hash)),
            questions::confirm_expires_at.eq(confirm.map(|(_, at)| at)),
            questions::locale.eq(locale),
            questions::topic.eq(ask.topic),
            questions::body.eq(&ask.body),
            questions::consent_publish.eq(ask.consent_publish),
            questions::status.eq(if confirm.is_some() {
                "unconfirmed"
            } else {
                "open"
            }),
            questions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Records a question. A citizen's is open at once; an anonymous one waits for the emailed
/// link (queued in the same transaction) to be followed.
pub fn ask(
    conn: &mut DbConn,
    asker: Asker<'_>,
    ask: &Ask,
    public_url: &str,
    now: Timestamp,
) -> Result<String, AppError> {
    match asker {
        Asker::Citizen(account) => {
            within_daily_cap(conn, Some(&account.id), None, now)?;
            Ok(insert(
                conn,
                ask,
                Some(&account.id),
                None,
                &account.locale,
                None,
                now,
            )?)
        }
        Asker::Anonymous { email, lang } => {
            let email = EmailAddress::parse(email)
                .map_err(|code| AppError::invalid("email", code))?
                .as_str()
                .to_owned();
            within_daily_cap(conn, None, Some(&email), now)?;
            let token = random_token();
            let expires = now + chrono::Duration::hours(CONFIRM_HOURS);
            let id = insert(
                conn,
                ask,
                None,
                Some(&email),
                lang.code(),
                Some((&token_hash(&token), expires)),
                now,
            )?;
            let link = format!("{public_url}/questions/confirm?token={token}");
            let name = lang.catalog().text("questions.email.someone");
            let message = messages::notice(lang, &email, name, "question_confirm", &link, &[]);
            email::enqueue(conn, &message, now)?;
            Ok(id)
        }
    }
}

/// Follows an emailed confirmation link: the question opens, and the link is spent.
pub fn confirm(conn: &mut DbConn, token: &str, now: Timestamp) -> Result<String, AppError> {
    let hash = token_hash(token);
    let id: Option<String> = questions::table
        .filter(questions::confirm_token_hash.eq(&hash))
        .filter(questions::status.eq("unconfirmed"))
        .filter(questions::confirm_expires_at.gt(now))
        .select(questions::id)
        .first(conn)
        .optional()?;
    let id = id.ok_or(AppError::InvalidToken)?;
    diesel::update(questions::table.find(&id))
        .set((
            questions::status.eq("open"),
            questions::email_confirmed_at.eq(now),
            questions::confirm_token_hash.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Open questions, oldest first (the staff queue).
pub fn open_queue(conn: &mut DbConn) -> QueryResult<Vec<Question>> {
    questions::table
        .filter(questions::status.eq("open"))
        .order((questions::created_at.asc(), questions::id.asc()))
        .select(Question::as_select())
        .load(conn)
}

/// Answered questions whose askers consented to publication, oldest first (for editors).
pub fn publishable(conn: &mut DbConn) -> QueryResult<Vec<Question>> {
    questions::table
        .filter(questions::status.eq("answered"))
        .filter(questions::consent_publish.eq(true))
        .order((questions::answered_at.asc(), questions::id.asc()))
        .select(Question::as_select())
        .load(conn)
}

/// A question as staff see it: never one still unconfirmed.
pub fn for_staff(conn: &mut DbConn, id: &str) -> Result<Question, AppError> {
    questions::table
        .find(id)
        .filter(questions::status.ne("unconfirmed"))
        .select(Question::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// A citizen's own questions, newest first.
pub fn mine(conn: &mut DbConn, account_id: &str) -> QueryResult<Vec<Question>> {
    questions::table
        .filter(questions::account_id.eq(account_id))
        .order((questions::created_at.desc(), questions::id.desc()))
        .select(Question::as_select())
        .load(conn)
}

/// A question for its asker: the signed-in owner, or whoever holds the emailed read link.
pub fn for_asker(
    conn: &mut DbConn,
    id: &str,
    account_id: Option<&str>,
    read_token: Option<&str>,
) -> Result<Question, AppError> {
    let mut query = questions::table
        .find(id)
        .filter(questions::status.ne("unconfirmed"))
        .into_boxed();
    query = match (account_id, read_token) {
        (Some(account), Some(token)) => query.filter(
            questions::account_id
                .eq(account.to_owned())
                .or(questions::read_token_hash.eq(token_hash(token))),
        ),
        (Some(account), None) => query.filter(questions::account_id.eq(account.to_owned())),
        (None, Some(token)) => query.filter(questions::read_token_hash.eq(token_hash(token))),
        (None, None) => return Err(AppError::NotFound),
    };
    query
        .select(Question::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Records a staff answer and emails the asker a link to read it (same transaction).
pub fn answer(
    conn: &mut DbConn,
    id: &str,
    staff_id: &str,
    answer_md: &str,
    public_url: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let answer_md = answer_md.trim();
    if answer_md.is_empty() {
        return Err(AppError::invalid("answer", FieldCode::Required));
    }
    if answer_md.chars().count() > 20_000 {
        return Err(AppError::invalid("answer", FieldCode::TooLong));
    }
    let question = for_staff(conn, id)?;
    if question.status != "open" {
        return Err(AppError::WrongState("question is not open".into()));
    }
    let token = random_token();
    // Of two staff answering at once, the second finds it answered.
    let answered = diesel::update(questions::table.find(id))
        .filter(questions::status.eq("open"))
        .set((
            questions::status.eq("answered"),
            questions::answer_md.eq(answer_md),
            questions::answered_by.eq(staff_id),
            questions::answered_at.eq(now),
            questions::read_token_hash.eq(token_hash(&token)),
        ))
        .execute(conn)?;
    if answered == 0 {
        return Err(AppError::WrongState("answered".into()));
    }
    let link = format!("{public_url}/questions/{id}?token={token}");
    let account = match &question.account_id {
        Some(account_id) => crate::accounts::store::account(conn, account_id)?,
        None => None,
    };
    match (account, &question.email) {
        (Some(account), _) => {
            email::notify(conn, &account, "question_answered", &link, &[], now)?;
        }
        (None, Some(address)) => {
            let lang = Lang::parse(&question.locale).unwrap_or(Lang::Vi);
            let name = lang.catalog().text("questions.email.someone");
            let message = messages::notice(lang, address, name, "question_answered", &link, &[]);
            email::enqueue(conn, &message, now)?;
        }
        (None, None) => {}
    }
    Ok(())
}

/// The asker's personal details that must never reach a published entry.
fn personal_details(conn: &mut DbConn, question: &Question) -> QueryResult<Vec<String>> {
    let mut details: Vec<String> = question.email.iter().cloned().collect();
    if let Some(account_id) = &question.account_id {
        let account: Option<(String, String, Option<String>, Option<String>)> = accounts::table
            .find(account_id)
            .select((
                accounts::full_name,
                accounts::email,
                accounts::phone,
                accounts::personal_id,
            ))
            .first(conn)
            .optional()?;
        if let Some((name, email, phone, personal_id)) = account {
            details.extend([name, email]);
            details.extend(phone);
            details.extend(personal_id);
        }
    }
    Ok(details)
}

/// Whether `text` still contains one of `details`: compared without case, accents or extra
/// spaces, and numbers (a phone, a personal ID) also digit by digit, so "0912 345 678" counts.
pub fn contains_personal_details(text: &str, details: &[String]) -> bool {
    let words = |s: &str| fold(s).split_whitespace().collect::<Vec<_>>().join(" ");
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let folded = words(text);
    let text_digits = digits(text);
    details.iter().any(|detail| {
        let detail_words = words(detail);
        let detail_digits = digits(detail);
        let is_number = detail_digits.len() >= 6 && detail_digits.len() * 2 > detail.len();
        (!detail_words.is_empty() && folded.contains(&detail_words))
            || (is_number && text_digits.contains(&detail_digits))
    })
}

/// An editor's version of the question and answer for the FAQ.
pub struct Publication<'a> {
    pub title: &'a str,
    pub answer_md: &'a str,
    /// The editor confirmed the texts carry no personal details.
    pub reviewed: bool,
}

/// Publishes an answered question (its asker consented) as a Vietnamese FAQ entry and links it.
/// Refused when the edited texts still contain the asker's name, email, phone or personal ID.
pub fn publish(
    conn: &mut DbConn,
    id: &str,
    editor_id: &str,
    publication: &Publication<'_>,
    now: Timestamp,
) -> Result<String, AppError> {
    let question = for_staff(conn, id)?;
    if !question.consent_publish {
        return Err(AppError::Forbidden);
    }
    if question.status != "answered" {
        return Err(AppError::WrongState("question is not answered".into()));
    }
    let title = publication.title.trim();
    let answer_md = publication.answer_md.trim();
    let mut errors = Vec::new();
    if title.chars().count() < 10 {
        errors.push(crate::error::FieldError::new("title", FieldCode::Required));
    }
    if answer_md.is_empty() {
        errors.push(crate::error::FieldError::new("answer", FieldCode::Required));
    }
    if !publication.reviewed {
        errors.push(crate::error::FieldError::new(
            "reviewed",
            FieldCode::Required,
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    // Reported as `invalid_format` on the field; the page words it as personal details left in.
    let details = personal_details(conn, &question)?;
    let mut leaks = Vec::new();
    if contains_personal_details(title, &details) {
        leaks.push(crate::error::FieldError::new(
            "title",
            FieldCode::InvalidFormat,
        ));
    }
    if contains_personal_details(answer_md, &details) {
        leaks.push(crate::error::FieldError::new(
            "answer",
            FieldCode::InvalidFormat,
        ));
    }
    if !leaks.is_empty() {
        return Err(AppError::Invalid(leaks));
    }
    let base = super::seed::slug_of(title);
    let short = id.rsplit('-').next().unwrap_or(id);
    let draft = Draft {
        kind: Kind::Faq,
        lang: "vi",
        slug: format!("{base}-{short}"),
        group_id: format!("question:{id}"),
        status: Status::Published,
        publish_at: Some(now),
        category: question.topic.clone(),
        tags: vec![],
        title: title.to_owned(),
        summary: String::new(),
        body_md: answer_md.to_owned(),
        facts: Facts::default(),
    };
    let item_id = store::save(conn, &draft, Some(editor_id), now)?;
    diesel::update(questions::table.find(id))
        .set((
            questions::status.eq("published"),
            questions::faq_item_id.eq(&item_id),
        ))
        .execute(conn)?;
    Ok(item_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> Vec<String> {
        vec![
            "Nguyễn Văn An".into(),
            "an@example.vn".into(),
            "0912345678".into(),
            "001090123456".into(),
        ]
    }

    #[test]
    fn the_askers_name_is_found_without_case_accents_or_extra_spaces() {
        assert!(contains_personal_details(
            "Tôi là NGUYEN  van an, hỏi về thai sản",
            &details()
        ));
        assert!(contains_personal_details(
            "Gọi 0912 345 678 nhé",
            &details()
        ));
        assert!(contains_personal_details("Mail AN@example.vn", &details()));
        assert!(contains_personal_details(
            "CCCD 001-090-123-456",
            &details()
        ));
        assert!(!contains_personal_details(
            "Tôi hỏi về chế độ thai sản khi nghỉ việc",
            &details()
        ));
    }

    #[test]
    fn a_question_needs_a_topic_and_ten_to_two_thousand_characters() {
        assert!(Ask::parse("pension", "Khi nào tôi được nhận lương hưu?", true).is_ok());
        assert!(Ask::parse("pension", "ngắn", true).is_err());
        assert!(Ask::parse("pension", &"a".repeat(2001), true).is_err());
        assert!(Ask::parse("weather", "Khi nào tôi được nhận lương hưu?", true).is_err());
    }
}
