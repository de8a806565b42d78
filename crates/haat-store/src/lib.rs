//! Events kept durably: the event store beneath haat's aggregates.
//!
//! `haat-store` is the one library crate of haat that does I/O. It sits above every domain
//! crate (they stay pure and never see it) and keeps what their deciders emit: streams of
//! events named `kind/id` (`seller/42`, `order/981`), appended with an expected version so a
//! lost race is a typed [`StoreError::Conflict`], never a read-then-write; a global position
//! with no gaps so projections follow the whole store in order; command outcomes keyed by the
//! caller's [`CommandId`] so a retry answers its first outcome, also after a restart;
//! snapshots; projection checkpoints saved with their state; and unique [`Claim`]s (a seller's
//! SKUs, GSTINs across sellers) written in the same transaction as the append that needs them.
//!
//! One contract, [`EventStore`], and two backends: [`SqliteStore`] (one file, WAL, the embedded
//! default) and [`PostgresStore`] (several writers and service instances). Old event schemas are
//! brought to today's on read by [`Upcasters`].
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use haat_core::{Actor, SellerId};
//! use haat_store::{CommandId, EventStore, Metadata, NewEvent, SqliteStore, StoreError, StreamId};
//! use serde_json::json;
//!
//! let store = SqliteStore::in_memory()?;
//! let seller: StreamId = "seller/42".parse()?;
//! let now = Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).single().ok_or("time")?;
//! let meta = Metadata::new(Actor::Seller(SellerId::new(42)), now)
//!     .with_command(CommandId::new("register-42")?);
//! let registered = NewEvent::new("seller.registered", 1, json!({"name": "Tanti Ghar"}));
//!
//! let appended = store.append(&seller, 0, &[registered.clone()], &meta, None)?;
//! assert_eq!(appended.positions, vec![1]);
//!
//! // A second writer that also decided against version 0 loses the race.
//! let late = Metadata::new(Actor::System, now);
//! let lost = store.append(&seller, 0, &[registered], &late, None);
//! assert!(matches!(lost, Err(StoreError::Conflict { actual: 1, .. })));
//!
//! // The command's outcome is kept under its id.
//! let outcome = store.command_outcome(&CommandId::new("register-42")?)?;
//! assert_eq!(outcome, Some(serde_json::to_value(&appended)?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod aggregate;
mod command;
mod error;
mod event;
mod projection;
mod store;
mod upcast;

pub use aggregate::{
    Aggregate, InvoiceCommand, IssueStatement, ListingState, SellerInvoices, SellerSettlement,
    SellerStock, SettlementError, SettlementEvent, encoded_event, event_type_of, stored_event,
};
pub use command::{Batched, CommandHandler, DEFAULT_ATTEMPTS, Handled, HandlerError, Loaded};
pub use error::{CommandIdError, StoreError, StreamIdError, UpcastError};
pub use event::{
    Appended, Claim, CommandId, EncodedEvent, Metadata, NewEvent, Snapshot, StoredEvent, StreamId,
};
pub use projection::{MetricsInputs, MetricsProjection, ProjectionError};
pub use store::postgres::PostgresStore;
pub use store::sqlite::SqliteStore;
pub use store::{AppendRequest, EventStore, Events};
pub use upcast::{UnknownTypes, Upcasters};
