//! The shared vocabulary of haat.
//!
//! `haat-core` sits at the bottom of the stack: `haat-seller`, `haat-catalogue` and
//! `haat-inventory` build on it and on nothing of each other, and `haat-metrics` reads their
//! events. What they share lives here: typed ids and the [`Actor`] behind every command, [`Money`]
//! in rupees kept to the paisa, Indian geography ([`StateCode`], [`PinCode`], districts), time as
//! India keeps it ([`ist_date`], [`FinancialYear`]) and numbers as Indian readers write them
//! ([`Locale`]: `4,20,000`, `₹৪,২০,০০০.০০`, `4.2 lakh`).
//!
//! Nothing here reads a clock, a file or the environment: the PIN code directory is compiled
//! in, and every question about time takes the instant it is asked at.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use haat_core::{FinancialYear, Money};
//!
//! // 8 pm UTC on 31 March is already 1 April in India: a new financial year.
//! let order_placed = Utc.with_ymd_and_hms(2025, 3, 31, 20, 0, 0).unwrap();
//! assert_eq!(FinancialYear::containing(order_placed).to_string(), "FY2025-26");
//!
//! let price: Money = "₹1,250.50".parse()?;
//! assert_eq!(price.paise(), 125_050);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod actor;
mod error;
mod geo;
mod hash;
mod ids;
mod ist_days;
mod locale;
mod money;
pub mod text;
mod time;

pub use actor::Actor;
pub use error::Error;
pub use geo::{District, PinCode, PinDirectory, PinLocation, StateCode};
pub use hash::{FastBuildHasher, FastHashMap, FastHasher};
pub use ids::{
    ListingId, LocationId, OrderId, ProgrammeId, SKU_MAX_LEN, SellerId, Sku, StaffId, WorkshopId,
};
pub use ist_days::{
    IstCalendar, IstStamp, date_of_day_number, day_number_of_date, ist_day_number,
    month_index_of_day_number,
};
pub use locale::{CompactStyle, Locale};
pub use money::Money;
pub use time::{FinancialYear, FyQuarter, IST, Month, ist_date, ist_midnight};

/// Re-exported so that callers name the same `Decimal` haat computes with.
pub use rust_decimal::Decimal;
