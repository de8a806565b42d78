//! Stock and orders: receiving stock, the seller's stock, checkout, an order's life.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Json;
use axum::extract::{Path, State};
use haat::catalogue::{GstRateTable, GstRegistration};
use haat::core::{Actor, ListingId, LocationId, OrderId, PinCode, SellerId, Sku};
use haat::inventory::{Allocator, Command, IdempotencyKey, Operation, Receipt, StockKey};
use haat::orders::{
    BuyerId, CancelledBy, Cart, CartLine, CheckoutRequest, CheckoutTerms, ListingView, Market,
    Order, OrderCommand, OrderEvent, ReturnBucket, ReturnedLine, SellerView, ShelfSnapshot,
};
use haat::seller::{GstStatus, Seller};
use haat_store::{
    CommandHandler, CommandId, HandlerError, InvoiceCommand, ListingState, SellerInvoices,
    SellerStock,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Outcome, derived, meta};
use crate::hub::{Hub, Ids, now};
use crate::problem::{Body, Caller, Idempotency, Problem, handler_problem, path_id, refusal};

/// Stock received at a location.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Receipt_ {
    /// The SKU.
    #[schema(value_type = String)]
    pub sku: Sku,
    /// The location (a fulfilment centre or the seller's own premises).
    pub location: u64,
    /// Good units received, straight to available.
    pub quantity: u64,
    /// The purchase order or delivery note it came on.
    pub purchase_order: String,
}

/// Receives stock: the inbound expected and received in one request, two ledger commands.
#[utoipa::path(post, path = "/api/sellers/{seller}/stock", tag = "stock",
    params(("seller" = u64, Path, description = "The seller's id")),
    request_body = Receipt_,
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn receive_stock(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Body(body): Body<Receipt_>,
) -> Result<Json<Outcome>, Problem> {
    let seller: SellerId = path_id("seller", &raw)?;
    if !actor.may_act_for(seller) {
        return Err(Problem::forbidden(format!(
            "{actor} may not receive stock for seller {seller}"
        )));
    }
    let key = StockKey::new(seller, body.sku, LocationId::new(body.location));
    let expect_id = derived(command.as_ref(), "expect")?;
    let receive_id = derived(command.as_ref(), "receive")?;
    hub.blocking(move |hub| {
        let handler = CommandHandler::new(&*hub.store);
        let expect = Command::new(
            actor,
            ledger_key(expect_id.as_ref()),
            Operation::ExpectInbound {
                key: key.clone(),
                quantity: body.quantity,
                purchase_order: body.purchase_order.clone(),
            },
        );
        handler
            .handle::<SellerStock>(&(), &seller, &expect, &meta(actor, expect_id))
            .map_err(stock_problem)?;
        let receive = Command::new(
            actor,
            ledger_key(receive_id.as_ref()),
            Operation::ReceiveInbound {
                key,
                purchase_order: body.purchase_order,
                good: body.quantity,
                damaged: 0,
                into: Receipt::Available,
            },
        );
        handler
            .handle::<SellerStock>(&(), &seller, &receive, &meta(actor, receive_id))
            .map(|done| Json(Outcome::of(done)))
            .map_err(stock_problem)
    })
    .await
}

/// One cell of a seller's stock.
#[derive(Debug, Serialize, ToSchema)]
pub struct Cell {
    /// The SKU.
    pub sku: String,
    /// The location.
    pub location: u64,
    /// Units free to sell now.
    pub available: u64,
    /// Units by bucket (`available`, `reserved`, `committed`, ...).
    #[schema(value_type = Object)]
    pub buckets: serde_json::Value,
}

/// A seller's stock, cell by cell.
#[utoipa::path(get, path = "/api/sellers/{seller}/stock", tag = "stock",
    params(("seller" = u64, Path, description = "The seller's id")),
    security(("api_key" = [])),
    responses((status = 200, body = Vec<Cell>), (status = 403, body = Problem)))]
