//! The parts of ONDC's order messages haat reads and writes: `select` → `on_select`,
//! `confirm` → `on_confirm`, `status` → `on_status`, `cancel` → `on_cancel`.
//!
//! Requests are read leniently (fields haat does not use are ignored); what a buyer app sends
//! that the answer must repeat (billing, payment, the delivery address) is kept as JSON and
//! echoed unchanged.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::wire::Context;

/// An id reference (`{"id": "1004"}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdRef {
    /// The id.
    pub id: String,
}

/// The provider an order is with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderRef {
    /// The provider's id (the seller's).
    pub id: String,
    /// The locations named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<IdRef>,
}

/// A number of pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemCount {
    /// Pieces.
    pub count: u32,
}

/// One line of a buyer's order: an item, where it ships from, how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderItem {
    /// The item's id (the listing's).
    pub id: String,
    /// The fulfilment it ships by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfillment_id: Option<String>,
    /// The location it ships from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// How many.
    pub quantity: ItemCount,
}

/// A fulfilment as a buyer app sends it: where it goes (`end`), kept whole to echo back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FulfillmentRequest {
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `Delivery`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Where it goes: `location.address.area_code` is the buyer's PIN code.
    pub end: Value,
}

impl FulfillmentRequest {
    /// The delivery PIN code as sent.
    pub fn area_code(&self) -> Option<&str> {
        self.end["location"]["address"]["area_code"].as_str()
    }
}

/// A buyer app's order as `select`, `init` and `confirm` send it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderRequest {
    /// The order's id, as the buyer app numbers it (`confirm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The provider.
    pub provider: ProviderRef,
    /// The lines.
    pub items: Vec<OrderItem>,
    /// Where it goes.
    pub fulfillments: Vec<FulfillmentRequest>,
    /// The billing details (`init`, `confirm`), echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<Value>,
    /// The payment (`confirm`), echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<Value>,
}

/// The message of a `select`, `init` or `confirm`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderMessage {
    /// The order.
    pub order: OrderRequest,
}

/// A `select`, `init` or `confirm` request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderCall {
    /// Who, what, when.
    pub context: Context,
    /// The order.
    pub message: OrderMessage,
}

/// An amount in rupees (`{"currency": "INR", "value": "790.00"}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// `INR`.
    pub currency: String,
    /// Rupees with two decimals.
    pub value: String,
}

/// What a breakup line of an item repeats of the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakupItem {
    /// The price of one piece, GST included.
    pub price: Amount,
}

/// One line of a quote's breakup: an item's taxable value, its tax, delivery, packing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakupLine {
    /// The item (or, for delivery and packing, the fulfilment) the line is for.
    #[serde(rename = "@ondc/org/item_id")]
    pub item_id: String,
    /// Pieces, for an item line.
    #[serde(
        rename = "@ondc/org/item_quantity",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub item_quantity: Option<ItemCount>,
    /// What the line is, in words.
    pub title: String,
    /// `item`, `tax`, `delivery`, `packing`.
    #[serde(rename = "@ondc/org/title_type")]
    pub title_type: String,
    /// The line's amount.
    pub price: Amount,
    /// The item's price of one piece, for an item line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<BreakupItem>,
}

/// A quote: its total and the breakup that adds up to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The total.
    pub price: Amount,
    /// The lines, adding up to the total.
    pub breakup: Vec<BreakupLine>,
    /// How long the quote holds (`PT15M`).
    pub ttl: String,
}

/// The state of a fulfilment (`{"descriptor": {"code": "Serviceable"}}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// The state's descriptor.
    pub descriptor: StateCode,
}

/// A state's code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCode {
    /// The code (`Serviceable`, `Pending`, `Order-delivered`, ...).
    pub code: String,
}

/// A fulfilment as the seller app answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FulfillmentAnswer {
    /// Its id.
    pub id: String,
    /// `Delivery`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The seller's name.
    #[serde(rename = "@ondc/org/provider_name")]
    pub provider_name: String,
    /// Whether tracking is offered.
    pub tracking: bool,
    /// `Standard Delivery`.
    #[serde(rename = "@ondc/org/category")]
    pub category: String,
    /// The promised time to deliver (`PT48H`).
    #[serde(rename = "@ondc/org/TAT")]
    pub tat: String,
    /// Its state.
    pub state: State,
    /// Where it goes, as the buyer app sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Value>,
}

/// An order as the seller app answers it: the quote, and once placed its id and state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderAnswer {
    /// The order's id (haat's), once placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `Accepted`, `In-progress`, `Completed`, `Cancelled`, once placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The provider.
    pub provider: ProviderRef,
    /// The lines quoted or placed.
    pub items: Vec<OrderItem>,
    /// The fulfilment.
    pub fulfillments: Vec<FulfillmentAnswer>,
    /// The quote.
    pub quote: Quote,
    /// The billing details, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<Value>,
    /// The payment, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<Value>,
    /// When it was placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When it last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// The message of an answer about an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderAnswerMessage {
    /// The order.
    pub order: OrderAnswer,
}

/// An ONDC error: a type, a code and a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// `DOMAIN-ERROR`.
    #[serde(rename = "type")]
    pub kind: String,
    /// ONDC's code (`40002`: quantity unavailable; `30009`: not serviceable; `30004`: item not
    /// found).
    pub code: String,
    /// What went wrong, in words.
    pub message: String,
}

/// An answer about an order: `on_select`, `on_confirm`, `on_status`, `on_cancel`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderCallback {
    /// Who, what, when.
    pub context: Context,
    /// The order.
    pub message: OrderAnswerMessage,
    /// What could not be done, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}
