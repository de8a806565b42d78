//! The order book: every order, checkout's all-or-nothing placement, and each later step
//! decided on the order and moved through the stock ledger together.

use haat_core::FastHashMap;

use chrono::{DateTime, Duration, Utc};
use haat_core::{OrderId, SellerId};
use haat_inventory::{
    Allocation, AllocationRequest, Command, Operation, ReservationId, ReservationOwner,
    ReserveLine, SellerConstraint, SplitPolicy, StockKey, StockLedger,
};

use crate::checkout::{PricedLine, price_line};
use crate::checkouts::{Checkouts, First};
use crate::order::{StockStep, stock_commands, stock_key};
use crate::tax_memo::TaxMemo;
use crate::{
    Cart, CheckoutRequest, Error, LineRefusal, Market, Order, OrderAction, OrderCommand,
    OrderEvent, OrderLine, RefusalReason, Shelf,
};

/// The most lines one checkout takes (a cart, not a purchase order).
pub const MAX_CART_LINES: usize = 500;

/// What a checkout placed: one order per seller, in the order the sellers first appear in
/// the cart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// The orders placed.
    pub orders: Vec<OrderId>,
    /// Their `OrderPlaced` events, to store.
    pub events: Vec<OrderEvent>,
    /// Whether this answer is a retry's: the first outcome, nothing placed or reserved now.
    pub replayed: bool,
}

/// Every order, keyed by id, with the memory that makes a retried checkout return its first
/// outcome (for a retention window the caller sets: [`forget_checkouts`](Self::forget_checkouts)).
///
/// [`checkout`](OrderBook::checkout) turns a cart into orders and reservations in one
/// all-or-nothing step; [`execute`](OrderBook::execute) decides a command on its order and
/// moves its stock in the ledger under idempotency keys derived from the order and the step,
/// so the ledger and the orders never disagree.
#[derive(Clone, Debug, Default)]
pub struct OrderBook {
    orders: FastHashMap<OrderId, Order>,
    next_order: u64,
    checkouts: Checkouts,
    /// Answers of the GST rate table and tax breakdown, remembered (`tax_memo.rs`).
    tax: TaxMemo,
    /// The last checkout's allocation, kept for its buffers.
    allocation: Allocation,
}

impl OrderBook {
    /// An empty book whose first order is numbered `first`.
    pub fn starting_at(first: OrderId) -> OrderBook {
        OrderBook {
            next_order: first.get(),
            ..OrderBook::default()
        }
    }

    /// The order `id`.
    pub fn order(&self, id: OrderId) -> Option<&Order> {
        self.orders.get(&id)
    }

    /// Every order, in no particular order.
    pub fn orders(&self) -> impl Iterator<Item = &Order> {
        self.orders.values()
    }

    /// Forgets the checkout keys first used before `now - retention`, so the memory of
    /// retries stays bounded: a service calls this as time passes, with the window in which
    /// it promises that a retried checkout answers its first outcome (a day, say).
    ///
    /// After that, a checkout whose key the book does not remember is judged by the key's
    /// age, so that a retry that comes too late is refused rather than placed twice: the key
    /// must be a UUIDv7 (RFC 9562, which carries the instant it was minted) minted on or after
    /// the horizon, else [`Error::CheckoutKeyExpired`] or [`Error::UndatedCheckoutKey`]. A
    /// book that never forgets takes any key. The horizon never moves back.
    pub fn forget_checkouts(&mut self, now: DateTime<Utc>, retention: Duration) {
        self.checkouts.forget(now, retention);
    }

    /// How many checkout keys the book remembers.
    pub fn remembered_checkouts(&self) -> usize {
        self.checkouts.len()
    }

    /// Folds a stored event in (rebuilding the book from its events).
    pub fn apply(&mut self, event: &OrderEvent) {
        let id = event.order();
        if matches!(event, OrderEvent::OrderPlaced { .. }) {
            self.next_order = self.next_order.max(id.get().saturating_add(1));
        }
        self.orders.entry(id).or_default().apply(event);
    }

