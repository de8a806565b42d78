//! Invariants over random sequences of checkouts, retries and every step of the order's life.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use chrono::Duration;
use haat_core::{Actor, ListingId, OrderId};
use haat_inventory::Quantities;
use haat_orders::{
    CancelledBy, CheckoutRequest, Error, Order, OrderBook, OrderCommand, OrderEvent, OrderStatus,
    ReturnBucket, ReturnedLine,
};
use proptest::prelude::*;

use crate::fixtures::{GAMCHHA, KURTA, PAUSED, SAREE, STOCK, World, cell, kolkata, mumbai, now};

/// The listings with stock at the hub, whose cells the invariants check.
const STOCKED: [ListingId; 3] = [SAREE, KURTA, GAMCHHA];

#[derive(Clone, Debug)]
enum Step {
    Checkout {
        lines: Vec<(usize, u32)>,
        inter_state: bool,
    },
    Retry,
    Pack(usize),
    Dispatch(usize),
    Deliver(usize),
    Cancel(usize, CancelledBy),
    ReturnToOrigin(usize, ReturnBucket),
    Return(usize, u32, ReturnBucket),
}

fn bucket() -> impl Strategy<Value = ReturnBucket> {
    prop_oneof![Just(ReturnBucket::Sellable), Just(ReturnBucket::Damaged)]
}

fn step() -> impl Strategy<Value = Step> {
    let who = prop_oneof![
        Just(CancelledBy::Buyer),
        Just(CancelledBy::Seller),
        Just(CancelledBy::Marketplace)
    ];
    prop_oneof![
        3 => (prop::collection::vec((0usize..5, 0u32..9), 1..4), any::<bool>())
            .prop_map(|(lines, inter_state)| Step::Checkout { lines, inter_state }),
        1 => Just(Step::Retry),
        2 => any::<usize>().prop_map(Step::Pack),
        2 => any::<usize>().prop_map(Step::Dispatch),
        2 => any::<usize>().prop_map(Step::Deliver),
        1 => (any::<usize>(), who).prop_map(|(k, by)| Step::Cancel(k, by)),
        1 => (any::<usize>(), bucket()).prop_map(|(k, b)| Step::ReturnToOrigin(k, b)),
        2 => (any::<usize>(), 1u32..4, bucket()).prop_map(|(k, q, b)| Step::Return(k, q, b)),
    ]
}

fn listing(index: usize) -> ListingId {
    // Index 4 is a listing nobody has: a refused line.
    [SAREE, KURTA, GAMCHHA, PAUSED, ListingId::new(404)][index % 5]
}

fn cells(world: &World) -> Vec<Quantities> {
    STOCKED
        .iter()
        .map(|l| world.ledger.quantities(&cell(*l)))
        .collect()
}

