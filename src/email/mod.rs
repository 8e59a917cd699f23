//! Email through a transactional outbox: a feature writes the message as a row in the same
//! transaction as the change it reports ([`enqueue`]), so a rolled-back change sends nothing and a
//! committed one is never lost. The [`worker`] delivers rows in the background with retries and
//! backoff; an SMTP outage never fails a request.

pub mod messages;
pub mod transport;
pub mod worker;

use crate::accounts::store::Account;
use crate::error::AppError;
use crate::web::i18n::Lang;
use diesel::prelude::*;

use crate::clock::Timestamp;
use crate::db::DbConn;
use crate::db::schema::outbox;

/// A rendered message, ready to queue.
#[derive(Clone, Debug)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Queues `email` inside the caller's transaction.
pub fn enqueue(conn: &mut DbConn, email: &Email, now: Timestamp) -> QueryResult<()> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(uuid::Uuid::now_v7().to_string()),
            outbox::recipient.eq(&email.to),
            outbox::subject.eq(&email.subject),
            outbox::body_text.eq(&email.text),
            outbox::body_html.eq(&email.html),
            outbox::created_at.eq(now),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Messages not yet delivered (for `/metrics`).
pub fn backlog(conn: &mut DbConn) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::sent_at.is_null())
        .count()
        .get_result(conn)
}

/// Queues a notice (`kind` picks its texts) to an account, in its language, linking to `link`.
pub fn notify(
    conn: &mut DbConn,
    account: &Account,
    kind: &str,
    link: &str,
    extra: &[(&str, String)],
    now: Timestamp,
) -> Result<(), AppError> {
    let lang = Lang::parse(&account.locale).unwrap_or(Lang::Vi);
    let message = messages::notice(lang, &account.email, &account.full_name, kind, link, extra);
    enqueue(conn, &message, now)?;
    Ok(())
}
