//! Small building blocks of the order folds' hot path: a table indexed by id that needs no
//! hashing for the dense ids marketplaces hand out, and cells by period in chunks, each entity
//! pointing at its latest cell by number.

use haat_core::FastHashMap;

/// Ids below this go in the paged table; larger ones in a map.
const DIRECT_LIMIT: u64 = 1 << 24;
const PAGE_BITS: u32 = 10;
const PAGE: usize = 1 << PAGE_BITS;

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

/// Where an entity's (a listing's, a seller's, a PIN code's) latest cell is: that cell's
/// number in its [`PeriodTable`], which names the chunk it is in (and the chunk its period),
/// or [`Latest::NONE`] while the entity has no cell. Four bytes, so that the records that
/// hold one stay small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Latest(u32);

impl Latest {
    /// No cell yet.
    pub(crate) const NONE: Latest = Latest(u32::MAX);
}

impl Default for Latest {
    fn default() -> Self {
        Latest::NONE
    }
}

/// Cells per chunk: a cell's number is its chunk's number times this, plus its place in it.
const CHUNK_BITS: u32 = 12;
const CHUNK: usize = 1 << CHUNK_BITS;
/// Chunks a table may have: cell numbers are `u32`, and `u32::MAX` is [`Latest::NONE`].
const MAX_CHUNKS: usize = (1 << (32 - CHUNK_BITS)) - 1;

/// Up to [`CHUNK`] cells of one period, each with its entity's slot. A period's first chunk
/// grows as a vector does (a small fold stays small); every later one is allocated whole, at
/// once. A cell never moves to another chunk, so its number stays valid; a growing vector of
/// all a period's cells would instead copy them at every doubling and touch fresh pages for
/// the copy.
#[derive(Clone, Debug)]
struct Chunk<V> {
    key: i32,
    /// Each cell with its entity's slot.
    cells: Vec<(u32, V)>,
}

/// One period: its key and the numbers of its chunks, in the order they were opened.
#[derive(Clone, Debug)]
struct PeriodChunks {
    key: i32,
    chunks: Vec<u32>,
    /// Slot → cell number, built the first time an entity comes back to this period after
    /// moving on to a later one (orders out of time order), and kept up to date from then on.
    /// (Slots are handed out in sequence by the fold, so no adversary picks them: the
    /// workspace's fast hasher serves.)
    index: Option<FastHashMap<u32, u32>>,
}

/// Cells laid out period-major: each period's (IST month's or day's) cells in chunks of their
/// own, in the order they were opened, each cell tagged with its entity's slot, and each entity
/// remembering its latest cell by number. Orders arrive mostly in time order, so the working
/// set is the current period's cells — the entities active in it, packed together — and a new
/// cell is an append to a chunk that is already in cache, not an allocation per entity.
///
/// Finding an entity's cell for the current period costs one look at its latest cell's chunk
/// (a small table, always in cache): the same period, that cell; an earlier one, a new cell
/// appended. An entity coming back to an earlier period (orders out of time order) is found
/// through a slot → cell map that the period builds the first time that happens. Cells never
/// move, so no cell is ever duplicated.
#[derive(Clone, Debug)]
pub(crate) struct PeriodTable<V> {
    /// Every chunk, by number.
    chunks: Vec<Chunk<V>>,
    /// Sorted by key.
    periods: Vec<PeriodChunks>,
    /// The period appended to last: the current one, for orders in time order.
    recent: usize,
    /// The chunk appended to last, while its period keeps no index (`usize::MAX`: none).
    open: usize,
    /// The period with the greatest key.
    newest: Newest,
}

/// The period with the greatest key: its first chunk, and whether every chunk from that one
/// on is its own.
#[derive(Clone, Copy, Debug)]
struct Newest {
    key: i32,
    from: usize,
    alone: bool,
}

impl<V> Default for PeriodTable<V> {
    fn default() -> Self {
        PeriodTable {
            chunks: Vec::new(),
            periods: Vec::new(),
            recent: 0,
            open: usize::MAX,
            newest: Newest {
                key: i32::MIN,
                from: usize::MAX,
                alone: false,
            },
        }
    }
}

/// One period of a [`PeriodTable`], to read.
pub(crate) struct PeriodCells<'a, V> {
    /// The period's key.
    pub(crate) key: i32,
    table: &'a PeriodTable<V>,
    chunks: &'a [u32],
}

impl<'a, V> PeriodCells<'a, V> {
    /// Each cell with its entity's slot, in the order opened.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &'a V)> + use<'a, V> {
        let table = self.table;
        self.chunks
            .iter()
            .filter_map(move |&chunk| table.chunks.get(chunk as usize))
            .flat_map(|chunk| chunk.cells.iter().map(|(slot, cell)| (*slot, cell)))
    }
}