/// What the orders say each stocked cell holds: (reserved, shipped, damaged).
fn expected_from_orders(
    book: &OrderBook,
    damaged: &BTreeMap<ListingId, u64>,
) -> Vec<(u64, u64, u64)> {
    STOCKED
        .iter()
        .map(|listing| {
            let (mut reserved, mut shipped) = (0u64, 0u64);
            for order in book.orders() {
                for (index, line) in order.lines().iter().enumerate() {
                    if line.listing != *listing {
                        continue;
                    }
                    let units = u64::from(line.quantity);
                    match order.status() {
                        Some(OrderStatus::Placed | OrderStatus::Packed) => reserved += units,
                        Some(
                            OrderStatus::Dispatched
                            | OrderStatus::Delivered
                            | OrderStatus::Returned,
                        ) => {
                            shipped += units - u64::from(order.returned(index));
                        }
                        _ => {}
                    }
                }
            }
            (
                reserved,
                shipped,
                damaged.get(listing).copied().unwrap_or(0),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// After any sequence: the ledger and the orders agree, no stock is lost or created,
    /// a refused checkout changes nothing, a retry answers its first outcome, and replaying
    /// each order's events gives the live order.
    #[test]
    fn the_ledger_and_the_orders_agree(steps in prop::collection::vec(step(), 1..40)) {
        let mut world = World::new();
        let mut orders: Vec<OrderId> = Vec::new();
        let mut events: Vec<OrderEvent> = Vec::new();
        let mut damaged: BTreeMap<ListingId, u64> = BTreeMap::new();
        let mut last: Option<(CheckoutRequest, Result<Vec<OrderId>, Error>)> = None;
        for (i, step) in steps.iter().enumerate() {
            // An hour apart: no hold lapses and no return window closes in 40 steps.
            let at = now() + Duration::hours(i as i64);
            let pick = |k: &usize| orders.get(k % orders.len().max(1)).copied();
            let command = match step {
                Step::Checkout { lines, inter_state } => {
                    let lines: Vec<_> = lines.iter().map(|&(l, q)| (listing(l), q)).collect();
                    let pin = if *inter_state { mumbai() } else { kolkata() };
                    let request = world.request(pin, &lines);
                    let before = (cells(&world), world.book.orders().count());
                    let outcome = world.run(&request, at);
                    match &outcome {
                        Ok(placed) => {
                            orders.extend(&placed.orders);
                            events.extend(placed.events.iter().cloned());
                        }
                        Err(_) => prop_assert_eq!((cells(&world), world.book.orders().count()), before),
                    }
                    last = Some((request, outcome.map(|p| p.orders)));
                    None
                }
                Step::Retry => {
                    if let Some((request, Ok(first))) = &last {
                        let before = cells(&world);
                        let again = world.run(request, at).unwrap();
                        prop_assert!(again.replayed);
                        prop_assert_eq!(&again.orders, first);
                        prop_assert_eq!(cells(&world), before);
                    }
                    None
                }
                Step::Pack(k) => pick(k).map(|order| OrderCommand::Pack { actor: Actor::System, order }),
                Step::Dispatch(k) => pick(k).map(|order| OrderCommand::Dispatch { actor: Actor::System, order }),
                Step::Deliver(k) => pick(k).map(|order| OrderCommand::Deliver { actor: Actor::System, order }),
                Step::Cancel(k, by) => pick(k).map(|order| OrderCommand::Cancel { actor: Actor::System, order, cancelled_by: *by }),
                Step::ReturnToOrigin(k, bucket) => pick(k).map(|order| OrderCommand::ReturnToOrigin { actor: Actor::System, order, bucket: *bucket }),
                Step::Return(k, quantity, bucket) => pick(k).map(|order| OrderCommand::Return {
                    actor: Actor::System,
                    order,
                    lines: vec![ReturnedLine { line: 0, quantity: *quantity, bucket: *bucket }],
                }),
            };
            if let Some(command) = command {
                let listing_of = |book: &OrderBook| book.order(command.order()).map(|o| o.lines()[0].listing);
                let before = (cells(&world), world.book.order(command.order()).cloned());
                match world.book.execute(&mut world.ledger, &command, at) {
                    Ok(new) => {
                        for event in &new {
                            let listing = listing_of(&world.book);
                            let bump = |damaged: &mut BTreeMap<ListingId, u64>, n: u64| {
                                if let Some(l) = listing { *damaged.entry(l).or_default() += n; }
                            };
                            match event {
                                OrderEvent::OrderReturned { lines, .. } => {
                                    for l in lines.iter().filter(|l| l.bucket == ReturnBucket::Damaged) {
                                        bump(&mut damaged, u64::from(l.quantity));
                                    }
                                }
                                OrderEvent::OrderReturnedToOrigin { bucket: ReturnBucket::Damaged, .. } => {
                                    // Every line of the order comes back damaged.
                                    let order = world.book.order(command.order()).unwrap();
                                    for line in order.lines() {
                                        *damaged.entry(line.listing).or_default() += u64::from(line.quantity);
                                    }
                                }
                                _ => {}
                            }
                        }
                        events.extend(new);
                    }
                    Err(_) => prop_assert_eq!((cells(&world), world.book.order(command.order()).cloned()), before),
                }
            }
            // The ledger agrees with the orders, and every unit is somewhere.
            let actual: Vec<_> = cells(&world).iter().map(|q| (q.reserved(), q.shipped(), q.damaged())).collect();
            prop_assert_eq!(&actual, &expected_from_orders(&world.book, &damaged));
            for q in cells(&world) {
                prop_assert_eq!(q.available() + q.reserved() + q.damaged() + q.shipped(), u64::from(STOCK));
            }
        }
        // Replay: each order's events give the live order; the book rebuilt from all events
        // holds the same orders.
        let mut rebuilt = OrderBook::default();
        for event in &events {
            rebuilt.apply(event);
        }
        for id in &orders {
            let own: Vec<_> = events.iter().filter(|e| e.order() == *id).collect();
            prop_assert_eq!(Some(&Order::replay(own)), world.book.order(*id));
            prop_assert_eq!(rebuilt.order(*id), world.book.order(*id));
        }
    }
}

/// A UUIDv7 key minted at `minted`, told apart by `n`.
fn v7_key(minted: chrono::DateTime<chrono::Utc>, n: u64) -> haat_inventory::IdempotencyKey {
    let millis = u128::try_from(minted.timestamp_millis()).unwrap();
    haat_inventory::IdempotencyKey::new((millis << 80) | (0x7 << 76) | (0b10 << 62) | u128::from(n))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Checkouts and retries with UUIDv7 keys, minutes to days apart, while the book forgets
    /// keys older than a window: a key never places orders twice; a retry answers its first
    /// orders while remembered and is refused as expired once forgotten; and the book
    /// remembers no key first used before the window.
    #[test]
    fn a_bounded_memory_never_places_a_cart_twice(
        steps in prop::collection::vec((0u8..3, 0usize..8, 1i64..2_000), 1..40),
        window_minutes in 30i64..3_000,
    ) {
        let mut world = World::new();
        let window = Duration::minutes(window_minutes);
        let mut at = now();
        let mut placed: Vec<(CheckoutRequest, chrono::DateTime<chrono::Utc>, Vec<OrderId>)> = Vec::new();
        for (n, (kind, pick, gap)) in steps.into_iter().enumerate() {
            at += Duration::minutes(gap);
            match kind {
                0 => {
                    let mut request = world.request(kolkata(), &[(SAREE, 1)]);
                    request.key = v7_key(at, n as u64);
                    let placement = world.run(&request, at).unwrap();
                    prop_assert!(!placement.replayed);
                    placed.push((request, at, placement.orders));
                }
                1 => {
                    if placed.is_empty() {
                        continue;
                    }
                    let (request, first_at, orders) = &placed[pick % placed.len()];
                    let before = (cells(&world), world.book.orders().count());
                    match world.run(request, at) {
                        Ok(again) => {
                            prop_assert!(again.replayed);
                            prop_assert_eq!(&again.orders, orders);
                        }
                        Err(Error::CheckoutKeyExpired { minted, forgotten_before, .. }) => {
                            prop_assert_eq!(minted, *first_at);
                            prop_assert!(minted < forgotten_before);
                        }
                        Err(other) => prop_assert!(false, "unexpected {other:?}"),
                    }
                    prop_assert_eq!((cells(&world), world.book.orders().count()), before);
                }
                _ => {
                    world.book.forget_checkouts(at, window);
                    let kept = placed.iter().filter(|(_, first_at, _)| *first_at >= at - window).count();
                    prop_assert_eq!(world.book.remembered_checkouts(), kept);
                }
            }
        }
    }
}
