//! Order records projected from order events say what the order's own state says.

use chrono::{DateTime, Duration, TimeZone, Utc};
use haat_catalogue::{GstRateTable, GstRegistration};
use haat_core::{Actor, ListingId, LocationId, Money, OrderId, SellerId, StateCode};
use haat_inventory::{
    AdjustmentReason, Allocator, Command, IdempotencyKey, Network, Operation, StockKey, StockLedger,
};
use haat_metrics::{CancelledBy as RecordCancelledBy, OrderProjection, OrderRecord};
use haat_orders::{
    BuyerId, CancelledBy, Cart, CartLine, CheckoutRequest, CheckoutTerms, ListingView, Market,
    Order, OrderBook, OrderCommand, OrderEvent, OrderStatus, ReturnBucket, ReturnedLine,
    SellerView, ShelfSnapshot,
};
use haat_seller::SellerStatus;
use proptest::prelude::*;

const SELLER: SellerId = SellerId::new(7);
const HUB: LocationId = LocationId::new(2001);

/// The reference network, built once for every case.
fn network() -> &'static Network {
    static NETWORK: std::sync::OnceLock<Network> = std::sync::OnceLock::new();
    NETWORK.get_or_init(|| Network::west_bengal_reference().unwrap())
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).unwrap()
}

/// Two listings of one seller (a saree returnable for 7 days, a kurta for 10), 20 units of
/// each at the Kolkata metro hub.
fn market_parts() -> (ShelfSnapshot, StockLedger) {
    let mut shelf = ShelfSnapshot::default();
    shelf.put_seller(SellerView {
        seller: SELLER,
        status: SellerStatus::Active,
        registration: GstRegistration::Registered {
            state: StateCode::WEST_BENGAL,
        },
    });
    let mut ledger = StockLedger::new();
    for (n, (sku, hsn, price, days)) in [
        ("TANT-RED", "5208", 2_450, 7u16),
        ("KURTA-M", "6211", 1_200, 10),
    ]
    .into_iter()
    .enumerate()
    {
        shelf.put_listing(ListingView {
            listing: ListingId::new(n as u64 + 1),
            seller: SELLER,
            sku: sku.parse().unwrap(),
            category: "textiles/sarees/handloom/tant".parse().unwrap(),
            hsn: hsn.parse().unwrap(),
            price: Money::from_rupees(price),
            mrp: Money::from_rupees(price),
            live: true,
            return_days: days,
        });
        let count = Operation::Adjust {
            key: StockKey::new(SELLER, sku.parse().unwrap(), HUB),
            expected_on_hand: 0,
            counted_on_hand: 20,
            reason: AdjustmentReason::Found,
        };
        let command = Command::new(
            Actor::Seller(SELLER),
            IdempotencyKey::new(n as u128 + 1),
            count,
        );
        ledger.execute(&command, start()).unwrap();
    }
    (shelf, ledger)
}

#[derive(Clone, Debug)]
enum Step {
    Pack,
    Dispatch,
    Deliver,
    Cancel(CancelledBy),
    ReturnToOrigin,
    Return(usize, u32),
}

fn step() -> impl Strategy<Value = Step> {
    let by = prop_oneof![
        Just(CancelledBy::Buyer),
        Just(CancelledBy::Seller),
        Just(CancelledBy::Marketplace)
    ];
    prop_oneof![
        3 => Just(Step::Pack),
        3 => Just(Step::Dispatch),
        3 => Just(Step::Deliver),
        1 => by.prop_map(Step::Cancel),
        1 => Just(Step::ReturnToOrigin),
        3 => (0usize..2, 1u32..3).prop_map(|(line, q)| Step::Return(line, q)),
    ]
}

fn command(step: &Step, order: OrderId) -> OrderCommand {
    let seller = Actor::Seller(SELLER);
    match step {
        Step::Pack => OrderCommand::Pack {
            actor: seller,
            order,
        },
        Step::Dispatch => OrderCommand::Dispatch {
            actor: seller,
            order,
        },
        Step::Deliver => OrderCommand::Deliver {
            actor: Actor::System,
            order,
        },
        Step::Cancel(by) => OrderCommand::Cancel {
            actor: if *by == CancelledBy::Seller {
                seller
            } else {
                Actor::System
            },
            order,
            cancelled_by: *by,
        },
        Step::ReturnToOrigin => OrderCommand::ReturnToOrigin {
            actor: Actor::System,
            order,
            bucket: ReturnBucket::Sellable,
        },
        Step::Return(line, quantity) => OrderCommand::Return {
            actor: Actor::System,
            order,
            lines: vec![ReturnedLine {
                line: *line,
                quantity: *quantity,
                bucket: ReturnBucket::Damaged,
            }],
        },
    }
}

