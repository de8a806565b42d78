//! The order aggregate: one seller's share of a checkout, from placed to delivered or back.

mod command;
mod event;
mod stock;

use chrono::{DateTime, Duration, Utc};
use haat_catalogue::GstRegistration;
use haat_core::{Money, OrderId, PinCode, SellerId, StateCode};
use haat_inventory::ReservationId;
use serde::{Deserialize, Serialize};

pub use command::{OrderAction, OrderCommand};
pub use event::{BuyerId, CancelledBy, OrderEvent, OrderLine, ReturnBucket, ReturnedLine};
pub(crate) use stock::{StockStep, stock_commands, stock_key};

use crate::Error;

/// Where an order is in its life, as a seller hub shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrderStatus {
    /// Placed at checkout; stock reserved.
    Placed,
    /// Packed by the seller.
    Packed,
    /// With the courier.
    Dispatched,
    /// With the buyer (some units may since have been returned).
    Delivered,
    /// Cancelled before dispatch.
    Cancelled,
    /// Not delivered; back at its origin.
    ReturnedToOrigin,
    /// Every unit returned by the buyer.
    Returned,
}

impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Packed => "packed",
            OrderStatus::Dispatched => "dispatched",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::ReturnedToOrigin => "returned to origin",
            OrderStatus::Returned => "returned",
        })
    }
}

/// A placed order: the fold of its events.
///
/// `decide(&self, &command, now)` answers a command with the events it causes, or a typed
/// [`Error`] and no events; `apply(&mut self, &event)` folds an event in, and never fails.
/// `Order::replay(events)` rebuilds the state a live order reached.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Order {
    placed: Option<Placed>,
    status: Option<OrderStatus>,
    dispatched_at: Option<DateTime<Utc>>,
    late: bool,
    delivered_at: Option<DateTime<Utc>>,
    /// Units returned so far, per line; empty until the first return (most orders never
    /// see one, and checkout places orders by the million).
    returned: Vec<u32>,
    /// Buyer's returns recorded so far (each moves stock under its own idempotency keys).
    returns: u16,
    /// Whose decision a cancellation was.
    cancelled_by: Option<CancelledBy>,
    /// Where a return to origin put the units.
    returned_to: Option<ReturnBucket>,
}

/// What an order is fixed with at checkout.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Placed {
    id: OrderId,
    seller: SellerId,
    buyer: BuyerId,
    at: DateTime<Utc>,
    pin_code: PinCode,
    buyer_state: StateCode,
    registration: GstRegistration,
    lines: Vec<OrderLine>,
    reservation: ReservationId,
    dispatch_by: DateTime<Utc>,
}

