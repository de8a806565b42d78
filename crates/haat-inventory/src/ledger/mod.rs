//! The stock ledger: levels per cell, kept as a fold of movements.
//!
//! Layout, for the hot path: every (seller, SKU, location) key is interned once to a dense cell
//! number; a cell's hot counters fill one cache line in a flat `Vec` (the other buckets in a
//! second one); the journal is a `Vec` of compact entries, each pointing at its operation's
//! meta, turned into serde [`LedgerEvent`]s only when a caller reads them; idempotency keys are
//! 128-bit numbers in an open-addressing table with a multiply-rotate hasher, except a
//! commit's, kept on its reservation. Reservation holds are slots in a `Vec`, linked per cell
//! (to find expired holds when a cell runs short) and per reservation.

mod checkout;
mod expiry;
mod fingerprint;
mod idempotency;
mod movement;
mod operation;
mod ring;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use haat_core::{Actor, LocationId, OrderId, SellerId, Sku};

use crate::{
    AvailableStock, Bucket, CellId, Error, Quantities, Reservation, ReservationId,
    ReservationOwner, ReservationStatus, StockKey, StockSignal,
};
use haat_core::FastHashMap;

use checkout::OneLine;

pub use movement::{
    IdempotencyKey, InvalidIdempotencyKey, LedgerEvent, Movement, MovementReason, Outcome,
    Reference,
};
pub use operation::{AdjustmentReason, Command, Operation, Receipt, ReserveLine, ReturnCondition};

pub(crate) use fingerprint::{Fingerprint, fingerprint, route};
pub(crate) use plan::{check_expiry, demand, unstocked};

const NIL: u32 = u32::MAX;
const NO_EXPIRY: i64 = i64::MAX;

fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The buckets kept in a cell's hot line: available, reserved and shipped (the `Bucket`
/// numbers 0–2), the ones a reservation and its commit move units between.
const HOT: usize = 3;

/// One cell's hot part: everything a reservation and its commit read or write — the
/// available, reserved and shipped counts, the reorder point, the earliest expiry and the
/// first hold — in one 64-byte cache line. The other six buckets live in `StockLedger::cold`:
/// with them inline a cell took two lines (128 bytes), so a million cells spread over twice
/// the memory, and a random cell cost more TLB misses and page walks.
#[derive(Clone, Debug, PartialEq, Eq)]
#[repr(C, align(64))]
struct Cell {
    hot: [u64; HOT],
    reorder_point: u64,
    /// No hold linked to this cell expires before this instant (a lower bound: may be stale).
    next_expiry: i64,
    /// First hold linked to this cell, or `NIL`.
    head: u32,
}

impl Cell {
    fn new() -> Self {
        Cell {
            hot: [0; HOT],
            reorder_point: 0,
            next_expiry: NO_EXPIRY,
            head: NIL,
        }
    }

    #[inline]
    fn available(&self) -> u64 {
        self.hot[Bucket::Available as usize]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hold {
    cell: u32,
    /// Links in the cell's list of holds (only while the hold holds stock).
    prev: u32,
    next: u32,
    /// Next line of the same reservation (or the next free slot).
    res_next: u32,
    linked: bool,
    qty: u64,
    expires_at: i64,
    /// The reservation the hold is a line of.
    res: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Res {
    owner: ReservationOwner,
    expires_at: i64,
    status: ReservationStatus,
    first_hold: u32,
    closed_at: i64,
    /// The commit's idempotency memory, kept on the reservation it committed rather than in
    /// the ledger-wide table: a retried commit reads the reservation anyway, so its retry is
    /// recognised without a second random probe of the table (see docs/DESIGN.md).
    commit: CommitMemo,
}

/// What a commit's idempotency key answers with; `first_seq == 0`: not committed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CommitMemo {
    key: u128,
    fingerprint: u64,
    first_seq: u64,
    events: u32,
}

const NO_COMMIT: CommitMemo = CommitMemo {
    key: 0,
    fingerprint: 0,
    first_seq: 0,
    events: 0,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Meta {
    at: i64,
    actor: Actor,
    key: u128,
}

/// The meta position of a `CellOpened` entry.
const CELL_META_AT: u32 = u32::MAX;

const CELL_META: Meta = Meta {
    at: 0,
    actor: Actor::System,
    key: 0,
};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Ref {
    PurchaseOrder(Arc<str>),
    Reservation(u64),
    Order(OrderId),
    Transfer(u64),
    Count(u64),
    None,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    Open(StockKey),
    Move {
        cell: u32,
        from: Option<Bucket>,
        to: Option<Bucket>,
        qty: u64,
        reason: MovementReason,
        reference: Ref,
    },
    Placed {
        id: u64,
        owner: ReservationOwner,
        expires_at: i64,
    },
    ReorderPoint {
        cell: u32,
        value: u64,
    },
    Recorded {
        fingerprint: u64,
        outcome: Outcome,
    },
}

/// Levels per key: what [`StockLedger::rebuild`] folds movements into, and what
/// [`StockLedger::reconcile`] compares with. Keys whose buckets are all zero are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels(BTreeMap<StockKey, Quantities>);

impl Levels {
    /// The quantities of `key` (zero if absent).
    pub fn get(&self, key: &StockKey) -> Quantities {
        self.0.get(key).copied().unwrap_or_default()
    }

    /// Set the quantities of `key` (as a cache outside the ledger would hold them).
    pub fn set(&mut self, key: StockKey, quantities: Quantities) {
        if quantities.is_empty() {
            self.0.remove(&key);
        } else {
            self.0.insert(key, quantities);
        }
    }

    /// Set one bucket of `key`.
    pub fn set_bucket(&mut self, key: StockKey, bucket: Bucket, units: u64) {
        let mut q = self.get(&key);
        q.buckets[bucket as usize] = units;
        self.set(key, q);
    }

    /// Every key with stock, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&StockKey, &Quantities)> {
        self.0.iter()
    }

    /// How many keys have stock.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no key has stock.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The sum of every key's quantities, bucket by bucket (saturating).
    pub fn total(&self) -> Quantities {
        let mut total = Quantities::default();
        for q in self.0.values() {
            for (t, n) in total.buckets.iter_mut().zip(q.buckets) {
                *t = t.saturating_add(n);
            }
        }
        total
    }

    fn apply(&mut self, m: &Movement) {
        let q = self.0.entry(m.key.clone()).or_default();
        if let Some(b) = m.from {
            q.buckets[b as usize] = q.buckets[b as usize].saturating_sub(m.quantity);
        }
        if let Some(b) = m.to {
            q.buckets[b as usize] = q.buckets[b as usize].saturating_add(m.quantity);
        }
        if q.is_empty() {
            self.0.remove(&m.key);
        }
    }
}

/// A difference between the ledger and another account of the same stock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discrepancy {
    /// Whose stock, where.
    pub key: StockKey,
    /// Which bucket.
    pub bucket: Bucket,
    /// The ledger's figure.
    pub ledger: u64,
    /// The other account's figure.
    pub other: u64,
}

/// A single-line reservation by cell handle: the hot path of checkout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellReservation {
    /// The cell (from [`StockLedger::cell`]).
    pub cell: CellId,
    /// Units wanted.
    pub quantity: u64,
    /// Whom the hold is for.
    pub owner: ReservationOwner,
    /// When the hold lapses.
    pub expires_at: DateTime<Utc>,
}

