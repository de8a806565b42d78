//! Sales: orders folded by seller, listing and IST month, and service counts by seller and IST
//! day.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use haat_core::{
    Decimal, ListingId, Money, Month, SellerId, date_of_day_number, day_number_of_date,
    ist_day_number, month_index_of_day_number,
};
use serde::{Deserialize, Serialize};

use crate::OrderRecord;
use crate::cells::{OrderFacts, Packed, PackedSales, PackedService};
use crate::growth::percent_of;
use crate::prefetch::prefetch;
use crate::slots::{Latest, PagedTable, PeriodTable};

/// What a set of order lines adds up to.
///
/// Gross figures count every order placed; net figures leave out cancelled and returned ones.
/// Amounts are kept in paise as `i128`, so sums never lose a paisa and never overflow at any
/// marketplace's scale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SalesTotals {
    /// Order lines placed.
    pub orders: u64,
    /// Units placed.
    pub units: u64,
    /// Value placed (GMV), in paise.
    pub gross_paise: i128,
    /// Order lines cancelled, by anyone.
    pub cancelled: u64,
    /// Order lines the seller cancelled.
    pub seller_cancelled: u64,
    /// Order lines returned.
    pub returned: u64,
    /// Order lines dispatched.
    pub dispatched: u64,
    /// Order lines dispatched after the promised time.
    pub late_dispatched: u64,
    /// Order lines delivered.
    pub delivered: u64,
    /// Order lines neither cancelled nor returned.
    pub net_orders: u64,
    /// Units sold and kept (neither cancelled nor returned).
    pub net_units: u64,
    /// Value sold and kept, in paise.
    pub net_paise: i128,
}

impl SalesTotals {
    /// Adds one order line: the one place that says what an order counts as (the rules
    /// themselves are [`OrderRecord`]'s: [`OrderRecord::is_net_sale`],
    /// [`OrderRecord::is_late_dispatch`], [`OrderRecord::is_seller_cancelled`]).
    pub fn add(&mut self, order: &OrderRecord) {
        let quantity = u64::from(order.quantity);
        let paise = order.amount.paise();
        let net = order.is_net_sale();
        self.merge(&SalesTotals {
            orders: 1,
            units: quantity,
            gross_paise: paise,
            cancelled: u64::from(order.cancellation.is_some()),
            seller_cancelled: u64::from(order.is_seller_cancelled()),
            returned: u64::from(order.returned_at.is_some()),
            dispatched: u64::from(order.dispatched_at.is_some()),
            late_dispatched: u64::from(order.is_late_dispatch()),
            delivered: u64::from(order.delivered_at.is_some()),
            net_orders: u64::from(net),
            net_units: if net { quantity } else { 0 },
            net_paise: if net { paise } else { 0 },
        });
    }

    /// Adds another set of totals to this one (saturating). Addition of counts is associative
    /// and commutative, and so is this.
    #[inline]
    pub fn merge(&mut self, other: &SalesTotals) {
        self.orders = self.orders.saturating_add(other.orders);
        self.units = self.units.saturating_add(other.units);
        self.gross_paise = self.gross_paise.saturating_add(other.gross_paise);
        self.cancelled = self.cancelled.saturating_add(other.cancelled);
        self.seller_cancelled = self.seller_cancelled.saturating_add(other.seller_cancelled);
        self.returned = self.returned.saturating_add(other.returned);
        self.dispatched = self.dispatched.saturating_add(other.dispatched);
        self.late_dispatched = self.late_dispatched.saturating_add(other.late_dispatched);
        self.delivered = self.delivered.saturating_add(other.delivered);
        self.net_orders = self.net_orders.saturating_add(other.net_orders);
        self.net_units = self.net_units.saturating_add(other.net_units);
        self.net_paise = self.net_paise.saturating_add(other.net_paise);
    }

    /// Gross merchandise value: everything placed.
    pub fn gmv(&self) -> Money {
        Money::try_from_paise(self.gross_paise).unwrap_or(Money::ZERO)
    }

