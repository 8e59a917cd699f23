//! Administrators add dated policy parameters at /admin/policy: the new figure applies from its
//! date on the very next request, existing rows are never overwritten, only administrators may
//! do it, and every addition lands in the hash-chained audit log.

use awc::http::StatusCode;
use diesel::prelude::*;
use serde_json::json;

use ansinh::accounts::model::Role;
use ansinh::audit::{self, Verification};
use ansinh::db::DbConn;

use crate::staff::signed_in_staff;
use crate::support::{TestApp, form_value, location, on_both_backends};

/// The first member's monthly household HI amount on `on_date`.
async fn first_member_monthly(app: &TestApp, on_date: &str) -> i64 {
    let quote = app
        .post_json(
            "/api/v1/calculators/household-hi",
            &json!({ "members": 1, "months": 12, "on_date": on_date }),
        )
        .await;
    assert_eq!(quote.status, StatusCode::OK, "{}", quote.text);
    quote.body["members"][0]["monthly"].as_i64().unwrap()
}

fn count_rows(conn: &mut DbConn, name: &'static str) -> QueryResult<i64> {
    use ansinh::db::schema::policy_parameters;
    policy_parameters::table
        .filter(policy_parameters::name.eq(name))
        .count()
        .get_result(conn)
}

fn audit_count(conn: &mut DbConn) -> QueryResult<i64> {
    use ansinh::db::schema::audit_events;
    audit_events::table.count().get_result(conn)
}

async fn verify(app: &TestApp) -> Verification {
    app.state().db.read(audit::verify).await.unwrap()
}

/// Runs raw SQL on whichever backend the app uses (to tamper with rows as an intruder would).
fn raw_sql(conn: &mut DbConn, sqlite: &str, postgres: &str) -> QueryResult<usize> {
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sqlite).execute(c),
        DbConn::Postgres(c) => diesel::sql_query(postgres).execute(c),
    }
}

const BASIS: &str = "Nghị định 999/2027/NĐ-CP";

