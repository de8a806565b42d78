//! The ledger's tables, behind one door: a cell's counters, the holds linked per cell and per
//! reservation, and the reservation records. The layout is chosen for checkout's hot path (see
//! `Cell`); the rules never see it, only the accessors below. The accessors are `#[inline]`: the
//! hot path calls them from other modules, which may be compiled in other codegen units. The property tests of
//! `tests/it/state_machine.rs` prove the whole ledger equal to a plain model built on `BTreeMap`s.

use crate::{Bucket, Quantities, ReservationOwner, ReservationStatus};

use super::StockLedger;

/// The end of a hold list: a cell, or a reservation, with no (further) hold.
pub(super) const NO_HOLD: u32 = u32::MAX;

/// An instant no hold reaches: a cell with no holds, a reservation not yet closed.
pub(super) const NO_EXPIRY: i64 = i64::MAX;

/// The buckets kept in a cell's hot line: available, reserved and shipped (the `Bucket`
/// numbers 0–2), the ones a reservation and its commit move units between.
pub(super) const HOT: usize = 3;

/// One cell's hot part: everything a reservation and its commit read or write — the
/// available, reserved and shipped counts, the reorder point, the earliest expiry and the
/// first hold — in one 64-byte cache line. The other six buckets live in `StockLedger::cold`:
/// with them inline a cell took two lines (128 bytes), so a million cells spread over twice
/// the memory, and a random cell cost more TLB misses and page walks.
#[derive(Clone, Debug, PartialEq, Eq)]
#[repr(C, align(64))]
pub(super) struct Cell {
    pub(super) hot: [u64; HOT],
    pub(super) reorder_point: u64,
    /// No hold linked to this cell expires before this instant (a lower bound: may be stale).
    pub(super) next_expiry: i64,
    /// First hold linked to this cell, or `NO_HOLD`.
    pub(super) head: u32,
}

impl Cell {
    pub(super) fn new() -> Self {
        Cell {
            hot: [0; HOT],
            reorder_point: 0,
            next_expiry: NO_EXPIRY,
            head: NO_HOLD,
        }
    }

    #[inline]
    pub(super) fn available(&self) -> u64 {
        self.hot[Bucket::Available as usize]
    }
}

/// One line of a reservation: units of one cell held until the reservation's expiry, linked
/// into its cell's list (to find lapsed holds when the cell runs short) and its reservation's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Hold {
    pub(super) cell: u32,
    /// Links in the cell's list of holds (only while the hold holds stock).
    pub(super) prev: u32,
    pub(super) next: u32,
    /// Next line of the same reservation (or the next free slot).
    pub(super) next_of_reservation: u32,
    pub(super) linked: bool,
    pub(super) qty: u64,
    pub(super) expires_at: i64,
    /// The reservation the hold is a line of.
    pub(super) reservation: u64,
}

/// A reservation as the ledger keeps it: its owner, expiry and status, and its first hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ReservationRecord {
    pub(super) owner: ReservationOwner,
    pub(super) expires_at: i64,
    pub(super) status: ReservationStatus,
    pub(super) first_hold: u32,
    pub(super) closed_at: i64,
    /// The commit's idempotency memory, kept on the reservation it committed rather than in
    /// the ledger-wide table: a retried commit reads the reservation anyway, so its retry is
    /// recognised without a second random probe of the table (see docs/DESIGN.md).
    pub(super) commit: CommitMemo,
}

/// What a commit's idempotency key answers with; `first_seq == 0`: not committed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct CommitMemo {
    pub(super) key: u128,
    pub(super) fingerprint: u64,
    pub(super) first_seq: u64,
    pub(super) events: u32,
}

/// The memo of a reservation not committed.
pub(super) const NO_COMMIT: CommitMemo = CommitMemo {
    key: 0,
    fingerprint: 0,
    first_seq: 0,
    events: 0,
};