pub async fn stock(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Path(raw): Path<String>,
) -> Result<Json<Vec<Cell>>, Problem> {
    let seller: SellerId = path_id("seller", &raw)?;
    if !actor.may_act_for(seller) {
        return Err(Problem::forbidden(format!(
            "{actor} may not read seller {seller}'s stock"
        )));
    }
    hub.blocking(move |hub| {
        let ledger = CommandHandler::new(&*hub.store)
            .load::<SellerStock>(&seller)
            .map_err(stock_problem)?
            .state
            .0;
        let levels = ledger.levels();
        let at = now();
        Ok(Json(
            levels
                .iter()
                .map(|(key, quantities)| Cell {
                    sku: key.sku().to_string(),
                    location: key.location().get(),
                    available: ledger.available(key.seller(), key.sku(), key.location(), at),
                    buckets: serde_json::to_value(quantities).unwrap_or_default(),
                })
                .collect(),
        ))
    })
    .await
}

/// A buyer's cart: one seller's listings (a cart spanning sellers is checked out per seller).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutBody {
    /// The buyer.
    pub buyer: u64,
    /// The delivery PIN code.
    #[schema(value_type = String, example = "700001")]
    pub pin_code: PinCode,
    /// The lines.
    pub lines: Vec<Line>,
}

/// A cart line.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The listing.
    pub listing: u64,
    /// Units.
    pub quantity: u32,
}

/// Checks a cart out (the storefront's staff key): stock reserved, the order placed. The
/// same `Idempotency-Key` answers the first order, placed once.
#[utoipa::path(post, path = "/api/orders", tag = "orders",
    request_body = CheckoutBody,
    security(("api_key" = [])),
    responses((status = 201, body = Outcome), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn checkout(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Body(body): Body<CheckoutBody>,
) -> Result<(axum::http::StatusCode, Json<Outcome>), Problem> {
    if !actor.is_operations() {
        return Err(Problem::forbidden(format!(
            "{actor} may not check out: carts are the storefront's"
        )));
    }
    if body.lines.is_empty() {
        return Err(Problem::bad_field(
            "body.lines",
            "a cart needs at least one line",
        ));
    }
    hub.blocking(move |hub| {
        let handler = CommandHandler::new(&*hub.store);
        let lines: Vec<CartLine> = body
            .lines
            .iter()
            .map(|l| CartLine {
                listing: ListingId::new(l.listing),
                quantity: l.quantity,
            })
            .collect();
        let shelf = shelf_of(&handler, &lines)?;
        let allocator = Allocator::new(&hub.network);
        let market = Market {
            shelf: &shelf,
            rates: GstRateTable::india(),
            allocator: &allocator,
            terms: CheckoutTerms::default(),
        };
        let request = CheckoutRequest {
            actor: Actor::System,
            key: ledger_key(command.as_ref()),
            cart: Cart {
                buyer: BuyerId::new(body.buyer),
                pin_code: body.pin_code,
                lines,
            },
        };
        let meta = meta(actor, command);
        loop {
            let order = OrderId::new(Ids::next(&hub.ids.order));
            match handler.checkout(&market, order, &request, &meta) {
                Err(HandlerError::StreamExists { .. }) => continue,
                other => {
                    return other
                        .map(|done| (axum::http::StatusCode::CREATED, Json(Outcome::of(done))))
                        .map_err(order_problem);
                }
            }
        }
    })
    .await
}

/// The sellers and listings a cart names, as checkout reads them, from their streams.
pub fn shelf_of<S: haat_store::EventStore + ?Sized>(
    handler: &CommandHandler<'_, S>,
    lines: &[CartLine],
) -> Result<ShelfSnapshot, Problem> {
    let mut shelf = ShelfSnapshot::default();
    let mut sellers = Vec::new();
    for line in lines {
        let listing = line.listing;
        let state = handler
            .load::<ListingState>(&listing)
            .map_err(super::listings::listing_problem)?
            .state;
        let Some(l) = state.0 else { continue };
        let content = l.live().unwrap_or(l.content());
        shelf.put_listing(ListingView {
            listing,
            seller: l.seller(),
            sku: l.sku().clone(),
            category: content.category.clone(),
            hsn: content.hsn,
            price: content.price,
            mrp: content.mrp.unwrap_or(content.price),
            live: l.is_active(),
            return_days: 7,
        });
        if !sellers.contains(&l.seller()) {
            sellers.push(l.seller());
        }
    }
    for seller in sellers {
        let s = handler
            .load::<Seller>(&seller)
            .map_err(super::sellers::seller_problem)?
            .state;
        if let (Some(status), Some(kyc)) = (s.status(), s.kyc()) {
            let registration = match &kyc.gst {
                GstStatus::Registered(gstin) => GstRegistration::Registered {
                    state: gstin.state_code(),
                },
                GstStatus::NonGst(number) => GstRegistration::NonGst {
                    state: number.state_code(),
                },
            };
            shelf.put_seller(SellerView {
                seller,
                status,
                registration,
            });
        }
    }
    Ok(shelf)
}

/// An order: its seller, status and events.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderView {
    /// The order.
    pub order: u64,
    /// Its seller.
    pub seller: u64,
    /// Its status.
    pub status: String,
    /// The stream's version.
    pub version: u64,
    /// Its events, in order.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<serde_json::Value>,
}

