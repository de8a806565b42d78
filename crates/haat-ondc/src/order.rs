//! `confirm` → `on_confirm` through haat-orders' checkout, and `status` and `cancel` mapped to
//! the order's life.

use chrono::{DateTime, Duration, Utc};
use haat_catalogue::ListingStatus;
use haat_core::{Actor, ListingId, OrderId};
use haat_inventory::{Allocator, IdempotencyKey, StockLedger};
use haat_orders::{
    BuyerId, CancelledBy, Cart, CartLine, CheckoutRequest, CheckoutTerms, ListingView, Market,
    Order, OrderBook, OrderCommand, OrderStatus, SellerView, ShelfSnapshot,
};

use crate::export::DELIVERY_FULFILMENT;
use crate::format::ondc_timestamp;
use crate::quote::{
    Counter, PricedLine, RequestError, answer_context, check_request, fulfilment, place_of_supply,
    quote_of,
};
use crate::wire_order::{
    ItemCount, OrderAnswer, OrderAnswerMessage, OrderCall, OrderCallback, OrderItem, ProviderRef,
};

/// Why a `confirm`, `status` or `cancel` was not carried out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OrderError {
    /// The request cannot be answered at all.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A line names an item that is not a listing id.
    #[error("item {item} is not on sale by this seller")]
    UnknownItem {
        /// The id sent.
        item: String,
    },
    /// haat's checkout or the order refused (stock, pricing, a non-GST seller outside its
    /// state, a step the order's state does not allow, a transaction confirmed with another
    /// cart).
    #[error(transparent)]
    Order(#[from] haat_orders::Error),
    /// The order named is not in the book.
    #[error("order {order} is not known")]
    UnknownOrder {
        /// The id sent.
        order: String,
    },
}

/// The checkout idempotency key of an ONDC transaction: a buyer app retrying a `confirm` (the
/// same transaction) gets the first outcome, and nothing is reserved twice. The key is the
/// 128-bit FNV-1a hash of the transaction id: stable across builds and restarts.
///
/// ```
/// let key = haat_ondc::checkout_key("T-2026-0001");
/// assert_eq!(key, haat_ondc::checkout_key("T-2026-0001"));
/// assert_ne!(key, haat_ondc::checkout_key("T-2026-0002"));
/// ```
pub fn checkout_key(transaction_id: &str) -> IdempotencyKey {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let hash = transaction_id
        .bytes()
        .fold(OFFSET, |h, b| (h ^ u128::from(b)).wrapping_mul(PRIME));
    IdempotencyKey::new(hash)
}

/// The read views checkout prices from: the seller, and its listings the order names.
fn shelf(counter: &Counter<'_>, call: &OrderCall) -> Result<ShelfSnapshot, OrderError> {
    let mut shelf = ShelfSnapshot::default();
    shelf.put_seller(SellerView {
        seller: counter.seller.seller,
        status: counter.status,
        registration: counter.seller.registration,
    });
    for item in &call.message.order.items {
        let unknown = || OrderError::UnknownItem {
            item: item.id.clone(),
        };
        let id: u64 = item.id.parse().map_err(|_| unknown())?;
        let listing = counter
            .catalogue
            .get(ListingId::new(id))
            .filter(|l| l.seller() == counter.seller.seller)
            .ok_or_else(unknown)?;
        let Some(live) = listing.live() else {
            return Err(unknown());
        };
        shelf.put_listing(ListingView {
            listing: listing.id(),
            seller: listing.seller(),
            sku: listing.sku().clone(),
            category: live.category.clone(),
            hsn: live.hsn,
            price: live.price,
            mrp: live.mrp.unwrap_or(live.price),
            live: listing.status() == ListingStatus::Active,
            return_days: counter.seller.terms.return_days,
        });
    }
    Ok(shelf)
}

/// The lines of a placed order as priced lines, titled from the catalogue.
fn priced_lines(counter: &Counter<'_>, order: &Order) -> Vec<PricedLine> {
    order
        .lines()
        .iter()
        .map(|line| PricedLine {
            item: line.listing.to_string(),
            listing: line.listing,
            title: counter
                .catalogue
                .get(line.listing)
                .and_then(|l| l.live())
                .map(|c| c.title.clone())
                .unwrap_or_else(|| line.sku.to_string()),
            location: Some(line.location),
            quantity: line.quantity,
            unit_price: line.unit_price,
            tax: line.tax,
        })
        .collect()
}

/// ONDC's order state and fulfilment state for haat's order status.
pub fn ondc_states(status: OrderStatus) -> (&'static str, &'static str) {
    match status {
        OrderStatus::Placed => ("Accepted", "Pending"),
        OrderStatus::Packed => ("In-progress", "Packed"),
        OrderStatus::Dispatched => ("In-progress", "Order-picked-up"),
        OrderStatus::Delivered | OrderStatus::Returned => ("Completed", "Order-delivered"),
        OrderStatus::Cancelled => ("Cancelled", "Cancelled"),
        OrderStatus::ReturnedToOrigin => ("Cancelled", "RTO-Delivered"),
        // A status added to haat-orders later: the order exists and has not ended.
        _ => ("In-progress", "Pending"),
    }
}

