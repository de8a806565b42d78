//! The stock ledger: levels per cell, kept as a fold of movements.
//!
//! The ledger is split along its concerns, so that a reader changing a business rule reads
//! only the rules:
//!
//! - `decider.rs`: the domain rules. What a movement, reservation, commit, release, cancel
//!   and expiry may do, checked against the ledger (`&self`, nothing changes), and the journal
//!   entries each writes. Every path — [`StockLedger::execute`], [`StockLedger::decide`], the
//!   by-cell and batch paths — asks it, and the direct checkout path (`checkout.rs`) uses its
//!   predicates rather than re-deriving them.
//! - `apply.rs`: the one place state changes: a planned entry folded into the tables.
//! - `checkout.rs`: a one-line reservation and its commit applied directly, the same entries
//!   and the same state as `apply.rs` would give, without the plan in between.
//! - `by_cell.rs`: reservations by cell handle, one at a time and in batches, and batched
//!   commits, which read their rows ahead so that cache misses overlap.
//! - `recall.rs`: what the idempotency memory answers for a retried key.
//! - `storage.rs`: the cache-conscious tables behind one door — a cell's hot counters in
//!   one cache line, the linked hold lists, the reservation records — with the tuning
//!   constants that go with them; `idempotency.rs` (the key table), `ring.rs` (the
//!   reservation ring) and `expiry.rs` (the expiry index) are its other tables.
//! - `journal.rs`: the compact journal entries, and the serde [`LedgerEvent`]s read from them
//!   and applied to them.
//! - `levels.rs`: levels per key, for rebuilding and reconciling.
//! - `movement.rs`, `operation.rs`, `fingerprint.rs`: the public event, command and
//!   fingerprint types.

mod apply;
mod by_cell;
mod checkout;
mod decider;
mod expiry;
mod fingerprint;
mod idempotency;
mod journal;
mod levels;
mod movement;
mod operation;
mod recall;
mod ring;
mod storage;

use chrono::{DateTime, Utc};
use haat_core::{LocationId, SellerId, Sku};

use crate::{
    AvailableStock, CellId, Error, Quantities, Reservation, ReservationId, ReservationStatus,
    StockKey, StockSignal,
};
use haat_core::FastHashMap;

use checkout::{Lines, OneLine};
use journal::{CELL_OPENING_AT, CELL_OPENING_META, JournalEntry, OperationMeta, StoredReference};
use recall::Recall;
use storage::{Cell, CommitMemo, HOT, Hold, NO_COMMIT, NO_EXPIRY, NO_HOLD, ReservationRecord};

pub use by_cell::{CellLines, CellReservation, RESERVE_GROUP};
pub use levels::{Discrepancy, Levels};
pub use movement::{
    IdempotencyKey, InvalidIdempotencyKey, LedgerEvent, Movement, MovementReason, Outcome,
    Reference,
};
pub use operation::{AdjustmentReason, Command, Operation, Receipt, ReserveLine, ReturnCondition};

pub(crate) use decider::{check_expiry, demand, unstocked};
pub(crate) use fingerprint::{Fingerprint, fingerprint, route};

fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

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
    reservations: ring::Ring<ReservationRecord>,
    /// The open reservations by expiry, for `Expire` (`expiry.rs`).
    expiries: expiry::ExpiryIndex,
    /// The id of `reservations[0]` (ids start at 1).
    reservation_base: u64,
    /// The transfers in transit, by seller, SKU and transfer id: their destination cell and
    /// units. A transfer id is the seller's own number for a SKU's transfer, so two sellers'
    /// transfer 555 never meet.
    transfers: FastHashMap<(SellerId, Sku, u64), (u32, u64)>,
    remembered: idempotency::Table,
    /// Each entry with the position of its operation's `OperationMeta` in `metas` (`CELL_OPENING_AT`: a
    /// cell opening, which has no operation's meta). The meta — instant, actor and key, 48
    /// bytes — is stored once per operation rather than once per entry: a reservation and its
    /// commit write five entries and two metas, not five of each.
    journal: Vec<(u32, JournalEntry)>,
    /// The metas of the operations with entries in `journal`, in order.
    metas: Vec<OperationMeta>,
    /// The sequence number of `journal[0]` (sequence numbers start at 1).
    journal_base: u64,
    signals: Vec<StockSignal>,
    scratch: Vec<JournalEntry>,
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

    /// Every cell with its key, in the order the ledger first saw them: a walk over the
    /// ledger's stock that copies no key (unlike [`levels`](Self::levels)).
    ///
    /// ```
    /// use haat_inventory::StockLedger;
    /// let ledger = StockLedger::new();
    /// assert_eq!(ledger.cells().count(), ledger.cell_count());
    /// ```
    pub fn cells(&self) -> impl Iterator<Item = (CellId, &StockKey)> + '_ {
        (0u32..).zip(&self.keys).map(|(i, key)| (CellId(i), key))
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
        let res = self.record(id.get())?;
        let mut lines = Vec::new();
        let mut h = res.first_hold;
        while h != NO_HOLD {
            let hold = &self.holds[h as usize];
            lines.push((self.keys[hold.cell as usize].clone(), hold.qty));
            h = hold.next_of_reservation;
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
            while h != NO_HOLD {
                let next = self.holds[h as usize].next_of_reservation;
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
        let fingerprint = fingerprint::fingerprint(command);
        if let Recall::Replay(_) = self.recall_command(command, fingerprint)? {
            return Ok(Vec::new());
        }
        let mut plan = Vec::new();
        let reservation =
            self.plan(command.actor(), command.operation(), millis(now), &mut plan)?;
        let meta = OperationMeta {
            at: millis(now),
            actor: command.actor(),
            key: command.idempotency_key().get(),
        };
        let first = self.next_seq();
        plan.push(JournalEntry::Recorded {
            fingerprint,
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
                JournalEntry::Open(k) => Some(k.clone()),
                _ => None,
            })
            .collect();
        Ok(plan
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let m = if matches!(entry, JournalEntry::Open(_)) {
                    &CELL_OPENING_META
                } else {
                    &meta
                };
                self.materialize(first + i as u64, m, entry, &pending)
            })
            .collect())
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
        let fingerprint = fingerprint::fingerprint(command);
        let key = command.idempotency_key().get();
        let hint = match self.recall_command(command, fingerprint)? {
            Recall::Replay(outcome) => return Ok(outcome),
            Recall::New { slot_hint } => slot_hint,
        };
        let at = millis(now);
        let meta = OperationMeta {
            at,
            actor: command.actor(),
            key,
        };
        // Checkout's two operations, when they need nothing the decider alone knows how to
        // do, are applied directly (see `checkout.rs`).
        match command.operation() {
            Operation::Commit { reservation } => {
                if let Some(outcome) = self.commit_one(meta, fingerprint, reservation.get()) {
                    return Ok(outcome);
                }
            }
            Operation::Reserve {
                owner,
                expires_at,
                lines,
            } => {
                let cells = Lines::of(lines.iter().map(|l| (&l.key, l.quantity)), |key| {
                    self.index.get(key).copied()
                });
                let expires_at = millis(*expires_at);
                if let Some(cells) = cells
                    && self.can_place_lines(&meta, &cells, expires_at)
                {
                    return Ok(self.place_lines(
                        meta,
                        fingerprint,
                        hint,
                        *owner,
                        expires_at,
                        &cells,
                    ));
                }
            }
            _ => {}
        }
        let mut plan = std::mem::take(&mut self.scratch);
        plan.clear();
        let result = self.plan(command.actor(), command.operation(), at, &mut plan);
        let outcome = result
            .map(|reservation| self.commit_plan(meta, &mut plan, fingerprint, reservation, hint));
        plan.clear();
        self.scratch = plan;
        outcome
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

    /// Every cell of the (seller, SKU), from one lookup: its row is sorted by location.
    fn stocked(
        &self,
        seller: SellerId,
        sku: &Sku,
        now: DateTime<Utc>,
        out: &mut Vec<(LocationId, u64)>,
    ) -> bool {
        out.clear();
        let now = millis(now);
        if let Some(row) = self.by_sku.get(&(seller, sku.clone())) {
            out.extend(row.iter().map(|&(l, c)| (l, self.available_cell(c, now))));
        }
        true
    }
}
