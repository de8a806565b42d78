//! High-performing listings: sales velocity and conversion.

use haat_catalogue::CategoryId;
use haat_core::{Decimal, FinancialYear, ListingId, Money, SellerId};
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

use crate::store::Storage;
use crate::{ListingFold, SalesFold, SalesTotals, percent_of};

/// How one listing sold over a financial year.
///
/// *Velocity* is net units (neither cancelled nor returned) per day live in the year.
/// *Conversion* is net orders as a percentage of orders placed: the events carry no product
/// views, so this is conversion from order to kept sale, not from view to order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingPerformance {
    /// The listing.
    pub listing: ListingId,
    /// Its seller.
    pub seller: SellerId,
    /// Its category, if its content was seen.
    pub category: Option<CategoryId>,
    /// Its order totals over the year.
    pub totals: SalesTotals,
    /// Net sales.
    pub net_sales: Money,
    /// Days it was live in the year, to two decimal places.
    pub days_live: Decimal,
    /// Net units per day live, to two decimal places (`None` if never live in the year).
    pub velocity: Option<Decimal>,
    /// Net orders, percent of orders placed (`None` without orders).
    pub conversion_percent: Option<Decimal>,
}

/// What makes a listing high-performing: at least this velocity, conversion and net orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HighPerformance {
    /// Fewest net units per day live.
    pub min_velocity: Decimal,
    /// Lowest conversion, percent.
    pub min_conversion_percent: Decimal,
    /// Fewest net orders.
    pub min_net_orders: u64,
}

impl Default for HighPerformance {
    /// A tenth of a unit a day (three a month), 90% kept, ten net orders in the year.
    fn default() -> Self {
        HighPerformance {
            min_velocity: Decimal::new(1, 1),
            min_conversion_percent: Decimal::from(90),
            min_net_orders: 10,
        }
    }
}

impl HighPerformance {
    /// Whether `listing` meets the rule.
    pub fn admits(&self, listing: &ListingPerformance) -> bool {
        listing.totals.net_orders >= self.min_net_orders
            && listing.velocity.is_some_and(|v| v >= self.min_velocity)
            && listing
                .conversion_percent
                .is_some_and(|c| c >= self.min_conversion_percent)
    }
}

/// Every listing with orders in `fy` (optionally only `seller`'s), best velocity first (then
/// conversion, then listing id).
///
/// ```
/// use haat_metrics::{listing_performance, ListingFold, SalesFold};
/// let none = listing_performance(&SalesFold::default(), &ListingFold::default(), "FY2025-26".parse()?, None);
/// assert!(none.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn listing_performance<S: Storage>(
    sales: &SalesFold<S>,
    listings: &ListingFold,
    fy: FinancialYear,
    seller: Option<SellerId>,
) -> Vec<ListingPerformance> {
    let first = haat_core::Month::containing(fy.start()).index();
    let months = first..first + 12;
    let per_listing = sales.rollup(|key| {
        (months.contains(&key.month.index()) && seller.is_none_or(|s| s == key.seller))
            .then_some((key.listing, key.seller))
    });
    let day = Decimal::from(86_400);
    let mut out: Vec<ListingPerformance> = per_listing
        .into_iter()
        .map(|((listing, seller), totals)| {
            let facts = listings.get(listing);
            let seconds = facts.map_or(0, |f| f.live_seconds(fy.start(), fy.end()));
            let days_live = (Decimal::from(seconds) / day).round_dp(2);
            let velocity = (seconds > 0)
                .then(|| Decimal::from(totals.net_units) * day / Decimal::from(seconds))
                .map(|v| {
                    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                        .normalize()
                });
            ListingPerformance {
                listing,
                seller,
                category: facts.and_then(|f| f.category().cloned()),
                net_sales: totals.net_sales(),
                days_live: days_live.normalize(),
                velocity,
                conversion_percent: percent_of(totals.net_orders, totals.orders),
                totals,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.velocity
            .cmp(&a.velocity)
            .then(b.conversion_percent.cmp(&a.conversion_percent))
            .then(a.listing.cmp(&b.listing))
    });
    out
}
