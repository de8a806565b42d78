//! Numbers as Indian readers write them: en-IN and bn-IN, following CLDR 48 as ICU 78 prints
//! them through `Intl.NumberFormat` (Indian grouping `12,34,567`, Bengali digits, `₹`, compact
//! `lakh`/`crore`, percent).
//!
//! Everything is integer arithmetic on the decimal digits of the [`Decimal`] mantissa, written
//! into a buffer on the stack: the `write_*` methods never allocate, and the `String` methods
//! allocate only the `String` they return. Rounding is ICU's `Intl` default, half away from
//! zero ("halfExpand"), which is also the one rounding rule haat uses for money.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Error, Money};

/// A locale haat formats numbers for.
///
/// | | `number` | `inr` | `compact` long / short | `percent` |
/// |---|---|---|---|---|
/// | `en-IN` | `4,20,000` | `₹4,20,000.00` | `4.2 lakh` / `4.2L` | `1,23,457%` |
/// | `bn-IN` | `৪,২০,০০০` | `₹৪,২০,০০০.০০` | `৪.২ লাখ` / `৪.২ লা` | `১২৩,৪৫৭%` |
///
/// The text form is the BCP 47 tag (`en-IN`, `bn-IN`); parsing is forgiving about case and
/// accepts `_` for `-`, and serde goes through the same parser.
///
/// ```
/// use haat_core::{CompactStyle, Decimal, Locale, Money};
///
/// let bn: Locale = "bn_in".parse()?;
/// assert_eq!(bn, Locale::BnIn);
/// assert_eq!(bn.integer(420_000), "৪,২০,০০০");
/// assert_eq!(bn.inr(Money::from_rupees(420_000)), "₹৪,২০,০০০.০০");
/// assert_eq!(bn.compact(Decimal::from(420_000), CompactStyle::Long), "৪.২ লাখ");
/// assert_eq!(Locale::EnIn.signed_percent(Decimal::from(150)), "+150%");
/// assert_eq!(serde_json::to_string(&bn)?, r#""bn-IN""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Locale {
    /// English as written in India (`en-IN`): Latin digits, Indian grouping.
    EnIn,
    /// Bengali as written in India (`bn-IN`): Bengali digits (`০১২৩৪৫৬৭৮৯`), Indian grouping.
    BnIn,
}

/// How long the word of a compact number is: `4.2 lakh` or `4.2L`.
///
/// ```
/// use haat_core::{CompactStyle, Decimal, Locale};
///
/// let n = Decimal::from(12_000_000);
/// assert_eq!(Locale::EnIn.compact(n, CompactStyle::Long), "1.2\u{202f}crore");
/// assert_eq!(Locale::EnIn.compact(n, CompactStyle::Short), "1.2Cr");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CompactStyle {
    /// The word in full: `thousand`, `lakh`, `crore`, `হাজার`, `লাখ`, `কোটি`.
    Long,
    /// The abbreviation: `K`, `L`, `Cr`, `হা`, `লা`, `কো`.
    Short,
}

impl Locale {
    /// Both locales, English first.
    ///
    /// ```
    /// use haat_core::Locale;
    /// let tags: Vec<_> = Locale::ALL.iter().map(|l| l.tag()).collect();
    /// assert_eq!(tags, ["en-IN", "bn-IN"]);
    /// ```
    pub const ALL: [Locale; 2] = [Locale::EnIn, Locale::BnIn];