/// How many requests [`StockLedger::reserve_cells`] reads ahead: two random reads each, 32
/// in flight, about what one core's memory system keeps going at once.
pub const RESERVE_GROUP: usize = 16;

/// The stock of every (seller, SKU, location) cell, and the ledger of movements that made it.
///
/// The ledger is a decider: [`decide`](Self::decide) answers a [`Command`] with the events it
/// would write (or a typed error, writing nothing), [`apply`](Self::apply) folds an event in,
/// and [`replay`](Self::replay) of its events gives an equal ledger. [`execute`](Self::execute)
/// does both at once without building the serde events (the hot path); the events can be read
/// afterwards with [`events`](Self::events).
///
/// ```
/// use chrono::{DateTime, Duration};
/// use haat_core::{Actor, LocationId, OrderId, SellerId};
/// use haat_inventory::{
///     Command, IdempotencyKey, Operation, Receipt, ReservationOwner, ReserveLine, StockKey,
///     StockLedger,
/// };
///
/// let now = DateTime::UNIX_EPOCH;
/// let seller = Actor::Seller(SellerId::new(1));
/// let key = StockKey::new(SellerId::new(1), "TANT-01".parse()?, LocationId::new(7));
/// let mut ledger = StockLedger::new();
/// let po = "PO-17".to_string();
/// ledger.execute(&Command::new(seller, IdempotencyKey::new(1), Operation::ExpectInbound {
///     key: key.clone(), quantity: 10, purchase_order: po.clone() }), now)?;
/// ledger.execute(&Command::new(seller, IdempotencyKey::new(2), Operation::ReceiveInbound {
///     key: key.clone(), purchase_order: po, good: 10, damaged: 0, into: Receipt::Available }), now)?;
/// let reserve = Command::new(Actor::System, IdempotencyKey::new(3), Operation::Reserve {
///     owner: ReservationOwner::Order(OrderId::new(5)),
///     expires_at: now + Duration::minutes(15),
///     lines: vec![ReserveLine { key: key.clone(), quantity: 3 }],
/// });
/// let placed = ledger.execute(&reserve, now)?;
/// assert_eq!(ledger.quantities(&key).reserved(), 3);
/// // A retry answers with the first outcome and moves nothing.
/// assert_eq!(ledger.execute(&reserve, now)?.reservation, placed.reservation);
/// assert_eq!(ledger.quantities(&key).reserved(), 3);
/// // After the expiry the hold no longer counts, with no sweeper.
/// let later = now + Duration::minutes(20);
/// assert_eq!(ledger.available(key.seller(), key.sku(), key.location(), later), 10);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StockLedger {
    cells: Vec<Cell>,
    /// The buckets of each cell not in its hot line (`Bucket` numbers `HOT..`).
    cold: Vec<[u64; 9 - HOT]>,
    keys: Vec<StockKey>,
    index: FastHashMap<StockKey, u32>,
    /// Every location's cell of a (seller, SKU), sorted by location: allocation asks for a run
    /// of locations at once.
    by_sku: FastHashMap<(SellerId, Sku), Vec<(LocationId, u32)>>,
    holds: Vec<Hold>,
    free_holds: Vec<u32>,
    reservations: ring::Ring<Res>,
    /// The open reservations by expiry, for `Expire` (`expiry.rs`).
    expiries: expiry::ExpiryIndex,
    /// The id of `reservations[0]` (ids start at 1).
    reservation_base: u64,
    /// The transfers in transit, by seller, SKU and transfer id: their destination cell and
    /// units. A transfer id is the seller's own number for a SKU's transfer, so two sellers'
    /// transfer 555 never meet.
    transfers: FastHashMap<(SellerId, Sku, u64), (u32, u64)>,
    remembered: idempotency::Table,
    /// Each entry with the position of its operation's `Meta` in `metas` (`CELL_META_AT`: a
    /// cell opening, which has no operation's meta). The meta — instant, actor and key, 48
    /// bytes — is stored once per operation rather than once per entry: a reservation and its
    /// commit write five entries and two metas, not five of each.
    journal: Vec<(u32, Entry)>,
    /// The metas of the operations with entries in `journal`, in order.
    metas: Vec<Meta>,
    /// The sequence number of `journal[0]` (sequence numbers start at 1).
    journal_base: u64,
    signals: Vec<StockSignal>,
    scratch: Vec<Entry>,
}