/// An order. A seller's key reads only its own orders.
#[utoipa::path(get, path = "/api/orders/{order}", tag = "orders",
    params(("order" = u64, Path, description = "The order's id")),
    security(("api_key" = [])),
    responses((status = 200, body = OrderView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Path(raw): Path<String>,
) -> Result<Json<OrderView>, Problem> {
    let order: OrderId = path_id("order", &raw)?;
    hub.blocking(move |hub| {
        let handler = CommandHandler::new(&*hub.store);
        let loaded = handler.load::<Order>(&order).map_err(order_problem)?;
        let Some(seller) = loaded.state.seller() else {
            return Err(Problem::not_found(format!("order {order} does not exist")));
        };
        if !actor.may_act_for(seller) {
            return Err(Problem::forbidden(format!(
                "{actor} may not read order {order}"
            )));
        }
        let events = hub
            .store
            .read_stream(&loaded.stream, 0)
            .map_err(|e| Problem::internal(e.to_string()))?
            .into_iter()
            .map(|e| e.payload)
            .collect();
        Ok(Json(OrderView {
            order: order.get(),
            seller: seller.get(),
            status: loaded
                .state
                .status()
                .map(|s| format!("{s:?}").to_lowercase())
                .unwrap_or_default(),
            version: loaded.version,
            events,
        }))
    })
    .await
}

/// An order step's options.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// Who cancels (`buyer`, `seller`, `marketplace`), for `cancel`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub cancelled_by: Option<CancelledBy>,
}

/// Moves an order a step: `pack`, `dispatch`, `deliver`, `cancel` or `return_to_origin`.
#[utoipa::path(post, path = "/api/orders/{order}/{step}", tag = "orders",
    params(("order" = u64, Path, description = "The order's id"),
           ("step" = String, Path, description = "pack, dispatch, deliver, cancel or return_to_origin")),
    request_body(content = StepBody, description = "Optional: who cancels"),
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn step(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path((raw, step)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Json<Outcome>, Problem> {
    let order: OrderId = path_id("order", &raw)?;
    let options: StepBody = if body.is_empty() {
        StepBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| Problem::bad_field("body", e.to_string()))?
    };
    let step = match step.as_str() {
        "pack" => OrderCommand::Pack { actor, order },
        "dispatch" => OrderCommand::Dispatch { actor, order },
        "deliver" => OrderCommand::Deliver { actor, order },
        "cancel" => OrderCommand::Cancel {
            actor,
            order,
            cancelled_by: options.cancelled_by.unwrap_or(match actor {
                Actor::Seller(_) => CancelledBy::Seller,
                _ => CancelledBy::Marketplace,
            }),
        },
        "return_to_origin" => OrderCommand::ReturnToOrigin {
            actor,
            order,
            bucket: ReturnBucket::Sellable,
        },
        other => {
            return Err(Problem::bad_field(
                "path.step",
                format!("{other:?} is not pack, dispatch, deliver, cancel or return_to_origin"),
            ));
        }
    };
    execute(hub, step, command).await
}

/// Lines coming back from a buyer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// The lines: `{"line": 0, "quantity": 1, "bucket": "restock"}`.
    #[schema(value_type = Vec<Object>)]
    pub lines: Vec<ReturnedLine>,
}

/// Records a buyer's return of some lines.
#[utoipa::path(post, path = "/api/orders/{order}/returns", tag = "orders",
    params(("order" = u64, Path, description = "The order's id")),
    request_body = ReturnBody,
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 400, body = Problem), (status = 409, body = Problem)))]
pub async fn return_lines(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Body(body): Body<ReturnBody>,
) -> Result<Json<Outcome>, Problem> {
    let order: OrderId = path_id("order", &raw)?;
    let step = OrderCommand::Return {
        actor,
        order,
        lines: body.lines,
    };
    execute(hub, step, command).await
}

