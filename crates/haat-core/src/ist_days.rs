//! IST days and months as integers, and a cache of them for folds over many instants.
//!
//! The calendar is [`ist_date`] and [`Month::containing`]; this is the same calendar by integer
//! arithmetic, for code that files millions of instants by day or month. India keeps UTC+05:30
//! all year, so the IST day of an instant is a shift and a floor division, and its month
//! follows from the day number by the civil-from-days algorithm (Howard Hinnant's). No
//! time-zone lookup, no allocation; a property test (tests/it/time.rs) proves it agrees with
//! [`ist_date`] and [`Month::containing`].

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Timelike, Utc};

use crate::Month;
#[cfg(doc)]
use crate::ist_date;

/// Seconds India is ahead of UTC.
const IST_OFFSET_SECS: i64 = 5 * 3600 + 30 * 60;
const SECS_PER_DAY: i64 = 86_400;

/// The IST day of a Unix timestamp, as days since 1970-01-01 (clamped to `i32`): the day
/// [`ist_date`] gives, as a number.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{date_of_day_number, ist_date, ist_day_number};
/// let instant = Utc.with_ymd_and_hms(2025, 3, 31, 20, 0, 0).unwrap(); // 1 April in India
/// assert_eq!(date_of_day_number(ist_day_number(instant.timestamp())), ist_date(instant));
/// ```
#[inline]
pub fn ist_day_number(secs: i64) -> i32 {
    let day = secs
        .saturating_add(IST_OFFSET_SECS)
        .div_euclid(SECS_PER_DAY);
    day.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// The (year, month) of a day number (days since 1970-01-01).
#[inline]
fn civil_month(day: i32) -> (i32, u32) {
    let z = i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month as u32)
}

/// The month index (see [`Month::index`]) of a day number.
///
/// ```
/// use chrono::NaiveDate;
/// use haat_core::{Month, day_number_of_date, month_index_of_day_number};
/// let day = day_number_of_date(NaiveDate::from_ymd_opt(2025, 4, 1).ok_or("date")?);
/// assert_eq!(Month::from_index(month_index_of_day_number(day)).to_string(), "2025-04");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[inline]
pub fn month_index_of_day_number(day: i32) -> i32 {
    let (year, month) = civil_month(day);
    year.saturating_mul(12).saturating_add(month as i32 - 1)
}

/// The date of a day number (days since 1970-01-01).
pub fn date_of_day_number(day: i32) -> NaiveDate {
    NaiveDate::default() + TimeDelta::days(i64::from(day))
}

/// The day number (days since 1970-01-01) of a date.
pub fn day_number_of_date(date: NaiveDate) -> i32 {
    let days = date.signed_duration_since(NaiveDate::default()).num_days();
    days.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

impl Month {
    /// The month as one integer, `year * 12 + month - 1`: cheap to compare, hash and store.
    ///
    /// ```
    /// use haat_core::Month;
    /// let month: Month = "2025-04".parse()?;
    /// assert_eq!(month.index(), 2025 * 12 + 3);
    /// assert_eq!(Month::from_index(month.index()), month);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn index(self) -> i32 {
        self.year() * 12 + self.month() as i32 - 1
    }

    /// The month of an [`index`](Month::index) (clamped to the years [`Month`] knows).
    pub fn from_index(index: i32) -> Month {
        let year = index.div_euclid(12);
        let month = index.rem_euclid(12) as u32 + 1;
        Month::new(year, month).unwrap_or_else(|| {
            Month::of_date(
                NaiveDate::from_ymd_opt(year.clamp(1000, 9999), month, 1).unwrap_or_default(),
            )
        })
    }
}

/// An instant filed by the IST calendar: its Unix seconds, IST day number and IST month index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IstStamp {
    /// Unix seconds ([`DateTime::timestamp`]).
    pub secs: i64,
    /// The IST day number ([`ist_day_number`]).
    pub day: i32,
    /// The IST month index ([`Month::index`]).
    pub month: i32,
}

impl IstStamp {
    /// The stamp of `instant`, worked out from scratch.
    pub fn of(instant: DateTime<Utc>) -> IstStamp {
        let secs = instant.timestamp();
        let day = ist_day_number(secs);
        IstStamp {
            secs,
            day,
            month: month_index_of_day_number(day),
        }
    }
}

/// [`IstStamp::of`], remembering the year and the day last seen: instants filed in time order
/// (an order log) change year rarely and day seldom, so the calendar arithmetic runs once a
/// year and once a day rather than once an instant. A cache, not state: it compares equal to
/// any other, so that a fold holding one is equal by its contents.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{IstCalendar, IstStamp};
/// let mut calendar = IstCalendar::default();
/// let instant = Utc.with_ymd_and_hms(2025, 3, 31, 20, 0, 0).unwrap();
/// assert_eq!(calendar.stamp(&instant), IstStamp::of(instant));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct IstCalendar {
    year: i32,
    /// Days from 1970-01-01 to 1 January of `year`.
    year_start: i64,
    day: i32,
    month: i32,
}

impl Default for IstCalendar {
    fn default() -> Self {
        IstCalendar {
            year: i32::MIN,
            year_start: 0,
            day: i32::MIN,
            month: 0,
        }
    }
}

/// Days from 0001-01-01 (day 1) to 1970-01-01.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

impl IstCalendar {
    /// `instant`'s stamp: equal to [`IstStamp::of`].
    #[inline]
    pub fn stamp(&mut self, instant: &DateTime<Utc>) -> IstStamp {
        let naive = instant.naive_utc();
        let date = naive.date();
        let year = date.year();
        let ordinal = i64::from(date.ordinal());
        if year != self.year {
            self.year = year;
            self.year_start = i64::from(date.num_days_from_ce()) - ordinal + 1 - UNIX_EPOCH_FROM_CE;
        }
        let secs = (self.year_start + ordinal - 1) * SECS_PER_DAY
            + i64::from(naive.time().num_seconds_from_midnight());
        let day = ist_day_number(secs);
        if day != self.day {
            self.day = day;
            self.month = month_index_of_day_number(day);
        }
        IstStamp {
            secs,
            day,
            month: self.month,
        }
    }
}

impl PartialEq for IstCalendar {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for IstCalendar {}
