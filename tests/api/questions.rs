//! Citizen questions: asked, answered by staff with an emailed link, and published as an FAQ
//! entry only with the asker's consent and without their personal details; anonymous questions
//! reach staff only once the emailed link is followed; nobody else reads a question.

use ansinh::accounts::model::Role;
use awc::http::StatusCode;

use crate::staff::signed_in_staff;
use crate::support::{Browser, Citizen, TestApp, form_value, location, on_both_backends};

fn start() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

/// A question id from a page or email text that links to `/{prefix}/{id}`.
fn question_id(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).expect("a link to the question") + prefix.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
        .collect()
}

/// Asks through the form as the browser's visitor; returns the reply.
async fn ask(browser: &mut Browser<'_>, fields: &[(&str, &str)]) -> crate::support::Reply {
    let csrf = browser.csrf_token("/questions/new").await;
    browser.post_form("/questions/new", &csrf, fields).await
}

async fn count(app: &TestApp, table: &'static str) -> i64 {
    app.query(move |conn| {
        use diesel::prelude::*;
        use diesel::sql_types::BigInt;
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        let row: Count = match conn {
            ansinh::db::DbConn::Sqlite(c) => diesel::sql_query(sql).get_result(c)?,
            ansinh::db::DbConn::Postgres(c) => diesel::sql_query(sql).get_result(c)?,
        };
        Ok(row.n)
    })
    .await
}

/// How many audit events record `action`.
async fn audited(app: &TestApp, action: &'static str) -> i64 {
    app.query(move |conn| {
        use ansinh::db::schema::audit_events;
        use diesel::prelude::*;
        audit_events::table
            .filter(audit_events::action.eq(action))
            .count()
            .get_result(conn)
    })
    .await
}

const QUESTION: &str = "Tôi là Nguyễn Văn An, đang nghỉ thai sản thì công ty giải thể, \
                        tôi có được hưởng trợ cấp thất nghiệp không? SĐT 0912345678";

