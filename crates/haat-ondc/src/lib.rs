//! haat on the Open Network for Digital Commerce (ONDC).
//!
//! `haat-ondc` sits above `haat-catalogue`, `haat-inventory` and `haat-orders` and speaks
//! ONDC's retail protocol for a seller app that embeds haat: it publishes a seller's live
//! listings, with their stock and the network locations that ship them, as `on_search`
//! catalogues ([`export_catalogue`]), every listing either exported or reported with a typed
//! [`Unmappable`] reason; it answers a `select` with a quote priced by haat's GST rules
//! ([`on_select`], and again with the buyer's details for `init`: [`on_init`]), a `confirm` with an order placed through haat-orders' checkout under the
//! transaction's idempotency key ([`on_confirm`]), and `status` and `cancel` from the order's
//! life ([`on_status`], [`on_cancel`]). The domain crates know nothing of ONDC's wire format; the taxonomy
//! only says which ONDC category each of its categories maps to
//! ([`haat_catalogue::OndcCategory`]). Like the crates below it, this one is pure: it turns
//! values into values, and the embedding service does the HTTP.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! assert_eq!(
//!     haat_ondc::ondc_timestamp(Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).unwrap()),
//!     "2025-10-01T05:00:00.000Z"
//! );
//! ```

mod attributes;
mod changes;
mod export;
mod format;
mod order;
mod profile;
mod quote;
mod refusal;
mod sites;
pub mod wire;
pub mod wire_order;

pub use changes::{CatalogueChanges, catalogue_changes};
pub use export::{
    CORE_VERSION, CatalogueExport, CatalogueInput, CatalogueJson, DELIVERY_FULFILMENT, Language,
    export_catalogue, export_catalogue_json,
};
pub use format::{ondc_amount, ondc_timestamp};
pub use order::{
    Checkout, OrderError, checkout_key, on_cancel, on_confirm, on_status, ondc_states,
};
pub use profile::{
    ConsumerCare, NpType, Request, SellerApp, SellerProfile, SellerTerms, Site, Sites, Storefront,
    seller_profile,
};
pub use quote::{
    Charges, Counter, LineRefusal, PricedLine, RequestError, on_init, on_select, price_line,
    quote_of,
};
pub use refusal::{NotExported, Unmappable};
pub use sites::district_sites;
