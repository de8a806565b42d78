//! Durable commands through the command handler, beside the same events appended straight to
//! the store, in one run, per backend.
//!
//! A command is a seller's registration (a new `seller/<id>` stream, under a command id whose
//! outcome is recorded with the event). `handler_single` runs one through
//! `CommandHandler::handle` (load, decide, one commit); `store_single` appends the same event
//! serialised by the caller with `EventStore::append`. `handler_batch_1000` runs a thousand
//! through `CommandHandler::handle_batch` (each loaded and decided, one commit);
//! `store_batch_1000` appends the same thousand events with `append_batch`. Every iteration
//! uses new seller ids, so each command opens a new stream, as an onboarding does.
//!
//! SQLite in a temporary file; PostgreSQL at `HAAT_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`) when it answers, in a schema of its own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::Cell;

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use haat_core::{Actor, PinCode, SellerId};
use haat_seller::{InclusionTag, Mobile, Seller, SellerCommand, SellerEvent};
use haat_store::{
    AppendRequest, Batched, CommandHandler, CommandId, EventStore, Metadata, NewEvent,
    PostgresStore, SqliteStore, StreamId,
};

const BATCH: u64 = 1_000;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).unwrap()
}

struct Fixture {
    mobile: Mobile,
    pin: PinCode,
}

impl Fixture {
    fn register(&self, n: u64) -> SellerCommand {
        let seller = SellerId::new(n);
        SellerCommand::Register {
            actor: Actor::Seller(seller),
            seller,
            display_name: format!("Tant Ghar {n}"),
            mobile: self.mobile,
            pin_code: self.pin,
            tags: [InclusionTag::Weaver].into(),
            referral: None,
        }
    }

    fn meta(&self, prefix: &str, n: u64) -> Metadata {
        Metadata::new(Actor::Seller(SellerId::new(n)), now())
            .with_command(CommandId::new(format!("{prefix}-{n}")).unwrap())
    }

    /// The event a registration decides, as a caller appending straight to the store writes it.
    fn event(&self, n: u64) -> (StreamId, Vec<NewEvent>) {
        let seller = SellerId::new(n);
        let event = SellerEvent::SellerRegistered {
            seller,
            at: now(),
            by: Actor::Seller(seller),
            display_name: format!("Tant Ghar {n}"),
            mobile: self.mobile,
            pin_code: self.pin,
            tags: [InclusionTag::Weaver].into(),
            referral: None,
        };
        let payload = serde_json::to_value(&event).unwrap();
        (
            StreamId::new("seller", seller.to_string()).unwrap(),
            vec![NewEvent::new("seller.seller_registered", 1, payload)],
        )
    }
}

fn group<S: EventStore>(c: &mut Criterion, backend: &str, store: &S) {
    let fixture = Fixture {
        mobile: "9830012345".parse().unwrap(),
        pin: "741404".parse().unwrap(),
    };
    let handler = CommandHandler::new(store);
    let next = Cell::new(1u64);
    let take = |n: u64| {
        let first = next.get();
        next.set(first + n);
        first..first + n
    };
    let mut group = c.benchmark_group(format!("store/handler/{backend}"));
    group.sample_size(10);

    group.throughput(Throughput::Elements(1));
    group.bench_function("handler_single", |b| {
        b.iter(|| {
            let n = take(1).start;
            let seller = SellerId::new(n);
            handler
                .handle::<Seller>(&(), &seller, &fixture.register(n), &fixture.meta("h", n))
                .unwrap();
        });
    });
    group.bench_function("store_single", |b| {
        b.iter(|| {
            let n = take(1).start;
            let (stream, events) = fixture.event(n);
            store
                .append(&stream, 0, &events, &fixture.meta("s", n), None)
                .unwrap();
        });
    });

    group.throughput(Throughput::Elements(BATCH));
    group.bench_function("handler_batch_1000", |b| {
        b.iter(|| {
            let commands: Vec<Batched<Seller>> = take(BATCH)
                .map(|n| Batched {
                    id: SellerId::new(n),
                    command: fixture.register(n),
                    meta: fixture.meta("h", n),
                })
                .collect();
            for answer in handler.handle_batch(&(), &commands).unwrap() {
                answer.unwrap();
            }
        });
    });
    group.bench_function("store_batch_1000", |b| {
        b.iter(|| {
            let rows: Vec<(StreamId, Vec<NewEvent>, Metadata)> = take(BATCH)
                .map(|n| {
                    let (stream, events) = fixture.event(n);
                    (stream, events, fixture.meta("s", n))
                })
                .collect();
            let requests: Vec<AppendRequest<'_>> = rows
                .iter()
                .map(|(stream, events, meta)| AppendRequest::new(stream, 0, events, meta))
                .collect();
            for answer in store.append_batch(&requests).unwrap() {
                answer.unwrap();
            }
        });
    });
    group.finish();
}

fn handler(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("bench.db")).unwrap();
    group(c, "sqlite", &sqlite);

    let url = std::env::var("HAAT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    if postgres::Client::connect(&url, postgres::NoTls).is_err() {
        eprintln!("skipping the PostgreSQL handler benchmark: {url} is unreachable");
        return;
    }
    let schema = format!("haat_bench_handler_{}", std::process::id());
    let drop_schema = || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .unwrap();
    };
    drop_schema();
    let pg = PostgresStore::connect_in_schema(&url, &schema, 2).unwrap();
    group(c, "postgres", &pg);
    drop(pg);
    drop_schema();
}

criterion_group!(benches, handler);
criterion_main!(benches);
