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
    use chrono::{Datelike, Timelike};
    // Written digit by digit: an export writes one per item, and chrono's `format` parses
    // its pattern every time. Years outside 0000–9999 (never a catalogue's) take the slow way.
    let year = at.year();
    if !(0..=9_999).contains(&year) {
        return at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    }
    let mut out = String::with_capacity(24);
    push_digits(&mut out, year.unsigned_abs(), 4);
    for (separator, value, width) in [
        ('-', at.month(), 2),
        ('-', at.day(), 2),
        ('T', at.hour(), 2),
        (':', at.minute(), 2),
        // A leap second (60) is written as 59.999, as JavaScript cannot write it either.
        (':', at.second().min(59), 2),
        ('.', at.timestamp_subsec_millis().min(999), 3),
    ] {
        out.push(separator);
        push_digits(&mut out, value, width);
    }
    out.push('Z');
    out
}

/// Appends the last `width` decimal digits of `value`, zero-padded.
fn push_digits(out: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u32.pow(place) % 10) as u8;
        out.push(char::from(b'0' + digit));
    }
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

#[cfg(test)]
mod tests {
    use super::ondc_timestamp;
    use chrono::{DateTime, Utc};
    use proptest::prelude::*;

    proptest! {
        /// The digit-by-digit form is chrono's own `%Y-%m-%dT%H:%M:%S%.3fZ`.
        #[test]
        fn the_fast_timestamp_is_chronos(millis in 0i64..253_402_300_799_999) {
            let at = DateTime::<Utc>::from_timestamp_millis(millis).unwrap();
            prop_assert_eq!(ondc_timestamp(at), at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
        }
    }
}