    /// The BCP 47 tag: `en-IN` or `bn-IN`.
    ///
    /// ```
    /// use haat_core::Locale;
    /// assert_eq!(Locale::BnIn.tag(), "bn-IN");
    /// ```
    pub fn tag(self) -> &'static str {
        match self {
            Locale::EnIn => "en-IN",
            Locale::BnIn => "bn-IN",
        }
    }

    /// A number with up to three fraction digits (rounded half away from zero, trailing zeros
    /// dropped) and Indian grouping.
    ///
    /// ```
    /// use haat_core::{Decimal, Locale};
    /// let n: Decimal = "-1234567.8915".parse()?;
    /// assert_eq!(Locale::EnIn.number(n), "-12,34,567.892");
    /// assert_eq!(Locale::BnIn.number(n), "-১২,৩৪,৫৬৭.৮৯২");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn number(self, value: Decimal) -> String {
        collect(|s| self.write_number(s, value))
    }

    /// Like [`Locale::number`], into `out`, without allocating.
    ///
    /// # Errors
    /// Only the errors of `out`.
    ///
    /// ```
    /// use std::fmt::Write;
    /// use haat_core::{Decimal, Locale};
    /// let mut line = String::from("listings: ");
    /// Locale::BnIn.write_number(&mut line, Decimal::from(300))?;
    /// assert_eq!(line, "listings: ৩০০");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_number(self, out: &mut impl fmt::Write, value: Decimal) -> fmt::Result {
        let mut digits = Digits::from_decimal(value);
        digits.round_to_fraction(3);
        digits.trim_fraction(0);
        let mut buf = Buf::new();
        if digits.negative {
            buf.push_str("-");
        }
        buf.push_digits(self, &digits, INDIAN);
        buf.write_to(out)
    }

    /// A whole number with Indian grouping.
    ///
    /// ```
    /// use haat_core::Locale;
    /// assert_eq!(Locale::EnIn.integer(123_456_789), "12,34,56,789");
    /// assert_eq!(Locale::BnIn.integer(-1_000), "-১,০০০");
    /// ```
    pub fn integer(self, value: i64) -> String {
        collect(|s| self.write_integer(s, value))
    }

    /// Like [`Locale::integer`], into `out`, without allocating.
    ///
    /// # Errors
    /// Only the errors of `out`.
    ///
    /// ```
    /// use haat_core::Locale;
    /// let mut s = String::new();
    /// Locale::EnIn.write_integer(&mut s, 420_000)?;
    /// assert_eq!(s, "4,20,000");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_integer(self, out: &mut impl fmt::Write, value: i64) -> fmt::Result {
        let digits = Digits::from_parts(value < 0, u128::from(value.unsigned_abs()), 0);
        let mut buf = Buf::new();
        if digits.negative {
            buf.push_str("-");
        }
        buf.push_digits(self, &digits, INDIAN);
        buf.write_to(out)
    }

    /// An amount of rupees: `₹`, Indian grouping, always two fraction digits; a negative
    /// amount puts the minus sign before the `₹`.
    ///
    /// ```
    /// use haat_core::{Locale, Money};
    /// assert_eq!(Locale::EnIn.inr(Money::from_rupees(420_000)), "₹4,20,000.00");
    /// assert_eq!(Locale::BnIn.inr(Money::from_paise(-123_450)), "-₹১,২৩৪.৫০");
    /// ```
    pub fn inr(self, amount: Money) -> String {
        collect(|s| self.write_inr(s, amount))
    }

    /// Like [`Locale::inr`], into `out`, without allocating.
    ///
    /// # Errors
    /// Only the errors of `out`.
    ///
    /// ```
    /// use haat_core::{Locale, Money};
    /// let mut s = String::new();
    /// Locale::BnIn.write_inr(&mut s, Money::from_paise(1_250_050))?;
    /// assert_eq!(s, "₹১২,৫০০.৫০");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_inr(self, out: &mut impl fmt::Write, amount: Money) -> fmt::Result {
        let mut digits = Digits::from_decimal(amount.amount());
        digits.round_to_fraction(2);
        digits.pad_fraction(2);
        let mut buf = Buf::new();
        if digits.negative {
            buf.push_str("-");
        }
        buf.push_str("₹");
        buf.push_digits(self, &digits, INDIAN);
        buf.write_to(out)
    }

    /// A number in compact form: `4.2 lakh`, `1.2Cr`, `১ লা.কো.`.
    ///
    /// Below 1,000 the number itself is shown; above, it is scaled to the largest unit CLDR has
    /// for its size (thousand, lakh, crore, then thousand/lakh crore) and rounded to two
    /// significant digits, or to a whole number if it has more than one integer digit. When
    /// rounding reaches the next power of ten the unit moves up with it (99,999 is `1 lakh`).
    /// Spaces are as CLDR has them: en-IN puts a narrow no-break space (U+202F) before `lakh`
    /// and `crore`, bn-IN short forms a no-break space (U+00A0).
    ///
    /// ```
    /// use haat_core::{CompactStyle::{Long, Short}, Decimal, Locale::{BnIn, EnIn}};
    /// let n = Decimal::from(99_999);
    /// assert_eq!(EnIn.compact(n, Long), "1\u{202f}lakh");
    /// assert_eq!(EnIn.compact(n, Short), "1L");
    /// assert_eq!(BnIn.compact(n, Long), "১ লাখ");
    /// assert_eq!(BnIn.compact(n, Short), "১\u{a0}লা");
    /// assert_eq!(EnIn.compact(Decimal::from(1_250), Long), "1.3 thousand");
    /// ```
    pub fn compact(self, value: Decimal, style: CompactStyle) -> String {
        collect(|s| self.write_compact(s, value, style))
    }

    /// Like [`Locale::compact`], into `out`, without allocating.
    ///
    /// # Errors
    /// Only the errors of `out`.
    ///
    /// ```
    /// use haat_core::{CompactStyle, Decimal, Locale};
    /// let mut s = String::new();
    /// Locale::BnIn.write_compact(&mut s, Decimal::from(1_000_000_000_000_i64), CompactStyle::Long)?;
    /// assert_eq!(s, "১ লাখ কোটি");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_compact(
        self,
        out: &mut impl fmt::Write,
        value: Decimal,
        style: CompactStyle,
    ) -> fmt::Result {
        let units = compact_units(self, style);
        let mut digits = Digits::from_decimal(value);
        let mut suffix = "";
        if !digits.is_zero() {
            let magnitude = digits.magnitude();
            let (mut shown, mut unit) = compact_round(&digits, magnitude, units);
            if shown.magnitude() > magnitude - unit.map_or(0, |u| i32::from(u.shift)) {
                // Rounding reached the next power of ten: show exactly that power, in the
                // unit of its own magnitude.
                let next = magnitude + 1;
                unit = compact_unit(units, next);
                shown = Digits::power_of_ten(
                    shown.negative,
                    next - unit.map_or(0, |u| i32::from(u.shift)),
                );
            }
            shown.trim_fraction(0);
            if let Some(unit) = unit {
                suffix = if shown.is_one() { unit.one } else { unit.other };
            }
            digits = shown;
        }
        let mut buf = Buf::new();
        if digits.negative {
            buf.push_str("-");
        }
        buf.push_digits(self, &digits, COMPACT);
        buf.push_str(suffix);
        buf.write_to(out)
    }

    /// A percentage, given in percent (150 is `150%`), rounded to a whole number half away
    /// from zero. A negative number keeps its sign even when it rounds to 0 (`-0%`), as ICU
    /// prints it.
    ///
    /// en-IN groups percentages the Indian way, but CLDR's bn percent pattern (`#,##0%`)
    /// groups in threes: `১২৩,৪৫৭%`.
    ///
    /// ```
    /// use haat_core::{Decimal, Locale};
    /// let p: Decimal = "123456.7".parse()?;
    /// assert_eq!(Locale::EnIn.percent(p), "1,23,457%");
    /// assert_eq!(Locale::BnIn.percent(p), "১২৩,৪৫৭%");
    /// assert_eq!(Locale::EnIn.percent(Decimal::from(150)), "150%");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn percent(self, value: Decimal) -> String {
        collect(|s| self.write_percent(s, value))
    }

    /// Like [`Locale::percent`], into `out`, without allocating.
    ///
    /// # Errors
    /// Only the errors of `out`.
    ///
    /// ```
    /// use haat_core::{Decimal, Locale};
    /// let mut s = String::new();
    /// Locale::BnIn.write_percent(&mut s, Decimal::from(70))?;
    /// assert_eq!(s, "৭০%");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_percent(self, out: &mut impl fmt::Write, value: Decimal) -> fmt::Result {
        self.write_percent_signed(out, value, false)
    }

    /// A change in percent, with its sign: `+150%`, `-12%`, and `0%` for anything that rounds
    /// to zero (ICU's `signDisplay: exceptZero`).
    ///
    /// ```
    /// use haat_core::{Decimal, Locale};
    /// assert_eq!(Locale::EnIn.signed_percent(Decimal::from(150)), "+150%");
    /// assert_eq!(Locale::BnIn.signed_percent(Decimal::from(150)), "+১৫০%");
    /// assert_eq!(Locale::EnIn.signed_percent(Decimal::from(-12)), "-12%");
    /// assert_eq!(Locale::EnIn.signed_percent("-0.4".parse()?), "0%");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn signed_percent(self, value: Decimal) -> String {
        collect(|s| self.write_signed_percent(s, value))
    }

    /// Like [`Locale::signed_percent`], into `out`, without allocating.
    ///
    /// # Errors
    /// Only the errors of `out`.
    ///
    /// ```
    /// use haat_core::{Decimal, Locale};
    /// let mut s = String::from("onboarding ");
    /// Locale::EnIn.write_signed_percent(&mut s, Decimal::from(70))?;
    /// assert_eq!(s, "onboarding +70%");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_signed_percent(self, out: &mut impl fmt::Write, value: Decimal) -> fmt::Result {
        self.write_percent_signed(out, value, true)
    }

    fn write_percent_signed(
        self,
        out: &mut impl fmt::Write,
        value: Decimal,
        except_zero: bool,
    ) -> fmt::Result {
        let mut digits = Digits::from_decimal(value);
        digits.round_to_fraction(0);
        let mut buf = Buf::new();
        if except_zero {
            if !digits.is_zero() {
                buf.push_str(if digits.negative { "-" } else { "+" });
            }
        } else if digits.negative {
            buf.push_str("-");
        }
        let grouping = match self {
            Locale::EnIn => INDIAN,
            Locale::BnIn => WESTERN,
        };
        buf.push_digits(self, &digits, grouping);
        buf.push_str("%");
        buf.write_to(out)
    }

    /// `text` with its ASCII digits written in this locale's digits; everything else is kept.
    /// Useful for dates and codes in a report.
    ///
    /// ```
    /// use haat_core::Locale;
    /// assert_eq!(Locale::BnIn.digits("31-03-2026"), "৩১-০৩-২০২৬");
    /// assert_eq!(Locale::EnIn.digits("FY2025-26"), "FY2025-26");
    /// ```
    pub fn digits(self, text: &str) -> String {
        match self {
            Locale::EnIn => text.to_owned(),
            Locale::BnIn => text
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) if c.is_ascii_digit() => bengali_digit(d),
                    _ => c,
                })
                .collect(),
        }
    }
}

