//! The test harness: every test spawns the real app on port 0 against a fresh database (a temp
//! SQLite file, or a PostgreSQL database copied from a migrated template), with a real SMTP
//! server in process receiving its mail, and talks to it over HTTP like any client.

pub mod mail;
pub mod postgres;

use std::sync::Arc;
use std::time::Duration;

use actix_web::web::Data;
use ansinh::app::{AppState, Application};
use ansinh::clock::Clock;
use ansinh::config::Settings;
use awc::http::StatusCode;
use serde_json::{Value, json};

pub use mail::MailSink;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Expands each test into `sqlite::name` and `postgres::name`, passing the backend.
macro_rules! on_both_backends {
    ($(async fn $name:ident($backend:ident) $body:block)*) => {
        mod sqlite {
            use super::*;
            $( #[actix_web::test] async fn $name() { let $backend = crate::support::Backend::Sqlite; $body } )*
        }
        mod postgres {
            use super::*;
            $( #[actix_web::test] async fn $name() { let $backend = crate::support::Backend::Postgres; $body } )*
        }
    };
}
pub(crate) use on_both_backends;

pub struct TestApp {
    pub address: String,
    pub backend: Backend,
    pub mail: MailSink,
    pub clock: Arc<Clock>,
    pub settings: Settings,
    state: Data<AppState>,
    handle: actix_web::dev::ServerHandle,
    running: Option<actix_web::rt::task::JoinHandle<anyhow::Result<()>>>,
    database: Database,
    /// Where this app keeps uploaded files; removed when the test ends.
    pub uploads: Arc<tempfile::TempDir>,
}

/// The database a test runs on; removed when the test ends.
pub enum Database {
    Sqlite(Arc<tempfile::TempDir>),
    Postgres(Arc<postgres::TestDatabase>),
}

impl Database {
    pub fn fresh(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Database::Sqlite(Arc::new(tempfile::tempdir().expect("temp dir"))),
            Backend::Postgres => Database::Postgres(Arc::new(postgres::TestDatabase::create())),
        }
    }

    fn url(&self) -> String {
        match self {
            Database::Sqlite(dir) => format!("sqlite://{}/ansinh.db", dir.path().display()),
            Database::Postgres(db) => db.url.clone(),
        }
    }

    fn share(&self) -> Self {
        match self {
            Database::Sqlite(dir) => Database::Sqlite(dir.clone()),
            Database::Postgres(db) => Database::Postgres(db.clone()),
        }
    }
}

/// The field-encryption key of test apps: base64 of the 32 bytes `test-field-key-not-secret-012345`.
pub const TEST_FIELD_KEY: &str = "dGVzdC1maWVsZC1rZXktbm90LXNlY3JldC0wMTIzNDU=";

pub fn test_settings(database_url: String, smtp_port: u16) -> Settings {
    let mut settings = Settings::embedded_default();
    settings.database_url = database_url;
    settings.db_pool_size = 4;
    settings.bind = "127.0.0.1:0".into();
    settings.workers = 1;
    settings.secret_key = "test-secret-key-that-is-long-enough-0123456789".into();
    settings.field_key = TEST_FIELD_KEY.into();
    settings.smtp_url = Some(format!("smtp://127.0.0.1:{smtp_port}"));
    settings.outbox_poll = Duration::from_millis(50);
    settings.seed_demo = false;
    settings.limits.auth_requests_per_minute = 10_000;
    settings.limits.password_hash_concurrency = 2;
    settings
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Spawns with the clock reading `start` (for rules whose figures depend on the date).
    pub async fn spawn_at(backend: Backend, start: chrono::NaiveDateTime) -> Self {
        Self::spawn_on_clock(backend, |_| {}, Arc::new(Clock::starting_at(start))).await
    }

    /// Spawns with adjusted settings (tiny limits, a dead SMTP server …).
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Self {
        Self::spawn_on_clock(backend, adjust, Arc::new(Clock::system())).await
    }

    async fn spawn_on_clock(
        backend: Backend,
        adjust: impl FnOnce(&mut Settings),
        clock: Arc<Clock>,
    ) -> Self {
        let mail = MailSink::start();
        let database = Database::fresh(backend);
        let mut settings = test_settings(database.url(), mail.port);
        let uploads = Arc::new(tempfile::tempdir().expect("temp dir"));
        settings.upload_dir = uploads.path().to_path_buf();
        adjust(&mut settings);
        Self::start(backend, settings, mail, database, clock, uploads).await
    }

    async fn start(
        backend: Backend,
        mut settings: Settings,
        mail: MailSink,
        database: Database,
        clock: Arc<Clock>,
        uploads: Arc<tempfile::TempDir>,
    ) -> Self {
        let application = Application::build(settings.clone(), clock.clone())
            .await
            .expect("the app starts");
        let port = application.port();
        settings.bind = format!("127.0.0.1:{port}");
        let address = format!("http://127.0.0.1:{port}");
        let state = application.state();
        let handle = application.handle();
        let running = actix_web::rt::spawn(application.run_until_stopped());
        TestApp {
            address,
            backend,
            mail,
            clock,
            settings,
            state,
            handle,
            running: Some(running),
            database,
            uploads,
        }
    }

    /// Stops this app gracefully and starts a new one on the same database with `adjust`ed
    /// settings (a restart).
    pub async fn restart_with(mut self, adjust: impl FnOnce(&mut Settings)) -> Self {
        self.stop().await;
        let mut settings = self.settings.clone();
        settings.bind = "127.0.0.1:0".into();
        adjust(&mut settings);
        let mail = MailSink::start();
        settings.smtp_url = Some(format!("smtp://127.0.0.1:{}", mail.port));
        Self::start(
            self.backend,
            settings,
            mail,
            self.database.share(),
            self.clock.clone(),
            self.uploads.clone(),
        )
        .await
    }

    pub async fn stop(&mut self) {
        self.handle.stop(true).await;
        if let Some(running) = self.running.take() {
            let _ = running.await;
        }
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn client(&self) -> awc::Client {
        awc::Client::builder()
            .disable_redirects()
            .timeout(Duration::from_secs(30))
            .finish()
    }

    /// POSTs JSON to the API; returns status, headers and the JSON body (Null when empty).
    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        let response = self
            .client()
            .post(self.url(path))
            .send_json(body)
            .await
            .expect("request sent");
        Reply::read(response).await
    }

    pub async fn post_json_auth(&self, path: &str, token: &str, body: &Value) -> Reply {
        let response = self
            .client()
            .post(self.url(path))
            .bearer_auth(token)
            .send_json(body)
            .await
            .expect("request sent");
        Reply::read(response).await
    }

    pub async fn put_json_auth(&self, path: &str, token: &str, body: &Value) -> Reply {
        let response = self
            .client()
            .put(self.url(path))
            .bearer_auth(token)
            .send_json(body)
            .await
            .expect("request sent");
        Reply::read(response).await
    }

    /// Uploads one file with text fields as `multipart/form-data`, with a bearer token.
    pub async fn post_file_auth(
        &self,
        path: &str,
        token: &str,
        fields: &[(&str, &str)],
        file: (&str, &[u8]),
    ) -> Reply {
        let (content_type, body) = multipart(fields, file);
        let response = self
            .client()
            .post(self.url(path))
            .insert_header(("authorization", format!("Bearer {token}")))
            .insert_header(("content-type", content_type))
            .send_body(body)
            .await
            .expect("request sent");
        Reply::read(response).await
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> Reply {
        let response = self
            .client()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent");
        Reply::read(response).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        let response = self
            .client()
            .get(self.url(path))
            .send()
            .await
            .expect("request sent");
        Reply::read(response).await
    }

    /// Registers through the API and confirms the address from the email; returns the login.
    pub async fn registered_citizen(&self, citizen: &Citizen) {
        let reply = self
            .post_json("/api/v1/auth/register", &citizen.registration())
            .await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
        let email = self.mail.wait_for(&citizen.email, "").await;
        let token = email
            .token()
            .expect("the verification email carries a token");
        let reply = self
            .post_json("/api/v1/auth/verify-email", &json!({ "token": token }))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }

    /// Logs in through the API; returns the token pair.
    pub async fn api_login(&self, login: &str, password: &str) -> Reply {
        self.post_json(
            "/api/v1/auth/login",
            &json!({ "login": login, "password": password }),
        )
        .await
    }

    /// Runs `change` against the app's database as one transaction.
    pub async fn write<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut ansinh::db::DbConn) -> anyhow::Result<T> + Send + 'static,
    ) -> T {
        self.state
            .db
            .write(move |conn| Ok(change(conn)?))
            .await
            .expect("test write")
    }

    /// POSTs JSON with a bearer token and extra headers.
    pub async fn post_json_with(
        &self,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> Reply {
        let mut request = self.client().post(self.url(path)).bearer_auth(token);
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        Reply::read(request.send_json(body).await.expect("request sent")).await
    }

    /// POSTs a URL-encoded form (the OAuth2 token endpoint).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        let response = self
            .client()
            .post(self.url(path))
            .send_form(&form)
            .await
            .expect("request sent");
        Reply::read(response).await
    }

    /// Runs a query against the app's database.
    pub async fn query<T: Send + 'static>(
        &self,
        query: impl FnOnce(&mut ansinh::db::DbConn) -> diesel::QueryResult<T> + Send + 'static,
    ) -> T {
        self.state
            .db
            .read(move |conn| Ok(query(conn)?))
            .await
            .expect("test query")
    }
}

