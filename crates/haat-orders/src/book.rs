//! The order book: every order, checkout's all-or-nothing placement, and each later step
//! decided on the order and moved through the stock ledger together.

use haat_core::FastHashMap;

use chrono::{DateTime, Duration, Utc};
use haat_core::{ListingId, LocationId, OrderId, SellerId};
use haat_inventory::{
    Allocation, AllocationRequest, CellId, CellLines, Command, Operation, ReservationId,
    ReservationOwner, ReserveLine, SellerConstraint, SplitPolicy, StockKey, StockLedger,
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
    /// Checkout's other working buffers, kept between checkouts.
    scratch: Scratch,
    /// Stock cells by listing and location, as the ledger numbers them (checked against the
    /// ledger's key before each use, so a book used with another ledger stays right).
    cells: FastHashMap<(ListingId, LocationId), CellId>,
}

/// Buffers one checkout fills and the next reuses.
#[derive(Clone, Debug, Default)]
struct Scratch {
    /// The allocation request being built.
    request: Option<AllocationRequest>,
    /// Each priced line's location.
    locations: Vec<LocationId>,
    /// The cart's sellers in order of first appearance, each with its run of `grouped`.
    sellers: Vec<(SellerId, std::ops::Range<usize>)>,
    /// The line indices, seller by seller, each seller's in cart order.
    grouped: Vec<usize>,
    /// Each line's seller (its position in `sellers`), by line index.
    group_of: Vec<usize>,
    /// Each line of `grouped`, at the same position: its cell and units.
    cells: Vec<(CellId, u64)>,
}

