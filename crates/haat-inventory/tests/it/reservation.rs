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

mod batches {
    use haat_core::Actor;
    use haat_inventory::*;
    use proptest::prelude::*;

    use crate::ledger::{Given, key, t};
    use crate::state_machine::actor;

    proptest! {
        /// A batch gives what the same requests one by one give: the same answers in order,
        /// the same events and the same ledger — with retries and conflicting reuses of a key
        /// inside the batch, short cells, expired holds, sellers' own and others' stock, past
        /// expiries, zero quantities and handles of another ledger, across several read-ahead
        /// groups.
        #[test]
        fn a_batch_is_the_requests_one_by_one(
            stock in prop::collection::vec(1u64..6, 6),
            early in prop::collection::vec((0usize..7, 1u64..3), 0..4),
            requests in prop::collection::vec((0u128..24, 0usize..7, 0u64..4, -2i64..30), 0..3 * RESERVE_GROUP),
            who in 0u8..4,
        ) {
            // Six cells of two sellers; a seventh handle comes from a bigger ledger.
            let keys: Vec<StockKey> = (0..6).map(|i| key(i / 3 + 1, "TANT-01", i % 3 + 1)).collect();
            let mut given = Given::new();
            for (k, &units) in keys.iter().zip(&stock) {
                given = given.stocked(k, units);
            }
            let mut bigger = Given::new();
            for k in &keys {
                bigger = bigger.stocked(k, 1);
            }
            let bigger = bigger.stocked(&key(3, "DOKRA-02", 1), 1).ledger;
            let handles: Vec<CellId> = keys
                .iter()
                .filter_map(|k| given.ledger.cell(k))
                .chain(bigger.cell(&key(3, "DOKRA-02", 1)))
                .collect();
            prop_assert_eq!(handles.len(), 7);
            prop_assert!(given.ledger.key_of(handles[6]).is_none());
            // Holds placed earlier, some of them expired by the batch's `now`.
            let mut ledger = given.ledger;
            for (n, &(c, q)) in early.iter().enumerate() {
                let hold = CellReservation { cell: handles[c % 6], quantity: q, owner: ReservationOwner::Cart(n as u64), expires_at: t(2 + n as i64 * 10) };
                let _ = ledger.reserve_cell(Actor::System, IdempotencyKey::new(1_000 + n as u128), hold, t(1));
            }
            let now = t(12);
            let batch: Vec<(IdempotencyKey, CellReservation)> = requests.iter().map(|&(k, c, q, e)| (
                IdempotencyKey::new(100_000 + k),
                CellReservation { cell: handles[c], quantity: q, owner: ReservationOwner::Cart(k as u64), expires_at: now + chrono::Duration::minutes(e) },
            )).collect();

            let mut one_by_one = ledger.clone();
            let expected: Vec<Result<Outcome, Error>> = batch.iter()
                .map(|&(k, r)| one_by_one.reserve_cell(actor(usize::from(who)), k, r, now)).collect();
            let mut batched = ledger.clone();
            let outcomes = batched.reserve_cells(actor(usize::from(who)), &batch, now);
            prop_assert_eq!(outcomes, expected);
            prop_assert!(batched == one_by_one, "the batch left a different ledger");
            let from = ledger.next_seq();
            prop_assert_eq!(batched.events_since(from).collect::<Vec<_>>(), one_by_one.events_since(from).collect::<Vec<_>>());
        }

        /// Lines reserved by cell handle give what the `Operation::Reserve` of the same keys
        /// through `execute` gives — the same answers, events and ledger — for one line or
        /// many, repeated cells, short cells, expired holds, sellers' own and others' stock,
        /// past expiries, zero quantities, more lines than the direct path takes, retries and
        /// conflicting reuses of a key; a retry may come either way; and the check
        /// `may_reserve_lines` promises only what `reserve_lines` then does.
        #[test]
        fn lines_by_cell_are_the_reserve_operation(
            stock in prop::collection::vec(1u64..6, 6),
            early in prop::collection::vec((0usize..6, 1u64..3), 0..4),
            requests in prop::collection::vec(
                (0u128..6, prop::collection::vec((0usize..6, 0u64..4), 1..11), -2i64..30, any::<bool>()),
                0..12,
            ),
            who in 0u8..4,
        ) {
            let keys: Vec<StockKey> = (0..6).map(|i| key(i / 3 + 1, "TANT-01", i % 3 + 1)).collect();
            let mut given = Given::new();
            for (k, &units) in keys.iter().zip(&stock) {
                given = given.stocked(k, units);
            }
            let handles: Vec<CellId> = keys.iter().filter_map(|k| given.ledger.cell(k)).collect();
            prop_assert_eq!(handles.len(), 6);
            // Holds placed earlier, some of them expired by the requests' `now`.
            let mut ledger = given.ledger;
            for (n, &(c, q)) in early.iter().enumerate() {
                let hold = CellReservation { cell: handles[c], quantity: q, owner: ReservationOwner::Cart(n as u64), expires_at: t(2 + n as i64 * 10) };
                let _ = ledger.reserve_cell(Actor::System, IdempotencyKey::new(1_000 + n as u128), hold, t(1));
            }
            let now = t(12);
            let actor = actor(usize::from(who));
            let mut by_key = ledger.clone();
            let mut by_cell = ledger;
            for (k, lines, e, by_cell_first) in &requests {
                let cells: Vec<(CellId, u64)> = lines.iter().map(|&(c, q)| (handles[c], q)).collect();
                let request = CellLines {
                    owner: ReservationOwner::Cart(*k as u64),
                    expires_at: now + chrono::Duration::minutes(*e),
                    lines: &cells,
                };
                let command = Command::new(
                    actor,
                    IdempotencyKey::new(100 + k),
                    Operation::Reserve {
                        owner: request.owner,
                        expires_at: request.expires_at,
                        lines: lines.iter().map(|&(c, q)| ReserveLine { key: keys[c].clone(), quantity: q }).collect(),
                    },
                );
                prop_assert_eq!(by_cell.reserve_operation(request), Some(command.operation().clone()));
                let promised = by_cell.may_reserve_lines(actor, command.idempotency_key(), request, now);
                // Half the time the by-cell ledger is the one asked by command, so a retry
                // crosses from one way to the other.
                let (expected, outcome) = if *by_cell_first {
                    let outcome = by_cell.reserve_lines(actor, command.idempotency_key(), request, now);
                    (by_key.execute(&command, now), outcome)
                } else {
                    let outcome = by_cell.execute(&command, now);
                    (by_key.execute(&command, now), outcome)
                };
                prop_assert_eq!(&outcome, &expected);
                if promised && *by_cell_first {
                    prop_assert!(outcome.as_ref().is_ok_and(|o| !o.replayed));
                }
            }
            prop_assert!(by_cell == by_key, "reserving by cell left a different ledger");
            prop_assert_eq!(by_cell.events().collect::<Vec<_>>(), by_key.events().collect::<Vec<_>>());
            // Every key answers a retry the same either way.
            for (k, lines, e, _) in &requests {
                let cells: Vec<(CellId, u64)> = lines.iter().map(|&(c, q)| (handles[c], q)).collect();
                let request = CellLines {
                    owner: ReservationOwner::Cart(*k as u64),
                    expires_at: now + chrono::Duration::minutes(*e),
                    lines: &cells,
                };
                let Some(operation) = by_key.reserve_operation(request) else {
                    return Err(TestCaseError::fail("handles of this ledger"));
                };
                let command = Command::new(actor, IdempotencyKey::new(100 + k), operation);
                let again = by_cell.reserve_lines(actor, command.idempotency_key(), request, now);
                prop_assert_eq!(again, by_key.execute(&command, now));
            }
            prop_assert!(by_cell == by_key, "retries left a different ledger");
        }

        /// Commits in a batch give what the same commits one by one through `execute` give —
        /// one-line and multi-line reservations, expired, released and committed ones, ids
        /// never issued, retries and conflicting reuses of a key, another seller's stock —
        /// and a retry through the other way answers with the first outcome.
        #[test]
        fn a_batch_of_commits_is_the_commits_one_by_one(
            holds in prop::collection::vec((0usize..6, 1u64..3, 0usize..6, 1i64..20), 1..8),
            released in prop::collection::vec(0usize..8, 0..2),
            commits in prop::collection::vec((0u128..12, 0usize..10), 0..2 * RESERVE_GROUP + 3),
            who in 0u8..4,
            at in 0i64..25,
        ) {
            let keys: Vec<StockKey> = (0..6).map(|i| key(i / 3 + 1, "TANT-01", i % 3 + 1)).collect();
            let mut given = Given::new();
            for k in &keys {
                given = given.stocked(k, 4);
            }
            // Holds of one line or two, expiring at various times.
            let mut ids = Vec::new();
            for &(a, q, b, e) in &holds {
                let lines: Vec<(&StockKey, u64)> = if a == b { vec![(&keys[a], q)] } else { vec![(&keys[a], q), (&keys[b], 1)] };
                if let Ok(id) = given.reserve(&lines, e, 0) {
                    ids.push(id);
                }
            }
            for &r in &released {
                if let Some(&id) = ids.get(r) {
                    let _ = given.run(Actor::System, Operation::Release { reservation: id }, t(0));
                }
            }
            let unissued = ReservationId::new(1_000_000);
            let now = t(at);
            let batch: Vec<(IdempotencyKey, ReservationId)> = commits.iter().map(|&(k, r)| (
                IdempotencyKey::new(200_000 + k),
                ids.get(r).copied().unwrap_or(unissued),
            )).collect();
            let ledger = given.ledger;

            let mut one_by_one = ledger.clone();
            let expected: Vec<Result<Outcome, Error>> = batch.iter()
                .map(|&(k, reservation)| one_by_one.execute(&Command::new(actor(usize::from(who)), k, Operation::Commit { reservation }), now))
                .collect();
            let mut batched = ledger.clone();
            let outcomes = batched.commit_reservations(actor(usize::from(who)), &batch, now);
            prop_assert_eq!(&outcomes, &expected);
            prop_assert!(batched == one_by_one, "the batch left a different ledger");
            let from = ledger.next_seq();
            prop_assert_eq!(batched.events_since(from).collect::<Vec<_>>(), one_by_one.events_since(from).collect::<Vec<_>>());
            // Retried the other way round, each commit that took effect answers as before.
            for (&(k, reservation), outcome) in batch.iter().zip(&outcomes) {
                if let Ok(first) = outcome {
                    let command = Command::new(actor(usize::from(who)), k, Operation::Commit { reservation });
                    let again = batched.execute(&command, now);
                    prop_assert_eq!(again, Ok(Outcome { replayed: true, ..*first }));
                    let again = one_by_one.commit_reservations(actor(usize::from(who)), &[(k, reservation)], now);
                    prop_assert_eq!(&again[..], &[Ok(Outcome { replayed: true, ..*first })][..]);
                }
            }
        }
    }
}
