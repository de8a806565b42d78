//! Where the order rollups keep their cells: one small interface, [`Cells`], and the fast
//! storage behind it.
//!
//! A rollup (sales by listing and month, service by seller and day, demand by PIN code and
//! month) says what it counts — a key, a totals type with its `add` and `merge` — and hands
//! its cells to a [`Cells`] store, which says nothing about what is counted. Every rollup uses
//! the same store, [`PackedCells`]: packed cells (`crate::cells`), laid out period-major in
//! chunks (`crate::slots`), each entity's record found by indexing a paged table with its id.
//! A plain `BTreeMap` store with the same interface (in tests) adds each order with the totals'
//! own `add`, and a property test proves that the whole [`ImpactReport`](crate::ImpactReport)
//! is the same through either.
//!
//! Which store a fold uses is its [`Storage`] type parameter, defaulted to [`Fast`]; the trait
//! is public only so that the folds can name it, and nothing outside the crate can reach it.

use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;

use haat_core::{ListingId, PinCode, SellerId};

use crate::cells::{OrderFacts, Packed};
use crate::prefetch::prefetch;
use crate::slots::{Latest, PagedTable, PeriodTable};

/// Something cells are kept for: a listing of a seller, a seller, a PIN code.
pub trait Entity: Copy + Ord + Hash + Debug {
    /// A dense id below 2²⁴ for the direct table, with a tag the record must carry (another
    /// entity with the same id and another tag goes to the overflow); `None` for the overflow.
    fn dense(&self) -> Option<(u32, u32)>;
    /// The entity with direct id `id` and `tag`.
    fn from_dense(id: u32, tag: u32) -> Option<Self>;
}

/// The tag of a direct record no entity has.
const EMPTY: u32 = u32::MAX;

/// Direct ids are below this; overflow slots start here.
const OVERFLOW: u32 = PagedTable::<()>::LIMIT;

#[inline(always)]
fn dense_id(id: u64) -> Option<u32> {
    u32::try_from(id).ok().filter(|id| *id < OVERFLOW)
}

impl Entity for SellerId {
    #[inline(always)]
    fn dense(&self) -> Option<(u32, u32)> {
        Some((dense_id(self.get())?, 0))
    }
    fn from_dense(id: u32, _: u32) -> Option<Self> {
        Some(SellerId::new(u64::from(id)))
    }
}

/// A seller's listing: the listing id is the direct id, the seller's the tag.
impl Entity for (SellerId, ListingId) {
    #[inline(always)]
    fn dense(&self) -> Option<(u32, u32)> {
        Some((dense_id(self.1.get())?, dense_id(self.0.get())?))
    }
    fn from_dense(id: u32, tag: u32) -> Option<Self> {
        Some((SellerId::new(u64::from(tag)), ListingId::new(u64::from(id))))
    }
}

impl Entity for PinCode {
    #[inline(always)]
    fn dense(&self) -> Option<(u32, u32)> {
        Some((dense_id(u64::from(self.get()))?, 0))
    }
    fn from_dense(id: u32, _: u32) -> Option<Self> {
        PinCode::new(id)
    }
}

/// What a store keeps per entity beside its cells (a seller's first sale), folded with the
/// same orders.
pub trait EntityFact: Copy + Default + PartialEq + Debug {
    /// Adds one order.
    fn add(&mut self, facts: &OrderFacts);
    /// Adds another store's fact for the same entity.
    fn merge(&mut self, other: &Self);
}

impl EntityFact for () {
    #[inline]
    fn add(&mut self, _: &OrderFacts) {}
    fn merge(&mut self, _: &Self) {}
}

