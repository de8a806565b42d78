//! A seller's document register, `invoices/<seller>`: tax invoices, bills of supply and credit
//! notes.
//!
//! Numbering is per seller and financial year (Rule 46: unique and consecutive in a series),
//! so one stream per seller keeps the series gap-free under the store's expected version: two
//! writers cannot both issue the next number. `InvoiceRegister` has no serde form, so the
//! register is rebuilt from its events; a seller issues a few documents a day at most.
//!
//! The register decides on the order as its own events left it, which is the context: the
//! caller loads the order stream first (the order is another aggregate's state, read, never
//! written, here).

use chrono::{DateTime, Utc};
use haat_core::{Actor, OrderId, SellerId};
use haat_orders::{Error, InvoiceEvent, InvoiceRegister, Order, OrderEvent};
use haat_seller::Gstin;

use super::Aggregate;

/// One seller's document register.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SellerInvoices(pub InvoiceRegister);

/// What a seller's register is asked to issue.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvoiceCommand {
    /// The tax invoice (or a non-GST seller's bill of supply) of a packed order.
    Invoice {
        /// Who asks.
        actor: Actor,
        /// The seller the order is of.
        seller: SellerId,
        /// The order.
        order: OrderId,
    },
    /// The credit note of a buyer's return, against the order's invoice.
    CreditNote {
        /// Who asks.
        actor: Actor,
        /// The seller the order is of.
        seller: SellerId,
        /// The return: an `OrderEvent::OrderReturned` of the order in the context.
        returned: OrderEvent,
    },
}

impl InvoiceCommand {
    fn seller(&self) -> SellerId {
        match self {
            InvoiceCommand::Invoice { seller, .. } | InvoiceCommand::CreditNote { seller, .. } => {
                *seller
            }
        }
    }

    fn order(&self) -> OrderId {
        match self {
            InvoiceCommand::Invoice { order, .. } => *order,
            InvoiceCommand::CreditNote { returned, .. } => returned.order(),
        }
    }
}

impl Aggregate for SellerInvoices {
    const KIND: &'static str = "invoices";
    const SNAPSHOT_VERSION: Option<u32> = None;

    type Id = SellerId;
    type Command = InvoiceCommand;
    type Event = InvoiceEvent;
    type Error = Error;
    /// The order as its events left it, and the seller's GSTIN (a registered seller's tax
    /// invoice must carry it; a credit note repeats its invoice's).
    type Context = (Order, Option<Gstin>);

    fn belongs(id: &SellerId, command: &InvoiceCommand) -> bool {
        command.seller() == *id
    }

    fn decide(
        &self,
        (order, gstin): &(Order, Option<Gstin>),
        command: &InvoiceCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<InvoiceEvent>, Error> {
        // The context must be the order the command names: a register never numbers a
        // document for an order it was not shown.
        if order.id() != Some(command.order()) {
            return Err(Error::UnknownOrder {
                order: command.order(),
            });
        }
        match command {
            InvoiceCommand::Invoice { actor, .. } => {
                self.0.decide_invoice(*actor, order, *gstin, now)
            }
            InvoiceCommand::CreditNote {
                actor, returned, ..
            } => self.0.decide_credit_note(*actor, order, returned, now),
        }
    }

    fn apply(&mut self, event: &InvoiceEvent) {
        self.0.apply(event);
    }
}
