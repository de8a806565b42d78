//! Inventory: where stock is, and a ledger that cannot oversell or drift.
//!
//! `haat-inventory` builds on `haat-core` and on nothing else of haat; `haat-metrics` reads its
//! events. It has three parts:
//!
//! - the fulfilment [`Network`]: fulfilment centres, metropolitan and last-mile hubs, and which
//!   PIN codes each last-mile hub serves ([`Network::west_bengal_reference`] is the state's);
//! - the [`StockLedger`]: the quantities of every (seller, SKU, location) cell, changed only by
//!   [`Command`]s that write movements with a reason, a reference, an idempotency key and an
//!   actor; reservations that hold stock until they are committed, released or expire; stock
//!   signals; and [`SharedLedger`], the same ledger sharded behind mutexes for a service's
//!   threads;
//! - the [`Allocator`]: which locations an order's lines ship from, by an explicit policy.
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use haat_core::{Actor, LocationId, SellerId};
//! use haat_inventory::{
//!     AdjustmentReason, Command, IdempotencyKey, Operation, ReservationOwner, ReserveLine,
//!     StockKey, StockLedger,
//! };
//!
//! let now = Utc.with_ymd_and_hms(2025, 10, 1, 10, 0, 0).single().ok_or("time")?;
//! let saree = StockKey::new(SellerId::new(7), "TANT-RED".parse()?, LocationId::new(1));
//! let mut ledger = StockLedger::new();
//! let weaver = Actor::Seller(SellerId::new(7));
//! // Ten sarees counted in at the fulfilment centre.
//! let count = Operation::Adjust {
//!     key: saree.clone(),
//!     expected_on_hand: 0,
//!     counted_on_hand: 10,
//!     reason: AdjustmentReason::Found,
//! };
//! ledger.execute(&Command::new(weaver, IdempotencyKey::new(1), count), now)?;
//! // A buyer's cart holds three for fifteen minutes.
//! let hold = Operation::Reserve {
//!     owner: ReservationOwner::Cart(42),
//!     expires_at: now + Duration::minutes(15),
//!     lines: vec![ReserveLine { key: saree.clone(), quantity: 3 }],
//! };
//! let request = Command::new(Actor::System, IdempotencyKey::new(2), hold);
//! let placed = ledger.execute(&request, now)?;
//! // A retried request (same key, same payload) answers as before and moves nothing.
//! let again = ledger.execute(&request, now)?;
//! assert!(again.replayed && again.reservation == placed.reservation);
//! assert_eq!(ledger.quantities(&saree).available(), 7);
//! // The order ships: the hold is committed.
//! let reservation = placed.reservation.ok_or("no reservation")?;
//! let ship = Operation::Commit { reservation };
//! ledger.execute(&Command::new(Actor::System, IdempotencyKey::new(3), ship), now)?;
//! assert_eq!(ledger.quantities(&saree).on_hand(), 7);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! On a checkout's hot path, hold the cell's [`CellId`] ([`StockLedger::cell`]) and reserve by
//! it: [`StockLedger::reserve_cell`] one at a time, or [`StockLedger::reserve_cells`] and
//! [`StockLedger::commit_reservations`] for the requests queued since the last call, which
//! read their cells and idempotency slots together and so run about twice as fast on a large
//! ledger (docs/BENCHMARKS.md).

mod allocation;
mod error;
mod ledger;
mod network;
mod quantity;
mod reservation;
mod shared;
mod signal;

pub use allocation::{
    Allocation, AllocationRequest, Allocator, AvailableStock, OrderLine, Reason, SellerConstraint,
    Shipment, Shortfall, ShortfallCause, SplitPolicy, allocate,
};
pub use error::Error;
pub use ledger::{
    AdjustmentReason, CellLines, CellReservation, Command, Discrepancy, IdempotencyKey,
    InvalidIdempotencyKey, LedgerEvent, Levels, Movement, MovementReason, Operation, Outcome,
    RESERVE_GROUP, Receipt, Reference, ReserveLine, ReturnCondition, StockLedger,
};
pub use network::{
    Coverage, DistrictSummary, KindCounts, Location, LocationKind, Network, NetworkError,
    NetworkSummary,
};
pub use quantity::{Bucket, CellId, Quantities, StockKey};
pub use reservation::{Reservation, ReservationId, ReservationOwner, ReservationStatus};
pub use shared::{SharedLedger, SharedReservation};
pub use signal::StockSignal;
