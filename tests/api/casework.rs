//! The staff area's casework: the queue with deadlines and assignment, four-eyes decisions
//! that cannot be bypassed, optimistic concurrency (one of two concurrent decisions wins, the
//! other gets 412), decisions that keep their inputs, one-click appeals, audited staff reads
//! and the approvers' digest.

use ansinh::accounts::model::Role;
use ansinh::db::schema::{audit_events, claims};
use awc::http::StatusCode;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::claims::{act, citizen, insured, span, start_claim, submit, sunday_15_november};
use crate::staff::{signed_in_staff, staff_with_token};
use crate::support::{TestApp, on_both_backends};

fn unemployment() -> Value {
    json!({ "kind": "unemployment", "details": { "termination_date": "2026-10-31", "last_employer": "TU0001A" } })
}

/// A staff API call with `If-Match`.
async fn call(
    app: &TestApp,
    path: &str,
    token: &str,
    version: &str,
    body: &Value,
) -> crate::support::Reply {
    app.post_json_with(path, token, &[("If-Match", version)], body)
        .await
}

async fn etag(app: &TestApp, id: &str, token: &str) -> String {
    let read = app
        .get_auth(&format!("/api/v1/staff/claims/{id}"), token)
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    read.header("etag").unwrap().to_owned()
}

