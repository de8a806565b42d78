//! `select` → `on_select`: a quote priced by haat's GST rules, with ONDC's breakup.

use chrono::{DateTime, Utc};
use haat_catalogue::{Catalogue, GstRateTable, TaxBreakdown};
use haat_core::{ListingId, LocationId, Money, PinCode, StateCode, ist_date};
use haat_inventory::StockLedger;
use haat_seller::SellerStatus;

use crate::export::{DELIVERY_FULFILMENT, context};
use crate::format::{hours_duration, ondc_amount};
use crate::wire::Context;
use crate::wire_order::{
    Amount, BreakupItem, BreakupLine, ErrorBody, FulfillmentAnswer, ItemCount, OrderAnswer,
    OrderAnswerMessage, OrderCall, OrderCallback, OrderItem, ProviderRef, Quote, State,
    StateCode as FulfilmentState,
};
use crate::{Request, SellerApp, SellerProfile};

/// What a seller charges on every order besides the goods, tax included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Charges {
    /// Delivery.
    pub delivery: Money,
    /// Packing.
    pub packing: Money,
}

/// The seller's side of an order conversation: who it is, what it sells, at which rates.
#[derive(Clone, Copy, Debug)]
pub struct Counter<'a> {
    /// The seller app.
    pub app: &'a SellerApp,
    /// The seller.
    pub seller: &'a SellerProfile,
    /// Where the seller is in onboarding: only an active seller sells.
    pub status: SellerStatus,
    /// The catalogue holding the seller's listings.
    pub catalogue: &'a Catalogue,
    /// GST rates.
    pub rates: &'a GstRateTable,
    /// Delivery and packing charges.
    pub charges: Charges,
}

/// Why a line of a `select` cannot be quoted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LineRefusal {
    /// The item id is not one of the seller's live listings.
    #[error("item {item} is not on sale by this seller")]
    UnknownItem {
        /// The id sent.
        item: String,
    },
    /// Fewer pieces are available at the location than asked for.
    #[error("item {item}: {requested} asked for, {available} available")]
    QuantityUnavailable {
        /// The item.
        item: String,
        /// Pieces asked for.
        requested: u32,
        /// Pieces available.
        available: u64,
    },
    /// A non-GST seller may not sell outside its state.
    #[error("a non-GST seller of {seller_state:?} may not supply to {buyer_state:?}")]
    NotServiceable {
        /// The seller's state.
        seller_state: StateCode,
        /// The buyer's.
        buyer_state: StateCode,
    },
    /// The line could not be priced (a rate missing for the HSN code, an overflow).
    #[error("item {item} cannot be priced: {reason}")]
    Unpriced {
        /// The item.
        item: String,
        /// Why, in words.
        reason: String,
    },
}

impl LineRefusal {
    /// ONDC's error code for the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            LineRefusal::UnknownItem { .. } => "30004",
            LineRefusal::QuantityUnavailable { .. } => "40002",
            LineRefusal::NotServiceable { .. } => "30009",
            LineRefusal::Unpriced { .. } => "31001",
        }
    }
}

/// Why a request cannot be answered at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The order is for another provider than this seller.
    #[error("the order is for provider {provider}, not this seller")]
    OtherProvider {
        /// The provider named.
        provider: String,
    },
    /// The delivery address has no PIN code haat knows the state of.
    #[error("delivery PIN code {area_code:?} is not one haat knows the state of")]
    UnknownPinCode {
        /// What was sent.
        area_code: String,
    },
    /// The request has no lines.
    #[error("the order has no items")]
    NoItems,
    /// The seller is not active.
    #[error("the seller is {status:?}, not active")]
    SellerNotActive {
        /// Its status.
        status: SellerStatus,
    },
    /// The quote's total passes what an amount holds.
    #[error("the quote's total is too large")]
    TotalOverflow,
    /// A line names a quantity of zero.
    #[error("item {item} asks for no pieces")]
    ZeroQuantity {
        /// The item.
        item: String,
    },
}

/// One line priced: the listing, the pieces and the GST breakdown of the sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedLine {
    /// The item's id, as sent.
    pub item: String,
    /// The listing.
    pub listing: ListingId,
    /// Its title.
    pub title: String,
    /// The location it ships from.
    pub location: Option<LocationId>,
    /// Pieces.
    pub quantity: u32,
    /// The price of one piece, GST included.
    pub unit_price: Money,
    /// The sale's value split into taxable value and GST.
    pub tax: TaxBreakdown,
}

/// The buyer's PIN code and state from an order's first fulfilment.
pub(crate) fn place_of_supply(call: &OrderCall) -> Result<(PinCode, StateCode), RequestError> {
    let area_code = call
        .message
        .order
        .fulfillments
        .first()
        .and_then(|f| f.area_code())
        .unwrap_or("");
    let unknown = || RequestError::UnknownPinCode {
        area_code: area_code.to_owned(),
    };
    let pin: PinCode = area_code.parse().map_err(|_| unknown())?;
    match pin.location().map(|l| l.states()) {
        Some([state]) => Ok((pin, *state)),
        _ => Err(unknown()),
    }
}

