//! Benchmarks for `haat-metrics`: folding order records into every rollup, and reading an order
//! CSV into the district × month GMV rollup.
#![allow(clippy::unwrap_used, clippy::float_arithmetic, clippy::print_stderr)] // set-up states its assumptions; CPU time is printed

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, Throughput};
use haat::core::{ListingId, Money, OrderId, PinCode, PinDirectory, SellerId, StateCode};
use haat::metrics::{
    Cancellation, CancelledBy, DemandFold, Metrics, OrderRecord, read_orders_csv,
    write_order_csv_header, write_order_csv_row,
};

pub fn benches(c: &mut Criterion) {
    fold(c);
    csv(c);
}

/// SplitMix64: deterministic inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// `rows` orders in time order over two financial years: `sellers` sellers with five listings
/// each, the first 1% of sellers taking a fifth of the orders; West Bengal's
/// PIN codes; some cancelled, returned or late. The same generator as
/// `examples/orders_rollup.rs`.
fn orders(rows: u64, sellers: u64) -> Vec<OrderRecord> {
    let pins: Vec<PinCode> = PinDirectory::india()
        .pin_codes_of_state(StateCode::WEST_BENGAL)
        .to_vec();
    let start = Utc.with_ymd_and_hms(2024, 3, 31, 18, 30, 0).unwrap();
    let mut rng = Rng(2025);
    let hour = TimeDelta::hours(1);
    (0..rows)
        .map(|n| {
            let placed_at = start + TimeDelta::seconds((n * 730 * 86_400 / rows) as i64);
            // Sales are concentrated: the seller is `sellers` × u³ for u uniform in [0, 1).
            let u = rng.below(1 << 20);
            let seller = u * u / (1 << 20) * u / (1 << 20) * sellers / (1 << 20) + 1;
            let fate = rng.below(100);
            let dispatched = placed_at + hour * if fate < 8 { 60 } else { 20 };
            let cancelled = fate < 4;
            OrderRecord {
                order: OrderId::new(n + 1),
                seller: SellerId::new(seller),
                listing: ListingId::new(seller * 10 + rng.below(5)),
                quantity: 1,
                amount: Money::from_paise(19_900 + rng.below(500_000) as i64),
                placed_at,
                promised_dispatch_by: placed_at + hour * 48,
                dispatched_at: (!cancelled).then_some(dispatched),
                delivered_at: (!cancelled).then_some(dispatched + hour * 72),
                cancellation: cancelled.then_some(Cancellation {
                    at: placed_at + hour,
                    by: if fate < 2 {
                        CancelledBy::Seller
                    } else {
                        CancelledBy::Buyer
                    },
                }),
                returned_at: (4..7).contains(&fate).then_some(dispatched + hour * 172),
                destination: pins[rng.below(pins.len() as u64) as usize],
            }
        })
        .collect()
}

/// The CPU time this thread has used so far, (user, system), from `/proc/thread-self/stat` in
/// clock ticks of 10 ms, and its minor page faults; zero where that file does not exist. The
/// machine these run on is shared, so wall-clock time alone overstates the cost.
fn thread_cpu() -> (Duration, Duration, u64) {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return Default::default();
    };
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return Default::default();
    };
    // After the state: ppid, pgrp, session, tty, tpgid, flags, minflt (6), cminflt, majflt,
    // cmajflt, utime (10), stime (11).
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let field = |at: usize| fields.get(at).copied().unwrap_or(0);
    (
        Duration::from_millis(field(10) * 10),
        Duration::from_millis(field(11) * 10),
        field(6),
    )
}

/// Benchmarks `fold` over fresh `Metrics` (wall-clock time, as criterion reports it) and
/// prints the CPU time per iteration beside it.
fn bench_fold(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    rows: u64,
    fold: impl Fn(&mut Metrics),
) {
    let (mut user, mut system, mut faults) = (Duration::ZERO, Duration::ZERO, 0);
    let mut iterations = 0;
    group.bench_function(name, |b| {
        b.iter_custom(|n| {
            let cpu_before = thread_cpu();
            let began = Instant::now();
            for _ in 0..n {
                let mut metrics = Metrics::default();
                fold(&mut metrics);
                black_box(metrics);
            }
            let wall = began.elapsed();
            let cpu_after = thread_cpu();
            user += cpu_after.0.saturating_sub(cpu_before.0);
            system += cpu_after.1.saturating_sub(cpu_before.1);
            faults += cpu_after.2.saturating_sub(cpu_before.2);
            iterations += n;
            wall
        })
    });
    let cpu = user + system;
    if iterations > 0 && !cpu.is_zero() {
        let per = |d: Duration| d.as_secs_f64() * 1e3 / iterations as f64;
        eprintln!(
            "metrics/{name}: CPU time {:.1} ms per iteration (user {:.1}, system {:.1}), \
             {:.1} M records/s of CPU time; {:.0} page faults per iteration",
            per(cpu),
            per(user),
            per(system),
            rows as f64 / per(cpu) / 1e3,
            faults as f64 / iterations as f64
        );
    }
}

/// Every order into every rollup `Metrics` keeps: sales per (seller, listing, month), service
/// per (seller, day), demand per (PIN code, month). The orders are in time order, as an order
/// log, a day's export or a CSV sorted by `placed_at` is: 20,000 sellers (1 lakh listings);
/// 1,000 sellers; into a fold that already has every cell; and the same orders shuffled.
fn fold(c: &mut Criterion) {
    let rows = 1_000_000;
    let in_order = orders(rows, 20_000);
    let one_district = orders(rows, 1_000);
    let mut shuffled = in_order.clone();
    let mut rng = Rng(7);
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.below(i as u64 + 1) as usize);
    }
    // The same orders folded into a warm `Metrics` (every cell already there): the steady
    // state of a long-running projection.
    let mut warm = Metrics::default();
    warm.add_orders(&in_order);
    let mut group = c.benchmark_group("metrics");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows));
    bench_fold(&mut group, "fold_orders_1m", rows, |metrics| {
        metrics.add_orders(&in_order)
    });
    // A district's worth of sellers (1,000, with 5,000 listings): every cell stays in cache.
    bench_fold(&mut group, "fold_orders_1m_1k_sellers", rows, |metrics| {
        metrics.add_orders(&one_district)
    });
    group.bench_function("fold_orders_1m_warm", |b| {
        b.iter_batched_ref(
            || warm.clone(),
            |metrics| metrics.add_orders(&in_order),
            BatchSize::PerIteration,
        )
    });
    bench_fold(&mut group, "fold_orders_1m_shuffled", rows, |metrics| {
        metrics.add_orders(&shuffled)
    });
    group.finish();
}

/// An order CSV of 2 lakh rows, read and checked row by row, into the district × month GMV
/// rollup (the 10-million-row comparison with DuckDB is `benches/duckdb/compare.py`).
fn csv(c: &mut Criterion) {
    let rows = 200_000;
    let mut text = String::new();
    write_order_csv_header(&mut text);
    for order in orders(rows, 20_000) {
        write_order_csv_row(&mut text, &order);
    }
    let mut group = c.benchmark_group("metrics");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("csv_district_month_200k", |b| {
        b.iter(|| {
            let mut demand = DemandFold::default();
            for order in read_orders_csv(text.as_bytes()).unwrap().flatten() {
                demand.add(&order);
            }
            black_box(demand.by_district_month())
        })
    });
    group.finish();
}
