//! `Metrics`: every fold in one value, fed events and orders, merged, and asked for a report.

use chrono::{DateTime, Utc};
use haat_catalogue::ListingEvent;
use haat_core::{FinancialYear, IstCalendar, Money};
use haat_orders::Statement;
use haat_seller::{SellerEvent, WorkshopEvent};

use crate::cells::OrderFacts;

use crate::prefetch::prefetch;
use crate::store::{Fast, Storage};
use crate::{
    DemandFold, DuplicateGuard, Error, HaatEvent, ImpactReport, ListingFold, Onboarding,
    OrderRecord, PayoutFold, ReportSettings, SalesFold, SellerDirectory, Sighting, WorkshopFold,
};

/// Every projection of the metrics in one value.
///
/// Feed it events ([`Metrics::apply_event`]) and order records ([`Metrics::add_order`]) in any
/// order; fold shards or partitions separately and [`Metrics::merge`] them (associative and
/// commutative: the result is the one a single pass over everything gives); then ask for the
/// [`ImpactReport`] of a financial year.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, SellerId};
/// use haat_metrics::{HaatEvent, Metrics};
/// use haat_seller::SellerEvent;
///
/// let at = Utc.with_ymd_and_hms(2025, 6, 1, 6, 0, 0).unwrap();
/// let mut shard_a = Metrics::default();
/// shard_a.apply_event(&HaatEvent::Seller(SellerEvent::SellerActivated {
///     seller: SellerId::new(1), at, by: Actor::System,
/// }));
/// let mut shard_b = Metrics::default();
/// shard_b.apply_event(&HaatEvent::Seller(SellerEvent::SellerActivated {
///     seller: SellerId::new(2), at, by: Actor::System,
/// }));
/// shard_a.merge(&shard_b);
/// let report = shard_a.report("FY2025-26".parse()?, at);
/// assert_eq!(report.sellers.activated, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metrics<S: Storage = Fast> {
    sellers: SellerDirectory,
    onboarding: Onboarding,
    workshops: WorkshopFold,
    listings: ListingFold,
    sales: SalesFold<S>,
    demand: DemandFold<S>,
    payouts: PayoutFold,
    calendar: IstCalendar,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::empty()
    }
}

/// How many orders ahead [`Metrics::add_orders`] asks for order records, and for the records
/// they point to. (Measured: 32 to 64 and 8 to 24 did as well as each other; see
/// docs/BENCHMARKS.md.)
const RECORDS_AHEAD: usize = 48;
const LOOKUPS_AHEAD: usize = 16;

impl<S: Storage> Metrics<S> {
    /// Metrics with nothing folded in.
    pub(crate) fn empty() -> Self {
        Metrics {
            sellers: SellerDirectory::default(),
            onboarding: Onboarding::default(),
            workshops: WorkshopFold::default(),
            listings: ListingFold::default(),
            sales: SalesFold::empty(),
            demand: DemandFold::empty(),
            payouts: PayoutFold::default(),
            calendar: IstCalendar::default(),
        }
    }

    /// Folds one event in (stock signals are read but not used by any figure).
    pub fn apply_event(&mut self, event: &HaatEvent) {
        match event {
            HaatEvent::Seller(event) => self.apply_seller_event(event),
            HaatEvent::Workshop(event) => self.apply_workshop_event(event),
            HaatEvent::Listing(event) => self.apply_listing_event(event),
            HaatEvent::Stock(_) => {}
            HaatEvent::Settlement(issued) => {
                self.add_statement(&issued.statement, issued.commission_waived);
            }
        }
    }

    /// Folds one seller event in.
    pub fn apply_seller_event(&mut self, event: &SellerEvent) {
        self.sellers.apply(event);
        self.onboarding.apply(event);
    }

    /// Folds one workshop event in.
    pub fn apply_workshop_event(&mut self, event: &WorkshopEvent) {
        self.workshops.apply(event);
    }

    /// Folds one listing event in.
    pub fn apply_listing_event(&mut self, event: &ListingEvent) {
        if let ListingEvent::Activated { seller, at, .. } = event {
            self.sellers.listing_went_live(*seller, *at);
        }
        self.listings.apply(event);
    }

    /// Adds one order record: sales by (seller, listing, month), service by (seller, day), and
    /// demand by (destination PIN code, month).
    #[inline]
    pub fn add_order(&mut self, order: &OrderRecord) {
        let at = self.calendar.stamp(&order.placed_at);
        let facts = OrderFacts::placed_at(order, at.secs);
        self.sales.add_at(&facts, at.day, at.month);
        self.demand.add_at(&facts, at.month);
    }