    /// Net sales: value neither cancelled nor returned.
    pub fn net_sales(&self) -> Money {
        Money::try_from_paise(self.net_paise).unwrap_or(Money::ZERO)
    }
}

/// What a seller's orders placed on one IST day came to, for service metrics: the counts a
/// rolling-window performance rating sums.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceCounts {
    /// Order lines placed.
    pub orders: u32,
    /// Order lines the seller cancelled.
    pub seller_cancelled: u32,
    /// Order lines dispatched.
    pub dispatched: u32,
    /// Order lines dispatched after the promised time.
    pub late_dispatched: u32,
    /// Order lines delivered.
    pub delivered: u32,
    /// Order lines returned.
    pub returned: u32,
}

impl ServiceCounts {
    /// Adds one order line (the rules are [`OrderRecord`]'s, as for [`SalesTotals::add`]).
    pub fn add(&mut self, order: &OrderRecord) {
        self.merge(&ServiceCounts {
            orders: 1,
            seller_cancelled: u32::from(order.is_seller_cancelled()),
            dispatched: u32::from(order.dispatched_at.is_some()),
            late_dispatched: u32::from(order.is_late_dispatch()),
            delivered: u32::from(order.delivered_at.is_some()),
            returned: u32::from(order.returned_at.is_some()),
        });
    }

    /// Adds another day's counts (saturating).
    pub fn merge(&mut self, other: &ServiceCounts) {
        self.orders = self.orders.saturating_add(other.orders);
        self.seller_cancelled = self.seller_cancelled.saturating_add(other.seller_cancelled);
        self.dispatched = self.dispatched.saturating_add(other.dispatched);
        self.late_dispatched = self.late_dispatched.saturating_add(other.late_dispatched);
        self.delivered = self.delivered.saturating_add(other.delivered);
        self.returned = self.returned.saturating_add(other.returned);
    }

    /// Seller cancellations as a share of orders placed (none without orders).
    ///
    /// ```
    /// use haat_metrics::ServiceCounts;
    /// let counts = ServiceCounts { orders: 40, seller_cancelled: 2, dispatched: 38,
    ///     late_dispatched: 0, delivered: 0, returned: 0 };
    /// assert_eq!(counts.cancellation_percent().map(|p| p.to_string()).as_deref(), Some("5"));
    /// assert_eq!(counts.return_percent(), None); // nothing delivered yet
    /// ```
    pub fn cancellation_percent(&self) -> Option<Decimal> {
        percent_of(u64::from(self.seller_cancelled), u64::from(self.orders))
    }

    /// Late dispatches as a share of dispatches (none without dispatches).
    pub fn late_dispatch_percent(&self) -> Option<Decimal> {
        percent_of(u64::from(self.late_dispatched), u64::from(self.dispatched))
    }

    /// Returns as a share of deliveries (none without deliveries).
    pub fn return_percent(&self) -> Option<Decimal> {
        percent_of(u64::from(self.returned), u64::from(self.delivered))
    }
}

/// The key of the finest grain sales are kept at: a seller's listing in an IST month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SalesKey {
    /// The seller.
    pub seller: SellerId,
    /// The listing.
    pub listing: ListingId,
    /// The IST month the order was placed in.
    pub month: Month,
}

/// A listing's hot record: its seller's slot and where its latest month cell is.
#[derive(Clone, Copy, Debug)]
struct ListingSlot {
    seller_slot: u32,
    latest: Latest,
}

/// The listings' records, by slot. A listing id below 2²⁴ is its own slot, its record kept
/// in a paged table where the id indexes it (one memory access finds the record, with its
/// seller's slot and latest cell); larger ids, and a second seller giving the same listing id
/// (records that disagree), take slots from 2²⁴ up through a hash map.
#[derive(Clone, Debug, Default)]
struct Listings {
    direct: PagedTable<ListingSlot>,
    overflow: Vec<ListingSlot>,
    overflow_ids: Vec<ListingId>,
    overflow_index: HashMap<(SellerId, ListingId), u32>,
}

