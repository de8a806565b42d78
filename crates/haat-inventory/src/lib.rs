//! Inventory: where stock is, and a ledger that cannot oversell or drift.
//!
//! `haat-inventory` builds on `haat-core` and on nothing else of haat; `haat-metrics` reads its
//! events.

mod allocation;
mod error;
mod ledger;
mod network;
mod quantity;
mod reservation;
mod shared;
mod signal;

pub use allocation::*;
pub use error::Error;
pub use ledger::{
    AdjustmentReason, CellReservation, Command, Discrepancy, IdempotencyKey, InvalidIdempotencyKey,
    LedgerEvent, Levels, Movement, MovementReason, Operation, Outcome, RESERVE_GROUP, Receipt,
    Reference, ReserveLine, ReturnCondition, StockLedger,
};
pub use network::*;
pub use quantity::{Bucket, CellId, Quantities, StockKey};
pub use reservation::{Reservation, ReservationId, ReservationOwner, ReservationStatus};
pub use shared::{SharedLedger, SharedReservation};
pub use signal::StockSignal;
