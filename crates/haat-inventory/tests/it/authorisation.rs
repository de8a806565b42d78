//! Authorisation, proven: a seller actor moves none of another seller's stock, whatever it asks;
//! and units that shipped come back only through a return the marketplace records.

use chrono::Duration;
use haat_core::{Actor, LocationId, OrderId, SellerId};
use haat_inventory::*;
use proptest::prelude::*;

use crate::ledger::{Given, OPS, SELLER, expect, key, receive, reserve, t};

/// The seller whose stock the stranger reaches for.
const OWNER: SellerId = SellerId::new(2);
const TRANSFER: u64 = 555;

/// The owner's stock at location 7 in every bucket an operation can take from, an active and a
/// committed reservation of it, a transfer of it in transit to location 8; and the stranger's
/// own stock of the same SKU.
struct World {
    given: Given,
    theirs: StockKey,
    mine: StockKey,
    active: ReservationId,
    committed: ReservationId,
}

fn world(stranger: SellerId) -> World {
    let theirs = key(OWNER.get(), "SAREE-1", 7);
    let mine = StockKey::new(stranger, theirs.sku().clone(), theirs.location());
    let mut given = Given::new().stocked(&theirs, 20).stocked(&mine, 5);
    let run = |g: &mut Given, op| g.run(OPS, op, t(1)).unwrap();
    run(&mut given, expect(&theirs, 6));
    run(&mut given, receive(&theirs, 3, 0, Receipt::QualityCheck));
    run(
        &mut given,
        Operation::MarkDamaged {
            key: theirs.clone(),
            quantity: 2,
        },
    );
    run(
        &mut given,
        Operation::TransferOut {
            transfer: TRANSFER,
            key: theirs.clone(),
            to: LocationId::new(8),
            quantity: 1,
        },
    );
    let active = given.reserve(&[(&theirs, 2)], 60, 2).unwrap();
    let committed = given.reserve(&[(&theirs, 3)], 60, 2).unwrap();
    given
        .run(
            OPS,
            Operation::Commit {
                reservation: committed,
            },
            t(3),
        )
        .unwrap();
    World {
        given,
        theirs,
        mine,
        active,
        committed,
    }
}

/// An operation of every variant that names a record of the owner's (its stock, its
/// reservations, its transfer), with quantities that may be zero and expiries that may be past.
fn operation_on(w: &World, which: u8, quantity: u64, flag: bool) -> Operation {
    let theirs = w.theirs.clone();
    let reservation = if flag { w.active } else { w.committed };
    match which {
        0 => expect(&theirs, quantity),
        1 => receive(&theirs, quantity, u64::from(flag), Receipt::Available),
        2 => Operation::CompleteQualityCheck {
            key: theirs,
            passed: quantity,
            failed: 0,
        },
        3 => Operation::Reserve {
            owner: ReservationOwner::Cart(9),
            // The stranger's own line first, perhaps of no units; perhaps already expired.
            expires_at: t(if flag { 5 } else { 60 }),
            lines: vec![
                ReserveLine {
                    key: w.mine.clone(),
                    quantity: u64::from(flag),
                },
                ReserveLine {
                    key: theirs,
                    quantity,
                },
            ],
        },
        4 => Operation::Release { reservation },
        5 => Operation::Commit { reservation },
        6 => Operation::Cancel { reservation },
        7 => Operation::Return {
            key: theirs,
            quantity,
            order: OrderId::new(1),
            condition: if flag {
                ReturnCondition::Restock
            } else {
                ReturnCondition::Damaged
            },
        },
        8 => Operation::Adjust {
            key: theirs,
            expected_on_hand: quantity,
            counted_on_hand: quantity.saturating_add(u64::from(flag)),
            reason: AdjustmentReason::Found,
        },
        9 => Operation::TransferOut {
            transfer: if flag { TRANSFER } else { 556 },
            key: theirs,
            to: LocationId::new(if flag { 7 } else { 9 }),
            quantity,
        },
        10 => Operation::TransferIn {
            transfer: TRANSFER,
            key: theirs,
            into: Receipt::Available,
        },
        11 => Operation::MarkDamaged {
            key: theirs,
            quantity,
        },
        12 => Operation::WriteOff {
            key: theirs,
            quantity,
        },
        13 => Operation::SetSafetyStock {
            key: theirs,
            quantity,
        },
        _ => Operation::SetReorderPoint {
            key: theirs,
            reorder_point: quantity,
        },
    }
}

fn errors(outcomes: Vec<Result<Outcome, Error>>) -> Vec<Option<Error>> {
    outcomes.into_iter().map(Result::err).collect()
}

fn stranger() -> impl Strategy<Value = SellerId> {
    (1u64..50)
        .prop_filter("not the owner", |&n| n != OWNER.get())
        .prop_map(SellerId::new)
}