fn bengali_digit(d: u32) -> char {
    char::from_u32(0x09E6 + d).unwrap_or('?')
}

/// Runs a `write_*` method into a fresh `String`. Writing into a `String` cannot fail, and
/// the stack buffer is sized for the longest number a `Decimal` can hold, so the result is
/// always complete.
fn collect(write: impl FnOnce(&mut String) -> fmt::Result) -> String {
    let mut s = String::with_capacity(32);
    // Cannot fail: see above.
    let _ = write(&mut s);
    s
}

impl fmt::Display for Locale {
    /// The tag, as [`Locale::tag`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Locale {
    type Err = Error;

    /// `en-IN` or `bn-IN`, in any case, with `-` or `_`, surrounding whitespace ignored.
    ///
    /// ```
    /// use haat_core::Locale;
    /// assert_eq!("EN_in".parse::<Locale>()?, Locale::EnIn);
    /// assert!("bn-BD".parse::<Locale>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from_str(s: &str) -> Result<Locale, Error> {
        let t = s.trim().as_bytes();
        let is = |lang: &[u8]| {
            t.len() == 5
                && t[..2].eq_ignore_ascii_case(lang)
                && (t[2] == b'-' || t[2] == b'_')
                && t[3..].eq_ignore_ascii_case(b"in")
        };
        if is(b"en") {
            Ok(Locale::EnIn)
        } else if is(b"bn") {
            Ok(Locale::BnIn)
        } else {
            Err(Error::UnknownLocale {
                input: s.to_owned(),
            })
        }
    }
}

