//! Staff: invited by an administrator, set a password through a single-use link, and must pass
//! a second factor (TOTP) before anything under /admin.

use awc::http::StatusCode;
use totp_rs::{Algorithm, Secret, TOTP};

use ansinh::accounts::model::Role;

use crate::support::{Browser, Citizen, TestApp, form_value, location, on_both_backends};

fn code_at(secret: &str, unix: u64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new()).generate(unix)
}

fn now_unix(app: &TestApp) -> u64 {
    app.clock.now().and_utc().timestamp() as u64
}

/// A staff member with `role` who has set a password and passed TOTP, signed in.
pub async fn signed_in_staff<'a>(app: &'a TestApp, email: &str, role: Role) -> Browser<'a> {
    enrolled_staff(app, email, role).await.0
}

/// A staff member with `role`, signed in on the pages, and a bearer token for
/// `/api/v1/staff/...` issued after password + TOTP.
pub async fn staff_with_token<'a>(
    app: &'a TestApp,
    email: &str,
    role: Role,
) -> (Browser<'a>, String) {
    let (browser, secret) = enrolled_staff(app, email, role).await;
    // A code is accepted once: the API login needs the next 30-second step.
    app.clock.advance(chrono::Duration::seconds(30));
    let code = code_at(&secret, now_unix(app));
    let reply = app
        .post_json(
            "/api/v1/auth/login",
            &serde_json::json!({ "login": email, "password": STAFF_PASSWORD, "totp_code": code }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let token = reply.body["access_token"].as_str().unwrap().to_owned();
    (browser, token)
}

const STAFF_PASSWORD: &str = "chim én bay về mùa xuân";

/// [`signed_in_staff`] and the TOTP secret it enrolled.
async fn enrolled_staff<'a>(app: &'a TestApp, email: &str, role: Role) -> (Browser<'a>, String) {
    let link = ansinh::staff::invite(app.state(), email, "Lê Văn Cường", role)
        .await
        .unwrap();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let mut browser = Browser::new(app);
    let page = browser.get(&format!("/password/reset?token={token}")).await;
    let csrf = form_value(&page.text, "csrf_token").unwrap();
    let password = STAFF_PASSWORD;
    browser
        .post_form(
            "/password/reset",
            &csrf,
            &[
                ("token", &token),
                ("password", password),
                ("password_confirmation", password),
            ],
        )
        .await;
    browser.log_in(email, password).await;
    let enrol = browser.get("/admin/mfa").await;
    let start = enrol.text.find("class=\"secret\">").unwrap() + "class=\"secret\">".len();
    let secret: String = enrol.text[start..]
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    let csrf = form_value(&enrol.text, "csrf_token").unwrap();
    let code = code_at(&secret, now_unix(app));
    let passed = browser
        .post_form("/admin/mfa", &csrf, &[("totp_code", &code)])
        .await;
    assert_eq!(location(&passed), "/admin", "{}", passed.text);
    (browser, secret)
}

on_both_backends! {
    async fn administrators_create_and_revoke_api_clients_and_see_the_secret_once(backend) {
        let app = TestApp::spawn(backend).await;
        let now = app.clock.now();
        app.write(move |conn| {
            use ansinh::db::schema::employers;
            use diesel::prelude::*;
            diesel::insert_into(employers::table)
                .values((employers::id.eq("e1"), employers::unit_code.eq("TE0001A"), employers::tax_code.eq("0300000000"),
                    employers::name.eq("Công ty Một"), employers::province_code.eq("79"), employers::region.eq(1), employers::created_at.eq(now)))
                .execute(conn)?;
            Ok(())
        }).await;
        let mut admin = signed_in_staff(&app, "quantri@vss.example.vn", Role::Admin).await;
        let page = admin.get("/admin/clients").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let csrf = form_value(&page.text, "csrf_token").unwrap();

        // Each scope needs its binding; the employer must exist.
        let refused = admin.post_form("/admin/clients", &csrf, &[("name", "Lương Một"), ("scope_declarations", "on"), ("employer", "NOPE000")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text.contains("id=\"employer-error\""), "{}", refused.text);
        let refused = admin.post_form("/admin/clients", &csrf, &[("name", "Phòng khám"), ("scope_cards", "on"), ("employer", "TE0001A")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

        let created = admin.post_form("/admin/clients", &csrf, &[("name", "Lương Một"), ("scope_declarations", "on"), ("employer", "TE0001A")]).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let grab = |label: &str| {
            let start = created.text.find(&format!("<dt>{label}</dt><dd class=\"mono")).unwrap();
            let rest = &created.text[start..];
            let rest = &rest[rest.find('>').unwrap() + 1..];
            let rest = &rest[rest.find("\">").unwrap() + 2..];
            rest[..rest.find('<').unwrap()].to_owned()
        };
        let (client_id, secret) = (grab("client_id"), grab("client_secret"));
        // Shown once: the list afterwards has the id but never the secret.
        let list = admin.get("/admin/clients").await;
        assert!(list.text.contains(&client_id) && !list.text.contains(&secret));
        let stored: String = app.query(|conn| {
            use ansinh::db::schema::api_clients;
            use diesel::prelude::*;
            api_clients::table.select(api_clients::secret_hash).first(conn)
        }).await;
        assert_ne!(stored, secret, "only a hash is stored");

        let token = app.post_form("/api/v1/oauth/token", &[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", &secret)]).await;
        assert_eq!(token.status, StatusCode::OK, "{}", token.text);
        assert_eq!(token.body["scope"], "declarations:write");
        let bearer = token.body["access_token"].as_str().unwrap().to_owned();
        assert_eq!(app.get_auth("/api/v1/employers/TE0001A/arrears", &bearer).await.status, StatusCode::OK);

        // Another role may not manage clients.
        let mut approver = signed_in_staff(&app, "duyet@vss.example.vn", Role::Approver).await;
        assert_eq!(approver.get("/admin/clients").await.status, StatusCode::FORBIDDEN);
        let csrf_other = form_value(&approver.get("/admin").await.text, "csrf_token").unwrap();
        let denied = approver.post_form(&format!("/admin/clients/{client_id}/revoke"), &csrf_other, &[]).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);

        let revoked = admin.post_form(&format!("/admin/clients/{client_id}/revoke"), &csrf, &[]).await;
        assert_eq!((revoked.status, location(&revoked)), (StatusCode::SEE_OTHER, "/admin/clients"));
        assert_eq!(app.get_auth("/api/v1/employers/TE0001A/arrears", &bearer).await.status, StatusCode::UNAUTHORIZED);
        let again = app.post_form("/api/v1/oauth/token", &[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", &secret)]).await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    }

    async fn a_staff_member_sets_a_password_then_enrols_totp_before_the_admin_area(backend) {
        let app = TestApp::spawn(backend).await;
        let link = ansinh::staff::invite(app.state(), "binh@vss.example.vn", "Trần Thị Bình", Role::Approver).await.unwrap();
        let token = link.split("token=").nth(1).unwrap().to_owned();
        let invitation = app.mail.wait_for("binh@vss.example.vn", "").await;
        assert_eq!(invitation.token().as_deref(), Some(token.as_str()));

        let mut browser = Browser::new(&app);
        // Nobody can log in before the password is set.
        let early = browser.log_in("binh@vss.example.vn", "").await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);

        let page = browser.get(&format!("/password/reset?token={token}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = form_value(&page.text, "csrf_token").unwrap();
        let password = "chim én bay về mùa xuân";
        let set = browser
            .post_form("/password/reset", &csrf, &[("token", &token), ("password", password), ("password_confirmation", password)])
            .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.text);
        // The link is spent.
        assert_eq!(browser.get(&format!("/password/reset?token={token}")).await.status, StatusCode::BAD_REQUEST);

        let login = browser.log_in("binh@vss.example.vn", password).await;
        assert_eq!(location(&login), "/admin/mfa");
        // Password alone does not open /admin.
        assert_eq!(location(&browser.get("/admin").await), "/admin/mfa");

        let enrol = browser.get("/admin/mfa").await;
        assert_eq!(enrol.status, StatusCode::OK);
        assert!(enrol.text.contains("<svg"), "a QR code to scan");
        let start = enrol.text.find("class=\"secret\">").unwrap() + "class=\"secret\">".len();
        let secret: String = enrol.text[start..].chars().take_while(|c| *c != '<').collect();
        let csrf = form_value(&enrol.text, "csrf_token").unwrap();

        let wrong = browser.post_form("/admin/mfa", &csrf, &[("totp_code", "000000")]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let stale = code_at(&secret, now_unix(&app) - 90);
        let old = browser.post_form("/admin/mfa", &csrf, &[("totp_code", &stale)]).await;
        assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY, "a code from two steps ago is refused");

        let code = code_at(&secret, now_unix(&app));
        let before = browser.cookies["__Host-ansinh_session"].clone();
        let passed = browser.post_form("/admin/mfa", &csrf, &[("totp_code", &code)]).await;
        assert_eq!((passed.status, location(&passed)), (StatusCode::SEE_OTHER, "/admin"), "{}", passed.text);
        assert_ne!(browser.cookies["__Host-ansinh_session"], before, "a new session after the second factor");
        let admin = browser.get("/admin").await;
        assert_eq!(admin.status, StatusCode::OK);
        assert!(admin.text.contains("Trần Thị Bình"));

        // Next login: the same code cannot be replayed; a fresh one works.
        let mut second = Browser::new(&app);
        second.log_in("binh@vss.example.vn", password).await;
        let csrf = second.csrf_token("/admin/mfa").await;
        let replay = second.post_form("/admin/mfa", &csrf, &[("totp_code", &code)]).await;
        assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY, "a used code does not work twice");
        app.clock.advance(chrono::Duration::seconds(30));
        let next = code_at(&secret, now_unix(&app));
        let ok = second.post_form("/admin/mfa", &csrf, &[("totp_code", &next)]).await;
        assert_eq!(location(&ok), "/admin");
    }

    async fn wrong_codes_are_throttled(backend) {
        let app = TestApp::spawn(backend).await;
        let link = ansinh::staff::invite(app.state(), "clerk@vss.example.vn", "Lê Văn Cường", Role::Clerk).await.unwrap();
        let token = link.split("token=").nth(1).unwrap();
        let password = "một ngày đẹp trời ở huế";
        let reply = app
            .post_json("/api/v1/auth/password-reset/confirm", &serde_json::json!({ "token": token, "new_password": password }))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        let mut browser = Browser::new(&app);
        browser.log_in("clerk@vss.example.vn", password).await;
        let csrf = browser.csrf_token("/admin/mfa").await;
        for _ in 0..5 {
            browser.post_form("/admin/mfa", &csrf, &[("totp_code", "123456")]).await;
        }
        let sixth = browser.post_form("/admin/mfa", &csrf, &[("totp_code", "123456")]).await;
        assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(sixth.header("retry-after").is_some());
    }

    async fn citizens_cannot_reach_the_admin_area(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&citizen.email, &citizen.password).await;
        assert_eq!(browser.get("/admin").await.status, StatusCode::FORBIDDEN);
        assert_eq!(browser.get("/admin/mfa").await.status, StatusCode::NOT_FOUND);
        // Anonymous visitors are sent to log in.
        assert_eq!(location(&Browser::new(&app).get("/admin").await), "/login?next=/admin");
    }

    async fn staff_need_a_code_to_log_in_through_the_api(backend) {
        let app = TestApp::spawn(backend).await;
        let link = ansinh::staff::invite(app.state(), "api@vss.example.vn", "Phạm Thu", Role::Admin).await.unwrap();
        let token = link.split("token=").nth(1).unwrap();
        let password = "đường về nhà xa lắm";
        app.post_json("/api/v1/auth/password-reset/confirm", &serde_json::json!({ "token": token, "new_password": password })).await;
        app.api_login("api@vss.example.vn", password).await.assert_problem(StatusCode::FORBIDDEN, "mfa_required");
    }
}
