use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use haat_core::{Error, FinancialYear, FyQuarter, Month, ist_date, ist_midnight};
use proptest::prelude::*;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[track_caller]
fn check_fy(instant: DateTime<Utc>, expected: &str) {
    assert_eq!(
        FinancialYear::containing(instant).to_string(),
        expected,
        "{instant}"
    );
}

#[test]
fn financial_year_boundaries_are_ist() {
    // 31 March 23:59 IST is 18:29 UTC; 1 April 00:00 IST is 18:30 UTC.
    check_fy(utc(2025, 3, 31, 18, 29), "FY2024-25");
    check_fy(utc(2025, 3, 31, 18, 30), "FY2025-26");
    check_fy(utc(2025, 3, 31, 18, 31), "FY2025-26");
    check_fy(utc(2025, 3, 31, 20, 0), "FY2025-26");
    check_fy(utc(2025, 4, 1, 0, 0), "FY2025-26");
    check_fy(utc(2026, 3, 31, 18, 29), "FY2025-26");
    check_fy(utc(2026, 3, 31, 18, 30), "FY2026-27");
    check_fy(utc(2000, 1, 1, 0, 0), "FY1999-00");
}

#[test]
fn financial_year_spans_april_to_march() {
    let fy: FinancialYear = "FY2025-26".parse().unwrap();
    assert_eq!(fy.first_day(), date(2025, 4, 1));
    assert_eq!(fy.last_day(), date(2026, 3, 31));
    assert_eq!(fy.start(), utc(2025, 3, 31, 18, 30));
    assert_eq!(fy.end(), utc(2026, 3, 31, 18, 30));
    assert!(fy.contains(fy.start()));
    assert!(!fy.contains(fy.end()));
    assert_eq!(fy.months().count(), 12);
    assert_eq!(
        fy.quarters().map(|q| q.to_string()),
        [
            "FY2025-26 Q1",
            "FY2025-26 Q2",
            "FY2025-26 Q3",
            "FY2025-26 Q4"
        ]
    );
}

#[track_caller]
fn check_parse(input: &str, expected: Result<&str, &str>) {
    let parsed = input.parse::<FinancialYear>();
    match (parsed, expected) {
        (Ok(fy), Ok(text)) => assert_eq!(fy.to_string(), text, "{input:?}"),
        (Err(Error::InvalidFinancialYear { reason, .. }), Err(expected_reason)) => {
            assert_eq!(reason, expected_reason, "{input:?}")
        }
        (other, expected) => panic!("{input:?}: got {other:?}, expected {expected:?}"),
    }
}

#[test]
fn financial_year_parsing() {
    check_parse("FY2025-26", Ok("FY2025-26"));
    check_parse(" fy 2025-26 ", Ok("FY2025-26"));
    check_parse("2025-26", Ok("FY2025-26"));
    check_parse("2025-2026", Ok("FY2025-26"));
    check_parse("FY1999-00", Ok("FY1999-00"));
    check_parse("FY2025-27", Err("the second year must follow the first"));
    check_parse("FY25-26", Err("the first year must have four digits"));
    check_parse("FY2025", Err("expected two years joined by '-'"));
    check_parse(
        "FY2025-2",
        Err("the second year must have two or four digits"),
    );
}

#[test]
fn error_message_says_what_and_where() {
    let err = "FY2025-27".parse::<FinancialYear>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "financial year 'FY2025-27' is not of the form FY2025-26: the second year must follow the first"
    );
}

#[test]
fn ist_dates_and_midnights() {
    assert_eq!(ist_date(utc(2025, 3, 31, 20, 0)), date(2025, 4, 1));
    assert_eq!(ist_date(utc(2025, 3, 31, 18, 29)), date(2025, 3, 31));
    assert_eq!(ist_midnight(date(2025, 4, 1)), utc(2025, 3, 31, 18, 30));
}

#[test]
fn months_and_quarters() {
    let march: Month = "2025-03".parse().unwrap();
    assert_eq!(march.financial_year().to_string(), "FY2024-25");
    assert_eq!(march.quarter().to_string(), "FY2024-25 Q4");
    assert_eq!(march.next().to_string(), "2025-04");
    assert_eq!(march.next().quarter().to_string(), "FY2025-26 Q1");
    assert_eq!(march.last_day(), date(2025, 3, 31));
    assert_eq!(march.year_before().to_string(), "2024-03");
    let feb_2024: Month = "2024-02".parse().unwrap();
    assert_eq!(feb_2024.last_day(), date(2024, 2, 29));
    let december: Month = "2025-12".parse().unwrap();
    assert_eq!(december.quarter().to_string(), "FY2025-26 Q3");
    assert_eq!(december.next().to_string(), "2026-01");
    assert!("2025-13".parse::<Month>().is_err());
    assert!("25-01".parse::<Month>().is_err());
    let q: FyQuarter = "FY2025-26 Q2".parse().unwrap();
    assert_eq!(q.first_month().to_string(), "2025-07");
    assert_eq!(q.previous().previous().to_string(), "FY2024-25 Q4");
    assert!("FY2025-26 Q5".parse::<FyQuarter>().is_err());
}

