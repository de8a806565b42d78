//! How ONDC writes times, amounts and durations: one function each, so every message writes
//! them the same way.

use std::fmt;

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
    Stamp(at).to_string()
}

/// A timestamp written as [`ondc_timestamp`] writes it, without a `String` of its own: the
/// JSON path writes it straight into the message.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stamp(pub(crate) DateTime<Utc>);

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::{Datelike, Timelike};
        let at = self.0;
        // Written digit by digit: an export writes one per item, and chrono's `format` parses
        // its pattern every time. Years outside 0000–9999 (never a catalogue's) take the slow
        // way.
        let year = at.year();
        if !(0..=9_999).contains(&year) {
            return write!(f, "{}", at.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
        }
        let mut out = [0u8; 24];
        push_digits(&mut out[0..4], year.unsigned_abs());
        for (at_byte, separator, value, width) in [
            (4, b'-', at.month(), 2),
            (7, b'-', at.day(), 2),
            (10, b'T', at.hour(), 2),
            (13, b':', at.minute(), 2),
            // A leap second (60) is written as 59.999, as JavaScript cannot write it either.
            (16, b':', at.second().min(59), 2),
            (19, b'.', at.timestamp_subsec_millis().min(999), 3),
        ] {
            out[at_byte] = separator;
            push_digits(&mut out[at_byte + 1..at_byte + 1 + width], value);
        }
        out[23] = b'Z';
        // Every byte written is an ASCII digit or separator.
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

/// Writes the last `out.len()` decimal digits of `value` into `out`, zero-padded.
fn push_digits(out: &mut [u8], mut value: u32) {
    for byte in out.iter_mut().rev() {
        // `value % 10` is below 10.
        *byte = b'0' + (value % 10) as u8;
        value /= 10;
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
    Amount(amount).to_string()
}

/// An amount written as [`ondc_amount`] writes it, without a `String` of its own.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Amount(pub(crate) Money);

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let paise = self.0.paise();
        let sign = if paise < 0 { "-" } else { "" };
        let abs = paise.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A value serialised as the JSON string its `Display` writes, with no `String` between:
/// ids, counts, stamps and amounts in the JSON path.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shown<T>(pub(crate) T);

impl<T: fmt::Display> serde::Serialize for Shown<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
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
