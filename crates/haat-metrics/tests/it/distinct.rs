//! Repeated orders and events count once and are reported; a different record under an
//! identity already counted is an error that names it.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use haat_core::{ListingId, LocationId, Money, OrderId, SellerId};
use haat_inventory::{StockKey, StockSignal};
use haat_metrics::{
    DuplicateGuard, Error, HaatEvent, Metrics, OrderRecord, Sighting, StatementIssued,
    read_events_jsonl, read_orders_csv, write_event_jsonl, write_order_csv_header,
    write_order_csv_row,
};
use haat_orders::{Cycle, EntryKind, Statement, StatementEntry};
use proptest::prelude::*;

use crate::laws::{Op, op};
use crate::support::*;

fn csv(orders: &[&OrderRecord]) -> String {
    let mut csv = String::new();
    write_order_csv_header(&mut csv);
    for order in orders {
        write_order_csv_row(&mut csv, order);
    }
    csv
}

/// Folds `ops` through one guard, as the `report` example does: repeats skipped, conflicts
/// counted and skipped.
fn fold_once(ops: &[Op]) -> (Metrics, DuplicateGuard, u64) {
    let mut metrics = Metrics::default();
    let mut guard = DuplicateGuard::default();
    let mut refused = 0;
    for op in ops {
        let admitted = match op {
            Op::Event(event) => metrics.apply_event_once(&mut guard, event),
            Op::Order(order) => metrics.add_order_once(&mut guard, order),
        };
        if admitted.is_err() {
            refused += 1;
        }
    }
    (metrics, guard, refused)
}

#[test]
fn the_same_order_row_twice_in_a_csv_counts_once_and_is_reported() {
    let first = order(
        41,
        7,
        70,
        2_450,
        ist(2025, 10, 2, 11, 0),
        "700124",
        Fate::Delivered,
    );
    let second = order(
        42,
        7,
        70,
        1_000,
        ist(2025, 10, 3, 11, 0),
        "700124",
        Fate::Delivered,
    );
    let file = csv(&[&first, &second, &first]);

    let mut guard = DuplicateGuard::default();
    let mut metrics = Metrics::default();
    for row in guard.orders(read_orders_csv(file.as_bytes()).unwrap()) {
        metrics.add_order(&row.unwrap());
    }
    let total = metrics.demand().total();
    assert_eq!(total.orders, 2);
    assert_eq!(total.gross_paise, 345_000);
    assert_eq!(guard.repeated_orders(), 1);
    assert_eq!(guard.repeated_order_ids(), [OrderId::new(41)]);
    assert_eq!(guard.conflicts(), 0);

    let mut once = Metrics::default();
    once.add_orders(&[first, second]);
    assert_eq!(metrics, once);
}

#[test]
fn the_same_event_twice_in_json_lines_counts_once_and_is_reported() {
    let registration: HaatEvent = registered(7, ist(2025, 6, 1, 10, 0), "700124", None).into();
    let activation: HaatEvent = activated(7, ist(2025, 6, 3, 10, 0)).into();
    let mut jsonl = String::new();
    for event in [&registration, &activation, &registration, &activation] {
        write_event_jsonl(&mut jsonl, event).unwrap();
    }

    let mut guard = DuplicateGuard::default();
    let mut metrics = Metrics::default();
    for line in guard.events(read_events_jsonl(jsonl.as_bytes())) {
        metrics.apply_event(&line.unwrap());
    }
    assert_eq!(guard.repeated_events(), 2);
    assert_eq!(
        guard.repeated_event_ids(),
        [
            "seller 7 seller_registered at 2025-06-01T04:30:00Z",
            "seller 7 seller_activated at 2025-06-03T04:30:00Z"
        ]
    );

    let mut once = Metrics::default();
    once.apply_event(&registration);
    once.apply_event(&activation);
    assert_eq!(metrics, once);
    let mut twice = once.clone();
    twice.apply_event(&registration);
    assert_ne!(twice, once, "without the guard a repeat counts again");
}

