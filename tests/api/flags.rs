//! Fraud and duplicate flags: each kind raised once on a planted case and never on its near
//! miss, recomputation adding nothing, flags raised when a claim arrives, and the triage by
//! staff (a reason to dismiss, If-Match, 412 when stale, audited, a dismissed flag staying
//! dismissed, content editors kept out).

use ansinh::accounts::model::Role;
use ansinh::accounts::store::{NewAccount, insert_account};
use ansinh::db::DbConn;
use ansinh::db::schema::{
    audit_events, claim_events, claims, contribution_months, enrolment_members, enrolments, flags,
    payout_accounts, people, submission_origins,
};
use awc::http::StatusCode;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::staff::{signed_in_staff, staff_with_token};
use crate::support::{Citizen, TestApp, form_value, on_both_backends};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

/// A citizen account written directly (no registration needed to be flagged).
fn account(
    conn: &mut DbConn,
    id: &str,
    email: &str,
    phone: Option<&str>,
    personal_id: Option<&str>,
) -> QueryResult<()> {
    let now = at(2026, 1, 1, 0, 0);
    insert_account(
        conn,
        &NewAccount {
            id,
            kind: "citizen",
            role: None,
            email,
            personal_id,
            full_name: &format!("Người dân {id}"),
            birth_date: None,
            phone,
            password_hash: None,
            email_verified_at: Some(now),
            locale: "vi",
            is_demo: false,
            created_at: now,
            updated_at: now,
        },
    )
}

fn person(
    conn: &mut DbConn,
    id: &str,
    si_code: &str,
    personal_id: Option<&str>,
    name: &str,
    born: NaiveDate,
    died_on: Option<NaiveDate>,
) -> QueryResult<()> {
    diesel::insert_into(people::table)
        .values((
            people::id.eq(id),
            people::si_code.eq(si_code),
            people::personal_id.eq(personal_id),
            people::full_name.eq(name),
            people::birth_date.eq(born),
            people::sex.eq("male"),
            people::created_at.eq(at(2026, 1, 1, 0, 0)),
            people::died_on.eq(died_on),
        ))
        .execute(conn)?;
    Ok(())
}

/// A paid voluntary month (no employer needed).
fn month(conn: &mut DbConn, person: &str, first_day: NaiveDate) -> QueryResult<()> {
    diesel::insert_into(contribution_months::table)
        .values((
            contribution_months::id.eq(format!("{person}-{first_day}")),
            contribution_months::person_id.eq(person),
            contribution_months::scheme.eq("voluntary"),
            contribution_months::month.eq(first_day),
            contribution_months::salary_basis.eq(5_000_000_i64),
            contribution_months::pension_employee.eq(1_100_000_i64),
            contribution_months::pension_employer.eq(0_i64),
            contribution_months::sickness_employer.eq(0_i64),
            contribution_months::accident_employer.eq(0_i64),
            contribution_months::unemployment_employee.eq(0_i64),
            contribution_months::unemployment_employer.eq(0_i64),
            contribution_months::health_employee.eq(0_i64),
            contribution_months::health_employer.eq(0_i64),
            contribution_months::state_support.eq(0_i64),
            contribution_months::due_date.eq(first_day),
            contribution_months::paid_on.eq(Some(first_day)),
        ))
        .execute(conn)?;
    Ok(())
}

#[expect(
    clippy::too_many_arguments,
    reason = "one column each, read at the call sites"
)]
fn claim(
    conn: &mut DbConn,
    id: &str,
    account_id: &str,
    kind: &str,
    status: &str,
    details: Value,
    submitted_at: NaiveDateTime,
    paid_on: Option<NaiveDate>,
) -> QueryResult<()> {
    diesel::insert_into(claims::table)
        .values((
            claims::id.eq(id),
            claims::account_id.eq(account_id),
            claims::kind.eq(kind),
            claims::status.eq(status),
            claims::details.eq(details.to_string()),
            claims::submitted_at.eq(Some(submitted_at)),
            claims::paid_on.eq(paid_on),
            claims::created_at.eq(submitted_at),
            claims::updated_at.eq(submitted_at),
        ))
        .execute(conn)?;
    Ok(())
}

fn approved_on(conn: &mut DbConn, claim_id: &str, when: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(claim_events::table)
        .values((
            claim_events::claim_id.eq(claim_id),
            claim_events::seq.eq(2),
            claim_events::at.eq(when),
            claim_events::status.eq("approved"),
            claim_events::actor.eq("staff"),
        ))
        .execute(conn)?;
    Ok(())
}

