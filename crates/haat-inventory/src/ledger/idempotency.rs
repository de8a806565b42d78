//! Idempotency: a retried operation answers with its first outcome.
//!
//! The ledger remembers, per idempotency key, a fingerprint of the operation's payload and its
//! outcome. The fingerprint (`fingerprint.rs`) is a fixed hash of an explicit encoding of the
//! actor and every field of the operation, the same on every build, so it is stored in the
//! `operation_recorded` event. (This table's own hash of a key, which places it, is never
//! stored, and uses the fast hasher.) Operations that failed are not remembered: nothing
//! moved, so a retry is tried afresh. This table holds every operation's key but a commit's,
//! which the ledger keeps on the reservation it committed (a commit reads that record anyway,
//! so its retry is recognised without a second random probe here).

use std::hash::Hasher;

use super::Outcome;
use crate::ReservationId;
use haat_core::FastHasher;

/// Where a key lives in the table: a tag (the top 32 bits of the key's hash, whose top bits
/// are also its home position) and the number of its memo in the table's side log, which
/// holds the key itself, its payload's fingerprint and its outcome.
///
/// 8 bytes, eight to a cache line: the table is probed at a random position once per
/// operation, and at a million keys a table of 32-byte slots (key and fingerprint inline)
/// spread over 64–128 MB, where every probe missed the caches and, with its page-table
/// entries, the TLB's reach too. Eight bytes a slot makes it 16–32 MB. A probe compares tags;
/// only a tag that matches (the key itself, on a retry, or another key with the same home
/// and the same remaining tag bits, about one probe in a few thousand at a million keys)
/// reads the memo to compare the whole key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, align(8))]
struct Slot {
    tag: u32,
    /// Index into `Table::memos`, or `EMPTY` for a vacant slot.
    memo: u32,
}

const EMPTY: u32 = u32::MAX;

impl Slot {
    const EMPTY: Slot = Slot {
        tag: 0,
        memo: EMPTY,
    };

    #[inline]
    fn used(&self) -> bool {
        self.memo != EMPTY
    }
}

/// What is remembered of one operation: its key, its payload's fingerprint, when it was
/// recorded and its outcome. Written at the end of the side log, in order of recording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Memo {
    /// The key, as two halves: a `u128` field would align the memo to 16 bytes (64 in all).
    key: [u64; 2],
    fingerprint: u64,
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

    #[inline]
    fn is_for(&self, key: u128) -> bool {
        self.key == halves(key)
    }
}

#[inline]
fn halves(key: u128) -> [u64; 2] {
    [key as u64, (key >> 64) as u64]
}

/// Where a key is (its fingerprint and memo), or where it would go.
pub(super) enum Probe {
    Found(u64, Memo),
    Vacant(usize),
}

/// The idempotency memory: an open-addressing table of 8-byte slots and a side log of memos.
///
/// A general-purpose map keeps its control bytes and its entries in two arrays, so a lookup of a
/// new key followed by its insertion touches two cache lines far apart; with keys spread at
/// random (as callers' UUIDs are) both miss. Here the probe that finds a key absent is the
/// position its slot is then written to: one random cache line per operation, in a table a
/// quarter the size it would be with the key inline. The memo goes to the end of the side log
/// (`memos`), a sequential write. Linear probing, at most half full; forgetting rebuilds.
#[derive(Clone, Debug, Default)]
pub(super) struct Table {
    slots: Vec<Slot>,
    /// The memo log: its first `logged` entries. Forgetting compacts the log to the front and
    /// keeps the rest of the vector as it was, to be written over next; so the entries the
    /// next operations will write can be read ahead ([`touch_log`](Self::touch_log)), and
    /// their cache misses taken early instead of when the write waits for them.
    memos: Vec<Memo>,
    logged: usize,
    len: usize,
}

impl PartialEq for Table {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self.slots == other.slots
            && self.memos.get(..self.logged) == other.memos.get(..other.logged)
    }
}

impl Eq for Table {}

