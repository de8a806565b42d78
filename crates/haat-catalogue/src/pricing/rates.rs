//! The GST rate table: rules keyed by HSN prefix, price per piece and date.

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::NaiveDate;
use haat_core::{Decimal, Money};

use super::{HsnCode, Percent, PricingError};

/// How a rule's rate depends on the price of one piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateSpec {
    /// One rate at any price.
    Flat(Percent),
    /// A lower rate up to a sale value per piece (before tax), a higher one above it.
    PerPieceThreshold {
        /// The highest sale value per piece, *before tax*, that takes the lower rate.
        threshold: Money,
        /// The rate up to the threshold.
        up_to: Percent,
        /// The rate above it.
        above: Percent,
    },
}

impl RateSpec {
    /// The rate for a piece sold at the tax-inclusive price `inclusive`.
    ///
    /// The threshold is a value before tax, so an inclusive price P takes the lower rate when
    /// P ≤ threshold × (1 + lower rate): at ₹1,000 and 5%, ₹1,050.00 is 5% and ₹1,050.01 is
    /// the higher rate. The comparison is exact.
    ///
    /// ```
    /// use haat_catalogue::{Percent, RateSpec};
    /// use haat_core::Money;
    /// let apparel = RateSpec::PerPieceThreshold {
    ///     threshold: Money::from_rupees(1_000),
    ///     up_to: Percent::whole(5),
    ///     above: Percent::whole(12),
    /// };
    /// assert_eq!(apparel.rate_for(Money::from_paise(105_000)), Percent::whole(5));
    /// assert_eq!(apparel.rate_for(Money::from_paise(105_001)), Percent::whole(12));
    /// ```
    pub fn rate_for(&self, inclusive: Money) -> Percent {
        match *self {
            RateSpec::Flat(rate) => rate,
            RateSpec::PerPieceThreshold {
                threshold,
                up_to,
                above,
            } => {
                let factor = Decimal::ONE_HUNDRED + up_to.value();
                // threshold × (100 + r) / 100 ≥ P  ⇔  threshold × (100 + r) ≥ P × 100, exactly.
                match (
                    threshold.amount().checked_mul(factor),
                    inclusive.amount().checked_mul(Decimal::ONE_HUNDRED),
                ) {
                    (Some(limit), Some(price)) if price <= limit => up_to,
                    _ => above,
                }
            }
        }
    }
}

/// One row of a [`GstRateTable`]: the rate for HSN codes starting with a prefix, over a span of
/// dates (IST dates of the sale, both ends inclusive; open-ended when `None`).
///
/// ```
/// use chrono::NaiveDate;
/// use haat_catalogue::{GstRule, Percent, RateSpec};
/// let tea = GstRule::new("0902", RateSpec::Flat(Percent::whole(5)))?
///     .effective_from(NaiveDate::from_ymd_opt(2017, 7, 1).unwrap())
///     .with_source("Notification 1/2017-Central Tax (Rate), Schedule I");
/// assert_eq!(tea.prefix(), "0902");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GstRule {
    prefix: Cow<'static, str>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    rate: RateSpec,
    source: Cow<'static, str>,
}