impl StockLedger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty ledger with room for `cells` keys and `events` journal entries.
    pub fn with_capacity(cells: usize, events: usize) -> Self {
        let mut ledger = Self::default();
        ledger.cells.reserve(cells);
        ledger.cold.reserve(cells);
        ledger.keys.reserve(cells);
        ledger.index.reserve(cells);
        ledger.journal.reserve(events);
        ledger
    }

    /// A ledger rebuilt from its events: equal to the ledger that wrote them.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a LedgerEvent>) -> Self {
        let mut ledger = Self::new();
        for event in events {
            ledger.apply(event);
        }
        ledger
    }

    // ---- reading -------------------------------------------------------------------------

    /// The handle of `key`'s cell, if the ledger has seen the key.
    pub fn cell(&self, key: &StockKey) -> Option<CellId> {
        self.index.get(key).map(|&i| CellId(i))
    }

    /// The key of a cell.
    pub fn key_of(&self, cell: CellId) -> Option<&StockKey> {
        self.keys.get(cell.index())
    }

    /// How many cells the ledger has.
    pub fn cell_count(&self) -> usize {
        self.cells.len()
    }

    /// The quantities of `key` as recorded (all zero for a key never seen). Holds past their
    /// expiry still count as reserved here until released; see [`available`](Self::available).
    pub fn quantities(&self, key: &StockKey) -> Quantities {
        self.cell(key)
            .map(|c| self.quantities_of(c.0))
            .unwrap_or_default()
    }

    /// The quantities of a cell.
    pub fn cell_quantities(&self, cell: CellId) -> Quantities {
        if cell.index() < self.cells.len() {
            self.quantities_of(cell.0)
        } else {
            Quantities::default()
        }
    }

    /// Units of `seller`'s `sku` at `location` free to promise at `now`: available plus the
    /// holds that have expired by `now` (expiry needs no sweeper).
    pub fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        now: DateTime<Utc>,
    ) -> u64 {
        match self.cell(&StockKey::new(seller, sku.clone(), location)) {
            Some(c) => self.available_cell(c.0, millis(now)),
            None => 0,
        }
    }

    /// [`available`](Self::available) by cell handle.
    pub fn cell_available(&self, cell: CellId, now: DateTime<Utc>) -> u64 {
        if cell.index() < self.cells.len() {
            self.available_cell(cell.0, millis(now))
        } else {
            0
        }
    }

    fn available_cell(&self, c: u32, now: i64) -> u64 {
        let cell = &self.cells[c as usize];
        let mut units = cell.available();
        if now >= cell.next_expiry {
            let mut h = cell.head;
            while h != NIL {
                let hold = &self.holds[h as usize];
                if hold.expires_at <= now {
                    units = units.saturating_add(hold.qty);
                }
                h = hold.next;
            }
        }
        units
    }

    /// Whether `seller`'s transfer `transfer` of `sku` is in transit to a cell of this ledger.
    pub fn has_transfer(&self, seller: SellerId, sku: &Sku, transfer: u64) -> bool {
        self.transfers
            .contains_key(&(seller, sku.clone(), transfer))
    }

    /// The reorder point of `key` (0 if never set).
    pub fn reorder_point(&self, key: &StockKey) -> u64 {
        self.cell(key)
            .map(|c| self.cells[c.index()].reorder_point)
            .unwrap_or(0)
    }

    /// A reservation, while the ledger remembers it.
    pub fn reservation(&self, id: ReservationId) -> Option<Reservation> {
        let res = self.res(id.get())?;
        let mut lines = Vec::new();
        let mut h = res.first_hold;
        while h != NIL {
            let hold = &self.holds[h as usize];
            lines.push((self.keys[hold.cell as usize].clone(), hold.qty));
            h = hold.res_next;
        }
        lines.reverse();
        Some(Reservation {
            id,
            owner: res.owner,
            expires_at: instant(res.expires_at),
            status: res.status,
            lines,
        })
    }

    fn res(&self, id: u64) -> Option<&Res> {
        let i = id.checked_sub(self.reservation_base)?;
        self.reservations.get(usize::try_from(i).ok()?)
    }

    fn res_mut(&mut self, id: u64) -> Option<&mut Res> {
        let i = id.checked_sub(self.reservation_base)?;
        self.reservations.get_mut(usize::try_from(i).ok()?)
    }

    fn next_reservation_id(&self) -> u64 {
        self.reservation_base.max(1) + self.reservations.len() as u64
    }

    /// The live levels of every key with stock.
    pub fn levels(&self) -> Levels {
        let mut levels = Levels::default();
        for (c, key) in self.keys.iter().enumerate() {
            levels.set(key.clone(), self.quantities_of(c as u32));
        }
        levels
    }

    /// Levels folded from movements alone: for the movements of a ledger, equal to its
    /// [`levels`](Self::levels).
    pub fn rebuild<'a>(movements: impl IntoIterator<Item = &'a Movement>) -> Levels {
        let mut levels = Levels::default();
        for m in movements {
            levels.apply(m);
        }
        levels
    }

    /// Every bucket where `other` (a cache's counters, a warehouse system's figures) differs
    /// from the ledger, in key and bucket order.
    pub fn reconcile(&self, other: &Levels) -> Vec<Discrepancy> {
        let mine = self.levels();
        let mut keys: Vec<&StockKey> = mine.0.keys().chain(other.0.keys()).collect();
        keys.sort();
        keys.dedup();
        let mut found = Vec::new();
        for key in keys {
            let (a, b) = (mine.get(key), other.get(key));
            for bucket in Bucket::ALL {
                if a.get(bucket) != b.get(bucket) {
                    found.push(Discrepancy {
                        key: key.clone(),
                        bucket,
                        ledger: a.get(bucket),
                        other: b.get(bucket),
                    });
                }
            }
        }
        found
    }

    /// The sequence number the next event will get.
    pub fn next_seq(&self) -> u64 {
        self.journal_base.max(1) + self.journal.len() as u64
    }

    /// The retained events, oldest first.
    pub fn events(&self) -> impl Iterator<Item = LedgerEvent> + '_ {
        self.events_since(0)
    }

    /// The retained events with sequence number at least `seq`.
    pub fn events_since(&self, seq: u64) -> impl Iterator<Item = LedgerEvent> + '_ {
        let base = self.journal_base.max(1);
        let skip = usize::try_from(seq.saturating_sub(base)).unwrap_or(usize::MAX);
        self.journal
            .iter()
            .enumerate()
            .skip(skip)
            .map(move |(i, (m, entry))| {
                self.materialize(base + i as u64, self.meta_at(*m), entry, &[])
            })
    }

    /// The retained movements, oldest first.
    pub fn movements(&self) -> impl Iterator<Item = Movement> + '_ {
        self.events().filter_map(|e| match e {
            LedgerEvent::Moved(m) => Some(m),
            _ => None,
        })
    }

    /// Drop retained events up to and including `seq` (once a service has stored them).
    pub fn forget_events_through(&mut self, seq: u64) {
        let base = self.journal_base.max(1);
        let n = usize::try_from((seq + 1).saturating_sub(base))
            .unwrap_or(usize::MAX)
            .min(self.journal.len());
        self.journal.drain(..n);
        self.journal_base = base + n as u64;
        // Drop the metas no retained entry refers to, and renumber the rest.
        let first = self
            .journal
            .iter()
            .map(|&(m, _)| m)
            .find(|&m| m != CELL_META_AT)
            .map_or(self.metas.len(), |m| m as usize);
        if first > 0 {
            self.metas.drain(..first);
            for (m, _) in &mut self.journal {
                if *m != CELL_META_AT {
                    *m -= first as u32;
                }
            }
        }
    }

    /// Forget idempotency keys recorded before `before` and settled reservations (closed, or
    /// committed, before `before`) from the front of the reservation list: a service's
    /// retention window. A retry older than the window is treated as new; a forgotten
    /// reservation can no longer be cancelled.
    pub fn forget_settled_before(&mut self, before: DateTime<Utc>) {
        let cutoff = millis(before);
        self.remembered.retain(|memo| memo.at >= cutoff);
        while let Some(front) = self.reservations.front() {
            if front.status == ReservationStatus::Active || front.closed_at >= cutoff {
                break;
            }
            let mut h = front.first_hold;
            while h != NIL {
                let next = self.holds[h as usize].res_next;
                self.free_holds.push(h);
                h = next;
            }
            self.reservations.pop_front();
            self.reservation_base = self.reservation_base.max(1) + 1;
        }
    }

    /// The stock signals derived so far.
    pub fn signals(&self) -> &[StockSignal] {
        &self.signals
    }

    /// Take the stock signals derived so far, leaving none.
    pub fn take_signals(&mut self) -> Vec<StockSignal> {
        std::mem::take(&mut self.signals)
    }

    // ---- deciding and applying -----------------------------------------------------------

    /// The events `command` would write at `now`, or why it is refused. Pure: the ledger is
    /// not changed. A retry of a recorded operation decides to write nothing.
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute).
    pub fn decide(&self, command: &Command, now: DateTime<Utc>) -> Result<Vec<LedgerEvent>, Error> {
        let fp = fingerprint::fingerprint(command);
        if self.recall_command(command, fp)?.is_ok() {
            return Ok(Vec::new());
        }
        let mut plan = Vec::new();
        let reservation =
            self.plan(command.actor(), command.operation(), millis(now), &mut plan)?;
        let meta = Meta {
            at: millis(now),
            actor: command.actor(),
            key: command.idempotency_key().get(),
        };
        let first = self.next_seq();
        plan.push(Entry::Recorded {
            fingerprint: fp,
            outcome: Outcome {
                first_seq: first,
                events: plan.len() as u32 + 1,
                reservation: reservation.map(ReservationId::new),
                replayed: false,
            },
        });
        let pending: Vec<StockKey> = plan
            .iter()
            .filter_map(|e| match e {
                Entry::Open(k) => Some(k.clone()),
                _ => None,
            })
            .collect();
        Ok(plan
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let m = if matches!(entry, Entry::Open(_)) {
                    &CELL_META
                } else {
                    &meta
                };
                self.materialize(first + i as u64, m, entry, &pending)
            })
            .collect())
    }

    /// Fold one event into the ledger. Infallible: an event is a fact.
    pub fn apply(&mut self, event: &LedgerEvent) {
        let (meta, entry) = match event {
            LedgerEvent::CellOpened { key, .. } => (CELL_META, Entry::Open(key.clone())),
            LedgerEvent::Moved(m) => {
                let cell = self.cell_or_open(&m.key);
                (
                    Meta {
                        at: millis(m.at),
                        actor: m.actor,
                        key: m.idempotency_key.get(),
                    },
                    Entry::Move {
                        cell,
                        from: m.from,
                        to: m.to,
                        qty: m.quantity,
                        reason: m.reason,
                        reference: match &m.reference {
                            Reference::PurchaseOrder(po) => {
                                Ref::PurchaseOrder(Arc::from(po.as_str()))
                            }
                            Reference::Reservation(r) => Ref::Reservation(r.get()),
                            Reference::Order(o) => Ref::Order(*o),
                            Reference::Transfer(t) => Ref::Transfer(*t),
                            Reference::Count(c) => Ref::Count(*c),
                            Reference::None => Ref::None,
                        },
                    },
                )
            }
            LedgerEvent::ReservationPlaced {
                at,
                actor,
                idempotency_key,
                reservation,
                owner,
                expires_at,
                ..
            } => (
                Meta {
                    at: millis(*at),
                    actor: *actor,
                    key: idempotency_key.get(),
                },
                Entry::Placed {
                    id: reservation.get(),
                    owner: *owner,
                    expires_at: millis(*expires_at),
                },
            ),
            LedgerEvent::ReorderPointSet {
                at,
                actor,
                idempotency_key,
                key,
                reorder_point,
                ..
            } => {
                let cell = self.cell_or_open(key);
                (
                    Meta {
                        at: millis(*at),
                        actor: *actor,
                        key: idempotency_key.get(),
                    },
                    Entry::ReorderPoint {
                        cell,
                        value: *reorder_point,
                    },
                )
            }
            LedgerEvent::OperationRecorded {
                at,
                actor,
                idempotency_key,
                fingerprint,
                outcome,
                ..
            } => (
                Meta {
                    at: millis(*at),
                    actor: *actor,
                    key: idempotency_key.get(),
                },
                Entry::Recorded {
                    fingerprint: *fingerprint,
                    outcome: *outcome,
                },
            ),
        };
        if self.journal.is_empty() && self.journal_base == 0 {
            self.journal_base = event.seq().max(1);
        }
        self.apply_entry(meta, entry);
    }

    fn cell_or_open(&mut self, key: &StockKey) -> u32 {
        match self.index.get(key) {
            Some(&c) => c,
            None => {
                let c = self.cells.len() as u32;
                self.apply_entry(CELL_META, Entry::Open(key.clone()));
                c
            }
        }
    }

    /// Carry out `command` at `now`: check it, write its events and apply them, and answer
    /// with its outcome. A retry with the same idempotency key and payload answers with the
    /// first outcome (`replayed: true`) and writes nothing.
    ///
    /// # Errors
    ///
    /// `Forbidden` (a seller on another seller's stock, decided before any other rule),
    /// `MarketplaceOnly` (a seller recording a return), `InsufficientStock` (a bucket would
    /// go below zero), `StaleCount`, `IdempotencyConflict` (the key was used for another
    /// payload), `UnknownReservation`, `ReservationExpired`, `ReservationClosed`,
    /// `ZeroQuantity`, `EmptyReservation`, `ExpiryInPast`, `TransferToSelf`,
    /// `UnknownTransfer`, `DuplicateTransfer`, `Overflow`. On an error nothing is written.
    pub fn execute(&mut self, command: &Command, now: DateTime<Utc>) -> Result<Outcome, Error> {
        let fp = fingerprint::fingerprint(command);
        let key = command.idempotency_key().get();
        let hint = match self.recall_command(command, fp)? {
            Ok(outcome) => return Ok(outcome),
            Err(hint) => hint,
        };
        let at = millis(now);
        let meta = Meta {
            at,
            actor: command.actor(),
            key,
        };
        // Checkout's two operations, when they need nothing the planner alone knows how to
        // do, are applied directly (see `checkout.rs`).
        match command.operation() {
            Operation::Commit { reservation } => {
                if let Some(outcome) = self.commit_one(meta, fp, reservation.get()) {
                    return Ok(outcome);
                }
            }
            Operation::Reserve {
                owner,
                expires_at,
                lines,
            } => {
                if let [line] = lines.as_slice()
                    && let Some(&cell) = self.index.get(&line.key)
                {
                    let one = OneLine {
                        cell,
                        qty: line.quantity,
                        owner: *owner,
                        expires_at: millis(*expires_at),
                    };
                    if self.can_place_one(&meta, &one) {
                        return Ok(self.place_one(meta, fp, hint, one));
                    }
                }
            }
            _ => {}
        }
        let mut plan = std::mem::take(&mut self.scratch);
        plan.clear();
        let result = self.plan(command.actor(), command.operation(), at, &mut plan);
        let outcome =
            result.map(|reservation| self.commit_plan(meta, &mut plan, fp, reservation, hint));
        plan.clear();
        self.scratch = plan;
        outcome
    }

    /// Reserve units of one cell by handle: the same as a one-line
    /// [`Operation::Reserve`], without hashing a key. A retry must use this method again
    /// (its fingerprint is its own).
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute); `UnknownCell` for a handle this ledger did not issue.
    pub fn reserve_cell(
        &mut self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        request: CellReservation,
        now: DateTime<Utc>,
    ) -> Result<Outcome, Error> {
        let expires_at = millis(request.expires_at);
        self.reserve_cell_at(actor, idempotency_key, request, millis(now), expires_at)
    }

    /// [`reserve_cell`](Self::reserve_cell) with `now` and the request's expiry in
    /// milliseconds, worked out already.
    fn reserve_cell_at(
        &mut self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        request: CellReservation,
        at: i64,
        expires_at: i64,
    ) -> Result<Outcome, Error> {
        let key = idempotency_key.get();
        // Read the key's slot and the cell first: both are random reads of large arrays,
        // independent of each other, so issued back to back their cache misses overlap
        // instead of following one another. (`black_box` keeps the reads here; the values
        // are read again below, by then from cache.)
        let home = self.remembered.touch(key);
        if let Some(cell) = self.cells.get(request.cell.index()) {
            std::hint::black_box(cell.available());
        }
        let fp = fingerprint::fingerprint_cell(actor, &request, expires_at);
        let hint = match self.answer(key, fp, self.remembered.probe_from(key, home))? {
            Ok(outcome) => return Ok(outcome),
            Err(hint) => hint,
        };
        let c = request.cell.0;
        if c as usize >= self.cells.len() {
            return Err(Error::UnknownCell {
                index: request.cell.index(),
            });
        }
        let meta = Meta { at, actor, key };
        let one = OneLine {
            cell: c,
            qty: request.quantity,
            owner: request.owner,
            expires_at,
        };
        if self.can_place_one(&meta, &one) {
            return Ok(self.place_one(meta, fp, hint, one));
        }
        let mut plan = std::mem::take(&mut self.scratch);
        plan.clear();
        let result = self.plan_reserve(
            actor,
            request.owner,
            expires_at,
            at,
            &mut [(c, request.quantity)],
            &mut plan,
        );
        let outcome = result
            .map(|reservation| self.commit_plan(meta, &mut plan, fp, Some(reservation), hint));
        plan.clear();
        self.scratch = plan;
        outcome
    }

    /// [`reserve_cell`](Self::reserve_cell) for each request in turn, for one actor (a
    /// checkout worker draining its queue): the same outcomes, in the same order, and the same
    /// events and state as the calls one by one would give — a retry within the batch answers
    /// with the first outcome, a refused request writes nothing and the rest go on.
    ///
    /// Faster than the calls one by one on a large ledger: each reservation needs its key's
    /// idempotency slot and its cell, two random reads of large tables, and one request's
    /// reads stall it for a whole memory latency (about 200 ns on the reference machine),
    /// while the processor can have dozens in flight. This reads the slots and cells of up to
    /// [`RESERVE_GROUP`] requests first, so their misses overlap, then places them.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use haat_core::{Actor, LocationId, SellerId};
    /// use haat_inventory::{
    ///     AdjustmentReason, CellReservation, Command, IdempotencyKey, Operation,
    ///     ReservationOwner, StockKey, StockLedger,
    /// };
    ///
    /// let now = Utc.with_ymd_and_hms(2025, 10, 1, 10, 0, 0).single().ok_or("time")?;
    /// let key = StockKey::new(SellerId::new(7), "TANT-RED".parse()?, LocationId::new(1));
    /// let mut ledger = StockLedger::new();
    /// let found = Operation::Adjust {
    ///     key: key.clone(),
    ///     expected_on_hand: 0,
    ///     counted_on_hand: 3,
    ///     reason: AdjustmentReason::Found,
    /// };
    /// ledger.execute(&Command::new(Actor::System, IdempotencyKey::new(1), found), now)?;
    /// let cell = ledger.cell(&key).ok_or("no cell")?;
    /// let hold = |cart: u64, quantity: u64| CellReservation {
    ///     cell,
    ///     quantity,
    ///     owner: ReservationOwner::Cart(cart),
    ///     expires_at: now + chrono::Duration::minutes(15),
    /// };
    /// let outcomes = ledger.reserve_cells(
    ///     Actor::System,
    ///     &[
    ///         (IdempotencyKey::new(10), hold(1, 2)),
    ///         (IdempotencyKey::new(11), hold(2, 2)), // one unit left: refused
    ///         (IdempotencyKey::new(10), hold(1, 2)), // a retry: the first answer again
    ///     ],
    ///     now,
    /// );
    /// assert!(outcomes[0].is_ok() && outcomes[1].is_err());
    /// assert_eq!(outcomes[2].as_ref().ok().map(|o| o.replayed), Some(true));
    /// assert_eq!(ledger.cell_available(cell, now), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reserve_cells(
        &mut self,
        actor: Actor,
        requests: &[(IdempotencyKey, CellReservation)],
        now: DateTime<Utc>,
    ) -> Vec<Result<Outcome, Error>> {
        let at = millis(now);
        let mut expiry = (now, at);
        let mut outcomes = Vec::with_capacity(requests.len());
        for group in requests.chunks(RESERVE_GROUP) {
            // Reading ahead one request at a time would not do: a read that misses holds up
            // every instruction after it from retiring, so the processor soon stops issuing
            // new ones. Issued together, a group's reads wait out one latency between them.
            for (key, request) in group {
                self.remembered.touch(key.get());
                if let Some(cell) = self.cells.get(request.cell.index()) {
                    std::hint::black_box(cell.available());
                }
            }
            // And the memo log's entries and the reservation slots the group will write: a
            // write that misses holds up every write after it, and a journal entry is built
            // on the stack and copied, so the copy's loads wait for those writes.
            self.remembered.touch_log(group.len());
            for res in self.reservations.upcoming(group.len()) {
                std::hint::black_box(res.expires_at);
            }
            for &(key, request) in group {
                // A batch's holds mostly share one expiry: convert it once.
                if request.expires_at != expiry.0 {
                    expiry = (request.expires_at, millis(request.expires_at));
                }
                outcomes.push(self.reserve_cell_at(actor, key, request, at, expiry.1));
            }
        }
        outcomes
    }

    /// Commit many reservations, for one actor (a dispatch worker marking shipped orders):
    /// the same outcomes, events and state as an [`Operation::Commit`] for each through
    /// [`execute`](Self::execute), in order; a retry (by either way) answers with the first
    /// outcome, a refused commit writes nothing and the rest go on.
    ///
    /// Faster than `execute` one by one: the reservations' records are read first, a group
    /// at a time, so their cache misses overlap, and no `Command` is built for each.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use haat_core::{Actor, LocationId, SellerId};
    /// use haat_inventory::{
    ///     AdjustmentReason, CellReservation, Command, IdempotencyKey, Operation,
    ///     ReservationOwner, StockKey, StockLedger,
    /// };
    ///
    /// let now = Utc.with_ymd_and_hms(2025, 10, 1, 10, 0, 0).single().ok_or("time")?;
    /// let key = StockKey::new(SellerId::new(7), "TANT-RED".parse()?, LocationId::new(1));
    /// let mut ledger = StockLedger::new();
    /// let found = Operation::Adjust {
    ///     key: key.clone(),
    ///     expected_on_hand: 0,
    ///     counted_on_hand: 3,
    ///     reason: AdjustmentReason::Found,
    /// };
    /// ledger.execute(&Command::new(Actor::System, IdempotencyKey::new(1), found), now)?;
    /// let cell = ledger.cell(&key).ok_or("no cell")?;
    /// let hold = CellReservation {
    ///     cell,
    ///     quantity: 2,
    ///     owner: ReservationOwner::Cart(1),
    ///     expires_at: now + chrono::Duration::minutes(15),
    /// };
    /// let placed = ledger.reserve_cell(Actor::System, IdempotencyKey::new(10), hold, now)?;
    /// let reservation = placed.reservation.ok_or("no reservation")?;
    /// let outcomes = ledger.commit_reservations(
    ///     Actor::System,
    ///     &[
    ///         (IdempotencyKey::new(11), reservation),
    ///         (IdempotencyKey::new(11), reservation), // a retry: the first answer again
    ///         (IdempotencyKey::new(12), reservation), // a second commit: refused
    ///     ],
    ///     now,
    /// );
    /// assert_eq!(outcomes[1].as_ref().ok().map(|o| o.replayed), Some(true));
    /// assert!(outcomes[0].is_ok() && outcomes[2].is_err());
    /// assert_eq!(ledger.quantities(&key).shipped(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn commit_reservations(
        &mut self,
        actor: Actor,
        commits: &[(IdempotencyKey, ReservationId)],
        now: DateTime<Utc>,
    ) -> Vec<Result<Outcome, Error>> {
        let at = millis(now);
        let mut outcomes = Vec::with_capacity(commits.len());
        for group in commits.chunks(RESERVE_GROUP) {
            for (_, id) in group {
                if let Some(res) = self.res(id.get()) {
                    std::hint::black_box(res.first_hold);
                }
            }
            for &(key, id) in group {
                outcomes.push(self.commit_reservation(actor, key, id, at, now));
            }
        }
        outcomes
    }

    /// One commit of [`commit_reservations`](Self::commit_reservations), `at` being `now` in
    /// milliseconds.
    fn commit_reservation(
        &mut self,
        actor: Actor,
        key: IdempotencyKey,
        id: ReservationId,
        at: i64,
        now: DateTime<Utc>,
    ) -> Result<Outcome, Error> {
        let fp = fingerprint::fingerprint_commit(actor, id);
        if let Ok(outcome) = self.recall_commit(key.get(), id.get(), fp)? {
            return Ok(outcome);
        }
        let meta = Meta {
            at,
            actor,
            key: key.get(),
        };
        match self.commit_one(meta, fp, id.get()) {
            Some(outcome) => Ok(outcome),
            // Anything the direct path does not take: the planner decides, as `execute` does.
            None => self.execute(
                &Command::new(actor, key, Operation::Commit { reservation: id }),
                now,
            ),
        }
    }

    /// [`recall`](Self::recall) for a command: a commit's key is looked for on its
    /// reservation, every other operation's in the table.
    #[inline]
    fn recall_command(&self, command: &Command, fp: u64) -> Result<Result<Outcome, usize>, Error> {
        let key = command.idempotency_key().get();
        match command.operation() {
            Operation::Commit { reservation } => self.recall_commit(key, reservation.get(), fp),
            _ => self.recall(key, fp),
        }
    }

    /// A commit's retry is recognised on the reservation it committed.
    #[inline]
    fn recall_commit(&self, key: u128, id: u64, fp: u64) -> Result<Result<Outcome, usize>, Error> {
        match self.res(id) {
            Some(res) if res.commit.first_seq != 0 && res.commit.key == key => {
                if res.commit.fingerprint == fp {
                    Ok(Ok(Outcome {
                        first_seq: res.commit.first_seq,
                        events: res.commit.events,
                        reservation: None,
                        replayed: true,
                    }))
                } else {
                    Err(Error::IdempotencyConflict { key })
                }
            }
            _ => Ok(Err(usize::MAX)),
        }
    }

    /// Remember an operation's outcome under its key: on the reservation for a commit (the
    /// entry just applied is its last `committed` movement), in the table otherwise.
    fn remember(&mut self, meta: Meta, fingerprint: u64, outcome: Outcome, hint: Option<usize>) {
        if let Some((
            m,
            Entry::Move {
                reason: MovementReason::Committed,
                reference: Ref::Reservation(id),
                ..
            },
        )) = self.journal.last()
            && self.meta_at(*m).key == meta.key
        {
            let id = *id;
            if let Some(res) = self.res_mut(id) {
                res.commit = CommitMemo {
                    key: meta.key,
                    fingerprint,
                    first_seq: outcome.first_seq,
                    events: outcome.events,
                };
                return;
            }
        }
        self.remembered
            .insert(meta.key, fingerprint, meta.at, outcome, hint);
    }

    /// The first outcome of a retried operation (`Ok(Ok(_))`), or where a new key will be
    /// remembered (`Ok(Err(hint))`).
    fn recall(&self, key: u128, fp: u64) -> Result<Result<Outcome, usize>, Error> {
        self.answer(key, fp, self.remembered.probe(key))
    }

    /// [`recall`](Self::recall)'s answer from a probe already made.
    #[inline]
    fn answer(
        &self,
        key: u128,
        fp: u64,
        probe: idempotency::Probe,
    ) -> Result<Result<Outcome, usize>, Error> {
        match probe {
            idempotency::Probe::Vacant(hint) => Ok(Err(hint)),
            idempotency::Probe::Found(fingerprint, memo) if fingerprint == fp => Ok(Ok(Outcome {
                replayed: true,
                ..memo.outcome()
            })),
            idempotency::Probe::Found(..) => Err(Error::IdempotencyConflict { key }),
        }
    }

    /// How many idempotency keys the ledger remembers in its table: every operation's but a
    /// commit's, which is remembered on the reservation it committed.
    pub fn remembered_keys(&self) -> usize {
        self.remembered.len()
    }

    fn commit_plan(
        &mut self,
        meta: Meta,
        plan: &mut Vec<Entry>,
        fingerprint: u64,
        reservation: Option<u64>,
        hint: usize,
    ) -> Outcome {
        let first_seq = self.next_seq();
        let outcome = Outcome {
            first_seq,
            events: plan.len() as u32 + 1,
            reservation: reservation.map(ReservationId::new),
            replayed: false,
        };
        for entry in plan.drain(..) {
            let m = if matches!(entry, Entry::Open(_)) {
                CELL_META
            } else {
                meta
            };
            self.apply_entry(m, entry);
        }
        self.journal_base = self.journal_base.max(1);
        self.remember(meta, fingerprint, outcome, Some(hint));
        let m = self.meta_index(meta);
        self.journal.push((
            m,
            Entry::Recorded {
                fingerprint,
                outcome,
            },
        ));
        outcome
    }

    // ---- the one place state changes -----------------------------------------------------

    fn apply_entry(&mut self, meta: Meta, entry: Entry) {
        if self.journal_base == 0 {
            self.journal_base = 1;
        }
        match &entry {
            Entry::Open(key) => {
                let c = self.cells.len() as u32;
                self.cells.push(Cell::new());
                self.cold.push([0; 9 - HOT]);
                self.keys.push(key.clone());
                self.index.insert(key.clone(), c);
                let row = self
                    .by_sku
                    .entry((key.seller(), key.sku().clone()))
                    .or_default();
                let at = row.partition_point(|&(l, _)| l < key.location());
                row.insert(at, (key.location(), c));
            }
            Entry::Move {
                cell,
                from,
                to,
                qty,
                reason,
                reference,
            } => {
                let seq = self.next_seq();
                self.apply_move(seq, meta.at, *cell, *from, *to, *qty, *reason, reference);
            }
            Entry::Placed {
                id,
                owner,
                expires_at,
            } => {
                if self.reservations.is_empty() && self.reservation_base <= 1 {
                    self.reservation_base = *id;
                }
                self.reservations.push_back(Res {
                    owner: *owner,
                    expires_at: *expires_at,
                    status: ReservationStatus::Active,
                    first_hold: NIL,
                    closed_at: NO_EXPIRY,
                    commit: NO_COMMIT,
                });
                self.index_placed(*id, *expires_at);
            }
            Entry::ReorderPoint { cell, value } => {
                if let Some(c) = self.cells.get_mut(*cell as usize) {
                    c.reorder_point = *value;
                }
            }
            Entry::Recorded {
                fingerprint,
                outcome,
            } => {
                self.remember(meta, *fingerprint, *outcome, None);
            }
        }
        let m = if matches!(entry, Entry::Open(_)) {
            CELL_META_AT
        } else {
            self.meta_index(meta)
        };
        self.journal.push((m, entry));
    }

    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn apply_move(
        &mut self,
        seq: u64,
        at: i64,
        c: u32,
        from: Option<Bucket>,
        to: Option<Bucket>,
        qty: u64,
        reason: MovementReason,
        reference: &Ref,
    ) {
        let Some(cell) = self.cells.get(c as usize) else {
            return;
        };
        let before = cell.available();
        if let Some(b) = from {
            let slot = self.bucket_mut(c, b);
            *slot = slot.saturating_sub(qty);
        }
        if let Some(b) = to {
            let slot = self.bucket_mut(c, b);
            *slot = slot.saturating_add(qty);
        }
        let cell = &self.cells[c as usize];
        let after = cell.available();
        let reorder_point = cell.reorder_point;
        if before != after {
            self.signal(seq, at, c, before, after, reorder_point);
        }
        if let Ref::Reservation(id) = reference {
            self.apply_reservation_move(*id, at, c, from, reason, qty);
        }
        if let Ref::Transfer(t) = reference {
            let key = &self.keys[c as usize];
            let transfer = (key.seller(), key.sku().clone(), *t);
            match (reason, from, to) {
                (MovementReason::TransferredOut, None, Some(Bucket::InTransit)) => {
                    self.transfers.insert(transfer, (c, qty));
                }
                (MovementReason::TransferredIn, Some(Bucket::InTransit), _) => {
                    self.transfers.remove(&transfer);
                }
                _ => {}
            }
        }
    }

    /// All nine buckets of cell `c` (which must exist).
    fn quantities_of(&self, c: u32) -> Quantities {
        let mut q = Quantities::default();
        q.buckets[..HOT].copy_from_slice(&self.cells[c as usize].hot);
        q.buckets[HOT..].copy_from_slice(&self.cold[c as usize]);
        q
    }

    /// One bucket of cell `c` (which must exist).
    #[inline]
    fn bucket(&self, c: u32, b: Bucket) -> u64 {
        match (b as usize).checked_sub(HOT) {
            None => self.cells[c as usize].hot[b as usize],
            Some(i) => self.cold[c as usize][i],
        }
    }

    #[inline]
    fn bucket_mut(&mut self, c: u32, b: Bucket) -> &mut u64 {
        match (b as usize).checked_sub(HOT) {
            None => &mut self.cells[c as usize].hot[b as usize],
            Some(i) => &mut self.cold[c as usize][i],
        }
    }

    /// Record the stock signal a change of availability from `before` to `after` gives, if
    /// any: most changes give none, and that is decided here, inline.
    #[inline]
    fn signal(&mut self, seq: u64, at: i64, c: u32, before: u64, after: u64, reorder_point: u64) {
        let crossed =
            (before == 0) != (after == 0) || (after <= reorder_point && before > reorder_point);
        if crossed {
            self.push_signal(seq, at, c, before, after, reorder_point);
        }
    }

    #[cold]
    fn push_signal(
        &mut self,
        seq: u64,
        at: i64,
        c: u32,
        before: u64,
        after: u64,
        reorder_point: u64,
    ) {
        let key = || self.keys[c as usize].clone();
        let signal = if after == 0 && before > 0 {
            StockSignal::OutOfStock {
                seq,
                at: instant(at),
                key: key(),
            }
        } else if before == 0 && after > 0 {
            StockSignal::BackInStock {
                seq,
                at: instant(at),
                key: key(),
                available: after,
            }
        } else if after <= reorder_point && before > reorder_point {
            StockSignal::LowStock {
                seq,
                at: instant(at),
                key: key(),
                available: after,
                reorder_point,
            }
        } else {
            return;
        };
        self.signals.push(signal);
    }

    fn apply_reservation_move(
        &mut self,
        id: u64,
        at: i64,
        c: u32,
        from: Option<Bucket>,
        reason: MovementReason,
        qty: u64,
    ) {
        // Only these two fields are needed: copying the whole record (96 bytes) per movement
        // showed in profiles.
        let Some((first_hold, expires_at)) = self.res(id).map(|r| (r.first_hold, r.expires_at))
        else {
            return;
        };
        let status = match reason {
            MovementReason::Reserved => {
                let h = self.alloc_hold(Hold {
                    cell: c,
                    prev: NIL,
                    next: NIL,
                    res_next: first_hold,
                    linked: false,
                    qty,
                    expires_at,
                    res: id,
                });
                self.link(h);
                if let Some(r) = self.res_mut(id) {
                    r.first_hold = h;
                }
                return;
            }
            MovementReason::Released => ReservationStatus::Released,
            MovementReason::Expired => ReservationStatus::Expired,
            MovementReason::Committed => ReservationStatus::Committed,
            MovementReason::Cancelled => ReservationStatus::Cancelled,
            _ => return,
        };
        if from == Some(Bucket::Reserved) {
            let mut h = first_hold;
            while h != NIL {
                let hold = self.holds[h as usize];
                if hold.cell == c && hold.linked {
                    self.unlink(h);
                    break;
                }
                h = hold.res_next;
            }
        }
        if let Some(r) = self.res_mut(id) {
            let closing = r.status == ReservationStatus::Active;
            r.status = status;
            r.closed_at = at;
            if closing {
                self.index_closed();
            }
        }
    }

    fn alloc_hold(&mut self, hold: Hold) -> u32 {
        match self.free_holds.pop() {
            Some(h) => {
                self.holds[h as usize] = hold;
                h
            }
            None => {
                self.holds.push(hold);
                (self.holds.len() - 1) as u32
            }
        }
    }

    fn link(&mut self, h: u32) {
        let (c, expires_at) = {
            let hold = &self.holds[h as usize];
            (hold.cell as usize, hold.expires_at)
        };
        let head = self.cells[c].head;
        if head != NIL {
            self.holds[head as usize].prev = h;
        }
        let hold = &mut self.holds[h as usize];
        hold.next = head;
        hold.prev = NIL;
        hold.linked = true;
        let cell = &mut self.cells[c];
        cell.head = h;
        cell.next_expiry = cell.next_expiry.min(expires_at);
    }

    fn unlink(&mut self, h: u32) {
        let Hold {
            cell, prev, next, ..
        } = self.holds[h as usize];
        if prev != NIL {
            self.holds[prev as usize].next = next;
        } else {
            self.cells[cell as usize].head = next;
        }
        if next != NIL {
            self.holds[next as usize].prev = prev;
        }
        let hold = &mut self.holds[h as usize];
        hold.linked = false;
        hold.prev = NIL;
        hold.next = NIL;
        let cell = &mut self.cells[cell as usize];
        if cell.head == NIL {
            cell.next_expiry = NO_EXPIRY;
        }
    }

    // ---- reading the journal -------------------------------------------------------------

    /// The position of `meta` in `metas`, adding it unless it is the last one (an operation's
    /// entries share their meta; two metas equal in every field read back the same anyway).
    #[inline]
    fn meta_index(&mut self, meta: Meta) -> u32 {
        if self.metas.last() != Some(&meta) {
            self.metas.push(meta);
        }
        (self.metas.len() - 1) as u32
    }

    #[inline]
    fn meta_at(&self, m: u32) -> &Meta {
        self.metas.get(m as usize).unwrap_or(&CELL_META)
    }

    fn key_for(&self, c: u32, pending: &[StockKey]) -> StockKey {
        let i = c as usize;
        match self.keys.get(i) {
            Some(k) => k.clone(),
            None => pending
                .get(i - self.keys.len())
                .cloned()
                .unwrap_or_else(|| self.keys[0].clone()),
        }
    }

    fn materialize(
        &self,
        seq: u64,
        meta: &Meta,
        entry: &Entry,
        pending: &[StockKey],
    ) -> LedgerEvent {
        let at = instant(meta.at);
        let idempotency_key = IdempotencyKey::new(meta.key);
        match entry {
            Entry::Open(key) => LedgerEvent::CellOpened {
                seq,
                cell: self.index.get(key).copied().unwrap_or_else(|| {
                    let k = pending.iter().position(|p| p == key).unwrap_or(0);
                    (self.keys.len() + k) as u32
                }),
                key: key.clone(),
            },
            Entry::Move {
                cell,
                from,
                to,
                qty,
                reason,
                reference,
            } => LedgerEvent::Moved(Movement {
                seq,
                at,
                actor: meta.actor,
                reason: *reason,
                reference: match reference {
                    Ref::PurchaseOrder(po) => Reference::PurchaseOrder(po.to_string()),
                    Ref::Reservation(r) => Reference::Reservation(ReservationId::new(*r)),
                    Ref::Order(o) => Reference::Order(*o),
                    Ref::Transfer(t) => Reference::Transfer(*t),
                    Ref::Count(c) => Reference::Count(*c),
                    Ref::None => Reference::None,
                },
                idempotency_key,
                key: self.key_for(*cell, pending),
                from: *from,
                to: *to,
                quantity: *qty,
            }),
            Entry::Placed {
                id,
                owner,
                expires_at,
            } => LedgerEvent::ReservationPlaced {
                seq,
                at,
                actor: meta.actor,
                idempotency_key,
                reservation: ReservationId::new(*id),
                owner: *owner,
                expires_at: instant(*expires_at),
            },
            Entry::ReorderPoint { cell, value } => LedgerEvent::ReorderPointSet {
                seq,
                at,
                actor: meta.actor,
                idempotency_key,
                key: self.key_for(*cell, pending),
                reorder_point: *value,
            },
            Entry::Recorded {
                fingerprint,
                outcome,
            } => LedgerEvent::OperationRecorded {
                seq,
                at,
                actor: meta.actor,
                idempotency_key,
                fingerprint: *fingerprint,
                outcome: *outcome,
            },
        }
    }
}

impl AvailableStock for StockLedger {
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        now: DateTime<Utc>,
    ) -> u64 {
        StockLedger::available(self, seller, sku, location, now)
    }

    /// One lookup of the (seller, SKU) for the whole run of locations.
    fn available_many(
        &self,
        seller: SellerId,
        sku: &Sku,
        locations: &[LocationId],
        now: DateTime<Utc>,
        out: &mut [u64],
    ) {
        let now = millis(now);
        let row = self.by_sku.get(&(seller, sku.clone()));
        for (slot, location) in out.iter_mut().zip(locations) {
            *slot = row
                .and_then(|row| {
                    row.binary_search_by_key(location, |&(l, _)| l)
                        .ok()
                        .map(|i| row[i].1)
                })
                .map_or(0, |c| self.available_cell(c, now));
        }
    }
}

mod plan;
