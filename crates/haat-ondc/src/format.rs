//! How ONDC writes times, amounts and durations: one function each, so every message writes
//! them the same way.

use chrono::{DateTime, Utc};
use haat_core::Money;

/// A timestamp exactly as ONDC writes it, the form of JavaScript's `Date.toISOString()`:
/// UTC, milliseconds, `Z` (`2025-10-01T05:30:00.000Z`).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2025, 10, 1, 5, 30, 0).unwrap();
/// assert_eq!(haat_ondc::ondc_timestamp(at), "2025-10-01T05:30:00.000Z");
/// ```
pub fn ondc_timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// An amount as ONDC's prices write it: rupees with exactly two decimals (`2450.00`); a
/// negative amount (a discount in a quote) keeps its sign.
///
/// ```
/// use haat_core::Money;
/// assert_eq!(haat_ondc::ondc_amount(Money::from_paise(245_050)), "2450.50");
/// assert_eq!(haat_ondc::ondc_amount(Money::from_paise(-5)), "-0.05");
/// ```
pub fn ondc_amount(amount: Money) -> String {
    let paise = amount.paise();
    let sign = if paise < 0 { "-" } else { "" };
    let abs = paise.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A whole number of days as an ISO 8601 duration (`P7D`); zero days is `P0D`.
pub(crate) fn days_duration(days: u16) -> String {
    format!("P{days}D")
}

/// A whole number of hours as an ISO 8601 duration (`PT48H`).
pub(crate) fn hours_duration(hours: u16) -> String {
    format!("PT{hours}H")
}
