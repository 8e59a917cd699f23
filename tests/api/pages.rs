//! The HTML pages: forms with CSRF protection, server-side sessions, security headers, both
//! languages.

use awc::http::StatusCode;

use crate::support::{Browser, Citizen, TestApp, form_value, location, on_both_backends};

const SESSION: &str = "__Host-ansinh_session";

on_both_backends! {
    async fn the_session_cookie_is_host_only_secure_httponly_and_lax(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        let reply = browser.log_in(&citizen.email, &citizen.password).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text);
        assert_eq!(location(&reply), "/account");
        let cookie = reply.set_cookies().into_iter().find(|c| c.starts_with(SESSION)).expect("a session cookie");
        for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }
        assert!(!cookie.contains("Domain"), "{cookie}");
        let account = browser.get("/account").await;
        assert_eq!(account.status, StatusCode::OK);
        assert!(account.text.contains("Nguyễn Văn An"));
        assert!(account.header("cache-control") == Some("no-store"));
    }

    async fn login_issues_a_new_session_and_logout_revokes_it(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&citizen.email, &citizen.password).await;
        let first = browser.cookies[SESSION].clone();
        browser.log_in(&citizen.email, &citizen.password).await;
        let second = browser.cookies[SESSION].clone();
        assert_ne!(first, second, "a new token at each login");

        // The earlier session was ended by the new login.
        let mut stale = Browser::new(&app);
        stale.cookies.insert(SESSION.into(), first);
        assert_eq!(location(&stale.get("/account").await), "/login?next=/account");

        // Logout is a POST with the form's token (a GET does nothing).
        let token = form_value(&browser.get("/account").await.text, "csrf_token").unwrap();
        let get_logout = browser.get("/logout").await;
        assert_eq!(get_logout.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(browser.get("/account").await.status, StatusCode::OK);
        let reply = browser.post_form("/logout", &token, &[]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let mut replay = Browser::new(&app);
        replay.cookies.insert(SESSION.into(), second);
        let after = replay.get("/account").await;
        assert_eq!(after.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&after), "/login?next=/account");
    }

    async fn sessions_end_after_fifteen_idle_minutes(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&citizen.email, &citizen.password).await;
        app.clock.advance(chrono::Duration::minutes(14));
        assert_eq!(browser.get("/account").await.status, StatusCode::OK);
        app.clock.advance(chrono::Duration::minutes(14));
        assert_eq!(browser.get("/account").await.status, StatusCode::OK, "activity keeps it alive");
        app.clock.advance(chrono::Duration::minutes(16));
        assert_eq!(browser.get("/account").await.status, StatusCode::SEE_OTHER);
    }

    async fn sessions_end_after_twelve_hours_however_active(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&citizen.email, &citizen.password).await;
        // Active every 10 minutes: still in at 11 h 50 min, out after 12 h.
        for _ in 0..71 {
            app.clock.advance(chrono::Duration::minutes(10));
            assert_eq!(browser.get("/account").await.status, StatusCode::OK);
        }
        app.clock.advance(chrono::Duration::minutes(11));
        assert_eq!(browser.get("/account").await.status, StatusCode::SEE_OTHER);
    }

    async fn forms_without_a_valid_token_or_from_another_site_are_refused(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        let token = browser.csrf_token("/login").await;
        let fields = [("login", citizen.email.as_str()), ("password", citizen.password.as_str())];

        let no_token = browser.post_raw("/login", &fields, &[]).await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        assert!(no_token.text.contains("<html"), "a page, not JSON");

        let mut with_token = vec![("csrf_token", token.as_str())];
        with_token.extend_from_slice(&fields);
        let forged = browser.post_raw("/login", &[("csrf_token", "forged"), fields[0], fields[1]], &[]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let cross_origin = browser.post_raw("/login", &with_token, &[("origin", "https://evil.example")]).await;
        assert_eq!(cross_origin.status, StatusCode::FORBIDDEN);
        let cross_site = browser.post_raw("/login", &with_token, &[("sec-fetch-site", "cross-site")]).await;
        assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
        assert!(!browser.cookies.contains_key(SESSION), "no session from any of them");

        // Another browser's token does not work with this browser's cookie.
        let mut other = Browser::new(&app);
        let other_token = other.csrf_token("/login").await;
        let swapped = browser.post_form("/login", &other_token, &fields).await;
        assert_eq!(swapped.status, StatusCode::FORBIDDEN);

        // A page with `no-referrer` makes browsers send `Origin: null`: accepted only when the
        // fetch metadata says the form is this site's own.
        let null_alone = browser.post_raw("/login", &with_token, &[("origin", "null")]).await;
        assert_eq!(null_alone.status, StatusCode::FORBIDDEN);
        let null_same_origin = browser
            .post_raw("/login", &with_token, &[("origin", "null"), ("sec-fetch-site", "same-origin")])
            .await;
        assert_eq!(null_same_origin.status, StatusCode::SEE_OTHER);
    }

    async fn pages_opened_from_emailed_links_send_no_referrer(backend) {
        let app = TestApp::spawn(backend).await;
        for path in ["/verify-email?token=abc", "/password/reset?token=abc"] {
            let reply = app.get(path).await;
            assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{path}");
        }
    }

    async fn registration_form_shows_each_problem_by_its_field(backend) {
        let app = TestApp::spawn(backend).await;
        let mut browser = Browser::new(&app);
        let token = browser.csrf_token("/register").await;
        let reply = browser
            .post_form("/register", &token, &[("personal_id", "123"), ("email", "lan@example.vn"), ("password", "secret-kept-out")])
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.text.contains("class=\"error-summary\""));
        assert!(reply.text.contains("id=\"personal_id-error\""));
        assert!(reply.text.contains("href=\"#full_name\""));
        assert!(reply.text.contains("value=\"lan@example.vn\""), "typed values are kept");
        assert!(!reply.text.contains("secret-kept-out"), "but never the password");
        assert!(reply.text.contains("<title>Lỗi:"), "the title says there is an error");
    }

    async fn registering_and_logging_in_through_the_pages(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        let mut browser = Browser::new(&app);
        let token = browser.csrf_token("/register?lang=en").await;
        assert_eq!(browser.cookies.get("lang").map(String::as_str), Some("en"));
        let reply = browser
            .post_form("/register", &token, &[
                ("personal_id", &citizen.personal_id),
                ("full_name", &citizen.full_name),
                ("birth_date", "1990-05-17"),
                ("email", &citizen.email),
                ("phone", "+84 912 345 678"),
                ("password", &citizen.password),
            ])
            .await;
        assert_eq!((reply.status, location(&reply)), (StatusCode::SEE_OTHER, "/check-email"), "{}", reply.text);
        let mail = app.mail.wait_for(&citizen.email, "Confirm").await;
        let link_token = mail.token().unwrap();
        let page = browser.get(&format!("/verify-email?token={link_token}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let form_token = form_value(&page.text, "csrf_token").unwrap();
        let verified = browser.post_form("/verify-email", &form_token, &[("token", &link_token)]).await;
        assert_eq!(verified.status, StatusCode::OK);
        assert!(verified.text.contains("Email confirmed"));
        let login = browser.log_in(&citizen.personal_id, &citizen.password).await;
        assert_eq!(location(&login), "/account");
        let account = browser.get("/account").await;
        assert!(account.text.contains("0912345678"), "the phone number is stored normalised");
    }

    async fn a_wrong_password_on_the_page_says_so_and_logs_nobody_in(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        let reply = browser.log_in(&citizen.email, "not the right one").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(reply.text.contains("Thông tin đăng nhập hoặc mật khẩu không đúng."));
        assert!(!browser.cookies.contains_key(SESSION));
    }

    async fn only_local_paths_are_followed_after_login(backend) {
        let app = TestApp::spawn(backend).await;
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        for next in ["//evil.example/", "/\t/evil.example", "/\\evil.example", "/\n"] {
            let token = browser.csrf_token("/login").await;
            let reply = browser
                .post_form("/login", &token, &[("login", &citizen.email), ("password", &citizen.password), ("next", next)])
                .await;
            assert_eq!(location(&reply), "/account", "{next:?}");
        }
    }

    async fn every_response_carries_the_security_headers(backend) {
        let app = TestApp::spawn(backend).await;
        for path in ["/", "/login", "/api/v1/me", "/no-such-page", "/static/app.css"] {
            let reply = app.get(path).await;
            let csp = reply.header("content-security-policy").unwrap_or_default();
            for directive in ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
                assert!(csp.contains(directive), "{path}: {csp}");
            }
            assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
            assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
            assert_eq!(reply.header("referrer-policy"), Some("same-origin"), "{path}");
            assert!(reply.header("strict-transport-security").is_none(), "no HSTS over plain HTTP");
        }
        let tls = TestApp::spawn_with(backend, |s| s.behind_tls = true).await;
        let reply = tls.get("/").await;
        assert_eq!(reply.header("strict-transport-security"), Some("max-age=31536000; includeSubDomains"));
    }

    async fn pages_come_in_vietnamese_first_and_english(backend) {
        let app = TestApp::spawn(backend).await;
        let vi = app.get("/").await;
        assert!(vi.text.contains("<html lang=\"vi\">"));
        assert!(vi.text.contains("Chuyển đến nội dung chính"), "skip link");
        assert!(vi.text.contains("href=\"?lang=en\""), "the switch is a relative link");
        let reset = app.get("/password/reset?token=abc").await;
        assert!(reset.text.contains("href=\"?token=abc&#38;lang=en\""), "and keeps the page's token");
        let en = app.get("/?lang=en").await;
        assert!(en.text.contains("<html lang=\"en\">"));
        assert!(en.text.contains("Skip to main content"));
        assert!(en.set_cookies().iter().any(|c| c.starts_with("lang=en")));
        assert!(!vi.text.contains("http://") && !vi.text.contains("https://"), "no third-party resources");
    }
}