#[test]
fn a_different_order_under_the_same_id_is_an_error_naming_the_id_and_the_fields() {
    let first = order(
        41,
        7,
        70,
        2_450,
        ist(2025, 10, 2, 11, 0),
        "700124",
        Fate::Delivered,
    );
    let mut changed = first.clone();
    changed.amount = Money::from_rupees(2_500);
    changed.quantity = 2;
    let mut guard = DuplicateGuard::default();
    let mut metrics = Metrics::default();
    assert_eq!(
        metrics.add_order_once(&mut guard, &first),
        Ok(Sighting::First)
    );
    let error = metrics.add_order_once(&mut guard, &changed).unwrap_err();
    assert_eq!(
        error,
        Error::ConflictingOrder {
            order: OrderId::new(41),
            listing: ListingId::new(70),
            fields: vec!["quantity", "amount"],
        }
    );
    assert_eq!(
        error.to_string(),
        "order 41's line of listing 70 appears again with a different quantity and amount"
    );
    assert_eq!(guard.conflicts(), 1);
    // The first record stays the one counted.
    let mut once = Metrics::default();
    once.add_order(&first);
    assert_eq!(metrics, once);
}

#[test]
fn an_order_that_was_delivered_in_one_export_and_returned_in_another_names_returned_at() {
    let delivered = order(
        9,
        7,
        70,
        800,
        ist(2025, 10, 2, 11, 0),
        "700124",
        Fate::Delivered,
    );
    let returned = order(
        9,
        7,
        70,
        800,
        ist(2025, 10, 2, 11, 0),
        "700124",
        Fate::Returned,
    );
    let mut guard = DuplicateGuard::default();
    guard.admit_order(&delivered).unwrap();
    assert_eq!(
        guard.admit_order(&returned).unwrap_err().to_string(),
        "order 9's line of listing 70 appears again with a different returned_at"
    );
}

#[test]
fn a_different_event_under_the_same_identity_is_an_error_naming_it() {
    let at = ist(2025, 6, 1, 10, 0);
    let first: HaatEvent = registered(7, at, "700124", None).into();
    let elsewhere: HaatEvent = registered(7, at, "741101", None).into();
    let mut guard = DuplicateGuard::default();
    let mut metrics = Metrics::default();
    metrics.apply_event_once(&mut guard, &first).unwrap();
    let error = metrics
        .apply_event_once(&mut guard, &elsewhere)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "event seller 7 seller_registered at 2025-06-01T04:30:00Z appears again with different content"
    );
    // Another kind, or another instant, is another event.
    let later: HaatEvent = registered(7, ist(2025, 6, 2, 10, 0), "741101", None).into();
    assert_eq!(guard.admit_event(&later), Ok(Sighting::First));
    assert_eq!(
        guard.admit_event(&activated(7, at).into()),
        Ok(Sighting::First)
    );
}

#[test]
fn attendance_is_one_event_per_attendee() {
    let (a, b): (HaatEvent, HaatEvent) = (
        attended(1, 1, "Nadia", day(2025, 6, 1)).into(),
        attended(1, 2, "Nadia", day(2025, 6, 1)).into(),
    );
    let mut guard = DuplicateGuard::default();
    assert_eq!(guard.admit_event(&a), Ok(Sighting::First));
    assert_eq!(guard.admit_event(&b), Ok(Sighting::First));
    assert_eq!(guard.admit_event(&a), Ok(Sighting::Repeat));
}

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A list of ops and copies of some of them, each copy placed after its original.
fn with_repeats() -> impl Strategy<Value = (Vec<Op>, Vec<Op>, usize)> {
    prop::collection::vec(op(), 1..50).prop_flat_map(|ops| {
        let n = ops.len();
        let copies = prop::collection::vec((0..n, 0usize..100), 0..20);
        (Just(ops), copies).prop_map(|(ops, copies)| {
            let mut repeated = ops.clone();
            for (original, place) in &copies {
                // Find where the original now is, and put the copy somewhere after it.
                let at = repeated
                    .iter()
                    .position(|op| same(op, &ops[*original]))
                    .unwrap_or(0);
                let after = at + 1 + (repeated.len() - at) * place / 100;
                repeated.insert(after.min(repeated.len()), ops[*original].clone());
            }
            (ops, repeated, copies.len())
        })
    })
}

