//! Sales: orders folded by seller, listing and IST month, and service counts by seller and IST
//! day.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use haat_core::{ListingId, Money, Month, SellerId};
use serde::{Deserialize, Serialize};

use crate::OrderRecord;
use crate::ist::{date_of_day, day_of_date, ist_day_of_secs, month_index_of_day, month_of_index};
use crate::slots::{Latest, PagedTable, PeriodTable, SlotIndex};

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
    /// Adds one order line.
    #[inline]
    pub fn add(&mut self, order: &OrderRecord) {
        let quantity = u64::from(order.quantity);
        let paise = order.amount.paise();
        self.orders += 1;
        self.units += quantity;
        self.gross_paise += paise;
        let cancelled = order.cancellation.is_some();
        self.cancelled += u64::from(cancelled);
        self.seller_cancelled += u64::from(order.is_seller_cancelled());
        let returned = order.returned_at.is_some();
        self.returned += u64::from(returned);
        if let Some(dispatched) = order.dispatched_at {
            self.dispatched += 1;
            self.late_dispatched += u64::from(dispatched > order.promised_dispatch_by);
        }
        self.delivered += u64::from(order.delivered_at.is_some());
        if !cancelled && !returned {
            self.net_orders += 1;
            self.net_units += quantity;
            self.net_paise += paise;
        }
    }

    /// Adds another set of totals to this one. Addition of counts is associative and
    /// commutative, and so is this.
    #[inline]
    pub fn merge(&mut self, other: &SalesTotals) {
        self.orders += other.orders;
        self.units += other.units;
        self.gross_paise += other.gross_paise;
        self.cancelled += other.cancelled;
        self.seller_cancelled += other.seller_cancelled;
        self.returned += other.returned;
        self.dispatched += other.dispatched;
        self.late_dispatched += other.late_dispatched;
        self.delivered += other.delivered;
        self.net_orders += other.net_orders;
        self.net_units += other.net_units;
        self.net_paise += other.net_paise;
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

/// A (listing, month) cell as the fold stores it: the counts of [`SalesTotals`] in `u32`
/// (saturating) and amounts in `i64` paise, half the size, so that twice as many cells fit in
/// cache. Widened to [`SalesTotals`] when read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct SalesCell {
    orders: u32,
    units: u32,
    cancelled: u32,
    seller_cancelled: u32,
    returned: u32,
    dispatched: u32,
    late_dispatched: u32,
    delivered: u32,
    net_orders: u32,
    net_units: u32,
    gross_paise: i64,
    net_paise: i64,
}

impl SalesCell {
    #[inline]
    fn add(&mut self, order: &OrderRecord) {
        let quantity = order.quantity;
        let paise = i64::try_from(order.amount.paise()).unwrap_or(i64::MAX);
        let cancelled = order.cancellation.is_some();
        let returned = order.returned_at.is_some();
        let net = !cancelled && !returned;
        self.orders = self.orders.saturating_add(1);
        self.units = self.units.saturating_add(quantity);
        self.gross_paise = self.gross_paise.saturating_add(paise);
        self.cancelled = self.cancelled.saturating_add(u32::from(cancelled));
        self.seller_cancelled = self
            .seller_cancelled
            .saturating_add(u32::from(order.is_seller_cancelled()));
        self.returned = self.returned.saturating_add(u32::from(returned));
        if let Some(dispatched) = order.dispatched_at {
            self.dispatched = self.dispatched.saturating_add(1);
            self.late_dispatched = self
                .late_dispatched
                .saturating_add(u32::from(dispatched > order.promised_dispatch_by));
        }
        self.delivered = self
            .delivered
            .saturating_add(u32::from(order.delivered_at.is_some()));
        if net {
            self.net_orders = self.net_orders.saturating_add(1);
            self.net_units = self.net_units.saturating_add(quantity);
            self.net_paise = self.net_paise.saturating_add(paise);
        }
    }

    fn merge(&mut self, other: &SalesCell) {
        self.orders = self.orders.saturating_add(other.orders);
        self.units = self.units.saturating_add(other.units);
        self.cancelled = self.cancelled.saturating_add(other.cancelled);
        self.seller_cancelled = self.seller_cancelled.saturating_add(other.seller_cancelled);
        self.returned = self.returned.saturating_add(other.returned);
        self.dispatched = self.dispatched.saturating_add(other.dispatched);
        self.late_dispatched = self.late_dispatched.saturating_add(other.late_dispatched);
        self.delivered = self.delivered.saturating_add(other.delivered);
        self.net_orders = self.net_orders.saturating_add(other.net_orders);
        self.net_units = self.net_units.saturating_add(other.net_units);
        self.gross_paise = self.gross_paise.saturating_add(other.gross_paise);
        self.net_paise = self.net_paise.saturating_add(other.net_paise);
    }

