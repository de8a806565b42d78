//! Merge laws for every fold: associative, commutative, with the empty fold as identity; and
//! folding everything equals merging the folds of any partition.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use haat_metrics::{
    DemandFold, HaatEvent, ListingFold, Metrics, Onboarding, OrderRecord, SalesFold,
    SellerDirectory, WorkshopFold,
};
use haat_seller::WorkforceRole;
use proptest::prelude::*;

use crate::support::*;

/// An event or an order.
#[allow(clippy::large_enum_variant)] // test data, built once per case
#[derive(Clone, Debug)]
pub(crate) enum Op {
    Event(HaatEvent),
    Order(OrderRecord),
}

const PINS: [&str; 4] = ["700124", "741101", "700001", "734101"];
const DISTRICTS: [&str; 3] = ["Nadia", "Kolkata", "North 24 Parganas"];

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // Two financial years and a little either side, to the minute.
    (0i64..(800 * 24 * 60)).prop_map(|minutes| ist(2024, 3, 15, 0, 0) + TimeDelta::minutes(minutes))
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (0i64..800).prop_map(|d| NaiveDate::from_ymd_opt(2024, 3, 15).unwrap() + TimeDelta::days(d))
}

pub(crate) fn op() -> impl Strategy<Value = Op> {
    let seller = 1u64..6;
    let listing = 1u64..8;
    prop_oneof![
        (
            seller.clone(),
            instant(),
            0usize..4,
            proptest::option::of((1u64..3, 1u64..4))
        )
            .prop_map(|(s, at, p, r)| Op::Event(registered(s, at, PINS[p], r).into())),
        (seller.clone(), instant()).prop_map(|(s, at)| Op::Event(kyc_verified(s, at).into())),
        (seller.clone(), instant()).prop_map(|(s, at)| Op::Event(activated(s, at).into())),
        (seller.clone(), instant()).prop_map(|(s, at)| Op::Event(deactivated(s, at).into())),
        (seller.clone(), instant(), 0u32..30, 0u32..3).prop_map(|(s, at, w, p)| Op::Event(
            workforce(
                s,
                at,
                &[(WorkforceRole::Weaver, w), (WorkforceRole::Packer, p)]
            )
            .into()
        )),
        (seller.clone(), instant(), 1u64..3)
            .prop_map(|(s, at, p)| Op::Event(enrolled(s, at, p).into())),
        (listing.clone(), seller.clone(), instant(), prop::bool::ANY).prop_map(|(l, s, at, a)| {
            let category = if a { "textiles/sarees" } else { "handicrafts" };
            Op::Event(draft(l, s, at, category).into())
        }),
        (listing.clone(), seller.clone(), instant())
            .prop_map(|(l, s, at)| Op::Event(listing_live(l, s, at).into())),
        (listing.clone(), seller.clone(), instant())
            .prop_map(|(l, s, at)| Op::Event(listing_off(l, s, at).into())),
        (listing.clone(), seller.clone(), instant())
            .prop_map(|(l, s, at)| Op::Event(listing_archived(l, s, at).into())),
        (1u64..3, instant(), 0usize..3, day())
            .prop_map(|(w, at, d, date)| Op::Event(scheduled(w, at, DISTRICTS[d], date).into())),
        (1u64..3, 1u64..4, 0usize..3, day())
            .prop_map(|(w, a, d, date)| Op::Event(attended(w, a, DISTRICTS[d], date).into())),
        (
            1u64..3,
            1u64..4,
            seller.clone(),
            0usize..3,
            day(),
            instant()
        )
            .prop_map(|(w, a, s, d, date, at)| Op::Event(
                became_seller(w, a, s, DISTRICTS[d], date, at).into()
            )),
        (
            1u64..1000,
            seller,
            listing,
            1i64..5000,
            instant(),
            0usize..4,
            0usize..5
        )
            .prop_map(|(n, s, l, rupees, at, p, fate)| {
                let fate = [
                    Fate::Delivered,
                    Fate::Late,
                    Fate::SellerCancelled,
                    Fate::BuyerCancelled,
                    Fate::Returned,
                ][fate];
                Op::Order(order(n, s, l, rupees, at, PINS[p], fate))
            }),
    ]
}

/// A fold that can be fed ops and merged.
trait Fold: Default + Clone + PartialEq + std::fmt::Debug {
    fn feed(&mut self, op: &Op);
    fn join(&mut self, other: &Self);
}

impl Fold for Metrics {
    fn feed(&mut self, op: &Op) {
        match op {
            Op::Event(e) => self.apply_event(e),
            Op::Order(o) => self.add_order(o),
        }
    }
    fn join(&mut self, other: &Self) {
        self.merge(other);
    }
}

macro_rules! fold {
    ($ty:ty, |$fold:ident, $op:ident| $body:expr) => {
        impl Fold for $ty {
            fn feed(&mut self, $op: &Op) {
                let $fold = self;
                $body
            }
            fn join(&mut self, other: &Self) {
                self.merge(other);
            }
        }
    };
}

fold!(SalesFold, |f, op| if let Op::Order(o) = op {
    f.add(o)
});
fold!(DemandFold, |f, op| if let Op::Order(o) = op {
    f.add(o)
});
fold!(
    SellerDirectory,
    |f, op| if let Op::Event(HaatEvent::Seller(e)) = op {
        f.apply(e)
    }
);
fold!(
    Onboarding,
    |f, op| if let Op::Event(HaatEvent::Seller(e)) = op {
        f.apply(e)
    }
);
fold!(
    ListingFold,
    |f, op| if let Op::Event(HaatEvent::Listing(e)) = op {
        f.apply(e)
    }
);
fold!(
    WorkshopFold,
    |f, op| if let Op::Event(HaatEvent::Workshop(e)) = op {
        f.apply(e)
    }
);