/// The door: cells of totals by (entity, period), for one rollup.
///
/// `P` is the rollup's packed cell, whose full-width form `P::Wide` is its totals type; `X`
/// what it keeps per entity. Periods are IST month indexes or day numbers.
pub trait Cells<E: Entity, P: Packed, X: EntityFact>: Clone + Debug + Default {
    /// Adds one order to `entity`'s cell for `period` (and to its fact).
    fn add(&mut self, entity: E, period: i32, facts: &OrderFacts);
    /// Adds full-width `totals` to `entity`'s cell for `period`.
    fn merge_cell(&mut self, entity: E, period: i32, totals: &P::Wide);
    /// Adds `fact` to `entity`'s.
    fn merge_fact(&mut self, entity: E, fact: &X);
    /// Asks for what adding to `entity` will read, ahead of adding (a hint).
    fn prefetch(&self, entity: E);
    /// Every cell, periods in order, entities in no particular order.
    fn cells(&self) -> impl Iterator<Item = (E, i32, P::Wide)> + '_;
    /// The cells with periods in `from..=to`, periods in order.
    fn range(&self, from: i32, to: i32) -> impl Iterator<Item = (E, i32, P::Wide)> + '_;
    /// Every entity with a cell, and its fact, in no particular order.
    fn entities(&self) -> impl Iterator<Item = (E, X)> + '_;
    /// `entity`'s fact, if it has a cell.
    fn fact(&self, entity: E) -> Option<X>;
    /// The number of cells.
    fn len(&self) -> usize;

    /// Adds every cell and fact of `other`: associative and commutative, as the totals'
    /// `merge` is.
    fn merge(&mut self, other: &Self) {
        for (entity, period, totals) in other.cells() {
            self.merge_cell(entity, period, &totals);
        }
        for (entity, fact) in other.entities() {
            self.merge_fact(entity, &fact);
        }
    }
}

/// Which [`Cells`] store the folds use.
pub trait Storage: Clone + Copy + Debug + Default + PartialEq + Eq {
    /// The store for entities `E`, packed cells `P` and facts `X`.
    type Cells<E: Entity, P: Packed, X: EntityFact>: Cells<E, P, X>;
}

/// The folds' storage: [`PackedCells`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fast;

impl Storage for Fast {
    type Cells<E: Entity, P: Packed, X: EntityFact> = PackedCells<E, P, X>;
}

/// An entity's record: its tag, where its latest cell is, its fact.
#[derive(Clone, Copy, Debug)]
struct Record<X> {
    tag: u32,
    latest: Latest,
    fact: X,
}

/// Cells packed small, period-major in chunks ([`PeriodTable`]), each entity's record found by
/// indexing a paged table with its dense id — one memory access, no hashing — or, for ids past
/// 2²⁴ and a second entity with the same id, through a hash map to an overflow slot. A cell
/// that outgrows its packed fields moves, once, to full width in `wide`.
#[derive(Clone, Debug)]
pub struct PackedCells<E, P: Packed, X> {
    direct: PagedTable<Record<X>>,
    overflow: Vec<Record<X>>,
    overflow_ids: Vec<E>,
    overflow_index: HashMap<E, u32>,
    /// The slots of the entities with cells, in the order they first had one.
    seen: Vec<u32>,
    cells: PeriodTable<P>,
    wide: Vec<P::Wide>,
}

impl<E, P: Packed, X> Default for PackedCells<E, P, X> {
    fn default() -> Self {
        PackedCells {
            direct: PagedTable::default(),
            overflow: Vec::new(),
            overflow_ids: Vec::new(),
            overflow_index: HashMap::new(),
            seen: Vec::new(),
            cells: PeriodTable::default(),
            wide: Vec::new(),
        }
    }
}

impl<E: Entity, P: Packed, X: EntityFact> PackedCells<E, P, X> {
    /// The record of no entity.
    fn no_record() -> Record<X> {
        Record {
            tag: EMPTY,
            latest: Latest::NONE,
            fact: X::default(),
        }
    }

