//! Money: Indian rupees, kept to the paisa, in `Decimal`.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::Error;

/// An amount of Indian rupees (INR), exact to the paisa.
///
/// The amount is a [`Decimal`] with exactly two decimal places; there is no `f64` anywhere on the
/// way in or out. Arithmetic is checked (`None` on overflow), and every operation that could
/// produce a fraction of a paisa rounds *explicitly*, half away from zero, as GST practice does.
///
/// Parsing accepts what a person types into a price field (`₹12,000`, `Rs. 1,250.5`,
/// `INR 99`); the canonical text form, used by `Display` and serde, is plain (`12000.00`).
///
/// ```
/// use haat_core::Money;
/// use rust_decimal::Decimal;
///
/// let price: Money = "₹12,000".parse()?;
/// assert_eq!(price, Money::from_rupees(12_000));
/// assert_eq!(price.to_string(), "12000.00");
///
/// // 5% of ₹10.10 is 50.5 paise: rounded half away from zero, and only because we asked.
/// let tax = Money::from_paise(1010).mul_rounded(Decimal::new(5, 2)).unwrap();
/// assert_eq!(tax, Money::from_paise(51));
///
/// assert!("12.345".parse::<Money>().is_err()); // never a silent rounding
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Money(Decimal);

impl Money {
    /// Zero rupees.
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, 2));

    /// An amount in paise (1 rupee = 100 paise).
    pub const fn from_paise(paise: i64) -> Money {
        let magnitude = paise.unsigned_abs();
        // `Decimal::from_parts` is the const constructor: a 96-bit magnitude in three words.
        Money(Decimal::from_parts(
            magnitude as u32,
            (magnitude >> 32) as u32,
            0,
            paise < 0,
            2,
        ))
    }

    /// An amount in paise given as an `i128`, as sums of many amounts are kept; `None` if it is
    /// beyond what `Decimal` holds (about 7.9 × 10²⁶ rupees).
    ///
    /// ```
    /// use haat_core::Money;
    /// assert_eq!(Money::try_from_paise(250), Some(Money::from_rupees(2) .checked_add(Money::from_paise(50)).unwrap()));
    /// ```
    pub fn try_from_paise(paise: i128) -> Option<Money> {
        Decimal::try_from_i128_with_scale(paise, 2).ok().map(Money)
    }

    /// A whole number of rupees.
    ///
    /// ```
    /// use haat_core::Money;
    /// assert_eq!(Money::from_rupees(5), Money::from_paise(500));
    /// ```
    pub fn from_rupees(rupees: i64) -> Money {
        Money(Decimal::from_i128_with_scale(i128::from(rupees) * 100, 2))
    }

    /// An exact amount; fails if it has fractions of a paisa.
    ///
    /// # Errors
    /// [`Error::SubPaisa`] if `amount` has a non-zero digit past the second decimal place.
    ///
    /// ```
    /// use haat_core::Money;
    /// use rust_decimal::Decimal;
    /// assert!(Money::try_from_decimal(Decimal::new(12345, 2)).is_ok());
    /// assert!(Money::try_from_decimal(Decimal::new(12345, 3)).is_err());
    /// ```
    pub fn try_from_decimal(amount: Decimal) -> Result<Money, Error> {
        let normalised = amount.normalize();
        if normalised.scale() > 2 {
            return Err(Error::SubPaisa {
                input: amount.to_string(),
            });
        }
        Ok(Money::with_paise_scale(normalised))
    }

    /// Rounds `amount` to the paisa, half away from zero (₹0.005 becomes ₹0.01, −₹0.005 becomes
    /// −₹0.01). This is the one rounding rule haat uses for money.
    ///
    /// ```
    /// use haat_core::Money;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Money::round_half_away(Decimal::new(285714, 3)), Money::from_paise(28571));
    /// assert_eq!(Money::round_half_away(Decimal::new(-5, 3)), Money::from_paise(-1));
    /// ```
    pub fn round_half_away(amount: Decimal) -> Money {
        Money::with_paise_scale(
            amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        )
    }

    fn with_paise_scale(mut amount: Decimal) -> Money {
        // A value with at most two decimal places always rescales to exactly two; the only
        // values that cannot are beyond 28 significant digits, far past any rupee amount, and
        // those keep their scale (rescale leaves them as they are).
        amount.rescale(2);
        Money(amount)
    }

    /// The amount in rupees, with two decimal places.
    pub fn amount(self) -> Decimal {
        self.0
    }

    /// The amount in paise.
    ///
    /// ```
    /// use haat_core::Money;
    /// assert_eq!(Money::from_rupees(3).paise(), 300);
    /// ```
    pub fn paise(self) -> i128 {
        match self.0.scale() {
            2 => self.0.mantissa(),
            _ => (self.0 * Decimal::ONE_HUNDRED).trunc().mantissa(),
        }
    }

    /// Whether the amount is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Whether the amount is greater than zero.
    pub fn is_positive(self) -> bool {
        self.0 > Decimal::ZERO
    }

    /// Whether the amount is less than zero.
    pub fn is_negative(self) -> bool {
        self.0 < Decimal::ZERO
    }

    /// The amount without its sign.
    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money::with_paise_scale)
    }

    /// `self - other`, or `None` on overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money::with_paise_scale)
    }

    /// `self × quantity`, exact, or `None` on overflow.
    ///
    /// ```
    /// use haat_core::Money;
    /// assert_eq!(Money::from_paise(150).checked_mul(3), Some(Money::from_paise(450)));
    /// ```
    pub fn checked_mul(self, quantity: u64) -> Option<Money> {
        self.0
            .checked_mul(Decimal::from(quantity))
            .map(Money::with_paise_scale)
    }

    /// `self × factor`, rounded to the paisa half away from zero, or `None` on overflow. Use it
    /// for rates: `Decimal::new(5, 2)` is 5%.
    pub fn mul_rounded(self, factor: Decimal) -> Option<Money> {
        self.0.checked_mul(factor).map(Money::round_half_away)
    }

    /// The sum of `amounts`, or `None` on overflow.
    ///
    /// ```
    /// use haat_core::Money;
    /// let total = Money::checked_sum([Money::from_rupees(1), Money::from_paise(50)]);
    /// assert_eq!(total, Some(Money::from_paise(150)));
    /// ```
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |total, amount| total.checked_add(amount))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "₹{}", self.0)
    }
}

