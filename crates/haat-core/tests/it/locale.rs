//! en-IN and bn-IN formatting: every row of ICU 78 / CLDR 48's golden table, the examples of
//! the design, and the laws between the locales as properties.

// Helpers outside `#[test]` functions unwrap and panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::fmt::Write as _;
use std::str::FromStr;

use haat_core::{CompactStyle, Decimal, Error, Locale, Money};
use proptest::prelude::*;
use rust_decimal::RoundingStrategy;

/// The golden table printed by ICU 78.2 / CLDR 48.0 (`tests/data/gen_locale.mjs`).
const ORACLE: &str = include_str!("../data/locale.tsv");

struct Row<'a> {
    line: usize,
    kind: &'a str,
    locale: Locale,
    input: &'a str,
    expected: &'a str,
}

fn oracle_rows() -> Vec<Row<'static>> {
    ORACLE
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.is_empty())
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 4, "locale.tsv line {}: {l:?}", i + 1);
            Row {
                line: i + 1,
                kind: cols[0],
                locale: cols[1].parse().unwrap(),
                input: cols[2],
                expected: cols[3],
            }
        })
        .collect()
}

/// `s` as a Decimal; `-0` stays a negative zero (which `Decimal::from_str` drops), as the
/// table gives it to ICU.
fn decimal(s: &str) -> Decimal {
    let mut d = Decimal::from_str(s).unwrap_or_else(|e| panic!("{s:?} is not a Decimal: {e}"));
    if s.starts_with('-') {
        d.set_sign_negative(true);
    }
    d
}

/// What haat prints for a row of the table, through both the `String` and the `write_*` form
/// (which must agree).
fn format_row(row: &Row) -> String {
    let l = row.locale;
    let mut written = String::new();
    let printed = match row.kind {
        "number" => {
            l.write_number(&mut written, decimal(row.input)).unwrap();
            l.number(decimal(row.input))
        }
        "integer" => {
            let n: i64 = row.input.parse().unwrap();
            l.write_integer(&mut written, n).unwrap();
            l.integer(n)
        }
        "inr" => {
            let amount = decimal(row.input);
            if amount.abs() > Money::MAX.amount() {
                // The table goes up to `Decimal::MAX`; no `Money` is that large, so there is
                // nothing to print, and the amount must be refused.
                assert!(matches!(
                    Money::try_from_decimal(amount),
                    Err(Error::AmountOutOfRange { .. })
                ));
                return row.expected.to_owned();
            }
            let m = Money::try_from_decimal(amount).unwrap();
            l.write_inr(&mut written, m).unwrap();
            l.inr(m)
        }
        "compact_long" | "compact_short" => {
            let style = if row.kind == "compact_long" {
                CompactStyle::Long
            } else {
                CompactStyle::Short
            };
            l.write_compact(&mut written, decimal(row.input), style)
                .unwrap();
            l.compact(decimal(row.input), style)
        }
        "percent" => {
            l.write_percent(&mut written, decimal(row.input)).unwrap();
            l.percent(decimal(row.input))
        }
        "signed_percent" => {
            l.write_signed_percent(&mut written, decimal(row.input))
                .unwrap();
            l.signed_percent(decimal(row.input))
        }
        other => panic!("locale.tsv line {}: unknown kind {other:?}", row.line),
    };
    assert_eq!(
        printed, written,
        "String and write_* differ for {}",
        row.input
    );
    printed
}

