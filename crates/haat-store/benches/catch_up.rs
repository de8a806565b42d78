//! Projection catch-up: events per second from the store into haat-metrics.
//!
//! A store of 30,000 events (10,000 seller registrations and 10,000 orders placed then
//! dispatched, as a marketplace's global stream interleaves them) is read from position 0.
//! Side by side in one run, per backend:
//! - `read_all`: the store's pages alone, decoded into `StoredEvent`s (the floor);
//! - `rebuild`: the same pages folded into the metrics projection, nothing saved;
//! - `catch_up`: the same, the state and checkpoint saved with every page of 10,000.
//!
//! SQLite in a temporary file; PostgreSQL at `HAAT_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`) when it answers, in a schema of its own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use haat_catalogue::{GstRegistration, Percent, SupplyKind, TaxBreakdown};
use haat_core::{Actor, ListingId, LocationId, Money, OrderId, SellerId, StateCode};
use haat_inventory::ReservationId;
use haat_orders::{BuyerId, OrderEvent, OrderLine};
use haat_seller::{InclusionTag, SellerEvent};
use haat_store::{
    AppendRequest, EventStore, Metadata, MetricsProjection, NewEvent, PostgresStore, SqliteStore,
    StreamId,
};

const SELLERS: u64 = 10_000;
const ORDERS: u64 = 10_000;
const EVENTS: u64 = SELLERS + 2 * ORDERS;
const PAGE: usize = 10_000;

fn at(minute: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 4, 1, 4, 0, 0).unwrap() + TimeDelta::minutes(minute as i64)
}

fn stored(kind: &str, tag: &str, payload: serde_json::Value) -> NewEvent {
    NewEvent::new(format!("{kind}.{tag}"), 1, payload)
}

/// Fills `store` with the benchmark's events, a thousand appends per transaction.
fn fill<S: EventStore>(store: &S) {
    let tax = TaxBreakdown::of(
        Money::from_rupees(2_450),
        Percent::whole(5),
        SupplyKind::IntraState,
    )
    .unwrap();
    let mut appends: Vec<(StreamId, Vec<NewEvent>, Metadata)> = Vec::new();
    for n in 0..SELLERS.max(ORDERS) {
        if n < SELLERS {
            let seller = SellerId::new(n + 1);
            let event = SellerEvent::SellerRegistered {
                seller,
                at: at(n),
                by: Actor::Seller(seller),
                display_name: format!("Tant Ghar {n}"),
                mobile: "9830012345".parse().unwrap(),
                pin_code: "741404".parse().unwrap(),
                tags: [InclusionTag::Weaver].into(),
                referral: None,
            };
            appends.push((
                StreamId::new("seller", seller.to_string()).unwrap(),
                vec![stored(
                    "seller",
                    "seller_registered",
                    serde_json::to_value(&event).unwrap(),
                )],
                Metadata::new(Actor::Seller(seller), at(n)),
            ));
        }
        if n < ORDERS {
            let order = OrderId::new(n + 1);
            let placed = OrderEvent::OrderPlaced {
                order,
                seller: SellerId::new(n % SELLERS + 1),
                buyer: BuyerId::new(n),
                at: at(n),
                by: Actor::System,
                pin_code: "700001".parse().unwrap(),
                buyer_state: StateCode::WEST_BENGAL,
                registration: GstRegistration::Registered {
                    state: StateCode::WEST_BENGAL,
                },
                lines: vec![OrderLine {
                    listing: ListingId::new(n % 5_000 + 1),
                    sku: "TANT-1".parse().unwrap(),
                    category: "textiles/sarees/handloom/shantipuri".parse().unwrap(),
                    hsn: "5208".parse().unwrap(),
                    location: LocationId::new(2001),
                    quantity: 1,
                    unit_price: Money::from_rupees(2_450),
                    mrp: Money::from_rupees(2_800),
                    tax,
                    return_days: 7,
                }],
                reservation: ReservationId::new(n + 1),
                dispatch_by: at(n) + TimeDelta::days(2),
            };
            let dispatched = OrderEvent::OrderDispatched {
                order,
                at: at(n) + TimeDelta::days(1),
                by: Actor::System,
                late: false,
            };
            appends.push((
                StreamId::new("order", order.to_string()).unwrap(),
                vec![
                    stored(
                        "order",
                        placed.kind(),
                        serde_json::to_value(&placed).unwrap(),
                    ),
                    stored(
                        "order",
                        dispatched.kind(),
                        serde_json::to_value(&dispatched).unwrap(),
                    ),
                ],
                Metadata::new(Actor::System, at(n)),
            ));
        }
    }
    for chunk in appends.chunks(1_000) {
        let requests: Vec<AppendRequest<'_>> = chunk
            .iter()
            .map(|(stream, events, meta)| AppendRequest::new(stream, 0, events, meta))
            .collect();
        for answer in store.append_batch(&requests).unwrap() {
            answer.unwrap();
        }
    }
    assert_eq!(store.head_position().unwrap(), EVENTS);
}

fn read_everything<S: EventStore>(store: &S) -> u64 {
    let mut position = 0;
    loop {
        let page = store.read_all(position, PAGE).unwrap();
        match page.last() {
            Some(last) => position = last.position,
            None => return position,
        }
        black_box(&page);
    }
}

fn group<S: EventStore>(c: &mut Criterion, backend: &str, store: &S) {
    fill(store);
    let mut group = c.benchmark_group(format!("store/projection_catch_up/{backend}"));
    group.sample_size(10);
    group.throughput(Throughput::Elements(EVENTS));
    group.bench_function("read_all", |b| {
        b.iter(|| assert_eq!(read_everything(store), EVENTS));
    });
    group.bench_function("rebuild", |b| {
        b.iter(|| {
            let projection = MetricsProjection::rebuild(store, PAGE).unwrap();
            assert_eq!(projection.position(), EVENTS);
            black_box(projection.metrics());
        });
    });
    group.bench_function("catch_up", |b| {
        b.iter(|| {
            let mut projection = MetricsProjection::default();
            assert_eq!(projection.catch_up(store, PAGE).unwrap(), EVENTS);
            black_box(projection.metrics());
        });
    });
    group.finish();
}

fn catch_up(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("bench.db")).unwrap();
    group(c, "sqlite", &sqlite);

    let url = std::env::var("HAAT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    if postgres::Client::connect(&url, postgres::NoTls).is_err() {
        eprintln!("skipping the PostgreSQL catch-up: {url} is unreachable");
        return;
    }
    let schema = format!("haat_bench_catch_up_{}", std::process::id());
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

criterion_group!(benches, catch_up);
criterion_main!(benches);