/// Checks every record of `order` against the order's state, and the cancellation against
/// the one accepted `Cancel` command, if any.
#[track_caller]
fn check(records: &[OrderRecord], order: &Order, cancelled_by: Option<CancelledBy>) {
    let status = order.status().unwrap();
    assert_eq!(records.len(), order.lines().len());
    for (index, (record, line)) in records.iter().zip(order.lines()).enumerate() {
        assert_eq!(Some(record.order), order.id());
        assert_eq!(Some(record.seller), order.seller());
        assert_eq!(record.listing, line.listing);
        assert_eq!(record.quantity, line.quantity);
        assert_eq!(record.amount, line.value());
        assert_eq!(Some(record.placed_at), order.placed_at());
        assert_eq!(Some(record.promised_dispatch_by), order.dispatch_by());
        assert_eq!(Some(record.destination), order.pin_code());
        assert_eq!(record.dispatched_at, order.dispatched_at());
        assert_eq!(record.delivered_at, order.delivered_at());
        // Late iff the dispatch came after the promise: the order's flag and the record's rule.
        assert_eq!(record.is_late_dispatch(), order.dispatched_late());
        let fully_returned = order.returned(index) >= line.quantity;
        assert_eq!(record.returned_at.is_some(), fully_returned);
        let called_off = matches!(
            status,
            OrderStatus::Cancelled | OrderStatus::ReturnedToOrigin
        );
        assert_eq!(record.cancellation.is_some(), called_off);
        assert_eq!(
            record.is_seller_cancelled(),
            status == OrderStatus::Cancelled && cancelled_by == Some(CancelledBy::Seller)
        );
        if status == OrderStatus::ReturnedToOrigin {
            assert_eq!(
                record.cancellation.map(|c| c.by),
                Some(RecordCancelledBy::Marketplace)
            );
        }
        assert_eq!(record.is_net_sale(), !called_off && !fully_returned);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A random order (one or two lines) through a random life: its projected records say
    /// what its state says, at every step, and after a replay of its events.
    #[test]
    fn records_follow_the_order(
        lines in prop::collection::vec((0u64..2, 1u32..4), 1..3),
        steps in prop::collection::vec((step(), 0i64..80), 0..10),
    ) {
        let (shelf, mut ledger) = market_parts();
        let allocator = Allocator::new(network());
        let market = Market {
            shelf: &shelf,
            rates: GstRateTable::india(),
            allocator: &allocator,
            terms: CheckoutTerms::default(),
        };
        let mut book = OrderBook::starting_at(OrderId::new(1));
        let cart = Cart {
            buyer: BuyerId::new(3),
            pin_code: "700001".parse().unwrap(),
            lines: lines
                .iter()
                .map(|&(l, quantity)| CartLine { listing: ListingId::new(l + 1), quantity })
                .collect(),
        };
        let request = CheckoutRequest { actor: Actor::System, key: IdempotencyKey::new(9), cart };
        let placed = book.checkout(&market, &mut ledger, &request, start()).unwrap();
        let id = placed.orders[0];
        let mut events: Vec<OrderEvent> = placed.events.clone();
        let mut projection = OrderProjection::replay(&events);
        let mut cancelled_by = None;
        let mut now = start();
        for (step, hours) in &steps {
            now += Duration::hours(*hours);
            if let Ok(new) = book.execute(&mut ledger, &command(step, id), now) {
                for event in &new {
                    if let OrderEvent::OrderCancelled { cancelled_by: by, .. } = event {
                        cancelled_by = Some(*by);
                    }
                    projection.apply(event);
                }
                events.extend(new);
            }
            check(projection.records(id).unwrap(), book.order(id).unwrap(), cancelled_by);
        }
        prop_assert_eq!(&OrderProjection::replay(&events), &projection);
        // Final orders are handed over once, and the rest stay open.
        let order = book.order(id).unwrap();
        let mut taken = projection.clone();
        let far = now + Duration::days(30);
        let handed = taken.take_final(far);
        // A month on, every delivered line's return window has closed.
        let sealed = matches!(
            order.status(),
            Some(OrderStatus::Cancelled | OrderStatus::ReturnedToOrigin | OrderStatus::Returned
                | OrderStatus::Delivered)
        );
        prop_assert_eq!(handed.is_empty(), !sealed);
        prop_assert_eq!(taken.is_empty(), sealed);
        prop_assert_eq!(projection.into_records().len(), order.lines().len());
    }
}