    /// Turns `request`'s cart into one order per seller at `now`, every line or none.
    ///
    /// Each line is priced from the live listing at `now` and taxed by the rate table
    /// (`price_line`); the lines are allocated on the network (each ships whole from one
    /// location) and each seller's lines reserved in `ledger` until the promised dispatch
    /// time plus the terms' grace. Nothing is placed or reserved unless every line can be.
    /// A retry with the same key and cart answers the first outcome (`replayed`); a refused
    /// checkout is not remembered, so a retry decides again (stock may have come in).
    ///
    /// # Errors
    /// [`Error::Forbidden`] unless the marketplace asks; [`Error::IdempotencyConflict`] for a
    /// known key with another cart; [`Error::CheckoutKeyExpired`] and
    /// [`Error::UndatedCheckoutKey`] for a key the book may have forgotten
    /// ([`forget_checkouts`](Self::forget_checkouts)); [`Error::EmptyCart`], [`Error::CartTooLarge`],
    /// [`Error::UnknownPlaceOfSupply`]; [`Error::CheckoutRefused`] listing every line that
    /// cannot be sold (pricing first; stock once every line prices).
    pub fn checkout<S: Shelf>(
        &mut self,
        market: &Market<'_, S>,
        ledger: &mut StockLedger,
        request: &CheckoutRequest,
        now: DateTime<Utc>,
    ) -> Result<Placement, Error> {
        if !request.actor.is_marketplace() {
            return Err(Error::Forbidden {
                actor: request.actor,
                action: OrderAction::Checkout,
            });
        }
        let cart = &request.cart;
        if let Some(first) = self.checkouts.recall(request.key, cart)? {
            return Ok(self.replay_placement(first));
        }
        if cart.lines.is_empty() {
            return Err(Error::EmptyCart);
        }
        if cart.lines.len() > MAX_CART_LINES {
            return Err(Error::CartTooLarge {
                lines: cart.lines.len(),
                max: MAX_CART_LINES,
            });
        }
        let buyer_state = match cart.pin_code.location().map(|l| l.states()) {
            Some([state]) => *state,
            _ => {
                return Err(Error::UnknownPlaceOfSupply {
                    pin_code: cart.pin_code,
                });
            }
        };

        // 1. Price and tax every line; report every problem at once.
        let mut priced = Vec::with_capacity(cart.lines.len());
        let mut refusals = Vec::new();
        for (index, line) in cart.lines.iter().enumerate() {
            match price_line(
                market.shelf,
                market.rates,
                &mut self.tax,
                *line,
                buyer_state,
                now,
            ) {
                Ok(p) => priced.push(p),
                Err(reason) => refusals.push(LineRefusal {
                    line: index,
                    listing: line.listing,
                    reason,
                }),
            }
        }
        if !refusals.is_empty() {
            return Err(Error::CheckoutRefused { refusals });
        }

        // 2. Allocate: each line ships whole from one location that has it.
        let locations = allocate(market, ledger, cart, &priced, now, &mut self.allocation)?;

        // 3. One order per seller, in order of first appearance; reserve every seller's lines
        //    or none.
        let mut sellers: Vec<(SellerId, Vec<usize>)> = Vec::new();
        for (index, line) in priced.iter().enumerate() {
            let seller = line.listing.seller;
            match sellers.iter_mut().find(|(s, _)| *s == seller) {
                Some((_, lines)) => lines.push(index),
                None => sellers.push((seller, vec![index])),
            }
        }
        let dispatch_by = now + market.terms.dispatch_within;
        let expires_at = dispatch_by + market.terms.hold_after_promise;
        let mut commands = Vec::with_capacity(sellers.len());
        for (offset, (seller, lines)) in sellers.iter().enumerate() {
            let order = OrderId::new(self.next_order.saturating_add(offset as u64));
            let reserve = Operation::Reserve {
                owner: ReservationOwner::Order(order),
                expires_at,
                lines: lines
                    .iter()
                    .filter_map(|&i| {
                        let (p, location) = (priced.get(i)?, *locations.get(i)?);
                        Some(ReserveLine {
                            key: StockKey::new(*seller, p.listing.sku.clone(), location),
                            quantity: u64::from(p.quantity),
                        })
                    })
                    .collect(),
            };
            let key = stock_key(order, StockStep::Reserve, 0, 0);
            commands.push((order, Command::new(request.actor, key, reserve)));
        }
        let reserved = reserve_all(ledger, &commands, &sellers, cart, now)?;

        // 4. The orders, as events.
        let mut placement = Placement {
            orders: Vec::with_capacity(sellers.len()),
            events: Vec::with_capacity(sellers.len()),
            replayed: false,
        };
        for ((seller, lines), (order, reservation)) in sellers.iter().zip(reserved) {
            let registration = lines
                .first()
                .and_then(|&i| priced.get(i))
                .map(|p| p.registration);
            let Some(registration) = registration else {
                continue;
            };
            let lines = lines
                .iter()
                .filter_map(|&i| Some(order_line(priced.get(i)?, *locations.get(i)?)))
                .collect();
            placement.orders.push(order);
            placement.events.push(OrderEvent::OrderPlaced {
                order,
                seller: *seller,
                buyer: cart.buyer,
                at: now,
                by: request.actor,
                pin_code: cart.pin_code,
                buyer_state,
                registration,
                lines,
                reservation,
                dispatch_by,
            });
        }
        let first = First {
            by: request.actor,
            first_order: OrderId::new(self.next_order),
            count: placement.orders.len() as u32,
        };
        for event in &placement.events {
            self.apply(event);
        }
        self.checkouts.remember(request.key, cart, first, now);
        Ok(placement)
    }