    /// Adds order records: the same as [`Metrics::add_order`] on each in turn, faster.
    ///
    /// While it adds one order, it asks the processor for the order record 48 places on and
    /// for what the order 16 places on will look up: its listing's record, its seller's
    /// record and its PIN code's record (the order's own record having arrived by then). At
    /// marketplace scale most of those reads miss the cache and each takes hundreds of
    /// nanoseconds; asked for early, they arrive while the orders before them are added,
    /// instead of one after another. (Prefetch instructions only, on x86-64; elsewhere this
    /// is `add_order` in a loop. See docs/BENCHMARKS.md for what was measured.)
    ///
    /// ```
    /// # use chrono::{TimeZone, Utc};
    /// # use haat_core::{ListingId, Money, OrderId, SellerId};
    /// use haat_metrics::{Metrics, OrderRecord};
    /// # let placed = Utc.with_ymd_and_hms(2025, 10, 2, 6, 0, 0).unwrap();
    /// # let order = |n: u64| OrderRecord { order: OrderId::new(n), seller: SellerId::new(n % 3),
    /// #   listing: ListingId::new(n % 5), quantity: 1, amount: Money::from_rupees(100), placed_at: placed,
    /// #   promised_dispatch_by: placed, dispatched_at: None, delivered_at: None, cancellation: None,
    /// #   returned_at: None, destination: "700001".parse().unwrap() };
    /// let orders: Vec<OrderRecord> = (0..100).map(order).collect();
    /// let mut one_by_one = Metrics::default();
    /// for order in &orders {
    ///     one_by_one.add_order(order);
    /// }
    /// let mut batched = Metrics::default();
    /// batched.add_orders(&orders);
    /// assert_eq!(batched, one_by_one);
    /// ```
    pub fn add_orders(&mut self, orders: &[OrderRecord]) {
        for (at, order) in orders.iter().enumerate() {
            if let Some(ahead) = orders.get(at + RECORDS_AHEAD) {
                prefetch(ahead);
            }
            if let Some(ahead) = orders.get(at + LOOKUPS_AHEAD) {
                self.sales.prefetch(ahead);
                self.demand.prefetch(ahead);
            }
            self.add_order(order);
        }
    }

    /// Adds an order record unless `guard` has admitted it before: [`Sighting::First`] when it
    /// was added, [`Sighting::Repeat`] when the same record was already counted (the guard
    /// counts the repeat and keeps its order id to show).
    ///
    /// # Errors
    /// [`Error::ConflictingOrder`] if `guard` admitted a different record under the same order
    /// id; nothing is added, and the first record stays the one counted.
    pub fn add_order_once(
        &mut self,
        guard: &mut DuplicateGuard,
        order: &OrderRecord,
    ) -> Result<Sighting, Error> {
        let sighting = guard.admit_order(order)?;
        if sighting == Sighting::First {
            self.add_order(order);
        }
        Ok(sighting)
    }

    /// Folds an event in unless `guard` has admitted it before (see
    /// [`Metrics::add_order_once`]).
    ///
    /// # Errors
    /// [`Error::ConflictingEvent`] if `guard` admitted a different event under the same
    /// identity; nothing is folded.
    pub fn apply_event_once(
        &mut self,
        guard: &mut DuplicateGuard,
        event: &HaatEvent,
    ) -> Result<Sighting, Error> {
        let sighting = guard.admit_event(event)?;
        if sighting == Sighting::First {
            self.apply_event(event);
        }
        Ok(sighting)
    }

    /// Merges another `Metrics` in.
    ///
    /// Merging adds: an order or event folded into both sides counts twice, as it would if
    /// it were folded twice into one. Keep repeats out before folding, with one
    /// [`DuplicateGuard`] that sees every record, or one per partition of the input by
    /// identity (see [`DuplicateGuard`]).
    pub fn merge(&mut self, other: &Metrics<S>) {
        self.sellers.merge(&other.sellers);
        self.onboarding.merge(&other.onboarding);
        self.workshops.merge(&other.workshops);
        self.listings.merge(&other.listings);
        self.sales.merge(&other.sales);
        self.demand.merge(&other.demand);
        self.payouts.merge(&other.payouts);
    }

    /// Adds a seller's settlement statement: its payout, its deductions, and
    /// `commission_waived`, what a programme benefit waived on its sales (see
    /// `haat_orders::commission_waived`).
    pub fn add_statement(&mut self, statement: &Statement, commission_waived: Money) {
        self.payouts.add(statement, commission_waived);
    }

    /// The report of `fy` against the year before, with default settings and no network.
    pub fn report(&self, fy: FinancialYear, now: DateTime<Utc>) -> ImpactReport {
        ImpactReport::build(self, &ReportSettings::new(fy, now))
    }

    /// The report with `settings`.
    pub fn report_with(&self, settings: &ReportSettings<'_>) -> ImpactReport {
        ImpactReport::build(self, settings)
    }

    /// What is known of each seller.
    pub fn sellers(&self) -> &SellerDirectory {
        &self.sellers
    }

    /// Registrations and activations per month.
    pub fn onboarding(&self) -> &Onboarding {
        &self.onboarding
    }

    /// Workshops and attendance.
    pub fn workshops(&self) -> &WorkshopFold {
        &self.workshops
    }

    /// Listings' live histories.
    pub fn listings(&self) -> &ListingFold {
        &self.listings
    }

    /// Sales and service counts.
    pub fn sales(&self) -> &SalesFold<S> {
        &self.sales
    }

    /// Orders by destination.
    pub fn demand(&self) -> &DemandFold<S> {
        &self.demand
    }

    /// Settlement payouts by financial year.
    pub fn payouts(&self) -> &PayoutFold {
        &self.payouts
    }
}
