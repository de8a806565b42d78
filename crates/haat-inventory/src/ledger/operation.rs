//! Operations on the ledger, as commands.

use chrono::{DateTime, Utc};
use haat_core::{Actor, LocationId, OrderId};

use crate::{IdempotencyKey, ReservationId, ReservationOwner, StockKey};

/// A request to the ledger: who asks, the key that makes a retry safe, and the operation.
///
/// ```
/// use haat_core::{Actor, LocationId, SellerId};
/// use haat_inventory::{Command, IdempotencyKey, Operation, StockKey};
/// let key = StockKey::new(SellerId::new(1), "TANT-01".parse()?, LocationId::new(7));
/// let command = Command::new(
///     Actor::Seller(SellerId::new(1)),
///     IdempotencyKey::new(1),
///     Operation::ExpectInbound { key, quantity: 40, purchase_order: "PO-17".into() },
/// );
/// assert_eq!(command.actor(), Actor::Seller(SellerId::new(1)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    actor: Actor,
    idempotency_key: IdempotencyKey,
    operation: Operation,
}

impl Command {
    /// A command.
    pub fn new(actor: Actor, idempotency_key: IdempotencyKey, operation: Operation) -> Self {
        Self {
            actor,
            idempotency_key,
            operation,
        }
    }

    /// Who asks.
    pub fn actor(&self) -> Actor {
        self.actor
    }

    /// The retry key.
    pub fn idempotency_key(&self) -> IdempotencyKey {
        self.idempotency_key
    }

    /// What is asked.
    pub fn operation(&self) -> &Operation {
        &self.operation
    }
}

/// Where received or transferred units go first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Receipt {
    /// Into quality check (the default for new suppliers).
    QualityCheck,
    /// Straight to available.
    Available,
}

/// What a returned unit is fit for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReturnCondition {
    /// Back to available.
    Restock,
    /// Damaged.
    Damaged,
}

/// Why stock is adjusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdjustmentReason {
    /// A cycle count (reference: the count's id).
    CycleCount(u64),
    /// Found outside a count.
    Found,
    /// Lost outside a count.
    Lost,
}

/// One line of a reservation request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReserveLine {
    /// Whose stock, where.
    pub key: StockKey,
    /// Units wanted.
    pub quantity: u64,
}

/// What the ledger can be asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation {
    /// A purchase order announces units: incoming + `quantity`.
    ExpectInbound {
        /// Whose stock, where.
        key: StockKey,
        /// Units expected.
        quantity: u64,
        /// The purchase order.
        purchase_order: String,
    },
    /// Units announced as incoming arrive: `good` go `into` quality check or available,
    /// `damaged` arrive damaged.
    ReceiveInbound {
        /// Whose stock, where.
        key: StockKey,
        /// The purchase order.
        purchase_order: String,
        /// Sound units.
        good: u64,
        /// Units damaged on arrival.
        damaged: u64,
        /// Where the sound units go.
        into: Receipt,
    },
    /// A quality check ends: `passed` units become available, `failed` units damaged.
    CompleteQualityCheck {
        /// Whose stock, where.
        key: StockKey,
        /// Units that passed.
        passed: u64,
        /// Units that failed.
        failed: u64,
    },
    /// Hold available units for `owner` until `expires_at`, every line or none (demand is
    /// summed per key before checking).
    Reserve {
        /// Whom the hold is for.
        owner: ReservationOwner,
        /// When the hold lapses.
        expires_at: DateTime<Utc>,
        /// The lines.
        lines: Vec<ReserveLine>,
    },
    /// Give a reservation's units back to available.
    Release {
        /// The reservation.
        reservation: ReservationId,
    },
    /// The reservation's order shipped: reserved → shipped.
    Commit {
        /// The reservation.
        reservation: ReservationId,
    },
    /// The order is cancelled before it shipped: a held reservation's units go back to
    /// available. A committed reservation is refused (`ReservationClosed`): its units left for
    /// a buyer, and come back only through a [`Return`](Operation::Return).
    Cancel {
        /// The reservation.
        reservation: ReservationId,
    },
    /// A buyer returns shipped units (recorded by the marketplace only: operations staff or the
    /// system, which receive the return).
    Return {
        /// Whose stock, where.
        key: StockKey,
        /// Units returned.
        quantity: u64,
        /// The order they were shipped on.
        order: OrderId,
        /// What they are fit for.
        condition: ReturnCondition,
    },
    /// Correct available stock. A cycle count states the on-hand figure it was counted
    /// against; if the ledger has moved since, the count is stale and refused.
    Adjust {
        /// Whose stock, where.
        key: StockKey,
        /// The on-hand figure the ledger is believed to have.
        expected_on_hand: u64,
        /// The on-hand figure found.
        counted_on_hand: u64,
        /// Why.
        reason: AdjustmentReason,
    },
    /// Send available units to another location: they are in transit there until received.
    TransferOut {
        /// The transfer's id (unique among the seller's transfers of this SKU in transit).
        transfer: u64,
        /// Whose stock, where it leaves from.
        key: StockKey,
        /// Where it goes.
        to: LocationId,
        /// Units sent.
        quantity: u64,
    },
    /// A transfer arrives at its destination.
    TransferIn {
        /// The transfer's id (a seller numbers its transfers of a SKU: the id is looked for
        /// among the transfers of `key`'s seller and SKU).
        transfer: u64,
        /// Whose stock, where it arrives (the transfer's destination).
        key: StockKey,
        /// Where the units go first.
        into: Receipt,
    },
    /// Available units are found damaged.
    MarkDamaged {
        /// Whose stock, where.
        key: StockKey,
        /// Units.
        quantity: u64,
    },
    /// Damaged units are disposed of.
    WriteOff {
        /// Whose stock, where.
        key: StockKey,
        /// Units.
        quantity: u64,
    },
    /// Keep `quantity` units back from available as safety stock (moves the difference).
    SetSafetyStock {
        /// Whose stock, where.
        key: StockKey,
        /// The new safety stock.
        quantity: u64,
    },
    /// Set the available level at or below which the cell signals low stock.
    SetReorderPoint {
        /// Whose stock, where.
        key: StockKey,
        /// The reorder point.
        reorder_point: u64,
    },
    /// Write the release movements of every hold expired at `now` (nothing, if none).
    Expire,
}
