//! The catalogue: what sellers list, how it is checked and priced, and how buyers find it.
//!
//! `haat-catalogue` builds on `haat-core` and on nothing else of haat; `haat-metrics` reads its
//! events. It holds the [`Taxonomy`] (categories, typed attribute schemas inherited down the
//! tree, the HSN families each allows), the listing aggregate ([`Listing`], decided through a
//! [`Catalogue`] that keeps SKUs unique per seller), the automatic quality checks
//! ([`check_listing`]: every problem at once, with a score), bulk import ([`import_csv`],
//! [`import_jsonl`]), GST pricing and payouts, and search over active listings.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use haat_catalogue::{Catalogue, ListingCommand, ListingStatus, Taxonomy};
//! use haat_core::{Actor, ListingId, SellerId, StaffId};
//!
//! let now = Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).unwrap();
//! let (weaver, reviewer, id) = (SellerId::new(7), StaffId::new(1), ListingId::new(1));
//! let mut catalogue = Catalogue::new(Taxonomy::west_bengal_default());
//! let content = haat_catalogue::__doc_listing()?;
//! for command in [
//!     ListingCommand::CreateDraft { actor: Actor::Seller(weaver), listing: id, seller: weaver, content },
//!     ListingCommand::SubmitForReview { actor: Actor::Seller(weaver), listing: id },
//!     ListingCommand::PassReview { actor: Actor::Operations(reviewer), listing: id },
//!     ListingCommand::Activate { actor: Actor::Seller(weaver), listing: id },
//! ] {
//!     catalogue.execute(&command, now)?;
//! }
//! assert_eq!(catalogue.get(id).unwrap().status(), ListingStatus::Active);
//! # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
//! ```

mod error;
mod import;
mod listing;
mod pricing;
mod quality;
mod search;
mod taxonomy;

pub use error::Error;
pub use import::{
    ImportOptions, ImportReport, QualityGate, RowError, import_csv, import_csv_with, import_jsonl,
    import_jsonl_with,
};
pub use listing::*;
pub use pricing::*;
pub use quality::*;
pub use search::*;
pub use taxonomy::*;
