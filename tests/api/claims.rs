//! Claims over the API: a draft per kind, submitted once however often it is retried, the
//! timeline and messages, withdrawal only before a decision, and nobody else's claim readable.

use ansinh::accounts::model::Role;
use ansinh::db::schema::{audit_events, claims, contribution_months, people};
use awc::http::StatusCode;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::staff::signed_in_staff;
use crate::support::{Browser, Citizen, TestApp, on_both_backends};

async fn citizen(app: &TestApp) -> (Citizen, String) {
    let citizen = Citizen::new();
    app.registered_citizen(&citizen).await;
    let reply = app.api_login(&citizen.email, &citizen.password).await;
    (
        citizen,
        reply.body["access_token"].as_str().unwrap().to_owned(),
    )
}

fn maternity() -> Value {
    json!({ "kind": "maternity", "details": { "event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02" } })
}

async fn start(app: &TestApp, token: &str, key: &str, body: &Value) -> crate::support::Reply {
    app.post_json_with(
        "/api/v1/me/claims",
        token,
        &[("Idempotency-Key", key)],
        body,
    )
    .await
}

/// A small real PDF, as a phone's scanner app makes them.
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Uploads a PDF for each paper the claim still needs.
pub async fn complete(app: &TestApp, token: &str, id: &str) {
    let claim = app
        .get_auth(&format!("/api/v1/me/claims/{id}"), token)
        .await;
    for kind in claim.body["missing_documents"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let kind = kind.as_str().unwrap();
        let stored = app
            .post_file_auth(
                &format!("/api/v1/me/claims/{id}/documents"),
                token,
                &[("kind", kind)],
                (&format!("{kind}.pdf"), PDF),
            )
            .await;
        assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text);
    }
}

/// Submits the claim, with the papers it needs uploaded first.
async fn submit(app: &TestApp, token: &str, id: &str) -> crate::support::Reply {
    complete(app, token, id).await;
    app.post_json_with(
        &format!("/api/v1/me/claims/{id}/submit"),
        token,
        &[("Idempotency-Key", &uuid::Uuid::new_v4().to_string())],
        &json!(null),
    )
    .await
}

