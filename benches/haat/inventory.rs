//! Benchmarks for `haat-inventory`: reserve + commit over a million stock cells, beside a bare
//! `HashMap` (the floor) and SQLite done the way database-backed shops do it.
//!
//! All run the same pre-generated sequence of (cell, units) pairs; each pair is one reserve
//! and one commit, two operations (criterion's throughput counts two elements per
//! iteration), taken in groups of 16 pairs: the group's reservations, then its commits (a
//! checkout worker taking the requests queued since it last looked). haat runs twice: the
//! group's reservations and commits in one `reserve_cells` and one `commit_reservations`
//! call (`haat`), and one call each (`haat_one_by_one`). SQLite runs twice: the conditional `UPDATE` alone (`sqlite`),
//! and with the records a shop's database keeps and haat keeps too — the reservation, the
//! stock movements, the idempotency key (`sqlite_ledger`).
//!
//! `inventory/allocate` allocates orders over the West Bengal reference network.
//!
//! `inventory/expire_after_1m_reservations` runs `Operation::Expire` on a ledger that has
//! placed a million reservations (all but a thousand committed, the rest holding until
//! later): the periodic call a service makes, which finds nothing due.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, Throughput};
use haat::core::{Actor, LocationId, SellerId};
use haat::core::{PinCode, PinDirectory, Sku, StateCode};
use haat::inventory::{
    AdjustmentReason, CellId, CellReservation, Command, IdempotencyKey, Operation, Outcome,
    RESERVE_GROUP, ReservationOwner, StockKey, StockLedger,
};
use haat::inventory::{
    Allocation, AllocationRequest, Allocator, AvailableStock, Network, Receipt, SellerConstraint,
    SplitPolicy,
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
                             reserved INTEGER NOT NULL, shipped INTEGER NOT NULL);
         CREATE TABLE reservation (id INTEGER PRIMARY KEY, stock INTEGER NOT NULL,
                                   quantity INTEGER NOT NULL, owner INTEGER NOT NULL,
                                   expires_at INTEGER NOT NULL, status TEXT NOT NULL);
         CREATE TABLE movement (seq INTEGER PRIMARY KEY, stock INTEGER NOT NULL,
                                reservation INTEGER NOT NULL, quantity INTEGER NOT NULL,
                                reason TEXT NOT NULL, at INTEGER NOT NULL);
         CREATE TABLE idempotency (key BLOB PRIMARY KEY, outcome INTEGER NOT NULL)
                                   WITHOUT ROWID;",
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

/// One transaction per operation, the conditional `UPDATE` alone: `BEGIN`, the `UPDATE`,
/// `COMMIT`, every statement prepared once and cached (so SQLite is not charged for parsing
/// SQL, only for executing it). The least a database-backed shop can do: no record of the
/// hold, no ledger row, no idempotency.
fn sqlite_op(conn: &Connection, sql: &str, cell: u32, units: u64) -> rusqlite::Result<bool> {
    conn.prepare_cached("BEGIN")?.execute([])?;
    let changed = conn
        .prepare_cached(sql)?
        .execute((units as i64, i64::from(cell)))?;
    conn.prepare_cached("COMMIT")?.execute([])?;
    Ok(changed == 1)
}

/// The same pair keeping what haat keeps, as shops on a database do (a reservation row with
/// its owner, expiry and status, a stock-movement row per change, the request's idempotency
/// key with its answer): per operation one transaction — `BEGIN`; the idempotency key
/// inserted (a retry fails on its primary key); the conditional `UPDATE`; the reservation
/// inserted (reserve) or moved from `active` to `committed` (commit); the movement inserted;
/// `COMMIT`. Statements prepared once and cached. The keys are sequential numbers stored
/// big-endian, so they insert in order at the end of their index: the kindest case for
/// SQLite (random keys, as UUIDs are, cost it about three times as much here).
fn sqlite_ledger_reserve(
    conn: &Connection,
    pair: u64,
    cell: u32,
    units: u64,
    at: i64,
) -> rusqlite::Result<bool> {
    let (units, cell) = (units as i64, i64::from(cell));
    let id = pair as i64;
    begin_with_key(conn, 2 * u128::from(pair), id)?;
    if conn.prepare_cached(RESERVE_SQL)?.execute((units, cell))? != 1 {
        conn.prepare_cached("ROLLBACK")?.execute([])?;
        return Ok(false);
    }
    conn.prepare_cached("INSERT INTO reservation VALUES (?1, ?2, ?3, ?4, ?5, 'active')")?
        .execute((id, cell, units, id, at + 15 * 60_000))?;
    conn.prepare_cached(
        "INSERT INTO movement (stock, reservation, quantity, reason, at) \
         VALUES (?1, ?2, ?3, 'reserved', ?4)",
    )?
    .execute((cell, id, units, at))?;
    conn.prepare_cached("COMMIT")?.execute([])?;
    Ok(true)
}

