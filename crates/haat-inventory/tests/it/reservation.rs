//! Reservations: all or nothing, demand summed per key, expiry decided at `now`.

use haat_core::Actor;
use haat_inventory::*;

use crate::ledger::{Given, OPS, key, reserve, t};

#[test]
fn a_multi_line_request_reserves_every_line_or_none() {
    let a = key(1, "TANT-01", 7);
    let b = key(1, "TANT-02", 7);
    let mut g = Given::new().stocked(&a, 5).stocked(&b, 1);
    let before = g.ledger.clone();
    let err = g.reserve(&[(&a, 2), (&b, 2)], 30, 1).unwrap_err();
    assert!(matches!(
        err,
        Error::InsufficientStock {
            requested: 2,
            available: 1,
            ..
        }
    ));
    assert_eq!(g.ledger, before, "a failed request changes nothing");
    // Demand is summed per key before checking: 3 + 3 of `a` is 6 > 5.
    let err = g.reserve(&[(&a, 3), (&b, 1), (&a, 3)], 30, 1).unwrap_err();
    assert_eq!(
        err,
        Error::InsufficientStock {
            sku: a.sku().clone(),
            location: a.location(),
            bucket: Bucket::Available,
            requested: 6,
            available: 5
        }
    );
    assert_eq!(g.ledger, before);
    let r = g.reserve(&[(&a, 2), (&b, 1), (&a, 3)], 30, 1).unwrap();
    let placed = g.ledger.reservation(r).unwrap();
    assert_eq!(placed.lines(), &[(a.clone(), 5), (b.clone(), 1)]);
    assert_eq!(g.ledger.quantities(&a).available(), 0);
    // A key never stocked is short by its whole demand.
    assert!(matches!(
        g.reserve(&[(&key(1, "NONE", 7), 1)], 30, 1),
        Err(Error::InsufficientStock { available: 0, .. })
    ));
    assert_eq!(g.reserve(&[], 30, 1), Err(Error::EmptyReservation));
    assert!(matches!(
        g.reserve(&[(&a, 0)], 30, 1),
        Err(Error::ZeroQuantity { .. })
    ));
    assert!(matches!(
        g.reserve(&[(&b, 1)], 1, 1),
        Err(Error::ExpiryInPast { .. })
    ));
}

#[test]
fn expired_holds_count_as_released_without_a_sweeper() {
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&k, 5);
    let r = g.reserve(&[(&k, 4)], 10, 0).unwrap();
    let seller = k.seller();
    assert_eq!(g.ledger.available(seller, k.sku(), k.location(), t(9)), 1);
    assert_eq!(g.ledger.available(seller, k.sku(), k.location(), t(10)), 5);
    // Committing an expired reservation is refused.
    assert_eq!(
        g.run(OPS, Operation::Commit { reservation: r }, t(10)),
        Err(Error::ReservationExpired {
            reservation: r,
            expired_at: t(10)
        })
    );
    // A new reservation that needs the units releases the expired hold as it reserves.
    let r2 = g.reserve(&[(&k, 5)], 40, 11).unwrap();
    assert_eq!(
        g.ledger.reservation(r).unwrap().status(),
        ReservationStatus::Expired
    );
    let reasons: Vec<MovementReason> = g.ledger.movements().map(|m| m.reason).collect();
    assert_eq!(
        reasons[reasons.len() - 2..],
        [MovementReason::Expired, MovementReason::Reserved]
    );
    assert_eq!(g.ledger.quantities(&k).reserved(), 5);
    assert!(g.ledger.reservation(r2).unwrap().is_active_at(t(39)));
}

#[test]
fn the_expiry_step_writes_releases_once() {
    let a = key(1, "TANT-01", 7);
    let b = key(2, "DOKRA-01", 7);
    let mut g = Given::new().stocked(&a, 5).stocked(&b, 5);
    let early = g.reserve(&[(&a, 1), (&b, 2)], 10, 0).unwrap();
    let late = g.reserve(&[(&a, 1)], 50, 0).unwrap();
    let first = g.run(OPS, Operation::Expire, t(20)).unwrap();
    assert_eq!(first.events, 3, "two releases and the record");
    assert_eq!(
        g.ledger.reservation(early).unwrap().status(),
        ReservationStatus::Expired
    );
    assert_eq!(
        g.ledger.reservation(late).unwrap().status(),
        ReservationStatus::Active
    );
    assert_eq!(g.ledger.quantities(&b).reserved(), 0);
    let before = g.ledger.quantities(&a);
    let second = g.run(OPS, Operation::Expire, t(21)).unwrap();
    assert_eq!(second.events, 1, "nothing left to release");
    assert_eq!(g.ledger.quantities(&a), before);
    // A seller's expiry step only touches reservations wholly its own.
    let mixed = g.reserve(&[(&a, 1), (&b, 1)], 30, 21).unwrap();
    let own = g.reserve(&[(&a, 1)], 30, 21).unwrap();
    g.run(crate::ledger::SELLER, Operation::Expire, t(40))
        .unwrap();
    assert_eq!(
        g.ledger.reservation(mixed).unwrap().status(),
        ReservationStatus::Active
    );
    assert_eq!(
        g.ledger.reservation(own).unwrap().status(),
        ReservationStatus::Expired
    );
}

