//! Staff administration (issue 7 part 1): administrators invite staff, change roles, deactivate
//! and reactivate them, every change audited and made from a known version; the audit search and
//! the chain check; and staff reads shown in the citizen's own access log.

use awc::http::StatusCode;
use diesel::prelude::*;
use serde_json::{Value, json};

use ansinh::accounts::model::Role;
use ansinh::audit::{self, Actor};
use ansinh::db::DbConn;
use ansinh::db::schema::{accounts, api_tokens, audit_events, web_sessions};

use crate::staff::{signed_in_staff, staff_with_token};
use crate::support::{Browser, Citizen, Reply, TestApp, form_value, location, on_both_backends};

/// The account id of `email`.
async fn account_id(app: &TestApp, email: &str) -> String {
    let email = email.to_owned();
    app.query(move |conn| {
        accounts::table
            .filter(accounts::email.eq(email))
            .select(accounts::id)
            .first::<String>(conn)
    })
    .await
}

/// (role, is_active, version) of an account.
async fn standing(app: &TestApp, id: &str) -> (Option<String>, bool, i64) {
    let id = id.to_owned();
    app.query(move |conn| {
        accounts::table
            .find(id)
            .select((accounts::role, accounts::is_active, accounts::version))
            .first(conn)
    })
    .await
}

/// (action, actor, detail) of the audit rows about `subject`, oldest first.
async fn audit_of(app: &TestApp, subject: String) -> Vec<(String, String, Value)> {
    let rows: Vec<(String, String, String)> = app
        .query(move |conn| {
            audit_events::table
                .filter(audit_events::subject.eq(subject))
                .order(audit_events::id.asc())
                .select((
                    audit_events::action,
                    audit_events::actor_id,
                    audit_events::detail,
                ))
                .load(conn)
        })
        .await;
    rows.into_iter()
        .map(|(a, b, d)| (a, b, serde_json::from_str(&d).unwrap()))
        .collect()
}

async fn patch(
    app: &TestApp,
    path: &str,
    token: &str,
    if_match: Option<&str>,
    body: &Value,
) -> Reply {
    let mut request = app.client().patch(app.url(path)).bearer_auth(token);
    if let Some(tag) = if_match {
        request = request.insert_header(("if-match", tag));
    }
    Reply::read(request.send_json(body).await.expect("request sent")).await
}

/// Runs raw SQL on whichever backend the app uses (to tamper with rows as an intruder would).
fn raw_sql(conn: &mut DbConn, sqlite: &str, postgres: &str) -> QueryResult<usize> {
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sqlite).execute(c),
        DbConn::Postgres(c) => diesel::sql_query(postgres).execute(c),
    }
}

/// Appends an audit row by `actor_id` at `at` (UTC).
async fn plant(app: &TestApp, actor_id: &str, action: &str, subject: &str, at: &str) {
    let (actor_id, action, subject) = (actor_id.to_owned(), action.to_owned(), subject.to_owned());
    let at = at.parse::<chrono::NaiveDateTime>().unwrap().and_utc();
    app.write(move |conn| {
        let actor = Actor {
            id: actor_id,
            role: "admin".into(),
            client_ip: Some("192.0.2.9".into()),
        };
        audit::record(
            conn,
            at,
            &actor.event(&action, subject, json!({"planted": true})),
        )?;
        Ok(())
    })
    .await;
}

fn subjects(reply: &Reply) -> Vec<String> {
    reply.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"].as_str().unwrap().to_owned())
        .collect()
}