/// An operation's transaction opened and its idempotency key inserted (stored big-endian; a
/// retry fails on the primary key).
fn begin_with_key(conn: &Connection, key: u128, outcome: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("BEGIN")?.execute([])?;
    conn.prepare_cached("INSERT INTO idempotency VALUES (?1, ?2)")?
        .execute((key.to_be_bytes(), outcome))?;
    Ok(())
}

/// The commit of [`sqlite_ledger_reserve`]'s reservation `pair`, in its own transaction.
fn sqlite_ledger_commit(
    conn: &Connection,
    pair: u64,
    cell: u32,
    units: u64,
    at: i64,
) -> rusqlite::Result<bool> {
    let (units, cell) = (units as i64, i64::from(cell));
    let id = pair as i64;
    begin_with_key(conn, 2 * u128::from(pair) + 1, id)?;
    let committed = conn
        .prepare_cached(
            "UPDATE reservation SET status = 'committed' \
             WHERE id = ?1 AND status = 'active' AND expires_at > ?2",
        )?
        .execute((id, at))?
        == 1
        && conn.prepare_cached(COMMIT_SQL)?.execute((units, cell))? == 1;
    if !committed {
        conn.prepare_cached("ROLLBACK")?.execute([])?;
        return Ok(false);
    }
    conn.prepare_cached(
        "INSERT INTO movement (stock, reservation, quantity, reason, at) \
         VALUES (?1, ?2, ?3, 'committed', ?4)",
    )?
    .execute((cell, id, units, at))?;
    conn.prepare_cached("COMMIT")?.execute([])?;
    Ok(true)
}

/// What a service does with its ledger's memory, outside the timed loop: drops the events
/// still held, and keeps idempotency keys (and settled reservations) for a window of recent operations. Here the window is the
/// last 2^19 to 2^20 reservations — about a million operations — so the table works at its
/// steady size, as it would in service, instead of being emptied and regrown.
struct Retention {
    /// (instant, reservations placed) of each sample, oldest first.
    samples: std::collections::VecDeque<(DateTime<Utc>, u64)>,
}

impl Retention {
    fn after_sample(&mut self, ledger: &mut StockLedger, now: DateTime<Utc>, placed: u64) {
        ledger.forget_events_through(ledger.next_seq() - 1);
        self.samples.push_back((now, placed));
        if ledger.remembered_keys() <= 1 << 20 {
            return;
        }
        let mut kept = 0;
        let mut cutoff = now;
        for &(at, n) in self.samples.iter().rev() {
            cutoff = at;
            kept += n;
            if kept >= 1 << 19 {
                break;
            }
        }
        while self.samples.front().is_some_and(|&(at, _)| at < cutoff) {
            self.samples.pop_front();
        }
        ledger.forget_settled_before(cutoff);
    }
}

/// Pairs a service stores the ledger's events after (inside the timing): every 512 pairs,
/// about a hundred microseconds of checkout, as a service that writes its events in batches.
const STORE_EVENTS_EVERY: u64 = 512;

/// Runs `iters` pairs of `ops` from `*next` on, a group at a time: `group` gets up to
/// `RESERVE_GROUP` consecutive pairs (reserve them all, then commit them all: a checkout
/// worker taking the requests queued since it last looked). Every variant runs this same
/// sequence.
fn in_groups<T>(ops: &[T], next: &mut usize, iters: u64, mut group: impl FnMut(&[T])) {
    let mut done = 0u64;
    while done < iters {
        let n = (RESERVE_GROUP as u64)
            .min(iters - done)
            .min((ops.len() - *next) as u64) as usize;
        group(&ops[*next..*next + n]);
        *next = (*next + n) % ops.len();
        done += n as u64;
    }
}