impl Scratch {
    /// Groups `priced`'s lines by seller, in order of first appearance, keeping each seller's
    /// lines in cart order.
    fn group(&mut self, priced: &[PricedLine<'_>]) {
        self.sellers.clear();
        self.group_of.clear();
        for line in priced {
            let seller = line.listing.seller;
            let g = match self.sellers.iter().position(|(s, _)| *s == seller) {
                Some(g) => g,
                None => {
                    self.sellers.push((seller, 0..0));
                    self.sellers.len() - 1
                }
            };
            self.group_of.push(g);
            if let Some((_, run)) = self.sellers.get_mut(g) {
                run.end += 1; // counts the seller's lines for now
            }
        }
        // Each seller's run starts where the one before ends; then place the lines in it.
        let mut start = 0;
        for (_, run) in &mut self.sellers {
            let len = run.end;
            *run = start..start;
            start += len;
        }
        self.grouped.clear();
        self.grouped.resize(priced.len(), 0);
        for (index, &g) in self.group_of.iter().enumerate() {
            if let Some((_, run)) = self.sellers.get_mut(g) {
                if let Some(slot) = self.grouped.get_mut(run.end) {
                    *slot = index;
                }
                run.end += 1;
            }
        }
    }

    /// The line indices of seller `g`.
    fn lines_of(&self, run: &std::ops::Range<usize>) -> &[usize] {
        self.grouped.get(run.clone()).unwrap_or_default()
    }
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
        let mut scratch = std::mem::take(&mut self.scratch);
        let allocated = allocate(
            market,
            ledger,
            cart,
            &priced,
            now,
            &mut self.allocation,
            &mut scratch,
        );
        if let Err(refused) = allocated {
            self.scratch = scratch;
            return Err(refused);
        }

        // 3. One order per seller, in order of first appearance; reserve every seller's lines
        //    or none.
        scratch.group(&priced);
        let dispatch_by = now + market.terms.dispatch_within;
        let expires_at = dispatch_by + market.terms.hold_after_promise;
        let reserved = self.reserve_all(ledger, request, &priced, &mut scratch, expires_at, now);
        let reserved = match reserved {
            Ok(reserved) => reserved,
            Err(refused) => {
                self.scratch = scratch;
                return Err(refused);
            }
        };

        // 4. The orders, as events.
        let mut placement = Placement {
            orders: Vec::with_capacity(scratch.sellers.len()),
            events: Vec::with_capacity(scratch.sellers.len()),
            replayed: false,
        };
        for ((seller, run), (order, reservation)) in scratch.sellers.iter().zip(reserved) {
            let lines = scratch.lines_of(run);
            let registration = lines
                .first()
                .and_then(|&i| priced.get(i))
                .map(|p| p.registration);
            let Some(registration) = registration else {
                continue;
            };
            let lines = lines
                .iter()
                .filter_map(|&i| Some(order_line(priced.get(i)?, *scratch.locations.get(i)?)))
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
        self.scratch = scratch;
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

/// Allocates every priced line on the network; writes each line's location to
/// `scratch.locations`.
fn allocate<S: Shelf>(
    market: &Market<'_, S>,
    ledger: &StockLedger,
    cart: &Cart,
    priced: &[PricedLine<'_>],
    now: DateTime<Utc>,
    allocation: &mut Allocation,
    scratch: &mut Scratch,
) -> Result<(), Error> {
    let mut request = match scratch.request.take() {
        Some(mut request) => {
            request.reset(cart.pin_code);
            request
        }
        None => AllocationRequest::new(cart.pin_code),
    }
    .split(SplitPolicy::Never);
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
    scratch.request = Some(request);
    let locations = &mut scratch.locations;
    locations.clear();
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
        Ok(())
    } else {
        Err(Error::CheckoutRefused { refusals })
    }
}

impl OrderBook {
    /// The ledger's cell of `listing`'s SKU at `location`: remembered per listing and
    /// location, and checked against the ledger's own key for the cell, so a handle is never
    /// used for another key (another ledger, a listing whose SKU changed).
    fn cell_of(
        &mut self,
        ledger: &StockLedger,
        listing: &crate::ListingView,
        location: LocationId,
    ) -> Option<CellId> {
        let is_its = |cell: CellId| {
            ledger.key_of(cell).is_some_and(|key| {
                key.seller() == listing.seller
                    && key.location() == location
                    && *key.sku() == listing.sku
            })
        };
        if let Some(&cell) = self.cells.get(&(listing.listing, location))
            && is_its(cell)
        {
            return Some(cell);
        }
        let cell = ledger.cell(&StockKey::new(
            listing.seller,
            listing.sku.clone(),
            location,
        ))?;
        self.cells.insert((listing.listing, location), cell);
        Some(cell)
    }

    /// Places every seller's reservation or none, numbering the orders from `next_order`:
    /// each is decided first (sellers' stock cells are disjoint, since the seller is part of
    /// the key, so one decision cannot change another's), and only then written.
    ///
    /// The reservations go to the ledger by cell handle ([`StockLedger::reserve_lines`], the
    /// same events and answers as the `Operation::Reserve` of the same keys): for several
    /// sellers, when the ledger's direct path takes each of them, that check is the decision;
    /// otherwise each seller's command is decided in full first.
    fn reserve_all(
        &mut self,
        ledger: &mut StockLedger,
        request: &CheckoutRequest,
        priced: &[PricedLine<'_>],
        scratch: &mut Scratch,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<(OrderId, ReservationId)>, Error> {
        let cart = &request.cart;
        let refuse = |lines: &[usize], err: haat_inventory::Error| {
            let refusals = lines
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
        let next_order = self.next_order;
        let order_of = |g: usize| OrderId::new(next_order.saturating_add(g as u64));
        let owner_of = |g: usize| ReservationOwner::Order(order_of(g));
        let key_of = |g: usize| stock_key(order_of(g), StockStep::Reserve, 0, 0);

        // Every line's cell, seller by seller.
        scratch.cells.clear();
        let mut resolved = true;
        for &i in &scratch.grouped {
            let (Some(p), Some(&location)) = (priced.get(i), scratch.locations.get(i)) else {
                resolved = false;
                break;
            };
            match self.cell_of(ledger, p.listing, location) {
                Some(cell) => scratch.cells.push((cell, u64::from(p.quantity))),
                None => {
                    resolved = false;
                    break;
                }
            }
        }
        let cell_lines = |run: &std::ops::Range<usize>, g: usize| CellLines {
            owner: owner_of(g),
            expires_at,
            lines: scratch.cells.get(run.clone()).unwrap_or_default(),
        };

        let mut reserved = Vec::with_capacity(scratch.sellers.len());
        // One seller (the common cart) needs no look-ahead: a reservation is all-or-none
        // itself. Several need each decided first: the direct path's check, when it takes
        // them all, or else each command decided in full.
        let direct = resolved
            && (scratch.sellers.len() == 1
                || scratch.sellers.iter().enumerate().all(|(g, (_, run))| {
                    ledger.may_reserve_lines(request.actor, key_of(g), cell_lines(run, g), now)
                }));
        if direct {
            for (g, (_, run)) in scratch.sellers.iter().enumerate() {
                let outcome = ledger
                    .reserve_lines(request.actor, key_of(g), cell_lines(run, g), now)
                    .map_err(|e| refuse(scratch.lines_of(run), e))?;
                reserved.push((order_of(g), outcome.reservation, run));
            }
        } else {
            let commands: Vec<Command> = scratch
                .sellers
                .iter()
                .enumerate()
                .map(|(g, (seller, run))| {
                    let lines = scratch
                        .lines_of(run)
                        .iter()
                        .filter_map(|&i| {
                            let (p, location) = (priced.get(i)?, *scratch.locations.get(i)?);
                            Some(ReserveLine {
                                key: StockKey::new(*seller, p.listing.sku.clone(), location),
                                quantity: u64::from(p.quantity),
                            })
                        })
                        .collect();
                    let reserve = Operation::Reserve {
                        owner: owner_of(g),
                        expires_at,
                        lines,
                    };
                    Command::new(request.actor, key_of(g), reserve)
                })
                .collect();
            if commands.len() > 1 {
                for (command, (_, run)) in commands.iter().zip(&scratch.sellers) {
                    ledger
                        .decide(command, now)
                        .map_err(|e| refuse(scratch.lines_of(run), e))?;
                }
            }
            for (g, (command, (_, run))) in commands.iter().zip(&scratch.sellers).enumerate() {
                let outcome = ledger
                    .execute(command, now)
                    .map_err(|e| refuse(scratch.lines_of(run), e))?;
                reserved.push((order_of(g), outcome.reservation, run));
            }
        }
        // A reserve request always names its reservation; without one the ledger broke its
        // contract, and the line is refused rather than placed without stock.
        reserved
            .into_iter()
            .map(|(order, reservation, run)| {
                let reservation = reservation.ok_or_else(|| {
                    refuse(
                        scratch.lines_of(run),
                        haat_inventory::Error::EmptyReservation,
                    )
                })?;
                Ok((order, reservation))
            })
            .collect()
    }
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