/// A direct slot no listing has.
const NO_LISTING: ListingSlot = ListingSlot {
    seller_slot: u32::MAX,
    latest: Latest::NONE,
};

const OVERFLOW: u32 = PagedTable::<ListingSlot>::LIMIT;

/// The record in `slot`, for listings and sellers alike: a slot below `OVERFLOW` is the id
/// itself, in the direct table; from `OVERFLOW` on, a position in the overflow.
#[inline]
fn slot_in<'a, T: Copy>(direct: &'a PagedTable<T>, overflow: &'a [T], slot: u32) -> Option<&'a T> {
    match slot.checked_sub(OVERFLOW) {
        None => direct.get(slot),
        Some(at) => overflow.get(at as usize),
    }
}

/// [`slot_in`], to change the record.
#[inline]
fn slot_in_mut<'a, T: Copy>(
    direct: &'a mut PagedTable<T>,
    overflow: &'a mut [T],
    slot: u32,
) -> Option<&'a mut T> {
    match slot.checked_sub(OVERFLOW) {
        None => direct.get_mut(slot),
        Some(at) => overflow.get_mut(at as usize),
    }
}

impl Listings {
    #[inline]
    fn get(&self, slot: u32) -> Option<&ListingSlot> {
        slot_in(&self.direct, &self.overflow, slot)
    }

    #[inline]
    fn get_mut(&mut self, slot: u32) -> Option<&mut ListingSlot> {
        slot_in_mut(&mut self.direct, &mut self.overflow, slot)
    }

    /// The listing id of a slot.
    fn id(&self, slot: u32) -> ListingId {
        if slot < OVERFLOW {
            ListingId::new(u64::from(slot))
        } else {
            self.overflow_ids
                .get((slot - OVERFLOW) as usize)
                .copied()
                .unwrap_or(ListingId::new(0))
        }
    }
}

/// A seller's hot record: where its latest day cell is, and its first sale.
#[derive(Clone, Copy, Debug)]
struct SellerSlot {
    latest: Latest,
    /// One more than the seller's place in [`Sellers::seen`]; 0 in a slot no seller has.
    seen: u32,
    /// The placement instant (Unix seconds) of the first order neither cancelled nor returned;
    /// `i64::MAX` while there is none.
    first_sale: i64,
}

/// A direct slot no seller has.
const NO_SELLER: SellerSlot = SellerSlot {
    latest: Latest::NONE,
    seen: 0,
    first_sale: i64::MAX,
};

/// The sellers' records, by slot, as the listings' are: a seller id below 2²⁴ is its own slot,
/// its record found by indexing a paged table with the id (no lookup to find the slot, one
/// memory access to find the record); larger ids take slots from 2²⁴ up through a hash map.
#[derive(Clone, Debug, Default)]
struct Sellers {
    direct: PagedTable<SellerSlot>,
    overflow: Vec<SellerSlot>,
    overflow_ids: Vec<SellerId>,
    overflow_index: HashMap<SellerId, u32>,
    /// The slots of the sellers with orders, in the order they first had one.
    seen: Vec<u32>,
}

impl Sellers {
    /// `seller`'s slot, found or made (it is registered by [`Sellers::register`]).
    #[inline]
    fn slot(&mut self, seller: SellerId) -> u32 {
        let id = seller.get();
        if id < u64::from(OVERFLOW) {
            id as u32
        } else {
            self.overflow_slot(seller)
        }
    }

    #[inline(never)]
    fn overflow_slot(&mut self, seller: SellerId) -> u32 {
        if let Some(&slot) = self.overflow_index.get(&seller) {
            return slot;
        }
        let slot = OVERFLOW.saturating_add(self.overflow.len() as u32);
        self.overflow.push(NO_SELLER);
        self.overflow_ids.push(seller);
        self.overflow_index.insert(seller, slot);
        slot
    }

