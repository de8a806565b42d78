//! The simulator is causal: every order is checked against the events of its listing and its
//! seller, and its own steps come in order — both the order records the metrics read and the
//! order events they are projected from.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use haat_catalogue::ListingEvent;
use haat_core::{ListingId, SellerId};
use haat_metrics::OrderRecord;
use haat_orders::OrderEvent;
use haat_seller::SellerEvent;
use haat_sim::{Event, ScenarioConfig, run_with_sink};
use proptest::prelude::*;

/// When something was switched on (`true`) or off (`false`), in time order.
type Switches = BTreeMap<DateTime<Utc>, bool>;

fn on_at(switches: Option<&Switches>, at: DateTime<Utc>) -> bool {
    switches
        .and_then(|s| s.range(..=at).next_back())
        .is_some_and(|(_, on)| *on)
}

/// What is wrong with `order`'s timing, if anything.
fn order_problems(
    order: &OrderRecord,
    listings: &HashMap<ListingId, Switches>,
    sellers: &HashMap<SellerId, Switches>,
) -> Vec<&'static str> {
    let mut problems = Vec::new();
    let placed = order.placed_at;
    if !on_at(listings.get(&order.listing), placed) {
        problems.push("placed while its listing was not live");
    }
    if !on_at(sellers.get(&order.seller), placed) {
        problems.push("placed while its seller was not active");
    }
    if order.promised_dispatch_by < placed {
        problems.push("promised before it was placed");
    }
    if let Some(cancellation) = &order.cancellation {
        if cancellation.at < placed {
            problems.push("cancelled before it was placed");
        }
        if order.dispatched_at.is_some() {
            problems.push("both cancelled and dispatched");
        }
    }
    match (order.dispatched_at, order.delivered_at) {
        (Some(dispatched), _) if dispatched < placed => problems.push("dispatched before placed"),
        (Some(dispatched), Some(delivered)) if delivered < dispatched => {
            problems.push("delivered before dispatched")
        }
        (None, Some(_)) => problems.push("delivered but never dispatched"),
        _ => {}
    }
    match (order.delivered_at, order.returned_at) {
        (Some(delivered), Some(returned)) if returned < delivered => {
            problems.push("returned before delivered")
        }
        (None, Some(_)) => problems.push("returned but never delivered"),
        _ => {}
    }
    problems
}

/// What is wrong with one order's events, in the order the sink saw them, if anything: the
/// first must be its placing, at a time its listings were live and its seller active; no
/// event comes before the one it follows (packed before dispatched before delivered before
/// returned), and nothing follows a cancellation.
fn event_problems(
    events: &[&OrderEvent],
    listings: &HashMap<ListingId, Switches>,
    sellers: &HashMap<SellerId, Switches>,
) -> Vec<&'static str> {
    let mut problems = Vec::new();
    let Some(OrderEvent::OrderPlaced {
        at, seller, lines, ..
    }) = events.first()
    else {
        problems.push("an order event before its placing");
        return problems;
    };
    if !on_at(sellers.get(seller), *at) {
        problems.push("event: placed while its seller was not active");
    }
    if lines.iter().any(|l| !on_at(listings.get(&l.listing), *at)) {
        problems.push("event: placed while its listing was not live");
    }
    let rank = |e: &OrderEvent| match e {
        OrderEvent::OrderPlaced { .. } => 0,
        OrderEvent::OrderPacked { .. } => 1,
        OrderEvent::OrderDispatched { .. } => 2,
        OrderEvent::OrderDelivered { .. } => 3,
        OrderEvent::OrderReturned { .. } => 4,
        _ => 5,
    };
    for pair in events.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        if after.at() < before.at() {
            problems.push("event: earlier than the one before it");
        }
        if matches!(before, OrderEvent::OrderCancelled { .. }) {
            problems.push("event: something after a cancellation");
        }
        if matches!(after, OrderEvent::OrderCancelled { .. }) && rank(before) >= 2 {
            problems.push("event: cancelled after dispatch");
        }
        if !matches!(after, OrderEvent::OrderCancelled { .. }) && rank(after) < rank(before) {
            problems.push("event: steps out of order");
        }
        if matches!(after, OrderEvent::OrderDispatched { .. })
            && !matches!(before, OrderEvent::OrderPacked { .. })
        {
            problems.push("event: dispatched without being packed");
        }
    }
    problems
}

/// Runs `config` and checks every order it places; returns how many orders were checked.
#[track_caller]
fn check_every_order(config: &ScenarioConfig) -> u64 {
    let mut listings: HashMap<ListingId, Switches> = HashMap::new();
    let mut sellers: HashMap<SellerId, Switches> = HashMap::new();
    let mut orders: Vec<OrderRecord> = Vec::new();
    let mut order_events: BTreeMap<haat_core::OrderId, Vec<OrderEvent>> = BTreeMap::new();
    let outcome = run_with_sink(
        config,
        &mut |_| {},
        Some(&mut |event| match event {
            Event::Listing(e) => {
                let on = match e {
                    ListingEvent::Activated { .. } => true,
                    ListingEvent::Deactivated { .. } | ListingEvent::Archived { .. } => false,
                    _ => return,
                };
                listings.entry(e.listing()).or_default().insert(e.at(), on);
            }
            Event::Seller(e) => {
                let on =
                    match e {
                        SellerEvent::SellerActivated { .. }
                        | SellerEvent::SellerReinstated { .. } => true,
                        SellerEvent::SellerSuspended { .. }
                        | SellerEvent::SellerDeactivated { .. } => false,
                        _ => return,
                    };
                sellers.entry(e.seller()).or_default().insert(e.at(), on);
            }
            // Orders are checked once every event is in: a listing's orders may reach the sink
            // before a later listing of the same seller goes live.
            Event::Order(order) => orders.push(order.clone()),
            Event::OrderEvent(e) => order_events.entry(e.order()).or_default().push(e.clone()),
            _ => {}
        }),
    );
    let mut problems: BTreeMap<&'static str, (u64, Vec<haat_core::OrderId>)> = BTreeMap::new();
    for order in &orders {
        for problem in order_problems(order, &listings, &sellers) {
            let entry = problems.entry(problem).or_default();
            entry.0 += 1;
            if entry.1.len() < 5 {
                entry.1.push(order.order);
            }
        }
    }
    for (id, events) in &order_events {
        let events: Vec<&OrderEvent> = events.iter().collect();
        for problem in event_problems(&events, &listings, &sellers) {
            let entry = problems.entry(problem).or_default();
            entry.0 += 1;
            if entry.1.len() < 5 {
                entry.1.push(*id);
            }
        }
    }
    // Every record comes from an order's events.
    assert_eq!(order_events.len(), orders.len());
    assert!(
        problems.is_empty(),
        "of {} orders: {problems:#?} (count, first orders)",
        orders.len()
    );
    assert_eq!(orders.len() as u64, outcome.counts.orders);
    outcome.counts.orders
}

#[test]
fn small_scenario_orders_follow_their_listing_and_seller() {
    let checked = check_every_order(&ScenarioConfig::small());
    assert!(checked > 1_000, "only {checked} orders");
}

/// The default scenario, every order of it: the one the reference picture is drawn from.
#[test]
fn default_scenario_orders_follow_their_listing_and_seller() {
    let checked = check_every_order(&ScenarioConfig::default());
    assert!(checked > 100_000, "only {checked} orders");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Any seed: a few dozen sellers' lives, every order causal.
    #[test]
    fn every_seed_gives_causal_orders(seed in any::<u64>()) {
        check_every_order(&ScenarioConfig { seed, sellers: 40, ..ScenarioConfig::small() });
    }
}
