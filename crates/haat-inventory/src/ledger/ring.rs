//! A queue whose slots stay written after they are taken from the front.

/// A first-in, first-out queue over a vector that keeps every slot initialised: an entry
/// taken from the front stays in its slot, stale, until a later push writes over it.
///
/// The ledger keeps its reservations here rather than in a `VecDeque`, for one reason: the
/// slots the next pushes will write are readable ([`upcoming`](Self::upcoming)), so a batch
/// can take their cache misses early, together, instead of one by one under the writes. In a
/// `VecDeque` they are spare capacity, which safe code cannot read.
#[derive(Clone)]
pub(super) struct Ring<T> {
    slots: Vec<T>,
    head: usize,
    len: usize,
}

impl<T> Default for Ring<T> {
    fn default() -> Self {
        Ring {
            slots: Vec::new(),
            head: 0,
            len: 0,
        }
    }
}

impl<T: Clone> Ring<T> {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn position(&self, i: usize) -> usize {
        let p = self.head + i;
        if p >= self.slots.len() {
            p - self.slots.len()
        } else {
            p
        }
    }

    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<&T> {
        if i < self.len {
            self.slots.get(self.position(i))
        } else {
            None
        }
    }

    #[inline]
    pub(super) fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i < self.len {
            let p = self.position(i);
            self.slots.get_mut(p)
        } else {
            None
        }
    }

    pub(super) fn front(&self) -> Option<&T> {
        self.get(0)
    }

    #[inline]
    pub(super) fn push_back(&mut self, value: T) {
        if self.len == self.slots.len() {
            // Full: put the entries in order at the front and double the slots, the new
            // ones written with copies of `value` (written over by the pushes to come).
            self.slots.rotate_left(self.head);
            self.head = 0;
            let more = self.slots.len().max(4);
            self.slots.resize(self.slots.len() + more, value.clone());
        }
        let p = self.position(self.len);
        if let Some(slot) = self.slots.get_mut(p) {
            *slot = value;
            self.len += 1;
        }
    }

    pub(super) fn pop_front(&mut self) {
        if self.len > 0 {
            self.head = self.position(1);
            self.len -= 1;
        }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        (0..self.len).filter_map(|i| self.get(i))
    }

    /// The slots the next `n` pushes will write (fewer if the ring would have to grow).
    pub(super) fn upcoming(&self, n: usize) -> impl Iterator<Item = &T> {
        let free = self.slots.len() - self.len;
        (self.len..self.len + n.min(free)).filter_map(|i| self.slots.get(self.position(i)))
    }
}

impl<T: Clone + std::fmt::Debug> std::fmt::Debug for Ring<T> {
    /// The entries, front first (not the stale slots).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Clone + PartialEq> PartialEq for Ring<T> {
    /// Equal when they hold the same entries in the same order, whatever their stale slots.
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Clone + Eq> Eq for Ring<T> {}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::Ring;

    /// Any sequence of pushes and pops leaves the ring holding what a `VecDeque` would, and
    /// `upcoming` names only slots the next pushes write.
    #[test]
    fn behaves_as_a_queue() {
        let mut ring = Ring::default();
        let mut model = VecDeque::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for step in 0..20_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if x % 5 < 3 {
                ring.push_back(step);
                model.push_back(step);
            } else {
                ring.pop_front();
                model.pop_front();
            }
            assert_eq!(ring.len(), model.len());
            assert_eq!(ring.front(), model.front());
            let i = (x >> 20) as usize % (model.len() + 1);
            assert_eq!(ring.get(i), model.get(i));
            if step % 997 == 0 {
                assert!(ring.iter().eq(model.iter()));
                let before = ring.clone();
                let upcoming: Vec<u64> = ring.upcoming(3).copied().collect();
                let mut pushed = ring.clone();
                for (k, _) in upcoming.iter().enumerate() {
                    pushed.push_back(1_000_000 + k as u64);
                }
                assert_eq!(ring, before, "upcoming changed nothing");
                assert!(
                    pushed
                        .iter()
                        .skip(model.len())
                        .eq([1_000_000u64, 1_000_001, 1_000_002]
                            .iter()
                            .take(upcoming.len()))
                );
            }
        }
    }
}
