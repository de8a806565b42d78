//! Checkout's hot path: a one-line reservation by cell handle, and the commit of a one-line
//! reservation, applied directly.
//!
//! Both write exactly the journal entries the general path writes — the decider's entries,
//! applied one by one by `apply_entry`, then the `Recorded` entry — and change the state the
//! same way; they only skip building the plan in a scratch vector and dispatching on each
//! entry, which was a third of a reserve-and-commit pair's time once the cell and the
//! idempotency table were in cache. Whether a request may take this path is asked of the
//! decider's own predicates (`may_place_directly`, `may_commit_at`, `may_act_for`), not
//! re-derived here. Anything else — a short cell (expired holds to release first), an error to
//! report, a reservation of several lines — goes the general way, so every rule still has one
//! home: the decider.

use super::{
    CommitMemo, Hold, JournalEntry, NO_COMMIT, NO_EXPIRY, NO_HOLD, OperationMeta,
    ReservationRecord, StockLedger, StoredReference, decider,
};
use crate::{Bucket, MovementReason, Outcome, ReservationId, ReservationOwner, ReservationStatus};

/// A one-line reservation, by cell number and in milliseconds: what `place_one` places.
#[derive(Clone, Copy, Debug)]
pub(super) struct OneLine {
    pub(super) cell: u32,
    pub(super) qty: u64,
    pub(super) owner: ReservationOwner,
    pub(super) expires_at: i64,
}

/// The hot buckets checkout moves units between (their `Bucket` numbers).
const AVAILABLE: usize = Bucket::Available as usize;
const RESERVED: usize = Bucket::Reserved as usize;
const SHIPPED: usize = Bucket::Shipped as usize;

impl StockLedger {
    /// `apply_move`'s counting for a movement between two hot buckets of cell `c` (which
    /// exists): the units moved, and the stock signal if availability crossed a threshold.
    #[inline]
    fn move_hot(&mut self, seq: u64, at: i64, c: u32, from: usize, to: usize, qty: u64) {
        let Some(cell) = self.cells.get_mut(c as usize) else {
            return;
        };
        let before = cell.available();
        cell.hot[from] = cell.hot[from].saturating_sub(qty);
        cell.hot[to] = cell.hot[to].saturating_add(qty);
        let (after, reorder_point) = (cell.available(), cell.reorder_point);
        if before != after {
            self.signal(seq, at, c, before, after, reorder_point);
        }
    }

    /// Whether [`place_one`](Self::place_one) may reserve `qty` units of cell `c` for `meta`'s
    /// actor: the decider would accept it without touching an expired hold (the cell has the
    /// units), and it is not an error (units wanted, an expiry after now, the actor's own
    /// stock or the marketplace's).
    #[inline]
    pub(super) fn can_place_one(&self, meta: &OperationMeta, line: &OneLine) -> bool {
        let OneLine {
            cell: c,
            qty,
            expires_at,
            ..
        } = *line;
        let Some(cell) = self.cells.get(c as usize) else {
            return false;
        };
        decider::may_place_directly(qty, expires_at, meta.at, cell.available())
            && (meta.actor.is_marketplace()
                || self
                    .keys
                    .get(c as usize)
                    .is_some_and(|k| decider::may_act_for(meta.actor, k.seller())))
    }

