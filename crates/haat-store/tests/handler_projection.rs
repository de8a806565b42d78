//! The metrics projection fed from the global stream: caught up in pieces across restarts it
//! equals a rebuild from position 0, each event counted once; order events become order
//! records. SQLite and PostgreSQL (the store tests' skip/require rule).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "conformance/harness.rs"]
mod harness;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use haat_catalogue::GstRegistration;
use haat_core::{Actor, ListingId, LocationId, Money, OrderId, SellerId};
use haat_inventory::{AdjustmentReason, Command, IdempotencyKey, Operation, StockKey};
use haat_metrics::{CancelledBy, OrderRecord};
use haat_orders::{BuyerId, CheckoutTerms, OrderEvent, OrderLine, ReturnBucket};
use haat_seller::{InclusionTag, Seller, SellerCommand};
use haat_store::{
    CommandHandler, EventStore, IssueStatement, Metadata, MetricsProjection, NewEvent,
    SellerSettlement, SellerStock, StreamId, Upcasters,
};
use harness::{Harness, PgHarness, SqliteHarness};
use proptest::prelude::*;

macro_rules! both {
    ($($check:ident),* $(,)?) => {
        $(
            mod $check {
                #[test]
                fn sqlite() {
                    let h = crate::SqliteHarness::new();
                    crate::$check(&h);
                }

                #[test]
                fn postgres() {
                    if let Some(h) = crate::PgHarness::new() {
                        crate::$check(&h);
                    }
                }
            }
        )*
    };
}

both!(
    a_projection_resumed_across_restarts_equals_a_rebuild,
    statements_are_folded_into_the_payouts_once,
);

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 4, 0, 0).unwrap() + TimeDelta::minutes(minute)
}

/// Registers `count` sellers (a few counted in stock too) and places and moves some orders,
/// written straight as events: the projection reads what is stored, whoever decided it.
fn write_history<S: EventStore + ?Sized>(store: &S, sellers: u64, orders: u64) {
    let handler = CommandHandler::new(store);
    for s in 1..=sellers {
        let seller = SellerId::new(s);
        let register = SellerCommand::Register {
            actor: Actor::Seller(seller),
            seller,
            display_name: format!("Tant Ghar {s}"),
            mobile: "9830012345".parse().unwrap(),
            pin_code: "741404".parse().unwrap(),
            tags: [InclusionTag::Weaver].into(),
            referral: None,
        };
        let meta = Metadata::new(Actor::Seller(seller), at(s as i64));
        handler
            .handle::<Seller>(&(), &seller, &register, &meta)
            .unwrap();
        if s % 3 == 0 {
            let count = Command::new(
                Actor::Seller(seller),
                IdempotencyKey::new(u128::from(s)),
                Operation::Adjust {
                    key: StockKey::new(seller, "TANT-1".parse().unwrap(), LocationId::new(2001)),
                    expected_on_hand: 0,
                    counted_on_hand: 9,
                    reason: AdjustmentReason::Found,
                },
            );
            handler
                .handle::<SellerStock>(&(), &seller, &count, &meta)
                .unwrap();
        }
    }
    for o in 1..=orders {
        let stream = StreamId::new("order", o.to_string()).unwrap();
        let placed = at(100 + o as i64);
        let mut events = vec![placed_event(o, placed)];
        let order = OrderId::new(o);
        match o % 4 {
            0 => events.push(OrderEvent::OrderCancelled {
                order,
                at: placed + TimeDelta::hours(1),
                by: Actor::System,
                cancelled_by: haat_orders::CancelledBy::Seller,
            }),
            1 | 2 => {
                events.push(OrderEvent::OrderDispatched {
                    order,
                    at: placed + TimeDelta::hours(30),
                    by: Actor::System,
                    late: false,
                });
                if o % 4 == 2 {
                    events.push(OrderEvent::OrderReturnedToOrigin {
                        order,
                        at: placed + TimeDelta::hours(90),
                        by: Actor::System,
                        bucket: ReturnBucket::Sellable,
                    });
                }
            }
            _ => {}
        }
        let new: Vec<NewEvent> = events
            .iter()
            .map(|e| {
                let payload = serde_json::to_value(e).unwrap();
                NewEvent::new(format!("order.{}", e.kind()), 1, payload)
            })
            .collect();
        store
            .append(
                &stream,
                0,
                &new,
                &Metadata::new(Actor::System, placed),
                None,
            )
            .unwrap();
    }
}

fn placed_event(o: u64, at: DateTime<Utc>) -> OrderEvent {
    let tax = haat_catalogue::TaxBreakdown::of(
        Money::from_rupees(2_450),
        haat_catalogue::Percent::whole(5),
        haat_catalogue::SupplyKind::IntraState,
    )
    .unwrap();
    OrderEvent::OrderPlaced {
        order: OrderId::new(o),
        seller: SellerId::new(o % 5 + 1),
        buyer: BuyerId::new(o),
        at,
        by: Actor::System,
        pin_code: "700001".parse().unwrap(),
        buyer_state: haat_core::StateCode::WEST_BENGAL,
        registration: GstRegistration::Registered {
            state: haat_core::StateCode::WEST_BENGAL,
        },
        lines: vec![OrderLine {
            listing: ListingId::new(o % 5 * 10 + 10),
            sku: "TANT-1".parse().unwrap(),
            category: "textiles/sarees/handloom/shantipuri".parse().unwrap(),
            hsn: "5208".parse().unwrap(),
            location: LocationId::new(2001),
            quantity: 1,
            unit_price: Money::from_rupees(2_450),
            mrp: Money::from_rupees(2_800),
            tax,
            return_days: 7,
        }],
        reservation: haat_inventory::ReservationId::new(o),
        dispatch_by: at + CheckoutTerms::default().dispatch_within,
    }
}

