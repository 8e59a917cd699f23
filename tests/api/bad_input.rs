//! Bad input never yields a 500: each kind gets a 4xx problem+json naming the field, and
//! changes nothing.

use awc::http::StatusCode;
use serde_json::json;

use crate::support::{Citizen, Reply, TestApp, on_both_backends};

async fn post_raw(
    app: &TestApp,
    path: &str,
    content_type: &str,
    body: impl Into<actix_web::web::Bytes>,
) -> Reply {
    let response = app
        .client()
        .post(app.url(path))
        .insert_header(("content-type", content_type))
        .send_body(body.into())
        .await
        .expect("request sent");
    Reply::read(response).await
}

async fn accounts_count(app: &TestApp) -> i64 {
    app.query(|conn| {
        use diesel::prelude::*;
        ansinh::db::schema::accounts::table.count().get_result(conn)
    })
    .await
}

on_both_backends! {
    async fn malformed_json_is_a_400_problem(backend) {
        let app = TestApp::spawn(backend).await;
        let reply = post_raw(&app, "/api/v1/auth/register", "application/json", "{\"personal_id\": ").await;
        reply.assert_problem(StatusCode::BAD_REQUEST, "malformed_request");
        assert!(!reply.text.contains("line 1"), "no parser internals: {}", reply.text);
    }

    async fn wrong_types_name_the_field(backend) {
        let app = TestApp::spawn(backend).await;
        let mut body = Citizen::new().registration();
        body["birth_date"] = json!(19900517);
        let reply = app.post_json("/api/v1/auth/register", &body).await;
        assert_eq!(reply.assert_problem(StatusCode::BAD_REQUEST, "malformed_request"), ["birth_date"]);
        assert_eq!(reply.body["errors"][0]["code"], "invalid_type");
    }

    async fn unknown_and_missing_fields_are_named(backend) {
        let app = TestApp::spawn(backend).await;
        let mut body = Citizen::new().registration();
        body["role"] = json!("admin");
        let reply = app.post_json("/api/v1/auth/register", &body).await;
        assert_eq!(reply.assert_problem(StatusCode::BAD_REQUEST, "malformed_request"), ["role"]);

        let reply = app.post_json("/api/v1/auth/register", &json!({ "email": "a@example.vn" })).await;
        assert_eq!(reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["personal_id"]);
        assert_eq!(reply.body["errors"][0]["code"], "required");
    }

    async fn invalid_values_name_every_field_and_change_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        let body = json!({
            "personal_id": "00109012345X",
            "full_name": "x".repeat(101),
            "birth_date": "2099-01-01",
            "email": "not-an-email",
            "phone": "12345",
            "password": "y".repeat(129),
        });
        let reply = app.post_json("/api/v1/auth/register", &body).await;
        let fields = reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(fields, ["personal_id", "full_name", "birth_date", "email", "phone", "password"]);
        let codes: Vec<&str> = reply.body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["personal_id_format", "too_long", "date_in_future", "email_format", "phone_format", "password_too_long"]);
        assert!(reply.body["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));

        let mut impossible_date = Citizen::new().registration();
        impossible_date["birth_date"] = json!("1990-02-30");
        let reply = app.post_json("/api/v1/auth/register", &impossible_date).await;
        assert_eq!(reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["birth_date"]);

        let mut wrong_year = Citizen::new().registration();
        wrong_year["birth_date"] = json!("1985-05-17");
        let reply = app.post_json("/api/v1/auth/register", &wrong_year).await;
        assert_eq!(reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["personal_id"]);
        assert_eq!(reply.body["errors"][0]["code"], "personal_id_birth_year");

        let mut common = Citizen::new().registration();
        common["password"] = json!("iloveyou2");
        let reply = app.post_json("/api/v1/auth/register", &common).await;
        assert_eq!(reply.body["errors"][0]["code"], "password_too_common", "{}", reply.body);

        assert_eq!(accounts_count(&app).await, 0, "nothing was created");
        assert!(app.mail.all().is_empty(), "nothing was sent");
    }

    async fn wrong_content_type_and_oversized_bodies_are_refused(backend) {
        let app = TestApp::spawn(backend).await;
        let body = Citizen::new().registration().to_string();
        post_raw(&app, "/api/v1/auth/register", "text/plain", body).await
            .assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        let huge = format!("{{\"email\": \"{}\"}}", "a".repeat(70 * 1024));
        post_raw(&app, "/api/v1/auth/password-reset", "application/json", huge).await
            .assert_problem(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    }

    async fn unknown_routes_and_methods_are_404_and_405(backend) {
        let app = TestApp::spawn(backend).await;
        app.get("/api/v1/nothing-here").await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        let reply = app.client().put(app.url("/api/v1/auth/login")).send().await.expect("sent");
        let reply = Reply::read(reply).await;
        reply.assert_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
        assert_eq!(reply.header("allow"), Some("POST"));
        let reply = app.client().delete(app.url("/api/v1/me")).send().await.expect("sent");
        Reply::read(reply).await.assert_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
        // Pages answer with a page, not JSON.
        let page = app.get("/no-such-page").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.header("content-type").unwrap_or_default().starts_with("text/html"));
        assert!(page.text.contains("<html lang=\"vi\""));
    }

    async fn problems_speak_the_callers_language(backend) {
        let app = TestApp::spawn(backend).await;
        let reply = app.client().get(app.url("/api/v1/me")).insert_header(("accept-language", "en-GB,en;q=0.9")).send().await.expect("sent");
        let reply = Reply::read(reply).await;
        assert_eq!(reply.body["title"], "You need to log in");
        let reply = app.get("/api/v1/me").await;
        assert_eq!(reply.body["title"], "Bạn cần đăng nhập");
    }
}
