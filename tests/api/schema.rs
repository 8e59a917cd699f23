//! Schema guards: the two migration folders stay twins, both schemas have the same tables and
//! columns, and every `down.sql` undoes its `up.sql`.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::Text;

use ansinh::db::{DbConn, Manager, migrate, revert_all};

use crate::support::{Backend, Database, on_both_backends};

fn migration_names(backend: &str) -> BTreeSet<String> {
    let dir = format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(dir)
        .expect("migrations folder")
        .flatten()
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(
                entry.path().join("up.sql").exists() && entry.path().join("down.sql").exists(),
                "{name} has up.sql and down.sql"
            );
            name
        })
        .collect()
}

#[test]
fn both_migration_folders_have_the_same_migrations() {
    assert_eq!(migration_names("sqlite"), migration_names("postgres"));
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// Every (table, column) of the app's schema, without diesel's bookkeeping table.
fn columns(conn: &mut DbConn) -> BTreeSet<(String, String)> {
    let rows: Vec<Column> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .load(c),
        DbConn::Postgres(c) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = 'public'",
        )
        .load(c),
    }
    .expect("schema query");
    rows.into_iter()
        .map(|c| (c.table_name, c.column_name))
        .filter(|(table, _)| table != "__diesel_schema_migrations")
        .collect()
}

fn open(database: &Database) -> DbConn {
    let url = match database {
        Database::Sqlite(dir) => format!("sqlite://{}/schema.db", dir.path().display()),
        Database::Postgres(db) => db.url.clone(),
    };
    Manager::new(&url).expect("url").open().expect("connect")
}

#[test]
fn both_backends_have_the_same_tables_and_columns() {
    let sqlite = Database::fresh(Backend::Sqlite);
    let mut sqlite = open(&sqlite);
    migrate(&mut sqlite).unwrap();
    let pg = Database::Postgres(std::sync::Arc::new(
        crate::support::postgres::TestDatabase::create(),
    ));
    let mut pg = open(&pg);
    assert_eq!(columns(&mut sqlite), columns(&mut pg));
    assert!(columns(&mut sqlite).contains(&("accounts".into(), "email".into())));
}

on_both_backends! {
    async fn every_down_migration_reverts_its_up(backend) {
        let database = Database::fresh(backend);
        let mut conn = open(&database);
        migrate(&mut conn).unwrap();
        let migrated = columns(&mut conn);
        revert_all(&mut conn).unwrap();
        assert!(columns(&mut conn).is_empty(), "all tables dropped");
        migrate(&mut conn).unwrap();
        assert_eq!(columns(&mut conn), migrated, "and built again identically");
    }
}

#[test]
fn sqlite_runs_with_wal_full_sync_and_foreign_keys() {
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = Text)]
        value: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let db = ansinh::db::Db::connect(&format!("sqlite://{}/ansinh.db", dir.path().display()), 2)
        .unwrap();
    let mut pooled = db.connection().unwrap();
    let DbConn::Sqlite(conn) = &mut *pooled else {
        unreachable!("a SQLite URL gives SQLite")
    };
    // `PRAGMA x` answers in a column named x, except busy_timeout ("timeout").
    let mut read = |pragma: &str| -> String {
        let column = if pragma == "busy_timeout" {
            "timeout"
        } else {
            pragma
        };
        diesel::sql_query(format!(
            "SELECT CAST({column} AS TEXT) AS value FROM pragma_{pragma}"
        ))
        .get_result::<Setting>(conn)
        .unwrap()
        .value
    };
    assert_eq!(read("journal_mode"), "wal");
    assert_eq!(read("synchronous"), "2", "FULL");
    assert_eq!(read("foreign_keys"), "1");
    assert_eq!(read("busy_timeout"), "5000");
}
