//! Money: Indian rupees, kept to the paisa, in `Decimal`.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::Error;

/// An amount of Indian rupees (INR), exact to the paisa, within ±₹10¹⁵.
///
/// The amount is a [`Decimal`] with exactly two decimal places; there is no `f64` anywhere on the
/// way in or out. Arithmetic is checked (`None` when the result would leave the range), and every
/// operation that could produce a fraction of a paisa rounds *explicitly*, half away from zero, as
/// GST practice does.
///
/// # Range
/// Every `Money` lies in [`Money::MIN`]`..=`[`Money::MAX`], ±₹10¹⁵ (a hundred lakh crore rupees,
/// far above any real price or turnover). Parsing, serde and [`Money::try_from_decimal`] refuse an
/// amount beyond it with [`Error::AmountOutOfRange`], and the checked operations return `None`
/// rather than leave it. The bound is what keeps later steps safe: [`Money::paise`] is at most
/// 10¹⁷, so a product with any `u64` quantity, or a sum of a billion billion amounts, still fits
/// in an `i128`.
///
/// Parsing accepts what a person types into a price field (`₹12,000`, `Rs. 1,250.5`,
/// `INR 99`, `4,20,000`); commas must group digits in the Indian (`1,00,00,000`) or the
/// international (`10,000,000`) way. The canonical text form, used by `Display` and serde, is plain
/// (`12000.00`).
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
/// assert!("1000000000000000000000000000".parse::<Money>().is_err()); // beyond ₹10¹⁵
/// assert!("4,20,,000".parse::<Money>().is_err()); // not a digit grouping
/// assert_eq!(Money::MAX.checked_add(Money::from_paise(1)), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Money(Decimal);

/// The largest amount in paise, ₹10¹⁵. Private: callers use [`Money::MAX`].
const MAX_PAISE: i64 = 100_000_000_000_000_000;

impl Money {
    /// Zero rupees.
    pub const ZERO: Money = Money::from_paise(0);

    /// The largest amount, ₹10¹⁵.
    pub const MAX: Money = Money::from_paise(MAX_PAISE);

    /// The smallest amount, −₹10¹⁵.
    pub const MIN: Money = Money::from_paise(-MAX_PAISE);

