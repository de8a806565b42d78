//! Idempotency: a retried operation answers with its first outcome.
//!
//! The ledger remembers, per idempotency key, a fingerprint of the operation's payload and its
//! outcome. The fingerprint is a 64-bit hash of the actor and every field of the operation,
//! with a fixed hash function (no per-process seed), so it is stable across restarts and is
//! stored in the `operation_recorded` event. Operations that failed are not remembered: nothing
//! moved, so a retry is tried afresh. This table holds every operation's key but a commit's,
//! which the ledger keeps on the reservation it committed (a commit reads that record anyway,
//! so its retry is recognised without a second random probe here).

use std::hash::{Hash, Hasher};

use super::{CellReservation, Command, Operation, Outcome, Receipt};
use crate::{AdjustmentReason, ReservationId, ReturnCondition};
use haat_core::FastHasher;

fn receipt(h: &mut FastHasher, r: Receipt) {
    h.write_u8(match r {
        Receipt::QualityCheck => 0,
        Receipt::Available => 1,
    });
}

/// The fingerprint of a command's payload.
pub(super) fn fingerprint(command: &Command) -> u64 {
    let mut h = FastHasher::default();
    command.actor().hash(&mut h);
    match command.operation() {
        Operation::ExpectInbound {
            key,
            quantity,
            purchase_order,
        } => {
            h.write_u8(1);
            key.hash(&mut h);
            h.write_u64(*quantity);
            purchase_order.hash(&mut h);
        }
        Operation::ReceiveInbound {
            key,
            purchase_order,
            good,
            damaged,
            into,
        } => {
            h.write_u8(2);
            key.hash(&mut h);
            purchase_order.hash(&mut h);
            h.write_u64(*good);
            h.write_u64(*damaged);
            receipt(&mut h, *into);
        }
        Operation::CompleteQualityCheck {
            key,
            passed,
            failed,
        } => {
            h.write_u8(3);
            key.hash(&mut h);
            h.write_u64(*passed);
            h.write_u64(*failed);
        }
        Operation::Reserve {
            owner,
            expires_at,
            lines,
        } => {
            h.write_u8(4);
            owner.hash(&mut h);
            h.write_u64(expires_at.timestamp_millis() as u64);
            for line in lines {
                line.key.hash(&mut h);
                h.write_u64(line.quantity);
            }
        }
        Operation::Release { reservation } => {
            h.write_u8(5);
            h.write_u64(reservation.get());
        }
        Operation::Commit { reservation } => {
            h.write_u8(6);
            h.write_u64(reservation.get());
        }
        Operation::Cancel { reservation } => {
            h.write_u8(7);
            h.write_u64(reservation.get());
        }
        Operation::Return {
            key,
            quantity,
            order,
            condition,
        } => {
            h.write_u8(8);
            key.hash(&mut h);
            h.write_u64(*quantity);
            h.write_u64(order.get());
            h.write_u8(match condition {
                ReturnCondition::Restock => 0,
                ReturnCondition::Damaged => 1,
            });
        }
        Operation::Adjust {
            key,
            expected_on_hand,
            counted_on_hand,
            reason,
        } => {
            h.write_u8(9);
            key.hash(&mut h);
            h.write_u64(*expected_on_hand);
            h.write_u64(*counted_on_hand);
            match reason {
                AdjustmentReason::CycleCount(id) => {
                    h.write_u8(0);
                    h.write_u64(*id);
                }
                AdjustmentReason::Found => h.write_u8(1),
                AdjustmentReason::Lost => h.write_u8(2),
            }
        }
        Operation::TransferOut {
            transfer,
            key,
            to,
            quantity,
        } => {
            h.write_u8(10);
            h.write_u64(*transfer);
            key.hash(&mut h);
            h.write_u64(to.get());
            h.write_u64(*quantity);
        }
        Operation::TransferIn { transfer, into } => {
            h.write_u8(11);
            h.write_u64(*transfer);
            receipt(&mut h, *into);
        }
        Operation::MarkDamaged { key, quantity } => {
            h.write_u8(12);
            key.hash(&mut h);
            h.write_u64(*quantity);
        }
        Operation::WriteOff { key, quantity } => {
            h.write_u8(13);
            key.hash(&mut h);
            h.write_u64(*quantity);
        }
        Operation::SetSafetyStock { key, quantity } => {
            h.write_u8(14);
            key.hash(&mut h);
            h.write_u64(*quantity);
        }
        Operation::SetReorderPoint { key, reorder_point } => {
            h.write_u8(15);
            key.hash(&mut h);
            h.write_u64(*reorder_point);
        }
        Operation::Expire => h.write_u8(16),
    }
    h.finish()
}

/// The fingerprint of a reservation by cell handle.
pub(super) fn fingerprint_cell(
    actor: haat_core::Actor,
    request: &CellReservation,
    expires_at: i64,
) -> u64 {
    let mut h = FastHasher::default();
    actor.hash(&mut h);
    h.write_u8(17);
    h.write_u32(request.cell.0);
    h.write_u64(request.quantity);
    request.owner.hash(&mut h);
    h.write_u64(expires_at as u64);
    h.finish()
}