fn fold_all<F: Fold>(ops: &[Op]) -> F {
    let mut fold = F::default();
    for op in ops {
        fold.feed(op);
    }
    fold
}

fn laws<F: Fold>(ops: &[Op], parts: &[usize], order: &[usize]) -> Result<(), TestCaseError> {
    let all: F = fold_all(ops);
    // Partition the ops (keeping their order within a part), fold each part, merge the parts
    // in a shuffled order.
    let mut chunks: Vec<F> = vec![F::default(); 4];
    for (op, part) in ops.iter().zip(parts) {
        chunks[*part].feed(op);
    }
    let mut merged = F::default();
    for i in order {
        merged.join(&chunks[*i]);
    }
    prop_assert_eq!(&merged, &all, "fold(all) != merge of folds");
    let (a, b, c) = (&chunks[0], &chunks[1], &chunks[2]);
    // Commutative.
    let mut ab = a.clone();
    ab.join(b);
    let mut ba = b.clone();
    ba.join(a);
    prop_assert_eq!(&ab, &ba, "a + b != b + a");
    // Associative.
    let mut ab_c = ab.clone();
    ab_c.join(c);
    let mut bc = b.clone();
    bc.join(c);
    let mut a_bc = a.clone();
    a_bc.join(&bc);
    prop_assert_eq!(&ab_c, &a_bc, "(a + b) + c != a + (b + c)");
    // Identity.
    let mut a_0 = a.clone();
    a_0.join(&F::default());
    prop_assert_eq!(&a_0, a, "a + 0 != a");
    let mut zero_a = F::default();
    zero_a.join(a);
    prop_assert_eq!(&zero_a, a, "0 + a != a");
    // Merging is not just appending: a fold merged with itself differs unless empty, but
    // folding the ops twice equals merging it with itself.
    let mut twice = all.clone();
    twice.join(&all);
    let mut doubled = all.clone();
    for op in ops {
        doubled.feed(op);
    }
    prop_assert_eq!(&twice, &doubled, "fold twice != merge with itself");
    Ok(())
}

fn case() -> impl Strategy<Value = (Vec<Op>, Vec<usize>, Vec<usize>)> {
    prop::collection::vec(op(), 0..60).prop_flat_map(|ops| {
        let n = ops.len();
        (
            Just(ops),
            prop::collection::vec(0usize..4, n),
            Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn metrics_merge_laws((ops, parts, order) in case()) {
        laws::<Metrics>(&ops, &parts, &order)?;
    }

    #[test]
    fn metrics_reports_of_merged_partitions_equal_the_report_of_everything(
        (ops, parts, order) in case()
    ) {
        let all: Metrics = fold_all(&ops);
        let mut chunks: Vec<Metrics> = vec![Metrics::default(); 4];
        for (op, part) in ops.iter().zip(&parts) {
            chunks[*part].feed(op);
        }
        let mut merged = Metrics::default();
        for i in &order {
            merged.merge(&chunks[*i]);
        }
        let now = ist(2026, 4, 2, 0, 0);
        for fy in ["FY2024-25", "FY2025-26"] {
            let fy = fy.parse().unwrap();
            prop_assert_eq!(merged.report(fy, now), all.report(fy, now));
        }
    }

    #[test]
    fn sales_merge_laws((ops, parts, order) in case()) {
        laws::<SalesFold>(&ops, &parts, &order)?;
    }

    #[test]
    fn demand_merge_laws((ops, parts, order) in case()) {
        laws::<DemandFold>(&ops, &parts, &order)?;
    }

    #[test]
    fn seller_directory_merge_laws((ops, parts, order) in case()) {
        laws::<SellerDirectory>(&ops, &parts, &order)?;
    }

    #[test]
    fn onboarding_merge_laws((ops, parts, order) in case()) {
        laws::<Onboarding>(&ops, &parts, &order)?;
    }

    #[test]
    fn listing_merge_laws((ops, parts, order) in case()) {
        laws::<ListingFold>(&ops, &parts, &order)?;
    }

    #[test]
    fn workshop_merge_laws((ops, parts, order) in case()) {
        laws::<WorkshopFold>(&ops, &parts, &order)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `add_orders` over a slice gives the fold `add_order` one by one gives, whether the
    /// orders come in time order or not.
    #[test]
    fn batched_orders_equal_orders_one_by_one(
        ops in prop::collection::vec(op(), 0..200),
        sorted in prop::bool::ANY,
    ) {
        let mut orders: Vec<OrderRecord> = ops
            .into_iter()
            .filter_map(|op| match op {
                Op::Order(order) => Some(order),
                Op::Event(_) => None,
            })
            .collect();
        if sorted {
            orders.sort_by_key(|order| order.placed_at);
        }
        let mut one_by_one = Metrics::default();
        for order in &orders {
            one_by_one.add_order(order);
        }
        let mut batched = Metrics::default();
        let (first, rest) = orders.split_at(orders.len() / 3);
        batched.add_orders(first);
        batched.add_orders(rest);
        prop_assert_eq!(&batched, &one_by_one);
        prop_assert_eq!(batched.sales().len(), one_by_one.sales().len());
    }
}
