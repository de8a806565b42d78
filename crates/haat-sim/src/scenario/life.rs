//! An order's life after checkout, as the queued actions reach it: packed, dispatched and
//! invoiced, delivered, returned (with a credit note) or cancelled, each through
//! `OrderBook::execute` (which moves the stock in the seller's ledger) and the
//! `InvoiceRegister`; and the seller's weekly settlement through `Settlements::settle`.
//!
//! The order records the metrics read are not written here: they are projected from the
//! order events ([`haat_metrics::OrderProjection`]) and handed over when the seller is done.

use chrono::{DateTime, TimeDelta, Utc};
use haat_catalogue::GstRateTable;
use haat_core::{Actor, Money, OrderId, ist_date, ist_midnight};
use haat_orders::{
    CancelledBy, InvoiceEvent, OrderCommand, OrderEvent, Payee, Payees, ReturnBucket, ReturnedLine,
    SettlementTerms, commission_waived,
};
use haat_seller::{GstStatus, Seller};

use super::orders::Act;
use super::seller::SellerRun;
use super::staff;
use crate::outcome::Event;
use crate::refusal::Refusal;

/// The one seller a seller's run settles with.
struct ThisSeller<'a>(&'a Seller);

impl Payees for ThisSeller<'_> {
    fn payee(&self, seller: haat_core::SellerId, at: DateTime<Utc>) -> Option<Payee> {
        (self.0.id() == Some(seller))
            .then(|| Payee::of(self.0, at))
            .flatten()
    }
}