fn same(a: &Op, b: &Op) -> bool {
    match (a, b) {
        (Op::Event(a), Op::Event(b)) => a == b,
        (Op::Order(a), Op::Order(b)) => a == b,
        _ => false,
    }
}

/// The partition an op falls in by its identity: the order id, or the aggregate of an event.
fn partition_of(op: &Op) -> usize {
    let id = match op {
        Op::Order(order) => order.order.get(),
        Op::Event(event) => {
            // The field named after the stream: `seller`, `workshop` or `listing`.
            let json = serde_json::to_value(event).unwrap();
            let stream = json["stream"].as_str().unwrap();
            json["event"][stream].as_u64().unwrap_or(0)
        }
    };
    (id % 3) as usize
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Folding a list with repeats inserted equals folding the list: every copy is either a
    /// repeat, or refused as its original was.
    #[test]
    fn folding_with_repeats_equals_folding_without((ops, repeated, copies) in with_repeats()) {
        let (once, guard_once, refused_once) = fold_once(&ops);
        let (again, guard_again, refused_again) = fold_once(&repeated);
        prop_assert_eq!(&again, &once);
        prop_assert_eq!(
            guard_again.repeated_orders() + guard_again.repeated_events() + refused_again,
            guard_once.repeated_orders() + guard_once.repeated_events() + refused_once
                + copies as u64
        );
        // Every record is accounted for: the ones kept, the repeats, the refused.
        prop_assert_eq!(
            guard_again.len() as u64
                + guard_again.repeated_orders()
                + guard_again.repeated_events()
                + refused_again,
            repeated.len() as u64
        );
    }

    /// With the input partitioned by identity and one guard per partition, merging the
    /// partitions' folds equals one guarded fold of everything, in any merge order.
    #[test]
    fn guarded_partitions_merge_into_the_guarded_fold_of_everything(
        (_, repeated, _) in with_repeats(),
        order in Just(vec![0usize, 1, 2]).prop_shuffle(),
    ) {
        let (all, _, _) = fold_once(&repeated);
        let mut parts: Vec<Vec<Op>> = vec![Vec::new(); 3];
        for op in &repeated {
            parts[partition_of(op)].push(op.clone());
        }
        let folds: Vec<Metrics> = parts.iter().map(|part| fold_once(part).0).collect();
        let mut merged = Metrics::default();
        for i in order {
            merged.merge(&folds[i]);
        }
        prop_assert_eq!(merged, all);
    }
}

#[test]
fn a_seller_event_admitted_on_its_own_is_the_same_event_as_in_the_envelope() {
    let event = registered(7, ist(2025, 6, 1, 10, 0), "700124", None);
    let mut guard = DuplicateGuard::default();
    assert_eq!(guard.admit_seller_event(&event), Ok(Sighting::First));
    assert_eq!(
        guard.admit_event(&event.clone().into()),
        Ok(Sighting::Repeat)
    );
    let listing = draft(3, 7, ist(2025, 6, 2, 10, 0), "handicrafts");
    assert_eq!(guard.admit_listing_event(&listing), Ok(Sighting::First));
    assert_eq!(guard.admit_event(&listing.into()), Ok(Sighting::Repeat));
    // Forgetting keeps the counts.
    guard.forget();
    assert!(guard.is_empty());
    assert_eq!(guard.repeated_events(), 2);
    assert_eq!(guard.admit_seller_event(&event), Ok(Sighting::First));
}

