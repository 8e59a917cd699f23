//! The insurance book end to end: employers declare through the API with client credentials,
//! payments fill the oldest months, citizens read their months, summary and card, and clinics
//! check cards. Figures from DOMAIN.md (Example 6 and the 1 Jul 2026 base-salary change).

use ansinh::api_clients::{self, Binding, Credentials, Scope};
use ansinh::db::schema::{contribution_months, declarations, employers, health_cards, people};
use awc::http::StatusCode;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::support::{Browser, Citizen, Reply, TestApp, on_both_backends};

const UNIT: &str = "TE0001A";
const OTHER_UNIT: &str = "TE0002B";
const SI_CODE: &str = "0100000001";
const OTHER_SI_CODE: &str = "0100000002";
const PAYROLL: (&str, &str) = ("payroll-1", "payroll-1-secret-0123456789abcdef");
const OTHER_PAYROLL: (&str, &str) = ("payroll-2", "payroll-2-secret-0123456789abcdef");
const CLINIC: (&str, &str) = ("clinic-1", "clinic-1-secret-0123456789abcdef");

/// Two employers, two insured people (the first is `citizen`'s, with a card), two payroll
/// clients and a clinic client able to both verify cards and declare (to test token scopes).
struct Fixture {
    citizen: Citizen,
    token: String,
}

