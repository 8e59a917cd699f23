//! Payment runs: approved claims with a bank account batched once, the bank-transfer file with
//! full numbers and no formulas, paid claims visible to their citizen and emailed once,
//! returned payments back in the next run, and the run guarded by its version and by `Pay`.

use ansinh::accounts::model::Role;
use ansinh::db::schema::{accounts, audit_events, claims, payment_items, payment_runs};
use ansinh::payout::banks;
use ansinh::payout::model::{AccountNumber, PayoutChange};
use awc::http::StatusCode;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::staff::{signed_in_staff, staff_with_token};
use crate::support::{Citizen, TestApp, form_value, location, on_both_backends};

const RUNS: &str = "/api/v1/staff/payment-runs";

/// A citizen with a bearer token.
struct Claimant {
    citizen: Citizen,
    token: String,
    account_id: String,
}

async fn claimant(app: &TestApp, full_name: &str) -> Claimant {
    let mut citizen = Citizen::new();
    citizen.full_name = full_name.into();
    app.registered_citizen(&citizen).await;
    let reply = app.api_login(&citizen.email, &citizen.password).await;
    let token = reply.body["access_token"].as_str().unwrap().to_owned();
    let email = citizen.email.clone();
    let account_id = app
        .query(move |conn| {
            accounts::table
                .filter(accounts::email.eq(email))
                .select(accounts::id)
                .first::<String>(conn)
        })
        .await;
    Claimant {
        citizen,
        token,
        account_id,
    }
}

