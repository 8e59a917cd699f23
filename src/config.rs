//! Settings, read once from environment variables at start. Every default runs the portal on
//! the embedded SQLite database with no other service; production sets `DATABASE_URL`,
//! `SMTP_URL`, `PUBLIC_URL`, `SECRET_KEY` and `FIELD_KEY`. The README lists every variable.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};

#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://path/to/file.db` (default `sqlite://data/ansinh.db`) or `postgres://…`.
    pub database_url: String,
    pub db_pool_size: u32,
    /// Address to listen on; port 0 picks a free port (tests).
    pub bind: String,
    /// The address people reach the portal at: links in emails, the allowed `Origin` of forms.
    pub public_url: String,
    /// Worker threads for HTTP (0 = one per core).
    pub workers: usize,
    /// Key for CSRF tokens and other HMACs; at least 32 characters.
    pub secret_key: String,
    /// Field-encryption key (bank account numbers at rest, SECURITY.md DP-01): 32 random bytes
    /// in base64. It seals new values; see [`crate::sealed`].
    pub field_key: String,
    /// Earlier field-encryption keys, kept while `ansinh keys reseal` moves rows off them.
    pub field_old_keys: Vec<String>,
    /// `smtp://host:port`, `smtps://user:pass@host` …; unset = write `.eml` files to `mail_dir`.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub mail_dir: PathBuf,
    /// Uploaded documents, outside the web root, under random names.
    pub upload_dir: PathBuf,
    /// A command run on every upload with the file's path as its argument (e.g. a virus
    /// scanner); a non-zero exit refuses the file. Unset: no scan.
    pub upload_scanner: Option<String>,
    pub outbox_poll: Duration,
    /// Seed the demo accounts on start when the database has none.
    pub seed_demo: bool,
    /// Serve `/ops/ceiling/{si_code}`, the bare indexed lookup the benchmark compares with.
    pub bench_endpoints: bool,
    /// Cookies carry `Secure` (and the `__Host-` prefix). Only plain-HTTP test clients turn it off.
    pub cookie_secure: bool,
    /// The portal is served over HTTPS (directly or behind a TLS-terminating proxy): send HSTS.
    pub behind_tls: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    pub log_json: bool,
    pub limits: Limits,
}

/// Timeouts, lifetimes and anti-automation limits (SECURITY.md AUTH-04, SES-04, RL-01, RL-02).
#[derive(Clone, Debug)]
pub struct Limits {
    pub citizen_session_idle: Duration,
    pub citizen_session_absolute: Duration,
    pub staff_session_idle: Duration,
    pub staff_session_absolute: Duration,
    pub access_token_lifetime: Duration,
    pub refresh_token_lifetime: Duration,
    pub email_verification_lifetime: Duration,
    pub password_reset_lifetime: Duration,
    pub staff_setup_lifetime: Duration,
    /// Failed logins for one account (or one unknown identifier) before backoff starts.
    pub login_free_failures_per_account: u32,
    /// Failed logins from one client address before backoff starts.
    pub login_free_failures_per_ip: u32,
    /// Requests per minute per client address to the account endpoints (login, register, reset).
    pub auth_requests_per_minute: u32,
    /// Password hashes computed at once (one thread each); each holds 19 MiB once used and takes
    /// ~30 ms of a core.
    pub password_hash_concurrency: usize,
    /// Bytes of uploaded documents one account may keep, so one account cannot fill the disk.
    pub document_bytes_per_account: i64,
    /// Claims from this many different accounts from one address or device within
    /// `flag_burst_window` raise a fraud flag (`FLAG_BURST_ACCOUNTS`).
    pub flag_burst_accounts: usize,
    /// The window of a burst (`FLAG_BURST_MINUTES`).
    pub flag_burst_window: Duration,
    pub casework: Casework,
}

/// Settings of the staff work: internal controls and service standards, not insurance rules.
#[derive(Clone, Debug)]
pub struct Casework {
    /// A claim approved for more than this (VND) needs a second person, whatever its kind
    /// (`FOUR_EYES_ABOVE`). Lump sums and unemployment benefit always do.
    pub four_eyes_above: i64,
    /// Working days to decide a registration for voluntary SI or household HI. DOMAIN.md gives
    /// no legal figure: a service standard (`ENROLMENT_DECISION_DAYS`).
    pub enrolment_decision_days: u32,
    /// Working days to answer a citizen's question, a service standard (`QUESTION_ANSWER_DAYS`).
    pub question_answer_days: u32,
    /// Days after a decision within which the citizen may appeal it. The Law on Complaints
    /// 2011 Art. 9 gives 90 days (not in DOMAIN.md: unverified, so a setting, `APPEAL_DAYS`).
    pub appeal_days: i64,
    /// Calendar days to settle an appeal (Law on Complaints 2011 Art. 28: 30 days, unverified;
    /// `APPEAL_DECISION_DAYS`).
    pub appeal_decision_days: i64,
    /// A deadline this many days away or nearer is highlighted as near (`NEAR_BREACH_DAYS`).
    pub near_breach_days: i64,
}