impl Fixture {
    async fn new(app: &TestApp) -> Self {
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let personal_id = citizen.personal_id.clone();
        let now = app.clock.now();
        app.write(move |conn| {
            for (unit, name) in [
                (UNIT, "Công ty Thử nghiệm Một"),
                (OTHER_UNIT, "Công ty Thử nghiệm Hai"),
            ] {
                diesel::insert_into(employers::table)
                    .values((
                        employers::id.eq(format!("employer-{unit}")),
                        employers::unit_code.eq(unit),
                        employers::tax_code.eq("0300000000"),
                        employers::name.eq(name),
                        employers::province_code.eq("79"),
                        employers::region.eq(1),
                        employers::created_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            for (id, si, pid, name) in [
                (
                    "person-1",
                    SI_CODE,
                    Some(personal_id.as_str()),
                    "Nguyễn Văn An",
                ),
                ("person-2", OTHER_SI_CODE, None, "Trần Thị Bình"),
            ] {
                diesel::insert_into(people::table)
                    .values((
                        people::id.eq(id),
                        people::si_code.eq(si),
                        people::personal_id.eq(pid),
                        people::full_name.eq(name),
                        people::birth_date.eq(NaiveDate::from_ymd_opt(1990, 5, 17).unwrap()),
                        people::sex.eq("male"),
                        people::created_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            diesel::insert_into(health_cards::table)
                .values((
                    health_cards::id.eq("card-1"),
                    health_cards::person_id.eq("person-1"),
                    health_cards::card_code.eq(format!("DN479{SI_CODE}")),
                    health_cards::object_code.eq("DN"),
                    health_cards::benefit_level.eq(4),
                    health_cards::valid_from.eq(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
                    health_cards::valid_to.eq(NaiveDate::from_ymd_opt(2099, 12, 31).unwrap()),
                    health_cards::facility_code.eq("79071"),
                    health_cards::facility_name.eq("Trạm y tế Thử nghiệm"),
                    health_cards::five_year_date.eq(NaiveDate::from_ymd_opt(2024, 3, 1)),
                    health_cards::issued_at.eq(now),
                ))
                .execute(conn)?;
            let fixed = |(id, secret): (&str, &str)| {
                Some(Credentials {
                    client_id: id.into(),
                    client_secret: secret.into(),
                })
            };
            api_clients::create(
                conn,
                "Payroll 1",
                &[Scope::DeclarationsWrite],
                &Binding::Employer(UNIT.into()),
                now,
                fixed(PAYROLL),
            )?;
            api_clients::create(
                conn,
                "Payroll 2",
                &[Scope::DeclarationsWrite],
                &Binding::Employer(OTHER_UNIT.into()),
                now,
                fixed(OTHER_PAYROLL),
            )?;
            api_clients::create(
                conn,
                "Phòng khám Thử nghiệm",
                &Scope::ALL,
                &Binding::Facility("79071".into()),
                now,
                fixed(CLINIC),
            )?;
            Ok(())
        })
        .await;
        let reply = app.api_login(&citizen.email, &citizen.password).await;
        let token = reply.body["access_token"]
            .as_str()
            .expect("token")
            .to_owned();
        Fixture { citizen, token }
    }
}

async fn client_token(app: &TestApp, (id, secret): (&str, &str), scope: Option<&str>) -> String {
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_id", id),
        ("client_secret", secret),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    let reply = app.post_form("/api/v1/oauth/token", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["access_token"].as_str().unwrap().to_owned()
}

async fn declare(app: &TestApp, token: &str, unit: &str, key: &str, body: &Value) -> Reply {
    app.post_json_with(
        &format!("/api/v1/employers/{unit}/declarations"),
        token,
        &[("Idempotency-Key", key)],
        body,
    )
    .await
}

fn one_worker(month: &str, salary: i64) -> Value {
    json!({ "month": month, "workers": [{ "si_code": SI_CODE, "salary": salary }] })
}

fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

on_both_backends! {
    async fn example_6_comes_out_to_the_dong_through_the_declarations_api(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let payroll = client_token(&app, PAYROLL, None).await;

        let reply = declare(&app, &payroll, UNIT, &key(), &one_worker("2026-08", 60_000_000)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        let worker = &reply.body["workers"][0];
        assert_eq!(worker["funds"], json!({
            "pension_employee": 4_048_000, "pension_employer": 7_084_000,
            "sickness_employer": 1_518_000, "accident_employer": 253_000,
            "unemployment_employee": 600_000, "unemployment_employer": 600_000,
            "health_employee": 759_000, "health_employer": 1_518_000,
        }));
        assert_eq!(worker["employee_share"], 5_407_000);
        assert_eq!(worker["employer_share"], 10_973_000);
        assert_eq!(reply.body["total_due"], 16_380_000);
        assert_eq!(reply.body["due_date"], "2026-09-30");

        // The worker sees the month at once, with the same figures; unpaid after 30 Sep it is owed.
        let months = app.get_auth("/api/v1/me/contributions?from=2026-01&to=2026-12", &fixture.token).await;
        assert_eq!(months.status, StatusCode::OK, "{}", months.text);
        assert_eq!(months.body["si_code"], SI_CODE);
        let month = &months.body["months"][0];
        assert_eq!(months.body["months"].as_array().unwrap().len(), 1);
        assert_eq!(month["month"], "2026-08");
        assert_eq!(month["employer"]["unit_code"], UNIT);
        assert_eq!(month["salary_basis"], 60_000_000);
        assert_eq!(month["employee_share"], 5_407_000);
        assert_eq!(month["status"], "owed");

        let summary = app.get_auth("/api/v1/me/contributions/summary", &fixture.token).await;
        assert_eq!(summary.status, StatusCode::OK, "{}", summary.text);
        assert_eq!(summary.body["unpaid"][0]["month"], "2026-08");
        assert_eq!(summary.body["unpaid"][0]["employer"]["name"], "Công ty Thử nghiệm Một");
        assert_eq!(summary.body["si_months"], 0, "owed months do not count yet");
    }

    async fn ceilings_and_rates_switch_on_the_day_the_base_salary_changes(backend) {
        let app = TestApp::spawn(backend).await;
        let _fixture = Fixture::new(&app).await;
        let payroll = client_token(&app, PAYROLL, None).await;
        let june = declare(&app, &payroll, UNIT, &key(), &one_worker("2026-06", 60_000_000)).await;
        let july = declare(&app, &payroll, UNIT, &key(), &one_worker("2026-07", 60_000_000)).await;
        // June: ceiling 20 × 2,340,000 = 46,800,000. July: 20 × 2,530,000 = 50,600,000.
        assert_eq!(june.body["workers"][0]["funds"]["pension_employee"], 3_744_000, "{}", june.text);
        assert_eq!(june.body["workers"][0]["funds"]["health_employee"], 702_000);
        assert_eq!(july.body["workers"][0]["funds"]["pension_employee"], 4_048_000, "{}", july.text);
        assert_eq!(july.body["workers"][0]["funds"]["health_employee"], 759_000);
        // UI's ceiling (20 × regional minimum wage, 106,200,000 in region I) is not reached.
        assert_eq!(june.body["workers"][0]["funds"]["unemployment_employee"], 600_000);
    }

    async fn payments_fill_the_oldest_owed_months_first(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let payroll = client_token(&app, PAYROLL, None).await;
        for month in ["2026-06", "2026-07", "2026-08"] {
            let reply = declare(&app, &payroll, UNIT, &key(), &one_worker(month, 10_000_000)).await;
            // 10.5% + 21.5% of 10,000,000.
            assert_eq!(reply.body["total_due"], 3_200_000, "{}", reply.text);
        }
        let pay = |amount: i64, day: &str| json!({ "amount": amount, "paid_on": day, "reference": format!("UNC-{day}") });
        let reply = app.post_json_with(&format!("/api/v1/employers/{UNIT}/payments"), &payroll, &[("Idempotency-Key", "pay-1")], &pay(4_000_000, "2026-10-05")).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        assert_eq!(reply.body["allocations"], json!([
            { "month": "2026-06", "amount": 3_200_000, "settled": true },
            { "month": "2026-07", "amount": 800_000, "settled": false },
        ]));
        assert_eq!(reply.body["credit"], 0);

        let months = app.get_auth("/api/v1/me/contributions", &fixture.token).await;
        let statuses: Vec<(&str, &str)> = months.body["months"].as_array().unwrap().iter()
            .map(|m| (m["month"].as_str().unwrap(), m["status"].as_str().unwrap()))
            .collect();
        assert_eq!(statuses, [("2026-06", "paid"), ("2026-07", "owed"), ("2026-08", "owed")]);
        assert_eq!(months.body["months"][0]["paid_on"], "2026-10-05");

        // Arrears: what is left of each owed month, with 0.03% interest per day late.
        let today = app.clock.now().date();
        let arrears = app.get_auth(&format!("/api/v1/employers/{UNIT}/arrears"), &payroll).await;
        assert_eq!(arrears.status, StatusCode::OK, "{}", arrears.text);
        let interest = |outstanding: i64, due: &str| {
            let days = (today - due.parse::<NaiveDate>().unwrap()).num_days();
            (outstanding * 3 * days + 5_000) / 10_000
        };
        assert_eq!(arrears.body["months"], json!([
            { "month": "2026-07", "due": 3_200_000, "paid": 800_000, "outstanding": 2_400_000, "due_date": "2026-08-31",
              "days_late": (today - NaiveDate::from_ymd_opt(2026, 8, 31).unwrap()).num_days(), "interest": interest(2_400_000, "2026-08-31") },
            { "month": "2026-08", "due": 3_200_000, "paid": 0, "outstanding": 3_200_000, "due_date": "2026-09-30",
              "days_late": (today - NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()).num_days(), "interest": interest(3_200_000, "2026-09-30") },
        ]));
        assert_eq!(arrears.body["total_outstanding"], 5_600_000);

        // Re-declaring June higher re-runs the allocation: June is no longer fully paid.
        declare(&app, &payroll, UNIT, &key(), &one_worker("2026-06", 20_000_000)).await;
        let months = app.get_auth("/api/v1/me/contributions?from=2026-06&to=2026-06", &fixture.token).await;
        assert_eq!(months.body["months"][0]["status"], "owed", "{}", months.text);

        // A second payment completes the oldest months in order, leaving credit at the end.
        let reply = app.post_json_with(&format!("/api/v1/employers/{UNIT}/payments"), &payroll, &[("Idempotency-Key", "pay-2")], &pay(20_000_000, "2026-11-02")).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        assert_eq!(reply.body["credit"], 4_000_000 + 20_000_000 - 6_400_000 - 3_200_000 - 3_200_000);
        let arrears = app.get_auth(&format!("/api/v1/employers/{UNIT}/arrears"), &payroll).await;
        assert_eq!(arrears.body["months"], json!([]));
    }

    async fn concurrent_payments_and_declarations_all_count(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let payroll = client_token(&app, PAYROLL, None).await;
        for month in ["2026-06", "2026-07", "2026-08"] {
            declare(&app, &payroll, UNIT, &key(), &one_worker(month, 10_000_000)).await;
        }
        // Ten payments at once, plus two re-declarations of the same month racing them.
        let path = format!("/api/v1/employers/{UNIT}/payments");
        let payments = (0..10).map(|i| {
            let (app, payroll, path) = (&app, payroll.clone(), path.clone());
            async move {
                let body = json!({ "amount": 1_000_000, "paid_on": "2026-10-01", "reference": format!("UNC-{i}") });
                app.post_json_with(&path, &payroll, &[("Idempotency-Key", &format!("race-{i}"))], &body).await.status
            }
        });
        let redeclarations = (0..2).map(|_| {
            let (app, payroll) = (&app, payroll.clone());
            async move { declare(app, &payroll, UNIT, &key(), &one_worker("2026-08", 10_000_000)).await.status }
        });
        let (paid, declared) = futures_util::future::join(
            futures_util::future::join_all(payments),
            futures_util::future::join_all(redeclarations),
        ).await;
        assert!(paid.iter().chain(&declared).all(|s| *s == StatusCode::CREATED), "{paid:?} {declared:?}");
        let versions: Vec<i32> = app.query(|conn| {
            declarations::table.filter(declarations::month.eq(NaiveDate::from_ymd_opt(2026, 8, 1).unwrap()))
                .order(declarations::version).select(declarations::version).load(conn)
        }).await;
        assert_eq!(versions, [1, 2, 3]);
        // 10,000,000 paid against 3 × 3,200,000: every month settled, 400,000 credit.
        let arrears = app.get_auth(&format!("/api/v1/employers/{UNIT}/arrears"), &payroll).await;
        assert_eq!(arrears.body["months"], json!([]), "{}", arrears.text);
        let months = app.get_auth("/api/v1/me/contributions", &fixture.token).await;
        assert!(months.body["months"].as_array().unwrap().iter().all(|m| m["status"] == "paid"), "{}", months.text);
    }

    async fn redeclaring_a_month_makes_a_new_version_and_retries_are_idempotent(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let payroll = client_token(&app, PAYROLL, None).await;
        let path = format!("/api/v1/employers/{UNIT}/declarations");

        let missing = app.post_json_auth(&path, &payroll, &one_worker("2026-08", 10_000_000)).await;
        missing.assert_problem(StatusCode::BAD_REQUEST, "idempotency_key_required");

        let first = declare(&app, &payroll, UNIT, "decl-aug", &one_worker("2026-08", 10_000_000)).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        assert_eq!(first.body["version"], 1);
        // A flaky connection resends: the same answer, nothing new.
        let retry = declare(&app, &payroll, UNIT, "decl-aug", &one_worker("2026-08", 10_000_000)).await;
        assert_eq!(retry.status, StatusCode::CREATED);
        assert_eq!(retry.body, first.body);
        assert_eq!(retry.header("idempotent-replayed"), Some("true"));
        // The same key with another body is refused.
        let reused = declare(&app, &payroll, UNIT, "decl-aug", &one_worker("2026-08", 12_000_000)).await;
        reused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");

        let second = declare(&app, &payroll, UNIT, "decl-aug-v2", &one_worker("2026-08", 12_000_000)).await;
        assert_eq!(second.body["version"], 2, "{}", second.text);

        let months = app.get_auth("/api/v1/me/contributions", &fixture.token).await;
        let list = months.body["months"].as_array().unwrap();
        assert_eq!(list.len(), 1, "the new version replaces the month: {}", months.text);
        assert_eq!(list[0]["salary_basis"], 12_000_000);
        let versions: Vec<i32> = app.query(|conn| {
            declarations::table.order(declarations::version).select(declarations::version).load(conn)
        }).await;
        assert_eq!(versions, [1, 2], "every version is kept");
    }

    async fn a_declaration_with_any_invalid_line_changes_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let payroll = client_token(&app, PAYROLL, None).await;
        let body = json!({ "month": "2026-08", "workers": [
            { "si_code": SI_CODE, "salary": 10_000_000 },
            { "si_code": "0999999999", "salary": 10_000_000 },
            { "personal_id": "001090999999", "salary": 10_000_000 },
            { "si_code": OTHER_SI_CODE, "salary": 4_000_000 },
            { "si_code": SI_CODE, "salary": 10_000_000 },
            { "salary": 10_000_000 },
        ]});
        let reply = declare(&app, &payroll, UNIT, &key(), &body).await;
        let fields = reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(fields, [
            "workers[1].si_code", "workers[2].personal_id", "workers[3].salary", "workers[4]", "workers[5].si_code",
        ]);
        let codes: Vec<&str> = reply.body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["unknown_worker", "unknown_worker", "salary_below_minimum_wage", "duplicate_worker", "required"]);
        let rows: i64 = app.query(|conn| contribution_months::table.count().get_result(conn)).await;
        let versions: i64 = app.query(|conn| declarations::table.count().get_result(conn)).await;
        assert_eq!((rows, versions), (0, 0));
        let months = app.get_auth("/api/v1/me/contributions", &fixture.token).await;
        assert_eq!(months.body["months"], json!([]));

        for (month, code) in [("2026-13", "month_format"), ("2015-01", "no_policy_for_date"), ("2099-01", "date_in_future")] {
            let reply = declare(&app, &payroll, UNIT, &key(), &one_worker(month, 10_000_000)).await;
            reply.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
            assert_eq!(reply.body["errors"][0]["code"], code, "{month}");
        }
    }

    async fn client_tokens_carry_scopes_and_act_only_for_their_employer(backend) {
        let app = TestApp::spawn(backend).await;
        let _fixture = Fixture::new(&app).await;
        let other = client_token(&app, OTHER_PAYROLL, None).await;
        let reply = declare(&app, &other, UNIT, &key(), &one_worker("2026-08", 10_000_000)).await;
        reply.assert_problem(StatusCode::NOT_FOUND, "not_found");
        let reply = app.get_auth(&format!("/api/v1/employers/{UNIT}/arrears"), &other).await;
        reply.assert_problem(StatusCode::NOT_FOUND, "not_found");

        // A clinic token asked for cards:verify only cannot declare; one asked for
        // declarations:write only cannot check cards.
        let verify_only = client_token(&app, CLINIC, Some("cards:verify")).await;
        let reply = declare(&app, &verify_only, UNIT, &key(), &one_worker("2026-08", 10_000_000)).await;
        reply.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        let declare_only = client_token(&app, CLINIC, Some("declarations:write")).await;
        let check = json!({ "card_number": SI_CODE, "full_name": "Nguyễn Văn An", "birth_date": "1990-05-17" });
        let reply = app.post_json_auth("/api/v1/health-cards/verify", &declare_only, &check).await;
        reply.assert_problem(StatusCode::FORBIDDEN, "forbidden");

        let reply = app.post_json("/api/v1/health-cards/verify", &check).await;
        reply.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");
        // A citizen's token is not a client token.
        let citizen = _fixture.token.clone();
        let reply = app.post_json_auth("/api/v1/health-cards/verify", &citizen, &check).await;
        reply.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");

        // Token endpoint errors in the OAuth2 shape.
        let wrong = app.post_form("/api/v1/oauth/token", &[("grant_type", "client_credentials"), ("client_id", CLINIC.0), ("client_secret", "wrong")]).await;
        assert_eq!((wrong.status, wrong.body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")));
        let scope = app.post_form("/api/v1/oauth/token", &[("grant_type", "client_credentials"), ("client_id", PAYROLL.0), ("client_secret", PAYROLL.1), ("scope", "cards:verify")]).await;
        assert_eq!((scope.status, scope.body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_scope")));
        let grant = app.post_form("/api/v1/oauth/token", &[("grant_type", "password")]).await;
        assert_eq!(grant.body["error"], "unsupported_grant_type");

        // A revoked client's tokens stop working at once.
        let payroll = client_token(&app, PAYROLL, None).await;
        let now = app.clock.now();
        app.write(move |conn| Ok(api_clients::revoke(conn, PAYROLL.0, now)?)).await;
        let reply = app.get_auth(&format!("/api/v1/employers/{UNIT}/arrears"), &payroll).await;
        reply.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");
    }

    async fn clinics_check_cards_and_the_holder_sees_every_check(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let clinic = client_token(&app, CLINIC, Some("cards:verify")).await;
        let verify = |body: Value| { let app = &app; let clinic = clinic.clone(); async move {
            let reply = app.post_json_auth("/api/v1/health-cards/verify", &clinic, &body).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
            reply.body
        }};

        let good = verify(json!({ "card_number": SI_CODE, "full_name": "NGUYỄN  văn an", "birth_date": "1990-05-17" })).await;
        assert_eq!(good, json!({
            "valid": true, "reason": "valid", "benefit_level": 4, "benefit_percent": 80,
            "valid_from": "2026-01-01", "valid_to": "2099-12-31",
            "primary_care_facility": { "code": "79071", "name": "Trạm y tế Thử nghiệm" },
            "five_year_date": "2024-03-01",
        }));
        let by_code = verify(json!({ "card_number": format!("DN479{SI_CODE}"), "full_name": "Nguyễn Văn An", "birth_date": "1990-05-17" })).await;
        assert_eq!(by_code["valid"], true);
        // A wrong birth date, a wrong name, an unknown number: "not valid", nothing else.
        for body in [
            json!({ "card_number": SI_CODE, "full_name": "Nguyễn Văn An", "birth_date": "1990-05-18" }),
            json!({ "card_number": SI_CODE, "full_name": "Nguyễn Văn Anh", "birth_date": "1990-05-17" }),
            json!({ "card_number": "0123456780", "full_name": "Nguyễn Văn An", "birth_date": "1990-05-17" }),
        ] {
            assert_eq!(verify(body).await, json!({ "valid": false, "reason": "no_match" }));
        }

        // The QR on the card verifies with the published key, offline, and online.
        let card = app.get_auth("/api/v1/me/health-card", &fixture.token).await;
        assert_eq!(card.status, StatusCode::OK, "{}", card.text);
        assert_eq!(card.body["number"], SI_CODE);
        assert_eq!(card.body["card_code"], format!("DN479{SI_CODE}"));
        let payload = card.body["qr_payload"].as_str().unwrap().to_owned();
        let key = app.get("/api/v1/health-cards/public-key").await;
        assert_eq!(key.body["algorithm"], "Ed25519");
        use base64::Engine;
        let raw: [u8; 32] = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(key.body["public_key"].as_str().unwrap()).unwrap().try_into().unwrap();
        let public = ed25519_dalek::VerifyingKey::from_bytes(&raw).unwrap();
        let claims = ansinh::health_card::signing::verify_with(&public, &payload).expect("the QR verifies");
        assert_eq!((claims.n.as_str(), claims.b.as_str()), ("Nguyễn Văn An", "1990-05-17"));
        let mut tampered = payload.clone().into_bytes();
        tampered[10] = if tampered[10] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(ansinh::health_card::signing::verify_with(&public, &tampered).is_err());
        assert_eq!(verify(json!({ "qr_payload": payload })).await["valid"], true);
        assert_eq!(verify(json!({ "qr_payload": tampered })).await, json!({ "valid": false, "reason": "bad_signature" }));
        // Bad input is refused, field by field, and not recorded as a check.
        let empty = app.post_json_auth("/api/v1/health-cards/verify", &clinic, &json!({})).await;
        assert_eq!(empty.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["card_number", "full_name", "birth_date"]);
        let malformed = app.post_json_auth("/api/v1/health-cards/verify", &clinic, &json!({ "card_number": "12AB", "full_name": "A", "birth_date": "17/05/1990" })).await;
        assert_eq!(malformed.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["card_number", "birth_date"]);

        // Every check of the card is in the holder's access log, with who checked.
        let log = app.get_auth("/api/v1/me/access-log", &fixture.token).await;
        let entries = log.body["entries"].as_array().unwrap();
        let outcomes: Vec<&str> = entries.iter().map(|e| e["outcome"].as_str().unwrap()).collect();
        assert_eq!(outcomes, ["valid", "no_match", "no_match", "valid", "valid"], "{}", log.text);
        assert!(entries.iter().all(|e| e["checked_by"] == "Phòng khám Thử nghiệm"));
    }

    async fn checks_arriving_together_are_each_recorded_before_the_answer(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let clinic = client_token(&app, CLINIC, Some("cards:verify")).await;
        let body = json!({ "card_number": SI_CODE, "full_name": "Nguyễn Văn An", "birth_date": "1990-05-17" });
        let checks = (0..40).map(|_| app.post_json_auth("/api/v1/health-cards/verify", &clinic, &body));
        let answers = futures_util::future::join_all(checks).await;
        assert!(answers.iter().all(|a| a.status == StatusCode::OK && a.body["valid"] == true));
        // Every answered check is already on record (they share commits, not rows).
        let recorded: i64 = app.query(|conn| {
            use ansinh::db::schema::card_checks;
            card_checks::table.count().get_result(conn)
        }).await;
        assert_eq!(recorded, 40);
        let log = app.get_auth("/api/v1/me/access-log", &fixture.token).await;
        assert_eq!(log.body["entries"].as_array().unwrap().len(), 40);
    }

    async fn citizens_see_only_their_own_book_card_and_access_log(backend) {
        let app = TestApp::spawn(backend).await;
        let fixture = Fixture::new(&app).await;
        let payroll = client_token(&app, PAYROLL, None).await;
        declare(&app, &payroll, UNIT, &key(), &one_worker("2026-08", 10_000_000)).await;
        let clinic = client_token(&app, CLINIC, Some("cards:verify")).await;
        app.post_json_auth("/api/v1/health-cards/verify", &clinic, &json!({ "card_number": SI_CODE, "full_name": "Nguyễn Văn An", "birth_date": "1990-05-17" })).await;

        // Another citizen, with no insurance record: nothing of the first one's.
        let other = Citizen::new();
        app.registered_citizen(&other).await;
        let token = app.api_login(&other.email, &other.password).await.body["access_token"].as_str().unwrap().to_owned();
        let months = app.get_auth("/api/v1/me/contributions", &token).await;
        assert_eq!(months.body["months"], json!([]), "{}", months.text);
        assert!(months.body.get("si_code").is_none());
        app.get_auth("/api/v1/me/contributions/summary", &token).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        app.get_auth("/api/v1/me/health-card", &token).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        assert_eq!(app.get_auth("/api/v1/me/access-log", &token).await.body["entries"], json!([]));
        for query in ["from=2026-13", "from=2026-08&to=2026-01", "to="] {
            let bad = app.get_auth(&format!("/api/v1/me/contributions?{query}"), &fixture.token).await;
            bad.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        }
        for path in ["/api/v1/me/contributions", "/api/v1/me/health-card", "/api/v1/me/access-log"] {
            app.get(path).await.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");
        }

        // The pages show each citizen their own, and the CSV is theirs.
        let mut mine = Browser::new(&app);
        mine.log_in(&fixture.citizen.email, &fixture.citizen.password).await;
        let book = mine.get("/account/book").await;
        assert_eq!(book.status, StatusCode::OK);
        assert!(book.text.contains(SI_CODE) && book.text.contains("class=\"owed\""), "{}", book.text);
        let csv = mine.get("/account/book.csv").await;
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert!(csv.text.starts_with('\u{feff}'));
        assert!(csv.text.contains(&format!("2026-08,compulsory,{UNIT},Công ty Thử nghiệm Một,10000000,")), "{}", csv.text);
        assert!(csv.text.lines().nth(1).unwrap().ends_with(",owed,"));
        let card = mine.get("/account/card").await;
        assert!(card.text.contains(&format!("DN479{SI_CODE}")) && card.text.contains("<svg"));
        let log = mine.get("/account/access-log").await;
        assert!(log.text.contains("Phòng khám Thử nghiệm"));

        let mut theirs = Browser::new(&app);
        theirs.log_in(&other.email, &other.password).await;
        for path in ["/account/book", "/account/card", "/account/access-log", "/account/book/statement"] {
            let page = theirs.get(path).await;
            assert!(!page.text.contains(SI_CODE) && !page.text.contains("Phòng khám Thử nghiệm"), "{path}");
        }
        assert_eq!(theirs.get("/account/book.csv").await.status, StatusCode::NOT_FOUND);
        // Signed out, the pages send you to log in.
        let anonymous = Browser::new(&app).get("/account/book").await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    }
}