impl GstRule {
    /// A rule for codes starting with `prefix` (2 to 8 digits), in force on every date.
    ///
    /// # Errors
    /// [`PricingError::InvalidHsnPrefix`] if `prefix` is not 2 to 8 ASCII digits.
    pub fn new(prefix: &str, rate: RateSpec) -> Result<GstRule, PricingError> {
        if !(2..=8).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PricingError::InvalidHsnPrefix {
                prefix: prefix.to_owned(),
            });
        }
        Ok(GstRule {
            prefix: Cow::Owned(prefix.to_owned()),
            from: None,
            until: None,
            rate,
            source: Cow::Borrowed(""),
        })
    }

    /// In force from `date` (inclusive).
    #[must_use]
    pub fn effective_from(mut self, date: NaiveDate) -> GstRule {
        self.from = Some(date);
        self
    }

    /// In force up to and including `date`.
    #[must_use]
    pub fn effective_until(mut self, date: NaiveDate) -> GstRule {
        self.until = Some(date);
        self
    }

    /// Where the rate comes from (a notification), for the record.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<Cow<'static, str>>) -> GstRule {
        self.source = source.into();
        self
    }

    /// The HSN prefix the rule covers.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The first date the rule is in force, if bounded.
    pub fn from(&self) -> Option<NaiveDate> {
        self.from
    }

    /// The last date the rule is in force, if bounded.
    pub fn until(&self) -> Option<NaiveDate> {
        self.until
    }

    /// How the rate depends on the price per piece.
    pub fn rate(&self) -> RateSpec {
        self.rate
    }

    /// The notification the rate comes from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the rule is in force on `date`.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= date) && self.until.is_none_or(|until| date <= until)
    }

    fn overlaps(&self, other: &GstRule) -> bool {
        let starts_before_other_ends = match (self.from, other.until) {
            (Some(from), Some(until)) => from <= until,
            _ => true,
        };
        let other_starts_before_self_ends = match (other.from, self.until) {
            (Some(from), Some(until)) => from <= until,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_self_ends
    }
}

/// GST rates as data: rules keyed by HSN prefix, each with the dates it is in force and how the
/// rate depends on the price per piece.
///
/// A lookup takes the rule with the **longest** matching prefix among those in force on the
/// date; if none matches, it is an error ([`PricingError::NoRateFor`]), never a guess. Two rules
/// for the same prefix may not be in force on the same day.
///
/// ```
/// use chrono::NaiveDate;
/// use haat_catalogue::{GstRateTable, HsnCode, Percent};
/// use haat_core::Money;
///
/// let india = GstRateTable::india();
/// let kurta: HsnCode = "6211".parse()?;
/// let day = |d| NaiveDate::from_ymd_opt(2025, 9, d).unwrap();
/// let price = Money::from_rupees(2_000);
/// assert_eq!(india.rate(&kurta, price, day(21))?, Percent::whole(12));
/// assert_eq!(india.rate(&kurta, price, day(22))?, Percent::whole(5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GstRateTable {
    rules: Vec<GstRule>,
}

impl GstRateTable {
    /// A table of the given rules.
    ///
    /// # Errors
    /// [`PricingError::OverlappingRules`] if two rules for the same prefix are in force on a
    /// common date, [`PricingError::InvertedDates`] if a rule ends before it starts.
    pub fn from_rules(rules: Vec<GstRule>) -> Result<GstRateTable, PricingError> {
        for (i, rule) in rules.iter().enumerate() {
            if let (Some(from), Some(until)) = (rule.from, rule.until)
                && until < from
            {
                return Err(PricingError::InvertedDates {
                    prefix: rule.prefix.to_string(),
                    from,
                    until,
                });
            }
            if let Some(other) = rules[..i]
                .iter()
                .find(|other| other.prefix == rule.prefix && other.overlaps(rule))
            {
                return Err(PricingError::OverlappingRules {
                    prefix: rule.prefix.to_string(),
                    first_from: other.from,
                    second_from: rule.from,
                });
            }
        }
        Ok(GstRateTable { rules })
    }

    /// The rules, in the order given.
    pub fn rules(&self) -> &[GstRule] {
        &self.rules
    }

    /// The rule that sets the rate for `hsn` on `date`: the longest prefix in force.
    ///
    /// # Errors
    /// [`PricingError::NoRateFor`] if no rule covers the code on that date.
    pub fn rule(&self, hsn: &HsnCode, date: NaiveDate) -> Result<&GstRule, PricingError> {
        self.rules
            .iter()
            .filter(|rule| hsn.starts_with(&rule.prefix) && rule.in_force_on(date))
            .max_by_key(|rule| rule.prefix.len())
            .ok_or(PricingError::NoRateFor { hsn: *hsn, date })
    }

