//! The stock ledger: operations, idempotency, authorisation, rebuild and reconcile, signals.

use chrono::{DateTime, Duration, TimeZone, Utc};
use haat_core::{Actor, LocationId, OrderId, SellerId, Sku, StaffId};
use haat_inventory::*;

pub fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 4, 30, 0).unwrap() + Duration::minutes(minutes)
}

pub fn key(seller: u64, sku: &str, location: u64) -> StockKey {
    StockKey::new(
        SellerId::new(seller),
        sku.parse().unwrap(),
        LocationId::new(location),
    )
}

pub const SELLER: Actor = Actor::Seller(SellerId::new(1));
pub const OPS: Actor = Actor::Operations(StaffId::new(9));

/// A ledger under test, handing out fresh idempotency keys.
pub struct Given {
    pub ledger: StockLedger,
    next: u128,
}

impl Given {
    pub fn new() -> Self {
        Given {
            ledger: StockLedger::new(),
            next: 1,
        }
    }

    /// Stock received straight to available.
    pub fn stocked(mut self, key: &StockKey, units: u64) -> Self {
        self.run(OPS, expect(key, units), t(0)).unwrap();
        self.run(OPS, receive(key, units, 0, Receipt::Available), t(0))
            .unwrap();
        self
    }

    pub fn run(
        &mut self,
        actor: Actor,
        operation: Operation,
        now: DateTime<Utc>,
    ) -> Result<Outcome, Error> {
        let command = Command::new(actor, IdempotencyKey::new(self.next), operation);
        self.next += 1;
        self.ledger.execute(&command, now)
    }

    pub fn reserve(
        &mut self,
        lines: &[(&StockKey, u64)],
        expires: i64,
        now: i64,
    ) -> Result<ReservationId, Error> {
        self.run(OPS, reserve(lines, expires), t(now))
            .map(|o| o.reservation.unwrap())
    }
}

pub fn expect(key: &StockKey, units: u64) -> Operation {
    Operation::ExpectInbound {
        key: key.clone(),
        quantity: units,
        purchase_order: "PO-1".into(),
    }
}

pub fn receive(key: &StockKey, good: u64, damaged: u64, into: Receipt) -> Operation {
    Operation::ReceiveInbound {
        key: key.clone(),
        purchase_order: "PO-1".into(),
        good,
        damaged,
        into,
    }
}

pub fn reserve(lines: &[(&StockKey, u64)], expires: i64) -> Operation {
    Operation::Reserve {
        owner: ReservationOwner::Order(OrderId::new(1)),
        expires_at: t(expires),
        lines: lines
            .iter()
            .map(|(k, q)| ReserveLine {
                key: (*k).clone(),
                quantity: *q,
            })
            .collect(),
    }
}

/// The buckets of `key`, in `Bucket::ALL` order.
#[track_caller]
fn check_buckets(ledger: &StockLedger, key: &StockKey, expected: [u64; 9]) {
    let q = ledger.quantities(key);
    let actual: Vec<u64> = Bucket::ALL.iter().map(|&b| q.get(b)).collect();
    assert_eq!(
        actual, expected,
        "buckets of {key} (incoming, in transit, qc, available, reserved, damaged, safety, shipped, written off)"
    );
}

#[test]
fn inbound_goes_through_quality_check() {
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new();
    g.run(SELLER, expect(&k, 50), t(0)).unwrap();
    check_buckets(&g.ledger, &k, [50, 0, 0, 0, 0, 0, 0, 0, 0]);
    g.run(SELLER, receive(&k, 45, 3, Receipt::QualityCheck), t(1))
        .unwrap();
    check_buckets(&g.ledger, &k, [2, 0, 45, 0, 0, 3, 0, 0, 0]);
    g.run(
        SELLER,
        Operation::CompleteQualityCheck {
            key: k.clone(),
            passed: 44,
            failed: 1,
        },
        t(2),
    )
    .unwrap();
    check_buckets(&g.ledger, &k, [2, 0, 0, 44, 0, 4, 0, 0, 0]);
    let q = g.ledger.quantities(&k);
    assert_eq!(q.on_hand(), 48);
    assert_eq!(q.unavailable(), 4);
    // Receiving more than is expected is refused, naming the bucket.
    let err = g
        .run(SELLER, receive(&k, 3, 0, Receipt::Available), t(3))
        .unwrap_err();
    assert_eq!(
        err,
        Error::InsufficientStock {
            sku: k.sku().clone(),
            location: k.location(),
            bucket: Bucket::Incoming,
            requested: 3,
            available: 2,
        }
    );
    assert_eq!(
        err.to_string(),
        "not enough incoming stock of SKU TANT-01 at location 7: 3 requested, 2 there"
    );
}

