//! haat (হাট): domain crates for a marketplace's seller ecosystem.
//!
//! This facade re-exports the workspace's crates under short names, so that an embedding service
//! depends on one package:
//!
//! - [`core`]: ids, actors, INR money, Indian geography, IST time, en-IN and bn-IN formatting;
//! - [`seller`]: KYC identifiers, the seller aggregate, inclusion programmes, workshops.
//! - [`inventory`]: the fulfilment network, the stock ledger, reservations and allocation.
//!
//! ```
//! use haat::core::FinancialYear;
//! let fy: FinancialYear = "FY2025-26".parse()?;
//! assert_eq!(fy.start_year(), 2025);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use haat_core as core;
pub use haat_seller as seller;
pub use haat_catalogue as catalogue;
pub use haat_inventory as inventory;
pub use haat_metrics as metrics;