    /// The slot of `entity`, its record made if need be.
    fn slot_or_make(&mut self, entity: E) -> u32 {
        if let Some((id, tag)) = entity.dense() {
            let record = self.direct.get_or_make(id, Self::no_record());
            if record.tag == EMPTY {
                record.tag = tag;
                self.seen.push(id);
                return id;
            }
            if record.tag == tag {
                return id;
            }
        }
        if let Some(&slot) = self.overflow_index.get(&entity) {
            return slot;
        }
        let slot = OVERFLOW.saturating_add(self.overflow.len() as u32);
        self.overflow.push(Self::no_record());
        self.overflow_ids.push(entity);
        self.overflow_index.insert(entity, slot);
        self.seen.push(slot);
        slot
    }

    /// The slot of `entity`, if it has a record.
    fn find(&self, entity: E) -> Option<u32> {
        if let Some((id, tag)) = entity.dense()
            && self.direct.get(id).is_some_and(|r| r.tag == tag)
        {
            return Some(id);
        }
        self.overflow_index.get(&entity).copied()
    }

    fn record(&self, slot: u32) -> Option<&Record<X>> {
        match slot.checked_sub(OVERFLOW) {
            None => self.direct.get(slot),
            Some(at) => self.overflow.get(at as usize),
        }
    }

    fn entity(&self, slot: u32) -> Option<E> {
        match slot.checked_sub(OVERFLOW) {
            None => E::from_dense(slot, self.direct.get(slot)?.tag),
            Some(at) => self.overflow_ids.get(at as usize).copied(),
        }
    }

    /// `entity`'s record (made if need be) and its cell for `period`, with the full-width
    /// cells, to change together.
    #[allow(clippy::type_complexity)]
    fn parts(
        &mut self,
        entity: E,
        period: i32,
    ) -> Option<(&mut X, Option<&mut P>, &mut Vec<P::Wide>)> {
        let slot = self.slot_or_make(entity);
        let record = record_in(&mut self.direct, &mut self.overflow, slot)?;
        let cell = self.cells.get(slot, period, &mut record.latest);
        Some((&mut record.fact, cell, &mut self.wide))
    }

    /// [`Cells::add`] for an entity not in the direct table: new, past 2²⁴ or sharing an id.
    #[inline(never)]
    fn add_slow(&mut self, entity: E, period: i32, facts: &OrderFacts) {
        if let Some((fact, cell, wide)) = self.parts(entity, period) {
            fact.add(facts);
            if let Some(cell) = cell {
                cell.add(facts, wide);
            }
        }
    }

    fn widened<'a>(
        &'a self,
        period: crate::slots::PeriodCells<'a, P>,
    ) -> impl Iterator<Item = (E, i32, P::Wide)> + 'a {
        let key = period.key;
        period.iter().filter_map(move |(slot, cell)| {
            Some((self.entity(slot)?, key, cell.widen_in(&self.wide)))
        })
    }
}

/// The record in `slot`: below 2²⁴ the direct table's, from there on the overflow's.
fn record_in<'a, X: Copy>(
    direct: &'a mut PagedTable<Record<X>>,
    overflow: &'a mut [Record<X>],
    slot: u32,
) -> Option<&'a mut Record<X>> {
    match slot.checked_sub(OVERFLOW) {
        None => direct.get_mut(slot),
        Some(at) => overflow.get_mut(at as usize),
    }
}

impl<E: Entity, P: Packed, X: EntityFact> Cells<E, P, X> for PackedCells<E, P, X> {
    // Inlined into the fold's loop, as the code it replaces was: a call per order and store
    // measured slower.
    #[inline(always)]
    fn add(&mut self, entity: E, period: i32, facts: &OrderFacts) {
        // The common case, found with one look: the entity's own record in the direct table.
        if let Some((id, tag)) = entity.dense()
            && let Some(record) = self.direct.get_mut(id)
            && record.tag == tag
        {
            record.fact.add(facts);
            if let Some(cell) = self.cells.get(id, period, &mut record.latest) {
                cell.add(facts, &mut self.wide);
            }
            return;
        }
        self.add_slow(entity, period, facts);
    }

    fn merge_cell(&mut self, entity: E, period: i32, totals: &P::Wide) {
        if let Some((_, Some(cell), wide)) = self.parts(entity, period) {
            cell.merge(totals, wide);
        }
    }