/// The answer about `order` to `call`, as `action`.
fn order_answer(
    counter: &Counter<'_>,
    call: &OrderCall,
    order: &Order,
    action: &str,
    now: DateTime<Utc>,
) -> Result<OrderCallback, OrderError> {
    let status = order.status().unwrap_or(OrderStatus::Placed);
    let (state, fulfilment_state) = ondc_states(status);
    let lines = priced_lines(counter, order);
    let asked = &call.message.order;
    let answer = OrderAnswer {
        id: order.id().map(|id| id.to_string()),
        state: Some(state.to_owned()),
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
        fulfillments: vec![fulfilment(counter, call, fulfilment_state)],
        quote: quote_of(&lines, counter.charges)?,
        billing: asked.billing.clone(),
        payment: asked.payment.clone(),
        created_at: order.placed_at().map(ondc_timestamp),
        updated_at: Some(ondc_timestamp(now)),
    };
    Ok(OrderCallback {
        context: answer_context(counter, call, action, now),
        message: OrderAnswerMessage { order: answer },
        error: None,
    })
}

/// What a confirm needs besides the seller's counter: the order book, the stock ledger, the
/// fulfilment network's allocator, and who the buyer is in haat.
pub struct Checkout<'a, 'n> {
    /// The orders.
    pub book: &'a mut OrderBook,
    /// The seller's stock.
    pub stock: &'a mut StockLedger,
    /// Where lines ship from.
    pub allocator: &'a Allocator<'n>,
    /// The buyer, as the seller app knows the buyer app's customer.
    pub buyer: BuyerId,
}

/// Answers a `confirm` at `now`: the order placed through haat-orders' checkout
/// (`OrderBook::checkout`: priced from the live listings, taxed, allocated, reserved, all
/// lines or none), under the transaction's [`checkout_key`], so a retried confirm answers the
/// same order and reserves nothing more. The answer's quote is the placed order's lines.
///
/// # Errors
/// [`OrderError::Request`] for a request that cannot be answered, [`OrderError::UnknownItem`],
/// and whatever checkout refuses ([`OrderError::Order`]).
pub fn on_confirm(
    counter: &Counter<'_>,
    checkout: Checkout<'_, '_>,
    confirm: &OrderCall,
    now: DateTime<Utc>,
) -> Result<OrderCallback, OrderError> {
    check_request(counter, confirm)?;
    let (pin_code, _) = place_of_supply(confirm)?;
    let shelf = shelf(counter, confirm)?;
    let cart = Cart {
        buyer: checkout.buyer,
        pin_code,
        lines: confirm
            .message
            .order
            .items
            .iter()
            .filter_map(|item| {
                Some(CartLine {
                    listing: ListingId::new(item.id.parse().ok()?),
                    quantity: item.quantity.count,
                })
            })
            .collect(),
    };
    let hours = i64::from(counter.seller.terms.time_to_ship_hours);
    let market = Market {
        shelf: &shelf,
        rates: counter.rates,
        allocator: checkout.allocator,
        terms: CheckoutTerms {
            dispatch_within: Duration::hours(hours),
            ..CheckoutTerms::default()
        },
    };
    let request = CheckoutRequest {
        actor: Actor::System,
        key: checkout_key(&confirm.context.transaction_id),
        cart,
    };
    let placement = checkout
        .book
        .checkout(&market, checkout.stock, &request, now)?;
    let order = placement
        .orders
        .first()
        .and_then(|id| checkout.book.order(*id))
        .ok_or_else(|| OrderError::UnknownOrder {
            order: String::new(),
        })?;
    order_answer(counter, confirm, order, "on_confirm", now)
}

/// The order a `status` or `cancel` names (`message.order_id`).
fn named_order<'b>(book: &'b OrderBook, order_id: &str) -> Result<&'b Order, OrderError> {
    let unknown = || OrderError::UnknownOrder {
        order: order_id.to_owned(),
    };
    let id: u64 = order_id.parse().map_err(|_| unknown())?;
    book.order(OrderId::new(id)).ok_or_else(unknown)
}

/// Answers a `status` for `order_id` at `now`: the order's lines and quote, its state and its
/// fulfilment's state as ONDC names them ([`ondc_states`]). `call` is the confirm the order
/// came from or any call in its transaction carrying the delivery address to echo.
///
/// # Errors
/// [`OrderError::UnknownOrder`].
pub fn on_status(
    counter: &Counter<'_>,
    book: &OrderBook,
    call: &OrderCall,
    order_id: &str,
    now: DateTime<Utc>,
) -> Result<OrderCallback, OrderError> {
    let order = named_order(book, order_id)?;
    order_answer(counter, call, order, "on_status", now)
}

/// Answers a buyer's `cancel` of `order_id` at `now`: the order cancelled by the buyer through
/// `OrderBook::execute` (which releases its reservation), if its state allows (before
/// dispatch).
///
/// # Errors
/// [`OrderError::UnknownOrder`], and what the order refuses ([`OrderError::Order`]: already
/// dispatched, already cancelled).
pub fn on_cancel(
    counter: &Counter<'_>,
    book: &mut OrderBook,
    stock: &mut StockLedger,
    call: &OrderCall,
    order_id: &str,
    now: DateTime<Utc>,
) -> Result<OrderCallback, OrderError> {
    let id = named_order(book, order_id)?
        .id()
        .ok_or_else(|| OrderError::UnknownOrder {
            order: order_id.to_owned(),
        })?;
    let command = OrderCommand::Cancel {
        actor: Actor::System,
        order: id,
        cancelled_by: CancelledBy::Buyer,
    };
    book.execute(stock, &command, now)?;
    let order = named_order(book, order_id)?;
    order_answer(counter, call, order, "on_cancel", now)
}
