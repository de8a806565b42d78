//! Seller performance over a rolling window: cancellations, late dispatch, returns, and a tier.

use chrono::{NaiveDate, TimeDelta};
use haat_core::{Decimal, SellerId};
use serde::{Deserialize, Serialize};

use crate::store::Storage;
use crate::{SalesFold, ServiceCounts};

/// A seller's standing, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Meets the gold rule.
    Gold,
    /// Meets the silver rule.
    Silver,
    /// Meets the bronze rule.
    Bronze,
    /// Has orders in the window but meets no rule.
    NeedsImprovement,
    /// Has too few orders in the window to be rated.
    Unrated,
}

impl Tier {
    /// Every tier, best first.
    pub const ALL: [Tier; 5] = [
        Tier::Gold,
        Tier::Silver,
        Tier::Bronze,
        Tier::NeedsImprovement,
        Tier::Unrated,
    ];
}

/// What a seller must meet for a tier: at most these rates (percent), at least these orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierRule {
    /// Most seller-caused cancellations, percent of orders.
    pub max_cancellation_percent: Decimal,
    /// Most late dispatches, percent of dispatched orders.
    pub max_late_dispatch_percent: Decimal,
    /// Most returns, percent of delivered orders.
    pub max_return_percent: Decimal,
    /// Fewest orders in the window.
    pub min_orders: u32,
}

impl TierRule {
    fn admits(&self, performance: &SellerPerformance) -> bool {
        let within = |rate: Option<Decimal>, max: Decimal| rate.is_none_or(|r| r <= max);
        performance.counts.orders >= self.min_orders
            && within(
                performance.cancellation_percent,
                self.max_cancellation_percent,
            )
            && within(
                performance.late_dispatch_percent,
                self.max_late_dispatch_percent,
            )
            && within(performance.return_percent, self.max_return_percent)
    }
}

/// The rules for gold, silver and bronze, and the fewest orders a rating needs. The caller
/// sets them; [`Default`] is a reasonable start (gold: ≤ 1% cancelled, ≤ 5% late, ≤ 5% returned,
/// ≥ 20 orders; silver: 2.5%, 10%, 10%, 10; bronze: 5%, 20%, 15%, 5; rated from 3 orders).
///
/// ```
/// use haat_metrics::{TierRule, TierThresholds};
/// let strict = TierThresholds {
///     gold: TierRule { min_orders: 100, ..TierThresholds::default().gold },
///     ..TierThresholds::default()
/// };
/// assert_eq!(strict.gold.min_orders, 100);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierThresholds {
    /// The gold rule.
    pub gold: TierRule,
    /// The silver rule.
    pub silver: TierRule,
    /// The bronze rule.
    pub bronze: TierRule,
    /// Fewest orders in the window for any rating; below it, [`Tier::Unrated`].
    pub min_orders_to_rate: u32,
}

impl Default for TierThresholds {
    fn default() -> Self {
        let rule = |c: i64, l: i64, r: i64, min_orders| TierRule {
            max_cancellation_percent: Decimal::new(c, 1),
            max_late_dispatch_percent: Decimal::new(l, 1),
            max_return_percent: Decimal::new(r, 1),
            min_orders,
        };
        TierThresholds {
            gold: rule(10, 50, 50, 20),
            silver: rule(25, 100, 100, 10),
            bronze: rule(50, 200, 150, 5),
            min_orders_to_rate: 3,
        }
    }
}

impl TierThresholds {
    /// The tier `performance` earns.
    pub fn tier(&self, performance: &SellerPerformance) -> Tier {
        if performance.counts.orders < self.min_orders_to_rate {
            Tier::Unrated
        } else if self.gold.admits(performance) {
            Tier::Gold
        } else if self.silver.admits(performance) {
            Tier::Silver
        } else if self.bronze.admits(performance) {
            Tier::Bronze
        } else {
            Tier::NeedsImprovement
        }
    }
}

/// One seller's service over a window of IST days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerPerformance {
    /// The seller.
    pub seller: SellerId,
    /// Their orders placed in the window, and what became of them.
    pub counts: ServiceCounts,
    /// Seller-caused cancellations, percent of orders.
    pub cancellation_percent: Option<Decimal>,
    /// Late dispatches, percent of dispatched orders.
    pub late_dispatch_percent: Option<Decimal>,
    /// Returns, percent of delivered orders.
    pub return_percent: Option<Decimal>,
    /// The tier earned.
    pub tier: Tier,
}

/// Rates every seller with orders on the `window_days` IST days ending with `last_day`
/// (orders count on the day they were placed), and gives each a tier by `thresholds`.
///
/// ```
/// # use chrono::{NaiveDate, TimeZone, Utc};
/// # use haat_core::{ListingId, Money, OrderId, SellerId};
/// use haat_metrics::{rate_sellers, CancelledBy, Cancellation, OrderRecord, SalesFold, Tier, TierThresholds};
/// # let placed = Utc.with_ymd_and_hms(2025, 10, 2, 6, 0, 0).unwrap();
/// # let order = |n: u64, cancelled: bool| OrderRecord { order: OrderId::new(n), seller: SellerId::new(7),
/// #   listing: ListingId::new(70), quantity: 1, amount: Money::from_rupees(2_450), placed_at: placed,
/// #   promised_dispatch_by: placed, dispatched_at: None, delivered_at: None,
/// #   cancellation: cancelled.then_some(Cancellation { at: placed, by: CancelledBy::Seller }),
/// #   returned_at: None, destination: "700001".parse().unwrap() };
/// let mut sales = SalesFold::default();
/// for n in 0..4 { sales.add(&order(n, n == 0)); }
/// let last_day = NaiveDate::from_ymd_opt(2025, 10, 31).ok_or("date")?;
/// let rated = rate_sellers(&sales, last_day, 30, &TierThresholds::default());
/// assert_eq!(rated[0].cancellation_percent, Some(25.into()));
/// assert_eq!(rated[0].tier, Tier::NeedsImprovement);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rate_sellers<S: Storage>(
    sales: &SalesFold<S>,
    last_day: NaiveDate,
    window_days: u32,
    thresholds: &TierThresholds,
) -> Vec<SellerPerformance> {
    let first_day = last_day - TimeDelta::days(i64::from(window_days.max(1)) - 1);
    let mut out: Vec<SellerPerformance> = sales
        .services(first_day, last_day)
        .map(|(seller, counts)| {
            let mut performance = SellerPerformance {
                seller,
                counts,
                cancellation_percent: counts.cancellation_percent(),
                late_dispatch_percent: counts.late_dispatch_percent(),
                return_percent: counts.return_percent(),
                tier: Tier::Unrated,
            };
            performance.tier = thresholds.tier(&performance);
            performance
        })
        .collect();
    out.sort_by_key(|p| p.seller);
    out
}