#[test]
fn the_lines_of_one_order_are_records_of_their_own() {
    let placed = ist(2025, 10, 2, 11, 0);
    let saree = order(41, 7, 70, 2_450, placed, "700124", Fate::Delivered);
    let stole = order(41, 7, 71, 900, placed, "700124", Fate::Delivered);
    let mut guard = DuplicateGuard::default();
    let mut metrics = Metrics::default();
    assert_eq!(
        metrics.add_order_once(&mut guard, &saree),
        Ok(Sighting::First)
    );
    assert_eq!(
        metrics.add_order_once(&mut guard, &stole),
        Ok(Sighting::First)
    );
    assert_eq!(
        metrics.add_order_once(&mut guard, &stole),
        Ok(Sighting::Repeat)
    );
    assert_eq!(metrics.demand().total().gross_paise, 335_000);
    assert_eq!((guard.repeated_orders(), guard.conflicts()), (1, 0));
    assert_eq!(guard.repeated_order_ids(), [OrderId::new(41)]);
}

fn statement(seller: u64, first: chrono::NaiveDate, net_rupees: i64) -> Statement {
    let net = Money::from_rupees(net_rupees);
    Statement {
        seller: SellerId::new(seller),
        cycle: Cycle {
            first,
            last: first + TimeDelta::days(6),
        },
        entries: vec![StatementEntry {
            order: OrderId::new(1),
            line: 0,
            kind: EntryKind::Sale,
            quantity: 1,
            gross: net,
            deductions: Vec::new(),
            net,
        }],
        gross: net,
        deductions: Vec::new(),
        net,
    }
}

#[test]
fn a_settlement_statement_is_known_by_its_seller_and_cycle() {
    let monday = day(2025, 10, 6);
    let issued = |seller, first, net| -> HaatEvent {
        StatementIssued {
            statement: statement(seller, first, net),
            commission_waived: Money::ZERO,
        }
        .into()
    };
    let mut guard = DuplicateGuard::default();
    let mut metrics = Metrics::default();
    let first = issued(7, monday, 100);
    assert_eq!(
        metrics.apply_event_once(&mut guard, &first),
        Ok(Sighting::First)
    );
    assert_eq!(
        metrics.apply_event_once(&mut guard, &first),
        Ok(Sighting::Repeat)
    );
    let next_week = issued(7, monday + TimeDelta::days(7), 100);
    assert_eq!(guard.admit_event(&next_week), Ok(Sighting::First));
    assert_eq!(
        guard.admit_event(&issued(8, monday, 100)),
        Ok(Sighting::First)
    );
    assert_eq!(
        guard
            .admit_event(&issued(7, monday, 120))
            .unwrap_err()
            .to_string(),
        "event settlement of seller 7 for 2025-10-06 – 2025-10-12 appears again with different content"
    );
    let fy = "FY2025-26".parse().unwrap();
    assert_eq!(metrics.payouts().year(fy).net, Money::from_rupees(100));
    assert_eq!(metrics.payouts().year(fy).statements, 1);
}

/// The guard as it was when it found an event's identity in the event's JSON form: the
/// reference the typed identities are checked against. An identity is the text the JSON's
/// stream, kind, aggregate and instant make (`seller 7 seller_activated at ...`), or, for an
/// event without one (a stock signal), the whole JSON; the content is the whole JSON.
#[derive(Default)]
struct JsonGuard {
    seen: HashMap<String, String>,
    repeated: Vec<String>,
}

impl JsonGuard {
    fn identity(json: &serde_json::Value) -> Option<String> {
        let event = &json["event"];
        let id = |field: &str| event[field].as_u64();
        let aggregate = match json["stream"].as_str()? {
            "seller" => format!("seller {}", id("seller")?),
            "workshop" => match id("attendee") {
                Some(attendee) => format!("workshop {} attendee {attendee}", id("workshop")?),
                None => format!("workshop {}", id("workshop")?),
            },
            "listing" => format!("listing {}", id("listing")?),
            _ => return None,
        };
        let kind = event["type"].as_str()?;
        let at = event["at"].as_str()?;
        Some(format!("{aggregate} {kind} at {at}"))
    }