/// The key's tag: the top 32 bits of a hash of every bit of the key. A table of 2^b slots
/// (b ≤ 32: memo numbers are 32-bit, so a table never holds more than 2^31 keys at half
/// load) puts the key at the tag's top b bits, so a table can place its slots again, when it
/// grows or forgets, from their tags alone.
#[inline]
fn tag(key: u128) -> u32 {
    let mut h = FastHasher::default();
    h.write_u128(key);
    // Multiply once more so the high bits depend on every bit of the key.
    (h.finish().wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as u32
}

/// `capacity` empty slots, written now: a zeroed allocation would leave the pages to be
/// faulted in one by one by the inserts that follow, at a microsecond each (and an empty slot
/// is not all zeros anyway).
fn filled(capacity: usize) -> Vec<Slot> {
    vec![Slot::EMPTY; capacity]
}

impl Table {
    /// The home position of a key with tag `tag`.
    #[inline]
    fn home(&self, tag: u32) -> usize {
        let bits = self.slots.len().trailing_zeros();
        if bits == 0 {
            return 0;
        }
        (u64::from(tag) << 32 >> (64 - bits.min(32))) as usize
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Where `key` is (`Ok`), or the vacant position where it would go (`Err`), probing from
    /// its tag and home position.
    #[inline]
    fn find_from(&self, key: u128, tag: u32, home: usize) -> Result<usize, usize> {
        if self.slots.is_empty() {
            return Err(usize::MAX);
        }
        let mask = self.slots.len() - 1;
        let mut i = home & mask;
        loop {
            let slot = self.slots[i];
            if !slot.used() {
                return Err(i);
            }
            if slot.tag == tag
                && self
                    .memos
                    .get(slot.memo as usize)
                    .is_some_and(|memo| memo.is_for(key))
            {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// Read `key`'s home slot and nothing more: issued early, its cache miss overlaps with
    /// other work instead of stalling the probe that follows. Returns where the probe starts,
    /// for [`probe_from`](Self::probe_from).
    #[inline]
    pub(super) fn touch(&self, key: u128) -> Start {
        let tag = tag(key);
        let home = self.home(tag);
        if let Some(slot) = self.slots.get(home) {
            std::hint::black_box(slot.memo);
        }
        Start { tag, home }
    }

    /// Read the memo log's entries the next `n` insertions will write over (those there are):
    /// their cache misses overlap here, not one by one under the writes.
    #[inline]
    pub(super) fn touch_log(&self, n: usize) {
        let next = self.memos.get(self.logged..).unwrap_or_default();
        for memo in next.iter().take(n) {
            std::hint::black_box(memo.at);
        }
    }

    #[inline]
    pub(super) fn probe(&self, key: u128) -> Probe {
        let tag = tag(key);
        self.probe_from(
            key,
            Start {
                tag,
                home: self.home(tag),
            },
        )
    }

    /// [`probe`](Self::probe) from where [`touch`](Self::touch) said it starts (the table
    /// unchanged since).
    #[inline]
    pub(super) fn probe_from(&self, key: u128, start: Start) -> Probe {
        match self.find_from(key, start.tag, start.home) {
            Ok(i) => match self.memos.get(self.slots[i].memo as usize) {
                Some(memo) => Probe::Found(memo.fingerprint, *memo),
                None => Probe::Vacant(usize::MAX),
            },
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
        if self.logged >= EMPTY as usize {
            // Memo numbers are running out: drop the memos of overwritten keys.
            self.retain(|_| true);
            hint = None;
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
            hint = None; // the table moved
        }
        let tag = tag(key);
        let i = match hint {
            Some(i) if i < self.slots.len() && !self.slots[i].used() => i,
            _ => match self.find_from(key, tag, self.home(tag)) {
                Ok(i) | Err(i) => i,
            },
        };
        if !self.slots[i].used() {
            self.len += 1;
        }
        let memo = Memo {
            key: halves(key),
            fingerprint,
            at,
            first_seq: outcome.first_seq,
            reservation: outcome.reservation.map_or(0, ReservationId::get),
            events: outcome.events,
        };
        match self.memos.get_mut(self.logged) {
            Some(entry) => *entry = memo,
            None => self.memos.push(memo),
        }
        self.slots[i] = Slot {
            tag,
            memo: self.logged as u32,
        };
        self.logged += 1;
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
        self.logged = kept.len();
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
            let mut i = self.home(slot.tag);
            while self.slots[i].used() {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
            self.len += 1;
        }
    }
}

/// Where a probe for a key starts: its tag and home position.
#[derive(Clone, Copy, Debug)]
pub(super) struct Start {
    tag: u32,
    home: usize,
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
        assert_eq!(t.logged, t.len());
        let mut worst = 0;
        let mut total = 0;
        for k in 1..200_000u128 {
            let mut i = t.home(tag(k));
            let mut n = 0;
            while !t.memos[t.slots[i].memo as usize].is_for(k) {
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
