//! Accounts through the API: registration with email verification, login, token rotation,
//! logout, password reset, no enumeration, throttling.

use awc::http::StatusCode;
use serde_json::json;

use crate::support::{Citizen, TestApp, on_both_backends};

on_both_backends! {
    async fn registration_is_confirmed_through_a_real_smtp_exchange(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        let reply = app.post_json("/api/v1/auth/register", &citizen.registration()).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
        assert_eq!(reply.body["status"], "check_your_email");

        // Not verified yet: the right password is refused with a clear reason.
        let reply = app.api_login(&citizen.email, &citizen.password).await;
        reply.assert_problem(StatusCode::FORBIDDEN, "email_not_verified");

        let email = app.mail.wait_for(&citizen.email, "").await;
        assert!(email.text().contains("/verify-email?token="), "{}", email.text());
        assert!(email.html().contains("/verify-email?token="));
        let token = email.token().expect("token");
        let reply = app.post_json("/api/v1/auth/verify-email", &json!({ "token": token })).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

        // The link works once.
        let reply = app.post_json("/api/v1/auth/verify-email", &json!({ "token": token })).await;
        reply.assert_problem(StatusCode::BAD_REQUEST, "invalid_token");

        let reply = app.api_login(&citizen.personal_id, &citizen.password).await;
        assert_eq!(reply.status, StatusCode::OK, "login with the personal ID: {}", reply.body);
        let token = reply.body["access_token"].as_str().expect("access token");
        let me = app.get_auth("/api/v1/me", token).await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!(me.body["email"], citizen.email.as_str());
        assert_eq!(me.body["email_verified"], true);
        assert_eq!(me.body["personal_id"], format!("••••••••{}", &citizen.personal_id[8..]));
        assert!(me.body.get("password_hash").is_none());
    }

    async fn a_newer_registration_replaces_an_unverified_one(backend) {
        let app = TestApp::spawn(backend).await;
        // Someone registers a victim's address with their own password …
        let mut squatter = Citizen::new();
        let victim = Citizen::new();
        squatter.email = victim.email.clone();
        squatter.password = "the squatter knows this one".into();
        app.post_json("/api/v1/auth/register", &squatter.registration()).await;
        // … then the owner registers; the owner's link verifies the owner's account.
        app.post_json("/api/v1/auth/register", &victim.registration()).await;
        let mails = app.mail.wait_count(&victim.email, 2).await;
        let squatter_link = mails[0].token().unwrap();
        app.post_json("/api/v1/auth/verify-email", &json!({ "token": squatter_link })).await
            .assert_problem(StatusCode::BAD_REQUEST, "invalid_token");
        let owner_link = mails[1].token().unwrap();
        assert_eq!(app.post_json("/api/v1/auth/verify-email", &json!({ "token": owner_link })).await.status, StatusCode::OK);
        assert_eq!(app.api_login(&victim.email, &victim.password).await.status, StatusCode::OK);
        assert_eq!(app.api_login(&victim.email, &squatter.password).await.status, StatusCode::UNAUTHORIZED);
        // Nor can an unverified registration hold someone's personal ID.
        let mut holder = Citizen::new();
        holder.personal_id = "001090999999".into();
        app.post_json("/api/v1/auth/register", &holder.registration()).await;
        let mut real = Citizen::new();
        real.personal_id = holder.personal_id.clone();
        app.registered_citizen(&real).await;
    }

    async fn registering_again_before_verifying_sends_a_fresh_link(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.post_json("/api/v1/auth/register", &citizen.registration()).await;
        app.post_json("/api/v1/auth/register", &citizen.registration()).await;
        let mails = app.mail.wait_count(&citizen.email, 2).await;
        let (first, second) = (mails[0].token().unwrap(), mails[1].token().unwrap());
        assert_ne!(first, second);
        app.post_json("/api/v1/auth/verify-email", &json!({ "token": first })).await
            .assert_problem(StatusCode::BAD_REQUEST, "invalid_token");
        let reply = app.post_json("/api/v1/auth/verify-email", &json!({ "token": second })).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(app.api_login(&citizen.email, &citizen.password).await.status, StatusCode::OK);
    }

    async fn passwords_are_stored_as_argon2id_with_owasp_parameters(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let address = citizen.email.clone();
        let hash: Option<String> = app
            .query(move |conn| {
                use ansinh::db::schema::accounts::dsl::*;
                use diesel::prelude::*;
                accounts.filter(email.eq(address)).select(password_hash).first(conn)
            })
            .await;
        let hash = hash.expect("a hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(!hash.contains(&citizen.password));
    }

    async fn login_refresh_rotation_and_logout(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let first = app.api_login(&citizen.email, &citizen.password).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert_eq!(first.body["token_type"], "Bearer");
        assert_eq!(first.body["expires_in"], 900);
        let refresh_1 = first.body["refresh_token"].as_str().unwrap().to_owned();

        let second = app.post_json("/api/v1/auth/refresh", &json!({ "refresh_token": refresh_1 })).await;
        assert_eq!(second.status, StatusCode::OK, "{}", second.body);
        let access_2 = second.body["access_token"].as_str().unwrap().to_owned();
        let refresh_2 = second.body["refresh_token"].as_str().unwrap().to_owned();
        assert_ne!(refresh_1, refresh_2, "refresh tokens rotate");
        assert_eq!(app.get_auth("/api/v1/me", &access_2).await.status, StatusCode::OK);

        // Reuse of a spent refresh token: refused, and the whole family ends.
        let replay = app.post_json("/api/v1/auth/refresh", &json!({ "refresh_token": refresh_1 })).await;
        replay.assert_problem(StatusCode::BAD_REQUEST, "invalid_token");
        let after = app.post_json("/api/v1/auth/refresh", &json!({ "refresh_token": refresh_2 })).await;
        after.assert_problem(StatusCode::BAD_REQUEST, "invalid_token");
        app.get_auth("/api/v1/me", &access_2).await.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");

        // Logout revokes at once.
        let fresh = app.api_login(&citizen.email, &citizen.password).await;
        let access = fresh.body["access_token"].as_str().unwrap().to_owned();
        let refresh = fresh.body["refresh_token"].as_str().unwrap().to_owned();
        let reply = app.post_json_auth("/api/v1/auth/logout", &access, &json!({})).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
        app.get_auth("/api/v1/me", &access).await.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");
        app.post_json("/api/v1/auth/refresh", &json!({ "refresh_token": refresh })).await
            .assert_problem(StatusCode::BAD_REQUEST, "invalid_token");
    }

    async fn access_tokens_expire(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let reply = app.api_login(&citizen.email, &citizen.password).await;
        let access = reply.body["access_token"].as_str().unwrap().to_owned();
        app.clock.advance(chrono::Duration::minutes(16));
        app.get_auth("/api/v1/me", &access).await.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");
    }

    async fn a_reset_link_works_once_ends_every_session_and_expires(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let before = app.api_login(&citizen.email, &citizen.password).await;
        let old_access = before.body["access_token"].as_str().unwrap().to_owned();

        let reply = app.post_json("/api/v1/auth/password-reset", &json!({ "email": citizen.email })).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED);
        let reset_email = app.mail.wait_count(&citizen.email, 2).await.remove(1);
        assert!(reset_email.text().contains("/password/reset?token="), "{}", reset_email.text());
        let token = reset_email.token().expect("reset token");

        // The database holds only a hash of the token.
        let stored: Vec<String> = app
            .query(|conn| {
                use ansinh::db::schema::one_time_tokens::dsl::*;
                use diesel::prelude::*;
                one_time_tokens.select(token_hash).load(conn)
            })
            .await;
        assert!(stored.contains(&ansinh::secrets::token_hash(&token)));
        assert!(!stored.contains(&token));

        // A bad new password leaves the token usable.
        let weak = app.post_json("/api/v1/auth/password-reset/confirm", &json!({ "token": token, "new_password": "password1" })).await;
        assert_eq!(weak.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["new_password"]);

        let new_password = "một mật khẩu mới rất dài";
        let done = app.post_json("/api/v1/auth/password-reset/confirm", &json!({ "token": token, "new_password": new_password })).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let again = app.post_json("/api/v1/auth/password-reset/confirm", &json!({ "token": token, "new_password": "another long password" })).await;
        again.assert_problem(StatusCode::BAD_REQUEST, "invalid_token");

        // Every earlier session ended; the owner was told.
        app.get_auth("/api/v1/me", &old_access).await.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");
        let notice = app.mail.wait_count(&citizen.email, 3).await.remove(2);
        assert!(notice.text().contains("/password/forgot"), "the change notice says how to undo it");
        assert!(!notice.text().contains(&citizen.personal_id), "notices carry no ID numbers");
        assert_eq!(app.api_login(&citizen.email, new_password).await.status, StatusCode::OK);
        assert_eq!(app.api_login(&citizen.email, &citizen.password).await.status, StatusCode::UNAUTHORIZED);

        // A new link expires after an hour.
        app.post_json("/api/v1/auth/password-reset", &json!({ "email": citizen.email })).await;
        let late_token = app.mail.wait_count(&citizen.email, 4).await.remove(3).token().expect("second reset token");
        assert_ne!(late_token, token);
        app.clock.advance(chrono::Duration::minutes(61));
        app.post_json("/api/v1/auth/password-reset/confirm", &json!({ "token": late_token, "new_password": "yet another long password" })).await
            .assert_problem(StatusCode::BAD_REQUEST, "invalid_token");
    }

    async fn answers_do_not_reveal_which_accounts_exist(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;

        // Registering again with the same email (or personal ID) answers exactly as a new one.
        let stranger = Citizen::new();
        let new = app.post_json("/api/v1/auth/register", &stranger.registration()).await;
        let mut duplicate = Citizen::new();
        duplicate.email = citizen.email.clone();
        let again = app.post_json("/api/v1/auth/register", &duplicate.registration()).await;
        assert_eq!((new.status, &new.body), (again.status, &again.body));
        let mut same_id = Citizen::new();
        same_id.personal_id = citizen.personal_id.clone();
        let same_id_reply = app.post_json("/api/v1/auth/register", &same_id.registration()).await;
        assert_eq!((new.status, &new.body), (same_id_reply.status, &same_id_reply.body));
        // … and the owner is told instead; no second account exists.
        let mails = app.mail.wait_count(&citizen.email, 3).await;
        assert_eq!(mails.len(), 3, "verification + two 'already registered' notices");
        assert!(mails[1].text().contains("/password/forgot"));
        assert!(app.mail.to(&same_id.email).is_empty(), "nothing is sent to the address that tried");

        // Password reset: same answer for known and unknown addresses.
        let known = app.post_json("/api/v1/auth/password-reset", &json!({ "email": citizen.email })).await;
        let unknown = app.post_json("/api/v1/auth/password-reset", &json!({ "email": "nobody@example.vn" })).await;
        assert_eq!((known.status, &known.body), (unknown.status, &unknown.body));

        // Login: a wrong password and an unknown account look the same.
        let wrong = app.api_login(&citizen.email, "not the password at all").await;
        let nobody = app.api_login("nobody@example.vn", "not the password at all").await;
        // Byte for byte, but for the trace id each answer carries.
        let without_trace = |mut body: serde_json::Value| {
            body.as_object_mut().map(|o| o.remove("trace_id"));
            body
        };
        assert_eq!(wrong.status, nobody.status);
        assert_eq!(without_trace(wrong.body), without_trace(nobody.body));
    }

    async fn repeated_failed_logins_back_off_then_recover(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        let other = Citizen::new();
        app.registered_citizen(&citizen).await;
        app.registered_citizen(&other).await;
        // Email and personal ID name the same account: one budget, not two.
        for attempt in 0..5 {
            let login = if attempt % 2 == 0 { &citizen.email } else { &citizen.personal_id };
            let reply = app.api_login(login, "wrong password here").await;
            reply.assert_problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
        }
        // Now even the right password waits, with a clear time to retry.
        let held = app.api_login(&citizen.email, &citizen.password).await;
        held.assert_problem(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
        let retry_after: u64 = held.header("retry-after").expect("Retry-After").parse().unwrap();
        assert!((1..=2).contains(&retry_after), "{retry_after}");
        assert!(held.body["detail"].as_str().unwrap().contains(&retry_after.to_string()));
        // Another account is not affected.
        assert_eq!(app.api_login(&other.email, &other.password).await.status, StatusCode::OK);
        // Backoff, not a lock: after the wait the owner gets in, and the count starts again.
        app.clock.advance(chrono::Duration::seconds(3));
        assert_eq!(app.api_login(&citizen.email, &citizen.password).await.status, StatusCode::OK);
        assert_eq!(app.api_login(&citizen.email, "wrong password here").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.api_login(&citizen.email, &citizen.password).await.status, StatusCode::OK);
    }

    async fn unknown_accounts_are_throttled_like_known_ones(backend) {
        let app = TestApp::spawn(backend).await;
        for _ in 0..5 {
            app.api_login("ghost@example.vn", "wrong password here").await;
        }
        app.api_login("ghost@example.vn", "wrong password here").await
            .assert_problem(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    }

    async fn the_account_endpoints_limit_requests_per_client_address(backend) {
        let app = TestApp::spawn_with(backend, |s| s.limits.auth_requests_per_minute = 3).await;
        for _ in 0..3 {
            let reply = app.post_json("/api/v1/auth/password-reset", &json!({ "email": "a@example.vn" })).await;
            assert_eq!(reply.status, StatusCode::ACCEPTED);
        }
        let limited = app.post_json("/api/v1/auth/password-reset", &json!({ "email": "a@example.vn" })).await;
        limited.assert_problem(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
        assert!(limited.header("retry-after").is_some());
        // Percent-encoding the path does not escape the budget.
        let encoded = app.post_json("/api/v1/%61uth/password-reset", &json!({ "email": "a@example.vn" })).await;
        encoded.assert_problem(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
        // Reading pages is not limited.
        assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    }

    async fn api_requests_need_a_valid_bearer_token(backend) {
        let app = TestApp::spawn(backend).await;
        app.get("/api/v1/me").await.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");
        app.get_auth("/api/v1/me", "made-up-token").await.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");
    }
}