    fn admit(&mut self, event: &HaatEvent) -> Result<Sighting, String> {
        let text = serde_json::to_string(event).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let identity = JsonGuard::identity(&json);
        let key = identity.clone().unwrap_or_else(|| format!("whole {text}"));
        let name = identity.unwrap_or_else(|| "a stock signal".to_owned());
        match self.seen.get(&key) {
            None => {
                self.seen.insert(key, text);
                Ok(Sighting::First)
            }
            Some(first) if *first == text => {
                if self.repeated.len() < 5 {
                    self.repeated.push(name);
                }
                Ok(Sighting::Repeat)
            }
            Some(_) => Err(format!("event {name} appears again with different content")),
        }
    }
}

/// Events from a small world, so that identities meet often: the same kind of event for the
/// same aggregate at the same instant, with the same content (a repeat) or another (a
/// conflict); and stock signals, each its own identity.
fn crowded_event() -> impl Strategy<Value = HaatEvent> {
    let at = (0i64..3).prop_map(|h| ist(2025, 6, 1, 10, 0) + TimeDelta::hours(h));
    let pins = ["700124", "741101"];
    prop_oneof![
        (1u64..3, at.clone(), 0usize..2)
            .prop_map(move |(s, at, p)| registered(s, at, pins[p], None).into()),
        (1u64..3, at.clone()).prop_map(|(s, at)| activated(s, at).into()),
        (1u64..3, at.clone(), 0u32..3).prop_map(|(s, at, w)| {
            workforce(s, at, &[(haat_seller::WorkforceRole::Weaver, w)]).into()
        }),
        (1u64..3, 1u64..3, at.clone(), prop::bool::ANY).prop_map(|(l, s, at, a)| {
            let category = if a { "textiles/sarees" } else { "handicrafts" };
            draft(l, s, at, category).into()
        }),
        (1u64..3, 1u64..3, at.clone()).prop_map(|(l, s, at)| listing_live(l, s, at).into()),
        (1u64..3, 1u64..3, 0usize..2, 0i64..2).prop_map(|(w, a, d, date)| {
            let districts = ["Nadia", "Kolkata"];
            attended(w, a, districts[d], day(2025, 6, 1) + TimeDelta::days(date)).into()
        }),
        (1u64..3, 1u64..3, 1u64..3, at.clone()).prop_map(|(w, a, s, at)| {
            became_seller(w, a, s, "Nadia", day(2025, 6, 1), at).into()
        }),
        (1u64..3, at.clone(), 0u64..2).prop_map(|(w, at, seq)| {
            let key = StockKey::new(
                SellerId::new(w),
                "TANT-01".parse().unwrap(),
                LocationId::new(7),
            );
            HaatEvent::Stock(StockSignal::OutOfStock { seq, at, key })
        }),
        at.prop_map(|at: DateTime<Utc>| scheduled(1, at, "Nadia", day(2025, 6, 1)).into()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// On any sequence of events with repeats and conflicts, the typed identities admit,
    /// repeat and refuse exactly what the JSON identities did, and name the same events.
    #[test]
    fn typed_identities_admit_what_the_json_identities_admitted(
        events in prop::collection::vec(crowded_event(), 1..60),
        copies in prop::collection::vec((0usize..60, 0usize..100), 0..30),
    ) {
        let mut events = events;
        for (original, place) in copies {
            let original = events[original % events.len()].clone();
            let at = place * events.len() / 100;
            events.insert(at, original);
        }
        let mut typed = DuplicateGuard::default();
        let mut json = JsonGuard::default();
        for event in &events {
            let expected = json.admit(event);
            let actual = typed.admit_event(event).map_err(|e| e.to_string());
            prop_assert_eq!(actual, expected, "{:?}", event);
        }
        prop_assert_eq!(typed.repeated_event_ids(), json.repeated.as_slice());
    }
}
