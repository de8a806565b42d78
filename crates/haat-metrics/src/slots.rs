//! Small building blocks of the order folds' hot path: an id-to-slot index that needs no
//! hashing for the dense ids marketplaces hand out, and cells by period with the latest inline.

use std::collections::HashMap;

/// Ids below this go in the paged table; larger ones in a map.
const DIRECT_LIMIT: u64 = 1 << 24;
const PAGE_BITS: u32 = 10;
const PAGE: usize = 1 << PAGE_BITS;
const EMPTY: u32 = u32::MAX;

/// Maps a `u64` id to a `u32` slot. Ids are mostly small and dense (a marketplace numbers its
/// sellers and listings in sequence; PIN codes are six digits), so those below 2²⁴ are found
/// in a two-level table of 1,024-slot pages allocated on first use — no hashing, two memory
/// accesses, the first almost always cached; the rest go through std's `HashMap`.
#[derive(Clone, Debug, Default)]
pub(crate) struct SlotIndex {
    pages: Vec<Option<Box<[u32; PAGE]>>>,
    overflow: HashMap<u64, u32>,
}

impl SlotIndex {
    #[inline]
    pub(crate) fn get(&self, id: u64) -> Option<u32> {
        if id < DIRECT_LIMIT {
            let page = self.pages.get((id >> PAGE_BITS) as usize)?.as_ref()?;
            let slot = page[id as usize & (PAGE - 1)];
            (slot != EMPTY).then_some(slot)
        } else {
            self.overflow.get(&id).copied()
        }
    }

    pub(crate) fn insert(&mut self, id: u64, slot: u32) {
        if id < DIRECT_LIMIT {
            let page = (id >> PAGE_BITS) as usize;
            if page >= self.pages.len() {
                self.pages.resize(page + 1, None);
            }
            let page = self.pages[page].get_or_insert_with(|| Box::new([EMPTY; PAGE]));
            page[id as usize & (PAGE - 1)] = slot;
        } else {
            self.overflow.insert(id, slot);
        }
    }
}

/// Cells by period, sorted, the latest kept apart: orders mostly arrive in time order, so the
/// latest cell is the one updated, and it sits inline in its slot instead of behind a pointer.
#[derive(Clone, Debug)]
pub(crate) struct Cells<V> {
    /// The latest period's key; `i32::MIN` while empty.
    pub(crate) latest_key: i32,
    pub(crate) latest: V,
    /// The earlier periods, sorted by key, all before `latest_key`.
    pub(crate) earlier: Vec<(i32, V)>,
}

impl<V: Default + Copy> Default for Cells<V> {
    fn default() -> Self {
        Cells {
            latest_key: i32::MIN,
            latest: V::default(),
            earlier: Vec::new(),
        }
    }
}

impl<V: Default + Copy> Cells<V> {
    /// The cell of `key`, created empty if need be.
    #[inline]
    pub(crate) fn get(&mut self, key: i32) -> &mut V {
        if key == self.latest_key {
            return &mut self.latest;
        }
        if key > self.latest_key {
            if self.latest_key != i32::MIN {
                self.earlier.push((self.latest_key, self.latest));
            }
            self.latest_key = key;
            self.latest = V::default();
            return &mut self.latest;
        }
        let position = match self.earlier.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(found) => found,
            Err(at) => {
                self.earlier.insert(at, (key, V::default()));
                at
            }
        };
        &mut self.earlier[position].1
    }

    /// Every cell, in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (i32, &V)> {
        let latest = (self.latest_key != i32::MIN).then_some((self.latest_key, &self.latest));
        self.earlier.iter().map(|(k, v)| (*k, v)).chain(latest)
    }

    /// The cells with keys in `from..=to`, in key order.
    pub(crate) fn range(&self, from: i32, to: i32) -> impl Iterator<Item = (i32, &V)> {
        let start = self.earlier.partition_point(|(k, _)| *k < from);
        let latest = (self.latest_key != i32::MIN).then_some((self.latest_key, &self.latest));
        self.earlier[start..]
            .iter()
            .map(|(k, v)| (*k, v))
            .chain(latest)
            .take_while(move |(k, _)| *k <= to)
            .filter(move |(k, _)| *k >= from)
    }

    pub(crate) fn len(&self) -> usize {
        self.earlier.len() + usize::from(self.latest_key != i32::MIN)
    }
}
