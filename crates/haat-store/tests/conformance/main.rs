//! The event store's conformance suite: one set of generic checks over `impl EventStore`, run
//! against SQLite and PostgreSQL alike.
//!
//! PostgreSQL tests connect to `HAAT_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`), each in a schema of its own that it drops when
//! done. If the server cannot be reached they skip with one line saying why, unless
//! `HAAT_REQUIRE_POSTGRES=1`, when they fail.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;
mod props;
mod suite;

use harness::{PgHarness, SqliteHarness};

/// One test per backend for each generic check in `suite`.
macro_rules! conformance {
    ($($check:ident),* $(,)?) => {
        $(
            mod $check {
                #[test]
                fn sqlite() {
                    let h = crate::SqliteHarness::new();
                    crate::suite::$check(&h);
                }

                #[test]
                fn postgres() {
                    if let Some(h) = crate::PgHarness::new() {
                        crate::suite::$check(&h);
                    }
                }
            }
        )*
    };
}

conformance!(
    append_and_read_back,
    concurrent_appenders_one_wins_each_version,
    read_all_has_no_gaps_while_writers_run,
    command_outcomes_are_idempotent_across_reopen,
    snapshots_round_trip,
    projection_checkpoint_and_state_together,
    unique_claims_hold_under_concurrent_writers,
    claims_release_and_reclaim,
    batches_check_each_request,
    corrupt_row_is_a_typed_error_and_nothing_after_it_is_lost,
    unknown_type_and_future_schema_are_typed_errors,
    upcasters_bring_a_v1_event_to_today,
    appends_read_back_as_appended,
    claims_follow_a_plain_model,
    large_batches_and_reads_by_kind,
);

#[test]
fn sqlite_in_memory_keeps_the_contract() {
    let store = haat_store::SqliteStore::in_memory().unwrap();
    suite::basic_contract(&store);
}

#[test]
fn sqlite_uses_wal_and_synchronous_full() {
    let h = SqliteHarness::new();
    let conn = rusqlite::Connection::open(h.path()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // `synchronous` is per connection: the store's own connection answers through the
    // durability its appends are committed with, checked here by a store reopened on the file.
    let store = haat_store::SqliteStore::open(h.path()).unwrap();
    assert_eq!(store.synchronous().unwrap(), 2, "2 is FULL");
}

#[test]
fn a_boxed_store_chosen_at_run_time_keeps_the_contract() {
    let store: Box<dyn haat_store::EventStore> =
        Box::new(haat_store::SqliteStore::in_memory().unwrap());
    suite::basic_contract(&store);
    let shared = std::sync::Arc::new(store);
    assert_eq!(haat_store::EventStore::head_position(&shared).unwrap(), 5);
}
