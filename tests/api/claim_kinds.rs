//! Every kind of claim end to end: started over the API with its papers, submitted, taken into
//! review, approved and paid by staff, with the citizen emailed over SMTP at each step.

use ansinh::accounts::model::Role;
use ansinh::db::schema::audit_events;
use awc::http::StatusCode;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::claims::complete;
use crate::staff::signed_in_staff;
use crate::support::{Browser, Citizen, TestApp, on_both_backends};

fn kinds() -> [Value; 6] {
    [
        json!({ "kind": "sickness", "details": { "reason": "own_illness", "first_day": "2026-11-02", "last_day": "2026-11-06" } }),
        json!({ "kind": "maternity", "details": { "event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02" } }),
        json!({ "kind": "unemployment", "details": { "termination_date": "2026-10-31", "last_employer": "TA1234A" } }),
        json!({ "kind": "lump_sum", "details": { "route": "emigration", "comparison_read": true } }),
        json!({ "kind": "funeral", "details": { "deceased_personal_id": "001060000123", "deceased_name": "Nguyễn Văn Ba", "date_of_death": "2026-11-01", "relationship": "con" } }),
        json!({ "kind": "hi_reimbursement", "details": { "facility_name": "Bệnh viện Đa khoa tỉnh", "treatment_from": "2026-10-01", "treatment_to": "2026-10-03", "amount_paid": 2_400_000, "case": "emergency" } }),
    ]
}

/// A staff action on the claim's page, as its form posts it.
async fn act(browser: &mut Browser<'_>, path: &str, fields: &[(&str, &str)]) {
    let reply = crate::claims::act(browser, path, fields).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{fields:?}: {}",
        reply.text
    );
}

on_both_backends! {
    async fn every_kind_of_claim_goes_from_draft_to_paid_with_an_email_at_each_step(backend) {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let app = TestApp::spawn_at(backend, start).await;
        let mut approver = signed_in_staff(&app, "approver@ansinh.test", Role::Approver).await;
        let mut clerk = signed_in_staff(&app, "clerk@ansinh.test", Role::Clerk).await;
        let today = app.clock.now().date().to_string();
        for (n, body) in kinds().into_iter().enumerate() {
            let citizen = Citizen::new();
            app.registered_citizen(&citizen).await;
            let token = app.api_login(&citizen.email, &citizen.password).await.body["access_token"].as_str().unwrap().to_owned();
            let key = format!("kind-{n}");
            let draft = app.post_json_with("/api/v1/me/claims", &token, &[("Idempotency-Key", &key)], &body).await;
            assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.text);
            let id = draft.body["id"].as_str().unwrap().to_owned();
            complete(&app, &token, &id).await;
            let submitted = app.post_json_with(&format!("/api/v1/me/claims/{id}/submit"), &token, &[("Idempotency-Key", &format!("submit-{n}"))], &json!(null)).await;
            assert_eq!(submitted.body["status"], "submitted", "{}: {}", body["kind"], submitted.text);
            assert!(submitted.body["expected_decision"].is_string(), "{}", submitted.text);
            app.mail.wait_for(&citizen.email, "Đã nhận hồ sơ hưởng chế độ").await;

            let path = format!("/admin/claims/{id}");
            // Staff see the papers beside the claim; each read is in the audit log.
            let page = approver.get(&path).await;
            let doc = submitted.body["documents"][0]["id"].as_str().unwrap();
            let link = format!("{path}/documents/{doc}");
            assert!(page.text.contains(&link), "{}", page.text);
            assert_eq!(approver.get(&link).await.text.as_bytes(), crate::claims::PDF);
            let reads = app.query(|conn| audit_events::table.filter(audit_events::action.eq("record.read")).filter(audit_events::detail.like("%\"documents:claim:%")).count().get_result::<i64>(conn)).await;
            assert_eq!(reads, i64::try_from(n).unwrap() + 1);
            act(&mut approver, &path, &[("action", "review")]).await;
            app.mail.wait_for(&citizen.email, "đang được xem xét").await;
            // A clerk proposes, an approver approves: four-eyes for lump sums and unemployment.
            act(&mut clerk, &path, &[("action", "propose"), ("amount", "1500000"), ("amount_reason", "Số tiền kiểm thử")]).await;
            act(&mut approver, &path, &[("action", "approve")]).await;
            app.mail.wait_for(&citizen.email, "đã được duyệt").await;
            act(&mut approver, &path, &[("action", "mark_paid"), ("reference", &format!("CK-{n}")), ("paid_on", &today)]).await;
            let paid = app.mail.wait_for(&citizen.email, "Đã chi trả").await;
            // Emails say what happened and link to the claim, never the amount (AUTH-08).
            assert!(paid.text().contains(&format!("/account/claims/{id}")) && !paid.text().contains("1.500.000"), "{}", paid.text());

            let seen = app.get_auth(&format!("/api/v1/me/claims/{id}"), &token).await;
            assert_eq!((&seen.body["status"], &seen.body["decision"]["amount"], &seen.body["decision"]["payment_reference"]), (&json!("paid"), &json!(1_500_000), &json!(format!("CK-{n}"))), "{}", seen.text);
            let steps: Vec<&str> = seen.body["timeline"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
            assert_eq!(steps, ["draft", "submitted", "in_review", "approved", "paid"], "{}", body["kind"]);
        }
    }
}
