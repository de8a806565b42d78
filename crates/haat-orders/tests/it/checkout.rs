//! Checkout: worked examples with their arithmetic, refusals, splitting and retries.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haat_catalogue::{Percent, SupplyKind};
use haat_core::{Actor, ListingId, Money, SellerId, StateCode};
use haat_inventory::IdempotencyKey;
use haat_orders::{Error, LineRefusal, OrderEvent, RefusalReason};
use haat_seller::SellerStatus;

use crate::fixtures::{
    GAMCHHA, KURTA, PAUSED, SAREE, SAREE_HOUSE, STOCK, SUSPENDED, SUSPENDED_STOLE, TAILOR,
    UNVERIFIED, UNVERIFIED_STOLE, WEAVER, World, at, cell, kolkata, mumbai, now, wb,
};

/// Checks out `lines` to `pin` at `when` and answers the first line's tax:
/// (rate, supply, taxable value, CGST, SGST, IGST) in paise.
#[track_caller]
fn check_tax(
    listing: ListingId,
    pin: haat_core::PinCode,
    when: chrono::DateTime<chrono::Utc>,
    expected: (Percent, SupplyKind, i64, i64, i64, i64),
) {
    let mut world = World::new();
    let placed = world.checkout(pin, &[(listing, 1)], when).unwrap();
    let order = world.book.order(placed.orders[0]).unwrap();
    let t = order.lines()[0].tax;
    let paise = |m: Money| i64::try_from(m.paise()).unwrap();
    assert_eq!(
        (
            t.rate(),
            t.supply(),
            paise(t.taxable_value()),
            paise(t.cgst()),
            paise(t.sgst()),
            paise(t.igst())
        ),
        expected
    );
    // The parts add up to the price, to the paisa.
    assert_eq!(
        Money::checked_sum([t.taxable_value(), t.tax()]),
        Some(t.price())
    );
}

#[test]
fn an_intra_state_saree() {
    // ₹12,000 at 5% (HSN 5208, sarees at any price), Kolkata seller to a Kolkata buyer:
    // CGST = SGST = round(12,000 × 2.5 / 105) = round(285.714…) = ₹285.71;
    // taxable value = 12,000 − 571.42 = ₹11,428.58.
    check_tax(
        SAREE,
        kolkata(),
        now(),
        (
            Percent::whole(5),
            SupplyKind::IntraState,
            1_142_858,
            28_571,
            28_571,
            0,
        ),
    );
}

#[test]
fn an_inter_state_kurta_either_side_of_22_september_2025() {
    // ₹2,000 a piece, HSN 6211, West Bengal seller to a Mumbai buyer: IGST.
    // On 21 Sep 2025 (IST) the slab is 5% up to ₹1,000 before tax, i.e. an inclusive price
    // up to ₹1,050; ₹2,000 is above, so 12%: IGST = round(2,000 × 12 / 112) =
    // round(214.2857…) = ₹214.29; taxable value ₹1,785.71.
    // 23:59 IST on 21 Sep is 18:29 UTC.
    check_tax(
        KURTA,
        mumbai(),
        at(2025, 9, 21, 18, 29),
        (
            Percent::whole(12),
            SupplyKind::InterState,
            178_571,
            0,
            0,
            21_429,
        ),
    );
    // From 22 Sep 2025 the slab is 5% up to ₹2,500 before tax (₹2,625 inclusive): 5%,
    // IGST = round(2,000 × 5 / 105) = round(95.238…) = ₹95.24; taxable value ₹1,904.76.
    // 00:00 IST on 22 Sep is 18:30 UTC on the 21st.
    check_tax(
        KURTA,
        mumbai(),
        at(2025, 9, 21, 18, 30),
        (
            Percent::whole(5),
            SupplyKind::InterState,
            190_476,
            0,
            0,
            9_524,
        ),
    );
}

#[test]
fn a_non_gst_weavers_sale() {
    // ₹800 by a non-GST weaver of West Bengal to a Kolkata buyer: no GST at all, the whole
    // price is the value of the supply.
    check_tax(
        GAMCHHA,
        kolkata(),
        now(),
        (Percent::ZERO, SupplyKind::IntraState, 80_000, 0, 0, 0),
    );
    // To Mumbai: refused, and nothing is reserved.
    let mut world = World::new();
    let err = world
        .checkout(mumbai(), &[(GAMCHHA, 1)], now())
        .unwrap_err();
    let maharashtra = StateCode::new(27).unwrap();
    assert_eq!(
        err,
        Error::CheckoutRefused {
            refusals: vec![LineRefusal {
                line: 0,
                listing: GAMCHHA,
                reason: RefusalReason::InterStateByNonGstSeller {
                    seller_state: wb(),
                    buyer_state: maharashtra
                },
            }]
        }
    );
    assert_eq!(world.ledger.quantities(&cell(GAMCHHA)).reserved(), 0);
}

