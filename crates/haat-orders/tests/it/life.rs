//! The order's life as a seller hub sees it, and the stock each step moves.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::Duration;
use haat_core::{Actor, Money, OrderId, SellerId, StaffId};
use haat_inventory::Quantities;
use haat_orders::{
    CancelledBy, Error, OrderAction, OrderCommand, OrderEvent, OrderStatus, ReturnBucket,
    ReturnedLine,
};

use crate::fixtures::{SAREE, SAREE_HOUSE, STOCK, World, cell, now};

fn seller() -> Actor {
    Actor::Seller(SAREE_HOUSE)
}

fn staff() -> Actor {
    Actor::Operations(StaffId::new(9))
}

fn pack(order: OrderId) -> OrderCommand {
    OrderCommand::Pack {
        actor: seller(),
        order,
    }
}

fn dispatch(order: OrderId) -> OrderCommand {
    OrderCommand::Dispatch {
        actor: seller(),
        order,
    }
}

fn deliver(order: OrderId) -> OrderCommand {
    OrderCommand::Deliver {
        actor: Actor::System,
        order,
    }
}

fn saree_stock(world: &World) -> Quantities {
    world.ledger.quantities(&cell(SAREE))
}

/// Runs `commands` in turn, an hour apart from `now()`, each of which must succeed.
#[track_caller]
fn run(world: &mut World, commands: &[OrderCommand]) -> Vec<OrderEvent> {
    let mut events = Vec::new();
    for (hour, command) in commands.iter().enumerate() {
        let at = now() + Duration::hours(hour as i64 + 1);
        events.extend(world.book.execute(&mut world.ledger, command, at).unwrap());
    }
    events
}

/// Given an order, when `command` at `at`, then this error, and nothing moves.
#[track_caller]
fn check_refused(
    world: &mut World,
    command: OrderCommand,
    at: chrono::DateTime<chrono::Utc>,
    expected: Error,
) {
    let before = (
        saree_stock(world),
        world.book.order(command.order()).cloned(),
    );
    let err = world
        .book
        .execute(&mut world.ledger, &command, at)
        .unwrap_err();
    assert_eq!(err, expected);
    assert_eq!(
        (
            saree_stock(world),
            world.book.order(command.order()).cloned()
        ),
        before
    );
}

#[test]
fn placed_packed_dispatched_delivered_moves_reserved_to_shipped() {
    let mut world = World::new();
    let order = world.saree_order(2);
    assert_eq!(saree_stock(&world).reserved(), 2);
    assert_eq!(saree_stock(&world).available(), u64::from(STOCK) - 2);
    let events = run(&mut world, &[pack(order), dispatch(order), deliver(order)]);
    let kinds: Vec<_> = events.iter().map(OrderEvent::kind).collect();
    assert_eq!(
        kinds,
        ["order_packed", "order_dispatched", "order_delivered"]
    );
    let state = world.book.order(order).unwrap();
    assert_eq!(state.status(), Some(OrderStatus::Delivered));
    assert!(!state.dispatched_late());
    let stock = saree_stock(&world);
    assert_eq!(
        (stock.reserved(), stock.shipped(), stock.on_hand()),
        (0, 2, u64::from(STOCK) - 2)
    );
}

#[test]
fn dispatch_after_the_promise_is_late() {
    let mut world = World::new();
    let order = world.saree_order(1);
    run(&mut world, &[pack(order)]);
    // The default terms promise dispatch within two days.
    let late = now() + Duration::days(2) + Duration::minutes(1);
    let events = world
        .book
        .execute(&mut world.ledger, &dispatch(order), late)
        .unwrap();
    assert!(matches!(
        events[0],
        OrderEvent::OrderDispatched { late: true, .. }
    ));
    assert!(world.book.order(order).unwrap().dispatched_late());
}

