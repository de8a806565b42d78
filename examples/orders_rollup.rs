//! Writes a large, deterministic order CSV, and builds the district × month GMV rollup from one,
//! timing itself: the Rust side of `benches/duckdb/compare.py`.
//!
//! ```text
//! cargo run --release --example orders_rollup -- generate /tmp/haat-orders-10m.csv 10000000
//! cargo run --release --example orders_rollup -- rollup /tmp/haat-orders-10m.csv --threads 2
//! cargo run --release --example orders_rollup -- rollup /tmp/haat-orders-10m.csv --distinct
//! ```
//!
//! `generate` also writes `<file>.districts.csv` (each destination PIN code's district), so that
//! DuckDB can join to the same districts. `rollup` splits the file into one byte range per
//! thread (at line ends), folds each range into a [`DemandFold`] with the crate's streaming CSV
//! reader (every field of every row checked), and merges the folds. With `--distinct`, the
//! threads share one [`DuplicateGuard`] (admitting a batch of rows at a time), so a row repeated
//! anywhere in the file counts once, whichever thread reads it.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::float_arithmetic)] // a timing tool

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use haat::core::{ListingId, Money, OrderId, PinCode, PinDirectory, SellerId, StateCode};
use haat::metrics::{
    Cancellation, CancelledBy, DemandFold, DuplicateGuard, Metrics, OrderRecord, Sighting,
    read_orders_csv, write_order_csv_header, write_order_csv_row,
};

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// A small, fast, deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// West Bengal's PIN codes, in directory order.
fn pins() -> Vec<PinCode> {
    PinDirectory::india()
        .pin_codes_of_state(StateCode::WEST_BENGAL)
        .to_vec()
}

/// The `n`th of `rows` orders: placed in time order over two financial years, from 20,000
/// sellers with five listings each, to West Bengal's PIN codes; 4% cancelled, 3% returned,
/// 8% dispatched late.
fn order(
    n: u64,
    rows: u64,
    sellers: u64,
    rng: &mut Rng,
    pins: &[PinCode],
    start: DateTime<Utc>,
) -> OrderRecord {
    let span = 730 * 86_400;
    let placed_at = start + TimeDelta::seconds((n * span / rows.max(1)) as i64);
    // Sales are concentrated, as on any marketplace: the seller is `sellers` × u³ for u uniform
    // in [0, 1), so the first 1% of sellers take a fifth of the orders.
    let u = rng.below(1 << 20);
    let seller = (u * u / (1 << 20) * u / (1 << 20) * sellers / (1 << 20)) + 1;
    let listing = seller * 10 + rng.below(5);
    let fate = rng.below(100);
    let hour = TimeDelta::hours(1);
    let promised = placed_at + hour * 48;
    let dispatched = placed_at + hour * if fate < 8 { 60 } else { 20 };
    let delivered = dispatched + hour * 72;
    let (dispatched_at, delivered_at, cancellation, returned_at) = match fate {
        0..=1 => (
            None,
            None,
            Some(Cancellation {
                at: placed_at + hour,
                by: CancelledBy::Seller,
            }),
            None,
        ),
        2..=3 => (
            None,
            None,
            Some(Cancellation {
                at: placed_at + hour,
                by: CancelledBy::Buyer,
            }),
            None,
        ),
        4..=6 => (
            Some(dispatched),
            Some(delivered),
            None,
            Some(delivered + hour * 100),
        ),
        _ => (Some(dispatched), Some(delivered), None, None),
    };
    OrderRecord {
        order: OrderId::new(n + 1),
        seller: SellerId::new(seller),
        listing: ListingId::new(listing),
        quantity: 1 + (rng.below(10) == 0) as u32,
        amount: Money::from_paise(19_900 + rng.below(500_000) as i64),
        placed_at,
        promised_dispatch_by: promised,
        dispatched_at,
        delivered_at,
        cancellation,
        returned_at,
        destination: pins[rng.below(pins.len() as u64) as usize],
    }
}

