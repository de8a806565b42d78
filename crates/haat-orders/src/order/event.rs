//! What happens to an order: the events a service stores, and the values they carry.

use std::fmt;

use chrono::{DateTime, Utc};
use haat_catalogue::{CategoryId, GstRegistration, HsnCode, TaxBreakdown};
use haat_core::{Actor, ListingId, LocationId, Money, OrderId, PinCode, SellerId, Sku, StateCode};
use haat_inventory::{ReservationId, ReturnCondition};
use serde::{Deserialize, Serialize};

/// A buyer on the marketplace. Buyers never send commands themselves: the marketplace acts for
/// them (as [`Actor::System`] or operations staff), so a buyer is named in what it asks for,
/// not as an [`Actor`].
///
/// ```
/// use haat_orders::BuyerId;
/// assert_eq!(BuyerId::new(12).to_string(), "12");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BuyerId(u64);

impl BuyerId {
    /// Wraps a raw number.
    pub const fn new(raw: u64) -> BuyerId {
        BuyerId(raw)
    }

    /// The raw number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for BuyerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// One line of a placed order, priced and taxed at checkout and fixed from then on: a later
/// change to the listing's price or to the rate table does not reach an order already placed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderLine {
    /// The listing bought.
    pub listing: ListingId,
    /// The seller's SKU (with the seller and location, the stock cell).
    pub sku: Sku,
    /// The listing's category (commission, return window).
    pub category: CategoryId,
    /// The listing's HSN code.
    pub hsn: HsnCode,
    /// Where the line ships from (allocated at checkout, reserved there).
    pub location: LocationId,
    /// Pieces.
    pub quantity: u32,
    /// The tax-inclusive price of one piece the buyer saw.
    pub unit_price: Money,
    /// The maximum retail price of one piece printed on the goods, at checkout.
    pub mrp: Money,
    /// The line's value (`unit_price × quantity`) split into taxable value and GST.
    pub tax: TaxBreakdown,
    /// Days after delivery within which the buyer may return the line (the category's
    /// window; 0: not returnable).
    pub return_days: u16,
}

impl OrderLine {
    /// What the buyer paid for the line: `unit_price × quantity`, GST included.
    pub fn value(&self) -> Money {
        self.tax.price()
    }
}

/// Who cancelled an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelledBy {
    /// The buyer, through the marketplace.
    Buyer,
    /// The seller (for example, unable to fulfil).
    Seller,
    /// The marketplace (for example, a payment or policy failure).
    Marketplace,
}

/// Where returned units go in the seller's stock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnBucket {
    /// Fit to sell again: back to available.
    Sellable,
    /// Damaged: kept apart from available.
    Damaged,
}

impl ReturnBucket {
    /// The ledger's name for the same bucket.
    pub fn condition(self) -> ReturnCondition {
        match self {
            ReturnBucket::Sellable => ReturnCondition::Restock,
            ReturnBucket::Damaged => ReturnCondition::Damaged,
        }
    }
}

/// Units of one order line coming back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReturnedLine {
    /// The line's index in the order.
    pub line: usize,
    /// Units returned.
    pub quantity: u32,
    /// Where they go.
    pub bucket: ReturnBucket,
}

/// What happened to an order. Events are the contract: they serialise to a stable, tagged JSON
/// form (golden files under `tests/golden` pin it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrderEvent {
    /// A checkout placed the order: lines priced, taxed, allocated and reserved.
    OrderPlaced {
        /// The order.
        order: OrderId,
        /// The one seller who ships, invoices and is paid for it.
        seller: SellerId,
        /// Who bought.
        buyer: BuyerId,
        /// When.
        at: DateTime<Utc>,
        /// Who placed it (the marketplace, for the buyer).
        by: Actor,
        /// Where it is delivered.
        pin_code: PinCode,
        /// The place of supply: the state of the delivery PIN code.
        buyer_state: StateCode,
        /// The seller's GST standing at checkout (CGST + SGST, IGST, or none).
        registration: GstRegistration,
        /// The lines, in cart order.
        lines: Vec<OrderLine>,
        /// The stock held for the order.
        reservation: ReservationId,
        /// When the seller promised to dispatch by.
        dispatch_by: DateTime<Utc>,
    },
    /// The seller packed the order.
    OrderPacked {
        /// The order.
        order: OrderId,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: Actor,
    },
    /// The order left with the courier; its reservation was committed.
    OrderDispatched {
        /// The order.
        order: OrderId,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: Actor,
        /// Whether it left after the promised dispatch time.
        late: bool,
    },
    /// The buyer received the order.
    OrderDelivered {
        /// The order.
        order: OrderId,
        /// When.
        at: DateTime<Utc>,
        /// Who recorded it.
        by: Actor,
    },
    /// The order was cancelled before dispatch; its reservation was released.
    OrderCancelled {
        /// The order.
        order: OrderId,
        /// When.
        at: DateTime<Utc>,
        /// Who recorded it.
        by: Actor,
        /// Whose decision it was.
        cancelled_by: CancelledBy,
    },
    /// The courier could not deliver and brought the order back to its origin.
    OrderReturnedToOrigin {
        /// The order.
        order: OrderId,
        /// When it arrived back.
        at: DateTime<Utc>,
        /// Who recorded it.
        by: Actor,
        /// Where its units went.
        bucket: ReturnBucket,
    },
    /// The buyer returned units within the return window and was refunded.
    OrderReturned {
        /// The order.
        order: OrderId,
        /// When the return was received.
        at: DateTime<Utc>,
        /// Who recorded it.
        by: Actor,
        /// What came back.
        lines: Vec<ReturnedLine>,
        /// What the buyer gets back: the price paid for the returned units.
        refund: Money,
    },
}

impl OrderEvent {
    /// The order the event is about.
    pub fn order(&self) -> OrderId {
        match self {
            OrderEvent::OrderPlaced { order, .. }
            | OrderEvent::OrderPacked { order, .. }
            | OrderEvent::OrderDispatched { order, .. }
            | OrderEvent::OrderDelivered { order, .. }
            | OrderEvent::OrderCancelled { order, .. }
            | OrderEvent::OrderReturnedToOrigin { order, .. }
            | OrderEvent::OrderReturned { order, .. } => *order,
        }
    }

    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            OrderEvent::OrderPlaced { at, .. }
            | OrderEvent::OrderPacked { at, .. }
            | OrderEvent::OrderDispatched { at, .. }
            | OrderEvent::OrderDelivered { at, .. }
            | OrderEvent::OrderCancelled { at, .. }
            | OrderEvent::OrderReturnedToOrigin { at, .. }
            | OrderEvent::OrderReturned { at, .. } => *at,
        }
    }

    /// The event's type, as in its JSON `type` field.
    pub fn kind(&self) -> &'static str {
        match self {
            OrderEvent::OrderPlaced { .. } => "order_placed",
            OrderEvent::OrderPacked { .. } => "order_packed",
            OrderEvent::OrderDispatched { .. } => "order_dispatched",
            OrderEvent::OrderDelivered { .. } => "order_delivered",
            OrderEvent::OrderCancelled { .. } => "order_cancelled",
            OrderEvent::OrderReturnedToOrigin { .. } => "order_returned_to_origin",
            OrderEvent::OrderReturned { .. } => "order_returned",
        }
    }
}