#[test]
fn reserve_commit_cancel_and_return() {
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&k, 10);
    let r = g.reserve(&[(&k, 4)], 30, 1).unwrap();
    check_buckets(&g.ledger, &k, [0, 0, 0, 6, 4, 0, 0, 0, 0]);
    g.run(OPS, Operation::Commit { reservation: r }, t(2))
        .unwrap();
    check_buckets(&g.ledger, &k, [0, 0, 0, 6, 0, 0, 0, 4, 0]);
    // The marketplace records a return.
    g.run(
        OPS,
        Operation::Return {
            key: k.clone(),
            quantity: 1,
            order: OrderId::new(1),
            condition: ReturnCondition::Damaged,
        },
        t(3),
    )
    .unwrap();
    check_buckets(&g.ledger, &k, [0, 0, 0, 6, 0, 1, 0, 3, 0]);
    // A committed order is not cancelled: its units come back only as returns.
    let err = g
        .run(OPS, Operation::Cancel { reservation: r }, t(4))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("reservation {r} is committed and cannot be cancelled")
    );
    check_buckets(&g.ledger, &k, [0, 0, 0, 6, 0, 1, 0, 3, 0]);
    // A held one is: its units go back to available.
    let r2 = g.reserve(&[(&k, 2)], 30, 5).unwrap();
    g.run(OPS, Operation::Cancel { reservation: r2 }, t(7))
        .unwrap();
    check_buckets(&g.ledger, &k, [0, 0, 0, 6, 0, 1, 0, 3, 0]);
    assert_eq!(
        g.ledger.reservation(r2).unwrap().status(),
        ReservationStatus::Cancelled
    );
    let err = g
        .run(OPS, Operation::Release { reservation: r2 }, t(8))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("reservation {r2} is cancelled and cannot be released")
    );
}

#[test]
fn retries_answer_with_the_first_outcome() {
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&k, 10);
    let command = Command::new(OPS, IdempotencyKey::new(0xabc), reserve(&[(&k, 3)], 30));
    let first = g.ledger.execute(&command, t(1)).unwrap();
    let before = g.ledger.clone();
    let again = g.ledger.execute(&command, t(2)).unwrap();
    assert!(again.replayed && !first.replayed);
    assert_eq!(again.reservation, first.reservation);
    assert_eq!(again.first_seq, first.first_seq);
    assert_eq!(g.ledger, before, "a retry moves nothing");
    // The same key with another payload is refused.
    let other = Command::new(OPS, IdempotencyKey::new(0xabc), reserve(&[(&k, 4)], 30));
    assert_eq!(
        g.ledger.execute(&other, t(3)),
        Err(Error::IdempotencyConflict { key: 0xabc })
    );
    // decide on a retry writes nothing.
    assert_eq!(g.ledger.decide(&command, t(4)), Ok(vec![]));
}

