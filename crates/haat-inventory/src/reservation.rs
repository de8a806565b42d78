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

/// Where a reservation is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReservationStatus {
    /// Holding stock (possibly already past its expiry: see [`Reservation::is_active_at`]).
    Active,
    /// Shipped.
    Committed,
    /// Released by its owner.
    Released,
    /// Released because it expired.
    Expired,
    /// Cancelled before it was committed.
    Cancelled,
}

impl ReservationStatus {
    /// The status's snake-case name.
    pub fn name(self) -> &'static str {
        match self {
            ReservationStatus::Active => "active",
            ReservationStatus::Committed => "committed",
            ReservationStatus::Released => "released",
            ReservationStatus::Expired => "expired",
            ReservationStatus::Cancelled => "cancelled",
        }
    }
}

/// A reservation as the ledger holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reservation {
    pub(crate) id: ReservationId,
    pub(crate) owner: ReservationOwner,
    pub(crate) expires_at: chrono::DateTime<chrono::Utc>,
    pub(crate) status: ReservationStatus,
    pub(crate) lines: Vec<(crate::StockKey, u64)>,
}

impl Reservation {
    /// Its id.
    pub fn id(&self) -> ReservationId {
        self.id
    }

    /// Whom it holds stock for.
    pub fn owner(&self) -> ReservationOwner {
        self.owner
    }

    /// When its holds lapse.
    pub fn expires_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.expires_at
    }

    /// Its status as recorded (an active reservation past its expiry is still `Active` until
    /// an expiry step or a reservation needing its units writes the release).
    pub fn status(&self) -> ReservationStatus {
        self.status
    }

    /// Whether it holds stock at `now`: active and not yet expired.
    pub fn is_active_at(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.status == ReservationStatus::Active && now < self.expires_at
    }

    /// Its lines: key and units, one per key (demand summed).
    pub fn lines(&self) -> &[(crate::StockKey, u64)] {
        &self.lines
    }
}
