//! Inventory: where stock is, and a ledger that cannot oversell or drift.
//!
//! `haat-inventory` builds on `haat-core` and on nothing else of haat; `haat-metrics` reads its
//! events.

mod allocation;
mod network;

pub use allocation::*;
pub use network::*;