fn payout(conn: &mut DbConn, account_id: &str, index: &str) -> QueryResult<()> {
    let now = at(2026, 1, 1, 0, 0);
    diesel::insert_into(payout_accounts::table)
        .values((
            payout_accounts::account_id.eq(account_id),
            payout_accounts::bank_bin.eq("970436"),
            payout_accounts::account_number_sealed.eq("v1:test:unused"),
            payout_accounts::account_number_index.eq(index),
            payout_accounts::holder_name.eq("NGUOI DAN"),
            payout_accounts::created_at.eq(now),
            payout_accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A household registration by `owner` listing `member_personal_id`.
fn household(
    conn: &mut DbConn,
    id: &str,
    owner: &str,
    member_personal_id: &str,
) -> QueryResult<()> {
    let now = at(2026, 1, 1, 0, 0);
    diesel::insert_into(enrolments::table)
        .values((
            enrolments::id.eq(id),
            enrolments::account_id.eq(owner),
            enrolments::kind.eq("household_hi"),
            enrolments::status.eq("approved"),
            enrolments::payment_mode.eq("yearly"),
            enrolments::start_month.eq(day(2026, 2, 1)),
            enrolments::created_at.eq(now),
            enrolments::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::insert_into(enrolment_members::table)
        .values((
            enrolment_members::enrolment_id.eq(id),
            enrolment_members::position.eq(1),
            enrolment_members::personal_id.eq(member_personal_id),
            enrolment_members::full_name.eq("Thành viên hộ"),
            enrolment_members::birth_date.eq(day(1992, 4, 4)),
            enrolment_members::relationship.eq("vợ"),
        ))
        .execute(conn)?;
    Ok(())
}

fn origin(
    conn: &mut DbConn,
    claim_id: &str,
    account_id: &str,
    ip: &str,
    when: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(submission_origins::table)
        .values((
            submission_origins::id.eq(format!("origin-{claim_id}")),
            submission_origins::subject_kind.eq("claim"),
            submission_origins::subject_id.eq(claim_id),
            submission_origins::account_id.eq(account_id),
            submission_origins::client_ip.eq(Some(ip)),
            submission_origins::device.eq(None::<String>),
            submission_origins::at.eq(when),
        ))
        .execute(conn)?;
    Ok(())
}

/// Plants one case of each kind and a near miss of each.
async fn plant_cases(app: &TestApp) {
    app.write(|conn| {
        // Shared phone: two unrelated people (one writes +84) — and a married couple on one
        // household registration sharing another number.
        account(conn, "phone-a", "phone.a@example.vn", Some("0901 111 222"), None)?;
        account(conn, "phone-b", "phone.b@example.vn", Some("+84901111222"), None)?;
        account(conn, "home-a", "home.a@example.vn", Some("0902333444"), Some("001090000501"))?;
        account(conn, "home-b", "home.b@example.vn", Some("0902333444"), Some("001192000502"))?;
        household(conn, "household-1", "home-a", "001192000502")?;
        // Shared inbox: Gmail ignores dots and +tags; a different name is someone else.
        account(conn, "mail-a", "tran.thi.binh@gmail.com", None, None)?;
        account(conn, "mail-b", "tranthibinh+bhxh@gmail.com", None, None)?;
        account(conn, "mail-c", "tranthibinh2@gmail.com", None, None)?;
        // Shared bank account: two unrelated people; the couple's shared account is normal.
        account(conn, "bank-a", "bank.a@example.vn", None, None)?;
        account(conn, "bank-b", "bank.b@example.vn", None, None)?;
        payout(conn, "bank-a", "index-shared")?;
        payout(conn, "bank-b", "index-shared")?;
        payout(conn, "home-a", "index-household")?;
        payout(conn, "home-b", "index-household")?;
        // Two SI codes: a second record of the same person (no ID, same name and birth date);
        // the near miss is a namesake born the next day.
        account(conn, "twin", "twin@example.vn", None, Some("001080000601"))?;
        person(conn, "twin-1", "0180000601", Some("001080000601"), "Lê Văn Tám", day(1980, 2, 3), None)?;
        person(conn, "twin-2", "0180000602", None, "Lê Văn Tám", day(1980, 2, 3), None)?;
        account(conn, "namesake", "namesake@example.vn", None, Some("001085000611"))?;
        person(conn, "name-1", "0185000611", Some("001085000611"), "Phạm Văn Năm", day(1985, 1, 1), None)?;
        person(conn, "name-2", "0185000612", None, "Phạm Văn Năm", day(1985, 1, 2), None)?;
        // After death: a sickness claim filed after the recorded death; the near misses are the
        // relative's funeral claim and a claim filed before the death.
        account(conn, "dead", "dead@example.vn", None, Some("001060000701"))?;
        person(conn, "dead-1", "0160000701", Some("001060000701"), "Ngô Văn Bảy", day(1960, 7, 7), Some(day(2026, 10, 1)))?;
        account(conn, "relative", "relative@example.vn", None, Some("001088000702"))?;
        let sickness = json!({"reason": "own_illness", "first_day": "2026-09-10", "last_day": "2026-09-12"});
        claim(conn, "claim-after-death", "dead", "sickness", "submitted", sickness.clone(), at(2026, 10, 15, 3, 0), None)?;
        claim(conn, "claim-before-death", "dead", "sickness", "approved", sickness, at(2026, 9, 20, 3, 0), None)?;
        let funeral = json!({"deceased_personal_id": "001060000701", "deceased_name": "Ngô Văn Bảy", "date_of_death": "2026-10-01", "relationship": "con"});
        claim(conn, "claim-funeral", "relative", "funeral", "submitted", funeral, at(2026, 10, 15, 4, 0), None)?;
        // Benefit while contributing: unemployment approved on 2026-04-20 (3 months of benefit:
        // April to June) and a new month in May; the near miss contributed up to the end of
        // the contract only.
        let unemployment = json!({"termination_date": "2026-03-31", "last_employer": "TA0001"});
        for (who, pid, extra) in [("working", "001087000801", true), ("idle", "001087000802", false)] {
            account(conn, who, &format!("{who}@example.vn"), None, Some(pid))?;
            person(conn, &format!("{who}-p"), &format!("01870008{}", if extra { "01" } else { "02" }), Some(pid), &format!("Người {who}"), day(1987, 8, 8), None)?;
            for m in 1..=3 {
                month(conn, &format!("{who}-p"), day(2026, m, 1))?;
            }
            if extra {
                month(conn, &format!("{who}-p"), day(2026, 5, 1))?;
            }
            let id = format!("claim-ui-{who}");
            claim(conn, &id, who, "unemployment", "approved", unemployment.clone(), at(2026, 4, 2, 3, 0), None)?;
            approved_on(conn, &id, at(2026, 4, 20, 3, 0))?;
        }
        // Bursts: three accounts from one address within the hour; the near misses are two
        // accounts from another address, and one account three times from a third.
        for (n, minute) in [(1, 0), (2, 20), (3, 40)] {
            let who = format!("burst-{n}");
            account(conn, &who, &format!("{who}@example.vn"), None, None)?;
            origin(conn, &format!("c-burst-{n}"), &who, "203.0.113.9", at(2026, 11, 29, 8, minute))?;
        }
        for (n, minute) in [(1, 0), (2, 30)] {
            let who = format!("pair-{n}");
            account(conn, &who, &format!("{who}@example.vn"), None, None)?;
            origin(conn, &format!("c-pair-{n}"), &who, "198.51.100.7", at(2026, 11, 29, 8, minute))?;
        }
        account(conn, "alone", "alone@example.vn", None, None)?;
        for minute in [0, 10, 20] {
            origin(conn, &format!("c-alone-{minute}"), "alone", "192.0.2.1", at(2026, 11, 29, 8, minute))?;
        }
        Ok(())
    })
    .await;
}

/// Runs the nightly detectors now; returns how many flags were added.
async fn nightly(app: &TestApp) -> usize {
    let keyring = app.state().keyring.clone();
    let limits = app.state().settings.limits.clone();
    let now = app.clock.now();
    app.write(move |conn| Ok(ansinh::flags::nightly(conn, &keyring, &limits, now)?))
        .await
}

/// The housekeeping loop's daily run.
async fn nightly_once(app: &TestApp) -> Option<usize> {
    let keyring = app.state().keyring.clone();
    let limits = app.state().settings.limits.clone();
    let now = app.clock.now();
    app.write(move |conn| Ok(ansinh::flags::nightly_once(conn, &keyring, &limits, now)?))
        .await
}

/// (kind, account, evidence) of every flag, by kind then account.
async fn all_flags(app: &TestApp) -> Vec<(String, String, Value)> {
    let mut rows: Vec<(String, String, String)> = app
        .query(|conn| {
            flags::table
                .select((flags::kind, flags::account_id, flags::evidence))
                .load(conn)
        })
        .await;
    rows.sort();
    rows.into_iter()
        .map(|(k, a, e)| (k, a, serde_json::from_str(&e).unwrap()))
        .collect()
}

async fn token_of(app: &TestApp, citizen: &Citizen) -> String {
    let reply = app.api_login(&citizen.email, &citizen.password).await;
    reply.body["access_token"].as_str().unwrap().to_owned()
}

/// Creates and submits a maternity claim through the API, with its papers.
async fn submit_claim(app: &TestApp, token: &str) -> String {
    let body = json!({ "kind": "maternity", "details": { "event": "birth", "event_date": "2026-11-02", "children": 1, "leave_from": "2026-11-02" } });
    let key = uuid::Uuid::new_v4().to_string();
    let created = app
        .post_json_with(
            "/api/v1/me/claims",
            token,
            &[("Idempotency-Key", &key)],
            &body,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.body["id"].as_str().unwrap().to_owned();
    crate::claims::complete(app, token, &id).await;
    let key = uuid::Uuid::new_v4().to_string();
    let submitted = app
        .post_json_with(
            &format!("/api/v1/me/claims/{id}/submit"),
            token,
            &[
                ("Idempotency-Key", &key),
                ("User-Agent", "Mozilla/5.0 (Linux; Android 14) Mobile"),
            ],
            &json!(null),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.text);
    id
}

on_both_backends! {
    async fn each_kind_is_flagged_once_on_its_planted_case_and_never_on_its_near_miss(backend) {
        let app = TestApp::spawn_at(backend, at(2026, 11, 29, 20, 0)).await;
        plant_cases(&app).await;
        let added = nightly(&app).await;
        let found = all_flags(&app).await;
        let summary: Vec<(&str, &str)> = found.iter().map(|(k, a, _)| (k.as_str(), a.as_str())).collect();
        assert_eq!(
            summary,
            [
                ("after_death", "dead"),
                ("benefit_overlaps_contributions", "working"),
                ("burst_from_one_origin", "burst-3"),
                ("personal_id_two_si_codes", "twin"),
                ("shared_bank_account", "bank-b"),
                ("shared_email", "mail-b"),
                ("shared_phone", "phone-b"),
            ],
            "{found:#?}"
        );
        assert_eq!(added, 7);
        let evidence = |kind: &str| found.iter().find(|(k, ..)| k == kind).unwrap().2.clone();
        assert_eq!(evidence("shared_phone")["accounts"], json!(["phone-a", "phone-b"]));
        assert_eq!(evidence("shared_phone")["value"], json!("…222"));
        assert_eq!(evidence("shared_email")["accounts"], json!(["mail-a", "mail-b"]));
        assert_eq!(evidence("shared_bank_account")["accounts"], json!(["bank-a", "bank-b"]));
        assert!(!evidence("shared_bank_account").to_string().contains("index-shared"));
        assert_eq!(evidence("personal_id_two_si_codes")["si_codes"], json!(["0180000601", "0180000602"]));
        assert!(!evidence("personal_id_two_si_codes").to_string().contains("001080000601"));
        assert_eq!(evidence("after_death")["claim"], json!("claim-after-death"));
        assert_eq!(evidence("after_death")["died_on"], json!("2026-10-01"));
        assert_eq!(evidence("benefit_overlaps_contributions")["months"], json!(["2026-05"]));
        assert_eq!(evidence("benefit_overlaps_contributions")["benefit_from"], json!("2026-04"));
        assert_eq!(evidence("burst_from_one_origin")["accounts"], json!(["burst-1", "burst-2"]));
        assert_eq!(evidence("burst_from_one_origin")["count"], json!(3));

        // The explanation is plain words with the evidence filled in.
        let (_, token) = staff_with_token(&app, "clerk.flags@example.vn", Role::Clerk).await;
        let listed = app.get_auth("/api/v1/staff/flags?kind=shared_phone", &token).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
        let list = listed.body.as_array().unwrap();
        assert_eq!(list.len(), 1);
        let explanation = list[0]["explanation"].as_str().unwrap();
        assert!(explanation.contains("2 ") && explanation.contains("…222"), "{explanation}");
        assert!(!explanation.contains('{'), "{explanation}");

        // Recomputing finds the same flags and adds none; the scheduled run goes once a day.
        assert_eq!(nightly(&app).await, 0);
        assert_eq!(all_flags(&app).await.len(), 7);
        assert_eq!(nightly_once(&app).await, Some(0));
        assert_eq!(nightly_once(&app).await, None);
        app.clock.advance(chrono::Duration::days(1));
        assert_eq!(nightly_once(&app).await, Some(0));
        assert_eq!(all_flags(&app).await.len(), 7);
    }

    async fn a_claim_arriving_records_its_origin_and_raises_the_flags_it_completes(backend) {
        let app = TestApp::spawn(backend).await;
        // Test citizens all register with the same phone number.
        let (first, second, third) = (Citizen::new(), Citizen::new(), Citizen::new());
        app.registered_citizen(&first).await;
        let first_claim = submit_claim(&app, &token_of(&app, &first).await).await;
        let origins: i64 = app.query(|conn| submission_origins::table.count().get_result(conn)).await;
        assert_eq!(origins, 1);
        let (ip, device): (Option<String>, Option<String>) = app
            .query(move |conn| {
                submission_origins::table
                    .filter(submission_origins::subject_id.eq(first_claim))
                    .select((submission_origins::client_ip, submission_origins::device))
                    .first(conn)
            })
            .await;
        assert_eq!(ip.as_deref(), Some("127.0.0.1"));
        assert!(device.is_some_and(|d| d.len() == 32));
        // The first claimant's phone is shared only once the second has registered: the second
        // claim raises the shared phone flag (and no burst yet, with two accounts).
        assert!(all_flags(&app).await.is_empty());
        app.registered_citizen(&second).await;
        submit_claim(&app, &token_of(&app, &second).await).await;
        let found = all_flags(&app).await;
        let kinds: Vec<&str> = found.iter().map(|(k, ..)| k.as_str()).collect();
        assert_eq!(kinds, ["shared_phone"], "{found:#?}");
        // The third account's claim from the same address within the hour completes a burst.
        app.registered_citizen(&third).await;
        let third_claim = submit_claim(&app, &token_of(&app, &third).await).await;
        let bursts: Vec<(Option<String>, String)> = app
            .query(|conn| {
                flags::table
                    .filter(flags::kind.eq("burst_from_one_origin"))
                    .select((flags::subject_id, flags::fingerprint))
                    .load(conn)
            })
            .await;
        // One by address and one by device (the same User-Agent each time).
        assert_eq!(bursts.len(), 2, "{bursts:?}");
        assert!(bursts.iter().all(|(s, _)| s.as_deref() == Some(third_claim.as_str())));
        // The nightly run finds what arrival found, and nothing twice.
        let before = all_flags(&app).await.len();
        assert_eq!(nightly(&app).await, 0);
        assert_eq!(all_flags(&app).await.len(), before);
    }

    async fn staff_triage_needs_a_reason_to_dismiss_and_the_current_version(backend) {
        let app = TestApp::spawn_at(backend, at(2026, 11, 29, 20, 0)).await;
        plant_cases(&app).await;
        nightly(&app).await;
        let (_, token) = staff_with_token(&app, "clerk.triage@example.vn", Role::Clerk).await;
        let (_, editor) = staff_with_token(&app, "editor.triage@example.vn", Role::ContentEditor).await;
        assert_eq!(app.get_auth("/api/v1/staff/flags", &editor).await.status, StatusCode::FORBIDDEN);

        let open = app.get_auth("/api/v1/staff/flags?status=open&kind=shared_phone", &token).await;
        let id = open.body[0]["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/staff/flags/{id}");
        app.get_auth("/api/v1/staff/flags?status=nonsense", &token)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

        // Reading it is a staff read of the citizen's record, and gives the version.
        let shown = app.get_auth(&path, &token).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert_eq!(shown.header("etag"), Some("\"v1\""));
        let reads: i64 = app
            .query(|conn| {
                audit_events::table
                    .filter(audit_events::subject.eq("account:phone-b"))
                    .count()
                    .get_result(conn)
            })
            .await;
        assert!(reads >= 1);

        let triage = format!("{path}/triage");
        let dismiss = json!({"status": "dismissed", "reason": "  "});
        let no_reason = app.post_json_with(&triage, &token, &[("If-Match", "\"v1\"")], &dismiss).await;
        let fields = no_reason.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(fields, ["reason"]);
        let reasoned = json!({"status": "dismissed", "reason": "Hai anh em ruột dùng chung điện thoại."});
        app.post_json_auth(&triage, &token, &reasoned)
            .await
            .assert_problem(StatusCode::PRECONDITION_REQUIRED, "precondition_required");
        app.post_json_with(&triage, &token, &[("If-Match", "\"v7\"")], &reasoned)
            .await
            .assert_problem(StatusCode::PRECONDITION_FAILED, "stale");
        app.post_json_with(&triage, &editor, &[("If-Match", "\"v1\"")], &reasoned)
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
        let done = app.post_json_with(&triage, &token, &[("If-Match", "\"v1\"")], &reasoned).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        assert_eq!(done.body["status"], json!("dismissed"));
        assert_eq!(done.header("etag"), Some("\"v2\""));
        // The same change from the old version loses.
        app.post_json_with(&triage, &token, &[("If-Match", "\"v1\"")], &json!({"status": "confirmed"}))
            .await
            .assert_problem(StatusCode::PRECONDITION_FAILED, "stale");
        let subject = format!("flag:{id}");
        let audited: Vec<String> = app
            .query(move |conn| {
                audit_events::table
                    .filter(audit_events::subject.eq(subject))
                    .select(audit_events::action)
                    .load(conn)
            })
            .await;
        assert_eq!(audited, ["flag.dismiss"]);

        // The nightly run finds the same phone again but the flag stays dismissed.
        assert_eq!(nightly(&app).await, 0);
        let again = app.get_auth(&path, &token).await;
        assert_eq!(again.body["status"], json!("dismissed"));
        assert_eq!(again.body["triage_reason"], json!("Hai anh em ruột dùng chung điện thoại."));
        assert_eq!(app.get_auth("/api/v1/staff/flags/nope", &token).await.status, StatusCode::NOT_FOUND);
    }

    async fn a_clerk_confirms_a_flag_on_its_page(backend) {
        let app = TestApp::spawn_at(backend, at(2026, 11, 29, 20, 0)).await;
        plant_cases(&app).await;
        nightly(&app).await;
        // Another open flag of the same citizen is listed on the page.
        app.write(|conn| {
            diesel::insert_into(flags::table)
                .values((
                    flags::id.eq("other-flag"),
                    flags::kind.eq("shared_email"),
                    flags::account_id.eq("dead"),
                    flags::evidence.eq(r#"{"accounts": ["dead", "mail-a"], "count": 2}"#),
                    flags::fingerprint.eq("planted"),
                    flags::status.eq("open"),
                    flags::version.eq(1_i64),
                    flags::created_at.eq(at(2026, 11, 29, 20, 0)),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await;
        let mut editor = signed_in_staff(&app, "editor.page@example.vn", Role::ContentEditor).await;
        assert_eq!(editor.get("/admin/flags").await.status, StatusCode::FORBIDDEN);
        let mut clerk = signed_in_staff(&app, "clerk.page@example.vn", Role::Clerk).await;
        let home = clerk.get("/admin").await;
        assert!(home.text.contains("href=\"/admin/flags\""));
        let list = clerk.get("/admin/flags?kind=after_death").await;
        assert_eq!(list.status, StatusCode::OK);
        let start = list.text.find("href=\"/admin/flags/").unwrap() + "href=\"".len();
        let link: String = list.text[start..].chars().take_while(|c| *c != '"').collect();
        let page = clerk.get(&link).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("/admin/claims/claim-after-death"), "{}", page.text);
        assert!(page.text.contains("2026-10-01"));
        assert!(page.text.contains("href=\"/admin/flags/other-flag\""), "{}", page.text);
        let csrf = form_value(&page.text, "csrf_token").unwrap();
        let version = form_value(&page.text, "version").unwrap();
        // Dismissing without a reason is refused on the page too.
        let refused = clerk
            .post_form(&link, &csrf, &[("status", "dismissed"), ("reason", ""), ("version", &version)])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let confirmed = clerk
            .post_form(&link, &csrf, &[("status", "confirmed"), ("reason", ""), ("version", &version)])
            .await;
        assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.text);
        // A second form made from the old version is stale.
        let stale = clerk
            .post_form(&link, &csrf, &[("status", "dismissed"), ("reason", "nhầm"), ("version", &version)])
            .await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
        let statuses: Vec<String> = app
            .query(|conn| flags::table.filter(flags::kind.eq("after_death")).select(flags::status).load(conn))
            .await;
        assert_eq!(statuses, ["confirmed"]);
        let confirms: i64 = app
            .query(|conn| audit_events::table.filter(audit_events::action.eq("flag.confirm")).count().get_result(conn))
            .await;
        assert_eq!(confirms, 1);
    }
}
