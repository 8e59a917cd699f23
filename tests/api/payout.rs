//! The payout bank account: changed only with the password (and TOTP code) again, in the
//! citizen's own name, sealed at rest with a blind index, shown masked, each change emailed
//! without digits and audited; keys rotate without losing rows.

use ansinh::db::schema::{accounts, audit_events, payout_accounts};
use ansinh::payout::banks;
use ansinh::payout::model::AccountNumber;
use ansinh::sealed::Keyring;
use awc::http::StatusCode;
use base64::Engine;
use diesel::prelude::*;
use serde_json::{Value, json};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::support::{
    Browser, Citizen, TEST_FIELD_KEY, TestApp, form_value, location, on_both_backends,
};

const NUMBER: &str = "0071009876543";
const PATH: &str = "/api/v1/me/bank-account";

async fn citizen(app: &TestApp) -> (Citizen, String) {
    let citizen = Citizen::new();
    app.registered_citizen(&citizen).await;
    let reply = app.api_login(&citizen.email, &citizen.password).await;
    (
        citizen,
        reply.body["access_token"].as_str().unwrap().to_owned(),
    )
}

fn change(password: &str, holder: &str) -> Value {
    json!({ "bank": "970436", "account_number": "0071 0098-76543", "holder_name": holder, "password": password })
}

async fn account_id_of(app: &TestApp, email: &str) -> String {
    let email = email.to_owned();
    app.query(move |conn| {
        accounts::table
            .filter(accounts::email.eq(email))
            .select(accounts::id)
            .first::<String>(conn)
    })
    .await
}

async fn stored_rows(app: &TestApp) -> Vec<(String, String, String, String)> {
    app.query(|conn| {
        payout_accounts::table
            .select((
                payout_accounts::account_id,
                payout_accounts::bank_bin,
                payout_accounts::account_number_sealed,
                payout_accounts::account_number_index,
            ))
            .load(conn)
    })
    .await
}

async fn audit_rows(app: &TestApp) -> Vec<ansinh::audit::StoredEvent> {
    app.query(|conn| {
        audit_events::table
            .filter(audit_events::action.eq("payout_account.change"))
            .select(ansinh::audit::StoredEvent::as_select())
            .load(conn)
    })
    .await
}

/// Every run of four or more consecutive digits of `NUMBER`.
fn digit_runs() -> Vec<&'static str> {
    (0..=NUMBER.len() - 4).map(|i| &NUMBER[i..i + 4]).collect()
}

fn assert_no_digits_of_the_number(what: &str, text: &str) {
    for run in digit_runs() {
        assert!(
            !text.contains(run),
            "{what} contains {run} of the account number:\n{text}"
        );
    }
}

fn code_at(secret: &str, unix: u64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new()).generate(unix)
}

/// The `ansinh` binary with only the given environment (no developer's keys leak in).
fn ansinh(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_ansinh"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .current_dir(dir.path())
        .output()
        .expect("the ansinh binary runs")
}

