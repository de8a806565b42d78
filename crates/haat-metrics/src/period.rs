//! Reporting periods: IST months, quarters of the financial year, and financial years.

use std::fmt;

use chrono::{DateTime, Utc};
use haat_core::{FinancialYear, FyQuarter, Month};
use serde::{Deserialize, Serialize};

/// How finely a metric is broken down in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// IST calendar months.
    Month,
    /// Quarters of the Indian financial year (Q1 = April–June).
    Quarter,
    /// Indian financial years (April–March).
    FinancialYear,
}

/// One reporting period.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_metrics::{Granularity, Period};
///
/// let instant = Utc.with_ymd_and_hms(2025, 3, 31, 20, 0, 0).unwrap(); // 1 April in India
/// assert_eq!(Period::containing(instant, Granularity::FinancialYear).to_string(), "FY2025-26");
/// assert_eq!(Period::containing(instant, Granularity::Quarter).to_string(), "FY2025-26 Q1");
/// assert_eq!(Period::containing(instant, Granularity::Month).previous().to_string(), "2025-03");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "granularity", content = "period", rename_all = "snake_case")]
pub enum Period {
    /// An IST month.
    Month(Month),
    /// A quarter of a financial year.
    Quarter(FyQuarter),
    /// A financial year.
    FinancialYear(FinancialYear),
}

impl Period {
    /// The period of `granularity` that `instant` falls in, by the date in India.
    pub fn containing(instant: DateTime<Utc>, granularity: Granularity) -> Period {
        Period::of_month(Month::containing(instant), granularity)
    }

    /// The period of `granularity` that `month` falls in.
    pub fn of_month(month: Month, granularity: Granularity) -> Period {
        match granularity {
            Granularity::Month => Period::Month(month),
            Granularity::Quarter => Period::Quarter(month.quarter()),
            Granularity::FinancialYear => Period::FinancialYear(month.financial_year()),
        }
    }

    /// Its granularity.
    pub fn granularity(self) -> Granularity {
        match self {
            Period::Month(_) => Granularity::Month,
            Period::Quarter(_) => Granularity::Quarter,
            Period::FinancialYear(_) => Granularity::FinancialYear,
        }
    }

    /// The period before it (month on month, quarter on quarter, year on year).
    pub fn previous(self) -> Period {
        match self {
            Period::Month(m) => Period::Month(m.previous()),
            Period::Quarter(q) => Period::Quarter(q.previous()),
            Period::FinancialYear(fy) => Period::FinancialYear(fy.previous()),
        }
    }

    /// The same period a year earlier (year on year for months and quarters).
    pub fn year_before(self) -> Period {
        match self {
            Period::Month(m) => Period::Month(m.year_before()),
            Period::Quarter(q) => Period::Quarter(q.previous().previous().previous().previous()),
            Period::FinancialYear(fy) => Period::FinancialYear(fy.previous()),
        }
    }

    /// The instant it begins.
    pub fn start(self) -> DateTime<Utc> {
        match self {
            Period::Month(m) => m.start(),
            Period::Quarter(q) => q.start(),
            Period::FinancialYear(fy) => fy.start(),
        }
    }

    /// The instant it ends, exclusive.
    pub fn end(self) -> DateTime<Utc> {
        match self {
            Period::Month(m) => m.end(),
            Period::Quarter(q) => q.end(),
            Period::FinancialYear(fy) => fy.end(),
        }
    }

    /// Whether `month` lies within it.
    pub fn contains_month(self, month: Month) -> bool {
        Period::of_month(month, self.granularity()) == self
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month(m) => fmt::Display::fmt(m, f),
            Period::Quarter(q) => fmt::Display::fmt(q, f),
            Period::FinancialYear(fy) => fmt::Display::fmt(fy, f),
        }
    }
}