#[test]
fn sellers_touch_only_their_own_stock() {
    let mine = key(1, "TANT-01", 7);
    let theirs = key(2, "DOKRA-01", 7);
    let mut g = Given::new().stocked(&mine, 5).stocked(&theirs, 5);
    let before = g.ledger.clone();
    #[track_caller]
    fn forbidden(result: Result<Outcome, Error>) {
        assert_eq!(
            result,
            Err(Error::Forbidden {
                actor: SELLER,
                seller: SellerId::new(2)
            })
        );
    }
    forbidden(g.run(SELLER, expect(&theirs, 1), t(1)));
    forbidden(g.run(
        SELLER,
        Operation::MarkDamaged {
            key: theirs.clone(),
            quantity: 1,
        },
        t(1),
    ));
    // A multi-line request with one line of another seller's moves nothing at all.
    forbidden(g.run(SELLER, reserve(&[(&mine, 1), (&theirs, 1)], 30), t(1)));
    let r = g.reserve(&[(&theirs, 1)], 30, 1).unwrap();
    let before_release = g.ledger.clone();
    forbidden(g.run(SELLER, Operation::Release { reservation: r }, t(2)));
    assert_eq!(g.ledger, before_release);
    g.run(
        SELLER,
        Operation::MarkDamaged {
            key: mine.clone(),
            quantity: 1,
        },
        t(2),
    )
    .unwrap();
    assert_eq!(before.quantities(&theirs).available(), 5);
    assert_eq!(g.ledger.quantities(&theirs).available(), 4);
    assert_eq!(g.ledger.quantities(&theirs).reserved(), 1);
    assert_eq!(
        Error::Forbidden {
            actor: SELLER,
            seller: SellerId::new(2)
        }
        .to_string(),
        "seller 1 may not touch the stock of seller 2"
    );
}

#[test]
fn cycle_counts_are_refused_when_stale() {
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&k, 10);
    let count = |expected, counted| Operation::Adjust {
        key: k.clone(),
        expected_on_hand: expected,
        counted_on_hand: counted,
        reason: AdjustmentReason::CycleCount(77),
    };
    g.run(SELLER, count(10, 8), t(1)).unwrap();
    check_buckets(&g.ledger, &k, [0, 0, 0, 8, 0, 0, 0, 0, 2]);
    let err = g.run(SELLER, count(10, 12), t(2)).unwrap_err();
    assert_eq!(
        err,
        Error::StaleCount {
            sku: k.sku().clone(),
            location: k.location(),
            expected: 10,
            actual: 8
        }
    );
    g.run(SELLER, count(8, 11), t(3)).unwrap();
    check_buckets(&g.ledger, &k, [0, 0, 0, 11, 0, 0, 0, 0, 2]);
    let last = g.ledger.movements().last().unwrap();
    assert_eq!(last.reason, MovementReason::Counted);
    assert_eq!(last.reference, Reference::Count(77));
}

