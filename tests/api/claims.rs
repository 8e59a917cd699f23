//! Claims over the API: a draft per kind, submitted once however often it is retried, the
//! timeline and messages, withdrawal only before a decision, and nobody else's claim readable.

use ansinh::accounts::model::Role;
use ansinh::db::schema::{
    audit_events, claims, contribution_months, employers, health_cards, people,
};
use ansinh::insurance_book::model::Month;
use awc::http::StatusCode;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::staff::signed_in_staff;
use crate::support::{Browser, Citizen, TestApp, on_both_backends};

pub async fn citizen(app: &TestApp) -> (Citizen, String) {
    let citizen = Citizen::new();
    app.registered_citizen(&citizen).await;
    let reply = app.api_login(&citizen.email, &citizen.password).await;
    (
        citizen,
        reply.body["access_token"].as_str().unwrap().to_owned(),
    )
}

pub fn maternity() -> Value {
    json!({ "kind": "maternity", "details": { "event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02" } })
}

pub async fn start(app: &TestApp, token: &str, key: &str, body: &Value) -> crate::support::Reply {
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
pub async fn submit(app: &TestApp, token: &str, id: &str) -> crate::support::Reply {
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
    async fn a_draft_changes_over_the_api_until_it_is_submitted(backend) {
        let app = TestApp::spawn(backend).await;
        let (_, token) = citizen(&app).await;
        let draft = start(&app, &token, "k-put", &maternity()).await;
        let id = draft.body["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/me/claims/{id}");
        let twins = json!({ "kind": "maternity", "details": { "event": "birth", "event_date": "2026-11-02", "children": 2, "leave_from": "2026-11-02" } });
        let changed = app.put_json_auth(&path, &token, &twins).await;
        assert_eq!((changed.status, &changed.body["details"]["children"]), (StatusCode::OK, &json!(2)), "{}", changed.text);
        // Bad input changes nothing: a field at fault, another kind, a missing part.
        let future = json!({ "kind": "maternity", "details": { "event": "birth", "event_date": "2099-01-01", "children": 1, "leave_from": "2099-01-01" } });
        assert_eq!(app.put_json_auth(&path, &token, &future).await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["details.event_date"]);
        let other_kind = json!({ "kind": "lump_sum", "details": { "route": "emigration" } });
        assert_eq!(app.put_json_auth(&path, &token, &other_kind).await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["kind"]);
        let missing = app.put_json_auth(&path, &token, &json!({ "kind": "maternity" })).await;
        assert_eq!(missing.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["details"]);
        assert_eq!(app.get_auth(&path, &token).await.body["details"]["children"], 2);
        // Another citizen: not found, and the claim is unchanged.
        let (_, other) = citizen(&app).await;
        app.put_json_auth(&path, &other, &maternity()).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        assert_eq!(app.get_auth(&path, &token).await.body["details"]["children"], 2);
        // Submitted, it no longer changes.
        assert_eq!(submit(&app, &token, &id).await.status, StatusCode::OK);
        app.put_json_auth(&path, &token, &maternity()).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
    }

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
        let queue = clerk.get("/admin/queue?type=claim").await;
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
        assert_eq!(act(&mut approver, &path, &[("action", "approve"), ("amount", "5.060.000"), ("amount_reason", "Theo giấy chứng sinh")]).await.status, StatusCode::SEE_OTHER);
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
        let decision = &paid.body["decision"];
        assert_eq!((&paid.body["status"], &decision["amount"], &decision["payment_reference"], &decision["paid_on"]), (&json!("paid"), &json!(5_060_000), &json!("CK-2026-0001"), &json!(today)), "{}", paid.text);
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
            ("k-7", json!({ "kind": "hi_reimbursement", "details": { "facility_name": "Bệnh viện Đa khoa tỉnh", "treatment_from": "2026-10-01", "treatment_to": "2026-10-03", "amount_paid": 2_400_000, "case": "non_contracted_facility", "facility_level": "provincial", "care": "inpatient" } })),
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
        assert_eq!(assessment["as_of"], "2026-11-15");
        // Voluntary SI: the voluntary allowance, 2,000,000 a child, and no monthly allowance.
        assert_eq!(assessment["estimate"]["amount"], 2_000_000);
        assert_eq!(assessment["estimate"]["explanation"]["lines"][0]["label"], "claims.maternity.line.voluntary");
        assert!(assessment.get("monthly_allowance").is_none(), "{}", draft.text);
        let id = draft.body["id"].as_str().unwrap();
        let submitted = submit(&app, &token, id).await;
        // Filed by the worker under voluntary SI: five working days from Monday 16 Nov.
        assert_eq!(submitted.body["expected_decision"], "2026-11-20", "{}", submitted.text);
        // Without the months, the same claim is not eligible and has no estimate.
        let (_, stranger) = citizen(&app).await;
        let theirs = start_claim(&app, &stranger, &maternity()).await;
        assert_eq!(theirs.body["assessment"]["eligibility"]["eligible"], false);
        assert!(theirs.body["assessment"].get("estimate").is_none(), "{}", theirs.text);
    }

    async fn maternity_needs_six_of_twelve_months_and_who_files_sets_the_deadline(backend) {
        let app = TestApp::spawn_at(backend, sunday_15_november()).await;
        // Six months paid before the birth (May–Oct 2026) and November declared: still employed.
        let mut six = span("2026-05", "2026-07", Some("TM0001A"), 8_000_000);
        six.extend(span("2026-08", "2026-10", Some("TM0001A"), 10_000_000));
        six.push((Month::parse("2026-11").unwrap(), Some("TM0001A"), 10_000_000, false));
        let employed = insured(&app, "mother-6", six.clone()).await;
        let draft = start_claim(&app, &employed, &maternity()).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], true, "{}", draft.text);
        let explanation = &assessment["eligibility"]["explanation"];
        assert_eq!(line(explanation, "claims.maternity.line.months_paid"), ("6 of the last 12 months paid (2025-11 – 2026-10), 6 needed", 6));
        assert_eq!(line(explanation, "claims.maternity.line.route"), ("compulsory SI, employed in 2026-11: filed through the employer", 7));
        // 2 × 2,530,000, and 100% of (3 × 8,000,000 + 3 × 10,000,000) / 6 a month of leave.
        assert_eq!(assessment["estimate"]["amount"], 5_060_000);
        assert_eq!(assessment["monthly_allowance"]["amount"], 9_000_000);
        let id = draft.body["id"].as_str().unwrap();
        // Seven working days from Monday 16 Nov, skipping 24 Nov (in the holiday table, M).
        assert_eq!(submit(&app, &employed, id).await.body["expected_decision"], "2026-11-25");

        // Five months paid (Jun–Oct) and the contract ended in October: not eligible, and the
        // worker files herself: five working days.
        let five = insured(&app, "mother-5", span("2026-06", "2026-10", Some("TM0001A"), 10_000_000)).await;
        let draft = start_claim(&app, &five, &maternity()).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], false, "{}", draft.text);
        let explanation = &assessment["eligibility"]["explanation"];
        assert_eq!(line(explanation, "claims.maternity.line.months_paid"), ("5 of the last 12 months paid (2025-11 – 2026-10), 6 needed", 5));
        assert_eq!(line(explanation, "claims.maternity.line.route").1, 5);
        assert!(assessment.get("estimate").is_none() && assessment.get("monthly_allowance").is_none(), "{}", draft.text);
        let id = draft.body["id"].as_str().unwrap();
        assert_eq!(submit(&app, &five, id).await.body["expected_decision"], "2026-11-20");

        // Six months and the contract ended: eligible, still filed by the worker.
        let ended = insured(&app, "mother-6-ended", span("2026-05", "2026-10", Some("TM0001A"), 10_000_000)).await;
        let draft = start_claim(&app, &ended, &maternity()).await;
        assert_eq!(draft.body["assessment"]["eligibility"]["eligible"], true, "{}", draft.text);
        assert_eq!(draft.body["assessment"]["monthly_allowance"]["amount"], 10_000_000);
        let id = draft.body["id"].as_str().unwrap();
        assert_eq!(submit(&app, &ended, id).await.body["expected_decision"], "2026-11-20");
    }

    async fn unemployment_needs_12_ui_months_in_24_and_example_3_pays_7_months(backend) {
        let app = TestApp::spawn_at(backend, sunday_15_november()).await;
        let body = json!({ "kind": "unemployment", "details": { "termination_date": "2026-10-31", "last_employer": "TU0001A" } });
        // Example 3: 84 months of UI at 10,000,000 in region I, the contract ended in 2026.
        let seven_years = insured(&app, "worker-84", span("2019-11", "2026-10", Some("TU0001A"), 10_000_000)).await;
        let draft = start_claim(&app, &seven_years, &body).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], true, "{}", draft.text);
        let estimate = &assessment["estimate"];
        assert_eq!(estimate["amount"], 42_000_000, "{}", draft.text);
        let explanation = &estimate["explanation"];
        assert_eq!(line(explanation, "claims.unemployment.line.monthly"), ("min(6,000,000, 26,550,000)", 6_000_000));
        assert_eq!(line(explanation, "claims.unemployment.line.cap"), ("5 × 5,310,000 (2026-10)", 26_550_000));
        assert_eq!(line(explanation, "claims.unemployment.line.months").1, 7);
        assert_eq!(line(explanation, "claims.unemployment.line.kept").1, 0);

        // Eleven months in the 24: not eligible; twelve: three months of benefit.
        let eleven = insured(&app, "worker-11", span("2025-12", "2026-10", Some("TU0001A"), 10_000_000)).await;
        let draft = start_claim(&app, &eleven, &body).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], false, "{}", draft.text);
        assert_eq!(line(&assessment["eligibility"]["explanation"], "claims.unemployment.line.months_paid"), ("11 of the last 24 months paid (2024-11 – 2026-10), 12 needed", 11));
        assert!(assessment.get("estimate").is_none(), "{}", draft.text);
        let twelve = insured(&app, "worker-12", span("2025-11", "2026-10", Some("TU0001A"), 10_000_000)).await;
        let draft = start_claim(&app, &twelve, &body).await;
        assert_eq!(draft.body["assessment"]["eligibility"]["eligible"], true, "{}", draft.text);
        assert_eq!(draft.body["assessment"]["estimate"]["amount"], 18_000_000);
        let id = draft.body["id"].as_str().unwrap();
        // Twenty working days from Monday 16 Nov, skipping 24 Nov (M).
        assert_eq!(submit(&app, &twelve, id).await.body["expected_decision"], "2026-12-14");
    }

    async fn lump_sum_route_d_turns_on_the_first_contribution_and_compares_with_staying(backend) {
        let app = TestApp::spawn_at(backend, sunday_15_november()).await;
        let body = json!({ "kind": "lump_sum", "details": { "route": "out_of_si_twelve_months" } });
        // First paid in June 2025 (before 1 Jul 2025), out of SI since November 2025.
        let june = insured(&app, "joined-june", span("2025-06", "2025-10", Some("TL0001A"), 6_000_000)).await;
        let draft = start_claim(&app, &june, &body).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], true, "{}", draft.text);
        let explanation = &assessment["eligibility"]["explanation"];
        assert_eq!(line(explanation, "claims.lump_sum.line.first_contribution"), ("2025-06 before 2025-07-01", 1));
        assert_eq!(line(explanation, "claims.lump_sum.line.months_out"), ("12 months without SI since 2025-10, 12 needed", 12));
        // Under a year: what was paid (22% of 6,000,000 for 5 months), at most 2 months' salary.
        assert_eq!(assessment["estimate"]["amount"], 6_600_000, "{}", draft.text);
        assert_eq!(line(&assessment["estimate"]["explanation"], "claims.lump_sum.line.average"), ("30,000,000 / 5, not CPI-adjusted", 6_000_000));
        // First paid on 1 Jul 2025: route (đ) is closed, though the comparison still shows the sum.
        let july = insured(&app, "joined-july", span("2025-07", "2025-10", Some("TL0001A"), 6_000_000)).await;
        let draft = start_claim(&app, &july, &body).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], false, "{}", draft.text);
        assert_eq!(line(&assessment["eligibility"]["explanation"], "claims.lump_sum.line.first_contribution"), ("2025-07 before 2025-07-01", 0));
        assert!(assessment.get("estimate").is_none(), "{}", draft.text);
        assert_eq!(assessment["comparison"]["lump_sum_today"], 4 * 1_320_000);

        // Example 4: May 2011 – Mar 2020 at 9,000,000, out since April 2020: 153,000,000; a card.
        let example = insured(&app, "example-4", span("2011-05", "2020-03", Some("TL0001A"), 9_000_000)).await;
        plant_card(&app, "example-4", 4).await;
        let draft = start_claim(&app, &example, &body).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], true, "{}", draft.text);
        assert_eq!(assessment["estimate"]["amount"], 153_000_000);
        let comparison = &assessment["comparison"];
        assert_eq!((&comparison["months_contributed"], &comparison["compulsory_months"], &comparison["lump_sum_today"]), (&json!(107), &json!(107), &json!(153_000_000)));
        // A man born 17 May 1990 reaches 62 on 17 May 2052; 107 months are 73 short of 15 years.
        let staying = &comparison["staying"];
        assert_eq!((&staying["retirement_age_months"], &staying["retirement_on"], &staying["pension_from"], &staying["months_missing"]), (&json!(744), &json!("2052-05-17"), &json!("2052-06"), &json!(73)));
        assert!(staying.get("pension_rate").is_none() && staying.get("months_if_contributing").is_none(), "{staying}");
        assert_eq!(comparison["health_cover"], json!({ "statement": "claims.comparison.health_cover", "holds_card": true, "card_valid_to": "2026-12-31" }));
        assert_eq!(line(&comparison["explanation"], "claims.comparison.line.months_missing"), ("180 − 107", 73));
        // Submitting still needs the comparison read.
        let id = draft.body["id"].as_str().unwrap();
        assert_eq!(submit(&app, &example, id).await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["details.comparison_read"]);
    }

    async fn a_funeral_for_12_compulsory_months_after_1_july_2026_is_25_300_000(backend) {
        let app = TestApp::spawn_at(backend, sunday_15_november()).await;
        let (_, token) = citizen(&app).await;
        plant(&app, "deceased", "001060000123", "Nguyễn Văn Ba", span("2025-07", "2026-06", Some("TF0001A"), 7_000_000)).await;
        let funeral = |name: &str| json!({ "kind": "funeral", "details": { "deceased_personal_id": "001060000123", "deceased_name": name, "date_of_death": "2026-07-10", "relationship": "con" } });
        let draft = start_claim(&app, &token, &funeral("nguyễn  văn ba")).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], true, "{}", draft.text);
        let explanation = &assessment["eligibility"]["explanation"];
        assert_eq!(line(explanation, "claims.funeral.line.record").1, 1);
        assert_eq!(line(explanation, "claims.funeral.line.compulsory_months"), ("12 compulsory months, 12 needed", 12));
        // 10 × 2,530,000, the base salary in force from 1 Jul 2026.
        assert_eq!(assessment["estimate"]["amount"], 25_300_000);
        assert_eq!(assessment["estimate"]["explanation"]["parameters"][0], json!({ "name": "base_salary", "value": 2_530_000, "effective_from": "2026-07-01", "legal_basis": "Decree 161/2026/NĐ-CP" }));
        // The ID with another name does not open the record.
        let draft = start_claim(&app, &token, &funeral("Trần Thị Bình")).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], false, "{}", draft.text);
        assert_eq!(line(&assessment["eligibility"]["explanation"], "claims.funeral.line.record").1, 0);
        assert_eq!(line(&assessment["eligibility"]["explanation"], "claims.funeral.line.compulsory_months").1, 0);
    }

    async fn sick_pay_follows_example_7_in_working_days(backend) {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let app = TestApp::spawn_at(backend, monday).await;
        let token = insured(&app, "sick", span("2026-01", "2026-11", Some("TS0001A"), 9_600_000)).await;
        // Example 7: Mon 2 – Fri 6 Nov, five working days at 9,600,000.
        let leave = |from: &str, to: &str| json!({ "kind": "sickness", "details": { "reason": "own_illness", "first_day": from, "last_day": to } });
        let draft = start_claim(&app, &token, &leave("2026-11-02", "2026-11-08")).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], true, "{}", draft.text);
        assert_eq!(line(&assessment["eligibility"]["explanation"], "claims.sickness.line.insured"), ("compulsory SI in 2026-10", 1));
        let estimate = &assessment["estimate"];
        assert_eq!(estimate["amount"], 1_500_000, "{}", draft.text);
        assert_eq!(line(&estimate["explanation"], "claims.sickness.line.daily"), ("75% × 9,600,000 / 24", 300_000));
        assert_eq!(line(&estimate["explanation"], "claims.sickness.line.days_of_leave").1, 10);
        // Mon 23 – Wed 25 Nov: 24 Nov is a holiday in the table, so two days.
        let draft = start_claim(&app, &token, &leave("2026-11-23", "2026-11-25")).await;
        assert_eq!(draft.body["assessment"]["estimate"]["amount"], 600_000, "{}", draft.text);
        // Someone with no compulsory SI is not paid.
        let (_, uninsured) = citizen(&app).await;
        let draft = start_claim(&app, &uninsured, &leave("2026-11-02", "2026-11-06")).await;
        assert_eq!(draft.body["assessment"]["eligibility"]["eligible"], false, "{}", draft.text);
        assert!(draft.body["assessment"].get("estimate").is_none());
    }

    async fn hi_reimbursement_pays_the_card_level_within_the_cap(backend) {
        let app = TestApp::spawn_at(backend, sunday_15_november()).await;
        let token = insured(&app, "patient", span("2026-01", "2026-10", Some("TH0001A"), 8_000_000)).await;
        plant_card(&app, "patient", 4).await;
        let claim = |level: &str, care: &str| json!({ "kind": "hi_reimbursement", "details": { "facility_name": "Bệnh viện Đa khoa tỉnh", "treatment_from": "2026-10-01", "treatment_to": "2026-10-03", "amount_paid": 2_400_000, "case": "non_contracted_facility", "facility_level": level, "care": care } });
        // Level 4: 80% of 2,400,000 = 1,920,000, under the provincial inpatient cap (2,530,000).
        let draft = start_claim(&app, &token, &claim("provincial", "inpatient")).await;
        let assessment = &draft.body["assessment"];
        assert_eq!(assessment["eligibility"]["eligible"], true, "{}", draft.text);
        assert_eq!(line(&assessment["eligibility"]["explanation"], "claims.hi_reimbursement.line.benefit_level"), ("level 4 on the card → 80%", 8_000));
        assert_eq!(assessment["estimate"]["amount"], 1_920_000, "{}", draft.text);
        // District outpatient: capped at 15% × 2,530,000.
        let draft = start_claim(&app, &token, &claim("district", "outpatient")).await;
        assert_eq!(draft.body["assessment"]["estimate"]["amount"], 379_500, "{}", draft.text);
        assert_eq!(line(&draft.body["assessment"]["estimate"]["explanation"], "claims.hi_reimbursement.line.cap"), ("15% × 2,530,000", 379_500));
        // An emergency has no cap; a non-contracted facility must say its level and the care.
        let emergency = json!({ "kind": "hi_reimbursement", "details": { "facility_name": "Bệnh viện Đa khoa tỉnh", "treatment_from": "2026-10-01", "treatment_to": "2026-10-03", "amount_paid": 10_000_000, "case": "emergency" } });
        assert_eq!(start_claim(&app, &token, &emergency).await.body["assessment"]["estimate"]["amount"], 8_000_000);
        let vague = json!({ "kind": "hi_reimbursement", "details": { "facility_name": "Bệnh viện", "treatment_from": "2026-10-01", "treatment_to": "2026-10-03", "amount_paid": 1, "case": "non_contracted_facility" } });
        assert_eq!(start_claim(&app, &token, &vague).await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["details.facility_level", "details.care"]);
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
/// A staff action on the claim's page, from the version the page shows.
pub async fn act(
    browser: &mut Browser<'_>,
    path: &str,
    fields: &[(&str, &str)],
) -> crate::support::Reply {
    let page = browser.get(path).await;
    let csrf = crate::support::form_value(&page.text, "csrf_token").unwrap();
    let version = crate::support::form_value(&page.text, "version").unwrap_or_default();
    let mut fields = fields.to_vec();
    fields.push(("version", &version));
    browser.post_form(path, &csrf, &fields).await
}

pub async fn start_claim(app: &TestApp, token: &str, body: &Value) -> crate::support::Reply {
    start(app, token, &uuid::Uuid::new_v4().to_string(), body).await
}

/// One month to plant in a book: the month, the employer's unit (`None`: voluntary), the
/// salary basis, and whether it is paid.
pub type Planted = (Month, Option<&'static str>, i64, bool);

/// Months from `from` to `to` with `unit` (or voluntary) at `salary`, paid.
pub fn span(from: &str, to: &str, unit: Option<&'static str>, salary: i64) -> Vec<Planted> {
    let (mut month, to) = (Month::parse(from).unwrap(), Month::parse(to).unwrap());
    let mut out = Vec::new();
    while month <= to {
        out.push((month, unit, salary, true));
        month = month.next();
    }
    out
}

/// `rate` basis points of `base`, half up (as the book's shares are).
fn share(base: i64, rate: i64) -> i64 {
    (base * rate + 5_000) / 10_000
}

/// A person with `personal_id` and `full_name` (a man born 17 May 1990, as [`Citizen`]), and
/// the months planted: compulsory ones at the statutory rates on the salary (employers in
/// region I), voluntary ones at 22% less the state's 66,000.
async fn plant(
    app: &TestApp,
    person: &'static str,
    personal_id: &str,
    full_name: &str,
    months: Vec<Planted>,
) {
    let (personal_id, full_name, now) = (
        personal_id.to_owned(),
        full_name.to_owned(),
        app.clock.now(),
    );
    app.write(move |conn| {
        let si_code = format!("79{:08}", uuid::Uuid::new_v4().as_u128() % 100_000_000);
        diesel::insert_into(people::table)
            .values((
                people::id.eq(person),
                people::si_code.eq(si_code),
                people::personal_id.eq(personal_id),
                people::full_name.eq(full_name),
                people::birth_date.eq(NaiveDate::from_ymd_opt(1990, 5, 17).unwrap()),
                people::sex.eq("male"),
                people::created_at.eq(now),
            ))
            .execute(conn)?;
        for (month, unit, salary, paid) in months {
            let employer = match unit {
                Some(unit) => {
                    let id = format!("employer-{unit}");
                    let known: i64 = employers::table
                        .filter(employers::id.eq(&id))
                        .count()
                        .get_result(conn)?;
                    if known == 0 {
                        diesel::insert_into(employers::table)
                            .values((
                                employers::id.eq(&id),
                                employers::unit_code.eq(unit),
                                employers::tax_code.eq("0300000000"),
                                employers::name.eq(format!("Công ty {unit}")),
                                employers::province_code.eq("79"),
                                employers::region.eq(1),
                                employers::created_at.eq(now),
                            ))
                            .execute(conn)?;
                    }
                    Some(id)
                }
                None => None,
            };
            let compulsory = employer.is_some();
            let rate = |bp: i64| if compulsory { share(salary, bp) } else { 0 };
            let (pension, support) = if compulsory {
                (share(salary, 800), 0)
            } else {
                (share(salary, 2_200) - 66_000, 66_000)
            };
            let due = month.next().last_day();
            diesel::insert_into(contribution_months::table)
                .values((
                    contribution_months::id.eq(format!("{person}-{month}-{}", unit.unwrap_or("v"))),
                    contribution_months::person_id.eq(person),
                    contribution_months::employer_id.eq(employer),
                    contribution_months::scheme.eq(if compulsory {
                        "compulsory"
                    } else {
                        "voluntary"
                    }),
                    contribution_months::month.eq(month.first_day()),
                    contribution_months::salary_basis.eq(salary),
                    contribution_months::pension_employee.eq(pension),
                    contribution_months::pension_employer.eq(rate(1_400)),
                    contribution_months::sickness_employer.eq(rate(300)),
                    contribution_months::accident_employer.eq(rate(50)),
                    contribution_months::unemployment_employee.eq(rate(100)),
                    contribution_months::unemployment_employer.eq(rate(100)),
                    contribution_months::health_employee.eq(rate(150)),
                    contribution_months::health_employer.eq(rate(300)),
                    contribution_months::state_support.eq(support),
                    contribution_months::due_date.eq(due),
                    contribution_months::paid_on.eq(paid.then_some(due)),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
    .await;
}

/// A health card of `person` at benefit `level`, valid through 2026.
async fn plant_card(app: &TestApp, person: &'static str, level: i32) {
    let now = app.clock.now();
    app.write(move |conn| {
        diesel::insert_into(health_cards::table)
            .values((
                health_cards::id.eq(format!("card-{person}")),
                health_cards::person_id.eq(person),
                health_cards::card_code.eq(format!("DN{level}790100000099")),
                health_cards::object_code.eq("DN"),
                health_cards::benefit_level.eq(level),
                health_cards::valid_from.eq(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
                health_cards::valid_to.eq(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
                health_cards::facility_code.eq("79071"),
                health_cards::facility_name.eq("Trạm y tế Thử nghiệm"),
                health_cards::five_year_date.eq(None::<NaiveDate>),
                health_cards::issued_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await;
}

/// A citizen (token) whose book holds `months`, as person `person`.
pub async fn insured(app: &TestApp, person: &'static str, months: Vec<Planted>) -> String {
    let (me, token) = citizen(app).await;
    plant(app, person, &me.personal_id, &me.full_name, months).await;
    token
}

/// The (formula, value) of the explanation line `label` in `explanation`.
pub fn line<'a>(explanation: &'a Value, label: &str) -> (&'a str, i64) {
    let found = explanation["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == label)
        .unwrap_or_else(|| panic!("no line {label} in {explanation}"));
    (
        found["formula"].as_str().unwrap(),
        found["value"].as_i64().unwrap(),
    )
}

/// Sunday 15 Nov 2026, 9:00.
pub fn sunday_15_november() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 15)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}
