//! Sales: orders folded by seller, listing and IST month, and service counts by seller and IST
//! day.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use haat_core::{
    Decimal, ListingId, Money, Month, SellerId, date_of_day_number, day_number_of_date,
    ist_day_number, month_index_of_day_number,
};
use serde::{Deserialize, Serialize};

use crate::OrderRecord;
use crate::cells::{OrderFacts, PackedSales, PackedService};
use crate::growth::percent_of;
use crate::growth::saturating_money;
use crate::order::Outcome;
use crate::store::{Cells, EntityFact, Fast, Storage};

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
    /// Adds one order line (what it adds is [`SalesTotals::one`]'s to say).
    pub fn add(&mut self, order: &OrderRecord) {
        let one = SalesTotals::one(Outcome::of(order), order.quantity, order.amount.paise());
        self.merge(&one);
    }

    /// What one order line of `quantity` units for `paise` with `outcome` adds: the one
    /// place that says what an order counts as (the rules themselves are [`OrderRecord`]'s:
    /// [`OrderRecord::is_net_sale`], [`OrderRecord::is_late_dispatch`],
    /// [`OrderRecord::is_seller_cancelled`]). The packed cells' increments are derived from
    /// it.
    pub(crate) fn one(outcome: Outcome, quantity: u32, paise: i128) -> SalesTotals {
        let quantity = u64::from(quantity);
        let net = outcome.net();
        SalesTotals {
            orders: 1,
            units: quantity,
            gross_paise: paise,
            cancelled: u64::from(outcome.has(Outcome::CANCELLED)),
            seller_cancelled: u64::from(outcome.has(Outcome::SELLER_CANCELLED)),
            returned: u64::from(outcome.has(Outcome::RETURNED)),
            dispatched: u64::from(outcome.has(Outcome::DISPATCHED)),
            late_dispatched: u64::from(outcome.has(Outcome::LATE)),
            delivered: u64::from(outcome.has(Outcome::DELIVERED)),
            net_orders: u64::from(net),
            net_units: if net { quantity } else { 0 },
            net_paise: if net { paise } else { 0 },
        }
    }

    /// Adds another set of totals to this one, figure by figure (saturating). Addition of
    /// counts is associative and commutative, and so is this.
    pub fn merge(&mut self, other: &SalesTotals) {
        let mut other = *other;
        for (mine, theirs) in self.counts().into_iter().zip(other.counts()) {
            *mine = mine.saturating_add(*theirs);
        }
        for (mine, theirs) in self.amounts().into_iter().zip(other.amounts()) {
            *mine = mine.saturating_add(*theirs);
        }
    }

    /// Every count, to add to. (With [`SalesTotals::amounts`], every figure: a new figure
    /// goes in one of the two, and `merge` adds it.)
    fn counts(&mut self) -> [&mut u64; 10] {
        [
            &mut self.orders,
            &mut self.units,
            &mut self.cancelled,
            &mut self.seller_cancelled,
            &mut self.returned,
            &mut self.dispatched,
            &mut self.late_dispatched,
            &mut self.delivered,
            &mut self.net_orders,
            &mut self.net_units,
        ]
    }

    /// Every amount, to add to.
    fn amounts(&mut self) -> [&mut i128; 2] {
        [&mut self.gross_paise, &mut self.net_paise]
    }

    /// Gross merchandise value: everything placed.
    pub fn gmv(&self) -> Money {
        saturating_money(self.gross_paise)
    }

    /// Net sales: value neither cancelled nor returned.
    pub fn net_sales(&self) -> Money {
        saturating_money(self.net_paise)
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
    /// Adds one order line (what it adds is [`ServiceCounts::one`]'s to say).
    pub fn add(&mut self, order: &OrderRecord) {
        self.merge(&ServiceCounts::one(Outcome::of(order)));
    }

    /// What one order line with `outcome` adds: the service figures of what it adds to
    /// sales ([`SalesTotals::one`], where the rules are).
    pub(crate) fn one(outcome: Outcome) -> ServiceCounts {
        let sale = SalesTotals::one(outcome, 0, 0);
        // Each is 0 or 1.
        let count = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        ServiceCounts {
            orders: count(sale.orders),
            seller_cancelled: count(sale.seller_cancelled),
            dispatched: count(sale.dispatched),
            late_dispatched: count(sale.late_dispatched),
            delivered: count(sale.delivered),
            returned: count(sale.returned),
        }
    }

    /// Adds another day's counts, count by count (saturating).
    pub fn merge(&mut self, other: &ServiceCounts) {
        let mut other = *other;
        for (mine, theirs) in self.counts().into_iter().zip(other.counts()) {
            *mine = mine.saturating_add(*theirs);
        }
    }

    /// Every count, to add to.
    fn counts(&mut self) -> [&mut u32; 6] {
        [
            &mut self.orders,
            &mut self.seller_cancelled,
            &mut self.dispatched,
            &mut self.late_dispatched,
            &mut self.delivered,
            &mut self.returned,
        ]
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

/// What the sellers' store keeps per seller beside its day cells: the placement instant (Unix
/// seconds) of its first order neither cancelled nor returned, `i64::MAX` while there is none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FirstSale(i64);

impl Default for FirstSale {
    fn default() -> Self {
        FirstSale(i64::MAX)
    }
}

impl EntityFact for FirstSale {
    #[inline]
    fn add(&mut self, facts: &OrderFacts) {
        if facts.is_net_sale() {
            self.0 = self.0.min(facts.secs);
        }
    }

    fn merge(&mut self, other: &Self) {
        self.0 = self.0.min(other.0);
    }
}

impl FirstSale {
    fn secs(self) -> Option<i64> {
        (self.0 != i64::MAX).then_some(self.0)
    }
}

/// Order records folded at the finest grain every order metric needs: sales totals per
/// (seller, listing, IST month), and service counts per (seller, IST day).
///
/// Every coarser view (per seller, district, category, quarter, financial year) is a sum over
/// these cells, computed when asked with [`SalesFold::rollup`]; the rolling-window performance
/// rating sums [`SalesFold::services`]. How the cells are stored (packed, paged, in chunks by
/// period) is the storage's business (`store.rs`), never this file's: what is read never
/// depends on it.
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
#[derive(Clone, Debug)]
pub struct SalesFold<S: Storage = Fast> {
    /// Sales totals by (seller, listing) and IST month index, packed.
    listings: S::Cells<(SellerId, ListingId), PackedSales, ()>,
    /// Service counts by seller and IST day number, packed, with each seller's first sale.
    sellers: S::Cells<SellerId, PackedService, FirstSale>,
}

impl Default for SalesFold {
    fn default() -> Self {
        SalesFold::empty()
    }
}

impl<S: Storage> SalesFold<S> {
    /// A fold with no orders.
    pub(crate) fn empty() -> Self {
        SalesFold {
            listings: Default::default(),
            sellers: Default::default(),
        }
    }
}

impl<S: Storage> SalesFold<S> {
    /// Adds one order line.
    #[inline]
    pub fn add(&mut self, order: &OrderRecord) {
        let facts = OrderFacts::of(order);
        let day = ist_day_number(facts.secs);
        self.add_at(&facts, day, month_index_of_day_number(day));
    }

    /// Asks for the records `order` will need — its listing's and its seller's — ahead of
    /// adding it (see [`Metrics::add_orders`](crate::Metrics::add_orders)).
    #[inline]
    pub(crate) fn prefetch(&self, order: &OrderRecord) {
        self.listings.prefetch((order.seller, order.listing));
        self.sellers.prefetch(order.seller);
    }

    /// Adds one order line with its `facts`, placed on IST day `day` in month index `month`
    /// (computed once by the caller for every fold).
    #[inline]
    pub(crate) fn add_at(&mut self, facts: &OrderFacts, day: i32, month: i32) {
        let order = facts.order();
        self.listings
            .add((order.seller, order.listing), month, facts);
        self.sellers.add(order.seller, day, facts);
    }

    /// Adds every cell of `other` into this fold.
    pub fn merge(&mut self, other: &SalesFold<S>) {
        self.listings.merge(&other.listings);
        self.sellers.merge(&other.sellers);
    }

    /// The number of (seller, listing, month) cells.
    pub fn len(&self) -> usize {
        self.listings.len()
    }

    /// Whether no order has been added.
    pub fn is_empty(&self) -> bool {
        self.sellers.entities().next().is_none()
    }

    /// The cells, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = (SalesKey, SalesTotals)> + '_ {
        self.listings
            .cells()
            .map(|((seller, listing), month, totals)| {
                let month = Month::from_index(month);
                let key = SalesKey {
                    seller,
                    listing,
                    month,
                };
                (key, totals)
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
        self.sellers.entities().map(|(seller, _)| seller)
    }

    /// `seller`'s service counts over the IST days `from..=to`.
    pub fn service(&self, seller: SellerId, from: NaiveDate, to: NaiveDate) -> ServiceCounts {
        let mut sum = ServiceCounts::default();
        for (_, _, counts) in self
            .sellers
            .range(day_number_of_date(from), day_number_of_date(to))
            .filter(|(s, _, _)| *s == seller)
        {
            sum.merge(&counts);
        }
        sum
    }

    /// Every seller's service counts over the IST days `from..=to`, for the sellers with at
    /// least one order in them, by seller: one pass over those days' cells.
    pub fn services(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = (SellerId, ServiceCounts)> + '_ {
        let mut sums: BTreeMap<SellerId, ServiceCounts> = BTreeMap::new();
        for (seller, _, counts) in self
            .sellers
            .range(day_number_of_date(from), day_number_of_date(to))
        {
            sums.entry(seller).or_default().merge(&counts);
        }
        sums.into_iter().filter(|(_, counts)| counts.orders > 0)
    }

    /// Every (seller, IST day) cell of service counts, in no particular order of sellers.
    pub fn service_days(&self) -> impl Iterator<Item = (SellerId, NaiveDate, ServiceCounts)> + '_ {
        self.sellers
            .cells()
            .map(|(seller, day, counts)| (seller, date_of_day_number(day), counts))
    }

    /// When `seller`'s first order that was neither cancelled nor returned was placed.
    pub fn first_sale(&self, seller: SellerId) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(self.sellers.fact(seller)?.secs()?, 0)
    }

    fn canonical(&self) -> Canonical {
        let cells = self.cells().collect();
        let days = self
            .service_days()
            .map(|(seller, day, counts)| ((seller, day), counts))
            .collect();
        let first = self
            .sellers
            .entities()
            .map(|(seller, first)| (seller, first.secs()))
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
impl<S: Storage> PartialEq for SalesFold<S> {
    fn eq(&self, other: &Self) -> bool {
        self.canonical() == other.canonical()
    }
}

impl<S: Storage> Eq for SalesFold<S> {}