#[test]
fn reservations_by_cell_handle() {
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&k, 3);
    let cell = g.ledger.cell(&k).unwrap();
    let request = CellReservation {
        cell,
        quantity: 2,
        owner: ReservationOwner::Cart(77),
        expires_at: t(15),
    };
    let placed = g
        .ledger
        .reserve_cell(OPS, IdempotencyKey::new(500), request, t(1))
        .unwrap();
    let again = g
        .ledger
        .reserve_cell(OPS, IdempotencyKey::new(500), request, t(1))
        .unwrap();
    assert_eq!(placed.reservation, again.reservation);
    assert!(again.replayed);
    assert_eq!(g.ledger.quantities(&k).reserved(), 2);
    let err = g
        .ledger
        .reserve_cell(
            OPS,
            IdempotencyKey::new(501),
            CellReservation {
                quantity: 2,
                ..request
            },
            t(1),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InsufficientStock {
            requested: 2,
            available: 1,
            ..
        }
    ));
    let reservation = g.ledger.reservation(placed.reservation.unwrap()).unwrap();
    assert_eq!(reservation.owner(), ReservationOwner::Cart(77));
    assert_eq!(reservation.expires_at(), t(15));
    let r = g.run(OPS, reserve(&[(&k, 1)], 30), t(2)).unwrap();
    assert!(r.reservation.is_some());
}

#[test]
fn forgetting_settled_history_bounds_memory() {
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&k, 10);
    let r = g.reserve(&[(&k, 2)], 30, 1).unwrap();
    g.run(OPS, Operation::Commit { reservation: r }, t(2))
        .unwrap();
    let open = g.reserve(&[(&k, 1)], 30, 3).unwrap();
    g.ledger.forget_settled_before(t(10));
    assert_eq!(g.ledger.reservation(r), None);
    assert!(g.ledger.reservation(open).is_some());
    let next = g.ledger.next_seq();
    g.ledger.forget_events_through(next - 1);
    assert_eq!(g.ledger.events().count(), 0);
    g.run(OPS, Operation::Commit { reservation: open }, t(4))
        .unwrap();
    assert_eq!(g.ledger.events().next().map(|e| e.seq()), Some(next));
    assert_eq!(g.ledger.quantities(&k).shipped(), 3);
}

#[test]
fn a_retried_commit_answers_from_its_reservation() {
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&k, 10);
    let r = g.reserve(&[(&k, 2)], 30, 1).unwrap();
    let commit = Command::new(
        OPS,
        IdempotencyKey::new(0xc0),
        Operation::Commit { reservation: r },
    );
    let first = g.ledger.execute(&commit, t(2)).unwrap();
    let before = g.ledger.clone();
    let again = g.ledger.execute(&commit, t(3)).unwrap();
    assert_eq!(
        again,
        Outcome {
            replayed: true,
            ..first
        }
    );
    assert_eq!(g.ledger, before, "a retried commit moves nothing");
    assert_eq!(g.ledger.decide(&commit, t(3)), Ok(vec![]));
    // The same key for the same reservation from another actor is another payload.
    let other = Command::new(
        Actor::System,
        IdempotencyKey::new(0xc0),
        Operation::Commit { reservation: r },
    );
    assert_eq!(
        g.ledger.execute(&other, t(3)),
        Err(Error::IdempotencyConflict { key: 0xc0 })
    );
    // Another key for a committed reservation is a second commit: refused.
    let second = Command::new(
        OPS,
        IdempotencyKey::new(0xc1),
        Operation::Commit { reservation: r },
    );
    assert!(matches!(
        g.ledger.execute(&second, t(3)),
        Err(Error::ReservationClosed { .. })
    ));
    // Replay remembers the commit on the reservation the same way.
    let events: Vec<LedgerEvent> = g.ledger.events().collect();
    let mut replayed = StockLedger::replay(&events);
    assert_eq!(replayed, g.ledger);
    assert_eq!(replayed.execute(&commit, t(4)), Ok(again));
    assert_eq!(g.ledger.quantities(&k).shipped(), 2);
}