pub fn benches(c: &mut Criterion) {
    allocate(c);
    expire(c);
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
    let db = sqlite().ok();

    let mut group = c.benchmark_group("inventory/reserve_commit");
    group.throughput(Throughput::Elements(2));

    let mut next = 0usize;
    group.bench_function("hashmap_floor", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            in_groups(&ops, &mut next, iters, |pairs| {
                for &(cell, units) in pairs {
                    if let Some(c) = floor.get_mut(&cell) {
                        c.available -= units;
                        c.reserved += units;
                    }
                }
                for &(cell, units) in pairs {
                    if let Some(c) = floor.get_mut(&cell) {
                        c.reserved -= units;
                        c.shipped += units;
                    }
                }
            });
            start.elapsed()
        })
    });

    // The same sequence by the ledger's cell handles, resolved before timing as the floor's
    // keys are: a caller holds the handle of the cell it reserves from (a cart line), so
    // looking it up in a million-entry table is no part of the ledger's work.
    let handles: Vec<(CellId, u64)> = ops
        .iter()
        .map(|&(cell, units)| (cells[cell as usize], units))
        .collect();
    drop(cells);
    let mut next = 0usize;
    let mut key: u128 = 1;
    let mut sample = 0i64;
    let mut retention = Retention {
        samples: Default::default(),
    };
    // `haat`: a group's reservations in one `reserve_cells` call, then its commits in one
    // `commit_reservations` call; `haat_one_by_one`: one `reserve_cell` call each, then one
    // `execute` of a commit each.
    for batched in [true, false] {
        let name = if batched { "haat" } else { "haat_one_by_one" };
        let mut requests = Vec::with_capacity(RESERVE_GROUP);
        let mut commits = Vec::with_capacity(RESERVE_GROUP);
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                // Each sample is a second later than the last; holds last 15 minutes.
                sample += 1;
                let now = base() + chrono::Duration::seconds(sample);
                let expires_at = now + chrono::Duration::minutes(15);
                let mut stored = 0u64;
                let start = Instant::now();
                in_groups(&handles, &mut next, iters, |pairs| {
                    requests.clear();
                    for (j, &(cell, units)) in pairs.iter().enumerate() {
                        let reserve_key = key + 2 * j as u128;
                        let request = CellReservation {
                            cell,
                            quantity: units,
                            owner: ReservationOwner::Cart(reserve_key as u64),
                            expires_at,
                        };
                        requests.push((IdempotencyKey::new(reserve_key), request));
                    }
                    let placed = if batched {
                        ledger.reserve_cells(Actor::System, &requests, now)
                    } else {
                        requests
                            .iter()
                            .map(|&(k, request)| {
                                ledger.reserve_cell(Actor::System, k, request, now)
                            })
                            .collect()
                    };
                    commits.clear();
                    for (j, outcome) in placed.into_iter().enumerate() {
                        if let Ok(Outcome {
                            reservation: Some(reservation),
                            ..
                        }) = outcome
                        {
                            let commit_key = IdempotencyKey::new(key + 2 * j as u128 + 1);
                            commits.push((commit_key, reservation));
                        }
                    }
                    if batched {
                        black_box(ledger.commit_reservations(Actor::System, &commits, now));
                    } else {
                        for &(commit_key, reservation) in &commits {
                            let commit = Command::new(
                                Actor::System,
                                commit_key,
                                Operation::Commit { reservation },
                            );
                            let _ = black_box(ledger.execute(&commit, now));
                        }
                    }
                    key += 2 * pairs.len() as u128;
                    stored += pairs.len() as u64;
                    if stored >= STORE_EVENTS_EVERY {
                        ledger.forget_events_through(ledger.next_seq() - 1);
                        stored = 0;
                    }
                });
                let elapsed = start.elapsed();
                retention.after_sample(&mut ledger, now, iters);
                elapsed
            })
        });
    }

    if let Some(conn) = db.as_ref() {
        let mut next = 0usize;
        group.bench_function("sqlite", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                in_groups(&ops, &mut next, iters, |pairs| {
                    for &(cell, units) in pairs {
                        let _ = black_box(sqlite_op(conn, RESERVE_SQL, cell, units));
                    }
                    for &(cell, units) in pairs {
                        let _ = black_box(sqlite_op(conn, COMMIT_SQL, cell, units));
                    }
                });
                start.elapsed()
            })
        });
        let mut next = 0usize;
        let mut pair = 0u64;
        let at = base().timestamp_millis();
        group.bench_function("sqlite_ledger", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                in_groups(&ops, &mut next, iters, |pairs| {
                    for (j, &(cell, units)) in pairs.iter().enumerate() {
                        let _ = black_box(sqlite_ledger_reserve(
                            conn,
                            pair + 1 + j as u64,
                            cell,
                            units,
                            at,
                        ));
                    }
                    for (j, &(cell, units)) in pairs.iter().enumerate() {
                        let _ = black_box(sqlite_ledger_commit(
                            conn,
                            pair + 1 + j as u64,
                            cell,
                            units,
                            at,
                        ));
                    }
                    pair += pairs.len() as u64;
                });
                let elapsed = start.elapsed();
                // The same retention outside the timing: rows older than the last
                // 2^20 pairs go.
                if pair % (1 << 20) < iters {
                    let old = pair.saturating_sub(1 << 20) as i64;
                    let _ = conn.execute("DELETE FROM reservation WHERE id < ?1", [old]);
                    let _ = conn.execute("DELETE FROM movement WHERE reservation < ?1", [old]);
                    let _ = conn.execute("DELETE FROM idempotency WHERE outcome < ?1", [old]);
                }
                elapsed
            })
        });
    }
    group.finish();
}

