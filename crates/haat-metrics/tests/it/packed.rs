//! The folds keep their cells packed in narrow fields and move a cell to full width when it
//! outgrows them: whatever the sizes, what they report equals plain sums over the orders.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use haat_core::{Money, Month, PinCode, SellerId};
use haat_metrics::{
    DemandFold, DemandTotals, Metrics, OrderRecord, SalesFold, SalesKey, SalesTotals, ServiceCounts,
};
use proptest::prelude::*;

use crate::support::*;

type Expected = (
    BTreeMap<SalesKey, SalesTotals>,
    BTreeMap<(SellerId, NaiveDate), ServiceCounts>,
    BTreeMap<SellerId, Option<DateTime<Utc>>>,
    BTreeMap<(PinCode, Month), DemandTotals>,
);

/// The rollups summed the plain way, one map entry per key.
fn expected(orders: &[OrderRecord]) -> Expected {
    let mut sales: BTreeMap<SalesKey, SalesTotals> = BTreeMap::new();
    let mut days: BTreeMap<(SellerId, NaiveDate), ServiceCounts> = BTreeMap::new();
    let mut first: BTreeMap<SellerId, Option<DateTime<Utc>>> = BTreeMap::new();
    let mut demand: BTreeMap<(PinCode, Month), DemandTotals> = BTreeMap::new();
    for order in orders {
        let month = Month::containing(order.placed_at);
        let key = SalesKey {
            seller: order.seller,
            listing: order.listing,
            month,
        };
        sales.entry(key).or_default().add(order);
        let day = haat_core::ist_date(order.placed_at);
        days.entry((order.seller, day)).or_default().add(order);
        let earliest = first.entry(order.seller).or_default();
        if order.is_net_sale() && earliest.is_none_or(|at| order.placed_at < at) {
            *earliest = Some(order.placed_at);
        }
        demand
            .entry((order.destination, month))
            .or_default()
            .add(order);
    }
    (sales, days, first, demand)
}

fn observed(sales: &SalesFold, demand: &DemandFold) -> Expected {
    (
        sales.cells().collect(),
        sales
            .service_days()
            .map(|(seller, day, counts)| ((seller, day), counts))
            .collect(),
        sales.sellers().map(|s| (s, sales.first_sale(s))).collect(),
        demand.cells().map(|(p, m, t)| ((p, m), t)).collect(),
    )
}

#[track_caller]
fn check(orders: &[OrderRecord]) {
    let mut sales = SalesFold::default();
    let mut demand = DemandFold::default();
    for order in orders {
        sales.add(order);
        demand.add(order);
    }
    assert_eq!(observed(&sales, &demand), expected(orders));
    // Through `Metrics`, and merged from two halves (cells packed on one side and full width
    // on the other meet there).
    let mut all = Metrics::default();
    all.add_orders(orders);
    let (left, right) = orders.split_at(orders.len() / 2);
    let mut merged = Metrics::default();
    merged.add_orders(left);
    let mut other = Metrics::default();
    other.add_orders(right);
    merged.merge(&other);
    assert_eq!(merged, all);
    assert_eq!(observed(all.sales(), all.demand()), expected(orders));
}

fn big_order(
    n: u64,
    seller: u64,
    listing: u64,
    paise: i64,
    quantity: u32,
    fate: Fate,
) -> OrderRecord {
    let at = ist(2025, 7, 1, 10, 0) + TimeDelta::seconds(n as i64);
    OrderRecord {
        quantity,
        amount: Money::from_paise(paise),
        ..order(n, seller, listing, 1, at, "700001", fate)
    }
}

#[test]
fn a_seller_day_of_more_orders_than_a_packed_cell_counts_moves_to_full_width() {
    // 1,500 orders of one listing on one day: past the 1,023 a packed day cell counts, past
    // 15 of each kind of deviation, and 65,535 units.
    let fates = Fate::ALL;
    let orders: Vec<OrderRecord> = (0..1_500)
        .map(|n| big_order(n, 1, 10, 19_900, 50, fates[n as usize % 5]))
        .collect();
    check(&orders);
    let mut sales = SalesFold::default();
    for order in &orders {
        sales.add(order);
    }
    let (_, _, counts) = sales.service_days().next().unwrap();
    assert_eq!(counts.orders, 1_500);
    assert_eq!(counts.seller_cancelled, 300);
    assert_eq!(sales.total().units, 75_000);
}

#[test]
fn amounts_past_what_four_bytes_hold_and_below_zero_are_summed_exactly() {
    let orders = [
        big_order(1, 1, 10, 3_000_000_000, 1, Fate::Delivered),
        big_order(2, 1, 10, 3_000_000_000, 1, Fate::Delivered),
        big_order(3, 2, 20, -5_000, 1, Fate::Delivered),
        big_order(4, 2, 20, 7_000, 1, Fate::Returned),
        big_order(5, 3, 30, 4_294_967_295, 70_000, Fate::Delivered),
    ];
    check(&orders);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn packed_cells_sum_like_plain_ones(
        orders in prop::collection::vec(
            (
                1u64..4,
                1u64..4,
                prop_oneof![4 => 100i64..500_000, 1 => -1_000i64..5_000_000_000],
                prop_oneof![8 => Just(1u32), 1 => 0u32..40_000],
                0i64..(3 * 24 * 60),
                0usize..5,
            ),
            0..400,
        )
    ) {
        let fates = Fate::ALL;
        let orders: Vec<OrderRecord> = orders
            .iter()
            .enumerate()
            .map(|(n, &(seller, listing, paise, quantity, minutes, fate))| {
                let at = ist(2025, 7, 30, 0, 0) + TimeDelta::minutes(minutes);
                OrderRecord {
                    quantity,
                    amount: Money::from_paise(paise),
                    ..order(n as u64, seller, seller * 10 + listing, 1, at, "700001", fates[fate])
                }
            })
            .collect();
        check(&orders);
    }
}
