//! Durable appends per second through the event store, beside a bare `INSERT` of the same rows
//! into the same database (the floor), on SQLite and PostgreSQL, in one run.
//!
//! One command is what a seller's onboarding writes: one event (about 330 bytes of JSON) on a
//! new stream, under a command id whose outcome the store records in the same transaction.
//! Each backend is measured four ways, each iteration committing durably:
//!
//! - `append_single`: one command per transaction, through `EventStore::append`;
//! - `floor_single`: the same two rows (event, outcome) in one transaction, bare `INSERT`s;
//! - `append_batch_1000`: a thousand commands per transaction, through `append_batch`, each
//!   still checked for its version and command id;
//! - `floor_batch_1000`: the same 2,000 rows in one transaction, bare `INSERT`s.
//!
//! The floors write into tables of the same shape in the same database, with the same
//! durability (SQLite: WAL, `synchronous = FULL`; PostgreSQL: its default
//! `synchronous_commit = on`) and the same keys, but no checks and no global-order lock, each
//! the fastest plain way for its database (SQLite: cached prepared statements, row by row;
//! PostgreSQL: one multi-row `INSERT ... SELECT FROM unnest` per table).
//!
//! PostgreSQL runs against `HAAT_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`) in a schema of its own, dropped at the end; if
//! the server cannot be reached its half is skipped with one line saying why.
//!
//! `cargo bench -p haat-store --bench store`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use haat_core::{Actor, SellerId};
use haat_store::{
    AppendRequest, CommandId, EventStore, Metadata, NewEvent, PostgresStore, SqliteStore, StreamId,
};
use serde_json::{Value, json};

const BATCH: u64 = 1_000;

/// Every command in a run gets fresh ids: a new seller, a new command id.
static NEXT: AtomicU64 = AtomicU64::new(1);

struct Command {
    stream: StreamId,
    events: Vec<NewEvent>,
    meta: Metadata,
    row: FloorRow,
}

/// The rows a bare insert writes for one command: the event's columns and the outcome.
struct FloorRow {
    stream: String,
    payload: String,
    actor: String,
    command_id: String,
    recorded_at: String,
    outcome: String,
}

fn payload(n: u64) -> Value {
    json!({
        "seller": n,
        "legal_name": "Tanti Ghar Handloom Cooperative",
        "shop_name": "Tanti Ghar",
        "mobile": "+91 98300 12345",
        "email": "tantighar@example.in",
        "pin_code": "741404",
        "district": "Nadia",
        "state": "19",
        "gstin": null,
        "programme": "Biswa Bangla",
        "registered_at": "2025-10-01T05:30:00Z",
        "languages": ["bn", "en"]
    })
}

fn commands(count: u64) -> Vec<Command> {
    let at = Utc.with_ymd_and_hms(2025, 10, 1, 5, 30, 0).unwrap();
    (0..count)
        .map(|_| {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let stream = StreamId::new("seller", n.to_string()).unwrap();
            let command = CommandId::new(format!("register-{n}")).unwrap();
            let meta = Metadata::new(Actor::Seller(SellerId::new(n)), at).with_command(command);
            let body = payload(n);
            let row = FloorRow {
                stream: stream.to_string(),
                payload: body.to_string(),
                actor: serde_json::to_string(&meta.actor).unwrap(),
                command_id: format!("register-{n}"),
                recorded_at: at.to_rfc3339(),
                outcome: json!({ "stream": stream.to_string(), "version": 1, "positions": [n] })
                    .to_string(),
            };
            Command {
                stream,
                events: vec![NewEvent::new("seller.registered", 1, body)],
                meta,
                row,
            }
        })
        .collect()
}

fn through_store(store: &impl EventStore, batch: &[Command]) {
    let requests: Vec<AppendRequest<'_>> = batch
        .iter()
        .map(|c| AppendRequest::new(&c.stream, 0, &c.events, &c.meta))
        .collect();
    for answer in store.append_batch(&requests).unwrap() {
        black_box(answer.unwrap());
    }
}

const FLOOR_SQLITE: &str = "
CREATE TABLE IF NOT EXISTS floor_events (
    position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL,
    event_type TEXT NOT NULL, schema_version INTEGER NOT NULL, payload TEXT NOT NULL,
    actor TEXT NOT NULL, command_id TEXT, correlation_id TEXT, recorded_at TEXT NOT NULL,
    UNIQUE (stream, version));
CREATE TABLE IF NOT EXISTS floor_commands (command_id TEXT PRIMARY KEY, outcome TEXT NOT NULL)
    WITHOUT ROWID;";