/// Allocation over the West Bengal reference network (6 fulfilment centres, 69 metro hubs,
/// 25 last-mile hubs): 10,000 orders of 1–3 lines to PIN codes across the state (and a few
/// outside it), some sellers intra-state-only, half the orders allowing splits; 10,000 SKUs,
/// each stocked at one fulfilment centre and three metro hubs. Throughput counts order lines.
/// `allocate` reads stock through an `available_many` that finds a SKU's row once per run of
/// locations; `allocate_per_location` through the trait's default, one lookup per location;
/// `allocate_ledger` over a `StockLedger` holding the same stock.
/// Reservations placed before `inventory/expire_after_1m_reservations` runs.
const PLACED: usize = 1_000_000;

/// A ledger of 1,000 cells that has placed `PLACED` one-line reservations, each committed
/// but one in a thousand, which hold until a day later (events stored and forgotten).
fn ledger_after_reservations() -> StockLedger {
    let now = base();
    let mut ledger = StockLedger::new();
    for i in 0..1_000 {
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
    }
    let cells: Vec<CellId> = (0..1_000)
        .map(|i| ledger.cell(&cell_key(i)).unwrap_or_else(|| unreachable!()))
        .collect();
    let mut key = 0u128;
    for chunk in 0..PLACED / 1_000 {
        let requests: Vec<(IdempotencyKey, CellReservation)> = (0..1_000)
            .map(|i| {
                key += 1;
                let hold = if i == chunk % 1_000 { 24 * 60 } else { 15 };
                (
                    IdempotencyKey::new(key),
                    CellReservation {
                        cell: cells[i],
                        quantity: 1,
                        owner: ReservationOwner::Cart(key as u64),
                        expires_at: now + chrono::Duration::minutes(hold),
                    },
                )
            })
            .collect();
        let placed = ledger.reserve_cells(Actor::System, &requests, now);
        let commits: Vec<_> = placed
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != chunk % 1_000)
            .filter_map(|(_, o)| o.as_ref().ok()?.reservation)
            .map(|r| {
                key += 1;
                (IdempotencyKey::new(key), r)
            })
            .collect();
        let _ = ledger.commit_reservations(Actor::System, &commits, now);
        ledger.forget_events_through(ledger.next_seq() - 1);
    }
    ledger
}

