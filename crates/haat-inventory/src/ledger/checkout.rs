//! Checkout's hot path: a reservation whose cells have the units (one line by cell handle,
//! or a few lines by key), and the commit of a one-line reservation, applied directly.
//!
//! Both write exactly the journal entries the general path writes — the decider's entries,
//! applied one by one by `apply_entry`, then the `Recorded` entry — and change the state the
//! same way; they only skip building the plan in a scratch vector and dispatching on each
//! entry, which was a third of a reserve-and-commit pair's time once the cell and the
//! idempotency table were in cache (and most of a multi-line checkout reservation's). Whether
//! a request may take this path is asked of the decider's own predicates
//! (`may_place_directly`, `may_commit_at`, `may_act_for`), not re-derived here. Anything else
//! — a short cell (expired holds to release first), an error to report, a key the ledger has
//! not seen, more than [`DIRECT_LINES`] lines — goes the general way, so every rule still has
//! one home: the decider.

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

/// The most distinct cells a reservation placed directly may have (a cart's lines of one
/// seller; longer requests go the general way).
pub(super) const DIRECT_LINES: usize = 8;

/// A reservation's demand per cell, in order of first appearance, as `place_lines` places
/// it: at most [`DIRECT_LINES`] cells, on the stack.
#[derive(Clone, Copy, Debug)]
pub(super) struct Lines {
    cells: [(u32, u64); DIRECT_LINES],
    len: usize,
}

impl Lines {
    /// The demand of `lines` per cell (`cell` finds a key's cell), summed as the decider's
    /// `demand` sums it; `None` if a key has no cell, a sum overflows, or there are more than
    /// [`DIRECT_LINES`] cells (the general path decides those).
    pub(super) fn of<'a, K: 'a>(
        lines: impl IntoIterator<Item = (&'a K, u64)>,
        cell: impl Fn(&K) -> Option<u32>,
    ) -> Option<Lines> {
        let mut out = Lines {
            cells: [(0, 0); DIRECT_LINES],
            len: 0,
        };
        for (key, qty) in lines {
            if qty == 0 {
                return None; // the decider names the line
            }
            let c = cell(key)?;
            match out.cells[..out.len].iter_mut().find(|(d, _)| *d == c) {
                Some((_, q)) => *q = q.checked_add(qty)?,
                None => {
                    *out.cells.get_mut(out.len)? = (c, qty);
                    out.len += 1;
                }
            }
        }
        Some(out)
    }

    /// One cell.
    pub(super) fn one(cell: u32, qty: u64) -> Lines {
        let mut cells = [(0, 0); DIRECT_LINES];
        cells[0] = (cell, qty);
        Lines { cells, len: 1 }
    }

    fn as_slice(&self) -> &[(u32, u64)] {
        &self.cells[..self.len]
    }
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
        self.can_place_lines(meta, &Lines::one(line.cell, line.qty), line.expires_at)
    }

    /// [`can_place_one`](Self::can_place_one) for every cell of `lines`.
    #[inline]
    pub(super) fn can_place_lines(
        &self,
        meta: &OperationMeta,
        lines: &Lines,
        expires_at: i64,
    ) -> bool {
        lines.len > 0
            && lines.as_slice().iter().all(|&(c, qty)| {
                let Some(cell) = self.cells.get(c as usize) else {
                    return false;
                };
                decider::may_place_directly(qty, expires_at, meta.at, cell.available())
                    && (meta.actor.is_marketplace()
                        || self
                            .keys
                            .get(c as usize)
                            .is_some_and(|k| decider::may_act_for(meta.actor, k.seller())))
            })
    }

    /// Place a one-line reservation that [`can_place_one`](Self::can_place_one) accepted.
    pub(super) fn place_one(
        &mut self,
        meta: OperationMeta,
        fingerprint: u64,
        hint: usize,
        line: OneLine,
    ) -> Outcome {
        let lines = Lines::one(line.cell, line.qty);
        self.place_lines(meta, fingerprint, hint, line.owner, line.expires_at, &lines)
    }

    /// Place a reservation that [`can_place_lines`](Self::can_place_lines) accepted:
    /// `reservation_placed`, a `reserved` movement per cell, `operation_recorded`.
    pub(super) fn place_lines(
        &mut self,
        meta: OperationMeta,
        fingerprint: u64,
        hint: usize,
        owner: ReservationOwner,
        expires_at: i64,
        lines: &Lines,
    ) -> Outcome {
        self.journal_base = self.journal_base.max(1);
        let first_seq = self.next_seq();
        let id = self.next_reservation_id();
        let m = self.meta_index(meta);

        // What `apply_entry` does for `reservation_placed` and then, through `apply_move`,
        // for each `reserved` movement, in one go: each hold is linked into its cell and put
        // in front of the reservation's earlier lines, rather than the record pushed and then
        // looked up again per line.
        if self.reservations.is_empty() && self.reservation_base <= 1 {
            self.reservation_base = id;
        }
        self.journal.push((
            m,
            JournalEntry::Placed {
                id,
                owner,
                expires_at,
            },
        ));
        let mut first_hold = NO_HOLD;
        for (i, &(c, qty)) in lines.as_slice().iter().enumerate() {
            let h = self.alloc_hold(Hold {
                cell: c,
                prev: NO_HOLD,
                next: NO_HOLD,
                next_of_reservation: first_hold,
                linked: false,
                qty,
                expires_at,
                reservation: id,
            });
            self.link(h);
            first_hold = h;
            self.move_hot(
                first_seq + 1 + i as u64,
                meta.at,
                c,
                AVAILABLE,
                RESERVED,
                qty,
            );
            self.journal.push((
                m,
                JournalEntry::Move {
                    cell: c,
                    from: Some(Bucket::Available),
                    to: Some(Bucket::Reserved),
                    qty,
                    reason: MovementReason::Reserved,
                    reference: StoredReference::Reservation(id),
                },
            ));
        }
        self.reservations.push_back(ReservationRecord {
            owner,
            expires_at,
            status: ReservationStatus::Active,
            first_hold,
            closed_at: NO_EXPIRY,
            commit: NO_COMMIT,
        });
        self.index_placed(id, expires_at);

        let outcome = Outcome {
            first_seq,
            events: lines.len as u32 + 2,
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