    /// The GST rate for a piece of `hsn` sold at the tax-inclusive `price_per_piece` on `date`
    /// (the IST date of the sale: [`haat_core::ist_date`]).
    ///
    /// # Errors
    /// [`PricingError::NoRateFor`] if no rule covers the code on that date.
    pub fn rate(
        &self,
        hsn: &HsnCode,
        price_per_piece: Money,
        date: NaiveDate,
    ) -> Result<Percent, PricingError> {
        Ok(self.rule(hsn, date)?.rate.rate_for(price_per_piece))
    }

    /// The rates India applies to the goods of the default taxonomy.
    ///
    /// | HSN | goods | rate | in force | source |
    /// |---|---|---|---|---|
    /// | 5007, 5208, 5209, 5407, 5408 | woven fabrics of silk, cotton, man-made filament (sarees) | 5% | from 1 Jul 2017 | 1/2017-CT(R) Sch. I; 9/2025-CT(R) Sch. I |
    /// | chapters 61, 62, 63 | apparel, made-ups, home furnishing | 5% up to ₹1,000 a piece, 12% above | 1 Jul 2017 – 21 Sep 2025 | 1/2017-CT(R) Sch. I and II |
    /// | chapters 61, 62, 63 | apparel, made-ups, home furnishing | 5% up to ₹2,500 a piece, 18% above | from 22 Sep 2025 | 9/2025-CT(R) Sch. I and II |
    /// | 0902 | tea | 5% | from 1 Jul 2017 | 1/2017-CT(R) Sch. I; 9/2025-CT(R) Sch. I |
    /// | 1006 | rice, pre-packaged and labelled | 5% | from 18 Jul 2022 | 6/2022-CT(R); 9/2025-CT(R) Sch. I |
    /// | 1701, 1702 | jaggery of all types (cane gur, palmyra and date-palm gur), pre-packaged and labelled | 5% | from 18 Jul 2022 | 6/2022-CT(R) (Sch. I S. No. 91A); 9/2025-CT(R) Sch. I |
    /// | 8306 | dokra and other base-metal statuettes (handicraft) | 12%, then 5% | 27 Jul 2018 – 21 Sep 2025, then from 22 Sep 2025 | 21/2018-CT(R); 13/2025-CT(R) |
    /// | 7419 | dokra and other art ware of brass, bell metal, copper alloys (handicraft; 7419 99) | 12%, then 5% | as above | as above |
    /// | 6913 | terracotta and other ornamental ceramic (handicraft) | 12%, then 5% | as above | as above |
    /// | 6912 00 10, 6912 00 20 | terracotta and clay tableware (handicraft) | 12%, then 5% | as above | as above |
    /// | 4504 90 | sholapith and cork art ware (handicraft) | 12%, then 5% | as above | as above |
    /// | 9601 | worked bone, horn, shell and other animal carving material (handicraft) | 12%, then 5% | as above | as above |
    /// | 4602 | basketwork and articles of vegetable plaiting material, shola items included (handicraft) | 5% | from 27 Jul 2018 | 21/2018-CT(R) (S. No. 7); 13/2025-CT(R) |
    ///
    /// Packaged food is listed with Legal Metrology declarations, so it is sold pre-packaged and
    /// labelled; loose rice and jaggery (nil-rated) are not what the catalogue sells. The
    /// handicraft rows are the concessional rates for goods predominantly made by hand.
    /// Anything else, and any of these before the dates shown, is [`PricingError::NoRateFor`].
    pub fn india() -> &'static GstRateTable {
        &INDIA
    }
}

const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

const GST_START: NaiveDate = ymd(2017, 7, 1);
const PRE_PACKAGED_FROM: NaiveDate = ymd(2022, 7, 18);
const HANDICRAFT_FROM: NaiveDate = ymd(2018, 7, 27);
const LAST_BEFORE_RATIONALISATION: NaiveDate = ymd(2025, 9, 21);
const RATIONALISATION: NaiveDate = ymd(2025, 9, 22);

/// One row of the Indian table, as data.
struct Row {
    prefixes: &'static [&'static str],
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    rate: RowRate,
    source: &'static str,
}

/// A [`RateSpec`] with the threshold in whole rupees, so that the table can be a constant.
#[derive(Clone, Copy)]
enum RowRate {
    Flat(Percent),
    Threshold {
        rupees: i64,
        up_to: Percent,
        above: Percent,
    },
}

