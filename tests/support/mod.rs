//! What the tests that run the examples as processes share: the example's binary, built in
//! the test's own profile, and the PostgreSQL server the tests use, each test in a schema of
//! its own.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

/// The example `name`'s binary beside this test's, built by cargo in the same profile once per
/// test binary (a no-op when `cargo test` has built the examples already), so that a test never
/// runs a binary older than the code.
pub fn example(name: &str) -> PathBuf {
    static BUILT: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/<test> → target/<profile>
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if !built.contains(name) {
        let mut build = Command::new(env!("CARGO"));
        build.args(["build", "--quiet", "--example", name]);
        if !cfg!(debug_assertions) {
            build.arg("--release");
        }
        let status = build.status().unwrap();
        assert!(status.success(), "building the example {name} failed");
        built.insert(name.to_owned());
    }
    profile_dir.join("examples").join(name)
}

/// The PostgreSQL server the tests use: `HAAT_TEST_POSTGRES`, by default
/// `postgres://postgres@127.0.0.1:5432/test`. `None` when it is unreachable, after one line
/// saying which test `what` skips and why; with `HAAT_REQUIRE_POSTGRES=1` that is a failure.
pub fn postgres(what: &str) -> Option<String> {
    let url = std::env::var("HAAT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    match postgres::Client::connect(&url, postgres::NoTls) {
        Ok(_) => Some(url),
        Err(e) => {
            if std::env::var("HAAT_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("HAAT_REQUIRE_POSTGRES=1 but PostgreSQL at {url} is unreachable: {e}");
            }
            eprintln!("skipping {what}: {url} is unreachable ({e}); set HAAT_TEST_POSTGRES");
            None
        }
    }
}

/// A test's own PostgreSQL schema, empty when made and dropped when the test ends, passed or
/// failed.
pub struct Schema {
    pub url: String,
    pub name: String,
}

impl Schema {
    /// `<prefix>_<process id>` on the server at `url`, dropped first if a killed run left it.
    pub fn new(url: &str, prefix: &str) -> Schema {
        let schema = Schema {
            url: url.to_owned(),
            name: format!("{prefix}_{}", std::process::id()),
        };
        schema.drop_now();
        schema
    }

    fn drop_now(&self) {
        if let Ok(mut client) = postgres::Client::connect(&self.url, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        self.drop_now();
    }
}