#[test]
fn cancellation_before_dispatch_releases_the_reservation() {
    for (actor, by) in [
        (Actor::System, CancelledBy::Buyer),
        (seller(), CancelledBy::Seller),
        (staff(), CancelledBy::Marketplace),
    ] {
        let mut world = World::new();
        let order = world.saree_order(3);
        let cancel = OrderCommand::Cancel {
            actor,
            order,
            cancelled_by: by,
        };
        run(&mut world, &[pack(order), cancel]);
        assert_eq!(
            world.book.order(order).unwrap().status(),
            Some(OrderStatus::Cancelled)
        );
        let stock = saree_stock(&world);
        assert_eq!(
            (stock.available(), stock.reserved()),
            (u64::from(STOCK), 0),
            "{by:?}"
        );
    }
}

#[test]
fn refusals_move_nothing() {
    let mut world = World::new();
    let order = world.saree_order(1);
    let later = now() + Duration::hours(1);
    let other = Actor::Seller(SellerId::new(99));
    check_refused(
        &mut world,
        OrderCommand::Pack {
            actor: other,
            order,
        },
        later,
        Error::Forbidden {
            actor: other,
            action: OrderAction::Pack,
        },
    );
    // A seller cannot speak for the buyer, nor record what the courier does.
    check_refused(
        &mut world,
        OrderCommand::Cancel {
            actor: seller(),
            order,
            cancelled_by: CancelledBy::Buyer,
        },
        later,
        Error::Forbidden {
            actor: seller(),
            action: OrderAction::Cancel,
        },
    );
    check_refused(
        &mut world,
        OrderCommand::Deliver {
            actor: seller(),
            order,
        },
        later,
        Error::Forbidden {
            actor: seller(),
            action: OrderAction::Deliver,
        },
    );
    check_refused(
        &mut world,
        dispatch(order),
        later,
        Error::InvalidTransition {
            order,
            status: OrderStatus::Placed,
            action: OrderAction::Dispatch,
        },
    );
    check_refused(
        &mut world,
        pack(OrderId::new(404)),
        later,
        Error::UnknownOrder {
            order: OrderId::new(404),
        },
    );
    run(&mut world, &[pack(order), dispatch(order)]);
    check_refused(
        &mut world,
        OrderCommand::Cancel {
            actor: Actor::System,
            order,
            cancelled_by: CancelledBy::Buyer,
        },
        later,
        Error::InvalidTransition {
            order,
            status: OrderStatus::Dispatched,
            action: OrderAction::Cancel,
        },
    );
}

#[test]
fn undelivered_orders_return_to_origin_into_the_named_bucket() {
    let mut world = World::new();
    let order = world.saree_order(2);
    let rto = OrderCommand::ReturnToOrigin {
        actor: Actor::System,
        order,
        bucket: ReturnBucket::Sellable,
    };
    run(&mut world, &[pack(order), dispatch(order), rto]);
    assert_eq!(
        world.book.order(order).unwrap().status(),
        Some(OrderStatus::ReturnedToOrigin)
    );
    let stock = saree_stock(&world);
    assert_eq!(
        (stock.available(), stock.on_hand(), stock.shipped()),
        (u64::from(STOCK), u64::from(STOCK), 0)
    );
}