    fn widen(&self) -> SalesTotals {
        SalesTotals {
            orders: u64::from(self.orders),
            units: u64::from(self.units),
            gross_paise: i128::from(self.gross_paise),
            cancelled: u64::from(self.cancelled),
            seller_cancelled: u64::from(self.seller_cancelled),
            returned: u64::from(self.returned),
            dispatched: u64::from(self.dispatched),
            late_dispatched: u64::from(self.late_dispatched),
            delivered: u64::from(self.delivered),
            net_orders: u64::from(self.net_orders),
            net_units: u64::from(self.net_units),
            net_paise: i128::from(self.net_paise),
        }
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
    #[inline]
    fn add(&mut self, order: &OrderRecord) {
        self.orders = self.orders.saturating_add(1);
        self.seller_cancelled = self
            .seller_cancelled
            .saturating_add(u32::from(order.is_seller_cancelled()));
        if let Some(dispatched) = order.dispatched_at {
            self.dispatched = self.dispatched.saturating_add(1);
            self.late_dispatched = self
                .late_dispatched
                .saturating_add(u32::from(dispatched > order.promised_dispatch_by));
        }
        self.delivered = self
            .delivered
            .saturating_add(u32::from(order.delivered_at.is_some()));
        self.returned = self
            .returned
            .saturating_add(u32::from(order.returned_at.is_some()));
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

impl Listings {
    #[inline]
    fn get(&self, slot: u32) -> Option<&ListingSlot> {
        if slot < OVERFLOW {
            self.direct.get(slot)
        } else {
            self.overflow.get((slot - OVERFLOW) as usize)
        }
    }

    #[inline]
    fn get_mut(&mut self, slot: u32) -> Option<&mut ListingSlot> {
        if slot < OVERFLOW {
            self.direct.get_mut(slot)
        } else {
            self.overflow.get_mut((slot - OVERFLOW) as usize)
        }
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

/// A seller's record: who, where its latest day cell is, and its first sale.
#[derive(Clone, Copy, Debug)]
struct SellerSlot {
    seller: SellerId,
    latest: Latest,
    /// The placement instant (Unix seconds) of the first order neither cancelled nor returned;
    /// `i64::MAX` while there is none.
    first_sale: i64,
}

/// Order records folded at the finest grain every order metric needs: sales totals per
/// (seller, listing, IST month), and service counts per (seller, IST day).
///
/// Every coarser view (per seller, district, category, quarter, financial year) is a sum over
/// these cells, computed when asked with [`SalesFold::rollup`]; the rolling-window performance
/// rating sums [`SalesFold::services`]. The cells are laid out period-major: one vector of
/// cells per IST month and one per IST day, each listing and seller pointing at its latest
/// cell, so that for orders in time order the working set is the current period's cells and a
/// new cell is an append. Adding an order finds its listing's record by indexing a table with
/// the listing id (ids past 2²⁴ go through a hash map), its seller's from there, and each cell
/// through those records' pointers. `merge` adds cells key by key, so it is associative and
/// commutative, and folding all orders equals merging the folds of any partition of them.
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
    /// Sales cells, month-major: (listing slot, cell) per IST month index.
    months: PeriodTable<SalesCell>,
    seller_index: SlotIndex,
    sellers: Vec<SellerSlot>,
    /// Service counts, day-major: (seller slot, counts) per IST day, only the sellers with
    /// orders that day.
    days: PeriodTable<ServiceCounts>,
}

impl SalesFold {
    /// Adds one order line.
    #[inline]
    pub fn add(&mut self, order: &OrderRecord) {
        let secs = order.placed_at.timestamp();
        let day = ist_day_of_secs(secs);
        self.add_at(order, secs, day, month_index_of_day(day));
    }

    /// Adds one order line placed at Unix second `secs`, IST day `day` and month index `month`
    /// (computed once by the caller for every fold).
    #[inline]
    pub(crate) fn add_at(&mut self, order: &OrderRecord, secs: i64, day: i32, month: i32) {
        let slot = self.listing_slot(order.seller, order.listing);
        let Some(listing) = self.listings.get_mut(slot) else {
            return;
        };
        let seller_slot = listing.seller_slot;
        if let Some(cell) = self.months.get(slot, month, &mut listing.latest) {
            cell.add(order);
        }
        let seller = &mut self.sellers[seller_slot as usize];
        if let Some(counts) = self.days.get(seller_slot, day, &mut seller.latest) {
            counts.add(order);
        }
        if order.is_net_sale() {
            seller.first_sale = seller.first_sale.min(secs);
        }
    }

    #[inline]
    fn listing_slot(&mut self, seller: SellerId, listing: ListingId) -> u32 {
        let id = listing.get();
        if id < u64::from(OVERFLOW) {
            let slot = id as u32;
            match self.listings.direct.get(slot) {
                Some(found) if found.seller_slot != u32::MAX => {
                    if self
                        .sellers
                        .get(found.seller_slot as usize)
                        .is_some_and(|s| s.seller == seller)
                    {
                        return slot;
                    }
                }
                _ => return self.new_direct_slot(seller, slot),
            }
        }
        self.overflow_slot(seller, listing)
    }

    #[inline(never)]
    fn new_direct_slot(&mut self, seller: SellerId, slot: u32) -> u32 {
        let seller_slot = self.seller_slot(seller);
        *self.listings.direct.get_or_make(slot, NO_LISTING) = ListingSlot {
            seller_slot,
            latest: Latest::NONE,
        };
        slot
    }

    #[inline(never)]
    fn overflow_slot(&mut self, seller: SellerId, listing: ListingId) -> u32 {
        if let Some(&slot) = self.listings.overflow_index.get(&(seller, listing)) {
            return slot;
        }
        let seller_slot = self.seller_slot(seller);
        let slot = OVERFLOW.saturating_add(self.listings.overflow.len() as u32);
        self.listings.overflow.push(ListingSlot {
            seller_slot,
            latest: Latest::NONE,
        });
        self.listings.overflow_ids.push(listing);
        self.listings.overflow_index.insert((seller, listing), slot);
        slot
    }

    fn seller_slot(&mut self, seller: SellerId) -> u32 {
        if let Some(slot) = self.seller_index.get(seller.get()) {
            return slot;
        }
        let slot = self.sellers.len() as u32;
        self.sellers.push(SellerSlot {
            seller,
            latest: Latest::default(),
            first_sale: i64::MAX,
        });
        self.seller_index.insert(seller.get(), slot);
        slot
    }

    /// The (seller, listing) of a listing slot.
    fn key_of(&self, slot: u32) -> (SellerId, ListingId) {
        let seller = self
            .listings
            .get(slot)
            .and_then(|l| self.sellers.get(l.seller_slot as usize))
            .map_or(SellerId::new(0), |s| s.seller);
        (seller, self.listings.id(slot))
    }

    /// Adds every cell of `other` into this fold.
    pub fn merge(&mut self, other: &SalesFold) {
        for period in other.months.periods() {
            for (theirs, cell) in period.iter() {
                let (seller, listing) = other.key_of(theirs);
                let slot = self.listing_slot(seller, listing);
                if let Some(ours) = self.listings.get_mut(slot)
                    && let Some(mine) = self.months.get(slot, period.key, &mut ours.latest)
                {
                    mine.merge(cell);
                }
            }
        }
        for theirs in &other.sellers {
            let slot = self.seller_slot(theirs.seller);
            let ours = &mut self.sellers[slot as usize];
            ours.first_sale = ours.first_sale.min(theirs.first_sale);
        }
        for period in other.days.periods() {
            for (theirs, counts) in period.iter() {
                let slot = self.seller_slot(other.sellers[theirs as usize].seller);
                let latest = &mut self.sellers[slot as usize].latest;
                if let Some(mine) = self.days.get(slot, period.key, latest) {
                    mine.merge(counts);
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
        self.sellers.is_empty()
    }

    /// The cells, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = (SalesKey, SalesTotals)> + '_ {
        self.months.periods().iter().flat_map(move |period| {
            let month = month_of_index(period.key);
            period.iter().map(move |(slot, cell)| {
                let (seller, listing) = self.key_of(slot);
                (
                    SalesKey {
                        seller,
                        listing,
                        month,
                    },
                    cell.widen(),
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
        self.sellers.iter().map(|s| s.seller)
    }

    /// `seller`'s service counts over the IST days `from..=to`.
    pub fn service(&self, seller: SellerId, from: NaiveDate, to: NaiveDate) -> ServiceCounts {
        let mut sum = ServiceCounts::default();
        let Some(slot) = self.seller_index.get(seller.get()) else {
            return sum;
        };
        for period in self.days.range(day_of_date(from), day_of_date(to)) {
            for (_, counts) in period.iter().filter(|(s, _)| *s == slot) {
                sum.merge(counts);
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
        let mut sums = vec![ServiceCounts::default(); self.sellers.len()];
        for period in self.days.range(day_of_date(from), day_of_date(to)) {
            for (slot, counts) in period.iter() {
                if let Some(sum) = sums.get_mut(slot as usize) {
                    sum.merge(counts);
                }
            }
        }
        sums.into_iter()
            .zip(&self.sellers)
            .filter(|(counts, _)| counts.orders > 0)
            .map(|(counts, slot)| (slot.seller, counts))
    }

    /// Every (seller, IST day) cell of service counts, in no particular order of sellers.
    pub fn service_days(&self) -> impl Iterator<Item = (SellerId, NaiveDate, &ServiceCounts)> {
        self.days.periods().iter().flat_map(move |period| {
            let date = date_of_day(period.key);
            period
                .iter()
                .map(move |(slot, counts)| (self.sellers[slot as usize].seller, date, counts))
        })
    }

    /// When `seller`'s first order that was neither cancelled nor returned was placed.
    pub fn first_sale(&self, seller: SellerId) -> Option<DateTime<Utc>> {
        let slot = self.seller_index.get(seller.get())?;
        let secs = self.sellers[slot as usize].first_sale;
        if secs == i64::MAX {
            return None;
        }
        DateTime::from_timestamp(secs, 0)
    }

    fn canonical(&self) -> Canonical {
        let cells = self.cells().collect();
        let days = self
            .service_days()
            .map(|(seller, day, counts)| ((seller, day), *counts))
            .collect();
        let first = self
            .sellers
            .iter()
            .map(|s| (s.seller, (s.first_sale != i64::MAX).then_some(s.first_sale)))
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