impl Default for Casework {
    fn default() -> Self {
        Self {
            four_eyes_above: 20_000_000,
            enrolment_decision_days: 5,
            question_answer_days: 5,
            appeal_days: 90,
            appeal_decision_days: 30,
            near_breach_days: 2,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        Self {
            citizen_session_idle: minutes(15),
            citizen_session_absolute: minutes(12 * 60),
            staff_session_idle: minutes(15),
            staff_session_absolute: minutes(8 * 60),
            access_token_lifetime: minutes(15),
            refresh_token_lifetime: minutes(30 * 24 * 60),
            email_verification_lifetime: minutes(48 * 60),
            password_reset_lifetime: minutes(60),
            staff_setup_lifetime: minutes(72 * 60),
            login_free_failures_per_account: 5,
            login_free_failures_per_ip: 50,
            auth_requests_per_minute: 60,
            password_hash_concurrency: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            document_bytes_per_account: 100 * 1024 * 1024,
            casework: Casework::default(),
            flag_burst_accounts: 3,
            flag_burst_window: minutes(60),
        }
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/ansinh.db";

impl Settings {
    /// The embedded default: SQLite under `data/`, mail to `data/mail/`, served on 127.0.0.1:8080.
    pub fn embedded_default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.into(),
            db_pool_size: 8,
            bind: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            workers: 0,
            secret_key: String::new(),
            field_key: String::new(),
            field_old_keys: Vec::new(),
            smtp_url: None,
            mail_from: "An Sinh <no-reply@ansinh.local>".into(),
            mail_dir: PathBuf::from("data/mail"),
            upload_dir: PathBuf::from("data/uploads"),
            upload_scanner: None,
            outbox_poll: Duration::from_millis(1000),
            seed_demo: true,
            bench_endpoints: false,
            cookie_secure: true,
            behind_tls: false,
            trust_forwarded_for: false,
            log_json: false,
            limits: Limits::default(),
        }
    }

    /// Reads the environment over the embedded default. `SECRET_KEY` and `FIELD_KEY` may be left
    /// unset only on the embedded default, where random keys are generated once and kept in
    /// `data/secret.key` and `data/field.key`.
    pub fn from_env() -> anyhow::Result<Self> {
        let mut s = Self::embedded_default();
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if let Some(v) = var("DATABASE_URL") {
            s.database_url = v;
        }
        // Demo accounts (with published passwords) only on the embedded default.
        s.seed_demo = s.database_url == DEFAULT_DATABASE_URL;
        if let Some(v) = var("BIND_ADDR") {
            s.bind = v;
        }
        if let Some(v) = var("PUBLIC_URL") {
            s.public_url = v.trim_end_matches('/').to_owned();
        } else if s.bind != "127.0.0.1:8080" {
            s.public_url = format!("http://{}", s.bind);
        }
        s.smtp_url = var("SMTP_URL");
        if let Some(v) = var("MAIL_FROM") {
            s.mail_from = v;
        }
        if let Some(v) = var("MAIL_DIR") {
            s.mail_dir = v.into();
        }
        if let Some(v) = var("UPLOAD_DIR") {
            s.upload_dir = v.into();
        }
        s.upload_scanner = var("UPLOAD_SCANNER");
        if let Some(v) = var("SEED_DEMO") {
            s.seed_demo = parse_bool("SEED_DEMO", &v)?;
        }
        if let Some(v) = var("BENCH_ENDPOINTS") {
            s.bench_endpoints = parse_bool("BENCH_ENDPOINTS", &v)?;
        }
        if let Some(v) = var("COOKIE_SECURE") {
            s.cookie_secure = parse_bool("COOKIE_SECURE", &v)?;
        }
        if let Some(v) = var("BEHIND_TLS") {
            s.behind_tls = parse_bool("BEHIND_TLS", &v)?;
        }
        if let Some(v) = var("TRUST_FORWARDED_FOR") {
            s.trust_forwarded_for = parse_bool("TRUST_FORWARDED_FOR", &v)?;
        }
        if let Some(v) = var("LOG_FORMAT") {
            s.log_json = match v.as_str() {
                "json" => true,
                "pretty" => false,
                other => bail!("LOG_FORMAT must be json or pretty, not {other:?}"),
            };
        }
        if let Some(v) = var("WORKERS") {
            s.workers = v.parse().context("WORKERS must be a number")?;
        }
        if let Some(v) = var("DB_POOL_SIZE") {
            s.db_pool_size = v.parse().context("DB_POOL_SIZE must be a number")?;
        }
        if let Some(v) = var("AUTH_REQUESTS_PER_MINUTE") {
            s.limits.auth_requests_per_minute = v
                .parse()
                .context("AUTH_REQUESTS_PER_MINUTE must be a number")?;
        }
        if let Some(v) = var("PASSWORD_HASH_THREADS") {
            s.limits.password_hash_concurrency = v
                .parse()
                .context("PASSWORD_HASH_THREADS must be a number")?;
        }
        if let Some(v) = var("DOCUMENT_BYTES_PER_ACCOUNT") {
            s.limits.document_bytes_per_account = v
                .parse()
                .context("DOCUMENT_BYTES_PER_ACCOUNT must be a number")?;
        }
        let casework = &mut s.limits.casework;
        for (name, slot) in [
            ("FOUR_EYES_ABOVE", &mut casework.four_eyes_above),
            ("APPEAL_DAYS", &mut casework.appeal_days),
            ("APPEAL_DECISION_DAYS", &mut casework.appeal_decision_days),
            ("NEAR_BREACH_DAYS", &mut casework.near_breach_days),
        ] {
            if let Some(v) = var(name) {
                *slot = v
                    .parse()
                    .with_context(|| format!("{name} must be a number"))?;
            }
        }
        for (name, slot) in [
            (
                "ENROLMENT_DECISION_DAYS",
                &mut casework.enrolment_decision_days,
            ),
            ("QUESTION_ANSWER_DAYS", &mut casework.question_answer_days),
        ] {
            if let Some(v) = var(name) {
                *slot = v
                    .parse()
                    .with_context(|| format!("{name} must be a number"))?;
            }
        }
        if let Some(v) = var("FLAG_BURST_ACCOUNTS") {
            s.limits.flag_burst_accounts =
                v.parse().context("FLAG_BURST_ACCOUNTS must be a number")?;
        }
        if let Some(v) = var("FLAG_BURST_MINUTES") {
            let minutes: u64 = v.parse().context("FLAG_BURST_MINUTES must be a number")?;
            s.limits.flag_burst_window = Duration::from_secs(minutes * 60);
        }
        s.secret_key = match var("SECRET_KEY") {
            Some(key) => key,
            None if s.database_url == DEFAULT_DATABASE_URL => {
                embedded_key("secret.key", crate::secrets::random_token)?
            }
            None => {
                bail!("SECRET_KEY is required when DATABASE_URL is set (at least 32 characters)")
            }
        };
        s.field_key = match var("FIELD_KEY") {
            Some(key) => key,
            None if s.database_url == DEFAULT_DATABASE_URL => {
                embedded_key("field.key", crate::sealed::new_key)?
            }
            None => bail!(
                "FIELD_KEY is required when DATABASE_URL is set (32 random bytes in base64: `ansinh keys new`)"
            ),
        };
        if let Some(v) = var("FIELD_OLD_KEYS") {
            s.field_old_keys = v
                .split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect();
        }
        s.check()?;
        Ok(s)
    }

    /// Refuses settings that would run insecurely (SECURITY.md CFG-02).
    pub fn check(&self) -> anyhow::Result<()> {
        if self.secret_key.chars().count() < 32 {
            bail!("SECRET_KEY must be at least 32 characters");
        }
        self.keyring()?;
        if !(self.is_sqlite() || self.is_postgres()) {
            bail!("DATABASE_URL must start with sqlite:// or postgres://");
        }
        Ok(())
    }

    /// The field-encryption keys; refuses a missing, malformed or weak key (naming which, never
    /// showing it).
    pub fn keyring(&self) -> anyhow::Result<crate::sealed::Keyring> {
        if self.field_key.trim().is_empty() {
            bail!("FIELD_KEY is required (32 random bytes in base64: `ansinh keys new`)");
        }
        crate::sealed::Keyring::new(&self.field_key, &self.field_old_keys).map_err(
            |(which, error)| {
                let variable = if which.starts_with("old") {
                    "FIELD_OLD_KEYS"
                } else {
                    "FIELD_KEY"
                };
                anyhow::anyhow!("{variable}: {which} {error}")
            },
        )
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite://")
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://")
    }
}

fn parse_bool(name: &str, value: &str) -> anyhow::Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => bail!("{name} must be true or false, not {value:?}"),
    }
}

/// The embedded default keeps its generated keys next to its database (`data/<name>`, made by
/// `generate` on first start), readable by the owner only.
fn embedded_key(name: &str, generate: fn() -> String) -> anyhow::Result<String> {
    let path = PathBuf::from("data").join(name);
    if let Ok(key) = std::fs::read_to_string(&path) {
        return Ok(key.trim().to_owned());
    }
    std::fs::create_dir_all("data").context("creating data/")?;
    let key = generate();
    std::fs::write(&path, &key).with_context(|| format!("writing data/{name}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("restricting data/{name}"))?;
    }
    Ok(key)
}