/// Where a key lives in the table: the key, its payload's fingerprint, and the position of
/// the rest of what is remembered (`memo`) in the table's side log.
///
/// 32 bytes, two to a cache line: the table is probed at a random position once per operation,
/// and a smaller table is fewer cache and TLB misses. What only a retry reads (the outcome)
/// and what only forgetting reads (the instant) are in the side log, written in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(align(32))]
struct Slot {
    key: u128,
    fingerprint: u64,
    /// Index into `Table::memos`, or `EMPTY` for a vacant slot.
    memo: u32,
}

const EMPTY: u32 = u32::MAX;

impl Slot {
    const EMPTY: Slot = Slot {
        key: 0,
        fingerprint: 0,
        memo: EMPTY,
    };

    #[inline]
    fn used(&self) -> bool {
        self.memo != EMPTY
    }
}

/// The rest of what is remembered of one operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Memo {
    pub(super) at: i64,
    first_seq: u64,
    reservation: u64,
    events: u32,
}

impl Memo {
    pub(super) fn outcome(&self) -> Outcome {
        Outcome {
            first_seq: self.first_seq,
            events: self.events,
            reservation: (self.reservation != 0).then_some(ReservationId::new(self.reservation)),
            replayed: false,
        }
    }
}

/// Where a key is (its fingerprint and memo), or where it would go.
pub(super) enum Probe {
    Found(u64, Memo),
    Vacant(usize),
}

/// The idempotency memory: an open-addressing table of 32-byte slots and a side log.
///
/// A general-purpose map keeps its control bytes and its entries in two arrays, so a lookup of a
/// new key followed by its insertion touches two cache lines far apart; with keys spread at
/// random (as callers' UUIDs are) both miss. Here the key and its fingerprint share one slot,
/// and the probe that finds a key absent is the position it is then written to: one cache miss
/// per operation. The outcome goes to the end of the side log (`memos`), a sequential write.
/// Linear probing, at most half full; forgetting rebuilds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Table {
    slots: Vec<Slot>,
    memos: Vec<Memo>,
    len: usize,
}

