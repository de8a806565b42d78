//! Golden files: the stored JSON form of every order event.
//!
//! Each event type has a file `tests/golden/<type>.json`. A change to the form fails here: an
//! embedding service's stored events would stop loading. If the change is intended (a new
//! optional field, a new event type), regenerate with `HAAT_BLESS=1 cargo test -p haat-orders
//! --test it golden` and review the diff.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::Duration;
use haat_core::{Actor, Money, StaffId};
use haat_orders::{
    CancelledBy, InvoiceEvent, InvoiceRegister, OrderCommand, OrderEvent, ReturnBucket,
    ReturnedLine,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::fixtures::{KURTA, World, drive, mumbai, now};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// One event of every type: an inter-state order of two lines from one seller, then each
/// later step.
pub fn order_events() -> Vec<OrderEvent> {
    let mut world = World::new();
    let placed = world.checkout(mumbai(), &[(KURTA, 2)], now()).unwrap();
    let order = placed.orders[0];
    let at = |hours| now() + Duration::hours(hours);
    let by = Actor::Operations(StaffId::new(9));
    vec![
        placed.events[0].clone(),
        OrderEvent::OrderPacked {
            order,
            at: at(1),
            by: Actor::Seller(crate::fixtures::TAILOR),
        },
        OrderEvent::OrderDispatched {
            order,
            at: at(50),
            by: Actor::Seller(crate::fixtures::TAILOR),
            late: true,
        },
        OrderEvent::OrderDelivered {
            order,
            at: at(72),
            by: Actor::System,
        },
        OrderEvent::OrderCancelled {
            order,
            at: at(2),
            by,
            cancelled_by: CancelledBy::Buyer,
        },
        OrderEvent::OrderReturnedToOrigin {
            order,
            at: at(96),
            by: Actor::System,
            bucket: ReturnBucket::Sellable,
        },
        OrderEvent::OrderReturned {
            order,
            at: at(120),
            by: Actor::System,
            lines: vec![ReturnedLine {
                line: 0,
                quantity: 1,
                bucket: ReturnBucket::Damaged,
            }],
            refund: Money::from_rupees(2_000),
        },
    ]
}

/// One invoice event of each type: the kurta order's invoice, and a credit note for one of
/// its two pieces coming back.
pub fn invoice_events() -> Vec<InvoiceEvent> {
    let mut world = World::new();
    let order = world
        .checkout(mumbai(), &[(KURTA, 2)], now())
        .unwrap()
        .orders[0];
    let steps = |order| {
        [
            OrderCommand::Pack {
                actor: Actor::System,
                order,
            },
            OrderCommand::Dispatch {
                actor: Actor::System,
                order,
            },
            OrderCommand::Deliver {
                actor: Actor::System,
                order,
            },
            OrderCommand::Return {
                actor: Actor::System,
                order,
                lines: vec![ReturnedLine {
                    line: 0,
                    quantity: 1,
                    bucket: ReturnBucket::Sellable,
                }],
            },
        ]
    };
    let [pack, rest @ ..] = steps(order);
    drive(&mut world, &[pack], now());
    let mut register = InvoiceRegister::default();
    let tailor_gstin = {
        let first14 = "19AAPFU0939F2Z";
        let check = haat_seller::gstin_check_character(first14).unwrap();
        format!("{first14}{check}").parse().unwrap()
    };
    let state = world.book.order(order).unwrap();
    let issued = register
        .decide_invoice(
            Actor::System,
            state,
            Some(tailor_gstin),
            now() + Duration::hours(2),
        )
        .unwrap();
    register.apply(&issued[0]);
    let events = drive(&mut world, &rest, now() + Duration::hours(2));
    let state = world.book.order(order).unwrap();
    let credited = register
        .decide_credit_note(
            Actor::System,
            state,
            events.last().unwrap(),
            now() + Duration::days(1),
        )
        .unwrap();
    vec![issued[0].clone(), credited[0].clone()]
}

fn type_of(value: &serde_json::Value) -> String {
    value["type"].as_str().unwrap().to_owned()
}

/// Compares `event`'s JSON with its golden file (or writes it when blessing), and checks the
/// file loads back to the same event. Returns the file name.
#[track_caller]
fn check<E>(event: &E, failures: &mut Vec<String>) -> String
where
    E: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let value = serde_json::to_value(event).unwrap();
    let name = format!("{}.json", type_of(&value));
    let path = golden_dir().join(&name);
    let actual = serde_json::to_string_pretty(&value).unwrap() + "\n";
    if std::env::var_os("HAAT_BLESS").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return name;
    }
    match std::fs::read_to_string(&path) {
        Err(err) => failures.push(format!(
            "{name}: cannot read golden file ({err}); run with HAAT_BLESS=1 to create it"
        )),
        Ok(expected) if expected != actual => failures.push(format!(
            "{name}: the stored form changed; stored events would stop loading.\n\
             --- golden\n{expected}\n+++ now\n{actual}\n\
             If this is intended, regenerate with HAAT_BLESS=1 and review the diff."
        )),
        Ok(expected) => {
            let loaded: E = serde_json::from_str(&expected).unwrap();
            if loaded != *event {
                failures.push(format!("{name}: loads as {loaded:?}, expected {event:?}"));
            }
        }
    }
    name
}

#[test]
fn every_order_event_matches_its_golden_file() {
    let mut failures = Vec::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for event in order_events() {
        assert_eq!(
            format!("{}.json", event.kind()),
            check(&event, &mut failures)
        );
        assert!(names.insert(event.kind().to_owned()), "one sample per type");
    }
    for event in invoice_events() {
        let name = check(&event, &mut failures);
        assert!(
            names.insert(name.trim_end_matches(".json").to_owned()),
            "one sample per type"
        );
    }
    assert_eq!(
        names.len(),
        9,
        "every order and invoice event type has a sample"
    );
    for entry in std::fs::read_dir(golden_dir()).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        let known = names.iter().any(|n| format!("{n}.json") == file);
        if !known {
            failures.push(format!("{file}: golden file for no known event type"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
