//! The shared ledger under many threads: no oversell, nothing lost.

use std::sync::atomic::{AtomicU64, Ordering};

use haat_core::{Actor, OrderId};
use haat_inventory::*;

use crate::ledger::{key, t};

#[test]
fn many_threads_reserving_a_scarce_sku_never_oversell() {
    const THREADS: u64 = 8;
    const ATTEMPTS: u64 = 60;
    const STOCK: u64 = 100;
    let shared = SharedLedger::new(4);
    let scarce = key(1, "TANT-01", 7);
    // One more SKU per thread, so most requests span two shards.
    let others: Vec<StockKey> = (0..THREADS)
        .map(|i| key(2, &format!("OTHER-{i}"), 7))
        .collect();
    for (i, k) in std::iter::once(&scarce).chain(&others).enumerate() {
        let units = if i == 0 { STOCK } else { 1_000 };
        shared
            .execute(
                &Command::new(
                    Actor::System,
                    IdempotencyKey::new(i as u128 + 1),
                    Operation::Adjust {
                        key: k.clone(),
                        expected_on_hand: 0,
                        counted_on_hand: units,
                        reason: AdjustmentReason::Found,
                    },
                ),
                t(0),
            )
            .unwrap();
    }
    let committed = AtomicU64::new(0);
    let placed: Vec<Vec<(SharedReservation, u64)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|thread| {
                let (shared, scarce, other, committed) =
                    (&shared, &scarce, &others[thread as usize], &committed);
                s.spawn(move || {
                    let mut mine = Vec::new();
                    for attempt in 0..ATTEMPTS {
                        let n = 1 + (thread + attempt) % 3;
                        let key = (1u128 << 64) | u128::from(thread << 32 | attempt);
                        let result = shared.reserve(
                            Actor::System,
                            IdempotencyKey::new(key),
                            ReservationOwner::Order(OrderId::new(key as u64)),
                            t(60),
                            vec![
                                ReserveLine {
                                    key: scarce.clone(),
                                    quantity: n,
                                },
                                ReserveLine {
                                    key: other.clone(),
                                    quantity: 1,
                                },
                            ],
                            t(1),
                        );
                        match result {
                            Ok(r) => {
                                if attempt % 2 == 0 {
                                    shared
                                        .commit(
                                            Actor::System,
                                            IdempotencyKey::new(key | 2u128 << 64),
                                            &r,
                                            t(2),
                                        )
                                        .unwrap();
                                    committed.fetch_add(n, Ordering::Relaxed);
                                }
                                mine.push((r, n));
                            }
                            Err(Error::InsufficientStock { .. }) => {}
                            Err(e) => panic!("unexpected {e}"),
                        }
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let granted: u64 = placed.iter().flatten().map(|(_, n)| n).sum();
    let q = shared.quantities(&scarce);
    assert!(granted <= STOCK, "granted {granted} of {STOCK}");
    assert_eq!(
        q.reserved() + q.shipped(),
        granted,
        "every success is in the ledger"
    );
    assert_eq!(q.shipped(), committed.load(Ordering::Relaxed));
    assert_eq!(
        q.available() + q.reserved() + q.shipped(),
        STOCK,
        "nothing lost"
    );
    assert!(
        granted > STOCK - 3,
        "the stock was contended for until it ran out"
    );
    // Every successful reservation is in its shards' ledgers, with both lines.
    for (r, n) in placed.iter().flatten() {
        let mut lines = 0;
        for &(shard, id) in r.parts() {
            let found = shared.with_shard(shard, |l| l.reservation(id)).unwrap();
            for (k, q) in found.lines() {
                if k == &scarce {
                    assert_eq!(q, n);
                }
                lines += 1;
            }
        }
        assert_eq!(lines, 2);
    }
    // Each shard still rebuilds to its live levels, and replays to the same ledger.
    for shard in 0..shared.shard_count() {
        shared.with_shard(shard, |l| {
            let movements: Vec<Movement> = l.movements().collect();
            assert_eq!(StockLedger::rebuild(&movements), l.levels());
            let events: Vec<LedgerEvent> = l.events().collect();
            assert!(StockLedger::replay(&events) == *l);
        });
        // A service drains what it has stored.
        shared.with_shard_mut(shard, |l| l.forget_events_through(l.next_seq() - 1));
        assert_eq!(shared.with_shard(shard, |l| l.events().count()), 0);
    }
}

#[test]
fn a_failed_cross_shard_reservation_changes_no_shard() {
    let shared = SharedLedger::new(16);
    let a = key(1, "A-1", 7);
    // Find a key in another shard.
    let b = (0..100)
        .map(|i| key(1, &format!("B-{i}"), 7))
        .find(|b| shared.shard_of(b.seller(), b.sku()) != shared.shard_of(a.seller(), a.sku()))
        .unwrap();
    for (i, k) in [&a, &b].into_iter().enumerate() {
        shared
            .execute(
                &Command::new(
                    Actor::System,
                    IdempotencyKey::new(i as u128 + 1),
                    Operation::Adjust {
                        key: k.clone(),
                        expected_on_hand: 0,
                        counted_on_hand: 2,
                        reason: AdjustmentReason::Found,
                    },
                ),
                t(0),
            )
            .unwrap();
    }
    let before = shared.levels();
    let err = shared
        .reserve(
            Actor::System,
            IdempotencyKey::new(9),
            ReservationOwner::Cart(1),
            t(30),
            vec![
                ReserveLine {
                    key: a.clone(),
                    quantity: 2,
                },
                ReserveLine {
                    key: b.clone(),
                    quantity: 3,
                },
            ],
            t(1),
        )
        .unwrap_err();
    assert!(matches!(err, Error::InsufficientStock { requested: 3, .. }));
    assert_eq!(shared.levels(), before);
    let r = shared
        .reserve(
            Actor::System,
            IdempotencyKey::new(10),
            ReservationOwner::Cart(1),
            t(30),
            vec![
                ReserveLine {
                    key: a.clone(),
                    quantity: 2,
                },
                ReserveLine {
                    key: b.clone(),
                    quantity: 2,
                },
            ],
            t(1),
        )
        .unwrap();
    assert_eq!(r.parts().len(), 2);
    shared
        .release(Actor::System, IdempotencyKey::new(11), &r, t(2))
        .unwrap();
    assert_eq!(shared.levels(), before);
    assert_eq!(
        shared.execute(
            &Command::new(
                Actor::System,
                IdempotencyKey::new(12),
                Operation::Commit {
                    reservation: ReservationId::new(1)
                }
            ),
            t(3)
        ),
        Err(Error::Unroutable {
            operation: "commit"
        })
    );
}
