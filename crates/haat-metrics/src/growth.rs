//! Growth between two periods, with no figure when there is nothing to grow from.

use haat_core::Money;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The change from a previous period's value to the current one, in percent.
///
/// A growth figure needs a base: from zero (or less), a percentage means nothing, so
/// [`Growth::between`] gives `None` rather than dividing by zero. The percentage is exact to
/// `Decimal`'s precision; [`Growth::percent_rounded`] rounds it half away from zero for display.
///
/// ```
/// use haat_metrics::Growth;
/// use haat_core::Decimal;
///
/// let listings = Growth::between(100u64, 250u64).unwrap();
/// assert_eq!(listings.percent(), Decimal::from(150)); // "listings up 150%"
/// assert!(Growth::between(0u64, 10u64).is_none());
/// assert_eq!(Growth::between(3u64, 2u64).unwrap().percent_rounded(1), Decimal::new(-333, 1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Growth {
    previous: Decimal,
    current: Decimal,
}

impl Growth {
    /// The growth from `previous` to `current`, or `None` when `previous` is not above zero.
    pub fn between(previous: impl Into<Decimal>, current: impl Into<Decimal>) -> Option<Growth> {
        let previous = previous.into();
        (previous > Decimal::ZERO).then(|| Growth {
            previous,
            current: current.into(),
        })
    }

    /// The base value.
    pub fn previous(self) -> Decimal {
        self.previous
    }

    /// The current value.
    pub fn current(self) -> Decimal {
        self.current
    }

    /// The change in percent, exact to `Decimal`'s precision (28 significant digits).
    pub fn percent(self) -> Decimal {
        (self.current - self.previous)
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|change| change.checked_div(self.previous))
            .unwrap_or(Decimal::MAX)
            .normalize()
    }

    /// The change in percent rounded to `places` decimal places, half away from zero.
    pub fn percent_rounded(self, places: u32) -> Decimal {
        self.percent()
            .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
            .normalize()
    }

    /// current ÷ previous: "sales more than doubled" is a ratio above 2.
    pub fn ratio(self) -> Decimal {
        self.current
            .checked_div(self.previous)
            .unwrap_or(Decimal::MAX)
            .normalize()
    }
}

/// `part` as a percentage of `whole`, rounded to two decimal places half away from zero;
/// `None` when `whole` is zero.
///
/// ```
/// use haat_metrics::percent_of;
/// assert_eq!(percent_of(1, 3), Some("33.33".parse()?));
/// assert_eq!(percent_of(0, 0), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn percent_of(part: u64, whole: u64) -> Option<Decimal> {
    if whole == 0 {
        return None;
    }
    (Decimal::from(part) * Decimal::ONE_HUNDRED)
        .checked_div(Decimal::from(whole))
        .map(|p| {
            p.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                .normalize()
        })
}

/// `paise` as [`Money`], held at the bound of its range (±₹10¹⁵) when the total is past it.
///
/// The folds sum paise as `i128`, so a total never overflows; a report shows it as `Money`,
/// whose range is narrower. A total past the bound reads as the bound — the largest amount
/// the report can print — never as ₹0.
pub(crate) fn saturating_money(paise: i128) -> Money {
    if paise > Money::MAX.paise() {
        Money::MAX
    } else if paise < Money::MIN.paise() {
        Money::MIN
    } else {
        Money::try_from_paise(paise).unwrap_or(Money::ZERO)
    }
}