/// `FY2025-26 Q+1` was read as the first quarter: the quarter is one digit, 1 to 4.
#[test]
fn quarters_are_exactly_q1_to_q4() {
    for text in [
        "FY2025-26 Q+1",
        "FY2025-26 Q01",
        "FY2025-26 Q-1",
        "FY2025-26 Q0",
        "FY2025-26 Q 1",
        "FY2025-26 Q",
        "FY2025-26 Q١",
    ] {
        assert_eq!(
            text.parse::<FyQuarter>(),
            Err(Error::InvalidQuarter {
                input: text.to_owned()
            }),
            "{text:?}"
        );
    }
    for quarter in 1..=4 {
        let text = format!("FY2025-26 Q{quarter}");
        assert_eq!(text.parse::<FyQuarter>().unwrap().to_string(), text);
    }
    assert_eq!(
        "fy2025-26 q3".parse::<FyQuarter>().unwrap().to_string(),
        "FY2025-26 Q3"
    );
}

proptest! {
    #[test]
    fn quarters_round_trip_and_nothing_else_parses(input in "(FY2025-26|fy2024-25)[ -][Qq][-+0-9]{0,3}") {
        if let Ok(quarter) = input.parse::<FyQuarter>() {
            prop_assert!(input.len() == 12, "{input:?}");
            prop_assert_eq!(quarter.to_string().parse::<FyQuarter>(), Ok(quarter));
        }
    }

    #[test]
    fn parsers_never_panic(input in ".*") {
        let _ = input.parse::<FinancialYear>();
        let _ = input.parse::<Month>();
        let _ = input.parse::<FyQuarter>();
    }

    #[test]
    fn financial_year_round_trips(start in 1000i32..=9998) {
        let fy = FinancialYear::starting(start).unwrap();
        prop_assert_eq!(fy.to_string().parse::<FinancialYear>().unwrap(), fy);
        let json = serde_json::to_string(&fy).unwrap();
        prop_assert_eq!(serde_json::from_str::<FinancialYear>(&json).unwrap(), fy);
        // `next` saturates at FY9998-99, the last four-digit year, so only below it is
        // `previous` its inverse.
        if start < 9998 {
            prop_assert_eq!(fy.next().previous(), fy);
        } else {
            prop_assert_eq!(fy.next(), fy);
        }
    }

    #[test]
    fn every_instant_falls_in_exactly_its_periods(seconds in 0i64..4_102_444_800) {
        let instant = DateTime::<Utc>::from_timestamp(seconds, 0).unwrap();
        let fy = FinancialYear::containing(instant);
        prop_assert!(fy.start() <= instant && instant < fy.end());
        let month = Month::containing(instant);
        prop_assert!(month.start() <= instant && instant < month.end());
        prop_assert_eq!(month.financial_year(), fy);
        let quarter = FyQuarter::containing(instant);
        prop_assert!(quarter.start() <= instant && instant < quarter.end());
        prop_assert!(quarter.months().any(|m| m == month));
        prop_assert_eq!(month.to_string().parse::<Month>().unwrap(), month);
        prop_assert_eq!(quarter.to_string().parse::<FyQuarter>().unwrap(), quarter);
    }
}

proptest! {
    /// The integer calendar and its cache are the calendar: the same IST date and month as
    /// `ist_date` and `Month::containing`, for instants in and out of time order.
    #[test]
    fn the_integer_calendar_and_its_cache_agree_with_ist_date(
        instants in prop::collection::vec(-2_000_000_000i64..8_000_000_000i64, 1..20)
    ) {
        use haat_core::{
            IstCalendar, IstStamp, date_of_day_number, day_number_of_date, ist_day_number,
            month_index_of_day_number,
        };
        let mut calendar = IstCalendar::default();
        for secs in instants {
            for secs in [secs, secs + 1, secs + 86_400] {
                let instant = Utc.timestamp_opt(secs, 0).unwrap();
                let day = ist_day_number(secs);
                prop_assert_eq!(date_of_day_number(day), ist_date(instant));
                prop_assert_eq!(day_number_of_date(date_of_day_number(day)), day);
                let month = Month::containing(instant);
                prop_assert_eq!(Month::from_index(month_index_of_day_number(day)), month);
                prop_assert_eq!(month.index(), month_index_of_day_number(day));
                let stamp = IstStamp::of(instant);
                prop_assert_eq!(stamp, IstStamp { secs, day, month: month.index() });
                prop_assert_eq!(calendar.stamp(&instant), stamp);
            }
        }
    }
}