on_both_backends! {
    async fn four_eyes_cannot_be_bypassed(backend) {
        let app = TestApp::spawn_at(backend, sunday_15_november()).await;
        // Example 3: 84 months of UI at 10,000,000 → 42,000,000 over 7 months.
        let worker = insured(&app, "worker-84", span("2019-11", "2026-10", Some("TU0001A"), 10_000_000)).await;
        let id = start_claim(&app, &worker, &unemployment()).await.body["id"].as_str().unwrap().to_owned();
        assert_eq!(submit(&app, &worker, &id).await.status, StatusCode::OK);
        let (_, clerk) = staff_with_token(&app, "clerk@ansinh.test", Role::Clerk).await;
        let (_, first) = staff_with_token(&app, "first@ansinh.test", Role::Approver).await;
        let (_, second) = staff_with_token(&app, "second@ansinh.test", Role::Approver).await;
        let base = format!("/api/v1/staff/claims/{id}");

        // No proposal: unemployment benefit cannot be approved by one person at all.
        let v = etag(&app, &id, &first).await;
        let alone = call(&app, &format!("{base}/approval"), &first, &v, &json!({ "amount": 42_000_000 })).await;
        assert_eq!(alone.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["amount"]);
        assert_eq!(alone.body["errors"][0]["code"], "four_eyes");
        // A clerk proposes the computed amount (no reason needed) but cannot approve.
        let proposed = call(&app, &format!("{base}/proposal"), &clerk, &v, &json!({ "amount": 42_000_000 })).await;
        assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.text);
        let v = proposed.header("etag").unwrap().to_owned();
        call(&app, &format!("{base}/approval"), &clerk, &v, &json!({})).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        // Another amount needs a reason.
        let odd = call(&app, &format!("{base}/proposal"), &first, &v, &json!({ "amount": 40_000_000 })).await;
        assert_eq!(odd.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["amount_reason"]);
        // The first approver re-proposes with a reason, and so cannot approve it themselves.
        let mine = call(&app, &format!("{base}/proposal"), &first, &v, &json!({ "amount": 40_000_000, "reason": "Trừ 2 tháng đã hưởng trước" })).await;
        let v = mine.header("etag").unwrap().to_owned();
        let own = call(&app, &format!("{base}/approval"), &first, &v, &json!({})).await;
        assert_eq!(own.body["errors"][0]["code"], "four_eyes", "{}", own.text);
        // The second approver cannot slip in another amount either.
        let changed = call(&app, &format!("{base}/approval"), &second, &v, &json!({ "amount": 42_000_000 })).await;
        assert_eq!(changed.body["errors"][0]["code"], "proposal_changed", "{}", changed.text);
        let approved = call(&app, &format!("{base}/approval"), &second, &v, &json!({})).await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);
        // After approval nothing edits the amount: a new proposal or approval finds it decided.
        let v = approved.header("etag").unwrap().to_owned();
        call(&app, &format!("{base}/proposal"), &first, &v, &json!({ "amount": 50_000_000, "reason": "x" })).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
        call(&app, &format!("{base}/approval"), &second, &v, &json!({ "amount": 50_000_000 })).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
        let id_ = id.clone();
        let (amount, by): (Option<i64>, Option<String>) = app.query(move |conn| claims::table.find(id_).select((claims::decided_amount, claims::decided_by)).first(conn)).await;
        assert_eq!(amount, Some(40_000_000));
        let second_id = app.query(|conn| ansinh::db::schema::accounts::table.filter(ansinh::db::schema::accounts::email.eq("second@ansinh.test")).select(ansinh::db::schema::accounts::id).first::<String>(conn)).await;
        assert_eq!(by, Some(second_id));

        // Any claim above the configured amount needs two people too.
        let app = TestApp::spawn_with(backend, |s| s.limits.casework.four_eyes_above = 1_000_000).await;
        let (_, token) = citizen(&app).await;
        let id = start_claim(&app, &token, &crate::claims::maternity()).await.body["id"].as_str().unwrap().to_owned();
        submit(&app, &token, &id).await;
        let (_, approver) = staff_with_token(&app, "approver@ansinh.test", Role::Approver).await;
        let v = etag(&app, &id, &approver).await;
        let over = call(&app, &format!("/api/v1/staff/claims/{id}/approval"), &approver, &v, &json!({ "amount": 1_000_001, "reason": "Theo giấy tờ" })).await;
        assert_eq!(over.body["errors"][0]["code"], "four_eyes", "{}", over.text);
        let under = call(&app, &format!("/api/v1/staff/claims/{id}/approval"), &approver, &v, &json!({ "amount": 1_000_000, "reason": "Theo giấy tờ" })).await;
        assert_eq!(under.status, StatusCode::OK, "{}", under.text);
    }

    async fn of_two_concurrent_decisions_exactly_one_wins(backend) {
        let app = TestApp::spawn(backend).await;
        let (_, token) = citizen(&app).await;
        let id = start_claim(&app, &token, &crate::claims::maternity()).await.body["id"].as_str().unwrap().to_owned();
        submit(&app, &token, &id).await;
        let (_, a) = staff_with_token(&app, "a@ansinh.test", Role::Approver).await;
        let (_, b) = staff_with_token(&app, "b@ansinh.test", Role::Approver).await;
        let base = format!("/api/v1/staff/claims/{id}");
        let v = etag(&app, &id, &a).await;
        // Without If-Match nothing changes.
        app.post_json_auth(&format!("{base}/review"), &a, &json!(null)).await.assert_problem(StatusCode::PRECONDITION_REQUIRED, "precondition_required");
        let approve_path = format!("{base}/approval");
        let reject_path = format!("{base}/rejection");
        let approve_body = json!({ "amount": 5_060_000, "reason": "Theo giấy chứng sinh" });
        let reject_body = json!({ "reason_code": "not_eligible", "reason": "Chưa đủ 6 tháng" });
        let (one, two) = tokio::join!(
            call(&app, &approve_path, &a, &v, &approve_body),
            call(&app, &reject_path, &b, &v, &reject_body),
        );
        let mut statuses = [one.status, two.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED], "{} / {}", one.text, two.text);
        let loser = if one.status == StatusCode::OK { &two } else { &one };
        loser.assert_problem(StatusCode::PRECONDITION_FAILED, "stale");
        // Exactly one decision is recorded.
        let id_ = id.clone();
        let decisions: i64 = app.query(move |conn| audit_events::table.filter(audit_events::subject.eq(format!("claim:{id_}"))).filter(audit_events::action.eq_any(["claim.approve", "claim.reject"])).count().get_result(conn)).await;
        assert_eq!(decisions, 1);

        // On the pages, a stale form says someone changed it and changes nothing.
        let id = start_claim(&app, &token, &crate::claims::maternity()).await.body["id"].as_str().unwrap().to_owned();
        submit(&app, &token, &id).await;
        let path = format!("/admin/claims/{id}");
        let mut clerk = signed_in_staff(&app, "clerk@ansinh.test", Role::Clerk).await;
        let page = clerk.get(&path).await;
        let csrf = crate::support::form_value(&page.text, "csrf_token").unwrap();
        let version = crate::support::form_value(&page.text, "version").unwrap();
        let v = etag(&app, &id, &a).await;
        assert_eq!(call(&app, &format!("/api/v1/staff/claims/{id}/review"), &a, &v, &json!(null)).await.status, StatusCode::OK);
        let stale = clerk.post_form(&path, &csrf, &[("action", "request_info"), ("message", "Xin gửi thêm giấy tờ"), ("version", &version)]).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.text);
        assert!(stale.text.contains("người khác thay đổi"), "{}", stale.text);
        let seen = app.get_auth(&format!("/api/v1/me/claims/{id}"), &token).await;
        assert_eq!((&seen.body["status"], seen.body["messages"].as_array().unwrap().len()), (&json!("in_review"), 0));
    }

    async fn the_queue_puts_the_nearest_deadline_first_and_work_is_taken_and_released(backend) {
        let app = TestApp::spawn_at(backend, sunday_15_november()).await;
        let (_, token) = citizen(&app).await;
        // Sickness is decided within 5 working days, unemployment within 20.
        let long = start_claim(&app, &token, &unemployment()).await.body["id"].as_str().unwrap().to_owned();
        submit(&app, &token, &long).await;
        let short = start_claim(&app, &token, &json!({ "kind": "sickness", "details": { "reason": "own_illness", "first_day": "2026-11-09", "last_day": "2026-11-13" } })).await;
        assert_eq!(short.status, StatusCode::CREATED, "{}", short.text);
        let short = short.body["id"].as_str().unwrap().to_owned();
        submit(&app, &token, &short).await;
        let (_, clerk) = staff_with_token(&app, "clerk@ansinh.test", Role::Clerk).await;
        let queue = app.get_auth("/api/v1/staff/queue?type=claim", &clerk).await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.text);
        let ids: Vec<&str> = queue.body.as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [short.as_str(), long.as_str()]);
        assert_eq!(queue.body[0]["urgency"], "on_time");
        // Other types filter it out; a bad type is a 422 naming the filter.
        assert_eq!(app.get_auth("/api/v1/staff/queue?type=enrolment", &clerk).await.body, json!([]));
        assert_eq!(app.get_auth("/api/v1/staff/queue?type=pension", &clerk).await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["type"]);

        // Take one: it is mine; release it: nobody's.
        let take = app.post_json_auth(&format!("/api/v1/staff/queue/claim/{short}/take"), &clerk, &json!(null)).await;
        assert_eq!(take.status, StatusCode::NO_CONTENT, "{}", take.text);
        let mine = app.get_auth("/api/v1/staff/queue?assignee=me", &clerk).await;
        assert_eq!(mine.body.as_array().unwrap().len(), 1);
        assert_eq!(mine.body[0]["id"], short.as_str());
        let unassigned = app.get_auth("/api/v1/staff/queue?assignee=none", &clerk).await;
        assert_eq!(unassigned.body[0]["id"], long.as_str());
        app.post_json_auth(&format!("/api/v1/staff/queue/claim/{short}/release"), &clerk, &json!(null)).await;
        assert_eq!(app.get_auth("/api/v1/staff/queue?assignee=me", &clerk).await.body, json!([]));
        app.post_json_auth("/api/v1/staff/queue/claim/no-such-claim/take", &clerk, &json!(null)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        // Only staff who review can be assigned work.
        let (_, editor) = staff_with_token(&app, "editor@ansinh.test", Role::ContentEditor).await;
        app.get_auth("/api/v1/staff/queue", &editor).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        let editor_id = app.query(|conn| ansinh::db::schema::accounts::table.filter(ansinh::db::schema::accounts::email.eq("editor@ansinh.test")).select(ansinh::db::schema::accounts::id).first::<String>(conn)).await;
        let refused = app.post_json_auth(&format!("/api/v1/staff/queue/claim/{short}/assign"), &clerk, &json!({ "assignee_id": editor_id })).await;
        assert_eq!(refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["assignee_id"]);

        // Past the deadline the item is breached, and the page says so in words.
        app.clock.advance(chrono::Duration::days(20));
        let (_, clerk) = staff_with_token(&app, "clerk3@ansinh.test", Role::Clerk).await;
        let late = app.get_auth("/api/v1/staff/queue?type=claim&due_within_days=0", &clerk).await;
        assert_eq!(late.body.as_array().unwrap().len(), 1, "{}", late.text);
        assert_eq!(late.body[0]["id"], short.as_str(), "{}", late.text);
        assert_eq!(late.body[0]["urgency"], "breached");
        assert!(late.body[0]["days_left"].as_i64().unwrap() < 0);
        let mut page = signed_in_staff(&app, "clerk2@ansinh.test", Role::Clerk).await;
        let html = page.get("/admin/queue?type=claim").await;
        assert!(html.text.contains("class=\"breach\"") && html.text.contains("Quá hạn"), "{}", html.text);
    }

    async fn a_decision_keeps_its_inputs_and_the_citizen_appeals_it_in_one_click(backend) {
        let app = TestApp::spawn_at(backend, sunday_15_november()).await;
        let worker = insured(&app, "worker-84", span("2019-11", "2026-10", Some("TU0001A"), 10_000_000)).await;
        let id = start_claim(&app, &worker, &unemployment()).await.body["id"].as_str().unwrap().to_owned();
        submit(&app, &worker, &id).await;
        let path = format!("/admin/claims/{id}");
        let mut clerk = signed_in_staff(&app, "clerk@ansinh.test", Role::Clerk).await;
        // The review page shows the book beside the claim, and the read is audited.
        let page = clerk.get(&path).await;
        assert!(page.text.contains("Sổ BHXH của người nộp") && page.text.contains("84"), "{}", page.text);
        let reads: i64 = app.query(|conn| audit_events::table.filter(audit_events::action.eq("record.read")).count().get_result(conn)).await;
        assert_eq!(reads, 1);
        // The citizen sees that read in their access log: when, the reader's role, what.
        let log = app.get_auth("/api/v1/me/access-log", &worker).await;
        let staff_reads = log.body["staff_reads"].as_array().unwrap();
        assert_eq!(staff_reads.len(), 1, "{}", log.text);
        assert_eq!((&staff_reads[0]["staff_role"], &staff_reads[0]["what"]), (&json!("clerk"), &json!("claim")));
        assert_eq!(act(&mut clerk, &path, &[("action", "propose"), ("amount", "42.000.000")]).await.status, StatusCode::SEE_OTHER);
        let mut approver = signed_in_staff(&app, "approver@ansinh.test", Role::Approver).await;
        assert_eq!(act(&mut approver, &path, &[("action", "approve")]).await.status, StatusCode::SEE_OTHER);

        // The citizen sees the decision with what it used: months, salary, dated parameters, law.
        let seen = app.get_auth(&format!("/api/v1/me/claims/{id}"), &worker).await;
        let inputs = &seen.body["decision"]["inputs"];
        assert_eq!((&seen.body["decision"]["amount"], &inputs["computed_amount"], &inputs["eligible"]), (&json!(42_000_000), &json!(42_000_000), &json!(true)), "{}", seen.text);
        let labels: Vec<&str> = inputs["explanation"]["lines"].as_array().unwrap().iter().map(|l| l["label"].as_str().unwrap()).collect();
        assert!(labels.contains(&"claims.unemployment.line.months_paid") && labels.contains(&"claims.unemployment.line.monthly"), "{labels:?}");
        assert!(inputs["explanation"]["parameters"].as_array().unwrap().iter().any(|p| p["effective_from"].is_string()), "{inputs}");
        assert!(!inputs["explanation"]["law"].as_array().unwrap().is_empty());

        // One click appeals: a linked submission, made once.
        let appeal = app.post_json_auth(&format!("/api/v1/me/claims/{id}/appeal"), &worker, &json!({ "message": "Tôi còn 2 tháng chưa được tính." })).await;
        assert_eq!(appeal.status, StatusCode::CREATED, "{}", appeal.text);
        assert_eq!((&appeal.body["appeal_of"], &appeal.body["status"], &appeal.body["kind"]), (&json!(id), &json!("submitted"), &json!("unemployment")));
        let again = app.post_json_auth(&format!("/api/v1/me/claims/{id}/appeal"), &worker, &json!({})).await;
        assert_eq!((again.status, &again.body["id"]), (StatusCode::OK, &appeal.body["id"]));
        let original = app.get_auth(&format!("/api/v1/me/claims/{id}"), &worker).await;
        assert_eq!(original.body["appeals"], json!([appeal.body["id"]]));
        // Nobody else appeals it.
        let (_, other) = citizen(&app).await;
        app.post_json_auth(&format!("/api/v1/me/claims/{id}/appeal"), &other, &json!({})).await.assert_problem(StatusCode::NOT_FOUND, "not_found");

        // A rejection's reason code is explained in plain words, and the page offers the appeal.
        let (me, token) = citizen(&app).await;
        let id = start_claim(&app, &token, &crate::claims::maternity()).await.body["id"].as_str().unwrap().to_owned();
        app.post_json_auth(&format!("/api/v1/me/claims/{id}/appeal"), &token, &json!({})).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
        submit(&app, &token, &id).await;
        let path = format!("/admin/claims/{id}");
        assert_eq!(act(&mut approver, &path, &[("action", "reject"), ("reason_code", "not_eligible"), ("reason", "Chưa đủ 6 tháng đóng trong 12 tháng.")]).await.status, StatusCode::SEE_OTHER);
        let mut browser = crate::support::Browser::new(&app);
        browser.log_in(&me.email, &me.password).await;
        let page = browser.get(&format!("/account/claims/{id}")).await;
        assert!(page.text.contains("Chưa đủ điều kiện hưởng") && page.text.contains("Gửi khiếu nại"), "{}", page.text);
        let csrf = crate::support::form_value(&page.text, "csrf_token").unwrap();
        let made = browser.post_form(&format!("/account/claims/{id}/appeal"), &csrf, &[("message", "")]).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
        let list = app.get_auth("/api/v1/me/claims", &token).await;
        assert!(list.body.as_array().unwrap().iter().any(|c| c["appeal_of"] == id.as_str()), "{}", list.text);
        // The time limit is the configured one.
        let (late, late_token) = citizen(&app).await;
        let id = start_claim(&app, &late_token, &crate::claims::maternity()).await.body["id"].as_str().unwrap().to_owned();
        submit(&app, &late_token, &id).await;
        act(&mut approver, &format!("/admin/claims/{id}"), &[("action", "reject"), ("reason_code", "out_of_time"), ("reason", "Nộp quá hạn.")]).await;
        app.clock.advance(chrono::Duration::days(91));
        let late_token = app.api_login(&late.email, &late.password).await.body["access_token"].as_str().unwrap().to_owned();
        let late = app.post_json_auth(&format!("/api/v1/me/claims/{id}/appeal"), &late_token, &json!({})).await;
        assert_eq!(late.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["appeal"]);
    }

    async fn approvers_get_one_digest_a_day(backend) {
        // 8:00 in Vietnam on Monday 16 Nov 2026.
        let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap().and_hms_opt(1, 0, 0).unwrap();
        let app = TestApp::spawn_at(backend, start).await;
        let (_, token) = citizen(&app).await;
        let id = start_claim(&app, &token, &crate::claims::maternity()).await.body["id"].as_str().unwrap().to_owned();
        submit(&app, &token, &id).await;
        signed_in_staff(&app, "approver@ansinh.test", Role::Approver).await;
        signed_in_staff(&app, "clerk@ansinh.test", Role::Clerk).await;
        let (limits, url, now) = (app.state().settings.limits.casework.clone(), app.state().settings.public_url.clone(), app.clock.now());
        let (l2, u2) = (limits.clone(), url.clone());
        let sent = app.write(move |conn| Ok(ansinh::casework::digest::send_due(conn, &limits, &url, now)?)).await;
        assert_eq!(sent, 1);
        let digest = app.mail.wait_for("approver@ansinh.test", "Tóm tắt công việc").await;
        assert!(digest.text().contains("1 hồ sơ") || digest.text().contains("có 1"), "{}", digest.text());
        // Once a day.
        let again = app.write(move |conn| Ok(ansinh::casework::digest::send_due(conn, &l2, &u2, now)?)).await;
        assert_eq!(again, 0);
    }

    async fn registrations_and_questions_are_read_and_decided_over_the_staff_api(backend) {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let app = TestApp::spawn_at(backend, start).await;
        let (me, token) = citizen(&app).await;
        let body = json!({ "kind": "voluntary_si", "monthly_income": 3_000_000, "support_group": "other", "payment_mode": "yearly", "start_month": "2026-12" });
        let draft = app.post_json_with("/api/v1/me/enrolments", &token, &[("Idempotency-Key", "reg-1")], &body).await;
        assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.text);
        let id = draft.body["id"].as_str().unwrap().to_owned();
        let submitted = app.post_json_with(&format!("/api/v1/me/enrolments/{id}/submit"), &token, &[("Idempotency-Key", "reg-2")], &json!(null)).await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.text);
        let (_, clerk) = staff_with_token(&app, "clerk@ansinh.test", Role::Clerk).await;
        let (_, approver) = staff_with_token(&app, "approver@ansinh.test", Role::Approver).await;

        // Read beside the applicant, with its version; the read is in the citizen's log.
        let path = format!("/api/v1/staff/enrolments/{id}");
        let read = app.get_auth(&path, &clerk).await;
        assert_eq!((read.status, &read.body["applicant_name"], &read.body["enrolment"]["status"]), (StatusCode::OK, &json!(me.full_name), &json!("submitted")), "{}", read.text);
        let v = read.header("etag").unwrap().to_owned();
        let log = app.get_auth("/api/v1/me/access-log", &token).await;
        assert_eq!(log.body["staff_reads"][0]["what"], "enrolment", "{}", log.text);
        app.get_auth(&format!("/api/v1/staff/enrolments/{}", uuid::Uuid::now_v7()), &clerk).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        app.get_auth(&path, &token).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");

        // Deciding: approvers only, a known decision, a reason to reject, the version read.
        let decide = format!("{path}/decision");
        let reject = json!({ "decision": "reject", "reason": "Bạn đang tham gia BHXH bắt buộc." });
        call(&app, &decide, &clerk, &v, &reject).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        assert_eq!(call(&app, &decide, &approver, &v, &json!({ "decision": "maybe" })).await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["decision"]);
        assert_eq!(call(&app, &decide, &approver, &v, &json!({ "decision": "reject" })).await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["reason"]);
        call(&app, &decide, &approver, "\"v999\"", &reject).await.assert_problem(StatusCode::PRECONDITION_FAILED, "stale");
        let decided = call(&app, &decide, &approver, &v, &reject).await;
        assert_eq!((decided.status, &decided.body["status"]), (StatusCode::OK, &json!("rejected")), "{}", decided.text);
        call(&app, &decide, &approver, &v, &reject).await.assert_problem(StatusCode::PRECONDITION_FAILED, "stale");
        let now = decided.header("etag").unwrap().to_owned();
        call(&app, &decide, &approver, &now, &json!({ "decision": "approve" })).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
        let seen = app.get_auth(&format!("/api/v1/me/enrolments/{id}"), &token).await;
        assert_eq!(seen.body["status"], "rejected");

        // A signed-in citizen's question: read, answered once, never empty.
        let mut browser = crate::support::Browser::new(&app);
        browser.log_in(&me.email, &me.password).await;
        let csrf = browser.csrf_token("/questions/new").await;
        let asked = browser.post_form("/questions/new", &csrf, &[("topic", "pension"), ("body", "Bao nhiêu tuổi thì được nhận lương hưu?")]).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.text);
        let mine = browser.get("/account/questions").await;
        let marker = "scope=\"row\"><a href=\"/questions/";
        let at = mine.text.find(marker).unwrap() + marker.len();
        let qid: String = mine.text[at..].chars().take_while(|c| c.is_ascii_hexdigit() || *c == '-').collect();
        let qpath = format!("/api/v1/staff/questions/{qid}");
        let question = app.get_auth(&qpath, &clerk).await;
        assert_eq!((question.status, &question.body["status"], &question.body["topic"]), (StatusCode::OK, &json!("open"), &json!("pension")), "{}", question.text);
        assert!(question.body.get("email").is_none(), "{}", question.text);
        let answer = format!("{qpath}/answer");
        assert_eq!(app.post_json_auth(&answer, &clerk, &json!({ "answer": "  " })).await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["answer"]);
        assert_eq!(app.post_json_auth(&answer, &clerk, &json!({ "answer": "Nam: 60 tuổi 9 tháng (2026)." })).await.status, StatusCode::NO_CONTENT);
        app.post_json_auth(&answer, &approver, &json!({ "answer": "Lần hai" })).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
        app.get_auth(&format!("/api/v1/staff/questions/{}", uuid::Uuid::now_v7()), &clerk).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        // The asker is emailed a link to the answer.
        app.mail.wait_for(&me.email, "Câu hỏi của bạn đã có câu trả lời").await;
    }
}