fn generate(path: &str, rows: u64) -> Result<(), Failure> {
    let pins = pins();
    let start = Utc
        .with_ymd_and_hms(2024, 3, 31, 18, 30, 0)
        .single()
        .ok_or("start")?;
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng(2025);
    let mut buffer = String::with_capacity(1 << 16);
    write_order_csv_header(&mut buffer);
    for n in 0..rows {
        write_order_csv_row(&mut buffer, &order(n, rows, 20_000, &mut rng, &pins, start));
        if buffer.len() > 60_000 {
            out.write_all(buffer.as_bytes())?;
            buffer.clear();
        }
    }
    out.write_all(buffer.as_bytes())?;
    out.flush()?;
    let mut districts = BufWriter::new(File::create(format!("{path}.districts.csv"))?);
    writeln!(districts, "destination_pin,district")?;
    for pin in &pins {
        if let Some(district) = pin.location().and_then(|l| l.districts().first()) {
            writeln!(districts, "{pin},\"{}\"", district.name())?;
        }
    }
    districts.flush()?;
    eprintln!("wrote {rows} orders to {path}");
    Ok(())
}

/// Rows a thread reads before it asks the shared guard about them.
const GUARD_BATCH: usize = 4096;

/// Folds the rows in `start..end` (byte offsets at line starts) into a demand fold, each row
/// admitted first by `guard` if there is one (repeats skipped, conflicts counted as bad).
fn fold_range(
    path: &str,
    header: &[u8],
    start: u64,
    end: u64,
    guard: Option<&Mutex<DuplicateGuard>>,
) -> Result<(DemandFold, u64), Failure> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let body = BufReader::with_capacity(1 << 20, file.take(end - start));
    let reader = read_orders_csv(header.chain(body))?;
    let mut fold = DemandFold::default();
    let mut bad = 0;
    let mut batch = Vec::with_capacity(GUARD_BATCH);
    let admit = |batch: &mut Vec<OrderRecord>, fold: &mut DemandFold, bad: &mut u64| {
        if let Some(guard) = guard {
            let mut guard = guard.lock().map_err(|_| "a reader thread failed")?;
            batch.retain(|order| match guard.admit_order(order) {
                Ok(sighting) => sighting == Sighting::First,
                Err(_) => {
                    *bad += 1;
                    false
                }
            });
        }
        for order in batch.drain(..) {
            fold.add(&order);
        }
        Ok::<(), Failure>(())
    };
    for row in reader {
        match row {
            Ok(order) if guard.is_some() => {
                batch.push(order);
                if batch.len() == GUARD_BATCH {
                    admit(&mut batch, &mut fold, &mut bad)?;
                }
            }
            Ok(order) => fold.add(&order),
            Err(_) => bad += 1,
        }
    }
    admit(&mut batch, &mut fold, &mut bad)?;
    Ok((fold, bad))
}

fn rollup(path: &str, threads: u64, distinct: bool) -> Result<(), Failure> {
    let began = Instant::now();
    let guard = distinct.then(|| Mutex::new(DuplicateGuard::default()));
    let mut file = BufReader::new(File::open(path)?);
    let mut header = Vec::new();
    file.read_until(b'\n', &mut header)?;
    let len = file.get_ref().metadata()?.len();
    // Cut points: the first line start at or after each even share of the file.
    let mut cuts = vec![header.len() as u64];
    for i in 1..threads {
        let guess = len * i / threads;
        file.seek(SeekFrom::Start(guess.saturating_sub(1)))?;
        let mut skipped = Vec::new();
        file.read_until(b'\n', &mut skipped)?;
        cuts.push((guess - 1 + skipped.len() as u64).max(*cuts.last().unwrap_or(&0)));
    }
    cuts.push(len);
    let folds = std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| {
                let (start, end, header, guard) = (w[0], w[1], header.as_slice(), guard.as_ref());
                scope.spawn(move || fold_range(path, header, start, end, guard))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| Failure::from("a reader thread failed"))?
            })
            .collect::<Result<Vec<_>, Failure>>()
    })?;
    let mut demand = DemandFold::default();
    let mut bad = 0;
    for (fold, b) in &folds {
        demand.merge(fold);
        bad += b;
    }
    let rollup = demand.by_district_month();
    let elapsed = began.elapsed();
    let total = demand.total();
    println!(
        "rust: {} rows ({bad} bad) into {} district-month cells, GMV {}, in {:.3} s with {threads} thread(s)",
        total.orders,
        rollup.len(),
        total.gmv(),
        elapsed.as_secs_f64()
    );
    if let Some(((district, month), totals)) = rollup.iter().find(|((d, _), _)| d.is_some()) {
        println!(
            "  first cell: {} {month} {}",
            district.map(|d| d.name()).unwrap_or("unknown"),
            totals.gmv()
        );
    }
    if let Some(guard) = guard {
        let guard = guard.into_inner().map_err(|_| "a reader thread failed")?;
        println!(
            "  {} repeated rows counted once (order ids {:?}), {} rows differing from one counted under the same id",
            guard.repeated_orders(),
            guard.repeated_order_ids(),
            guard.conflicts()
        );
    }
    println!("seconds={:.3}", elapsed.as_secs_f64());
    Ok(())
}