impl Order {
    /// The order the events describe (events of other orders are ignored after the first).
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a OrderEvent>) -> Order {
        let mut order = Order::default();
        for event in events {
            order.apply(event);
        }
        order
    }

    /// The events `command` causes at `now`.
    ///
    /// A command that would leave the order exactly where it is (packing a packed order,
    /// cancelling a cancelled one for the same party's reason) succeeds with no events, so a
    /// retried request gets success and moves nothing. A buyer's return is not repeatable that
    /// way (a second return of the same units is a different fact): it is refused when the
    /// units are already back.
    ///
    /// # Errors
    /// [`Error::UnknownOrder`] before the order is placed or for another order's command;
    /// [`Error::Forbidden`] for a seller acting on another seller's order, or on what only
    /// the marketplace records; [`Error::InvalidTransition`] for a step out of order (a
    /// cancellation after dispatch, a return before delivery); [`Error::UnknownLine`],
    /// [`Error::EmptyReturn`], [`Error::ReturnExceedsShipped`] and
    /// [`Error::ReturnWindowClosed`] for a return that does not fit the order.
    pub fn decide(
        &self,
        command: &OrderCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<OrderEvent>, Error> {
        let (Some(placed), Some(status)) = (&self.placed, self.status) else {
            return Err(Error::UnknownOrder {
                order: command.order(),
            });
        };
        if placed.id != command.order() {
            return Err(Error::UnknownOrder {
                order: command.order(),
            });
        }
        let actor = command.actor();
        let order = placed.id;
        let forbidden = || Error::Forbidden {
            actor,
            action: command.action(),
        };
        let invalid = || Error::InvalidTransition {
            order,
            status,
            action: command.action(),
        };
        // The seller (or the marketplace for it) packs, dispatches and may cancel; what a
        // courier or a buyer does reaches the marketplace, which records it.
        let seller_step = actor.may_act_for(placed.seller);
        let marketplace_step = actor.is_marketplace();
        let event = match command {
            OrderCommand::Pack { .. } => {
                if !seller_step {
                    return Err(forbidden());
                }
                if status == OrderStatus::Packed {
                    return Ok(Vec::new());
                }
                if status != OrderStatus::Placed {
                    return Err(invalid());
                }
                OrderEvent::OrderPacked {
                    order,
                    at: now,
                    by: actor,
                }
            }
            OrderCommand::Dispatch { .. } => {
                if !seller_step {
                    return Err(forbidden());
                }
                if status == OrderStatus::Dispatched {
                    return Ok(Vec::new());
                }
                if status != OrderStatus::Packed {
                    return Err(invalid());
                }
                OrderEvent::OrderDispatched {
                    order,
                    at: now,
                    by: actor,
                    late: now > placed.dispatch_by,
                }
            }
            OrderCommand::Deliver { .. } => {
                if !marketplace_step {
                    return Err(forbidden());
                }
                if status == OrderStatus::Delivered {
                    return Ok(Vec::new());
                }
                if status != OrderStatus::Dispatched {
                    return Err(invalid());
                }
                OrderEvent::OrderDelivered {
                    order,
                    at: now,
                    by: actor,
                }
            }
            OrderCommand::Cancel { cancelled_by, .. } => {
                let allowed = match cancelled_by {
                    CancelledBy::Seller => seller_step,
                    CancelledBy::Buyer | CancelledBy::Marketplace => marketplace_step,
                };
                if !allowed {
                    return Err(forbidden());
                }
                if self.cancelled_by == Some(*cancelled_by) {
                    return Ok(Vec::new());
                }
                if !matches!(status, OrderStatus::Placed | OrderStatus::Packed) {
                    return Err(invalid());
                }
                OrderEvent::OrderCancelled {
                    order,
                    at: now,
                    by: actor,
                    cancelled_by: *cancelled_by,
                }
            }
            OrderCommand::ReturnToOrigin { bucket, .. } => {
                if !marketplace_step {
                    return Err(forbidden());
                }
                if self.returned_to == Some(*bucket) {
                    return Ok(Vec::new());
                }
                if status != OrderStatus::Dispatched {
                    return Err(invalid());
                }
                OrderEvent::OrderReturnedToOrigin {
                    order,
                    at: now,
                    by: actor,
                    bucket: *bucket,
                }
            }
            OrderCommand::Return { lines, .. } => {
                if !marketplace_step {
                    return Err(forbidden());
                }
                let delivered_at = match (status, self.delivered_at) {
                    (OrderStatus::Delivered, Some(at)) => at,
                    _ => return Err(invalid()),
                };
                let refund = self.check_return(placed, actor, lines, delivered_at, now)?;
                OrderEvent::OrderReturned {
                    order,
                    at: now,
                    by: actor,
                    lines: lines.clone(),
                    refund,
                }
            }
        };
        Ok(vec![event])
    }

    /// Checks a buyer's return against the order and answers the refund: the price paid for
    /// the returned units.
    fn check_return(
        &self,
        placed: &Placed,
        actor: haat_core::Actor,
        lines: &[ReturnedLine],
        delivered_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Money, Error> {
        let order = placed.id;
        let late_allowed = actor.is_operations();
        if lines.is_empty() || lines.iter().all(|l| l.quantity == 0) {
            return Err(Error::EmptyReturn { order });
        }
        // The same line may appear twice (some units sellable, some damaged): sum per line.
        let mut asked = vec![0u64; placed.lines.len()];
        for returned in lines {
            let Some(slot) = asked.get_mut(returned.line) else {
                return Err(Error::UnknownLine {
                    order,
                    line: returned.line,
                });
            };
            *slot = slot.saturating_add(u64::from(returned.quantity));
        }
        let mut refund = Money::ZERO;
        for (index, (line, &quantity)) in placed.lines.iter().zip(&asked).enumerate() {
            if quantity == 0 {
                continue;
            }
            let already = u64::from(self.returned.get(index).copied().unwrap_or(0));
            let returnable = u64::from(line.quantity).saturating_sub(already);
            if quantity > returnable {
                return Err(Error::ReturnExceedsShipped {
                    order,
                    line: index,
                    quantity,
                    returnable,
                });
            }
            let closes = delivered_at + Duration::days(i64::from(line.return_days));
            // Operations staff may accept a return after the window (a defect found late);
            // if the line was settled meanwhile, settlement reverses it.
            if now > closes && !late_allowed {
                return Err(Error::ReturnWindowClosed {
                    order,
                    line: index,
                    closed_at: closes,
                });
            }
            refund = line
                .unit_price
                .checked_mul(quantity)
                .and_then(|part| refund.checked_add(part))
                .ok_or(Error::Overflow { what: "refund" })?;
        }
        Ok(refund)
    }

    /// Folds `event` in. Infallible: an event is a fact. Events of another order than the one
    /// placed are ignored.
    pub fn apply(&mut self, event: &OrderEvent) {
        if let OrderEvent::OrderPlaced {
            order,
            seller,
            buyer,
            at,
            pin_code,
            buyer_state,
            registration,
            lines,
            reservation,
            dispatch_by,
            ..
        } = event
        {
            if self.placed.is_none() {
                self.returned = Vec::new();
                self.placed = Some(Placed {
                    id: *order,
                    seller: *seller,
                    buyer: *buyer,
                    at: *at,
                    pin_code: *pin_code,
                    buyer_state: *buyer_state,
                    registration: *registration,
                    lines: lines.clone(),
                    reservation: *reservation,
                    dispatch_by: *dispatch_by,
                });
                self.status = Some(OrderStatus::Placed);
            }
            return;
        }
        let Some(placed) = &self.placed else {
            return;
        };
        if placed.id != event.order() {
            return;
        }
        match event {
            OrderEvent::OrderPlaced { .. } => {}
            OrderEvent::OrderPacked { .. } => self.status = Some(OrderStatus::Packed),
            OrderEvent::OrderDispatched { at, late, .. } => {
                self.status = Some(OrderStatus::Dispatched);
                self.dispatched_at = Some(*at);
                self.late = *late;
            }
            OrderEvent::OrderDelivered { at, .. } => {
                self.status = Some(OrderStatus::Delivered);
                self.delivered_at = Some(*at);
            }
            OrderEvent::OrderCancelled { cancelled_by, .. } => {
                self.status = Some(OrderStatus::Cancelled);
                self.cancelled_by = Some(*cancelled_by);
            }
            OrderEvent::OrderReturnedToOrigin { bucket, .. } => {
                self.status = Some(OrderStatus::ReturnedToOrigin);
                self.returned_to = Some(*bucket);
            }
            OrderEvent::OrderReturned { lines, .. } => {
                if self.returned.is_empty() {
                    self.returned = vec![0; placed.lines.len()];
                }
                for returned in lines {
                    if let Some(slot) = self.returned.get_mut(returned.line) {
                        *slot = slot.saturating_add(returned.quantity);
                    }
                }
                self.returns = self.returns.saturating_add(1);
                let all_back = placed
                    .lines
                    .iter()
                    .zip(&self.returned)
                    .all(|(line, &back)| back >= line.quantity);
                if all_back {
                    self.status = Some(OrderStatus::Returned);
                }
            }
        }
    }

    /// The order's id, once placed.
    pub fn id(&self) -> Option<OrderId> {
        self.placed.as_ref().map(|p| p.id)
    }

    /// Where it is in its life, once placed.
    pub fn status(&self) -> Option<OrderStatus> {
        self.status
    }

    /// The seller who ships it.
    pub fn seller(&self) -> Option<SellerId> {
        self.placed.as_ref().map(|p| p.seller)
    }

    /// The buyer.
    pub fn buyer(&self) -> Option<BuyerId> {
        self.placed.as_ref().map(|p| p.buyer)
    }

    /// When it was placed.
    pub fn placed_at(&self) -> Option<DateTime<Utc>> {
        self.placed.as_ref().map(|p| p.at)
    }

    /// The delivery PIN code.
    pub fn pin_code(&self) -> Option<PinCode> {
        self.placed.as_ref().map(|p| p.pin_code)
    }

    /// The place of supply: the buyer's state.
    pub fn buyer_state(&self) -> Option<StateCode> {
        self.placed.as_ref().map(|p| p.buyer_state)
    }

    /// The seller's GST standing at checkout.
    pub fn registration(&self) -> Option<GstRegistration> {
        self.placed.as_ref().map(|p| p.registration)
    }

    /// The lines (empty before the order is placed).
    pub fn lines(&self) -> &[OrderLine] {
        self.placed.as_ref().map_or(&[], |p| &p.lines)
    }

    /// The stock reservation held for the order.
    pub fn reservation(&self) -> Option<ReservationId> {
        self.placed.as_ref().map(|p| p.reservation)
    }

    /// The promised dispatch time.
    pub fn dispatch_by(&self) -> Option<DateTime<Utc>> {
        self.placed.as_ref().map(|p| p.dispatch_by)
    }

    /// When it was dispatched.
    pub fn dispatched_at(&self) -> Option<DateTime<Utc>> {
        self.dispatched_at
    }

    /// Whether it was dispatched after the promised time.
    pub fn dispatched_late(&self) -> bool {
        self.late
    }

    /// When it was delivered.
    pub fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.delivered_at
    }

    /// Units of line `line` the buyer returned.
    pub fn returned(&self, line: usize) -> u32 {
        self.returned.get(line).copied().unwrap_or(0)
    }

    /// What the buyer paid for the whole order.
    ///
    /// # Errors
    /// [`Error::Overflow`] beyond any real order.
    pub fn value(&self) -> Result<Money, Error> {
        Money::checked_sum(self.lines().iter().map(OrderLine::value)).ok_or(Error::Overflow {
            what: "order value",
        })
    }

    /// How many buyer's returns were recorded (numbers each return's stock movements).
    pub(crate) fn returns_recorded(&self) -> u16 {
        self.returns
    }
}
