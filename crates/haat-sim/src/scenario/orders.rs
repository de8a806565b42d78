//! Orders: a month of a listing's orders at a time, placed at random instants, allocated
//! over the seller's stock and reserved; cancelled, dispatched or returned later, as queued
//! actions run in time order; and the purchase orders that restock a listing.

use chrono::{DateTime, TimeDelta, Utc};
use haat_core::{Actor, ListingId, LocationId, Money, OrderId, SellerId, Sku};
use haat_inventory::{
    AllocationRequest, AvailableStock, CellReservation, Operation, Receipt, ReservationId,
    ReservationOwner, ReturnCondition, StockKey, StockLedger,
};
use haat_metrics::{Cancellation, CancelledBy, OrderRecord};

use super::hours;
use super::seller::SellerRun;
use crate::plan::{Plan, SEASON};
use crate::refusal::{Refusal, SimSurprise};

/// A seller's stock as allocation reads it: the ledger, asked only about the locations the
/// seller has ever sent stock to. Anywhere else the ledger holds nothing of theirs, so the
/// answer there is 0 without a lookup; the answers are exactly the ledger's.
pub(super) struct SellerStock<'l> {
    pub(super) ledger: &'l StockLedger,
    pub(super) stocked: &'l [LocationId],
}

impl AvailableStock for SellerStock<'_> {
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        now: DateTime<Utc>,
    ) -> u64 {
        if self.stocked.contains(&location) {
            self.ledger.available(seller, sku, location, now)
        } else {
            0
        }
    }
}

/// What the orders of a listing need to know about it.
pub(super) struct ListingInfo {
    pub(super) id: ListingId,
    pub(super) sku: Sku,
    pub(super) price: Money,
    pub(super) home: LocationId,
    pub(super) appeal: u32,
    pub(super) restocking: bool,
    pub(super) po: u32,
    /// When it went live: no order comes before.
    pub(super) live_at: DateTime<Utc>,
}

/// An order that reserved stock, for what becomes of it later.
pub(super) struct OrderState {
    pub(super) order: OrderId,
    pub(super) reservation: ReservationId,
    pub(super) key: StockKey,
    pub(super) quantity: u64,
}

