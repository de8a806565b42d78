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

impl Stamp {
    /// The timestamp's 24 bytes, or `None` for a year outside 0000–9999 (never a
    /// catalogue's), which only chrono's `format` writes.
    ///
    /// Written digit by digit: an export writes one per item, and chrono's `format` parses
    /// its pattern every time.
    pub(crate) fn ascii(self) -> Option<[u8; 24]> {
        use chrono::{Datelike, Timelike};
        let at = self.0;
        let year = at.year();
        if !(0..=9_999).contains(&year) {
            return None;
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
        Some(out)
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ascii() {
            // Every byte written is an ASCII digit or separator.
            Some(out) => f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?),
            None => write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S%.3fZ")),
        }
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

impl Amount {
    /// The amount's text: the sign of a negative amount, the rupees, a point, the paise in
    /// two digits.
    pub(crate) fn ascii(self) -> Ascii {
        let paise = self.0.paise();
        let abs = paise.unsigned_abs();
        let mut text = Ascii::default();
        text.push_front_decimal(abs % 100, 2);
        text.push_front(b'.');
        text.push_front_decimal(abs / 100, 1);
        if paise < 0 {
            text.push_front(b'-');
        }
        text
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.ascii().as_str())
    }
}

/// A short ASCII text (a number, an amount) written right to left into the stack rather
/// than a `String`: room for any `u128` in decimal with a sign and a point.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ascii {
    bytes: [u8; 48],
    /// Where the text starts; it runs to the end of `bytes`.
    start: usize,
}

impl Default for Ascii {
    fn default() -> Ascii {
        Ascii {
            bytes: [0; 48],
            start: 48,
        }
    }
}

impl Ascii {
    /// `value` in decimal.
    pub(crate) fn decimal(value: u64) -> Ascii {
        let mut text = Ascii::default();
        text.push_front_decimal(u128::from(value), 1);
        text
    }

    /// Puts `byte` in front; a full text (never one of this module's) is left as it is.
    fn push_front(&mut self, byte: u8) {
        if let Some(start) = self.start.checked_sub(1)
            && let Some(slot) = self.bytes.get_mut(start)
        {
            *slot = byte;
            self.start = start;
        }
    }

    /// Puts `value` in decimal in front, zero-padded to `width` digits.
    fn push_front_decimal(&mut self, value: u128, width: usize) {
        let end = self.start;
        // Most values fit a `u64`, whose division is one instruction; a `u128`'s is a call.
        let mut wide = value;
        while wide > u128::from(u64::MAX) {
            // `wide % 10` is below 10.
            self.push_front(b'0' + (wide % 10) as u8);
            wide /= 10;
        }
        let mut narrow = u64::try_from(wide).unwrap_or_default();
        loop {
            // `narrow % 10` is below 10.
            self.push_front(b'0' + (narrow % 10) as u8);
            narrow /= 10;
            if narrow == 0 {
                break;
            }
        }
        while end - self.start < width && self.start > 0 {
            self.push_front(b'0');
        }
    }

    /// The text's bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(self.start..).unwrap_or_default()
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits, signs and points are ever written.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
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
    use super::{Ascii, ondc_amount, ondc_timestamp};
    use chrono::{DateTime, Utc};
    use haat_core::Money;
    use proptest::prelude::*;

    proptest! {
        /// The digits written right to left are `format!`'s, for any amount a `Money` holds.
        #[test]
        fn the_fast_amount_is_formats(paise in any::<i64>(), small in -1_000_000i64..1_000_000) {
            for amount in [Money::from_paise(paise), Money::from_paise(small), Money::MAX, Money::MIN] {
                let paise = amount.paise();
                let abs = paise.unsigned_abs();
                let sign = if paise < 0 { "-" } else { "" };
                let plain = format!("{sign}{}.{:02}", abs / 100, abs % 100);
                prop_assert_eq!(ondc_amount(amount), plain);
            }
        }

        #[test]
        fn the_fast_decimal_is_to_string(value in any::<u64>(), small in 0u64..1_000) {
            for value in [value, small, 0, u64::MAX] {
                let text = Ascii::decimal(value);
                prop_assert_eq!(text.as_str(), value.to_string());
            }
        }

        /// The digit-by-digit form is chrono's own `%Y-%m-%dT%H:%M:%S%.3fZ`.
        #[test]
        fn the_fast_timestamp_is_chronos(millis in 0i64..253_402_300_799_999) {
            let at = DateTime::<Utc>::from_timestamp_millis(millis).unwrap();
            prop_assert_eq!(ondc_timestamp(at), at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
        }
    }
}
