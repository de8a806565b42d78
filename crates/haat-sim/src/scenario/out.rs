//! Where a run's events go: the metrics (through the duplicate guard), the counts and the
//! optional sink; and where refusals are counted.

use haat_catalogue::ListingEvent;
use haat_core::Money;
use haat_metrics::{DuplicateGuard, Metrics, OrderRecord, Sighting};
use haat_orders::{InvoiceEvent, OrderEvent, Statement};
use haat_seller::SellerEvent;

use crate::outcome::{Counts, Event, SHOWN};
use crate::refusal::{Intended, Refusal};

/// Where the events go: the metrics (through the duplicate guard), the counts and the
/// optional sink.
pub(super) struct Out<'a, 's> {
    pub(super) counts: Counts,
    pub(super) metrics: Metrics,
    /// Each order and event folded in once. A unit's orders and events carry its sellers',
    /// workshop's and listings' ids (order ids are the seller's number × 1,000,000 + n), which
    /// no other unit has, so the guard forgets them when the unit is done.
    pub(super) guard: DuplicateGuard,
    /// Admitted orders not yet folded: the metrics take them in batches through
    /// [`Metrics::add_orders`], the fold `metrics/fold_orders_1m` measures. An order's fold reads
    /// only the order, so folding it a little later changes nothing.
    pub(super) pending: Vec<OrderRecord>,
    pub(super) sink: Option<&'a mut (dyn FnMut(Event<'_>) + 's)>,
}

/// How many admitted orders wait before they are folded in one batch.
const ORDER_BATCH: usize = 4_096;

impl Out<'_, '_> {
    /// Folds the orders waiting in `pending`; called when the batch is full and when a unit ends.
    pub(super) fn flush_orders(&mut self) {
        self.metrics.add_orders(&self.pending);
        self.pending.clear();
    }

    /// Whether the guard admitted a record as new; a conflict is kept in the counts.
    fn first(&mut self, admitted: Result<Sighting, haat_metrics::Error>) -> bool {
        match admitted {
            Ok(sighting) => sighting == Sighting::First,
            Err(error) => {
                self.counts.conflicts.push(error.to_string());
                false
            }
        }
    }

    /// Moves the guard's counts of repeats into the counts, at the end of a run.
    pub(super) fn count_repeats(&mut self) {
        let guard = &self.guard;
        self.counts.repeats = guard.repeated_orders() + guard.repeated_events();
        self.counts.repeated = (guard.repeated_order_ids().iter())
            .map(|id| format!("order {id}"))
            .chain(guard.repeated_event_ids().iter().cloned())
            .take(SHOWN)
            .collect();
    }

    /// Folds in a seller event.
    pub(super) fn seller(&mut self, event: &SellerEvent) {
        self.counts.events += 1;
        let admitted = self.guard.admit_seller_event(event);
        if self.first(admitted) {
            self.metrics.apply_seller_event(event);
        }
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::Seller(event));
        }
    }

    /// Folds in a workshop event.
    pub(super) fn workshop(&mut self, event: &haat_seller::WorkshopEvent) {
        self.counts.events += 1;
        let admitted = self.guard.admit_workshop_event(event);
        if self.first(admitted) {
            self.metrics.apply_workshop_event(event);
        }
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::Workshop(event));
        }
    }

    /// Folds in a listing event, counting the listings made live.
    pub(super) fn listing(&mut self, event: &ListingEvent) {
        self.counts.events += 1;
        if let ListingEvent::Activated { .. } = event {
            self.counts.listings_activated += 1;
        }
        let admitted = self.guard.admit_listing_event(event);
        if self.first(admitted) {
            self.metrics.apply_listing_event(event);
        }
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::Listing(event));
        }
    }

    /// Folds in an order record, counting what became of it.
    pub(super) fn order(&mut self, order: &OrderRecord) {
        self.counts.orders += 1;
        self.counts.last_order_at = self.counts.last_order_at.max(Some(order.placed_at));
        if order.cancellation.is_some() {
            self.counts.cancelled += 1;
        }
        if order.is_seller_cancelled() {
            self.counts.seller_cancelled += 1;
        }
        if order.returned_at.is_some() {
            self.counts.returned += 1;
        }
        let admitted = self.guard.admit_order(order);
        if self.first(admitted) {
            self.pending.push(order.clone());
            if self.pending.len() >= ORDER_BATCH {
                self.flush_orders();
            }
        }
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::Order(order));
        }
    }

    /// Counts an order event and hands it to the sink (the metrics read the records
    /// projected from it).
    pub(super) fn order_event(&mut self, event: &OrderEvent) {
        self.counts.events += 1;
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::OrderEvent(event));
        }
    }

    /// Counts an invoice register event and hands it to the sink.
    pub(super) fn invoice(&mut self, event: &InvoiceEvent) {
        self.counts.events += 1;
        self.counts.documents += 1;
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::Invoice(event));
        }
    }

    /// Folds a settlement statement into the metrics, with the commission a programme
    /// benefit waived on it.
    pub(super) fn statement(&mut self, statement: &Statement, commission_waived: Money) {
        self.counts.statements += 1;
        self.metrics.add_statement(statement, commission_waived);
        if let Some(sink) = self.sink.as_deref_mut() {
            sink(Event::Statement(statement, commission_waived));
        }
    }

    /// Counts a refusal the scenario did not mean to provoke.
    pub(super) fn refused(&mut self, refusal: Refusal) {
        self.counts.refused(refusal);
    }

    /// Counts a refusal the scenario provoked on purpose.
    pub(super) fn intended(&mut self, intended: Intended) {
        *self.counts.intended_rejections.entry(intended).or_default() += 1;
    }
}