    fn merge_fact(&mut self, entity: E, fact: &X) {
        // (Every entity the other store has facts for has a cell there, merged first.)
        let slot = self.slot_or_make(entity);
        if let Some(record) = record_in(&mut self.direct, &mut self.overflow, slot) {
            record.fact.merge(fact);
        }
    }

    #[inline]
    fn prefetch(&self, entity: E) {
        if let Some((id, _)) = entity.dense()
            && let Some(record) = self.direct.get(id)
        {
            prefetch(record);
        }
    }

    fn cells(&self) -> impl Iterator<Item = (E, i32, P::Wide)> + '_ {
        self.cells.periods().flat_map(|period| self.widened(period))
    }

    fn range(&self, from: i32, to: i32) -> impl Iterator<Item = (E, i32, P::Wide)> + '_ {
        self.cells
            .range(from, to)
            .flat_map(|period| self.widened(period))
    }

    fn entities(&self) -> impl Iterator<Item = (E, X)> + '_ {
        self.seen
            .iter()
            .filter_map(|&slot| Some((self.entity(slot)?, self.record(slot)?.fact)))
    }

    fn fact(&self, entity: E) -> Option<X> {
        self.record(self.find(entity)?).map(|record| record.fact)
    }

    fn len(&self) -> usize {
        self.cells.len()
    }
}

/// The plain storage: a `BTreeMap` per store, each order added with its totals' own `add`.
#[cfg(test)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Plain;

#[cfg(test)]
impl Storage for Plain {
    type Cells<E: Entity, P: Packed, X: EntityFact> = PlainCells<E, P, X>;
}

/// Cells in a `BTreeMap` by (period, entity), facts in one by entity.
#[cfg(test)]
#[derive(Clone, Debug)]
pub struct PlainCells<E, P: Packed, X> {
    cells: std::collections::BTreeMap<(i32, E), P::Wide>,
    facts: std::collections::BTreeMap<E, X>,
}

#[cfg(test)]
impl<E, P: Packed, X> Default for PlainCells<E, P, X> {
    fn default() -> Self {
        PlainCells {
            cells: std::collections::BTreeMap::new(),
            facts: std::collections::BTreeMap::new(),
        }
    }
}

#[cfg(test)]
impl<E: Entity, P: Packed, X: EntityFact> Cells<E, P, X> for PlainCells<E, P, X> {
    fn add(&mut self, entity: E, period: i32, facts: &OrderFacts) {
        use crate::cells::Totals;
        self.cells
            .entry((period, entity))
            .or_default()
            .add(facts.order());
        self.facts.entry(entity).or_default().add(facts);
    }

    fn merge_cell(&mut self, entity: E, period: i32, totals: &P::Wide) {
        use crate::cells::Totals;
        self.cells
            .entry((period, entity))
            .or_default()
            .merge(totals);
        self.facts.entry(entity).or_default();
    }

    fn merge_fact(&mut self, entity: E, fact: &X) {
        self.facts.entry(entity).or_default().merge(fact);
    }

    fn prefetch(&self, _: E) {}

    fn cells(&self) -> impl Iterator<Item = (E, i32, P::Wide)> + '_ {
        self.cells
            .iter()
            .map(|(&(period, entity), totals)| (entity, period, *totals))
    }

    fn range(&self, from: i32, to: i32) -> impl Iterator<Item = (E, i32, P::Wide)> + '_ {
        self.cells()
            .skip_while(move |(_, period, _)| *period < from)
            .take_while(move |(_, period, _)| *period <= to)
    }

    fn entities(&self) -> impl Iterator<Item = (E, X)> + '_ {
        self.facts.iter().map(|(entity, fact)| (*entity, *fact))
    }

    fn fact(&self, entity: E) -> Option<X> {
        self.facts.get(&entity).copied()
    }

    fn len(&self) -> usize {
        self.cells.len()
    }
}

#[cfg(test)]
mod tests;