    /// An amount in paise (1 rupee = 100 paise), for amounts known to be in range: literals, and
    /// paise read back from a `Money`. An amount beyond ±₹10¹⁵ is held at the nearest end of the
    /// range; use [`Money::try_from_paise`] to be told instead.
    ///
    /// ```
    /// use haat_core::Money;
    /// assert_eq!(Money::from_paise(1_250).to_string(), "12.50");
    /// assert_eq!(Money::from_paise(i64::MAX), Money::MAX);
    /// ```
    pub const fn from_paise(paise: i64) -> Money {
        let paise = if paise > MAX_PAISE {
            MAX_PAISE
        } else if paise < -MAX_PAISE {
            -MAX_PAISE
        } else {
            paise
        };
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
    /// beyond ±₹10¹⁵.
    ///
    /// ```
    /// use haat_core::Money;
    /// assert_eq!(Money::try_from_paise(250), Some(Money::from_rupees(2) .checked_add(Money::from_paise(50)).unwrap()));
    /// assert_eq!(Money::try_from_paise(10_i128.pow(17) + 1), None);
    /// ```
    pub fn try_from_paise(paise: i128) -> Option<Money> {
        let paise = i64::try_from(paise).ok()?;
        (paise.unsigned_abs() <= MAX_PAISE.unsigned_abs()).then(|| Money::from_paise(paise))
    }

    /// A whole number of rupees, for amounts known to be in range; like [`Money::from_paise`],
    /// an amount beyond ±₹10¹⁵ is held at the nearest end of the range.
    ///
    /// ```
    /// use haat_core::Money;
    /// assert_eq!(Money::from_rupees(5), Money::from_paise(500));
    /// ```
    pub const fn from_rupees(rupees: i64) -> Money {
        Money::from_paise(rupees.saturating_mul(100))
    }

    /// An exact amount; fails if it has fractions of a paisa or is beyond ±₹10¹⁵.
    ///
    /// # Errors
    /// [`Error::SubPaisa`] if `amount` has a non-zero digit past the second decimal place;
    /// [`Error::AmountOutOfRange`] if it is beyond ±₹10¹⁵.
    ///
    /// ```
    /// use haat_core::Money;
    /// use rust_decimal::Decimal;
    /// assert!(Money::try_from_decimal(Decimal::new(12345, 2)).is_ok());
    /// assert!(Money::try_from_decimal(Decimal::new(12345, 3)).is_err());
    /// assert!(Money::try_from_decimal(Decimal::from(10_i64.pow(15) + 1)).is_err());
    /// ```
    pub fn try_from_decimal(amount: Decimal) -> Result<Money, Error> {
        let normalised = amount.normalize();
        if normalised.scale() > 2 {
            return Err(Error::SubPaisa {
                input: excerpt(&amount.to_string()),
            });
        }
        Money::in_range(normalised).ok_or_else(|| Error::AmountOutOfRange {
            input: excerpt(&amount.to_string()),
        })
    }

    /// Rounds `amount` to the paisa, half away from zero (₹0.005 becomes ₹0.01, −₹0.005 becomes
    /// −₹0.01). This is the one rounding rule haat uses for money. `None` if the rounded amount is
    /// beyond ±₹10¹⁵.
    ///
    /// ```
    /// use haat_core::Money;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Money::round_half_away(Decimal::new(285714, 3)), Some(Money::from_paise(28571)));
    /// assert_eq!(Money::round_half_away(Decimal::new(-5, 3)), Some(Money::from_paise(-1)));
    /// assert_eq!(Money::round_half_away(Decimal::MAX), None);
    /// ```
    pub fn round_half_away(amount: Decimal) -> Option<Money> {
        Money::in_range(amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    }

    /// The one check of the range: `amount`, which has at most two decimal places, as `Money`
    /// if it is within ±₹10¹⁵.
    fn in_range(mut amount: Decimal) -> Option<Money> {
        // At two decimal places already (every sum or difference of two `Money`), the range is
        // a bound on the integer mantissa, which costs far less than comparing decimals; the
        // value kept is the very one the general path below would keep.
        if amount.scale() == 2 {
            let within = amount.mantissa().unsigned_abs() <= u128::from(MAX_PAISE.unsigned_abs());
            return within.then_some(Money(amount));
        }
        if amount.abs() > Money::MAX.0 {
            return None;
        }
        // Within the range an amount has at most 17 + 2 digits, so it always rescales to
        // exactly two decimal places, without rounding.
        amount.rescale(2);
        Some(Money(amount))
    }

    /// The amount in rupees, with two decimal places.
    pub fn amount(self) -> Decimal {
        self.0
    }

    /// The amount in paise, at most 10¹⁷ either way.
    ///
    /// ```
    /// use haat_core::Money;
    /// assert_eq!(Money::from_rupees(3).paise(), 300);
    /// assert_eq!(Money::MAX.paise(), 10_i128.pow(17));
    /// ```
    #[inline]
    pub fn paise(self) -> i128 {
        if self.0.scale() == 2 {
            return self.0.mantissa();
        }
        // Every `Money` is built with two decimal places; rescaling (which cannot overflow within
        // the range) keeps this exact even if that ever changed.
        let mut amount = self.0;
        amount.rescale(2);
        amount.mantissa()
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

    /// The amount without its sign (the range is symmetric, so this is always `Money`).
    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    /// `self + other`, or `None` if the sum is beyond ±₹10¹⁵.
    ///
    /// ```
    /// use haat_core::Money;
    /// assert_eq!(Money::MAX.checked_add(Money::ZERO), Some(Money::MAX));
    /// assert_eq!(Money::MAX.checked_add(Money::from_paise(1)), None);
    /// ```
    pub fn checked_add(self, other: Money) -> Option<Money> {
        // Two amounts in range add exactly in a `Decimal` (19 digits at most); only the range
        // can be left.
        Money::in_range(self.0.checked_add(other.0)?)
    }

    /// `self - other`, or `None` if the difference is beyond ±₹10¹⁵.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        Money::in_range(self.0.checked_sub(other.0)?)
    }

    /// `self × quantity`, exact, or `None` if the product is beyond ±₹10¹⁵.
    ///
    /// ```
    /// use haat_core::Money;
    /// assert_eq!(Money::from_paise(150).checked_mul(3), Some(Money::from_paise(450)));
    /// assert_eq!(Money::MAX.checked_mul(2), None);
    /// ```
    pub fn checked_mul(self, quantity: u64) -> Option<Money> {
        // Done in paise, as integers: a `Decimal` product of 28 or more digits would round.
        let paise = self.paise().checked_mul(i128::from(quantity))?;
        Money::try_from_paise(paise)
    }

    /// `self × factor`, rounded to the paisa half away from zero, or `None` if the result is
    /// beyond ±₹10¹⁵. Use it for rates: `Decimal::new(5, 2)` is 5%.
    pub fn mul_rounded(self, factor: Decimal) -> Option<Money> {
        self.0.checked_mul(factor).and_then(Money::round_half_away)
    }

    /// The sum of `amounts`, or `None` if a running total leaves ±₹10¹⁵.
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

impl Default for Money {
    /// Zero rupees, written `0.00` like every other amount.
    fn default() -> Money {
        Money::ZERO
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
        let whole = rest.split('.').next().unwrap_or_default();
        check_grouping(whole, offset)?;
        if digits.ends_with('.') {
            digits.pop();
        }
        let out_of_range = || Error::AmountOutOfRange {
            input: excerpt(trimmed),
        };
        let amount = Decimal::from_str_exact(&digits).map_err(|_| out_of_range())?;
        match Money::try_from_decimal(amount) {
            Err(Error::SubPaisa { .. }) => Err(Error::SubPaisa {
                input: excerpt(trimmed),
            }),
            Err(_) => Err(out_of_range()),
            Ok(money) => Ok(money),
        }
    }
}

/// Checks the commas in the whole-rupee digits `whole` (which starts `offset` characters into
/// the trimmed text): none, or groups in the Indian way (`1,00,00,000`: two-digit groups, the
/// first one or two digits) or the international way (`10,000,000`: three-digit groups, the
/// first one to three digits), always ending in a group of three.
fn check_grouping(whole: &str, offset: usize) -> Result<(), Error> {
    if !whole.contains(',') {
        return Ok(());
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let [first, middle @ .., last] = groups.as_slice() else {
        return Ok(());
    };
    // The width of the middle groups says which way the number is grouped.
    let width = middle.first().map_or(3, |group| group.len());
    let first_ok = (1..=width).contains(&first.len()) && (width == 2 || width == 3);
    // The 1-based position of the comma after group `index`, in the trimmed text.
    let comma_after = |index: usize| {
        offset
            + groups
                .iter()
                .take(index + 1)
                .map(|g| g.chars().count() + 1)
                .sum::<usize>()
    };
    let bad = if !first_ok {
        Some(0)
    } else if let Some(index) = middle.iter().position(|group| group.len() != width) {
        Some(index + 1)
    } else if last.len() != 3 {
        Some(groups.len() - 2)
    } else {
        None
    };
    match bad {
        Some(index) => Err(Error::InvalidAmountGrouping {
            position: comma_after(index),
        }),
        None => Ok(()),
    }
}

/// At most the first 40 characters of `input`, so that an error never carries a whole file.
fn excerpt(input: &str) -> String {
    const MAX_CHARS: usize = 40;
    match input.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}…", &input[..end]),
        None => input.to_owned(),
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
