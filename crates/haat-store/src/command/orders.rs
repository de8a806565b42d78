//! Checkout and an order's later steps: the order's stream and its seller's ledger stream.
//!
//! A checkout reserves stock in the seller's ledger and places the order; dispatching,
//! cancelling and returns move stock and move the order. Each is two appends, the ledger's
//! first: the store keeps one stream's append atomic, not two streams'. What makes the pair
//! safe is that every ledger command an order asks for is keyed by the order and the step
//! (`haat-orders` derives the key), so deciding the step again finds the ledger's first
//! outcome and moves nothing twice:
//!
//! - a crash (or a lost race on the order's stream) after the ledger's append leaves stock
//!   held or moved for an order step not yet recorded; the command retried under its command
//!   id, at the same instant, appends no stock and records the order's events. A checkout
//!   never retried leaves a hold that lapses at its expiry and frees its units: stock is
//!   never oversold, and never lost;
//! - the order's append carries the command id and its outcome, so a command acknowledged
//!   after that append answers its first outcome ever after.
//!
//! A stored checkout is one seller's share of a cart (one order, one ledger stream): a cart
//! spanning sellers is checked out per seller by the caller.

use haat_core::{OrderId, SellerId};
use haat_inventory::LedgerEvent;
use haat_orders::{
    CheckoutRequest, Error, Market, Order, OrderBook, OrderCommand, OrderEvent, Shelf,
};

use super::{CommandHandler, Handled, HandlerError, Recorded, encode};
use crate::aggregate::SellerStock;
use crate::{AppendRequest, EventStore, Metadata, StoreError};