impl TryFrom<String> for Locale {
    type Error = Error;

    fn try_from(s: String) -> Result<Locale, Error> {
        s.parse()
    }
}

impl From<Locale> for String {
    fn from(locale: Locale) -> String {
        locale.tag().to_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// CLDR 48 compact data (decimalFormats-numberSystem-latn/beng, en-IN and bn-IN), as ICU 78
// applies it. `shift` is the power of ten the number is divided by; `one` and `other` are the
// suffixes for the CLDR plural categories of the shown number (in both languages only a shown
// "1" is `one` once the number is 1,000 or more).

#[derive(Clone, Copy)]
struct CompactUnit {
    shift: u8,
    one: &'static str,
    other: &'static str,
}

const fn unit(shift: u8, one: &'static str, other: &'static str) -> CompactUnit {
    CompactUnit { shift, one, other }
}

/// Units for magnitudes 10^3 to 10^14; larger numbers use the last.
type CompactTable = [CompactUnit; 12];

const EN_LONG: CompactTable = {
    let thousand = unit(3, " thousand", " thousand");
    let lakh = unit(5, "\u{202f}lakh", "\u{202f}lakh");
    let crore = unit(7, "\u{202f}crore", "\u{202f}crore");
    let lakh_crore = unit(12, "\u{202f}lakh\u{202f}crore", "\u{202f}lakh\u{202f}crore");
    [
        thousand, thousand, lakh, lakh, crore, crore, crore, crore, crore, lakh_crore, lakh_crore,
        lakh_crore,
    ]
};

const EN_SHORT: CompactTable = {
    let k = unit(3, "K", "K");
    let l = unit(5, "L", "L");
    let cr = unit(7, "Cr", "Cr");
    let kcr = unit(10, "KCr", "KCr");
    let lcr = unit(12, "LCr", "LCr");
    [k, k, l, l, cr, cr, cr, kcr, kcr, lcr, lcr, lcr]
};

const BN_LONG: CompactTable = {
    let hajar = unit(3, " হাজার", " হাজার");
    let lakh = unit(5, " লাখ", " লাখ");
    let koti = unit(7, " কোটি", " কোটি");
    let lakh_koti = unit(12, " লাখ কোটি", " লাখ কোটি");
    [
        hajar, hajar, lakh, lakh, koti, koti, koti, koti, koti, lakh_koti, lakh_koti, lakh_koti,
    ]
};

const BN_SHORT: CompactTable = {
    let ha = unit(3, "\u{a0}হা", "\u{a0}হা");
    let la = unit(5, "\u{a0}লা", "\u{a0}লা");
    let ko = unit(7, "\u{a0}কো", "\u{a0}কো");
    // CLDR 48 has these two as they are: a space only in the `one` form of 10^10, and 10^11
    // written as a bare `কো` on the number of 10^11s.
    let shoto_ko = unit(10, "\u{a0}শত\u{a0}কো", "শত\u{a0}কো");
    let ko11 = unit(11, "কো", "কো");
    let la_ko = unit(12, "\u{a0}লা.কো.", "\u{a0}লা.কো.");
    [
        ha, ha, la, la, ko, ko, ko, shoto_ko, ko11, la_ko, la_ko, la_ko,
    ]
};

fn compact_units(locale: Locale, style: CompactStyle) -> &'static CompactTable {
    match (locale, style) {
        (Locale::EnIn, CompactStyle::Long) => &EN_LONG,
        (Locale::EnIn, CompactStyle::Short) => &EN_SHORT,
        (Locale::BnIn, CompactStyle::Long) => &BN_LONG,
        (Locale::BnIn, CompactStyle::Short) => &BN_SHORT,
    }
}

fn compact_unit(units: &CompactTable, magnitude: i32) -> Option<CompactUnit> {
    if magnitude < 3 {
        return None;
    }
    let index = usize::try_from(magnitude - 3).unwrap_or(usize::MAX);
    units.get(index.min(units.len() - 1)).copied()
}

/// Scales `digits` (of the given magnitude) to its unit and rounds it the compact way: to a
/// whole number, but to at least two significant digits.
fn compact_round(
    digits: &Digits,
    magnitude: i32,
    units: &CompactTable,
) -> (Digits, Option<CompactUnit>) {
    let unit = compact_unit(units, magnitude);
    let shift = unit.map_or(0, |u| u.shift);
    let mut shown = digits.clone();
    shown.div_pow10(usize::from(shift));
    let shown_magnitude = magnitude - i32::from(shift);
    let keep = usize::try_from(1 - shown_magnitude).unwrap_or(0);
    shown.round_to_fraction(keep);
    (shown, unit)
}

// ---------------------------------------------------------------------------------------------
// Decimal digits.

const DIGITS_CAP: usize = 80;
/// Where the digits of a fresh number end: room to the right for appended zeros.
const DIGITS_END: usize = 64;

/// The decimal digits (values 0–9) of a number's magnitude, most significant first, of which
/// the last `frac` are after the decimal point. There is always at least one integer digit,
/// and no leading zero in the integer part except a lone `0`.
#[derive(Clone)]
struct Digits {
    buf: [u8; DIGITS_CAP],
    start: usize,
    end: usize,
    frac: usize,
    negative: bool,
}

impl Digits {
    fn from_decimal(value: Decimal) -> Digits {
        Digits::from_parts(
            value.is_sign_negative(),
            value.mantissa().unsigned_abs(),
            value.scale() as usize,
        )
    }