    /// Place a one-line reservation that [`can_place_one`](Self::can_place_one) accepted:
    /// `reservation_placed`, the `reserved` movement, `operation_recorded`.
    pub(super) fn place_one(
        &mut self,
        meta: OperationMeta,
        fingerprint: u64,
        hint: usize,
        line: OneLine,
    ) -> Outcome {
        let OneLine {
            cell: c,
            qty,
            owner,
            expires_at,
        } = line;
        self.journal_base = self.journal_base.max(1);
        let first_seq = self.next_seq();
        let id = self.next_reservation_id();
        let m = self.meta_index(meta);

        // What `apply_entry` does for `reservation_placed` and then, through `apply_move`,
        // for the `reserved` movement, in one go: the hold is linked into the cell and the
        // reservation pushed with it, rather than pushed and then looked up twice.
        if self.reservations.is_empty() && self.reservation_base <= 1 {
            self.reservation_base = id;
        }
        let h = self.alloc_hold(Hold {
            cell: c,
            prev: NO_HOLD,
            next: NO_HOLD,
            next_of_reservation: NO_HOLD,
            linked: false,
            qty,
            expires_at,
            reservation: id,
        });
        self.link(h);
        self.reservations.push_back(ReservationRecord {
            owner,
            expires_at,
            status: ReservationStatus::Active,
            first_hold: h,
            closed_at: NO_EXPIRY,
            commit: NO_COMMIT,
        });
        self.index_placed(id, expires_at);
        self.journal.push((
            m,
            JournalEntry::Placed {
                id,
                owner,
                expires_at,
            },
        ));
        self.move_hot(first_seq + 1, meta.at, c, AVAILABLE, RESERVED, qty);
        let reference = StoredReference::Reservation(id);
        self.journal.push((
            m,
            JournalEntry::Move {
                cell: c,
                from: Some(Bucket::Available),
                to: Some(Bucket::Reserved),
                qty,
                reason: MovementReason::Reserved,
                reference,
            },
        ));

        let outcome = Outcome {
            first_seq,
            events: 3,
            reservation: Some(ReservationId::new(id)),
            replayed: false,
        };
        self.remembered
            .insert(meta.key, fingerprint, meta.at, outcome, Some(hint));
        self.journal.push((
            m,
            JournalEntry::Recorded {
                fingerprint,
                outcome,
            },
        ));
        outcome
    }

    /// Commit reservation `id` if it has a single line and the decider would accept the
    /// commit (active, not expired at `meta.at`, the actor's own stock or the marketplace's):
    /// the `committed` movement and `operation_recorded`, the key remembered on the
    /// reservation. `None` leaves everything to the general path.
    pub(super) fn commit_one(
        &mut self,
        meta: OperationMeta,
        fingerprint: u64,
        id: u64,
    ) -> Option<Outcome> {
        let res = self.record(id)?;
        let h = res.first_hold;
        if res.status != ReservationStatus::Active
            || !decider::may_commit_at(res.expires_at, meta.at)
            || h == NO_HOLD
        {
            return None;
        }
        let hold = *self.holds.get(h as usize)?;
        if hold.next_of_reservation != NO_HOLD {
            return None;
        }
        if !meta.actor.is_marketplace()
            && !self
                .keys
                .get(hold.cell as usize)
                .is_some_and(|k| decider::may_act_for(meta.actor, k.seller()))
        {
            return None;
        }

        self.journal_base = self.journal_base.max(1);
        let first_seq = self.next_seq();
        let m = self.meta_index(meta);
        // What `apply_move` does for the `committed` movement of the reservation's one line.
        self.move_hot(first_seq, meta.at, hold.cell, RESERVED, SHIPPED, hold.qty);
        if hold.linked {
            self.unlink(h);
        }
        let reference = StoredReference::Reservation(id);
        self.journal.push((
            m,
            JournalEntry::Move {
                cell: hold.cell,
                from: Some(Bucket::Reserved),
                to: Some(Bucket::Shipped),
                qty: hold.qty,
                reason: MovementReason::Committed,
                reference,
            },
        ));

        let outcome = Outcome {
            first_seq,
            events: 2,
            reservation: None,
            replayed: false,
        };
        if let Some(res) = self.record_mut(id) {
            res.status = ReservationStatus::Committed;
            res.closed_at = meta.at;
            res.commit = CommitMemo {
                key: meta.key,
                fingerprint,
                first_seq,
                events: 2,
            };
            self.index_closed();
        }
        self.journal.push((
            m,
            JournalEntry::Recorded {
                fingerprint,
                outcome,
            },
        ));
        Some(outcome)
    }
}
