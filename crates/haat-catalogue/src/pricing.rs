//! GST on tax-inclusive prices, and what a seller is paid for a sale.

mod breakdown;
mod error;
mod hsn;
mod payout;
mod percent;
mod rates;

pub use breakdown::{GstRegistration, SupplyKind, TaxBreakdown};
pub use error::PricingError;
pub use hsn::HsnCode;
pub use payout::{
    CommissionSchedule, CommissionTreatment, DeductionKind, FixedFeeSlabs, MarketplaceTariff,
    PanStatus, Payout, SaleInput, gst_tcs_rate, income_tax_tds_rate, marketplace_services_gst_rate,
};
pub use percent::Percent;
pub use rates::{GstRateTable, GstRule, RateSpec};
