//! Small building blocks of the order folds' hot path: an id-to-slot index that needs no
//! hashing for the dense ids marketplaces hand out, and cells by period with the latest inline.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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

/// Values of type `T` by id, for ids below 2²⁴, in 1,024-entry pages allocated on first use:
/// the record itself where the id is, one memory access and no hashing.
#[derive(Clone, Debug)]
pub(crate) struct PagedTable<T> {
    pages: Vec<Option<Box<[T; PAGE]>>>,
}

impl<T> Default for PagedTable<T> {
    fn default() -> Self {
        PagedTable { pages: Vec::new() }
    }
}

impl<T: Copy> PagedTable<T> {
    /// Ids from this one up are not kept here.
    pub(crate) const LIMIT: u32 = DIRECT_LIMIT as u32;

    /// The value of `id`, if its page exists.
    #[inline]
    pub(crate) fn get(&self, id: u32) -> Option<&T> {
        let page = self.pages.get((id >> PAGE_BITS) as usize)?.as_ref()?;
        page.get(id as usize & (PAGE - 1))
    }

    /// The value of `id`, if its page exists.
    #[inline]
    pub(crate) fn get_mut(&mut self, id: u32) -> Option<&mut T> {
        let page = self.pages.get_mut((id >> PAGE_BITS) as usize)?.as_mut()?;
        page.get_mut(id as usize & (PAGE - 1))
    }

    /// The value of `id`, its page made (filled with `empty`) if need be.
    pub(crate) fn get_or_make(&mut self, id: u32, empty: T) -> &mut T {
        let page = (id >> PAGE_BITS) as usize;
        if page >= self.pages.len() {
            self.pages.resize_with(page + 1, || None);
        }
        let page = self.pages[page].get_or_insert_with(|| Box::new([empty; PAGE]));
        &mut page[id as usize & (PAGE - 1)]
    }
}

/// Where an entity's (a listing's, a seller's, a PIN code's) latest cell is: the greatest
/// period key it has a cell in, and that cell's index in the period. `key` is `i32::MIN`
/// while the entity has no cell.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Latest {
    key: i32,
    index: u32,
}

impl Latest {
    /// No cell yet.
    pub(crate) const NONE: Latest = Latest {
        key: i32::MIN,
        index: 0,
    };
}

impl Default for Latest {
    fn default() -> Self {
        Latest::NONE
    }
}

/// Values appended in fixed-size chunks, so that none ever moves: the first chunk grows as a
/// vector does (a small fold stays small), every later one is allocated whole, once. A growing
/// vector would copy its cells at each doubling and touch fresh pages for the copy; here each
/// cell is written where it stays.
#[derive(Clone, Debug)]
pub(crate) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: u32,
}

/// Values per chunk.
const CHUNK_BITS: u32 = 12;
const CHUNK: usize = 1 << CHUNK_BITS;

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    /// The number of values.
    #[inline]
    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    /// The value at `at`.
    #[inline]
    pub(crate) fn get_mut(&mut self, at: u32) -> Option<&mut T> {
        self.chunks
            .get_mut((at >> CHUNK_BITS) as usize)?
            .get_mut(at as usize & (CHUNK - 1))
    }

    /// Appends `value` and returns its index.
    #[inline]
    pub(crate) fn push(&mut self, value: T) -> u32 {
        let at = self.len;
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(value),
            _ => self.push_chunk(value),
        }
        self.len = self.len.saturating_add(1);
        at
    }

    #[inline(never)]
    fn push_chunk(&mut self, value: T) {
        let mut chunk = if self.chunks.is_empty() {
            Vec::new()
        } else {
            Vec::with_capacity(CHUNK)
        };
        chunk.push(value);
        self.chunks.push(chunk);
    }

    /// Every value, in the order appended.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }
}

/// One period's cells, in the order they were opened: each cell's entity slot and the cell,
/// in two parallel chunked arrays (the hot path reads and writes only the cells).
#[derive(Clone, Debug)]
pub(crate) struct Period<V> {
    pub(crate) key: i32,
    slots: Chunked<u32>,
    cells: Chunked<V>,
    /// Slot → index, built the first time an entity comes back to this period after moving
    /// on to a later one (orders out of time order), and kept up to date from then on.
    index: Option<HashMap<u32, u32, BuildHasherDefault<SlotHasher>>>,
}