/// Currency markers a person may type before an amount.
const CURRENCY_PREFIXES: [&str; 4] = ["₹", "rs.", "rs", "inr"];

impl FromStr for Money {
    type Err = Error;

    fn from_str(input: &str) -> Result<Money, Error> {
        let trimmed = input.trim();
        let (negative, rest) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed),
        };
        let rest = strip_currency(rest);
        if rest.is_empty() {
            return Err(Error::EmptyAmount);
        }
        let offset = trimmed.chars().count() - rest.chars().count();
        let mut digits = String::with_capacity(rest.len() + 1);
        if negative {
            digits.push('-');
        }
        let mut seen_point = false;
        for (index, character) in rest.chars().enumerate() {
            match character {
                '0'..='9' => digits.push(character),
                ',' if !seen_point => {}
                '.' if !seen_point => {
                    seen_point = true;
                    digits.push('.');
                }
                _ => {
                    return Err(Error::InvalidAmountCharacter {
                        character,
                        position: offset + index + 1,
                    });
                }
            }
        }
        if !digits.bytes().any(|b| b.is_ascii_digit()) {
            return Err(Error::EmptyAmount);
        }
        if digits.ends_with('.') {
            digits.pop();
        }
        let amount = Decimal::from_str_exact(&digits).map_err(|_| Error::AmountOutOfRange {
            input: trimmed.to_owned(),
        })?;
        Money::try_from_decimal(amount).map_err(|_| Error::SubPaisa {
            input: trimmed.to_owned(),
        })
    }
}

fn strip_currency(text: &str) -> &str {
    for prefix in CURRENCY_PREFIXES {
        if let Some(head) = text.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            return text[prefix.len()..].trim_start();
        }
    }
    text
}

impl TryFrom<String> for Money {
    type Error = Error;

    fn try_from(value: String) -> Result<Money, Error> {
        value.parse()
    }
}

impl From<Money> for String {
    fn from(money: Money) -> String {
        money.to_string()
    }
}

impl From<Money> for Decimal {
    fn from(money: Money) -> Decimal {
        money.0
    }
}
