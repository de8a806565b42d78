//! Reservations: holds on available stock with an owner and an expiry.

use std::fmt;

use haat_core::OrderId;
use serde::{Deserialize, Serialize};

/// A reservation placed in a [`StockLedger`](crate::StockLedger), numbered by the ledger from 1.
///
/// ```
/// use haat_inventory::ReservationId;
/// assert_eq!(ReservationId::new(3).to_string(), "3");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReservationId(u64);

impl ReservationId {
    /// Wraps a raw number.
    pub const fn new(raw: u64) -> Self {
        Self(raw)
    }

    /// The raw number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Debug for ReservationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReservationId({})", self.0)
    }
}

impl fmt::Display for ReservationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Who a reservation holds stock for.
///
/// ```
/// use haat_core::OrderId;
/// use haat_inventory::ReservationOwner;
/// let json = serde_json::to_string(&ReservationOwner::Order(OrderId::new(9)))?;
/// assert_eq!(json, r#"{"kind":"order","id":9}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ReservationOwner {
    /// A placed order.
    Order(OrderId),
    /// A buyer's cart (a short hold during checkout).
    Cart(u64),
}
