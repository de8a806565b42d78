//! GST on tax-inclusive prices, and what a seller is paid for a sale.

mod error;
mod hsn;

pub use error::PricingError;
pub use hsn::HsnCode;
