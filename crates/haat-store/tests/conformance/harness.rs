//! A backend under test: a store, a way to reopen it on the same data (as a restarted process
//! would), and a way to damage its rows directly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use haat_store::{EventStore, PostgresStore, SqliteStore, Upcasters};

pub trait Harness {
    type Store: EventStore + 'static;
    /// The store every check starts with.
    fn store(&self) -> &Self::Store;
    /// A second store on the same data, reading through `upcasters`.
    fn reopen(&self, upcasters: Upcasters) -> Self::Store;
    /// Runs SQL against the store's tables directly, bypassing it.
    fn tamper(&self, sql: &str);
}

pub struct SqliteHarness {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: SqliteStore,
}

impl SqliteHarness {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("haat.db");
        let store = SqliteStore::open(&path).unwrap();
        SqliteHarness {
            _dir: dir,
            path,
            store,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Harness for SqliteHarness {
    type Store = SqliteStore;

    fn store(&self) -> &SqliteStore {
        &self.store
    }

    fn reopen(&self, upcasters: Upcasters) -> SqliteStore {
        SqliteStore::open(&self.path)
            .unwrap()
            .with_upcasters(upcasters)
    }

    fn tamper(&self, sql: &str) {
        let conn = rusqlite::Connection::open(&self.path).unwrap();
        conn.execute_batch(sql).unwrap();
    }
}

pub fn postgres_url() -> String {
    std::env::var("HAAT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

pub struct PgHarness {
    url: String,
    schema: String,
    store: PostgresStore,
}

impl PgHarness {
    /// A store in a fresh schema, or `None` (after one line saying why) when the server
    /// cannot be reached and `HAAT_REQUIRE_POSTGRES` is not `1`.
    pub fn new() -> Option<Self> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let url = postgres_url();
        if let Err(e) = postgres::Client::connect(&url, postgres::NoTls) {
            if std::env::var("HAAT_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("HAAT_REQUIRE_POSTGRES=1 but PostgreSQL at {url} is unreachable: {e}");
            }
            // Once per run, and past the test harness's capture so it is seen.
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                let line = format!(
                    "skipping the PostgreSQL tests: {url} is unreachable ({e}); set HAAT_TEST_POSTGRES\n"
                );
                let _ = std::io::stderr().write_all(line.as_bytes());
            });
            return None;
        }
        let schema = format!(
            "haat_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        drop_schema(&url, &schema);
        Some(PgHarness {
            store: PostgresStore::connect_in_schema(&url, &schema, 8).unwrap(),
            url,
            schema,
        })
    }
}

impl Harness for PgHarness {
    type Store = PostgresStore;

    fn store(&self) -> &PostgresStore {
        &self.store
    }

    fn reopen(&self, upcasters: Upcasters) -> PostgresStore {
        PostgresStore::connect_in_schema(&self.url, &self.schema, 4)
            .unwrap()
            .with_upcasters(upcasters)
    }

    fn tamper(&self, sql: &str) {
        let mut client = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
        client
            .batch_execute(&format!("SET search_path = {}; {sql}", self.schema))
            .unwrap();
    }
}

fn drop_schema(url: &str, schema: &str) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
}

impl Drop for PgHarness {
    fn drop(&mut self) {
        // Leave nothing behind, but never turn a failing test's panic into an abort.
        if !std::thread::panicking() {
            drop_schema(&self.url, &self.schema);
        } else if let Ok(mut client) = postgres::Client::connect(&self.url, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}
