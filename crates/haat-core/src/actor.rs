//! Who is acting: the basis of every authorisation decision.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{SellerId, StaffId};

/// The party behind a command.
///
/// Authorisation is domain logic in haat: every command carries an `Actor`, and each aggregate
/// decides whether that actor may do what it asks. A seller acts only on its own records;
/// operations staff act on any seller's; the system (schedulers, importers, the marketplace's own
/// automation) acts on any.
///
/// ```
/// use haat_core::{Actor, SellerId, StaffId};
/// let weaver = Actor::Seller(SellerId::new(1));
/// assert!(weaver.may_act_for(SellerId::new(1)));
/// assert!(!weaver.may_act_for(SellerId::new(2)));
/// assert!(Actor::Operations(StaffId::new(7)).is_operations());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// A seller, acting for itself.
    Seller(SellerId),
    /// A member of the marketplace's operations staff.
    Operations(StaffId),
    /// The marketplace's own automation.
    System,
}

impl Actor {
    /// Whether this actor may act on the records of `seller`: the seller itself, operations
    /// staff, or the system.
    pub fn may_act_for(&self, seller: SellerId) -> bool {
        match self {
            Actor::Seller(own) => *own == seller,
            Actor::Operations(_) | Actor::System => true,
        }
    }

    /// Whether this actor is operations staff (the only actor that reviews KYC and listings).
    pub fn is_operations(&self) -> bool {
        matches!(self, Actor::Operations(_))
    }

    /// Whether this actor is operations staff or the system: the marketplace rather than a seller.
    pub fn is_marketplace(&self) -> bool {
        !matches!(self, Actor::Seller(_))
    }

    /// The seller this actor is, if it is one.
    pub fn seller(&self) -> Option<SellerId> {
        match self {
            Actor::Seller(id) => Some(*id),
            Actor::Operations(_) | Actor::System => None,
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Seller(id) => write!(f, "seller {id}"),
            Actor::Operations(id) => write!(f, "operations staff {id}"),
            Actor::System => f.write_str("the system"),
        }
    }
}
