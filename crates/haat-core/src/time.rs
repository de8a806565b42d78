//! Time as India keeps it: IST days and months, and the Indian financial year.
//!
//! India is UTC+05:30 all year, with no daylight saving. Every day, month, quarter and financial
//! year in haat is an IST one: an order placed at `2025-03-31T20:00Z` was placed on 1 April 2025
//! in India, in `FY2025-26`. Instants are `DateTime<Utc>` and always passed in; nothing here reads
//! a clock.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::Error;

/// India Standard Time, UTC+05:30.
pub const IST: FixedOffset = match FixedOffset::east_opt(IST_OFFSET_SECONDS) {
    Some(offset) => offset,
    None => unreachable!(),
};

const IST_OFFSET_SECONDS: i32 = 5 * 3600 + 30 * 60;

/// The first and last years a [`FinancialYear`] may start in: four-digit years whose every day
/// exists in `chrono`.
const FIRST_FY_START: i32 = 1000;
const LAST_FY_START: i32 = 9998;

/// The date in India at `instant`.
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use haat_core::ist_date;
/// let late_evening_utc = Utc.with_ymd_and_hms(2025, 3, 31, 20, 0, 0).unwrap();
/// assert_eq!(ist_date(late_evening_utc), NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
/// ```
pub fn ist_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&IST).date_naive()
}

/// The instant at which `date` begins in India (00:00 IST, which is 18:30 UTC the day before).
/// Saturates at the earliest instant `chrono` represents.
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use haat_core::ist_midnight;
/// let date = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
/// assert_eq!(ist_midnight(date), Utc.with_ymd_and_hms(2025, 3, 31, 18, 30, 0).unwrap());
/// ```
pub fn ist_midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(NaiveTime::MIN)
        .and_utc()
        .checked_sub_signed(TimeDelta::seconds(i64::from(IST_OFFSET_SECONDS)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// An Indian financial year, 1 April to 31 March, written `FY2025-26`.
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use haat_core::FinancialYear;
///
/// let fy: FinancialYear = "FY2025-26".parse()?;
/// assert_eq!(fy.first_day(), NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
/// assert_eq!(fy.last_day(), NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
/// assert_eq!(fy.previous().to_string(), "FY2024-25");
///
/// // 18:29 UTC on 31 March is 23:59 IST, still the old year; 18:31 UTC is the new one.
/// let before = Utc.with_ymd_and_hms(2025, 3, 31, 18, 29, 0).unwrap();
/// let after = Utc.with_ymd_and_hms(2025, 3, 31, 18, 31, 0).unwrap();
/// assert_eq!(FinancialYear::containing(before).to_string(), "FY2024-25");
/// assert_eq!(FinancialYear::containing(after), fy);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FinancialYear {
    start_year: i32,
}

impl FinancialYear {
    /// The financial year that starts on 1 April of `start_year`, if that is a four-digit year
    /// (1000 to 9998).
    pub fn starting(start_year: i32) -> Option<FinancialYear> {
        (FIRST_FY_START..=LAST_FY_START)
            .contains(&start_year)
            .then_some(FinancialYear { start_year })
    }

    /// The financial year that `date` (an Indian calendar date) falls in. Dates outside the
    /// four-digit years clamp to the first or last financial year.
    pub fn of_date(date: NaiveDate) -> FinancialYear {
        let start_year = if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        };
        FinancialYear {
            start_year: start_year.clamp(FIRST_FY_START, LAST_FY_START),
        }
    }

    /// The financial year that `instant` falls in, by the date in India.
    pub fn containing(instant: DateTime<Utc>) -> FinancialYear {
        FinancialYear::of_date(ist_date(instant))
    }

    /// The calendar year it starts in (2025 for `FY2025-26`).
    pub fn start_year(self) -> i32 {
        self.start_year
    }

    /// 1 April of the start year.
    pub fn first_day(self) -> NaiveDate {
        ymd(self.start_year, 4, 1)
    }

    /// 31 March of the following year.
    pub fn last_day(self) -> NaiveDate {
        ymd(self.start_year + 1, 3, 31)
    }

    /// The instant it begins (00:00 IST on 1 April).
    pub fn start(self) -> DateTime<Utc> {
        ist_midnight(self.first_day())
    }

    /// The instant it ends, exclusive (00:00 IST on 1 April of the next year).
    pub fn end(self) -> DateTime<Utc> {
        ist_midnight(ymd(self.start_year + 1, 4, 1))
    }

    /// Whether `instant` falls in this financial year.
    pub fn contains(self, instant: DateTime<Utc>) -> bool {
        FinancialYear::containing(instant) == self
    }

    /// The year after (saturating at the last four-digit year).
    pub fn next(self) -> FinancialYear {
        FinancialYear {
            start_year: (self.start_year + 1).min(LAST_FY_START),
        }
    }

    /// The year before (saturating at the first four-digit year).
    pub fn previous(self) -> FinancialYear {
        FinancialYear {
            start_year: (self.start_year - 1).max(FIRST_FY_START),
        }
    }

    /// Its twelve months, April first.
    ///
    /// ```
    /// use haat_core::FinancialYear;
    /// let fy = FinancialYear::starting(2025).unwrap();
    /// let months: Vec<String> = fy.months().map(|m| m.to_string()).collect();
    /// assert_eq!(months.first().unwrap(), "2025-04");
    /// assert_eq!(months.last().unwrap(), "2026-03");
    /// ```
    pub fn months(self) -> impl Iterator<Item = Month> {
        let first = Month {
            year: self.start_year,
            month: 4,
        };
        std::iter::successors(Some(first), |m| Some(m.next())).take(12)
    }

    /// Its four quarters, Q1 (April–June) first.
    pub fn quarters(self) -> [FyQuarter; 4] {
        [1, 2, 3, 4].map(|quarter| FyQuarter { fy: self, quarter })
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    // Callers keep years within four digits and months and days valid, so this is always Some.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FY{}-{:02}",
            self.start_year,
            (self.start_year + 1) % 100
        )
    }
}

