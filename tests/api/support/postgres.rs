//! Per-test PostgreSQL databases, cheaply: the schema is migrated once into a template database
//! (named after a hash of the migrations, so a changed migration gets a new template), and each
//! test copies it with `CREATE DATABASE … TEMPLATE`, a file copy with no migrations to run.
//! Databases of test processes that died are swept at start.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

/// The server tests use; `TEST_POSTGRES_URL` overrides it (without a database name).
pub fn server_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

fn admin() -> PgConnection {
    PgConnection::establish(&format!("{}/postgres", server_url()))
        .expect("PostgreSQL is reachable at TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432); `.ci/run` starts it")
}

fn migrations_fingerprint() -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres");
    let mut entries: Vec<_> = std::fs::read_dir(root)
        .expect("migrations")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut all = String::new();
    for dir in entries {
        for file in ["up.sql", "down.sql"] {
            all.push_str(&std::fs::read_to_string(dir.join(file)).unwrap_or_default());
        }
    }
    ansinh::secrets::token_hash(&all)[..12].to_owned()
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    datname: String,
}

/// Creates the template once per run (under an advisory lock, so parallel test processes agree).
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("ansinh_tpl_{}", migrations_fingerprint());
        let mut conn = admin();
        diesel::sql_query("SELECT pg_advisory_lock($1)")
            .bind::<BigInt, _>(7_420_001)
            .execute(&mut conn)
            .expect("lock");
        sweep_dead(&mut conn);
        let exists: Vec<Name> =
            diesel::sql_query("SELECT datname FROM pg_database WHERE datname = $1")
                .bind::<Text, _>(&name)
                .load(&mut conn)
                .expect("list databases");
        if exists.is_empty() {
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .expect("create template");
            let mut db = ansinh::db::Manager::new(&format!("{}/{name}", server_url()))
                .expect("url")
                .open()
                .expect("connect template");
            ansinh::db::migrate(&mut db).expect("migrate template");
        }
        diesel::sql_query("SELECT pg_advisory_unlock($1)")
            .bind::<BigInt, _>(7_420_001)
            .execute(&mut conn)
            .expect("unlock");
        name
    })
}

/// Drops test databases whose process is gone (a crashed or killed run).
fn sweep_dead(conn: &mut PgConnection) {
    let names: Vec<Name> =
        diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE 'ansinh_test_%'")
            .load(conn)
            .unwrap_or_default();
    for Name { datname } in names {
        let pid = datname
            .split('_')
            .nth(2)
            .and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {datname} WITH (FORCE)"))
                .execute(conn);
        }
    }
}

pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

impl TestDatabase {
    pub fn create() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let template = template();
        let name = format!(
            "ansinh_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = admin();
        // Copies from one template can collide for a moment; retry briefly.
        let mut attempt = 0;
        loop {
            match diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .execute(&mut conn)
            {
                Ok(_) => break,
                Err(error) if attempt < 20 => {
                    attempt += 1;
                    eprintln!("retrying CREATE DATABASE {name}: {error}");
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(error) => panic!("CREATE DATABASE {name}: {error}"),
            }
        }
        TestDatabase {
            url: format!("{}/{name}", server_url()),
            name,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin());
    }
}
