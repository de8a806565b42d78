//! Checkout's hot path: a one-line reservation by cell handle, and the commit of a one-line
//! reservation, applied directly.
//!
//! Both write exactly the journal entries the general path writes — the planner's entries,
//! applied one by one by `apply_entry`, then the `Recorded` entry — and change the state the
//! same way; they only skip building the plan in a scratch vector and dispatching on each
//! entry, which was a third of a reserve-and-commit pair's time once the cell and the
//! idempotency table were in cache. Anything else — a short cell (expired holds to release
//! first), an error to report, a reservation of several lines — goes the general way, so
//! every rule still has one home: the planner.

use super::{Entry, Meta, NIL, NO_COMMIT, NO_EXPIRY, Ref, Res, StockLedger};
use crate::{Bucket, MovementReason, Outcome, ReservationId, ReservationOwner, ReservationStatus};

/// A one-line reservation, by cell number and in milliseconds: what `place_one` places.
#[derive(Clone, Copy, Debug)]
pub(super) struct OneLine {
    pub(super) cell: u32,
    pub(super) qty: u64,
    pub(super) owner: ReservationOwner,
    pub(super) expires_at: i64,
}

impl StockLedger {
    /// Whether [`place_one`](Self::place_one) may reserve `qty` units of cell `c` for `meta`'s
    /// actor: the planner would accept it without touching an expired hold (the cell has the
    /// units), and it is not an error (units wanted, an expiry after now, the actor's own
    /// stock or the marketplace's).
    #[inline]
    pub(super) fn can_place_one(&self, meta: &Meta, line: &OneLine) -> bool {
        let OneLine {
            cell: c,
            qty,
            expires_at,
            ..
        } = *line;
        let Some(cell) = self.cells.get(c as usize) else {
            return false;
        };
        qty > 0
            && expires_at > meta.at
            && cell.available() >= qty
            && (meta.actor.is_marketplace()
                || self
                    .keys
                    .get(c as usize)
                    .is_some_and(|k| meta.actor.may_act_for(k.seller())))
    }

    /// Place a one-line reservation that [`can_place_one`](Self::can_place_one) accepted:
    /// `reservation_placed`, the `reserved` movement, `operation_recorded`.
    pub(super) fn place_one(
        &mut self,
        meta: Meta,
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

        if self.reservations.is_empty() && self.reservation_base <= 1 {
            self.reservation_base = id;
        }
        self.reservations.push_back(Res {
            owner,
            expires_at,
            status: ReservationStatus::Active,
            first_hold: NIL,
            closed_at: NO_EXPIRY,
            commit: NO_COMMIT,
        });
        self.journal.push((
            m,
            Entry::Placed {
                id,
                owner,
                expires_at,
            },
        ));

        let reference = Ref::Reservation(id);
        self.apply_move(
            first_seq + 1,
            meta.at,
            c,
            Some(Bucket::Available),
            Some(Bucket::Reserved),
            qty,
            MovementReason::Reserved,
            &reference,
        );
        self.journal.push((
            m,
            Entry::Move {
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
            Entry::Recorded {
                fingerprint,
                outcome,
            },
        ));
        outcome
    }

    /// Commit reservation `id` if it has a single line and the planner would accept the
    /// commit (active, not expired at `meta.at`, the actor's own stock or the marketplace's):
    /// the `committed` movement and `operation_recorded`, the key remembered on the
    /// reservation. `None` leaves everything to the general path.
    pub(super) fn commit_one(&mut self, meta: Meta, fingerprint: u64, id: u64) -> Option<Outcome> {
        let res = self.res(id)?;
        let h = res.first_hold;
        if res.status != ReservationStatus::Active || meta.at >= res.expires_at || h == NIL {
            return None;
        }
        let hold = *self.holds.get(h as usize)?;
        if hold.res_next != NIL {
            return None;
        }
        if !meta.actor.is_marketplace()
            && !self
                .keys
                .get(hold.cell as usize)
                .is_some_and(|k| meta.actor.may_act_for(k.seller()))
        {
            return None;
        }

        self.journal_base = self.journal_base.max(1);
        let first_seq = self.next_seq();
        let m = self.meta_index(meta);
        let reference = Ref::Reservation(id);
        self.apply_move(
            first_seq,
            meta.at,
            hold.cell,
            Some(Bucket::Reserved),
            Some(Bucket::Shipped),
            hold.qty,
            MovementReason::Committed,
            &reference,
        );
        self.journal.push((
            m,
            Entry::Move {
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
        if let Some(res) = self.res_mut(id) {
            res.commit = super::CommitMemo {
                key: meta.key,
                fingerprint,
                first_seq,
                events: 2,
            };
        }
        self.journal.push((
            m,
            Entry::Recorded {
                fingerprint,
                outcome,
            },
        ));
        Some(outcome)
    }
}
