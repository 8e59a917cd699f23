//! A claim's documents over the API: only real PDF, JPEG or PNG files of at most 10 MB, the
//! papers each claim needs before it can be submitted, quotas per claim and per account, files
//! read back only by their owner, and nothing left behind by an upload that fails.

use ansinh::db::schema::{claim_documents, documents};
use awc::http::StatusCode;
use diesel::prelude::*;
use serde_json::json;

use crate::claims::PDF;
use crate::support::{Browser, Citizen, Reply, TestApp, form_value, location, on_both_backends};

async fn citizen(app: &TestApp) -> (Citizen, String) {
    let citizen = Citizen::new();
    app.registered_citizen(&citizen).await;
    let reply = app.api_login(&citizen.email, &citizen.password).await;
    (
        citizen,
        reply.body["access_token"].as_str().unwrap().to_owned(),
    )
}

async fn maternity_draft(app: &TestApp, token: &str) -> String {
    let body = json!({ "kind": "maternity", "details": { "event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02" } });
    let key = uuid::Uuid::new_v4().to_string();
    let draft = app
        .post_json_with(
            "/api/v1/me/claims",
            token,
            &[("Idempotency-Key", &key)],
            &body,
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.text);
    draft.body["id"].as_str().unwrap().to_owned()
}

async fn upload(app: &TestApp, token: &str, id: &str, kind: &str, file: (&str, &[u8])) -> Reply {
    app.post_file_auth(
        &format!("/api/v1/me/claims/{id}/documents"),
        token,
        &[("kind", kind)],
        file,
    )
    .await
}

async fn submit(app: &TestApp, token: &str, id: &str) -> Reply {
    let key = uuid::Uuid::new_v4().to_string();
    app.post_json_with(
        &format!("/api/v1/me/claims/{id}/submit"),
        token,
        &[("Idempotency-Key", &key)],
        &json!(null),
    )
    .await
}

/// Rows and files of documents: both must stay in step.
async fn stored(app: &TestApp) -> (i64, i64, usize) {
    let rows = app
        .query(|conn| documents::table.count().get_result::<i64>(conn))
        .await;
    let links = app
        .query(|conn| claim_documents::table.count().get_result::<i64>(conn))
        .await;
    let files = std::fs::read_dir(app.uploads.path())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .count()
        })
        .unwrap_or(0);
    (rows, links, files)
}

fn field_codes(reply: &Reply) -> Vec<(String, String)> {
    reply.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn pair(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), code.to_owned())]
}

