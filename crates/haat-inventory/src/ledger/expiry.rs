//! The expiry index: the reservations that may still be holding stock, by expiry, so that
//! `Expire` costs what is due rather than a walk over every reservation the ledger remembers.
//!
//! A binary min-heap of (expiry, reservation id), pushed when a reservation is placed. A
//! reservation that closes (committed, released, cancelled, expired) is not looked for in the
//! heap: it is left there, stale, and dropped when it reaches the top (checked at every push)
//! or when stale entries outnumber the live ones (the heap is then rebuilt from the live). So
//! placing and closing a reservation stay O(1) amortised, the heap holds at most about twice
//! the open reservations, and finding what is due at `now` visits only the entries due by
//! `now` (a min-heap's subtree whose root is later than `now` holds nothing earlier).
//!
//! Which reservations expire is decided by the decider (`Operation::Expire`); this module
//! only finds the candidates.

use super::StockLedger;
use crate::ReservationStatus;

/// Stale entries tolerated before a rebuild, beyond as many as there are live ones (a few
/// in the unit tests, so that they rebuild often).
const SLACK: usize = if cfg!(test) { 4 } else { 1024 };

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ExpiryIndex {
    /// A binary min-heap: `heap[i] <= heap[2i + 1]`, `heap[i] <= heap[2i + 2]`.
    heap: Vec<(i64, u64)>,
    /// How many entries are of reservations that have closed.
    stale: usize,
}

impl ExpiryIndex {
    fn push(&mut self, entry: (i64, u64)) {
        let mut i = self.heap.len();
        self.heap.push(entry);
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.heap[parent] <= self.heap[i] {
                break;
            }
            self.heap.swap(parent, i);
            i = parent;
        }
    }

    fn pop(&mut self) {
        let Some(last) = self.heap.pop() else {
            return;
        };
        if self.heap.is_empty() {
            return;
        }
        self.heap[0] = last;
        let mut i = 0;
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut least = i;
            if l < self.heap.len() && self.heap[l] < self.heap[least] {
                least = l;
            }
            if r < self.heap.len() && self.heap[r] < self.heap[least] {
                least = r;
            }
            if least == i {
                break;
            }
            self.heap.swap(i, least);
            i = least;
        }
    }

    /// The ids of the entries with expiry at or before `now`, in no particular order.
    fn due(&self, now: i64, out: &mut Vec<u64>) {
        let mut stack = Vec::new();
        if self.heap.first().is_some_and(|&(at, _)| at <= now) {
            stack.push(0usize);
        }
        while let Some(i) = stack.pop() {
            out.push(self.heap[i].1);
            for child in [2 * i + 1, 2 * i + 2] {
                if self.heap.get(child).is_some_and(|&(at, _)| at <= now) {
                    stack.push(child);
                }
            }
        }
    }
}

impl StockLedger {
    /// Whether reservation `id` is open (may be holding stock).
    fn is_open(&self, id: u64) -> bool {
        self.record(id)
            .is_some_and(|r| r.status == ReservationStatus::Active)
    }

    /// Index reservation `id`, placed with expiry `expires_at`.
    #[inline]
    pub(super) fn index_placed(&mut self, id: u64, expires_at: i64) {
        self.drop_closed_tops();
        self.expiries.push((expires_at, id));
    }

    /// Note that an indexed reservation has closed.
    #[inline]
    pub(super) fn index_closed(&mut self) {
        let index = &mut self.expiries;
        index.stale += 1;
        let live = index.heap.len().saturating_sub(index.stale);
        if index.stale > live + SLACK {
            self.rebuild_expiries();
        } else {
            self.drop_closed_tops();
        }
    }

    /// Drop closed reservations from the top: each entry is dropped once, so this is O(1)
    /// amortised, and in a steady flow (placed, then committed, mostly in order) the heap
    /// stays as small as the open reservations and nothing stale is left due.
    #[inline]
    fn drop_closed_tops(&mut self) {
        while let Some(&(_, top)) = self.expiries.heap.first() {
            if self.is_open(top) {
                break;
            }
            self.expiries.pop();
            self.expiries.stale = self.expiries.stale.saturating_sub(1);
        }
    }

    #[cold]
    fn rebuild_expiries(&mut self) {
        let mut heap = std::mem::take(&mut self.expiries.heap);
        heap.retain(|&(_, id)| self.is_open(id));
        // A sorted vector is a min-heap.
        heap.sort_unstable();
        self.expiries = ExpiryIndex { heap, stale: 0 };
    }

    /// The open reservations whose expiry is at or before `now`, by id.
    pub(super) fn due(&self, now: i64) -> Vec<u64> {
        let mut ids = Vec::new();
        self.expiries.due(now, &mut ids);
        ids.retain(|&id| self.is_open(id));
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, Utc};
    use haat_core::{Actor, LocationId, SellerId};
    use proptest::prelude::*;