impl<V: Default + Copy> PeriodTable<V> {
    /// The cell of the entity in `slot` for period `key`, created empty if need be; `latest`
    /// is that entity's record of its latest cell. (`None` only past 2³² cells.)
    #[inline]
    pub(crate) fn get(&mut self, slot: u32, key: i32, latest: &mut Latest) -> Option<&mut V> {
        let number = latest.0;
        let chunk = (number >> CHUNK_BITS) as usize;
        // For the newest period (the current one, for orders in time order) the latest cell's
        // number alone tells where it is, without reading its chunk: before the period's
        // first chunk, an earlier period; from it on, while no earlier period has opened a
        // chunk since, this one.
        if key == self.newest.key && number != Latest::NONE.0 {
            if chunk < self.newest.from {
                let (number, cell) = self.push(slot, key)?;
                *latest = Latest(number);
                return Some(cell);
            }
            if self.newest.alone {
                return self
                    .chunks
                    .get_mut(chunk)?
                    .cells
                    .get_mut(number as usize & (CHUNK - 1))
                    .map(|(_, cell)| cell);
            }
        }
        // (`Latest::NONE` names chunk 2²⁰ - 1, which no table reaches: see `MAX_CHUNKS`.)
        let latest_key = self.chunks.get(chunk).map(|chunk| chunk.key);
        match latest_key {
            Some(latest_key) if latest_key == key => self
                .chunks
                .get_mut(chunk)?
                .cells
                .get_mut(number as usize & (CHUNK - 1))
                .map(|(_, cell)| cell),
            Some(latest_key) if latest_key > key => {
                let number = self.find_or_push(slot, key)?;
                self.chunks
                    .get_mut((number >> CHUNK_BITS) as usize)?
                    .cells
                    .get_mut(number as usize & (CHUNK - 1))
                    .map(|(_, cell)| cell)
            }
            // No cell yet in this period: the entity's latest is earlier, or it has none.
            _ => {
                let (number, cell) = self.push(slot, key)?;
                *latest = Latest(number);
                Some(cell)
            }
        }
    }

    /// The period `key`'s place in `periods`, made if need be.
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
                self.periods.insert(
                    at,
                    PeriodChunks {
                        key,
                        chunks: Vec::new(),
                        index: None,
                    },
                );
                at
            }
        };
        self.recent = at;
        at
    }

    /// Appends an empty cell for `slot` to period `key` and returns its number and the cell.
    #[inline]
    fn push(&mut self, slot: u32, key: i32) -> Option<(u32, &mut V)> {
        // The chunk appended to last, if it is this period's and has room (and the period
        // keeps no index to update).
        let open = self.open;
        if !self
            .chunks
            .get(open)
            .is_some_and(|chunk| chunk.key == key && chunk.cells.len() < CHUNK)
        {
            return self.push_slow(slot, key);
        }
        let chunk = self.chunks.get_mut(open)?;
        let number = (open as u32) << CHUNK_BITS | chunk.cells.len() as u32;
        chunk.cells.push((slot, V::default()));
        Some((number, &mut chunk.cells.last_mut()?.1))
    }

    #[inline(never)]
    fn push_slow(&mut self, slot: u32, key: i32) -> Option<(u32, &mut V)> {
        let at = self.period(key);
        let period = self.periods.get_mut(at)?;
        let chunk = match period.chunks.last() {
            Some(&last)
                if self
                    .chunks
                    .get(last as usize)
                    .is_some_and(|c| c.cells.len() < CHUNK) =>
            {
                last
            }
            _ => {
                if self.chunks.len() >= MAX_CHUNKS {
                    return None;
                }
                let number = self.chunks.len() as u32;
                let first = period.chunks.is_empty();
                if first && (key > self.newest.key || self.newest.from == usize::MAX) {
                    self.newest = Newest {
                        key,
                        from: number as usize,
                        alone: true,
                    };
                } else if key != self.newest.key {
                    self.newest.alone = false;
                }
                period.chunks.push(number);
                self.chunks.push(Chunk {
                    key,
                    cells: if first {
                        Vec::new()
                    } else {
                        Vec::with_capacity(CHUNK)
                    },
                });
                number
            }
        };
        let cells = self.chunks.get_mut(chunk as usize)?;
        let number = chunk << CHUNK_BITS | cells.cells.len() as u32;
        cells.cells.push((slot, V::default()));
        // A period with an index never takes the fast path: every cell must go in the index.
        self.open = match &mut period.index {
            Some(index) => {
                index.insert(slot, number);
                usize::MAX
            }
            None => chunk as usize,
        };
        Some((number, &mut cells.cells.last_mut()?.1))
    }

    /// The number of `slot`'s cell in period `key`, appended if it has none.
    #[inline(never)]
    fn find_or_push(&mut self, slot: u32, key: i32) -> Option<u32> {
        let at = self.period(key);
        let period = self.periods.get_mut(at)?;
        let chunks = &self.chunks;
        let index = period.index.get_or_insert_with(|| {
            period
                .chunks
                .iter()
                .filter_map(|&number| Some((number, chunks.get(number as usize)?)))
                .flat_map(|(number, chunk)| {
                    chunk
                        .cells
                        .iter()
                        .enumerate()
                        .map(move |(at, (slot, _))| (*slot, number << CHUNK_BITS | at as u32))
                })
                .collect()
        });
        let found = index.get(&slot).copied();
        // The period is indexed from now on: appends to it go the slow way, which keeps the
        // index up to date.
        self.open = usize::MAX;
        match found {
            Some(number) => Some(number),
            None => self.push_slow(slot, key).map(|(number, _)| number),
        }
    }

    /// Every period, by key.
    pub(crate) fn periods(&self) -> impl Iterator<Item = PeriodCells<'_, V>> {
        self.view(&self.periods)
    }

    /// The periods with keys in `from..=to`, by key.
    pub(crate) fn range(&self, from: i32, to: i32) -> impl Iterator<Item = PeriodCells<'_, V>> {
        let start = self.periods.partition_point(|p| p.key < from);
        let end = self.periods.partition_point(|p| p.key <= to);
        self.view(self.periods.get(start..end.max(start)).unwrap_or_default())
    }

    fn view<'a>(
        &'a self,
        periods: &'a [PeriodChunks],
    ) -> impl Iterator<Item = PeriodCells<'a, V>> + use<'a, V> {
        periods.iter().map(move |period| PeriodCells {
            key: period.key,
            table: self,
            chunks: &period.chunks,
        })
    }

    /// The number of cells.
    pub(crate) fn len(&self) -> usize {
        self.chunks.iter().map(|chunk| chunk.cells.len()).sum()
    }
}