on_both_backends! {
    async fn an_administrator_adds_a_dated_base_salary_that_applies_from_its_date_at_once(backend) {
        let app = TestApp::spawn(backend).await;
        let mut admin = signed_in_staff(&app, "quantri@vss.example.vn", Role::Admin).await;
        let page = admin.get("/admin/policy").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        // Every name, today's value and the whole history with its legal basis.
        assert!(page.text.contains("Decree 161/2026/NĐ-CP") && page.text.contains("Decree 47/2016/NĐ-CP"), "{}", page.text);
        assert!(page.text.contains("2.530.000 ₫") && page.text.contains("4,5%") && page.text.contains("household_hi_share_5"));
        let csrf = form_value(&page.text, "csrf_token").unwrap();
        assert!(admin.get("/admin").await.text.contains("href=\"/admin/policy\""), "linked from the admin home");

        // Base salary 2,530,000 from 1 Jul 2026: 4.5% of it.
        assert_eq!(first_member_monthly(&app, "2027-08-01").await, 113_850);
        let rows_before = app.query(|c| count_rows(c, "base_salary")).await;

        let added = admin.post_form("/admin/policy", &csrf, &[
            ("name", "base_salary"), ("effective_from", "2027-07-01"), ("value", "2.800.000"),
            ("unit", "vnd"), ("legal_basis", BASIS), ("status", "V1"),
        ]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
        assert!(location(&added).starts_with("/admin/policy?added=base_salary&from=2027-07-01"));
        let shown = admin.get(location(&added)).await;
        assert!(shown.text.contains("role=\"status\"") && shown.text.contains("2.800.000 ₫") && shown.text.contains(BASIS), "{}", shown.text);

        // No restart: the next calculation uses the new figure from its date, and only from it.
        assert_eq!(first_member_monthly(&app, "2027-08-01").await, 126_000);
        assert_eq!(first_member_monthly(&app, "2027-06-30").await, 113_850);
        assert_eq!(first_member_monthly(&app, "2026-08-01").await, 113_850);
        assert_eq!(app.query(|c| count_rows(c, "base_salary")).await, rows_before + 1);

        // One audit row for the change, chained to the invitation before it.
        let events = app.state().db.read(|c| audit::recent(c, 10)).await.unwrap();
        let event = &events[0];
        assert_eq!((event.action.as_str(), event.subject.as_str()), ("policy_parameter.add", "policy_parameter:base_salary@2027-07-01"));
        assert_eq!((event.actor_role.as_str(), event.client_ip.as_deref()), ("admin", Some("127.0.0.1")));
        assert!(!event.actor_id.is_empty());
        let detail: serde_json::Value = serde_json::from_str(&event.detail).unwrap();
        assert_eq!(detail["value"], 2_800_000);
        assert_eq!(detail["legal_basis"], BASIS);
        assert_eq!(events[1].action, "staff.invite");
        assert_eq!(event.prev_hash, events[1].hash);
        assert_eq!(verify(&app).await, Verification::Ok { rows: 2 });
    }

    async fn a_row_that_would_rewrite_history_or_mix_units_is_refused_and_nothing_is_written(backend) {
        let app = TestApp::spawn(backend).await;
        let mut admin = signed_in_staff(&app, "quantri@vss.example.vn", Role::Admin).await;
        let csrf = admin.csrf_token("/admin/policy").await;
        let audit_before = app.query(audit_count).await;
        let rows_before = app.query(|c| count_rows(c, "base_salary")).await;
        let post = |fields: [(&'static str, &'static str); 6]| fields;

        // The same (name, date) as a shipped row: history is evidence.
        let duplicate = admin.post_form("/admin/policy", &csrf, &post([
            ("name", "base_salary"), ("effective_from", "2026-07-01"), ("value", "2800000"),
            ("unit", "vnd"), ("legal_basis", BASIS), ("status", "V3"),
        ])).await;
        assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(duplicate.text.contains("id=\"effective_from-error\"") && duplicate.text.contains("đã có một dòng từ ngày đó"), "{}", duplicate.text);
        // What was typed is kept.
        assert!(duplicate.text.contains("value=\"2800000\""));

        let other_unit = admin.post_form("/admin/policy", &csrf, &post([
            ("name", "base_salary"), ("effective_from", "2027-07-01"), ("value", "20"),
            ("unit", "multiple"), ("legal_basis", BASIS), ("status", "V3"),
        ])).await;
        assert_eq!(other_unit.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(other_unit.text.contains("id=\"unit-error\""), "{}", other_unit.text);

        let negative = admin.post_form("/admin/policy", &csrf, &post([
            ("name", "base_salary"), ("effective_from", "2027-07-01"), ("value", "-2800000"),
            ("unit", "vnd"), ("legal_basis", " "), ("status", "V3"),
        ])).await;
        assert_eq!(negative.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(negative.text.contains("id=\"value-error\"") && negative.text.contains("id=\"legal_basis-error\""), "{}", negative.text);

        assert_eq!(app.query(|c| count_rows(c, "base_salary")).await, rows_before);
        assert_eq!(app.query(audit_count).await, audit_before, "no audit row for a refused change");

        // A new name with its own unit is fine.
        let new_name = admin.post_form("/admin/policy", &csrf, &post([
            ("name", "funeral_allowance_multiple"), ("effective_from", "2025-07-01"), ("value", "10"),
            ("unit", "multiple"), ("legal_basis", "Law 41/2024/QH15 Art. 86"), ("status", "VL"),
        ])).await;
        assert_eq!(new_name.status, StatusCode::SEE_OTHER, "{}", new_name.text);
        assert!(admin.get("/admin/policy?lang=en").await.text.contains("× 10"));
    }

    async fn only_administrators_manage_policy_parameters(backend) {
        let app = TestApp::spawn(backend).await;
        let mut clerk = signed_in_staff(&app, "canbo@vss.example.vn", Role::Clerk).await;
        assert_eq!(clerk.get("/admin/policy").await.status, StatusCode::FORBIDDEN);
        let csrf = clerk.csrf_token("/admin").await;
        let denied = clerk.post_form("/admin/policy", &csrf, &[
            ("name", "base_salary"), ("effective_from", "2027-07-01"), ("value", "2800000"),
            ("unit", "vnd"), ("legal_basis", BASIS), ("status", "V3"),
        ]).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        assert_eq!(first_member_monthly(&app, "2027-08-01").await, 113_850);
        // Anonymous visitors are sent to log in.
        assert_eq!(location(&crate::support::Browser::new(&app).get("/admin/policy").await), "/login?next=/admin/policy");
    }

    async fn the_audit_chain_verifies_and_reports_a_tampered_row(backend) {
        let app = TestApp::spawn(backend).await;
        let mut admin = signed_in_staff(&app, "quantri@vss.example.vn", Role::Admin).await;
        let csrf = admin.csrf_token("/admin/policy").await;
        for date in ["2027-07-01", "2028-07-01"] {
            let added = admin.post_form("/admin/policy", &csrf, &[
                ("name", "base_salary"), ("effective_from", date), ("value", "2800000"),
                ("unit", "vnd"), ("legal_basis", BASIS), ("status", "V3"),
            ]).await;
            assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
        }
        assert_eq!(verify(&app).await, Verification::Ok { rows: 3 });
        let target: i64 = app.query(|c| {
            use ansinh::db::schema::audit_events;
            audit_events::table
                .filter(audit_events::subject.eq("policy_parameter:base_salary@2027-07-01"))
                .select(audit_events::id)
                .first(c)
        }).await;

        // The table refuses changes outright.
        let refused = app.state().db.write(|c| Ok(raw_sql(c,
            "UPDATE audit_events SET detail = '{}'",
            "UPDATE audit_events SET detail = '{}'")?)).await;
        assert!(refused.is_err(), "audit_events is append-only");

        // Someone with rights over the schema disables that and edits a row: verify names it.
        app.write(move |c| {
            raw_sql(c, "DROP TRIGGER audit_events_no_update",
                "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")?;
            let sql = format!("UPDATE audit_events SET detail = '{{\"value\":1}}' WHERE id = {target}");
            raw_sql(c, &sql, &sql)?;
            Ok(())
        }).await;
        match verify(&app).await {
            Verification::Broken { at_id, reason } => {
                assert_eq!(at_id, target, "{reason}");
            }
            other => panic!("tampering went unnoticed: {other:?}"),
        }
    }

    async fn concurrent_appends_keep_one_linear_chain(backend) {
        let app = TestApp::spawn(backend).await;
        let writes = (0..16).map(|n| {
            app.state().db.write(move |conn| {
                let event = audit::Event {
                    actor_id: "staff-test",
                    actor_role: "admin",
                    action: "test.append",
                    subject: format!("test:{n}"),
                    detail: json!({ "n": n }),
                    client_ip: None,
                };
                audit::record(conn, chrono::Utc::now(), &event)
            })
        });
        for written in futures_util::future::join_all(writes).await {
            written.unwrap();
        }
        assert_eq!(verify(&app).await, Verification::Ok { rows: 16 });
    }

    async fn creating_and_revoking_an_api_client_is_audited(backend) {
        let app = TestApp::spawn(backend).await;
        let mut admin = signed_in_staff(&app, "quantri@vss.example.vn", Role::Admin).await;
        let page = admin.get("/admin/clients").await;
        let csrf = form_value(&page.text, "csrf_token").unwrap();
        let created = admin.post_form("/admin/clients", &csrf, &[("name", "Phòng khám Một"), ("scope_cards", "on"), ("facility", "79001")]).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let events = app.state().db.read(|c| audit::recent(c, 10)).await.unwrap();
        assert_eq!(events[0].action, "api_client.create");
        let client_id = events[0].subject.strip_prefix("api_client:").unwrap().to_owned();
        assert!(!events[0].detail.contains("secret"), "{}", events[0].detail);
        let revoked = admin.post_form(&format!("/admin/clients/{client_id}/revoke"), &csrf, &[]).await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        let events = app.state().db.read(|c| audit::recent(c, 10)).await.unwrap();
        assert_eq!((events[0].action.as_str(), events[0].subject.clone()), ("api_client.revoke", format!("api_client:{client_id}")));
        assert_eq!(verify(&app).await, Verification::Ok { rows: 3 });
    }
}
