//! An order's stream, `order/<id>`: placed at checkout, then packed, dispatched, delivered,
//! cancelled or returned.
//!
//! `Order` has no serde form, so it is rebuilt from events; an order's stream holds a handful
//! of events. The steps that move stock (dispatch, cancel, returns) also write the seller's
//! ledger stream: the command handler's order service does both (see `command/orders.rs`).

use chrono::{DateTime, Utc};
use haat_core::OrderId;
use haat_orders::{Error, Order, OrderCommand, OrderEvent};

use super::Aggregate;

impl Aggregate for Order {
    const KIND: &'static str = "order";
    const SNAPSHOT_VERSION: Option<u32> = None;

    type Id = OrderId;
    type Command = OrderCommand;
    type Event = OrderEvent;
    type Error = Error;
    type Context = ();

    fn belongs(id: &OrderId, command: &OrderCommand) -> bool {
        command.order() == *id
    }

    fn decide(
        &self,
        _: &(),
        command: &OrderCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<OrderEvent>, Error> {
        Order::decide(self, command, now)
    }

    fn apply(&mut self, event: &OrderEvent) {
        Order::apply(self, event);
    }
}