on_both_backends! {
    async fn an_administrator_invites_re_roles_and_deactivates_staff_on_the_pages(backend) {
        let app = TestApp::spawn(backend).await;
        let mut admin = signed_in_staff(&app, "quantri@vss.example.vn", Role::Admin).await;
        let admin_id = account_id(&app, "quantri@vss.example.vn").await;
        let page = admin.get("/admin/staff").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("quantri@vss.example.vn"));
        let csrf = form_value(&page.text, "csrf_token").unwrap();

        // Invite: the person appears in the list and gets the set-up email.
        let invited = admin.post_form("/admin/staff", &csrf, &[("email", "moi@vss.example.vn"), ("full_name", "Phạm Thị Dung"), ("role", "clerk")]).await;
        assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.text);
        let new_id = account_id(&app, "moi@vss.example.vn").await;
        assert_eq!(location(&invited), format!("/admin/staff/{new_id}?invited=1"));
        app.mail.wait_for("moi@vss.example.vn", "").await;
        let list = admin.get("/admin/staff").await;
        assert!(list.text.contains("moi@vss.example.vn") && list.text.contains("Phạm Thị Dung"));
        let invites = audit_of(&app, format!("account:{new_id}")).await;
        assert_eq!(invites.len(), 1);
        assert_eq!((invites[0].0.as_str(), invites[0].1.as_str()), ("staff.invite", admin_id.as_str()));
        // A taken address and an unknown role are refused with the form again.
        let taken = admin.post_form("/admin/staff", &csrf, &[("email", "moi@vss.example.vn"), ("full_name", "Ai Đó"), ("role", "clerk")]).await;
        assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
        let bad_role = admin.post_form("/admin/staff", &csrf, &[("email", "khac@vss.example.vn"), ("full_name", "Ai Đó"), ("role", "boss")]).await;
        assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_role.text.contains("id=\"role-error\""));

        // A clerk already at work, with a page session and an API token.
        let (mut clerk, clerk_token) = staff_with_token(&app, "thu@vss.example.vn", Role::Clerk).await;
        let clerk_id = account_id(&app, "thu@vss.example.vn").await;
        assert_eq!(clerk.get("/admin").await.status, StatusCode::OK);
        assert_eq!(app.get_auth("/api/v1/me", &clerk_token).await.status, StatusCode::OK);

        let page = admin.get(&format!("/admin/staff/{clerk_id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert_eq!(form_value(&page.text, "version").as_deref(), Some("1"));
        let changed = admin.post_form(&format!("/admin/staff/{clerk_id}"), &csrf, &[("version", "1"), ("role", "approver")]).await;
        assert_eq!((changed.status, location(&changed)), (StatusCode::SEE_OTHER, format!("/admin/staff/{clerk_id}").as_str()));
        assert_eq!(standing(&app, &clerk_id).await, (Some("approver".into()), true, 2));
        let rows = audit_of(&app, format!("account:{clerk_id}")).await;
        let change = rows.iter().find(|r| r.0 == "staff.role_change").expect("audited");
        assert_eq!((change.1.as_str(), &change.2), (admin_id.as_str(), &json!({"from": "clerk", "to": "approver"})));

        // From a stale page: "someone changed this", and nothing changes.
        let stale = admin.post_form(&format!("/admin/staff/{clerk_id}"), &csrf, &[("version", "1"), ("role", "admin")]).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.text);
        assert_eq!(standing(&app, &clerk_id).await, (Some("approver".into()), true, 2));
        let stale = admin.post_form(&format!("/admin/staff/{clerk_id}"), &csrf, &[("version", "1"), ("active", "false")]).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(standing(&app, &clerk_id).await, (Some("approver".into()), true, 2));

        // Deactivation: out at once (session and token), and no new login.
        let off = admin.post_form(&format!("/admin/staff/{clerk_id}"), &csrf, &[("version", "2"), ("active", "false")]).await;
        assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.text);
        assert_eq!(standing(&app, &clerk_id).await, (Some("approver".into()), false, 3));
        let out = clerk.get("/admin").await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(location(&out).starts_with("/login"), "{}", location(&out));
        assert_eq!(app.get_auth("/api/v1/me", &clerk_token).await.status, StatusCode::UNAUTHORIZED);
        let id = clerk_id.clone();
        let live: (i64, i64) = app.query(move |conn| {
            let sessions = web_sessions::table.filter(web_sessions::account_id.eq(&id)).filter(web_sessions::revoked_at.is_null()).count().get_result(conn)?;
            let tokens = api_tokens::table.filter(api_tokens::account_id.eq(&id)).filter(api_tokens::revoked_at.is_null()).count().get_result(conn)?;
            Ok((sessions, tokens))
        }).await;
        assert_eq!(live, (0, 0), "every session and token of the person is revoked");
        let mut again = Browser::new(&app);
        let login = again.log_in("thu@vss.example.vn", "chim én bay về mùa xuân").await;
        assert_ne!(login.status, StatusCode::SEE_OTHER, "a deactivated account cannot log in");
        assert!(audit_of(&app, format!("account:{clerk_id}")).await.iter().any(|r| r.0 == "staff.deactivate"));

        let on = admin.post_form(&format!("/admin/staff/{clerk_id}"), &csrf, &[("version", "3"), ("active", "true")]).await;
        assert_eq!(on.status, StatusCode::SEE_OTHER);
        assert_eq!(standing(&app, &clerk_id).await, (Some("approver".into()), true, 4));
        assert!(audit_of(&app, format!("account:{clerk_id}")).await.iter().any(|r| r.0 == "staff.reactivate"));

        // No lockout: an administrator cannot deactivate themselves or give up admin.
        let own = admin.post_form(&format!("/admin/staff/{admin_id}"), &csrf, &[("version", "1"), ("active", "false")]).await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", own.text);
        assert!(own.text.contains("id=\"active-error\""));
        let own = admin.post_form(&format!("/admin/staff/{admin_id}"), &csrf, &[("version", "1"), ("role", "clerk")]).await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(standing(&app, &admin_id).await, (Some("admin".into()), true, 1));
        assert_eq!(admin.get("/admin/staff").await.status, StatusCode::OK);

        // A citizen is not staff: 404, and their row stays as it was.
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let citizen_id = account_id(&app, &citizen.email).await;
        let id = citizen_id.clone();
        let before: (String, Option<String>, String, Option<String>, bool, i64) = app.query(move |conn| {
            accounts::table.find(id).select((accounts::kind, accounts::role, accounts::email, accounts::phone, accounts::is_active, accounts::version)).first(conn)
        }).await;
        assert_eq!(admin.get(&format!("/admin/staff/{citizen_id}")).await.status, StatusCode::NOT_FOUND);
        for fields in [[("version", "1"), ("role", "admin")], [("version", "1"), ("active", "false")]] {
            let refused = admin.post_form(&format!("/admin/staff/{citizen_id}"), &csrf, &fields).await;
            assert_eq!(refused.status, StatusCode::NOT_FOUND);
        }
        let id = citizen_id.clone();
        let after: (String, Option<String>, String, Option<String>, bool, i64) = app.query(move |conn| {
            accounts::table.find(id).select((accounts::kind, accounts::role, accounts::email, accounts::phone, accounts::is_active, accounts::version)).first(conn)
        }).await;
        assert_eq!(before, after);
        assert!(audit_of(&app, format!("account:{citizen_id}")).await.is_empty());

        // Only administrators manage staff.
        let mut editor = signed_in_staff(&app, "bientap@vss.example.vn", Role::ContentEditor).await;
        assert_eq!(editor.get("/admin/staff").await.status, StatusCode::FORBIDDEN);
        assert!(!editor.get("/admin").await.text.contains("href=\"/admin/staff\""));
        assert!(admin.get("/admin").await.text.contains("href=\"/admin/staff\""));
    }

    async fn the_staff_api_invites_and_changes_staff_with_if_match(backend) {
        let app = TestApp::spawn(backend).await;
        let (_admin, token) = staff_with_token(&app, "quantri@vss.example.vn", Role::Admin).await;
        let admin_id = account_id(&app, "quantri@vss.example.vn").await;

        let invited = app.post_json_auth("/api/v1/staff/staff-members", &token, &json!({"email": "moi@vss.example.vn", "full_name": "Phạm Thị Dung", "role": "clerk"})).await;
        assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.text);
        assert_eq!((invited.body["role"].as_str(), invited.body["active"].as_bool(), invited.header("etag")), (Some("clerk"), Some(true), Some("\"v1\"")));
        let id = invited.body["id"].as_str().unwrap().to_owned();
        app.mail.wait_for("moi@vss.example.vn", "").await;
        let missing = app.post_json_auth("/api/v1/staff/staff-members", &token, &json!({"email": "x@vss.example.vn", "full_name": "X"})).await;
        assert_eq!(missing.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["role"]);
        let bad = app.post_json_auth("/api/v1/staff/staff-members", &token, &json!({"email": "x@vss.example.vn", "full_name": "X", "role": "boss"})).await;
        assert_eq!(bad.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["role"]);

        let list = app.get_auth("/api/v1/staff/staff-members", &token).await;
        assert_eq!(list.status, StatusCode::OK);
        let emails: Vec<&str> = list.body.as_array().unwrap().iter().map(|s| s["email"].as_str().unwrap()).collect();
        assert!(emails.contains(&"moi@vss.example.vn") && emails.contains(&"quantri@vss.example.vn"));

        let one = app.get_auth(&format!("/api/v1/staff/staff-members/{id}"), &token).await;
        assert_eq!((one.status, one.header("etag")), (StatusCode::OK, Some("\"v1\"")));
        let path = format!("/api/v1/staff/staff-members/{id}");
        let body = json!({"role": "approver"});
        patch(&app, &path, &token, None, &body).await.assert_problem(StatusCode::PRECONDITION_REQUIRED, "precondition_required");
        patch(&app, &path, &token, Some("\"v7\""), &body).await.assert_problem(StatusCode::PRECONDITION_FAILED, "stale");
        assert_eq!(standing(&app, &id).await, (Some("clerk".into()), true, 1));
        let changed = patch(&app, &path, &token, Some("\"v1\""), &body).await;
        assert_eq!((changed.status, changed.header("etag")), (StatusCode::OK, Some("\"v2\"")), "{}", changed.text);
        assert_eq!(changed.body["role"], "approver");
        // The same change again from the old version is stale: exactly one of two wins.
        patch(&app, &path, &token, Some("\"v1\""), &json!({"role": "admin"})).await.assert_problem(StatusCode::PRECONDITION_FAILED, "stale");
        assert_eq!(standing(&app, &id).await, (Some("approver".into()), true, 2));
        let rows = audit_of(&app, format!("account:{id}")).await;
        assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["staff.invite", "staff.role_change"]);
        assert_eq!(rows[1].2, json!({"from": "clerk", "to": "approver"}));
        patch(&app, &path, &token, Some("\"v2\""), &json!({"role": "boss"})).await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

        // Self-lockout refused.
        let own = format!("/api/v1/staff/staff-members/{admin_id}");
        let refused = patch(&app, &own, &token, Some("\"v1\""), &json!({"active": false})).await;
        assert_eq!(refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["active"]);
        let refused = patch(&app, &own, &token, Some("\"v1\""), &json!({"role": "clerk"})).await;
        assert_eq!(refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["role"]);

        // A citizen's id is not a staff member.
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let citizen_id = account_id(&app, &citizen.email).await;
        let citizen_path = format!("/api/v1/staff/staff-members/{citizen_id}");
        assert_eq!(app.get_auth(&citizen_path, &token).await.status, StatusCode::NOT_FOUND);
        assert_eq!(patch(&app, &citizen_path, &token, Some("\"v1\""), &json!({"role": "admin", "active": false})).await.status, StatusCode::NOT_FOUND);
        assert_eq!(standing(&app, &citizen_id).await, (None, true, 1));

        // Deactivating over the API ends the person's token at once.
        let (_clerk, clerk_token) = staff_with_token(&app, "thu@vss.example.vn", Role::Clerk).await;
        let clerk_id = account_id(&app, "thu@vss.example.vn").await;
        assert_eq!(app.get_auth("/api/v1/staff/staff-members", &clerk_token).await.status, StatusCode::FORBIDDEN);
        let off = patch(&app, &format!("/api/v1/staff/staff-members/{clerk_id}"), &token, Some("\"v1\""), &json!({"active": false})).await;
        assert_eq!((off.status, off.body["active"].as_bool()), (StatusCode::OK, Some(false)), "{}", off.text);
        assert_eq!(app.get_auth("/api/v1/me", &clerk_token).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn the_audit_search_filters_by_actor_action_subject_and_vietnam_dates(backend) {
        let app = TestApp::spawn_at(backend, "2027-03-01T02:00:00".parse().unwrap()).await;
        let (mut admin, token) = staff_with_token(&app, "quantri@vss.example.vn", Role::Admin).await;
        plant(&app, "actor-a", "policy_parameter.add", "policy_parameter:one", "2026-11-10T10:00:00").await;
        // 23:00 on 12 November in Vietnam.
        plant(&app, "actor-a", "staff.role_change", "account:two", "2026-11-12T16:00:00").await;
        // 01:00 on 13 November in Vietnam.
        plant(&app, "actor-b", "staff.invite", "account:three", "2026-11-12T18:00:00").await;
        let search = |query: &str| {
            let path = format!("/api/v1/staff/audit?{query}");
            let token = token.clone();
            let app = &app;
            async move { app.get_auth(&path, &token).await }
        };
        let found = search("actor=actor-a").await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.text);
        assert_eq!(subjects(&found), ["account:two", "policy_parameter:one"]);
        assert!(found.body.get("next_before").is_none());
        assert_eq!(subjects(&search("actor=actor-b&action=staff.").await), ["account:three"]);
        assert_eq!(subjects(&search("action=policy_parameter.&actor=actor-a").await), ["policy_parameter:one"]);
        assert_eq!(subjects(&search("subject=account:t&from=2026-11-01&to=2026-11-30").await), ["account:three", "account:two"]);
        assert_eq!(subjects(&search("from=2026-11-12&to=2026-11-12").await), ["account:two"]);
        assert_eq!(subjects(&search("from=2026-11-13&to=2026-11-13").await), ["account:three"]);
        assert_eq!(subjects(&search("to=2026-11-10").await), ["policy_parameter:one"]);
        assert!(subjects(&search("actor=nobody@vss.example.vn").await).is_empty());
        // Wildcards are taken literally.
        assert!(subjects(&search("action=%25").await).is_empty());
        search("from=12/11/2026").await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        search("from=2026-11-13&to=2026-11-12").await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        search("before=abc").await.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

        // By email: the administrator's own invitation of someone.
        let invited = app.post_json_auth("/api/v1/staff/staff-members", &token, &json!({"email": "moi@vss.example.vn", "full_name": "Phạm Thị Dung", "role": "clerk"})).await;
        let new_id = invited.body["id"].as_str().unwrap().to_owned();
        let by_email = search("actor=quantri@vss.example.vn&action=staff.invite").await;
        assert_eq!(subjects(&by_email), [format!("account:{new_id}")]);
        assert_eq!(by_email.body["entries"][0]["actor_name"], "Lê Văn Cường");
        assert_eq!(by_email.body["entries"][0]["actor_role"], "admin");
        assert_eq!(by_email.body["entries"][0]["detail"], json!({"role": "clerk"}));

        // Pages of 50, newest first, with a cursor.
        for n in 0..53 {
            plant(&app, "actor-c", "bulk.thing", &format!("bulk:{n:02}"), "2026-12-01T00:00:00").await;
        }
        let first = search("action=bulk.").await;
        let page: Vec<String> = subjects(&first);
        assert_eq!(page.len(), 50);
        assert_eq!((page[0].as_str(), page[49].as_str()), ("bulk:52", "bulk:03"));
        let before = first.body["next_before"].as_i64().expect("an older page");
        let second = search(&format!("action=bulk.&before={before}")).await;
        assert_eq!(subjects(&second), ["bulk:02", "bulk:01", "bulk:00"]);
        assert!(second.body.get("next_before").is_none());

        // The page: same filters, an "older" link that keeps them.
        let page = admin.get("/admin/audit?actor=actor-b").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("account:three") && !page.text.contains("account:two"));
        assert!(page.text.contains("192.0.2.9"));
        let bulk = admin.get("/admin/audit?action=bulk.").await;
        assert!(bulk.text.contains(&format!("href=\"/admin/audit?action=bulk.&#38;before={before}\"")), "{}", bulk.text);
        assert_eq!(admin.get("/admin/audit?from=yesterday").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Other roles may not read the log.
        let (_clerk, clerk_token) = staff_with_token(&app, "thu@vss.example.vn", Role::Clerk).await;
        assert_eq!(app.get_auth("/api/v1/staff/audit", &clerk_token).await.status, StatusCode::FORBIDDEN);
    }

    async fn verify_reports_an_intact_chain_and_the_row_someone_changed(backend) {
        let app = TestApp::spawn(backend).await;
        let mut admin = signed_in_staff(&app, "quantri@vss.example.vn", Role::Admin).await;
        plant(&app, "actor-a", "policy_parameter.add", "policy_parameter:one", "2026-11-10T10:00:00").await;
        plant(&app, "actor-a", "policy_parameter.add", "policy_parameter:two", "2026-11-11T10:00:00").await;
        let rows: i64 = app.query(|conn| audit_events::table.count().get_result(conn)).await;
        let csrf = admin.csrf_token("/admin/audit").await;
        let intact = admin.post_form("/admin/audit/verify", &csrf, &[]).await;
        assert_eq!(intact.status, StatusCode::OK, "{}", intact.text);
        assert!(intact.text.contains(&format!("data-outcome=\"intact\" data-rows=\"{rows}\"")), "{}", intact.text);

        let target: i64 = app.query(|conn| {
            audit_events::table.filter(audit_events::subject.eq("policy_parameter:one")).select(audit_events::id).first(conn)
        }).await;
        app.write(move |c| {
            raw_sql(c, "DROP TRIGGER audit_events_no_update",
                "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")?;
            let sql = format!("UPDATE audit_events SET detail = '{{\"planted\":false}}' WHERE id = {target}");
            raw_sql(c, &sql, &sql)?;
            Ok(())
        }).await;
        let broken = admin.post_form("/admin/audit/verify", &csrf, &[]).await;
        assert_eq!(broken.status, StatusCode::OK);
        assert!(broken.text.contains(&format!("data-outcome=\"broken\" data-at=\"{target}\"")), "{}", broken.text);
        // Only with the audit permission, and only with the form's token.
        let mut clerk = signed_in_staff(&app, "thu@vss.example.vn", Role::Clerk).await;
        let clerk_csrf = clerk.csrf_token("/admin").await;
        assert_eq!(clerk.post_form("/admin/audit/verify", &clerk_csrf, &[]).await.status, StatusCode::FORBIDDEN);
    }

    async fn a_citizen_sees_staff_reads_of_their_own_record_only(backend) {
        let app = TestApp::spawn(backend).await;
        let (one, other) = (Citizen::new(), Citizen::new());
        app.registered_citizen(&one).await;
        app.registered_citizen(&other).await;
        let one_id = account_id(&app, &one.email).await;
        let _clerk = signed_in_staff(&app, "thu@vss.example.vn", Role::Clerk).await;
        let clerk_id = account_id(&app, "thu@vss.example.vn").await;
        let now = app.clock.now().and_utc();
        let target = one_id.clone();
        app.write(move |conn| {
            let actor = Actor { id: clerk_id, role: "clerk".into(), client_ip: Some("192.0.2.1".into()) };
            audit::staff_read(conn, now, &actor, &target, "claim:0193abcd")?;
            audit::staff_read(conn, now, &actor, &target, "payslips")?;
            Ok(())
        }).await;

        let mut browser = Browser::new(&app);
        browser.log_in(&one.email, &one.password).await;
        let page = browser.get("/account/access-log").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("Cán bộ BHXH (chuyên viên)"), "{}", page.text);
        assert!(page.text.contains("Hồ sơ đề nghị hưởng chế độ"), "{}", page.text);
        assert!(page.text.contains("Hồ sơ của bạn"), "the generic fallback");
        assert!(!page.text.contains("thu@vss.example.vn") && !page.text.contains("0193abcd"));
        let en = browser.get("/account/access-log?lang=en").await;
        assert!(en.text.contains("Social-insurance staff (clerk)") && en.text.contains("A benefit claim"), "{}", en.text);

        let mut elsewhere = Browser::new(&app);
        elsewhere.log_in(&other.email, &other.password).await;
        let page = elsewhere.get("/account/access-log").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.text.contains("Cán bộ BHXH ("));

        let token = app.api_login(&one.email, &one.password).await.body["access_token"].as_str().unwrap().to_owned();
        let log = app.get_auth("/api/v1/me/access-log", &token).await;
        assert_eq!(log.status, StatusCode::OK);
        let reads = log.body["staff_reads"].as_array().unwrap();
        assert_eq!(reads.len(), 2);
        assert_eq!((reads[1]["what"].as_str(), reads[1]["staff_role"].as_str()), (Some("claim"), Some("clerk")));
        assert!(!log.text.contains("thu@vss.example.vn"));
        let token = app.api_login(&other.email, &other.password).await.body["access_token"].as_str().unwrap().to_owned();
        let log = app.get_auth("/api/v1/me/access-log", &token).await;
        assert_eq!(log.body["staff_reads"], json!([]));
    }
}