#[test]
fn every_bad_line_is_refused_with_its_reason_and_nothing_is_placed() {
    let mut world = World::new();
    let err = world
        .checkout(
            kolkata(),
            &[
                (SAREE, 1),
                (PAUSED, 1),
                (SUSPENDED_STOLE, 1),
                (UNVERIFIED_STOLE, 1),
                (ListingId::new(404), 1),
                (KURTA, 0),
            ],
            now(),
        )
        .unwrap_err();
    let Error::CheckoutRefused { refusals } = err else {
        panic!("{err:?}")
    };
    let reasons: Vec<_> = refusals
        .iter()
        .map(|r| (r.line, r.reason.clone()))
        .collect();
    assert_eq!(
        reasons,
        [
            (1, RefusalReason::ListingNotLive),
            (
                2,
                RefusalReason::SellerNotActive {
                    seller: SUSPENDED,
                    status: SellerStatus::Suspended
                }
            ),
            (
                3,
                RefusalReason::SellerNotActive {
                    seller: UNVERIFIED,
                    status: SellerStatus::KycSubmitted
                }
            ),
            (4, RefusalReason::UnknownListing),
            (5, RefusalReason::ZeroQuantity),
        ]
    );
    assert_eq!(world.book.orders().count(), 0);
    assert_eq!(world.ledger.quantities(&cell(SAREE)).reserved(), 0);
}

#[test]
fn a_line_short_of_stock_refuses_the_whole_cart_across_sellers() {
    let mut world = World::new();
    let err = world
        .checkout(kolkata(), &[(SAREE, 2), (KURTA, STOCK + 1)], now())
        .unwrap_err();
    assert!(
        matches!(&err, Error::CheckoutRefused { refusals } if refusals.len() == 1
            && refusals[0].line == 1
            && refusals[0].reason == RefusalReason::OutOfStock { requested: u64::from(STOCK) + 1, allocatable: u64::from(STOCK) }),
        "{err:?}"
    );
    assert_eq!(world.ledger.quantities(&cell(SAREE)).reserved(), 0);
    assert_eq!(world.book.orders().count(), 0);
}

#[test]
fn a_cart_of_several_sellers_becomes_one_order_per_seller() {
    let mut world = World::new();
    let placed = world
        .checkout(
            kolkata(),
            &[(KURTA, 1), (SAREE, 1), (KURTA, 2), (GAMCHHA, 3)],
            now(),
        )
        .unwrap();
    let sellers: Vec<(SellerId, usize)> = placed
        .orders
        .iter()
        .map(|id| {
            let order = world.book.order(*id).unwrap();
            (order.seller().unwrap(), order.lines().len())
        })
        .collect();
    assert_eq!(sellers, [(TAILOR, 2), (SAREE_HOUSE, 1), (WEAVER, 1)]);
    assert_eq!(world.ledger.quantities(&cell(KURTA)).reserved(), 3);
    assert_eq!(world.ledger.quantities(&cell(GAMCHHA)).reserved(), 3);
    // Each order's reservation is its own.
    let reservations: std::collections::BTreeSet<_> = placed
        .orders
        .iter()
        .map(|id| world.book.order(*id).unwrap().reservation())
        .collect();
    assert_eq!(reservations.len(), 3);
}

#[test]
fn a_book_moved_to_another_ledger_reserves_that_ledgers_cells() {
    use haat_inventory::{AdjustmentReason, Command, Operation, StockKey, StockLedger};
    // The book learns the first ledger's cells; the second numbers the same keys the other
    // way round, so a remembered cell number names another listing's stock there.
    let mut world = World::new();
    world
        .checkout(kolkata(), &[(SAREE, 1), (KURTA, 1), (GAMCHHA, 1)], now())
        .unwrap();
    let mut reversed = StockLedger::new();
    for (i, l) in crate::fixtures::listings().into_iter().rev().enumerate() {
        let count = Operation::Adjust {
            key: StockKey::new(l.seller, l.sku, crate::fixtures::HUB),
            expected_on_hand: 0,
            counted_on_hand: u64::from(STOCK),
            reason: AdjustmentReason::Found,
        };
        let key = IdempotencyKey::new(1_000 + i as u128);
        reversed
            .execute(&Command::new(Actor::Seller(l.seller), key, count), now())
            .unwrap();
    }
    assert_ne!(reversed.cell(&cell(SAREE)), world.ledger.cell(&cell(SAREE)));
    world.ledger = reversed;
    world
        .checkout(kolkata(), &[(SAREE, 2), (KURTA, 1), (GAMCHHA, 3)], now())
        .unwrap();
    assert_eq!(world.ledger.quantities(&cell(SAREE)).reserved(), 2);
    assert_eq!(world.ledger.quantities(&cell(KURTA)).reserved(), 1);
    assert_eq!(world.ledger.quantities(&cell(GAMCHHA)).reserved(), 3);
}