fn expire(c: &mut Criterion) {
    let mut group = c.benchmark_group("inventory");
    group.throughput(Throughput::Elements(1));
    let mut ledger: Option<StockLedger> = None;
    let mut key = 1u128 << 100;
    group.bench_function("expire_after_1m_reservations", |b| {
        let ledger = ledger.get_or_insert_with(ledger_after_reservations);
        // An hour later: every hold placed for 15 minutes has been committed, the day-long
        // ones still hold.
        let now = base() + chrono::Duration::hours(1);
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                key += 1;
                let command =
                    Command::new(Actor::System, IdempotencyKey::new(key), Operation::Expire);
                black_box(ledger.execute(black_box(&command), now).ok());
            }
            let elapsed = start.elapsed();
            ledger.forget_events_through(ledger.next_seq() - 1);
            elapsed
        });
    });
    group.finish();
}

fn allocate(c: &mut Criterion) {
    let Ok(network) = Network::west_bengal_reference() else {
        return;
    };
    let allocator = Allocator::new(&network);
    let mut random = SplitMix(0x5eed_0ffe);
    let stock_holding: Vec<LocationId> = network
        .locations()
        .filter(|l| l.holds_stock())
        .map(|l| l.id())
        .collect();
    let centres: Vec<LocationId> = network
        .locations()
        .filter(|l| l.area_sq_ft() > 0)
        .map(|l| l.id())
        .collect();
    let metros: Vec<LocationId> = stock_holding
        .iter()
        .copied()
        .filter(|id| !centres.contains(id))
        .collect();

    const SELLERS: u64 = 1_000;
    const SKUS_PER_SELLER: u64 = 10;
    let mut stock = DenseStock::new(&stock_holding);
    let mut receipts: HashMap<StockKey, u64> = HashMap::new();
    let mut skus = Vec::new();
    for seller in 1..=SELLERS {
        for n in 0..SKUS_PER_SELLER {
            let Ok(sku) = format!("SKU-{seller}-{n}").parse::<Sku>() else {
                continue;
            };
            let seller = SellerId::new(seller);
            let centre = centres[random.below(centres.len())];
            let units = 50 + random.next() % 150;
            stock.set(seller, &sku, centre, units);
            receipts.insert(StockKey::new(seller, sku.clone(), centre), units);
            for _ in 0..3 {
                let metro = metros[random.below(metros.len())];
                let units = random.next() % 20;
                stock.set(seller, &sku, metro, units);
                receipts.insert(StockKey::new(seller, sku.clone(), metro), units);
            }
            skus.push((seller, sku));
        }
    }

    let bengal = PinDirectory::india().pin_codes_of_state(StateCode::WEST_BENGAL);
    let elsewhere: Vec<PinCode> = ["110001", "400001", "751001", "560001"]
        .iter()
        .filter_map(|p| p.parse().ok())
        .collect();
    let mut requests = Vec::new();
    let mut lines = 0u64;
    for order in 0..10_000u64 {
        let destination = if random.next().is_multiple_of(20) {
            elsewhere[random.below(elsewhere.len())]
        } else {
            bengal[random.below(bengal.len())]
        };
        let split = if order % 2 == 0 {
            SplitPolicy::Never
        } else {
            SplitPolicy::AcrossLocations
        };
        let mut request = AllocationRequest::new(destination).split(split);
        for _ in 0..1 + random.below(3) {
            let (seller, sku) = &skus[random.below(skus.len())];
            request = request.line(*seller, sku.clone(), 1 + random.next() % 3);
            if seller.get() % 20 == 0 {
                request = request.constrain(
                    *seller,
                    SellerConstraint::IntraStateOnly {
                        state: StateCode::WEST_BENGAL,
                    },
                );
            }
            lines += 1;
        }
        requests.push(request);
    }

    let now = DateTime::<Utc>::UNIX_EPOCH;
    let mut group = c.benchmark_group("inventory");
    group.throughput(Throughput::Elements(lines));
    group.bench_function("allocate", |b| {
        let mut out = Allocation::default();
        b.iter(|| {
            let mut shipped = 0u64;
            for request in &requests {
                allocator.allocate_into(&stock, black_box(request), now, &mut out);
                shipped += out.shipments().len() as u64;
            }
            shipped
        })
    });
    // The same orders through the trait's default `available_many`: one lookup per location.
    let per_location = PerLocation(&stock);
    group.bench_function("allocate_per_location", |b| {
        let mut out = Allocation::default();
        b.iter(|| {
            let mut shipped = 0u64;
            for request in &requests {
                allocator.allocate_into(&per_location, black_box(request), now, &mut out);
                shipped += out.shipments().len() as u64;
            }
            shipped
        })
    });
    // The same orders over a `StockLedger` holding the same stock (it answers per location).
    let mut ledger = StockLedger::new();
    let mut idempotency = 0u128;
    let mut cells: Vec<(StockKey, u64)> = receipts.into_iter().filter(|(_, u)| *u > 0).collect();
    cells.sort_unstable();
    for (key, units) in cells {
        let purchase_order = String::from("PO-1");
        for operation in [
            Operation::ExpectInbound {
                key: key.clone(),
                quantity: units,
                purchase_order: purchase_order.clone(),
            },
            Operation::ReceiveInbound {
                key,
                purchase_order,
                good: units,
                damaged: 0,
                into: Receipt::Available,
            },
        ] {
            idempotency += 1;
            let command = Command::new(Actor::System, IdempotencyKey::new(idempotency), operation);
            if ledger.execute(&command, now).is_err() {
                return;
            }
        }
    }
    group.bench_function("allocate_ledger", |b| {
        let mut out = Allocation::default();
        b.iter(|| {
            let mut shipped = 0u64;
            for request in &requests {
                allocator.allocate_into(&ledger, black_box(request), now, &mut out);
                shipped += out.shipments().len() as u64;
            }
            shipped
        })
    });
    group.finish();
}