#[test]
fn transfers_pass_through_in_transit() {
    let from = key(1, "TANT-01", 7);
    let to = from.at(LocationId::new(8));
    let mut g = Given::new().stocked(&from, 10);
    let out = Operation::TransferOut {
        transfer: 5,
        key: from.clone(),
        to: LocationId::new(8),
        quantity: 4,
    };
    g.run(SELLER, out.clone(), t(1)).unwrap();
    check_buckets(&g.ledger, &from, [0, 0, 0, 6, 0, 0, 0, 0, 0]);
    check_buckets(&g.ledger, &to, [0, 4, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        g.run(SELLER, out, t(1)),
        Err(Error::DuplicateTransfer { transfer: 5 })
    );
    g.run(
        SELLER,
        Operation::TransferIn {
            transfer: 5,
            key: to.clone(),
            into: Receipt::QualityCheck,
        },
        t(2),
    )
    .unwrap();
    check_buckets(&g.ledger, &to, [0, 0, 4, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        g.run(
            SELLER,
            Operation::TransferIn {
                transfer: 5,
                key: to.clone(),
                into: Receipt::Available
            },
            t(3)
        ),
        Err(Error::UnknownTransfer { transfer: 5 })
    );
}

#[test]
fn damage_write_off_and_safety_stock() {
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&k, 10);
    g.run(
        SELLER,
        Operation::MarkDamaged {
            key: k.clone(),
            quantity: 2,
        },
        t(1),
    )
    .unwrap();
    g.run(
        SELLER,
        Operation::WriteOff {
            key: k.clone(),
            quantity: 1,
        },
        t(1),
    )
    .unwrap();
    g.run(
        SELLER,
        Operation::SetSafetyStock {
            key: k.clone(),
            quantity: 3,
        },
        t(1),
    )
    .unwrap();
    check_buckets(&g.ledger, &k, [0, 0, 0, 5, 0, 1, 3, 0, 1]);
    g.run(
        SELLER,
        Operation::SetSafetyStock {
            key: k.clone(),
            quantity: 1,
        },
        t(1),
    )
    .unwrap();
    check_buckets(&g.ledger, &k, [0, 0, 0, 7, 0, 1, 1, 0, 1]);
    assert_eq!(g.ledger.quantities(&k).on_hand(), 9);
}

#[test]
fn rebuild_equals_live_and_reconcile_finds_drift() {
    let a = key(1, "TANT-01", 7);
    let b = key(1, "TANT-02", 8);
    let mut g = Given::new().stocked(&a, 10).stocked(&b, 3);
    let r = g.reserve(&[(&a, 2), (&b, 1)], 30, 1).unwrap();
    g.run(OPS, Operation::Commit { reservation: r }, t(2))
        .unwrap();
    let movements: Vec<Movement> = g.ledger.movements().collect();
    let rebuilt = StockLedger::rebuild(&movements);
    assert_eq!(rebuilt, g.ledger.levels());
    assert_eq!(g.ledger.reconcile(&rebuilt), vec![]);
    // A cache that missed the commit on `b`.
    let mut cache = rebuilt.clone();
    cache.set_bucket(b.clone(), Bucket::Reserved, 1);
    cache.set_bucket(b.clone(), Bucket::Shipped, 0);
    assert_eq!(
        g.ledger.reconcile(&cache),
        vec![
            Discrepancy {
                key: b.clone(),
                bucket: Bucket::Reserved,
                ledger: 0,
                other: 1
            },
            Discrepancy {
                key: b.clone(),
                bucket: Bucket::Shipped,
                ledger: 1,
                other: 0
            },
        ]
    );
    let events: Vec<LedgerEvent> = g.ledger.events().collect();
    assert_eq!(StockLedger::replay(&events), g.ledger);
}

#[test]
fn signals_fire_on_crossings() {
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&k, 5);
    g.run(
        SELLER,
        Operation::SetReorderPoint {
            key: k.clone(),
            reorder_point: 2,
        },
        t(1),
    )
    .unwrap();
    g.ledger.take_signals();
    let r = g.reserve(&[(&k, 2)], 30, 2).unwrap();
    assert_eq!(g.ledger.signals(), &[]);
    g.reserve(&[(&k, 1)], 30, 2).unwrap();
    g.reserve(&[(&k, 2)], 30, 2).unwrap();
    g.run(OPS, Operation::Release { reservation: r }, t(3))
        .unwrap();
    let kinds: Vec<(&str, u64)> = g
        .ledger
        .signals()
        .iter()
        .map(|s| match s {
            StockSignal::LowStock { available, .. } => ("low", *available),
            StockSignal::OutOfStock { .. } => ("out", 0),
            StockSignal::BackInStock { available, .. } => ("back", *available),
            _ => ("?", 0),
        })
        .collect();
    assert_eq!(kinds, vec![("low", 2), ("out", 0), ("back", 2)]);
    assert!(g.ledger.signals().iter().all(|s| s.key() == &k));
}

#[test]
fn decide_then_apply_is_execute() {
    let k = key(1, "TANT-01", 7);
    let g = Given::new().stocked(&k, 10);
    let mut decided = g.ledger.clone();
    let mut executed = g.ledger.clone();
    let fresh = key(1, "NEW-01", 9);
    for (i, op) in [
        reserve(&[(&k, 3)], 30),
        expect(&fresh, 4),
        Operation::SetReorderPoint {
            key: key(1, "NEW-02", 9),
            reorder_point: 3,
        },
    ]
    .into_iter()
    .enumerate()
    {
        let command = Command::new(OPS, IdempotencyKey::new(1000 + i as u128), op);
        let events = decided.decide(&command, t(1)).unwrap();
        for e in &events {
            decided.apply(e);
        }
        executed.execute(&command, t(1)).unwrap();
        assert_eq!(decided, executed);
    }
    assert_eq!(
        g.ledger
            .decide(
                &Command::new(OPS, IdempotencyKey::new(99_999), reserve(&[(&k, 11)], 30)),
                t(1)
            )
            .unwrap_err()
            .to_string(),
        "not enough available stock of SKU TANT-01 at location 7: 11 requested, 10 there"
    );
}