fn a_projection_resumed_across_restarts_equals_a_rebuild<H: Harness>(h: &H) {
    write_history(h.store(), 12, 9);
    // Caught up in pieces of 7 events, each piece saved, the process "restarted" (a new
    // store on the same data) between pieces.
    let mut live = MetricsProjection::default();
    let head = h.store().head_position().unwrap();
    while live.position() < head {
        let store = h.reopen(Upcasters::pass_through());
        let mut resumed = MetricsProjection::load(&store).unwrap();
        assert_eq!(resumed.position(), live.position());
        for event in store.read_all(resumed.position(), 7).unwrap() {
            resumed.fold(&event).unwrap();
        }
        resumed.save(&store).unwrap();
        live = resumed;
    }
    let rebuilt = MetricsProjection::rebuild(h.store(), 5).unwrap();
    assert_eq!(live.position(), head);
    assert_eq!(live.inputs(), rebuilt.inputs());
    assert_eq!(live.metrics(), rebuilt.metrics());
    assert_eq!(rebuilt.inputs().events.len(), 12);
    assert_eq!(rebuilt.inputs().orders.len(), 9);
    let records: std::collections::BTreeMap<u64, OrderRecord> = rebuilt
        .inputs()
        .order_records()
        .into_iter()
        .map(|r| (r.order.get(), r))
        .collect();
    // Order 4 was cancelled by its seller, 5 dispatched, 6 dispatched and returned to origin
    // (never delivered, so the marketplace's cancellation and never a sale).
    assert_eq!(
        records[&4].cancellation.map(|c| c.by),
        Some(CancelledBy::Seller)
    );
    assert!(records[&5].dispatched_at.is_some() && records[&5].is_net_sale());
    assert_eq!(
        records[&6].cancellation.map(|c| c.by),
        Some(CancelledBy::Marketplace)
    );
    assert!(records[&6].dispatched_at.is_some() && !records[&6].is_net_sale());
    // Nothing new: catching up folds nothing and keeps the state.
    let mut again = MetricsProjection::load(h.store()).unwrap();
    assert_eq!(again.catch_up(h.store(), 100).unwrap(), 0);
    assert_eq!(again, live);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// However the global stream is cut into saved pieces, the projection equals a rebuild.
    #[test]
    fn any_cut_into_saved_pieces_equals_a_rebuild(
        sellers in 1u64..10,
        orders in 0u64..10,
        pieces in proptest::collection::vec(1usize..9, 1..12),
    ) {
        let store = haat_store::SqliteStore::in_memory().unwrap();
        write_history(&store, sellers, orders);
        let head = store.head_position().unwrap();
        let mut cut = pieces.iter().cycle();
        while MetricsProjection::load(&store).unwrap().position() < head {
            let mut p = MetricsProjection::load(&store).unwrap();
            let n = *cut.next().unwrap();
            for event in store.read_all(p.position(), n).unwrap() {
                p.fold(&event).unwrap();
            }
            p.save(&store).unwrap();
        }
        let live = MetricsProjection::load(&store).unwrap();
        let rebuilt = MetricsProjection::rebuild(&store, 3).unwrap();
        prop_assert_eq!(live.inputs(), rebuilt.inputs());
        prop_assert_eq!(live.metrics(), rebuilt.metrics());
    }
}

/// Settlement statements reach the payouts, with the commission waived on each, once: a
/// projection saved and resumed holds them as a rebuild does.
fn statements_are_folded_into_the_payouts_once<H: Harness>(h: &H) {
    let handler = CommandHandler::new(h.store());
    let mut expected = haat_metrics::Metrics::default();
    for (s, week, net, waived) in [(1u64, 0u64, 900, 40), (1, 1, 650, 0), (2, 0, 1_200, 96)] {
        let first =
            chrono::NaiveDate::from_ymd_opt(2025, 9, 29).unwrap() + chrono::Days::new(7 * week);
        let statement = haat_orders::Statement {
            seller: SellerId::new(s),
            cycle: haat_orders::Cycle {
                first,
                last: first + chrono::Days::new(6),
            },
            entries: Vec::new(),
            gross: Money::from_rupees(net + 100),
            deductions: vec![(
                haat_catalogue::DeductionKind::Commission,
                Money::from_rupees(100),
            )],
            net: Money::from_rupees(net),
        };
        let waived = Money::from_rupees(waived);
        expected.add_statement(&statement, waived);
        let issue = IssueStatement {
            statement,
            commission_waived: waived,
        };
        handler
            .handle::<SellerSettlement>(
                &(),
                &SellerId::new(s),
                &issue,
                &Metadata::new(Actor::System, at(week as i64)),
            )
            .unwrap();
    }
    let mut live = MetricsProjection::default();
    assert_eq!(live.catch_up(h.store(), 2).unwrap(), 3);
    assert_eq!(live.inputs().statements.len(), 3);
    assert_eq!(live.metrics(), expected);
    // Saved with its checkpoint, loaded back: the same payouts, nothing counted twice.
    let mut loaded = MetricsProjection::load(h.store()).unwrap();
    assert_eq!(loaded.catch_up(h.store(), 2).unwrap(), 0);
    assert_eq!(loaded.metrics(), expected);
    assert_eq!(
        MetricsProjection::rebuild(h.store(), 1).unwrap().metrics(),
        expected
    );
}
