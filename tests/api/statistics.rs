//! Statistics: participants by scheme and province, coverage against targets, claims by kind
//! and status, decision times and breaches, employers' arrears — each figure checked against
//! planted rows; CSV exports; the public page without names; targets set by administrators
//! only, with optimistic concurrency.

use ansinh::accounts::model::Role;
use ansinh::db::schema::{
    accounts, audit_events, claim_events, claims, contribution_months, employer_months, employers,
    enrolment_members, enrolments, people,
};
use awc::http::StatusCode;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::staff::{signed_in_staff, staff_with_token};
use crate::support::{Reply, TestApp, form_value, on_both_backends};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// 20 Nov 2026, 10:00 in Vietnam: the last complete month is 2026-10.
fn start() -> NaiveDateTime {
    at("2026-11-20 03:00")
}

const SONG_HONG: &str = "Công ty TNHH Sông Hồng";
const BEN_NGHE: &str = "Công ty CP Bến Nghé";
/// A name a spreadsheet would run as a formula.
const FORMULA: &str = "=HYPERLINK(\"http://x\")";
const CITIZEN: &str = "Trần Thị Bình";

/// A claim to plant: id, kind, status, submitted, due, and its events after submission.
type PlantedClaim = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static [(&'static str, &'static str)],
);

/// Employers in Hà Nội (01) and in old Bình Dương (74, now TP. Hồ Chí Minh 79), their workers'
/// months, voluntary and household registrations, claims with their events, and arrears.
fn plant(conn: &mut ansinh::db::DbConn) -> anyhow::Result<()> {
    let now = start();
    for (id, tax, name, province) in [
        ("e1", "0101111111", SONG_HONG, "01"),
        ("e2", "0302222222", BEN_NGHE, "74"),
        ("e3", "0303333333", FORMULA, "79"),
    ] {
        diesel::insert_into(employers::table)
            .values((
                employers::id.eq(id),
                employers::unit_code.eq(format!("U{id}")),
                employers::tax_code.eq(tax),
                employers::name.eq(name),
                employers::province_code.eq(province),
                employers::region.eq(1),
                employers::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    for (id, name) in [
        ("p1", "Nguyễn Văn An"),
        ("p2", "Lê Thị Hoa"),
        ("p3", "Phạm Văn Cường"),
        ("p4", "Đỗ Minh Đức"),
    ] {
        diesel::insert_into(people::table)
            .values((
                people::id.eq(id),
                people::si_code.eq(format!("01000000{id}")),
                people::full_name.eq(name),
                people::birth_date.eq(day("1990-05-17")),
                people::sex.eq("male"),
                people::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    // October: p1 and p2 at e1 (01), p3 at e2 (74 → 79); p4 only in September; p1 also has a
    // voluntary month in October, which is not compulsory participation.
    let months = [
        ("m1", "p1", Some("e1"), "compulsory", "2026-10-01"),
        ("m2", "p2", Some("e1"), "compulsory", "2026-10-01"),
        ("m3", "p3", Some("e2"), "compulsory", "2026-10-01"),
        ("m4", "p4", Some("e2"), "compulsory", "2026-09-01"),
        ("m5", "p1", None, "voluntary", "2026-10-01"),
        ("m6", "p1", Some("e1"), "compulsory", "2026-09-01"),
    ];
    for (id, person, employer, scheme, month) in months {
        diesel::insert_into(contribution_months::table)
            .values((
                contribution_months::id.eq(id),
                contribution_months::person_id.eq(person),
                contribution_months::employer_id.eq(employer),
                contribution_months::scheme.eq(scheme),
                contribution_months::month.eq(day(month)),
                contribution_months::salary_basis.eq(10_000_000_i64),
                contribution_months::pension_employee.eq(0_i64),
                contribution_months::pension_employer.eq(0_i64),
                contribution_months::sickness_employer.eq(0_i64),
                contribution_months::accident_employer.eq(0_i64),
                contribution_months::unemployment_employee.eq(0_i64),
                contribution_months::unemployment_employer.eq(0_i64),
                contribution_months::health_employee.eq(0_i64),
                contribution_months::health_employer.eq(0_i64),
                contribution_months::state_support.eq(0_i64),
                contribution_months::due_date.eq(day("2026-11-30")),
            ))
            .execute(conn)?;
    }
    for (id, personal_id, name) in [
        ("a1", Some("001090001234"), CITIZEN),
        ("a2", Some("079085004321"), "Võ Thị Lan"),
        ("a3", None, "Hồ Văn Minh"),
    ] {
        diesel::insert_into(accounts::table)
            .values((
                accounts::id.eq(id),
                accounts::kind.eq("citizen"),
                accounts::email.eq(format!("{id}@example.vn")),
                accounts::personal_id.eq(personal_id),
                accounts::full_name.eq(name),
                accounts::locale.eq("vi"),
                accounts::is_active.eq(true),
                accounts::is_demo.eq(false),
                accounts::created_at.eq(now),
                accounts::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    // Voluntary SI: only v1 covers October (v2 not decided, v3 stopped in September, v4
    // starts in December). Household HI: h1's three members from October.
    let registrations = [
        (
            "v1",
            "a1",
            "voluntary_si",
            "approved",
            "2026-09-01",
            Some("2026-08-25 02:00"),
            None,
        ),
        (
            "v2",
            "a2",
            "voluntary_si",
            "submitted",
            "2026-10-01",
            None,
            None,
        ),
        (
            "v3",
            "a3",
            "voluntary_si",
            "stopped",
            "2026-05-01",
            Some("2026-04-20 02:00"),
            Some("2026-09-15 02:00"),
        ),
        (
            "v4",
            "a2",
            "voluntary_si",
            "approved",
            "2026-12-01",
            Some("2026-11-10 02:00"),
            None,
        ),
        (
            "h1",
            "a2",
            "household_hi",
            "approved",
            "2026-10-01",
            Some("2026-09-20 02:00"),
            None,
        ),
    ];
    for (id, account, kind, status, start_month, decided, stopped) in registrations {
        diesel::insert_into(enrolments::table)
            .values((
                enrolments::id.eq(id),
                enrolments::account_id.eq(account),
                enrolments::kind.eq(kind),
                enrolments::status.eq(status),
                enrolments::payment_mode.eq("monthly"),
                enrolments::start_month.eq(day(start_month)),
                enrolments::decided_at.eq(decided.map(at)),
                enrolments::stopped_at.eq(stopped.map(at)),
                enrolments::created_at.eq(now),
                enrolments::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    // Members born in TP.HCM (079), Đà Nẵng (048) and a code that names no province (099).
    for (position, personal_id) in [
        (1, "079200001111"),
        (2, "048300002222"),
        (3, "099300003333"),
    ] {
        diesel::insert_into(enrolment_members::table)
            .values((
                enrolment_members::enrolment_id.eq("h1"),
                enrolment_members::position.eq(position),
                enrolment_members::personal_id.eq(personal_id),
                enrolment_members::full_name.eq(format!("Thành viên {position}")),
                enrolment_members::birth_date.eq(day("2000-01-01")),
                enrolment_members::relationship.eq("child"),
            ))
            .execute(conn)?;
    }
    // Claims: (id, kind, status, submitted, due, events after submission).
    let planted: [PlantedClaim; 7] = [
        // 2.0 days, on time.
        (
            "c1",
            "sickness",
            "approved",
            Some("2026-11-02 01:00"),
            Some("2026-11-10"),
            &[("approved", "2026-11-04 01:00")],
        ),
        // 5.5 days, decided 7 Nov (Vietnam) after its 5 Nov deadline: 2 days late.
        (
            "c2",
            "sickness",
            "rejected",
            Some("2026-11-02 01:00"),
            Some("2026-11-05"),
            &[
                ("in_review", "2026-11-03 01:00"),
                ("rejected", "2026-11-07 13:00"),
            ],
        ),
        // 1.0 day, then paid.
        (
            "c3",
            "maternity",
            "paid",
            Some("2026-11-01 00:00"),
            Some("2026-11-15"),
            &[
                ("approved", "2026-11-02 00:00"),
                ("paid", "2026-11-06 00:00"),
            ],
        ),
        // Still in review, due 17 Nov: 3 days late on 20 Nov.
        (
            "c4",
            "unemployment",
            "in_review",
            Some("2026-11-03 02:00"),
            Some("2026-11-17"),
            &[("in_review", "2026-11-04 02:00")],
        ),
        // Due later.
        (
            "c5",
            "funeral",
            "submitted",
            Some("2026-11-18 02:00"),
            Some("2026-11-25"),
            &[],
        ),
        // A draft: counted nowhere.
        ("c6", "sickness", "draft", None, None, &[]),
        // Withdrawn before a decision: received, never a breach.
        (
            "c7",
            "lump_sum",
            "withdrawn",
            Some("2026-11-05 02:00"),
            Some("2026-11-06"),
            &[("withdrawn", "2026-11-05 05:00")],
        ),
    ];
    for (id, kind, status, submitted, due, events) in planted {
        diesel::insert_into(claims::table)
            .values((
                claims::id.eq(id),
                claims::account_id.eq("a1"),
                claims::kind.eq(kind),
                claims::status.eq(status),
                claims::details.eq("{}"),
                claims::submitted_at.eq(submitted.map(at)),
                claims::decision_due.eq(due.map(day)),
                claims::created_at.eq(at("2026-11-01 00:00")),
                claims::updated_at.eq(now),
            ))
            .execute(conn)?;
        let mut rows = vec![("draft", "2026-11-01 00:00")];
        if let Some(submitted) = submitted {
            rows.push(("submitted", submitted));
        }
        rows.extend_from_slice(events);
        for (seq, (event_status, when)) in (1..).zip(rows) {
            diesel::insert_into(claim_events::table)
                .values((
                    claim_events::claim_id.eq(id),
                    claim_events::seq.eq(seq),
                    claim_events::at.eq(at(when)),
                    claim_events::status.eq(event_status),
                    claim_events::actor.eq("citizen"),
                ))
                .execute(conn)?;
        }
    }
    // Arrears on 20 Nov: e1 owes 6M (Aug) + 10M (Sep) = 16M over 2 months (October is not
    // due yet); e2 owes 20M (1 month); e3 owes 3M (Aug; September is paid).
    let account = [
        (
            "e1",
            "2026-08-01",
            10_000_000_i64,
            4_000_000_i64,
            "2026-09-30",
        ),
        ("e1", "2026-09-01", 10_000_000, 0, "2026-10-31"),
        ("e1", "2026-10-01", 10_000_000, 0, "2026-11-30"),
        ("e2", "2026-09-01", 20_000_000, 0, "2026-10-31"),
        ("e3", "2026-08-01", 3_000_000, 0, "2026-09-30"),
        ("e3", "2026-09-01", 5_000_000, 5_000_000, "2026-10-31"),
    ];
    for (employer, month, due, paid, due_date) in account {
        diesel::insert_into(employer_months::table)
            .values((
                employer_months::employer_id.eq(employer),
                employer_months::month.eq(day(month)),
                employer_months::due.eq(due),
                employer_months::paid.eq(paid),
                employer_months::due_date.eq(day(due_date)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

async fn put_target(
    app: &TestApp,
    token: &str,
    path: &str,
    if_match: Option<&str>,
    body: Value,
) -> Reply {
    let mut request = app.client().put(app.url(path)).bearer_auth(token);
    if let Some(tag) = if_match {
        request = request.insert_header(("If-Match", tag));
    }
    Reply::read(request.send_json(&body).await.unwrap()).await
}

fn target_sets(app: &TestApp) -> impl std::future::Future<Output = i64> + '_ {
    app.query(|conn| {
        audit_events::table
            .filter(audit_events::action.eq("coverage_target.set"))
            .count()
            .get_result::<i64>(conn)
    })
}

on_both_backends! {
    async fn staff_figures_match_the_planted_rows_and_targets_change_coverage(backend) {
        let app = TestApp::spawn_at(backend, start()).await;
        app.write(plant).await;
        let (_, token) = staff_with_token(&app, "admin@ansinh.vn", Role::Admin).await;

        let reply = app.get_auth("/api/v1/staff/statistics", &token).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        let stats = reply.body;
        assert_eq!(stats["month"], "2026-10");
        assert_eq!(stats["as_of"], "2026-11-20");
        assert_eq!(
            stats["schemes"],
            json!([
                {"scheme": "compulsory_si", "participants": 3, "target": null, "coverage_percent": null},
                {"scheme": "voluntary_si", "participants": 1, "target": null, "coverage_percent": null},
                {"scheme": "household_hi", "participants": 3, "target": null, "coverage_percent": null},
            ])
        );
        assert_eq!(
            stats["provinces"],
            json!([
                {"code": "01", "name": "Hà Nội", "compulsory_si": 2, "voluntary_si": 1, "household_hi": 0},
                {"code": "48", "name": "Đà Nẵng", "compulsory_si": 0, "voluntary_si": 0, "household_hi": 1},
                {"code": "79", "name": "TP. Hồ Chí Minh", "compulsory_si": 1, "voluntary_si": 0, "household_hi": 1},
                {"code": "unknown", "name": "", "compulsory_si": 0, "voluntary_si": 0, "household_hi": 1},
            ])
        );
        assert_eq!(
            stats["claims"],
            json!([
                {"kind": "funeral", "status": "submitted", "claims": 1},
                {"kind": "lump_sum", "status": "withdrawn", "claims": 1},
                {"kind": "maternity", "status": "paid", "claims": 1},
                {"kind": "sickness", "status": "approved", "claims": 1},
                {"kind": "sickness", "status": "rejected", "claims": 1},
                {"kind": "unemployment", "status": "in_review", "claims": 1},
            ])
        );
        assert_eq!(
            stats["claims_by_kind"],
            json!([
                {"kind": "funeral", "received": 1, "decided": 0},
                {"kind": "lump_sum", "received": 1, "decided": 0},
                {"kind": "maternity", "received": 1, "decided": 1},
                {"kind": "sickness", "received": 2, "decided": 2},
                {"kind": "unemployment", "received": 1, "decided": 0},
            ])
        );
        // 1.0, 2.0 and 5.5 days: mean 2.83 → 2.8; nearest-rank p90 = the 3rd of 3 = 5.5;
        // two of three decided by the deadline.
        assert_eq!(
            stats["decision_time"],
            json!({"decided": 3, "average_days": 2.8, "p90_days": 5.5, "within_deadline_percent": 66.7})
        );
        assert_eq!(
            stats["breaches"],
            json!([
                {"claim_id": "c4", "kind": "unemployment", "status": "in_review", "decision_due": "2026-11-17", "decided_on": null, "days_late": 3},
                {"claim_id": "c2", "kind": "sickness", "status": "rejected", "decision_due": "2026-11-05", "decided_on": "2026-11-07", "days_late": 2},
            ])
        );
        assert_eq!(
            stats["arrears"],
            json!({
                "total_owed": 39_000_000, "employers_owing": 3, "months_owed": 4,
                "top_debtors": [
                    {"name": BEN_NGHE, "tax_code": "0302222222", "owed": 20_000_000, "months_owed": 1},
                    {"name": SONG_HONG, "tax_code": "0101111111", "owed": 16_000_000, "months_owed": 2},
                    {"name": FORMULA, "tax_code": "0303333333", "owed": 3_000_000, "months_owed": 1},
                ]
            })
        );
        // September counts p1 (e1) and p4 (e2).
        let september = app.get_auth("/api/v1/staff/statistics?month=2026-09", &token).await;
        assert_eq!(september.body["schemes"][0]["participants"], 2);
        app.get_auth("/api/v1/staff/statistics?month=2026-13", &token)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

        // A target makes coverage a percentage; changing it needs the ETag.
        let path = "/api/v1/staff/coverage-targets/2026/compulsory_si";
        let set = put_target(&app, &token, path, None, json!({"target_people": 4})).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.text);
        assert_eq!(set.header("etag"), Some("\"v1\""));
        let stats = app.get_auth("/api/v1/staff/statistics", &token).await.body;
        assert_eq!(stats["schemes"][0]["target"], 4);
        assert_eq!(stats["schemes"][0]["coverage_percent"], 75.0);

        let unconditional = put_target(&app, &token, path, None, json!({"target_people": 6})).await;
        assert_eq!(unconditional.status, StatusCode::PRECONDITION_REQUIRED, "{}", unconditional.text);
        let changed = put_target(&app, &token, path, Some("\"v1\""), json!({"target_people": 6})).await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
        assert_eq!(changed.body["version"], 2);
        let stale = put_target(&app, &token, path, Some("\"v1\""), json!({"target_people": 9})).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.text);
        let stats = app.get_auth("/api/v1/staff/statistics", &token).await.body;
        assert_eq!(stats["schemes"][0]["target"], 6);
        assert_eq!(stats["schemes"][0]["coverage_percent"], 50.0);
        assert_eq!(target_sets(&app).await, 2);

        put_target(&app, &token, "/api/v1/staff/coverage-targets/2026/pension", None, json!({"target_people": 6}))
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let zero = put_target(&app, &token, "/api/v1/staff/coverage-targets/2026/voluntary_si", None, json!({"target_people": 0})).await;
        assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", zero.text);
        assert_eq!(target_sets(&app).await, 2);
    }

    async fn the_admin_page_and_its_csv_show_the_same_figures(backend) {
        let app = TestApp::spawn_at(backend, start()).await;
        app.write(plant).await;
        let mut clerk = signed_in_staff(&app, "clerk@ansinh.vn", Role::Clerk).await;
        let page = clerk.get("/admin/stats").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("role=\"img\""));
        assert!(page.text.contains("<caption>"));
        assert!(page.text.contains("href=\"/admin/claims/c4\""));
        assert!(page.text.contains("href=\"/admin/claims/c2\""));
        assert!(!page.text.contains("href=\"/admin/claims/c1\""));
        assert!(page.text.contains(BEN_NGHE));
        // Clerks do not set targets: no link, and the page is refused.
        assert!(!page.text.contains("href=\"/admin/stats/targets\""));
        assert_eq!(clerk.get("/admin/stats/targets").await.status, StatusCode::FORBIDDEN);

        let csv = clerk.get("/admin/stats/debtors.csv?lang=en").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(
            csv.header("content-disposition"),
            Some("attachment; filename=\"thong-ke-debtors-2026-10.csv\"")
        );
        let body = csv.text.trim_start_matches('\u{feff}');
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 4, "{body}");
        assert_eq!(lines[1], format!("{BEN_NGHE},0302222222,20000000,1"));
        assert_eq!(lines[2], format!("{SONG_HONG},0101111111,16000000,2"));
        // The formula is shown as text, not run.
        assert_eq!(lines[3], "\"'=HYPERLINK(\"\"http://x\"\")\",0303333333,3000000,1");

        let provinces = clerk.get("/admin/stats/provinces.csv?month=2026-10").await;
        let body = provinces.text.trim_start_matches('\u{feff}');
        assert!(body.contains("\r\n01,Hà Nội,2,1,0\r\n"), "{body}");
        assert!(body.contains("\r\n79,TP. Hồ Chí Minh,1,0,1\r\n"), "{body}");
        let breaches = clerk.get("/admin/stats/breaches.csv").await;
        let rows: Vec<&str> = breaches.text.lines().skip(1).collect();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].starts_with("c4,"), "{rows:?}");
        assert!(rows[0].ends_with(",2026-11-17,,3"), "{rows:?}");
        let decisions = clerk.get("/admin/stats/decisions.csv").await;
        assert!(decisions.text.ends_with("\r\n3,2.8,5.5,66.7\r\n"), "{}", decisions.text);
        assert_eq!(clerk.get("/admin/stats/secrets.csv").await.status, StatusCode::NOT_FOUND);

        // A clerk's token reads the figures but cannot set a target.
        let (_, clerk_token) = staff_with_token(&app, "clerk2@ansinh.vn", Role::Clerk).await;
        let read = app.get_auth("/api/v1/staff/statistics", &clerk_token).await;
        assert_eq!(read.status, StatusCode::OK);
        let refused = put_target(&app, &clerk_token, "/api/v1/staff/coverage-targets/2026/compulsory_si", None, json!({"target_people": 4})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
        assert_eq!(target_sets(&app).await, 0);
        // Citizens' tokens and anonymous callers read nothing of this.
        let anonymous = app.get("/api/v1/staff/statistics").await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }

    async fn administrators_set_targets_on_the_page_and_a_stale_form_is_refused(backend) {
        let app = TestApp::spawn_at(backend, start()).await;
        app.write(plant).await;
        let mut admin = signed_in_staff(&app, "admin@ansinh.vn", Role::Admin).await;
        let home = admin.get("/admin").await;
        assert!(home.text.contains("href=\"/admin/stats\""));
        let form = admin.get("/admin/stats/targets?year=2026").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.text);
        let csrf = form_value(&form.text, "csrf_token").unwrap();
        let fields = |people: &'static str, version: &'static str| {
            [("year", "2026"), ("scheme", "compulsory_si"), ("target_people", people), ("version", version)]
        };
        let saved = admin.post_form("/admin/stats/targets", &csrf, &fields("4", "")).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
        let stats = admin.get("/admin/stats").await;
        assert!(stats.text.contains("75,0 %"), "coverage shown");
        // Two forms opened on version 1: the first change wins, the second is told.
        let first = admin.post_form("/admin/stats/targets", &csrf, &fields("5", "1")).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.text);
        let second = admin.post_form("/admin/stats/targets", &csrf, &fields("8", "1")).await;
        assert_eq!(second.status, StatusCode::PRECONDITION_FAILED);
        assert!(second.text.contains("aria-invalid=\"true\""));
        // A new form that thinks no target exists is stale too.
        let blank = admin.post_form("/admin/stats/targets", &csrf, &fields("8", "")).await;
        assert_eq!(blank.status, StatusCode::PRECONDITION_FAILED);
        let bad = admin.post_form("/admin/stats/targets", &csrf, &fields("nhiều", "2")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let stored: i64 = app
            .query(|conn| {
                ansinh::db::schema::coverage_targets::table
                    .select(ansinh::db::schema::coverage_targets::target_people)
                    .first(conn)
            })
            .await;
        assert_eq!(stored, 5);
        assert_eq!(target_sets(&app).await, 2);
        let audit_detail: String = app
            .query(|conn| {
                audit_events::table
                    .filter(audit_events::action.eq("coverage_target.set"))
                    .order(audit_events::id.desc())
                    .select(audit_events::detail)
                    .first(conn)
            })
            .await;
        let detail: Value = serde_json::from_str(&audit_detail).unwrap();
        assert_eq!(detail["previous"], 4);
        assert_eq!(detail["target_people"], 5);
    }

    async fn the_public_figures_name_nobody_and_are_cacheable(backend) {
        let app = TestApp::spawn_at(backend, start()).await;
        app.write(plant).await;
        let page = app.get("/statistics").await;
        assert_eq!(page.status, StatusCode::OK);
        let api = app.get("/api/v1/statistics").await;
        assert_eq!(api.status, StatusCode::OK);
        for text in [&page.text, &api.text] {
            for name in [SONG_HONG, BEN_NGHE, "HYPERLINK", "0302222222", CITIZEN, "Nguyễn Văn An", "Thành viên"] {
                assert!(!text.contains(name), "{name} is shown publicly");
            }
        }
        assert!(page.text.contains("role=\"img\""));
        assert!(page.text.contains("39.000.000 ₫"), "total arrears shown");
        assert_eq!(api.body["total_arrears"], 39_000_000);
        assert_eq!(api.body["schemes"][2]["participants"], 3);
        assert_eq!(api.body["decision_time"]["within_deadline_percent"], 66.7);
        assert_eq!(api.body["claims_by_kind"][3], json!({"kind": "sickness", "received": 2, "decided": 2}));
        assert!(api.body.get("breaches").is_none() && api.body.get("arrears").is_none());
        // Unchanged figures: 304 for a client that has them.
        let etag = api.header("etag").unwrap().to_owned();
        let again = app
            .client()
            .get(app.url("/api/v1/statistics"))
            .insert_header(("If-None-Match", etag.as_str()))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let home = app.get("/").await;
        assert!(home.text.contains("href=\"/statistics\""));
    }
}