on_both_backends! {
    async fn a_consented_question_is_answered_and_published_without_the_askers_details(backend) {
        let app = TestApp::spawn_at(backend, start()).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&citizen.email, &citizen.password).await;
        let faq = browser.get("/faq").await;
        assert!(faq.text.contains("href=\"/questions/new\""), "the FAQ links to asking");
        let asked = ask(&mut browser, &[("topic", "unemployment"), ("body", QUESTION), ("consent", "on")]).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.text);
        let mine = browser.get("/account/questions").await;
        let id = question_id(&mine.text, "scope=\"row\"><a href=\"/questions/");

        // A clerk sees it in the queue and answers it.
        let mut clerk = signed_in_staff(&app, "canbo@vss.example.vn", Role::Clerk).await;
        let queue = clerk.get("/admin/questions").await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.text);
        assert!(queue.text.contains(&format!("/admin/questions/{id}")), "{}", queue.text);
        let page = clerk.get(&format!("/admin/questions/{id}")).await;
        assert!(!page.text.contains("/publish\""), "clerks do not publish");
        let csrf = form_value(&page.text, "csrf_token").unwrap();
        let answer = "Chào chị Nguyễn Văn An, **có**: chị được hưởng trợ cấp thất nghiệp khi đủ điều kiện đóng bảo hiểm.";
        let answered = clerk.post_form(&format!("/admin/questions/{id}/answer"), &csrf, &[("answer", answer)]).await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.text);
        let queue = clerk.get("/admin/questions").await;
        assert!(!queue.text.contains(&format!("/admin/questions/{id}")), "answered questions leave the queue");

        // The citizen is told, and reads the answer from the emailed link.
        let mail = app.mail.wait_for(&citizen.email, "câu trả lời").await;
        let token = mail.token().expect("the email links to the answer");
        assert!(mail.text().contains(&format!("/questions/{id}?token=")), "{}", mail.text());
        let read = Browser::new(&app).get(&format!("/questions/{id}?token={token}")).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.text);
        assert!(read.text.contains("<strong>có</strong>"), "{}", read.text);
        assert_eq!(audited(&app, "question.answer").await, 1, "the answer is audited");

        // An editor publishes; with the name still in, it is refused and nothing is created.
        let mut editor = signed_in_staff(&app, "bientap@vss.example.vn", Role::ContentEditor).await;
        let page = editor.get(&format!("/admin/questions/{id}")).await;
        assert!(page.text.contains("Nguyễn Văn An"), "the form starts from the texts as asked");
        let csrf = form_value(&page.text, "csrf_token").unwrap();
        let items_before = count(&app, "content_items").await;
        let clean_title = "Đang nghỉ thai sản thì công ty giải thể, có được hưởng trợ cấp thất nghiệp không?";
        let clean_answer = "**Có**: người lao động được hưởng trợ cấp thất nghiệp khi đủ điều kiện đóng bảo hiểm.";
        let publish = format!("/admin/questions/{id}/publish");
        let leaked = editor.post_form(&publish, &csrf, &[("title", clean_title), ("answer", "Chào chị NGUYEN VAN AN, có."), ("reviewed", "on")]).await;
        assert_eq!(leaked.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", leaked.text);
        assert!(leaked.text.contains("id=\"answer-error\""), "{}", leaked.text);
        let phone = editor.post_form(&publish, &csrf, &[("title", "Gọi tôi qua số 0912 345 678 được không ạ?"), ("answer", clean_answer), ("reviewed", "on")]).await;
        assert_eq!(phone.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", phone.text);
        assert!(phone.text.contains("id=\"title-error\""), "{}", phone.text);
        let unreviewed = editor.post_form(&publish, &csrf, &[("title", clean_title), ("answer", clean_answer)]).await;
        assert_eq!(unreviewed.status, StatusCode::UNPROCESSABLE_ENTITY, "the editor must confirm the review");
        assert_eq!(count(&app, "content_items").await, items_before, "nothing created");

        let published = editor.post_form(&publish, &csrf, &[("title", clean_title), ("answer", clean_answer), ("reviewed", "on")]).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.text);
        assert_eq!(location(&published), format!("/admin/questions/{id}"));
        assert_eq!(count(&app, "content_items").await, items_before + 1);
        assert_eq!(audited(&app, "question.publish").await, 1, "publishing is audited");

        let found = app.get("/api/v1/faqs?q=giai%20the").await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.text);
        let entry = found.body.as_array().unwrap().iter().find(|e| e["title"] == clean_title).expect("the new entry is found");
        let text = fold(&entry.to_string());
        for detail in [&citizen.full_name, &citizen.email, "0912345678", &citizen.personal_id] {
            assert!(!text.contains(&fold(detail)), "{detail} in {text}");
        }
        let linked: Option<String> = app.query(move |conn| {
            use ansinh::db::schema::questions;
            use diesel::prelude::*;
            questions::table.find(&id).select(questions::faq_item_id).first(conn)
        }).await;
        assert!(linked.is_some(), "the question links to its entry");
    }

    async fn a_question_without_consent_is_never_published(backend) {
        let app = TestApp::spawn_at(backend, start()).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&citizen.email, &citizen.password).await;
        ask(&mut browser, &[("topic", "pension"), ("body", "Bao nhiêu tuổi thì được nhận lương hưu?")]).await;
        let id = question_id(&browser.get("/account/questions").await.text, "scope=\"row\"><a href=\"/questions/");
        let mut editor = signed_in_staff(&app, "bientap@vss.example.vn", Role::ContentEditor).await;
        let page = editor.get(&format!("/admin/questions/{id}")).await;
        let csrf = form_value(&page.text, "csrf_token").unwrap();
        editor.post_form(&format!("/admin/questions/{id}/answer"), &csrf, &[("answer", "Từ 60 tuổi 9 tháng với nam.")]).await;
        let page = editor.get(&format!("/admin/questions/{id}")).await;
        assert!(!page.text.contains("/publish\""), "no publishing form without consent");
        let items_before = count(&app, "content_items").await;
        let refused = editor.post_form(&format!("/admin/questions/{id}/publish"), &csrf, &[("title", "Bao nhiêu tuổi thì được nhận lương hưu?"), ("answer", "Từ 60 tuổi 9 tháng với nam."), ("reviewed", "on")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
        assert_eq!(count(&app, "content_items").await, items_before);
    }

    async fn an_anonymous_question_reaches_staff_only_after_the_emailed_link(backend) {
        let app = TestApp::spawn_at(backend, start()).await;
        let mut visitor = Browser::new(&app);
        let short = ask(&mut visitor, &[("topic", "pension"), ("body", "Hỏi?"), ("email", "khach@example.vn")]).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.text.contains("id=\"body-error\""), "{}", short.text);
        let no_email = ask(&mut visitor, &[("topic", "pension"), ("body", "Bao nhiêu tuổi thì được nhận lương hưu?")]).await;
        assert_eq!(no_email.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_email.text.contains("id=\"email-error\""), "{}", no_email.text);

        let asked = ask(&mut visitor, &[("topic", "pension"), ("body", "Bao nhiêu tuổi thì được nhận lương hưu?"), ("email", "Khach@Example.vn")]).await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.text);
        let mut clerk = signed_in_staff(&app, "canbo@vss.example.vn", Role::Clerk).await;
        let queue = clerk.get("/admin/questions").await;
        assert!(!queue.text.contains("/admin/questions/0"), "{}", queue.text);
        let id: String = app.query(|conn| {
            use ansinh::db::schema::questions;
            use diesel::prelude::*;
            questions::table.select(questions::id).first(conn)
        }).await;
        assert_eq!(clerk.get(&format!("/admin/questions/{id}")).await.status, StatusCode::NOT_FOUND);

        let mail = app.mail.wait_for("khach@example.vn", "Xác nhận").await;
        let token = mail.token().unwrap();
        let stored: Option<String> = app.query(|conn| {
            use ansinh::db::schema::questions;
            use diesel::prelude::*;
            questions::table.select(questions::confirm_token_hash).first(conn)
        }).await;
        assert_ne!(stored.as_deref(), Some(token.as_str()), "only a hash is stored");
        let confirmed = visitor.get(&format!("/questions/confirm?token={token}")).await;
        assert_eq!(confirmed.status, StatusCode::OK);
        let again = visitor.get(&format!("/questions/confirm?token={token}")).await;
        assert!(again.text.contains(&ansinh::web::i18n::Lang::Vi.catalog().text("questions.confirm_failed.title").to_owned()), "the link is spent");
        let queue = clerk.get("/admin/questions").await;
        assert!(queue.text.contains(&format!("/admin/questions/{id}")), "{}", queue.text);

        // The answer goes to the confirmed address.
        let page = clerk.get(&format!("/admin/questions/{id}")).await;
        let csrf = form_value(&page.text, "csrf_token").unwrap();
        clerk.post_form(&format!("/admin/questions/{id}/answer"), &csrf, &[("answer", "Nam từ 60 tuổi 9 tháng.")]).await;
        let mail = app.mail.wait_for("khach@example.vn", "câu trả lời").await;
        let read = Browser::new(&app).get(&format!("/questions/{id}?token={}", mail.token().unwrap())).await;
        assert_eq!(read.status, StatusCode::OK);
        assert!(read.text.contains("60 tuổi 9 tháng"));
    }

    async fn an_unconfirmed_link_expires_after_48_hours(backend) {
        let app = TestApp::spawn_at(backend, start()).await;
        let mut visitor = Browser::new(&app);
        ask(&mut visitor, &[("topic", "records"), ("body", "Làm sao để sửa ngày sinh trong sổ?"), ("email", "muon@example.vn")]).await;
        let token = app.mail.wait_for("muon@example.vn", "").await.token().unwrap();
        app.clock.advance(chrono::Duration::hours(49));
        let late = visitor.get(&format!("/questions/confirm?token={token}")).await;
        assert!(late.text.contains(&ansinh::web::i18n::Lang::Vi.catalog().text("questions.confirm_failed.title").to_owned()));
    }

    async fn one_address_sends_at_most_five_questions_a_day(backend) {
        let app = TestApp::spawn_at(backend, start()).await;
        let mut visitor = Browser::new(&app);
        let question = [("topic", "records"), ("body", "Làm sao để sửa ngày sinh trong sổ?"), ("email", "nhieu@example.vn")];
        for _ in 0..5 {
            assert_eq!(ask(&mut visitor, &question).await.status, StatusCode::OK);
        }
        assert_eq!(ask(&mut visitor, &question).await.status, StatusCode::TOO_MANY_REQUESTS);
        app.clock.advance(chrono::Duration::hours(25));
        assert_eq!(ask(&mut visitor, &question).await.status, StatusCode::OK, "the cap is per day");
    }

    async fn nobody_else_reads_a_question(backend) {
        let app = TestApp::spawn_at(backend, start()).await;
        let (asker, other) = (Citizen::new(), Citizen::new());
        app.registered_citizen(&asker).await;
        app.registered_citizen(&other).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&asker.email, &asker.password).await;
        ask(&mut browser, &[("topic", "pension"), ("body", "Bao nhiêu tuổi thì được nhận lương hưu?")]).await;
        let id = question_id(&browser.get("/account/questions").await.text, "scope=\"row\"><a href=\"/questions/");
        assert_eq!(browser.get(&format!("/questions/{id}")).await.status, StatusCode::OK);

        let mut stranger = Browser::new(&app);
        stranger.log_in(&other.email, &other.password).await;
        assert_eq!(stranger.get(&format!("/questions/{id}")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(stranger.get(&format!("/questions/{id}?token=guess")).await.status, StatusCode::NOT_FOUND);
        assert!(!stranger.get("/account/questions").await.text.contains(&id));
        assert_eq!(Browser::new(&app).get(&format!("/questions/{id}")).await.status, StatusCode::NOT_FOUND);
    }
}

fn fold(text: &str) -> String {
    ansinh::text::fold(text)
}
