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
//! use haat_catalogue::{Catalogue, ListingCommand, ListingContent, ListingStatus, Taxonomy};
//! use haat_core::{Actor, ListingId, SellerId, StaffId};
//!
//! let now = Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).unwrap();
//! let (weaver, reviewer, id) = (SellerId::new(7), StaffId::new(1), ListingId::new(1));
//! let mut catalogue = Catalogue::new(Taxonomy::west_bengal_default());
//! // A listing as a service receives it: JSON, checked on the way in.
//! let content: ListingContent = serde_json::from_str(r#"{
//!     "title": "Handwoven Shantipuri cotton saree, red and white",
//!     "description": "Woven on a pit loom in Shantipur, Nadia, with a fine 100-count weft.",
//!     "category": "textiles/sarees/handloom/shantipuri",
//!     "attributes": {"blouse_piece": true, "fabric": "cotton", "gi_name": "Santipore Saree",
//!                    "gi_tag": true, "length_m": 5.5},
//!     "images": ["https://img.example.in/shantipuri-1.jpg",
//!                "https://img.example.in/shantipuri-2.jpg",
//!                "https://img.example.in/shantipuri-3.jpg"],
//!     "price": "2450.00", "mrp": "2800.00", "hsn": "5208", "sku": "SHP-RED-001"
//! }"#)?;
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
    Column, ImportFormat, ImportOptions, ImportReport, ImportSummary, ImportedRow, QualityGate,
    RowError, RowProblem, import_csv, import_csv_each, import_csv_with, import_jsonl,
    import_jsonl_each, import_jsonl_with,
};
pub use listing::{
    AttributeValue, Attributes, Catalogue, Declaration, Listing, ListingCommand, ListingContent,
    ListingEvent, ListingStatus, NetQuantity, PackagedDeclarations, QuantityUnit, RevisionStage,
    UnitSalePrice,
};
pub use pricing::{
    CommissionSchedule, CommissionTreatment, DeductionKind, FixedFeeSlabs, GstRateTable,
    GstRegistration, GstRule, HsnCode, MarketplaceTariff, PanStatus, Payout, Percent, PricingError,
    RateSpec, SaleInput, SupplyKind, TaxBreakdown, gst_tcs_rate, income_tax_tds_rate,
    marketplace_services_gst_rate,
};
pub use quality::{
    DESCRIPTION_MIN_CHARS, IMAGES_RECOMMENDED, IssueCode, MAX_WORD_REPEATS, QualityIssue,
    QualityReport, SUSPICIOUS_DISCOUNT_PERCENT, Severity, TITLE_MAX_CHARS, TITLE_MIN_CHARS,
    check_listing,
};
pub use search::{
    MAX_PER_PAGE, SearchError, SearchHit, SearchIndex, SearchQuery, SearchResults, SortOrder,
    search_keys,
};
pub use taxonomy::{
    AttributeSchema, AttributeType, CATEGORY_MAX_LEN, Category, CategoryDef, CategoryId,
    OndcCategory, OndcDomain, OndcSource, Presence, Taxonomy,
};
