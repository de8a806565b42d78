//! Percentages: tax rates, commission rates, statutory deduction rates.

use std::fmt;
use std::str::FromStr;

use haat_core::{Decimal, Money};
use serde::{Deserialize, Serialize};

use super::PricingError;

/// A percentage from 0% to 100%, exact (a [`Decimal`], never a float).
///
/// `Percent::whole(5)` is 5%; `Percent::hundredths(50)` is 0.50%. Text is `"5%"`, `"0.5%"`,
/// `"0.1%"` (trailing zeros dropped); parsing accepts the number with or without `%`.
///
/// ```
/// use haat_catalogue::Percent;
/// use haat_core::Money;
///
/// let tcs: Percent = "0.5%".parse()?;
/// assert_eq!(tcs, Percent::hundredths(50));
/// assert_eq!(tcs.to_string(), "0.5%");
/// // 0.5% of ₹11,428.58 is ₹57.1429: rounded half away from zero to ₹57.14.
/// assert_eq!(tcs.of(Money::from_paise(1_142_858))?, Money::from_paise(5_714));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Percent(Decimal);

impl Percent {
    /// Zero percent.
    pub const ZERO: Percent = Percent(Decimal::ZERO);

    /// A whole number of percent; values above 100 are capped at 100.
    pub const fn whole(percent: u32) -> Percent {
        let capped = if percent > 100 { 100 } else { percent };
        Percent(Decimal::from_parts(capped, 0, 0, false, 0))
    }

    /// Hundredths of a percent (basis points): `hundredths(10)` is 0.1%; capped at 100%.
    pub const fn hundredths(basis_points: u32) -> Percent {
        let capped = if basis_points > 10_000 {
            10_000
        } else {
            basis_points
        };
        Percent(Decimal::from_parts(capped, 0, 0, false, 2))
    }

    /// A percentage from a decimal number of percent (`5` is 5%).
    ///
    /// # Errors
    /// [`PricingError::InvalidPercent`] unless `0 ≤ percent ≤ 100`.
    pub fn new(percent: Decimal) -> Result<Percent, PricingError> {
        if percent.is_sign_negative() && !percent.is_zero() || percent > Decimal::ONE_HUNDRED {
            return Err(PricingError::InvalidPercent {
                input: percent.to_string(),
            });
        }
        Ok(Percent(percent.normalize()))
    }

    /// The number of percent (`5` for 5%).
    pub fn value(self) -> Decimal {
        self.0
    }

    /// The fraction (`0.05` for 5%).
    pub fn fraction(self) -> Decimal {
        self.0 / Decimal::ONE_HUNDRED
    }

    /// Whether this is 0%.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// This percentage of `amount`, rounded to the paisa half away from zero.
    ///
    /// # Errors
    /// [`PricingError::Overflow`] if the amount is too large to compute with.
    pub fn of(self, amount: Money) -> Result<Money, PricingError> {
        amount
            .amount()
            .checked_mul(self.0)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .and_then(Money::round_half_away)
            .ok_or(PricingError::Overflow { what: "percentage" })
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0.normalize())
    }
}

impl fmt::Debug for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Percent({self})")
    }
}

impl FromStr for Percent {
    type Err = PricingError;

    fn from_str(s: &str) -> Result<Self, PricingError> {
        let trimmed = s.trim();
        let number = trimmed.strip_suffix('%').unwrap_or(trimmed).trim_end();
        let invalid = || PricingError::InvalidPercent {
            input: trimmed.to_owned(),
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(invalid());
        }
        let value: Decimal = number.parse().map_err(|_| invalid())?;
        Percent::new(value).map_err(|_| invalid())
    }
}

impl TryFrom<String> for Percent {
    type Error = PricingError;

    fn try_from(value: String) -> Result<Self, PricingError> {
        value.parse()
    }
}

impl From<Percent> for String {
    fn from(value: Percent) -> String {
        value.to_string()
    }
}