/// Checks what makes a whole request unanswerable: another provider, an inactive seller, no
/// lines, a line of zero pieces.
pub(crate) fn check_request(counter: &Counter<'_>, call: &OrderCall) -> Result<(), RequestError> {
    let order = &call.message.order;
    if order.provider.id != counter.seller.seller.to_string() {
        return Err(RequestError::OtherProvider {
            provider: order.provider.id.clone(),
        });
    }
    if counter.status != SellerStatus::Active {
        return Err(RequestError::SellerNotActive {
            status: counter.status,
        });
    }
    if order.items.is_empty() {
        return Err(RequestError::NoItems);
    }
    if let Some(zero) = order.items.iter().find(|i| i.quantity.count == 0) {
        return Err(RequestError::ZeroQuantity {
            item: zero.id.clone(),
        });
    }
    Ok(())
}

/// Prices one line for a buyer in `buyer_state` at `now`: the seller's live listing at its
/// price, the rate for its HSN code, price per piece and IST date, and the GST split of the
/// sale (CGST + SGST or IGST; none for a non-GST seller, who may not sell outside its state).
/// With `stock`, the pieces must be available at the line's location. The same rate table and
/// `TaxBreakdown::for_sale` price a checkout, so a quote's tax is the order's.
pub fn price_line(
    counter: &Counter<'_>,
    item: &OrderItem,
    buyer_state: StateCode,
    stock: Option<&StockLedger>,
    now: DateTime<Utc>,
) -> Result<PricedLine, LineRefusal> {
    let unknown = || LineRefusal::UnknownItem {
        item: item.id.clone(),
    };
    let id: u64 = item.id.parse().map_err(|_| unknown())?;
    let listing = counter
        .catalogue
        .get(ListingId::new(id))
        .filter(|l| l.seller() == counter.seller.seller && l.is_active())
        .ok_or_else(unknown)?;
    let content = listing.live().ok_or_else(unknown)?;
    let location = item
        .location_id
        .as_deref()
        .and_then(|l| l.parse::<u64>().ok())
        .map(LocationId::new);
    if let Some(stock) = stock {
        let available = location.map_or(0, |at| {
            stock.available(counter.seller.seller, &content.sku, at, now)
        });
        if available < u64::from(item.quantity.count) {
            return Err(LineRefusal::QuantityUnavailable {
                item: item.id.clone(),
                requested: item.quantity.count,
                available,
            });
        }
    }
    let unpriced = |reason: String| LineRefusal::Unpriced {
        item: item.id.clone(),
        reason,
    };
    let registration = counter.seller.registration;
    registration
        .supply_to(buyer_state)
        .map_err(|_| LineRefusal::NotServiceable {
            seller_state: registration.state(),
            buyer_state,
        })?;
    let value = content
        .price
        .checked_mul(u64::from(item.quantity.count))
        .ok_or_else(|| unpriced("the line's value overflows".to_owned()))?;
    let rate = counter
        .rates
        .rate(&content.hsn, content.price, ist_date(now))
        .map_err(|e| unpriced(e.to_string()))?;
    let tax = TaxBreakdown::for_sale(value, rate, registration, buyer_state)
        .map_err(|e| unpriced(e.to_string()))?;
    Ok(PricedLine {
        item: item.id.clone(),
        listing: listing.id(),
        title: content.title.clone(),
        location,
        quantity: item.quantity.count,
        unit_price: content.price,
        tax,
    })
}

fn inr(amount: Money) -> Amount {
    Amount {
        currency: "INR".to_owned(),
        value: ondc_amount(amount),
    }
}

/// The quote of `lines` plus the seller's charges: per line its taxable value (`item`) and its
/// GST (`tax`), then delivery and packing; the total is their sum, to the paisa.
///
/// # Errors
/// [`RequestError::TotalOverflow`] if the total passes what [`Money`] holds.
pub fn quote_of(lines: &[PricedLine], charges: Charges) -> Result<Quote, RequestError> {
    let mut breakup = Vec::with_capacity(lines.len() * 2 + 2);
    let mut total = Some(Money::ZERO);
    let mut add = |amount: Money| {
        total = total.and_then(|t| t.checked_add(amount));
    };
    for line in lines {
        add(line.tax.taxable_value());
        breakup.push(BreakupLine {
            item_id: line.item.clone(),
            item_quantity: Some(ItemCount {
                count: line.quantity,
            }),
            title: line.title.clone(),
            title_type: "item".to_owned(),
            price: inr(line.tax.taxable_value()),
            item: Some(BreakupItem {
                price: inr(line.unit_price),
            }),
        });
        add(line.tax.tax());
        breakup.push(BreakupLine {
            item_id: line.item.clone(),
            item_quantity: None,
            title: "Tax".to_owned(),
            title_type: "tax".to_owned(),
            price: inr(line.tax.tax()),
            item: None,
        });
    }
    for (title, title_type, amount) in [
        ("Delivery charges", "delivery", charges.delivery),
        ("Packing charges", "packing", charges.packing),
    ] {
        add(amount);
        breakup.push(BreakupLine {
            item_id: DELIVERY_FULFILMENT.to_owned(),
            item_quantity: None,
            title: title.to_owned(),
            title_type: title_type.to_owned(),
            price: inr(amount),
            item: None,
        });
    }
    Ok(Quote {
        price: inr(total.ok_or(RequestError::TotalOverflow)?),
        breakup,
        ttl: "PT15M".to_owned(),
    })
}

