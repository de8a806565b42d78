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

pub use allocation::*;
pub use error::Error;
pub use ledger::StockLedger;
pub use network::*;
pub use quantity::{Bucket, CellId, Quantities, StockKey};
pub use reservation::{ReservationId, ReservationOwner};