/// A claim of `who`, started through the API, then decided with `amount` (a planted decision:
/// the staff decision has its own tests).
async fn approved_claim(app: &TestApp, who: &Claimant, amount: i64) -> String {
    let reply = app
        .post_json_with(
            "/api/v1/me/claims",
            &who.token,
            &[("Idempotency-Key", &uuid::Uuid::new_v4().to_string())],
            &json!({ "kind": "maternity", "details": { "event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02" } }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.body["id"].as_str().unwrap().to_owned();
    let target = id.clone();
    app.write(move |conn| {
        diesel::update(claims::table.find(target))
            .set((
                claims::status.eq("approved"),
                claims::decided_amount.eq(amount),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await;
    id
}

/// Gives `who` a payout account (sealed as the app seals it).
async fn bank_account(
    app: &TestApp,
    who: &Claimant,
    bin: &'static str,
    number: &str,
    holder: &str,
) {
    let keys = app.state().keyring.clone();
    let account_id = who.account_id.clone();
    let change = PayoutChange {
        bank: banks::by_bin(bin).unwrap(),
        number: AccountNumber::parse(number).unwrap(),
        holder_name: holder.into(),
    };
    let now = app.clock.now();
    app.write(move |conn| {
        ansinh::payout::store::save(conn, &keys, &account_id, &change, now)?;
        Ok(())
    })
    .await;
}

async fn create_run(app: &TestApp, token: &str, key: &str) -> crate::support::Reply {
    app.post_json_with(RUNS, token, &[("Idempotency-Key", key)], &json!(null))
        .await
}

async fn settle(
    app: &TestApp,
    path: &str,
    token: &str,
    if_match: Option<&str>,
    body: &Value,
) -> crate::support::Reply {
    let headers: Vec<(&str, &str)> = if_match.map(|tag| ("If-Match", tag)).into_iter().collect();
    app.post_json_with(path, token, &headers, body).await
}

async fn audit_count(app: &TestApp, action: &'static str) -> i64 {
    app.query(move |conn| {
        audit_events::table
            .filter(audit_events::action.eq(action))
            .count()
            .get_result(conn)
    })
    .await
}

fn item_claims(run: &Value) -> Vec<String> {
    let mut ids: Vec<String> = run["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["claim_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

on_both_backends! {
    async fn a_run_batches_approved_claims_with_accounts_and_paying_it_pays_each_claim_once(backend) {
        let app = TestApp::spawn(backend).await;
        let an = claimant(&app, "Nguyễn Văn An").await;
        let binh = claimant(&app, "Lê Thị Bình").await;
        let cuc = claimant(&app, "Trần Thị Cúc").await;
        let dung = claimant(&app, "Phạm Văn Dũng").await;
        bank_account(&app, &an, "970436", "0071001234567", "Nguyễn Văn An").await;
        // A holder name a spreadsheet would run as a formula (planted: the API refuses it).
        bank_account(&app, &binh, "970415", "101234567", "=HYPERLINK(\"http://x\")").await;
        bank_account(&app, &dung, "970436", "0071009999999", "Phạm Văn Dũng").await;
        let claim_an = approved_claim(&app, &an, 5_060_000).await;
        let claim_binh = approved_claim(&app, &binh, 700_000).await;
        // Cúc has no bank account: paid at the office, never in a bank run.
        let claim_cuc = approved_claim(&app, &cuc, 1_000_000).await;
        // Dũng's claim is only a draft.
        let draft = app.post_json_with("/api/v1/me/claims", &dung.token, &[("Idempotency-Key", "d1")],
            &json!({ "kind": "maternity", "details": { "event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02" } })).await;
        assert_eq!(draft.status, StatusCode::CREATED);

        let (mut approver, token) = staff_with_token(&app, "duyet@vss.example.vn", Role::Approver).await;
        let (_, clerk) = staff_with_token(&app, "vien@vss.example.vn", Role::Clerk).await;
        assert_eq!(app.get_auth(RUNS, &clerk).await.status, StatusCode::FORBIDDEN);
        create_run(&app, &clerk, "k0").await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        app.post_json_with(RUNS, &token, &[], &json!(null)).await
            .assert_problem(StatusCode::BAD_REQUEST, "idempotency_key_required");

        let created = create_run(&app, &token, "run-1").await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        assert_eq!(item_claims(&created.body), sorted(vec![claim_an.clone(), claim_binh.clone()]));
        assert_eq!(created.body["total_amount"], 5_760_000);
        assert_eq!(created.body["item_count"], 2);
        assert_eq!(created.body["status"], "draft");
        let reference = created.body["reference"].as_str().unwrap().to_owned();
        assert!(reference.starts_with("PR-") && reference.ends_with("-001"), "{reference}");
        let run_id = created.body["id"].as_str().unwrap().to_owned();
        // The same request again replays the answer; a new one finds nothing waiting.
        let replay = create_run(&app, &token, "run-1").await;
        assert_eq!((replay.status, replay.body["id"].as_str()), (StatusCode::CREATED, Some(run_id.as_str())));
        create_run(&app, &token, "run-2").await.assert_problem(StatusCode::CONFLICT, "wrong_state");
        let runs: i64 = app.query(|conn| payment_runs::table.count().get_result(conn)).await;
        assert_eq!(runs, 1);
        assert_eq!(audit_count(&app, "payment_run.create").await, 1);
        let listed = app.get_auth(RUNS, &token).await;
        assert_eq!(listed.body.as_array().unwrap().len(), 1, "{}", listed.text);

        // Cúc's claim is listed for the office on the pages.
        let page = approver.get("/admin/payments").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let office = &page.text[page.text.find("id=\"office-heading\"").unwrap()..];
        assert!(office.contains("Trần Thị Cúc") && office.contains(&claim_cuc), "{office}");
        assert!(!office.contains("Nguyễn Văn An"));

        let path = format!("{RUNS}/{run_id}");
        let shown = app.get_auth(&path, &token).await;
        assert_eq!(shown.header("etag"), Some("\"v1\""));
        assert!(shown.text.contains("•••• 4567") && !shown.text.contains("0071001234567"));

        // Not before the file went to the bank.
        settle(&app, &format!("{path}/paid"), &token, Some("\"v1\""), &json!({ "paid_on": "2026-11-30" })).await
            .assert_problem(StatusCode::CONFLICT, "wrong_state");

        let csv = app.get_auth(&format!("{path}/export"), &token).await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.text);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        assert_eq!(csv.header("cache-control"), Some("no-store"));
        assert_eq!(csv.header("content-disposition").unwrap(), format!("attachment; filename=\"{reference}.csv\""));
        let lines: Vec<&str> = csv.text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3, "{}", csv.text);
        let line_of = |claim: &str| {
            let short = &claim.replace('-', "")[24..].to_ascii_uppercase();
            lines.iter().find(|l| l.contains(short.as_str())).copied().unwrap_or_else(|| panic!("{short} in {}", csv.text))
        };
        let an_line = line_of(&claim_an);
        assert!(an_line.contains(",970436,0071001234567,NGUYEN VAN AN,Nguyễn Văn An,5060000,BHXH "), "{an_line}");
        assert!(an_line.ends_with(&format!(" {reference},{reference}/{}", &an_line[..1])), "{an_line}");
        let binh_line = line_of(&claim_binh);
        assert!(binh_line.contains(",970415,101234567,"), "{binh_line}");
        assert!(binh_line.contains(",700000,"), "{binh_line}");
        assert!(binh_line.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{binh_line}");
        assert!(!csv.text.contains(",=") && !csv.text.contains("0071009999999"));
        assert_eq!(audit_count(&app, "payment_run.export").await, 1);
        assert_eq!(audit_count(&app, "record.read").await, 2, "each citizen's account read once");
        assert_eq!(app.get_auth(&path, &token).await.body["status"], "exported");
        assert_eq!(app.get_auth(&format!("{path}/export"), &clerk).await.status, StatusCode::FORBIDDEN);

        // Settling needs the run's version.
        let paid_path = format!("{path}/paid");
        let body = json!({ "paid_on": "2026-11-30", "bank_reference": "" });
        settle(&app, &paid_path, &token, None, &body).await
            .assert_problem(StatusCode::PRECONDITION_REQUIRED, "precondition_required");
        settle(&app, &paid_path, &token, Some("\"v7\""), &body).await
            .assert_problem(StatusCode::PRECONDITION_FAILED, "stale");
        settle(&app, &paid_path, &clerk, Some("\"v1\""), &body).await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
        let tomorrow = (app.clock.now().date() + chrono::Duration::days(1)).to_string();
        settle(&app, &paid_path, &token, Some("\"v1\""), &json!({ "paid_on": tomorrow })).await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let today = app.clock.now().date();
        let paid = settle(&app, &paid_path, &token, Some("\"v1\""), &json!({ "paid_on": today.to_string() })).await;
        assert_eq!(paid.status, StatusCode::OK, "{}", paid.text);
        assert_eq!(paid.header("etag"), Some("\"v2\""));
        assert_eq!(paid.body["status"], "closed");
        assert_eq!(paid.body["paid_amount"], 5_760_000);
        // The same change again from the old version is stale.
        settle(&app, &paid_path, &token, Some("\"v1\""), &body).await
            .assert_problem(StatusCode::PRECONDITION_FAILED, "stale");

        for (who, claim) in [(&an, &claim_an), (&binh, &claim_binh)] {
            let seen = app.get_auth(&format!("/api/v1/me/claims/{claim}"), &who.token).await;
            assert_eq!(seen.body["status"], "paid", "{}", seen.text);
            assert_eq!(seen.body["decision"]["paid_on"], today.to_string());
            let seq = paid.body["items"].as_array().unwrap().iter()
                .find(|i| i["claim_id"] == claim.as_str()).unwrap()["seq"].as_i64().unwrap();
            assert_eq!(seen.body["decision"]["payment_reference"], format!("{reference}/{seq}"));
            app.mail.wait_for(&who.citizen.email, "Đã chi trả").await;
            let notices = app.mail.to(&who.citizen.email).into_iter().filter(|m| m.subject().contains("Đã chi trả")).count();
            assert_eq!(notices, 1);
        }
        let cuc_claim = app.get_auth(&format!("/api/v1/me/claims/{claim_cuc}"), &cuc.token).await;
        assert_eq!(cuc_claim.body["status"], "approved");
        assert_eq!(audit_count(&app, "payment_run.mark_paid").await, 1);
        // A closed run has nothing left to export.
        app.get_auth(&format!("{path}/export"), &token).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
    }

    async fn a_returned_payment_leaves_the_claim_approved_and_the_next_run_takes_it_again(backend) {
        let app = TestApp::spawn(backend).await;
        let an = claimant(&app, "Nguyễn Văn An").await;
        let binh = claimant(&app, "Lê Thị Bình").await;
        bank_account(&app, &an, "970436", "0071001234567", "Nguyễn Văn An").await;
        bank_account(&app, &binh, "970415", "101234567", "Lê Thị Bình").await;
        let claim_an = approved_claim(&app, &an, 5_060_000).await;
        let claim_binh = approved_claim(&app, &binh, 700_000).await;
        let (_, token) = staff_with_token(&app, "quantri@vss.example.vn", Role::Admin).await;
        let created = create_run(&app, &token, "r1").await;
        let run_id = created.body["id"].as_str().unwrap().to_owned();
        let path = format!("{RUNS}/{run_id}");
        let returned = format!("{path}/items/{claim_an}/return");
        let reason = json!({ "reason": "Tài khoản đã đóng" });
        // Not before the export.
        settle(&app, &returned, &token, Some("\"v1\""), &reason).await.assert_problem(StatusCode::CONFLICT, "wrong_state");
        assert_eq!(app.get_auth(&format!("{path}/export"), &token).await.status, StatusCode::OK);

        settle(&app, &returned, &token, None, &reason).await.assert_problem(StatusCode::PRECONDITION_REQUIRED, "precondition_required");
        settle(&app, &returned, &token, Some("\"v2\""), &reason).await.assert_problem(StatusCode::PRECONDITION_FAILED, "stale");
        let fields = settle(&app, &returned, &token, Some("\"v1\""), &json!({ "reason": "  " })).await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(fields, ["reason"]);
        settle(&app, &format!("{path}/items/nope/return"), &token, Some("\"v1\""), &reason).await
            .assert_problem(StatusCode::NOT_FOUND, "not_found");
        let done = settle(&app, &returned, &token, Some("\"v1\""), &reason).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        assert_eq!(done.header("etag"), Some("\"v2\""));
        assert_eq!(done.body["status"], "exported");
        assert_eq!(done.body["returned_amount"], 5_060_000);
        // Returned once is returned.
        settle(&app, &returned, &token, Some("\"v2\""), &reason).await.assert_problem(StatusCode::CONFLICT, "wrong_state");

        let seen = app.get_auth(&format!("/api/v1/me/claims/{claim_an}"), &an.token).await;
        assert_eq!(seen.body["status"], "approved");
        let mail = app.mail.wait_for(&an.citizen.email, "trả lại").await;
        assert!(mail.text().contains("Tài khoản đã đóng") && mail.text().contains("/account/bank-account"), "{}", mail.text());
        assert_eq!(audit_count(&app, "payment_item.return").await, 1);

        // The rest is paid, and the run closes.
        let paid = settle(&app, &format!("{path}/paid"), &token, Some("\"v3\""), &json!({ "paid_on": app.clock.now().date().to_string(), "bank_reference": "VCB-7781" })).await;
        assert_eq!(paid.status, StatusCode::PRECONDITION_FAILED, "{}", paid.text);
        let paid = settle(&app, &format!("{path}/paid"), &token, Some("\"v2\""), &json!({ "paid_on": app.clock.now().date().to_string(), "bank_reference": "VCB-7781" })).await;
        assert_eq!(paid.status, StatusCode::OK, "{}", paid.text);
        assert_eq!(paid.body["status"], "closed");
        let seen = app.get_auth(&format!("/api/v1/me/claims/{claim_binh}"), &binh.token).await;
        assert_eq!((seen.body["status"].as_str(), seen.body["decision"]["payment_reference"].as_str()), (Some("paid"), Some("VCB-7781")));
        let seen = app.get_auth(&format!("/api/v1/me/claims/{claim_an}"), &an.token).await;
        assert_eq!(seen.body["status"], "approved");

        // Once the account is fixed, the next run takes the returned claim again, alone.
        let next = create_run(&app, &token, "r2").await;
        assert_eq!(next.status, StatusCode::CREATED, "{}", next.text);
        assert_eq!(item_claims(&next.body), vec![claim_an.clone()]);
        assert!(next.body["reference"].as_str().unwrap().ends_with("-002"));
        let live: i64 = app.query(move |conn| payment_items::table.filter(payment_items::claim_id.eq(claim_an)).count().get_result(conn)).await;
        assert_eq!(live, 2, "the returned item stays on record beside the new one");
    }

    async fn staff_batch_export_and_settle_runs_on_the_pages(backend) {
        let app = TestApp::spawn(backend).await;
        let an = claimant(&app, "Nguyễn Văn An").await;
        bank_account(&app, &an, "970436", "0071001234567", "Nguyễn Văn An").await;
        let claim_an = approved_claim(&app, &an, 5_060_000).await;
        let mut clerk = signed_in_staff(&app, "vien@vss.example.vn", Role::Clerk).await;
        assert_eq!(clerk.get("/admin/payments").await.status, StatusCode::FORBIDDEN);
        assert!(!clerk.get("/admin").await.text.contains("href=\"/admin/payments\""));
        let mut approver = signed_in_staff(&app, "duyet@vss.example.vn", Role::Approver).await;
        assert!(approver.get("/admin").await.text.contains("href=\"/admin/payments\""));

        let csrf = approver.csrf_token("/admin/payments").await;
        let created = approver.post_form("/admin/payments", &csrf, &[]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
        let run_page = location(&created).to_owned();
        // A double post finds nothing left to batch.
        let again = approver.post_form("/admin/payments", &csrf, &[]).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let runs: i64 = app.query(|conn| payment_runs::table.count().get_result(conn)).await;
        assert_eq!(runs, 1);

        let page = approver.get(&run_page).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("•••• 4567") && page.text.contains("Vietcombank") && !page.text.contains("0071001234567"));
        assert!(page.text.contains(&format!("/admin/claims/{claim_an}")));
        let version = form_value(&page.text, "version").unwrap();
        let csv = approver.get(&format!("{run_page}/export.csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.text.contains(",0071001234567,"));
        assert_eq!(csv.header("cache-control"), Some("no-store"));

        let csrf = form_value(&page.text, "csrf_token").unwrap();
        let today = app.clock.now().date().to_string();
        let stale = approver.post_form(&format!("{run_page}/paid"), &csrf, &[("version", "0"), ("paid_on", &today), ("bank_reference", "")]).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.text);
        let bad = approver.post_form(&format!("{run_page}/paid"), &csrf, &[("version", &version), ("paid_on", "30/11"), ("bank_reference", "")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("id=\"paid_on-error\""), "{}", bad.text);
        let paid = approver.post_form(&format!("{run_page}/paid"), &csrf, &[("version", &version), ("paid_on", &today), ("bank_reference", "")]).await;
        assert_eq!((paid.status, location(&paid)), (StatusCode::SEE_OTHER, run_page.as_str()));
        let seen = app.get_auth(&format!("/api/v1/me/claims/{claim_an}"), &an.token).await;
        assert_eq!(seen.body["status"], "paid");
        let closed = approver.get(&run_page).await;
        assert!(!closed.text.contains("export.csv"), "a closed run offers no export");
    }
}
