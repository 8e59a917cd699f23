//! Registering for voluntary SI and household HI end to end: a draft over the API or the pages,
//! submitted (once, however often it is retried), decided by staff, paid through a collection
//! agent, and the months in the book or the cards in the household's hands; emails at each
//! step; nobody reads or changes another citizen's registration. The clock reads 15 Nov 2026,
//! so the first month is Dec 2026 (rural poverty line 1,500,000; base salary 2,530,000).

use ansinh::accounts::model::Role;
use ansinh::api_clients::{self, Binding, Credentials, Scope};
use ansinh::db::schema::{audit_events, documents, enrolments, health_cards, people};
use awc::http::StatusCode;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::staff::signed_in_staff;
use crate::support::{Browser, Citizen, Reply, TestApp, form_value, location, on_both_backends};

const COLLECTOR: (&str, &str) = ("post-office-1", "post-office-1-secret-0123456789abcdef");
const PAYROLL: (&str, &str) = ("payroll-9", "payroll-9-secret-0123456789abcdef");

fn mid_november() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 15)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A registered citizen and their API token.
async fn citizen(app: &TestApp) -> (Citizen, String) {
    let citizen = Citizen::new();
    app.registered_citizen(&citizen).await;
    let reply = app.api_login(&citizen.email, &citizen.password).await;
    let token = reply.body["access_token"].as_str().unwrap().to_owned();
    (citizen, token)
}

/// A collection agent (post office) and a payroll client, with known credentials.
async fn clients(app: &TestApp) {
    let now = app.clock.now();
    app.write(move |conn| {
        let fixed = |(id, secret): (&str, &str)| {
            Some(Credentials {
                client_id: id.into(),
                client_secret: secret.into(),
            })
        };
        api_clients::create(
            conn,
            "Bưu điện Thử nghiệm",
            &[Scope::CollectionsWrite],
            &Binding::Agency,
            now,
            fixed(COLLECTOR),
        )?;
        diesel::insert_into(ansinh::db::schema::employers::table)
            .values((
                ansinh::db::schema::employers::id.eq("employer-E9"),
                ansinh::db::schema::employers::unit_code.eq("TE0009A"),
                ansinh::db::schema::employers::tax_code.eq("0300000009"),
                ansinh::db::schema::employers::name.eq("Công ty Thử nghiệm Chín"),
                ansinh::db::schema::employers::province_code.eq("79"),
                ansinh::db::schema::employers::region.eq(1),
                ansinh::db::schema::employers::created_at.eq(now),
            ))
            .execute(conn)?;
        api_clients::create(
            conn,
            "Payroll 9",
            &[Scope::DeclarationsWrite],
            &Binding::Employer("TE0009A".into()),
            now,
            fixed(PAYROLL),
        )?;
        Ok(())
    })
    .await;
}

