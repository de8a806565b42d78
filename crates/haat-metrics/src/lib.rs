//! Impact metrics: what onboarding, listing and stocking did for sellers.
//!
//! `haat-metrics` sits above `haat-seller`, `haat-catalogue` and `haat-inventory`: it reads
//! their events, and order records, and folds them into projections by IST month, quarter and
//! Indian financial year. Every fold has an associative, commutative `merge`, so rollups computed
//! per shard or per partition combine into the answer one pass over everything would give. The
//! folds keep the finest grain the reports need — sales per (seller, listing, month), service
//! per (seller, day), live histories per listing, facts per seller — and every figure of the
//! [`ImpactReport`] (onboarding and listing growth, sales by district and category, employment,
//! the workshop funnel, programme impact, performance tiers, top listings, infrastructure) is a
//! pure function of them.
//!
//! [`Metrics`] holds every fold. Feed it events ([`HaatEvent`], or each crate's own with
//! `apply_seller_event`, `apply_workshop_event`, `apply_listing_event`) and orders
//! ([`OrderRecord`]) — through a [`DuplicateGuard`] when the input may repeat a record, so that
//! each counts once ([`Metrics::add_order_once`], [`Metrics::apply_event_once`]) — merge shards,
//! and report with [`Metrics::report`] — or
//! [`Metrics::report_with`] and [`ReportSettings`] to add the fulfilment network
//! (`ReportSettings::new(fy, now).with_network(&network)`), set tier thresholds or the
//! performance window. The report is data ([`ImpactReport`], serde JSON), text
//! ([`ImpactReport::render`] in `en-IN` or `bn-IN`) and a chart ([`ImpactReport::chart_svg`]):
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use haat_core::{Actor, ListingId, Locale, Money, OrderId, SellerId};
//! use haat_metrics::{HaatEvent, Metrics, OrderRecord};
//! use haat_seller::SellerEvent;
//!
//! let mut metrics = Metrics::default();
//! let seller = SellerId::new(7);
//! for (year, orders) in [(2024, 2), (2025, 5)] {
//!     let at = Utc.with_ymd_and_hms(year, 6, 1, 6, 0, 0).unwrap();
//!     metrics.apply_event(&HaatEvent::Seller(SellerEvent::SellerActivated { seller, at, by: Actor::System }));
//!     for n in 0..orders {
//!         metrics.add_order(&OrderRecord {
//!             order: OrderId::new(year as u64 * 100 + n),
//!             seller,
//!             listing: ListingId::new(70),
//!             quantity: 1,
//!             amount: Money::from_rupees(2_450),
//!             placed_at: at,
//!             promised_dispatch_by: at + TimeDelta::days(2),
//!             dispatched_at: Some(at + TimeDelta::days(1)),
//!             delivered_at: None,
//!             cancellation: None,
//!             returned_at: None,
//!             destination: "700124".parse()?,
//!         });
//!     }
//! }
//! let now = Utc.with_ymd_and_hms(2026, 4, 2, 0, 0, 0).unwrap();
//! let report = metrics.report("FY2025-26".parse()?, now);
//! assert_eq!(report.sales.net_sales_growth_percent, Some(150.into())); // 2 orders → 5
//! assert_eq!(report.sales.sellers_more_than_doubled, 1);
//! assert!(report.render(Locale::EnIn).contains("+150%"));
//! assert!(report.render(Locale::BnIn).contains("+১৫০%"));
//! let json = serde_json::to_string(&report)?;
//! assert_eq!(serde_json::from_str::<haat_metrics::ImpactReport>(&json)?, report);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// The unit tests share the integration tests' builders, which name this crate.
#[cfg(test)]
extern crate self as haat_metrics;

mod cells;
mod chart;
mod demand;
mod distinct;
mod employment;
mod error;
mod events;
mod funnel;
mod growth;
mod infrastructure;
mod listing_performance;
mod listings;
mod metrics;
mod onboarding;
mod order;
mod order_csv;
mod order_projection;
mod payouts;
mod performance;
mod period;
mod prefetch;
mod programme;
mod render;
mod report;
mod sales;
mod sellers;
mod slots;
mod store;
mod workshops;

pub use demand::{DemandFold, DemandTotals};
pub use distinct::{DuplicateGuard, Sighting};
pub use employment::{DistrictPeople, Employment};
pub use error::{Error, RowProblem};
pub use events::{EventReader, HaatEvent, StatementIssued, read_events_jsonl, write_event_jsonl};
pub use funnel::{DistrictFunnel, Funnel, FunnelReport, FunnelStage, FunnelStep, PartnerFunnel};
pub use growth::{Growth, percent_of};
pub use infrastructure::{
    DistrictInfrastructure, Infrastructure, UnservedDistrict, UnservedPinCode,
};
pub use listing_performance::{HighPerformance, ListingPerformance, listing_performance};
pub use listings::{ListingFacts, ListingFold};
pub use metrics::Metrics;
pub use onboarding::{Comparison, Onboarding, OnboardingCounts};
pub use order::{Cancellation, CancelledBy, OrderRecord};
pub use order_csv::{
    ORDER_CSV_COLUMNS, OrderCsvReader, read_orders_csv, write_order_csv_header, write_order_csv_row,
};
pub use order_projection::OrderProjection;
pub use payouts::{PayoutFold, PayoutTotals};
pub use performance::{SellerPerformance, Tier, TierRule, TierThresholds, rate_sellers};
pub use period::{Granularity, Period};
pub use programme::{CohortStats, ProgrammeImpact};
pub use report::{
    CategorySales, DistrictRow, ImpactReport, ListingHeadline, MonthRow, PerformanceHeadline,
    ReportSettings, SalesHeadline, SellerGrowth, SellerHeadline, TierCount,
};
pub use sales::{SalesFold, SalesKey, SalesTotals, ServiceCounts};
pub use sellers::{SellerDirectory, SellerFacts};
pub use workshops::{AttendanceFacts, WorkshopFacts, WorkshopFold};