#[test]
fn a_return_within_the_window_refunds_and_restocks() {
    let mut world = World::new();
    let order = world.saree_order(3);
    run(&mut world, &[pack(order), dispatch(order), deliver(order)]);
    let delivered = world.book.order(order).unwrap().delivered_at().unwrap();
    // One saree sellable, one damaged: 2 × ₹12,000 refunded.
    let lines = vec![
        ReturnedLine {
            line: 0,
            quantity: 1,
            bucket: ReturnBucket::Sellable,
        },
        ReturnedLine {
            line: 0,
            quantity: 1,
            bucket: ReturnBucket::Damaged,
        },
    ];
    let command = OrderCommand::Return {
        actor: Actor::System,
        order,
        lines,
    };
    let events = world
        .book
        .execute(&mut world.ledger, &command, delivered + Duration::days(7))
        .unwrap();
    assert!(
        matches!(&events[0], OrderEvent::OrderReturned { refund, .. } if *refund == Money::from_rupees(24_000))
    );
    let stock = saree_stock(&world);
    assert_eq!(
        (stock.available(), stock.damaged(), stock.shipped()),
        (u64::from(STOCK) - 2, 1, 1)
    );
    let state = world.book.order(order).unwrap();
    assert_eq!(
        (state.status(), state.returned(0)),
        (Some(OrderStatus::Delivered), 2)
    );

    // The last saree, a minute after the seven-day window closed: refused.
    let last = vec![ReturnedLine {
        line: 0,
        quantity: 1,
        bucket: ReturnBucket::Sellable,
    }];
    let closed_at = delivered + Duration::days(7);
    check_refused(
        &mut world,
        OrderCommand::Return {
            actor: Actor::System,
            order,
            lines: last.clone(),
        },
        closed_at + Duration::minutes(1),
        Error::ReturnWindowClosed {
            order,
            line: 0,
            closed_at,
        },
    );
    // Two more than are out with the buyer: refused.
    let too_many = vec![ReturnedLine {
        line: 0,
        quantity: 2,
        bucket: ReturnBucket::Sellable,
    }];
    check_refused(
        &mut world,
        OrderCommand::Return {
            actor: Actor::System,
            order,
            lines: too_many,
        },
        closed_at,
        Error::ReturnExceedsShipped {
            order,
            line: 0,
            quantity: 2,
            returnable: 1,
        },
    );
    // The last one in time: every unit is back, the order is returned.
    let command = OrderCommand::Return {
        actor: Actor::System,
        order,
        lines: last,
    };
    world
        .book
        .execute(&mut world.ledger, &command, closed_at)
        .unwrap();
    assert_eq!(
        world.book.order(order).unwrap().status(),
        Some(OrderStatus::Returned)
    );
    assert_eq!(saree_stock(&world).shipped(), 0);
}

#[test]
fn a_lapsed_hold_cannot_be_dispatched_and_cancels_without_moving_stock() {
    let mut world = World::new();
    let order = world.saree_order(1);
    run(&mut world, &[pack(order)]);
    // Promised in 2 days, held 7 more: 10 days on, the hold has lapsed.
    let lapsed = now() + Duration::days(10);
    let err = world
        .book
        .execute(&mut world.ledger, &dispatch(order), lapsed)
        .unwrap_err();
    assert!(matches!(err, Error::Stock { .. }), "{err:?}");
    let cancel = OrderCommand::Cancel {
        actor: seller(),
        order,
        cancelled_by: CancelledBy::Seller,
    };
    world
        .book
        .execute(&mut world.ledger, &cancel, lapsed)
        .unwrap();
    assert_eq!(
        world.book.order(order).unwrap().status(),
        Some(OrderStatus::Cancelled)
    );
    // The lapsed hold counts as available at `now`, with nothing written.
    let c = cell(SAREE);
    assert_eq!(
        world
            .ledger
            .available(c.seller(), c.sku(), c.location(), lapsed),
        u64::from(STOCK)
    );
}

#[test]
fn a_repeated_step_succeeds_with_no_events_and_moves_nothing() {
    let mut world = World::new();
    let order = world.saree_order(2);
    for command in [pack(order), dispatch(order), deliver(order)] {
        run(&mut world, std::slice::from_ref(&command));
        let before = (saree_stock(&world), world.book.order(order).cloned());
        let again = world
            .book
            .execute(&mut world.ledger, &command, now() + Duration::hours(9))
            .unwrap();
        assert!(again.is_empty(), "{command:?}");
        assert_eq!(
            (saree_stock(&world), world.book.order(order).cloned()),
            before
        );
    }
    // A different cancellation of a cancelled order conflicts with what happened.
    let mut world = World::new();
    let order = world.saree_order(1);
    let cancel = |by| OrderCommand::Cancel {
        actor: Actor::System,
        order,
        cancelled_by: by,
    };
    run(&mut world, &[cancel(CancelledBy::Buyer)]);
    assert!(
        world
            .book
            .execute(&mut world.ledger, &cancel(CancelledBy::Buyer), now())
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        world
            .book
            .execute(&mut world.ledger, &cancel(CancelledBy::Marketplace), now()),
        Err(Error::InvalidTransition { .. })
    ));
}