impl<S: EventStore + ?Sized> CommandHandler<'_, S> {
    /// Checks `request`'s cart out as order `order` at `meta.recorded_at`: the seller's stock
    /// reserved in its ledger stream, then `OrderPlaced` in the order's stream.
    ///
    /// A retry must carry the same command id, cart and instant (the reservation's expiry
    /// is part of the ledger command a retry must repeat exactly).
    ///
    /// # Errors
    /// [`HandlerError::Refused`] with checkout's refusal; [`HandlerError::MixedCart`] for a
    /// cart of several sellers' listings (or none the shelf knows);
    /// [`HandlerError::StreamExists`] when the order id is taken; the handler's other errors.
    pub fn checkout<Sh: Shelf>(
        &self,
        market: &Market<'_, Sh>,
        order: OrderId,
        request: &CheckoutRequest,
        meta: &Metadata,
    ) -> Result<Handled<OrderEvent>, HandlerError<Error>> {
        let stream = Self::stream_of::<Order>(&order)?;
        if let Some(first) = self.first_outcome::<Order>(meta.command_id.as_ref())? {
            return Ok(first);
        }
        let mut sellers: Vec<SellerId> = request
            .cart
            .lines
            .iter()
            .filter_map(|line| market.shelf.listing(line.listing).map(|l| l.seller))
            .collect();
        sellers.sort_unstable();
        sellers.dedup();
        let seller = match sellers.as_slice() {
            [one] => *one,
            // No known listing: checkout itself says which lines it cannot price.
            [] if !request.cart.lines.is_empty() => SellerId::new(0),
            _ => {
                return Err(HandlerError::MixedCart {
                    sellers: sellers.len(),
                });
            }
        };
        let now = meta.recorded_at;
        for _ in 0..self.attempts {
            let placed = self.load::<Order>(&order)?;
            if placed.version > 0 {
                return Err(HandlerError::StreamExists {
                    stream,
                    version: placed.version,
                });
            }
            let stock = self
                .load::<SellerStock>(&seller)
                .map_err(|e| e.map_refused(|e| Error::Stock { order, source: e }))?;
            let mut ledger = stock.state.0.clone();
            let first_seq = ledger.next_seq();
            let mut book = OrderBook::starting_at(order);
            let placement = book
                .checkout(market, &mut ledger, request, now)
                .map_err(HandlerError::Refused)?;
            let ledger_events: Vec<LedgerEvent> = ledger.events_since(first_seq).collect();
            match self.append_pair(
                (&stock.stream, stock.version, &ledger_events),
                (&stream, placed.version, &placement.events),
                meta,
            )? {
                Some(handled) => return Ok(handled),
                None => continue,
            }
        }
        Err(HandlerError::Contended {
            stream,
            attempts: self.attempts,
        })
    }

    /// Decides `command` on its order and moves the seller's stock with it (the ledger
    /// commands `haat-orders` derives for the step), at `meta.recorded_at`.
    ///
    /// # Errors
    /// [`HandlerError::Refused`] with the order's or the ledger's refusal; the handler's
    /// other errors.
    pub fn execute_order(
        &self,
        command: &OrderCommand,
        meta: &Metadata,
    ) -> Result<Handled<OrderEvent>, HandlerError<Error>> {
        let id = command.order();
        let stream = Self::stream_of::<Order>(&id)?;
        if let Some(first) = self.first_outcome::<Order>(meta.command_id.as_ref())? {
            return Ok(first);
        }
        for _ in 0..self.attempts {
            let loaded = self.load::<Order>(&id)?;
            let Some(seller) = loaded.state.seller() else {
                return Err(HandlerError::Refused(Error::UnknownOrder { order: id }));
            };
            let stock = self.load::<SellerStock>(&seller).map_err(|e| {
                e.map_refused(|e| Error::Stock {
                    order: id,
                    source: e,
                })
            })?;
            let mut ledger = stock.state.0.clone();
            let first_seq = ledger.next_seq();
            let mut book = OrderBook::starting_at(id);
            for event in self.store.read_stream(&stream, 0)? {
                book.apply(&super::decode::<Order>(&event)?);
            }
            let events = book
                .execute(&mut ledger, command, meta.recorded_at)
                .map_err(HandlerError::Refused)?;
            let ledger_events: Vec<LedgerEvent> = ledger.events_since(first_seq).collect();
            match self.append_pair(
                (&stock.stream, stock.version, &ledger_events),
                (&stream, loaded.version, &events),
                meta,
            )? {
                Some(handled) => return Ok(handled),
                None => continue,
            }
        }
        Err(HandlerError::Contended {
            stream,
            attempts: self.attempts,
        })
    }

    /// Appends the ledger's events (if any), then the order's with the command id and its
    /// outcome. `None`: a race was lost on either stream, decide again.
    fn append_pair(
        &self,
        (ledger_stream, ledger_version, ledger_events): (&crate::StreamId, u64, &[LedgerEvent]),
        (order_stream, order_version, order_events): (&crate::StreamId, u64, &[OrderEvent]),
        meta: &Metadata,
    ) -> Result<Option<Handled<OrderEvent>>, HandlerError<Error>> {
        if !ledger_events.is_empty() {
            let (new, claims) =
                encode::<SellerStock>(ledger_stream, ledger_events).map_err(|e| {
                    e.map_refused(|e| Error::Stock {
                        order: OrderId::new(0),
                        source: e,
                    })
                })?;
            // The ledger's append carries no command id: the id keys the command's one
            // outcome, recorded with the order's append below.
            let ledger_meta = Metadata {
                command_id: None,
                ..meta.clone()
            };
            let request = AppendRequest::new(ledger_stream, ledger_version, &new, &ledger_meta)
                .claims(&claims);
            match self.store.submit(&request) {
                Ok(_) => {}
                Err(StoreError::Conflict { .. }) => return Ok(None),
                Err(other) => return Err(HandlerError::Store(other)),
            }
        }
        let (new, claims) = encode::<Order>(order_stream, order_events)?;
        let outcome = Recorded::value(order_stream, order_version, order_events.len());
        let request = AppendRequest::new(order_stream, order_version, &new, meta)
            .claims(&claims)
            .outcome(Some(&outcome));
        match self.store.submit(&request) {
            Ok(appended) => Ok(Some(Handled {
                stream: order_stream.clone(),
                events: order_events.to_vec(),
                version: appended.version,
                positions: appended.positions,
                replayed: false,
            })),
            Err(StoreError::Conflict { .. }) => Ok(None),
            Err(StoreError::DuplicateCommand { command }) => {
                match self.first_outcome::<Order>(Some(&command))? {
                    Some(first) => Ok(Some(first)),
                    None => Err(HandlerError::Store(StoreError::DuplicateCommand {
                        command,
                    })),
                }
            }
            Err(other) => Err(HandlerError::Store(other)),
        }
    }
}
