//! What a seller hub and the marketplace ask of a placed order.

use std::fmt;

use haat_core::{Actor, OrderId};
use serde::{Deserialize, Serialize};

use super::{CancelledBy, ReturnBucket, ReturnedLine};

/// A command on a placed order. Every command names the [`Actor`] asking: the seller acts only
/// on its own orders, and what the courier or a buyer does is recorded by the marketplace.
/// (Orders are placed by [`checkout`](crate::OrderBook::checkout), not by a command here.)
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OrderCommand {
    /// Mark the order packed (the seller, or the marketplace for it).
    Pack {
        /// Who asks.
        actor: Actor,
        /// The order.
        order: OrderId,
    },
    /// Hand the order to the courier: its reservation is committed.
    Dispatch {
        /// Who asks.
        actor: Actor,
        /// The order.
        order: OrderId,
    },
    /// Record delivery (the marketplace, from the courier).
    Deliver {
        /// Who asks.
        actor: Actor,
        /// The order.
        order: OrderId,
    },
    /// Cancel before dispatch: the reservation is released. A buyer's or the marketplace's
    /// cancellation is recorded by the marketplace; a seller may cancel its own order.
    Cancel {
        /// Who asks.
        actor: Actor,
        /// The order.
        order: OrderId,
        /// Whose decision it is.
        cancelled_by: CancelledBy,
    },
    /// The courier brought an undelivered order back (the marketplace records it).
    ReturnToOrigin {
        /// Who asks.
        actor: Actor,
        /// The order.
        order: OrderId,
        /// Where its units go.
        bucket: ReturnBucket,
    },
    /// The buyer returned units within the return window (the marketplace records it;
    /// operations staff may also accept a return after the window closes).
    Return {
        /// Who asks.
        actor: Actor,
        /// The order.
        order: OrderId,
        /// What comes back, and where it goes.
        lines: Vec<ReturnedLine>,
    },
}

impl OrderCommand {
    /// Who asks.
    pub fn actor(&self) -> Actor {
        match self {
            OrderCommand::Pack { actor, .. }
            | OrderCommand::Dispatch { actor, .. }
            | OrderCommand::Deliver { actor, .. }
            | OrderCommand::Cancel { actor, .. }
            | OrderCommand::ReturnToOrigin { actor, .. }
            | OrderCommand::Return { actor, .. } => *actor,
        }
    }

    /// The order it is about.
    pub fn order(&self) -> OrderId {
        match self {
            OrderCommand::Pack { order, .. }
            | OrderCommand::Dispatch { order, .. }
            | OrderCommand::Deliver { order, .. }
            | OrderCommand::Cancel { order, .. }
            | OrderCommand::ReturnToOrigin { order, .. }
            | OrderCommand::Return { order, .. } => *order,
        }
    }

    /// What it asks for, for error messages.
    pub fn action(&self) -> OrderAction {
        match self {
            OrderCommand::Pack { .. } => OrderAction::Pack,
            OrderCommand::Dispatch { .. } => OrderAction::Dispatch,
            OrderCommand::Deliver { .. } => OrderAction::Deliver,
            OrderCommand::Cancel { .. } => OrderAction::Cancel,
            OrderCommand::ReturnToOrigin { .. } => OrderAction::ReturnToOrigin,
            OrderCommand::Return { .. } => OrderAction::Return,
        }
    }
}

/// An action on orders, as errors name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrderAction {
    /// Check a cart out.
    Checkout,
    /// Pack.
    Pack,
    /// Dispatch.
    Dispatch,
    /// Record delivery.
    Deliver,
    /// Cancel.
    Cancel,
    /// Record a return to origin.
    ReturnToOrigin,
    /// Record a buyer's return.
    Return,
    /// Issue a tax invoice or a bill of supply.
    Invoice,
    /// Issue a credit note.
    CreditNote,
}

impl fmt::Display for OrderAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OrderAction::Checkout => "check out",
            OrderAction::Pack => "pack",
            OrderAction::Dispatch => "dispatch",
            OrderAction::Deliver => "record delivery of",
            OrderAction::Cancel => "cancel",
            OrderAction::ReturnToOrigin => "return to origin",
            OrderAction::Return => "record a return of",
            OrderAction::Invoice => "invoice",
            OrderAction::CreditNote => "issue a credit note for",
        })
    }
}