impl fmt::Debug for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for FinancialYear {
    type Err = Error;

    /// Accepts `FY2025-26`, `fy 2025-26`, `2025-26` and `2025-2026`.
    fn from_str(input: &str) -> Result<FinancialYear, Error> {
        let invalid = |reason| Error::InvalidFinancialYear {
            input: input.trim().to_owned(),
            reason,
        };
        let trimmed = input.trim();
        let body = match trimmed.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("FY") => trimmed[2..].trim_start(),
            _ => trimmed,
        };
        let (first, second) = body
            .split_once(['-', '/'])
            .ok_or_else(|| invalid("expected two years joined by '-'"))?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if first.len() != 4 || !all_digits(first) {
            return Err(invalid("the first year must have four digits"));
        }
        if !(second.len() == 2 || second.len() == 4) || !all_digits(second) {
            return Err(invalid("the second year must have two or four digits"));
        }
        let start_year: i32 = first
            .parse()
            .map_err(|_| invalid("the first year must have four digits"))?;
        let end: i32 = second
            .parse()
            .map_err(|_| invalid("the second year must have two or four digits"))?;
        let expected_end = if second.len() == 2 {
            (start_year + 1) % 100
        } else {
            start_year + 1
        };
        if end != expected_end {
            return Err(invalid("the second year must follow the first"));
        }
        FinancialYear::starting(start_year).ok_or_else(|| invalid("the year is out of range"))
    }
}

impl TryFrom<String> for FinancialYear {
    type Error = Error;

    fn try_from(value: String) -> Result<FinancialYear, Error> {
        value.parse()
    }
}

impl From<FinancialYear> for String {
    fn from(fy: FinancialYear) -> String {
        fy.to_string()
    }
}