/// Something that happens to a seller's listings and orders later, queued in time order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Act {
    /// A month of orders for a listing begins (month index into the plan).
    Month { listing: u32, month: u16 },
    /// An order is placed.
    Place { listing: u32 },
    /// Stock announced by a purchase order arrives.
    Receive {
        listing: u32,
        quantity: u32,
        po: u32,
    },
    /// The order's reservation is cancelled.
    Cancel { order: u32 },
    /// The order ships.
    Dispatch { order: u32 },
    /// The buyer returns the order.
    Return { order: u32, damaged: bool },
}

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
        if !self.stocked.contains(&info.home) {
            self.stocked.push(info.home);
        }
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
                Act::Cancel { order } => {
                    if let Some(state) = self.orders.get(order as usize) {
                        let reservation = state.reservation;
                        self.stock_cmd(Actor::System, Operation::Cancel { reservation }, at);
                    }
                }
                Act::Dispatch { order } => {
                    if let Some(state) = self.orders.get(order as usize) {
                        let reservation = state.reservation;
                        self.stock_cmd(Actor::System, Operation::Commit { reservation }, at);
                    }
                }
                Act::Return { order, damaged } => {
                    if let Some(state) = self.orders.get(order as usize) {
                        let operation = Operation::Return {
                            key: state.key.clone(),
                            quantity: state.quantity,
                            order: state.order,
                            condition: if damaged {
                                ReturnCondition::Damaged
                            } else {
                                ReturnCondition::Restock
                            },
                        };
                        self.stock_cmd(Actor::System, operation, at);
                    }
                }
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

    /// Places an order for `listing` at `at`: allocated over the seller's stock, reserved,
    /// then cancelled, or dispatched (and perhaps returned), as drawn.
    fn place(&mut self, listing: u32, at: DateTime<Utc>, plan: &Plan) {
        let world = self.world;
        let config = &world.config;
        let Some(info) = self.listings.get(listing as usize) else {
            return;
        };
        let (sku, price, home) = (info.sku.clone(), info.price, info.home);
        let listing_id = info.id;
        let quantity: u32 = if self.rng.chance_bp(1_000) { 2 } else { 1 };
        let destination = if self.constraint.is_none()
            && self.rng.chance_bp(config.inter_state_share.basis_points())
        {
            self.rng.pick(&world.other_pins).copied()
        } else {
            self.rng.pick(world.home_pins).copied()
        };
        let Some(destination) = destination else {
            return;
        };
        let Some(amount) = price.checked_mul(u64::from(quantity)) else {
            return;
        };
        // `local` is the order's place among those that reserved stock; its number counts
        // stock-outs too, so that no two orders share an id.
        let local = self.orders.len() as u32;
        self.placed += 1;
        let order = OrderId::new(self.id.get() * 1_000_000 + u64::from(self.placed));
        let promised = at + TimeDelta::days(2);
        let mut record = OrderRecord {
            order,
            seller: self.id,
            listing: listing_id,
            quantity,
            amount,
            placed_at: at,
            promised_dispatch_by: promised,
            dispatched_at: None,
            delivered_at: None,
            cancellation: None,
            returned_at: None,
            destination,
        };

        // Allocate over the seller's stock, then hold it for the order.
        let mut request =
            AllocationRequest::new(destination).line(self.id, sku.clone(), u64::from(quantity));
        if let Some(constraint) = self.constraint {
            request = request.constrain(self.id, constraint);
        }
        let stock = SellerStock {
            ledger: &self.ledger,
            stocked: &self.stocked,
        };
        world
            .allocator
            .allocate_into(&stock, &request, at, &mut self.alloc);
        let shipped_from = self
            .alloc
            .is_complete()
            .then(|| self.alloc.shipments().first().map(|s| s.location()))
            .flatten();
        let Some(location) = shipped_from else {
            // Nothing to ship from: the seller cancels, and restocks.
            self.out.counts.stock_outs += 1;
            record.cancellation = Some(Cancellation {
                at: at + hours(&mut self.rng, 2, 20),
                by: CancelledBy::Seller,
            });
            self.out.order(&record);
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
        };
        let key = StockKey::new(self.id, sku, location);
        // The one-line reservation by cell handle: the same events as `Operation::Reserve`,
        // without building a line list or hashing the key again.
        let reserved = self.ledger.cell(&key).map(|cell| CellReservation {
            cell,
            quantity: u64::from(quantity),
            owner: ReservationOwner::Order(order),
            expires_at: promised + TimeDelta::days(3),
        });
        let Some(reservation) = reserved
            .and_then(|request| {
                self.stock_call(|ledger, key| ledger.reserve_cell(Actor::System, key, request, at))
            })
            .and_then(|outcome| outcome.reservation)
        else {
            self.out
                .refused(Refusal::of_sim(SimSurprise::NoCellToReserve));
            return;
        };
        self.orders.push(OrderState {
            order,
            reservation,
            key: key.clone(),
            quantity: u64::from(quantity),
        });

        // What becomes of it.
        let roll = self.rng.below(10_000) as u32;
        let rates = self.outcomes;
        let buyer = rates.buyer_cancellation.basis_points();
        let marketplace = buyer + rates.marketplace_cancellation.basis_points();
        let seller = marketplace + rates.seller_cancellation.basis_points();
        let cancelled = if roll < buyer {
            Some((CancelledBy::Buyer, hours(&mut self.rng, 1, 20)))
        } else if roll < marketplace {
            Some((CancelledBy::Marketplace, hours(&mut self.rng, 0, 2)))
        } else if roll < seller {
            Some((CancelledBy::Seller, hours(&mut self.rng, 12, 40)))
        } else {
            None
        };
        if let Some((by, after)) = cancelled {
            record.cancellation = Some(Cancellation { at: at + after, by });
            self.push(at + after, Act::Cancel { order: local });
        } else {
            let late = self.rng.chance_bp(rates.late_dispatch.basis_points());
            let dispatched = if late {
                promised + hours(&mut self.rng, 2, 48)
            } else {
                at + hours(&mut self.rng, 3, 46)
            };
            let delivered = dispatched + hours(&mut self.rng, 24, 24 * 6);
            record.dispatched_at = Some(dispatched);
            record.delivered_at = Some(delivered);
            self.push(dispatched, Act::Dispatch { order: local });
            if self.rng.chance_bp(rates.returns.basis_points()) {
                let returned = delivered + hours(&mut self.rng, 24, 24 * 9);
                record.returned_at = Some(returned);
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
            let left = self.ledger.available(self.id, &key.sku().clone(), home, at);
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
        self.out.order(&record);
    }
}