async fn execute(
    hub: Arc<Hub>,
    step: OrderCommand,
    command: Option<CommandId>,
) -> Result<Json<Outcome>, Problem> {
    let actor = step.actor();
    hub.blocking(move |hub| {
        CommandHandler::new(&*hub.store)
            .execute_order(&step, &meta(actor, command))
            .map(|done| Json(Outcome::of(done)))
            .map_err(order_problem)
    })
    .await
}

/// The ledger's idempotency key for a request: from its command id (a retry repeats it), or
/// fresh for a request without one.
pub fn ledger_key(command: Option<&CommandId>) -> IdempotencyKey {
    static FRESH: AtomicU64 = AtomicU64::new(0);
    let mut hasher = DefaultHasher::new();
    match command {
        Some(id) => id.as_str().hash(&mut hasher),
        None => {
            now().timestamp_nanos_opt().hash(&mut hasher);
            FRESH.fetch_add(1, Ordering::Relaxed).hash(&mut hasher);
        }
    }
    let high = hasher.finish();
    high.hash(&mut hasher);
    IdempotencyKey::new((u128::from(high) << 64) | u128::from(hasher.finish()))
}

fn stock_problem(error: HandlerError<haat::inventory::Error>) -> Problem {
    handler_problem(error, |e| refusal(e, |_| Vec::new()))
}

/// An order command's error as a problem.
pub fn order_problem(error: HandlerError<haat::orders::Error>) -> Problem {
    handler_problem(error, |e| refusal(e, |_| Vec::new()))
}

/// Issues the order's invoice (a tax invoice, or a bill of supply for a non-GST seller),
/// numbered next in the seller's series; once packed, once per order.
#[utoipa::path(post, path = "/api/orders/{order}/invoice", tag = "orders",
    params(("order" = u64, Path, description = "The order's id")),
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn issue_invoice(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
) -> Result<Json<Outcome>, Problem> {
    let order: OrderId = path_id("order", &raw)?;
    hub.blocking(move |hub| {
        let handler = CommandHandler::new(&*hub.store);
        let placed = handler.load::<Order>(&order).map_err(order_problem)?.state;
        let Some(seller) = placed.seller() else {
            return Err(Problem::not_found(format!("order {order} does not exist")));
        };
        let gstin = handler
            .load::<Seller>(&seller)
            .map_err(super::sellers::seller_problem)?
            .state
            .kyc()
            .and_then(|k| match &k.gst {
                GstStatus::Registered(gstin) => Some(*gstin),
                GstStatus::NonGst(_) => None,
            });
        let invoice = InvoiceCommand::Invoice {
            actor,
            seller,
            order,
        };
        handler
            .handle::<SellerInvoices>(&(placed, gstin), &seller, &invoice, &meta(actor, command))
            .map(|done| Json(Outcome::of(done)))
            .map_err(order_problem)
    })
    .await
}

/// The order's invoice, as issued. A seller's key reads only its own.
#[utoipa::path(get, path = "/api/orders/{order}/invoice", tag = "orders",
    params(("order" = u64, Path, description = "The order's id")),
    security(("api_key" = [])),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn invoice(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, Problem> {
    let order: OrderId = path_id("order", &raw)?;
    hub.blocking(move |hub| {
        let handler = CommandHandler::new(&*hub.store);
        let placed = handler.load::<Order>(&order).map_err(order_problem)?.state;
        let Some(seller) = placed.seller() else {
            return Err(Problem::not_found(format!("order {order} does not exist")));
        };
        if !actor.may_act_for(seller) {
            return Err(Problem::forbidden(format!(
                "{actor} may not read order {order}'s invoice"
            )));
        }
        let register = handler
            .load::<SellerInvoices>(&seller)
            .map_err(order_problem)?
            .state;
        let document = register
            .0
            .invoice_of(order)
            .ok_or_else(|| Problem::not_found(format!("order {order} has no invoice yet")))?;
        serde_json::to_value(document)
            .map(Json)
            .map_err(|e| Problem::internal(e.to_string()))
    })
    .await
}

/// The day a settlement statement is drawn up to.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Until {
    /// An IST date (`2026-03-31`); today by default.
    pub until: Option<String>,
}

