//! Seller tiers and high-performing listings, on cases counted by hand: each threshold of the
//! default rules just met and just missed.

use chrono::{NaiveDate, TimeDelta};
use haat_core::{Decimal, FinancialYear, ListingId, SellerId};
use haat_metrics::{
    HighPerformance, ListingPerformance, Metrics, OrderRecord, ReportSettings, SalesFold,
    SalesTotals, SellerPerformance, ServiceCounts, Tier, TierThresholds, rate_sellers,
};

use crate::support::*;

fn pct(text: &str) -> Decimal {
    text.parse().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Tiers, from the rates (default rules: gold ≤ 1% cancelled, ≤ 5% late, ≤ 5% returned, ≥ 20
// orders; silver 2.5%, 10%, 10%, 10; bronze 5%, 20%, 15%, 5; rated from 3 orders)

/// The tier the default rules give `orders` orders with these rates (`None`: nothing to rate).
#[track_caller]
fn check_tier(
    orders: u32,
    cancelled: Option<&str>,
    late: Option<&str>,
    returned: Option<&str>,
    expected: Tier,
) {
    let performance = SellerPerformance {
        seller: SellerId::new(1),
        counts: ServiceCounts {
            orders,
            ..ServiceCounts::default()
        },
        cancellation_percent: cancelled.map(pct),
        late_dispatch_percent: late.map(pct),
        return_percent: returned.map(pct),
        tier: Tier::Unrated,
    };
    let got = TierThresholds::default().tier(&performance);
    assert_eq!(
        got, expected,
        "{orders} orders, cancelled {cancelled:?}, late {late:?}, returned {returned:?}"
    );
}

#[test]
fn gold_needs_twenty_orders_and_every_rate_within_its_limit() {
    let zero = Some("0");
    check_tier(20, Some("1"), Some("5"), Some("5"), Tier::Gold);
    check_tier(20, zero, zero, zero, Tier::Gold);
    // Rates with nothing to measure (no dispatch, no delivery yet) do not count against it.
    check_tier(20, zero, None, None, Tier::Gold);
    // One short on orders, or a hundredth of a percent over on one rate: silver.
    check_tier(19, zero, zero, zero, Tier::Silver);
    check_tier(20, Some("1.01"), zero, zero, Tier::Silver);
    check_tier(20, zero, Some("5.01"), zero, Tier::Silver);
    check_tier(20, zero, zero, Some("5.01"), Tier::Silver);
}

#[test]
fn silver_needs_ten_orders_and_every_rate_within_its_limit() {
    let zero = Some("0");
    check_tier(10, Some("2.5"), Some("10"), Some("10"), Tier::Silver);
    check_tier(9, zero, zero, zero, Tier::Bronze);
    check_tier(10, Some("2.51"), zero, zero, Tier::Bronze);
    check_tier(10, zero, Some("10.01"), zero, Tier::Bronze);
    check_tier(10, zero, zero, Some("10.01"), Tier::Bronze);
    // Many orders do not make up for a rate over gold's limit.
    check_tier(500, Some("1.5"), zero, zero, Tier::Silver);
}

#[test]
fn bronze_then_needs_improvement_then_unrated() {
    let zero = Some("0");
    check_tier(5, Some("5"), Some("20"), Some("15"), Tier::Bronze);
    check_tier(4, zero, zero, zero, Tier::NeedsImprovement);
    check_tier(5, Some("5.01"), zero, zero, Tier::NeedsImprovement);
    check_tier(5, zero, Some("20.01"), zero, Tier::NeedsImprovement);
    check_tier(5, zero, zero, Some("15.01"), Tier::NeedsImprovement);
    check_tier(3, zero, zero, zero, Tier::NeedsImprovement);
    check_tier(2, zero, zero, zero, Tier::Unrated);
    check_tier(0, None, None, None, Tier::Unrated);
}

// ---------------------------------------------------------------------------------------------
// Tiers, from orders: the rates are counted from the orders of the window

/// `n` orders of seller `seller` on listing `seller`, one a day from 1 Jan 2026, each with the
/// fate `fates` gives its index.
fn orders_of(seller: u64, n: u64, fate: impl Fn(u64) -> Fate) -> Vec<OrderRecord> {
    (0..n)
        .map(|i| {
            let placed = ist(2026, 1, 1, 11, 0) + TimeDelta::days(i as i64);
            order(
                seller * 1_000 + i,
                seller,
                seller,
                1_000,
                placed,
                "741404",
                fate(i),
            )
        })
        .collect()
}

#[test]
fn tiers_of_sellers_counted_by_hand() {
    let delivered = |_| Fate::Delivered;
    let sellers: Vec<Vec<OrderRecord>> = vec![
        // S1: 20 orders, all on time and kept: gold.
        orders_of(1, 20, delivered),
        // S2: 1 of 20 dispatched late = 5%: still gold.
        orders_of(2, 20, |i| if i == 0 { Fate::Late } else { Fate::Delivered }),
        // S3: 2 of 20 late = 10%: silver.
        orders_of(3, 20, |i| if i < 2 { Fate::Late } else { Fate::Delivered }),
        // S4: 19 orders, all kept: silver (gold needs 20).
        orders_of(4, 19, delivered),
        // S5: 1 of 40 cancelled by the seller = 2.5%: silver (gold allows 1%).
        orders_of(5, 40, |i| {
            if i == 0 {
                Fate::SellerCancelled
            } else {
                Fate::Delivered
            }
        }),
        // S6: 1 of 10 delivered returned = 10%: silver.
        orders_of(6, 10, |i| {
            if i == 0 {
                Fate::Returned
            } else {
                Fate::Delivered
            }
        }),
        // S7: 2 of 10 delivered returned = 20%: over bronze's 15%, needs improvement.
        orders_of(7, 10, |i| {
            if i < 2 {
                Fate::Returned
            } else {
                Fate::Delivered
            }
        }),
        // S8: 9 orders, kept: bronze (silver needs 10).
        orders_of(8, 9, delivered),
        // S9: a buyer's cancellation is not the seller's fault: 1 of 20, still gold.
        orders_of(9, 20, |i| {
            if i == 0 {
                Fate::BuyerCancelled
            } else {
                Fate::Delivered
            }
        }),
    ];
    let mut sales = SalesFold::default();
    for order in sellers.iter().flatten() {
        sales.add(order);
    }
    let last_day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let rated = rate_sellers(&sales, last_day, 90, &TierThresholds::default());
    let got: Vec<(u64, Tier)> = rated.iter().map(|p| (p.seller.get(), p.tier)).collect();
    assert_eq!(
        got,
        [
            (1, Tier::Gold),
            (2, Tier::Gold),
            (3, Tier::Silver),
            (4, Tier::Silver),
            (5, Tier::Silver),
            (6, Tier::Silver),
            (7, Tier::NeedsImprovement),
            (8, Tier::Bronze),
            (9, Tier::Gold),
        ]
    );
    let rates: Vec<_> = rated
        .iter()
        .map(|p| {
            (
                p.cancellation_percent,
                p.late_dispatch_percent,
                p.return_percent,
            )
        })
        .collect();
    assert_eq!(rates[1].1, Some(pct("5")));
    assert_eq!(rates[4].0, Some(pct("2.5")));
    assert_eq!(rates[5].2, Some(pct("10")));
    assert_eq!(rates[6].2, Some(pct("20")));
}

// ---------------------------------------------------------------------------------------------
// High-performing listings (default rule: ≥ 0.1 net units a day live, ≥ 90% conversion, ≥ 10
// net orders in the year)

/// A listing with `net_orders` kept of `orders`, selling `velocity` units a day.
fn listing(orders: u64, net_orders: u64, velocity: Option<&str>) -> ListingPerformance {
    ListingPerformance {
        listing: ListingId::new(1),
        seller: SellerId::new(1),
        category: None,
        totals: SalesTotals {
            orders,
            net_orders,
            ..SalesTotals::default()
        },
        net_sales: haat_core::Money::ZERO,
        days_live: Decimal::from(100),
        velocity: velocity.map(pct),
        conversion_percent: haat_metrics::percent_of(net_orders, orders),
    }
}

#[track_caller]
fn check_admits(listing: &ListingPerformance, expected: bool) {
    assert_eq!(
        HighPerformance::default().admits(listing),
        expected,
        "{} of {} orders kept, velocity {:?}, conversion {:?}",
        listing.totals.net_orders,
        listing.totals.orders,
        listing.velocity,
        listing.conversion_percent
    );
}

#[test]
fn high_performance_needs_each_criterion() {
    // Every criterion exactly met: 10 of 10 kept (100%), 0.1 a day.
    check_admits(&listing(10, 10, Some("0.1")), true);
    // 9 net orders: one short.
    check_admits(&listing(9, 9, Some("0.5")), false);
    // 0.09 a day: too slow.
    check_admits(&listing(20, 20, Some("0.09")), false);
    // Never live in the year: no velocity.
    check_admits(&listing(20, 20, None), false);
    // 18 of 20 kept is 90%: in; 17 of 19 is 89.47%: out.
    check_admits(&listing(20, 18, Some("0.2")), true);
    check_admits(&listing(19, 17, Some("0.2")), false);
    // No orders: no conversion, and nothing kept.
    check_admits(&listing(0, 0, Some("0.2")), false);
}

/// Orders `first_n..first_n + count` on `listing` of seller 1, one a day from `from`.
fn daily_orders(
    listing: u64,
    first_n: u64,
    count: u64,
    from: chrono::DateTime<chrono::Utc>,
    fate: impl Fn(u64) -> Fate,
) -> Vec<OrderRecord> {
    (0..count)
        .map(|i| {
            order(
                first_n + i,
                1,
                listing,
                2_000,
                from + TimeDelta::days(i as i64),
                "741404",
                fate(i),
            )
        })
        .collect()
}

#[test]
fn the_report_counts_high_performing_listings_by_hand() {
    let fy: FinancialYear = "FY2025-26".parse().unwrap();
    let year_start = ist(2025, 4, 1, 0, 0);
    let march = ist(2026, 3, 1, 0, 0);
    let delivered = |_| Fate::Delivered;
    let mut metrics = Metrics::default();
    metrics.apply_seller_event(&registered(1, ist(2025, 3, 1, 10, 0), "741404", None));
    metrics.apply_seller_event(&activated(1, ist(2025, 3, 2, 10, 0)));
    // L1, L2, L5, L6 live all year (365 days); L3 and L4 live for March's 31 days.
    for l in [1, 2, 5, 6] {
        metrics.apply_listing_event(&listing_live(l, 1, ist(2025, 3, 10, 10, 0)));
    }
    for l in [3, 4] {
        metrics.apply_listing_event(&listing_live(l, 1, march));
    }
    let orders = [
        // L1: 40 kept in 365 days = 0.11 a day, 100%: high-performing.
        daily_orders(1, 1_000, 40, year_start, delivered),
        // L2: 40 orders, 5 cancelled by the buyer: 87.5% kept: not.
        daily_orders(2, 2_000, 40, year_start, |i| {
            if i < 5 {
                Fate::BuyerCancelled
            } else {
                Fate::Delivered
            }
        }),
        // L3: 10 kept in 31 days = 0.32 a day: high-performing.
        daily_orders(3, 3_000, 10, march, delivered),
        // L4: 9 kept in 31 days: one net order short.
        daily_orders(4, 4_000, 9, march, delivered),
        // L5: 20 kept in 365 days = 0.05 a day: too slow.
        daily_orders(5, 5_000, 20, year_start, delivered),
        // L6: 44 orders, 4 returned: 40 kept = 90.91%, 0.11 a day: high-performing.
        daily_orders(6, 6_000, 44, year_start, |i| {
            if i < 4 {
                Fate::Returned
            } else {
                Fate::Delivered
            }
        }),
    ];
    for order in orders.iter().flatten() {
        metrics.add_order(order);
    }
    let report = metrics.report_with(&ReportSettings::new(fy, fy.end()));
    assert_eq!(report.listings.high_performing, 3);
    // A stricter rule counts only L3.
    let strict = ReportSettings {
        high_performance: HighPerformance {
            min_velocity: pct("0.2"),
            ..HighPerformance::default()
        },
        ..ReportSettings::new(fy, fy.end())
    };
    assert_eq!(metrics.report_with(&strict).listings.high_performing, 1);
}
