//! Golden JSON: the stored form of every ledger event, movement and stock signal.
//!
//! Regenerate after an intended change with `HAAT_BLESS=1 cargo test -p haat-inventory golden`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use haat_core::{LocationId, OrderId};
use haat_inventory::*;

use crate::ledger::{Given, OPS, SELLER, expect, key, receive, t};

#[track_caller]
fn check_golden<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    name: &str,
    values: &[T],
) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let json = serde_json::to_string_pretty(values).unwrap() + "\n";
    if std::env::var_os("HAAT_BLESS").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == json,
        "the JSON form of {name} changed; stored events would no longer load the same.\n\
         If the change is intended, run with HAAT_BLESS=1 and commit {}.\n--- now:\n{json}",
        path.display()
    );
    let back: Vec<T> = serde_json::from_str(&stored).unwrap();
    assert_eq!(back, values, "{name} does not load back to the same values");
}

/// A short history that writes every kind of event and every movement reason.
fn history() -> Given {
    let k = key(1, "NADIA-TANT-001", 7);
    let other = k.at(LocationId::new(8));
    let mut g = Given::new();
    g.run(
        SELLER,
        Operation::SetReorderPoint {
            key: k.clone(),
            reorder_point: 3,
        },
        t(0),
    )
    .unwrap();
    g.run(SELLER, expect(&k, 12), t(0)).unwrap();
    g.run(SELLER, receive(&k, 10, 1, Receipt::QualityCheck), t(1))
        .unwrap();
    g.run(
        OPS,
        Operation::CompleteQualityCheck {
            key: k.clone(),
            passed: 9,
            failed: 1,
        },
        t(2),
    )
    .unwrap();
    let r1 = g.reserve(&[(&k, 2)], 30, 3).unwrap();
    g.run(OPS, Operation::Release { reservation: r1 }, t(4))
        .unwrap();
    let r2 = g.reserve(&[(&k, 2)], 30, 5).unwrap();
    g.run(OPS, Operation::Commit { reservation: r2 }, t(6))
        .unwrap();
    g.run(
        OPS,
        Operation::Return {
            key: k.clone(),
            quantity: 1,
            order: OrderId::new(42),
            condition: ReturnCondition::Restock,
        },
        t(7),
    )
    .unwrap();
    g.run(OPS, Operation::Cancel { reservation: r2 }, t(8))
        .unwrap_err();
    let r3 = g.reserve(&[(&k, 1)], 30, 8).unwrap();
    g.run(OPS, Operation::Cancel { reservation: r3 }, t(9))
        .unwrap();
    g.reserve(&[(&k, 1)], 10, 9).unwrap();
    g.run(OPS, Operation::Expire, t(20)).unwrap();
    let on_hand = g.ledger.quantities(&k).on_hand();
    g.run(
        OPS,
        Operation::Adjust {
            key: k.clone(),
            expected_on_hand: on_hand,
            counted_on_hand: on_hand - 1,
            reason: AdjustmentReason::CycleCount(3),
        },
        t(21),
    )
    .unwrap();
    g.run(
        SELLER,
        Operation::Adjust {
            key: k.clone(),
            expected_on_hand: on_hand - 1,
            counted_on_hand: on_hand,
            reason: AdjustmentReason::Found,
        },
        t(21),
    )
    .unwrap();
    g.run(
        SELLER,
        Operation::Adjust {
            key: k.clone(),
            expected_on_hand: on_hand,
            counted_on_hand: on_hand - 1,
            reason: AdjustmentReason::Lost,
        },
        t(21),
    )
    .unwrap();
    g.run(
        SELLER,
        Operation::TransferOut {
            transfer: 11,
            key: k.clone(),
            to: other.location(),
            quantity: 2,
        },
        t(22),
    )
    .unwrap();
    g.run(
        OPS,
        Operation::TransferIn {
            transfer: 11,
            key: other.clone(),
            into: Receipt::Available,
        },
        t(23),
    )
    .unwrap();
    g.run(
        SELLER,
        Operation::MarkDamaged {
            key: other.clone(),
            quantity: 1,
        },
        t(24),
    )
    .unwrap();
    g.run(
        SELLER,
        Operation::WriteOff {
            key: other.clone(),
            quantity: 1,
        },
        t(24),
    )
    .unwrap();
    g.run(
        SELLER,
        Operation::SetSafetyStock {
            key: k.clone(),
            quantity: 1,
        },
        t(25),
    )
    .unwrap();
    let left = g.ledger.quantities(&k).available();
    assert!(left > 3, "{left}");
    g.reserve(&[(&k, left - 2)], 60, 26).unwrap();
    g.reserve(&[(&k, 2)], 60, 26).unwrap();
    g
}

#[test]
fn ledger_events() {
    let g = history();
    let events: Vec<LedgerEvent> = g.ledger.events().collect();
    let reasons: BTreeSet<String> = events
        .iter()
        .filter_map(|e| e.movement())
        .map(|m| serde_json::to_string(&m.reason).unwrap())
        .collect();
    assert_eq!(
        reasons.len(),
        17,
        "every movement reason is pinned: {reasons:?}"
    );
    let kinds: BTreeSet<String> = events
        .iter()
        .map(|e| {
            serde_json::to_value(e).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds.len(), 5, "every event type is pinned: {kinds:?}");
    check_golden("ledger_events.json", &events);
}

#[test]
fn stock_signals() {
    let g = history();
    let signals = g.ledger.signals().to_vec();
    let kinds: BTreeSet<String> = signals
        .iter()
        .map(|e| {
            serde_json::to_value(e).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds.len(), 3, "every signal is pinned: {kinds:?}");
    check_golden("stock_signals.json", &signals);
}