async fn client_token(app: &TestApp, (id, secret): (&str, &str)) -> String {
    let reply = app
        .post_form(
            "/api/v1/oauth/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["access_token"].as_str().unwrap().to_owned()
}

async fn enrol(app: &TestApp, token: &str, key: &str, body: &Value) -> Reply {
    app.post_json_with(
        "/api/v1/me/enrolments",
        token,
        &[("Idempotency-Key", key)],
        body,
    )
    .await
}

async fn submit(app: &TestApp, token: &str, id: &str) -> Reply {
    app.post_json_with(
        &format!("/api/v1/me/enrolments/{id}/submit"),
        token,
        &[("Idempotency-Key", &key())],
        &json!(null),
    )
    .await
}

async fn pay(app: &TestApp, token: &str, id: &str, key: &str, amount: i64) -> Reply {
    app.post_json_with(
        &format!("/api/v1/enrolments/{id}/payments"),
        token,
        &[("Idempotency-Key", key)],
        &json!({ "amount": amount, "paid_on": "2026-11-15", "reference": "BL-2026-000123" }),
    )
    .await
}

/// An approver decides on the registration's page.
async fn decide(approver: &mut Browser<'_>, id: &str, decision: &str, reason: &str) -> Reply {
    let path = format!("/admin/enrolments/{id}");
    let page = approver.get(&path).await;
    let csrf = crate::support::form_value(&page.text, "csrf_token").unwrap();
    let version = crate::support::form_value(&page.text, "version").unwrap_or_default();
    approver
        .post_form(
            &format!("{path}/decision"),
            &csrf,
            &[
                ("decision", decision),
                ("reason", reason),
                ("version", &version),
            ],
        )
        .await
}

fn voluntary(group: &str) -> Value {
    json!({ "kind": "voluntary_si", "monthly_income": 3_000_000, "support_group": group, "payment_mode": "yearly", "start_month": "2026-12" })
}

on_both_backends! {
    async fn voluntary_si_from_draft_to_paid_months_in_the_book(backend) {
        let app = TestApp::spawn_at(backend, mid_november()).await;
        clients(&app).await;
        let (me, token) = citizen(&app).await;

        // Example 1's figures: near-poor, 3,000,000 → 528,000 a month, 6,336,000 a year.
        let k = key();
        let draft = enrol(&app, &token, &k, &voluntary("near_poor")).await;
        assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.text);
        assert_eq!((&draft.body["status"], &draft.body["quote"]), (&json!("draft"), &json!({"monthly": 528_000, "months": 12, "period_total": 6_336_000})));
        let id = draft.body["id"].as_str().unwrap().to_owned();
        // A flaky phone retries: the same answer, one registration.
        let again = enrol(&app, &token, &k, &voluntary("near_poor")).await;
        assert_eq!((again.status, again.body["id"].as_str()), (StatusCode::CREATED, Some(id.as_str())));
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
        let mine = app.get_auth("/api/v1/me/enrolments", &token).await;
        assert_eq!(mine.body.as_array().unwrap().len(), 1);

        // Near-poor needs its certificate first; nothing changes.
        let refused = submit(&app, &token, &id).await;
        assert_eq!(refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["evidence"]);
        assert_eq!(refused.body["errors"][0]["code"], "evidence_required");
        // Outside the bounds in force on the start month: 422 naming them, nothing changes.
        let low = app.put_json_auth(&format!("/api/v1/me/enrolments/{id}"), &token, &json!({ "kind": "voluntary_si", "monthly_income": 1_000_000, "payment_mode": "yearly", "start_month": "2026-12" })).await;
        assert_eq!(low.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["monthly_income"]);
        assert!(low.body["detail"].as_str().unwrap().contains("1,500,000") && low.body["detail"].as_str().unwrap().contains("50,600,000"), "{}", low.text);
        // Everyone else (20%): 660,000 − 66,000 = 594,000 a month.
        let changed = app.put_json_auth(&format!("/api/v1/me/enrolments/{id}"), &token, &voluntary("other")).await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
        assert_eq!(changed.body["quote"]["period_total"], 7_128_000);

        // Another citizen cannot read, change, submit or stop it.
        let (_, other) = citizen(&app).await;
        let path = format!("/api/v1/me/enrolments/{id}");
        app.get_auth(&path, &other).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        app.put_json_auth(&path, &other, &voluntary("other")).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        submit(&app, &other, &id).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        app.post_json_auth(&format!("{path}/stop"), &other, &json!(null)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        assert_eq!(app.get_auth("/api/v1/me/enrolments", &other).await.body, json!([]));

        let submitted = submit(&app, &token, &id).await;
        assert_eq!((submitted.status, &submitted.body["status"]), (StatusCode::OK, &json!("submitted")), "{}", submitted.text);
        app.mail.wait_for(&me.email, "Đã nhận hồ sơ").await;
        submit(&app, &token, &id).await.assert_problem(StatusCode::CONFLICT, "wrong_state");

        // A clerk sees it but cannot decide; an approver approves.
        let mut clerk = signed_in_staff(&app, "clerk@ansinh.test", Role::Clerk).await;
        assert_eq!(clerk.get("/admin/queue?type=enrolment").await.status, StatusCode::OK);
        assert_eq!(decide(&mut clerk, &id, "approve", "").await.status, StatusCode::FORBIDDEN);
        let mut approver = signed_in_staff(&app, "approver@ansinh.test", Role::Approver).await;
        let queue = approver.get("/admin/queue?type=enrolment").await;
        assert!(queue.text.contains(&format!("/admin/enrolments/{id}")), "{}", queue.text);
        let approved = decide(&mut approver, &id, "approve", "").await;
        assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.text);
        app.mail.wait_for(&me.email, "đã được duyệt").await;
        // The decision is in the audit log, under the approver's name, and the chain holds.
        let subject = format!("enrolment:{id}");
        let audited: Vec<String> = app.query(move |conn| audit_events::table.filter(audit_events::subject.eq(subject)).select(audit_events::action).load(conn)).await;
        assert_eq!(audited, ["enrolment.approve"]);
        let chain = app.write(|conn| Ok(ansinh::audit::verify(conn)?)).await;
        assert!(matches!(chain, ansinh::audit::Verification::Ok { .. }), "{chain}");

        // The schedule: one yearly instalment, due within the first 7 months (Art. 36(3)).
        let plan = app.get_auth(&path, &token).await;
        assert_eq!(plan.body["instalments"], json!([{"seq": 1, "first_month": "2026-12", "months": 12, "amount": 7_128_000, "due_date": "2027-06-30", "state": "due"}]));

        // Only a collection agent records payments, and only the amount due.
        let payroll = client_token(&app, PAYROLL).await;
        pay(&app, &payroll, &id, &key(), 7_128_000).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        let collector = client_token(&app, COLLECTOR).await;
        let wrong = pay(&app, &collector, &id, &key(), 7_000_000).await;
        assert_eq!(wrong.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["amount"]);
        pay(&app, &collector, "no-such-registration", &key(), 7_128_000).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        let k = key();
        let paid = pay(&app, &collector, &id, &k, 7_128_000).await;
        assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.text);
        assert_eq!((&paid.body["seq"], &paid.body["months"]), (&json!(1), &json!(12)));
        let replay = pay(&app, &collector, &id, &k, 7_128_000).await;
        assert_eq!((replay.status, replay.header("idempotent-replayed")), (StatusCode::CREATED, Some("true")));
        app.mail.wait_for(&me.email, "Đã ghi nhận khoản đóng").await;

        // Twelve paid voluntary months in the book, each with the State's 66,000.
        let book = app.get_auth("/api/v1/me/contributions?from=2026-12&to=2027-11", &token).await;
        let months = book.body["months"].as_array().unwrap();
        assert_eq!(months.len(), 12, "{}", book.text);
        for m in months {
            assert_eq!((&m["scheme"], &m["status"], &m["salary_basis"], &m["state_support"], &m["employee_share"]), (&json!("voluntary"), &json!("paid"), &json!(3_000_000), &json!(66_000), &json!(594_000)), "{m}");
        }
        // The next year is laid out once this one is paid.
        let plan = app.get_auth(&path, &token).await;
        assert_eq!(plan.body["instalments"][1]["first_month"], "2027-12");
        assert_eq!(plan.body["instalments"][0]["state"], "paid");

        // Change the plan: unpaid instalments are priced again; then stop it. Months later,
        // the start month sent back is in the past, and that is fine for a running plan.
        app.clock.advance(chrono::Duration::days(60));
        let login = app.api_login(&me.email, &me.password).await;
        let token = login.body["access_token"].as_str().unwrap().to_owned();
        let raised = app.put_json_auth(&path, &token, &json!({ "kind": "voluntary_si", "monthly_income": 5_000_000, "support_group": "other", "payment_mode": "half_yearly", "start_month": "2026-12" })).await;
        assert_eq!(raised.status, StatusCode::OK, "{}", raised.text);
        let unpaid: Vec<&Value> = raised.body["instalments"].as_array().unwrap().iter().filter(|i| i["state"] != "paid").collect();
        assert_eq!(unpaid.len(), 2);
        // From Dec 2027 with the figures then (rural poverty line 2,200,000 from 2027):
        // 22% × 5,000,000 − 20% × 22% × 2,200,000 = 1,100,000 − 96,800 = 1,003,200 a month.
        assert_eq!((&unpaid[0]["first_month"], &unpaid[0]["amount"]), (&json!("2027-12"), &json!(6 * 1_003_200)));
        let stopped = app.post_json_auth(&format!("{path}/stop"), &token, &json!(null)).await;
        assert_eq!((&stopped.body["status"], stopped.body["instalments"].as_array().unwrap().len()), (&json!("stopped"), 1));
        app.post_json_auth(&format!("{path}/stop"), &token, &json!(null)).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
    }

    async fn a_rejection_reaches_the_citizen_with_its_reason(backend) {
        let app = TestApp::spawn_at(backend, mid_november()).await;
        let (me, token) = citizen(&app).await;
        let draft = enrol(&app, &token, &key(), &voluntary("other")).await;
        let id = draft.body["id"].as_str().unwrap().to_owned();
        assert_eq!(submit(&app, &token, &id).await.status, StatusCode::OK);
        let mut approver = signed_in_staff(&app, "approver@ansinh.test", Role::Approver).await;
        // A refusal needs a reason the citizen can read.
        assert_eq!(decide(&mut approver, &id, "reject", " ").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(decide(&mut approver, &id, "reject", "Bạn đang tham gia BHXH bắt buộc tại công ty.").await.status, StatusCode::SEE_OTHER);
        let mail = app.mail.wait_for(&me.email, "không được duyệt").await;
        assert!(mail.text().contains("Bạn đang tham gia BHXH bắt buộc"), "{}", mail.text());
        let seen = app.get_auth(&format!("/api/v1/me/enrolments/{id}"), &token).await;
        assert_eq!((&seen.body["status"], &seen.body["decision_reason"]), (&json!("rejected"), &json!("Bạn đang tham gia BHXH bắt buộc tại công ty.")));
        // A second decision, from a page that offers none any more, finds it changed.
        assert_eq!(decide(&mut approver, &id, "approve", "").await.status, StatusCode::PRECONDITION_FAILED);
    }

    async fn household_hi_leaves_out_the_covered_and_issues_cards(backend) {
        let app = TestApp::spawn_at(backend, mid_november()).await;
        clients(&app).await;
        let (me, token) = citizen(&app).await;
        // The spouse already holds a valid card through an employer.
        let now = app.clock.now();
        app.write(move |conn| {
            diesel::insert_into(people::table).values((people::id.eq("spouse"), people::si_code.eq("7900000042"), people::personal_id.eq("001190000042"), people::full_name.eq("Trần Thị Bình"), people::birth_date.eq(NaiveDate::from_ymd_opt(1990, 3, 1).unwrap()), people::sex.eq("female"), people::created_at.eq(now))).execute(conn)?;
            diesel::insert_into(health_cards::table).values((health_cards::id.eq("spouse-card"), health_cards::person_id.eq("spouse"), health_cards::card_code.eq("DN4797900000042"), health_cards::object_code.eq("DN"), health_cards::benefit_level.eq(4), health_cards::valid_from.eq(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()), health_cards::valid_to.eq(NaiveDate::from_ymd_opt(2027, 12, 31).unwrap()), health_cards::facility_code.eq("79071"), health_cards::facility_name.eq("Trạm y tế"), health_cards::issued_at.eq(now))).execute(conn)?;
            Ok(())
        }).await;
        let body = json!({ "kind": "household_hi", "payment_mode": "yearly", "start_month": "2026-12", "members": [
            { "personal_id": me.personal_id, "full_name": me.full_name, "birth_date": "1990-05-17", "relationship": "self" },
            { "personal_id": "001190000042", "full_name": "Trần Thị Bình", "birth_date": "1990-03-01", "relationship": "spouse" },
            { "personal_id": "001218000077", "full_name": "Nguyễn Minh Châu", "birth_date": "2018-09-02", "relationship": "child" },
        ]});
        // The same person twice is refused by row.
        let mut twice = body.clone();
        twice["members"][2]["personal_id"] = json!("001190000042");
        let refused = enrol(&app, &token, &key(), &twice).await;
        assert_eq!(refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["members[2].personal_id"]);
        let draft = enrol(&app, &token, &key(), &body).await;
        assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.text);
        let members = draft.body["members"].as_array().unwrap();
        assert_eq!(members[1]["covered_by"], "DN4797900000042");
        // Two counted, in discount order: 4.5% × 2,530,000 = 113,850; 70% of it = 79,695.
        let monthly: Vec<&Value> = members.iter().map(|m| &m["monthly"]).collect();
        assert_eq!(monthly, [&json!(113_850), &Value::Null, &json!(79_695)]);
        assert_eq!(draft.body["quote"], json!({"monthly": 193_545, "months": 12, "period_total": 2_322_540}));
        let id = draft.body["id"].as_str().unwrap().to_owned();
        assert_eq!(submit(&app, &token, &id).await.status, StatusCode::OK);
        let mut approver = signed_in_staff(&app, "approver@ansinh.test", Role::Approver).await;
        assert_eq!(decide(&mut approver, &id, "approve", "").await.status, StatusCode::SEE_OTHER);

        // A card for each counted member, for the year paid for; the citizen sees their own.
        let card = app.get_auth("/api/v1/me/health-card", &token).await;
        assert_eq!(card.status, StatusCode::OK, "{}", card.text);
        assert!(card.body["card_code"].as_str().unwrap_or_default().starts_with("GD4"), "{}", card.text);
        let card_of = id.clone();
        let issued: Vec<(String, NaiveDate)> = app.query(move |conn| health_cards::table.filter(health_cards::enrolment_id.eq(card_of)).select((health_cards::card_code, health_cards::valid_to)).load(conn)).await;
        assert_eq!(issued.len(), 2);
        assert!(issued.iter().all(|(code, to)| code.starts_with("GD4") && *to == NaiveDate::from_ymd_opt(2027, 11, 30).unwrap()), "{issued:?}");

        // Reminders, each once: payment due within 7 days, renewal 30 and 7 days ahead.
        let url = app.settings.public_url.clone();
        let at = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(8, 0, 0).unwrap();
        // The clock moves forward to each day, so the outbox sends what was queued then.
        let send = |now: chrono::NaiveDateTime| {
            app.clock.advance(now - app.clock.now());
            let (url, now) = (url.clone(), app.clock.now());
            app.write(move |conn| Ok(ansinh::enrolment::reminders::send_due(conn, &url, now)?))
        };
        assert_eq!(send(at(2026, 12, 1)).await, 0);
        assert_eq!(send(at(2026, 12, 26)).await, 1);
        assert_eq!(send(at(2026, 12, 27)).await, 0);
        app.mail.wait_for(&me.email, "Sắp đến hạn").await;
        let collector = client_token(&app, COLLECTOR).await;
        assert_eq!(pay(&app, &collector, &id, &key(), 2_322_540).await.status, StatusCode::CREATED);
        assert_eq!(send(at(2027, 10, 30)).await, 0);
        assert_eq!(send(at(2027, 11, 1)).await, 1);
        assert_eq!(send(at(2027, 11, 2)).await, 0);
        assert_eq!(send(at(2027, 11, 24)).await, 1);
        let renewals = || app.mail.to(&me.email).iter().filter(|m| m.subject().contains("sắp hết hạn")).count();
        for _ in 0..200 {
            if renewals() >= 2 { break; }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(renewals(), 2);
    }

    async fn registering_through_the_pages_with_evidence(backend) {
        let app = TestApp::spawn_at(backend, mid_november()).await;
        let (me, _) = citizen(&app).await;
        let mut browser = Browser::new(&app);
        assert_eq!(browser.log_in(&me.email, &me.password).await.status, StatusCode::SEE_OTHER);
        let form = browser.get("/account/enrolments/new?kind=voluntary_si").await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = form_value(&form.text, "csrf_token").unwrap();
        let form_key = form_value(&form.text, "form_key").unwrap();
        let fields = [("kind", "voluntary_si"), ("monthly_income", "3.000.000"), ("support_group", "poor"), ("payment_mode", "monthly"), ("start_month", "2026-12"), ("form_key", form_key.as_str()), ("intent", "save")];
        let saved = browser.post_form("/account/enrolments", &csrf, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
        let page_path = location(&saved).split('?').next().unwrap().to_owned();
        // A double-click posts the same form again: still one draft.
        let again = browser.post_form("/account/enrolments", &csrf, &fields).await;
        assert_eq!(location(&again), location(&saved));
        let count = app.query(|conn| enrolments::table.count().get_result::<i64>(conn)).await;
        assert_eq!(count, 1);

        // "Check your answers" refuses to submit without the poor-household certificate.
        let id = page_path.rsplit('/').next().unwrap().to_owned();
        let csrf = browser.csrf_token(&format!("/account/enrolments/{id}/check")).await;
        let refused = browser.post_form(&format!("/account/enrolments/{id}/submit"), &csrf, &[]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text.contains("giấy tờ chứng minh"), "{}", refused.text);

        // An executable renamed .pdf is refused, and nothing is stored.
        let csrf = browser.csrf_token(&page_path).await;
        let disguised = browser.post_file(&format!("{page_path}/evidence"), &csrf, ("giay-chung-nhan.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")).await;
        assert_eq!(disguised.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(disguised.text.contains("PDF, JPG"), "{}", disguised.text);
        let stored = || app.query(|conn| documents::table.count().get_result::<i64>(conn));
        assert_eq!(stored().await, 0);
        assert_eq!(std::fs::read_dir(app.uploads.path()).map(|d| d.count()).unwrap_or(0), 0);
        // Too large: refused with the limit named.
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(10 * 1024 * 1024 + 1, b' ');
        let too_big = browser.post_file(&format!("{page_path}/evidence"), &csrf, ("scan.pdf", &big)).await;
        assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_big.text.contains("10 MB"), "{}", too_big.text);
        assert_eq!(stored().await, 0);

        let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
        let uploaded = browser.post_file(&format!("{page_path}/evidence"), &csrf, ("giấy chứng nhận hộ nghèo.pdf", pdf)).await;
        assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.text);
        assert_eq!(stored().await, 1);
        let file = browser.get(&format!("{page_path}/evidence")).await;
        assert_eq!((file.status, file.header("content-type")), (StatusCode::OK, Some("application/pdf")));
        // Another citizen gets 404 for the page and the document.
        let (other, _) = citizen(&app).await;
        let mut stranger = Browser::new(&app);
        stranger.log_in(&other.email, &other.password).await;
        assert_eq!(stranger.get(&page_path).await.status, StatusCode::NOT_FOUND);
        assert_eq!(stranger.get(&format!("{page_path}/evidence")).await.status, StatusCode::NOT_FOUND);

        // Poor households (50%): 660,000 − 165,000 = 495,000 a month, shown before submitting.
        let check = browser.get(&format!("/account/enrolments/{id}/check")).await;
        assert!(check.text.contains("495.000"), "{}", check.text);
        let csrf = form_value(&check.text, "csrf_token").unwrap();
        let submitted = browser.post_form(&format!("/account/enrolments/{id}/submit"), &csrf, &[]).await;
        assert_eq!(location(&submitted), format!("{page_path}?submitted=1"));
        let page = browser.get(location(&submitted)).await;
        assert!(page.text.contains("Đã nộp"), "{}", page.text);
        app.mail.wait_for(&me.email, "").await;
    }
}