impl RowRate {
    fn spec(self) -> RateSpec {
        match self {
            RowRate::Flat(rate) => RateSpec::Flat(rate),
            RowRate::Threshold {
                rupees,
                up_to,
                above,
            } => RateSpec::PerPieceThreshold {
                threshold: Money::from_rupees(rupees),
                up_to,
                above,
            },
        }
    }
}

const FIVE: Percent = Percent::whole(5);
const TWELVE: Percent = Percent::whole(12);
const EIGHTEEN: Percent = Percent::whole(18);
const HANDICRAFTS: &[&str] = &[
    "8306", "7419", "6913", "69120010", "69120020", "450490", "9601",
];

const INDIA_ROWS: &[Row] = &[
    Row {
        prefixes: &["5007", "5208", "5209", "5407", "5408"],
        from: Some(GST_START),
        until: None,
        rate: RowRate::Flat(FIVE),
        source: "Notification 1/2017-Central Tax (Rate), Schedule I; 9/2025-Central Tax (Rate), Schedule I",
    },
    Row {
        prefixes: &["61", "62", "63"],
        from: Some(GST_START),
        until: Some(LAST_BEFORE_RATIONALISATION),
        rate: RowRate::Threshold {
            rupees: 1_000,
            up_to: FIVE,
            above: TWELVE,
        },
        source: "Notification 1/2017-Central Tax (Rate), Schedules I and II (sale value not exceeding Rs 1000 per piece)",
    },
    Row {
        prefixes: &["61", "62", "63"],
        from: Some(RATIONALISATION),
        until: None,
        rate: RowRate::Threshold {
            rupees: 2_500,
            up_to: FIVE,
            above: EIGHTEEN,
        },
        source: "Notification 9/2025-Central Tax (Rate), Schedules I and II (sale value not exceeding Rs 2500 per piece), from 22 Sep 2025",
    },
    Row {
        prefixes: &["0902"],
        from: Some(GST_START),
        until: None,
        rate: RowRate::Flat(FIVE),
        source: "Notification 1/2017-Central Tax (Rate), Schedule I; 9/2025-Central Tax (Rate), Schedule I",
    },
    Row {
        prefixes: &["1006", "1701", "1702"],
        from: Some(PRE_PACKAGED_FROM),
        until: None,
        rate: RowRate::Flat(FIVE),
        source: "Notification 6/2022-Central Tax (Rate) (pre-packaged and labelled, from 18 Jul 2022); 9/2025-Central Tax (Rate), Schedule I",
    },
    Row {
        prefixes: HANDICRAFTS,
        from: Some(HANDICRAFT_FROM),
        until: Some(LAST_BEFORE_RATIONALISATION),
        rate: RowRate::Flat(TWELVE),
        source: "Notification 21/2018-Central Tax (Rate) (handicraft goods)",
    },
    Row {
        prefixes: HANDICRAFTS,
        from: Some(RATIONALISATION),
        until: None,
        rate: RowRate::Flat(FIVE),
        source: "Notification 13/2025-Central Tax (Rate) (handicraft goods), from 22 Sep 2025",
    },
    Row {
        // Handmade basketwork and plaited articles, shola items among them, took the 5% rate in
        // 2018 and kept it through the 2025 rationalisation.
        prefixes: &["4602"],
        from: Some(HANDICRAFT_FROM),
        until: None,
        rate: RowRate::Flat(FIVE),
        source: "Notification 21/2018-Central Tax (Rate) (handicraft goods, S. No. 7, including shola items); 13/2025-Central Tax (Rate), from 22 Sep 2025",
    },
];

static INDIA: LazyLock<GstRateTable> = LazyLock::new(|| GstRateTable {
    rules: INDIA_ROWS
        .iter()
        .flat_map(|row| {
            row.prefixes.iter().map(|prefix| GstRule {
                prefix: Cow::Borrowed(*prefix),
                from: row.from,
                until: row.until,
                rate: row.rate.spec(),
                source: Cow::Borrowed(row.source),
            })
        })
        .collect(),
});
