//! Benchmarks for `haat-inventory`: reserve + commit over a million stock cells, beside a bare
//! `HashMap` (the floor) and SQLite done the way database-backed shops do it.
//!
//! All three run the same pre-generated sequence of (cell, units) pairs; each pair is one
//! reserve and one commit, two operations (criterion's throughput counts two elements per
//! iteration).

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, Throughput};
use haat::core::{Actor, LocationId, SellerId};
use haat::inventory::{
    AdjustmentReason, CellId, CellReservation, Command, IdempotencyKey, Operation,
    ReservationOwner, StockKey, StockLedger,
};
use rusqlite::Connection;

/// Cells: 10,000 sellers × 25 SKUs × 4 locations.
const CELLS: usize = 1_000_000;
/// Length of the pre-generated operation sequence (cycled).
const SEQUENCE: usize = 1 << 20;
/// Units each cell starts with: enough that no reservation in a run is refused.
const STOCK: u64 = 1 << 40;

fn cell_key(i: usize) -> StockKey {
    let seller = (i / 100) as u64 + 1;
    let sku = format!("SKU-{:02}", (i / 4) % 25);
    StockKey::new(
        SellerId::new(seller),
        sku.parse().unwrap_or_else(|_| unreachable!()),
        LocationId::new((i % 4) as u64 + 1),
    )
}

/// The operations: a cell (uniformly random) and 1–3 units, from a fixed xorshift seed.
fn sequence() -> Vec<(u32, u64)> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..SEQUENCE)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x % CELLS as u64) as u32, 1 + (x >> 40) % 3)
        })
        .collect()
}

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 4, 30, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// A ledger with every cell stocked (events forgotten as a service would once stored).
fn ledger() -> (StockLedger, Vec<CellId>) {
    let mut ledger = StockLedger::with_capacity(CELLS, 1 << 20);
    let now = base();
    for i in 0..CELLS {
        let command = Command::new(
            Actor::System,
            IdempotencyKey::new(u128::MAX - i as u128),
            Operation::Adjust {
                key: cell_key(i),
                expected_on_hand: 0,
                counted_on_hand: STOCK,
                reason: AdjustmentReason::Found,
            },
        );
        let _ = ledger.execute(&command, now);
        if i % 100_000 == 99_999 {
            ledger.forget_events_through(ledger.next_seq() - 1);
        }
    }
    ledger.forget_events_through(ledger.next_seq() - 1);
    ledger.forget_settled_before(now + chrono::Duration::seconds(1));
    let cells = (0..CELLS)
        .map(|i| ledger.cell(&cell_key(i)).unwrap_or_else(|| unreachable!()))
        .collect();
    (ledger, cells)
}

#[derive(Clone, Copy, Default)]
struct Counters {
    available: u64,
    reserved: u64,
    shipped: u64,
}

fn sqlite() -> rusqlite::Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    conn.execute_batch(
        "CREATE TABLE stock (key INTEGER PRIMARY KEY, available INTEGER NOT NULL,
                             reserved INTEGER NOT NULL, shipped INTEGER NOT NULL);",
    )?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO stock VALUES (?1, ?2, 0, 0)")?;
        for i in 0..CELLS {
            insert.execute((i as i64, STOCK as i64))?;
        }
    }
    tx.commit()?;
    Ok(conn)
}

const RESERVE_SQL: &str = "UPDATE stock SET available = available - ?1, reserved = reserved + ?1 \
                           WHERE key = ?2 AND available >= ?1";
const COMMIT_SQL: &str = "UPDATE stock SET reserved = reserved - ?1, shipped = shipped + ?1 \
                          WHERE key = ?2 AND reserved >= ?1";

/// One transaction per operation, as a shop on a database does it.
fn sqlite_pair(conn: &mut Connection, cell: u32, units: u64) -> rusqlite::Result<bool> {
    let tx = conn.transaction()?;
    let reserved = tx
        .prepare_cached(RESERVE_SQL)?
        .execute((units as i64, i64::from(cell)))?;
    tx.commit()?;
    if reserved != 1 {
        return Ok(false);
    }
    let tx = conn.transaction()?;
    let committed = tx
        .prepare_cached(COMMIT_SQL)?
        .execute((units as i64, i64::from(cell)))?;
    tx.commit()?;
    Ok(committed == 1)
}

pub fn benches(c: &mut Criterion) {
    let ops = sequence();
    let (mut ledger, cells) = ledger();
    let mut floor: HashMap<u32, Counters> = (0..CELLS as u32)
        .map(|i| {
            (
                i,
                Counters {
                    available: STOCK,
                    ..Counters::default()
                },
            )
        })
        .collect();
    let mut db = sqlite().ok();

    let mut group = c.benchmark_group("inventory/reserve_commit");
    group.throughput(Throughput::Elements(2));

    let mut next = 0usize;
    group.bench_function("hashmap_floor", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                let (cell, units) = ops[next];
                next = (next + 1) % SEQUENCE;
                if let Some(c) = floor.get_mut(&cell) {
                    c.available -= units;
                    c.reserved += units;
                }
                if let Some(c) = floor.get_mut(&cell) {
                    c.reserved -= units;
                    c.shipped += units;
                }
            }
            start.elapsed()
        })
    });

    let mut next = 0usize;
    let mut key: u128 = 1;
    let mut sample = 0i64;
    group.bench_function("haat", |b| {
        b.iter_custom(|iters| {
            // Each sample is a second later than the last; holds last 15 minutes.
            sample += 1;
            let now = base() + chrono::Duration::seconds(sample);
            let expires_at = now + chrono::Duration::minutes(15);
            let start = Instant::now();
            for _ in 0..iters {
                let (cell, units) = ops[next];
                next = (next + 1) % SEQUENCE;
                let request = CellReservation {
                    cell: cells[cell as usize],
                    quantity: units,
                    owner: ReservationOwner::Cart(key as u64),
                    expires_at,
                };
                let placed =
                    ledger.reserve_cell(Actor::System, IdempotencyKey::new(key), request, now);
                key += 1;
                if let Ok(outcome) = placed {
                    if let Some(reservation) = outcome.reservation {
                        let commit = Command::new(
                            Actor::System,
                            IdempotencyKey::new(key),
                            Operation::Commit { reservation },
                        );
                        let _ = black_box(ledger.execute(&commit, now));
                    }
                }
                key += 1;
            }
            let elapsed = start.elapsed();
            // Outside the timing, what a service does periodically: drop events it has
            // stored, and idempotency keys and settled reservations older than its retention
            // window (here: the previous sample).
            ledger.forget_events_through(ledger.next_seq() - 1);
            ledger.forget_settled_before(now - chrono::Duration::seconds(1));
            elapsed
        })
    });

    if let Some(conn) = db.as_mut() {
        let mut next = 0usize;
        group.bench_function("sqlite", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    let (cell, units) = ops[next];
                    next = (next + 1) % SEQUENCE;
                    let _ = black_box(sqlite_pair(conn, cell, units));
                }
                start.elapsed()
            })
        });
    }
    group.finish();
}
