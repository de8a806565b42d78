//! The one place state changes: a planned journal entry folded into the tables, with the stock
//! signal a movement gives and the holds a reservation's movements link and unlink.

use super::{
    CELL_OPENING_AT, CELL_OPENING_META, Cell, HOT, Hold, JournalEntry, NO_COMMIT, NO_EXPIRY,
    NO_HOLD, OperationMeta, ReservationRecord, StockLedger, StoredReference, instant,
};
use crate::{Bucket, MovementReason, Outcome, ReservationId, ReservationStatus, StockSignal};

impl StockLedger {
    /// Apply a decided plan's entries for the operation `meta` describes, then record its
    /// outcome under its idempotency key (`hint`: where the table probe left off).
    pub(super) fn commit_plan(
        &mut self,
        meta: OperationMeta,
        plan: &mut Vec<JournalEntry>,
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
            let m = if matches!(entry, JournalEntry::Open(_)) {
                CELL_OPENING_META
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
            JournalEntry::Recorded {
                fingerprint,
                outcome,
            },
        ));
        outcome
    }

    /// Fold one journal entry into the tables and append it to the journal.
    pub(super) fn apply_entry(&mut self, meta: OperationMeta, entry: JournalEntry) {
        if self.journal_base == 0 {
            self.journal_base = 1;
        }
        match &entry {
            JournalEntry::Open(key) => {
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
            JournalEntry::Move {
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
            JournalEntry::Placed {
                id,
                owner,
                expires_at,
            } => {
                if self.reservations.is_empty() && self.reservation_base <= 1 {
                    self.reservation_base = *id;
                }
                self.reservations.push_back(ReservationRecord {
                    owner: *owner,
                    expires_at: *expires_at,
                    status: ReservationStatus::Active,
                    first_hold: NO_HOLD,
                    closed_at: NO_EXPIRY,
                    commit: NO_COMMIT,
                });
                self.index_placed(*id, *expires_at);
            }
            JournalEntry::ReorderPoint { cell, value } => {
                if let Some(c) = self.cells.get_mut(*cell as usize) {
                    c.reorder_point = *value;
                }
            }
            JournalEntry::Recorded {
                fingerprint,
                outcome,
            } => {
                self.remember(meta, *fingerprint, *outcome, None);
            }
        }
        let m = if matches!(entry, JournalEntry::Open(_)) {
            CELL_OPENING_AT
        } else {
            self.meta_index(meta)
        };
        self.journal.push((m, entry));
    }

    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub(super) fn apply_move(
        &mut self,
        seq: u64,
        at: i64,
        c: u32,
        from: Option<Bucket>,
        to: Option<Bucket>,
        qty: u64,
        reason: MovementReason,
        reference: &StoredReference,
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
        if let StoredReference::Reservation(id) = reference {
            self.apply_reservation_move(*id, at, c, from, reason, qty);
        }
        if let StoredReference::Transfer(t) = reference {
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

    /// Record the stock signal a change of availability from `before` to `after` gives, if
    /// any: most changes give none, and that is decided here, inline.
    #[inline]
    pub(super) fn signal(
        &mut self,
        seq: u64,
        at: i64,
        c: u32,
        before: u64,
        after: u64,
        reorder_point: u64,
    ) {
        let crossed =
            (before == 0) != (after == 0) || (after <= reorder_point && before > reorder_point);
        if crossed {
            self.push_signal(seq, at, c, before, after, reorder_point);
        }
    }

    #[cold]
    pub(super) fn push_signal(
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

    /// What a movement of reservation `id` does to its holds and status: a `reserved` line
    /// links a new hold; a release, expiry, commit or cancel unlinks the cell's hold and closes
    /// the reservation.
    pub(super) fn apply_reservation_move(
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
        let Some((first_hold, expires_at)) = self.record(id).map(|r| (r.first_hold, r.expires_at))
        else {
            return;
        };
        let status = match reason {
            MovementReason::Reserved => {
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
                if let Some(r) = self.record_mut(id) {
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
            while h != NO_HOLD {
                let hold = self.holds[h as usize];
                if hold.cell == c && hold.linked {
                    self.unlink(h);
                    break;
                }
                h = hold.next_of_reservation;
            }
        }
        if let Some(r) = self.record_mut(id) {
            let closing = r.status == ReservationStatus::Active;
            r.status = status;
            r.closed_at = at;
            if closing {
                self.index_closed();
            }
        }
    }
}