on_both_backends! {
    async fn a_claim_takes_the_papers_it_needs_and_nothing_else(backend) {
        let app = TestApp::spawn(backend).await;
        let (_, token) = citizen(&app).await;
        let id = maternity_draft(&app, &token).await;
        let draft = app.get_auth(&format!("/api/v1/me/claims/{id}"), &token).await;
        assert_eq!(draft.body["missing_documents"], json!(["birth_certificate"]));
        // Not without the birth certificate.
        let early = submit(&app, &token, &id).await;
        assert_eq!(early.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["documents.birth_certificate"]);
        assert!(early.text.contains("thiếu giấy tờ") || early.text.contains("missing"), "{}", early.text);

        // An executable renamed .pdf, an 11 MB file and an empty part are refused, with
        // nothing stored.
        let exe = upload(&app, &token, &id, "birth_certificate", ("giay-chung-sinh.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")).await;
        assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", exe.text);
        assert_eq!(field_codes(&exe), pair("file", "file_type"));
        let big = vec![b'%'; 11 * 1024 * 1024];
        let large = upload(&app, &token, &id, "birth_certificate", ("scan.pdf", &big)).await;
        assert_eq!(field_codes(&large), pair("file", "file_too_large"), "{}", large.text);
        let nothing = upload(&app, &token, &id, "birth_certificate", ("", b"")).await;
        assert_eq!(field_codes(&nothing), pair("file", "required"), "{}", nothing.text);
        let no_kind = upload(&app, &token, &id, "", ("a.pdf", PDF)).await;
        assert_eq!(field_codes(&no_kind), pair("kind", "required"));
        assert_eq!(stored(&app).await, (0, 0, 0));
        // A paper the claim does not take fails after the file was written: the file goes too.
        let wrong = upload(&app, &token, &id, "death_certificate", ("a.pdf", PDF)).await;
        assert_eq!(field_codes(&wrong), pair("kind", "invalid_format"), "{}", wrong.text);
        assert_eq!(stored(&app).await, (0, 0, 0));

        let birth = upload(&app, &token, &id, "birth_certificate", ("giấy chứng sinh.pdf", PDF)).await;
        assert_eq!(birth.status, StatusCode::CREATED, "{}", birth.text);
        assert_eq!((&birth.body["kind"], &birth.body["content_type"], &birth.body["size"]), (&json!("birth_certificate"), &json!("application/pdf"), &json!(PDF.len())));
        let doc = birth.body["id"].as_str().unwrap().to_owned();
        let read = app.get_auth(&format!("/api/v1/me/claims/{id}/documents/{doc}"), &token).await;
        assert_eq!((read.status, read.header("content-type"), read.text.as_bytes()), (StatusCode::OK, Some("application/pdf"), PDF));
        assert_eq!(read.header("x-content-type-options"), Some("nosniff"));
        let jpeg = upload(&app, &token, &id, "other", ("anh.jpg", b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00")).await;
        assert_eq!(jpeg.body["content_type"], "image/jpeg", "{}", jpeg.text);
        let view = app.get_auth(&format!("/api/v1/me/claims/{id}"), &token).await;
        assert_eq!((view.body["documents"].as_array().unwrap().len(), &view.body["missing_documents"]), (2, &json!([])));
        assert_eq!(stored(&app).await, (2, 2, 2));

        // Another citizen finds neither the claim's documents nor a way to add or remove one.
        let (_, other) = citizen(&app).await;
        let theirs = format!("/api/v1/me/claims/{id}/documents/{doc}");
        app.get_auth(&theirs, &other).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        upload(&app, &other, &id, "other", ("a.pdf", PDF)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        let removed = app.client().delete(app.url(&theirs)).bearer_auth(&other).send().await.unwrap();
        assert_eq!(removed.status(), StatusCode::NOT_FOUND);
        // Nor does a document of one claim open under another of the owner's claims.
        let second = maternity_draft(&app, &token).await;
        app.get_auth(&format!("/api/v1/me/claims/{second}/documents/{doc}"), &token).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        assert_eq!(stored(&app).await, (2, 2, 2));

        // The owner removes the photo: row and file go.
        let jpeg_id = jpeg.body["id"].as_str().unwrap();
        let gone = app.client().delete(app.url(&format!("/api/v1/me/claims/{id}/documents/{jpeg_id}"))).bearer_auth(&token).send().await.unwrap();
        assert_eq!(gone.status(), StatusCode::NO_CONTENT);
        assert_eq!(stored(&app).await, (1, 1, 1));

        // Ten papers per claim at most.
        // The same paper sent again (a retry from a flaky phone) is the one already held.
        let again = upload(&app, &token, &id, "birth_certificate", ("giấy chứng sinh (1).pdf", PDF)).await;
        assert_eq!((again.status, again.body["id"].as_str()), (StatusCode::CREATED, Some(doc.as_str())), "{}", again.text);
        assert_eq!(stored(&app).await, (1, 1, 1));
        let page = |n: usize| [PDF, format!("% trang {n}\n").as_bytes()].concat();
        for n in 2..=10 {
            let more = upload(&app, &token, &id, "other", (&format!("trang-{n}.pdf"), &page(n))).await;
            assert_eq!(more.status, StatusCode::CREATED, "{}", more.text);
        }
        let eleventh = upload(&app, &token, &id, "other", ("trang-11.pdf", &page(11))).await;
        assert_eq!(field_codes(&eleventh), pair("file", "too_many_files"));
        assert_eq!(stored(&app).await, (10, 10, 10));

        // Once submitted, the papers are fixed.
        assert_eq!(submit(&app, &token, &id).await.status, StatusCode::OK);
        upload(&app, &token, &id, "other", ("late.pdf", PDF)).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
        let fixed = app.client().delete(app.url(&format!("/api/v1/me/claims/{id}/documents/{doc}"))).bearer_auth(&token).send().await.unwrap();
        assert_eq!(fixed.status(), StatusCode::CONFLICT);
        assert_eq!(stored(&app).await, (10, 10, 10));
        let (files_without_row, rows_without_file) = ansinh::documents::orphans(app.state()).await.unwrap();
        assert!(files_without_row.is_empty() && rows_without_file.is_empty());
    }

    async fn the_scanner_and_the_account_quota_refuse_files_and_keep_nothing(backend) {
        // The scanner says no to everything (it fails closed).
        let app = TestApp::spawn_with(backend, |s| s.upload_scanner = Some("false".into())).await;
        let (_, token) = citizen(&app).await;
        let id = maternity_draft(&app, &token).await;
        let refused = upload(&app, &token, &id, "birth_certificate", ("a.pdf", PDF)).await;
        assert_eq!(field_codes(&refused), pair("file", "file_rejected"), "{}", refused.text);
        assert_eq!(stored(&app).await, (0, 0, 0));

        // Room for two small files per account.
        let quota = i64::try_from(PDF.len() * 2).unwrap();
        let app = TestApp::spawn_with(backend, |s| s.limits.document_bytes_per_account = quota).await;
        let (_, token) = citizen(&app).await;
        let first = maternity_draft(&app, &token).await;
        let second = maternity_draft(&app, &token).await;
        assert_eq!(upload(&app, &token, &first, "birth_certificate", ("a.pdf", PDF)).await.status, StatusCode::CREATED);
        assert_eq!(upload(&app, &token, &second, "birth_certificate", ("b.pdf", PDF)).await.status, StatusCode::CREATED);
        let full = upload(&app, &token, &second, "other", ("c.pdf", PDF)).await;
        assert_eq!(field_codes(&full), pair("file", "quota_exceeded"), "{}", full.text);
        assert_eq!(stored(&app).await, (2, 2, 2));
        // Someone else still has their own room.
        let (_, other) = citizen(&app).await;
        let theirs = maternity_draft(&app, &other).await;
        assert_eq!(upload(&app, &other, &theirs, "birth_certificate", ("d.pdf", PDF)).await.status, StatusCode::CREATED);
    }

    async fn a_claim_started_on_the_pages_with_its_papers(backend) {
        let app = TestApp::spawn(backend).await;
        let (me, token) = citizen(&app).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&me.email, &me.password).await;
        let choose = browser.get("/account/claims/new").await;
        assert!(choose.text.contains("href=\"/account/claims/new/maternity\""), "{}", choose.text);
        assert_eq!(browser.get("/account/claims/new/pension").await.status, StatusCode::NOT_FOUND);
        let form = browser.get("/account/claims/new/maternity").await;
        let key = form_value(&form.text, "form_key").unwrap();
        let csrf = form_value(&form.text, "csrf_token").unwrap();
        // Empty and unreadable answers come back named, with what was typed kept.
        let refused = browser.post_form("/account/claims/new/maternity", &csrf, &[("form_key", &key), ("event", "birth"), ("event_date", "02/11/2026"), ("children", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for anchor in ["#event_date", "#children", "#leave_from"] {
            assert!(refused.text.contains(&format!("href=\"{anchor}\"")), "{anchor}: {}", refused.text);
        }
        assert!(refused.text.contains("value=\"02/11/2026\""), "{}", refused.text);
        let future = browser.post_form("/account/claims/new/maternity", &csrf, &[("form_key", &key), ("event", "birth"), ("event_date", "2099-01-01"), ("children", "1"), ("leave_from", "2099-01-01")]).await;
        assert!(future.text.contains("href=\"#event_date\""), "{}", future.text);
        // A double-posted form starts one draft.
        let answers = [("form_key", key.as_str()), ("event", "birth"), ("event_date", "2026-11-02"), ("children", "1"), ("leave_from", "2026-11-02")];
        let first = browser.post_form("/account/claims/new/maternity", &csrf, &answers).await;
        let second = browser.post_form("/account/claims/new/maternity", &csrf, &answers).await;
        assert_eq!((first.status, second.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER), "{}", first.text);
        let path = location(&first).to_owned();
        assert_eq!(location(&second), path);
        assert_eq!(app.query(|conn| ansinh::db::schema::claims::table.count().get_result::<i64>(conn)).await, 1);

        // Submitting without the birth certificate says what is missing on the page.
        let csrf = browser.csrf_token(&path).await;
        let early = browser.post_form(&format!("{path}/submit"), &csrf, &[]).await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(early.text.contains("href=\"#documents.birth_certificate\"") && early.text.contains("thiếu giấy tờ"), "{}", early.text);
        // A disguised executable is refused with a message and nothing kept.
        let exe = browser.post_file_with(&format!("{path}/documents"), &csrf, &[("kind", "birth_certificate")], ("giay-chung-sinh.pdf", b"MZ\x90\x00\x03\x00")).await;
        assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(exe.text.contains("href=\"#file\""), "{}", exe.text);
        assert_eq!(stored(&app).await, (0, 0, 0));
        let birth = browser.post_file_with(&format!("{path}/documents"), &csrf, &[("kind", "birth_certificate")], ("giấy chứng sinh.pdf", PDF)).await;
        assert_eq!(birth.status, StatusCode::SEE_OTHER, "{}", birth.text);
        let page = browser.get(&path).await;
        assert!(page.text.contains("giấy chứng sinh.pdf") && !page.text.contains("id=\"documents-missing\""), "{}", page.text);
        let doc = page.text.split(&format!("{path}/documents/")).nth(1).unwrap().split('"').next().unwrap().to_owned();
        // Without a bank account the page says the money is collected at the office; with one
        // it names the bank and only the last digits.
        assert!(page.text.contains("chưa khai báo tài khoản ngân hàng") && page.text.contains("href=\"/account/bank-account\""), "{}", page.text);
        let account = json!({ "bank": "970436", "account_number": "0071000123456", "holder_name": me.full_name, "password": me.password });
        assert_eq!(app.put_json_auth("/api/v1/me/bank-account", &token, &account).await.status, StatusCode::OK);
        let page = browser.get(&path).await;
        assert!(page.text.contains("Vietcombank •••• 3456") && !page.text.contains("0071000123456"), "{}", page.text);
        assert_eq!(browser.get(&format!("{path}/documents/{doc}")).await.text.as_bytes(), PDF);
        // The answers can still change; then it is submitted and they cannot.
        let edit = browser.get(&format!("{path}/edit")).await;
        assert!(edit.text.contains("value=\"2026-11-02\""), "{}", edit.text);
        let changed = browser.post_form(&format!("{path}/edit"), &csrf, &[("event", "birth"), ("event_date", "2026-11-02"), ("children", "2"), ("leave_from", "2026-11-02")]).await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.text);
        assert_eq!(browser.post_form(&format!("{path}/submit"), &csrf, &[]).await.status, StatusCode::SEE_OTHER);
        let submitted = browser.get(&path).await;
        assert!(submitted.text.contains("Đã nộp") && !submitted.text.contains(&format!("{path}/edit")), "{}", submitted.text);
        assert_eq!(browser.get(&format!("{path}/edit")).await.status, StatusCode::CONFLICT);

        // Someone else finds neither the claim nor its paper.
        let (other, _) = citizen(&app).await;
        let mut stranger = Browser::new(&app);
        stranger.log_in(&other.email, &other.password).await;
        assert_eq!(stranger.get(&format!("{path}/documents/{doc}")).await.status, StatusCode::NOT_FOUND);
        let csrf = stranger.csrf_token("/account/claims").await;
        let theirs = stranger.post_file_with(&format!("{path}/documents"), &csrf, &[("kind", "other")], ("a.pdf", PDF)).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        assert_eq!(stored(&app).await, (1, 1, 1));
    }

    async fn a_lump_sum_is_submitted_only_once_its_comparison_is_read(backend) {
        let app = TestApp::spawn(backend).await;
        let (me, token) = citizen(&app).await;
        let body = json!({ "kind": "lump_sum", "details": { "route": "out_of_si_twelve_months" } });
        let draft = app.post_json_with("/api/v1/me/claims", &token, &[("Idempotency-Key", "lump-1")], &body).await;
        let id = draft.body["id"].as_str().unwrap().to_owned();
        let mut browser = Browser::new(&app);
        browser.log_in(&me.email, &me.password).await;
        let path = format!("/account/claims/{id}");
        let page = browser.get(&path).await;
        assert!(page.text.contains(&format!("{path}/comparison-read")), "{}", page.text);
        let csrf = browser.csrf_token(&path).await;
        let early = browser.post_form(&format!("{path}/submit"), &csrf, &[]).await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(early.text.contains("href=\"#comparison-confirm\""), "{}", early.text);
        // Nobody else can confirm it for them.
        let (other, _) = citizen(&app).await;
        let mut stranger = Browser::new(&app);
        stranger.log_in(&other.email, &other.password).await;
        let theirs = stranger.csrf_token("/account/claims").await;
        assert_eq!(stranger.post_form(&format!("{path}/comparison-read"), &theirs, &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(browser.post_form(&format!("{path}/comparison-read"), &csrf, &[]).await.status, StatusCode::SEE_OTHER);
        let read = app.get_auth(&format!("/api/v1/me/claims/{id}"), &token).await;
        assert_eq!(read.body["details"]["comparison_read"], true);
        assert_eq!(browser.post_form(&format!("{path}/submit"), &csrf, &[]).await.status, StatusCode::SEE_OTHER);
    }
}