/// A calendar month in India, written `2025-04`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::Month;
/// let month = Month::containing(Utc.with_ymd_and_hms(2025, 4, 30, 19, 0, 0).unwrap());
/// assert_eq!(month.to_string(), "2025-05"); // 00:30 IST on 1 May
/// assert_eq!(month.financial_year().to_string(), "FY2025-26");
/// assert_eq!(month.quarter().to_string(), "FY2025-26 Q1");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// The month `month` (1–12) of `year`, if both are in range (four-digit years).
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((FIRST_FY_START..=LAST_FY_START + 1).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    /// The month `date` falls in.
    pub fn of_date(date: NaiveDate) -> Month {
        Month {
            year: date.year().clamp(FIRST_FY_START, LAST_FY_START + 1),
            month: date.month(),
        }
    }

    /// The month `instant` falls in, by the date in India.
    pub fn containing(instant: DateTime<Utc>) -> Month {
        Month::of_date(ist_date(instant))
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1 (January) to 12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        ymd(self.year, self.month, 1)
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// The instant it begins (00:00 IST on its first day).
    pub fn start(self) -> DateTime<Utc> {
        ist_midnight(self.first_day())
    }

    /// The instant it ends, exclusive.
    pub fn end(self) -> DateTime<Utc> {
        ist_midnight(self.next().first_day())
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month before.
    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The same month a year earlier, for year-on-year comparisons.
    pub fn year_before(self) -> Month {
        Month {
            year: self.year - 1,
            month: self.month,
        }
    }

    /// The financial year it belongs to.
    pub fn financial_year(self) -> FinancialYear {
        FinancialYear::of_date(self.first_day())
    }

    /// The quarter of the financial year it belongs to.
    pub fn quarter(self) -> FyQuarter {
        // April–June is Q1, ..., January–March is Q4.
        let quarter = ((self.month + 8) % 12) / 3 + 1;
        FyQuarter {
            fy: self.financial_year(),
            quarter: quarter as u8,
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Debug for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Month {
    type Err = Error;

    fn from_str(input: &str) -> Result<Month, Error> {
        let trimmed = input.trim();
        let invalid = || Error::InvalidMonth {
            input: trimmed.to_owned(),
        };
        let (year, month) = trimmed.split_once('-').ok_or_else(invalid)?;
        if year.len() != 4
            || !(1..=2).contains(&month.len())
            || !year
                .bytes()
                .chain(month.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        let year = year.parse().map_err(|_| invalid())?;
        let month = month.parse().map_err(|_| invalid())?;
        Month::new(year, month).ok_or_else(invalid)
    }
}

impl TryFrom<String> for Month {
    type Error = Error;

    fn try_from(value: String) -> Result<Month, Error> {
        value.parse()
    }
}

impl From<Month> for String {
    fn from(month: Month) -> String {
        month.to_string()
    }
}

/// A quarter of an Indian financial year, written `FY2025-26 Q1`: Q1 is April–June, Q4 is
/// January–March.
///
/// ```
/// use haat_core::FyQuarter;
/// let q4: FyQuarter = "FY2024-25 Q4".parse()?;
/// let months: Vec<String> = q4.months().map(|m| m.to_string()).collect();
/// assert_eq!(months, ["2025-01", "2025-02", "2025-03"]);
/// assert_eq!(q4.next().to_string(), "FY2025-26 Q1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FyQuarter {
    fy: FinancialYear,
    quarter: u8,
}

impl FyQuarter {
    /// Quarter `quarter` (1–4) of `fy`.
    pub fn new(fy: FinancialYear, quarter: u8) -> Option<FyQuarter> {
        (1..=4)
            .contains(&quarter)
            .then_some(FyQuarter { fy, quarter })
    }

    /// The quarter `instant` falls in, by the date in India.
    pub fn containing(instant: DateTime<Utc>) -> FyQuarter {
        Month::containing(instant).quarter()
    }

    /// Its financial year.
    pub fn financial_year(self) -> FinancialYear {
        self.fy
    }

    /// Its number, 1 to 4.
    pub fn number(self) -> u8 {
        self.quarter
    }

    /// Its first month.
    pub fn first_month(self) -> Month {
        let offset = u32::from(self.quarter - 1) * 3;
        let month = 4 + offset;
        if month > 12 {
            Month {
                year: self.fy.start_year + 1,
                month: month - 12,
            }
        } else {
            Month {
                year: self.fy.start_year,
                month,
            }
        }
    }

    /// Its three months.
    pub fn months(self) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(self.first_month()), |m| Some(m.next())).take(3)
    }

    /// The instant it begins.
    pub fn start(self) -> DateTime<Utc> {
        self.first_month().start()
    }

    /// The instant it ends, exclusive.
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    /// The quarter after.
    pub fn next(self) -> FyQuarter {
        if self.quarter == 4 {
            FyQuarter {
                fy: self.fy.next(),
                quarter: 1,
            }
        } else {
            FyQuarter {
                fy: self.fy,
                quarter: self.quarter + 1,
            }
        }
    }

    /// The quarter before.
    pub fn previous(self) -> FyQuarter {
        if self.quarter == 1 {
            FyQuarter {
                fy: self.fy.previous(),
                quarter: 4,
            }
        } else {
            FyQuarter {
                fy: self.fy,
                quarter: self.quarter - 1,
            }
        }
    }
}

impl fmt::Display for FyQuarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Q{}", self.fy, self.quarter)
    }
}

impl fmt::Debug for FyQuarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for FyQuarter {
    type Err = Error;

    fn from_str(input: &str) -> Result<FyQuarter, Error> {
        let trimmed = input.trim();
        let invalid = || Error::InvalidQuarter {
            input: trimmed.to_owned(),
        };
        let (fy, quarter) = trimmed.rsplit_once([' ', '-']).ok_or_else(invalid)?;
        // Exactly one digit, 1 to 4: integer parsing would also take `Q+1` and `Q01`.
        let quarter = match quarter.strip_prefix(['Q', 'q']) {
            Some("1") => 1,
            Some("2") => 2,
            Some("3") => 3,
            Some("4") => 4,
            _ => return Err(invalid()),
        };
        let fy: FinancialYear = fy.parse().map_err(|_| invalid())?;
        FyQuarter::new(fy, quarter).ok_or_else(invalid)
    }
}

impl TryFrom<String> for FyQuarter {
    type Error = Error;

    fn try_from(value: String) -> Result<FyQuarter, Error> {
        value.parse()
    }
}

impl From<FyQuarter> for String {
    fn from(quarter: FyQuarter) -> String {
        quarter.to_string()
    }
}