/// This thread's CPU time so far, user and system, in milliseconds (10 ms ticks), and its minor
/// page faults, from `/proc/thread-self/stat`; zeros where that file does not exist.
fn thread_usage() -> (f64, f64, u64) {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return (0.0, 0.0, 0);
    };
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return (0.0, 0.0, 0);
    };
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let field = |at: usize| fields.get(at).copied().unwrap_or(0);
    // After the state: ppid, pgrp, session, tty, tpgid, flags, minflt (6), cminflt, majflt,
    // cmajflt, utime (10), stime (11).
    (field(10) as f64 * 10.0, field(11) as f64 * 10.0, field(6))
}

/// Folds `rows` generated orders from `sellers` sellers into a fresh [`Metrics`], in memory,
/// `rounds` times, and prints the rate of each round (wall clock, the fold's drop not
/// included) and the CPU time and page faults of all rounds (drops included). With
/// `--distinct`, each round also times a fresh [`DuplicateGuard`] admitting every order.
fn fold(rows: u64, sellers: u64, rounds: u32, distinct: bool) -> Result<(), Failure> {
    let pins = pins();
    let start = Utc
        .with_ymd_and_hms(2024, 3, 31, 18, 30, 0)
        .single()
        .ok_or("start")?;
    let mut rng = Rng(2025);
    let orders: Vec<OrderRecord> = (0..rows)
        .map(|n| order(n, rows, sellers, &mut rng, &pins, start))
        .collect();
    let before = thread_usage();
    for round in 0..rounds {
        let began = Instant::now();
        let mut metrics = Metrics::default();
        metrics.add_orders(&orders);
        let elapsed = began.elapsed().as_secs_f64();
        println!(
            "round {round}: {rows} orders folded in {elapsed:.3} s: {:.1} million per second ({} cells)",
            rows as f64 / elapsed / 1e6,
            metrics.sales().len()
        );
        if distinct {
            let began = Instant::now();
            let mut guard = DuplicateGuard::default();
            let admitted = orders
                .iter()
                .filter(|order| guard.admit_order(order) == Ok(Sighting::First))
                .count();
            let elapsed = began.elapsed().as_secs_f64();
            println!(
                "  and {admitted} admitted by a duplicate guard in {elapsed:.3} s: {:.0} ns an order",
                elapsed * 1e9 / rows as f64
            );
        }
    }
    let after = thread_usage();
    if rounds > 0 {
        let per = |a: f64, b: f64| (b - a) / f64::from(rounds);
        println!(
            "CPU time per round: {:.1} ms (user {:.1}, system {:.1}); {:.0} page faults per round",
            per(before.0 + before.1, after.0 + after.1),
            per(before.0, after.0),
            per(before.1, after.1),
            per(before.2 as f64, after.2 as f64),
        );
    }
    Ok(())
}

fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: orders_rollup generate <file> [rows] | rollup <file> [--threads N] [--distinct] | fold [rows] [sellers] [rounds] [--distinct]";
    match args.first().map(String::as_str) {
        Some("generate") => {
            let path = args.get(1).ok_or(usage)?;
            let rows = args.get(2).map_or(Ok(10_000_000), |r| r.parse())?;
            generate(path, rows)
        }
        Some("fold") => fold(
            args.get(1).map_or(Ok(1_000_000), |r| r.parse())?,
            args.get(2).map_or(Ok(20_000), |r| r.parse())?,
            args.get(3).map_or(Ok(3), |r| r.parse())?,
            args.iter().any(|a| a == "--distinct"),
        ),
        Some("rollup") => {
            let path = args.get(1).ok_or(usage)?;
            let threads = match args.iter().position(|a| a == "--threads") {
                Some(i) => args.get(i + 1).ok_or(usage)?.parse()?,
                None => 2,
            };
            let distinct = args.iter().any(|a| a == "--distinct");
            rollup(path, u64::max(threads, 1), distinct)
        }
        _ => Err(usage.into()),
    }
}