#[test]
fn idempotency_keys_parse_as_hex_or_uuid() {
    #[track_caller]
    fn check(input: &str, expected: Option<u128>) {
        assert_eq!(
            input
                .parse::<IdempotencyKey>()
                .ok()
                .map(IdempotencyKey::get),
            expected,
            "{input}"
        );
    }
    check("2a", Some(42));
    check(
        "67e55044-10b1-426f-9247-bb680e5fe0c8",
        Some(0x67e5504410b1426f9247bb680e5fe0c8),
    );
    check("", None);
    check("xyz", None);
    check(&"f".repeat(33), None);
}

/// `+ff` was read as the key `ff`: a key is hex digits (and a UUID's hyphens), nothing else.
#[test]
fn idempotency_keys_with_a_sign_are_refused() {
    for text in ["+ff", "+0", "-+1", "+-ff"] {
        let error = text.parse::<IdempotencyKey>().unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "idempotency key '{text}' is not 1 to 32 hex digits (a UUID's hyphens are allowed)"
            )
        );
    }
    assert_eq!(
        "FF".parse::<IdempotencyKey>().map(IdempotencyKey::get),
        Ok(255)
    );
}

#[test]
fn the_ledger_answers_allocation() {
    fn promise(stock: &impl AvailableStock, k: &StockKey, now: DateTime<Utc>) -> u64 {
        stock.available(k.seller(), k.sku(), k.location(), now)
    }
    let k = key(1, "TANT-01", 7);
    let mut g = Given::new().stocked(&k, 10);
    g.reserve(&[(&k, 4)], 30, 1).unwrap();
    assert_eq!(promise(&g.ledger, &k, t(29)), 6);
    assert_eq!(promise(&g.ledger, &k, t(30)), 10);
    assert_eq!(promise(&g.ledger, &key(1, "TANT-01", 8), t(1)), 0);
    let cell = g.ledger.cell(&k).unwrap();
    assert_eq!(g.ledger.cell_available(cell, t(31)), 10);
    assert_eq!(g.ledger.key_of(cell), Some(&k));
}

#[test]
fn a_run_of_locations_in_one_lookup() {
    let k7 = key(1, "TANT-01", 7);
    let k9 = key(1, "TANT-01", 9);
    let mut g = Given::new().stocked(&k9, 4).stocked(&k7, 6);
    g.reserve(&[(&k7, 5)], 30, 1).unwrap();
    let locations = [9, 8, 7].map(LocationId::new);
    let mut out = [u64::MAX; 3];
    #[track_caller]
    fn check(
        stock: &impl AvailableStock,
        locations: &[LocationId],
        now: DateTime<Utc>,
        expected: [u64; 3],
    ) {
        let mut out = [u64::MAX; 3];
        stock.available_many(
            SellerId::new(1),
            &"TANT-01".parse().unwrap(),
            locations,
            now,
            &mut out,
        );
        assert_eq!(out, expected);
    }
    check(&g.ledger, &locations, t(2), [4, 0, 1]);
    check(&g.ledger, &locations, t(31), [4, 0, 6]);
    g.ledger.available_many(
        SellerId::new(2),
        &"TANT-01".parse().unwrap(),
        &locations,
        t(2),
        &mut out,
    );
    assert_eq!(out, [0, 0, 0]);

    // Listed at once: every location holding the SKU, ascending, with what it can promise
    // (expired holds counted back, as `available` counts them); nothing for another seller.
    let tant: Sku = "TANT-01".parse().unwrap();
    let mut listed = vec![(LocationId::new(1), 99)];
    assert!(g.ledger.stocked(SellerId::new(1), &tant, t(2), &mut listed));
    assert_eq!(listed, [(LocationId::new(7), 1), (LocationId::new(9), 4)]);
    assert!(
        g.ledger
            .stocked(SellerId::new(1), &tant, t(31), &mut listed)
    );
    assert_eq!(listed, [(LocationId::new(7), 6), (LocationId::new(9), 4)]);
    assert!(g.ledger.stocked(SellerId::new(2), &tant, t(2), &mut listed));
    assert!(listed.is_empty());
}