/// Stock answered one location at a time (the trait's default `available_many`).
struct PerLocation<'a>(&'a DenseStock);

impl AvailableStock for PerLocation<'_> {
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        now: DateTime<Utc>,
    ) -> u64 {
        self.0.available(seller, sku, location, now)
    }
}

/// Stock for the allocation bench: per (seller, SKU), one row of units per stock-holding
/// location, found with one hash lookup per run of locations.
struct DenseStock {
    /// Seller id → (SKU → row).
    rows: Vec<HashMap<Sku, usize>>,
    units: Vec<u64>,
    /// Location id → column.
    columns: Vec<usize>,
    width: usize,
}

impl DenseStock {
    fn new(locations: &[LocationId]) -> Self {
        let max = locations
            .iter()
            .map(|l| l.get() as usize)
            .max()
            .unwrap_or(0);
        let mut columns = vec![usize::MAX; max + 1];
        for (column, location) in locations.iter().enumerate() {
            columns[location.get() as usize] = column;
        }
        Self {
            rows: Vec::new(),
            units: Vec::new(),
            columns,
            width: locations.len(),
        }
    }

    fn set(&mut self, seller: SellerId, sku: &Sku, location: LocationId, units: u64) {
        let seller = seller.get() as usize;
        if self.rows.len() <= seller {
            self.rows.resize_with(seller + 1, HashMap::new);
        }
        let next = self.units.len() / self.width;
        let row = *self.rows[seller].entry(sku.clone()).or_insert(next);
        if row == next {
            self.units.resize(self.units.len() + self.width, 0);
        }
        let column = self.columns[location.get() as usize];
        self.units[row * self.width + column] = units;
    }

    fn row(&self, seller: SellerId, sku: &Sku) -> Option<&[u64]> {
        let row = *self.rows.get(seller.get() as usize)?.get(sku)?;
        self.units.get(row * self.width..(row + 1) * self.width)
    }

    fn column(&self, location: LocationId) -> Option<usize> {
        self.columns
            .get(location.get() as usize)
            .copied()
            .filter(|&c| c != usize::MAX)
    }
}

impl AvailableStock for DenseStock {
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        _: DateTime<Utc>,
    ) -> u64 {
        match (self.row(seller, sku), self.column(location)) {
            (Some(row), Some(column)) => row[column],
            _ => 0,
        }
    }

    fn available_many(
        &self,
        seller: SellerId,
        sku: &Sku,
        locations: &[LocationId],
        _: DateTime<Utc>,
        out: &mut [u64],
    ) {
        let row = self.row(seller, sku);
        for (slot, &location) in out.iter_mut().zip(locations) {
            *slot = match (row, self.column(location)) {
                (Some(row), Some(column)) => row[column],
                _ => 0,
            };
        }
    }
}

/// SplitMix64: a fixed-seed generator, so every run benchmarks the same orders.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