    /// The slot of `seller`, if it has had an order.
    fn find(&self, seller: SellerId) -> Option<u32> {
        let id = seller.get();
        let slot = if id < u64::from(OVERFLOW) {
            id as u32
        } else {
            *self.overflow_index.get(&seller)?
        };
        self.get(slot).filter(|s| s.seen != 0).map(|_| slot)
    }

    #[inline]
    fn get(&self, slot: u32) -> Option<&SellerSlot> {
        slot_in(&self.direct, &self.overflow, slot)
    }

    #[inline]
    fn get_mut(&mut self, slot: u32) -> Option<&mut SellerSlot> {
        slot_in_mut(&mut self.direct, &mut self.overflow, slot)
    }

    /// Registers the seller in `slot` as having orders, if it is not yet.
    fn register(&mut self, slot: u32) {
        let record = if slot < OVERFLOW {
            Some(self.direct.get_or_make(slot, NO_SELLER))
        } else {
            self.overflow.get_mut((slot - OVERFLOW) as usize)
        };
        if let Some(record) = record
            && record.seen == 0
        {
            self.seen.push(slot);
            record.seen = self.seen.len() as u32;
        }
    }

    /// The seller in `slot`.
    fn id(&self, slot: u32) -> SellerId {
        if slot < OVERFLOW {
            SellerId::new(u64::from(slot))
        } else {
            self.overflow_ids
                .get((slot - OVERFLOW) as usize)
                .copied()
                .unwrap_or(SellerId::new(0))
        }
    }

    /// The sellers with orders: slot and record, in the order they first had one.
    fn iter(&self) -> impl Iterator<Item = (u32, &SellerSlot)> {
        self.seen
            .iter()
            .filter_map(|&slot| Some((slot, self.get(slot)?)))
    }
}

/// Order records folded at the finest grain every order metric needs: sales totals per
/// (seller, listing, IST month), and service counts per (seller, IST day).
///
/// Every coarser view (per seller, district, category, quarter, financial year) is a sum over
/// these cells, computed when asked with [`SalesFold::rollup`]; the rolling-window performance
/// rating sums [`SalesFold::services`]. The cells are laid out period-major: each IST month's
/// and each IST day's cells in chunks of their own, each listing and seller pointing at its
/// latest cell by number, so that for orders in time order the working set is the current
/// period's cells and a new cell is an append. They are packed — 16 bytes a sales cell, 4 a
/// day's service counts — and a cell that outgrows its narrow fields moves to full width, so
/// that what is read never depends on the packing. Adding an order finds its listing's record
/// by indexing a table with the listing id and its seller's by indexing one with the seller id
/// (ids past 2²⁴ go through hash maps), and each cell through those records' pointers.
/// `merge` adds cells key by key, so it is associative and commutative, and folding all orders
/// equals merging the folds of any partition of them.
///
/// ```
/// # use chrono::{TimeZone, Utc};
/// # use haat_core::{ListingId, Money, OrderId, SellerId};
/// use haat_metrics::{OrderRecord, SalesFold};
/// # let placed = Utc.with_ymd_and_hms(2025, 10, 2, 6, 0, 0).unwrap();
/// # let order = |n: u64| OrderRecord { order: OrderId::new(n), seller: SellerId::new(7),
/// #   listing: ListingId::new(70), quantity: 1, amount: Money::from_rupees(2_450), placed_at: placed,
/// #   promised_dispatch_by: placed, dispatched_at: None, delivered_at: None, cancellation: None,
/// #   returned_at: None, destination: "700001".parse().unwrap() };
/// let mut left = SalesFold::default();
/// left.add(&order(1));
/// let mut right = SalesFold::default();
/// right.add(&order(2));
/// left.merge(&right);
/// let per_seller = left.rollup(|key| Some(key.seller));
/// assert_eq!(per_seller[&SellerId::new(7)].gmv(), Money::from_rupees(4_900));
/// ```
#[derive(Clone, Debug, Default)]
pub struct SalesFold {
    /// By listing slot: the seller's slot and the latest month cell.
    listings: Listings,
    /// Sales cells, month-major: (listing slot, cell) per IST month index, packed.
    months: PeriodTable<PackedSales>,
    /// The sales cells that outgrew their packed fields.
    wide_months: Vec<SalesTotals>,
    /// By seller slot: the latest day cell and the first sale.
    sellers: Sellers,
    /// Service counts, day-major: (seller slot, counts) per IST day, only the sellers with
    /// orders that day, packed.
    days: PeriodTable<PackedService>,
    /// The service counts that outgrew their packed fields.
    wide_days: Vec<ServiceCounts>,
}

