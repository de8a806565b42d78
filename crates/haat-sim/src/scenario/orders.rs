//! Orders: a month of a listing's orders at a time, each a cart checked out through the
//! order book at a random instant; what becomes of each order (its life, in `life`) queued
//! as actions run in time order; and the purchase orders that restock a listing.

use chrono::{DateTime, TimeDelta, Utc};
use haat_catalogue::GstRateTable;
use haat_core::{Actor, ListingId, LocationId, Sku};
use haat_inventory::{IdempotencyKey, Operation, Receipt, StockKey};
use haat_orders::{
    BuyerId, CancelledBy, Cart, CartLine, CheckoutRequest, Error as OrderError, ListingView,
    Market, RefusalReason,
};

use super::hours;
use super::seller::SellerRun;
use crate::plan::{Plan, SEASON};
use crate::refusal::Refusal;

/// What the orders of a listing need to know about it.
pub(super) struct ListingInfo {
    pub(super) id: ListingId,
    pub(super) sku: Sku,
    pub(super) home: LocationId,
    pub(super) appeal: u32,
    pub(super) restocking: bool,
    pub(super) po: u32,
    /// When it went live: no order comes before.
    pub(super) live_at: DateTime<Utc>,
    /// The listing as checkout reads it, put on the seller's shelf when it goes live.
    pub(super) view: ListingView,
}

/// Something that happens to a seller's listings and orders later, queued in time order.
/// Orders are named by their place in the seller's list of placed orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Act {
    /// A listing goes live: checkout sees it from now on.
    Live { listing: u32 },
    /// A month of orders for a listing begins (month index into the plan).
    Month { listing: u32, month: u16 },
    /// A buyer checks a cart of the listing out.
    Place { listing: u32 },
    /// Stock announced by a purchase order arrives.
    Receive {
        listing: u32,
        quantity: u32,
        po: u32,
    },
    /// The order is cancelled before dispatch (by the party of `CANCELLERS` at `by`).
    Cancel { order: u32, by: u8 },
    /// The seller packs the order.
    Pack { order: u32 },
    /// The order ships, and is invoiced.
    Dispatch { order: u32 },
    /// The buyer receives it.
    Deliver { order: u32 },
    /// The buyer returns the order.
    Return { order: u32, damaged: bool },
    /// The seller's settlement for the cycle that ends now.
    Settle,
}

/// One order in this many (by its place in the seller's orders), if the buyer returns it,
/// returns it after it was settled: operations staff accept it (a defect found late) and the
/// settlement reverses the payout. Decided by the order's place, not by a draw, so every other
/// order's fate stays as it was drawn.
const LATE_RETURN_EVERY: u32 = 10;

/// How much later than its draw (1 to 9 days after delivery) a late return comes: past the
/// window (`return_days` after delivery), past the end of the settlement cycle the window
/// closes in (at most 7 days on), and a day more, so the order is always settled first.
fn late_return_delay(return_days: u16) -> TimeDelta {
    TimeDelta::days(i64::from(return_days) + 8)
}

/// Who may cancel an order, as `Act::Cancel` names them.
pub(super) const CANCELLERS: [CancelledBy; 3] = [
    CancelledBy::Buyer,
    CancelledBy::Marketplace,
    CancelledBy::Seller,
];

