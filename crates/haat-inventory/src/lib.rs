//! Inventory: where stock is, and a ledger that cannot oversell or drift.
//!
//! `haat-inventory` builds on `haat-core` and on nothing else of haat; `haat-metrics` reads its
//! events.

mod network;

pub use network::*;
