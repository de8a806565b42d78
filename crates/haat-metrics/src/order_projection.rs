//! The order records the rollups read, projected from `haat-orders`' order events.
//!
//! An [`OrderRecord`] is one order line and what became of it. A marketplace does not write
//! records: it stores [`OrderEvent`]s, and the records are their fold. [`OrderProjection`] is
//! that fold, written once, so a record says what the order's own state says: placed when
//! placed, late when the dispatch came after the promise, cancelled by whoever the event
//! names, returned when the last of the line's units came back.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use haat_core::OrderId;
use haat_orders::{CancelledBy as OrderCancelledBy, OrderEvent};

use crate::{Cancellation, CancelledBy, OrderRecord};

/// One order's records while its events come in.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OpenOrder {
    /// One record per line, in the order's line order.
    records: Vec<OrderRecord>,
    /// Units of each line the buyer returned so far.
    returned: Vec<u32>,
    /// Each line's return window, in days after delivery.
    return_days: Vec<u16>,
}

impl OpenOrder {
    /// Whether nothing can change the records any more at `now`: cancelled, back at its
    /// origin, every line returned, or delivered with every line's return window closed.
    fn is_final_at(&self, now: DateTime<Utc>) -> bool {
        self.records
            .iter()
            .zip(&self.return_days)
            .all(|(r, &days)| {
                r.cancellation.is_some()
                    || r.returned_at.is_some()
                    || r.delivered_at
                        .is_some_and(|at| now > at + Duration::days(i64::from(days)))
            })
    }
}

/// The fold of order events into [`OrderRecord`]s, one per order line.
///
/// Feed it every [`OrderEvent`] with [`apply`](OrderProjection::apply) (events of an order
/// before its `OrderPlaced` are ignored, as the order aggregate ignores them). A record's
/// figures follow the events alone:
///
/// - `amount` is the line's value at checkout (GST included), `promised_dispatch_by` the
///   order's promise, `destination` its delivery PIN code;
/// - `dispatched_at` and `delivered_at` are the order's dispatch and delivery;
/// - a cancellation keeps whose decision it was; an order the courier brought back
///   undelivered counts as cancelled by the marketplace when it arrived back (it was never a
///   sale, and no buyer returned it);
/// - `returned_at` is set when the buyer's returns bring back the last unit of the line;
///   while some units stay with the buyer the line still counts as a sale.
///
/// The metrics add a record once and never take it back, so a service hands them the
/// records of orders that can no longer change ([`take_final`](OrderProjection::take_final))
/// and keeps the rest open; a finished batch of events hands over everything
/// ([`into_records`](OrderProjection::into_records)).
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use haat_catalogue::{GstRegistration, TaxBreakdown, GstRateTable};
/// use haat_core::{Actor, ListingId, LocationId, Money, OrderId, SellerId, StateCode};
/// use haat_inventory::ReservationId;
/// use haat_metrics::OrderProjection;
/// use haat_orders::{BuyerId, OrderEvent, OrderLine};
///
/// let at = Utc.with_ymd_and_hms(2025, 10, 2, 6, 0, 0).unwrap();
/// let wb = StateCode::WEST_BENGAL;
/// let registration = GstRegistration::Registered { state: wb };
/// let price = Money::from_rupees(2_450);
/// let hsn = "5208".parse()?;
/// let rate = GstRateTable::india().rate(&hsn, price, haat_core::ist_date(at))?;
/// let line = OrderLine {
///     listing: ListingId::new(70), sku: "TANT-RED".parse()?,
///     category: "textiles/sarees/handloom/tant".parse()?, hsn,
///     location: LocationId::new(2001), quantity: 1, unit_price: price, mrp: price,
///     tax: TaxBreakdown::for_sale(price, rate, registration, wb)?, return_days: 7,
/// };
/// let order = OrderId::new(1);
/// let mut projection = OrderProjection::default();
/// projection.apply(&OrderEvent::OrderPlaced {
///     order, seller: SellerId::new(7), buyer: BuyerId::new(3), at, by: Actor::System,
///     pin_code: "700001".parse()?, buyer_state: wb, registration, lines: vec![line],
///     reservation: ReservationId::new(1), dispatch_by: at + TimeDelta::days(2),
/// });
/// projection.apply(&OrderEvent::OrderPacked { order, at, by: Actor::Seller(SellerId::new(7)) });
/// projection.apply(&OrderEvent::OrderDispatched {
///     order, at: at + TimeDelta::days(3), by: Actor::Seller(SellerId::new(7)), late: true,
/// });
/// let records = projection.into_records();
/// assert_eq!(records[0].amount, price);
/// assert!(records[0].is_late_dispatch());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderProjection {
    open: BTreeMap<OrderId, OpenOrder>,
}