impl SellerRun<'_, '_, '_, '_, '_> {
    /// Orders a listing can expect in a month (in thousandths), at its home location.
    fn monthly_demand_milli(&self, listing: u32, plan: &Plan, month: usize) -> u128 {
        let Some(info) = self.listings.get(listing as usize) else {
            return 0;
        };
        let Some(m) = plan.months.get(month) else {
            return 0;
        };
        let year = plan
            .years
            .iter()
            .position(|fy| *fy == m.financial_year())
            .unwrap_or(0);
        let season = SEASON[(m.month() as usize + 8) % 12];
        u128::from(self.world.config.orders_per_listing_month.basis_points())
            * u128::from(info.appeal)
            * u128::from(self.size)
            * u128::from(self.demand.get(year).copied().unwrap_or(1_000))
            * u128::from(season)
            / 10_000_000_000_000
    }

    /// Three months of expected orders, and a fifth more, and three: what a purchase order
    /// asks for.
    pub(super) fn restock_quantity(&self, listing: u32, plan: &Plan, at: DateTime<Utc>) -> u64 {
        let month = plan.months.iter().position(|m| m.end() > at).unwrap_or(0);
        let three_months: u128 = (month..month + 3)
            .map(|m| {
                self.monthly_demand_milli(listing, plan, m.min(plan.months.len().saturating_sub(1)))
            })
            .sum();
        (three_months * 12 / 10 / 1_000) as u64 + 3
    }

    /// Announces a purchase order of `quantity` at `at`, to arrive at `arrives`.
    pub(super) fn expect_stock(
        &mut self,
        listing: u32,
        quantity: u64,
        at: DateTime<Utc>,
        arrives: DateTime<Utc>,
    ) {
        let Some(info) = self.listings.get_mut(listing as usize) else {
            return;
        };
        info.po += 1;
        info.restocking = true;
        let po = info.po;
        let key = StockKey::new(self.id, info.sku.clone(), info.home);
        let purchase_order = format!("PO-{}-{po}", info.id);
        let me = Actor::Seller(self.id);
        self.stock_cmd(
            me,
            Operation::ExpectInbound {
                key,
                quantity,
                purchase_order,
            },
            at,
        );
        self.push(
            arrives,
            Act::Receive {
                listing,
                quantity: u32::try_from(quantity).unwrap_or(u32::MAX),
                po,
            },
        );
    }

    /// Runs the queued actions in time order until none is left.
    pub(super) fn drain(&mut self, plan: &Plan) {
        while let Some((millis, act)) = self.pop() {
            let Some(at) = DateTime::<Utc>::from_timestamp_millis(millis) else {
                continue;
            };
            match act {
                Act::Month { listing, month } => self.month_of_orders(listing, month, plan),
                Act::Place { listing } => self.place(listing, at, plan),
                Act::Receive {
                    listing,
                    quantity,
                    po,
                } => {
                    let Some(info) = self.listings.get_mut(listing as usize) else {
                        continue;
                    };
                    info.restocking = false;
                    let key = StockKey::new(self.id, info.sku.clone(), info.home);
                    let purchase_order = format!("PO-{}-{po}", info.id);
                    let operation = Operation::ReceiveInbound {
                        key,
                        purchase_order,
                        good: u64::from(quantity),
                        damaged: 0,
                        into: Receipt::Available,
                    };
                    self.stock_cmd(Actor::Seller(self.id), operation, at);
                }
                Act::Live { listing } => {
                    if let Some(info) = self.listings.get(listing as usize) {
                        self.shelf.put_listing(info.view.clone());
                    }
                }
                Act::Cancel { order, by } => {
                    let by = CANCELLERS.get(usize::from(by)).copied();
                    if let (Some(id), Some(by)) = (self.orders.get(order as usize).copied(), by) {
                        self.cancel(id, by, at);
                    }
                }
                Act::Pack { order } => {
                    if let Some(id) = self.orders.get(order as usize).copied() {
                        self.pack(id, at);
                    }
                }
                Act::Dispatch { order } => {
                    if let Some(id) = self.orders.get(order as usize).copied() {
                        self.dispatch(id, at);
                    }
                }
                Act::Deliver { order } => {
                    if let Some(id) = self.orders.get(order as usize).copied() {
                        self.deliver(id, at);
                    }
                }
                Act::Return { order, damaged } => {
                    if let Some(id) = self.orders.get(order as usize).copied() {
                        self.take_back(id, damaged, at);
                    }
                }
                Act::Settle => self.settle(at),
            }
        }
    }

    /// Queues a month of a listing's orders, at random instants of the part of the month it is
    /// live (from its going live, in its first month), with the demand of that part.
    fn month_of_orders(&mut self, listing: u32, month: u16, plan: &Plan) {
        let m = usize::from(month);
        let (Some(&this), Some(info)) = (plan.months.get(m), self.listings.get(listing as usize))
        else {
            return;
        };
        let start = this.start().max(info.live_at);
        let month_minutes = (this.end() - this.start()).num_minutes().max(1) as u128;
        let minutes = (this.end() - start).num_minutes().max(0) as u128;
        let expected = self.monthly_demand_milli(listing, plan, m) * minutes / month_minutes;
        let count = self.rng.round_random(expected, 1_000);
        let minutes = minutes.max(1) as u64;
        for _ in 0..count {
            let at = start + TimeDelta::minutes(self.rng.below(minutes) as i64);
            self.push(at, Act::Place { listing });
        }
        if m + 1 < plan.months.len() {
            self.push(
                this.end(),
                Act::Month {
                    listing,
                    month: month + 1,
                },
            );
        }
    }

    /// A buyer checks out `listing` at `at` (a cart of one line, through the order book:
    /// priced from the live listing, taxed, allocated over the seller's stock and reserved);
    /// then what becomes of the order is drawn and queued: cancelled, or packed, dispatched
    /// and delivered (and perhaps returned). A checkout refused for want of stock places no
    /// order: the seller restocks.
    fn place(&mut self, listing: u32, at: DateTime<Utc>, plan: &Plan) {
        let world = self.world;
        let config = &world.config;
        let Some(info) = self.listings.get(listing as usize) else {
            return;
        };
        let (sku, home, listing_id) = (info.sku.clone(), info.home, info.id);
        let quantity: u32 = if self.rng.chance_bp(1_000) { 2 } else { 1 };
        let destination = if self.constraint.is_none()
            && self.rng.chance_bp(config.inter_state_share.basis_points())
        {
            self.rng.pick(&world.other_pins).copied()
        } else {
            self.rng.pick(&world.home_pins).copied()
        };
        let Some(destination) = destination else {
            return;
        };
        self.placed += 1;
        let request = CheckoutRequest {
            actor: Actor::System,
            key: IdempotencyKey::new(u128::from(self.placed)),
            cart: Cart {
                buyer: BuyerId::new(self.id.get() * 1_000_000 + u64::from(self.placed)),
                pin_code: destination,
                lines: vec![CartLine {
                    listing: listing_id,
                    quantity,
                }],
            },
        };
        let market = Market {
            shelf: &self.shelf,
            rates: GstRateTable::india(),
            allocator: &world.allocator,
            terms: world.terms,
        };
        self.out.counts.commands += 1;
        let checkout = self.book.checkout(&market, &mut self.ledger, &request, at);
        self.journal();
        let placement = match checkout {
            Ok(placement) => placement,
            Err(OrderError::CheckoutRefused { refusals })
                if refusals
                    .iter()
                    .all(|r| matches!(r.reason, RefusalReason::OutOfStock { .. })) =>
            {
                // Nothing to ship from: no order, and the seller restocks.
                self.out.counts.stock_outs += 1;
                if !self.listings[listing as usize].restocking {
                    let quantity = self.restock_quantity(listing, plan, at);
                    self.expect_stock(
                        listing,
                        quantity,
                        at + TimeDelta::hours(3),
                        at + TimeDelta::days(3),
                    );
                }
                return;
            }
            Err(e) => {
                self.out.refused(Refusal::of_orders(&e));
                return;
            }
        };
        for event in &placement.events {
            self.order_event(event);
        }
        let Some(&order) = placement.orders.first() else {
            return;
        };
        let local = self.orders.len() as u32;
        self.orders.push(order);
        let promised = at + world.terms.dispatch_within;

        // What becomes of it.
        let roll = self.rng.below(10_000) as u32;
        let rates = self.outcomes;
        let buyer = rates.buyer_cancellation.basis_points();
        let marketplace = buyer + rates.marketplace_cancellation.basis_points();
        let seller = marketplace + rates.seller_cancellation.basis_points();
        let cancelled = if roll < buyer {
            Some((0, hours(&mut self.rng, 1, 20)))
        } else if roll < marketplace {
            Some((1, hours(&mut self.rng, 0, 2)))
        } else if roll < seller {
            Some((2, hours(&mut self.rng, 12, 40)))
        } else {
            None
        };
        if let Some((by, after)) = cancelled {
            self.push(at + after, Act::Cancel { order: local, by });
        } else {
            let late = self.rng.chance_bp(rates.late_dispatch.basis_points());
            let dispatched = if late {
                promised + hours(&mut self.rng, 2, 48)
            } else {
                at + hours(&mut self.rng, 3, 46)
            };
            let delivered = dispatched + hours(&mut self.rng, 24, 24 * 6);
            // Packed half way between checkout and dispatch.
            self.push(at + (dispatched - at) / 2, Act::Pack { order: local });
            self.push(dispatched, Act::Dispatch { order: local });
            self.push(delivered, Act::Deliver { order: local });
            if self.rng.chance_bp(rates.returns.basis_points()) {
                let mut returned = delivered + hours(&mut self.rng, 24, 24 * 9);
                if local % LATE_RETURN_EVERY == LATE_RETURN_EVERY - 1 {
                    // A defect found late: back after the order was settled, so the next
                    // cycle reverses its payout.
                    returned += late_return_delay(world.return_days);
                }
                let damaged = self.rng.chance_bp(1_500);
                self.push(
                    returned,
                    Act::Return {
                        order: local,
                        damaged,
                    },
                );
            }
            // Restock when the home location runs low.
            let left = self.ledger.available(self.id, &sku, home, at);
            if left <= 2 && !self.listings[listing as usize].restocking {
                let quantity = self.restock_quantity(listing, plan, at);
                self.expect_stock(
                    listing,
                    quantity,
                    at + TimeDelta::hours(2),
                    at + TimeDelta::days(4),
                );
            }
        }
    }
}
