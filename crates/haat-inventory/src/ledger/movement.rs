//! Movements and the ledger's events: the stored, serialised record of every change.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use haat_core::{Actor, OrderId};
use serde::{Deserialize, Serialize};

use crate::{Bucket, ReservationId, ReservationOwner, StockKey};

/// The caller's key for one operation: a retry with the same key returns the first outcome.
///
/// A 128-bit number (a UUID fits), written as 32 lower-case hex digits in text and JSON.
///
/// ```
/// use haat_inventory::IdempotencyKey;
/// let key = IdempotencyKey::new(0x2a);
/// assert_eq!(key.to_string(), "0000000000000000000000000000002a");
/// assert_eq!("0000000000000000000000000000002a".parse::<IdempotencyKey>()?, key);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(u128);

impl IdempotencyKey {
    /// Wraps a raw 128-bit number.
    pub const fn new(raw: u128) -> Self {
        Self(raw)
    }

    /// The raw number.
    pub const fn get(self) -> u128 {
        self.0
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdempotencyKey({:032x})", self.0)
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// Why an idempotency key did not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("idempotency key '{input}' is not 1 to 32 hex digits (a UUID's hyphens are allowed)")]
pub struct InvalidIdempotencyKey {
    input: String,
}

impl FromStr for IdempotencyKey {
    type Err = InvalidIdempotencyKey;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits: String = s.trim().chars().filter(|&c| c != '-').collect();
        // Hex digits only: `from_str_radix` alone would also take a sign (`+ff`).
        if digits.is_empty() || digits.len() > 32 || !digits.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(InvalidIdempotencyKey {
                input: s.to_owned(),
            });
        }
        u128::from_str_radix(&digits, 16)
            .map(Self)
            .map_err(|_| InvalidIdempotencyKey {
                input: s.to_owned(),
            })
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = InvalidIdempotencyKey;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<IdempotencyKey> for String {
    fn from(key: IdempotencyKey) -> String {
        key.to_string()
    }
}

/// Why units moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MovementReason {
    /// A purchase order announced units (outside → incoming).
    Expected,
    /// Units arrived (incoming → quality check, available or damaged).
    Received,
    /// A quality check passed or failed units (quality check → available or damaged).
    QualityChecked,
    /// A reservation held units (available → reserved).
    Reserved,
    /// A reservation was released (reserved → available).
    Released,
    /// A reservation expired (reserved → available).
    Expired,
    /// A reservation shipped (reserved → shipped).
    Committed,
    /// An order was cancelled before it shipped (reserved → available). Older streams may
    /// hold shipped → available too, from when a committed reservation could be cancelled.
    Cancelled,
    /// A buyer returned units (shipped → available or damaged).
    Returned,
    /// A cycle count found more or fewer units than the ledger had (outside → available, or
    /// available → written off).
    Counted,
    /// Units found outside a count (outside → available).
    Found,
    /// Units lost outside a count (available → written off).
    Lost,
    /// Units left for another location (available → outside here; outside → in transit there).
    TransferredOut,
    /// A transfer arrived (in transit → available or quality check).
    TransferredIn,
    /// Units were found damaged (available → damaged).
    MarkedDamaged,
    /// Damaged units were disposed of (damaged → written off).
    WrittenOff,
    /// The safety stock was raised or lowered (available ↔ safety stock).
    SafetyStockSet,
}

/// The document a movement belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reference {
    /// A purchase order, by the seller's number.
    PurchaseOrder(String),
    /// A reservation in this ledger.
    Reservation(ReservationId),
    /// A buyer's order (returns).
    Order(OrderId),
    /// A transfer between locations.
    Transfer(u64),
    /// A stock count.
    Count(u64),
    /// No document (a damage mark, a write-off, a safety-stock setting).
    None,
}

/// One change of one cell: `quantity` units from one bucket to another.
///
/// `from: None` means the units came from outside the cell (a supplier, a count that found
/// more, another location); `to: None` means they left it for another location. Every movement
/// is tied to the operation that made it by the idempotency key, and to a document by its
/// reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Movement {
    /// The ledger's sequence number (shared with all ledger events, from 1).
    pub seq: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: Actor,
    /// Why.
    pub reason: MovementReason,
    /// The document it belongs to.
    pub reference: Reference,
    /// The operation's idempotency key.
    pub idempotency_key: IdempotencyKey,
    /// Whose stock, where.
    pub key: StockKey,
    /// The bucket the units left (`None`: outside the cell).
    pub from: Option<Bucket>,
    /// The bucket the units entered (`None`: outside the cell).
    pub to: Option<Bucket>,
    /// How many units.
    pub quantity: u64,
}

/// What one successful operation produced, as remembered for its idempotency key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The sequence number of the operation's first event.
    pub first_seq: u64,
    /// How many events it wrote (including the final `operation_recorded`).
    pub events: u32,
    /// The reservation it placed, for a reservation request.
    pub reservation: Option<ReservationId>,
    /// Whether this answer is a retry's: the outcome of the first attempt, nothing moved now.
    #[serde(skip)]
    pub replayed: bool,
}

/// The ledger's events: what an embedding service stores, and what
/// [`StockLedger::replay`](crate::StockLedger::replay) folds back into the same ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LedgerEvent {
    /// The ledger saw a stock key for the first time and numbered its cell.
    CellOpened {
        /// Sequence number.
        seq: u64,
        /// The cell's number.
        cell: u32,
        /// The key.
        key: StockKey,
    },
    /// Units moved.
    Moved(Movement),
    /// A reservation was placed (its lines follow as `reserved` movements).
    ReservationPlaced {
        /// Sequence number.
        seq: u64,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        actor: Actor,
        /// The operation's idempotency key.
        idempotency_key: IdempotencyKey,
        /// The reservation.
        reservation: ReservationId,
        /// Whom it holds stock for.
        owner: ReservationOwner,
        /// When its holds lapse.
        expires_at: DateTime<Utc>,
    },
    /// A seller set the point at or below which a cell is low on stock.
    ReorderPointSet {
        /// Sequence number.
        seq: u64,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        actor: Actor,
        /// The operation's idempotency key.
        idempotency_key: IdempotencyKey,
        /// Whose stock, where.
        key: StockKey,
        /// The reorder point.
        reorder_point: u64,
    },
    /// An operation completed; its key now answers retries with this outcome.
    OperationRecorded {
        /// Sequence number.
        seq: u64,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        actor: Actor,
        /// The operation's idempotency key.
        idempotency_key: IdempotencyKey,
        /// The fingerprint of the operation's payload (a fixed hash of an explicit encoding,
        /// the same on every build): the same key with another payload is refused.
        fingerprint: u64,
        /// What the operation produced.
        outcome: Outcome,
    },
}

impl LedgerEvent {
    /// The event's sequence number.
    pub fn seq(&self) -> u64 {
        match self {
            LedgerEvent::CellOpened { seq, .. }
            | LedgerEvent::ReservationPlaced { seq, .. }
            | LedgerEvent::ReorderPointSet { seq, .. }
            | LedgerEvent::OperationRecorded { seq, .. } => *seq,
            LedgerEvent::Moved(m) => m.seq,
        }
    }

    /// The movement, if this event is one.
    pub fn movement(&self) -> Option<&Movement> {
        match self {
            LedgerEvent::Moved(m) => Some(m),
            _ => None,
        }
    }
}