/// The hasher of a period's slot → index map: slots are small dense integers, so a multiply
/// by an odd constant spreads them well enough, at a fraction of SipHash's cost (no
/// adversary chooses slot numbers: the fold hands them out in sequence).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SlotHasher(u64);

impl Hasher for SlotHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u64(u64::from(*byte));
        }
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl<V: Default + Copy> Period<V> {
    fn new(key: i32) -> Self {
        Period {
            key,
            slots: Chunked::default(),
            cells: Chunked::default(),
            index: None,
        }
    }

    #[inline]
    fn push(&mut self, slot: u32) -> u32 {
        let at = self.cells.push(V::default());
        self.slots.push(slot);
        if let Some(index) = &mut self.index {
            index.insert(slot, at);
        }
        at
    }

    #[inline(never)]
    fn find_or_push(&mut self, slot: u32) -> u32 {
        let slots = &self.slots;
        let index = self.index.get_or_insert_with(|| {
            slots
                .iter()
                .enumerate()
                .map(|(at, slot)| (*slot, at as u32))
                .collect()
        });
        if let Some(&at) = index.get(&slot) {
            return at;
        }
        self.push(slot)
    }

    /// The number of cells.
    pub(crate) fn len(&self) -> usize {
        self.cells.len() as usize
    }

    /// Each cell with its entity's slot, in the order opened.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &V)> {
        self.slots.iter().copied().zip(self.cells.iter())
    }
}

/// Cells laid out period-major: one append-only vector of cells per period (IST month or
/// day), each cell tagged with its entity's slot, and each entity remembering where its latest
/// cell is. Orders arrive mostly in time order, so the working set is the current period's
/// cells — the entities active in it, packed together — and a new cell is an append to one
/// vector that is already in cache, not an allocation per entity. An entity coming back to an
/// earlier period (orders out of time order) is found through a slot → index map that the
/// period builds the first time that happens. Cells never move, so no cell is ever duplicated.
#[derive(Clone, Debug)]
pub(crate) struct PeriodTable<V> {
    /// Sorted by key.
    periods: Vec<Period<V>>,
    /// The period used last: the current one, for orders in time order.
    recent: usize,
}

impl<V> Default for PeriodTable<V> {
    fn default() -> Self {
        PeriodTable {
            periods: Vec::new(),
            recent: 0,
        }
    }
}

impl<V: Default + Copy> PeriodTable<V> {
    #[inline]
    fn period(&mut self, key: i32) -> usize {
        if let Some(period) = self.periods.get(self.recent)
            && period.key == key
        {
            return self.recent;
        }
        self.find_period(key)
    }

    #[inline(never)]
    fn find_period(&mut self, key: i32) -> usize {
        let at = match self.periods.binary_search_by_key(&key, |p| p.key) {
            Ok(at) => at,
            Err(at) => {
                self.periods.insert(at, Period::new(key));
                at
            }
        };
        self.recent = at;
        at
    }

    /// The cell of the entity in `slot` for period `key`, created empty if need be; `latest`
    /// is that entity's record of its latest cell. (`None` only if more than 2³² cells were
    /// opened in one period.)
    #[inline]
    pub(crate) fn get(&mut self, slot: u32, key: i32, latest: &mut Latest) -> Option<&mut V> {
        let period = self.period(key);
        let period = &mut self.periods[period];
        let at = if key == latest.key && latest.index < period.cells.len() {
            latest.index
        } else if key > latest.key {
            // The entity has no cell in this period yet: its latest is earlier.
            let at = period.push(slot);
            *latest = Latest { key, index: at };
            at
        } else {
            period.find_or_push(slot)
        };
        period.cells.get_mut(at)
    }

    /// Every period, by key.
    pub(crate) fn periods(&self) -> &[Period<V>] {
        &self.periods
    }

    /// The periods with keys in `from..=to`, by key.
    pub(crate) fn range(&self, from: i32, to: i32) -> &[Period<V>] {
        let start = self.periods.partition_point(|p| p.key < from);
        let end = self.periods.partition_point(|p| p.key <= to);
        self.periods.get(start..end.max(start)).unwrap_or_default()
    }

    /// The number of cells.
    pub(crate) fn len(&self) -> usize {
        self.periods.iter().map(Period::len).sum()
    }
}