/// The seller's settlement statement up to a day: a sale entry for each line of a delivered
/// order whose return window has closed, the marketplace's deductions (commission, fees,
/// TCS, TDS) and the net payout. The hub pays nothing out, so the statement is drawn from
/// the order history each time, as if nothing had been settled before.
#[utoipa::path(get, path = "/api/sellers/{seller}/settlement", tag = "orders",
    params(("seller" = u64, Path, description = "The seller's id"), Until),
    security(("api_key" = [])),
    responses((status = 200, body = Vec<Object>), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn settlement(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Path(raw): Path<String>,
    axum::extract::Query(until): axum::extract::Query<Until>,
) -> Result<Json<Vec<serde_json::Value>>, Problem> {
    let seller: SellerId = path_id("seller", &raw)?;
    if !actor.may_act_for(seller) {
        return Err(Problem::forbidden(format!(
            "{actor} may not read seller {seller}'s settlement"
        )));
    }
    let at = match until.until {
        None => now(),
        Some(raw) => {
            let date: chrono::NaiveDate = raw
                .parse()
                .map_err(|e| Problem::bad_field("query.until", format!("{raw:?}: {e}")))?;
            haat::core::ist_midnight(date.succ_opt().unwrap_or(date))
        }
    };
    hub.blocking(move |hub| {
        let ids: Vec<u64> = hub.with_metrics(|p| {
            p.inputs()
                .orders
                .iter()
                .filter(|(_, events)| {
                    // An order's stream opens with its placing, which names the seller.
                    matches!(events.first(), Some(OrderEvent::OrderPlaced { seller: of, .. }) if *of == seller)
                })
                .map(|(id, _)| *id)
                .collect()
        })?;
        // The seller's orders, each rebuilt from its stream, all read at once (one query on
        // PostgreSQL rather than a round trip per order).
        let streams = ids
            .iter()
            .map(|id| {
                CommandHandler::<dyn haat_store::EventStore>::stream_of::<Order>(&OrderId::new(*id))
                    .map(|stream| (stream, 0))
                    .map_err(order_problem)
            })
            .collect::<Result<Vec<_>, Problem>>()?;
        let mut orders = Vec::with_capacity(ids.len());
        for events in hub
            .store
            .read_streams(&streams)
            .map_err(|e| Problem::internal(e.to_string()))?
        {
            let mut order = Order::default();
            for stored in &events {
                let event: OrderEvent =
                    serde_json::from_value(stored.payload.clone()).map_err(|e| {
                        Problem::internal(format!(
                            "{} version {}: {e}",
                            stored.stream, stored.version
                        ))
                    })?;
                order.apply(&event);
            }
            orders.push(order);
        }
        let handler = CommandHandler::new(&*hub.store);
        let state = handler
            .load::<Seller>(&seller)
            .map_err(super::sellers::seller_problem)?
            .state;
        let payees: std::collections::HashMap<SellerId, Seller> = [(seller, state)].into();
        // The terms the West Bengal scenario settles on (haat-sim's world: 8% commission on
        // every category, no fixed fee, ₹40 shipping, weekly cycles from Monday 1 April 2024),
        // so a statement drawn here agrees with the weekly ones the seed stored.
        let tariff = haat::catalogue::MarketplaceTariff {
            commission: haat::catalogue::CommissionSchedule::new()
                .with_default(haat::catalogue::Percent::whole(8)),
            fixed_fees: haat::catalogue::FixedFeeSlabs::none(),
        };
        let calendar = chrono::NaiveDate::from_ymd_opt(2024, 4, 1)
            .and_then(|monday| haat::orders::SettlementCalendar::new(monday, 7))
            .ok_or_else(|| Problem::internal("the settlement calendar"))?;
        let terms = haat::orders::SettlementTerms {
            tariff: &tariff,
            rates: GstRateTable::india(),
            shipping_fee: haat::core::Money::from_rupees(40),
            calendar,
        };
        let statements = haat::orders::Settlements::default()
            .settle(orders.iter(), &payees, &terms, at)
            .map_err(|e| refusal(&e, |_| Vec::new()))?;
        Ok(Json(
            statements
                .iter()
                .filter_map(|s| serde_json::to_value(s).ok())
                .collect(),
        ))
    })
    .await
}