fn spread(key: u128) -> u64 {
    let mut h = FastHasher::default();
    h.write_u128(key);
    // Multiply once more so the high bits (the index) depend on every bit of the key.
    h.finish().wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// `capacity` empty slots, written now: a zeroed allocation would leave the pages to be
/// faulted in one by one by the inserts that follow, at a microsecond each (and an empty slot
/// is not all zeros anyway).
fn filled(capacity: usize) -> Vec<Slot> {
    vec![Slot::EMPTY; capacity]
}

impl Table {
    #[inline]
    fn home(&self, key: u128) -> usize {
        let bits = self.slots.len().trailing_zeros();
        if bits == 0 {
            return 0;
        }
        (spread(key) >> (64 - bits)) as usize
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn find(&self, key: u128) -> Result<usize, usize> {
        self.find_from(key, self.home(key))
    }

    /// [`find`](Self::find) from `key`'s home position, worked out already.
    #[inline]
    fn find_from(&self, key: u128, home: usize) -> Result<usize, usize> {
        if self.slots.is_empty() {
            return Err(usize::MAX);
        }
        let mask = self.slots.len() - 1;
        let mut i = home & mask;
        loop {
            let slot = &self.slots[i];
            if !slot.used() {
                return Err(i);
            }
            if slot.key == key {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// Read `key`'s home slot and nothing more: issued early, its cache miss overlaps with
    /// other work instead of stalling the probe that follows. Returns the home position, for
    /// [`probe_from`](Self::probe_from).
    #[inline]
    pub(super) fn touch(&self, key: u128) -> usize {
        let home = self.home(key);
        if let Some(slot) = self.slots.get(home) {
            std::hint::black_box(slot.memo);
        }
        home
    }

    #[inline]
    pub(super) fn probe(&self, key: u128) -> Probe {
        self.probe_from(key, self.home(key))
    }

    /// [`probe`](Self::probe) from `key`'s home position, as [`touch`](Self::touch) gave it
    /// (the table unchanged since).
    #[inline]
    pub(super) fn probe_from(&self, key: u128, home: usize) -> Probe {
        match self.find_from(key, home) {
            Ok(i) => {
                let slot = &self.slots[i];
                match self.memos.get(slot.memo as usize) {
                    Some(memo) => Probe::Found(slot.fingerprint, *memo),
                    None => Probe::Vacant(usize::MAX),
                }
            }
            Err(i) => Probe::Vacant(i),
        }
    }

    /// Remember `outcome` under `key`; `hint` is a vacant position from a probe made since the
    /// table last changed, if any.
    pub(super) fn insert(
        &mut self,
        key: u128,
        fingerprint: u64,
        at: i64,
        outcome: Outcome,
        hint: Option<usize>,
    ) {
        let mut hint = hint;
        if self.memos.len() >= EMPTY as usize {
            // Memo numbers are running out: drop the memos of overwritten keys.
            self.retain(|_| true);
            hint = None;
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
            hint = None; // the table moved
        }
        let i = match hint {
            Some(i) if i < self.slots.len() && !self.slots[i].used() => i,
            _ => match self.find(key) {
                Ok(i) | Err(i) => i,
            },
        };
        if !self.slots[i].used() {
            self.len += 1;
        }
        let memo = self.memos.len() as u32;
        self.memos.push(Memo {
            at,
            first_seq: outcome.first_seq,
            reservation: outcome.reservation.map_or(0, ReservationId::get),
            events: outcome.events,
        });
        self.slots[i] = Slot {
            key,
            fingerprint,
            memo,
        };
    }

    fn grow(&mut self) {
        let capacity = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, filled(capacity));
        self.len = 0;
        // The memos stay where they are: a slot keeps its memo number.
        self.place(old.into_iter().filter(Slot::used));
    }

    /// Keep only the keys whose memo `keep` accepts. The table and its memo log keep their
    /// memory (unless the table is far too big): a service calls this periodically, and a
    /// fresh allocation each time would make the next operations fault in new pages.
    pub(super) fn retain(&mut self, keep: impl Fn(&Memo) -> bool) {
        let mut kept: Vec<Slot> = self
            .slots
            .iter()
            .filter(|s| s.used() && self.memos.get(s.memo as usize).is_some_and(&keep))
            .copied()
            .collect();
        // Compact the memo log in place, in its old order (so it stays in order of
        // recording): taken in order of their old numbers, every kept memo moves down or
        // stays, never over one not yet moved.
        kept.sort_unstable_by_key(|s| s.memo);
        for (n, slot) in kept.iter_mut().enumerate() {
            let old = slot.memo as usize;
            if old != n {
                self.memos[n] = self.memos[old];
            }
            slot.memo = n as u32;
        }
        self.memos.truncate(kept.len());
        // Shrink (to four times what is kept) only a table four times too big, so a table
        // that once held a burst does not stay spread over memory it no longer needs, and a
        // steady one keeps its pages.
        let capacity = (kept.len() * 4).next_power_of_two().max(16);
        if capacity * 4 < self.slots.len() {
            self.slots = filled(capacity);
        } else {
            self.slots.fill(Slot::EMPTY);
        }
        self.len = 0;
        self.place(kept);
    }

    /// Put `slots` back in their home positions (their memo numbers unchanged).
    fn place(&mut self, slots: impl IntoIterator<Item = Slot>) {
        let mask = self.slots.len().wrapping_sub(1);
        for slot in slots {
            let mut i = self.home(slot.key);
            while self.slots[i].used() {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
            self.len += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_stay_short() {
        let mut t = Table::default();
        let outcome = Outcome {
            first_seq: 1,
            events: 1,
            reservation: None,
            replayed: false,
        };
        for k in 1..200_000u128 {
            t.insert(k, 0, 0, outcome, None);
        }
        for k in 0..1000u128 {
            t.insert(u128::MAX - k, 0, 0, outcome, None);
        }
        let mask = t.slots.len() - 1;
        assert_eq!(t.memos.len(), t.len());
        let mut worst = 0;
        let mut total = 0;
        for k in 1..200_000u128 {
            let mut i = t.home(k);
            let mut n = 0;
            while t.slots[i].key != k {
                i = (i + 1) & mask;
                n += 1;
            }
            worst = worst.max(n);
            total += n;
        }
        assert!(
            worst < 64 && total < 400_000,
            "worst {worst}, total {total}"
        );
    }

    fn found(t: &Table, key: u128) -> Option<u64> {
        match t.probe(key) {
            Probe::Found(fingerprint, _) => Some(fingerprint),
            Probe::Vacant(_) => None,
        }
    }

    #[test]
    fn every_key_is_found_across_growth_and_forgetting_and_no_other() {
        let outcome = Outcome {
            first_seq: 1,
            events: 1,
            reservation: None,
            replayed: false,
        };
        let mut t = Table::default();
        for k in 1..50_000u128 {
            t.insert(k * 7919, k as u64, k as i64, outcome, None);
            if k % 9_973 == 0 {
                for j in 1..=k {
                    assert_eq!(found(&t, j * 7919), Some(j as u64), "key {j} after {k}");
                }
            }
        }
        assert_eq!(t.len(), 49_999);
        assert!((1..50_000u128).all(|k| found(&t, k * 7919 + 1).is_none()));
        // Forgetting keeps exactly the keys asked for.
        t.retain(|memo| memo.at >= 25_000);
        assert_eq!(t.len(), 25_000);
        for k in 1..50_000u128 {
            let expected = (k >= 25_000).then_some(k as u64);
            assert_eq!(found(&t, k * 7919), expected, "key {k} after retain");
        }
        // A key written again keeps one slot.
        t.insert(49_999 * 7919, 1, 60_000, outcome, None);
        assert_eq!(found(&t, 49_999 * 7919), Some(1));
        assert_eq!(t.len(), 25_000);
    }
}
