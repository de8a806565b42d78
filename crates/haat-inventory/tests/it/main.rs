//! Integration tests of haat-inventory, a module per feature.

// Tests state their expectations with unwrap, expect and panic; the workspace denies them in
// library code only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod allocation;
mod authorisation;
mod concurrency;
mod golden;
mod ledger;
mod network;
mod reservation;
mod shared;
mod state_machine;