    fn from_parts(negative: bool, mut magnitude: u128, frac: usize) -> Digits {
        let mut d = Digits {
            buf: [0; DIGITS_CAP],
            start: DIGITS_END,
            end: DIGITS_END,
            frac,
            negative,
        };
        const CHUNK: u128 = 10_000_000_000_000_000_000; // 10^19
        while magnitude > u128::from(u64::MAX) {
            let mut low = (magnitude % CHUNK) as u64;
            magnitude /= CHUNK;
            for _ in 0..19 {
                d.start -= 1;
                d.buf[d.start] = (low % 10) as u8;
                low /= 10;
            }
        }
        let mut n = magnitude as u64;
        loop {
            d.start -= 1;
            d.buf[d.start] = (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        d.pad_integer();
        d
    }

    /// `±10^exponent`.
    fn power_of_ten(negative: bool, exponent: i32) -> Digits {
        let mut d = Digits::from_parts(negative, 1, 0);
        match usize::try_from(exponent) {
            Ok(zeros) => d.append_integer_zeros(zeros),
            Err(_) => d.div_pow10(exponent.unsigned_abs() as usize),
        }
        d
    }

    fn len(&self) -> usize {
        self.end - self.start
    }

    fn integer_len(&self) -> usize {
        self.len() - self.frac
    }

    fn digits(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    fn is_zero(&self) -> bool {
        self.digits().iter().all(|&d| d == 0)
    }

    fn is_one(&self) -> bool {
        self.frac == 0 && self.digits() == [1]
    }

    /// The power of ten of the first non-zero digit (0 for 1–9, -1 for 0.1–0.9); 0 for zero.
    fn magnitude(&self) -> i32 {
        let first = self.digits().iter().position(|&d| d != 0).unwrap_or(0);
        self.integer_len() as i32 - 1 - first as i32
    }

    /// Restores the invariant: at least one integer digit, no leading integer zeros.
    fn pad_integer(&mut self) {
        while self.len() <= self.frac && self.start > 0 {
            self.start -= 1;
            self.buf[self.start] = 0;
        }
        while self.integer_len() > 1 && self.buf[self.start] == 0 {
            self.start += 1;
        }
    }

    fn append_integer_zeros(&mut self, zeros: usize) {
        for _ in 0..zeros {
            if self.end < DIGITS_CAP {
                self.buf[self.end] = 0;
                self.end += 1;
            }
        }
    }

    /// Divides by `10^shift` (exact: the decimal point moves left).
    fn div_pow10(&mut self, shift: usize) {
        self.frac += shift;
        self.pad_integer();
    }

    /// Rounds to `keep` fraction digits, half away from zero: up when the first dropped digit
    /// is 5 or more.
    fn round_to_fraction(&mut self, keep: usize) {
        if self.frac <= keep {
            return;
        }
        let drop = self.frac - keep;
        let first_dropped = self.buf[self.end - drop];
        self.end -= drop;
        self.frac = keep;
        if first_dropped >= 5 {
            let mut i = self.end;
            loop {
                if i == self.start {
                    // Carried out of the top digit: 999.6 becomes 1000.
                    self.start -= 1;
                    self.buf[self.start] = 1;
                    break;
                }
                i -= 1;
                if self.buf[i] == 9 {
                    self.buf[i] = 0;
                } else {
                    self.buf[i] += 1;
                    break;
                }
            }
        }
        self.pad_integer();
    }

    /// Drops trailing zeros after the decimal point, keeping at least `min` fraction digits.
    fn trim_fraction(&mut self, min: usize) {
        while self.frac > min && self.buf[self.end - 1] == 0 {
            self.end -= 1;
            self.frac -= 1;
        }
    }

    /// Appends zeros after the decimal point up to `min` fraction digits.
    fn pad_fraction(&mut self, min: usize) {
        while self.frac < min && self.end < DIGITS_CAP {
            self.buf[self.end] = 0;
            self.end += 1;
            self.frac += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Output.

/// How the integer part is grouped.
#[derive(Clone, Copy)]
struct Grouping {
    /// `12,34,567` (three, then twos) rather than `1,234,567`.
    indian: bool,
    /// The fewest integer digits that get separators at all (CLDR minimum grouping digits plus
    /// three: compact notation uses "min2", so `1000 crore` but `10,000 crore`).
    min_len: usize,
}

const INDIAN: Grouping = Grouping {
    indian: true,
    min_len: 4,
};
const WESTERN: Grouping = Grouping {
    indian: false,
    min_len: 4,
};
const COMPACT: Grouping = Grouping {
    indian: true,
    min_len: 5,
};

/// The longest output is well under this: 29 integer digits in Bengali (3 bytes each) with 14
/// separators, or `0.` and 28 fraction digits, plus sign, `₹` and a suffix.
const BUF_CAP: usize = 192;

/// A UTF-8 buffer on the stack.
struct Buf {
    bytes: [u8; BUF_CAP],
    len: usize,
    overflow: bool,
}

impl Buf {
    fn new() -> Buf {
        Buf {
            bytes: [0; BUF_CAP],
            len: 0,
            overflow: false,
        }
    }

    fn push_str(&mut self, s: &str) {
        let end = self.len + s.len();
        match self.bytes.get_mut(self.len..end) {
            Some(slot) => {
                slot.copy_from_slice(s.as_bytes());
                self.len = end;
            }
            None => self.overflow = true,
        }
    }

    fn push_digit(&mut self, locale: Locale, d: u8) {
        match locale {
            Locale::EnIn => self.push_bytes(&[b'0' + d]),
            // U+09E6 BENGALI DIGIT ZERO + d, in UTF-8.
            Locale::BnIn => self.push_bytes(&[0xE0, 0xA7, 0xA6 + d]),
        }
    }

    fn push_bytes(&mut self, b: &[u8]) {
        let end = self.len + b.len();
        match self.bytes.get_mut(self.len..end) {
            Some(slot) => {
                slot.copy_from_slice(b);
                self.len = end;
            }
            None => self.overflow = true,
        }
    }

    fn push_digits(&mut self, locale: Locale, digits: &Digits, grouping: Grouping) {
        let all = digits.digits();
        let (integer, fraction) = all.split_at(digits.integer_len());
        let grouped = integer.len() >= grouping.min_len;
        for (i, &d) in integer.iter().enumerate() {
            let left = integer.len() - i;
            if grouped && i > 0 {
                let separator = if grouping.indian {
                    left == 3 || (left > 3 && (left - 3) % 2 == 0)
                } else {
                    left % 3 == 0
                };
                if separator {
                    self.push_bytes(b",");
                }
            }
            self.push_digit(locale, d);
        }
        if !fraction.is_empty() {
            self.push_bytes(b".");
            for &d in fraction {
                self.push_digit(locale, d);
            }
        }
    }

    fn write_to(&self, out: &mut impl fmt::Write) -> fmt::Result {
        if self.overflow {
            return Err(fmt::Error);
        }
        let text = std::str::from_utf8(&self.bytes[..self.len]).map_err(|_| fmt::Error)?;
        out.write_str(text)
    }
}
