//! IST days and months from an instant by integer arithmetic: the order fold's hot path.
//!
//! India keeps UTC+05:30 all year, so the IST day of an instant is a shift and a floor
//! division, and its month follows from the day number by the civil-from-days algorithm
//! (Howard Hinnant's). No time-zone lookup, no allocation; agrees with
//! [`haat_core::ist_date`] and [`haat_core::Month::containing`] (a property test checks it).

use chrono::NaiveDate;
use haat_core::Month;

/// Seconds India is ahead of UTC.
const IST_OFFSET_SECS: i64 = 5 * 3600 + 30 * 60;
const SECS_PER_DAY: i64 = 86_400;

/// The IST day of `instant`, as days since 1970-01-01.
#[cfg(test)]
pub(crate) fn ist_day(instant: chrono::DateTime<chrono::Utc>) -> i32 {
    ist_day_of_secs(instant.timestamp())
}

/// The IST day of a Unix timestamp, as days since 1970-01-01 (clamped to `i32`).
#[inline]
pub(crate) fn ist_day_of_secs(secs: i64) -> i32 {
    let day = secs
        .saturating_add(IST_OFFSET_SECS)
        .div_euclid(SECS_PER_DAY);
    day.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// The (year, month) of a day number (days since 1970-01-01).
#[inline]
pub(crate) fn civil_month(day: i32) -> (i32, u32) {
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

/// A month as one integer, `year * 12 + month - 1`: cheap to compare, hash and store.
#[inline]
pub(crate) fn month_index_of_day(day: i32) -> i32 {
    let (year, month) = civil_month(day);
    year.saturating_mul(12).saturating_add(month as i32 - 1)
}

/// The [`Month`] of a month index (clamped to the years [`Month`] knows).
pub(crate) fn month_of_index(index: i32) -> Month {
    let year = index.div_euclid(12);
    let month = index.rem_euclid(12) as u32 + 1;
    Month::new(year, month).unwrap_or_else(|| {
        Month::of_date(
            NaiveDate::from_ymd_opt(year.clamp(1000, 9999), month, 1).unwrap_or_default(),
        )
    })
}

/// The month index of a [`Month`].
pub(crate) fn index_of_month(month: Month) -> i32 {
    month.year() * 12 + month.month() as i32 - 1
}

/// The date of a day number.
pub(crate) fn date_of_day(day: i32) -> NaiveDate {
    NaiveDate::default() + chrono::TimeDelta::days(i64::from(day))
}

/// The day number of a date.
pub(crate) fn day_of_date(date: NaiveDate) -> i32 {
    let days = date.signed_duration_since(NaiveDate::default()).num_days();
    days.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_calendar_agrees_with_chrono(
            instants in prop::collection::vec(-2_000_000_000i64..8_000_000_000i64, 1..20)
        ) {
            let mut calendar = Calendar::default();
            for secs in instants {
                for secs in [secs, secs + 1, secs + 86_400] {
                    let instant = Utc.timestamp_opt(secs, 0).unwrap();
                    let day = ist_day(instant);
                    prop_assert_eq!(calendar.of(&instant), (secs, day, month_index_of_day(day)));
                }
            }
        }

        #[test]
        fn agrees_with_chrono(secs in -2_000_000_000i64..8_000_000_000i64) {
            let instant = Utc.timestamp_opt(secs, 0).unwrap();
            let day = ist_day(instant);
            prop_assert_eq!(date_of_day(day), haat_core::ist_date(instant));
            prop_assert_eq!(day_of_date(date_of_day(day)), day);
            let month = Month::containing(instant);
            prop_assert_eq!(month_of_index(month_index_of_day(day)), month);
            prop_assert_eq!(index_of_month(month), month_index_of_day(day));
        }
    }
}

/// Works out an instant's Unix seconds, IST day and IST month index for the order fold's hot
/// path, remembering the year and the day last seen: orders arrive mostly in time order, so the
/// calendar arithmetic (days before a year, the civil-from-days month) runs once a year and
/// once a day rather than once an order. A cache, not state: it compares equal to any other,
/// so a fold's equality is its cells'.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Calendar {
    year: i32,
    /// Days from 1970-01-01 to 1 January of `year`.
    year_start: i64,
    day: i32,
    month: i32,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            year: i32::MIN,
            year_start: 0,
            day: i32::MIN,
            month: 0,
        }
    }
}

/// Days from 0001-01-01 (day 1) to 1970-01-01.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

impl Calendar {
    /// `instant` as (Unix seconds, IST day, IST month index): the seconds are
    /// [`DateTime::timestamp`]'s, the day [`ist_day_of_secs`]'s and the month
    /// [`month_index_of_day`]'s.
    #[inline]
    pub(crate) fn of(&mut self, instant: &chrono::DateTime<chrono::Utc>) -> (i64, i32, i32) {
        use chrono::{Datelike, Timelike};
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
        let day = ist_day_of_secs(secs);
        if day != self.day {
            self.day = day;
            self.month = month_index_of_day(day);
        }
        (secs, day, self.month)
    }
}

impl PartialEq for Calendar {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Calendar {}