on_both_backends! {
    async fn a_claim_from_draft_to_withdrawn_with_its_timeline(backend) {
        let app = TestApp::spawn(backend).await;
        let (me, token) = citizen(&app).await;
        let key = uuid::Uuid::new_v4().to_string();
        let draft = start(&app, &token, &key, &maternity()).await;
        assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.text);
        assert_eq!((&draft.body["kind"], &draft.body["status"], &draft.body["details"]["children"]), (&json!("maternity"), &json!("draft"), &json!(1)));
        let id = draft.body["id"].as_str().unwrap().to_owned();
        // A flaky phone retries: one claim.
        let again = start(&app, &token, &key, &maternity()).await;
        assert_eq!((again.body["id"].as_str(), again.header("idempotent-replayed")), (Some(id.as_str()), Some("true")));
        let count = app.query(|conn| claims::table.count().get_result::<i64>(conn)).await;
        assert_eq!(count, 1);

        let submitted = submit(&app, &token, &id).await;
        assert_eq!((submitted.status, &submitted.body["status"]), (StatusCode::OK, &json!("submitted")), "{}", submitted.text);
        app.mail.wait_for(&me.email, "Đã nhận hồ sơ hưởng chế độ").await;
        submit(&app, &token, &id).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
        let posted = app.post_json_auth(&format!("/api/v1/me/claims/{id}/messages"), &token, &json!({ "body": "Tôi gửi thêm giấy chứng sinh." })).await;
        assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.text);
        assert_eq!(posted.body["messages"][0]["body"], "Tôi gửi thêm giấy chứng sinh.");
        let empty = app.post_json_auth(&format!("/api/v1/me/claims/{id}/messages"), &token, &json!({ "body": "  " })).await;
        assert_eq!(empty.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["body"]);

        // Nobody else reads, submits, withdraws or writes on it.
        let (_, other) = citizen(&app).await;
        let path = format!("/api/v1/me/claims/{id}");
        app.get_auth(&path, &other).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        submit(&app, &other, &id).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        app.post_json_auth(&format!("{path}/withdraw"), &other, &json!(null)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        app.post_json_auth(&format!("{path}/messages"), &other, &json!({ "body": "xin chào" })).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        assert_eq!(app.get_auth("/api/v1/me/claims", &other).await.body, json!([]));

        let withdrawn = app.post_json_auth(&format!("{path}/withdraw"), &token, &json!(null)).await;
        assert_eq!(withdrawn.body["status"], "withdrawn", "{}", withdrawn.text);
        let steps: Vec<&str> = withdrawn.body["timeline"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
        assert_eq!(steps, ["draft", "submitted", "withdrawn"]);
        app.mail.wait_for(&me.email, "rút hồ sơ").await;
    }

    async fn staff_review_ask_decide_and_pay_and_the_citizen_follows(backend) {
        let app = TestApp::spawn(backend).await;
        let (me, token) = citizen(&app).await;
        let draft = start(&app, &token, "k-1", &maternity()).await;
        let id = draft.body["id"].as_str().unwrap().to_owned();
        assert_eq!(submit(&app, &token, &id).await.status, StatusCode::OK);
        let path = format!("/admin/claims/{id}");
        let mut clerk = signed_in_staff(&app, "clerk@ansinh.test", Role::Clerk).await;
        let queue = clerk.get("/admin/claims").await;
        assert!(queue.text.contains(&path), "{}", queue.text);
        assert_eq!(act(&mut clerk, &path, &[("action", "review")]).await.status, StatusCode::SEE_OTHER);
        app.mail.wait_for(&me.email, "đang được xem xét").await;
        assert_eq!(act(&mut clerk, &path, &[("action", "request_info"), ("message", "Xin gửi bản sao giấy chứng sinh.")]).await.status, StatusCode::SEE_OTHER);
        app.mail.wait_for(&me.email, "cần bổ sung").await;
        let seen = app.get_auth(&format!("/api/v1/me/claims/{id}"), &token).await;
        assert_eq!((&seen.body["status"], &seen.body["messages"][0]["from_staff"]), (&json!("info_requested"), &json!(true)));
        assert_eq!(submit(&app, &token, &id).await.body["status"], "submitted");
        // A clerk cannot decide; an approver approves with the amount.
        assert_eq!(act(&mut clerk, &path, &[("action", "approve"), ("amount", "5060000")]).await.status, StatusCode::FORBIDDEN);
        let mut approver = signed_in_staff(&app, "approver@ansinh.test", Role::Approver).await;
        assert_eq!(act(&mut approver, &path, &[("action", "approve"), ("amount", "5.060.000")]).await.status, StatusCode::SEE_OTHER);
        app.mail.wait_for(&me.email, "đã được duyệt").await;
        // Deciding twice finds it decided; withdrawing after the decision is refused.
        assert_eq!(act(&mut approver, &path, &[("action", "reject"), ("reason_code", "not_eligible"), ("reason", "x")]).await.status, StatusCode::CONFLICT);
        let refused = app.post_json_auth(&format!("/api/v1/me/claims/{id}/withdraw"), &token, &json!(null)).await;
        refused.assert_problem(StatusCode::CONFLICT, "wrong_state");
        assert!(refused.body["detail"].as_str().unwrap().contains("Đã duyệt"), "{}", refused.text);
        let today = app.clock.now().date().to_string();
        let tomorrow = (app.clock.now().date() + chrono::Duration::days(1)).to_string();
        let early = act(&mut approver, &path, &[("action", "mark_paid"), ("reference", "CK-2026-0001"), ("paid_on", tomorrow.as_str())]).await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(early.text.contains("href=\"#paid_on\""), "{}", early.text);
        assert_eq!(act(&mut approver, &path, &[("action", "mark_paid"), ("reference", "CK-2026-0001"), ("paid_on", today.as_str())]).await.status, StatusCode::SEE_OTHER);
        app.mail.wait_for(&me.email, "Đã chi trả").await;
        let paid = app.get_auth(&format!("/api/v1/me/claims/{id}"), &token).await;
        assert_eq!((&paid.body["status"], &paid.body["decision"]), (&json!("paid"), &json!({"amount": 5_060_000, "payment_reference": "CK-2026-0001", "paid_on": today})));
        let steps: Vec<&str> = paid.body["timeline"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
        assert_eq!(steps, ["draft", "submitted", "in_review", "info_requested", "submitted", "approved", "paid"]);
        let subject = format!("claim:{id}");
        let audited: i64 = app.query(move |conn| audit_events::table.filter(audit_events::subject.eq(subject)).count().get_result(conn)).await;
        assert_eq!(audited, 4);
    }

    async fn each_kind_has_its_own_checked_form(backend) {
        let app = TestApp::spawn(backend).await;
        let (_, token) = citizen(&app).await;
        let bad = start(&app, &token, "k-2", &json!({ "kind": "sickness", "details": { "reason": "child_illness", "first_day": "2026-11-10", "last_day": "2026-11-05" } })).await;
        assert_eq!(bad.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["details.last_day", "details.child_birth_date"]);
        let unknown = start(&app, &token, "k-3", &json!({ "kind": "pension", "details": {} })).await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.text);
        // A lump sum needs the comparison with staying in the system read before submitting.
        let lump = start(&app, &token, "k-4", &json!({ "kind": "lump_sum", "details": { "route": "emigration" } })).await;
        assert_eq!(lump.status, StatusCode::CREATED, "{}", lump.text);
        let id = lump.body["id"].as_str().unwrap();
        let unread = submit(&app, &token, id).await;
        assert_eq!(unread.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["details.comparison_read"]);
        for (key, body) in [
            ("k-5", json!({ "kind": "unemployment", "details": { "termination_date": "2026-10-31", "last_employer": "TA1234A" } })),
            ("k-6", json!({ "kind": "funeral", "details": { "deceased_personal_id": "001060000123", "deceased_name": "Nguyễn Văn Ba", "date_of_death": "2026-11-01", "relationship": "con" } })),
            ("k-7", json!({ "kind": "hi_reimbursement", "details": { "facility_name": "Bệnh viện Đa khoa tỉnh", "treatment_from": "2026-10-01", "treatment_to": "2026-10-03", "amount_paid": 2_400_000 } })),
            ("k-8", json!({ "kind": "sickness", "details": { "reason": "own_illness", "first_day": "2026-11-02", "last_day": "2026-11-06" } })),
        ] {
            let reply = start(&app, &token, key, &body).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
            assert_eq!(reply.body["details"], body["details"]);
        }
        assert_eq!(app.get_auth("/api/v1/me/claims", &token).await.body.as_array().unwrap().len(), 5);
    }

    async fn maternity_is_checked_against_the_book_and_gets_a_decision_date(backend) {
        // Sunday 15 Nov 2026.
        let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let app = TestApp::spawn_at(backend, start).await;
        let (me, token) = citizen(&app).await;
        // Seven paid voluntary months, Apr–Oct 2026, in the mother's book.
        let (personal_id, now) = (me.personal_id.clone(), app.clock.now());
        app.write(move |conn| {
            diesel::insert_into(people::table).values((people::id.eq("mother"), people::si_code.eq("7900000077"), people::personal_id.eq(personal_id), people::full_name.eq("Nguyễn Văn An"), people::birth_date.eq(chrono::NaiveDate::from_ymd_opt(1990, 5, 17).unwrap()), people::sex.eq("female"), people::created_at.eq(now))).execute(conn)?;
            for m in 4..=10 {
                let month = chrono::NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
                diesel::insert_into(contribution_months::table).values((
                    contribution_months::id.eq(format!("m-{m}")), contribution_months::person_id.eq("mother"), contribution_months::scheme.eq("voluntary"),
                    contribution_months::month.eq(month), contribution_months::salary_basis.eq(3_000_000), contribution_months::pension_employee.eq(594_000),
                    contribution_months::pension_employer.eq(0), contribution_months::sickness_employer.eq(0), contribution_months::accident_employer.eq(0),
                    contribution_months::unemployment_employee.eq(0), contribution_months::unemployment_employer.eq(0), contribution_months::health_employee.eq(0),
                    contribution_months::health_employer.eq(0), contribution_months::state_support.eq(66_000), contribution_months::due_date.eq(month),
                    contribution_months::paid_on.eq(Some(month)),
                )).execute(conn)?;
            }
            Ok(())
        }).await;
        let draft = start_claim(&app, &token, &maternity()).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], true, "{}", draft.text);
        let line = assessment["eligibility"]["explanation"]["lines"][0]["formula"].as_str().unwrap();
        assert!(line.starts_with("7 of the last 12 months paid") && line.ends_with("6 needed"), "{line}");
        // Born 2 Nov 2026: 2 × 2,530,000.
        assert_eq!(assessment["estimate"]["amount"], 5_060_000);
        let id = draft.body["id"].as_str().unwrap();
        let submitted = submit(&app, &token, id).await;
        // Seven working days from Monday 16 Nov, skipping 24 Nov (in the holiday table, M).
        assert_eq!(submitted.body["expected_decision"], "2026-11-25", "{}", submitted.text);
        // Without the months, the same claim is not eligible and has no estimate.
        let (_, stranger) = citizen(&app).await;
        let theirs = start_claim(&app, &stranger, &maternity()).await;
        assert_eq!(theirs.body["assessment"]["eligibility"]["eligible"], false);
        assert!(theirs.body["assessment"].get("estimate").is_none(), "{}", theirs.text);
    }


    async fn the_citizen_follows_a_claim_on_its_pages(backend) {
        let app = TestApp::spawn(backend).await;
        let (me, token) = citizen(&app).await;
        let draft = start(&app, &token, "k-9", &maternity()).await;
        let id = draft.body["id"].as_str().unwrap().to_owned();
        let mut browser = Browser::new(&app);
        browser.log_in(&me.email, &me.password).await;
        let list = browser.get("/account/claims").await;
        assert!(list.text.contains(&format!("/account/claims/{id}")), "{}", list.text);
        let path = format!("/account/claims/{id}");
        complete(&app, &token, &id).await;
        let csrf = browser.csrf_token(&path).await;
        assert_eq!(browser.post_form(&format!("{path}/submit"), &csrf, &[]).await.status, StatusCode::SEE_OTHER);
        let sent = browser.post_form(&format!("{path}/messages"), &csrf, &[("body", "Tôi cần hỏi thêm.")]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let page = browser.get(&path).await;
        assert!(page.text.contains("Tôi cần hỏi thêm.") && page.text.contains("Đã nộp"), "{}", page.text);
        // Someone else's claim page is not found.
        let (other, _) = citizen(&app).await;
        let mut stranger = Browser::new(&app);
        stranger.log_in(&other.email, &other.password).await;
        assert_eq!(stranger.get(&path).await.status, StatusCode::NOT_FOUND);
        let csrf = stranger.csrf_token("/account/claims").await;
        assert_eq!(stranger.post_form(&format!("{path}/withdraw"), &csrf, &[]).await.status, StatusCode::NOT_FOUND);
    }
}

/// A staff action on the claim's page, as the page's form posts it.
async fn act(
    browser: &mut Browser<'_>,
    path: &str,
    fields: &[(&str, &str)],
) -> crate::support::Reply {
    let csrf = browser.csrf_token(path).await;
    browser.post_form(path, &csrf, fields).await
}

async fn start_claim(app: &TestApp, token: &str, body: &Value) -> crate::support::Reply {
    start(app, token, &uuid::Uuid::new_v4().to_string(), body).await
}