    /// A retry's answer: the first checkout's orders and their `OrderPlaced` events, rebuilt
    /// from the orders (fixed at placement, so the events are the ones first answered).
    fn replay_placement(&self, first: First) -> Placement {
        let ids = (0..u64::from(first.count))
            .map(|offset| OrderId::new(first.first_order.get().saturating_add(offset)));
        let mut placement = Placement {
            orders: Vec::with_capacity(first.count as usize),
            events: Vec::with_capacity(first.count as usize),
            replayed: true,
        };
        for id in ids {
            let Some(event) = self
                .order(id)
                .and_then(|order| placed_event(order, first.by))
            else {
                continue;
            };
            placement.orders.push(id);
            placement.events.push(event);
        }
        placement
    }

    /// Decides `command` on its order at `now`, moves its stock in `ledger`, and applies
    /// the events; answers the events to store.
    ///
    /// # Errors
    /// [`Error::UnknownOrder`], and whatever [`Order::decide`] refuses; [`Error::Stock`] if
    /// the ledger refuses the step's movement (then the order does not move either).
    pub fn execute(
        &mut self,
        ledger: &mut StockLedger,
        command: &OrderCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<OrderEvent>, Error> {
        let id = command.order();
        let order = self
            .orders
            .get(&id)
            .ok_or(Error::UnknownOrder { order: id })?;
        let events = order.decide(command, now)?;
        let mut moves = Vec::new();
        for event in &events {
            for stock in stock_commands(order, event) {
                // A cancelled order whose hold has lapsed has nothing left to release: the
                // ledger gave the units back when the hold expired.
                if let Operation::Cancel { reservation } = stock.operation() {
                    let held = ledger
                        .reservation(*reservation)
                        .is_some_and(|r| r.is_active_at(now));
                    if !held {
                        continue;
                    }
                }
                moves.push(stock);
            }
        }
        // Decide every movement before writing any, so a refusal moves nothing.
        for stock in &moves {
            ledger
                .decide(stock, now)
                .map_err(|source| Error::Stock { order: id, source })?;
        }
        for stock in &moves {
            ledger
                .execute(stock, now)
                .map_err(|source| Error::Stock { order: id, source })?;
        }
        for event in &events {
            self.apply(event);
        }
        Ok(events)
    }
}

/// Allocates every priced line on the network; answers each line's location.
fn allocate<S: Shelf>(
    market: &Market<'_, S>,
    ledger: &StockLedger,
    cart: &Cart,
    priced: &[PricedLine<'_>],
    now: DateTime<Utc>,
    allocation: &mut Allocation,
) -> Result<Vec<haat_core::LocationId>, Error> {
    let mut request = AllocationRequest::new(cart.pin_code).split(SplitPolicy::Never);
    for line in priced {
        let seller = line.listing.seller;
        request = request.line(seller, line.listing.sku.clone(), u64::from(line.quantity));
        if !line.registration.is_registered() {
            request = request.constrain(
                seller,
                SellerConstraint::IntraStateOnly {
                    state: line.registration.state(),
                },
            );
        }
    }
    market
        .allocator
        .allocate_into(ledger, &request, now, allocation);
    let mut locations = Vec::with_capacity(priced.len());
    let mut refusals = Vec::new();
    for (index, line) in priced.iter().enumerate() {
        let requested = u64::from(line.quantity);
        let mut shipments = allocation.shipments_of(index);
        match (shipments.next(), shipments.next()) {
            (Some(one), None) if one.quantity() == requested => locations.push(one.location()),
            _ => refusals.push(LineRefusal {
                line: index,
                listing: line.listing.listing,
                reason: RefusalReason::OutOfStock {
                    requested,
                    allocatable: allocation.allocated(index),
                },
            }),
        }
    }
    if refusals.is_empty() {
        Ok(locations)
    } else {
        Err(Error::CheckoutRefused { refusals })
    }
}

/// Places every seller's reservation or none: each is decided first (sellers' stock cells
/// are disjoint, since the seller is part of the key, so one decision cannot change
/// another's), and only then written.
fn reserve_all(
    ledger: &mut StockLedger,
    commands: &[(OrderId, Command)],
    sellers: &[(SellerId, Vec<usize>)],
    cart: &Cart,
    now: DateTime<Utc>,
) -> Result<Vec<(OrderId, ReservationId)>, Error> {
    let refuse = |group: usize, err: haat_inventory::Error| {
        let refusals = sellers
            .get(group)
            .map(|(_, lines)| lines.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| {
                Some(LineRefusal {
                    line: i,
                    listing: cart.lines.get(i)?.listing,
                    reason: RefusalReason::Stock(err.clone()),
                })
            })
            .collect();
        Error::CheckoutRefused { refusals }
    };
    // One seller (the common cart) needs no look-ahead: a reservation is all-or-none itself.
    if commands.len() > 1 {
        for (group, (_, command)) in commands.iter().enumerate() {
            ledger.decide(command, now).map_err(|e| refuse(group, e))?;
        }
    }
    let mut reserved = Vec::with_capacity(commands.len());
    for (group, (order, command)) in commands.iter().enumerate() {
        let outcome = ledger.execute(command, now).map_err(|e| refuse(group, e))?;
        // A reserve request always names its reservation; without one the ledger broke its
        // contract, and the line is refused rather than placed without stock.
        let reservation = outcome
            .reservation
            .ok_or_else(|| refuse(group, haat_inventory::Error::EmptyReservation))?;
        reserved.push((*order, reservation));
    }
    Ok(reserved)
}

fn order_line(priced: &PricedLine<'_>, location: haat_core::LocationId) -> OrderLine {
    let listing = priced.listing;
    OrderLine {
        listing: listing.listing,
        sku: listing.sku.clone(),
        category: listing.category.clone(),
        hsn: listing.hsn,
        location,
        quantity: priced.quantity,
        unit_price: listing.price,
        mrp: listing.mrp,
        tax: priced.tax,
        return_days: listing.return_days,
    }
}

/// The `OrderPlaced` event of a placed order, `by` the actor who checked it out.
fn placed_event(order: &Order, by: haat_core::Actor) -> Option<OrderEvent> {
    Some(OrderEvent::OrderPlaced {
        order: order.id()?,
        seller: order.seller()?,
        buyer: order.buyer()?,
        at: order.placed_at()?,
        by,
        pin_code: order.pin_code()?,
        buyer_state: order.buyer_state()?,
        registration: order.registration()?,
        lines: order.lines().to_vec(),
        reservation: order.reservation()?,
        dispatch_by: order.dispatch_by()?,
    })
}