/// Every row of the oracle's table; all mismatches are reported together, with the code
/// points of the two strings so that U+00A0, U+202F and friends are visible.
#[test]
fn matches_icu_78_cldr_48_on_every_row_of_the_golden_table() {
    let rows = oracle_rows();
    assert!(rows.len() > 1000, "the table has only {} rows", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let got = format_row(row);
        if got != row.expected {
            failures.push(format!(
                "line {} {} {} {:?}: expected {:?} {}, got {:?} {}",
                row.line,
                row.kind,
                row.locale,
                row.input,
                row.expected,
                code_points(row.expected),
                got,
                code_points(&got),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ from ICU:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

fn code_points(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_ascii())
        .map(|c| format!("U+{:04X}", c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The law the proptests below rely on, checked on ICU's own output first: for plain numbers
/// and rupees, bn-IN is en-IN with Bengali digits (same grouping, same signs, same `₹`).
#[test]
fn oracle_bn_in_is_en_in_with_bengali_digits_for_numbers_and_rupees() {
    let rows = oracle_rows();
    let mut compared = 0;
    for en in rows.iter().filter(|r| r.locale == Locale::EnIn) {
        if !matches!(en.kind, "number" | "integer" | "inr") {
            continue;
        }
        let bn = rows
            .iter()
            .find(|r| r.locale == Locale::BnIn && r.kind == en.kind && r.input == en.input)
            .unwrap_or_else(|| panic!("no bn-IN row for {} {}", en.kind, en.input));
        assert_eq!(
            Locale::BnIn.digits(en.expected),
            bn.expected,
            "{}",
            en.input
        );
        compared += 1;
    }
    assert!(compared > 100);
}

#[track_caller]
fn check(got: String, expected: &str) {
    assert_eq!(
        got,
        expected,
        "{} vs {}",
        code_points(&got),
        code_points(expected)
    );
}

#[test]
fn the_examples_of_the_design() {
    use CompactStyle::{Long, Short};
    use Locale::{BnIn, EnIn};
    let d = |n: i64| Decimal::from(n);
    check(EnIn.integer(420_000), "4,20,000");
    check(BnIn.integer(420_000), "৪,২০,০০০");
    check(EnIn.inr(Money::from_rupees(420_000)), "₹4,20,000.00");
    check(BnIn.inr(Money::from_rupees(420_000)), "₹৪,২০,০০০.০০");
    check(EnIn.inr(Money::from_paise(-123_450)), "-₹1,234.50");
    check(EnIn.compact(d(420_000), Long), "4.2\u{202f}lakh");
    check(EnIn.compact(d(420_000), Short), "4.2L");
    check(EnIn.compact(d(12_000_000), Long), "1.2\u{202f}crore");
    check(EnIn.compact(d(12_000_000), Short), "1.2Cr");
    check(EnIn.compact(d(1_000), Long), "1 thousand");
    check(EnIn.compact(d(1_000), Short), "1K");
    check(EnIn.compact(d(10_000_000_000), Short), "1KCr");
    check(EnIn.compact(d(1_000_000_000_000), Short), "1LCr");
    check(
        EnIn.compact(d(1_000_000_000_000), Long),
        "1\u{202f}lakh\u{202f}crore",
    );
    check(BnIn.compact(d(420_000), Long), "৪.২ লাখ");
    check(BnIn.compact(d(420_000), Short), "৪.২\u{a0}লা");
    check(BnIn.compact(d(12_000_000), Long), "১.২ কোটি");
    check(BnIn.compact(d(12_000_000), Short), "১.২\u{a0}কো");
    check(BnIn.compact(d(1_000), Long), "১ হাজার");
    check(BnIn.compact(d(1_000), Short), "১\u{a0}হা");
    check(BnIn.compact(d(10_000_000_000), Short), "১\u{a0}শত\u{a0}কো");
    check(BnIn.compact(d(20_000_000_000), Short), "২শত\u{a0}কো");
    check(BnIn.compact(d(1_000_000_000_000), Short), "১\u{a0}লা.কো.");
    check(EnIn.percent(d(150)), "150%");
    check(EnIn.signed_percent(d(150)), "+150%");
    check(BnIn.signed_percent(d(150)), "+১৫০%");
    check(EnIn.signed_percent(d(-12)), "-12%");
    check(EnIn.signed_percent(d(0)), "0%");
    check(BnIn.percent("123456.7".parse().unwrap()), "১২৩,৪৫৭%");
    check(EnIn.percent("123456.7".parse().unwrap()), "1,23,457%");
}

#[test]
fn compact_moves_to_the_next_unit_when_rounding_reaches_it() {
    use CompactStyle::{Long, Short};
    let d = |n: i64| Decimal::from(n);
    check(Locale::EnIn.compact(d(99_999), Long), "1\u{202f}lakh");
    check(Locale::EnIn.compact(d(99_499), Long), "99 thousand");
    check(Locale::EnIn.compact(d(999_999), Short), "10L");
    check(Locale::EnIn.compact(d(9_950_000), Short), "1Cr");
    // CLDR 48's bn short unit for 10^11 is a bare `কো` on the number of 10^11s.
    check(
        Locale::BnIn.compact(d(9_999_999_999), Short),
        "১\u{a0}শত\u{a0}কো",
    );
    check(Locale::BnIn.compact(d(99_999_999_999), Short), "১কো");
    check(
        Locale::BnIn.compact(d(999_999_999_999), Short),
        "১\u{a0}লা.কো.",
    );
    check(Locale::EnIn.compact("999.5".parse().unwrap(), Short), "1K");
    check(
        Locale::EnIn.compact("0.0995".parse().unwrap(), Short),
        "0.1",
    );
}

#[test]
fn rounding_is_half_away_from_zero_like_intl() {
    let p = |s: &str| Decimal::from_str(s).unwrap();
    check(Locale::EnIn.number(p("0.0025")), "0.003");
    check(Locale::EnIn.number(p("-0.0025")), "-0.003");
    check(Locale::EnIn.number(p("999.9995")), "1,000");
    check(Locale::EnIn.percent(p("2.5")), "3%");
    check(Locale::EnIn.compact(p("1250"), CompactStyle::Short), "1.3K");
}

#[test]
fn negatives_keep_their_sign_as_icu_prints_them() {
    let p = |s: &str| Decimal::from_str(s).unwrap();
    check(Locale::EnIn.number(p("-0.0001")), "-0");
    check(Locale::EnIn.percent(p("-0.4")), "-0%");
    check(Locale::EnIn.signed_percent(p("-0.4")), "0%");
    check(Locale::BnIn.signed_percent(p("0.5")), "+১%");
}

#[test]
fn the_extremes_of_decimal_and_i64() {
    check(
        Locale::EnIn.number(Decimal::MAX),
        "79,22,81,62,51,42,64,33,75,93,54,39,50,335",
    );
    check(
        Locale::EnIn.number(Decimal::MIN),
        "-79,22,81,62,51,42,64,33,75,93,54,39,50,335",
    );
    check(
        Locale::EnIn.integer(i64::MIN),
        "-92,23,37,20,36,85,47,75,808",
    );
    check(
        Locale::BnIn.compact(Decimal::MAX, CompactStyle::Long),
        "৭৯,২২,৮১,৬২,৫১,৪২,৬৪,৩৩৮ লাখ কোটি",
    );
    check(
        Locale::EnIn.compact(Decimal::new(-1, 28), CompactStyle::Short),
        "-0.0000000000000000000000000001",
    );
}

#[test]
fn locale_tags_parse_forgivingly_and_print_canonically() {
    for (text, locale) in [
        ("en-IN", Locale::EnIn),
        ("en_in", Locale::EnIn),
        (" EN-in ", Locale::EnIn),
        ("bn-IN", Locale::BnIn),
        ("BN_IN", Locale::BnIn),
    ] {
        assert_eq!(text.parse::<Locale>(), Ok(locale), "{text:?}");
    }
    for text in ["", "en", "bn-BD", "hi-IN", "en-IN-x", "en IN", "bn—IN"] {
        assert_eq!(
            text.parse::<Locale>(),
            Err(Error::UnknownLocale { input: text.into() }),
            "{text:?}"
        );
    }
    assert_eq!(
        Error::UnknownLocale {
            input: "hi-IN".into()
        }
        .to_string(),
        "locale 'hi-IN' is not supported; use en-IN or bn-IN"
    );
    for locale in Locale::ALL {
        assert_eq!(locale.to_string(), locale.tag());
        assert_eq!(locale.tag().parse::<Locale>(), Ok(locale));
        let json = serde_json::to_string(&locale).unwrap();
        assert_eq!(json, format!("\"{}\"", locale.tag()));
        assert_eq!(serde_json::from_str::<Locale>(&json).unwrap(), locale);
    }
    assert_eq!(
        serde_json::from_str::<Locale>("\"bn_in\"").unwrap(),
        Locale::BnIn
    );
    assert!(serde_json::from_str::<Locale>("\"fr-FR\"").is_err());
}

#[test]
fn digits_transliterates_only_ascii_digits() {
    check(Locale::BnIn.digits("FY2025-26 Q1"), "FY২০২৫-২৬ Q১");
    check(Locale::BnIn.digits("৩ and ٣ stay"), "৩ and ٣ stay");
    check(Locale::EnIn.digits("31-03-2026"), "31-03-2026");
}

fn any_decimal() -> impl Strategy<Value = Decimal> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<bool>(),
        0..=28u32,
    )
        .prop_map(|(lo, mid, hi, negative, scale)| {
            Decimal::from_parts(lo, mid, hi, negative, scale)
        })
}

/// Decimals of everyday size (up to 10^15, up to 4 fraction digits), where most bugs live.
fn everyday_decimal() -> impl Strategy<Value = Decimal> {
    (-10_i64.pow(18)..10_i64.pow(18), 0..=4u32).prop_map(|(m, scale)| Decimal::new(m, scale))
}

fn without(s: &str, chars: &[char]) -> String {
    s.chars().filter(|c| !chars.contains(c)).collect()
}

fn fraction_digits(s: &str) -> Option<usize> {
    s.split_once('.').map(|(_, f)| f.chars().count())
}

proptest! {
    #[test]
    fn never_panics_and_always_writes_something(
        value in prop_oneof![any_decimal(), everyday_decimal()],
        n in any::<i64>(),
        paise in any::<i64>(),
    ) {
        for l in Locale::ALL {
            let outputs = [
                l.number(value),
                l.integer(n),
                l.inr(Money::from_paise(paise)),
                l.compact(value, CompactStyle::Long),
                l.compact(value, CompactStyle::Short),
                l.percent(value),
                l.signed_percent(value),
            ];
            for out in outputs {
                prop_assert!(!out.is_empty());
            }
            let mut sink = String::new();
            prop_assert!(l.write_number(&mut sink, value).is_ok());
            prop_assert!(l.write_compact(&mut sink, value, CompactStyle::Short).is_ok());
            prop_assert!(l.write_signed_percent(&mut sink, value).is_ok());
            prop_assert!(l.write_inr(&mut sink, Money::from_paise(paise)).is_ok());
            let _ = write!(sink, "{l}");
        }
    }

    #[test]
    fn en_in_integers_read_back_without_commas(n in any::<i64>()) {
        prop_assert_eq!(without(&Locale::EnIn.integer(n), &[',']).parse::<i64>(), Ok(n));
        let as_decimal = Locale::EnIn.number(Decimal::from(n));
        prop_assert_eq!(without(&as_decimal, &[',']).parse::<i64>(), Ok(n));
    }

    #[test]
    fn en_in_numbers_are_the_value_rounded_to_three_places(
        value in prop_oneof![any_decimal(), everyday_decimal()],
    ) {
        let printed = without(&Locale::EnIn.number(value), &[',']);
        let rounded = value.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(Decimal::from_str(&printed).unwrap(), rounded);
        prop_assert!(fraction_digits(&printed).unwrap_or(0) <= 3);
        prop_assert!(!printed.contains('.') || !printed.ends_with('0'));
    }

    #[test]
    fn en_in_percent_is_the_value_rounded_to_a_whole_number(
        value in prop_oneof![any_decimal(), everyday_decimal()],
    ) {
        let printed = without(&Locale::EnIn.percent(value), &[',', '%']);
        let rounded = value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(Decimal::from_str(&printed).unwrap(), rounded);
        let signed = Locale::EnIn.signed_percent(value);
        prop_assert_eq!(signed.starts_with('+'), rounded > Decimal::ZERO);
        prop_assert_eq!(signed.starts_with('-'), rounded < Decimal::ZERO);
    }

    #[test]
    fn bn_in_is_en_in_with_bengali_digits(
        value in prop_oneof![any_decimal(), everyday_decimal()],
        n in any::<i64>(),
        paise in any::<i64>(),
    ) {
        let bn = |s: String| Locale::BnIn.digits(&s);
        prop_assert_eq!(Locale::BnIn.number(value), bn(Locale::EnIn.number(value)));
        prop_assert_eq!(Locale::BnIn.integer(n), bn(Locale::EnIn.integer(n)));
        let m = Money::from_paise(paise);
        prop_assert_eq!(Locale::BnIn.inr(m), bn(Locale::EnIn.inr(m)));
    }

    #[test]
    fn inr_always_has_two_fraction_digits(paise in any::<i64>()) {
        let m = Money::from_paise(paise);
        for l in Locale::ALL {
            let s = l.inr(m);
            prop_assert_eq!(fraction_digits(&s), Some(2), "{}", s);
            prop_assert_eq!(s.matches('.').count(), 1);
            prop_assert_eq!(s.starts_with('-'), paise < 0);
        }
        let printed = without(&Locale::EnIn.inr(m), &[',', '₹']);
        prop_assert_eq!(printed.parse::<Money>(), Ok(m));
    }

    #[test]
    fn compact_keeps_the_sign_and_at_most_two_significant_digits_in_its_fraction(
        value in prop_oneof![any_decimal(), everyday_decimal()],
    ) {
        for style in [CompactStyle::Long, CompactStyle::Short] {
            let s = Locale::EnIn.compact(value, style);
            prop_assert_eq!(s.starts_with('-'), value.is_sign_negative(), "{}", s);
            if value.abs() >= Decimal::ONE {
                // Whole numbers, or one digit after the point on a one-digit number.
                if let Some((int, frac)) = s.trim_start_matches('-').split_once('.') {
                    prop_assert_eq!(int.len(), 1, "{}", s);
                    prop_assert_eq!(frac.chars().take_while(char::is_ascii_digit).count(), 1);
                }
            }
        }
    }
}
