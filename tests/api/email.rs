//! The outbox: email is written in the same transaction as the change, delivered by the worker,
//! survives restarts, and is sent once.

use awc::http::StatusCode;
use diesel::prelude::*;

use ansinh::db::schema::outbox;
use ansinh::email::{Email, enqueue};
use ansinh::error::AppError;

use crate::support::{Citizen, TestApp, on_both_backends};

async fn pending(app: &TestApp) -> i64 {
    app.query(|conn| {
        outbox::table
            .filter(outbox::sent_at.is_null())
            .count()
            .get_result(conn)
    })
    .await
}

on_both_backends! {
    async fn a_message_queued_before_a_restart_is_delivered_after_it_exactly_once(backend) {
        // SMTP is down: registration still succeeds, the message waits in the outbox.
        let dead_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let app = TestApp::spawn_with(backend, |s| s.smtp_url = Some(format!("smtp://127.0.0.1:{dead_port}"))).await;
        let citizen = Citizen::new();
        let reply = app.post_json("/api/v1/auth/register", &citizen.registration()).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED);
        actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(pending(&app).await, 1);
        let attempts: i32 = app.query(|conn| outbox::table.select(outbox::attempts).first(conn)).await;
        assert!(attempts >= 1, "delivery was tried and failed");

        // Restart with a working SMTP server; the retry is due once its backoff has passed.
        let app = app.restart_with(|_| {}).await;
        app.clock.advance(chrono::Duration::minutes(2));
        let mail = app.mail.wait_for(&citizen.email, "").await;
        assert!(mail.token().is_some());
        actix_web::rt::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(app.mail.to(&citizen.email).len(), 1, "delivered exactly once");
        assert_eq!(pending(&app).await, 0);
        let message_id = mail.header("message-id").expect("a Message-ID");
        assert!(message_id.ends_with("@ansinh>"), "{message_id}");
        // A sent row keeps its envelope but no longer holds the link.
        let body: String = app.query(|conn| outbox::table.select(outbox::body_text).first(conn)).await;
        assert!(body.is_empty());
    }

    async fn a_failed_transaction_leaves_no_outbox_row(backend) {
        let app = TestApp::spawn(backend).await;
        let now = app.clock.now();
        let email = Email { to: "x@example.vn".into(), subject: "s".into(), text: "t".into(), html: "h".into() };
        let outcome: Result<(), AppError> = app
            .state()
            .db
            .write(move |conn| {
                enqueue(conn, &email, now)?;
                Err(AppError::Forbidden)
            })
            .await;
        assert!(outcome.is_err());
        let rows: i64 = app.query(|conn| outbox::table.count().get_result(conn)).await;
        assert_eq!(rows, 0);
    }

    async fn emails_follow_the_language_of_the_registration(backend) {
        let app = TestApp::spawn(backend).await;
        let vi = Citizen::new();
        let en = Citizen::new();
        app.post_json("/api/v1/auth/register", &vi.registration()).await;
        let mut english = en.registration();
        english["locale"] = serde_json::json!("en");
        app.post_json("/api/v1/auth/register", &english).await;
        let vi_mail = app.mail.wait_for(&vi.email, "").await;
        let en_mail = app.mail.wait_for(&en.email, "").await;
        assert_eq!(vi_mail.subject(), "Xác nhận địa chỉ email của bạn");
        assert_eq!(en_mail.subject(), "Confirm your email address");
        assert!(en_mail.text().starts_with("Hello Nguyễn Văn An,"), "{}", en_mail.text());
        assert!(vi_mail.html().contains("<html lang=\"vi\">"));
    }
}