proptest! {
    /// Any operation of any variant by a seller, naming another seller's stock, reservation
    /// or transfer, is `Forbidden` before any other rule (so it learns nothing of that
    /// stock), decided or executed, and the ledger does not change.
    #[test]
    fn a_seller_is_forbidden_on_another_sellers_stock(
        stranger in stranger(),
        which in 0u8..15,
        quantity in prop_oneof![Just(0u64), 1u64..40, Just(u64::MAX)],
        flag in any::<bool>(),
    ) {
        let mut w = world(stranger);
        let actor = Actor::Seller(stranger);
        let forbidden = Some(Error::Forbidden { actor, seller: OWNER });
        let command = Command::new(
            actor,
            IdempotencyKey::new(1_000),
            operation_on(&w, which, quantity, flag),
        );
        let before = w.given.ledger.clone();
        prop_assert_eq!(w.given.ledger.decide(&command, t(10)).err(), forbidden.clone());
        prop_assert_eq!(w.given.ledger.execute(&command, t(10)).err(), forbidden.clone());
        prop_assert_eq!(&w.given.ledger, &before);

        // The checkout paths by cell handle and in batches.
        let cell = w.given.ledger.cell(&w.theirs).unwrap();
        let hold = CellReservation {
            cell,
            quantity,
            owner: ReservationOwner::Cart(9),
            expires_at: t(if flag { 5 } else { 60 }),
        };
        prop_assert_eq!(
            w.given.ledger.reserve_cell(actor, IdempotencyKey::new(1_001), hold, t(10)).err(),
            forbidden.clone()
        );
        let batch = w.given.ledger.reserve_cells(actor, &[(IdempotencyKey::new(1_002), hold)], t(10));
        prop_assert_eq!(errors(batch), vec![forbidden.clone()]);
        let reservation = if flag { w.active } else { w.committed };
        let batch = w.given.ledger.commit_reservations(
            actor,
            &[(IdempotencyKey::new(1_003), reservation)],
            t(10),
        );
        prop_assert_eq!(errors(batch), vec![forbidden]);
        prop_assert_eq!(&w.given.ledger, &before);
    }
}

/// A seller's sweep of expired holds releases its own and leaves every other seller's alone.
#[test]
fn a_sellers_expiry_sweep_leaves_other_sellers_holds() {
    let mut w = world(SellerId::new(1));
    let theirs = w.theirs.clone();
    let reserved = w.given.ledger.quantities(&theirs).reserved();
    w.given.run(SELLER, Operation::Expire, t(90)).unwrap();
    assert_eq!(w.given.ledger.quantities(&theirs).reserved(), reserved);
    assert_eq!(
        w.given.ledger.reservation(w.active).unwrap().status(),
        ReservationStatus::Active
    );
}

/// A seller cancelled its own committed reservation and its shipped units came back as
/// available (shipped 2 → 0, available 8 → 10): units that left for a buyer could be sold
/// again. A committed reservation cannot be cancelled, by anyone.
#[test]
fn committed_stock_does_not_come_back_by_cancelling() {
    let mine = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&mine, 10);
    let placed = g.run(SELLER, reserve(&[(&mine, 2)], 30), t(1)).unwrap();
    let reservation = placed.reservation.unwrap();
    g.run(Actor::System, Operation::Commit { reservation }, t(2))
        .unwrap();
    let shipped = g.ledger.quantities(&mine);
    assert_eq!((shipped.shipped(), shipped.available()), (2, 8));
    for actor in [SELLER, OPS, Actor::System] {
        let err = g
            .run(actor, Operation::Cancel { reservation }, t(3))
            .unwrap_err();
        assert_eq!(
            err,
            Error::ReservationClosed {
                reservation,
                status: "committed",
                operation: "cancelled",
            },
            "{actor}"
        );
    }
    assert_eq!(
        Error::ReservationClosed {
            reservation,
            status: "committed",
            operation: "cancelled",
        }
        .to_string(),
        "reservation 1 is committed and cannot be cancelled"
    );
    assert_eq!(g.ledger.quantities(&mine), shipped);
}

/// A seller recorded a return of its own shipped units, under any order number, and had them
/// back as available: the same un-shipping by another door. Returns are the marketplace's to
/// record (operations staff, or the returns process).
#[test]
fn only_the_marketplace_records_a_return() {
    let mine = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&mine, 10);
    let reservation = g.reserve(&[(&mine, 2)], 30, 1).unwrap();
    g.run(OPS, Operation::Commit { reservation }, t(2)).unwrap();
    let returned = Operation::Return {
        key: mine.clone(),
        quantity: 2,
        order: OrderId::new(77),
        condition: ReturnCondition::Restock,
    };
    let err = g.run(SELLER, returned.clone(), t(3)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "seller 1 may not record a return: only the marketplace (operations staff or the system) may"
    );
    assert_eq!(g.ledger.quantities(&mine).shipped(), 2);
    g.run(OPS, returned, t(4)).unwrap();
    let q = g.ledger.quantities(&mine);
    assert_eq!((q.shipped(), q.available()), (0, 10));
}

/// A seller reserving its own line of no units together with another seller's stock was told
/// the quantity is zero, and one reserving another seller's cell by handle with an expiry in
/// the past was told the expiry is past: authorisation comes before every other rule.
#[test]
fn authorisation_comes_before_a_reservations_other_rules() {
    let w = world(SellerId::new(1));
    let mut ledger = w.given.ledger.clone();
    let forbidden = Err(Error::Forbidden {
        actor: SELLER,
        seller: OWNER,
    });
    let mixed = Operation::Reserve {
        owner: ReservationOwner::Cart(1),
        expires_at: t(60),
        lines: vec![
            ReserveLine {
                key: w.mine.clone(),
                quantity: 0,
            },
            ReserveLine {
                key: w.theirs.clone(),
                quantity: 1,
            },
        ],
    };
    assert_eq!(
        ledger.execute(
            &Command::new(SELLER, IdempotencyKey::new(900), mixed),
            t(10)
        ),
        forbidden
    );
    let hold = CellReservation {
        cell: ledger.cell(&w.theirs).unwrap(),
        quantity: 1,
        owner: ReservationOwner::Cart(1),
        expires_at: t(10) - Duration::minutes(1),
    };
    assert_eq!(
        ledger.reserve_cell(SELLER, IdempotencyKey::new(901), hold, t(10)),
        forbidden
    );
}