/// The fulfilment of an answer, in `state`, to where the buyer app sent it.
pub(crate) fn fulfilment(
    counter: &Counter<'_>,
    call: &OrderCall,
    state: &str,
) -> FulfillmentAnswer {
    FulfillmentAnswer {
        id: DELIVERY_FULFILMENT.to_owned(),
        kind: "Delivery".to_owned(),
        provider_name: counter.seller.name.clone(),
        tracking: false,
        category: "Standard Delivery".to_owned(),
        tat: hours_duration(counter.seller.terms.time_to_ship_hours),
        state: State {
            descriptor: FulfilmentState {
                code: state.to_owned(),
            },
        },
        end: call
            .message
            .order
            .fulfillments
            .first()
            .map(|f| f.end.clone()),
    }
}

/// The context of an answer to `call`, as `action`.
pub(crate) fn answer_context(
    counter: &Counter<'_>,
    call: &OrderCall,
    action: &str,
    now: DateTime<Utc>,
) -> Context {
    let asked = &call.context;
    let request = Request {
        bap_id: asked.bap_id.clone(),
        bap_uri: asked.bap_uri.clone(),
        city: asked.city.clone(),
        transaction_id: asked.transaction_id.clone(),
        message_id: asked.message_id.clone(),
    };
    context(counter.app, &request, &asked.domain, action, now)
}

/// Answers a `select` at `now`: every line the seller can serve priced and taxed, the quote's
/// breakup, and for the lines it cannot (unknown, not enough stock at the location, a non-GST
/// seller outside its state) an ONDC error naming each; a line refused is left out of the
/// quote. The fulfilment is `Serviceable` when every line is quoted.
///
/// # Errors
/// A [`RequestError`] when the request as a whole cannot be answered.
pub fn on_select(
    counter: &Counter<'_>,
    select: &OrderCall,
    stock: &StockLedger,
    now: DateTime<Utc>,
) -> Result<OrderCallback, RequestError> {
    quote_answer(counter, select, stock, now, "on_select")
}

/// Answers an `init` at `now`: the quote of [`on_select`] again (prices and stock as they are
/// now), with the buyer's billing details and payment echoed; nothing is reserved until the
/// `confirm`.
///
/// # Errors
/// A [`RequestError`] when the request as a whole cannot be answered.
pub fn on_init(
    counter: &Counter<'_>,
    init: &OrderCall,
    stock: &StockLedger,
    now: DateTime<Utc>,
) -> Result<OrderCallback, RequestError> {
    let mut answer = quote_answer(counter, init, stock, now, "on_init")?;
    answer.message.order.billing = init.message.order.billing.clone();
    answer.message.order.payment = init.message.order.payment.clone();
    Ok(answer)
}

fn quote_answer(
    counter: &Counter<'_>,
    select: &OrderCall,
    stock: &StockLedger,
    now: DateTime<Utc>,
    action: &str,
) -> Result<OrderCallback, RequestError> {
    check_request(counter, select)?;
    let (_, buyer_state) = place_of_supply(select)?;
    let mut lines = Vec::new();
    let mut refusals = Vec::new();
    for item in &select.message.order.items {
        match price_line(counter, item, buyer_state, Some(stock), now) {
            Ok(line) => lines.push(line),
            Err(refusal) => refusals.push(refusal),
        }
    }
    let error = refusals.first().map(|first| ErrorBody {
        kind: "DOMAIN-ERROR".to_owned(),
        code: first.code().to_owned(),
        message: refusals
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
    });
    let state = if refusals.is_empty() {
        "Serviceable"
    } else {
        "Non-serviceable"
    };
    let order = OrderAnswer {
        id: None,
        state: None,
        provider: ProviderRef {
            id: counter.seller.seller.to_string(),
            locations: Vec::new(),
        },
        items: lines
            .iter()
            .map(|line| OrderItem {
                id: line.item.clone(),
                fulfillment_id: Some(DELIVERY_FULFILMENT.to_owned()),
                location_id: line.location.map(|l| l.to_string()),
                quantity: ItemCount {
                    count: line.quantity,
                },
            })
            .collect(),
        fulfillments: vec![fulfilment(counter, select, state)],
        quote: quote_of(&lines, counter.charges)?,
        billing: None,
        payment: None,
        created_at: None,
        updated_at: None,
    };
    Ok(OrderCallback {
        context: answer_context(counter, select, action, now),
        message: OrderAnswerMessage { order },
        error,
    })
}
