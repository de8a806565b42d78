//! A seller's invoices as an aggregate of the hub's own: `invoices/<seller>`, the seller's
//! document series (numbering is per seller and financial year, so one stream per seller
//! keeps it gap-free under the store's expected version).
//!
//! `haat-orders`' [`InvoiceRegister`] is already a decider; this adapter is all the store
//! needs: a stream kind, the command, and the order the invoice is decided on as context.

use chrono::{DateTime, Utc};
use haat::core::{Actor, OrderId, SellerId};
use haat::orders::{Error, InvoiceEvent, InvoiceRegister, Order};
use haat::seller::Gstin;
use haat_store::Aggregate;

/// One seller's invoice register.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SellerInvoices(pub InvoiceRegister);

/// Issue the invoice of an order.
#[derive(Clone, Debug)]
pub struct Invoice {
    /// Who asks.
    pub actor: Actor,
    /// The order.
    pub order: OrderId,
    /// The seller the order is of.
    pub seller: SellerId,
}

impl Aggregate for SellerInvoices {
    const KIND: &'static str = "invoices";
    const SNAPSHOT_VERSION: Option<u32> = None;

    type Id = SellerId;
    type Command = Invoice;
    type Event = InvoiceEvent;
    type Error = Error;
    /// The order as its events left it, and the seller's GSTIN (a registered seller's
    /// invoice must carry it).
    type Context = (Order, Option<Gstin>);

    fn belongs(id: &SellerId, command: &Invoice) -> bool {
        command.seller == *id
    }

    fn decide(
        &self,
        (order, gstin): &(Order, Option<Gstin>),
        command: &Invoice,
        now: DateTime<Utc>,
    ) -> Result<Vec<InvoiceEvent>, Error> {
        if order.id() != Some(command.order) {
            return Err(Error::UnknownOrder {
                order: command.order,
            });
        }
        self.0.decide_invoice(command.actor, order, *gstin, now)
    }

    fn apply(&mut self, event: &InvoiceEvent) {
        self.0.apply(event);
    }
}