/// An answer: status, headers and body as JSON (or as text in `text`).
pub struct Reply {
    pub status: StatusCode,
    pub headers: awc::http::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub async fn read<S>(mut response: awc::ClientResponse<S>) -> Reply
    where
        S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>>
            + Unpin,
    {
        let bytes = response
            .body()
            .limit(4 * 1024 * 1024)
            .await
            .expect("body read");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status: response.status(),
            headers: response.headers().clone(),
            body,
            text,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every `Set-Cookie` header, as `name=value; attributes…`.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }

    /// Asserts a problem+json error with `code`, returning the field names it lists.
    pub fn assert_problem(&self, status: StatusCode, code: &str) -> Vec<String> {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        assert_eq!(self.body["code"], code, "{}", self.body);
        assert_eq!(self.body["status"], status.as_u16());
        assert!(
            self.body["trace_id"].is_string(),
            "problem carries a trace id: {}",
            self.body
        );
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A citizen to register in a test; each gets its own unique email and personal ID.
#[derive(Clone)]
pub struct Citizen {
    pub email: String,
    pub personal_id: String,
    pub password: String,
    pub full_name: String,
}

impl Citizen {
    pub fn new() -> Self {
        let n = uuid::Uuid::new_v4().as_u128() % 1_000_000;
        Citizen {
            email: format!("citizen{n}@example.vn"),
            // Male born in 1990: 4th digit 0, then "90".
            personal_id: format!("001090{n:06}"),
            password: "mây trắng trên đồi cao".into(),
            full_name: "Nguyễn Văn An".into(),
        }
    }

    pub fn registration(&self) -> Value {
        json!({
            "personal_id": self.personal_id,
            "full_name": self.full_name,
            "birth_date": "1990-05-17",
            "email": self.email,
            "phone": "0912345678",
            "password": self.password,
        })
    }
}

/// A browser-like client for the pages: keeps cookies, reads CSRF tokens from forms.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: std::collections::BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            cookies: Default::default(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn remember(&mut self, reply: &Reply) {
        for cookie in reply.set_cookies() {
            let pair = cookie.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || cookie.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let response = self
            .app
            .client()
            .get(self.app.url(path))
            .insert_header(("cookie", self.cookie_header()))
            .send()
            .await
            .expect("request sent");
        let reply = Reply::read(response).await;
        self.remember(&reply);
        reply
    }

    /// Submits a form the way a browser on this site does (same-origin, with the page's token).
    pub async fn post_form(
        &mut self,
        path: &str,
        csrf_token: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", csrf_token)];
        form.extend_from_slice(fields);
        self.post_raw(
            path,
            &form,
            &[
                ("origin", self.app.address.clone().as_str()),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await
    }

    pub async fn post_raw(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self
            .app
            .client()
            .post(self.app.url(path))
            .insert_header(("cookie", self.cookie_header()));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let response = request.send_form(&form).await.expect("request sent");
        let reply = Reply::read(response).await;
        self.remember(&reply);
        reply
    }

    /// Uploads one file as `multipart/form-data`, as a browser on this site does.
    pub async fn post_file(&mut self, path: &str, csrf_token: &str, file: (&str, &[u8])) -> Reply {
        self.post_file_with(path, csrf_token, &[], file).await
    }

    /// Uploads one file with a form's fields as `multipart/form-data`.
    pub async fn post_file_with(
        &mut self,
        path: &str,
        csrf_token: &str,
        fields: &[(&str, &str)],
        file: (&str, &[u8]),
    ) -> Reply {
        let mut all = vec![("csrf_token", csrf_token)];
        all.extend_from_slice(fields);
        let (content_type, body) = multipart(&all, file);
        let response = self
            .app
            .client()
            .post(self.app.url(path))
            .insert_header(("cookie", self.cookie_header()))
            .insert_header(("origin", self.app.address.as_str()))
            .insert_header(("sec-fetch-site", "same-origin"))
            .insert_header(("content-type", content_type))
            .send_body(body)
            .await
            .expect("request sent");
        let reply = Reply::read(response).await;
        self.remember(&reply);
        reply
    }

    /// Loads `path` and returns the CSRF token of its forms.
    pub async fn csrf_token(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        form_value(&page.text, "csrf_token").expect("the page has a form with a CSRF token")
    }

    /// Logs in through the login form; returns the reply (303 on success).
    pub async fn log_in(&mut self, login: &str, password: &str) -> Reply {
        let token = self.csrf_token("/login").await;
        self.post_form(
            "/login",
            &token,
            &[("login", login), ("password", password)],
        )
        .await
    }
}

/// The value of the hidden input `name` in an HTML page.
/// A `multipart/form-data` body of text fields and one file: its content type and bytes.
pub fn multipart(fields: &[(&str, &str)], (file_name, bytes): (&str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "----ansinh-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn form_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let rest = &html[start..];
    Some(rest[..rest.find('"')?].to_owned())
}

pub fn location(reply: &Reply) -> &str {
    reply.header("location").unwrap_or_default()
}