impl SalesFold {
    /// Adds one order line.
    #[inline]
    pub fn add(&mut self, order: &OrderRecord) {
        let facts = OrderFacts::of(order);
        let day = ist_day_number(facts.secs);
        self.add_at(order, &facts, day, month_index_of_day_number(day));
    }

    /// Asks for the records `order` will need — its listing's and its seller's — ahead of
    /// adding it (see [`Metrics::add_orders`](crate::Metrics::add_orders)).
    #[inline]
    pub(crate) fn prefetch(&self, order: &OrderRecord) {
        let id = order.listing.get();
        if id < u64::from(OVERFLOW)
            && let Some(listing) = self.listings.direct.get(id as u32)
        {
            prefetch(listing);
        }
        let seller = order.seller.get();
        if seller < u64::from(OVERFLOW)
            && let Some(record) = self.sellers.direct.get(seller as u32)
        {
            prefetch(record);
        }
    }

    /// Adds one order line with its `facts`, placed on IST day `day` in month index `month`
    /// (computed once by the caller for every fold).
    #[inline]
    pub(crate) fn add_at(&mut self, order: &OrderRecord, facts: &OrderFacts, day: i32, month: i32) {
        // The seller's slot is its id (not read from the listing's record), so that the two
        // records are fetched side by side rather than one after the other. A listing record
        // is only made with its seller registered.
        let seller_slot = self.sellers.slot(order.seller);
        let id = order.listing.get();
        // The common case, the listing's own record in the direct table, found once.
        let direct = if id < u64::from(OVERFLOW) {
            self.listings.direct.get_mut(id as u32)
        } else {
            None
        };
        match direct {
            Some(listing) if listing.seller_slot == seller_slot => {
                if let Some(cell) = self.months.get(id as u32, month, &mut listing.latest) {
                    cell.add(facts, &mut self.wide_months);
                }
            }
            _ => self.add_to_new_listing(order, facts, month, seller_slot),
        }
        if let Some(seller) = self.sellers.get_mut(seller_slot) {
            if let Some(counts) = self.days.get(seller_slot, day, &mut seller.latest) {
                counts.add(facts, &mut self.wide_days);
            }
            if facts.is_net_sale() {
                seller.first_sale = seller.first_sale.min(facts.secs);
            }
        }
    }

    /// The sales half of [`SalesFold::add_at`] for a listing the direct table does not give
    /// as `seller_slot`'s: new, past 2²⁴ or another seller's.
    #[inline(never)]
    fn add_to_new_listing(
        &mut self,
        order: &OrderRecord,
        facts: &OrderFacts,
        month: i32,
        seller_slot: u32,
    ) {
        let slot = self.listing_slot(seller_slot, order.seller, order.listing);
        if let Some(listing) = self.listings.get_mut(slot)
            && let Some(cell) = self.months.get(slot, month, &mut listing.latest)
        {
            cell.add(facts, &mut self.wide_months);
        }
    }

    /// The slot of `seller`'s `listing`, `seller` being in `seller_slot`.
    #[inline]
    fn listing_slot(&mut self, seller_slot: u32, seller: SellerId, listing: ListingId) -> u32 {
        let id = listing.get();
        if id < u64::from(OVERFLOW) {
            let slot = id as u32;
            match self.listings.direct.get(slot) {
                Some(found) if found.seller_slot == seller_slot => return slot,
                // Another seller's listing id: the pair goes to the overflow.
                Some(found) if found.seller_slot != u32::MAX => {}
                _ => return self.new_direct_slot(seller_slot, slot),
            }
        }
        self.overflow_slot(seller_slot, seller, listing)
    }