on_both_backends! {
    async fn a_payout_account_needs_the_password_again_is_sealed_at_rest_and_emailed(backend) {
        let app = TestApp::spawn(backend).await;
        let (me, token) = citizen(&app).await;
        let my_id = account_id_of(&app, &me.email).await;
        app.get_auth(PATH, &token).await.assert_problem(StatusCode::NOT_FOUND, "not_found");

        // A wrong or missing password changes nothing.
        let wrong = app.put_json_auth(PATH, &token, &change("không phải mật khẩu", "NGUYEN VAN AN")).await;
        wrong.assert_problem(StatusCode::FORBIDDEN, "reauth_required");
        let missing = app.put_json_auth(PATH, &token, &json!({ "bank": "970436", "account_number": NUMBER, "holder_name": "NGUYEN VAN AN" })).await;
        missing.assert_problem(StatusCode::FORBIDDEN, "reauth_required");
        // Nor does an account in someone else's name, even with the right password.
        let other_name = app.put_json_auth(PATH, &token, &change(&me.password, "NGUYEN THI BINH")).await;
        assert_eq!(other_name.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["holder_name"]);
        assert_eq!(other_name.body["errors"][0]["code"], "holder_name_mismatch");
        assert!(other_name.body["errors"][0]["message"].as_str().unwrap().contains("họ tên của bạn"), "{}", other_name.text);
        let bad = app.put_json_auth(PATH, &token, &json!({ "bank": "123456", "account_number": "12", "holder_name": "NGUYEN VAN AN", "password": me.password })).await;
        assert_eq!(bad.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"), ["bank", "account_number"]);
        assert!(stored_rows(&app).await.is_empty(), "nothing stored");
        assert!(audit_rows(&app).await.is_empty());

        // The right password: saved, and shown masked only.
        let saved = app.put_json_auth(PATH, &token, &change(&me.password, "  nguyen van AN ")).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        let masked = json!({ "bank_code": "970436", "bank_name": "Vietcombank", "account_number": "•••• 6543", "holder_name": "nguyen van AN" });
        for (field, value) in masked.as_object().unwrap() {
            assert_eq!(&saved.body[field], value, "{}", saved.text);
        }
        let shown = app.get_auth(PATH, &token).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert_eq!(shown.body, saved.body);
        assert!(!saved.text.contains("9876543") && !shown.text.contains("9876543"), "{}", shown.text);

        // At rest: no digits of the number in the row, a key id in the sealed value, a blind index.
        let rows = stored_rows(&app).await;
        assert_eq!(rows.len(), 1);
        let (owner, bin, sealed, index) = &rows[0];
        assert_eq!((owner, bin.as_str()), (&my_id, "970436"));
        let keys = Keyring::new(TEST_FIELD_KEY, &[]).unwrap();
        assert!(sealed.starts_with(&format!("v1:{}:", keys.current_id())), "{sealed}");
        assert!(!sealed.contains(&NUMBER[NUMBER.len() - 6..]) && !index.contains(&NUMBER[NUMBER.len() - 6..]));
        assert_no_digits_of_the_number("the stored row", &format!("{sealed} {index}"));
        assert_eq!(index.len(), 43, "a full HMAC-SHA256: {index}");
        // The index finds the account by bank and number, and only that account.
        let number = AccountNumber::parse(NUMBER).unwrap();
        let holders = app.query(move |conn| ansinh::payout::store::holders_of(conn, &keys, banks::by_bin("970436").unwrap(), &number)).await;
        assert_eq!(holders, std::slice::from_ref(&my_id));
        let keys = Keyring::new(TEST_FIELD_KEY, &[]).unwrap();
        let elsewhere = AccountNumber::parse(NUMBER).unwrap();
        let none = app.query(move |conn| ansinh::payout::store::holders_of(conn, &keys, banks::by_bin("970418").unwrap(), &elsewhere)).await;
        assert!(none.is_empty());

        // The owner is told at the address on file, with no digits of the number.
        let notice = app.mail.wait_for(&me.email, "Tài khoản nhận tiền của bạn vừa được thay đổi").await;
        for (part, text) in [("subject", notice.subject()), ("text", notice.text()), ("html", notice.html())] {
            assert_no_digits_of_the_number(part, &text);
        }
        assert!(notice.text().contains("/account/bank-account"), "{}", notice.text());
        assert!(notice.text().contains("đặt lại mật khẩu"), "{}", notice.text());

        // One audit event: who, what, which, from where; no number in it.
        let events = audit_rows(&app).await;
        assert_eq!(events.len(), 1);
        let event = &events[0];
        assert_eq!((event.actor_id.as_str(), event.actor_role.as_str(), event.subject.as_str()), (my_id.as_str(), "citizen", format!("payout_account:{my_id}").as_str()));
        assert_eq!(event.client_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(serde_json::from_str::<Value>(&event.detail).unwrap(), json!({ "bank": "970436", "replaced": false }));

        // A mismatched change later leaves the saved account as it was.
        let refused = app.put_json_auth(PATH, &token, &change(&me.password, "TRAN VAN AN")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(&stored_rows(&app).await[0].2, sealed);

        // A change to another account replaces it, and is told and audited again.
        let moved = app.put_json_auth(PATH, &token, &json!({ "bank": "970418", "account_number": "12345678901", "holder_name": "Nguyễn Văn An", "password": me.password })).await;
        assert_eq!((moved.status, &moved.body["bank_name"], &moved.body["account_number"]), (StatusCode::OK, &json!("BIDV"), &json!("•••• 8901")), "{}", moved.text);
        assert_eq!(stored_rows(&app).await.len(), 1);
        app.mail.wait_count(&me.email, 3).await;
        let events = audit_rows(&app).await;
        assert_eq!(events.len(), 2);
        assert_eq!(serde_json::from_str::<Value>(&events[1].detail).unwrap()["replaced"], true);
        let mut conn = app.state().db.connection().unwrap();
        assert!(matches!(ansinh::audit::verify(&mut conn).unwrap(), ansinh::audit::Verification::Ok { .. }));
        drop(conn);

        // Another citizen sees none of it.
        let (_, other) = citizen(&app).await;
        app.get_auth(PATH, &other).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        app.get(PATH).await.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");
    }

    async fn a_citizen_with_totp_must_give_the_current_code_too(backend) {
        let app = TestApp::spawn(backend).await;
        let (me, token) = citizen(&app).await;
        // Citizens have no TOTP enrolment page yet: enable it on the row.
        let secret = Secret::generate_secret().to_encoded().to_string();
        let (stored, email, now) = (secret.clone(), me.email.clone(), app.clock.now());
        app.write(move |conn| {
            diesel::update(accounts::table.filter(accounts::email.eq(email)))
                .set((accounts::totp_secret.eq(stored), accounts::totp_enabled_at.eq(now)))
                .execute(conn)?;
            Ok(())
        })
        .await;

        let without = app.put_json_auth(PATH, &token, &change(&me.password, "NGUYEN VAN AN")).await;
        without.assert_problem(StatusCode::FORBIDDEN, "reauth_required");
        let mut wrong = change(&me.password, "NGUYEN VAN AN");
        let unix = app.clock.now().and_utc().timestamp() as u64;
        let right_code = code_at(&secret, unix);
        wrong["totp_code"] = json!(if right_code == "000000" { "111111" } else { "000000" });
        app.put_json_auth(PATH, &token, &wrong).await.assert_problem(StatusCode::FORBIDDEN, "reauth_required");
        assert!(stored_rows(&app).await.is_empty());

        // The page asks for the code as well.
        let mut browser = Browser::new(&app);
        browser.log_in(&me.email, &me.password).await;
        let page = browser.get("/account/bank-account").await;
        assert!(page.text.contains("name=\"totp_code\""), "{}", page.text);

        let mut right = change(&me.password, "NGUYEN VAN AN");
        right["totp_code"] = json!(right_code);
        let saved = app.put_json_auth(PATH, &token, &right).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        assert_eq!(stored_rows(&app).await.len(), 1);
        // The code was spent: the same code again is refused.
        right["holder_name"] = json!("Nguyễn Văn An");
        app.put_json_auth(PATH, &token, &right).await.assert_problem(StatusCode::FORBIDDEN, "reauth_required");
    }

    async fn the_page_asks_for_the_password_and_shows_the_account_masked(backend) {
        let app = TestApp::spawn(backend).await;
        let me = Citizen::new();
        app.registered_citizen(&me).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&me.email, &me.password).await;
        let overview = browser.get("/account").await;
        assert!(overview.text.contains("href=\"/account/bank-account\""), "{}", overview.text);

        let page = browser.get("/account/bank-account").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Bạn chưa khai tài khoản nhận tiền."), "{}", page.text);
        assert!(page.text.contains("<option value=\"970436\">Vietcombank"), "{}", page.text);
        assert!(page.text.contains("autocomplete=\"current-password\""));
        assert!(!page.text.contains("name=\"totp_code\""), "no TOTP field without TOTP");
        let csrf = form_value(&page.text, "csrf_token").unwrap();
        let fields = |password: &'static str, holder: &'static str| {
            vec![("bank", "970436"), ("account_number", NUMBER), ("holder_name", holder), ("password", password)]
        };

        // No token, no change.
        let forged = browser.post_raw("/account/bank-account", &fields("x", "NGUYEN VAN AN"), &[("origin", app.address.as_str())]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);

        let wrong = browser.post_form("/account/bank-account", &csrf, &fields("sai mật khẩu", "NGUYEN VAN AN")).await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN, "{}", wrong.text);
        assert!(wrong.text.contains("Mật khẩu hoặc mã xác thực chưa đúng. Tài khoản nhận tiền chưa được thay đổi."), "{}", wrong.text);
        assert!(wrong.text.contains("href=\"#password\""), "{}", wrong.text);
        assert!(wrong.text.contains("<option value=\"970436\" selected>"), "the bank chosen stays chosen");
        assert!(!wrong.text.contains(NUMBER), "the number is never shown back");

        let mismatch = browser.post_form("/account/bank-account", &csrf, &fields("mây trắng trên đồi cao", "NGUYEN THI BINH")).await;
        assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", mismatch.text);
        assert!(mismatch.text.contains("href=\"#holder_name\""), "{}", mismatch.text);
        assert!(!mismatch.text.contains(NUMBER));
        assert!(stored_rows(&app).await.is_empty());

        let saved = browser.post_form("/account/bank-account", &csrf, &fields("mây trắng trên đồi cao", "NGUYEN VAN AN")).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
        assert_eq!(location(&saved), "/account/bank-account?saved=1");
        let shown = browser.get("/account/bank-account?saved=1").await;
        for expected in ["Đã lưu tài khoản nhận tiền.", "Vietcombank", "•••• 6543", "NGUYEN VAN AN", "Đổi tài khoản nhận tiền"] {
            assert!(shown.text.contains(expected), "{expected} missing:\n{}", shown.text);
        }
        assert!(!shown.text.contains("9876543"), "{}", shown.text);
        let english = browser.get("/account/bank-account?lang=en").await;
        assert!(english.text.contains("Payout bank account") && english.text.contains("•••• 6543"), "{}", english.text);
        let notice = app.mail.wait_for(&me.email, "Tài khoản nhận tiền").await;
        assert_no_digits_of_the_number("the notice", &notice.text());
        assert_eq!(audit_rows(&app).await.len(), 1);
    }

    async fn rotated_keys_still_open_old_rows_and_reseal_moves_them(backend) {
        let app = TestApp::spawn(backend).await;
        let (me, token) = citizen(&app).await;
        let saved = app.put_json_auth(PATH, &token, &change(&me.password, "NGUYEN VAN AN")).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
        let old_id = Keyring::new(TEST_FIELD_KEY, &[]).unwrap().current_id().to_owned();
        let before = stored_rows(&app).await.remove(0);
        assert!(before.2.starts_with(&format!("v1:{old_id}:")));

        // A new key without the old one: the row does not open, and nothing wrong is shown.
        let new_key = ansinh::sealed::new_key();
        let new_id = Keyring::new(&new_key, &[]).unwrap().current_id().to_owned();
        let key = new_key.clone();
        let app = app.restart_with(move |s| s.field_key = key).await;
        app.get_auth(PATH, &token).await.assert_problem(StatusCode::INTERNAL_SERVER_ERROR, "internal_error");

        // With the old key kept as an old key, it reads as before.
        let key = new_key.clone();
        let app = app.restart_with(move |s| {
            s.field_key = key;
            s.field_old_keys = vec![TEST_FIELD_KEY.to_owned()];
        }).await;
        assert_eq!(app.get_auth(PATH, &token).await.body, saved.body);

        // `ansinh keys reseal` moves it to the new key, blind index included.
        let output = ansinh(&["keys", "reseal"], &[
            ("DATABASE_URL", app.settings.database_url.as_str()),
            ("SECRET_KEY", app.settings.secret_key.as_str()),
            ("FIELD_KEY", new_key.as_str()),
            ("FIELD_OLD_KEYS", TEST_FIELD_KEY),
        ]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.contains(&format!("resealed 1 payout account number(s) under key {new_id}")), "{stdout}");
        let after = stored_rows(&app).await.remove(0);
        assert!(after.2.starts_with(&format!("v1:{new_id}:")), "{}", after.2);
        assert_ne!(after.3, before.3, "the blind index follows the key");
        assert_no_digits_of_the_number("the resealed row", &format!("{} {}", after.2, after.3));
        // Nothing is left on the old key: a second run moves nothing.
        let again = ansinh(&["keys", "reseal"], &[
            ("DATABASE_URL", app.settings.database_url.as_str()),
            ("SECRET_KEY", app.settings.secret_key.as_str()),
            ("FIELD_KEY", new_key.as_str()),
        ]);
        assert!(String::from_utf8_lossy(&again.stdout).contains("resealed 0"), "{}", String::from_utf8_lossy(&again.stderr));

        // The old key can go now.
        let key = new_key.clone();
        let app = app.restart_with(move |s| {
            s.field_key = key;
            s.field_old_keys = Vec::new();
        }).await;
        assert_eq!(app.get_auth(PATH, &token).await.body, saved.body);
        let keys = Keyring::new(&new_key, &[]).unwrap();
        let number = AccountNumber::parse(NUMBER).unwrap();
        let holders = app.query(move |conn| ansinh::payout::store::holders_of(conn, &keys, banks::by_bin("970436").unwrap(), &number)).await;
        assert_eq!(holders, [before.0]);
    }
}

/// SECURITY.md CFG-02: without a field-encryption key, or with a weak one, the portal does not
/// start, and the message names the variable but never shows the key.
#[test]
fn start_up_fails_without_a_field_key_or_with_a_weak_one() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/ansinh.db", dir.path().display());
    let secret = "a-secret-key-that-is-long-enough-for-the-check";
    let base = [("DATABASE_URL", url.as_str()), ("SECRET_KEY", secret)];

    let missing = ansinh(&["migrate"], &base);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("FIELD_KEY is required"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );

    let zeros = base64::engine::general_purpose::STANDARD.encode([0u8; 32]);
    let zeros = zeros.as_str();
    let weak = ansinh(&["migrate"], &[base[0], base[1], ("FIELD_KEY", zeros)]);
    let stderr = String::from_utf8_lossy(&weak.stderr);
    assert!(!weak.status.success());
    assert!(
        stderr.contains("FIELD_KEY") && stderr.contains("not random"),
        "{stderr}"
    );
    assert!(!stderr.contains(zeros), "{stderr}");

    let short = ansinh(&["migrate"], &[base[0], base[1], ("FIELD_KEY", "c2hvcnQ=")]);
    assert!(String::from_utf8_lossy(&short.stderr).contains("must be 32 bytes"));

    let generated = ansinh(&["keys", "new"], &[]);
    assert!(generated.status.success());
    let key = String::from_utf8_lossy(&generated.stdout).trim().to_owned();
    let good = ansinh(
        &["migrate"],
        &[base[0], base[1], ("FIELD_KEY", key.as_str())],
    );
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let old = ansinh(
        &["migrate"],
        &[
            base[0],
            base[1],
            ("FIELD_KEY", key.as_str()),
            ("FIELD_OLD_KEYS", zeros),
        ],
    );
    assert!(String::from_utf8_lossy(&old.stderr).contains("FIELD_OLD_KEYS: old key #1"));
}