    use crate::{
        AdjustmentReason, CellReservation, Command, IdempotencyKey, Operation, ReservationId,
        ReservationOwner, ReservationStatus, StockKey, StockLedger,
    };

    impl StockLedger {
        /// What the index answers, found the plain way: every reservation remembered, open and
        /// due by `now`, by id.
        fn scan_due(&self, now: i64) -> Vec<u64> {
            let base = self.reservation_base.max(1);
            self.reservations
                .iter()
                .enumerate()
                .filter(|(_, r)| r.status == ReservationStatus::Active && r.expires_at <= now)
                .map(|(i, _)| base + i as u64)
                .collect()
        }
    }

    #[derive(Clone, Debug)]
    enum Step {
        Reserve(u8, i64),
        ReserveCell(u8, i64),
        Commit(usize),
        Release(usize),
        Cancel(usize),
        Expire,
        Wait(i64),
        Forget(i64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (0u8..4, 1i64..60).prop_map(|(c, e)| Step::Reserve(c, e)),
            3 => (0u8..4, 1i64..60).prop_map(|(c, e)| Step::ReserveCell(c, e)),
            3 => (0usize..64).prop_map(Step::Commit),
            1 => (0usize..64).prop_map(Step::Release),
            1 => (0usize..64).prop_map(Step::Cancel),
            1 => Just(Step::Expire),
            3 => (0i64..20).prop_map(Step::Wait),
            1 => (0i64..60).prop_map(Step::Forget),
        ]
    }

    fn key(c: u8) -> StockKey {
        StockKey::new(
            SellerId::new(1),
            "TANT-01".parse().unwrap_or_else(|_| unreachable!()),
            LocationId::new(u64::from(c) + 1),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Through any sequence of reservations placed, committed, released, cancelled,
        /// expired and forgotten, the index finds exactly the reservations a walk over every
        /// reservation finds due, at every instant.
        #[test]
        fn the_expiry_index_finds_what_a_scan_finds(steps in prop::collection::vec(step(), 1..200)) {
            let t0 = DateTime::<Utc>::UNIX_EPOCH + Duration::days(1);
            let mut now = t0;
            let mut ledger = StockLedger::new();
            let mut n = 0u128;
            let mut command = |op| { n += 1; Command::new(Actor::System, IdempotencyKey::new(n), op) };
            for c in 0..4 {
                let found = Operation::Adjust { key: key(c), expected_on_hand: 0, counted_on_hand: 30, reason: AdjustmentReason::Found };
                ledger.execute(&command(found), now).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            let mut placed: Vec<ReservationId> = Vec::new();
            let mut forgot = false;
            for step in &steps {
                let pick = |i: &usize| placed.get(i % placed.len().max(1)).copied();
                let result = match step {
                    Step::Reserve(c, e) => ledger.execute(&command(Operation::Reserve {
                        owner: ReservationOwner::Cart(1),
                        expires_at: now + Duration::minutes(*e),
                        lines: vec![crate::ReserveLine { key: key(*c), quantity: 2 }, crate::ReserveLine { key: key(c + 1), quantity: 1 }],
                    }), now),
                    Step::ReserveCell(c, e) => {
                        let Some(cell) = ledger.cell(&key(*c)) else { continue };
                        let request = CellReservation { cell, quantity: 3, owner: ReservationOwner::Cart(2), expires_at: now + Duration::minutes(*e) };
                        ledger.reserve_cell(Actor::System, command(Operation::Expire).idempotency_key(), request, now)
                    }
                    Step::Commit(i) => match pick(i) { Some(reservation) => ledger.execute(&command(Operation::Commit { reservation }), now), None => continue },
                    Step::Release(i) => match pick(i) { Some(reservation) => ledger.execute(&command(Operation::Release { reservation }), now), None => continue },
                    Step::Cancel(i) => match pick(i) { Some(reservation) => ledger.execute(&command(Operation::Cancel { reservation }), now), None => continue },
                    Step::Expire => ledger.execute(&command(Operation::Expire), now),
                    Step::Wait(m) => { now += Duration::minutes(*m); continue }
                    Step::Forget(m) => { ledger.forget_settled_before(now - Duration::minutes(*m)); forgot = true; continue }
                };
                if let Ok(outcome) = result && let Some(id) = outcome.reservation {
                    placed.push(id);
                }
                for later in [0, 1, 15, 30, 90] {
                    let at = (now + Duration::minutes(later)).timestamp_millis();
                    prop_assert_eq!(ledger.due(at), ledger.scan_due(at));
                }
                let live = ledger.scan_due(i64::MAX).len();
                prop_assert!(ledger.expiries.heap.len() <= 2 * live + super::SLACK + 1);
            }
            // Replaying the events gives the same index (a ledger that forgot reservations is
            // not the one its events replay to).
            if !forgot {
                let events: Vec<_> = ledger.events().collect();
                prop_assert!(StockLedger::replay(&events) == ledger, "replay differs");
            }
        }
    }
}