    #[inline(never)]
    fn new_direct_slot(&mut self, seller_slot: u32, slot: u32) -> u32 {
        self.sellers.register(seller_slot);
        *self.listings.direct.get_or_make(slot, NO_LISTING) = ListingSlot {
            seller_slot,
            latest: Latest::NONE,
        };
        slot
    }

    #[inline(never)]
    fn overflow_slot(&mut self, seller_slot: u32, seller: SellerId, listing: ListingId) -> u32 {
        if let Some(&slot) = self.listings.overflow_index.get(&(seller, listing)) {
            return slot;
        }
        self.sellers.register(seller_slot);
        let slot = OVERFLOW.saturating_add(self.listings.overflow.len() as u32);
        self.listings.overflow.push(ListingSlot {
            seller_slot,
            latest: Latest::NONE,
        });
        self.listings.overflow_ids.push(listing);
        self.listings.overflow_index.insert((seller, listing), slot);
        slot
    }

    /// The (seller, listing) of a listing slot.
    fn key_of(&self, slot: u32) -> (SellerId, ListingId) {
        let seller = self
            .listings
            .get(slot)
            .map_or(SellerId::new(0), |l| self.sellers.id(l.seller_slot));
        (seller, self.listings.id(slot))
    }

    /// Adds every cell of `other` into this fold.
    pub fn merge(&mut self, other: &SalesFold) {
        for period in other.months.periods() {
            for (theirs, cell) in period.iter() {
                let (seller, listing) = other.key_of(theirs);
                let seller_slot = self.sellers.slot(seller);
                let slot = self.listing_slot(seller_slot, seller, listing);
                if let Some(ours) = self.listings.get_mut(slot)
                    && let Some(mine) = self.months.get(slot, period.key, &mut ours.latest)
                {
                    mine.merge(&cell.widen_in(&other.wide_months), &mut self.wide_months);
                }
            }
        }
        for (theirs, record) in other.sellers.iter() {
            let slot = self.sellers.slot(other.sellers.id(theirs));
            self.sellers.register(slot);
            if let Some(ours) = self.sellers.get_mut(slot) {
                ours.first_sale = ours.first_sale.min(record.first_sale);
            }
        }
        for period in other.days.periods() {
            for (theirs, counts) in period.iter() {
                let slot = self.sellers.slot(other.sellers.id(theirs));
                self.sellers.register(slot);
                let Some(ours) = self.sellers.get_mut(slot) else {
                    continue;
                };
                if let Some(mine) = self.days.get(slot, period.key, &mut ours.latest) {
                    mine.merge(&counts.widen_in(&other.wide_days), &mut self.wide_days);
                }
            }
        }
    }

    /// The number of (seller, listing, month) cells.
    pub fn len(&self) -> usize {
        self.months.len()
    }

    /// Whether no order has been added.
    pub fn is_empty(&self) -> bool {
        self.sellers.seen.is_empty()
    }

