//! Sales: orders folded by seller, listing and IST month.

use std::collections::{BTreeMap, HashMap};

use haat_core::{ListingId, Money, Month, SellerId};
use serde::{Deserialize, Serialize};

use crate::OrderRecord;

/// What a set of order lines adds up to.
///
/// Gross figures count every order placed; net figures leave out cancelled and returned ones.
/// Amounts are kept in paise as `i128`, so sums never lose a paisa and never overflow at any
/// marketplace's scale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
        if let Some(cancellation) = order.cancellation {
            self.cancelled += 1;
            self.seller_cancelled += u64::from(cancellation.by == crate::CancelledBy::Seller);
        }
        if order.returned_at.is_some() {
            self.returned += 1;
        }
        if let Some(dispatched) = order.dispatched_at {
            self.dispatched += 1;
            self.late_dispatched += u64::from(dispatched > order.promised_dispatch_by);
        }
        if order.is_net_sale() {
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

/// Sales folded at the finest grain every sales metric needs: (seller, listing, IST month).
///
/// Every coarser view (per seller, district, category, quarter, financial year) is a sum over
/// these cells, computed when asked with [`SalesFold::rollup`]; the fold itself does one map
/// update per order. `merge` adds cells key by key, so it is associative and commutative, and
/// folding all orders equals merging the folds of any partition of them.
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SalesFold {
    cells: HashMap<SalesKey, SalesTotals>,
}

impl SalesFold {
    /// Adds one order line.
    pub fn add(&mut self, order: &OrderRecord) {
        let key = SalesKey {
            seller: order.seller,
            listing: order.listing,
            month: Month::containing(order.placed_at),
        };
        self.cells.entry(key).or_default().add(order);
    }

    /// Adds every cell of `other` into this fold.
    pub fn merge(&mut self, other: &SalesFold) {
        for (key, totals) in &other.cells {
            self.cells.entry(*key).or_default().merge(totals);
        }
    }

    /// The number of (seller, listing, month) cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether no order has been added.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The cells, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = (&SalesKey, &SalesTotals)> {
        self.cells.iter()
    }

    /// Sums the cells by the key `group` gives each; cells for which it gives `None` are left
    /// out. This is how every coarser view is made: by seller, by (district, month) through a
    /// seller's district, by category through a listing's, by financial year through a month's.
    pub fn rollup<K: Ord>(
        &self,
        mut group: impl FnMut(&SalesKey) -> Option<K>,
    ) -> BTreeMap<K, SalesTotals> {
        let mut out = BTreeMap::new();
        for (key, totals) in &self.cells {
            if let Some(k) = group(key) {
                out.entry(k)
                    .or_insert_with(SalesTotals::default)
                    .merge(totals);
            }
        }
        out
    }

    /// The totals of everything.
    pub fn total(&self) -> SalesTotals {
        let mut total = SalesTotals::default();
        for totals in self.cells.values() {
            total.merge(totals);
        }
        total
    }
}