impl SellerRun<'_, '_, '_, '_, '_> {
    /// Streams the ledger's new events (checkout and the order's steps write to it through
    /// the order book), counts them, and trims its journal.
    pub(super) fn journal(&mut self) {
        let last = self.ledger.next_seq().saturating_sub(1);
        self.out.counts.events += last.saturating_sub(self.ledger_seq);
        if let Some(sink) = self.out.sink.as_deref_mut() {
            for event in self.ledger.events_since(self.ledger_seq) {
                sink(Event::Stock(&event));
            }
        }
        self.ledger_seq = last;
        self.ledger.forget_events_through(last);
    }

    /// An order event: into the projection, and out to the sink.
    pub(super) fn order_event(&mut self, event: &OrderEvent) {
        self.projection.apply(event);
        self.out.order_event(event);
    }

    /// Sends a command on an order; its events if accepted.
    fn order_cmd(&mut self, command: &OrderCommand, at: DateTime<Utc>) -> Option<Vec<OrderEvent>> {
        self.out.counts.commands += 1;
        let result = self.book.execute(&mut self.ledger, command, at);
        self.journal();
        match result {
            Ok(events) => {
                for event in &events {
                    self.order_event(event);
                }
                Some(events)
            }
            Err(e) => {
                self.out.refused(Refusal::of_orders(&e));
                None
            }
        }
    }

    fn invoice_events(&mut self, events: Result<Vec<InvoiceEvent>, haat_orders::Error>) {
        self.out.counts.commands += 1;
        match events {
            Ok(events) => {
                for event in &events {
                    self.invoices.apply(event);
                    self.out.invoice(event);
                }
            }
            Err(e) => self.out.refused(Refusal::of_orders(&e)),
        }
    }

    /// Cancels `order` before dispatch, as `by` decided (the seller itself, or the
    /// marketplace for the buyer or for itself).
    pub(super) fn cancel(&mut self, order: OrderId, by: CancelledBy, at: DateTime<Utc>) {
        let actor = match by {
            CancelledBy::Seller => Actor::Seller(self.id),
            CancelledBy::Buyer | CancelledBy::Marketplace => Actor::System,
        };
        let command = OrderCommand::Cancel {
            actor,
            order,
            cancelled_by: by,
        };
        self.order_cmd(&command, at);
    }

    /// The seller packs `order`.
    pub(super) fn pack(&mut self, order: OrderId, at: DateTime<Utc>) {
        let actor = Actor::Seller(self.id);
        self.order_cmd(&OrderCommand::Pack { actor, order }, at);
    }

    /// The seller hands `order` to the courier (the reservation is committed) and issues its
    /// tax invoice, or a bill of supply without a GSTIN.
    pub(super) fn dispatch(&mut self, order: OrderId, at: DateTime<Utc>) {
        let actor = Actor::Seller(self.id);
        if self
            .order_cmd(&OrderCommand::Dispatch { actor, order }, at)
            .is_none()
        {
            return;
        }
        let gstin = match self.seller.kyc().map(|kyc| &kyc.gst) {
            Some(GstStatus::Registered(gstin)) => Some(*gstin),
            _ => None,
        };
        let Some(placed) = self.book.order(order) else {
            return;
        };
        let events = self.invoices.decide_invoice(actor, placed, gstin, at);
        self.invoice_events(events);
    }

    /// The courier delivers `order`; it waits for settlement once its return window closes.
    pub(super) fn deliver(&mut self, order: OrderId, at: DateTime<Utc>) {
        let actor = Actor::System;
        if self
            .order_cmd(&OrderCommand::Deliver { actor, order }, at)
            .is_none()
        {
            return;
        }
        self.due.push(order);
        if self.next_settle.is_none() {
            let closes = at + TimeDelta::days(i64::from(self.world.return_days));
            self.schedule_settlement(closes);
        }
    }

    /// The buyer returns every unit of `order` (to the damaged bucket or back to sellable)
    /// and the seller's credit note names the invoice. A return drawn after the window
    /// closed is accepted by operations staff (a defect found late), as a marketplace does.
    pub(super) fn take_back(&mut self, order: OrderId, damaged: bool, at: DateTime<Utc>) {
        let Some(placed) = self.book.order(order) else {
            return;
        };
        let window = TimeDelta::days(i64::from(self.world.return_days));
        let late = placed.delivered_at().is_some_and(|d| at > d + window);
        let bucket = if damaged {
            ReturnBucket::Damaged
        } else {
            ReturnBucket::Sellable
        };
        let lines = placed
            .lines()
            .iter()
            .enumerate()
            .map(|(line, l)| ReturnedLine {
                line,
                quantity: l.quantity,
                bucket,
            })
            .collect();
        let actor = if late {
            staff(&mut self.rng)
        } else {
            Actor::System
        };
        let command = OrderCommand::Return {
            actor,
            order,
            lines,
        };
        let Some(events) = self.order_cmd(&command, at) else {
            return;
        };
        for event in &events {
            let Some(placed) = self.book.order(order) else {
                return;
            };
            let credit = self
                .invoices
                .decide_credit_note(Actor::System, placed, event, at);
            self.invoice_events(credit);
        }
        // Units settled before they came back are reversed in the next cycle.
        if late && !self.due.contains(&order) {
            self.due.push(order);
            if self.next_settle.is_none() {
                self.schedule_settlement(at);
            }
        }
    }

    /// Queues the seller's settlement at the end of the cycle after `from` (23:00 IST on
    /// its last day).
    fn schedule_settlement(&mut self, from: DateTime<Utc>) {
        let cycle = self.world.calendar.cycle_of(ist_date(from));
        let at = ist_midnight(cycle.last) + TimeDelta::hours(23);
        let at = if at <= from {
            at + TimeDelta::days(7)
        } else {
            at
        };
        self.next_settle = Some(at);
        self.push(at, Act::Settle);
    }

    /// The seller's settlement for the cycle ending at `at`: the delivered orders past their
    /// return window are paid for, units returned after payment reversed; each statement
    /// goes to the metrics with the commission the programme benefit waived on it. Orders
    /// still inside their window wait for the next cycle.
    pub(super) fn settle(&mut self, at: DateTime<Utc>) {
        self.next_settle = None;
        let world = self.world;
        let terms = SettlementTerms {
            tariff: &world.tariff,
            rates: GstRateTable::india(),
            shipping_fee: world.shipping_fee,
            calendar: world.calendar,
        };
        self.out.counts.commands += 1;
        let due = self.due.iter().filter_map(|id| self.book.order(*id));
        let statements = match self
            .settlements
            .settle(due, &ThisSeller(&self.seller), &terms, at)
        {
            Ok(statements) => statements,
            Err(e) => {
                self.out.refused(Refusal::of_orders(&e));
                Vec::new()
            }
        };
        for statement in &statements {
            let mut waived = Money::ZERO;
            for entry in &statement.entries {
                let Some(order) = self.book.order(entry.order) else {
                    continue;
                };
                let payee = order.placed_at().and_then(|t| Payee::of(&self.seller, t));
                let Some(payee) = payee else {
                    continue;
                };
                match commission_waived(order, entry, &payee, &world.tariff) {
                    Ok(amount) => waived = waived.checked_add(amount).unwrap_or(waived),
                    Err(e) => self.out.refused(Refusal::of_orders(&e)),
                }
            }
            self.out.statement(statement, waived);
        }
        let window = TimeDelta::days(i64::from(world.return_days));
        let book = &self.book;
        self.due.retain(|id| {
            book.order(*id)
                .and_then(|o| o.delivered_at())
                .is_some_and(|delivered| at <= delivered + window)
        });
        if !self.due.is_empty() {
            self.schedule_settlement(at + TimeDelta::minutes(1));
        }
    }

    /// Hands the order records projected from the seller's order events to the metrics, by
    /// order id: the seller's run is over, so nothing changes them any more.
    pub(super) fn hand_over_records(&mut self) {
        let records = std::mem::take(&mut self.projection).into_records();
        for record in &records {
            self.out.order(record);
        }
    }
}
