//! The main job kept in an event store: `west_bengal --scale 12 --no-story --store FILE`
//! appends every event of the scenario, rebuilds the report from the store alone and says it
//! equals the in-memory report; run again on the same store it refuses, exiting non-zero.
//!
//! SQLite in a temporary file, and PostgreSQL by the store tests' rule: `HAAT_TEST_POSTGRES`
//! (default `postgres://postgres@127.0.0.1:5432/test`), skipped with one line when unreachable
//! unless `HAAT_REQUIRE_POSTGRES=1`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::{Command, Output};

use support::Schema;

use haat_store::{EventStore, PostgresStore, SqliteStore, StreamId};

/// Twelve sellers: the Nadia saree house (ten thousand listings, about 37,000 orders) among
/// them, so every kind of stream is kept, in well under the time the 300 sellers of
/// `--scale small` take in a debug build.
const SCALE: &str = "12";

const EQUAL: &str = "report rebuilt from the store equals the in-memory report";

#[test]
fn the_scenario_kept_in_sqlite_rebuilds_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("west_bengal.db");
    let file = file.to_str().unwrap().to_owned();
    let args = ["--store", file.as_str()];
    let first = run(&args);
    check_kept(&first);
    let store = SqliteStore::open(&file).unwrap();
    check_streams(&store);
    check_refused_again(&run(&args), &file);
}

#[test]
fn the_scenario_kept_in_postgres_rebuilds_the_same_report() {
    let Some(url) = support::postgres("the PostgreSQL scenario test") else {
        return;
    };
    let schema = Schema::new(&url, "haat_scenario");
    let args = ["--postgres", url.as_str(), "--schema", schema.name.as_str()];
    check_kept(&run(&args));
    let store = PostgresStore::connect_in_schema(&url, &schema.name, 2).unwrap();
    check_streams(&store);
    check_refused_again(&run(&args), &format!("PostgreSQL schema {}", schema.name));
}

#[track_caller]
fn check_kept(output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "west_bengal failed: {}\n{stderr}",
        output.status
    );
    assert!(
        stdout.lines().any(|line| line == EQUAL),
        "no equality line in the output:\n{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("kept "),
        "no count of what was kept:\n{stderr}"
    );
}

/// Every kind of stream is there, each starting at version 1, every event correlated to the
/// scenario's seed (and no outcome row per append: the expected versions keep a load whole).
fn check_streams(store: &impl EventStore) {
    let head = store.head_position().unwrap();
    assert!(head > 1_000, "only {head} events kept");
    for stream in [
        "seller/1",
        "listing/1000001001000",
        "ledger/1",
        "workshop/1",
        "order/1000001",
        "invoices/1",
        "settlement/1",
    ] {
        let stream: StreamId = stream.parse().unwrap();
        let events = store.read_stream(&stream, 0).unwrap();
        assert!(!events.is_empty(), "{stream} is empty");
        assert_eq!(events[0].version, 1);
        assert!(
            events[0]
                .event_type
                .starts_with(&format!("{}.", stream.kind())),
            "{stream}'s first event is {}",
            events[0].event_type
        );
        for event in &events {
            assert_eq!(
                event.metadata.correlation_id.as_deref(),
                Some("scenario-2019"),
                "{stream} v{}",
                event.version
            );
            assert_eq!(
                event.metadata.command_id, None,
                "{stream} v{}",
                event.version
            );
        }
    }
}

#[track_caller]
fn check_refused_again(output: &Output, name: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "a second run on {name} passed");
    assert!(
        stderr.contains(&format!("{name} already holds")),
        "the refusal does not say why:\n{stderr}"
    );
}

fn run(args: &[&str]) -> Output {
    Command::new(support::example("west_bengal"))
        .args(["--scale", SCALE, "--no-story", "--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}