fn floor_sqlite(conn: &mut rusqlite::Connection, batch: &[Command]) {
    let tx = conn.transaction().unwrap();
    {
        let mut event = tx
            .prepare_cached(
                "INSERT INTO floor_events (stream, version, event_type, schema_version, payload, \
                 actor, command_id, recorded_at) VALUES (?1, 1, 'seller.registered', 1, ?2, ?3, ?4, ?5)",
            )
            .unwrap();
        let mut outcome = tx
            .prepare_cached("INSERT INTO floor_commands (command_id, outcome) VALUES (?1, ?2)")
            .unwrap();
        for c in batch {
            let r = &c.row;
            event
                .execute((
                    &r.stream,
                    &r.payload,
                    &r.actor,
                    &r.command_id,
                    &r.recorded_at,
                ))
                .unwrap();
            outcome.execute((&r.command_id, &r.outcome)).unwrap();
        }
    }
    tx.commit().unwrap();
}

/// The bare PostgreSQL insert, done the fastest plain way: each table's rows in one
/// `INSERT ... SELECT FROM unnest(...)`, positions from a sequence.
fn floor_postgres(client: &mut postgres::Client, batch: &[Command]) {
    let mut tx = client.transaction().unwrap();
    let streams: Vec<&str> = batch.iter().map(|c| c.row.stream.as_str()).collect();
    let payloads: Vec<&str> = batch.iter().map(|c| c.row.payload.as_str()).collect();
    let actors: Vec<&str> = batch.iter().map(|c| c.row.actor.as_str()).collect();
    let ids: Vec<&str> = batch.iter().map(|c| c.row.command_id.as_str()).collect();
    let times: Vec<&str> = batch.iter().map(|c| c.row.recorded_at.as_str()).collect();
    let outcomes: Vec<&str> = batch.iter().map(|c| c.row.outcome.as_str()).collect();
    tx.execute(
        "INSERT INTO floor_events (position, stream, version, event_type, schema_version, \
         payload, actor, command_id, recorded_at) \
         SELECT nextval('floor_position'), s, 1, 'seller.registered', 1, p, a, c, t \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS r(s, p, a, c, t)",
        &[&streams, &payloads, &actors, &ids, &times],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO floor_commands (command_id, outcome) SELECT * FROM unnest($1::text[], $2::text[])",
        &[&ids, &outcomes],
    )
    .unwrap();
    tx.commit().unwrap();
}

/// One backend's four benchmarks: a single command and a batch of a thousand, each through the
/// store and as the bare floor, in one group so that they are measured side by side.
fn bench_backend(
    c: &mut Criterion,
    name: &str,
    store: &impl EventStore,
    mut floor: impl FnMut(&[Command]),
) {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for (count, label, size) in [
        (1, "single", criterion::BatchSize::SmallInput),
        (BATCH, "batch_1000", criterion::BatchSize::PerIteration),
    ] {
        group.throughput(Throughput::Elements(count));
        group.bench_function(format!("append_{label}"), |b| {
            b.iter_batched(
                || commands(count),
                |batch| through_store(store, &batch),
                size,
            )
        });
        group.bench_function(format!("floor_{label}"), |b| {
            b.iter_batched(|| commands(count), |batch| floor(&batch), size)
        });
    }
    group.finish();
}

fn bench_sqlite(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let store = SqliteStore::open(&path).unwrap();
    let mut floor = rusqlite::Connection::open(&path).unwrap();
    floor.pragma_update(None, "journal_mode", "WAL").unwrap();
    floor.pragma_update(None, "synchronous", "FULL").unwrap();
    floor.execute_batch(FLOOR_SQLITE).unwrap();

    bench_backend(c, "store/sqlite", &store, |batch| {
        floor_sqlite(&mut floor, batch)
    });
}

fn bench_postgres(c: &mut Criterion) {
    let url = std::env::var("HAAT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let mut admin = match postgres::Client::connect(&url, postgres::NoTls) {
        Ok(client) => client,
        Err(e) => {
            let line = format!("skipping the PostgreSQL benchmarks: {url} is unreachable ({e})\n");
            let _ = std::io::stderr().write_all(line.as_bytes());
            return;
        }
    };
    let schema = format!("haat_bench_{}", std::process::id());
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
    let store = PostgresStore::connect_in_schema(&url, &schema, 2).unwrap();
    let mut floor = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    floor
        .batch_execute(&format!(
            "SET search_path = {schema};
             CREATE TABLE floor_events (
                position BIGINT PRIMARY KEY, stream TEXT NOT NULL, version BIGINT NOT NULL,
                event_type TEXT NOT NULL, schema_version BIGINT NOT NULL, payload TEXT NOT NULL,
                actor TEXT NOT NULL, command_id TEXT, correlation_id TEXT,
                recorded_at TEXT NOT NULL, UNIQUE (stream, version));
             CREATE TABLE floor_commands (command_id TEXT PRIMARY KEY, outcome TEXT NOT NULL);
             CREATE SEQUENCE floor_position;"
        ))
        .unwrap();

    bench_backend(c, "store/postgres", &store, |batch| {
        floor_postgres(&mut floor, batch);
    });
    drop(store);
    drop(floor);
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
}

criterion_group!(benches, bench_sqlite, bench_postgres);
criterion_main!(benches);