impl StockLedger {
    /// Units of cell `c` free to promise at `now`: available, plus the holds lapsed by `now`
    /// (walked only when the cell's earliest expiry says one may have).
    pub(super) fn available_cell(&self, c: u32, now: i64) -> u64 {
        let cell = &self.cells[c as usize];
        let mut units = cell.available();
        if now >= cell.next_expiry {
            let mut h = cell.head;
            while h != NO_HOLD {
                let hold = &self.holds[h as usize];
                if hold.expires_at <= now {
                    units = units.saturating_add(hold.qty);
                }
                h = hold.next;
            }
        }
        units
    }

    /// The record of reservation `id`, while the ring keeps it.
    #[inline]
    pub(super) fn record(&self, id: u64) -> Option<&ReservationRecord> {
        let i = id.checked_sub(self.reservation_base)?;
        self.reservations.get(usize::try_from(i).ok()?)
    }

    /// [`record`](Self::record), to change.
    #[inline]
    pub(super) fn record_mut(&mut self, id: u64) -> Option<&mut ReservationRecord> {
        let i = id.checked_sub(self.reservation_base)?;
        self.reservations.get_mut(usize::try_from(i).ok()?)
    }

    /// The id the next reservation placed will get.
    #[inline]
    pub(super) fn next_reservation_id(&self) -> u64 {
        self.reservation_base.max(1) + self.reservations.len() as u64
    }

    /// All nine buckets of cell `c` (which must exist).
    pub(super) fn quantities_of(&self, c: u32) -> Quantities {
        let mut q = Quantities::default();
        q.buckets[..HOT].copy_from_slice(&self.cells[c as usize].hot);
        q.buckets[HOT..].copy_from_slice(&self.cold[c as usize]);
        q
    }

    /// One bucket of cell `c` (which must exist).
    #[inline]
    pub(super) fn bucket(&self, c: u32, b: Bucket) -> u64 {
        match (b as usize).checked_sub(HOT) {
            None => self.cells[c as usize].hot[b as usize],
            Some(i) => self.cold[c as usize][i],
        }
    }

    /// [`bucket`](Self::bucket), to change.
    #[inline]
    pub(super) fn bucket_mut(&mut self, c: u32, b: Bucket) -> &mut u64 {
        match (b as usize).checked_sub(HOT) {
            None => &mut self.cells[c as usize].hot[b as usize],
            Some(i) => &mut self.cold[c as usize][i],
        }
    }

    /// A slot for `hold`: a freed one if any, else a new one.
    #[inline]
    pub(super) fn alloc_hold(&mut self, hold: Hold) -> u32 {
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

    /// Put hold `h` at the head of its cell's list, lowering the cell's earliest expiry.
    #[inline]
    pub(super) fn link(&mut self, h: u32) {
        let (c, expires_at) = {
            let hold = &self.holds[h as usize];
            (hold.cell as usize, hold.expires_at)
        };
        let head = self.cells[c].head;
        if head != NO_HOLD {
            self.holds[head as usize].prev = h;
        }
        let hold = &mut self.holds[h as usize];
        hold.next = head;
        hold.prev = NO_HOLD;
        hold.linked = true;
        let cell = &mut self.cells[c];
        cell.head = h;
        cell.next_expiry = cell.next_expiry.min(expires_at);
    }

    /// Take hold `h` out of its cell's list (its units are no longer held there).
    #[inline]
    pub(super) fn unlink(&mut self, h: u32) {
        let Hold {
            cell, prev, next, ..
        } = self.holds[h as usize];
        if prev != NO_HOLD {
            self.holds[prev as usize].next = next;
        } else {
            self.cells[cell as usize].head = next;
        }
        if next != NO_HOLD {
            self.holds[next as usize].prev = prev;
        }
        let hold = &mut self.holds[h as usize];
        hold.linked = false;
        hold.prev = NO_HOLD;
        hold.next = NO_HOLD;
        let cell = &mut self.cells[cell as usize];
        if cell.head == NO_HOLD {
            cell.next_expiry = NO_EXPIRY;
        }
    }
}