impl OrderProjection {
    /// The projection of `events`.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a OrderEvent>) -> OrderProjection {
        let mut projection = OrderProjection::default();
        for event in events {
            projection.apply(event);
        }
        projection
    }

    /// Folds one order event in. Infallible: an event is a fact; one about an order not
    /// placed (or placed twice) changes nothing.
    pub fn apply(&mut self, event: &OrderEvent) {
        if let OrderEvent::OrderPlaced {
            order,
            seller,
            at,
            pin_code,
            lines,
            dispatch_by,
            ..
        } = event
        {
            self.open.entry(*order).or_insert_with(|| OpenOrder {
                records: lines
                    .iter()
                    .map(|line| OrderRecord {
                        order: *order,
                        seller: *seller,
                        listing: line.listing,
                        quantity: line.quantity,
                        amount: line.value(),
                        placed_at: *at,
                        promised_dispatch_by: *dispatch_by,
                        dispatched_at: None,
                        delivered_at: None,
                        cancellation: None,
                        returned_at: None,
                        destination: *pin_code,
                    })
                    .collect(),
                returned: vec![0; lines.len()],
                return_days: lines.iter().map(|line| line.return_days).collect(),
            });
            return;
        }
        let Some(open) = self.open.get_mut(&event.order()) else {
            return;
        };
        let cancel = |records: &mut Vec<OrderRecord>, at: DateTime<Utc>, by: CancelledBy| {
            for record in records {
                record.cancellation = Some(Cancellation { at, by });
            }
        };
        match event {
            OrderEvent::OrderDispatched { at, .. } => {
                for record in &mut open.records {
                    record.dispatched_at = Some(*at);
                }
            }
            OrderEvent::OrderDelivered { at, .. } => {
                for record in &mut open.records {
                    record.delivered_at = Some(*at);
                }
            }
            OrderEvent::OrderCancelled {
                at, cancelled_by, ..
            } => cancel(&mut open.records, *at, cancelled_by_of(*cancelled_by)),
            // Never delivered, so never a sale: the marketplace's cancellation (undeliverable).
            OrderEvent::OrderReturnedToOrigin { at, .. } => {
                cancel(&mut open.records, *at, CancelledBy::Marketplace);
            }
            OrderEvent::OrderReturned { at, lines, .. } => {
                for returned in lines {
                    let (Some(record), Some(back)) = (
                        open.records.get_mut(returned.line),
                        open.returned.get_mut(returned.line),
                    ) else {
                        continue;
                    };
                    *back = back.saturating_add(returned.quantity);
                    if *back >= record.quantity && record.returned_at.is_none() {
                        record.returned_at = Some(*at);
                    }
                }
            }
            // Placing is handled above; packing changes no figure.
            _ => {}
        }
    }

    /// The records of order `order` as they stand, one per line.
    pub fn records(&self, order: OrderId) -> Option<&[OrderRecord]> {
        self.open.get(&order).map(|open| open.records.as_slice())
    }

    /// Orders held open.
    pub fn len(&self) -> usize {
        self.open.len()
    }

    /// Whether no order is held.
    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }

    /// Hands over the records of every order that can no longer change at `now` (cancelled,
    /// back at its origin, every line returned, or delivered and past every line's return
    /// window), by order id and line, and forgets those orders.
    pub fn take_final(&mut self, now: DateTime<Utc>) -> Vec<OrderRecord> {
        let done: Vec<OrderId> = self
            .open
            .iter()
            .filter(|(_, open)| open.is_final_at(now))
            .map(|(id, _)| *id)
            .collect();
        done.iter()
            .filter_map(|id| self.open.remove(id))
            .flat_map(|open| open.records)
            .collect()
    }

    /// Every record, by order id and line, whatever becomes of the orders later.
    pub fn into_records(self) -> Vec<OrderRecord> {
        self.open
            .into_values()
            .flat_map(|open| open.records)
            .collect()
    }
}

/// The metrics' name for whose decision a cancellation was.
fn cancelled_by_of(by: OrderCancelledBy) -> CancelledBy {
    match by {
        OrderCancelledBy::Buyer => CancelledBy::Buyer,
        OrderCancelledBy::Seller => CancelledBy::Seller,
        OrderCancelledBy::Marketplace => CancelledBy::Marketplace,
    }
}
