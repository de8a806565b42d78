//! haat (হাট): domain crates for a marketplace's seller ecosystem.
//!
//! This facade re-exports the workspace's crates under short names, so that an embedding service
//! depends on one package:
//!
//! - [`core`]: ids, actors, INR money, Indian geography, IST time, en-IN and bn-IN formatting;
//! - [`seller`]: KYC identifiers, the seller aggregate, inclusion programmes, workshops;
//! - [`catalogue`]: taxonomy, the listing aggregate, quality checks, GST pricing and payouts,
//!   bulk import, search;
//! - [`inventory`]: the fulfilment network, the stock ledger, reservations and allocation;
//! - [`orders`]: checkout, the order's life, GST tax invoices and credit notes;
//! - [`metrics`]: projections over the other crates' events and order records, and the impact
//!   report.
//!
//! The crates are pure: nothing reads a clock, a file or a random number generator, so every
//! operation that depends on time takes `now`, and the same inputs always give the same outputs.
//!
//! ```
//! use haat::core::{FinancialYear, Locale, Money};
//!
//! let fy: FinancialYear = "FY2025-26".parse()?;
//! assert_eq!(fy.first_day().to_string(), "2025-04-01");
//! let sales: Money = "₹4,20,000".parse()?;
//! assert_eq!(Locale::EnIn.inr(sales), "₹4,20,000.00");
//! assert_eq!(Locale::BnIn.inr(sales), "₹৪,২০,০০০.০০");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use haat_catalogue as catalogue;
pub use haat_core as core;
pub use haat_inventory as inventory;
pub use haat_metrics as metrics;
pub use haat_orders as orders;
pub use haat_seller as seller;