    /// The cells, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = (SalesKey, SalesTotals)> + '_ {
        self.months.periods().flat_map(move |period| {
            let month = Month::from_index(period.key);
            period.iter().map(move |(slot, cell)| {
                let (seller, listing) = self.key_of(slot);
                (
                    SalesKey {
                        seller,
                        listing,
                        month,
                    },
                    cell.widen_in(&self.wide_months),
                )
            })
        })
    }

    /// Sums the cells by the key `group` gives each; cells for which it gives `None` are left
    /// out. This is how every coarser view is made: by seller, by (district, month) through a
    /// seller's district, by category through a listing's, by financial year through a month's.
    pub fn rollup<K: Ord>(
        &self,
        mut group: impl FnMut(&SalesKey) -> Option<K>,
    ) -> BTreeMap<K, SalesTotals> {
        let mut out = BTreeMap::new();
        for (key, totals) in self.cells() {
            if let Some(k) = group(&key) {
                out.entry(k)
                    .or_insert_with(SalesTotals::default)
                    .merge(&totals);
            }
        }
        out
    }

    /// The totals of everything.
    pub fn total(&self) -> SalesTotals {
        let mut total = SalesTotals::default();
        for (_, totals) in self.cells() {
            total.merge(&totals);
        }
        total
    }

    /// The sellers with at least one order.
    pub fn sellers(&self) -> impl Iterator<Item = SellerId> + '_ {
        self.sellers.iter().map(|(slot, _)| self.sellers.id(slot))
    }

    /// `seller`'s service counts over the IST days `from..=to`.
    pub fn service(&self, seller: SellerId, from: NaiveDate, to: NaiveDate) -> ServiceCounts {
        let mut sum = ServiceCounts::default();
        let Some(slot) = self.sellers.find(seller) else {
            return sum;
        };
        for period in self
            .days
            .range(day_number_of_date(from), day_number_of_date(to))
        {
            for (_, counts) in period.iter().filter(|(s, _)| *s == slot) {
                sum.merge(&counts.widen_in(&self.wide_days));
            }
        }
        sum
    }

    /// Every seller's service counts over the IST days `from..=to`, for the sellers with at
    /// least one order in them, in no particular order: one pass over those days' cells.
    pub fn services(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = (SellerId, ServiceCounts)> + '_ {
        // Summed by the seller's place in `seen`.
        let mut sums = vec![ServiceCounts::default(); self.sellers.seen.len()];
        for period in self
            .days
            .range(day_number_of_date(from), day_number_of_date(to))
        {
            for (slot, counts) in period.iter() {
                if let Some(record) = self.sellers.get(slot)
                    && let Some(sum) = sums.get_mut((record.seen as usize).wrapping_sub(1))
                {
                    sum.merge(&counts.widen_in(&self.wide_days));
                }
            }
        }
        sums.into_iter()
            .zip(&self.sellers.seen)
            .filter(|(counts, _)| counts.orders > 0)
            .map(|(counts, &slot)| (self.sellers.id(slot), counts))
    }

    /// Every (seller, IST day) cell of service counts, in no particular order of sellers.
    pub fn service_days(&self) -> impl Iterator<Item = (SellerId, NaiveDate, ServiceCounts)> + '_ {
        self.days.periods().flat_map(move |period| {
            let date = date_of_day_number(period.key);
            period.iter().map(move |(slot, counts)| {
                (
                    self.sellers.id(slot),
                    date,
                    counts.widen_in(&self.wide_days),
                )
            })
        })
    }

    /// When `seller`'s first order that was neither cancelled nor returned was placed.
    pub fn first_sale(&self, seller: SellerId) -> Option<DateTime<Utc>> {
        let slot = self.sellers.find(seller)?;
        let secs = self.sellers.get(slot)?.first_sale;
        if secs == i64::MAX {
            return None;
        }
        DateTime::from_timestamp(secs, 0)
    }

    fn canonical(&self) -> Canonical {
        let cells = self.cells().collect();
        let days = self
            .service_days()
            .map(|(seller, day, counts)| ((seller, day), counts))
            .collect();
        let first = self
            .sellers
            .iter()
            .map(|(slot, s)| {
                let first = (s.first_sale != i64::MAX).then_some(s.first_sale);
                (self.sellers.id(slot), first)
            })
            .collect();
        (cells, days, first)
    }
}

type Canonical = (
    BTreeMap<SalesKey, SalesTotals>,
    BTreeMap<(SellerId, NaiveDate), ServiceCounts>,
    BTreeMap<SellerId, Option<i64>>,
);

/// Two folds are equal when they hold the same cells, whatever order they were built in.
impl PartialEq for SalesFold {
    fn eq(&self, other: &Self) -> bool {
        self.canonical() == other.canonical()
    }
}

impl Eq for SalesFold {}