#[test]
fn a_retried_checkout_answers_its_first_outcome() {
    let mut world = World::new();
    let request = world.request(kolkata(), &[(SAREE, 2)]);
    let first = world.run(&request, now()).unwrap();
    // The listing's price changes; the retry still answers what was placed.
    let mut shelf = world.shelf.clone();
    let mut saree = crate::fixtures::listings().remove(0);
    saree.price = Money::from_rupees(11_000);
    shelf.put_listing(saree);
    world.shelf = shelf;
    let again = world.run(&request, now()).unwrap();
    assert!(again.replayed && !first.replayed);
    assert_eq!((again.orders, again.events), (first.orders, first.events));
    assert_eq!(world.ledger.quantities(&cell(SAREE)).reserved(), 2);
    // The same key with another cart is a conflict.
    let mut other = request.clone();
    other.cart.lines[0].quantity = 3;
    assert_eq!(
        world.run(&other, now()).unwrap_err(),
        Error::IdempotencyConflict { key: request.key }
    );
}

#[test]
fn only_the_marketplace_checks_out() {
    let mut world = World::new();
    let mut request = world.request(kolkata(), &[(SAREE, 1)]);
    request.actor = Actor::Seller(SAREE_HOUSE);
    assert!(matches!(
        world.run(&request, now()),
        Err(Error::Forbidden { .. })
    ));
    request.key = IdempotencyKey::new(9_999);
    request.actor = Actor::System;
    let placed = world.run(&request, now()).unwrap();
    assert!(
        matches!(&placed.events[0], OrderEvent::OrderPlaced { lines, .. } if lines[0].unit_price == Money::from_rupees(12_000))
    );
}

/// A UUIDv7 checkout key minted at `minted`, with `random` in its random bits.
fn v7(minted: chrono::DateTime<chrono::Utc>, random: u64) -> IdempotencyKey {
    let millis = u128::try_from(minted.timestamp_millis()).unwrap();
    IdempotencyKey::new(
        (millis << 80) | (0x7 << 76) | (0b10 << 62) | u128::from(random & ((1 << 62) - 1)),
    )
}

#[test]
fn checkout_keys_are_forgotten_after_the_retention_window_and_a_late_retry_is_refused() {
    let mut world = World::new();
    let day = chrono::Duration::days(1);
    let t0 = now();
    let mut request = world.request(kolkata(), &[(SAREE, 1)]);
    request.key = v7(t0, 1);
    let first = world.run(&request, t0).unwrap();
    // Within the window: remembered, a retry answers the first outcome.
    world
        .book
        .forget_checkouts(t0 + chrono::Duration::hours(23), day);
    assert_eq!(world.book.remembered_checkouts(), 1);
    let again = world
        .run(&request, t0 + chrono::Duration::hours(23))
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.orders, first.orders);
    // Past the window: forgotten, and a late retry is refused, not placed a second time.
    let later = t0 + day + chrono::Duration::minutes(1);
    world.book.forget_checkouts(later, day);
    assert_eq!(world.book.remembered_checkouts(), 0);
    assert_eq!(
        world.run(&request, later).unwrap_err(),
        Error::CheckoutKeyExpired {
            key: request.key,
            minted: t0,
            forgotten_before: t0 + chrono::Duration::minutes(1),
        }
    );
    assert_eq!(world.ledger.quantities(&cell(SAREE)).reserved(), 1);
    // A key minted within the window is new; a key that carries no time is refused, since
    // the book cannot tell whether it was used before what it forgot.
    let mut fresh = world.request(kolkata(), &[(SAREE, 1)]);
    fresh.key = v7(later, 2);
    assert!(!world.run(&fresh, later).unwrap().replayed);
    let undated = world.request(kolkata(), &[(SAREE, 1)]);
    assert_eq!(
        world.run(&undated, later).unwrap_err(),
        Error::UndatedCheckoutKey { key: undated.key }
    );
    assert_eq!(world.ledger.quantities(&cell(SAREE)).reserved(), 2);
    // The horizon never moves back: an earlier `now` forgets nothing more and revives nothing.
    world.book.forget_checkouts(t0, day);
    assert!(matches!(
        world.run(&request, later),
        Err(Error::CheckoutKeyExpired { .. })
    ));
}

#[test]
fn a_book_that_never_forgets_takes_any_key() {
    let mut world = World::new();
    let request = world.request(kolkata(), &[(SAREE, 1)]);
    world.run(&request, now()).unwrap();
    let years_later = now() + chrono::Duration::days(3_650);
    assert!(world.run(&request, years_later).unwrap().replayed);
}
