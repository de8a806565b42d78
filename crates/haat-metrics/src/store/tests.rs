//! The fast store and the plain one give the same report: whole, JSON equal, for any mix of
//! events and orders — ids past the direct tables, listing ids two sellers share, amounts and
//! quantities past the packed fields, orders out of time order.

use chrono::TimeDelta;
use proptest::prelude::*;

use super::{Fast, Plain, Storage};
use crate::{HaatEvent, Metrics, OrderRecord, ReportSettings};

// The integration tests' builders of events and orders, shared rather than written again.
#[allow(dead_code)]
#[path = "../../tests/it/support.rs"]
mod support;

use support::{Fate, activated, draft, ist, listing_live, order, registered};

const PINS: [&str; 5] = ["700124", "741101", "700001", "734101", "110001"];

/// Sellers and listings: a few small ids, and one past the direct tables (2²⁴).
fn id() -> impl Strategy<Value = u64> {
    prop_oneof![4 => 1u64..6, 1 => Just((1 << 24) + 3)]
}

#[derive(Clone, Debug)]
enum Op {
    Event(HaatEvent),
    Order(OrderRecord),
}

fn op() -> impl Strategy<Value = Op> {
    // Two financial years and a little either side, to the minute.
    let instant = || {
        (0i64..(800 * 24 * 60))
            .prop_map(|minutes| ist(2024, 3, 15, 0, 0) + TimeDelta::minutes(minutes))
    };
    prop_oneof![
        1 => (id(), instant(), 0usize..5)
            .prop_map(|(s, at, p)| Op::Event(registered(s, at, PINS[p], None).into())),
        1 => (id(), instant()).prop_map(|(s, at)| Op::Event(activated(s, at).into())),
        1 => (id(), id(), instant(), any::<bool>()).prop_map(|(l, s, at, sarees)| {
            let category = if sarees { "textiles/sarees" } else { "handicrafts" };
            Op::Event(draft(l, s, at, category).into())
        }),
        1 => (id(), id(), instant()).prop_map(|(l, s, at)| Op::Event(listing_live(l, s, at).into())),
        6 => (
            (1u64..1000, id(), id()),
            prop_oneof![4 => 1i64..5_000, 1 => 10_000_000i64..100_000_000, 1 => Just(10_i64.pow(13))],
            prop_oneof![4 => 1u32..4, 1 => 10u32..100_000],
            instant(),
            0usize..PINS.len(),
            0usize..Fate::ALL.len(),
        )
            .prop_map(|((n, s, l), rupees, quantity, at, p, fate)| {
                let mut order = order(n, s, l, rupees, at, PINS[p], Fate::ALL[fate]);
                order.quantity = quantity;
                Op::Order(order)
            }),
    ]
}

fn fold<S: Storage>(ops: &[Op], batched: bool) -> Metrics<S> {
    let mut metrics = Metrics::<S>::empty();
    let orders: Vec<OrderRecord> = ops
        .iter()
        .filter_map(|op| match op {
            Op::Order(order) => Some(order.clone()),
            Op::Event(_) => None,
        })
        .collect();
    for op in ops {
        match op {
            Op::Event(event) => metrics.apply_event(event),
            Op::Order(order) if !batched => metrics.add_order(order),
            Op::Order(_) => {}
        }
    }
    if batched {
        metrics.add_orders(&orders);
    }
    metrics
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_fast_store_and_the_plain_one_give_the_same_report(
        ops in proptest::collection::vec(op(), 0..120),
        batched in any::<bool>(),
        split in 0usize..120,
    ) {
        let fast: Metrics<Fast> = fold(&ops, batched);
        let plain: Metrics<Plain> = fold(&ops, false);
        // And through a merge of two parts.
        let split = split.min(ops.len());
        let mut merged: Metrics<Fast> = fold(&ops[..split], batched);
        merged.merge(&fold(&ops[split..], batched));
        let network = haat_inventory::Network::west_bengal_reference().unwrap();
        let now = ist(2026, 4, 2, 0, 0);
        for fy in ["FY2024-25", "FY2025-26"] {
            let settings = ReportSettings::new(fy.parse().unwrap(), now).with_network(&network);
            let expected = serde_json::to_string(&plain.report_with(&settings)).unwrap();
            prop_assert_eq!(&serde_json::to_string(&fast.report_with(&settings)).unwrap(), &expected);
            prop_assert_eq!(&serde_json::to_string(&merged.report_with(&settings)).unwrap(), &expected);
        }
    }
}
